"""Work that waits for the first frame: what the clerk sees first is painted before it.

``AoPintar(alvo, acao)`` calls ``acao`` once, at the next paint of ``alvo`` (a window), and
steps aside. ``app.documento`` starts an opened file's críticas this way and ``app.cliente``
resumes Python's cycle collector after the main window's first frame.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject


class AoPintar(QObject):
    """Calls ``acao`` once, at the next paint of ``alvo``, and steps aside (``soltar``)."""

    def __init__(self, alvo: QObject, acao: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self._alvo: QObject | None = alvo
        self._acao = acao
        alvo.installEventFilter(self)

    def soltar(self) -> None:
        """No call any more (the filter leaves ``alvo``)."""
        if self._alvo is not None:
            self._alvo.removeEventFilter(self)
            self._alvo = None

    def eventFilter(self, objeto: QObject, evento: QEvent) -> bool:
        if objeto is self._alvo and evento.type() == QEvent.Type.Paint:
            self.soltar()
            self._acao()
        return False
