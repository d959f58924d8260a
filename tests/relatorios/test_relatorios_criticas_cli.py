"""The críticas report PDF, the ``siops rreo`` / ``siops criticas`` verbs, and the layering of
``relatorios`` (it reads ``forms`` only)."""

from __future__ import annotations

import ast
import json
from datetime import datetime
from pathlib import Path

import pytest

from siops.forms.dinheiro import apresentar_percentual
from siops.relatorios import demonstrativo, pdf_criticas

RAIZ = Path(__file__).resolve().parents[2]


def _achados():
    from siops.criticas.achado import Achado

    return [
        Achado(
            585,
            500,
            "aviso",
            "Consórcio acima do rateio",
            "O total das despesas executadas em consórcio (R$ 12,00) é maior que o transferido.",
            "consorcios",
            "total",
            "empenhada",
        ),
        Achado(
            101,
            100,
            "impeditiva",
            "CPF inválido",
            "O CPF do Secretário de Saúde não é válido: confira os dígitos.",
            campo="secretario_cpf",
        ),
    ]


def test_relatorio_de_criticas(cheias, texto_pdf, norm):
    d = cheias[("M355030", 6)]
    dados = pdf_criticas(
        d,
        _achados(),
        grupos={100: "Dados Gerais", 500: "Despesas"},
        emitido_em=datetime(2026, 1, 20, 10, 0),
    )
    texto = texto_pdf(dados)
    n = norm(texto)
    assert "RELATÓRIO DE CRÍTICAS DA DECLARAÇÃO DO SIOPS" in n
    assert "1 crítica impeditiva e 1 aviso." in n
    assert "100 – Dados Gerais" in n and "500 – Despesas" in n
    assert "Impeditiva" in n and "Aviso" in n
    assert "O CPF do Secretário de Saúde não é válido: confira os dígitos." in n
    assert "Secretário(a) de Saúde — CPF" in n  # the location, from Achado.local(catálogo)
    assert n.index("101") < n.index("585")  # impeditivas first
    assert "Página 1 de 1" in texto
    assert "emitido em 20/01/2026 10:00" in n


def test_relatorio_sem_criticas(cheias, texto_pdf, norm):
    n = norm(texto_pdf(pdf_criticas(cheias[("E35", 2)], [])))
    assert "Nenhuma crítica encontrada" in n


@pytest.fixture
def pasta_ms(tmp_path, cheias):
    """Three bimestres of one município in the MS-SIOPS folder layout."""
    from siops.forms.gerador import declaracao_cheia
    from siops.ops_format import salvar
    from siops.ops_format.caminhos import nome_arquivo

    e = cheias[("M355030", 2)].ente
    caminhos = {}
    for b, nome in ((1, "Primeiro"), (2, "Segundo"), (3, "Terceiro")):
        d = declaracao_cheia(e, 2025, b, semente=10 + b)
        p = tmp_path / "MUNICIPAL" / "2025" / f"{nome}Bimestre" / nome_arquivo(e, 2025, b)
        p.parent.mkdir(parents=True)
        salvar(d, p)
        caminhos[b] = (p, d)
    return caminhos


def test_cli_rreo_com_json_e_grafico_dos_bimestres(pasta_ms, capsys, texto_pdf, norm):
    from siops.app.cli import main

    arq, d = pasta_ms[3]
    saida = arq.parent / "RREO.pdf"
    assert main(["rreo", str(arq), "-o", str(saida), "--json"]) == 0
    out = capsys.readouterr()
    doc = json.loads(out.out)
    assert doc["blocos"] == demonstrativo(d).para_dict()["blocos"]
    assert "gravado em" in out.err
    n = norm(texto_pdf(saida.read_bytes()))
    for b in (1, 2):
        ant = pasta_ms[b][1]
        assert apresentar_percentual(ant.indicadores("liquidada").percentual) + "%" in n


def test_cli_criticas_e_arquivo_invalido(pasta_ms, tmp_path, capsys):
    from siops.app.cli import main

    arq, _ = pasta_ms[2]
    assert main(["criticas", str(arq)]) == 0
    assert arq.with_name(f"{arq.stem}_CRITICAS.pdf").read_bytes().startswith(b"%PDF")
    ruim = tmp_path / "ruim.OPS"
    ruim.write_text("isto não é uma declaração", encoding="utf-8")
    capsys.readouterr()
    assert main(["rreo", str(ruim), "-o", str(tmp_path / "x.pdf")]) == 2
    err = capsys.readouterr().err
    assert err.startswith("siops: ") and "Traceback" not in err
    assert not (tmp_path / "x.pdf").exists()


def test_relatorios_so_le_forms():
    """relatorios imports no Qt, no app and no sibling core package (ARCHITECTURE)."""
    proibidos = {"PySide6", "shiboken6", "app", "ops_format", "criticas", "contabil", "servidor"}
    for arq in (RAIZ / "siops" / "relatorios").glob("*.py"):
        for no in ast.walk(ast.parse(arq.read_text(encoding="utf-8"))):
            nomes = []
            if isinstance(no, ast.Import):
                nomes = [a.name for a in no.names]
            elif isinstance(no, ast.ImportFrom) and no.module:
                nomes = [no.module]
            for nome in nomes:
                partes = nome.split(".")
                camada = partes[1] if partes[0] == "siops" and len(partes) > 1 else partes[0]
                assert camada not in proibidos, f"{arq.name} importa {nome}"
