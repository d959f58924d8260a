"""Columns shared by the layouts (receita, despesa, execução, controls)."""

from __future__ import annotations

from decimal import Decimal

from siops.forms import catalogo
from siops.forms.catalogo import (
    Coluna,
)
from siops.forms.formulas import (
    Constante,
    Expr,
    No6oBimestre,
    Ref,
    soma,
)

# --- columns ----------------------------------------------------------------------------------

COLUNAS_RECEITA = (
    Coluna("previsao_inicial", "Previsão inicial", importavel=True),
    Coluna("previsao_atualizada", "Previsão atualizada", "(a)", importavel=True),
    Coluna("realizada", "Receitas realizadas até o bimestre", "(b)"),
)


def _rp_nao_processados(tabela: str, linha: str) -> Expr:
    # (g) = (d) − (e) in the published tables; inscrição happens only at the year's end.
    return No6oBimestre(
        soma(Ref((tabela, linha, "empenhada")), Ref((tabela, linha, "liquidada")), sinais=(1, -1)),
        Constante(Decimal("0.00")),
    )


COLUNAS_DESPESA = (
    Coluna("dotacao_inicial", "Dotação inicial", importavel=True),
    Coluna("dotacao_atualizada", "Dotação atualizada", "(c)", importavel=True),
    Coluna("empenhada", "Despesas empenhadas até o bimestre", "(d)"),
    Coluna("liquidada", "Despesas liquidadas até o bimestre", "(e)"),
    Coluna("paga", "Despesas pagas até o bimestre", "(f)"),
    Coluna(
        "rp_nao_processados",
        "Inscritas em restos a pagar não processados",
        "(g)",
        formula=_rp_nao_processados,
    ),
)

COLUNAS_EXECUCAO = (
    Coluna("empenhada", "Despesas empenhadas", "(d)"),
    Coluna("liquidada", "Despesas liquidadas", "(e)"),
    Coluna("paga", "Despesas pagas", "(f)"),
)


def _saldo_final(tabela: str, linha: str) -> Expr:
    # (l) = (h − (i ou j)): empenhadas in the 6º bimestre, liquidadas before (nota 1).
    h = Ref((tabela, linha, "saldo_inicial"))
    return No6oBimestre(
        soma(h, Ref((tabela, linha, "empenhadas")), sinais=(1, -1)),
        soma(h, Ref((tabela, linha, "liquidadas")), sinais=(1, -1)),
    )


def colunas_controle(letras: tuple[str, str, str, str, str]) -> tuple[Coluna, ...]:
    """Columns of the two controls (mínimo não cumprido; RP cancelados): saldo, gastos, saldo."""
    return (
        Coluna("saldo_inicial", "Saldo inicial", f"({letras[0]})"),
        Coluna("empenhadas", "Despesas custeadas — empenhadas", f"({letras[1]})"),
        Coluna("liquidadas", "Despesas custeadas — liquidadas", f"({letras[2]})"),
        Coluna("pagas", "Despesas custeadas — pagas", f"({letras[3]})"),
        Coluna("saldo_final", "Saldo final (não aplicado)", f"({letras[4]})", formula=_saldo_final),
    )


#: The base of the minimum: (III) realizada (IV for states); declared in the catalog.
BASE = catalogo.BASE
