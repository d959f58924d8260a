"""The form catalog: pastas, tabelas, linhas, colunas, text fields and formulas, as data.

This is the single source of truth the GUI models, the file format, the críticas, the RREO and
the importers read. A layout (``forms/layouts/``) declares the tables of one esfera once; this
module turns the declarations into a ``Catalogo`` with every derived cell's formula compiled
(``Catalogo.formulas``) and the Anexo 12 numerals assigned in order (``Catalogo.numerais``).

Public ids (tabela, linha, coluna, campo) appear in the .OPS file, the CSV interchange and the
CLI: never rename one without an upgrade step in ``ops_format``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from siops.forms.formulas import (
    Chave,
    Constante,
    Expr,
    Maior,
    Param,
    Produto,
    Ref,
    Soma,
    chave_param,
)

ESFERAS = ("municipal", "estadual", "df")

# --- well-known public ids --------------------------------------------------------------------
# The tables, rows and parameters that the model, the críticas, the reports and the CLI read by
# name: declared once here so a layout and its readers cannot drift apart.

RECEITAS_BASE = "receitas_base"
TOTAL_BASE = "total_base"  # (III) — (IV) for states: the base of the minimum
APURACAO = "apuracao"
TOTAL_ASPS = "total_asps"  # (XII)
VALOR_APLICADO = "valor_aplicado"  # (XVI)
DESPESA_MINIMA = "despesa_minima"  # (XVII)
DIFERENCA = "diferenca"  # (XVIII)
LIMITE_NAO_CUMPRIDO = "limite_nao_cumprido"  # (XIX)
PERCENTUAL_APLICADO = "percentual_aplicado"
PERCENTUAL_MINIMO = "percentual_minimo"  # derived parameter: the effective minimum %
PERCENTUAL_LEI_ORGANICA = "percentual_lei_organica"  # text field and parameter
PERCENTUAL_LC141 = "percentual_lc141"  # derived parameter: the LC 141/2012 % (DF: blended)
MINIMO_EXATO = "minimo_exato"  # derived parameter: XVII before rounding (decides compliance)
#: The base of the minimum as a cell: (III) realizada.
BASE: tuple[str, str, str] = (RECEITAS_BASE, TOTAL_BASE, "realizada")


# --- declarations -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Coluna:
    """A column of a table. ``formula`` makes the whole column derived (from the same row)."""

    id: str
    titulo: str
    rotulo: str = ""  # the Anexo 12 letter, e.g. "(a)"
    importavel: bool = False  # copied from the previous bimestre (DOMAIN §4)
    formula: Callable[[str, str], Expr] | None = None  # (tabela, linha) -> Expr


@dataclass(frozen=True, slots=True)
class SomaLinhas:
    """Row rule: in every column, the signed sum of other rows (``"linha"`` or ``"tabela:linha"``)."""

    termos: tuple[tuple[int, str], ...]

    def expr(self, tabela: str, coluna: str) -> Expr:
        return Soma(tuple((s, Ref(_ref(tabela, r, coluna))) for s, r in self.termos))

    def linhas_referidas(self, tabela: str) -> list[tuple[str, str]]:
        return [_tl(tabela, r) for _, r in self.termos]


@dataclass(frozen=True, slots=True)
class FormulaLinha:
    """Row rule given by a function of the column id (for the non-additive lines)."""

    fn: Callable[[str, str], Expr | None]  # (tabela, coluna) -> Expr
    descricao: str = ""  # how the RREO describes it, e.g. "(XVI / III) × 100"
    referidas: tuple[str, ...] = ()  # rows named in the description, "linha" or "tabela:linha"

    def expr(self, tabela: str, coluna: str) -> Expr | None:
        return self.fn(tabela, coluna)

    def linhas_referidas(self, tabela: str) -> list[tuple[str, str]]:
        return [_tl(tabela, r) for r in self.referidas]


Regra = SomaLinhas | FormulaLinha


def _tl(tabela: str, ref: str) -> tuple[str, str]:
    if ":" in ref:
        t, linha = ref.split(":", 1)
        return t, linha
    return tabela, ref


def _ref(tabela: str, ref: str, coluna: str) -> Chave:
    t, linha = _tl(tabela, ref)
    return (t, linha, coluna)


def soma_de(*linhas: str) -> SomaLinhas:
    """``SomaLinhas`` of positive terms."""
    return SomaLinhas(tuple((1, x) for x in linhas))


@dataclass(frozen=True, slots=True)
class Linha:
    """A row. Leaves without ``regra`` are typed by the user; rows with one are derived.

    ``naturezas`` keeps the natureza de receita code per era: ``((2018, "1.1.1.8.01.1"),
    (2022, "1.1.1.2.50.0"))`` — the code valid from that exercício on. A row that sums several
    codes (the model's "NR: 1.7.1.9.62.0.0 + NR: 1.7.1.9.63.0.0") repeats the era:
    ``((2022, "1.7.1.9.62.0"), (2022, "1.7.1.9.63.0"))`` (``naturezas_em``). ``incerto`` holds
    the reason a code or a line is UNCONFIRMED (DOMAIN), shown by `siops catalogo`.

    ``deduz``: for a deduction row, the revenue row(s) it deducts a constitutional share of and
    the share, ``("ipva", 50)`` or ``(("icms_principal", "outras_transferencias"), 25)``
    (``base_deducao``).
    """

    id: str
    titulo: str
    nivel: int = 0
    numerada: bool = False
    regra: Regra | None = None
    naturezas: tuple[tuple[int, str], ...] = ()
    subfuncao: str | None = None
    grupo: str | None = None  # categoria econômica / grupo de natureza: 3.1, 3.2, 3.3, 4.4 …
    fonte: str | None = None
    tipo: str = "valor"  # "valor" (R$) or "percentual"
    colunas: tuple[str, ...] | None = None  # None: every column of the table
    somente_6o: bool = False  # editable only in the 6º bimestre; "N/A" before
    incerto: str = ""
    negativo_permitido: bool = False
    #: (receita row or rows, constitutional share %) deducted
    deduz: tuple[str | tuple[str, ...], Decimal] | None = None

    def naturezas_em(self, exercicio: int, *, antes_da_primeira: bool = True) -> tuple[str, ...]:
        """Every natureza de receita code of the row valid in the exercício (the entries of the
        latest era not after it). Before the first era: that era's codes, or none when
        ``antes_da_primeira`` is False (the accounting mapping: a code valid only later does
        not apply earlier)."""
        eras = [desde for desde, _ in self.naturezas if desde <= exercicio]
        if eras:
            era = max(eras)
        elif antes_da_primeira and self.naturezas:
            era = min(desde for desde, _ in self.naturezas)
        else:
            return ()
        return tuple(dict.fromkeys(c for desde, c in self.naturezas if desde == era))

    def natureza(self, exercicio: int) -> str | None:
        """The natureza de receita code valid in the exercício, if the row has one (several
        codes joined by " + ", as the model prints them)."""
        return " + ".join(self.naturezas_em(exercicio)) or None

    @property
    def base_deducao(self) -> tuple[tuple[str, ...], Decimal] | None:
        """``deduz`` with the deducted revenue always as a tuple of row ids."""
        if self.deduz is None:
            return None
        receitas, parcela = self.deduz
        return ((receitas,) if isinstance(receitas, str) else tuple(receitas)), parcela

    def titulo_em(self, exercicio: int) -> str:
        """The title with the year tokens of the layout filled in ({ano}, {ano_1}, …)."""
        return self.titulo.format(
            ano=exercicio,
            ano_1=exercicio - 1,
            ano_2=exercicio - 2,
            ano_3=exercicio - 3,
            ano_4=exercicio - 4,
        )


@dataclass(frozen=True, slots=True, eq=False)
class Tabela:
    """A table of a pasta: its rows and columns. ``anexo12`` puts it in the RREO, in order.

    Compared and hashed by identity (``eq=False``): hashing its rows on every lookup made
    loading a declaration slow, and two tables are never compared by value.
    """

    id: str
    titulo: str
    colunas: tuple[Coluna, ...]
    linhas: tuple[Linha, ...]
    anexo12: bool = False
    ajuda: str = ""
    titulo_curto: str = ""  # for messages and navigation ("Despesas com ASPS")

    def coluna(self, cid: str) -> Coluna:
        return _indice_colunas(self)[cid]

    def linha(self, lid: str) -> Linha:
        return _indice_linhas(self)[lid]

    def colunas_da_linha(self, linha: Linha) -> tuple[Coluna, ...]:
        if linha.colunas is None:
            return self.colunas
        return tuple(c for c in self.colunas if c.id in linha.colunas)


@functools.cache
def _indice_linhas(t: Tabela) -> dict[str, Linha]:
    return {x.id: x for x in t.linhas}


@functools.cache
def _indice_colunas(t: Tabela) -> dict[str, Coluna]:
    return {c.id: c for c in t.colunas}


@dataclass(frozen=True, slots=True)
class CampoTexto:
    """A text field of Dados Gerais / Informações Adicionais."""

    id: str
    titulo: str
    grupo: str
    tipo: str = "texto"  # texto, cpf, cnpj, email, telefone, data, percentual, inteiro, sim_nao
    obrigatorio: bool = False
    importavel: bool = True


@dataclass(frozen=True, slots=True)
class Pasta:
    """A pasta (tab) of the declaration: tables and/or text-field groups."""

    id: str
    titulo: str
    tabelas: tuple[str, ...] = ()
    grupos: tuple[str, ...] = ()
    ajuda: str = ""


@dataclass(frozen=True, slots=True)
class Layout:
    """What a layout module returns: the declarations of one esfera and layout version."""

    esfera: str
    versao: str
    descricao: str
    pastas: tuple[Pasta, ...]
    tabelas: tuple[Tabela, ...]
    campos: tuple[CampoTexto, ...]
    grupos: dict[str, str]  # grupo id -> título
    parametros: dict[str, Expr]  # derived parameters (percentual_minimo …)
    numerais_extras: dict[str, int] = field(default_factory=dict)  # "tabela:linha" -> skip
    incertezas: tuple[str, ...] = ()
    apuracao: dict[str, tuple[str, str]] = field(
        default_factory=dict
    )  # indicator -> (tabela, linha)


# --- the compiled catalog ---------------------------------------------------------------------


ROMANOS = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def romano(n: int) -> str:
    """1 → 'I', 47 → 'XLVII'."""
    out = []
    for v, s in ROMANOS:
        while n >= v:
            out.append(s)
            n -= v
    return "".join(out)


@dataclass(slots=True, eq=False)
class Catalogo:
    """The compiled catalog of one esfera and exercício (see module docstring)."""

    esfera: str
    exercicio: int
    layout: Layout
    tabelas: dict[str, Tabela]
    campos: dict[str, CampoTexto]
    formulas: dict[Chave, Expr]
    numerais: dict[tuple[str, str], str]
    celulas: tuple[Chave, ...]  # every cell, in table/row/column order
    editaveis: frozenset[Chave]  # cells the user types (before the 6º-bimestre restriction)
    somente_6o: frozenset[Chave]
    dependentes: dict[Chave, tuple[Chave, ...]]  # cell -> derived cells reading it directly
    ordem: dict[Chave, int]  # topological rank of every derived cell
    #: Leaf cells fed by the ledger (``forms.razao``): computed, never typed.
    agregadas: frozenset[Chave] = frozenset()
    classificador: Any = None  # forms.razao.Classificador, attached by ``catalogo()``

    @property
    def pastas(self) -> tuple[Pasta, ...]:
        return self.layout.pastas

    @property
    def versao(self) -> str:
        return self.layout.versao

    def tabela(self, tid: str) -> Tabela:
        return self.tabelas[tid]

    def existe(self, chave: Chave) -> bool:
        return chave in self.ordem or chave in self.editaveis or chave in self.agregadas

    def editavel(self, chave: Chave, bimestre: int) -> bool:
        """Whether the user may type into the cell in this bimestre."""
        if chave not in self.editaveis:
            return False
        return bimestre == 6 or chave not in self.somente_6o

    def derivada(self, chave: Chave) -> bool:
        return chave in self.formulas or chave in self.agregadas

    def agregada(self, chave: Chave) -> bool:
        """Whether a cell is a view of the ledger (``forms.razao``)."""
        return chave in self.agregadas

    def tabelas_anexo12(self) -> list[Tabela]:
        return [t for t in self.tabelas.values() if t.anexo12]

    def iter_linhas(self) -> Iterator[tuple[Tabela, Linha]]:
        for t in self.tabelas.values():
            for linha in t.linhas:
                yield t, linha

    def descricao_celula(self, chave: Chave) -> str:
        """'Receitas › Cota-Parte FPM › Receitas realizadas' for messages."""
        t = self.tabelas[chave[0]]
        linha = t.linha(chave[1])
        col = t.coluna(chave[2])
        return f"{t.titulo} — {linha.titulo_em(self.exercicio)} — {col.titulo}"

    def pasta_da_tabela(self, tid: str) -> Pasta:
        for p in self.layout.pastas:
            if tid in p.tabelas:
                return p
        raise KeyError(tid)

    def campos_do_grupo(self, grupo: str) -> list[CampoTexto]:
        return [c for c in self.campos.values() if c.grupo == grupo]


class CatalogoInvalido(Exception):
    """A layout that does not compile (a formula naming a cell that does not exist, a cycle)."""


def compilar(layout: Layout, exercicio: int) -> Catalogo:
    """Compile a layout: formulas per cell, numerals, the dependency graph and its order."""
    tabelas = {t.id: t for t in layout.tabelas}
    formulas: dict[Chave, Expr] = {}
    editaveis: set[Chave] = set()
    somente: set[Chave] = set()
    celulas: list[Chave] = []
    for t in layout.tabelas:
        for linha in t.linhas:
            for c in t.colunas_da_linha(linha):
                k = (t.id, linha.id, c.id)
                celulas.append(k)
                expr: Expr | None = None
                if linha.regra is not None:
                    expr = linha.regra.expr(t.id, c.id)
                if expr is None and c.formula is not None:
                    expr = c.formula(t.id, linha.id)
                if expr is not None:
                    formulas[k] = expr
                else:
                    editaveis.add(k)
                    if linha.somente_6o:
                        somente.add(k)
    for nome, expr in layout.parametros.items():
        formulas[chave_param(nome)] = expr

    existentes = set(celulas)
    params_base = {"bimestre", PERCENTUAL_LEI_ORGANICA}
    deps = {k: expr.deps() for k, expr in formulas.items()}  # each formula's, walked once
    for k, lidas in deps.items():
        for d in lidas:
            if d in existentes or (d[0] == "_param" and (d[1] in params_base or d in formulas)):
                continue
            raise CatalogoInvalido(f"{layout.esfera}: a fórmula de {k} lê {d}, que não existe")

    dependentes: dict[Chave, list[Chave]] = {}
    for k, lidas in deps.items():
        for d in lidas:
            dependentes.setdefault(d, []).append(k)

    # Topological order of derived cells (Kahn), detecting cycles.
    grau = {k: sum(1 for d in lidas if d in formulas) for k, lidas in deps.items()}
    fila = [k for k, g in grau.items() if g == 0]
    ordem: dict[Chave, int] = {}
    while fila:
        k = fila.pop()
        ordem[k] = len(ordem)
        for dep in dependentes.get(k, ()):
            grau[dep] -= 1
            if grau[dep] == 0:
                fila.append(dep)
    if len(ordem) != len(formulas):
        ciclo = [k for k in formulas if k not in ordem][:5]
        raise CatalogoInvalido(f"{layout.esfera}: ciclo nas fórmulas: {ciclo}")

    numerais: dict[tuple[str, str], str] = {}
    n = 0
    for t in layout.tabelas:
        if not t.anexo12:
            continue
        for linha in t.linhas:
            if linha.numerada:
                n += 1 + layout.numerais_extras.get(f"{t.id}:{linha.id}", 0)
                numerais[(t.id, linha.id)] = romano(n)

    return Catalogo(
        esfera=layout.esfera,
        exercicio=exercicio,
        layout=layout,
        tabelas=tabelas,
        campos={c.id: c for c in layout.campos},
        formulas=formulas,
        numerais=numerais,
        celulas=tuple(celulas),
        editaveis=frozenset(editaveis),
        somente_6o=frozenset(somente),
        dependentes={k: tuple(v) for k, v in dependentes.items()},
        ordem=ordem,
    )


def versao_layout(exercicio: int) -> str:
    """Which Anexo 12 layout an exercício uses: the 13ª edição up to 2024, the 2025 one after.

    The 2025-on layout (one more numbered line after XIX and the LC 173/2020 lines) is seen only
    second-hand in a SIOPS-generated table of 2026: UNCONFIRMED (DOMAIN §7).
    """
    return "2024" if exercicio <= 2024 else "2025"


@functools.cache
def catalogo(esfera: str, exercicio: int) -> Catalogo:
    """The compiled catalog of an esfera ("municipal", "estadual", "df") and exercício."""
    from siops.forms.layouts import construir

    if esfera not in ESFERAS:
        raise ValueError(f"Esfera desconhecida: '{esfera}'. Use municipal, estadual ou df.")
    from siops.forms.razao import Classificador

    cat = compilar(construir(esfera, versao_layout(exercicio)), exercicio)
    cat.classificador = Classificador(cat)
    cat.agregadas = cat.classificador.agregadas
    cat.editaveis = cat.editaveis - cat.agregadas
    cat.somente_6o = cat.somente_6o - cat.agregadas
    return cat


def minimo(padrao: int) -> dict[str, Expr]:
    """The parameters of a single-rate minimum (municípios 15%, estados 12%).

    The effective percentage is the law's or the Lei Orgânica's / Constituição Estadual's when
    higher; the exact minimum is the base times it, unrounded: XVII prints it rounded to the
    centavo, but compliance (XVIII, XIX, the percentage, the críticas) is decided on it.
    """
    return {
        PERCENTUAL_LC141: Constante(Decimal(padrao)),
        PERCENTUAL_MINIMO: Maior(Param(PERCENTUAL_LC141), Param(PERCENTUAL_LEI_ORGANICA)),
        MINIMO_EXATO: Produto(Ref(BASE), Param(PERCENTUAL_MINIMO)),
    }
