"""The apuração of the minimum (XII–XIX) and the controls of the minimum not applied and of
restos a pagar (XX–XXVII), Anexo 12 of the 13ª edição."""

from __future__ import annotations

from siops.forms.catalogo import (
    APURACAO,
    DESPESA_MINIMA,
    DIFERENCA,
    LIMITE_NAO_CUMPRIDO,
    MINIMO_EXATO,
    PERCENTUAL_APLICADO,
    RECEITAS_BASE,
    TOTAL_ASPS,
    TOTAL_BASE,
    VALOR_APLICADO,
    Coluna,
    FormulaLinha,
    Linha,
    SomaLinhas,
    Tabela,
    soma_de,
)
from siops.forms.formulas import (
    Centavos,
    Diferenca,
    Expr,
    No6oBimestre,
    Param,
    Razao,
    Ref,
    SeNegativo,
    SePositivo,
    Soma,
    soma,
)
from siops.forms.layouts.colunas import BASE, COLUNAS_EXECUCAO, colunas_controle

# --- apuração ---------------------------------------------------------------------------------


def tabela_apuracao(versao: str, despesa_minima: FormulaLinha, rotulo_pct: str) -> Tabela:
    """The apuração of the minimum (XII–XIX) and the percentage applied.

    ``despesa_minima`` is the esfera's rule for XVII; the percentage is XVI over the base.
    """

    def pct(tabela: str, coluna: str) -> Expr:
        return Razao(Ref((tabela, VALOR_APLICADO, coluna)), Ref(BASE))

    return Tabela(
        APURACAO,
        "Apuração do cumprimento do limite mínimo para aplicação em ASPS",
        COLUNAS_EXECUCAO,
        (
            Linha(
                TOTAL_ASPS, "Total das Despesas com ASPS", 0, True, soma_de("despesas_asps:total")
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
                VALOR_APLICADO,
                "(=) VALOR APLICADO EM ASPS",
                0,
                True,
                SomaLinhas(
                    (
                        (1, TOTAL_ASPS),
                        (-1, "rp_sem_disponibilidade"),
                        (-1, "recursos_minimo_nao_aplicado"),
                        (-1, "rp_cancelados"),
                    )
                ),
            ),
            Linha(DESPESA_MINIMA, "Despesa Mínima a ser Aplicada em ASPS", 0, True, despesa_minima),
            Linha(
                DIFERENCA,
                "Diferença entre o Valor Aplicado e a Despesa Mínima a ser Aplicada",
                0,
                True,
                FormulaLinha(
                    lambda t, c: Diferenca(
                        Ref((t, VALOR_APLICADO, c)),
                        Ref((t, DESPESA_MINIMA, c)),
                        Param(MINIMO_EXATO),
                    ),
                    "(XVI) - (XVII)",
                    (VALOR_APLICADO, DESPESA_MINIMA),
                ),
                negativo_permitido=True,
            ),
            Linha(
                LIMITE_NAO_CUMPRIDO,
                "Limite não Cumprido (quando a diferença for negativa)",
                0,
                True,
                FormulaLinha(
                    lambda t, c: SeNegativo(Ref((t, DIFERENCA, c))),
                    "(XVIII) quando inferior a zero",
                    (DIFERENCA,),
                ),
                negativo_permitido=True,
            ),
            Linha(
                PERCENTUAL_APLICADO,
                "PERCENTUAL DA RECEITA DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS "
                f"APLICADO EM ASPS ({rotulo_pct})",
                0,
                versao >= "2025",
                FormulaLinha(
                    pct,
                    "(valor aplicado / base) × 100",
                    (VALOR_APLICADO, f"{RECEITAS_BASE}:{TOTAL_BASE}"),
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


def despesa_minima_simples(
    percentual: int, base_titulo: str, lei: str = "Lei Orgânica"
) -> FormulaLinha:
    """XVII = base × the effective minimum (law or Lei Orgânica/Constituição, the higher),
    rounded once to the centavo (the exact product is the ``minimo_exato`` parameter).
    ``lei``: the ente's own law ("Constituição Estadual" for states)."""
    return FormulaLinha(
        lambda t, c: Centavos(Param(MINIMO_EXATO)),
        f"({base_titulo}) × {percentual}% (LC 141/2012) ou % da {lei}",
        (f"{RECEITAS_BASE}:{TOTAL_BASE}",),
    )


# --- controls of the minimum not applied and of restos a pagar --------------------------------


def tabela_controle_minimo() -> Tabela:
    """Controle do valor referente ao percentual mínimo não cumprido em exercícios anteriores."""

    def linha_ano(t: str, c: str) -> Expr | None:
        # Saldo final of the current year = the shortfall XIX (d), as a positive amount.
        if c == "saldo_final":
            return soma(Ref((APURACAO, LIMITE_NAO_CUMPRIDO, "empenhada")), sinais=(-1,))
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
                regra=FormulaLinha(
                    linha_ano, "igual a (XIX) (d)", (f"{APURACAO}:{LIMITE_NAO_CUMPRIDO}",)
                ),
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
            return Ref((APURACAO, DESPESA_MINIMA, "empenhada"))
        if c == "valor_aplicado":
            return No6oBimestre(
                Ref((APURACAO, VALOR_APLICADO, "empenhada")),
                Ref((APURACAO, VALOR_APLICADO, "liquidada")),
            )
        if c == "inscrito_indevido":
            return Ref((APURACAO, "rp_sem_disponibilidade", "empenhada"))
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
                FormulaLinha(
                    ano, "saldo inicial = (XXIII)", ("rp_cancelados_limite:no_exercicio_atual",)
                ),
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
