"""An open declaration in the client: the core ``Declaracao``, its file, its undo stack, the
incremental críticas and the autosave journal — the object every view of the window shares.

Undo is a thin adapter (STYLE habit 2): the core's commands are values whose application
returns their inverse; ``_Desfazivel`` only stores the pair and swaps them. The command is
applied *before* it is pushed, so a refused edit (``EdicaoInvalida``) never reaches the stack.
The stack's clean state is the single source of "modified" (STYLE habit 3).

A document with a file owns that file's lock through its journal (``app.diario.Trava``): creating
one for a file another window has open raises ``DeclaracaoEmUso``; ``fechar`` releases it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from siops.app.diario import Diario, Marca, Trava, chave
from siops.app.quadro import AoPintar
from siops.forms.declaracao import CHAVE_RAZAO, Comando, Declaracao
from siops.forms.formulas import Chave

#: How long after opening a file the críticas start (after the first frame is on screen).
ADIAR_CRITICAS_MS = 40
#: Waiting for the window's first frame (``adiar_criticas_ate_pintar``): a window that paints
#: nothing by then (hidden, minimized) does not hold the críticas back any longer.
LIMITE_ESPERA_PINTURA_MS = 1000


def _verificador(declaracao: Declaracao) -> Any:
    """The incremental verifier of every rule (``siops.criticas``, loaded on first use: an
    opened file's first frame does not wait for it)."""
    from siops.criticas import Verificador

    return Verificador(declaracao)


def _descricao(c: Comando) -> str:
    """The undo stack's text ("Desfazer Incluir linha"): every command carries one."""
    return getattr(c, "descricao", "") or "Editar"


class _Desfazivel(QUndoCommand):
    """One core command and its inverse on the Qt undo stack."""

    def __init__(self, doc: Documento, comando: Comando, inverso: Comando) -> None:
        super().__init__(_descricao(comando))
        self._doc = doc
        self._feito = comando
        self._inverso = inverso
        self._primeira = True

    def redo(self) -> None:
        if self._primeira:  # already applied by Documento.executar
            self._primeira = False
            return
        self._inverso = self._doc._aplicar(self._feito)

    def undo(self) -> None:
        self._feito = self._doc._aplicar(self._inverso)


class Documento(QObject):
    """An open declaration (see module docstring).

    Signals: ``celulasMudaram(set)`` with every changed key (typed, derived, ``_texto``);
    ``achadosMudaram()`` when the list of críticas changed; ``caminhoMudou()``.
    """

    celulasMudaram = Signal(object)
    achadosMudaram = Signal()
    caminhoMudou = Signal()

    def __init__(
        self,
        declaracao: Declaracao,
        caminho: Path | None,
        parent: QObject | None = None,
        adiar_criticas: bool = False,
        trava: Trava | None = None,
    ) -> None:
        super().__init__(parent)
        self.declaracao = declaracao
        self.caminho = Path(caminho) if caminho else None
        self.diario: Diario | None = None
        if self.caminho is not None:  # first: a file in use elsewhere is refused before anything
            self.diario = Diario(
                self.caminho,
                declaracao.ente.codigo,
                declaracao.exercicio,
                declaracao.bimestre,
                trava=trava,
            )
        elif trava is not None:
            trava.soltar()
        self.pilha = QUndoStack(self)
        self.pilha.setUndoLimit(0)
        self._verificador: Any = None
        self.achados: list[Any] = []
        self._criticas_pendentes = adiar_criticas
        self._timer_criticas = QTimer(self)
        self._timer_criticas.setSingleShot(True)
        self._timer_criticas.timeout.connect(self.iniciar_criticas)
        self._ao_pintar: AoPintar | None = None
        if adiar_criticas:
            # Opening a file: the numbers paint first, the rules run right after (a zero
            # timer would run in the same pass of the event loop as the first paint). The
            # window showing the document moves the start after its first frame
            # (``adiar_criticas_ate_pintar``).
            self._timer_criticas.start(ADIAR_CRITICAS_MS)
        else:
            self.iniciar_criticas()
        self._mudadas: set[Chave] = set()
        self._geracao_razao = 0  # bumped at each change of the ledger
        self._linhas_razao: tuple[int, dict[type, list[Any]]] | None = None
        declaracao.ouvir(self._ao_mudar)

    # -- state ---------------------------------------------------------------------------------

    @property
    def catalogo(self):
        return self.declaracao.catalogo

    def adiar_criticas_ate_pintar(self, widget: QObject) -> None:
        """Pending críticas start ``ADIAR_CRITICAS_MS`` after ``widget`` (the window showing
        this document) is next painted, not that long after the file was read: reading and
        laying out a large declaration can outlast it, and the first frame would then wait for
        every rule. A widget that paints nothing within ``LIMITE_ESPERA_PINTURA_MS`` (hidden)
        holds them back no longer."""
        if not self._criticas_pendentes or self._verificador is not None:
            return
        if self._ao_pintar is not None:
            self._ao_pintar.soltar()
        self._ao_pintar = AoPintar(
            widget, lambda: self._timer_criticas.start(ADIAR_CRITICAS_MS), self
        )
        self._timer_criticas.start(LIMITE_ESPERA_PINTURA_MS)

    def iniciar_criticas(self) -> None:
        """Run every rule once and keep the incremental verifier (if críticas are installed)."""
        self._timer_criticas.stop()
        if self._ao_pintar is not None:
            self._ao_pintar.soltar()
            self._ao_pintar = None
        if self._verificador is not None:
            return
        self._criticas_pendentes = False
        self._verificador = _verificador(self.declaracao)
        if self._verificador is not None:
            self.achados = list(self._verificador.achados)
            self.achadosMudaram.emit()

    @property
    def criticas_disponiveis(self) -> bool:
        return self._verificador is not None or self._criticas_pendentes

    def modificado(self) -> bool:
        return not self.pilha.isClean()

    def impeditivas(self) -> list[Any]:
        return [a for a in self.achados if a.severidade == "impeditiva"]

    def avisos(self) -> list[Any]:
        return [a for a in self.achados if a.severidade != "impeditiva"]

    def nome(self) -> str:
        """The file name for the title bar (or the period for a never-saved declaration)."""
        if self.caminho is not None:
            return self.caminho.name
        d = self.declaracao
        return f"{d.ente.descricao} — {d.bimestre}º bimestre de {d.exercicio}"

    # -- editing -------------------------------------------------------------------------------

    def executar(self, comando: Comando) -> bool:
        """Apply an edit and push it on the undo stack; False when it changed nothing.

        Raises the core's ``EdicaoInvalida`` (nothing applied) for a refused value.
        """
        self._mudadas = set()
        inverso = self.declaracao.aplicar(comando)
        mudou = bool(self._mudadas)
        self._depois(comando)
        if mudou:
            self.pilha.push(_Desfazivel(self, comando, inverso))
        return mudou

    def _aplicar(self, comando: Comando) -> Comando:
        self._mudadas = set()
        inverso = self.declaracao.aplicar(comando)
        self._depois(comando)
        return inverso

    def _depois(self, comando: Comando) -> None:
        mudadas = self._mudadas
        if not mudadas:
            return
        if self.diario is not None:
            self.diario.registrar(comando)
        if self._criticas_pendentes:  # an edit before they started: they start now, over it
            self.iniciar_criticas()
        elif self._verificador is not None:
            antes = self.achados
            self._verificador.atualizar(mudadas)
            novos = list(self._verificador.achados)
            if novos != antes:
                self.achados = novos
                self.achadosMudaram.emit()
        self.celulasMudaram.emit(mudadas)

    def _ao_mudar(self, chaves: set[Chave]) -> None:
        self._mudadas |= chaves
        if CHAVE_RAZAO in chaves:
            self._geracao_razao += 1

    def linhas_razao(self, tipo: type) -> list[tuple[Any, dict[str, Any]]]:
        """The ledger lines of one kind in ledger order (``Declaracao.linhas_razao``), sorted
        once per change of the ledger and shared by every view (read them, never change them)."""
        cache = self._linhas_razao
        if cache is None or cache[0] != self._geracao_razao:
            por_tipo: dict[type, list[Any]] = {}
            for k, v in self.declaracao.linhas_razao():
                por_tipo.setdefault(type(k), []).append((k, v))
            cache = (self._geracao_razao, por_tipo)
            self._linhas_razao = cache
        return cache[1].get(tipo, [])

    def verificar_tudo(self) -> list[Any]:
        """Re-run every rule from scratch (Ferramentas → Verificar críticas)."""
        self._timer_criticas.stop()
        self._verificador = _verificador(self.declaracao)
        self._criticas_pendentes = False
        self.achados = list(self._verificador.achados)
        self.achadosMudaram.emit()
        return self.achados

    # -- saving --------------------------------------------------------------------------------

    def instantaneo(self) -> tuple[Declaracao, int]:
        """A copy to save in the background, and the undo index it corresponds to (take
        ``marca()`` at the same moment)."""
        return self.declaracao.copia(), self.pilha.index()

    def marca(self) -> Marca | None:
        """The journal's position of the state ``instantaneo`` copies (None: no journal)."""
        return self.diario.marca() if self.diario is not None else None

    def salvo(
        self,
        caminho: Path,
        indice: int,
        marca: Marca | None = None,
        trava: Trava | None = None,
    ) -> None:
        """Record a successful save of the state at undo index ``indice`` (journal position
        ``marca``, when known) into ``caminho``.

        The edits typed while the save ran are in no file: they stay journalled. Same file: the
        journal is rewritten with only those, over the new content. A new name ("Salvar como",
        whose lock ``trava`` the caller took before writing): the new name's journal is
        written with those edits first, and only then the old journal is removed and the old
        file's lock released — a SIGKILL at any moment leaves a journal that, replayed over its
        file, gives the current state.
        """
        em_dia = self.pilha.index() == indice
        if marca is not None and self.diario is not None:
            em_dia = em_dia and self.diario.marca() == marca  # nothing typed since the copy
        if em_dia:
            self.pilha.setClean()
            self.declaracao.modificada = False
        novo_caminho = self.caminho is None or chave(caminho) != chave(self.caminho)
        if not novo_caminho:
            if trava is not None:
                trava.soltar()
            if self.diario is not None:
                if em_dia:
                    self.diario.reiniciar()
                else:
                    self.diario.salvo(marca)
            return
        antigo = self.diario
        resto = [] if em_dia or antigo is None else antigo.restantes(marca)
        d = self.declaracao
        novo = Diario(caminho, d.ente.codigo, d.exercicio, d.bimestre, trava=trava)
        guardado = True
        if resto:
            try:
                novo.retomar(resto)
            except OSError:  # the old journal keeps them (over the old file): leave it there
                guardado = False
        self.caminho = Path(caminho)
        self.diario = novo
        if antigo is not None:
            if guardado:
                antigo.encerrar()
            else:
                antigo.fechar()
                antigo.trava.soltar()
        self.caminhoMudou.emit()

    def fechar(self) -> None:
        """The document is closed on purpose: its journal is not needed any more, and the
        file's lock is released."""
        if self.diario is not None:
            self.diario.encerrar()
            self.diario = None
