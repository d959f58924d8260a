"""The Distrito Federal layout (LC 141/2012 art. 8), Anexo 12 sheet "DF".

The base is split by competência tributária: the state-type part (I) at 12% and the
municipal-type part (II) at 15%; the minimum (XVII) is their sum, or (III) × the Lei Orgânica's
percentage when that is higher. The DF's effective minimum percentage is therefore a blended
rate of its whole base (published: 13,08% and 13,05% in 2026). How the DF's own RREO prints the
split is UNCONFIRMED (DOMAIN §7): we follow the Tesouro's DF sheet.
"""

from __future__ import annotations

from decimal import Decimal

from siops.forms.catalogo import FormulaLinha, Layout, Linha, Tabela, soma_de
from siops.forms.formulas import Constante, Maior, Param, Percentual, Razao, Ref, Soma
from siops.forms.layouts import comum
from siops.forms.layouts.estadual import PRE2022, linhas_impostos_estaduais

DF_INCERTO = "Como o RREO do próprio DF imprime a divisão da base: NÃO CONFIRMADO (DOMAIN §7)."


def tabela_receitas_base() -> Tabela:
    return Tabela(
        "receitas_base",
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
                regra=soma_de("icms", "itcd", "ipva", "irrf"),
            ),
            *(
                Linha(
                    x.id,
                    x.titulo,
                    x.nivel + 1,
                    regra=x.regra,
                    naturezas=x.naturezas,
                    incerto=x.incerto,
                )
                for x in linhas_impostos_estaduais()
            ),
            Linha(
                "transferencias_estaduais",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                1,
                regra=soma_de("fpe", "ipi_exportacao", "outras_transferencias"),
            ),
            Linha(
                "fpe",
                "Cota-Parte FPE",
                2,
                naturezas=((2018, "1.7.1.8.01.1"), (2022, "1.7.1.1.50.0")),
            ),
            Linha(
                "ipi_exportacao",
                "Cota-Parte IPI-Exportação",
                2,
                naturezas=((2022, "1.7.1.1.53.0"),),
                incerto=PRE2022,
            ),
            Linha(
                "outras_transferencias",
                "Outras Transferências ou Compensações Financeiras "
                "Provenientes de Impostos e Transferências Constitucionais",
                2,
                naturezas=((2022, "1.7.1.9.62.0"),),
                incerto=PRE2022,
            ),
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
                regra=soma_de("iptu", "itbi", "iss"),
            ),
            Linha(
                "iptu",
                "Receita Resultante do Imposto Predial e Territorial Urbano - IPTU",
                2,
                naturezas=((2018, "1.1.1.8.01.1"), (2022, "1.1.1.2.50.0")),
            ),
            Linha(
                "itbi",
                "Receita Resultante do Imposto sobre Transmissão Inter Vivos - ITBI",
                2,
                naturezas=((2018, "1.1.1.8.01.4"), (2022, "1.1.1.2.53.0")),
            ),
            Linha(
                "iss",
                "Receita Resultante do Imposto sobre Serviços de Qualquer Natureza - ISS",
                2,
                naturezas=((2018, "1.1.1.8.02.3"), (2022, "1.1.1.4.51.0")),
            ),
            Linha(
                "transferencias_municipais",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                1,
                regra=soma_de(
                    "fpm", "itr", "ipi_exportacao_municipal", "outras_transferencias_municipais"
                ),
            ),
            Linha(
                "fpm",
                "Cota-Parte FPM",
                2,
                naturezas=((2018, "1.7.1.8.01.2"), (2022, "1.7.1.1.51.1")),
            ),
            Linha(
                "itr",
                "Cota-Parte ITR",
                2,
                naturezas=((2018, "1.7.1.8.01.5"), (2022, "1.7.1.1.52.0")),
            ),
            Linha(
                "ipi_exportacao_municipal",
                "Cota-Parte IPI-Exportação",
                2,
                naturezas=((2018, "1.7.2.8.01.3"), (2022, "1.7.2.1.52.0")),
            ),
            Linha(
                "outras_transferencias_municipais",
                "Outras Transferências ou Compensações "
                "Financeiras Provenientes de Impostos e Transferências Constitucionais",
                2,
                naturezas=((2022, "1.7.2.9.53.0"),),
            ),
            Linha(
                "total_base",
                "TOTAL DAS RECEITAS RESULTANTES DE IMPOSTOS E TRANSFERÊNCIAS "
                "CONSTITUCIONAIS E LEGAIS",
                0,
                True,
                soma_de("competencia_estadual", "competencia_municipal"),
            ),
        ),
        anexo12=True,
        ajuda=DF_INCERTO,
    )


def _minimo_df(tabela: str, coluna: str):
    # XVII = (I) × 12% + (II) × 15%, or (III) × % da Lei Orgânica do DF when higher (art. 8).
    estadual = Percentual(
        Ref(("receitas_base", "competencia_estadual", "realizada")), Constante(Decimal(12))
    )
    municipal = Percentual(
        Ref(("receitas_base", "competencia_municipal", "realizada")), Constante(Decimal(15))
    )
    lei = Percentual(Ref(comum.BASE), Param("percentual_lei_organica"))
    return Maior(Soma(((1, estadual), (1, municipal))), lei)


def layout(versao: str) -> Layout:
    """The DF layout."""
    apuracao = comum.tabela_apuracao(
        versao,
        FormulaLinha(
            _minimo_df,
            "(I) × 12% + (II) × 15% (LC 141/2012) ou (III) × % da Lei Orgânica do DF",
            ("receitas_base:competencia_estadual", "receitas_base:competencia_municipal"),
        ),
        "mínimo de 12% ou de 15%, dependendo da competência tributária, conforme LC 141/2012",
    )
    return Layout(
        esfera="df",
        versao=versao,
        descricao="Distrito Federal — RREO Anexo 12 (LC 141/2012, art. 8º: 12% da base "
        "estadual + 15% da base municipal)",
        pastas=comum.pastas(("receitas_base",)),
        tabelas=(tabela_receitas_base(), *comum.tabelas_comuns(versao, "df", apuracao)),
        campos=comum.campos("df"),
        grupos=comum.GRUPOS,
        # The DF's effective minimum is the blended rate XVII / III.
        parametros={
            "percentual_minimo": Razao(
                Ref(("apuracao", "despesa_minima", "empenhada")), Ref(comum.BASE)
            )
        },
        incertezas=(DF_INCERTO, PRE2022, comum.FNS_INCERTO),
    )
