"""Despesa rules on specific tables (group 500): consórcios (585–587) and the elemento total.

The per-row rules of every despesa table (liquidada ≤ empenhada, paga ≤ liquidada, empenhada ≤
dotação, negatives, cumulative values) are in ``criticas.regras.valores``.
"""

from __future__ import annotations

from collections.abc import Iterator

from siops.criticas.achado import AVISO
from siops.criticas.motor import Verificacao, definir, gerador
from siops.criticas.nomes import minusculo_inicial, titulo_tabela
from siops.criticas.regras.base import comparacao, diferenca, existe, reais, titulo_coluna
from siops.forms.catalogo import Catalogo

_CONSORCIO = (
    'FAQ do SIOPS (avisos que viram críticas no 6º bimestre): na planilha "Despesa com Saúde '
    'executadas em Consórcio Público", a linha "Total das Despesas com Saúde (I)" não pode '
    "ser maior que o montante transferido pelo ente a consórcios públicos mediante contrato de "
    "rateio (Lei 11.107/2005, art. 8º)."
)
R585 = definir(
    585,
    "Despesa empenhada em consórcio maior que o transferido por rateio",
    AVISO,
    escala_no_6o=True,
    fundamento=_CONSORCIO,
)
R586 = definir(
    586,
    "Despesa liquidada em consórcio maior que o transferido por rateio",
    AVISO,
    escala_no_6o=True,
    fundamento=_CONSORCIO,
)
R587 = definir(
    587,
    "Despesa paga em consórcio maior que o transferido por rateio",
    AVISO,
    escala_no_6o=True,
    fundamento=_CONSORCIO,
)
R516 = definir(
    516,
    "Total por elemento diferente do total das despesas com saúde",
    AVISO,
    fundamento="A despesa por elemento (indicadores do SIOPS) detalha a mesma despesa total "
    "com saúde (Anexo 12, XLVII): os totais por coluna devem ser iguais.",
)

CONSORCIOS = ("consorcios", "total", "transferido_rateio")
CONSORCIO_REGRAS = {"empenhada": R585, "liquidada": R586, "paga": R587}
ELEMENTO = ("despesa_elemento", "total")
TOTAIS = ("despesas_totais", "total")
COLUNAS_EXECUCAO = ("empenhada", "liquidada", "paga")


@gerador
def consorcios(cat: Catalogo) -> Iterator[Verificacao]:
    """585/586/587: consórcio total (I) ≤ transferred under contrato de rateio (II), by column."""
    tid, total, rateio = CONSORCIOS
    if tid not in cat.tabelas:
        return
    t = cat.tabela(tid)
    for col, regra in CONSORCIO_REGRAS.items():
        ka, kb = (tid, total, col), (tid, rateio, col)
        if not (existe(cat, ka) and existe(cat, kb)):
            continue
        nome_i = t.linha(total).titulo
        nome_ii = minusculo_inicial(t.linha(rateio).titulo)

        def frase(a, b, ka=ka, nome_i=nome_i, nome_ii=nome_ii):
            return (
                f'Em "{titulo_tabela(t)}", o {nome_i} na coluna "{titulo_coluna(cat, ka)}" '
                f"({reais(a)}) é maior que os {nome_ii} ({reais(b)}); diferença de "
                f"{diferenca(a, b)}. O executado nos consórcios não pode passar do que o ente "
                "lhes transferiu."
            )

        yield comparacao(regra, ka, kb, ">", frase)


@gerador
def elemento_e_total(cat: Catalogo) -> Iterator[Verificacao]:
    """516: total by elemento = total das despesas com saúde, by column."""
    for col in COLUNAS_EXECUCAO:
        ka, kb = (*ELEMENTO, col), (*TOTAIS, col)
        if not (existe(cat, ka) and existe(cat, kb)):
            continue

        def frase(a, b, ka=ka):
            return (
                f'O total da despesa por elemento na coluna "{titulo_coluna(cat, ka)}" '
                f"({reais(a)}) é diferente do total das despesas com saúde ({reais(b)}); "
                f"diferença de {diferenca(a, b)}."
            )

        yield comparacao(R516, ka, kb, "!=", frase)
