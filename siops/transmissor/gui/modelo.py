"""A tabela dos arquivos de ``transm/`` com a sua situação (STYLE hábito 6).

Uma linha por cópia de transmissão: nome (com caixa de seleção), situação por extenso
(pendente, na fila, transmitido em … — protocolo …, homologado, recusado: motivo) e o protocolo.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from siops.transmissor.operacoes import EstadoArquivo

COLUNAS = ("Arquivo", "Situação", "Protocolo")
CORES = {
    "pendente": None,
    "na_fila": QColor("#8a5a00"),
    "transmitido": QColor("#1f5fa8"),
    "homologado": QColor("#1b7a2f"),
    "recusado": QColor("#b00020"),
}

Indice = QModelIndex | QPersistentModelIndex


class ModeloArquivos(QAbstractTableModel):
    """Os arquivos de uma pasta ``transm`` e quais estão marcados para transmitir."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._linhas: list[EstadoArquivo] = []
        self._marcados: set[Path] = set()

    # -- dados

    def definir(self, linhas: list[EstadoArquivo]) -> None:
        """Troca as linhas (mantém marcados os arquivos que continuam na lista)."""
        self.beginResetModel()
        self._linhas = list(linhas)
        caminhos = {e.caminho for e in self._linhas}
        self._marcados &= caminhos
        self.endResetModel()

    def atualizar(self, estado: EstadoArquivo) -> None:
        """Atualiza a situação de um arquivo já listado."""
        for i, e in enumerate(self._linhas):
            if e.caminho == estado.caminho:
                self._linhas[i] = estado
                self.dataChanged.emit(self.index(i, 0), self.index(i, len(COLUNAS) - 1))
                return

    def linhas(self) -> list[EstadoArquivo]:
        """As linhas na ordem mostrada."""
        return list(self._linhas)

    def estado(self, linha: int) -> EstadoArquivo:
        """A linha ``linha``."""
        return self._linhas[linha]

    def marcados(self) -> list[Path]:
        """Os arquivos marcados, na ordem da lista."""
        return [e.caminho for e in self._linhas if e.caminho in self._marcados]

    def marcar(self, caminho: Path, sim: bool = True) -> None:
        """Marca (ou desmarca) um arquivo para transmitir."""
        for i, e in enumerate(self._linhas):
            if e.caminho == caminho:
                if sim:
                    self._marcados.add(caminho)
                else:
                    self._marcados.discard(caminho)
                self.dataChanged.emit(
                    self.index(i, 0), self.index(i, 0), [Qt.ItemDataRole.CheckStateRole]
                )

    # -- QAbstractTableModel

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._linhas)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUNAS)

    def headerData(
        self, secao: int, orientacao: Qt.Orientation, papel: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientacao == Qt.Orientation.Horizontal
            and papel == Qt.ItemDataRole.DisplayRole
            and 0 <= secao < len(COLUNAS)
        ):
            return COLUNAS[secao]
        return None

    def data(self, indice: Indice, papel: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not indice.isValid() or not (0 <= indice.row() < len(self._linhas)):
            return None
        e = self._linhas[indice.row()]
        col = indice.column()
        if papel == Qt.ItemDataRole.DisplayRole:
            return (e.caminho.name, e.texto, e.protocolo)[col] if 0 <= col < 3 else None
        if papel == Qt.ItemDataRole.ToolTipRole:
            return f"{e.caminho}\n{e.texto}"
        if papel == Qt.ItemDataRole.CheckStateRole and col == 0:
            return Qt.CheckState.Checked if e.caminho in self._marcados else Qt.CheckState.Unchecked
        if papel == Qt.ItemDataRole.ForegroundRole and col == 1:
            cor = CORES.get(e.estado)
            return QBrush(cor) if cor is not None else None
        return None

    def setData(self, indice: Indice, valor: Any, papel: int = Qt.ItemDataRole.EditRole) -> bool:
        if not indice.isValid() or indice.column() != 0 or papel != Qt.ItemDataRole.CheckStateRole:
            return False
        marcado = valor in (Qt.CheckState.Checked, Qt.CheckState.Checked.value, 2)
        self.marcar(self._linhas[indice.row()].caminho, marcado)
        return True

    def flags(self, indice: Indice) -> Qt.ItemFlag:
        if not indice.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if indice.column() == 0:
            f |= Qt.ItemFlag.ItemIsUserCheckable
        return f
