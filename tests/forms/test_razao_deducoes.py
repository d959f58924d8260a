"""The apuração's deductions XIV and XV are ledger lines (issue 25, item 5).

The Tesouro's model (``../shared/reference``, Municípios rows 63–64, Estados 61–62, DF the
same as Municípios) maps them from the MSC: ND with modalidade de aplicação 36/46/76/96 (XIV,
"despesas custeadas com recursos vinculados à parcela do percentual mínimo que não foi
aplicada em ASPS em exercícios anteriores", art. 25 LC 141/2012) and 35/45/75/95 (XV,
"despesas custeadas com disponibilidade de caixa vinculada aos restos a pagar cancelados",
art. 24), FS 10, FR 500/502 + CO 1002 — the ASPS planilha (4). So they are no longer typed:
a despesa line in planilha 4 with those modalidades is counted in the ASPS total (XII) and
deducted again in XIV/XV; the control tables split the same amount by exercício (typed: the
ledger does not say which exercício's shortfall a despesa compensates) and crítica 606/607
says when the split does not add up to the ledger's figure.
"""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from siops.criticas import verificar
from siops.forms.declaracao import Declaracao, DefinirCelula, EdicaoInvalida, SubstituirRazao
from siops.forms.razao import ChaveDespesa, celulas_para_razao

E, L, P = "empenhada", "liquidada", "paga"
AP = "apuracao"
XIV, XV = "recursos_minimo_nao_aplicado", "rp_cancelados"


def _linha(plan: str, sub: str, nd: str, emp: str, liq: str, pag: str):
    return ChaveDespesa.de(plan, sub, nd), ((E, D(emp)), (L, D(liq)), (P, D(pag)))


@pytest.fixture(params=["municipio", "estado"])
def ente(request):
    return request.getfixturevalue(request.param)


def test_xiv_e_xv_vem_das_modalidades_da_planilha_asps(ente):
    d = Declaracao(ente, 2025, 3)
    d.aplicar(
        SubstituirRazao(
            (
                # 100.000 in serviços (modalidade 90): ASPS, not deducted
                _linha("4", "301", "3.3.90.39", "100000", "80000", "60000"),
                # 10.000 + 5.000 paid with the shortfall of earlier years (36 and 46, 4.4)
                _linha("4", "302", "3.3.36.39", "10000", "8000", "6000"),
                _linha("4", "adm", "4.4.46.52", "5000", "5000", "1000"),
                # 2.000 with the cash of cancelled restos a pagar (95)
                _linha("4", "301", "3.3.95.30", "2000", "2000", "2000"),
                # modalidade 36 in SUS money (planilha 86): not ASPS, not deducted
                _linha("86", "302", "3.3.36.39", "7000", "7000", "7000"),
            )
        )
    )
    v = d.valor
    # XII = 100.000 + 10.000 + 5.000 + 2.000 = 117.000 (the 36/46/95 lines are ASPS despesas)
    assert v(("despesas_asps", "total", E)) == D("117000.00")
    # XIV = 10.000 + 5.000 (d); 8.000 + 5.000 (e); 6.000 + 1.000 (f)
    assert [v((AP, XIV, c)) for c in (E, L, P)] == [D("15000.00"), D("13000.00"), D("7000.00")]
    # XV = 2.000 in each column
    assert [v((AP, XV, c)) for c in (E, L, P)] == [D("2000.00")] * 3
    # XVI = XII − XIII − XIV − XV = 117.000 − 0 − 15.000 − 2.000 = 100.000 (d)
    assert v((AP, "valor_aplicado", E)) == D("100000.00")
    assert v((AP, "valor_aplicado", L)) == D("80000.00")  # 95.000 − 13.000 − 2.000
    # computed, never typed
    for c in (E, L, P):
        assert (AP, XIV, c) in d.catalogo.agregadas
        assert (AP, XV, c) in d.catalogo.agregadas
    with pytest.raises(EdicaoInvalida):
        d.aplicar(DefinirCelula((AP, XIV, E), D("1")))
    # "de onde vem": the line's destination names the deduction
    destino = d.catalogo.classificador.destino(ChaveDespesa.de("4", "302", "3.3.36.39"))
    assert ((AP, XIV, E), E, 1) in destino.alimenta


def test_controle_dividido_por_exercicio_confere_com_o_razao(municipio):
    d = Declaracao(municipio, 2025, 3)
    d.aplicar(SubstituirRazao((_linha("4", "302", "3.3.36.39", "1000", "800", "600"),)))
    # the split typed in the control: 600 for last year, 300 for earlier ones — 100 short
    for linha, emp, liq, pag in (
        ("diferenca_ano_1", "600", "500", "400"),
        ("diferenca_anteriores", "300", "300", "200"),
    ):
        for col, val in (("empenhadas", emp), ("liquidadas", liq), ("pagas", pag)):
            d.aplicar(DefinirCelula(("controle_minimo", linha, col), D(val)))
    achados = [a for a in verificar(d) if a.codigo == 606]
    # (d): 1.000 of the ledger against 900 split → 606 on the empenhada; (e) 800 = 500 + 300
    # agrees; (f) 600 = 400 + 200 agrees
    assert [(a.tabela, a.coluna) for a in achados] == [("controle_minimo", "empenhadas")]
    assert "36, 46, 76 e 96" in achados[0].mensagem
    assert "1.000,00" in achados[0].mensagem and "900,00" in achados[0].mensagem
    d.aplicar(DefinirCelula(("controle_minimo", "diferenca_anteriores", "empenhadas"), D("400")))
    assert not [a for a in verificar(d) if a.codigo == 606]


def test_conversao_de_xiv_digitado_preserva_os_totais(municipio):
    """A file where XIV was typed (format ≤ 2): the amount moves, inside the ASPS planilha, from
    the lines of the same subfunção and grupo to modalidade 36 (35 for XV), so XII, XIV, XV
    and the percentage are the same as typed."""
    d = Declaracao(municipio, 2025, 3)
    cat = d.catalogo
    valores = [
        (("despesas_asps", "s301_33", E), D("1000")),
        (("despesas_asps", "s301_33", L), D("900")),
        (("despesas_asps", "s301_33", P), D("800")),
        (("despesas_asps", "s302_44", E), D("500")),
        (("despesas_asps", "s302_44", L), D("300")),
        (("despesas_asps", "s302_44", P), D("100")),
        ((AP, XIV, E), D("1200")),
        ((AP, XIV, L), D("1000")),
        ((AP, XIV, P), D("850")),
        ((AP, XV, E), D("100")),
        ((AP, XV, L), D("50")),
        ((AP, XV, P), D("0")),
    ]
    conv = celulas_para_razao(cat, valores)
    assert (AP, XIV, E) not in conv.digitadas
    d.carregar(
        conv.digitadas.items(), {}, tuple((k, tuple(v.items())) for k, v in conv.razao.items())
    )
    v = d.valor
    assert v(("despesas_asps", "s301_33", E)) == D("1000.00")
    assert v(("despesas_asps", "s302_44", E)) == D("500.00")
    assert [v((AP, XIV, c)) for c in (E, L, P)] == [D("1200.00"), D("1000.00"), D("850.00")]
    assert [v((AP, XV, c)) for c in (E, L, P)] == [D("100.00"), D("50.00"), D("0.00")]
    assert conv.reclassificadas  # the report says what moved
    # every line keeps empenhada ≥ liquidada ≥ paga
    for _k, cols in conv.razao.items():
        e, li, p = (cols.get(c, D(0)) for c in (E, L, P))
        assert e >= li >= p >= 0, (_k, cols)


def test_conversao_sem_despesa_para_reclassificar_avisa(municipio):
    d = Declaracao(municipio, 2025, 3)
    conv = celulas_para_razao(d.catalogo, [((AP, XIV, E), D("50"))])
    # no ASPS despesa to carry it: the typed figure cannot be kept; the report compares it
    assert conv.resumos == {(AP, XIV, E): D("50")}
