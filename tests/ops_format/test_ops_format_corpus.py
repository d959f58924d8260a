"""The bad-file corpus (tests/data/bad/): every file is refused by the CLI with exit status 2,
within 2 s, with one Portuguese sentence naming what is wrong and where, never a traceback,
and the file is left byte for byte as it was.

The format part of every file verb is ``ops_format.ler``; the corpus goes through ``siops
validar`` (the issue's acceptance; the verb itself belongs to the críticas) and ``siops
calcular``.
"""

from __future__ import annotations

import csv
import hashlib
import re
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from siops.ops_format import ArquivoInvalido, ler

DADOS = Path(__file__).resolve().parents[2] / "tests" / "data"
BAD = DADOS / "bad"
ESPERADO = {
    r["arquivo"]: r
    for r in csv.DictReader(
        (BAD / "esperado.tsv").read_text(encoding="utf-8").splitlines(), delimiter="\t"
    )
}
# Words of libxml2's and Python's English messages that must never reach the user.
INGLES = re.compile(
    r"Traceback|Error\b|Element '|expected|not |line \d|column|Exception|\{urn:|None\b"
)


def _sentenca_em_portugues(mensagem: str) -> None:
    assert mensagem.startswith("siops: Arquivo "), mensagem
    assert mensagem.endswith("."), mensagem
    assert "\n" not in mensagem, mensagem
    assert not INGLES.search(mensagem), mensagem


@pytest.fixture(scope="module")
def corpus_grande(tmp_path_factory) -> list[Path]:
    """The files too big (or not files at all) to commit, made at test time."""
    pasta = tmp_path_factory.mktemp("bad-grandes")
    base = (BAD / "valor_com_letras.OPS").read_bytes()
    grande = pasta / "cinquenta_mb.OPS"
    with open(grande, "wb") as f:
        f.write(base[: base.index(b"<celulas>") + 9])
        linha = b'    <c t="receitas_base" l="iptu" k="realizada">1.00</c>\n'
        f.write(linha * (50 * 1024 * 1024 // len(linha) + 1))
        f.write(b"</celulas></declaracao>\n")
    vinte_e_um = pasta / "vinte_e_um_mb_de_comentario.OPS"
    vinte_e_um.write_bytes(
        base.replace(b"<campos>", b"<!--" + b"x" * (21 * 1024 * 1024) + b"--><campos>")
    )
    bomba = pasta / "bomba_quadratica.OPS"
    entidade = "A" * 50_000
    bomba.write_bytes(
        f'<?xml version="1.0"?>\n<!DOCTYPE k [<!ENTITY a "{entidade}">]>\n<k>{"&a;" * 50_000}</k>'.encode()
    )
    pasta_ops = pasta / "uma_pasta.OPS"
    pasta_ops.mkdir()
    return [grande, vinte_e_um, bomba, pasta_ops]


def test_o_corpus_tem_pelo_menos_40_arquivos_e_cada_um_tem_o_motivo_esperado():
    arquivos = sorted(p.name for p in BAD.glob("*.OPS"))
    assert len(arquivos) >= 40
    assert sorted(ESPERADO) == arquivos
    for nome in (
        "truncado_metade.OPS",
        "nao_xml.OPS",
        "raiz_errada.OPS",
        "namespace_errado.OPS",
        "versao_nova.OPS",
        "xxe_etc_passwd.OPS",
        "bilhao_de_risos.OPS",
        "aninhamento_300.OPS",
        "valor_com_letras.OPS",
        "valor_tres_decimais.OPS",
        "valor_10e20.OPS",
        "valor_nan.OPS",
        "celula_duplicada.OPS",
        "linha_desconhecida.OPS",
        "latin1_declarado_utf8.OPS",
        "vazio.OPS",
    ):  # the kinds the issue names
        assert nome in ESPERADO


@pytest.mark.parametrize("nome", sorted(ESPERADO))
def test_ler_recusa_com_o_motivo_e_a_linha(nome):
    with pytest.raises(ArquivoInvalido) as exc:
        ler(BAD / nome)
    e = ESPERADO[nome]
    msg = str(exc.value)
    assert msg.startswith(f"Arquivo {nome}")
    assert e["trecho"] in msg
    if e["linha"]:
        assert exc.value.linha == int(e["linha"]), msg
        assert f", linha {e['linha']}: " in msg


def _rodar(siops, verbo: str, arq: Path) -> tuple[Path, float, object, str, str]:
    antes = hashlib.sha256(arq.read_bytes()).hexdigest() if arq.is_file() else None
    t = time.perf_counter()
    r = siops(verbo, arq, timeout=30)
    dt = time.perf_counter() - t
    depois = hashlib.sha256(arq.read_bytes()).hexdigest() if arq.is_file() else None
    assert antes == depois, f"{arq.name} foi alterado"
    return arq, dt, r, antes, depois


@pytest.mark.parametrize("verbo", ["validar", "calcular"])
def test_cli_recusa_cada_arquivo_ruim_com_status_2_em_menos_de_2s(siops, corpus_grande, verbo):
    arquivos = sorted(BAD.glob("*.OPS")) + corpus_grande
    with ThreadPoolExecutor(max_workers=2) as ex:
        resultados = list(ex.map(lambda a: _rodar(siops, verbo, a), arquivos))
    assert len(resultados) >= 44
    for arq, dt, r, _, _ in resultados:
        assert r.returncode == 2, (arq.name, r.returncode, r.stderr)
        assert r.stdout == ""
        linhas = r.stderr.splitlines()
        assert len(linhas) == 1, (arq.name, r.stderr)
        _sentenca_em_portugues(linhas[0])
        assert arq.name in linhas[0]
        if arq.name in ESPERADO:
            assert ESPERADO[arq.name]["trecho"] in linhas[0]
        assert dt < 2.0, f"{arq.name}: {dt:.2f} s"
    motivos = {a.name: r.stderr for a, _, r, _, _ in resultados}
    assert "mais que o limite de 20 MB" in motivos["cinquenta_mb.OPS"]
    assert "mais que o limite de 20 MB" in motivos["vinte_e_um_mb_de_comentario.OPS"]
    assert "DOCTYPE" in motivos["bomba_quadratica.OPS"]
    assert "é uma pasta" in motivos["uma_pasta.OPS"]


def test_arquivo_inexistente(siops, tmp_path):
    r = siops("calcular", tmp_path / "nao_existe.OPS")
    assert r.returncode == 2
    assert r.stderr == "siops: Arquivo nao_existe.OPS: o arquivo não foi encontrado.\n"
