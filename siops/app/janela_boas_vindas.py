"""The welcome screen shown when no declaration is open: Nova declaração, Abrir, and the recent
files (double-click or Enter opens one)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from siops.app.calendario import bimestre_sugerido
from siops.app.modelos import PAPEL_OBJETO, ModeloRecentes
from siops.forms.declaracao import periodo, prazo


class BoasVindas(QWidget):
    """See module docstring."""

    novaPedida = Signal()
    abrirPedido = Signal()
    recenteEscolhido = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("boas_vindas")
        fora = QHBoxLayout(self)
        fora.addStretch(1)
        caixa = QVBoxLayout()
        fora.addLayout(caixa, 3)
        fora.addStretch(1)
        caixa.addStretch(1)
        titulo = QLabel("<h1>SIOPS — Declaração bimestral</h1>")
        caixa.addWidget(titulo)
        ano, bim = bimestre_sugerido(dt.date.today())
        dica = QLabel(
            f"Bimestre atual para transmissão: <b>{bim}º bimestre de {ano}</b> "
            f"({periodo(bim, ano)}), prazo <b>{prazo(bim, ano)}</b>."
        )
        dica.setWordWrap(True)
        caixa.addWidget(dica)
        botoes = QHBoxLayout()
        self.b_nova = QPushButton("Nova declaração…")
        self.b_abrir = QPushButton("Abrir declaração…")
        self.b_nova.setDefault(True)
        for b in (self.b_nova, self.b_abrir):
            b.setMinimumHeight(36)
            botoes.addWidget(b)
        botoes.addStretch(1)
        caixa.addLayout(botoes)
        caixa.addWidget(QLabel("<b>Declarações recentes</b>"))
        self.modelo = ModeloRecentes([], self)
        self.lista = QListView()
        self.lista.setModel(self.modelo)
        self.lista.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lista.setSpacing(2)
        self.lista.setMinimumHeight(220)
        caixa.addWidget(self.lista, 2)
        self.vazio = QLabel("Nenhuma declaração aberta recentemente.")
        self.vazio.setAlignment(Qt.AlignmentFlag.AlignCenter)
        caixa.addWidget(self.vazio)
        caixa.addStretch(1)
        self.b_nova.clicked.connect(self.novaPedida)
        self.b_abrir.clicked.connect(self.abrirPedido)
        self.lista.activated.connect(lambda i: self.recenteEscolhido.emit(i.data(PAPEL_OBJETO)))

    def definir_recentes(self, caminhos: list[Path]) -> None:
        self.modelo.definir(caminhos)
        self.lista.setVisible(bool(caminhos))
        self.vazio.setVisible(not caminhos)
