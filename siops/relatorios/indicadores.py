"""The SIOPS indicators of a declaration (the "Consulta de Indicadores"), computed from the
catalog's cells.

Each indicator is a ratio of two sums of cells (or, for 2.1, of a sum and the population typed
in Dados Gerais). Definitions, from the SIOPS municipal set (the state set is the same with
"Estado" for "Município"):

* 1.1 receita de impostos ÷ receita total; 1.2 transferências intergovernamentais (da União e
  dos Estados, correntes e de capital) ÷ receita total; 1.3 transferências para a saúde
  (SUS) ÷ transferências intergovernamentais; 1.4 transferências da União para a saúde ÷
  transferências para a saúde; 1.5 transferências da União para a saúde ÷ transferências da
  União; 1.6 receita de impostos e transferências constitucionais e legais (a base do mínimo)
  ÷ receita total. Revenues use the realized column.
* 2.1 despesa total com saúde ÷ população (R$ por habitante); 2.2–2.6 pessoal, medicamentos,
  serviços de terceiros – pessoa jurídica, investimentos and transferências a instituições
  privadas sem fins lucrativos ÷ despesa total com saúde; 3.1 transferências para a saúde ÷
  despesa total com saúde. These use the despesa liquidada, as SIOPS does.
* 3.2 the percentage of the LC 141/2012 (the apuração's, in the bimestre's column; presented
  by truncation, ``apresentar_percentual``). The others are rounded half-up.

A zero denominator, or a missing population, gives no value and says why (``motivo``).
Transfers "dos Municípios" are not counted as intergovernmental in 1.2: the catalog keeps them
in one line with those from private institutions and from abroad.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from siops.forms.catalogo import (
    APURACAO,
    PERCENTUAL_APLICADO,
    RECEITAS_BASE,
    TOTAL_BASE,
    VALOR_APLICADO,
    Catalogo,
)
from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import CENTAVO, apresentar_percentual, arredondar_percentual, formatar
from siops.forms.dinheiro import percentual as razao
from siops.forms.formulas import Chave

NAO_CALCULADO = "—"

# Rows as (tabela, linha); alternatives, the first whose rows all exist in the catalog is used.
IMPOSTOS = (
    ((RECEITAS_BASE, "impostos"),),
    ((RECEITAS_BASE, "impostos_estaduais"), (RECEITAS_BASE, "impostos_municipais")),
)
RECEITA_TOTAL = ((("receitas_totais", "receita_total"),),)
TRANSF_UNIAO = (
    (("receitas_totais", "transf_uniao_correntes"), ("receitas_totais", "transf_uniao_capital")),
)
TRANSF_INTERGOV = (
    (
        ("receitas_totais", "transf_uniao_correntes"),
        ("receitas_totais", "transf_estados_correntes"),
        ("receitas_totais", "transf_uniao_capital"),
        ("receitas_totais", "transf_estados_capital"),
    ),
)
TRANSF_SAUDE = ((("receitas_adicionais", "transferencias_saude"),),)
UNIAO_SAUDE = ((("receitas_adicionais", "uniao"),),)
BASE = (((RECEITAS_BASE, TOTAL_BASE),),)
DESPESA_TOTAL = ((("despesas_totais", "total"),),)
POPULACAO = "populacao"


def _elemento(linha: str) -> tuple:
    return ((("despesa_elemento", linha),),)


@dataclass(frozen=True, slots=True)
class Definicao:
    """One indicator: code, title (``{ente}`` is "Município", "Estado" or "Distrito Federal"),
    numerator and denominator rows with their columns, and how to name a zero denominator."""

    codigo: str
    titulo: str
    num: tuple
    col_num: str
    den: tuple | None  # None: the population
    col_den: str
    nome_den: str
    unidade: str = "%"


DEFINICOES: tuple[Definicao, ...] = (
    Definicao(
        "1.1",
        "Participação da receita de impostos na receita total do {ente}",
        IMPOSTOS, "realizada", RECEITA_TOTAL, "realizada", "a receita total",
    ),
    Definicao(
        "1.2",
        "Participação das transferências intergovernamentais na receita total do {ente}",
        TRANSF_INTERGOV, "realizada", RECEITA_TOTAL, "realizada", "a receita total",
    ),
    Definicao(
        "1.3",
        "Participação das transferências para a Saúde (SUS) no total de recursos transferidos "
        "para o {ente}",
        TRANSF_SAUDE, "realizada", TRANSF_INTERGOV, "realizada",
        "o total de transferências intergovernamentais",
    ),
    Definicao(
        "1.4",
        "Participação das transferências da União para a Saúde no total de recursos "
        "transferidos para a Saúde no {ente}",
        UNIAO_SAUDE, "realizada", TRANSF_SAUDE, "realizada",
        "o total de transferências para a saúde",
    ),
    Definicao(
        "1.5",
        "Participação das transferências da União para a Saúde (SUS) no total de "
        "transferências da União para o {ente}",
        UNIAO_SAUDE, "realizada", TRANSF_UNIAO, "realizada",
        "o total de transferências da União",
    ),
    Definicao(
        "1.6",
        "Participação da receita de impostos e transferências constitucionais e legais na "
        "receita total do {ente}",
        BASE, "realizada", RECEITA_TOTAL, "realizada", "a receita total",
    ),
    Definicao(
        "2.1",
        "Despesa total com Saúde, sob a responsabilidade do {ente}, por habitante",
        DESPESA_TOTAL, "liquidada", None, "", "a população", "R$/hab.",
    ),
    Definicao(
        "2.2",
        "Participação da despesa com pessoal na despesa total com Saúde",
        _elemento("pessoal"), "liquidada", DESPESA_TOTAL, "liquidada",
        "a despesa total com saúde",
    ),
    Definicao(
        "2.3",
        "Participação da despesa com medicamentos na despesa total com Saúde",
        _elemento("medicamentos"), "liquidada", DESPESA_TOTAL, "liquidada",
        "a despesa total com saúde",
    ),
    Definicao(
        "2.4",
        "Participação da despesa com serviços de terceiros – pessoa jurídica na despesa total "
        "com Saúde",
        _elemento("servicos_terceiros_pj"), "liquidada", DESPESA_TOTAL, "liquidada",
        "a despesa total com saúde",
    ),
    Definicao(
        "2.5",
        "Participação da despesa com investimentos na despesa total com Saúde",
        _elemento("investimentos"), "liquidada", DESPESA_TOTAL, "liquidada",
        "a despesa total com saúde",
    ),
    Definicao(
        "2.6",
        "Participação das transferências para instituições privadas sem fins lucrativos na "
        "despesa total com Saúde",
        _elemento("ipsfl"), "liquidada", DESPESA_TOTAL, "liquidada",
        "a despesa total com saúde",
    ),
    Definicao(
        "3.1",
        "Participação das transferências para a Saúde em relação à despesa total do {ente} "
        "com Saúde",
        TRANSF_SAUDE, "realizada", DESPESA_TOTAL, "liquidada", "a despesa total com saúde",
    ),
)  # fmt: skip

CODIGO_LC141 = "3.2"
TITULO_LC141 = "Participação da receita própria aplicada em Saúde conforme a LC nº 141/2012"


@dataclass(frozen=True, slots=True)
class Indicador:
    """A computed indicator: its value (None when it cannot be computed) and its parts."""

    codigo: str
    titulo: str
    unidade: str
    valor: Decimal | None
    texto: str
    numerador: Decimal
    denominador: Decimal | None  # None: the population is missing
    num: tuple[Chave, ...]
    den: tuple[Chave, ...]  # empty for 2.1 (the denominator is the population)
    motivo: str = ""


def nome_ente(esfera: str) -> str:
    """'Município', 'Estado' or 'Distrito Federal' for the indicator titles."""
    return {"municipal": "Município", "estadual": "Estado"}.get(esfera, "Distrito Federal")


def _linhas(cat: Catalogo, alternativas: tuple) -> tuple[tuple[str, str], ...]:
    for alt in alternativas:
        if all(t in cat.tabelas and _tem(cat, t, linha) for t, linha in alt):
            return alt
    raise KeyError(f"o catálogo {cat.esfera} não tem as linhas de {alternativas}")


def _tem(cat: Catalogo, tabela: str, linha: str) -> bool:
    return any(x.id == linha for x in cat.tabela(tabela).linhas)


def populacao(d: Declaracao) -> int | None:
    """The population typed in Dados Gerais ('4.600', '4600'); None when missing or invalid."""
    digitos = "".join(ch for ch in d.texto(POPULACAO) if ch.isdigit())
    bruto = d.texto(POPULACAO).replace(".", "").replace(" ", "").strip()
    if not digitos or digitos != bruto:
        return None
    n = int(digitos)
    return n if n > 0 else None


def calcular(d: Declaracao) -> list[Indicador]:
    """Every indicator of the declaration, in code order."""
    cat = d.catalogo
    ente = nome_ente(cat.esfera)
    out: list[Indicador] = []
    for df in DEFINICOES:
        titulo = df.titulo.format(ente=ente)
        num = tuple((t, x, df.col_num) for t, x in _linhas(cat, df.num))
        vnum = sum((d.valor(k) for k in num), Decimal("0.00"))
        if df.den is None:
            pop = populacao(d)
            if pop is None:
                out.append(
                    Indicador(
                        df.codigo, titulo, df.unidade, None, NAO_CALCULADO, vnum, None, num, (),
                        "Não calculado: a população não foi informada em Dados Gerais.",
                    )
                )  # fmt: skip
                continue
            v = (vnum / pop).quantize(CENTAVO, rounding=ROUND_HALF_UP)
            out.append(
                Indicador(
                    df.codigo, titulo, df.unidade, v, formatar(v), vnum, Decimal(pop), num, ()
                )
            )
            continue
        den = tuple((t, x, df.col_den) for t, x in _linhas(cat, df.den))
        vden = sum((d.valor(k) for k in den), Decimal("0.00"))
        p = razao(vnum, vden)
        if p is None:
            out.append(
                Indicador(
                    df.codigo, titulo, df.unidade, None, NAO_CALCULADO, vnum, vden, num, den,
                    f"Não calculado: {df.nome_den} é zero.",
                )
            )  # fmt: skip
            continue
        out.append(
            Indicador(
                df.codigo, titulo, df.unidade, p, arredondar_percentual(p), vnum, vden, num, den
            )
        )
    col = d.coluna_apuracao
    knum: Chave = (APURACAO, VALOR_APLICADO, col)
    kden: Chave = (RECEITAS_BASE, TOTAL_BASE, "realizada")
    vden = d.valor(kden)
    if vden == 0:
        out.append(
            Indicador(
                CODIGO_LC141, TITULO_LC141, "%", None, NAO_CALCULADO, d.valor(knum), vden,
                (knum,), (kden,),
                "Não calculado: a receita de impostos e transferências constitucionais e legais "
                "é zero.",
            )
        )  # fmt: skip
    else:
        p = d.valor((APURACAO, PERCENTUAL_APLICADO, col))
        out.append(
            Indicador(
                CODIGO_LC141, TITULO_LC141, "%", p, apresentar_percentual(p), d.valor(knum), vden,
                (knum,), (kden,),
            )
        )  # fmt: skip
    return out
