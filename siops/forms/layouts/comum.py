"""What the three esferas share: the pastas outside the Anexo 12 (fonte, consórcios, blocos),
the text fields, the pastas and the table order; it re-exports the blocks of ``colunas``,
``despesas``, ``apuracao`` and ``receitas``.

Everything here is data declared once; the esfera modules only add their receita base and the
rule of the minimum. Line titles follow the Tesouro's model (Manual de Demonstrativos Fiscais,
13ª edição, Anexo 12, in ``shared/reference``); numerals are assigned by ``forms.catalogo``.
"""

from __future__ import annotations

from dataclasses import replace

from siops.forms.catalogo import (
    CampoTexto,
    Coluna,
    Linha,
    Pasta,
    Tabela,
    soma_de,
)
from siops.forms.layouts.apuracao import (  # noqa: F401 (re-exported: the layouts use comum.*)
    ANOS_RP,
    despesa_minima_simples,
    tabela_apuracao,
    tabela_controle_minimo,
    tabela_controle_rp_cancelados,
    tabela_rp_cancelados_limite,
    tabela_rp_execucao,
)
from siops.forms.layouts.colunas import (  # noqa: F401
    BASE,
    COLUNAS_DESPESA,
    COLUNAS_EXECUCAO,
    COLUNAS_RECEITA,
    colunas_controle,
)
from siops.forms.layouts.despesas import (  # noqa: F401
    ELEMENTOS,
    GRUPOS_CAPITAL,
    GRUPOS_CORRENTES,
    SUBFUNCOES,
    linhas_por_subfuncao,
    tabela_despesa_elemento,
    tabela_despesas_asps,
    tabela_despesas_nao_computadas,
    tabela_despesas_totais,
)
from siops.forms.layouts.receitas import (  # noqa: F401
    FNS_INCERTO,
    tabela_receitas_adicionais,
    tabela_receitas_totais,
)

TITULO_TOTAL_BASE = (
    "TOTAL DAS RECEITAS RESULTANTES DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS"
)


def abaixo(linhas: tuple[Linha, ...], niveis: int, ids: dict[str, str] | None = None):
    """Rows declared for one esfera, reused deeper in another's tree (the DF's two parts).

    ``ids`` renames a row where the other esfera already has that public id (the DF's
    municipal IPI-Exportação is ``ipi_exportacao_municipal``); everything else — title,
    naturezas, what is unconfirmed — stays the one declaration.
    """
    ids = ids or {}
    return tuple(replace(x, nivel=x.nivel + niveis, id=ids.get(x.id, x.id)) for x in linhas)


# --- pastas outside the Anexo 12 --------------------------------------------------------------

FONTES = (
    ("recursos_proprios", "Recursos próprios — impostos e transferências constitucionais e legais"),
    ("sus_uniao", "Transferências do SUS — União"),
    ("sus_estado", "Transferências do SUS — Estado"),
    ("convenios", "Convênios"),
    ("operacoes_credito", "Operações de crédito"),
    ("royalties", "Royalties e compensações financeiras"),
    ("outros", "Outros recursos"),
)


def tabela_despesa_fonte(esfera: str) -> Tabela:
    fontes = (
        FONTES
        if esfera == "municipal"
        else tuple(
            (f, "Transferências do SUS — Municípios e outros entes" if f == "sus_estado" else t)
            for f, t in FONTES
        )
    )
    linhas = [Linha(fid, titulo, 1, fonte=fid) for fid, titulo in fontes]
    linhas.append(
        Linha(
            "total",
            "TOTAL DAS DESPESAS COM SAÚDE POR FONTE",
            0,
            regra=soma_de(*(f for f, _ in fontes)),
        )
    )
    return Tabela(
        "despesa_fonte",
        "Despesa com saúde por fonte de recursos",
        COLUNAS_EXECUCAO,
        tuple(linhas),
        ajuda="O total por fonte deve ser igual ao total das despesas com saúde.",
    )


def tabela_consorcios() -> Tabela:
    linhas = [Linha(sid, nome, 1, subfuncao=cod) for cod, sid, nome in SUBFUNCOES]
    linhas.append(
        Linha(
            "total",
            "Total das Despesas com Saúde (I)",
            0,
            regra=soma_de(*(s for _, s, _ in SUBFUNCOES)),
        )
    )
    linhas.append(
        Linha(
            "transferido_rateio",
            "Recursos transferidos a consórcios públicos mediante contrato de rateio (II)",
            0,
        )
    )
    return Tabela(
        "consorcios",
        "Despesa com saúde executada em consórcio público",
        COLUNAS_EXECUCAO,
        tuple(linhas),
        ajuda="O total executado em consórcio (I) não pode ser maior que o montante "
        "transferido aos consórcios mediante contrato de rateio (II).",
    )


BLOCOS = (
    ("atencao_basica", "Atenção Básica"),
    ("media_alta_complexidade", "Atenção de Média e Alta Complexidade Ambulatorial e Hospitalar"),
    ("assistencia_farmaceutica", "Assistência Farmacêutica"),
    ("vigilancia", "Vigilância em Saúde"),
    ("gestao_sus", "Gestão do SUS"),
    ("investimentos", "Investimentos na Rede de Serviços de Saúde"),
)


def tabela_blocos(esfera: str) -> Tabela:
    outro = "Recebido do Estado" if esfera == "municipal" else "Recebido de outros entes"
    linhas = [Linha(bid, titulo, 1) for bid, titulo in BLOCOS]
    linhas.append(Linha("total", "TOTAL", 0, regra=soma_de(*(b for b, _ in BLOCOS))))
    return Tabela(
        "blocos",
        "Execução financeira por bloco de financiamento",
        (
            Coluna("recebido_uniao", "Recebido da União (FNS)"),
            Coluna("recebido_estado", outro),
            Coluna("recursos_proprios", "Contrapartida com recursos próprios"),
            Coluna("empenhada", "Despesas empenhadas"),
            Coluna("liquidada", "Despesas liquidadas"),
            Coluna("paga", "Despesas pagas"),
        ),
        tuple(linhas),
    )


# --- text fields ------------------------------------------------------------------------------

GRUPOS = {
    "ente_info": "Dados do ente",
    "responsaveis": "Responsáveis",
    "instituicoes": "Instituições cujos dados estão incluídos",
    "fundo": "Fundo de Saúde",
    "conselho": "Conselho de Saúde",
}

N_INSTITUICOES = 6


def campos(esfera: str) -> tuple[CampoTexto, ...]:
    """Dados Gerais / Informações Adicionais fields (all importable from the previous bimestre)."""
    chefe = "Prefeito(a)" if esfera == "municipal" else "Governador(a)"
    lei = "Lei Orgânica" if esfera != "estadual" else "Constituição Estadual"
    out = [
        CampoTexto("populacao", "População estimada (habitantes)", "ente_info", "inteiro"),
        CampoTexto(
            "percentual_lei_organica",
            f"Percentual mínimo da {lei} (preencha só se for maior que o da LC 141/2012)",
            "ente_info",
            "percentual",
        ),
    ]
    for rid, titulo in (
        ("chefe", chefe),
        ("secretario", "Secretário(a) de Saúde"),
        ("contador", "Contador(a)"),
        ("responsavel", "Responsável pelo preenchimento"),
    ):
        out += [
            CampoTexto(f"{rid}_nome", f"{titulo} — nome", "responsaveis", obrigatorio=True),
            CampoTexto(f"{rid}_cpf", f"{titulo} — CPF", "responsaveis", "cpf", obrigatorio=True),
            CampoTexto(f"{rid}_cargo", f"{titulo} — cargo", "responsaveis"),
            CampoTexto(
                f"{rid}_email",
                f"{titulo} — e-mail",
                "responsaveis",
                "email",
                obrigatorio=rid == "responsavel",
            ),
            CampoTexto(f"{rid}_telefone", f"{titulo} — telefone", "responsaveis", "telefone"),
        ]
    for i in range(1, N_INSTITUICOES + 1):
        out += [
            CampoTexto(f"instituicao_{i}_nome", f"Instituição {i} — nome", "instituicoes"),
            CampoTexto(f"instituicao_{i}_cnpj", f"Instituição {i} — CNPJ", "instituicoes", "cnpj"),
            CampoTexto(
                f"instituicao_{i}_natureza",
                f"Instituição {i} — natureza (administração direta, fundo, autarquia, "
                "fundação, consórcio…)",
                "instituicoes",
            ),
        ]
    out += [
        CampoTexto("fundo_cnpj", "CNPJ do Fundo de Saúde", "fundo", "cnpj", obrigatorio=True),
        CampoTexto(
            "fundo_lei", "Lei de criação do Fundo de Saúde (número/ano)", "fundo", obrigatorio=True
        ),
        CampoTexto("fundo_gestor", "Gestor do Fundo de Saúde", "fundo"),
        CampoTexto(
            "conselho_lei",
            "Lei de criação do Conselho de Saúde (número/ano)",
            "conselho",
            obrigatorio=True,
        ),
        CampoTexto("conselho_data_lei", "Data da lei de criação do Conselho", "conselho", "data"),
        CampoTexto(
            "conselho_presidente", "Presidente do Conselho de Saúde", "conselho", obrigatorio=True
        ),
        CampoTexto(
            "conselho_aprovou_relatorio",
            "O Conselho aprovou o último relatório de gestão? (Sim/Não)",
            "conselho",
            "sim_nao",
        ),
    ]
    return tuple(out)


def pastas(receita_tabelas: tuple[str, ...]) -> tuple[Pasta, ...]:
    """The pastas (tabs) of the declaration, in the order the user works."""
    return (
        Pasta(
            "dados_gerais",
            "Dados Gerais",
            grupos=("ente_info", "responsaveis"),
            ajuda="Ente, exercício, bimestre e responsáveis pela declaração.",
        ),
        Pasta(
            "informacoes_adicionais",
            "Informações Adicionais",
            grupos=("instituicoes", "fundo", "conselho"),
            ajuda="Instituições incluídas, Fundo de Saúde e Conselho de Saúde.",
        ),
        Pasta(
            "receitas",
            "Receitas",
            (*receita_tabelas, "receitas_adicionais", "receitas_totais"),
            ajuda="Receitas de impostos e transferências (base do mínimo) e receitas "
            "adicionais para a saúde.",
        ),
        Pasta(
            "despesas",
            "Despesas com Saúde",
            (
                "despesas_asps",
                "despesas_nao_computadas",
                "despesas_totais",
                "despesa_elemento",
                "consorcios",
            ),
            ajuda="Despesas por subfunção e categoria econômica, computadas ou não no "
            "mínimo, e as executadas em consórcio público.",
        ),
        Pasta(
            "fonte_rp",
            "Despesa por Fonte e Restos a Pagar",
            (
                "despesa_fonte",
                "rp_execucao",
                "rp_cancelados_limite",
                "controle_rp_cancelados",
                "controle_minimo",
            ),
        ),
        Pasta("blocos", "Execução Financeira por Bloco", ("blocos",)),
        Pasta(
            "apuracao",
            "Apuração do Mínimo (ASPS)",
            ("apuracao",),
            ajuda="Calculada automaticamente a partir das receitas e despesas.",
        ),
    )


def tabelas_comuns(versao: str, esfera: str, apuracao: Tabela) -> tuple[Tabela, ...]:
    """Every table after the receita base, in Anexo 12 order, then the other pastas."""
    return (
        tabela_despesas_asps(),
        apuracao,
        tabela_controle_minimo(),
        tabela_rp_execucao(),
        tabela_rp_cancelados_limite(),
        tabela_controle_rp_cancelados(),
        tabela_receitas_adicionais(esfera),
        tabela_despesas_nao_computadas(),
        tabela_despesas_totais(versao),
        tabela_receitas_totais(),
        tabela_despesa_elemento(),
        tabela_despesa_fonte(esfera),
        tabela_consorcios(),
        tabela_blocos(esfera),
    )
