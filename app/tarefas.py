"""Slow work off the GUI thread (STYLE habit 8): save, import, PDF.

``Tarefas.executar(descricao, fn, sucesso, falha)`` runs ``fn()`` on one worker thread (one,
so two saves of the same file never overlap) and calls ``sucesso(resultado)`` or
``falha(exceção)`` back on the GUI thread. ``fn`` must not touch widgets nor the live
``Declaracao``: callers hand it a copy.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Sinais(QObject):
    fim = Signal(int, bool, object)


class _Execucao(QRunnable):
    def __init__(self, ident: int, fn: Callable[[], Any], sinais: _Sinais) -> None:
        super().__init__()
        self._ident = ident
        self._fn = fn
        self._sinais = sinais

    def run(self) -> None:
        try:
            r = self._fn()
        except BaseException as exc:  # handed to the GUI thread, shown as a message there
            self._sinais.fim.emit(self._ident, False, exc)
        else:
            self._sinais.fim.emit(self._ident, True, r)


class Tarefas(QObject):
    """A single background worker with callbacks on the GUI thread."""

    ocupadoMudou = Signal(bool)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._sinais = _Sinais(self)
        self._sinais.fim.connect(self._fim)
        self._pendentes: dict[int, tuple[str, Callable[[Any], None], Callable[[Any], None]]] = {}
        self._ids = itertools.count(1)

    def executar(
        self,
        descricao: str,
        fn: Callable[[], Any],
        sucesso: Callable[[Any], None],
        falha: Callable[[BaseException], None],
    ) -> None:
        ident = next(self._ids)
        self._pendentes[ident] = (descricao, sucesso, falha)
        if len(self._pendentes) == 1:
            self.ocupadoMudou.emit(True)
        self._pool.start(_Execucao(ident, fn, self._sinais))

    def ocupado(self) -> bool:
        return bool(self._pendentes)

    def descricoes(self) -> list[str]:
        """What is running, for the close question ("uma gravação está em andamento")."""
        return [d for d, _, _ in self._pendentes.values()]

    def aguardar(self, ms: int = -1) -> bool:
        """Block until the worker is idle (closing, tests)."""
        return self._pool.waitForDone(ms)

    @Slot(int, bool, object)
    def _fim(self, ident: int, ok: bool, resultado: object) -> None:
        _, sucesso, falha = self._pendentes.pop(ident)
        try:
            if ok:
                sucesso(resultado)
            else:
                falha(resultado)  # type: ignore[arg-type]
        finally:
            if not self._pendentes:
                self.ocupadoMudou.emit(False)
