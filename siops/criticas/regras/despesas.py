"""Despesa rules on specific tables (group 500): consórcios (585–587). The elemento total is a
view of the ledger (``forms.razao``) and agrees by construction: the old 516 is gone.

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
CONSORCIOS = ("consorcios", "total", "transferido_rateio")
CONSORCIO_REGRAS = {"empenhada": R585, "liquidada": R586, "paga": R587}


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
