"""Issue 20, items 13 and 14: the minimum to the centavo.

Compliance is decided on the exact (unrounded) minimum; XVII prints it rounded once, half up,
to the centavo; XVIII is never R$ 0,00 when the valor aplicado is below the exact minimum. So
the percentage, XVIII, XIX, the críticas and the RREO's summary always agree. The figures are
the issue's, worked out by hand in the comments.
"""

from __future__ import annotations

from decimal import Decimal as D

from siops.criticas import verificar
from siops.forms.declaracao import Declaracao, DefinirTexto
from siops.relatorios.anexo12 import demonstrativo

RB = "receitas_base"
ASPS = ("despesas_asps", "s301_33")


def _definir(d: Declaracao, valores: dict) -> None:
    for k, v in valores.items():
        d.aplicar(d.comando_celula(k, D(v)))  # through the ledger for Anexo 12 leaves


def _asps(d: Declaracao, valor: str) -> None:
    _definir(
        d,
        {
            (*ASPS, "dotacao_atualizada"): valor,
            (*ASPS, "empenhada"): valor,
            (*ASPS, "liquidada"): valor,
            (*ASPS, "paga"): valor,
        },
    )


def _municipio_da_issue(municipio, aplicado: str, bimestre: int = 6) -> Declaracao:
    d = Declaracao(municipio, 2025, bimestre)
    _definir(d, {(RB, "iptu", "realizada"): "8055679.03"})
    _asps(d, aplicado)
    return d


def test_um_centavo_abaixo_do_produto_exato_nao_cumpre(municipio):
    # III = 8.055.679,03; 15% of it = 1.208.351,8545 (exact). XVII prints 1.208.351,85 (half
    # up). XVI = 1.208.351,85 < 1.208.351,8545: the minimum is NOT met, by 0,0045 → XVIII and
    # XIX show −0,01 (never 0,00), and 1.208.351,85 / 8.055.679,03 = 14,99999944…% → 14,99%.
    d = _municipio_da_issue(municipio, "1208351.85")
    i = d.indicadores("empenhada")
    assert i.base == D("8055679.03")
    assert i.despesa_minima == D("1208351.85")
    assert i.diferenca == D("-0.01")
    assert i.limite_nao_cumprido == D("-0.01")
    assert str(i.percentual).startswith("14.99")
    assert 611 in [a.codigo for a in verificar(d)]
    resumo = demonstrativo(d).resumo
    assert resumo.diferenca < 0


def test_um_centavo_acima_cumpre(municipio):
    # XVI = 1.208.351,86 ≥ 1.208.351,8545: met; XVIII = 1.208.351,86 − 1.208.351,85 = 0,01;
    # XIX = 0; 1.208.351,86 / 8.055.679,03 = 15,0000001…% → 15,00%.
    d = _municipio_da_issue(municipio, "1208351.86")
    i = d.indicadores("empenhada")
    assert i.diferenca == D("0.01")
    assert i.limite_nao_cumprido == 0
    assert i.percentual >= 15
    assert 611 not in [a.codigo for a in verificar(d)]


def test_df_arredonda_uma_vez_na_soma(distrito_federal):
    # (I) 7.210.000,05 × 12% = 865.200,006; (II) 3.351.000,05 × 15% = 502.650,0075;
    # sum = 1.367.850,0135 → XVII = 1.367.850,01 (each part rounded first gave ,02).
    d = Declaracao(distrito_federal, 2025, 6)
    _definir(
        d,
        {
            (RB, "icms_principal", "realizada"): "7210000.05",
            (RB, "iptu", "realizada"): "3351000.05",
        },
    )
    _asps(d, "1367850.01")
    i = d.indicadores("empenhada")
    assert i.base == D("10561000.10")
    assert i.despesa_minima == D("1367850.01")
    # XVI = 1.367.850,01 < 1.367.850,0135: short by 0,0035 → −0,01.
    assert i.diferenca == D("-0.01")
    _asps(d, "1367850.02")
    assert d.indicadores("empenhada").diferenca == D("0.01")


def test_lei_organica_maior_vale_com_produto_exato(municipio):
    # III = 8.055.679,03 × 15,5% = 1.248.630,24965 → XVII 1.248.630,25; XVI = 1.248.630,25
    # covers it (≥ 1.248.630,24965): XVIII = 0,00, met.
    d = _municipio_da_issue(municipio, "1248630.25")
    d.aplicar(DefinirTexto("percentual_lei_organica", "15,5"))
    i = d.indicadores("empenhada")
    assert i.despesa_minima == D("1248630.25")
    assert i.diferenca == 0
    assert i.limite_nao_cumprido == 0


def test_calcular_em_texto_mostra_a_coluna_legal(municipio, tmp_path, capsys):
    # Issue 20.16: `siops calcular` (text) follows the bimestre's legal column, as the JSON
    # does: in the 3º bimestre the liquidada. III = 8.055.679,03; XII empenhada 2.000.000,00,
    # liquidada 1.208.351,86 → XVI printed is the liquidada, 1.208.351,86 (never 2.000.000,00).
    from siops.app.cli import main
    from siops.ops_format import salvar

    d = _municipio_da_issue(municipio, "2000000.00", bimestre=3)
    _definir(d, {(*ASPS, "liquidada"): "1208351.86", (*ASPS, "paga"): "1208351.86"})
    arquivo = tmp_path / "d.OPS"
    salvar(d, arquivo)
    assert main(["calcular", str(arquivo)]) == 0
    saida = capsys.readouterr().out
    assert "liquidada até o bimestre" in saida
    linha_xvi = next(x for x in saida.splitlines() if x.strip().startswith("(XVI)"))
    assert linha_xvi.rstrip().endswith("1.208.351,86")
    linha_xii = next(x for x in saida.splitlines() if x.strip().startswith("(XII)"))
    assert linha_xii.rstrip().endswith("1.208.351,86")
