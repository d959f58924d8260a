"""Properties of the accounting import into the ledger (``forms.razao``).

* For random MSC rows over mapped accounts, each Anexo 12 cell is the sum of its rows (the
  expected line of each code is written here, independently of the mapping data).
* The ledger route classifies every source line into the SAME Anexo 12 line as the direct
  classification of the mapping (``Mapeamento.despesa``/``receita``) did before the ledger:
  over every line of the test MSCs, and over random FS × ND × FR × CO.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from siops.contabil.fonte import fonte_de_msc
from siops.contabil.lancamentos import chave_despesa, chave_receita
from siops.contabil.msc import ler_msc, ler_texto
from siops.contabil.previa import TABELAS, previa
from siops.forms.catalogo import catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.mapeamento import Mapeamento, carregar

DADOS = Path(__file__).parent / "dados"
CAB = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"
# natureza (2022 on) -> receitas_base line; None: not in the Anexo 12
NRS = {
    "11125001": "iptu",
    "11125302": "itbi",
    "11145111": "iss",
    "11130341": "irrf",
    "17115111": "fpm",
    "17115201": "itr",
    "17215101": "ipva",
    "17215001": "icms",
    "17215201": "ipi_exportacao",
    "17295301": "outras_transferencias",
    "11210111": None,
    "17115131": None,  # FPM 1% de julho
}
SUBFUNCOES = {"10301": "s301", "10302": "s302", "10305": "s305", "10122": "outras"}
NDS = {"31901100": "31", "33903000": "33", "44905200": "44", "32902100": "32", "46907100": "46"}
FONTES = {("1500", "1002"): "despesas_asps", ("1600", ""): "despesas_nao_computadas",
          ("1500", ""): "despesas_nao_computadas", ("2502", "1002"): "despesas_asps"}  # fmt: skip
# conta -> the columns it adds to (6.2.2.1.3.01 … .07)
ESTAGIOS = {
    "622130100": ("empenhada",),
    "622130200": ("empenhada",),
    "622130300": ("empenhada", "liquidada"),
    "622130400": ("empenhada", "liquidada", "paga"),
    "622130500": ("empenhada",),
    "622130600": ("empenhada",),
    "622130700": ("empenhada", "liquidada"),
}

centavos = st.integers(min_value=1, max_value=10**11)
receita = st.tuples(st.sampled_from(sorted(NRS)), st.booleans(), centavos)
despesa = st.tuples(
    st.sampled_from(sorted(SUBFUNCOES)),
    st.sampled_from(sorted(NDS)),
    st.sampled_from(sorted(FONTES)),
    st.sampled_from(sorted(ESTAGIOS)),
    centavos,
)


def _v(c: int) -> str:
    return f"{Decimal(c) / 100:.2f}"


@settings(max_examples=60, deadline=None)
@given(st.lists(receita, max_size=30), st.lists(despesa, max_size=40))
def test_totais_importados_sao_as_somas_por_linha(municipio_fixo, receitas, despesas):
    d = Declaracao(municipio_fixo, 2025, 3)
    linhas = []
    esperado: dict[tuple[str, str, str], Decimal] = {}
    for nr, deducao, c in receitas:
        # a deduction (6.2.1.3.9, debit) goes to the ledger's 'deduções' column; the Anexo 12
        # cell is the realizada bruta minus it, so it may end negative (then a warning)
        conta, nat, sinal = ("621390000", "D", -1) if deducao else ("621200000", "C", 1)
        linhas.append(f"{conta};10131;PO;{nr};NR;1500;FR;;;;;;;{_v(c)};ending_balance;{nat}")
        if NRS[nr]:
            k = ("receitas_base", NRS[nr], "realizada")
            esperado[k] = esperado.get(k, Decimal(0)) + sinal * Decimal(c) / 100
    for fs, nd, (fr, co), conta, c in despesas:
        ics = (
            f"10131;PO;{fs};FS;{nd};ND;{fr};FR;{co};CO"
            if co
            else f"10131;PO;{fs};FS;{nd};ND;{fr};FR;;"
        )
        linhas.append(f"{conta};{ics};;;{_v(c)};ending_balance;C")
        tabela = FONTES[(fr, co)]
        for col in ESTAGIOS[conta]:
            k = (tabela, f"{SUBFUNCOES[fs]}_{NDS[nd]}", col)
            esperado[k] = esperado.get(k, Decimal(0)) + Decimal(c) / 100
    texto = "\n".join(["3550308EX;2025-06", CAB, *linhas]) + "\n"
    mapa = carregar(d.catalogo)
    fonte = fonte_de_msc([ler_texto(texto, lambda conta: bool(mapa.papeis_da_conta(conta)))], mapa)
    p = previa(d, fonte, mapa)
    celulas = {k: v for t in p.tabelas if t.id in TABELAS for k, v in t.celulas.items()}
    for k, v in esperado.items():
        assert celulas.get(k, Decimal(0)) == v, k
        if v < 0:
            assert any("negativ" in a for a in p.avisos)
    for k, v in celulas.items():
        assert v == esperado.get(k, Decimal(0)), k
    assert all(c.fecha for c in p.conciliacao), [c for c in p.conciliacao if not c.fecha]
    # applied, the declaration shows exactly the preview's figures
    d.aplicar(p.lote())
    for k, v in celulas.items():
        assert d.valor(k) == v, k


# --- the ledger route lands on the same Anexo 12 line -----------------------------------------


def _linha_despesa_antiga(mapa: Mapeamento, fs: str, nd: str, fr: str, co: str):
    c = mapa.despesa(fs, nd, fr, co)
    return "fora do escopo" if c is None else c.destino


def _linha_despesa_nova(mapa: Mapeamento, fs: str, nd: str, fr: str, co: str):
    k = chave_despesa(mapa, fs, nd, fr, co)
    if k is None:
        return "fora do escopo"
    if k.chave is None:
        assert k.motivo
        return None
    destino = mapa.catalogo.classificador.destino(k.chave)
    assert destino.linha_anexo12 is not None or destino.motivo
    return destino.linha_anexo12


def _linha_receita_antiga(mapa: Mapeamento, nr: str, fr: str):
    return mapa.receita(nr, fr).destino


def _linha_receita_nova(mapa: Mapeamento, nr: str, fr: str):
    k = chave_receita(mapa, nr, fr)
    if k.chave is None:
        assert k.motivo
        return None
    return mapa.catalogo.classificador.destino(k.chave).linha_anexo12


@pytest.mark.parametrize(
    ("arquivo", "exercicio"),
    [("msc_3550308_2025_04.csv", 2025), ("msc_3550308_2025_03.csv", 2025),
     ("msc_3550308_2021_06.csv", 2021)],
)  # fmt: skip
def test_cada_linha_das_mscs_de_teste_cai_na_mesma_linha_do_anexo12(arquivo, exercicio):
    mapa = carregar(catalogo("municipal", exercicio))
    fonte = fonte_de_msc([ler_msc(DADOS / arquivo, mapa.interessa)], mapa)
    assert fonte.despesas and fonte.receitas
    for fs, nd, fr, co in fonte.despesas:
        antiga = _linha_despesa_antiga(mapa, fs, nd, fr, co)
        assert _linha_despesa_nova(mapa, fs, nd, fr, co) == antiga, (fs, nd, fr, co)
    for nr, fr in fonte.receitas:
        assert _linha_receita_nova(mapa, nr, fr) == _linha_receita_antiga(mapa, nr, fr), (nr, fr)


FSS = ("10301", "10302", "10303", "10304", "10305", "10306", "10122", "10128", "10999", "10",
       "04122", "28843", "28844", "28845", "12361")  # fmt: skip
ND_S = ("31901100", "31900101", "31900301", "31909113", "31909201", "33903000", "33903009",
        "33903900", "33503900", "33717000", "33737000", "33747000", "44905200", "45906600",
        "46907100", "32902100", "39000000", "", "3390")  # fmt: skip
FRS_2025 = ("1500", "2500", "1502", "2502", "1501", "1600", "1601", "1604", "1605", "1621",
            "1631", "1632", "1633", "1634", "1635", "1636", "1659", "1707", "1754", "1540", "1")  # fmt: skip
FRS_2021 = ("100", "102", "202", "114", "153", "154", "155", "159", "123", "190", "161", "180", "1")
COS = ("", "1002", "1001", "0000", "3110")
NRS_2025 = ("11125001", "11145111", "17115111", "17115121", "13210111", "13210011", "19220111",
            "11210111", "17135011", "24115001", "17235001", "19229911", "21225101", "", "99")  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["municipal", "estadual", "df"]),
    st.sampled_from([2021, 2025]),
    st.sampled_from(FSS),
    st.sampled_from(ND_S),
    st.data(),
)
def test_a_via_do_razao_cai_na_mesma_linha_do_anexo12(esfera, exercicio, fs, nd, dados):
    mapa = carregar(catalogo(esfera, exercicio))
    fr = dados.draw(st.sampled_from(FRS_2025 if exercicio >= 2022 else FRS_2021))
    co = dados.draw(st.sampled_from(COS))
    assert _linha_despesa_nova(mapa, fs, nd, fr, co) == _linha_despesa_antiga(mapa, fs, nd, fr, co)
    nr = dados.draw(st.sampled_from(NRS_2025))
    assert _linha_receita_nova(mapa, nr, fr) == _linha_receita_antiga(mapa, nr, fr)
