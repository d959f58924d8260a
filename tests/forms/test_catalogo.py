"""The catalog: structure, numerals against the Tesouro's model, and `siops catalogo`."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
from pathlib import Path

import pytest

from siops.forms.catalogo import ESFERAS, catalogo

RAIZ = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("esfera", ESFERAS)
@pytest.mark.parametrize("exercicio", [2021, 2024, 2025, 2026])
def test_catalogo_compila_e_e_coerente(esfera, exercicio):
    cat = catalogo(esfera, exercicio)
    # every table in exactly one pasta
    nas_pastas = [t for p in cat.pastas for t in p.tabelas]
    assert sorted(nas_pastas) == sorted(cat.tabelas)
    # every text-field group in a pasta
    assert {c.grupo for c in cat.campos.values()} == {g for p in cat.pastas for g in p.grupos}
    # ids unique within tables; every cell is typed xor derived
    for t in cat.tabelas.values():
        ids = [x.id for x in t.linhas]
        assert len(ids) == len(set(ids)), t.id
    for k in cat.celulas:
        # every cell is exactly one of: typed, computed by formula, fed by the ledger
        assert [k in cat.editaveis, k in cat.formulas, k in cat.agregadas].count(True) == 1, k
    # despesa leaves carry subfunção and grupo; receita leaves of the base carry a natureza
    for t, linha in cat.iter_linhas():
        if t.id in ("despesas_asps", "despesas_nao_computadas") and linha.regra is None:
            assert linha.subfuncao and linha.grupo in ("3.1", "3.2", "3.3", "4.4", "4.5", "4.6")
        if t.id == "receitas_base" and linha.regra is None:
            assert linha.natureza(exercicio), linha.id


# Numerals as printed by the Tesouro's model (13ª edição), sheet by sheet.
MODELO = {
    "municipal": {
        ("receitas_base", "total_base"): "III",
        ("despesas_asps", "total"): "XI",
        ("apuracao", "valor_aplicado"): "XVI",
        ("apuracao", "despesa_minima"): "XVII",
        ("apuracao", "limite_nao_cumprido"): "XIX",
        ("controle_minimo", "total"): "XX",
        ("rp_cancelados_limite", "no_exercicio_atual"): "XXIII",
        ("controle_rp_cancelados", "total"): "XXVII",
        ("receitas_adicionais", "transferencias_saude"): "XXVIII",
        ("receitas_adicionais", "total"): "XXXI",
        ("despesas_nao_computadas", "total"): "XXXIX",
        ("despesas_totais", "s301"): "XL",
        ("despesas_totais", "total"): "XLVII",
    },
    "estadual": {
        ("receitas_base", "deducoes"): "III",
        ("receitas_base", "total_base"): "IV",
        ("despesas_asps", "total"): "XII",
        ("apuracao", "valor_aplicado"): "XVII",
        ("apuracao", "despesa_minima"): "XVIII",
        ("controle_minimo", "total"): "XXI",
        ("controle_rp_cancelados", "total"): "XXVIII",
        ("receitas_adicionais", "total"): "XXXII",
        ("despesas_nao_computadas", "total"): "XL",
        ("despesas_totais", "total"): "XLVIII",
    },
    "df": {
        ("receitas_base", "competencia_estadual"): "I",
        ("receitas_base", "competencia_municipal"): "II",
        ("receitas_base", "total_base"): "III",
        ("despesas_asps", "total"): "XI",
        ("apuracao", "despesa_minima"): "XVII",
        ("receitas_adicionais", "total"): "XXXI",
        ("despesas_totais", "total"): "XLVII",
    },
}


@pytest.mark.parametrize("esfera", ESFERAS)
def test_numerais_do_modelo_2024(esfera):
    cat = catalogo(esfera, 2024)
    for chave, numeral in MODELO[esfera].items():
        assert cat.numerais[chave] == numeral, chave


def test_layout_2025_tem_uma_linha_a_mais_depois_de_xix():
    # DOMAIN §7: SIOPS's 2026 table numbers receitas adicionais XXIX–XXXII, total não
    # computadas XL, total XLVIII and recursos próprios XLIX.
    cat = catalogo("municipal", 2025)
    assert cat.numerais[("receitas_adicionais", "transferencias_saude")] == "XXIX"
    assert cat.numerais[("despesas_nao_computadas", "total")] == "XL"
    assert cat.numerais[("despesas_totais", "total")] == "XLVIII"
    assert cat.numerais[("despesas_totais", "total_recursos_proprios")] == "XLIX"


def test_naturezas_mudam_em_2022():
    assert (
        catalogo("municipal", 2021).tabela("receitas_base").linha("iptu").natureza(2021)
        == "1.1.1.8.01.1"
    )
    assert (
        catalogo("municipal", 2025).tabela("receitas_base").linha("iptu").natureza(2025)
        == "1.1.1.2.50.0"
    )


@pytest.mark.parametrize("esfera", ESFERAS)
def test_siops_catalogo_csv_lista_todas_as_celulas(esfera):
    r = subprocess.run(
        [sys.executable, "-m", "siops.app.cli", "catalogo", "--esfera", esfera, "--csv"],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    linhas = list(csv.DictReader(io.StringIO(r.stdout), delimiter=";"))
    cat = catalogo(esfera, 2025)
    celulas = {(x["tabela"], x["linha"], x["coluna"]) for x in linhas if x["tabela"] != "campo"}
    assert celulas == set(cat.celulas)
    campos = {x["linha"] for x in linhas if x["tabela"] == "campo"}
    assert campos == set(cat.campos)
    iptu = [x for x in linhas if x["linha"] in ("iptu", "fpe") and x["coluna"] == "realizada"]
    assert iptu and all(x["natureza"] for x in iptu)
    desp = [x for x in linhas if x["tabela"] == "despesas_asps" and x["linha"] == "s301_31"]
    assert {x["subfuncao"] for x in desp} == {"301"} and {x["grupo"] for x in desp} == {"3.1"}


def test_linhas_do_df_sao_as_dos_estados_e_municipios():
    # Issue 18.5: the DF's base is built from the state's and the municipal rows, so they
    # cannot drift (the FPE used to be UNCONFIRMED for states and not for the DF).
    from dataclasses import replace

    from siops.forms.catalogo import RECEITAS_BASE, catalogo

    df = catalogo("df", 2025).tabela(RECEITAS_BASE)
    ids_df = {"ipi_exportacao_municipal": "ipi_exportacao"}
    ids_df["outras_transferencias_municipais"] = "outras_transferencias"
    for esfera, linhas in (
        ("estadual", ("icms", "icms_principal", "icms_fcp", "itcd", "ipva", "irrf", "fpe")),
        ("estadual", ("ipi_exportacao", "outras_transferencias")),
        ("municipal", ("iptu", "itbi", "iss", "fpm", "itr")),
        ("municipal", ("ipi_exportacao_municipal", "outras_transferencias_municipais")),
    ):
        origem = catalogo(esfera, 2025).tabela(RECEITAS_BASE)
        for lid in linhas:
            x = df.linha(lid)
            y = origem.linha(ids_df.get(lid, lid) if esfera == "municipal" else lid)
            assert replace(x, id=y.id, nivel=y.nivel) == y, lid
    assert (
        df.linha("fpe").incerto
        == catalogo("estadual", 2025).tabela(RECEITAS_BASE).linha("fpe").incerto
        != ""
    )


def test_chaves_conhecidas_existem_nas_tres_esferas():
    from siops.forms.catalogo import BASE, ESFERAS, catalogo

    for esfera in ESFERAS:
        assert catalogo(esfera, 2025).existe(BASE)
