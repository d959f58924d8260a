"""Worked examples of the apuração, computed by hand from LC 141/2012 and the Anexo 12 model.

The expected figures below are worked out in the comments from the law's formulas, never by
calling the code under test. The values go in through the ledger (issue 19): each Anexo 12
cell named below is filled by its canonical ledger line (``Declaracao.comando_celula``: the
receita's natureza; planilha 4 or 10, the subfunção and the grupo's natureza for a despesa).
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from siops.forms.declaracao import (
    Declaracao,
    DefinirCelula,
    DefinirLancamento,
    DefinirTexto,
    EdicaoInvalida,
)
from siops.forms.razao import ChaveReceita


def preencher(d: Declaracao, valores: dict) -> None:
    for (t, linha, c), v in valores.items():
        d.aplicar(d.comando_celula((t, linha, c), D(v)))


def despesa(d: Declaracao, tabela: str, linha: str, emp: str, liq: str, pag: str) -> None:
    preencher(
        d,
        {
            (tabela, linha, "empenhada"): emp,
            (tabela, linha, "liquidada"): liq,
            (tabela, linha, "paga"): pag,
        },
    )


def test_exemplo_municipal(municipio):
    d = Declaracao(municipio, 2025, 2)
    rb = "receitas_base"
    preencher(
        d,
        {
            (rb, "iptu", "realizada"): "100000.00",
            (rb, "itbi", "realizada"): "50000.50",
            (rb, "iss", "realizada"): "200000.25",
            (rb, "irrf", "realizada"): "30000.00",
            (rb, "fpm", "realizada"): "1000000.00",
            (rb, "itr", "realizada"): "10000.10",
            (rb, "ipva", "realizada"): "80000.00",
            (rb, "icms", "realizada"): "500000.00",
            (rb, "ipi_exportacao", "realizada"): "5000.00",
            (rb, "outras_transferencias", "realizada"): "15000.00",
        },
    )
    # (I) = 100.000,00 + 50.000,50 + 200.000,25 + 30.000,00 = 380.000,75
    assert d.valor((rb, "impostos", "realizada")) == D("380000.75")
    # (II) = 1.000.000,00 + 10.000,10 + 80.000,00 + 500.000,00 + 5.000,00 + 15.000,00
    #      = 1.610.000,10
    assert d.valor((rb, "transferencias", "realizada")) == D("1610000.10")
    # (III) = (I) + (II) = 1.990.000,85
    assert d.valor((rb, "total_base", "realizada")) == D("1990000.85")

    da = "despesas_asps"
    despesa(d, da, "s301_31", "150000.00", "120000.00", "100000.00")
    despesa(d, da, "s301_33", "60000.00", "50000.00", "40000.00")
    despesa(d, da, "s302_33", "90000.33", "80000.33", "70000.33")
    despesa(d, da, "s302_44", "20000.00", "10000.00", "5000.00")
    despesa(d, da, "outras_31", "30000.00", "30000.00", "30000.00")
    preencher(
        d,
        {
            ("apuracao", "recursos_minimo_nao_aplicado", "empenhada"): "1000.00",
            ("apuracao", "recursos_minimo_nao_aplicado", "liquidada"): "1000.00",
            ("apuracao", "recursos_minimo_nao_aplicado", "paga"): "500.00",
        },
    )
    # (XI) d = 150.000 + 60.000 + 90.000,33 + 20.000 + 30.000 = 350.000,33
    #      e = 120.000 + 50.000 + 80.000,33 + 10.000 + 30.000 = 290.000,33
    #      f = 100.000 + 40.000 + 70.000,33 + 5.000 + 30.000 = 245.000,33
    assert d.valor((da, "total", "empenhada")) == D("350000.33")
    assert d.valor((da, "total", "liquidada")) == D("290000.33")
    assert d.valor((da, "total", "paga")) == D("245000.33")
    # subtotals: Atenção Básica (IV) d = 210.000,00; its Despesas Correntes = 210.000,00
    assert d.valor((da, "s301", "empenhada")) == D("210000.00")
    assert d.valor((da, "s302_capital", "empenhada")) == D("20000.00")
    # (XVI) = (XII) − (XIII) − (XIV) − (XV): d 350.000,33 − 1.000 = 349.000,33;
    #         e 290.000,33 − 1.000 = 289.000,33; f 245.000,33 − 500 = 244.500,33
    i_d, i_e, i_f = (d.indicadores(c) for c in ("empenhada", "liquidada", "paga"))
    assert (i_d.valor_aplicado, i_e.valor_aplicado, i_f.valor_aplicado) == (
        D("349000.33"),
        D("289000.33"),
        D("244500.33"),
    )
    # (XVII) = (III) × 15% = 1.990.000,85 × 0,15 = 298.500,1275 → 298.500,13
    assert i_d.despesa_minima == D("298500.13")
    # (XVIII) d = 349.000,33 − 298.500,13 = 50.500,20; e = 289.000,33 − 298.500,13 = −9.499,80
    #         f = 244.500,33 − 298.500,13 = −53.999,80
    assert (i_d.diferenca, i_e.diferenca, i_f.diferenca) == (
        D("50500.20"),
        D("-9499.80"),
        D("-53999.80"),
    )
    # (XIX): 0 when (XVIII) ≥ 0, else (XVIII)
    assert (i_d.limite_nao_cumprido, i_e.limite_nao_cumprido, i_f.limite_nao_cumprido) == (
        D("0.00"),
        D("-9499.80"),
        D("-53999.80"),
    )
    # % = XVI / III × 100, truncated to six places: 349.000,33 / 1.990.000,85 = 17,5376975…%;
    #     289.000,33 / 1.990.000,85 = 14,5226234…%; 244.500,33 / 1.990.000,85 = 12,2864435…%
    assert i_d.percentual == D("17.537697")
    assert i_e.percentual == D("14.522623")
    assert i_f.percentual == D("12.286443")
    assert i_d.percentual_minimo == D(15)
    # Before the 6º bimestre the apuração follows the liquidada (nota 1 of the Anexo 12).
    assert d.coluna_apuracao == "liquidada"

    # A Lei Orgânica of 18%: (XVII) = 1.990.000,85 × 0,18 = 358.200,153 → 358.200,15
    d.aplicar(DefinirTexto("percentual_lei_organica", "18"))
    assert d.indicadores().despesa_minima == D("358200.15")
    assert d.indicadores().percentual_minimo == D(18)
    # A Lei Orgânica lower than 15% does not lower the minimum.
    d.aplicar(DefinirTexto("percentual_lei_organica", "12,5"))
    assert d.indicadores().despesa_minima == D("298500.13")


def test_exemplo_estadual(estado):
    d = Declaracao(estado, 2025, 6)
    rb = "receitas_base"
    preencher(
        d,
        {
            (rb, "icms_principal", "realizada"): "10000000.00",
            (rb, "icms_fcp", "realizada"): "200000.00",
            (rb, "itcd", "realizada"): "300000.00",
            (rb, "ipva", "realizada"): "2000000.00",
            (rb, "irrf", "realizada"): "500000.00",
            (rb, "fpe", "realizada"): "5000000.00",
            (rb, "ipi_exportacao", "realizada"): "400000.00",
            (rb, "outras_transferencias", "realizada"): "100000.00",
            (rb, "deducao_icms", "realizada"): "2550000.00",
            (rb, "deducao_ipva", "realizada"): "1000000.00",
            (rb, "deducao_ipi", "realizada"): "100000.00",
        },
    )
    # (I) = 10.000.000 + 200.000 + 300.000 + 2.000.000 + 500.000 = 13.000.000,00
    assert d.valor((rb, "impostos", "realizada")) == D("13000000.00")
    # (II) = 5.000.000 + 400.000 + 100.000 = 5.500.000,00
    assert d.valor((rb, "transferencias", "realizada")) == D("5500000.00")
    # (III) deduções = 2.550.000 + 1.000.000 + 100.000 = 3.650.000,00
    assert d.valor((rb, "deducoes", "realizada")) == D("3650000.00")
    # (IV) = (I) + (II) − (III) = 14.850.000,00
    assert d.valor((rb, "total_base", "realizada")) == D("14850000.00")
    despesa(d, "despesas_asps", "s302_33", "2000000.00", "1500000.00", "1200000.00")
    i_d, i_e, i_f = (d.indicadores(c) for c in ("empenhada", "liquidada", "paga"))
    # (XII) = (XIII) = 2.000.000,00 / 1.500.000,00 / 1.200.000,00 (no deductions)
    assert i_d.total_asps == D("2000000.00")
    assert i_d.valor_aplicado == D("2000000.00")
    # (XVIII) minimum = (IV) × 12% = 1.782.000,00
    assert i_d.despesa_minima == D("1782000.00")
    # diferença d = 218.000,00; e = 1.500.000 − 1.782.000 = −282.000,00; f = −582.000,00
    assert (i_d.diferenca, i_e.diferenca, i_f.diferenca) == (
        D("218000.00"),
        D("-282000.00"),
        D("-582000.00"),
    )
    assert i_d.limite_nao_cumprido == D("0.00")
    assert i_e.limite_nao_cumprido == D("-282000.00")
    # % d = 2.000.000 / 14.850.000 = 13,468013…; e = 10,101010…; f = 8,080808…
    assert i_d.percentual == D("13.468013")
    assert i_e.percentual == D("10.101010")
    assert i_f.percentual == D("8.080808")
    assert i_d.percentual_minimo == D(12)
    # 6º bimestre: the apuração follows the empenhada, and (g) = (d) − (e) = 500.000,00
    assert d.coluna_apuracao == "empenhada"
    assert d.valor(("despesas_asps", "s302_33", "rp_nao_processados")) == D("500000.00")
    assert d.valor(("despesas_asps", "total", "rp_nao_processados")) == D("500000.00")


def test_exemplo_df(distrito_federal):
    assert distrito_federal.esfera == "df"
    d = Declaracao(distrito_federal, 2025, 3)
    rb = "receitas_base"
    preencher(
        d,
        {
            (rb, "icms_principal", "realizada"): "6000000.00",
            (rb, "ipva", "realizada"): "1000000.00",
            (rb, "fpe", "realizada"): "500000.00",
            (rb, "iss", "realizada"): "2000000.00",
            (rb, "iptu", "realizada"): "500000.00",
        },
    )
    # (I) competência estadual = 6.000.000 + 1.000.000 + 500.000 = 7.500.000,00
    assert d.valor((rb, "competencia_estadual", "realizada")) == D("7500000.00")
    # (II) competência municipal = 2.000.000 + 500.000 = 2.500.000,00
    assert d.valor((rb, "competencia_municipal", "realizada")) == D("2500000.00")
    # (III) = 10.000.000,00
    assert d.valor((rb, "total_base", "realizada")) == D("10000000.00")
    despesa(d, "despesas_asps", "s301_33", "1300000.00", "1200000.00", "1000000.00")
    i_d, i_e = d.indicadores("empenhada"), d.indicadores("liquidada")
    # (XVII) = (I) × 12% + (II) × 15% = 900.000 + 375.000 = 1.275.000,00
    assert i_d.despesa_minima == D("1275000.00")
    # blended minimum = 1.275.000 / 10.000.000 = 12,75%
    assert i_d.percentual_minimo == D("12.750000")
    # diferença d = 1.300.000 − 1.275.000 = 25.000,00; e = 1.200.000 − 1.275.000 = −75.000,00
    assert (i_d.diferenca, i_e.diferenca) == (D("25000.00"), D("-75000.00"))
    # % d = 13,00; e = 12,00
    assert (i_d.percentual, i_e.percentual) == (D("13.000000"), D("12.000000"))
    # Lei Orgânica 14%: (III) × 14% = 1.400.000,00 > 1.275.000,00, so it applies.
    d.aplicar(DefinirTexto("percentual_lei_organica", "14"))
    assert d.indicadores().despesa_minima == D("1400000.00")


def test_celula_calculada_nao_editavel(municipio):
    d = Declaracao(municipio, 2025, 1)
    with pytest.raises(EdicaoInvalida, match="calculada"):
        d.aplicar(DefinirCelula(("receitas_base", "total_base", "realizada"), D(1)))
    with pytest.raises(EdicaoInvalida, match="6º bimestre"):
        d.aplicar(DefinirCelula(("apuracao", "rp_sem_disponibilidade", "empenhada"), D(1)))
    # an Anexo 12 leaf is a view of the ledger now: typing into it is refused with the reason
    with pytest.raises(EdicaoInvalida, match="razão"):
        d.aplicar(DefinirCelula(("receitas_base", "iptu", "realizada"), D("1.00")))
    iptu = ChaveReceita.de("1.1.1.2.50.0.1")
    with pytest.raises(EdicaoInvalida, match="negativo"):
        d.aplicar(DefinirLancamento(iptu, "realizada", D("-1.00")))
    with pytest.raises(EdicaoInvalida, match="duas casas"):
        d.aplicar(DefinirLancamento(iptu, "realizada", D("1.001")))
    assert not d.modificada


def test_rp_nao_processados_zero_antes_do_6o(municipio):
    d = Declaracao(municipio, 2025, 5)
    despesa(d, "despesas_asps", "s301_31", "100.00", "60.00", "50.00")
    assert d.valor(("despesas_asps", "s301_31", "rp_nao_processados")) == D("0.00")


def test_base_zero_nao_divide(municipio):
    d = Declaracao(municipio, 2025, 1)
    despesa(d, "despesas_asps", "s301_31", "100.00", "60.00", "50.00")
    assert d.indicadores().percentual == D("0")
