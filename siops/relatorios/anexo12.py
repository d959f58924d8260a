"""The RREO Anexo 12 as data: every block, row and printed cell, computed from a ``Declaracao``
through the catalog (no second list of rows).

The PDF (``relatorios.pdf_rreo``) prints exactly this view, and ``Demonstrativo.para_dict`` gives
it as JSON, so every printed text can be compared with the value the core computes for the same
cell. Presentation rules decided here, and only here:

* **Blocks** are the catalog's ``anexo12`` tables, in catalog order.
* **Columns** are the table's columns, plus the model's percent columns: ``% (b/a) x 100`` after
  the realized revenue and ``% (d/c)``, ``% (e/c)``, ``% (f/c)`` after the empenhada, liquidada
  and paga expenditure (``PERCENTUAIS``; the letters come from the catalog's ``Coluna.rotulo``).
  They are rounded half-up (``arredondar_percentual``); on a zero denominator the core's
  ``percentual`` gives ``None`` and the cell prints ``0,00`` (as SIOPS-generated tables do).
* **Row labels** are the catalog title, the roman numeral, and the rule written from the
  catalog's ``regra`` (``TOTAL (XI) = (IV + V + VI + VII + VIII + IX + X)``). The minimum
  (XVII) and the percentage name the percentage really used, as the model's two XVII lines do
  (``rotulo_do_minimo``): ``(III) × 15% (LC 141/2012)``, or ``(III) × 18,00% (Lei Orgânica
  Municipal)`` when the ente's own law sets more (Constituição Estadual for states, Lei
  Orgânica do DF).
* **N/A**: a row the user types only in the 6º bimestre (``Linha.somente_6o``, e.g. XIII)
  prints ``N/A`` before it, as the model says.
* **Apuração**: the minimum (XVII) does not depend on the column (the catalog computes the
  same figure in all three), so it is printed once, under the empenhada column, as the
  Tesouro's model does; the percentage applied is printed under (d), (e) and (f), as the
  SIOPS demonstrativo does (a homologated SIOPS table prints 36,42 / 17,87 / 17,46; the
  Tesouro's model leaves (f) blank) (``APURACAO_SO_EM``). XVIII and XIX are printed in all three columns: the
  model prints XVIII in (d), (e) and (f), and in the 1º–5º bimestres the apuração follows the
  liquidada column (nota 1), so XIX printed under (d) only would hide the shortfall that
  matters.
* The applied percentage uses ``apresentar_percentual`` (truncation, DOMAIN §7).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

from siops.forms.catalogo import (
    APURACAO,
    DESPESA_MINIMA,
    PERCENTUAL_APLICADO,
    PERCENTUAL_LC141,
    PERCENTUAL_LEI_ORGANICA,
    RECEITAS_BASE,
    TOTAL_BASE,
    Catalogo,
    FormulaLinha,
    Linha,
    SomaLinhas,
    Tabela,
)
from siops.forms.declaracao import Declaracao, periodo
from siops.forms.dinheiro import (
    apresentar_percentual,
    arredondar_percentual,
    formatar,
    percentual,
    texto_plano,
)
from siops.forms.formulas import Chave, chave_param
from siops.forms.tempo import data_hora_br

NA = "N/A"

#: Percent columns of the model: numerator column -> denominator column.
PERCENTUAIS: dict[str, str] = {
    "realizada": "previsao_atualizada",
    "empenhada": "dotacao_atualizada",
    "liquidada": "dotacao_atualizada",
    "paga": "dotacao_atualizada",
}

#: Apuração rows the model prints only under some columns (see the module docstring).
APURACAO_SO_EM: dict[str, tuple[str, ...]] = {
    "despesa_minima": ("empenhada",),
    # The SIOPS demonstrativo prints the percentage under (d), (e) and (f) (issue 20.17).
    "percentual_aplicado": ("empenhada", "liquidada", "paga"),
}

TITULO = "RELATÓRIO RESUMIDO DA EXECUÇÃO ORÇAMENTÁRIA"
SUBTITULO = "DEMONSTRATIVO DAS RECEITAS E DESPESAS COM AÇÕES E SERVIÇOS PÚBLICOS DE SAÚDE"
ORCAMENTOS = "ORÇAMENTOS FISCAL E DA SEGURIDADE SOCIAL"
ANEXO = "RREO – ANEXO XII (LC n° 141/2012, art. 35)"

NOTAS = (
    "¹ Nos cinco primeiros bimestres do exercício, o acompanhamento será feito com base na "
    "despesa liquidada. No último bimestre do exercício, o valor deverá corresponder ao total "
    "da despesa empenhada.",
    "² Até o exercício de 2018, o controle da execução dos restos a pagar considerava apenas os "
    "valores dos restos a pagar não processados (regra antiga). A partir do exercício de 2019, "
    "o controle da execução dos restos a pagar considera os restos a pagar processados e não "
    "processados (regra nova).",
)

COLUNA_NOME = {"empenhada": "despesa empenhada", "liquidada": "despesa liquidada"}


# --- the view ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColunaView:
    """A printed column: a catalog column, or a percent column over two of them."""

    id: str  # the catalog column id, or "pct_<numerador>"
    grupo: str  # the spanning header ("DESPESAS EMPENHADAS"), or "" for a single header
    titulo: str  # the header under the group, or the whole header
    tipo: str  # "valor", "percentual" or "texto" (left-aligned, wraps)
    numerador: str | None = None  # percent columns: (numerador / denominador) × 100
    denominador: str | None = None


@dataclass(frozen=True, slots=True)
class Celula:
    """One printed cell: its text, the value behind it and, for catalog cells, the key.

    A cell computed by the report rather than by the core (a percent column, an indicator)
    has no ``chave``; ``num`` and ``den`` then name the core cells whose sums it divides
    (``valor = percentual(Σ num, Σ den)``), so a test can recompute it from the core.
    """

    coluna: str
    texto: str
    valor: Decimal | None = None
    chave: Chave | None = None
    num: tuple[Chave, ...] = ()
    den: tuple[Chave, ...] = ()


@dataclass(frozen=True, slots=True)
class LinhaView:
    """A printed row of a block."""

    linha: str
    numeral: str | None
    titulo: str  # the catalog title (with the exercício's years)
    rotulo: str  # what is printed: title, numeral and rule
    nivel: int
    destaque: bool  # numbered / total rows (bold)
    celulas: tuple[Celula, ...]

    def celula(self, coluna: str) -> Celula:
        for c in self.celulas:
            if c.coluna == coluna:
                return c
        raise KeyError(coluna)


@dataclass(frozen=True, slots=True)
class Bloco:
    """A block of the demonstrativo: one ``anexo12`` table of the catalog."""

    tabela: str
    titulo: str
    colunas: tuple[ColunaView, ...]
    linhas: tuple[LinhaView, ...]

    def coluna_tipo(self, coluna: str) -> str:
        """The type of a printed column ("valor", "percentual" or "texto")."""
        for c in self.colunas:
            if c.id == coluna:
                return c.tipo
        raise KeyError(coluna)


@dataclass(frozen=True, slots=True)
class Resumo:
    """The apuração in one column, for the chart and the summary line."""

    coluna: str
    percentual: Decimal
    percentual_minimo: Decimal
    valor_aplicado: Decimal
    despesa_minima: Decimal
    base: Decimal
    #: (XVIII): negative exactly when the minimum is not met (decided on the exact minimum).
    diferenca: Decimal = Decimal(0)

    @property
    def cumprido(self) -> bool:
        """Whether the minimum is met — the same test as XVIII, XIX and the crítica 611."""
        return self.diferenca >= 0


@dataclass(frozen=True, slots=True)
class Demonstrativo:
    """The whole Anexo 12 of one declaration, ready to print or to serialize."""

    ente: str  # d.ente.descricao
    ente_codigo: str
    esfera: str
    exercicio: int
    bimestre: int
    periodo: str
    layout: str
    blocos: tuple[Bloco, ...]
    resumo: Resumo
    notas: tuple[str, ...] = NOTAS
    cabecalho: tuple[str, ...] = field(default=(TITULO, SUBTITULO, ORCAMENTOS))

    @property
    def linhas(self) -> int:
        """How many rows (headers excluded) the blocks print."""
        return sum(len(b.linhas) for b in self.blocos)

    def para_dict(self) -> dict[str, Any]:
        """The view as plain JSON-able data (values as plain decimal text)."""
        return {
            "ente": self.ente,
            "ente_codigo": self.ente_codigo,
            "esfera": self.esfera,
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "periodo": self.periodo,
            "layout": self.layout,
            "resumo": {
                "coluna": self.resumo.coluna,
                "percentual": str(self.resumo.percentual),
                "percentual_apresentado": apresentar_percentual(self.resumo.percentual),
                "percentual_minimo": str(self.resumo.percentual_minimo),
                "valor_aplicado": texto_plano(self.resumo.valor_aplicado),
                "despesa_minima": texto_plano(self.resumo.despesa_minima),
                "base": texto_plano(self.resumo.base),
                "diferenca": texto_plano(self.resumo.diferenca),
            },
            "blocos": [
                {
                    "tabela": b.tabela,
                    "titulo": b.titulo,
                    "colunas": [
                        {
                            "id": c.id,
                            "grupo": c.grupo,
                            "titulo": c.titulo,
                            "tipo": c.tipo,
                            **({"formula": [c.numerador, c.denominador]} if c.numerador else {}),
                        }
                        for c in b.colunas
                    ],
                    "linhas": [
                        {
                            "linha": linha.linha,
                            "numeral": linha.numeral,
                            "rotulo": linha.rotulo,
                            "nivel": linha.nivel,
                            "celulas": {
                                c.coluna: {
                                    "texto": c.texto,
                                    "valor": None if c.valor is None else str(c.valor),
                                    **({"chave": list(c.chave)} if c.chave else {}),
                                    **({"num": [list(k) for k in c.num]} if c.num else {}),
                                    **({"den": [list(k) for k in c.den]} if c.den else {}),
                                }
                                for c in linha.celulas
                            },
                        }
                        for linha in b.linhas
                    ],
                }
                for b in self.blocos
            ],
            "notas": list(self.notas),
        }


# --- building it ------------------------------------------------------------------------------


def _cabecalho_coluna(titulo: str, rotulo: str) -> tuple[str, str]:
    """Split a catalog column title into the model's two header levels.

    "Despesas empenhadas até o bimestre" → ("DESPESAS EMPENHADAS", "Até o bimestre (d)");
    "Despesas custeadas — liquidadas" → ("DESPESAS CUSTEADAS", "Liquidadas (j)");
    "Dotação atualizada" → ("", "DOTAÇÃO ATUALIZADA (c)").
    """
    sufixo = f" {rotulo}" if rotulo else ""
    m = re.match(r"^(.*?)\s+(até o bimestre)$", titulo, re.IGNORECASE)
    if m:
        return m.group(1).upper(), m.group(2).capitalize() + sufixo
    if " — " in titulo:
        grupo, sub = titulo.split(" — ", 1)
        return grupo.upper(), sub[:1].upper() + sub[1:] + sufixo
    return "", titulo.upper() + sufixo


def colunas_do_bloco(
    t: Tabela, so: tuple[str, ...] | None = None, percentuais: bool = True
) -> tuple[ColunaView, ...]:
    """The printed columns of a table: its own (or only those in ``so``) plus the model's
    percent columns (unless ``percentuais`` is false)."""
    ids = {c.id for c in t.colunas}
    out: list[ColunaView] = []
    for c in t.colunas:
        if so is not None and c.id not in so:
            continue
        grupo, titulo = _cabecalho_coluna(c.titulo, c.rotulo)
        out.append(ColunaView(c.id, grupo, titulo, "valor"))
        den = PERCENTUAIS.get(c.id)
        if percentuais and den in ids:
            num_r = c.rotulo.strip("()") or c.id
            den_r = t.coluna(den).rotulo.strip("()") or den
            out.append(
                ColunaView(
                    f"pct_{c.id}",
                    grupo,
                    f"% ({num_r}/{den_r}) x 100",
                    "percentual",
                    numerador=c.id,
                    denominador=den,
                )
            )
    return tuple(out)


_ROMANO = re.compile(r"\(([IVXLCDM]+)\)")


def regra_texto(cat: Catalogo, t: Tabela, linha: Linha) -> str:
    """The rule of a numbered row as the model prints it, written from the catalog's data.

    ``(XI) = (IV + V + VI + VII + VIII + IX + X)``; ``(XVI) = (XII - XIII - XIV - XV)``;
    for rules given by a description, the description with its numerals re-read from the
    catalog (a layout's text may name the municipal numeral where the state's differs).
    """
    numeral = cat.numerais.get((t.id, linha.id))
    regra = linha.regra
    if numeral is None or regra is None:
        return ""
    referidas = regra.linhas_referidas(t.id)
    nums = [cat.numerais.get(r) for r in referidas]
    if isinstance(regra, SomaLinhas):
        if not nums or any(n is None for n in nums):
            return ""
        if len(nums) == 1:
            return f"= ({nums[0]})"
        partes = [nums[0]]
        for (sinal, _), n in zip(regra.termos[1:], nums[1:], strict=True):
            partes.append(("+ " if sinal > 0 else "- ") + str(n))
        return "= (" + " ".join(str(p) for p in partes) + ")"
    assert isinstance(regra, FormulaLinha)
    if linha.tipo == "percentual" and len(nums) == 2 and all(nums):
        return f"({nums[0]} / {nums[1]}) × 100"
    desc = regra.descricao
    if not desc:
        return ""
    fila = list(nums)

    def trocar(m: re.Match[str]) -> str:
        if fila:
            n = fila.pop(0)
            if n:
                return f"({n})"
        return m.group(0)

    desc = _ROMANO.sub(trocar, desc)
    if desc.startswith("("):
        return "= " + desc
    return f"({desc})"


def rotulo_linha(cat: Catalogo, t: Tabela, linha: Linha) -> str:
    """What the label column prints: the title, the numeral and the rule."""
    titulo = linha.titulo_em(cat.exercicio)
    numeral = cat.numerais.get((t.id, linha.id))
    regra = regra_texto(cat, t, linha)
    if linha.tipo == "percentual":
        return f"{titulo} {regra}".strip() if not numeral else f"{titulo} ({numeral}) {regra}"
    partes = [titulo]
    if numeral:
        partes.append(f"({numeral})")
    if regra:
        partes.append(regra)
    return " ".join(partes)


#: The ente's own law, whose percentage replaces the LC 141/2012's when higher (the model's
#: second XVII line: "(III) x % (Lei Orgânica Municipal)", "(IV) x % (Constituição Estadual)").
LEI_DO_ENTE = {
    "municipal": "Lei Orgânica Municipal",
    "estadual": "Constituição Estadual",
    "df": "Lei Orgânica do DF",
}
_MINIMO_DE = re.compile(r"\(mínimo de [^()]*\)")


def minimo_usado(d: Declaracao) -> tuple[Decimal, str | None]:
    """The percentage the minimum (XVII) really uses and the ente's law that sets it, or None
    when it is the LC 141/2012's (also when the law's is typed equal or lower: ignored)."""
    lei = d.valor(chave_param(PERCENTUAL_LEI_ORGANICA))
    lc = d.valor(chave_param(PERCENTUAL_LC141))
    if lei > lc:
        return lei, LEI_DO_ENTE.get(d.catalogo.esfera, "Lei Orgânica")
    return lc, None


def rotulo_do_minimo(d: Declaracao, t: Tabela, linha: Linha) -> str | None:
    """The label of XVII and of the percentage naming the percentage really used (the
    catalog's rule says "15% (LC 141/2012) ou % da Lei Orgânica"; the printed row says which);
    None for the other rows."""
    if t.id != APURACAO or linha.id not in (DESPESA_MINIMA, PERCENTUAL_APLICADO):
        return None
    cat = d.catalogo
    rotulo = rotulo_linha(cat, t, linha)
    pct, lei = minimo_usado(d)
    if linha.id == DESPESA_MINIMA:
        lc, _, _ = rotulo.partition(" ou ")
        if lei is None:
            return lc
        base = cat.numerais.get((RECEITAS_BASE, TOTAL_BASE), "")
        numeral = cat.numerais.get((t.id, linha.id))
        inicio = linha.titulo_em(cat.exercicio) + (f" ({numeral})" if numeral else "")
        return f"{inicio} = ({base}) × {apresentar_percentual(pct)}% ({lei})"
    if lei is None:
        return rotulo
    return _MINIMO_DE.sub(
        f"(mínimo de {apresentar_percentual(pct)}% conforme a {lei})", rotulo, count=1
    )


def _celulas(
    d: Declaracao, t: Tabela, linha: Linha, colunas: tuple[ColunaView, ...]
) -> list[Celula]:
    proprias = {c.id for c in t.colunas_da_linha(linha)}
    so_em = APURACAO_SO_EM.get(linha.id) if t.id == "apuracao" else None
    na = linha.somente_6o and d.bimestre != 6
    out: list[Celula] = []
    for cv in colunas:
        if cv.tipo == "percentual":
            assert cv.numerador and cv.denominador
            if cv.numerador not in proprias or cv.denominador not in proprias:
                out.append(Celula(cv.id, ""))
                continue
            if na:
                out.append(Celula(cv.id, NA))
                continue
            kn: Chave = (t.id, linha.id, cv.numerador)
            kd: Chave = (t.id, linha.id, cv.denominador)
            p = percentual(d.valor(kn), d.valor(kd))
            texto = arredondar_percentual(p) if p is not None else "0,00"
            out.append(Celula(cv.id, texto, p, None, (kn,), (kd,)))
            continue
        chave: Chave = (t.id, linha.id, cv.id)
        if cv.id not in proprias or (so_em is not None and cv.id not in so_em):
            out.append(Celula(cv.id, ""))
        elif na:
            out.append(Celula(cv.id, NA, None, chave))
        else:
            v = d.valor(chave)
            texto = apresentar_percentual(v) if linha.tipo == "percentual" else formatar(v)
            out.append(Celula(cv.id, texto, v, chave))
    return out


def bloco(
    d: Declaracao,
    t: Tabela,
    so: tuple[str, ...] | None = None,
    percentuais: bool = True,
    titulo: str | None = None,
) -> Bloco:
    """One block of the demonstrativo (other reports reuse it with a subset of the columns)."""
    cat = d.catalogo
    colunas = colunas_do_bloco(t, so, percentuais)
    linhas = []
    for linha in t.linhas:
        numeral = cat.numerais.get((t.id, linha.id))
        linhas.append(
            LinhaView(
                linha=linha.id,
                numeral=numeral,
                titulo=linha.titulo_em(cat.exercicio),
                rotulo=rotulo_do_minimo(d, t, linha) or rotulo_linha(cat, t, linha),
                nivel=linha.nivel,
                destaque=linha.nivel == 0,
                celulas=tuple(_celulas(d, t, linha, colunas)),
            )
        )
    return Bloco(t.id, titulo or t.titulo.upper(), colunas, tuple(linhas))


def resumo(d: Declaracao) -> Resumo:
    """The apuração in the column the bimestre follows (nota 1)."""
    i = d.indicadores(d.coluna_apuracao)
    return Resumo(
        d.coluna_apuracao,
        i.percentual,
        i.percentual_minimo,
        i.valor_aplicado,
        i.despesa_minima,
        i.base,
        i.diferenca,
    )


def demonstrativo(d: Declaracao) -> Demonstrativo:
    """The Anexo 12 of a declaration, computed through its catalog."""
    cat = d.catalogo
    return Demonstrativo(
        ente=d.ente.descricao,
        ente_codigo=d.ente.codigo,
        esfera=cat.esfera,
        exercicio=d.exercicio,
        bimestre=d.bimestre,
        periodo=periodo(d.bimestre, d.exercicio),
        layout=cat.versao,
        blocos=tuple(bloco(d, t) for t in cat.tabelas_anexo12()),
        resumo=resumo(d),
    )


def nome_coluna_apuracao(coluna: str) -> str:
    """'despesa liquidada' for the summary line and the chart's title."""
    return COLUNA_NOME.get(coluna, coluna)


def carimbo(quando: datetime) -> str:
    """'dd/mm/aaaa hh:mm', the emission stamp of the source line: an aware datetime in Brasília
    time (``forms.tempo``), a naive one as given."""
    if quando.tzinfo is not None:
        return data_hora_br(quando)
    return quando.strftime("%d/%m/%Y %H:%M")


__all__ = [
    "ANEXO",
    "NA",
    "NOTAS",
    "Bloco",
    "Celula",
    "ColunaView",
    "Demonstrativo",
    "LinhaView",
    "Resumo",
    "bloco",
    "carimbo",
    "demonstrativo",
    "minimo_usado",
    "regra_texto",
    "rotulo_do_minimo",
    "rotulo_linha",
]
