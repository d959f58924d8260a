#!/usr/bin/env python3
"""Regenerate ``resources/municipios.csv`` and ``resources/ufs.csv`` from two MIT packages.

Sources (see ``resources/FONTES.md``):

* ``brutils==2.5.0`` (wheel): ``brutils/data/cities_code.json`` is the authority for *which*
  municipalities exist: ``{"SP": {"sao paulo": "3550308", ...}, ...}``, the 5,570 current
  7-digit IBGE codes by UF, names lower-case and without accents.
* ``django-municipios==1.2.1`` (sdist): ``municipios/fixtures/municipios.json.bz2`` is a Django
  fixture (a list of ``{"pk", "model", "fields"}``) with the names *with accents*: model
  ``municipios.municipio`` (pk = 7-digit IBGE code; fields ``nome``, ``uf`` = 2-digit UF code,
  ``uf_sigla``) and ``municipios.uf`` (pk = 2-digit UF code; fields ``uf`` = sigla, ``nome``).
  It also lists 4300001 Lagoa Mirim and 4300002 Lagoa dos Patos, lagoons that IBGE codes like
  municipalities but are not; anything absent from brutils is dropped.

The packages are only downloaded (``pip download --no-deps``) and read as archives; nothing is
installed or imported from them. The archive hashes are checked so a re-run either reproduces
the committed CSVs byte for byte or stops.

django-municipios predates some renamings (e.g. 3515004 "Embu" -> "Embu das Artes", 2513653
"Santarém" -> "Joca Claudino") and capitalizes compound names mechanically ("Ji-paraná",
"D'oeste", "Pio Xii", "Abreu E Lima"). So, for every brutils code:

1. the django-municipios name is used when, without accents and in lower case, it equals the
   brutils name; its capitalization is then fixed by :func:`ajustar_caixa`;
2. otherwise the name must be in :data:`RENOMEADOS` (current name, with accents), and that name
   must itself match brutils once accents are removed;
3. otherwise the script fails.

Usage: ``python3 scripts/gerar_municipios.py`` (from anywhere; writes into ``resources/``).
"""

from __future__ import annotations

import bz2
import csv
import hashlib
import io
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import unicodedata
import zipfile
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
DESTINO = RAIZ / "siops" / "resources"

BRUTILS = "brutils==2.5.0"
BRUTILS_ARQUIVO = "brutils-2.5.0-py3-none-any.whl"
BRUTILS_SHA256 = "5c9c66753cdc643356010e2fb9158baa18cb5daede28e247ede905c15239c396"
BRUTILS_JSON = "brutils/data/cities_code.json"

DJANGO = "django-municipios==1.2.1"
DJANGO_ARQUIVO = "django-municipios-1.2.1.tar.gz"
DJANGO_SHA256 = "8103cdb4385ae56cd63956b8aa25207489e072c3d62f4e72a5c81dfcda4cf1de"
DJANGO_FIXTURE = "django-municipios-1.2.1/municipios/fixtures/municipios.json.bz2"

# Municipalities renamed after django-municipios 1.2.1 was published, or spelled differently
# there: IBGE code -> current name with accents (django-municipios name in the comment). Each
# one must match brutils once accents and case are removed; the script checks it.
RENOMEADOS: dict[str, str] = {
    "1502954": "Eldorado do Carajás",  # Eldorado dos Carajás
    "1506500": "Santa Izabel do Pará",  # Santa Isabel do Pará
    "1708254": "Tabocão",  # Fortaleza do Tabocão
    "2306306": "Itapajé",  # Itapagé
    "2401305": "Campo Grande",  # Augusto Severo
    "2408409": "Olho d'Água do Borges",  # Olho-d'água do Borges
    "2410306": "Serra Caiada",  # Presidente Juscelino
    "2513653": "Joca Claudino",  # Santarém
    "2515401": "São Vicente do Seridó",  # Seridó
    "2606903": "Iguaracy",  # Iguaraci
    "2800100": "Amparo do São Francisco",  # Amparo de São Francisco
    "2922250": "Muquém do São Francisco",  # Muquém de São Francisco
    "2928505": "Santa Terezinha",  # Santa Teresinha
    "3108909": "Brazópolis",  # Brasópolis
    "3122900": "Dona Euzébia",  # Dona Eusébia
    "3147808": "Passa Vinte",  # Passa-vinte
    "3165206": "São Tomé das Letras",  # São Thomé das Letras
    "3506607": "Biritiba Mirim",  # Biritiba-mirim
    "3515004": "Embu das Artes",  # Embu
    "3516101": "Florínea",  # Florínia
    "3530805": "Mogi Mirim",  # Moji Mirim
    "3550001": "São Luiz do Paraitinga",  # São Luís do Paraitinga
    "4206108": "Grão-Pará",  # Grão Pará
    "5107008": "Poxoréu",  # Poxoréo
    "5107800": "Santo Antônio de Leverger",  # Santo Antônio do Leverger
}

# UF names that django-municipios spells without an accent.
UF_CORRECOES: dict[str, str] = {"32": "Espírito Santo"}  # "Espirito Santo"

# Words django-municipios capitalized that are lower case inside a name.
MINUSCULAS = {"E": "e", "No": "no", "Del": "del"}


def sem_acentos(texto: str) -> str:
    """``texto`` without diacritics, in lower case (how brutils writes names)."""
    decomposto = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in decomposto if not unicodedata.combining(c)).lower()


def ajustar_caixa(nome: str) -> str:
    """Fix django-municipios' mechanical capitalization.

    ``Ji-paraná`` -> ``Ji-Paraná``, ``Alta Floresta D'oeste`` -> ``Alta Floresta D'Oeste``,
    ``Olhos-d'água`` -> ``Olhos-d'Água``, ``Pio Xii`` -> ``Pio XII``, ``Abreu E Lima`` ->
    ``Abreu e Lima``, ``São João Del Rei`` -> ``São João del Rei``. Letters are never added or
    removed, so the result still matches brutils.
    """
    palavras = nome.split(" ")
    saida = []
    for i, palavra in enumerate(palavras):
        if i and palavra in MINUSCULAS:
            palavra = MINUSCULAS[palavra]
        elif len(palavra) > 1 and re.fullmatch(r"[IVXivx]+", palavra):
            palavra = palavra.upper()  # roman numeral
        else:
            # the letter after a hyphen or an apostrophe, except the "d'" of "Olho-d'Água"
            palavra = re.sub(r"(?<=[-'])(?!d')(\w)", lambda m: m.group(1).upper(), palavra)
        saida.append(palavra)
    return " ".join(saida)


def baixar(especificacao: str, arquivo: str, sha256: str, pasta: Path) -> bytes:
    """``pip download --no-deps`` one distribution into ``pasta``; its bytes, hash-checked."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--quiet",
            "--no-deps",
            "-d",
            str(pasta),
            especificacao,
        ],
        check=True,
    )
    caminho = pasta / arquivo
    if not caminho.is_file():
        baixados = sorted(p.name for p in pasta.iterdir())
        raise SystemExit(f"pip não baixou {arquivo} para {especificacao} (baixou: {baixados})")
    dados = caminho.read_bytes()
    obtido = hashlib.sha256(dados).hexdigest()
    if obtido != sha256:
        raise SystemExit(f"{arquivo}: sha256 {obtido}, esperado {sha256}")
    return dados


def ler_brutils(wheel: bytes) -> dict[str, tuple[str, str]]:
    """IBGE code -> (name without accents, UF sigla), from the brutils wheel."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as z:
        por_uf = json.loads(z.read(BRUTILS_JSON).decode("utf-8"))
    codigos: dict[str, tuple[str, str]] = {}
    for sigla, cidades in por_uf.items():
        for nome, codigo in cidades.items():
            if not re.fullmatch(r"\d{7}", codigo):
                raise SystemExit(f"brutils: código inválido {codigo!r} ({nome}/{sigla})")
            if codigo in codigos:
                raise SystemExit(f"brutils: código repetido {codigo}")
            codigos[codigo] = (nome, sigla)
    return codigos


def ler_django(sdist: bytes) -> tuple[dict[str, dict], dict[str, dict]]:
    """(municípios by IBGE code, UFs by 2-digit code) from the django-municipios fixture."""
    with tarfile.open(fileobj=io.BytesIO(sdist), mode="r:gz") as t:
        membro = t.extractfile(DJANGO_FIXTURE)
        if membro is None:
            raise SystemExit(f"django-municipios: {DJANGO_FIXTURE} não é um arquivo")
        registros = json.loads(bz2.decompress(membro.read()).decode("utf-8"))
    municipios = {
        str(r["pk"]): r["fields"] for r in registros if r["model"] == "municipios.municipio"
    }
    ufs = {str(r["pk"]): r["fields"] for r in registros if r["model"] == "municipios.uf"}
    return municipios, ufs


def montar(
    brutils: dict[str, tuple[str, str]], django: dict[str, dict], django_ufs: dict[str, dict]
) -> tuple[list[tuple[str, str, str]], list[tuple[str, str, str]]]:
    """The rows of municipios.csv and ufs.csv; raises SystemExit on any inconsistency."""
    siglas_por_codigo = {cod: f["uf"] for cod, f in django_ufs.items()}
    if len(siglas_por_codigo) != 27 or set(siglas_por_codigo.values()) != {
        s for _, s in brutils.values()
    }:
        raise SystemExit("as UFs de django-municipios e de brutils não coincidem")

    erros: list[str] = []
    municipios: list[tuple[str, str, str]] = []
    for codigo, (nome_brutils, sigla) in sorted(brutils.items()):
        if siglas_por_codigo.get(codigo[:2]) != sigla:
            erros.append(f"{codigo}: prefixo {codigo[:2]} não é da UF {sigla}")
            continue
        registro = django.get(codigo)
        if codigo in RENOMEADOS:
            nome = RENOMEADOS[codigo]
        elif registro is not None and sem_acentos(registro["nome"]) == nome_brutils:
            nome = ajustar_caixa(registro["nome"])
        else:
            achado = registro["nome"] if registro else "ausente"
            erros.append(f"{codigo} {nome_brutils!r}/{sigla}: sem nome acentuado ({achado!r})")
            continue
        if sem_acentos(nome) != nome_brutils:
            erros.append(f"{codigo}: {nome!r} não corresponde a {nome_brutils!r}")
            continue
        if registro is not None and registro["uf_sigla"] != sigla:
            erros.append(
                f"{codigo}: UF {registro['uf_sigla']} em django-municipios, {sigla} em brutils"
            )
        municipios.append((codigo, nome, sigla))
    if erros:
        raise SystemExit("Falhou:\n  " + "\n  ".join(erros))
    if len(municipios) != 5570:
        raise SystemExit(f"esperados 5.570 municípios, obtidos {len(municipios)}")

    ufs: list[tuple[str, str, str]] = []
    for codigo, campos in sorted(django_ufs.items()):
        nome = UF_CORRECOES.get(codigo, campos["nome"])
        if sem_acentos(nome) != sem_acentos(campos["nome"]):
            raise SystemExit(f"UF {codigo}: correção {nome!r} não corresponde a {campos['nome']!r}")
        ufs.append((codigo, campos["uf"], nome))
    return municipios, ufs


def escrever(caminho: Path, cabecalho: tuple[str, ...], linhas: list[tuple[str, str, str]]) -> None:
    """Write a UTF-8, ``;``-separated CSV with ``\\n`` line ends (stable across platforms)."""
    with caminho.open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, delimiter=";", lineterminator="\n")
        w.writerow(cabecalho)
        w.writerows(linhas)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="gerar_municipios_") as tmp:
        pasta = Path(tmp)
        wheel = baixar(BRUTILS, BRUTILS_ARQUIVO, BRUTILS_SHA256, pasta)
        sdist = baixar(DJANGO, DJANGO_ARQUIVO, DJANGO_SHA256, pasta)
    brutils = ler_brutils(wheel)
    django, django_ufs = ler_django(sdist)
    descartados = sorted(set(django) - set(brutils))
    municipios, ufs = montar(brutils, django, django_ufs)

    escrever(DESTINO / "municipios.csv", ("ibge", "nome", "uf"), municipios)
    escrever(DESTINO / "ufs.csv", ("codigo", "sigla", "nome"), ufs)
    ajustados = sum(
        1
        for cod, nome, _ in municipios
        if cod in django and nome != django[cod]["nome"] and cod not in RENOMEADOS
    )
    print(f"municipios.csv: {len(municipios)} municípios; ufs.csv: {len(ufs)} UFs")
    print(f"  {len(RENOMEADOS)} nomes atualizados (RENOMEADOS), {ajustados} com caixa ajustada")
    print(
        "  descartados de django-municipios (não são municípios em brutils): "
        + ", ".join(f"{c} {django[c]['nome']}" for c in descartados)
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
