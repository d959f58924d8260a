"""The críticas dock: the live list of findings, filtered by severity and group; a click
(or Enter) on a finding takes the clerk to its cell or field."""

from __future__ import annotations

import sys
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDockWidget,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from siops.app.modelos import PAPEL_OBJETO, FiltroCriticas, ModeloCriticas

#: DOMAIN §6: the groups of the críticas (used when the críticas package is absent).
GRUPOS = (
    ("100", "100 — Dados Gerais"),
    ("200", "200 — Receitas"),
    ("300", "300 — Receitas de transferências"),
    ("500", "500 — Despesas"),
    ("600", "600 — Valores calculados"),
    ("700", "700 — Fonte de recursos e restos a pagar"),
    ("800", "800 — Informações Adicionais"),
    ("900", "900 — Execução financeira por bloco"),
)


def grupos_criticas() -> list[tuple[str, str]]:
    """(group, label) pairs: the críticas package's own names when it is already loaded (it
    is loaded after the first paint; the group ids are the same, DOMAIN §6)."""
    mod = sys.modules.get("siops.criticas")
    nomes = getattr(mod, "GRUPOS", None) if mod is not None else None
    if not isinstance(nomes, dict):
        return list(GRUPOS)
    return [(str(g), f"{g} — {nome}") for g, nome in sorted(nomes.items())]


class DockCriticas(QDockWidget):
    """See module docstring. ``irPara(achado)`` asks the window to navigate."""

    irPara = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Críticas", parent)
        self.setObjectName("dock_criticas")
        self.modelo = ModeloCriticas(None, self)
        self.filtro = FiltroCriticas(self)
        self.filtro.setSourceModel(self.modelo)
        corpo = QWidget()
        caixa = QVBoxLayout(corpo)
        caixa.setContentsMargins(6, 4, 6, 6)
        barra = QHBoxLayout()
        # The filters take focus by click or by their mnemonic (Alt+M, Alt+G), never by Tab:
        # tabbing past them with the arrow keys would silently change the filter.
        mostrar = QLabel("&Mostrar:")
        barra.addWidget(mostrar)
        self.severidade = QComboBox()
        self.severidade.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        mostrar.setBuddy(self.severidade)
        self.severidade.addItem("Impeditivas e avisos", None)
        self.severidade.addItem("Só impeditivas", "impeditiva")
        self.severidade.addItem("Só avisos", "aviso")
        barra.addWidget(self.severidade)
        rotulo_grupo = QLabel("&Grupo:")
        barra.addWidget(rotulo_grupo)
        self.grupo = QComboBox()
        self.grupo.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        rotulo_grupo.setBuddy(self.grupo)
        self.grupo.addItem("Todos os grupos", None)
        for g, titulo in grupos_criticas():
            self.grupo.addItem(titulo, g)
        barra.addWidget(self.grupo)
        barra.addStretch(1)
        self.resumo = QLabel()
        # room for the longest count, so "17 crítica(s)" is never cut by the filters
        self.resumo.setMinimumWidth(self.fontMetrics().horizontalAdvance("9999 de 9999 crítica(s)"))
        barra.addWidget(self.resumo)
        caixa.addLayout(barra)
        self.tabela = QTableView()
        self.tabela.setModel(self.filtro)
        self.tabela.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabela.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabela.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabela.setWordWrap(True)
        self.tabela.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.tabela.verticalHeader().hide()
        hh = self.tabela.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        hh.setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        hh.resizeSection(3, 360)
        hh.setStretchLastSection(True)
        self.tabela.activated.connect(self._ativar)
        self.tabela.clicked.connect(self._ativar)  # one click goes to the cell
        caixa.addWidget(self.tabela)
        self.setWidget(corpo)
        self.severidade.currentIndexChanged.connect(self._filtrar)
        self.grupo.currentIndexChanged.connect(self._filtrar)
        self.modelo.modelReset.connect(self._atualizar_resumo)
        self.modelo.dataChanged.connect(lambda *_: self._atualizar_resumo())
        self._atualizar_resumo()

    def definir_documento(self, documento: Any) -> None:
        # Filled just after the window's first paint: opening a file shows the numbers first.
        self.modelo.definir_documento(documento, adiar=True)

    def _filtrar(self) -> None:
        self.filtro.definir(self.severidade.currentData(), self.grupo.currentData())
        self._atualizar_resumo()

    def _atualizar_resumo(self) -> None:
        total = self.modelo.rowCount()
        vis = self.filtro.rowCount()
        self.resumo.setText(
            f"{vis} de {total} crítica(s)" if vis != total else f"{total} crítica(s)"
        )

    def _ativar(self, index: QModelIndex) -> None:
        achado = index.data(PAPEL_OBJETO) if index.isValid() else None
        if achado is None:
            achado = self.filtro.index(index.row(), 0).data(PAPEL_OBJETO)
        if achado is not None:
            self.irPara.emit(achado)

    def ativar_linha(self, row: int) -> None:
        """Navigate to the finding shown at a row (keyboard users, tests)."""
        idx = self.filtro.index(row, 0)
        self.tabela.setCurrentIndex(idx)
        self._ativar(idx)

    def focusInEvent(self, event: Any) -> None:
        self.tabela.setFocus(Qt.FocusReason.OtherFocusReason)
        super().focusInEvent(event)
