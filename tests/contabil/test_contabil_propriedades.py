"""Property: for random MSC rows over mapped accounts, each imported cell is the sum of its rows.

The expected line of each code is written here, independently of the mapping data.
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from siops.contabil.fonte import fonte_de_msc
from siops.contabil.mapeamento import carregar
from siops.contabil.msc import ler_texto
from siops.contabil.previa import previa
from siops.forms.declaracao import Declaracao

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
    celulas = {k: v for t in p.tabelas for k, v in t.celulas.items()}
    for k, v in esperado.items():
        if v >= 0:
            assert celulas.get(k, Decimal(0)) == v, k
        else:
            assert k not in celulas and any("negativo" in r for r in p.recusadas)
    for k, v in celulas.items():
        assert v == esperado.get(k, Decimal(0)), k
    assert all(c.fecha for c in p.conciliacao), [c for c in p.conciliacao if not c.fecha]
