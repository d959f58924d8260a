"""Dados Gerais / Informações Adicionais: the catalog's text fields as a form.

Fields are grouped by the catalog's groups (``Layout.grupos``). A group whose fields are all
titled "Pessoa — atributo" (responsáveis, instituições) is laid out as a grid — one row per
person or institution, one column per attribute — which is how the clerk reads them off the
previous report. CPF, CNPJ and dates have input masks; CPF and CNPJ are stored as digits only.
A field's edit becomes one ``DefinirTexto`` command (undoable) when the field loses focus or
Enter is pressed; ``confirmar()`` flushes the focused field before a save or a close.
"""

from __future__ import annotations

import re
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from siops.app.documento import Documento
from siops.forms.catalogo import CampoTexto, Pasta
from siops.forms.declaracao import DefinirTexto, EdicaoInvalida, periodo, prazo

MASCARAS = {
    "cpf": "000.000.000-00;_",
    "cnpj": "00.000.000/0000-00;_",
    "data": "00/00/0000;_",
}
VALIDADORES = {
    "email": r"^[^\s@]*@?[^\s@]*$",
    "telefone": r"^[0-9 ()+\-]{0,20}$",
    "inteiro": r"^[0-9.]{0,15}$",
    "percentual": r"^[0-9]{0,3}(,[0-9]{0,2})?%?$",
}
SO_DIGITOS = ("cpf", "cnpj")
#: Grid columns of fixed, short content (the others share the width).
CURTOS = ("CPF", "CNPJ", "telefone")
PESOS = {"nome": 3, "e-mail": 3, "cargo": 2}
ESTILO_IMPEDITIVA = "QLineEdit, QComboBox { background: #f6c9c9; }"
ESTILO_AVISO = "QLineEdit, QComboBox { background: #fbefc2; }"


def _partes(titulo: str) -> tuple[str, str] | None:
    if " — " not in titulo:
        return None
    a, b = titulo.split(" — ", 1)
    return a, b


class FormularioTextos(QScrollArea):
    """The form of one pasta with text-field groups (see module docstring)."""

    def __init__(self, documento: Documento, pasta: Pasta, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.documento = documento
        self.pasta = pasta
        self.campos: dict[str, QLineEdit | QComboBox] = {}
        self._defs: dict[str, CampoTexto] = {}
        self.setWidgetResizable(True)
        corpo = QWidget()
        caixa = QVBoxLayout(corpo)
        caixa.setContentsMargins(16, 12, 16, 12)
        caixa.setSpacing(12)
        titulo = QLabel(f"<h2>{pasta.titulo}</h2>")
        caixa.addWidget(titulo)
        if pasta.ajuda:
            ajuda = QLabel(pasta.ajuda)
            ajuda.setWordWrap(True)
            caixa.addWidget(ajuda)
        if pasta.id == "dados_gerais":
            caixa.addWidget(self._identificacao())
        cat = documento.catalogo
        for g in pasta.grupos:
            campos = cat.campos_do_grupo(g)
            if campos:
                caixa.addWidget(self._grupo(cat.layout.grupos.get(g, g), campos))
        caixa.addStretch(1)
        self.setWidget(corpo)
        self._marcar(documento.achados)
        documento.celulasMudaram.connect(self._ao_mudar)
        documento.achadosMudaram.connect(self._ao_mudar_achados)

    # -- building ------------------------------------------------------------------------------

    def _identificacao(self) -> QGroupBox:
        d = self.documento.declaracao
        caixa = QGroupBox("Identificação da declaração")
        form = QFormLayout(caixa)
        e = d.ente
        linhas = [
            ("Ente", e.descricao),
            ("Código IBGE", e.ibge),
            ("Exercício", str(d.exercicio)),
            ("Bimestre", f"{d.bimestre}º bimestre ({periodo(d.bimestre, d.exercicio)})"),
            ("Prazo de transmissão", prazo(d.bimestre, d.exercicio)),
        ]
        for rotulo, valor in linhas:
            v = QLabel(valor)
            v.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            form.addRow(rotulo + ":", v)
        return caixa

    def _grupo(self, titulo: str, campos: list[CampoTexto]) -> QGroupBox:
        caixa = QGroupBox(titulo)
        partes = [_partes(c.titulo) for c in campos]
        if all(partes) and len({p[0] for p in partes if p}) > 1:
            grade = QGridLayout(caixa)
            grade.setHorizontalSpacing(8)
            atributos: list[str] = []
            pessoas: list[str] = []
            for p in partes:
                assert p is not None
                if p[1] not in atributos:
                    atributos.append(p[1])
                if p[0] not in pessoas:
                    pessoas.append(p[0])
            for j, a in enumerate(atributos, start=1):
                rot = QLabel(f"<b>{_curto(a)}</b>")
                rot.setToolTip(a)
                grade.addWidget(rot, 0, j)
            for i, pessoa in enumerate(pessoas, start=1):
                grade.addWidget(QLabel(pessoa), i, 0)
            for c, p in zip(campos, partes, strict=True):
                assert p is not None
                w = self._widget(c)
                w.setToolTip(c.titulo)
                grade.addWidget(w, pessoas.index(p[0]) + 1, atributos.index(p[1]) + 1)
            for j in range(1, len(atributos) + 1):
                a = atributos[j - 1]
                grade.setColumnStretch(j, PESOS.get(a.split(" ")[0], 0 if a in CURTOS else 2))
        else:
            form = QFormLayout(caixa)
            form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
            for c in campos:
                # "Título (explicação)": the explanation goes beside the field, in grey.
                titulo, _, explicacao = c.titulo.partition(" (")
                rot = QLabel(titulo + (" *" if c.obrigatorio else "") + ":")
                w = self._widget(c)
                if explicacao:
                    linha = QHBoxLayout()
                    linha.addWidget(w)
                    nota = QLabel("(" + explicacao)
                    nota.setStyleSheet("color: #555;")
                    nota.setWordWrap(True)
                    linha.addWidget(nota, 1)
                    form.addRow(rot, linha)
                else:
                    form.addRow(rot, w)
        return caixa

    def _widget(self, c: CampoTexto) -> QLineEdit | QComboBox:
        valor = self.documento.declaracao.texto(c.id)
        self._defs[c.id] = c
        if c.tipo == "sim_nao":
            combo = QComboBox()
            combo.addItems(["", "Sim", "Não"])
            combo.setCurrentText(valor)
            combo.currentTextChanged.connect(lambda _t, cid=c.id: self._confirmar_campo(cid))
            combo.setAccessibleName(c.titulo)
            self.campos[c.id] = combo
            return combo
        ed = QLineEdit()
        ed.setAccessibleName(c.titulo)
        if c.tipo in MASCARAS:
            ed.setInputMask(MASCARAS[c.tipo])
        elif c.tipo in VALIDADORES:
            ed.setValidator(QRegularExpressionValidator(VALIDADORES[c.tipo], ed))
        if c.tipo in ("inteiro", "percentual"):
            ed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if c.tipo in ("inteiro", "percentual", "cpf", "cnpj", "data", "telefone"):
            ed.setMinimumWidth(ed.fontMetrics().horizontalAdvance("00.000.000/0000-00") + 16)
            ed.setMaximumWidth(ed.fontMetrics().horizontalAdvance("00.000.000/0000-00") + 40)
        if c.obrigatorio:
            ed.setPlaceholderText("obrigatório")
        ed.setText(valor)
        ed.setCursorPosition(0)  # show the beginning of a long text, not its end
        ed.editingFinished.connect(lambda cid=c.id: self._confirmar_campo(cid))
        self.campos[c.id] = ed
        return ed

    # -- values --------------------------------------------------------------------------------

    def valor_widget(self, campo: str) -> str:
        """The field's value as stored (digits only for CPF/CNPJ; '' for an empty mask)."""
        w = self.campos[campo]
        if isinstance(w, QComboBox):
            return w.currentText()
        texto = w.text()
        tipo = self._defs[campo].tipo
        if tipo in SO_DIGITOS:
            return re.sub(r"\D", "", texto)
        if tipo in MASCARAS:
            return texto if re.search(r"\d", texto) else ""
        return texto.strip()

    def _confirmar_campo(self, campo: str) -> None:
        valor = self.valor_widget(campo)
        if valor == self.documento.declaracao.texto(campo):
            return
        titulo = self._defs[campo].titulo
        try:
            self.documento.executar(DefinirTexto(campo, valor, f"Editar {titulo}"))
        except EdicaoInvalida as exc:
            janela = self.window()
            if hasattr(janela, "mostrar_erro"):
                janela.mostrar_erro(str(exc))

    def confirmar(self) -> None:
        """Commit the field being edited (before saving or closing)."""
        foco = QApplication.focusWidget()
        for cid, w in self.campos.items():
            if w is foco:
                self._confirmar_campo(cid)

    def _ao_mudar(self, chaves: set[Any]) -> None:
        for k in chaves:
            if k[0] != "_texto" or k[1] not in self.campos:
                continue
            campo = k[1]
            w = self.campos[campo]
            valor = self.documento.declaracao.texto(campo)
            if self.valor_widget(campo) == valor:
                continue
            w.blockSignals(True)
            if isinstance(w, QComboBox):
                w.setCurrentText(valor)
            else:
                w.setText(valor)
            w.blockSignals(False)

    def _ao_mudar_achados(self) -> None:
        self._marcar(self.documento.achados)

    def focar(self, campo: str) -> bool:
        """Give a field the focus (navigation from the críticas dock)."""
        w = self.campos.get(campo)
        if w is None:
            return False
        self.ensureWidgetVisible(w)
        w.setFocus(Qt.FocusReason.OtherFocusReason)
        return True

    def _marcar(self, achados: list[Any]) -> None:
        marcas: dict[str, tuple[str, list[str]]] = {}
        for a in achados:
            campo = getattr(a, "campo", None)
            if campo in self.campos:
                sev, msgs = marcas.get(campo, (a.severidade, []))
                if a.severidade == "impeditiva":
                    sev = "impeditiva"
                msgs.append(a.mensagem)
                marcas[campo] = (sev, msgs)
        for cid, w in self.campos.items():
            if cid in marcas:
                sev, msgs = marcas[cid]
                w.setStyleSheet(ESTILO_IMPEDITIVA if sev == "impeditiva" else ESTILO_AVISO)
                w.setToolTip(self._defs[cid].titulo + "\n" + "\n".join(msgs))
            elif w.styleSheet():
                w.setStyleSheet("")
                w.setToolTip(self._defs[cid].titulo)


def _curto(atributo: str) -> str:
    """Column header of a grid: the attribute without its parenthesized explanation."""
    base = atributo.split(" (")[0]
    return base[:1].upper() + base[1:]
