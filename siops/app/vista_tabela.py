"""The view of one catalog table: typing like a spreadsheet, Brazilian numbers, copy and paste.

Keys: typing over a cell replaces its value; Enter confirms and goes down to the next editable
cell of the column; Tab/Shift+Tab go to the next/previous editable cell of the row (wrapping to
the next row); derived cells are skipped. Paste (Ctrl+V) of a tab-separated block from a
spreadsheet fills the cells from the current one as *one* undoable edit; a single value pasted
over a selection fills every selected editable cell. Copy (Ctrl+C) copies the selected block as
tab-separated text with Brazilian numbers, which spreadsheets read back.

The view serves any ``ModeloValores`` (a catalog table, a planilha of the ledger). Typing on a
read-only cell says why, next to it; on a cell computed from the ledger, double-click, the
context menu and Ctrl+Shift+O ask "De onde vem este valor?" (``origemPedida``).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRect,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QAction,
    QContextMenuEvent,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPainter,
    QPalette,
    QPen,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QAbstractItemDelegate,
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMenu,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from siops.app.modelos import ATALHO_ORIGEM, RECUO, ModeloValores, parse_digitado
from siops.forms.declaracao import Comando, EdicaoInvalida, Lote
from siops.forms.dinheiro import ValorInvalido
from siops.forms.formulas import Chave

#: The longest text a cell editor takes (a hundred-billion amount with thousands dots is 22).
LIMITE_DIGITACAO = 40


class AvisoCampo(QLabel):
    """Why a typed value was refused, shown right under (or over) the cell, in full.

    A child of the view's viewport, not the status bar (whose fixed labels cut long messages)
    nor a tooltip (which vanishes when the mouse moves): it stays until the clerk types again,
    leaves the cell or presses Esc.
    """

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("aviso_campo")
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.setStyleSheet(
            "QLabel#aviso_campo { background: #fff4d6; color: #5a3b00; "
            "border: 1px solid #c58a00; border-radius: 3px; padding: 4px 6px; }"
        )
        self._celula = QRect()
        parent.installEventFilter(self)  # a viewport that changes size re-places the notice
        self.hide()

    def eventFilter(self, objeto: QObject, evento: QEvent) -> bool:
        if evento.type() == QEvent.Type.Resize and self.isVisible():
            self.mostrar(self.text(), self._celula)
        return False

    def mostrar(self, texto: str, celula: QRect) -> None:
        """Show ``texto`` wrapped to fit the viewport, under ``celula`` (over it near the end)."""
        pai = self.parentWidget()
        if pai is None:  # built with the viewport as parent; nothing to place it in otherwise
            return
        area = pai.rect()
        self._celula = QRect(celula)
        self.setText(texto)
        largura = min(max(360, celula.width()), max(area.width() - 8, 120))
        self.setFixedWidth(largura)
        altura = self.heightForWidth(largura)
        self.setFixedHeight(altura)
        x = min(max(celula.left(), 4), max(area.right() - largura - 3, 0))
        y = celula.bottom() + 1
        if y + altura > area.bottom():
            y = max(celula.top() - altura, 0)
        self.move(x, y)
        self.show()
        self.raise_()


class DelegadoValor(QStyledItemDelegate):
    """A right-aligned line editor for Brazilian amounts that never alters what was typed.

    The text is checked when the clerk confirms it (Enter, Tab): a refused value ("1,2,3",
    "abc", "-5") keeps the editor open with the text as typed and the reason next to the field,
    instead of a validator silently eating keys ("1,2,3" → 1,23) or the value vanishing.
    ``enter`` records that the editor is being closed by Enter (Qt closes it with the same
    hint when the current cell changes by mouse), so the view moves down only then.
    """

    enter = False

    def __init__(self, vista: TabelaValores) -> None:
        super().__init__(vista)
        self.vista = vista
        self._indices: dict[QWidget, QPersistentModelIndex] = {}

    def eventFilter(self, editor: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            confirmar = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if event.key() in confirmar and isinstance(editor, QLineEdit):
                motivo = self._motivo(editor)
                if motivo:
                    self.enter = False
                    self._avisar(editor, motivo)
                    return True  # the editor stays open with the text as typed
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.enter = True
        return super().eventFilter(editor, event)

    def _motivo(self, editor: QLineEdit) -> str | None:
        idx = self._indices.get(editor)
        if idx is None or not idx.isValid():
            return None
        modelo = self.vista.modelo()
        if editor.text().strip() == (modelo.index(idx.row(), idx.column()).data() or ""):
            return None
        return modelo.motivo_recusa(idx.row(), idx.column(), editor.text())

    def _avisar(self, editor: QWidget, motivo: str) -> None:
        idx = self._indices.get(editor)
        if idx is None:
            return
        celula = self.vista.visualRect(self.vista.modelo().index(idx.row(), idx.column()))
        self.vista.aviso.mostrar(motivo, celula)
        self.vista.mensagem.emit(motivo)

    def createEditor(
        self,
        parent: QWidget,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> QWidget:
        ed = QLineEdit(parent)
        ed.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        ed.setMaxLength(LIMITE_DIGITACAO)
        ed.setFrame(False)
        self._indices[ed] = QPersistentModelIndex(index)
        ed.textEdited.connect(lambda _t: self.vista.aviso.hide())
        ed.destroyed.connect(lambda *_: self._esquecer())
        return ed

    def _esquecer(self) -> None:
        self._indices = {e: i for e, i in self._indices.items() if _vivo(e)}

    def destroyEditor(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        self._indices.pop(editor, None)
        self.vista.aviso.hide()
        super().destroyEditor(editor, index)

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        """The cell with the keyboard focus gets a 2-pixel frame: the style's dotted one is
        hard to see on the selection colour."""
        super().paint(painter, option, index)
        estado = option.state
        if estado & QStyle.StateFlag.State_HasFocus and self.vista.hasFocus():
            painter.save()
            cor = option.palette.color(QPalette.ColorRole.Highlight).darker(160)
            painter.setPen(QPen(cor, 2))
            painter.drawRect(option.rect.adjusted(1, 1, -1, -1))
            painter.restore()

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QLineEdit)
        if not editor.text():  # a typed first key is already in the editor: keep it
            editor.setText(index.data(Qt.ItemDataRole.EditRole) or "")

    def setModelData(
        self,
        editor: QWidget,
        model: QAbstractItemModel,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        assert isinstance(editor, QLineEdit)
        atual = index.data(Qt.ItemDataRole.EditRole) or ""
        if editor.text().strip() != atual:
            # Leaving the cell by mouse with a refused value: the model says why (status bar)
            # and nothing changes; the value typed is kept in the message.
            model.setData(index, editor.text(), Qt.ItemDataRole.EditRole)


def _vivo(w: QObject) -> bool:
    try:
        w.objectName()
    except RuntimeError:
        return False
    return True


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
    """A ``QTableView`` over a ``ModeloValores`` (see module docstring)."""

    mensagem = Signal(str)
    #: "De onde vem este valor?" asked on an aggregated cell (its key).
    origemPedida = Signal(object)

    def __init__(self, modelo: ModeloValores, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.aviso = AvisoCampo(self.viewport())  # before the model: currentChanged hides it
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
        self._titulo_natural = 200
        self._medir()
        self._timer_larguras = QTimer(self)
        self._timer_larguras.setSingleShot(True)
        self._timer_larguras.setInterval(300)
        self._timer_larguras.timeout.connect(self._rever_larguras)
        modelo.dataChanged.connect(lambda *_: self._timer_larguras.start())
        modelo.modelReset.connect(self._medir)
        modelo.recusado.connect(self.mensagem)
        self.doubleClicked.connect(self._duplo_clique)

    #: Room around a cell's text: the delegate's margins (3 px each side in Fusion) and a
    #: little air, so that a number never touches the grid.
    MARGEM_CELULA = 12

    def _medir(self) -> None:
        """Column widths from the rows shown (at start and when the model is reset): each
        number column as wide as its widest value and its header, the descriptions the rest."""
        modelo = self.modelo()
        self._titulo_natural = max(
            (self.largura_celula(modelo.index(r, 0)) for r in self._linhas_medidas()),
            default=200,
        )
        self._ajustar_colunas_numericas(modelo.colunas_numericas(), encolher=True)
        self._ajustar_titulo()

    def largura_celula(self, index: QModelIndex) -> int:
        """What a cell needs to show its text whole: in its own font (bold totals), with the
        margins and, when it has one, its icon."""
        fonte = index.data(Qt.ItemDataRole.FontRole)
        fm = QFontMetrics(fonte) if isinstance(fonte, QFont) else self.fontMetrics()
        largura = fm.horizontalAdvance(index.data() or "") + self.MARGEM_CELULA
        if index.data(Qt.ItemDataRole.DecorationRole) is not None:
            largura += self.iconSize().width() + 4
        return largura

    def _linhas_medidas(self) -> Iterable[int]:
        """The rows whose texts size the columns (all of a catalog table)."""
        return range(self.modelo().rowCount())

    def largura_coluna(self, c: int) -> int:
        """What a number column needs: its widest value, its header's lines, and never less
        than a value in the hundreds of thousands (a column of zeros does not collapse)."""
        m = self.modelo()
        fm_cab = self.horizontalHeader().fontMetrics()
        cab = str(m.headerData(c, Qt.Orientation.Horizontal) or "").split("\n")
        return max(
            [
                self.fontMetrics().horizontalAdvance("999.999,99") + self.MARGEM_CELULA,
                *(fm_cab.horizontalAdvance(x) + self.MARGEM_CELULA for x in cab),
            ]
            + [self.largura_celula(m.index(r, c)) for r in self._linhas_medidas()]
        )

    def _ajustar_colunas_numericas(self, colunas: Iterable[int], encolher: bool = False) -> None:
        """Each number column as wide as it needs (``largura_coluna``); while typing only
        widened (``encolher`` False), so the columns do not dance under the clerk's eyes."""
        hh = self.horizontalHeader()
        for c in colunas:
            largura = self.largura_coluna(c)
            if encolher or largura > hh.sectionSize(c):
                hh.resizeSection(c, largura)

    def _ajustar_titulo(self) -> None:
        """The description column takes what the numbers leave, up to its longest text; only
        below 280 px does the table scroll sideways instead (elided texts keep the whole one
        in their tooltip)."""
        hh = self.horizontalHeader()
        numeros = sum(hh.sectionSize(c) for c in range(1, self.modelo().columnCount()))
        livre = self.viewport().width() - numeros
        hh.resizeSection(0, max(280, min(self._titulo_natural, livre)))

    def _rever_larguras(self) -> None:
        """After a pause in typing: widen a number column whose values outgrew it."""
        m = self.modelo()
        hh = self.horizontalHeader()
        largas = [
            c
            for c in m.colunas_numericas()
            if any(
                self.largura_celula(m.index(r, c)) > hh.sectionSize(c)
                for r in self._linhas_medidas()
            )
        ]
        if largas:
            self._ajustar_colunas_numericas(largas)
            self._ajustar_titulo()

    def focusInEvent(self, event: QFocusEvent) -> None:
        """Arriving by keyboard (Tab, F6, Ctrl+2) on no cell or on a title: go to the first
        editable cell, selected, so the clerk sees where typing will go (in a table with
        none, the first value)."""
        super().focusInEvent(event)
        teclado = (
            Qt.FocusReason.TabFocusReason,
            Qt.FocusReason.BacktabFocusReason,
            Qt.FocusReason.ShortcutFocusReason,
        )
        if event.reason() not in teclado:
            return
        atual = self.currentIndex()
        if atual.isValid() and self.modelo().editavel(atual.row(), atual.column()):
            if not self.selectionModel().isSelected(atual):
                self.setCurrentIndex(atual)
            return
        r, c = (atual.row(), 0) if atual.isValid() else (0, -1)
        prox = self.proxima_editavel(r, c, 1, vertical=False)
        if not prox.isValid():
            prox = self.proxima_editavel(0, -1, 1, vertical=False)
        if not prox.isValid() and not atual.isValid() and self.modelo().rowCount():
            prox = self.modelo().index(0, 1)  # all computed (from the ledger): the first value
        if prox.isValid():
            self.setCurrentIndex(prox)
            self.scrollTo(prox)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._ajustar_titulo()

    def modelo(self) -> ModeloValores:
        m = self.model()
        assert isinstance(m, ModeloValores)
        return m

    # -- read-only cells and "De onde vem este valor?" -----------------------------------------

    def currentChanged(
        self,
        current: QModelIndex | QPersistentModelIndex,
        previous: QModelIndex | QPersistentModelIndex,
    ) -> None:
        super().currentChanged(current, previous)
        if self.state() != self.State.EditingState:
            self.aviso.hide()  # a read-only notice belongs to the cell it was shown on

    def avisar_somente_leitura(self) -> bool:
        """Typing on a read-only value cell: say why, next to it (True when said)."""
        atual = self.currentIndex()
        if not atual.isValid():
            return False
        motivo = self.modelo().somente_leitura(atual.row(), atual.column())
        if not motivo:
            return False
        self.aviso.mostrar(motivo, self.visualRect(atual))
        self.mensagem.emit(motivo)
        return True

    def celula_origem_atual(self) -> Chave | None:
        """The aggregated cell under the cursor, if it is one."""
        atual = self.currentIndex()
        if not atual.isValid():
            return None
        return self.modelo().celula_origem(atual.row(), atual.column())

    def pedir_origem(self) -> bool:
        """Ask "De onde vem este valor?" for the current cell (False: not a ledger cell)."""
        k = self.celula_origem_atual()
        if k is None:
            return False
        self.origemPedida.emit(k)
        return True

    def _duplo_clique(self, index: QModelIndex) -> None:
        if not self.modelo().editavel(index.row(), index.column()):
            k = self.modelo().celula_origem(index.row(), index.column())
            if k is not None:
                self.origemPedida.emit(k)

    def acoes_contexto(self) -> list[QAction]:
        """The context menu's actions for the current cell (a list, so tests can trigger them;
        subclasses add their own)."""
        acoes: list[QAction] = []
        if self.celula_origem_atual() is not None:
            a = QAction("De onde vem este valor?", self)
            a.setShortcut(ATALHO_ORIGEM)
            a.triggered.connect(lambda *_: self.pedir_origem())
            acoes.append(a)
        copiar = QAction("Copiar", self)
        copiar.setShortcut(QKeySequence.StandardKey.Copy)
        copiar.triggered.connect(lambda *_: self.copiar())
        colar = QAction("Colar", self)
        colar.setShortcut(QKeySequence.StandardKey.Paste)
        colar.triggered.connect(lambda *_: self.colar())
        return [*acoes, copiar, colar]

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        idx = self.indexAt(event.pos())
        if idx.isValid() and idx != self.currentIndex():
            self.setCurrentIndex(idx)
        menu = QMenu(self)
        menu.addActions(self.acoes_contexto())
        menu.exec(event.globalPos())

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
        if event.key() == Qt.Key.Key_Escape and self.aviso.isVisible():
            self.aviso.hide()
            return
        texto = event.text()
        if (
            self.state() != self.State.EditingState
            and texto
            and texto.isprintable()
            and not event.modifiers() & ~Qt.KeyboardModifier.ShiftModifier
            and self.avisar_somente_leitura()
        ):
            return  # a read-only cell takes no typing: the reason is shown beside it
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

    def _comandos_colagem(self, bloco: list[list[str]]) -> tuple[list[Comando], int]:
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
        comandos: list[Comando] = []
        ignoradas = 0
        for r, c, texto in alvos:
            if r >= m.rowCount() or c >= m.columnCount() or not m.editavel(r, c):
                ignoradas += 1
                continue
            try:
                v: Decimal = parse_digitado(texto)
            except ValorInvalido as exc:
                raise ValorInvalido(
                    f"{exc} (linha {r - r0 + 1}, coluna {c - c0 + 1} do bloco)"
                ) from exc
            cmd = m.comando(r, c, v, "Colar")
            if cmd is None:
                ignoradas += 1
                continue
            comandos.append(cmd)
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
                cmd = m.comando(r, c, Decimal("0.00"), "Apagar") if m.editavel(r, c) else None
                if cmd is not None:
                    cmds.append(cmd)
        if cmds:
            try:
                m.documento.executar(Lote(tuple(cmds), "Apagar"))
            except EdicaoInvalida as exc:
                self.mensagem.emit(str(exc))
