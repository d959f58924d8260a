"""The municipal layout (LC 141/2012 art. 7: 15% of the base), Anexo 12 sheet "Municípios".

Natureza codes: up to 2021 and from 2022 (DOMAIN §7); the 13ª edição model names the 2022-on
codes (``shared/reference``), the earlier ones come from DOMAIN's table.
"""

from __future__ import annotations

from siops.forms.catalogo import (
    RECEITAS_BASE,
    TOTAL_BASE,
    Layout,
    Linha,
    Tabela,
    minimo,
    soma_de,
)
from siops.forms.layouts import comum

OUTRAS_INCERTO = (
    "O modelo da 13ª edição indica NR 1.7.2.9.53.0; o DOMAIN cita 1.7.1.9.51.0 (Lei Kandir) e "
    "1.7.1.9.58 (LC 176/2020) a partir de 2022: NÃO CONFIRMADO qual prevalece."
)


# The rows of the municipal base, declared once: the DF's municipal part (``df``) reuses them.
IPTU = Linha(
    "iptu",
    "Receita Resultante do Imposto Predial e Territorial Urbano - IPTU",
    1,
    naturezas=((2018, "1.1.1.8.01.1"), (2022, "1.1.1.2.50.0")),
)
ITBI = Linha(
    "itbi",
    "Receita Resultante do Imposto sobre Transmissão Inter Vivos - ITBI",
    1,
    naturezas=((2018, "1.1.1.8.01.4"), (2022, "1.1.1.2.53.0")),
)
ISS = Linha(
    "iss",
    "Receita Resultante do Imposto sobre Serviços de Qualquer Natureza - ISS",
    1,
    naturezas=((2018, "1.1.1.8.02.3"), (2022, "1.1.1.4.51.0")),
)
IRRF = Linha(
    "irrf",
    "Receita Resultante do Imposto sobre a Renda e Proventos de Qualquer "
    "Natureza Retido na Fonte - IRRF",
    1,
    naturezas=((2018, "1.1.1.3.03.0"), (2022, "1.1.1.3.03.0")),
)
FPM = Linha(
    "fpm",
    "Cota-Parte FPM",
    1,
    naturezas=((2018, "1.7.1.8.01.2"), (2022, "1.7.1.1.51.1")),
)
ITR = Linha(
    "itr",
    "Cota-Parte ITR",
    1,
    naturezas=((2018, "1.7.1.8.01.5"), (2022, "1.7.1.1.52.0")),
)
COTA_IPVA = Linha(
    "ipva",
    "Cota-Parte IPVA",
    1,
    naturezas=((2018, "1.7.2.8.01.2"), (2022, "1.7.2.1.51.0")),
)
COTA_ICMS = Linha(
    "icms",
    "Cota-Parte ICMS",
    1,
    naturezas=((2018, "1.7.2.8.01.1"), (2022, "1.7.2.1.50.0")),
)
COTA_IPI_EXPORTACAO = Linha(
    "ipi_exportacao",
    "Cota-Parte IPI-Exportação",
    1,
    naturezas=((2018, "1.7.2.8.01.3"), (2022, "1.7.2.1.52.0")),
)
OUTRAS_TRANSFERENCIAS = Linha(
    "outras_transferencias",
    "Outras Transferências ou Compensações Financeiras "
    "Provenientes de Impostos e Transferências Constitucionais",
    1,
    naturezas=((2018, "1.7.1.8.06.1"), (2022, "1.7.2.9.53.0")),
    incerto=OUTRAS_INCERTO,
)
IMPOSTOS_MUNICIPAIS = (IPTU, ITBI, ISS)  # without the IRRF, which the DF counts once (state part)
TRANSFERENCIAS_MUNICIPAIS = (FPM, ITR, COTA_IPI_EXPORTACAO, OUTRAS_TRANSFERENCIAS)


def tabela_receitas_base() -> Tabela:
    transferencias = (FPM, ITR, COTA_IPVA, COTA_ICMS, COTA_IPI_EXPORTACAO, OUTRAS_TRANSFERENCIAS)
    impostos = (*IMPOSTOS_MUNICIPAIS, IRRF)
    return Tabela(
        RECEITAS_BASE,
        "Receitas resultantes de impostos e transferências constitucionais e legais",
        comum.COLUNAS_RECEITA,
        (
            Linha("impostos", "RECEITA DE IMPOSTOS", 0, True, soma_de(*(x.id for x in impostos))),
            *impostos,
            Linha(
                "transferencias",
                "RECEITA DE TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS",
                0,
                True,
                soma_de(*(x.id for x in transferencias)),
            ),
            *transferencias,
            Linha(
                TOTAL_BASE,
                comum.TITULO_TOTAL_BASE,
                0,
                True,
                soma_de("impostos", "transferencias"),
            ),
        ),
        anexo12=True,
    )


def layout(versao: str) -> Layout:
    """The municipal layout in a version ("2024": 13ª edição; "2025": with the 2026 extras)."""
    apuracao = comum.tabela_apuracao(
        versao, comum.despesa_minima_simples(15, "III"), "mínimo de 15% conforme LC 141/2012"
    )
    return Layout(
        esfera="municipal",
        versao=versao,
        descricao="Município — RREO Anexo 12 (LC 141/2012, art. 7º: 15%)",
        pastas=comum.pastas((RECEITAS_BASE,)),
        tabelas=(tabela_receitas_base(), *comum.tabelas_comuns(versao, "municipal", apuracao)),
        campos=comum.campos("municipal"),
        grupos=comum.GRUPOS,
        parametros=minimo(15),
        incertezas=(OUTRAS_INCERTO, comum.FNS_INCERTO),
    )
