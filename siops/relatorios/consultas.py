"""The SIOPS reports beyond the Anexo 12, as data: indicadores, despesa por fonte e restos a
pagar, consórcios, blocos de financiamento and the LC 141/2012 report.

Each is a ``Relatorio``: a title and sections, each section a table (an ``anexo12.Bloco``,
rendered by the same code as the Anexo 12) or paragraphs. Tables over catalog tables are the
catalog's rows and cells (``anexo12.bloco``); figures the report computes (shares,
differences, indicators) carry the core cells they come from (``Celula.num``/``den``), so
every printed figure can be checked against the core. ``para_dict`` gives the JSON.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from siops.forms.declaracao import Declaracao, periodo
from siops.forms.dinheiro import arredondar_percentual, formatar, percentual, texto_plano
from siops.forms.formulas import Chave
from siops.relatorios.anexo12 import Bloco, Celula, ColunaView, LinhaView, bloco
from siops.relatorios.indicadores import calcular, nome_ente, populacao

TIPOS = {
    "indicadores": "INDICADORES DO SIOPS",
    "fonte-rp": "DESPESA COM SAÚDE POR FONTE DE RECURSOS E RESTOS A PAGAR",
    "consorcios": "DESPESAS COM SAÚDE EXECUTADAS EM CONSÓRCIOS PÚBLICOS",
    "blocos": "EXECUÇÃO FINANCEIRA POR BLOCO DE FINANCIAMENTO",
    "lc141": "RELATÓRIO DA LC Nº 141/2012 — APURAÇÃO DO MÍNIMO E CONTROLES DOS ARTS. 24 E 25",
}


CURTOS = {
    "indicadores": "Indicadores do SIOPS",
    "fonte-rp": "Despesa por fonte e restos a pagar",
    "consorcios": "Despesas com consórcios públicos",
    "blocos": "Execução financeira por bloco",
    "lc141": "Relatório da LC nº 141/2012",
}


@dataclass(frozen=True, slots=True)
class Texto:
    """A section of paragraphs (explanations, checks)."""

    titulo: str
    paragrafos: tuple[str, ...]


Secao = Bloco | Texto


@dataclass(frozen=True, slots=True)
class Relatorio:
    """One report of one declaration, ready to print or to serialize."""

    tipo: str
    titulo: str
    ente: str
    ente_codigo: str
    exercicio: int
    bimestre: int
    periodo: str
    secoes: tuple[Secao, ...]
    dados: dict[str, Any] = field(default_factory=dict)  # extra figures for --json

    @property
    def titulo_curto(self) -> str:
        """The name used in the running header and the footer."""
        return CURTOS[self.tipo]

    def blocos(self) -> list[Bloco]:
        return [s for s in self.secoes if isinstance(s, Bloco)]

    def para_dict(self) -> dict[str, Any]:
        """The report as plain JSON-able data (values as plain decimal text)."""
        secoes: list[dict[str, Any]] = []
        for s in self.secoes:
            if isinstance(s, Texto):
                secoes.append({"titulo": s.titulo, "paragrafos": list(s.paragrafos)})
                continue
            secoes.append(
                {
                    "tabela": s.tabela,
                    "titulo": s.titulo,
                    "colunas": [
                        {"id": c.id, "titulo": c.titulo, "tipo": c.tipo} for c in s.colunas
                    ],
                    "linhas": [
                        {
                            "linha": x.linha,
                            "rotulo": x.rotulo,
                            "celulas": {c.coluna: _celula_json(c) for c in x.celulas},
                        }
                        for x in s.linhas
                    ],
                }
            )
        return {
            "tipo": self.tipo,
            "titulo": self.titulo,
            "ente": self.ente,
            "ente_codigo": self.ente_codigo,
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "periodo": self.periodo,
            "secoes": secoes,
            **self.dados,
        }


def _celula_json(c: Celula) -> dict[str, Any]:
    out: dict[str, Any] = {"texto": c.texto, "valor": None if c.valor is None else str(c.valor)}
    if c.chave:
        out["chave"] = list(c.chave)
    if c.num:
        out["num"] = [list(k) for k in c.num]
    if c.den:
        out["den"] = [list(k) for k in c.den]
    return out


def _linha(lid: str, rotulo: str, celulas: list[Celula], nivel: int = 1) -> LinhaView:
    return LinhaView(lid, None, rotulo, rotulo, nivel, nivel == 0, tuple(celulas))


def _novo(d: Declaracao, tipo: str, secoes: list[Secao], dados: dict | None = None) -> Relatorio:
    return Relatorio(
        tipo=tipo,
        titulo=TIPOS[tipo],
        ente=d.ente.descricao,
        ente_codigo=d.ente.codigo,
        exercicio=d.exercicio,
        bimestre=d.bimestre,
        periodo=periodo(d.bimestre, d.exercicio),
        secoes=tuple(secoes),
        dados=dados or {},
    )


# --- indicadores ------------------------------------------------------------------------------


def indicadores(d: Declaracao) -> Relatorio:
    """Indicadores 1.1–3.2 with numerator, denominator and, when not computed, why."""
    lista = calcular(d)
    colunas = (
        ColunaView("valor", "", "VALOR", "valor"),
        ColunaView("numerador", "", "NUMERADOR (R$)", "valor"),
        ColunaView("denominador", "", "DENOMINADOR (R$ OU HABITANTES)", "valor"),
        ColunaView("observacao", "", "OBSERVAÇÃO", "texto"),
    )
    linhas = []
    for i in lista:
        unidade = "R$ por habitante" if i.unidade == "R$/hab." else "%"
        if i.denominador is None:
            den_txt = NAO_INFORMADA
        elif i.unidade == "R$/hab.":
            den_txt = formatar(i.denominador, 0)
        else:
            den_txt = formatar(i.denominador)
        linhas.append(
            _linha(
                i.codigo,
                f"{i.codigo} {i.titulo} ({unidade})",
                [
                    Celula("valor", i.texto, i.valor, None, i.num, i.den),
                    Celula("numerador", formatar(i.numerador), i.numerador, None, i.num),
                    Celula("denominador", den_txt, i.denominador, None, (), i.den),
                    Celula("observacao", i.motivo),
                ],
            )
        )
    pop = populacao(d)
    notas = [
        "Receitas: valores realizados até o bimestre. Despesas (indicadores 2.1 a 3.1): "
        "despesa liquidada até o bimestre, como no SIOPS. Indicador 3.2: o percentual da "
        f"apuração do mínimo ({'despesa empenhada' if d.bimestre == 6 else 'despesa liquidada'}"
        " neste bimestre), apresentado como no demonstrativo.",
        "População: "
        + (
            f"{formatar(Decimal(pop), 0)} habitantes, informada em Dados Gerais."
            if pop
            else "não informada em Dados Gerais; o indicador 2.1 não foi calculado."
        ),
    ]
    titulo = f"INDICADORES DO {nome_ente(d.catalogo.esfera).upper()}"
    return _novo(
        d,
        "indicadores",
        [Bloco("indicadores", titulo, colunas, tuple(linhas)), Texto("Observações", tuple(notas))],
        {
            "indicadores": [
                {
                    "codigo": i.codigo,
                    "titulo": i.titulo,
                    "unidade": i.unidade,
                    "valor": None if i.valor is None else str(i.valor),
                    "texto": i.texto,
                    "numerador": texto_plano(i.numerador),
                    "denominador": None
                    if i.denominador is None
                    else (
                        str(int(i.denominador))
                        if i.unidade == "R$/hab."
                        else texto_plano(i.denominador)
                    ),
                    "motivo": i.motivo,
                }
                for i in lista
            ],
            "populacao": pop,
        },
    )


NAO_INFORMADA = "não informada"


# --- despesa por fonte e restos a pagar -------------------------------------------------------

COLUNAS_RP = ("inscrito", "pagos", "a_pagar", "cancelados")
COLUNAS_EXEC = ("empenhada", "liquidada", "paga")


def _conferencia(d: Declaracao, a: Chave, b: Chave, nome_a: str, nome_b: str) -> str:
    va, vb = d.valor(a), d.valor(b)
    if va == vb:
        return f"{nome_a} (R$ {formatar(va)}) igual a {nome_b}."
    return (
        f"{nome_a} (R$ {formatar(va)}) difere de {nome_b} (R$ {formatar(vb)}) em "
        f"R$ {formatar(va - vb)}."
    )


def fonte_rp(d: Declaracao) -> Relatorio:
    """Despesa com saúde by fonte de recursos, and the restos a pagar by exercício."""
    cat = d.catalogo
    fonte = bloco(d, cat.tabela("despesa_fonte"))
    rp = bloco(
        d,
        cat.tabela("rp_execucao"),
        so=COLUNAS_RP,
        titulo="RESTOS A PAGAR — INSCRITOS, PAGOS, A PAGAR E CANCELADOS OU PRESCRITOS",
    )
    conferencias = tuple(
        _conferencia(
            d,
            ("despesa_fonte", "total", c),
            ("despesas_totais", "total", c),
            f"Total por fonte, {c}",
            "o total das despesas com saúde do demonstrativo",
        )
        for c in COLUNAS_EXEC
    )
    return _novo(d, "fonte-rp", [fonte, rp, Texto("Conferência", conferencias)])


# --- consórcios -------------------------------------------------------------------------------

CRITICA_CONSORCIO = {"empenhada": 585, "liquidada": 586, "paga": 587}


def consorcios(d: Declaracao) -> Relatorio:
    """What was executed through consórcios beside what was transferred under rateio."""
    t = d.catalogo.tabela("consorcios")
    b = bloco(d, t)
    frases = []
    for c in COLUNAS_EXEC:
        exec_ = d.valor(("consorcios", "total", c))
        transf = d.valor(("consorcios", "transferido_rateio", c))
        if exec_ > transf:
            frases.append(
                f"{t.coluna(c).titulo}: o executado em consórcio (I), R$ {formatar(exec_)}, é "
                f"maior que o transferido por contrato de rateio (II), R$ {formatar(transf)}, em "
                f"R$ {formatar(exec_ - transf)} — crítica {CRITICA_CONSORCIO[c]}."
            )
        else:
            frases.append(
                f"{t.coluna(c).titulo}: o executado em consórcio (I), R$ {formatar(exec_)}, não "
                f"passa do transferido por contrato de rateio (II), R$ {formatar(transf)}."
            )
    return _novo(d, "consorcios", [b, Texto("Situação", tuple(frases))])


# --- blocos de financiamento ------------------------------------------------------------------

ORIGENS = (
    ("recebido_uniao", "UNIÃO (%)"),
    ("recebido_estado", "ESTADO / OUTROS ENTES (%)"),
    ("recursos_proprios", "RECURSOS PRÓPRIOS (%)"),
)


def blocos(d: Declaracao) -> Relatorio:
    """Receitas and despesas by bloco, and the share of each level of government."""
    t = d.catalogo.tabela("blocos")
    b = bloco(d, t)
    colunas = tuple(
        ColunaView(f"pct_{o}", "PARTICIPAÇÃO NO FINANCIAMENTO", titulo, "valor")
        for o, titulo in ORIGENS
    )
    linhas = []
    for linha in t.linhas:
        den = tuple((t.id, linha.id, o) for o, _ in ORIGENS)
        total = sum((d.valor(k) for k in den), Decimal("0.00"))
        cels = []
        for o, _ in ORIGENS:
            k = (t.id, linha.id, o)
            p = percentual(d.valor(k), total)
            cels.append(
                Celula(f"pct_{o}", arredondar_percentual(p) if p is not None else "0,00", p, None,
                       (k,), den)
            )  # fmt: skip
        linhas.append(_linha(linha.id, linha.titulo, cels, linha.nivel))
    partes = Bloco(
        "blocos_participacao",
        "PARTICIPAÇÃO DE CADA ESFERA DE GOVERNO NO FINANCIAMENTO DE CADA BLOCO",
        colunas,
        tuple(linhas),
    )
    nota = Texto(
        "Observação",
        (
            "Participação = recursos de cada origem ÷ (recebido da União + recebido do Estado "
            "ou de outros entes + contrapartida com recursos próprios) × 100; 0,00 quando o "
            "bloco não recebeu recursos.",
        ),
    )
    return _novo(d, "blocos", [b, partes, nota])


# --- LC 141/2012 ------------------------------------------------------------------------------

LC141_TEXTOS = {
    "apuracao": "Art. 7º (municípios), 6º (estados) e 8º (DF): a aplicação mínima em ações e "
    "serviços públicos de saúde; nos cinco primeiros bimestres pela despesa liquidada, no 6º "
    "pela empenhada.",
    "controle_minimo": "Arts. 25 e 26: a diferença que deixou de ser aplicada em exercícios "
    "anteriores deve ser acrescida ao mínimo do exercício seguinte, em conta vinculada.",
    "rp_execucao": "Art. 24: os restos a pagar inscritos e considerados no mínimo, pagos, a "
    "pagar e cancelados ou prescritos, por exercício do empenho.",
    "rp_cancelados_limite": "Art. 24, §§ 1º e 2º: os restos a pagar cancelados ou prescritos "
    "que afetaram o cumprimento do limite.",
    "controle_rp_cancelados": "Art. 24, §§ 1º e 2º: a disponibilidade de caixa vinculada aos "
    "restos a pagar cancelados ou prescritos deve ser reaplicada em saúde.",
}


def lc141(d: Declaracao) -> Relatorio:
    """The apuração of the minimum with the controls of arts. 24 and 25."""
    cat = d.catalogo
    secoes: list[Secao] = []
    for tid, texto in LC141_TEXTOS.items():
        secoes.append(Texto("", (texto,)))
        secoes.append(bloco(d, cat.tabela(tid)))
    i = d.indicadores(d.coluna_apuracao)
    situacao = (
        "cumprido: o valor aplicado é igual ou superior ao mínimo"
        if i.diferenca >= 0
        else f"não cumprido: faltam R$ {formatar(-i.diferenca)}"
    )
    secoes.append(
        Texto(
            "Situação no bimestre",
            (
                f"Limite mínimo {situacao} (coluna da despesa "
                f"{'empenhada' if d.bimestre == 6 else 'liquidada'}).",
            ),
        )
    )
    return _novo(d, "lc141", secoes)


CONSTRUTORES = {
    "indicadores": indicadores,
    "fonte-rp": fonte_rp,
    "consorcios": consorcios,
    "blocos": blocos,
    "lc141": lc141,
}


def relatorio(d: Declaracao, tipo: str) -> Relatorio:
    """The report of a type (``TIPOS``) for a declaration."""
    if tipo not in CONSTRUTORES:
        raise ValueError(f"Tipo de relatório desconhecido: '{tipo}'. Use {', '.join(TIPOS)}.")
    return CONSTRUTORES[tipo](d)
