"""Despesa tables by subfunção × grupo (computed and not computed in the minimum, totals)
and by elemento."""

from __future__ import annotations

from siops.forms.catalogo import (
    Linha,
    SomaLinhas,
    Tabela,
    soma_de,
)
from siops.forms.layouts.colunas import COLUNAS_DESPESA, COLUNAS_EXECUCAO

# --- subfunções and grupos --------------------------------------------------------------------

SUBFUNCOES = (
    ("301", "s301", "Atenção Básica"),
    ("302", "s302", "Assistência Hospitalar e Ambulatorial"),
    ("303", "s303", "Suporte Profilático e Terapêutico"),
    ("304", "s304", "Vigilância Sanitária"),
    ("305", "s305", "Vigilância Epidemiológica"),
    ("306", "s306", "Alimentação e Nutrição"),
    ("outras", "outras", "Outras Subfunções"),
)

GRUPOS_CORRENTES = (
    ("3.1", "31", "Pessoal e Encargos Sociais"),
    ("3.2", "32", "Juros e Encargos da Dívida"),
    ("3.3", "33", "Outras Despesas Correntes"),
)
GRUPOS_CAPITAL = (
    ("4.4", "44", "Investimentos"),
    ("4.5", "45", "Inversões Financeiras"),
    ("4.6", "46", "Amortização da Dívida"),
)


def linhas_por_subfuncao(titulo_total: str) -> tuple[Linha, ...]:
    """The rows of a despesa-by-subfunção table: subfunção › categoria › grupo, and the total."""
    linhas: list[Linha] = []
    for codigo, sid, nome in SUBFUNCOES:
        sub = None if codigo == "outras" else codigo
        linhas.append(
            Linha(
                sid,
                nome.upper(),
                0,
                True,
                soma_de(f"{sid}_correntes", f"{sid}_capital"),
                subfuncao=codigo,
            )
        )
        for cat, grupos, titulo in (
            ("3", GRUPOS_CORRENTES, "Despesas Correntes"),
            ("4", GRUPOS_CAPITAL, "Despesas de Capital"),
        ):
            cid = f"{sid}_{'correntes' if cat == '3' else 'capital'}"
            linhas.append(
                Linha(
                    cid,
                    titulo,
                    1,
                    regra=soma_de(*(f"{sid}_{g}" for _, g, _ in grupos)),
                    subfuncao=codigo,
                    grupo=cat,
                )
            )
            for gcod, g, gtit in grupos:
                linhas.append(Linha(f"{sid}_{g}", gtit, 2, subfuncao=codigo, grupo=gcod))
        del sub
    linhas.append(Linha("total", titulo_total, 0, True, soma_de(*(s for _, s, _ in SUBFUNCOES))))
    return tuple(linhas)


def tabela_despesas_asps() -> Tabela:
    return Tabela(
        "despesas_asps",
        "Despesas com ações e serviços públicos de saúde (ASPS) — por subfunção e categoria "
        "econômica",
        COLUNAS_DESPESA,
        linhas_por_subfuncao("TOTAL"),
        anexo12=True,
        ajuda="Despesas custeadas com recursos próprios (impostos e transferências "
        "constitucionais e legais), computadas no mínimo da LC 141/2012.",
    )


def tabela_despesas_nao_computadas() -> Tabela:
    return Tabela(
        "despesas_nao_computadas",
        "Despesas com saúde por subfunção e categoria econômica não computadas no cálculo do "
        "mínimo",
        COLUNAS_DESPESA,
        linhas_por_subfuncao("TOTAL DAS DESPESAS NÃO COMPUTADAS NO CÁLCULO DO MÍNIMO"),
        anexo12=True,
        ajuda="Despesas com saúde custeadas com transferências do SUS, convênios, operações "
        "de crédito e outras fontes que não entram no mínimo.",
    )


def tabela_despesas_totais(versao: str) -> Tabela:
    linhas = [
        Linha(
            sid,
            nome.upper(),
            0,
            True,
            soma_de(f"despesas_asps:{sid}", f"despesas_nao_computadas:{sid}"),
            subfuncao=cod,
        )
        for cod, sid, nome in SUBFUNCOES
    ]
    linhas.append(
        Linha(
            "total",
            "TOTAL DAS DESPESAS COM SAÚDE",
            0,
            True,
            soma_de("despesas_asps:total", "despesas_nao_computadas:total"),
        )
    )
    if versao >= "2025":
        incerto = (
            "Linhas vistas só numa tabela gerada pelo SIOPS em 2026 (DOMAIN §7): NÃO CONFIRMADO."
        )
        linhas.append(
            Linha(
                "lc173_uniao",
                "(-) Despesas da Fonte: Transferências da União - inciso I do art. 5º da "
                "LC 173/2020",
                1,
                incerto=incerto,
            )
        )
        linhas.append(
            Linha(
                "total_recursos_proprios",
                "TOTAL DAS DESPESAS EXECUTADAS COM RECURSOS PRÓPRIOS",
                0,
                True,
                SomaLinhas(((1, "total"), (-1, "lc173_uniao"))),
                incerto=incerto,
            )
        )
    return Tabela(
        "despesas_totais", "Despesas totais com saúde", COLUNAS_DESPESA, tuple(linhas), anexo12=True
    )


ELEMENTOS = (
    ("pessoal", "Pessoal e encargos sociais", "3.1"),
    ("medicamentos", "Medicamentos (material farmacológico)", "3.3.90.30.09"),
    ("servicos_terceiros_pj", "Serviços de terceiros — pessoa jurídica", "3.3.90.39"),
    ("ipsfl", "Transferências a instituições privadas sem fins lucrativos", "3.3.50"),
    ("investimentos", "Investimentos", "4.4"),
    ("demais", "Demais despesas", ""),
)


def tabela_despesa_elemento() -> Tabela:
    """Despesa total com saúde by elemento, for the indicators 2.2–2.6."""
    linhas = [Linha(eid, titulo, 1, grupo=nd or None) for eid, titulo, nd in ELEMENTOS]
    linhas.append(
        Linha(
            "total",
            "TOTAL DAS DESPESAS COM SAÚDE POR ELEMENTO",
            0,
            regra=soma_de(*(e for e, _, _ in ELEMENTOS)),
        )
    )
    return Tabela(
        "despesa_elemento",
        "Despesa total com saúde por natureza (elemento)",
        COLUNAS_EXECUCAO,
        tuple(linhas),
        ajuda="O total por elemento deve ser igual ao total das despesas com saúde.",
    )
