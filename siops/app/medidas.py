"""Is any text of a window cut? Measured with Qt's own font metrics (issue 24).

``textos_cortados(janela)`` lists every visible label, button, check box, table or tree
header, group title and status-bar message whose text is wider (or, when it wraps, taller)
than the room it has on the screen now. The tests drive the screens of the clerk's job at
1280×800 and 1366×768 and want this list empty; ``scripts/capturas.py`` prints it for the
pictures it takes. A text shortened on purpose (``RotuloAbreviado``: "…" in the middle, the
whole text in the tooltip) fits by construction and is not reported.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontMetrics, QTextDocument
from PySide6.QtGui import Qt as QtGui_Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QGroupBox,
    QHeaderView,
    QLabel,
    QMainWindow,
    QSizeGrip,
    QStatusBar,
    QStyle,
    QStyleOptionButton,
    QWidget,
)

#: Room Qt leaves around a header's text (the style's margins): what a header section needs
#: beyond its longest line.
MARGEM_CABECALHO = 8


def _visivel(w: QWidget) -> bool:
    return w.isVisible() and w.width() > 0 and w.height() > 0


def _largura_rica(rotulo: QLabel) -> float:
    doc = QTextDocument()
    doc.setDefaultFont(rotulo.font())
    doc.setDocumentMargin(0)
    doc.setHtml(rotulo.text())
    return doc.idealWidth()


def _rotulo(rotulo: QLabel) -> str | None:
    texto = rotulo.text()
    if not texto or not rotulo.pixmap().isNull():
        return None
    area = rotulo.contentsRect()
    area.adjust(rotulo.margin(), rotulo.margin(), -rotulo.margin(), -rotulo.margin())
    rico = rotulo.textFormat() == Qt.TextFormat.RichText or (
        rotulo.textFormat() == Qt.TextFormat.AutoText and QtGui_Qt.mightBeRichText(texto)
    )
    if rotulo.wordWrap():
        if rotulo.heightForWidth(rotulo.width()) > rotulo.height() + 1:
            return f"rótulo {rotulo.objectName() or texto[:30]!r} sem altura: {texto!r}"
        return None
    if rico:
        largura = _largura_rica(rotulo)
    else:
        fm = rotulo.fontMetrics()
        largura = max(fm.horizontalAdvance(x.replace("&", "")) for x in texto.split("\n"))
    if largura > area.width() + 1:
        return f"rótulo {rotulo.objectName() or ''!r}: {texto!r} ({largura:.0f} > {area.width()})"
    return None


def _botao(botao: QAbstractButton) -> str | None:
    texto = botao.text().replace("&&", "\0").replace("&", "").replace("\0", "&")
    if not texto:
        return None
    opt = QStyleOptionButton()
    opt.initFrom(botao)
    opt.text = texto
    opt.icon = botao.icon()
    opt.iconSize = botao.iconSize()
    fm = botao.fontMetrics()
    precisa = fm.horizontalAdvance(texto)
    if not botao.icon().isNull():
        precisa += botao.iconSize().width() + 4
    dica = botao.style().sizeFromContents(
        QStyle.ContentsType.CT_PushButton, opt, fm.size(0, texto), botao
    )
    # check boxes and radio buttons: the indicator and its spacing come before the text
    largura = botao.width()
    if botao.inherits("QCheckBox") or botao.inherits("QRadioButton"):
        largura -= botao.style().pixelMetric(QStyle.PixelMetric.PM_IndicatorWidth) + 4
        if precisa > largura + 1:
            return f"botão {texto!r} ({precisa} > {largura})"
        return None
    if botao.inherits("QPushButton") and dica.width() > botao.width() + 1:
        return f"botão {texto!r} ({dica.width()} > {botao.width()})"
    return None


def _cabecalho(cab: QHeaderView) -> list[str]:
    if cab.orientation() != Qt.Orientation.Horizontal or not _visivel(cab):
        return []
    m = cab.model()
    if m is None:
        return []
    fm = QFontMetrics(cab.font())
    out = []
    for c in range(m.columnCount(cab.rootIndex())):
        if cab.isSectionHidden(c) or cab.sectionSize(c) == 0:
            continue
        texto = str(m.headerData(c, Qt.Orientation.Horizontal) or "")
        for linha in texto.split("\n"):
            if fm.horizontalAdvance(linha) + MARGEM_CABECALHO > cab.sectionSize(c):
                pai = cab.parentWidget()
                nome = pai.objectName() if pai is not None else ""
                out.append(f"cabeçalho {c} de {nome!r}: {linha!r} ({cab.sectionSize(c)} px)")
    if texto_alto := [
        c
        for c in range(m.columnCount(cab.rootIndex()))
        if not cab.isSectionHidden(c)
        and len(str(m.headerData(c, Qt.Orientation.Horizontal) or "").split("\n"))
        * fm.lineSpacing()
        > cab.height()
    ]:
        out.append(f"cabeçalho baixo demais para as colunas {texto_alto}")
    return out


def _barra(barra: QStatusBar, excluir: tuple[QWidget, ...]) -> str | None:
    msg = barra.currentMessage()
    if not msg:
        return None
    fixos = sum(
        w.width() + 6
        for w in barra.findChildren(QWidget)
        if w.parentWidget() is barra
        and _visivel(w)
        and w not in excluir
        and not isinstance(w, QSizeGrip)
    )
    livre = barra.width() - fixos - 12
    if barra.fontMetrics().horizontalAdvance(msg) > livre:
        return f"mensagem da barra de status: {msg!r} (cabem {livre} px)"
    return None


def textos_cortados(janela: QWidget) -> list[str]:
    """See module docstring: what is cut in ``janela`` (and the widgets inside it) now."""
    problemas: list[str] = []
    for rotulo in janela.findChildren(QLabel):
        if _visivel(rotulo) and rotulo.window() is janela.window():
            p = _rotulo(rotulo)
            if p:
                problemas.append(p)
    for botao in janela.findChildren(QAbstractButton):
        if _visivel(botao) and botao.window() is janela.window():
            p = _botao(botao)
            if p:
                problemas.append(p)
    for caixa in janela.findChildren(QGroupBox):
        if _visivel(caixa) and caixa.title():
            fm = caixa.fontMetrics()
            if fm.horizontalAdvance(caixa.title().replace("&", "")) + 16 > caixa.width():
                problemas.append(f"grupo {caixa.title()!r}")
    for vista in janela.findChildren(QAbstractItemView):
        if _visivel(vista) and vista.window() is janela.window():
            for cab in vista.findChildren(QHeaderView):
                problemas += _cabecalho(cab)
    if isinstance(janela, QMainWindow):
        excluir = tuple(w for w in (getattr(janela, "rotulo_mensagem", None),) if w is not None)
        p = _barra(janela.statusBar(), excluir)
        if p:
            problemas.append(p)
    return problemas
