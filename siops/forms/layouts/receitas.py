"""Receita tables shared by the esferas: receitas adicionais (XXVIII–XXXI) and total revenue."""

from __future__ import annotations

from siops.forms.catalogo import (
    Linha,
    SomaLinhas,
    Tabela,
    soma_de,
)
from siops.forms.layouts.colunas import COLUNAS_RECEITA

# --- receitas adicionais ----------------------------------------------------------------------

FNS_INCERTO = (
    "A divisão das transferências da União em fundo a fundo de custeio e de investimento "
    "(usada pelas críticas 310 e 352) é uma escolha nossa: NÃO CONFIRMADO."
)


def tabela_receitas_adicionais(esfera: str) -> Tabela:
    outros = (
        "Provenientes de Outros Municípios"
        if esfera == "municipal"
        else ("Provenientes dos Municípios")
    )
    estados = (
        "Provenientes dos Estados" if esfera != "estadual" else "Provenientes de Outros Estados"
    )
    uniao_partes = ("uniao_fns_custeio", "uniao_fns_investimento", "uniao_outras")
    return Tabela(
        "receitas_adicionais",
        "Receitas adicionais para o financiamento da saúde não computadas no cálculo do mínimo",
        COLUNAS_RECEITA,
        (
            Linha(
                "transferencias_saude",
                "RECEITAS DE TRANSFERÊNCIAS PARA A SAÚDE",
                0,
                True,
                soma_de("uniao", "estados", "municipios"),
            ),
            Linha(
                "uniao",
                "Provenientes da União",
                1,
                regra=soma_de(*uniao_partes),
                naturezas=((2022, "1.7.1.3.50.0"),),
            ),
            Linha(
                "uniao_fns_custeio",
                "Transferências fundo a fundo do SUS (FNS) — custeio, regulares e automáticas",
                2,
                naturezas=((2022, "1.7.1.3.50.0"),),
                incerto=FNS_INCERTO,
            ),
            Linha(
                "uniao_fns_investimento",
                "Transferências fundo a fundo do SUS (FNS) — investimento",
                2,
                naturezas=((2022, "2.4.1.1.50.0"),),
                incerto=FNS_INCERTO,
            ),
            Linha(
                "uniao_outras",
                "Convênios e outras transferências da União para a saúde",
                2,
                naturezas=((2022, "1.7.1.7.50.0"),),
            ),
            Linha("estados", estados, 1, naturezas=((2022, "1.7.2.3.50.0"),)),
            Linha("municipios", outros, 1, naturezas=((2022, "1.7.3.1.50.0"),)),
            Linha(
                "operacoes_credito",
                "RECEITA DE OPERAÇÕES DE CRÉDITO INTERNAS E EXTERNAS VINCULADAS A SAÚDE",
                0,
                True,
                naturezas=((2022, "2.1.1.2.51.0"),),
            ),
            Linha(
                "outras_receitas", "OUTRAS RECEITAS", 0, True, naturezas=((2022, "1.6.3.0.00.0"),)
            ),
            Linha(
                "total",
                "TOTAL DE RECEITAS ADICIONAIS PARA FINANCIAMENTO DA SAÚDE",
                0,
                True,
                soma_de("transferencias_saude", "operacoes_credito", "outras_receitas"),
            ),
        ),
        anexo12=True,
    )


def tabela_receitas_totais() -> Tabela:
    """Total revenue by origin (categoria econômica), for the SIOPS indicators 1.1–1.6.

    The SIOPS Receitas pasta lists the whole ementário; we keep the level the indicators need.
    """
    r = (
        Linha(
            "receita_total",
            "RECEITA TOTAL",
            0,
            regra=SomaLinhas(((1, "correntes"), (1, "capital"), (-1, "deducoes"))),
        ),
        Linha(
            "correntes",
            "RECEITAS CORRENTES",
            1,
            regra=soma_de(
                "impostos_taxas",
                "contribuicoes",
                "patrimonial",
                "servicos",
                "transferencias_correntes",
                "outras_correntes",
            ),
            naturezas=((2018, "1"),),
        ),
        Linha(
            "impostos_taxas",
            "Impostos, Taxas e Contribuições de Melhoria",
            2,
            naturezas=((2018, "1.1"),),
        ),
        Linha("contribuicoes", "Contribuições", 2, naturezas=((2018, "1.2"),)),
        Linha("patrimonial", "Receita Patrimonial", 2, naturezas=((2018, "1.3"),)),
        Linha(
            "servicos",
            "Receitas Agropecuária, Industrial e de Serviços",
            2,
            naturezas=((2018, "1.4"),),
        ),
        Linha(
            "transferencias_correntes",
            "Transferências Correntes",
            2,
            regra=soma_de(
                "transf_uniao_correntes",
                "transf_estados_correntes",
                "transf_municipios_correntes",
                "transf_fundeb",
                "transf_outras_correntes",
            ),
            naturezas=((2018, "1.7"),),
        ),
        Linha(
            "transf_uniao_correntes",
            "da União e de suas Entidades",
            3,
            naturezas=((2022, "1.7.1"),),
        ),
        Linha(
            "transf_estados_correntes",
            "dos Estados e do Distrito Federal e de suas Entidades",
            3,
            naturezas=((2022, "1.7.2"),),
        ),
        Linha(
            "transf_municipios_correntes",
            "dos Municípios e de suas Entidades",
            3,
            naturezas=((2022, "1.7.3"),),
        ),
        Linha(
            "transf_fundeb",
            "de Outras Instituições Públicas (FUNDEB)",
            3,
            naturezas=((2022, "1.7.5"),),
        ),
        Linha(
            "transf_outras_correntes",
            "de Instituições Privadas, do Exterior e Outras",
            3,
        ),
        Linha("outras_correntes", "Outras Receitas Correntes", 2, naturezas=((2018, "1.9"),)),
        Linha(
            "capital",
            "RECEITAS DE CAPITAL",
            1,
            regra=soma_de(
                "operacoes_credito",
                "alienacao_bens",
                "amortizacao_emprestimos",
                "transferencias_capital",
                "outras_capital",
            ),
            naturezas=((2018, "2"),),
        ),
        Linha("operacoes_credito", "Operações de Crédito", 2, naturezas=((2018, "2.1"),)),
        Linha("alienacao_bens", "Alienação de Bens", 2, naturezas=((2018, "2.2"),)),
        Linha(
            "amortizacao_emprestimos", "Amortização de Empréstimos", 2, naturezas=((2018, "2.3"),)
        ),
        Linha(
            "transferencias_capital",
            "Transferências de Capital",
            2,
            regra=soma_de(
                "transf_uniao_capital",
                "transf_estados_capital",
                "transf_municipios_capital",
                "transf_outras_capital",
            ),
            naturezas=((2018, "2.4"),),
        ),
        Linha(
            "transf_uniao_capital", "da União e de suas Entidades", 3, naturezas=((2022, "2.4.1"),)
        ),
        Linha(
            "transf_estados_capital",
            "dos Estados e do Distrito Federal e de suas Entidades",
            3,
            naturezas=((2022, "2.4.2"),),
        ),
        Linha(
            "transf_municipios_capital",
            "dos Municípios e de suas Entidades",
            3,
            naturezas=((2022, "2.4.3"),),
        ),
        Linha(
            "transf_outras_capital",
            "de Instituições Privadas, do Exterior e Outras",
            3,
        ),
        Linha("outras_capital", "Outras Receitas de Capital", 2, naturezas=((2018, "2.9"),)),
        Linha("deducoes", "(-) Deduções da receita (FUNDEB e outras)", 1, naturezas=((2018, "9"),)),
    )
    return Tabela(
        "receitas_totais",
        "Receitas totais do ente (administração direta e indireta)",
        COLUNAS_RECEITA,
        r,
        ajuda="Receita total por origem, usada nos indicadores do SIOPS.",
    )
