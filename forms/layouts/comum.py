"""Blocks shared by the three esferas: columns, the despesa tables by subfunção, the apuração,
the restos-a-pagar controls, the extra pastas (fonte, consórcios, blocos) and the text fields.

Everything here is data declared once; the esfera modules only add their receita base and the
rule of the minimum. Line titles follow the Tesouro's model (Manual de Demonstrativos Fiscais,
13ª edição, Anexo 12, in ``shared/reference``); numerals are assigned by ``forms.catalogo``.
"""

from __future__ import annotations

from decimal import Decimal

from forms.catalogo import (
    CampoTexto,
    Coluna,
    FormulaLinha,
    Linha,
    Pasta,
    SomaLinhas,
    Tabela,
    soma_de,
)
from forms.formulas import (
    Constante,
    Expr,
    No6oBimestre,
    Param,
    Percentual,
    Razao,
    Ref,
    SeNegativo,
    SePositivo,
    Soma,
    soma,
)

# --- columns ----------------------------------------------------------------------------------

COLUNAS_RECEITA = (
    Coluna("previsao_inicial", "Previsão inicial"),
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
    Coluna("dotacao_inicial", "Dotação inicial"),
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


# --- apuração ---------------------------------------------------------------------------------

BASE = ("receitas_base", "total_base", "realizada")


def tabela_apuracao(versao: str, despesa_minima: FormulaLinha, rotulo_pct: str) -> Tabela:
    """The apuração of the minimum (XII–XIX) and the percentage applied.

    ``despesa_minima`` is the esfera's rule for XVII; the percentage is XVI over the base.
    """

    def pct(tabela: str, coluna: str) -> Expr:
        return Razao(Ref((tabela, "valor_aplicado", coluna)), Ref(BASE))

    return Tabela(
        "apuracao",
        "Apuração do cumprimento do limite mínimo para aplicação em ASPS",
        COLUNAS_EXECUCAO,
        (
            Linha(
                "total_asps", "Total das Despesas com ASPS", 0, True, soma_de("despesas_asps:total")
            ),
            Linha(
                "rp_sem_disponibilidade",
                "(-) Restos a Pagar Não Processados Inscritos Indevidamente no Exercício sem "
                "Disponibilidade Financeira",
                1,
                True,
                somente_6o=True,
            ),
            Linha(
                "recursos_minimo_nao_aplicado",
                "(-) Despesas Custeadas com Recursos Vinculados à Parcela do Percentual Mínimo "
                "que não foi Aplicada em ASPS em Exercícios Anteriores",
                1,
                True,
            ),
            Linha(
                "rp_cancelados",
                "(-) Despesas Custeadas com Disponibilidade de Caixa Vinculada aos Restos a "
                "Pagar Cancelados",
                1,
                True,
            ),
            Linha(
                "valor_aplicado",
                "(=) VALOR APLICADO EM ASPS",
                0,
                True,
                SomaLinhas(
                    (
                        (1, "total_asps"),
                        (-1, "rp_sem_disponibilidade"),
                        (-1, "recursos_minimo_nao_aplicado"),
                        (-1, "rp_cancelados"),
                    )
                ),
            ),
            Linha(
                "despesa_minima", "Despesa Mínima a ser Aplicada em ASPS", 0, True, despesa_minima
            ),
            Linha(
                "diferenca",
                "Diferença entre o Valor Aplicado e a Despesa Mínima a ser Aplicada",
                0,
                True,
                SomaLinhas(((1, "valor_aplicado"), (-1, "despesa_minima"))),
                negativo_permitido=True,
            ),
            Linha(
                "limite_nao_cumprido",
                "Limite não Cumprido (quando a diferença for negativa)",
                0,
                True,
                FormulaLinha(
                    lambda t, c: SeNegativo(Ref((t, "diferenca", c))),
                    "(XVIII) quando inferior a zero",
                    ("diferenca",),
                ),
                negativo_permitido=True,
            ),
            Linha(
                "percentual_aplicado",
                "PERCENTUAL DA RECEITA DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS "
                f"APLICADO EM ASPS ({rotulo_pct})",
                0,
                versao >= "2025",
                FormulaLinha(
                    pct,
                    "(valor aplicado / base) × 100",
                    ("valor_aplicado", "receitas_base:total_base"),
                ),
                tipo="percentual",
                incerto=(
                    "Numeral desta linha a partir de 2025 NÃO CONFIRMADO (DOMAIN §7)."
                    if versao >= "2025"
                    else ""
                ),
            ),
        ),
        anexo12=True,
        ajuda="Nos cinco primeiros bimestres o acompanhamento é feito pela despesa liquidada; "
        "no 6º bimestre, pela empenhada (nota 1 do Anexo 12).",
    )


def despesa_minima_simples(percentual: int, base_titulo: str) -> FormulaLinha:
    """XVII = base × the effective minimum (law or Lei Orgânica/Constituição, the higher)."""
    return FormulaLinha(
        lambda t, c: Percentual(Ref(BASE), Param("percentual_minimo")),
        f"({base_titulo}) × {percentual}% (LC 141/2012) ou % da Lei Orgânica",
        ("receitas_base:total_base",),
    )


# --- controls of the minimum not applied and of restos a pagar --------------------------------


def tabela_controle_minimo() -> Tabela:
    """Controle do valor referente ao percentual mínimo não cumprido em exercícios anteriores."""

    def linha_ano(t: str, c: str) -> Expr | None:
        # Saldo final of the current year = the shortfall XIX (d), as a positive amount.
        if c == "saldo_final":
            return soma(Ref(("apuracao", "limite_nao_cumprido", "empenhada")), sinais=(-1,))
        return None

    def total(t: str, c: str) -> Expr:
        linhas = ["diferenca_ano_1", "diferenca_anteriores"]
        if c == "saldo_final":
            linhas = ["diferenca_ano", *linhas]
        return Soma(tuple((1, Ref((t, x, c))) for x in linhas))

    return Tabela(
        "controle_minimo",
        "Controle do valor referente ao percentual mínimo não cumprido em exercícios anteriores "
        "para fins de aplicação dos recursos vinculados conforme artigos 25 e 26 da LC 141/2012",
        colunas_controle(("h", "i", "j", "k", "l")),
        (
            Linha(
                "diferenca_ano",
                "Diferença de limite não cumprido em {ano}",
                1,
                regra=FormulaLinha(linha_ano, "igual a XIX (d)"),
                colunas=("saldo_final",),
            ),
            Linha("diferenca_ano_1", "Diferença de limite não cumprido em {ano_1}", 1),
            Linha(
                "diferenca_anteriores",
                "Diferença de limite não cumprido em exercícios anteriores",
                1,
            ),
            Linha(
                "total",
                "TOTAL DA DIFERENÇA DE LIMITE NÃO CUMPRIDO EM EXERCÍCIOS ANTERIORES",
                0,
                True,
                FormulaLinha(total, "soma das linhas acima"),
            ),
        ),
        anexo12=True,
    )


def _col_rp(cid: str, titulo: str, letra: str, formula=None) -> Coluna:
    return Coluna(cid, titulo, f"({letra})", formula=formula)


def _o(t: str, linha: str) -> Expr:
    return SePositivo(
        soma(Ref((t, linha, "valor_aplicado")), Ref((t, linha, "valor_minimo")), sinais=(1, -1))
    )


def _r(t: str, linha: str) -> Expr:
    return SePositivo(
        soma(
            Ref((t, linha, "inscrito")),
            Ref((t, linha, "aplicado_alem")),
            Ref((t, linha, "inscrito_indevido")),
            sinais=(1, -1, -1),
        )
    )


def _t(t: str, linha: str) -> Expr:
    return soma(
        Ref((t, linha, "inscrito")),
        Ref((t, linha, "pagos")),
        Ref((t, linha, "cancelados")),
        sinais=(1, -1, -1),
    )


def _v(t: str, linha: str) -> Expr:
    return soma(
        Ref((t, linha, "aplicado_alem")),
        Ref((t, linha, "inscrito_indevido")),
        Ref((t, linha, "cancelados")),
        sinais=(1, 1, -1),
    )


ANOS_RP = (
    ("empenhos_ano", "Empenhos de {ano}"),
    ("empenhos_ano_1", "Empenhos de {ano_1}"),
    ("empenhos_ano_2", "Empenhos de {ano_2}"),
    ("empenhos_ano_3", "Empenhos de {ano_3}"),
    ("empenhos_anteriores", "Empenhos de {ano_4} e anteriores"),
)


def tabela_rp_execucao() -> Tabela:
    """Execução de restos a pagar, by exercício of the empenho (columns m … v of the model)."""

    def ano_corrente(t: str, c: str) -> Expr | None:
        if c == "valor_minimo":
            return Ref(("apuracao", "despesa_minima", "empenhada"))
        if c == "valor_aplicado":
            return No6oBimestre(
                Ref(("apuracao", "valor_aplicado", "empenhada")),
                Ref(("apuracao", "valor_aplicado", "liquidada")),
            )
        if c == "inscrito_indevido":
            return Ref(("apuracao", "rp_sem_disponibilidade", "empenhada"))
        return None

    linhas = [
        Linha(
            lid,
            titulo,
            1,
            regra=FormulaLinha(ano_corrente, "valores do exercício") if i == 0 else None,
        )
        for i, (lid, titulo) in enumerate(ANOS_RP)
    ]
    return Tabela(
        "rp_execucao",
        "Execução de restos a pagar",
        (
            _col_rp("valor_minimo", "Valor mínimo para aplicação em ASPS", "m"),
            _col_rp("valor_aplicado", "Valor aplicado em ASPS no exercício", "n"),
            _col_rp("aplicado_alem", "Valor aplicado além do limite mínimo", "o", _o),
            _col_rp("inscrito", "Total inscrito em RP no exercício", "p"),
            _col_rp(
                "inscrito_indevido",
                "RPNP inscritos indevidamente no exercício sem disponibilidade financeira",
                "q",
            ),
            _col_rp("considerado", "Valor inscrito em RP considerado no limite", "r", _r),
            _col_rp("pagos", "Total de RP pagos", "s"),
            _col_rp("a_pagar", "Total de RP a pagar", "t", _t),
            _col_rp("cancelados", "Total de RP cancelados ou prescritos", "u"),
            _col_rp(
                "diferenca",
                "Diferença entre o valor aplicado além do limite e o total de RP cancelados",
                "v",
                _v,
            ),
        ),
        tuple(linhas),
        anexo12=True,
        ajuda="A partir de 2019 o controle considera os restos a pagar processados e não "
        "processados (nota 2 do Anexo 12).",
    )


def tabela_rp_cancelados_limite() -> Tabela:
    """XXI–XXIII: restos a pagar cancelados that affected the minimum (positive amounts)."""

    def xxi(t: str, c: str) -> Expr:
        # "soma dos saldos negativos da coluna v", kept as a positive amount to compensate.
        return Soma(
            tuple((-1, SeNegativo(Ref(("rp_execucao", lid, "diferenca")))) for lid, _ in ANOS_RP)
        )

    return Tabela(
        "rp_cancelados_limite",
        "Restos a pagar cancelados ou prescritos que afetaram o cumprimento do limite",
        (Coluna("valor", "Valor"),),
        (
            Linha(
                "ate_exercicio_atual",
                "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS ATÉ O FINAL DO EXERCÍCIO "
                "ATUAL QUE AFETARAM O CUMPRIMENTO DO LIMITE",
                0,
                True,
                FormulaLinha(xxi, "soma dos saldos negativos da coluna (v)"),
            ),
            Linha(
                "ate_exercicio_anterior",
                "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS ATÉ O FINAL DO EXERCÍCIO "
                "ANTERIOR QUE AFETARAM O CUMPRIMENTO DO LIMITE (valor informado no "
                "demonstrativo do exercício anterior)",
                0,
                True,
            ),
            Linha(
                "no_exercicio_atual",
                "TOTAL DOS RESTOS A PAGAR CANCELADOS OU PRESCRITOS NO EXERCÍCIO ATUAL QUE "
                "AFETARAM O CUMPRIMENTO DO LIMITE (Artigo 24 § 1º e 2º da LC 141/2012)",
                0,
                True,
                SomaLinhas(((1, "ate_exercicio_atual"), (-1, "ate_exercicio_anterior"))),
                negativo_permitido=True,
            ),
        ),
        anexo12=True,
    )


def tabela_controle_rp_cancelados() -> Tabela:
    """XXIV–XXVII: RP cancelados to be compensated with the cash linked to them (art. 24)."""

    def ano(t: str, c: str) -> Expr | None:
        if c == "saldo_inicial":
            return Ref(("rp_cancelados_limite", "no_exercicio_atual", "valor"))
        return None

    return Tabela(
        "controle_rp_cancelados",
        "Controle de restos a pagar cancelados ou prescritos considerados para fins de "
        "aplicação da disponibilidade de caixa conforme artigo 24 § 1º e 2º da LC 141/2012",
        colunas_controle(("w", "x", "y", "z", "aa")),
        (
            Linha(
                "cancelados_ano",
                "Restos a pagar cancelados ou prescritos em {ano} a serem compensados",
                1,
                True,
                FormulaLinha(ano, "saldo inicial igual ao anterior"),
            ),
            Linha(
                "cancelados_ano_1",
                "Restos a pagar cancelados ou prescritos em {ano_1} a serem compensados",
                1,
                True,
            ),
            Linha(
                "cancelados_anteriores",
                "Restos a pagar cancelados ou prescritos em "
                "exercícios anteriores a serem compensados",
                1,
                True,
            ),
            Linha(
                "total",
                "TOTAL DE RESTOS A PAGAR CANCELADOS OU PRESCRITOS A COMPENSAR",
                0,
                True,
                soma_de("cancelados_ano", "cancelados_ano_1", "cancelados_anteriores"),
            ),
        ),
        anexo12=True,
    )


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
                "transf_uniao_correntes", "transf_estados_correntes", "transf_outras_correntes"
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
            "transf_outras_correntes",
            "dos Municípios, de Instituições Privadas, do Exterior e Outras",
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
                "transf_uniao_capital", "transf_estados_capital", "transf_outras_capital"
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
            "transf_outras_capital",
            "dos Municípios, de Instituições Privadas, do Exterior e Outras",
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
