"""Issue 20, the rules that were missing (items 5, 6, 8–12), with the figures worked by hand.

Every case starts from the clean declaration of ``conftest`` (base R$ 1.000.000,00; ASPS
R$ 200.000,00 empenhados e liquidados, R$ 150.000,00 pagos; the states deduct R$ 250.000,00 of
ICMS, so their base is R$ 750.000,00) and changes one thing. Typed values are kept as typed:
the rules point at them, they never replace them.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from siops.criticas import IMPEDITIVA, REGRAS, Referencia, verificar
from siops.forms.catalogo import catalogo
from siops.forms.declaracao import IncluirLinha
from siops.forms.razao import ChaveReceita

D = Decimal
AP = "apuracao"
RB = "receitas_base"
RT = "receitas_totais"
RP = "rp_execucao"


def _de(achados, codigo):
    return [a for a in achados if a.codigo == codigo]


def _um(achados, codigo):
    deste = _de(achados, codigo)
    assert len(deste) == 1, [(a.codigo, a.mensagem) for a in achados]
    return deste[0]


def _receita(d, nr: str, valor: str) -> None:
    """A ledger receita line (natureza ``nr``) with previsão and realizada equal to ``valor``."""
    v = D(valor)
    d.aplicar(
        IncluirLinha(
            ChaveReceita.de(nr),
            (("previsao_inicial", v), ("previsao_atualizada", v), ("realizada", v)),
        )
    )


# --- item 5: XIII only in column (d), and at most the RP não processados of ASPS (g) ----------


def test_xiii_so_na_coluna_d(cx, municipio):
    d = cx.limpa(municipio, 6)
    cx.definir(d, (AP, "rp_sem_disponibilidade", "liquidada"), "0.01")
    a = _um(verificar(d), 604)
    assert a.impeditiva and (a.tabela, a.linha, a.coluna) == (
        AP,
        "rp_sem_disponibilidade",
        "liquidada",
    )
    assert "só na coluna das despesas empenhadas (d)" in a.mensagem
    assert "R$ 0,01" in a.mensagem
    # the typed value is kept (nothing typed is lost): the rule only points at it
    assert d.valor((AP, "rp_sem_disponibilidade", "liquidada")) == D("0.01")
    cx.definir(d, (AP, "rp_sem_disponibilidade", "liquidada"), "0")
    cx.definir(d, (AP, "rp_sem_disponibilidade", "paga"), "5")
    assert [a.coluna for a in _de(verificar(d), 604)] == ["paga"]


def test_xiii_no_maximo_os_rp_nao_processados_de_asps(cx, municipio):
    # 6º bimestre: liquidada 180.000,00 of 200.000,00 empenhados, so the RP não processados
    # inscritos in ASPS (g) = (d) − (e) = 200.000,00 − 180.000,00 = 20.000,00.
    d = cx.limpa(municipio, 6)
    cx.definir(d, ("despesas_asps", "s301_33", "liquidada"), "180000")
    assert d.valor(("despesas_asps", "total", "rp_nao_processados")) == D("20000.00")
    cx.definir(d, (AP, "rp_sem_disponibilidade", "empenhada"), "20000.01")
    a = _um(verificar(d), 605)
    assert a.impeditiva
    assert "R$ 20.000,01" in a.mensagem and "R$ 20.000,00" in a.mensagem
    assert "diferença de R$ 0,01" in a.mensagem
    cx.definir(d, (AP, "rp_sem_disponibilidade", "empenhada"), "20000.00")
    assert not _de(verificar(d), 605)
    # XVI (d) = 200.000,00 − 20.000,00 = 180.000,00: the deduction counts, nothing is lost
    assert d.valor((AP, "valor_aplicado", "empenhada")) == D("180000.00")


# --- item 6: XIV and XV equal the totals of their control tables ------------------------------


def _linha_deducao(d, modalidade: str, valores: dict[str, str]) -> None:
    """An ASPS despesa (planilha 4) paid with the resource of ``modalidade``: XIV (36) or XV
    (35) come from these lines (issue 25, item 5)."""
    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.razao import ChaveDespesa

    k = ChaveDespesa.de("4", "302", f"3.3.{modalidade}.39")
    for col, v in valores.items():
        d.aplicar(DefinirLancamento(k, col, D(v)))


def test_xiv_igual_ao_total_do_controle_do_minimo(cx, municipio):
    # control (i): 600,00 (exercício anterior) + 400,00 (anteriores) = 1.000,00 = XIV (d),
    # the ledger's modalidade-36 line
    d = cx.limpa(municipio)
    cx.definir(d, ("controle_minimo", "diferenca_ano_1", "empenhadas"), "600")
    cx.definir(d, ("controle_minimo", "diferenca_anteriores", "empenhadas"), "400")
    _linha_deducao(d, "36", {"empenhada": "1000"})
    assert d.valor((AP, "recursos_minimo_nao_aplicado", "empenhada")) == D("1000.00")
    assert not _de(verificar(d), 606)
    _linha_deducao(d, "36", {"empenhada": "1000.01"})
    a = _um(verificar(d), 606)
    assert a.impeditiva and (a.tabela, a.coluna) == ("controle_minimo", "empenhadas")
    assert "R$ 1.000,01" in a.mensagem and "R$ 1.000,00" in a.mensagem
    assert "(i)" in a.mensagem


def test_xv_igual_ao_total_do_controle_de_rp_cancelados(cx, municipio):
    # control (y), liquidadas: 300,00 + 200,00 = 500,00; XV (e) from the ledger 499,99
    d = cx.limpa(municipio)
    t = "controle_rp_cancelados"
    for linha, v in (("cancelados_ano_1", "300"), ("cancelados_anteriores", "200")):
        cx.definir(d, (t, linha, "empenhadas"), v)
        cx.definir(d, (t, linha, "liquidadas"), v)
    _linha_deducao(d, "35", {"empenhada": "500", "liquidada": "499.99"})
    a = _um(verificar(d), 607)
    assert a.impeditiva and (a.tabela, a.coluna) == (t, "liquidadas")
    assert "diferença de R$ 0,01" in a.mensagem and "(y)" in a.mensagem


# --- item 8: the states' deductions against the right base ------------------------------------


def test_estado_limpo_deduz_25_por_cento_do_icms(cx, estado):
    d = cx.limpa(estado)
    # 1.000.000,00 of ICMS principal − 250.000,00 = 750.000,00 of base
    assert d.valor((RB, "total_base", "realizada")) == D("750000.00")
    assert verificar(d) == []


def test_fcp_nao_entra_na_parcela_do_icms(cx, estado):
    # ICMS principal 1.000.000,00 + FCP 40.000,00: 25% of the principal is 250.000,00; the old
    # check took 25% of 1.040.000,00 = 260.000,00 and let a deduction of 260.000,00 through.
    d = cx.limpa(estado)
    for c in ("previsao_inicial", "previsao_atualizada", "realizada"):
        cx.definir(d, (RB, "icms_fcp", c), "40000")
    assert d.valor((RB, "icms", "realizada")) == D("1040000.00")
    cx.definir(d, (RB, "deducao_icms", "realizada"), "260000")
    a = _um(verificar(d), 205)
    assert a.impeditiva
    assert "R$ 260.000,00" in a.mensagem and "R$ 250.000,00" in a.mensagem
    assert "diferença de R$ 10.000,00" in a.mensagem
    assert "Fundo de Combate à Pobreza" in a.mensagem or "FCP" in a.mensagem


def test_compensacoes_entram_na_parcela_do_icms(cx, estado):
    # NR 1.7.1.9.63 (compensação, LC 176/2020) of 80.000,00 joins 1.7.1.9.62 in "Outras
    # transferências" and the ICMS share: 25% × (1.000.000,00 + 80.000,00) = 270.000,00.
    d = cx.limpa(estado)
    _receita(d, "1.7.1.9.63.0.1", "80000")
    for c in ("previsao_inicial", "previsao_atualizada", "realizada"):  # also in the totals
        cx.definir(d, (RT, "transf_uniao_correntes", c), "80000")
    assert d.valor((RB, "outras_transferencias", "realizada")) == D("80000.00")
    a = _um(verificar(d), 210)  # 250.000,00 deducted: below the share
    assert not a.impeditiva
    assert "R$ 270.000,00" in a.mensagem and "diferença de R$ 20.000,00" in a.mensagem
    cx.definir(d, (RB, "deducao_icms", "realizada"), "270000")
    assert verificar(d) == []
    cx.definir(d, (RB, "deducao_icms", "realizada"), "270001.01")  # R$ 1,00 of tolerance
    assert _um(verificar(d), 205).impeditiva
    cx.definir(d, (RB, "deducao_icms", "realizada"), "270001.00")
    assert verificar(d) == []


def test_deducao_ausente_com_receita_partilhada(cx, estado):
    # IPVA realizado 200.000,00 and no deduction: 50% = 100.000,00 missing (it drew nothing).
    d = cx.limpa(estado)
    for c in ("previsao_inicial", "previsao_atualizada", "realizada"):
        cx.definir(d, (RB, "ipva", c), "200000")
    a = _um(verificar(d), 210)
    assert (a.linha, a.coluna, a.severidade) == ("deducao_ipva", "realizada", "aviso")
    assert "não foi informada" in a.mensagem and "R$ 100.000,00" in a.mensagem
    cx.definir(d, (RB, "deducao_ipva", "realizada"), "100000")
    assert not _de(verificar(d), 210)
    # the same in the 6º bimestre: below the share stays an aviso (it overstates the base)
    d6 = cx.limpa(estado, 6)
    for c in ("previsao_inicial", "previsao_atualizada", "realizada"):
        cx.definir(d6, (RB, "ipva", c), "200000")
    assert _um(verificar(d6), 210).severidade == "aviso"


def test_deducao_da_previsao_acima_da_parcela_e_aviso(cx, estado):
    d = cx.limpa(estado)
    cx.definir(d, (RB, "deducao_icms", "previsao_atualizada"), "300000")
    a = _um(verificar(d), 209)
    assert not a.impeditiva and a.coluna == "previsao_atualizada"


def test_parcela_no_catalogo():
    t = catalogo("estadual", 2025).tabela(RB)
    assert t.linha("deducao_icms").base_deducao == (
        ("icms_principal", "outras_transferencias"),
        D(25),
    )
    assert t.linha("deducao_ipva").base_deducao == (("ipva",), D(50))
    assert t.linha("deducao_ipi").base_deducao == (("ipi_exportacao",), D(25))


# --- item 9: NR 1.7.1.9.63 in "Outras transferências" (states and DF) -------------------------


@pytest.mark.parametrize("esfera", ["estadual", "df"])
def test_1_7_1_9_63_entra_na_base(esfera):
    cat = catalogo(esfera, 2025)
    for nr in ("1.7.1.9.62.0.1", "1.7.1.9.63.0.1"):
        destino = cat.classificador.destino(ChaveReceita.de(nr))
        assert destino.linha_anexo12 == (RB, "outras_transferencias"), (nr, destino.motivo)
    assert cat.tabela(RB).linha("outras_transferencias").natureza(2025) == (
        "1.7.1.9.62.0 + 1.7.1.9.63.0"
    )


def test_1_7_1_9_63_no_df_soma_na_base(cx, distrito_federal):
    d = cx.limpa(distrito_federal)
    antes = d.valor((RB, "total_base", "realizada"))
    _receita(d, "1.7.1.9.62.0.1", "30000")
    _receita(d, "1.7.1.9.63.0.1", "12345.67")
    # 30.000,00 + 12.345,67 = 42.345,67 more in the DF's state part and in (III)
    assert d.valor((RB, "outras_transferencias", "realizada")) == D("42345.67")
    assert d.valor((RB, "total_base", "realizada")) == antes + D("42345.67")


def test_deducao_das_compensacoes_vai_para_a_parcela_do_icms():
    from siops.forms.mapeamento import FAMILIA_DEDUCAO

    m = catalogo("estadual", 2025).classificador.mapa
    for nr in ("11145011", "17196201", "17196301"):
        assert m.receita(nr, familia=FAMILIA_DEDUCAO).destino == (RB, "deducao_icms"), nr
    # the FCP is not shared: its deduction has no line
    assert m.receita("11145021", familia=FAMILIA_DEDUCAO).destino is None


# --- item 10: receitas totais reconciled with the base -------------------------------------------


def test_transferencias_da_base_maiores_que_as_correntes(cx, municipio):
    # base: FPM 1.000.000,00 (a transfer); receitas totais: 999.999,99 of transferências
    # correntes da União → 1 centavo short, and the receita total 999.999,99 < base.
    d = cx.limpa(municipio)
    cx.definir(d, (RT, "transf_uniao_correntes", "realizada"), "999999.99")
    achados = verificar(d)
    a = _um(achados, 212)
    assert a.severidade == "aviso" and "diferença de R$ 0,01" in a.mensagem
    assert _um(achados, 213).severidade == "aviso"
    d6 = cx.limpa(municipio, 6)
    cx.definir(d6, (RT, "transf_uniao_correntes", "realizada"), "999999.99")
    achados = verificar(d6)
    assert _um(achados, 212).severidade == IMPEDITIVA
    assert _um(achados, 213).severidade == IMPEDITIVA


def test_impostos_da_base_maiores_que_impostos_e_taxas(cx, estado):
    # state: ICMS principal 1.000.000,00 in the base; impostos e taxas typed 900.000,00
    d = cx.limpa(estado)
    cx.definir(d, (RT, "impostos_taxas", "realizada"), "900000")
    a = _um(verificar(d), 211)
    assert "R$ 1.000.000,00" in a.mensagem and "R$ 900.000,00" in a.mensagem
    # receita total 900.000,00 ≥ base 750.000,00 (the deduction is out of the base): no 213
    assert not _de(verificar(d), 213)


# --- item 11: the current year's row of the execução de restos a pagar ------------------------


def test_inscrito_do_ano_e_d_menos_f_no_6o(cx, municipio):
    # 6º bimestre: XII (d) 200.000,00 − XII (f) 150.000,00 = 50.000,00 inscritos
    d = cx.limpa(municipio, 6)
    assert d.valor((RP, "empenhos_ano", "inscrito")) == D("50000.00")
    assert verificar(d) == []
    cx.definir(d, (RP, "empenhos_ano", "inscrito"), "49999.99")
    a = _um(verificar(d), 721)
    assert a.impeditiva and "R$ 50.000,00" in a.mensagem and "R$ 49.999,99" in a.mensagem
    # in bimestres 1–5 nothing is inscribed yet: the rule does not apply
    d3 = cx.limpa(municipio, 3)
    cx.definir(d3, (RP, "empenhos_ano", "inscrito"), "123")
    assert not _de(verificar(d3), 721)
    assert REGRAS[721].so_no_6o


@pytest.mark.parametrize("coluna", ["pagos", "cancelados"])
def test_rp_do_ano_nao_pagos_nem_cancelados(cx, municipio, coluna):
    d = cx.limpa(municipio, 6)
    cx.definir(d, (RP, "empenhos_ano", coluna), "0.01")
    a = _um(verificar(d), 722)
    assert a.impeditiva and a.coluna == coluna


# --- item 12: constitutional shares against the STN/CONFAZ reference --------------------------


def test_cota_fpm_menor_que_a_referencia(cx, municipio):
    d = cx.limpa(municipio)
    ref = Referencia()
    ref.definir(d.ente.codigo, 2025, 3, fpm=D("1000000.01"))
    a = _um(verificar(d, ref), 320)
    assert a.severidade == "aviso" and (a.linha, a.coluna) == ("fpm", "realizada")
    assert "diferença de R$ 0,01" in a.mensagem
    ref.definir(d.ente.codigo, 2025, 3, fpm=D("1000000.00"))
    assert not _de(verificar(d, ref), 320)
    d6 = cx.limpa(municipio, 6)
    ref.definir(d.ente.codigo, 2025, 6, fpm=D("1000000.01"))
    assert _um(verificar(d6, ref), 320).impeditiva


@pytest.mark.parametrize(
    ("esfera", "cotas"),
    [
        ("municipal", {"fpm", "itr", "icms", "ipva", "ipi_exportacao"}),
        ("estadual", {"fpe", "ipi_exportacao"}),
        ("df", {"fpe", "ipi_exportacao", "fpm", "itr"}),
    ],
)
def test_cotas_comparadas_por_esfera(esfera, cotas):
    from siops.criticas.motor import plano

    p = plano(catalogo(esfera, 2025), True, False)
    assert {v.linha for v in p.verificacoes if v.regra.codigo == 320} == cotas


# --- item 15: the labels name the percentage really used --------------------------------------


def _rotulos(d) -> dict[str, str]:
    from siops.relatorios.anexo12 import demonstrativo

    dem = demonstrativo(d)
    return {x.linha: x.rotulo for b in dem.blocos if b.tabela == AP for x in b.linhas}


PCT = "PERCENTUAL DA RECEITA DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS APLICADO EM ASPS"
XVII = "Despesa Mínima a ser Aplicada em ASPS"


def test_rotulos_do_municipio(cx, municipio):
    d = cx.limpa(municipio)
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVII) = (III) × 15% (LC 141/2012)"
    assert r["percentual_aplicado"] == (
        f"{PCT} (mínimo de 15% conforme LC 141/2012) (XX) (XVI / III) × 100"
    )
    cx.texto(d, "percentual_lei_organica", "18")  # 18% > 15%: the Lei Orgânica's is used
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVII) = (III) × 18,00% (Lei Orgânica Municipal)"
    assert r["percentual_aplicado"] == (
        f"{PCT} (mínimo de 18,00% conforme a Lei Orgânica Municipal) (XX) (XVI / III) × 100"
    )
    # XVII = 1.000.000,00 × 18% = 180.000,00 (the label and the figure agree)
    assert d.valor((AP, "despesa_minima", "empenhada")) == D("180000.00")
    cx.texto(d, "percentual_lei_organica", "14,99")  # below 15%: ignored (aviso 108)
    assert _rotulos(d)["despesa_minima"].endswith("= (III) × 15% (LC 141/2012)")


def test_rotulos_do_estado_dizem_constituicao_estadual(cx, estado):
    d = cx.limpa(estado)
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVIII) = (IV) × 12% (LC 141/2012)"
    cx.texto(d, "percentual_lei_organica", "13,5")
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVIII) = (IV) × 13,50% (Constituição Estadual)"
    assert "(mínimo de 13,50% conforme a Constituição Estadual)" in r["percentual_aplicado"]
    assert not any("Lei Orgânica" in x for x in r.values())
    # the catalog's own description (siops catalogo, tooltips) names the state's law too
    from siops.relatorios.anexo12 import regra_texto

    t = d.catalogo.tabela(AP)
    assert "Constituição Estadual" in regra_texto(d.catalogo, t, t.linha("despesa_minima"))
    assert "Lei Orgânica" not in regra_texto(d.catalogo, t, t.linha("despesa_minima"))


def test_rotulos_do_df(cx, distrito_federal):
    d = cx.limpa(distrito_federal)
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVII) = (I) × 12% + (II) × 15% (LC 141/2012)"
    assert (
        "dependendo da competência tributária, conforme LC 141/2012" in (r["percentual_aplicado"])
    )
    cx.texto(d, "percentual_lei_organica", "16")  # above the blend (the base is all FPM: 15%)
    r = _rotulos(d)
    assert r["despesa_minima"] == f"{XVII} (XVII) = (III) × 16,00% (Lei Orgânica do DF)"
    assert "(mínimo de 16,00% conforme a Lei Orgânica do DF)" in r["percentual_aplicado"]


def test_mensagens_do_estado_dizem_constituicao_estadual(cx, estado):
    d = cx.limpa(estado)
    cx.texto(d, "percentual_lei_organica", "11")
    a = _um(verificar(d), 108)
    assert "Constituição Estadual" in a.mensagem and "Lei Orgânica" not in a.mensagem
    cx.texto(d, "percentual_lei_organica", "doze")
    a = _um(verificar(d), 106)
    assert "Constituição Estadual" in a.mensagem and "Lei Orgânica" not in a.mensagem
    # 611 names the percentage really used and its law: 30% of the base 750.000,00 is
    # 225.000,00 > 200.000,00 applied
    cx.texto(d, "percentual_lei_organica", "30")
    a = _um(verificar(d), 611)
    assert "mínimo de 30,00% (Constituição Estadual)" in a.mensagem
    assert "faltam R$ 25.000,00" in a.mensagem


def test_documento_diz_nao_se_aplica():
    from siops.criticas.documentar import documento

    linha = next(x for x in documento().splitlines() if x.startswith("| 721 |"))
    assert linha.split(" | ")[3:5] == ["não se aplica", "**impeditiva**"]
