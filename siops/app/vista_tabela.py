"""The view of one catalog table: typing like a spreadsheet, Brazilian numbers, copy and paste.

Keys: typing over a cell replaces its value; Enter confirms and goes down to the next editable
cell of the column; Tab/Shift+Tab go to the next/previous editable cell of the row (wrapping to
the next row); derived cells are skipped. Paste (Ctrl+V) of a tab-separated block from a
spreadsheet fills the cells from the current one as *one* undoable edit; a single value pasted
over a selection fills every selected editable cell. Copy (Ctrl+C) copies the selected block as
tab-separated text with Brazilian numbers, which spreadsheets read back.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import QAbstractItemModel, QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import (
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QRegularExpressionValidator,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from siops.app.modelos import RECUO, ModeloTabela, parse_digitado
from siops.forms.declaracao import DefinirCelula, EdicaoInvalida, Lote
from siops.forms.dinheiro import ValorInvalido

#: What a cell editor accepts while typing: digits, thousands dots, one comma, two decimals.
PADRAO_VALOR = r"^[-+]?[0-9.]{0,22}(,[0-9]{0,2})?$"


class DelegadoValor(QStyledItemDelegate):
    """A right-aligned line editor that only takes Brazilian amounts.

    ``enter`` records that the editor is being closed by Enter (Qt closes it with the same
    hint when the current cell changes by mouse), so the view moves down only then.
    """

    enter = False

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter = True
        return super().eventFilter(editor, event)

    def createEditor(
        self, parent: QWidget, option: QStyleOptionViewItem, index: QModelIndex
    ) -> QWidget:
        ed = QLineEdit(parent)
        ed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        ed.setValidator(QRegularExpressionValidator(PADRAO_VALOR, ed))
        ed.setFrame(False)
        return ed

    def setEditorData(self, editor: QWidget, index: QModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        if not editor.text():  # a typed first key is already in the editor: keep it
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: QModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        atual = index.data(Qt.ItemDataRole.EditRole) or ""
        if editor.text().strip() != atual:
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


class ResultadoColagem:
    """What a paste did, for the status bar."""

    def __init__(self, alteradas: int, ignoradas: int) -> None:
        self.alteradas = alteradas
        self.ignoradas = ignoradas


def ler_bloco(texto: str) -> list[list[str]]:
    """Tab-separated rows (as spreadsheets copy them); the trailing newline is not a row."""
    linhas = texto.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    if linhas and linhas[-1] == "":
        linhas.pop()
    return [x.split("\t") for x in linhas]


class TabelaValores(QTableView):
    """A ``QTableView`` over a ``ModeloTabela`` (see module docstring)."""

    mensagem = Signal(str)

    def __init__(self, modelo: ModeloTabela, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(modelo)
        self.setItemDelegate(DelegadoValor(self))
        self.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.setSelectionMode(QAbstractItemView.SelectionMode.ContiguousSelection)
        self.setAlternatingRowColors(False)
        self.setWordWrap(False)
        self.setTabKeyNavigation(True)
        self.setCornerButtonEnabled(False)
        vh = self.verticalHeader()
        vh.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vh.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vh.hide()  # the Anexo 12 numerals are in the titles, as the RREO prints them
        hh = self.horizontalHeader()
        hh.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter)
        hh.setHighlightSections(False)
        hh.setMinimumSectionSize(60)
        hh.setStretchLastSection(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self._negrito = QFontMetrics(self._fonte_negrito())
        self._titulo_natural = (
            max(
                (
                    self._negrito.horizontalAdvance(modelo.index(r, 0).data() or "")
                    for r in range(modelo.rowCount())
                ),
                default=200,
            )
            + 32
        )
        self._ajustar_colunas_numericas(range(1, modelo.columnCount()))
        self._ajustar_titulo()
        self._timer_larguras = QTimer(self)
        self._timer_larguras.setSingleShot(True)
        self._timer_larguras.setInterval(300)
        self._timer_larguras.timeout.connect(self._rever_larguras)
        modelo.dataChanged.connect(lambda *_: self._timer_larguras.start())
        modelo.recusado.connect(self.mensagem)

    def _fonte_negrito(self) -> QFont:
        f = QFont(self.font())
        f.setBold(True)
        return f

    def _largura_numero(self, texto: str) -> int:
        return self._negrito.horizontalAdvance(texto) + 20

    def _ajustar_colunas_numericas(self, colunas: Iterable[int]) -> None:
        """Each number column as wide as its widest value (bold), never narrower than a
        hundred million, nor than its wrapped header."""
        m = self.modelo()
        hh = self.horizontalHeader()
        minimo = self._largura_numero("99.999.999,99")
        for c in colunas:
            cab = m.headerData(c, Qt.Orientation.Horizontal) or ""
            largura = max(
                [minimo, *(self._negrito.horizontalAdvance(x) + 16 for x in str(cab).split("\n"))]
                + [self._largura_numero(m.index(r, c).data() or "") for r in range(m.rowCount())]
            )
            if largura > hh.sectionSize(c) or hh.sectionSize(c) == hh.defaultSectionSize():
                hh.resizeSection(c, largura)

    def _ajustar_titulo(self) -> None:
        """The title column takes what the numbers leave, up to the longest title."""
        hh = self.horizontalHeader()
        numeros = sum(hh.sectionSize(c) for c in range(1, self.modelo().columnCount()))
        livre = self.viewport().width() - numeros - 2
        hh.resizeSection(0, max(280, min(self._titulo_natural, livre)))

    def _rever_larguras(self) -> None:
        """After a pause in typing: widen a number column whose values outgrew it."""
        m = self.modelo()
        hh = self.horizontalHeader()
        largas = [
            c
            for c in range(1, m.columnCount())
            if any(
                self._largura_numero(m.index(r, c).data() or "") > hh.sectionSize(c)
                for r in range(m.rowCount())
            )
        ]
        if largas:
            self._ajustar_colunas_numericas(largas)
            self._ajustar_titulo()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ajustar_titulo()

    def modelo(self) -> ModeloTabela:
        m = self.model()
        assert isinstance(m, ModeloTabela)
        return m

    # -- moving between editable cells ---------------------------------------------------------

    def proxima_editavel(self, row: int, col: int, passo: int, vertical: bool) -> QModelIndex:
        """The next editable cell after (row, col): along the row (wrapping) or down the column."""
        m = self.modelo()
        nr, nc = m.rowCount(), m.columnCount()
        if vertical:
            r = row + passo
            while 0 <= r < nr:
                if m.editavel(r, col):
                    return m.index(r, col)
                r += passo
            return QModelIndex()
        pos = row * nc + col + passo
        while 0 <= pos < nr * nc:
            r, c = divmod(pos, nc)
            if m.editavel(r, c):
                return m.index(r, c)
            pos += passo
        return QModelIndex()

    def moveCursor(
        self, cursorAction: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        acao = QAbstractItemView.CursorAction
        if cursorAction in (acao.MoveNext, acao.MovePrevious):
            atual = self.currentIndex()
            r, c = (atual.row(), atual.column()) if atual.isValid() else (0, -1)
            passo = 1 if cursorAction == acao.MoveNext else -1
            prox = self.proxima_editavel(r, c, passo, vertical=False)
            return prox if prox.isValid() else atual
        return super().moveCursor(cursorAction, modifiers)

    def _descer(self, passo: int = 1) -> None:
        atual = self.currentIndex()
        if not atual.isValid():
            return
        prox = self.proxima_editavel(atual.row(), atual.column(), passo, vertical=True)
        if prox.isValid():
            self.setCurrentIndex(prox)
            self.scrollTo(prox)

    def closeEditor(self, editor: QWidget, hint: QAbstractItemDelegate.EndEditHint) -> None:
        delegado = self.itemDelegate()
        if (
            hint == QAbstractItemDelegate.EndEditHint.SubmitModelCache
            and isinstance(delegado, DelegadoValor)
            and delegado.enter
        ):
            delegado.enter = False
            super().closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)
            self._descer()
            return
        super().closeEditor(editor, hint)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.matches(QKeySequence.StandardKey.Copy):
            self.copiar()
            return
        if event.matches(QKeySequence.StandardKey.Paste):
            self.colar()
            return
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.state() == self.State.EditingState:
                return  # the delegate commits, then closeEditor moves down
            up = bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier)
            self._descer(-1 if up else 1)
            return
        if event.key() == Qt.Key.Key_Delete and self.state() != self.State.EditingState:
            self.apagar_selecao()
            return
        super().keyPressEvent(event)

    def confirmar_editor(self) -> None:
        """Commit and close the cell editor, if one is open (before a save or a close)."""
        if self.state() != self.State.EditingState:
            return
        editor = QApplication.focusWidget()
        if editor is not None and editor.parentWidget() is self.viewport():
            self.commitData(editor)
            self.closeEditor(editor, QAbstractItemDelegate.EndEditHint.NoHint)

    def ir_para(self, row: int, col: int) -> None:
        """Select and show a cell, giving the view the keyboard focus."""
        idx = self.modelo().index(row, col)
        self.setCurrentIndex(idx)
        # Center the row, but scroll sideways only as much as needed (titles stay in view).
        self.scrollTo(self.modelo().index(row, 0), QAbstractItemView.ScrollHint.PositionAtCenter)
        self.scrollTo(idx, QAbstractItemView.ScrollHint.EnsureVisible)
        self.setFocus(Qt.FocusReason.OtherFocusReason)

    # -- clipboard -----------------------------------------------------------------------------

    def _retangulo(self) -> tuple[int, int, int, int] | None:
        sel = self.selectionModel().selectedIndexes() if self.selectionModel() else []
        if not sel:
            atual = self.currentIndex()
            if not atual.isValid():
                return None
            return atual.row(), atual.column(), atual.row(), atual.column()
        rows = [i.row() for i in sel]
        cols = [i.column() for i in sel]
        return min(rows), min(cols), max(rows), max(cols)

    def texto_selecao(self) -> str:
        """The selected block as tab-separated text (titles without indentation)."""
        ret = self._retangulo()
        if ret is None:
            return ""
        m = self.modelo()
        r0, c0, r1, c1 = ret
        linhas = []
        for r in range(r0, r1 + 1):
            cel = []
            for c in range(c0, c1 + 1):
                t = m.index(r, c).data(Qt.ItemDataRole.DisplayRole) or ""
                cel.append(str(t).lstrip(RECUO))
            linhas.append("\t".join(cel))
        return "\n".join(linhas) + "\n"

    def copiar(self) -> None:
        texto = self.texto_selecao()
        if texto:
            QGuiApplication.clipboard().setText(texto)

    def colar(self, texto: str | None = None) -> ResultadoColagem | None:
        """Paste a block (default: the clipboard) as one undoable edit; None when refused."""
        if texto is None:
            texto = QGuiApplication.clipboard().text()
        bloco = ler_bloco(texto)
        if not bloco:
            return None
        try:
            comandos, ignoradas = self._comandos_colagem(bloco)
        except ValorInvalido as exc:
            self.mensagem.emit(f"Colagem recusada: {exc}")
            return None
        if not comandos:
            self.mensagem.emit("Nada a colar: as células de destino são calculadas.")
            return ResultadoColagem(0, ignoradas)
        try:
            self.modelo().documento.executar(Lote(tuple(comandos), "Colar"))
        except EdicaoInvalida as exc:
            self.mensagem.emit(f"Colagem recusada: {exc}")
            return None
        msg = f"{len(comandos)} valor(es) colado(s)."
        if ignoradas:
            msg += f" {ignoradas} célula(s) calculada(s) ou sem valor foram ignoradas."
        self.mensagem.emit(msg)
        return ResultadoColagem(len(comandos), ignoradas)

    def _comandos_colagem(self, bloco: list[list[str]]) -> tuple[list[DefinirCelula], int]:
        m = self.modelo()
        ret = self._retangulo()
        if ret is None:
            return [], 0
        r0, c0, r1, c1 = ret
        alvos: list[tuple[int, int, str]] = []
        if len(bloco) == 1 and len(bloco[0]) == 1 and (r1 > r0 or c1 > c0):
            alvos = [
                (r, c, bloco[0][0]) for r in range(r0, r1 + 1) for c in range(c0, c1 + 1)
            ]  # one value over a selection: fill it
        else:
            for i, linha in enumerate(bloco):
                for j, texto in enumerate(linha):
                    alvos.append((r0 + i, c0 + j, texto))
        comandos: list[DefinirCelula] = []
        ignoradas = 0
        for r, c, texto in alvos:
            if r >= m.rowCount() or c >= m.columnCount() or not m.editavel(r, c):
                ignoradas += 1
                continue
            k = m.chave(r, c)
            assert k is not None
            try:
                v: Decimal = parse_digitado(texto)
            except ValorInvalido as exc:
                raise ValorInvalido(
                    f"{exc} (linha {r - r0 + 1}, coluna {c - c0 + 1} do bloco)"
                ) from exc
            comandos.append(DefinirCelula(k, v, "Colar"))
        return comandos, ignoradas

    def apagar_selecao(self) -> None:
        """Delete: zero every selected editable cell, as one undoable edit."""
        ret = self._retangulo()
        if ret is None:
            return
        m = self.modelo()
        r0, c0, r1, c1 = ret
        cmds = []
        for r in range(r0, r1 + 1):
            for c in range(c0, c1 + 1):
                k = m.chave(r, c)
                if m.editavel(r, c) and k is not None:
                    cmds.append(DefinirCelula(k, Decimal("0.00"), "Apagar"))
        if cmds:
            try:
                m.documento.executar(Lote(tuple(cmds), "Apagar"))
            except EdicaoInvalida as exc:
                self.mensagem.emit(str(exc))
