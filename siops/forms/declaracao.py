"""The ``Declaracao`` model: one ente, exercício and bimestre; its cells, text fields and the
formula engine; edits as command values with computed inverses (STYLE habit 2).

Typed values live in ``_valores`` (only non-zero ones); derived values in ``_derivados``. An
edit recomputes only the derived cells reachable from the changed cells through the catalog's
dependency graph, in topological order, and reports every key whose value changed, so the GUI
repaints and the críticas re-run exactly that much.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from siops.forms.catalogo import (
    APURACAO,
    BASE,
    DESPESA_MINIMA,
    DIFERENCA,
    LIMITE_NAO_CUMPRIDO,
    PERCENTUAL_APLICADO,
    PERCENTUAL_LEI_ORGANICA,
    PERCENTUAL_MINIMO,
    TOTAL_ASPS,
    VALOR_APLICADO,
    Catalogo,
    catalogo,
)
from siops.forms.dinheiro import ZERO, ValorInvalido, formatar, quantizar
from siops.forms.formulas import Chave, chave_param

if TYPE_CHECKING:
    from siops.forms.entes import Ente

NOMES_BIMESTRE = ("Primeiro", "Segundo", "Terceiro", "Quarto", "Quinto", "Sexto")
MESES = (
    "Janeiro",
    "Fevereiro",
    "Março",
    "Abril",
    "Maio",
    "Junho",
    "Julho",
    "Agosto",
    "Setembro",
    "Outubro",
    "Novembro",
    "Dezembro",
)


def nome_bimestre(bimestre: int) -> str:
    """1 → 'Primeiro' (the folder and file names of DOMAIN §4 use it)."""
    return NOMES_BIMESTRE[bimestre - 1]


def periodo(bimestre: int, exercicio: int) -> str:
    """'Janeiro e Fevereiro de 2025' (the RREO header)."""
    return f"{MESES[2 * bimestre - 2]} e {MESES[2 * bimestre - 1]} de {exercicio}"


def prazo(bimestre: int, exercicio: int) -> str:
    """The transmission deadline, dd/mm/aaaa: 30 days after the bimestre (DOMAIN §1)."""
    if bimestre == 6:
        return f"30/01/{exercicio + 1}"
    return f"30/{2 * bimestre + 1:02d}/{exercicio}"


class EdicaoInvalida(ValueError):
    """An edit the model refuses; the message (Portuguese) says what and where."""


# --- commands ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DefinirCelula:
    """Set one typed cell to a value; applying returns the inverse command."""

    chave: Chave
    valor: Decimal
    descricao: str = "Editar célula"

    def aplicar(self, d: Declaracao) -> tuple[DefinirCelula, set[Chave]]:
        antigo = d.valor(self.chave)
        mudou = d._definir(self.chave, self.valor)
        return DefinirCelula(self.chave, antigo, self.descricao), mudou


@dataclass(frozen=True, slots=True)
class DefinirTexto:
    """Set one text field."""

    campo: str
    valor: str
    descricao: str = "Editar campo"

    def aplicar(self, d: Declaracao) -> tuple[DefinirTexto, set[Chave]]:
        antigo = d.texto(self.campo)
        mudou = d._definir_texto(self.campo, self.valor)
        return DefinirTexto(self.campo, antigo, self.descricao), mudou


@dataclass(frozen=True, slots=True)
class Lote:
    """Several edits as one (a paste, an import): one undo step."""

    comandos: tuple[Comando, ...]
    descricao: str = "Colar"

    def aplicar(self, d: Declaracao) -> tuple[Lote, set[Chave]]:
        inversos = []
        mudou: set[Chave] = set()
        try:
            for c in self.comandos:
                inv, m = c.aplicar(d)
                inversos.append(inv)
                mudou |= m
        except Exception:
            for inv in reversed(inversos):  # all or nothing
                inv.aplicar(d)
            raise
        return Lote(tuple(reversed(inversos)), self.descricao), mudou


Comando = DefinirCelula | DefinirTexto | Lote


# --- the model --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Indicadores:
    """The apuração figures of one column (empenhada, liquidada or paga)."""

    coluna: str
    base: Decimal  # (III) realizada, or (IV) for states
    total_asps: Decimal  # (XII)
    valor_aplicado: Decimal  # (XVI)
    despesa_minima: Decimal  # (XVII)
    diferenca: Decimal  # (XVIII)
    limite_nao_cumprido: Decimal  # (XIX)
    percentual: Decimal  # XVI / base × 100 (six decimals; 0 when the base is 0)
    percentual_minimo: Decimal


#: Derived values of an empty declaration, per (catalog, bimestre); catalogs are cached forever.
_VAZIOS: dict[tuple[int, int], dict[Chave, Decimal]] = {}


@functools.cache
def _em_ordem(cat: Catalogo) -> tuple[Chave, ...]:
    """The derived cells of a catalog in topological order (computed once)."""
    return tuple(sorted(cat.formulas, key=cat.ordem.__getitem__))


class Declaracao:
    """A declaration (see module docstring)."""

    #: Longest text field accepted (the file format's limit).
    LIMITE_TEXTO = 2000

    def __init__(self, ente: Ente, exercicio: int, bimestre: int) -> None:
        if not 1 <= bimestre <= 6:
            raise EdicaoInvalida(f"Bimestre inválido: {bimestre}. Informe um número de 1 a 6.")
        if not 2000 <= exercicio <= 2100:
            raise EdicaoInvalida(f"Exercício inválido: {exercicio}.")
        self.ente = ente
        self.exercicio = exercicio
        self.bimestre = bimestre
        self.catalogo: Catalogo = catalogo(ente.esfera, exercicio)
        self._valores: dict[Chave, Decimal] = {}
        self._derivados: dict[Chave, Decimal] = {}
        self._textos: dict[str, str] = {}
        self.modificada = False
        self._ouvintes: list[Callable[[set[Chave]], None]] = []
        # An empty declaration's derived values depend only on the catalog and the bimestre.
        vazio = _VAZIOS.get((id(self.catalogo), bimestre))
        if vazio is None:
            self.recalcular_tudo()
            _VAZIOS[(id(self.catalogo), bimestre)] = dict(self._derivados)
        else:
            self._derivados = dict(vazio)

    # -- reading ---------------------------------------------------------------------------

    def valor(self, chave: Chave) -> Decimal:
        """The value of a cell or parameter (zero when empty)."""
        if chave[0] == "_param":
            return self._param(chave)
        if chave in self._derivados:
            return self._derivados[chave]
        return self._valores.get(chave, ZERO)

    def _param(self, chave: Chave) -> Decimal:
        nome = chave[1]
        if nome == "bimestre":
            return Decimal(self.bimestre)
        if nome == PERCENTUAL_LEI_ORGANICA:
            return percentual_texto(self._textos.get(PERCENTUAL_LEI_ORGANICA, ""))
        return self._derivados.get(chave, ZERO)

    def texto(self, campo: str) -> str:
        return self._textos.get(campo, "")

    def textos(self) -> dict[str, str]:
        """The non-empty text fields."""
        return dict(self._textos)

    def celulas_digitadas(self) -> Iterator[tuple[Chave, Decimal]]:
        """Typed non-zero cells in catalog order (what the file stores)."""
        for k in self.catalogo.celulas:
            v = self._valores.get(k)
            if v is not None:
                yield k, v

    def indicadores(self, coluna: str = "empenhada") -> Indicadores:
        """Valor aplicado, mínimo, diferença and percentage for one column, from the cells."""

        def a(linha: str) -> Decimal:
            return self.valor((APURACAO, linha, coluna))

        return Indicadores(
            coluna=coluna,
            base=self.valor(BASE),
            total_asps=a(TOTAL_ASPS),
            valor_aplicado=a(VALOR_APLICADO),
            despesa_minima=a(DESPESA_MINIMA),
            diferenca=a(DIFERENCA),
            limite_nao_cumprido=a(LIMITE_NAO_CUMPRIDO),
            percentual=a(PERCENTUAL_APLICADO),
            percentual_minimo=self.valor(chave_param(PERCENTUAL_MINIMO)),
        )

    @property
    def coluna_apuracao(self) -> str:
        """The column the apuração follows: liquidada in bimestres 1–5, empenhada in the 6º."""
        return "empenhada" if self.bimestre == 6 else "liquidada"

    # -- editing ---------------------------------------------------------------------------

    def ouvir(self, fn: Callable[[set[Chave]], None]) -> None:
        """Register a callback receiving the keys changed by each applied command."""
        self._ouvintes.append(fn)

    def aplicar(self, comando: Comando) -> Comando:
        """Apply an edit command; return its inverse. Listeners get the changed keys."""
        inverso, mudou = comando.aplicar(self)
        if mudou:
            self.modificada = True
            for fn in self._ouvintes:
                fn(mudou)
        return inverso

    def validar_valor(self, chave: Chave, valor: Decimal) -> Decimal:
        """Check a value for a typed cell; return it quantized or raise ``EdicaoInvalida``."""
        cat = self.catalogo
        if chave not in cat.editaveis:
            if cat.existe(chave):
                raise EdicaoInvalida(
                    f"A célula {cat.descricao_celula(chave)} é calculada e não pode ser editada."
                )
            raise EdicaoInvalida(f"Célula inexistente: {'.'.join(chave)}.")
        if not cat.editavel(chave, self.bimestre):
            raise EdicaoInvalida(
                f"A célula {cat.descricao_celula(chave)} só é preenchida no 6º bimestre."
            )
        try:
            q = quantizar(valor)
        except InvalidOperation as exc:
            raise EdicaoInvalida(f"Valor inválido em {cat.descricao_celula(chave)}.") from exc
        if q != valor:
            raise EdicaoInvalida(
                f"O valor {valor} em {cat.descricao_celula(chave)} tem mais de duas casas decimais."
            )
        linha = cat.tabela(chave[0]).linha(chave[1])
        if q < 0 and not linha.negativo_permitido:
            raise EdicaoInvalida(
                f"O valor R$ {formatar(q)} em {cat.descricao_celula(chave)} é negativo; "
                "este campo não admite valores negativos."
            )
        return q

    def _definir(self, chave: Chave, valor: Decimal) -> set[Chave]:
        q = self.validar_valor(chave, valor)
        if self._valores.get(chave, ZERO) == q:
            return set()
        if q == 0:
            self._valores.pop(chave, None)
        else:
            self._valores[chave] = q
        return {chave} | self._propagar((chave,))

    def validar_texto(self, campo: str, valor: str) -> str:
        """Check a text field's value; return it stripped or raise ``EdicaoInvalida``."""
        if campo not in self.catalogo.campos:
            raise EdicaoInvalida(f"Campo inexistente: {campo}.")
        valor = valor.strip()
        if len(valor) > self.LIMITE_TEXTO:
            raise EdicaoInvalida(
                f"O campo '{self.catalogo.campos[campo].titulo}' aceita no máximo "
                f"{self.LIMITE_TEXTO} caracteres (foram informados {len(valor)})."
            )
        return valor

    def _definir_texto(self, campo: str, valor: str) -> set[Chave]:
        valor = self.validar_texto(campo, valor)
        if self._textos.get(campo, "") == valor:
            return set()
        if valor:
            self._textos[campo] = valor
        else:
            self._textos.pop(campo, None)
        chave_texto: Chave = ("_texto", campo, "")
        if campo == PERCENTUAL_LEI_ORGANICA:
            return {chave_texto} | self._propagar((chave_param(campo),))
        return {chave_texto}

    # -- the engine ------------------------------------------------------------------------

    def _propagar(self, origens: Iterable[Chave]) -> set[Chave]:
        cat = self.catalogo
        afetadas: set[Chave] = set()
        pilha = list(origens)
        while pilha:
            k = pilha.pop()
            for dep in cat.dependentes.get(k, ()):
                if dep not in afetadas:
                    afetadas.add(dep)
                    pilha.append(dep)
        mudou: set[Chave] = set()
        for k in sorted(afetadas, key=cat.ordem.__getitem__):
            novo = cat.formulas[k].avaliar(self.valor)
            if self._derivados.get(k) != novo:
                self._derivados[k] = novo
                mudou.add(k)
        return mudou

    def recalcular_tudo(self) -> None:
        """Recompute every derived cell from scratch (on load; the benchmark's full pass)."""
        cat = self.catalogo
        self._derivados = {}
        for k in _em_ordem(cat):
            self._derivados[k] = cat.formulas[k].avaliar(self.valor)

    def carregar(self, valores: Iterable[tuple[Chave, Decimal]], textos: dict[str, str]) -> None:
        """Replace the content (file load): validates every value, recomputes once."""
        novos: dict[Chave, Decimal] = {}
        for k, v in valores:
            q = self.validar_valor(k, v)
            if q != 0:
                novos[k] = q
        for campo, texto in textos.items():
            if campo not in self.catalogo.campos:
                raise EdicaoInvalida(f"Campo inexistente: {campo}.")
            if len(texto.strip()) > self.LIMITE_TEXTO:
                raise EdicaoInvalida(
                    f"O campo '{self.catalogo.campos[campo].titulo}' aceita no máximo "
                    f"{self.LIMITE_TEXTO} caracteres."
                )
        self._valores = novos
        self._textos = {c: t.strip() for c, t in textos.items() if t.strip()}
        self.recalcular_tudo()
        self.modificada = False

    def copia(self) -> Declaracao:
        """An independent copy (same ente and period)."""
        d = Declaracao(self.ente, self.exercicio, self.bimestre)
        d._valores = dict(self._valores)
        d._textos = dict(self._textos)
        d._derivados = dict(self._derivados)
        d.modificada = self.modificada
        return d

    def estado(self) -> tuple[dict[Chave, Decimal], dict[Chave, Decimal], dict[str, str]]:
        """Everything that defines the declaration's content (for equality in tests)."""
        return dict(self._valores), dict(self._derivados), dict(self._textos)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Declaracao):
            return NotImplemented
        return (
            self.ente == other.ente
            and self.exercicio == other.exercicio
            and self.bimestre == other.bimestre
            and self._valores == other._valores
            and self._textos == other._textos
        )

    # unhashable (mutable, compared by value); typeshed types object.__hash__ as a method
    __hash__ = None  # type: ignore[assignment]


def percentual_texto(texto: str) -> Decimal:
    """The Lei Orgânica percentage typed as text ('15', '15,5', '18%'); 0 when empty/invalid."""
    t = texto.strip().replace("%", "").replace(" ", "").replace(",", ".")
    if not t:
        return ZERO
    try:
        v = Decimal(t)
    except InvalidOperation:
        return ZERO
    if not v.is_finite() or v < 0 or v > 100:
        return ZERO
    return v


def validar_percentual_texto(texto: str) -> str | None:
    """A Portuguese complaint when the Lei Orgânica percentage is not a percentage, else None."""
    t = texto.strip()
    if not t:
        return None
    if percentual_texto(t) == 0 and t.replace("%", "").strip() not in ("0", "0,0", "0,00"):
        return f"O percentual '{t}' não é válido; informe um número entre 0 e 100 (ex.: 15,5)."
    return None


__all__ = [
    "Comando",
    "Declaracao",
    "DefinirCelula",
    "DefinirTexto",
    "EdicaoInvalida",
    "Indicadores",
    "Lote",
    "ValorInvalido",
    "nome_bimestre",
    "periodo",
    "prazo",
]
