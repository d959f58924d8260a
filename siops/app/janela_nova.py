"""The "Nova declaração" dialog: who (município searched among all 5,570, or estado, or the
DF), which exercício and which bimestre. ``escolhido(ente, exercicio, bimestre)`` is emitted on
OK; the window then creates the file in the standard folder."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QItemSelectionModel, Qt, Signal
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from siops.app.calendario import bimestre_sugerido
from siops.app.modelos import PAPEL_OBJETO, FiltroEntes, ModeloEntes
from siops.forms.declaracao import periodo, prazo


class DialogoNovaDeclaracao(QDialog):
    """See module docstring."""

    escolhido = Signal(object, int, int)

    def __init__(self, parent: QWidget | None = None, hoje: dt.date | None = None) -> None:
        super().__init__(parent)
        from siops.forms import entes

        self._entes = entes
        self.setWindowTitle("Nova declaração")
        self.setObjectName("dialogo_nova")
        self.resize(640, 560)
        caixa = QVBoxLayout(self)

        esfera = QHBoxLayout()
        esfera.addWidget(QLabel("Declarante:"))
        self.r_municipio = QRadioButton("Município")
        self.r_estado = QRadioButton("Estado")
        self.r_df = QRadioButton("Distrito Federal")
        self._grupo_esfera = QButtonGroup(self)
        for r in (self.r_municipio, self.r_estado, self.r_df):
            self._grupo_esfera.addButton(r)
            esfera.addWidget(r)
        esfera.addStretch(1)
        self.r_municipio.setChecked(True)
        caixa.addLayout(esfera)

        form = QFormLayout()
        self.uf = QComboBox()
        self.uf.addItem("Todas as UFs", None)
        for u in entes.ufs():
            if u.codigo != entes.CODIGO_UF_DF:
                self.uf.addItem(f"{u.sigla} — {u.nome}", u.sigla)
        form.addRow("UF:", self.uf)
        self.busca = QLineEdit()
        self.busca.setPlaceholderText("Digite parte do nome ou o código IBGE (ex.: sao jose)")
        self.busca.setClearButtonEnabled(True)
        form.addRow("Buscar:", self.busca)
        caixa.addLayout(form)

        self.modelo = ModeloEntes(entes.municipios(), self)
        self.filtro = FiltroEntes(self)
        self.filtro.setSourceModel(self.modelo)
        self.lista = QListView()
        self.lista.setModel(self.filtro)
        self.lista.setUniformItemSizes(True)
        self.lista.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        # The chosen município stays legible while the clerk types in the search box.
        pal = self.lista.palette()
        for papel in (QPalette.ColorRole.Highlight, QPalette.ColorRole.HighlightedText):
            pal.setColor(
                QPalette.ColorGroup.Inactive, papel, pal.color(QPalette.ColorGroup.Active, papel)
            )
        self.lista.setPalette(pal)
        caixa.addWidget(self.lista, 1)
        self.contagem = QLabel()
        caixa.addWidget(self.contagem)

        periodo_form = QFormLayout()
        ex, bim = bimestre_sugerido(hoje or dt.date.today())
        self.exercicio = QSpinBox()
        self.exercicio.setRange(2018, 2100)
        self.exercicio.setValue(ex)
        self.exercicio.setGroupSeparatorShown(False)
        self.exercicio.setMaximumWidth(120)
        periodo_form.addRow("Exercício:", self.exercicio)
        self.bimestre = QComboBox()
        periodo_form.addRow("Bimestre:", self.bimestre)
        caixa.addLayout(periodo_form)
        self._preencher_bimestres(bim)

        self.botoes = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.botoes.button(QDialogButtonBox.StandardButton.Ok).setText("Criar declaração")
        self.botoes.accepted.connect(self._aceitar)
        self.botoes.rejected.connect(self.reject)
        caixa.addWidget(self.botoes)

        self.busca.textChanged.connect(self._filtrar)
        self.uf.currentIndexChanged.connect(self._filtrar)
        self._grupo_esfera.buttonToggled.connect(self._mudou_esfera)
        self.exercicio.valueChanged.connect(lambda _v: self._preencher_bimestres())
        self._escolhido: Any | None = None  # the ente last chosen, kept across searches
        self.lista.selectionModel().currentChanged.connect(self._ao_escolher)
        self.lista.doubleClicked.connect(lambda *_: self._aceitar())
        self._filtrar()
        self.busca.setFocus()

    # -- behaviour -----------------------------------------------------------------------------

    def _preencher_bimestres(self, escolher: int | None = None) -> None:
        atual = escolher or (self.bimestre.currentIndex() + 1) or 1
        ano = self.exercicio.value()
        self.bimestre.clear()
        for b in range(1, 7):
            self.bimestre.addItem(f"{b}º bimestre — {periodo(b, ano)} (prazo {prazo(b, ano)})", b)
        self.bimestre.setCurrentIndex(max(0, min(5, atual - 1)))

    def _mudou_esfera(self, *_: Any) -> None:
        municipio = self.r_municipio.isChecked()
        self.busca.setEnabled(municipio)
        if self.r_df.isChecked():
            self.modelo.definir([self._entes.ente("E53")])
            self.uf.setEnabled(False)
        elif self.r_estado.isChecked():
            self.modelo.definir(
                self._entes.ente("E" + u.codigo)
                for u in self._entes.ufs()
                if u.codigo != self._entes.CODIGO_UF_DF
            )
            self.uf.setEnabled(False)
        else:
            self.modelo.definir(self._entes.municipios())
            self.uf.setEnabled(True)
        self._filtrar()
        if not municipio:
            self.lista.setFocus()

    def _filtrar(self) -> None:
        municipio = self.r_municipio.isChecked()
        self.filtro.definir(
            self.busca.text() if municipio else "", self.uf.currentData() if municipio else None
        )
        n = self.filtro.rowCount()
        if municipio:
            self.contagem.setText(f"{n} município(s) encontrado(s)")
        else:
            self.contagem.setText("")
        volta = self._linha_do_escolhido()
        if volta is not None:
            # The chosen município is in the list again (a typo corrected): chosen and
            # highlighted again, instead of silently unselected.
            self.lista.selectionModel().setCurrentIndex(
                self.filtro.index(volta, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
            self.lista.scrollTo(self.filtro.index(volta, 0))
        elif n == 1 or not municipio:
            self.lista.selectionModel().setCurrentIndex(
                self.filtro.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._validar()

    def _ao_escolher(self, atual: Any, _anterior: Any = None) -> None:
        e = atual.data(PAPEL_OBJETO) if atual.isValid() else None
        if e is not None:
            self._escolhido = e
        self._validar()

    def _linha_do_escolhido(self) -> int | None:
        if self._escolhido is None:
            return None
        for r in range(self.filtro.rowCount()):
            if self.filtro.index(r, 0).data(PAPEL_OBJETO) is self._escolhido:
                return r
        return None

    def ente_escolhido(self) -> Any | None:
        idx = self.lista.currentIndex()
        if not idx.isValid():
            return None
        e = idx.data(PAPEL_OBJETO)
        # Brasília in the list declares as the DF (forms.entes docstring).
        return self._entes.ente(e.codigo) if e is not None else None

    def _validar(self) -> None:
        self.botoes.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            self.ente_escolhido() is not None
        )

    def escolher(self, texto: str, uf: str | None = None) -> None:
        """Search and select the first match (tests, keyboard)."""
        if uf is not None:
            i = self.uf.findData(uf)
            self.uf.setCurrentIndex(max(i, 0))
        self.busca.setText(texto)
        if self.filtro.rowCount():
            self.lista.selectionModel().setCurrentIndex(
                self.filtro.index(0, 0), QItemSelectionModel.SelectionFlag.ClearAndSelect
            )
        self._validar()

    def _aceitar(self) -> None:
        e = self.ente_escolhido()
        if e is None:
            return
        self.escolhido.emit(e, self.exercicio.value(), int(self.bimestre.currentData()))
        self.accept()

    def keyPressEvent(self, event: Any) -> None:
        # Down arrow from the search box goes into the list (type, arrow, Enter).
        if event.key() == Qt.Key.Key_Down and self.busca.hasFocus():
            self.lista.setFocus()
            return
        super().keyPressEvent(event)
