"""Slow work off the GUI thread (STYLE habit 8): save, import, PDF.

The same single-worker runner as the transmitter's window (``transmissor.gui.tarefas``): one
thread, so two saves of the same file never overlap; ``sucesso(resultado)`` or
``falha(exceção)`` come back on the GUI thread. Here ``fn`` takes no arguments (no progress
bar); it must not touch widgets nor the live ``Declaracao``: callers hand it a copy.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from siops.transmissor.gui.tarefas import Tarefas as _TarefasComProgresso


class Tarefas(_TarefasComProgresso):
    """A single background worker with callbacks on the GUI thread."""

    # narrower on purpose: ``fn`` takes no progress callback here; nothing in the app calls
    # this through the transmitter's type
    def executar(  # type: ignore[override]
        self,
        descricao: str,
        fn: Callable[[], Any],
        sucesso: Callable[[Any], None],
        falha: Callable[[BaseException], None],
    ) -> None:
        super().executar(descricao, lambda _progresso: fn(), sucesso, falha)
