"""The críticas engine: rules, their per-cell instances, the full and the incremental pass.

A ``Regra`` is what the FAQ calls a crítica: a code inside its group (100–900, DOMAIN §6), a
title, a base severity and whether it escalates from aviso to impeditiva in the 6º bimestre.
Rules are not written once per row: a *generator* walks the catalog and yields one
``Verificacao`` per row, column or field it applies to, each saying exactly which keys it reads
(cells, ``("_texto", campo, "")``, ``("_param", nome, "")``) and how to build its message.

The instances of a catalog are built once and indexed by the keys they read, so
``Verificador.atualizar(chaves)`` re-runs only the instances that read a changed key (the keys
``Declaracao.ouvir`` reports, derived cells included). A full ``verificar`` and the incremental
``Verificador`` run the same instances in the same order, so they give the same list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from siops.criticas.achado import AVISO, IMPEDITIVA, SEVERIDADES, Achado
from siops.forms.formulas import Chave

if TYPE_CHECKING:
    from siops.criticas.referencia import Referencia
    from siops.forms.catalogo import Catalogo
    from siops.forms.declaracao import Declaracao

GRUPOS = {
    100: "Dados Gerais",
    200: "Receitas",
    300: "Receitas de transferências",
    500: "Despesas",
    600: "Valores calculados (apuração do mínimo)",
    700: "Despesa por fonte de recursos e restos a pagar",
    800: "Informações Adicionais",
    900: "Execução financeira por bloco",
}


@dataclass(frozen=True, slots=True)
class Regra:
    """A crítica: code, title, severity and escalation; ``fundamento`` names the law or manual.

    ``escala_no_6o``: an aviso in bimestres 1–5 that is a crítica impeditiva in the 6º (the
    FAQ's list: 310, 352, 585, 586, 587, 610; and ours where the docstring says so).
    ``requer``: ``"referencia"`` (FNS values, constitutional shares) or ``"anterior"`` (the
    previous bimestre's declaration) when the rule needs data from outside the declaration;
    without it, it is silent. ``so_no_6o``: the rule applies only to the 6º bimestre (its check
    is silent before; the table of ``docs/criticas.md`` says "não se aplica").
    """

    codigo: int
    titulo: str
    severidade: str
    escala_no_6o: bool = False
    fundamento: str = ""
    requer: str = ""
    so_no_6o: bool = False

    def __post_init__(self) -> None:
        if self.severidade not in SEVERIDADES:
            raise ValueError(f"severidade inválida na regra {self.codigo}: {self.severidade}")
        if self.codigo // 100 * 100 not in GRUPOS:
            raise ValueError(f"código {self.codigo} fora dos grupos do DOMAIN §6")
        if self.escala_no_6o and self.severidade != AVISO:
            raise ValueError(f"regra {self.codigo}: só um aviso pode escalar no 6º bimestre")

    @property
    def grupo(self) -> int:
        """The group of the code: 585 → 500."""
        return self.codigo // 100 * 100

    def severidade_em(self, bimestre: int) -> str:
        """The effective severity in a bimestre (escalation in the 6º)."""
        if self.escala_no_6o and bimestre == 6:
            return IMPEDITIVA
        return self.severidade


@dataclass(slots=True)
class Entrada:
    """What an instance may look at: the declaration and the optional outside data."""

    d: Declaracao
    referencia: Referencia | None = None
    anterior: Declaracao | None = None


Checagem = Callable[[Entrada], "str | None"]


@dataclass(frozen=True, slots=True)
class Verificacao:
    """One instance of a rule: the keys it reads, where it points, and its check.

    ``checar`` returns the message when the rule is violated, else None; it must read only the
    keys in ``le`` (a test checks it), or the incremental pass would miss a change.
    """

    regra: Regra
    le: tuple[Chave, ...]
    checar: Checagem
    tabela: str | None = None
    linha: str | None = None
    coluna: str | None = None
    campo: str | None = None

    def achado(self, mensagem: str, bimestre: int) -> Achado:
        r = self.regra
        return Achado(
            r.codigo,
            r.grupo,
            r.severidade_em(bimestre),
            r.titulo,
            mensagem,
            self.tabela,
            self.linha,
            self.coluna,
            self.campo,
        )


Gerador = Callable[["Catalogo"], Iterable[Verificacao]]

#: Every rule, by code (filled by ``siops.criticas.regras``).
REGRAS: dict[int, Regra] = {}
#: The generators that turn a catalog into instances, in registration order.
GERADORES: list[Gerador] = []


def definir(
    codigo: int,
    titulo: str,
    severidade: str,
    *,
    escala_no_6o: bool = False,
    fundamento: str = "",
    requer: str = "",
    so_no_6o: bool = False,
) -> Regra:
    """Declare a rule in the registry (a code may be declared only once)."""
    if codigo in REGRAS:
        raise ValueError(f"código de crítica repetido: {codigo}")
    r = Regra(codigo, titulo, severidade, escala_no_6o, fundamento, requer, so_no_6o)
    REGRAS[codigo] = r
    return r


def gerador(fn: Gerador) -> Gerador:
    """Register a generator of instances (decorator)."""
    GERADORES.append(fn)
    return fn


def texto(campo: str) -> Chave:
    """The key under which ``Declaracao.ouvir`` reports a change of a text field."""
    return ("_texto", campo, "")


# --- plans: the instances of a catalog, indexed -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Plano:
    """The instances that apply to a catalog (given which outside data exist), and the index."""

    verificacoes: tuple[Verificacao, ...]
    indice: dict[Chave, tuple[int, ...]]


_PLANOS: dict[tuple[str, int, str, bool, bool], tuple[Catalogo, Plano]] = {}


def instancias(cat: Catalogo) -> Iterator[Verificacao]:
    """Every instance of every registered rule for a catalog, ordered by code (stable)."""
    _carregar_regras()
    todas = [v for g in GERADORES for v in g(cat)]
    todas.sort(key=lambda v: v.regra.codigo)
    return iter(todas)


def plano(cat: Catalogo, com_referencia: bool, com_anterior: bool) -> Plano:
    """The (cached) plan of a catalog."""
    chave = (cat.esfera, cat.exercicio, cat.versao, com_referencia, com_anterior)
    guardado = _PLANOS.get(chave)
    if guardado is not None and guardado[0] is cat:
        return guardado[1]
    vs = tuple(
        v
        for v in instancias(cat)
        if (v.regra.requer != "referencia" or com_referencia)
        and (v.regra.requer != "anterior" or com_anterior)
    )
    indice: dict[Chave, list[int]] = {}
    for i, v in enumerate(vs):
        for k in v.le:
            lista = indice.setdefault(k, [])
            if not lista or lista[-1] != i:
                lista.append(i)
    p = Plano(vs, {k: tuple(x) for k, x in indice.items()})
    _PLANOS[chave] = (cat, p)
    return p


def _carregar_regras() -> None:
    if not GERADORES:
        import siops.criticas.regras  # noqa: F401  (registers the rule catalog)


# --- running ----------------------------------------------------------------------------------


class DeclaracaoAnteriorInvalida(ValueError):
    """The 'previous' declaration is not of the same ente and exercício, or not earlier."""


def _checar_anterior(d: Declaracao, anterior: Declaracao | None) -> None:
    if anterior is None:
        return
    if (
        anterior.ente.codigo != d.ente.codigo
        or anterior.exercicio != d.exercicio
        or anterior.bimestre >= d.bimestre
    ):
        raise DeclaracaoAnteriorInvalida(
            f"A declaração anterior ({anterior.ente.codigo}, {anterior.exercicio}, "
            f"{anterior.bimestre}º bimestre) não serve de comparação: ela deve ser do mesmo ente "
            f"e exercício ({d.ente.codigo}, {d.exercicio}) e de um bimestre anterior ao "
            f"{d.bimestre}º."
        )


def verificar(
    d: Declaracao,
    referencia: Referencia | None = None,
    *,
    anterior: Declaracao | None = None,
) -> list[Achado]:
    """Run every rule on a declaration; the findings in code order, then catalog order.

    ``referencia``: the FNS values and constitutional shares for 310/352/320 (without it those
    rules are silent);
    ``anterior``: the same ente's declaration of an earlier bimestre of the exercício, for the
    rules that compare cumulative values (raises ``DeclaracaoAnteriorInvalida`` otherwise).
    """
    _checar_anterior(d, anterior)
    p = plano(d.catalogo, referencia is not None, anterior is not None)
    e = Entrada(d, referencia, anterior)
    b = d.bimestre
    out: list[Achado] = []
    for v in p.verificacoes:
        m = v.checar(e)
        if m is not None:
            out.append(v.achado(m, b))
    return out


class Verificador:
    """Incremental críticas over one declaration (ARCHITECTURE, data flow step 2).

    Construction runs every rule once; ``atualizar(chaves)`` re-runs the instances that read
    any of the changed keys and returns the current findings. Wire it to the model with
    ``d.ouvir(verificador.atualizar)`` — or call it with the keys yourself.
    """

    def __init__(
        self,
        d: Declaracao,
        referencia: Referencia | None = None,
        *,
        anterior: Declaracao | None = None,
    ) -> None:
        _checar_anterior(d, anterior)
        self.d = d
        self.referencia = referencia
        self.anterior = anterior
        self._entrada = Entrada(d, referencia, anterior)
        self._plano = plano(d.catalogo, referencia is not None, anterior is not None)
        self._achados: dict[int, Achado] = {}
        self._lista: list[Achado] | None = None
        self._rodar_tudo()

    def _rodar_tudo(self) -> None:
        b = self.d.bimestre
        self._achados = {}
        self._lista = None
        for i, v in enumerate(self._plano.verificacoes):
            m = v.checar(self._entrada)
            if m is not None:
                self._achados[i] = v.achado(m, b)

    @property
    def achados(self) -> list[Achado]:
        """The current findings, in the same order as ``verificar``."""
        if self._lista is None:
            self._lista = [self._achados[i] for i in sorted(self._achados)]
        return list(self._lista)

    @property
    def impeditivas(self) -> int:
        """How many findings block the transmission (for the status bar)."""
        return sum(1 for a in self._achados.values() if a.impeditiva)

    @property
    def avisos(self) -> int:
        """How many findings are avisos."""
        return len(self._achados) - self.impeditivas

    def atualizar(self, chaves_mudadas: Iterable[Chave]) -> list[Achado]:
        """Re-run the rules that read any of the changed keys; return the current findings."""
        indice = self._plano.indice
        afetadas: set[int] = set()
        for k in chaves_mudadas:
            ids = indice.get(k)
            if ids:
                afetadas.update(ids)
        if afetadas:
            vs = self._plano.verificacoes
            e = self._entrada
            b = self.d.bimestre
            achados = self._achados
            for i in afetadas:
                v = vs[i]
                m = v.checar(e)
                if m is None:
                    if achados.pop(i, None) is not None:
                        self._lista = None
                else:
                    novo = v.achado(m, b)
                    if achados.get(i) != novo:
                        achados[i] = novo
                        self._lista = None
        return self.achados

    def recalcular(self) -> list[Achado]:
        """Run everything again (after ``Declaracao.carregar`` replaced the whole content)."""
        self._rodar_tudo()
        return self.achados
