"""Formula expressions over cells, declared in the catalog and evaluated by the model.

A formula is a small immutable tree. Each node says which cells (and parameters) it reads
(``deps``), so the model can build the dependency graph once per catalog, and how to compute
its value (``avaliar``). Parameters (the minimum percentage, the bimestre) are nodes of the
graph too, keyed as ``("_param", nome, "")``: changing the Lei Orgânica percentage recomputes
exactly the cells that use it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from siops.forms.dinheiro import CENTAVO, PRECISAO_PERCENTUAL, ZERO

Chave = tuple[str, str, str]
"""A cell key: (tabela, linha, coluna) public ids; parameters use ("_param", nome, "")."""

Leitor = Callable[[Chave], Decimal]


def chave_param(nome: str) -> Chave:
    """The graph key of a declaration parameter."""
    return ("_param", nome, "")


class Expr:
    """Base of formula nodes."""

    def deps(self) -> frozenset[Chave]:
        raise NotImplementedError

    def avaliar(self, ler: Leitor) -> Decimal:
        raise NotImplementedError

    def texto(self) -> str:
        """A readable rendering for `siops catalogo` and the help."""
        raise NotImplementedError


@dataclass(frozen=True, slots=True)
class Ref(Expr):
    """The value of one cell."""

    chave: Chave

    def deps(self) -> frozenset[Chave]:
        return frozenset((self.chave,))

    def avaliar(self, ler: Leitor) -> Decimal:
        return ler(self.chave)

    def texto(self) -> str:
        return ".".join(self.chave)


@dataclass(frozen=True, slots=True)
class Param(Expr):
    """A declaration parameter (``percentual_minimo``, ``bimestre``, …)."""

    nome: str

    def deps(self) -> frozenset[Chave]:
        return frozenset((chave_param(self.nome),))

    def avaliar(self, ler: Leitor) -> Decimal:
        return ler(chave_param(self.nome))

    def texto(self) -> str:
        return f"[{self.nome}]"


@dataclass(frozen=True, slots=True)
class Soma(Expr):
    """A signed sum: ``Σ sinal × termo`` (sinal is +1 or −1)."""

    termos: tuple[tuple[int, Expr], ...]

    def deps(self) -> frozenset[Chave]:
        out: frozenset[Chave] = frozenset()
        for _, t in self.termos:
            out |= t.deps()
        return out

    def avaliar(self, ler: Leitor) -> Decimal:
        total = ZERO
        for sinal, t in self.termos:
            v = t.avaliar(ler)
            total = total + v if sinal > 0 else total - v
        return total

    def texto(self) -> str:
        partes = []
        for i, (sinal, t) in enumerate(self.termos):
            op = ("" if i == 0 else " + ") if sinal > 0 else (" - " if i else "-")
            partes.append(op + t.texto())
        return "".join(partes) or "0"


@dataclass(frozen=True, slots=True)
class Percentual(Expr):
    """``base × taxa / 100`` rounded to centavos (e.g. the minimum XVII = III × 15%)."""

    base: Expr
    taxa: Expr

    def deps(self) -> frozenset[Chave]:
        return self.base.deps() | self.taxa.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        v = self.base.avaliar(ler) * self.taxa.avaliar(ler) / 100
        return v.quantize(CENTAVO, rounding=ROUND_HALF_UP)

    def texto(self) -> str:
        return f"{self.base.texto()} × {self.taxa.texto()}%"


@dataclass(frozen=True, slots=True)
class Produto(Expr):
    """``base × taxa / 100`` NOT rounded: the exact minimum, on which compliance is decided
    (a shortfall of a fraction of a centavo is a shortfall)."""

    base: Expr
    taxa: Expr

    def deps(self) -> frozenset[Chave]:
        return self.base.deps() | self.taxa.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        return self.base.avaliar(ler) * self.taxa.avaliar(ler) / 100

    def texto(self) -> str:
        return f"{self.base.texto()} × {self.taxa.texto()}%"


@dataclass(frozen=True, slots=True)
class Centavos(Expr):
    """A value rounded once, half up, to the centavo (the printed minimum XVII)."""

    valor: Expr

    def deps(self) -> frozenset[Chave]:
        return self.valor.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        return self.valor.avaliar(ler).quantize(CENTAVO, rounding=ROUND_HALF_UP)

    def texto(self) -> str:
        return f"arredondado({self.valor.texto()})"


@dataclass(frozen=True, slots=True)
class Diferenca(Expr):
    """``valor − minimo`` (both in centavos), except that a value below the exact minimum is
    never shown as a difference of zero: it is at least R$ −0,01 (XVIII, so that XVIII, XIX,
    the truncated percentage and the críticas always agree on compliance)."""

    valor: Expr
    minimo: Expr
    exato: Expr

    def deps(self) -> frozenset[Chave]:
        return self.valor.deps() | self.minimo.deps() | self.exato.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        v = self.valor.avaliar(ler)
        d = v - self.minimo.avaliar(ler)
        if v < self.exato.avaliar(ler) and d >= 0:
            return -CENTAVO
        return d

    def texto(self) -> str:
        return f"{self.valor.texto()} - {self.minimo.texto()} (exato: {self.exato.texto()})"


@dataclass(frozen=True, slots=True)
class Razao(Expr):
    """``num / den × 100`` truncated to six decimals; 0 when the denominator is 0 (reports say
    so)."""

    num: Expr
    den: Expr

    def deps(self) -> frozenset[Chave]:
        return self.num.deps() | self.den.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        d = self.den.avaliar(ler)
        if d == 0:
            return Decimal("0.000000")
        # Truncated, never rounded up: 14,9999997% must not read as the 15% minimum.
        return (self.num.avaliar(ler) * 100 / d).quantize(PRECISAO_PERCENTUAL, rounding=ROUND_DOWN)

    def texto(self) -> str:
        return f"({self.num.texto()}) / ({self.den.texto()}) × 100"


@dataclass(frozen=True, slots=True)
class SeNegativo(Expr):
    """The value when it is below zero, else 0 (Limite não cumprido, XIX)."""

    valor: Expr

    def deps(self) -> frozenset[Chave]:
        return self.valor.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        v = self.valor.avaliar(ler)
        return v if v < 0 else ZERO

    def texto(self) -> str:
        return f"mín({self.valor.texto()}; 0)"


@dataclass(frozen=True, slots=True)
class SePositivo(Expr):
    """The value when it is above zero, else 0 ("se < 0, então 0")."""

    valor: Expr

    def deps(self) -> frozenset[Chave]:
        return self.valor.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        v = self.valor.avaliar(ler)
        return v if v > 0 else ZERO

    def texto(self) -> str:
        return f"máx({self.valor.texto()}; 0)"


@dataclass(frozen=True, slots=True)
class Maior(Expr):
    """The larger of two values (the minimum by law or by the Lei Orgânica)."""

    a: Expr
    b: Expr

    def deps(self) -> frozenset[Chave]:
        return self.a.deps() | self.b.deps()

    def avaliar(self, ler: Leitor) -> Decimal:
        return max(self.a.avaliar(ler), self.b.avaliar(ler))

    def texto(self) -> str:
        return f"máx({self.a.texto()}; {self.b.texto()})"


@dataclass(frozen=True, slots=True)
class No6oBimestre(Expr):
    """``entao`` in the 6º bimestre, ``senao`` before it (footnote 1 of the Anexo 12)."""

    entao: Expr
    senao: Expr

    def deps(self) -> frozenset[Chave]:
        return self.entao.deps() | self.senao.deps() | frozenset((chave_param("bimestre"),))

    def avaliar(self, ler: Leitor) -> Decimal:
        if ler(chave_param("bimestre")) == 6:
            return self.entao.avaliar(ler)
        return self.senao.avaliar(ler)

    def texto(self) -> str:
        return f"se 6º bimestre: {self.entao.texto()}; senão: {self.senao.texto()}"


@dataclass(frozen=True, slots=True)
class Constante(Expr):
    """A fixed value."""

    valor: Decimal

    def deps(self) -> frozenset[Chave]:
        return frozenset()

    def avaliar(self, ler: Leitor) -> Decimal:
        return self.valor

    def texto(self) -> str:
        return str(self.valor)


ZERO_EXPR = Constante(ZERO)


def soma(*refs: Expr, sinais: tuple[int, ...] | None = None) -> Soma:
    """Shorthand for a sum of terms, all positive unless ``sinais`` is given."""
    s = sinais or tuple(1 for _ in refs)
    return Soma(tuple(zip(s, refs, strict=True)))
