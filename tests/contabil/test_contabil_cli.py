"""``siops importar-contabil``: preview by default, ``--aplicar`` saves, exit 2 with the line."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from siops.forms.declaracao import Declaracao

ops_format = pytest.importorskip("siops.ops_format")
from siops.app.cli import main  # noqa: E402

MSC = Path(__file__).parent / "dados" / "msc_3550308_2025_04.csv"


@pytest.fixture
def ops(tmp_path, municipio) -> Path:
    caminho = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    ops_format.salvar(Declaracao(municipio, 2025, 2), caminho)
    return caminho


def test_sem_aplicar_so_mostra(ops, capsys):
    antes = ops.read_bytes()
    assert main(["importar-contabil", str(ops), str(MSC)]) == 0
    out, err = capsys.readouterr()
    assert "101.300,25" in out and "Conciliação" in out
    assert "nada foi alterado" in err
    assert ops.read_bytes() == antes


def test_aplicar_json_e_tabelas(ops, capsys):
    rc = main(
        [
            "importar-contabil",
            str(ops),
            str(MSC),
            "--aplicar",
            "--json",
            "--tabelas",
            "receitas_base",
        ]
    )
    assert rc == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["aplicado"] is True and doc["tabelas_escolhidas"] == ["receitas_base"]
    assert all(c["fecha"] for c in doc["conciliacao"])
    base = next(t for t in doc["tabelas"] if t["id"] == "receitas_base")
    assert doc["celulas_alteradas"] == len(base["mudancas"]) > 0
    # the ledger's despesas by planilha: 4 (ASPS), 3 (recursos ordinários), 86 (SUS União)
    assert [p["codigo"] for p in doc["razao"]["planilhas"]] == ["4", "3", "86"]
    assert {"id": "despesa_fonte", "parte": False} in [
        {"id": t["id"], "parte": t["parte"]} for t in doc["tabelas"]
    ]
    d = ops_format.ler(ops)
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal("101300.25")
    assert d.valor(("despesas_asps", "s301_33", "paga")) == Decimal(0)
    # again, all tables: the receitas are already there, only the despesas change
    assert main(["importar-contabil", str(ops), str(MSC), "--aplicar", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    alteradas = {t["id"]: len(t["mudancas"]) for t in doc["tabelas"]}
    assert alteradas["receitas_base"] == 0 and alteradas["despesas_asps"] > 0
    assert main(["importar-contabil", str(ops), str(MSC), "--aplicar"]) == 0
    assert "Nada a alterar" in capsys.readouterr().err


def test_erro_com_a_linha_sai_com_2(ops, tmp_path, capsys):
    ruim = tmp_path / "ruim.csv"
    ruim.write_text(
        "3550308EX;2025-04\n"
        "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;"
        "Natureza_valor\n"
        "621200000;10131;PO;11125001;NR;1500;FR;;;;;;;abc;ending_balance;C\n",
        encoding="utf-8",
    )
    antes = ops.read_bytes()
    assert main(["importar-contabil", str(ops), str(ruim), "--aplicar"]) == 2
    err = capsys.readouterr().err
    assert "ruim.csv, linha 3" in err and "Nada foi alterado" in err
    assert ops.read_bytes() == antes


def test_tabela_desconhecida_e_coluna_mal_escrita(ops, capsys):
    assert main(["importar-contabil", str(ops), str(MSC), "--tabelas", "xyz"]) == 2
    assert "xyz" in capsys.readouterr().err
    assert main(["importar-contabil", str(ops), str(MSC), "--coluna", "realizada"]) == 2
    assert "CAMPO=Cabeçalho" in capsys.readouterr().err
