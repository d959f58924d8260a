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
#: The widest content of the fields of fixed size, which sets their width.
AMOSTRAS = {
    "inteiro": "000.000.000.000",
    "percentual": "100,00%",
    "cpf": "000.000.000-00",
    "cnpj": "00.000.000/0000-00",
    "data": "00/00/0000",
    "telefone": "(00) 00000-0000",
}
PESOS = {"nome": 3, "e-mail": 4, "cargo": 3}
#: A grid whose row names are longer than this puts each name above its row of fields.
LARGURA_ROTULO_AO_LADO = 16
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
        caixa.setContentsMargins(8, 10, 8, 10)
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
            grade.setHorizontalSpacing(6)
            grade.setContentsMargins(8, 8, 8, 8)
            atributos: list[str] = []
            pessoas: list[str] = []
            for p in partes:
                assert p is not None
                if p[1] not in atributos:
                    atributos.append(p[1])
                if p[0] not in pessoas:
                    pessoas.append(p[0])
            # Short names ("Instituição 1") go beside their fields; long ones ("Responsável
            # pelo preenchimento") above them, so that the fields get the whole width and a
            # cargo or an e-mail is not cut at 1280×800 (issue 24).
            acima = max(len(x) for x in pessoas) > LARGURA_ROTULO_AO_LADO
            primeira = 0 if acima else 1
            for j, a in enumerate(atributos, start=primeira):
                rot = QLabel(f"<b>{_curto(a)}</b>")
                rot.setToolTip(a)
                grade.addWidget(rot, 0, j)
            linha_de: dict[str, int] = {}
            for i, pessoa in enumerate(pessoas):
                rotulo = QLabel(pessoa)
                if acima:
                    fonte = rotulo.font()
                    fonte.setItalic(True)
                    rotulo.setFont(fonte)
                    grade.addWidget(rotulo, 1 + 2 * i, 0, 1, len(atributos))
                    linha_de[pessoa] = 2 + 2 * i
                else:
                    grade.addWidget(rotulo, 1 + i, 0)
                    linha_de[pessoa] = 1 + i
            for c, p in zip(campos, partes, strict=True):
                assert p is not None
                w = self._widget(c)
                w.setToolTip(c.titulo)
                grade.addWidget(w, linha_de[p[0]], atributos.index(p[1]) + primeira)
            # The columns of free text share the width by what they hold (an e-mail is
            # longer than a cargo), each at least as wide as its longest value.
            for j, a in enumerate(atributos, start=primeira):
                if a in CURTOS:
                    continue
                textos = [
                    self.campos[c.id]
                    for c, p in zip(campos, partes, strict=True)
                    if p is not None and p[1] == a
                ]
                precisa = max(
                    [PESOS.get(a.split(" ")[0], 2) * 40]
                    + [w.fontMetrics().horizontalAdvance(_texto(w)) + 12 for w in textos]
                )
                grade.setColumnStretch(j, precisa)
                grade.setColumnMinimumWidth(j, min(precisa, 320))
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
        if c.tipo in AMOSTRAS:  # fixed-size content: as wide as it, the rest to the others
            ed.setFixedWidth(ed.fontMetrics().horizontalAdvance(AMOSTRAS[c.tipo]) + 20)
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


def _texto(w: QLineEdit | QComboBox) -> str:
    return w.currentText() if isinstance(w, QComboBox) else w.text()


def _curto(atributo: str) -> str:
    """Column header of a grid: the attribute without its parenthesized explanation."""
    base = atributo.split(" (")[0]
    return base[:1].upper() + base[1:]
