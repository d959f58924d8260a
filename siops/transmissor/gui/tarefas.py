"""Trabalho lento fora da thread da interface (STYLE hábito 8), com progresso.

``Tarefas.executar(descricao, fn, sucesso, falha)`` roda ``fn(progresso)`` numa thread de
trabalho e chama ``sucesso(resultado)`` ou ``falha(exceção)`` de volta na thread da interface;
``progresso(feito, total)`` pode ser chamado de dentro de ``fn`` e chega ao sinal
``progresso``. Uma só thread: login, assinatura e envio nunca se cruzam. As chamadas ao token
ainda passam pela thread própria do PKCS#11 (``transmissor.assinador``).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from typing import Any, cast

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot


class _Sinais(QObject):
    fim = Signal(int, bool, object)
    progresso = Signal(int, int)


class _Execucao(QRunnable):
    def __init__(
        self, ident: int, fn: Callable[[Callable[[int, int], None]], Any], sinais: _Sinais
    ) -> None:
        super().__init__()
        self._ident = ident
        self._fn = fn
        self._sinais = sinais

    def run(self) -> None:
        try:
            r = self._fn(self._sinais.progresso.emit)
        except BaseException as exc:  # vai para a interface, que mostra a mensagem
            self._sinais.fim.emit(self._ident, False, exc)
        else:
            self._sinais.fim.emit(self._ident, True, r)


class Tarefas(QObject):
    """Uma thread de trabalho com retorno na interface."""

    ocupadoMudou = Signal(bool)
    progresso = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(1)
        self._sinais = _Sinais(self)
        self._sinais.fim.connect(self._fim)
        self._sinais.progresso.connect(self.progresso)
        self._pendentes: dict[
            int, tuple[str, Callable[[Any], None], Callable[[BaseException], None]]
        ] = {}
        self._ids = itertools.count(1)

    def executar(
        self,
        descricao: str,
        fn: Callable[[Callable[[int, int], None]], Any],
        sucesso: Callable[[Any], None],
        falha: Callable[[BaseException], None],
    ) -> None:
        """Agenda ``fn(progresso)``; os retornos chegam na thread da interface."""
        ident = next(self._ids)
        self._pendentes[ident] = (descricao, sucesso, falha)
        if len(self._pendentes) == 1:
            self.ocupadoMudou.emit(True)
        self._pool.start(_Execucao(ident, fn, self._sinais))

    def ocupado(self) -> bool:
        """Há trabalho em andamento?"""
        return bool(self._pendentes)

    def descricoes(self) -> list[str]:
        """O que está em andamento (para a pergunta ao fechar)."""
        return [d for d, _, _ in self._pendentes.values()]

    def aguardar(self, ms: int = -1) -> bool:
        """Espera a thread terminar (ao fechar; testes)."""
        return self._pool.waitForDone(ms)

    @Slot(int, bool, object)
    def _fim(self, ident: int, ok: bool, resultado: object) -> None:
        _, sucesso, falha = self._pendentes.pop(ident)
        try:
            if ok:
                sucesso(resultado)
            else:
                falha(cast(BaseException, resultado))  # the worker sends the exception
        finally:
            if not self._pendentes:
                self.ocupadoMudou.emit(False)
