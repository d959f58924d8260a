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
from operator import itemgetter
from typing import TYPE_CHECKING, Any

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
from siops.forms.dinheiro import LIMITE_VALOR, ZERO, ValorInvalido, formatar, quantizar
from siops.forms.formulas import Chave, chave_param
from siops.forms.razao import (
    MODALIDADES_DEDUCAO,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    coluna_de,
    devolver_deducoes,
    reclassificar_deducoes,
)
from siops.forms.razao import ordem as ordem_razao

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


#: The key reported to listeners when the ledger changed (the ledger views repaint).
CHAVE_RAZAO: Chave = ("_razao", "", "")

ValoresLinha = tuple[tuple[str, Decimal], ...]


@dataclass(frozen=True, slots=True)
class DefinirLancamento:
    """Set one column of a ledger line (creating the line when it is new)."""

    chave: ChaveRazao
    coluna: str
    valor: Decimal
    descricao: str = "Editar lançamento"

    def aplicar(self, d: Declaracao) -> tuple[Comando, set[Chave]]:
        if self.chave not in d._razao:
            mudou = d._incluir_linha(self.chave, ((self.coluna, self.valor),))
            return RemoverLinha(self.chave, self.descricao), mudou
        antigo = d._razao[self.chave].get(self.coluna, ZERO)
        mudou = d._lancar(self.chave, self.coluna, self.valor)
        return DefinirLancamento(self.chave, self.coluna, antigo, self.descricao), mudou


@dataclass(frozen=True, slots=True)
class IncluirLinha:
    """Add a ledger line (with its values); the inverse removes it."""

    chave: ChaveRazao
    valores: ValoresLinha = ()
    descricao: str = "Incluir linha"

    def aplicar(self, d: Declaracao) -> tuple[Comando, set[Chave]]:
        if self.chave in d._razao:
            raise EdicaoInvalida(f"A linha {self.chave.descricao()} já existe.")
        mudou = d._incluir_linha(self.chave, self.valores)
        return RemoverLinha(self.chave, self.descricao), mudou


@dataclass(frozen=True, slots=True)
class RemoverLinha:
    """Remove a ledger line; the inverse puts it back with its values."""

    chave: ChaveRazao
    descricao: str = "Excluir linha"

    def aplicar(self, d: Declaracao) -> tuple[Comando, set[Chave]]:
        if self.chave not in d._razao:
            raise EdicaoInvalida(f"A linha {self.chave.descricao()} não existe.")
        valores = tuple(d._razao[self.chave].items())
        mudou = d._remover_linha(self.chave)
        return IncluirLinha(self.chave, valores, self.descricao), mudou


@dataclass(frozen=True, slots=True)
class SubstituirRazao:
    """Replace the whole ledger (an import): one undo step, one recomputation."""

    despesas: tuple[tuple[ChaveRazao, ValoresLinha], ...]
    descricao: str = "Importar razão"

    def aplicar(self, d: Declaracao) -> tuple[Comando, set[Chave]]:
        antigo = tuple((k, tuple(v.items())) for k, v in d._razao.items())
        mudou = d._substituir_razao(self.despesas)
        return SubstituirRazao(antigo, self.descricao), mudou


Comando = (
    DefinirCelula
    | DefinirTexto
    | Lote
    | DefinirLancamento
    | IncluirLinha
    | RemoverLinha
    | SubstituirRazao
)


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
        #: The ledger: line -> {coluna: valor} (only non-zero values; a line may be empty).
        self._razao: dict[ChaveRazao, dict[str, Decimal]] = {}
        #: The official program's ids (campo, linha "#Lnnn") of ledger lines read from an
        #: ``.IMPT`` file, written back on export (metadata: outside the undo stack).
        self.ids_siops: dict[ChaveRazao, tuple[str, str]] = {}
        #: The ledger's aggregated cells (``Catalogo.agregadas``), non-zero only.
        self._agregados: dict[Chave, Decimal] = {}
        #: What opening converted from an older file format (``ops_format.conversao``).
        self.avisos_formato: list[str] = []
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
        v = self._valores.get(chave)
        if v is not None:
            return v
        return self._agregados.get(chave, ZERO)

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
            if chave in cat.agregadas:
                raise EdicaoInvalida(
                    f"A célula {cat.descricao_celula(chave)} é calculada a partir das linhas "
                    "de receita e despesa (o razão): edite as linhas na pasta Razão."
                )
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

    # -- the ledger ------------------------------------------------------------------------

    def linhas_razao(self, tipo: type | None = None) -> list[tuple[ChaveRazao, dict[str, Decimal]]]:
        """The ledger lines (despesas, then receitas, each in key order), with their values."""
        linhas = sorted(self._razao.items(), key=lambda kv: ordem_razao(kv[0]))
        if tipo is not None:
            linhas = [kv for kv in linhas if isinstance(kv[0], tipo)]
        return [(k, dict(v)) for k, v in linhas]

    def tem_linha(self, chave: ChaveRazao) -> bool:
        return chave in self._razao

    def lancamento(self, chave: ChaveRazao, coluna: str) -> Decimal:
        """The value of one column of a ledger line (zero when absent)."""
        return self._razao.get(chave, {}).get(coluna, ZERO)

    def origem(self, celula: Chave) -> list[tuple[ChaveRazao, str, int, Decimal]]:
        """De onde vem este valor? The ledger lines feeding an aggregated cell, with the
        column read, its sign and the value (only the non-zero ones)."""
        cls = self.catalogo.classificador
        out = []
        for k, valores in self._razao.items():
            for alvo, rc, sinal in cls.destino(k).alimenta:
                if alvo == celula and valores.get(rc):
                    out.append((k, rc, sinal, valores[rc]))
        out.sort(key=lambda x: ordem_razao(x[0]))
        return out

    def _comando_deducao(self, chave: Chave, valor: Decimal, descricao: str) -> Lote:
        """XIV/XV made to hold ``valor`` by moving the difference between the ASPS lines and
        the deduction's modalidade (same planilha, subfunção and grupo): the ASPS total does
        not change (``razao.reclassificar_deducoes``/``devolver_deducoes``)."""
        cat = self.catalogo
        delta = quantizar(valor) - self.valor(chave)
        razao = {k: dict(v) for k, v in self._razao.items()}
        if delta > 0:
            _, restantes = reclassificar_deducoes(cat, razao, {chave: delta})
            sobra = restantes.get(chave, ZERO)
        elif delta < 0:
            sobra = devolver_deducoes(razao, chave[1], {chave[2]: -delta}).get(chave[2], ZERO)
        else:
            sobra = ZERO
        if sobra:
            mods = ", ".join(MODALIDADES_DEDUCAO[chave[1]])
            raise EdicaoInvalida(
                f"A célula {cat.descricao_celula(chave)} vem do razão: as despesas da planilha "
                f"de impostos (ASPS) nas modalidades de aplicação {mods}. Não há despesas com "
                f"ASPS no razão que permitam levá-la a R$ {formatar(valor)}: inclua ou "
                "reclassifique essas linhas no razão."
            )
        comandos: list[Comando] = []
        for k in sorted(set(razao) | set(self._razao), key=ordem_razao):
            novo, velho = razao.get(k, {}), self._razao.get(k, {})
            for col in sorted(set(novo) | set(velho)):
                if novo.get(col, ZERO) != velho.get(col, ZERO):
                    comandos.append(DefinirLancamento(k, col, novo.get(col, ZERO), descricao))
        return Lote(tuple(comandos), descricao)

    def comando_celula(self, chave: Chave, valor: Decimal, descricao: str = "Editar célula"):
        """The edit that makes a cell hold ``valor``: the cell itself when typed; for an
        Anexo 12 cell of the ledger, its canonical line (``Classificador.linha_canonica``),
        adjusted by the difference. Used to convert version-1 files and cell-level CSVs."""
        cat = self.catalogo
        if chave not in cat.agregadas:
            return DefinirCelula(chave, valor, descricao)
        if chave[0] == "apuracao" and chave[1] in MODALIDADES_DEDUCAO:
            return self._comando_deducao(chave, valor, descricao)
        canon = cat.classificador.linha_canonica(chave)
        if canon is None:
            raise EdicaoInvalida(
                f"A célula {cat.descricao_celula(chave)} é calculada a partir das linhas de "
                "receita e despesa (o razão) e não pode ser editada."
            )
        linha, col = canon
        sinal = next(
            s for a, rc, s in cat.classificador.destino(linha).alimenta if a == chave and rc == col
        )
        atual = self.lancamento(linha, col)
        novo = atual + sinal * (valor - self.valor(chave))
        return DefinirLancamento(linha, col, novo, descricao)

    def validar_lancamento(self, chave: ChaveRazao, coluna: str, valor: Decimal) -> Decimal:
        """Check a ledger value; return it quantized or raise ``EdicaoInvalida``."""
        try:
            col = coluna_de(chave, coluna)
        except ChaveInvalida as exc:
            raise EdicaoInvalida(str(exc)) from None
        if col.somente_6o and self.bimestre != 6 and valor != 0:
            raise EdicaoInvalida(f"{_onde(chave, col.titulo)}: só é preenchida no 6º bimestre.")
        expoente = valor.as_tuple().exponent if valor.is_finite() else None
        if expoente == -2 and 0 <= valor <= LIMITE_VALOR:  # the common case: already centavos
            return valor
        try:
            q = quantizar(valor)
        except InvalidOperation as exc:
            raise EdicaoInvalida(f"Valor inválido em {_onde(chave, col.titulo)}.") from exc
        if q != valor:
            raise EdicaoInvalida(
                f"O valor {valor} em {_onde(chave, col.titulo)} tem mais de duas casas decimais."
            )
        if q < 0:
            raise EdicaoInvalida(
                f"O valor R$ {formatar(q)} em {_onde(chave, col.titulo)} é negativo; o razão "
                "não admite valores negativos."
            )
        if abs(q) > LIMITE_VALOR:
            raise EdicaoInvalida(
                f"O valor em {_onde(chave, col.titulo)} passa do limite de "
                f"R$ {formatar(LIMITE_VALOR)}."
            )
        return q

    def _alimentar(self, chave: ChaveRazao, coluna: str, delta: Decimal, mudou: set[Chave]) -> None:
        if not delta:
            return
        ag = self._agregados
        for alvo, sinal in self.catalogo.classificador.destino(chave).por_coluna.get(coluna, ()):
            novo = ag.get(alvo, ZERO) + sinal * delta
            if novo:
                ag[alvo] = novo
            else:
                ag.pop(alvo, None)
            mudou.add(alvo)

    def _lancar(self, chave: ChaveRazao, coluna: str, valor: Decimal) -> set[Chave]:
        q = self.validar_lancamento(chave, coluna, valor)
        linha = self._razao[chave]
        antigo = linha.get(coluna, ZERO)
        if antigo == q:
            return set()
        if q:
            linha[coluna] = q
        else:
            linha.pop(coluna, None)
        mudou: set[Chave] = set()
        self._alimentar(chave, coluna, q - antigo, mudou)
        return {CHAVE_RAZAO} | mudou | self._propagar(mudou)

    def _incluir_linha(self, chave: ChaveRazao, valores: ValoresLinha) -> set[Chave]:
        checados = [(c, self.validar_lancamento(chave, c, v)) for c, v in valores]
        self._razao[chave] = {c: v for c, v in checados if v}
        mudou: set[Chave] = set()
        for c, v in checados:
            self._alimentar(chave, c, v, mudou)
        return {CHAVE_RAZAO} | mudou | self._propagar(mudou)

    def _remover_linha(self, chave: ChaveRazao) -> set[Chave]:
        valores = self._razao.pop(chave)
        mudou: set[Chave] = set()
        for c, v in valores.items():
            self._alimentar(chave, c, -v, mudou)
        return {CHAVE_RAZAO} | mudou | self._propagar(mudou)

    def _substituir_razao(self, linhas: Iterable[tuple[ChaveRazao, ValoresLinha]]) -> set[Chave]:
        novo: dict[ChaveRazao, dict[str, Decimal]] = {}
        for k, valores in linhas:
            if k in novo:
                raise EdicaoInvalida(f"A linha {k.descricao()} aparece duas vezes.")
            novo[k] = {c: q for c, v in valores if (q := self.validar_lancamento(k, c, v))}
        antes = dict(self._derivados), dict(self._agregados)
        self._razao = novo
        self._reagregar()
        self.recalcular_tudo()
        mudou = {CHAVE_RAZAO}
        for celula in set(antes[1]) | set(self._agregados):
            if antes[1].get(celula) != self._agregados.get(celula):
                mudou.add(celula)
        for celula, v in self._derivados.items():
            if antes[0].get(celula) != v:
                mudou.add(celula)
        return mudou

    def _reagregar(self) -> None:
        """Recompute every aggregated cell from the ledger (on load and on a replacement)."""
        # first the lines grouped by destination — destinations are shared objects
        # (``Classificador.destino``) — then each group summed per column it feeds and the
        # sum spread over the cells of that column (sums of centavos: exact in any order)
        destino = self.catalogo.classificador.destino
        grupos: dict[int, tuple[Any, list[dict[str, Decimal]]]] = {}
        for k, valores in self._razao.items():
            dest = destino(k)
            if not dest.alimenta or not valores:
                continue
            grupo = grupos.get(id(dest))
            if grupo is None:
                grupos[id(dest)] = (dest, [valores])
            else:
                grupo[1].append(valores)
        ag: dict[Chave, Decimal] = {}
        for dest, lista in grupos.values():
            for rc, alvos in dest.por_coluna.items():
                try:
                    v = sum(map(itemgetter(rc), lista), ZERO)
                except KeyError:  # a line without that column
                    v = sum([x[rc] for x in lista if rc in x], ZERO)
                if not v:
                    continue
                for alvo, sinal in alvos:
                    ag[alvo] = ag.get(alvo, ZERO) + (v if sinal > 0 else -v)
        self._agregados = {k: v for k, v in ag.items() if v}

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

    def carregar(
        self,
        valores: Iterable[tuple[Chave, Decimal]],
        textos: dict[str, str],
        razao: Iterable[tuple[ChaveRazao, ValoresLinha]] = (),
        razao_verificado: dict[ChaveRazao, dict[str, Decimal]] | None = None,
    ) -> None:
        """Replace the content (file load): validates every value, recomputes once.

        ``razao_verificado``, instead of ``razao``: the ledger as line → {coluna: valor},
        every value already checked as ``validar_lancamento`` does and non-zero (the file
        reader does it, to say which line of the file); the model keeps that dict as it is.
        """
        novo_razao: dict[ChaveRazao, dict[str, Decimal]]
        if razao_verificado is not None:
            novo_razao = razao_verificado
        else:
            novo_razao = {}
            for kr, linha in razao:
                if kr in novo_razao:
                    raise EdicaoInvalida(f"A linha {kr.descricao()} aparece duas vezes.")
                novo_razao[kr] = {
                    c: q for c, v in linha if (q := self.validar_lancamento(kr, c, v))
                }
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
        self._razao = novo_razao
        self._reagregar()
        self.recalcular_tudo()
        self.modificada = False

    def copia(self) -> Declaracao:
        """An independent copy (same ente and period)."""
        d = Declaracao(self.ente, self.exercicio, self.bimestre)
        d._valores = dict(self._valores)
        d._textos = dict(self._textos)
        d._derivados = dict(self._derivados)
        d._razao = {k: dict(v) for k, v in self._razao.items()}
        d._agregados = dict(self._agregados)
        d.ids_siops = dict(self.ids_siops)
        d.modificada = self.modificada
        return d

    def estado(self) -> tuple[dict[Chave, Decimal], dict[Chave, Decimal], dict[str, str]]:
        """Everything that defines the declaration's content (for equality in tests): typed
        cells and the ledger's aggregates, derived cells, text fields."""
        return {**self._agregados, **self._valores}, dict(self._derivados), dict(self._textos)

    def razao(self) -> dict[ChaveRazao, dict[str, Decimal]]:
        """A copy of the ledger."""
        return {k: dict(v) for k, v in self._razao.items()}

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Declaracao):
            return NotImplemented
        return (
            self.ente == other.ente
            and self.exercicio == other.exercicio
            and self.bimestre == other.bimestre
            and self._valores == other._valores
            and self._textos == other._textos
            and self._razao == other._razao
        )

    # unhashable (mutable, compared by value); typeshed types object.__hash__ as a method
    __hash__ = None  # type: ignore[assignment]


def _onde(chave: ChaveRazao, coluna: str) -> str:
    return f"{chave.descricao()} — {coluna}"


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
    "CHAVE_RAZAO",
    "ChaveDespesa",
    "ChaveReceita",
    "Comando",
    "Declaracao",
    "DefinirCelula",
    "DefinirLancamento",
    "DefinirTexto",
    "EdicaoInvalida",
    "IncluirLinha",
    "Indicadores",
    "Lote",
    "RemoverLinha",
    "SubstituirRazao",
    "ValorInvalido",
    "nome_bimestre",
    "periodo",
    "prazo",
]
