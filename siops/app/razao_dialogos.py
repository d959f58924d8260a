"""The ledger's dialogs: Incluir linha (the key checked by the core, its Portuguese
``ChaveInvalida`` under the field; where the line would go, shown while typing) and "De onde vem
este valor?" (the ledger lines of an aggregated cell, their sum against the cell, and the way to
each line). Opened with ``Dialogos.mostrar``; the answer travels by their signals."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from siops.app.documento import Documento
from siops.app.modelo_razao import ModeloOrigem
from siops.app.razao_textos import (
    NATUREZAS_DESPESA,
    descrever_destino,
    descrever_linha,
    naturezas_receita,
    planilhas_com_titulo,
)
from siops.forms.dinheiro import formatar
from siops.forms.formulas import Chave
from siops.forms.razao import (
    SUBFUNCOES_RAZAO,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
)

ESTILO_ERRO = "color: #a40000;"


def _natureza_digitada(texto: str) -> str:
    """The code part of a natureza typed or chosen from the list ('3.3.90.39 — Outros…')."""
    return texto.split("—")[0].strip()


class DialogoIncluirLinha(QDialog):
    """Incluir linha: planilha, subfunção and natureza (despesas) or natureza and fonte
    (receitas); the key is checked on OK (``ChaveInvalida`` under the field, in Portuguese);
    while typing, where the line would go in the Anexo 12."""

    incluir = Signal(object)

    def __init__(
        self,
        documento: Documento,
        tipo: str,
        planilha: str | None = None,
        subfuncao: str | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialogo_incluir_linha")
        self.documento = documento
        self.tipo = tipo
        despesas = tipo == "despesas"
        self.setWindowTitle("Incluir linha de despesa" if despesas else "Incluir linha de receita")
        self.setMinimumWidth(620)
        caixa = QVBoxLayout(self)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        self.planilha = QComboBox()
        self.subfuncao = QComboBox()
        self.natureza = QComboBox()
        self.natureza.setEditable(True)
        self.natureza.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.fonte = QLineEdit()
        if despesas:
            for codigo, texto in planilhas_com_titulo():
                self.planilha.addItem(texto, codigo)
            self.planilha.setCurrentIndex(max(self.planilha.findData(planilha or "4"), 0))
            for s in SUBFUNCOES_RAZAO:
                self.subfuncao.addItem(s.titulo, s.id)
            if subfuncao:
                self.subfuncao.setCurrentIndex(max(self.subfuncao.findData(subfuncao), 0))
            for n, t in NATUREZAS_DESPESA:
                self.natureza.addItem(f"{n} — {t}")
            self._dica_natureza("ex.: 3.3.90.39")
            form.addRow("&Planilha (fonte de recursos):", self.planilha)
            form.addRow("&Subfunção:", self.subfuncao)
            form.addRow("&Natureza da despesa:", self.natureza)
        else:
            for n, t in naturezas_receita(documento):
                self.natureza.addItem(f"{n} — {t}")
            self._dica_natureza("ex.: 1.1.1.2.50.0.1")
            self.fonte.setPlaceholderText("opcional; ex.: 1600")
            form.addRow("&Natureza da receita:", self.natureza)
        self.natureza.setCurrentIndex(-1)
        self.natureza.setEditText("")
        self.erro = QLabel()
        self.erro.setObjectName("erro_natureza")
        self.erro.setWordWrap(True)
        self.erro.setStyleSheet(ESTILO_ERRO)
        self.erro.hide()
        form.addRow("", self.erro)
        if not despesas:
            form.addRow("&Fonte de recursos:", self.fonte)
        caixa.addLayout(form)
        self.previa = QLabel()
        self.previa.setObjectName("previa_destino")
        self.previa.setWordWrap(True)
        self.previa.setMinimumHeight(self.previa.fontMetrics().lineSpacing() * 3)
        caixa.addWidget(self.previa)
        self.botoes = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.botoes.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText("Incluir")
        self.botoes.accepted.connect(self.aceitar)
        self.botoes.rejected.connect(self.reject)
        caixa.addWidget(self.botoes)
        self.natureza.editTextChanged.connect(self._ao_digitar)
        self.fonte.textChanged.connect(self._ao_digitar)
        self.planilha.currentIndexChanged.connect(self._ao_digitar)
        self.subfuncao.currentIndexChanged.connect(self._ao_digitar)
        self.natureza.setFocus()
        self._ao_digitar()

    def _dica_natureza(self, texto: str) -> None:
        campo = self.natureza.lineEdit()
        if campo is not None:
            campo.setPlaceholderText(texto)
            campo.setAccessibleName("Natureza")

    def chave(self) -> ChaveRazao:
        """The line the fields name; ``ChaveInvalida`` (Portuguese) when they name none."""
        texto = _natureza_digitada(self.natureza.currentText())
        if not texto:
            raise ChaveInvalida(
                "Informe a natureza da "
                + ("despesa (ex.: 3.3.90.39)." if self.tipo == "despesas" else "receita.")
            )
        if self.tipo == "despesas":
            return ChaveDespesa.de(self.planilha.currentData(), self.subfuncao.currentData(), texto)
        return ChaveReceita.de(texto, self.fonte.text())

    def _ao_digitar(self, *_: Any) -> None:
        self.erro.hide()
        try:
            k = self.chave()
        except ChaveInvalida:
            self.previa.setText("")
            return
        self.previa.setText(descrever_destino(self.documento, k)[2])

    def aceitar(self) -> None:
        """OK: a valid, new line is handed to the page; otherwise the reason under the field."""
        try:
            k = self.chave()
        except ChaveInvalida as exc:
            self._erro(str(exc))
            return
        if self.documento.declaracao.tem_linha(k):
            self._erro(f"Esta linha já existe no razão: {descrever_linha(k)}.")
            return
        self.accept()  # closed first: the page then gives its table the keyboard
        self.incluir.emit(k)

    def _erro(self, texto: str) -> None:
        self.erro.setText(texto)
        self.erro.show()
        self.natureza.setFocus()


class DialogoOrigem(QDialog):
    """De onde vem este valor? The ledger lines that make an aggregated cell, their sum
    against the cell, and "Ir para a linha" (``irPara(chave, coluna)``)."""

    irPara = Signal(object, str)

    def __init__(self, documento: Documento, celula: Chave, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialogo_origem")
        self.setWindowTitle("De onde vem este valor?")
        self.resize(820, 420)
        self.documento = documento
        self.celula = celula
        d = documento.declaracao
        cat = documento.catalogo
        caixa = QVBoxLayout(self)
        valor = d.valor(celula)
        cabecalho = QLabel(
            f"{cat.descricao_celula(celula)}\nValor na tabela: R$ {formatar(valor)}. "
            "Esta célula é calculada a partir das linhas do razão abaixo."
        )
        cabecalho.setWordWrap(True)
        cabecalho.setTextFormat(Qt.TextFormat.PlainText)
        caixa.addWidget(cabecalho)
        self.modelo = ModeloOrigem(documento, celula, self)
        self.tabela = QTableView()
        self.tabela.setObjectName("tabela_origem")
        self.tabela.setModel(self.modelo)
        self.tabela.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabela.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tabela.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabela.verticalHeader().hide()
        hh = self.tabela.horizontalHeader()
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
        self.tabela.doubleClicked.connect(lambda i: self.ir_para(i.row()))
        caixa.addWidget(self.tabela, 1)
        soma = self.modelo.soma()
        if not self.modelo.linhas:
            texto = (
                "Nenhuma linha do razão com valor alimenta esta célula. Para lançar, use a "
                "pasta Razão (Planilhas de despesa ou Receitas por natureza)."
            )
        elif soma == valor:
            texto = f"Soma das linhas: R$ {formatar(soma)} — confere com a célula."
        else:
            texto = (
                f"Soma das linhas: R$ {formatar(soma)} — difere da célula em "
                f"R$ {formatar(valor - soma)}."
            )
        self.rodape = QLabel(texto)
        self.rodape.setObjectName("soma_origem")
        self.rodape.setWordWrap(True)
        caixa.addWidget(self.rodape)
        self.botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.botao_ir = self.botoes.addButton(
            "&Ir para a linha", QDialogButtonBox.ButtonRole.ActionRole
        )
        self.botao_ir.setEnabled(bool(self.modelo.linhas))
        self.botao_ir.clicked.connect(lambda: self.ir_para())
        self.botoes.rejected.connect(self.reject)
        caixa.addWidget(self.botoes)
        if self.modelo.linhas:
            self.tabela.selectRow(0)
            self.botao_ir.setDefault(True)

    def ir_para(self, row: int | None = None) -> None:
        """Go to a line (the selected one by default) in its page, and close."""
        if row is None:
            atual = self.tabela.currentIndex()
            row = atual.row() if atual.isValid() else 0
        if not 0 <= row < len(self.modelo.linhas):
            return
        k, coluna, _s, _v = self.modelo.linhas[row]
        self.accept()
        self.irPara.emit(k, coluna)
