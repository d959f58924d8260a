"""The CSV interchange: `siops importar-planilha` all-or-nothing with Portuguese errors."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import pytest

from siops.forms.declaracao import Declaracao
from siops.forms.planilha import ErroPlanilha, exportar_csv, ler_csv

RAIZ = Path(__file__).resolve().parents[2]


def siops(*args: str, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "SIOPS_HOME": str(home)}
    return subprocess.run(
        [sys.executable, "-m", "siops.app.cli", *args],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


BOA = "tabela;linha;coluna;valor\nreceitas_base;iptu;realizada;1234.56\n"

RUINS = [
    ("tabela_x;iptu;realizada;10\n", "tabela desconhecida 'tabela_x'"),
    ("receitas_base;xpto;realizada;10\n", "não tem a linha 'xpto'"),
    ("receitas_base;iptu;realizada;dez reais\n", "não é um número"),
    ("receitas_base;iptu;realizada;10,123\n", "duas casas"),
    ("receitas_base;iptu;realizada;-10,00\n", "negativo"),
    (
        "receitas_base;total_base;realizada;10\nreceitas_base;iptu;realizada;10;x\n",
        "esperadas 4 colunas",
    ),
    ("receitas_base;iptu;realizada;1\nreceitas_base;iptu;realizada;2\n", "já apareceu"),
]


@pytest.mark.parametrize(("ruim", "motivo"), RUINS)
def test_ler_csv_aponta_linha_e_motivo(municipio, ruim, motivo):
    d = Declaracao(municipio, 2025, 1)
    with pytest.raises(ErroPlanilha) as e:
        ler_csv(d, BOA + ruim)
    assert motivo in str(e.value)
    assert e.value.linha >= 3


def test_importar_planilha_cli_nada_pela_metade(tmp_path):
    r = siops(
        "novo",
        "--ente",
        "M355030",
        "--exercicio",
        "2025",
        "--bimestre",
        "1",
        "-o",
        str(tmp_path / "d.OPS"),
        home=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    arq = tmp_path / "d.OPS"
    original = arq.read_bytes()
    for ruim, motivo in RUINS:
        planilha = tmp_path / "p.csv"
        planilha.write_text(BOA + ruim, encoding="utf-8")
        r = siops("importar-planilha", str(arq), str(planilha), home=tmp_path)
        assert r.returncode == 2, (ruim, r.stderr)
        assert "Linha " in r.stderr and motivo in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
        assert arq.read_bytes() == original  # nothing half-imported was saved
    planilha.write_text(BOA, encoding="utf-8")
    r = siops("importar-planilha", str(arq), str(planilha), home=tmp_path)
    assert r.returncode == 0, r.stderr
    r = siops("exportar", str(arq), "--formato", "csv", home=tmp_path)
    assert "receitas_base;iptu;realizada;1234.56" in r.stdout


def test_exportar_importar_identico(municipio):
    from siops.forms.gerador import declaracao_cheia
    from siops.forms.razao import linhas

    d = declaracao_cheia(municipio, 2025, 6)
    d.carregar(
        d.celulas_digitadas(),
        {"secretario_nome": "Maria José; da Silva", "fundo_cnpj": "12.345.678/0001-95"},
        linhas(d.razao()),  # the ledger travels in the CSV too (razao;… rows)
    )
    texto = exportar_csv(d)
    nova = Declaracao(municipio, 2025, 6)
    nova.aplicar(ler_csv(nova, texto))
    assert exportar_csv(nova) == texto
    assert (
        nova.valor(("receitas_base", "total_base", "realizada"))
        == d.valor(("receitas_base", "total_base", "realizada"))
        > D(0)
    )
