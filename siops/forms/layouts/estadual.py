"""The state layout (LC 141/2012 art. 6: 12% of the base net of the transfers to municípios),
Anexo 12 sheet "Estados": one more line, (III) deduções, so numerals from (III) on are higher.

2022-on natureza codes are the model's; pre-2022 state codes other than FPE are UNCONFIRMED.
"""

from __future__ import annotations

from decimal import Decimal

from siops.forms.catalogo import (
    RECEITAS_BASE,
    TOTAL_BASE,
    Layout,
    Linha,
    SomaLinhas,
    Tabela,
    minimo,
    soma_de,
)
from siops.forms.layouts import comum

PRE2022 = "Código anterior a 2022 NÃO CONFIRMADO para estados (DOMAIN §7)."


def linhas_impostos_estaduais() -> tuple[Linha, ...]:
    """ICMS (principal + FCP), ITCD, IPVA and IRRF: the state taxes (also the DF's first part)."""
    return (
        Linha(
            "icms",
            "Receita Resultante do Imposto sobre a Circulação de Mercadorias e "
            "Serviços de Transporte Interestadual e Intermunicipal e de Comunicação – ICMS",
            1,
            regra=soma_de("icms_principal", "icms_fcp"),
            naturezas=((2022, "1.1.1.4.50.0"),),
        ),
        Linha(
            "icms_principal",
            "ICMS - Principal e Encargos (Multas, Juros de Mora, Dívida "
            "Ativa e Outros Encargos do ICMS)",
            2,
            naturezas=((2022, "1.1.1.4.50.1"),),
            incerto=PRE2022,
        ),
        Linha(
            "icms_fcp",
            "Adicional de até 2% do ICMS destinado ao Fundo de Combate à "
            "Pobreza (ADCT, art. 82, §1º)",
            2,
            naturezas=((2022, "1.1.1.4.50.2"),),
            incerto=PRE2022,
        ),
        Linha(
            "itcd",
            "Receita Resultante do Imposto de Transmissão Causa Mortis e Doação de "
            "Bens e Direitos – ITCD",
            1,
            naturezas=((2022, "1.1.1.2.52.0"),),
            incerto=PRE2022,
        ),
        Linha(
            "ipva",
            "Receita Resultante do Imposto sobre a Propriedade de Veículos Automotores – IPVA",
            1,
            naturezas=((2022, "1.1.1.2.51.0"),),
            incerto=PRE2022,
        ),
        Linha(
            "irrf",
            "Receita Resultante do Imposto sobre a Renda e Proventos de Qualquer "
            "Natureza Retido na Fonte – IRRF",
            1,
            naturezas=((2018, "1.1.1.3.03.0"), (2022, "1.1.1.3.03.0")),
        ),
    )


DEDUCAO = (
    "Valor da dedução (conta 6.2.1.3.1.02) sobre esta natureza; o código anterior a 2022 NÃO "
    "CONFIRMADO."
)
FPE_INCERTO = "FPE a partir de 2022: 1.7.1.1.50.0 pelo modelo; o DOMAIN o dá como provável."


# The state transfers, declared once: the DF's state part (``df``) reuses them.
FPE = Linha(
    "fpe",
    "Cota-Parte FPE",
    1,
    naturezas=((2018, "1.7.1.8.01.1"), (2022, "1.7.1.1.50.0")),
    incerto=FPE_INCERTO,
)
IPI_EXPORTACAO = Linha(
    "ipi_exportacao",
    "Cota-Parte IPI-Exportação",
    1,
    naturezas=((2022, "1.7.1.1.53.0"),),
    incerto=PRE2022,
)
#: The ICMS compensações (Lei Kandir and LC 176/2020): the model's row 26 (Estados) and 27
#: (DF) sum both codes; 25% of them belong to the municípios (Estados row 28).
COMPENSACOES_ICMS = ((2022, "1.7.1.9.62.0"), (2022, "1.7.1.9.63.0"))
OUTRAS_TRANSFERENCIAS = Linha(
    "outras_transferencias",
    "Outras Transferências ou Compensações Financeiras "
    "Provenientes de Impostos e Transferências Constitucionais",
    1,
    naturezas=COMPENSACOES_ICMS,
    incerto=PRE2022,
)
TRANSFERENCIAS_ESTADUAIS = (FPE, IPI_EXPORTACAO, OUTRAS_TRANSFERENCIAS)


def tabela_receitas_base() -> Tabela:
    impostos = linhas_impostos_estaduais()
    return Tabela(
        RECEITAS_BASE,
        "Receitas resultantes de impostos e transferências constitucionais e legais",
        comum.COLUNAS_RECEITA,
        (
            Linha(
                "impostos",
                "RECEITA DE IMPOSTOS",
                0,
                True,
                soma_de(*(x.id for x in impostos if x.nivel == 1)),
            ),
            *impostos,
            Linha(
                "transferencias",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                0,
                True,
                soma_de(*(x.id for x in TRANSFERENCIAS_ESTADUAIS)),
            ),
            *TRANSFERENCIAS_ESTADUAIS,
            Linha(
                "deducoes",
                "DEDUÇÕES DE TRANSFERÊNCIAS CONSTITUCIONAIS AOS MUNICÍPIOS",
                0,
                True,
                soma_de("deducao_icms", "deducao_ipva", "deducao_ipi"),
            ),
            # The deduction carries the natureza of the tax it deducts (conta 6.2.1.3.1.02 or
            # ND 3.3.40.81 when booked as despesa: the model's column E). The ICMS share is
            # 25% of the principal and of the compensações, never of the FCP (ADCT art. 82,
            # §1º: the adicional is not shared) — Estados row 28.
            Linha(
                "deducao_icms",
                "Parcela do ICMS Repassada aos Municípios (25%)",
                1,
                naturezas=((2022, "1.1.1.4.50.1"), *COMPENSACOES_ICMS),
                incerto=DEDUCAO,
                deduz=(("icms_principal", "outras_transferencias"), Decimal(25)),
            ),
            Linha(
                "deducao_ipva",
                "Parcela do IPVA Repassada aos Municípios (50%)",
                1,
                naturezas=((2022, "1.1.1.2.51.0"),),
                incerto=DEDUCAO,
                deduz=("ipva", Decimal(50)),
            ),
            Linha(
                "deducao_ipi",
                "Parcela da Cota-Parte do IPI-Exportação Repassada aos Municípios (25%)",
                1,
                naturezas=((2022, "1.7.1.1.53.0"),),
                incerto=DEDUCAO,
                deduz=("ipi_exportacao", Decimal(25)),
            ),
            Linha(
                TOTAL_BASE,
                comum.TITULO_TOTAL_BASE,
                0,
                True,
                SomaLinhas(((1, "impostos"), (1, "transferencias"), (-1, "deducoes"))),
            ),
        ),
        anexo12=True,
    )


def layout(versao: str) -> Layout:
    """The state layout."""
    apuracao = comum.tabela_apuracao(
        versao,
        comum.despesa_minima_simples(12, "IV", "Constituição Estadual"),
        "mínimo de 12% conforme LC 141/2012",
    )
    return Layout(
        esfera="estadual",
        versao=versao,
        descricao="Estado — RREO Anexo 12 (LC 141/2012, art. 6º: 12% da base líquida das "
        "transferências aos municípios)",
        pastas=comum.pastas((RECEITAS_BASE,)),
        tabelas=(tabela_receitas_base(), *comum.tabelas_comuns(versao, "estadual", apuracao)),
        campos=comum.campos("estadual"),
        grupos=comum.GRUPOS,
        parametros=minimo(12),
        incertezas=(PRE2022, DEDUCAO, FPE_INCERTO, comum.FNS_INCERTO),
    )
