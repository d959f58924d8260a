"""As âncoras de confiança oficiais: as ACs Raiz da ICP-Brasil e as ACs abaixo delas.

Ficam como dados em ``siops/resources/icp_brasil/``: um PEM por raiz ("Autoridade
Certificadora Raiz Brasileira vN"), ``intermediarias.pem`` com as ACs de 1º e 2º nível (para
completar a cadeia de um certificado A3 cujo token só guarda o do titular) e
``manifesto.json`` com a impressão digital SHA-256 de cada arquivo e de onde vieram. Um
arquivo cuja impressão não confere com o manifesto não é carregado (``AncoraAlterada``): uma
raiz trocada no disco não passa por uma raiz da ICP-Brasil.

O servidor e o transmissor usam estas raízes quando nenhuma outra é configurada
(``--raizes``, ``raizes`` do ``servidor.json``, ``raizes_icp`` do transmissor); a demonstração
e os testes configuram a hierarquia de teste, que nunca é aceita onde não foi configurada.

Atualizar (quando o ITI publicar uma raiz nova ou ACs novas), a partir do pacote de ACs do
ITI (``ACcompactado.zip``, com o ``hashsha512.txt`` publicado ao lado dele, ambos em
https://acraiz.icpbrasil.gov.br/credenciadas/CertificadosAC-ICP-Brasil/), dos certificados das
raízes (``ICP-Brasilv12.crt``…, em .../credenciadas/RAIZ/) ou de um PEM com raízes e ACs (o
``cacert.pem`` do ``certifi-icpbr``); ``--de`` aceita vários arquivos, em PEM, DER, PKCS#7 ou
.zip com eles::

    python -m siops.assinatura.confianca atualizar --de ACcompactado.zip ICP-Brasilv12.crt \
        --sha512 hashsha512.txt --fonte "ITI, ACcompactado.zip de 2026-01-10"
    python -m siops.assinatura.confianca listar

As impressões digitais das raízes gravadas devem ser conferidas com as que o ITI publica
(https://www.gov.br/iti/pt-br/assuntos/repositorio) antes de distribuir a versão, e a tabela
de ``docs/confianca-icp-brasil.md`` atualizada: um teste confere que ela diz o
mesmo que os arquivos.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import sys
from functools import cache
from importlib import resources
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

PADRAO_RAIZ = re.compile(r"^Autoridade Certificadora Raiz Brasileira v(\d+)$")
MANIFESTO = "manifesto.json"
INTERMEDIARIAS = "intermediarias.pem"


class AncoraAlterada(Exception):
    """Um arquivo de ``icp_brasil/`` não confere com a impressão digital do manifesto."""


def pasta() -> Path:
    """A pasta ``siops/resources/icp_brasil``."""
    return Path(str(resources.files("siops.resources"))) / "icp_brasil"


def sha256_hex(dados: bytes) -> str:
    """A impressão digital SHA-256, em hexadecimal minúsculo."""
    return hashlib.sha256(dados).hexdigest()


def impressao(cert: x509.Certificate) -> str:
    """A impressão digital SHA-256 do certificado (do DER), como o ITI publica (sem ':')."""
    return sha256_hex(cert.public_bytes(Encoding.DER))


def _cn(cert: x509.Certificate) -> str:
    valores = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)
    return str(valores[0].value) if valores else cert.subject.rfc4514_string()


def e_raiz_icp(cert: x509.Certificate) -> bool:
    """Autoassinado e com o nome "Autoridade Certificadora Raiz Brasileira vN"."""
    if cert.subject != cert.issuer or not PADRAO_RAIZ.match(_cn(cert)):
        return False
    try:
        cert.verify_directly_issued_by(cert)
    except Exception:
        return False
    return True


def manifesto(base: Path | None = None) -> dict:
    """O manifesto (fonte, data e impressões digitais)."""
    return json.loads(((base or pasta()) / MANIFESTO).read_text(encoding="utf-8"))


def _ler_conferido(base: Path, arquivo: str, esperado: str) -> bytes:
    dados = (base / arquivo).read_bytes()
    if sha256_hex(dados) != esperado:
        raise AncoraAlterada(
            f"O arquivo {base / arquivo} não confere com a impressão digital do manifesto: "
            "reinstale o programa."
        )
    return dados


@cache
def raizes_oficiais() -> tuple[x509.Certificate, ...]:
    """As ACs Raiz da ICP-Brasil distribuídas com o programa (conferidas com o manifesto)."""
    base = pasta()
    saida: list[x509.Certificate] = []
    for item in manifesto(base)["raizes"]:
        dados = _ler_conferido(base, item["arquivo"], item["sha256_arquivo"])
        cert = x509.load_pem_x509_certificate(dados)
        if impressao(cert) != item["sha256"]:
            raise AncoraAlterada(f"A raiz {item['arquivo']} não é a do manifesto.")
        saida.append(cert)
    return tuple(saida)


@cache
def intermediarias_oficiais() -> tuple[x509.Certificate, ...]:
    """As ACs abaixo das raízes (1º e 2º nível) distribuídas com o programa."""
    base = pasta()
    item = manifesto(base).get("intermediarias")
    if not item:
        return ()
    return tuple(
        x509.load_pem_x509_certificates(
            _ler_conferido(base, item["arquivo"], item["sha256_arquivo"])
        )
    )


# ---------------------------------------------------------------------------- atualização


def _pem(c: x509.Certificate) -> bytes:
    return c.public_bytes(Encoding.PEM)


def _emitido_por(cert: x509.Certificate, ac: x509.Certificate) -> bool:
    if cert.issuer != ac.subject:
        return False
    try:
        cert.verify_directly_issued_by(ac)
    except Exception:
        return False
    return True


def separar(certs: list[x509.Certificate]) -> tuple[list[x509.Certificate], list[x509.Certificate]]:
    """(raízes ICP-Brasil, ACs que descendem delas) de uma lista de certificados quaisquer.

    Uma AC só entra se a assinatura dela confere com uma raiz ou com outra AC já aceita (até
    quatro níveis); o resto (raízes de outros países, ACs de outras cadeias) fica de fora.
    """
    raizes = [c for c in certs if e_raiz_icp(c)]
    aceitas: list[x509.Certificate] = []
    conhecidas = list(raizes)
    for _ in range(4):
        novas = [
            c
            for c in certs
            if c not in conhecidas and any(_emitido_por(c, ac) for ac in conhecidas)
        ]
        if not novas:
            break
        aceitas += novas
        conhecidas += novas
    raizes.sort(key=lambda c: int(PADRAO_RAIZ.match(_cn(c)).group(1)))  # type: ignore[union-attr]
    aceitas.sort(key=lambda c: (_cn(c), impressao(c)))
    return raizes, aceitas


def _certificados(dados: bytes, nome: str) -> list[x509.Certificate]:
    """Os certificados de um arquivo PEM, DER, PKCS#7 ou .zip (com arquivos desses tipos)."""
    import io
    import zipfile

    from cryptography.hazmat.primitives.serialization import pkcs7

    if dados[:4] == b"PK\x03\x04":
        saida: list[x509.Certificate] = []
        with zipfile.ZipFile(io.BytesIO(dados)) as z:
            for item in sorted(z.namelist()):
                if not item.endswith("/") and z.getinfo(item).file_size <= 5_000_000:
                    saida += _certificados(z.read(item), f"{nome}:{item}")
        return saida
    for carregar in (
        x509.load_pem_x509_certificates,
        lambda d: [x509.load_der_x509_certificate(d)],
        pkcs7.load_pem_pkcs7_certificates,
        pkcs7.load_der_pkcs7_certificates,
    ):
        try:
            return list(carregar(dados))
        except ValueError:
            continue
    return []  # um LEIA-ME ou um .txt dentro do pacote: ignorado


def conferir_sha512(arquivo: Path, publicado: Path) -> None:
    """Levanta ``AncoraAlterada`` se o SHA-512 de ``arquivo`` não é o de ``publicado`` (o
    ``hashsha512.txt`` do ITI: o resumo em hexadecimal, talvez seguido do nome)."""
    esperado = re.findall(r"[0-9a-fA-F]{128}", publicado.read_text(encoding="latin-1"))
    obtido = hashlib.sha512(arquivo.read_bytes()).hexdigest()
    if not esperado or obtido not in (e.lower() for e in esperado):
        raise AncoraAlterada(
            f"O SHA-512 de {arquivo.name} ({obtido[:16]}…) não é o publicado em {publicado.name}: "
            "o pacote foi alterado ou não é o da mesma data. Baixe os dois de novo do ITI."
        )


def atualizar(origem: Path | list[Path], fonte: str, destino: Path | None = None) -> dict:
    """Regrava ``icp_brasil/`` a partir de ``origem`` (um ou mais arquivos PEM, DER, PKCS#7 ou
    .zip); devolve o manifesto novo."""
    origens = [origem] if isinstance(origem, Path) else list(origem)
    certs: list[x509.Certificate] = []
    for o in origens:
        for c in _certificados(o.read_bytes(), o.name):
            if c not in certs:
                certs.append(c)
    raizes, intermediarias = separar(certs)
    if not raizes:
        nomes = ", ".join(str(o) for o in origens)
        raise ValueError(
            f"{nomes} não traz nenhuma 'Autoridade Certificadora Raiz Brasileira vN' autoassinada."
        )
    base = destino or pasta()
    base.mkdir(parents=True, exist_ok=True)
    for antigo in base.glob("raiz-v*.pem"):
        antigo.unlink()
    itens = []
    for r in raizes:
        versao = PADRAO_RAIZ.match(_cn(r)).group(1)  # type: ignore[union-attr]
        nome = f"raiz-v{versao}.pem"
        dados = _pem(r)
        (base / nome).write_bytes(dados)
        itens.append(
            {
                "arquivo": nome,
                "nome": _cn(r),
                "sha256": impressao(r),
                "sha256_arquivo": sha256_hex(dados),
                "valido_ate": r.not_valid_after_utc.date().isoformat(),
            }
        )
    inter = b"".join(_pem(c) for c in intermediarias)
    (base / INTERMEDIARIAS).write_bytes(inter)
    novo = {
        "fonte": fonte,
        "gerado_em": dt.date.today().isoformat(),
        "conferir": "Impressões SHA-256 do DER; confira com as publicadas pelo ITI "
        "(https://www.gov.br/iti/pt-br/assuntos/repositorio) antes de distribuir.",
        "raizes": itens,
        "intermediarias": {
            "arquivo": INTERMEDIARIAS,
            "quantidade": len(intermediarias),
            "sha256_arquivo": sha256_hex(inter),
        },
    }
    (base / MANIFESTO).write_text(
        json.dumps(novo, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    raizes_oficiais.cache_clear()
    intermediarias_oficiais.cache_clear()
    return novo


def main(argv: list[str] | None = None) -> int:
    """``python -m siops.assinatura.confianca (atualizar --de PEM [--fonte T] | listar)``."""
    from siops.forms.argumentos import ParserPt

    p = ParserPt(
        prog="python -m siops.assinatura.confianca",
        description="As ACs Raiz da ICP-Brasil distribuídas com o programa.",
    )
    sub = p.add_subparsers(dest="comando", required=True)
    a = sub.add_parser("atualizar", help="regrava as âncoras a partir de um PEM")
    a.add_argument(
        "--de",
        type=Path,
        nargs="+",
        required=True,
        help="arquivos com as raízes e as ACs (PEM, DER, PKCS#7 ou .zip, como o ACcompactado.zip "
        "do ITI)",
    )
    a.add_argument(
        "--sha512",
        type=Path,
        help="o hashsha512.txt publicado pelo ITI ao lado do pacote: confere o primeiro --de",
    )
    a.add_argument("--fonte", default="", help="de onde vieram os arquivos (vai para o manifesto)")
    a.add_argument("--pasta", type=Path, help="outra pasta de destino (padrão: a do programa)")
    sub.add_parser("listar", help="mostra as raízes e as impressões digitais")
    args = p.parse_args(argv)
    try:
        if args.comando == "atualizar":
            if args.sha512 is not None:
                conferir_sha512(args.de[0], args.sha512)
            fonte = args.fonte or ", ".join(str(d) for d in args.de)
            novo = atualizar(args.de, fonte, args.pasta)
            for r in novo["raizes"]:
                print(f"{r['nome']}  SHA-256 {r['sha256']}")
            print(f"{novo['intermediarias']['quantidade']} ACs intermediárias.")
            print("Confira as impressões digitais com as publicadas pelo ITI.")
            return 0
        for c in raizes_oficiais():
            print(f"{_cn(c)}  SHA-256 {impressao(c)}  válida até {c.not_valid_after_utc.date()}")
        print(f"{len(intermediarias_oficiais())} ACs intermediárias.")
        return 0
    except (OSError, ValueError, AncoraAlterada) as erro:
        print(f"Erro: {erro}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
