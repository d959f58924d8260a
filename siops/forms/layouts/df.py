"""The Distrito Federal layout (LC 141/2012 art. 8), Anexo 12 sheet "DF".

The base is split by competência tributária: the state-type part (I) at 12% and the
municipal-type part (II) at 15%; the minimum (XVII) is their sum, or (III) × the Lei Orgânica's
percentage when that is higher. The DF's effective minimum percentage is therefore a blended
rate of its whole base (published: 13,08% and 13,05% in 2026). How the DF's own RREO prints the
split is UNCONFIRMED (DOMAIN §7): we follow the Tesouro's DF sheet.
"""

from __future__ import annotations

from decimal import Decimal

from siops.forms.catalogo import (
    BASE,
    MINIMO_EXATO,
    PERCENTUAL_LC141,
    PERCENTUAL_LEI_ORGANICA,
    PERCENTUAL_MINIMO,
    RECEITAS_BASE,
    TOTAL_BASE,
    FormulaLinha,
    Layout,
    Linha,
    Tabela,
    soma_de,
)
from siops.forms.formulas import (
    Centavos,
    Constante,
    Expr,
    Maior,
    Param,
    Produto,
    Razao,
    Ref,
    Soma,
)
from siops.forms.layouts import comum, estadual, municipal

DF_INCERTO = "Como o RREO do próprio DF imprime a divisão da base: NÃO CONFIRMADO (DOMAIN §7)."


def tabela_receitas_base() -> Tabela:
    """The two parts of the base, each built from its esfera's own row declarations."""
    impostos_e = estadual.linhas_impostos_estaduais()
    transf_e = estadual.TRANSFERENCIAS_ESTADUAIS
    # The DF's municipal part has no IRRF of its own (counted once, in the state part); its
    # IPI-Exportação and "outras" rows keep the ids they had before the rows were shared.
    ids_m = {"ipi_exportacao": "ipi_exportacao_municipal"}
    ids_m["outras_transferencias"] = "outras_transferencias_municipais"
    impostos_m = municipal.IMPOSTOS_MUNICIPAIS
    transf_m = comum.abaixo(municipal.TRANSFERENCIAS_MUNICIPAIS, 1, ids_m)
    return Tabela(
        RECEITAS_BASE,
        "Receitas resultantes de impostos e transferências constitucionais e legais",
        comum.COLUNAS_RECEITA,
        (
            Linha(
                "competencia_estadual",
                "COMPETÊNCIA TRIBUTÁRIA ESTADUAL",
                0,
                True,
                soma_de("impostos_estaduais", "transferencias_estaduais"),
            ),
            Linha(
                "impostos_estaduais",
                "RECEITA DE IMPOSTOS",
                1,
                regra=soma_de(*(x.id for x in impostos_e if x.nivel == 1)),
            ),
            *comum.abaixo(impostos_e, 1),
            Linha(
                "transferencias_estaduais",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                1,
                regra=soma_de(*(x.id for x in transf_e)),
            ),
            *comum.abaixo(transf_e, 1),
            Linha(
                "competencia_municipal",
                "COMPETÊNCIA TRIBUTÁRIA MUNICIPAL",
                0,
                True,
                soma_de("impostos_municipais", "transferencias_municipais"),
            ),
            Linha(
                "impostos_municipais",
                "RECEITA DE IMPOSTOS",
                1,
                regra=soma_de(*(x.id for x in impostos_m)),
            ),
            *comum.abaixo(impostos_m, 1),
            Linha(
                "transferencias_municipais",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                1,
                regra=soma_de(*(x.id for x in transf_m)),
            ),
            *transf_m,
            Linha(
                TOTAL_BASE,
                comum.TITULO_TOTAL_BASE,
                0,
                True,
                soma_de("competencia_estadual", "competencia_municipal"),
            ),
        ),
        anexo12=True,
        ajuda=DF_INCERTO,
    )


def _lc141_df() -> Expr:
    # (I) × 12% + (II) × 15%, exact: rounded once, on the sum, when XVII is printed (art. 8).
    estadual = Produto(
        Ref((RECEITAS_BASE, "competencia_estadual", "realizada")), Constante(Decimal(12))
    )
    municipal = Produto(
        Ref((RECEITAS_BASE, "competencia_municipal", "realizada")), Constante(Decimal(15))
    )
    return Soma(((1, estadual), (1, municipal)))


def parametros() -> dict[str, Expr]:
    """The DF's minimum: the law's blend or (III) × % da Lei Orgânica do DF when higher; its
    effective percentage is the blended rate of the whole base (XVII / III)."""
    lei = Produto(Ref(BASE), Param(PERCENTUAL_LEI_ORGANICA))
    return {
        PERCENTUAL_LC141: Razao(_lc141_df(), Ref(BASE)),
        MINIMO_EXATO: Maior(_lc141_df(), lei),
        PERCENTUAL_MINIMO: Razao(Param(MINIMO_EXATO), Ref(BASE)),
    }


def layout(versao: str) -> Layout:
    """The DF layout."""
    apuracao = comum.tabela_apuracao(
        versao,
        FormulaLinha(
            lambda t, c: Centavos(Param(MINIMO_EXATO)),
            "(I) × 12% + (II) × 15% (LC 141/2012) ou (III) × % da Lei Orgânica do DF",
            (f"{RECEITAS_BASE}:competencia_estadual", f"{RECEITAS_BASE}:competencia_municipal"),
        ),
        "mínimo de 12% ou de 15%, dependendo da competência tributária, conforme LC 141/2012",
    )
    return Layout(
        esfera="df",
        versao=versao,
        descricao="Distrito Federal — RREO Anexo 12 (LC 141/2012, art. 8º: 12% da base "
        "estadual + 15% da base municipal)",
        pastas=comum.pastas((RECEITAS_BASE,)),
        tabelas=(tabela_receitas_base(), *comum.tabelas_comuns(versao, "df", apuracao)),
        campos=comum.campos("df"),
        grupos=comum.GRUPOS,
        parametros=parametros(),
        incertezas=(
            DF_INCERTO,
            estadual.PRE2022,
            estadual.FPE_INCERTO,
            municipal.OUTRAS_INCERTO,
            comum.FNS_INCERTO,
        ),
    )
