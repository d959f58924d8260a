"""O pedido de PIN na interface, para um token usado numa thread de trabalho.

O ``AssinadorPKCS11`` chama ``pin_handler(token, aviso)`` na thread que abre a sessão (a de
trabalho). ``PedidoPin.pedir`` leva a pergunta à thread da interface (conexão bloqueante) e
devolve a resposta. Quem pergunta é ``fornecedor(token, aviso) -> str | None``: por padrão um
diálogo de senha; nos testes, uma função (STYLE hábito 9: diálogos substituíveis).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QInputDialog, QLineEdit, QWidget

Fornecedor = Callable[[str, str | None], str | None]


def dialogo_pin(pai: QWidget | None) -> Fornecedor:
    """O fornecedor padrão: um diálogo modal com o campo de PIN oculto."""

    def perguntar(token: str, aviso: str | None) -> str | None:
        texto = f"Digite o PIN do {token}."
        if aviso:
            texto += f"\n\n{aviso}"
        texto += "\n\nAtenção: algumas tentativas erradas bloqueiam o token."
        pin, ok = QInputDialog.getText(pai, "PIN do token", texto, QLineEdit.EchoMode.Password)
        return pin if ok and pin else None

    return perguntar


class PedidoPin(QObject):
    """Faz a pergunta de PIN na thread da interface, qualquer que seja a thread que pede."""

    _perguntar = Signal(str, object)

    def __init__(self, fornecedor: Fornecedor, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.fornecedor = fornecedor
        self._resposta: str | None = None
        self._perguntar.connect(self._na_interface, Qt.ConnectionType.BlockingQueuedConnection)

    def pedir(self, token: str, aviso: str | None) -> str | None:
        """O ``pin_handler`` a passar ao ``AssinadorPKCS11``."""
        if QThread.currentThread() is self.thread():
            return self.fornecedor(token, aviso)
        self._resposta = None
        self._perguntar.emit(token, aviso)
        return self._resposta

    @Slot(str, object)
    def _na_interface(self, token: str, aviso: object) -> None:
        self._resposta = self.fornecedor(token, aviso if isinstance(aviso, str) else None)
