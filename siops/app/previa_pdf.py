"""The preview of a report inside the program (issue 24): the PDF just written, page by page,
with zoom, printing and, for who has one, the system's PDF viewer.

The pages are rasterised by PDFium through ``pypdfium2`` (a 4 MB wheel with no other
dependency), not by QtPdf: QtPdf lives in ``PySide6-Addons``, hundreds of megabytes more in the
installer (it ships QtWebEngine and the rest of the add-ons with it) for one widget, and it
would tie the add-ons to the pinned Qt version. PDFium draws into memory, so the preview works
the same under the offscreen platform, Xvfb and a desktop, with no PDF program installed.

PDFium is not thread-safe: every call here happens on the GUI thread, a page at a time, only
for the pages that come into view (a long report opens at once).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtGui import QImage, QKeySequence, QPainter, QPixmap, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

#: Zoom steps of the − and + buttons (1.0 = 72 dpi, the PDF's own unit, on the screen).
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)
#: Printing resolution of the rendered pages.
DPI_IMPRESSAO = 300
MARGEM_PAGINA = 12


class PdfIlegivel(Exception):
    """The PDF could not be opened for the preview (the message says why, in Portuguese)."""


class DocumentoPdf:
    """A PDF opened with PDFium: page sizes and pages rendered as ``QImage``."""

    def __init__(self, caminho: Path) -> None:
        import pypdfium2 as pdfium

        try:
            self._pdf: Any = pdfium.PdfDocument(str(caminho))
        except (pdfium.PdfiumError, OSError) as exc:
            raise PdfIlegivel(f"O arquivo {caminho} não pôde ser lido como PDF ({exc}).") from None
        self.tamanhos = [self._pdf.get_page_size(i) for i in range(len(self._pdf))]

    def __len__(self) -> int:
        return len(self.tamanhos)

    def imagem(self, n: int, escala: float) -> QImage:
        """Page ``n`` (0-based) at ``escala`` pixels per PDF point, on white."""
        pagina = self._pdf[n]
        try:
            bitmap = pagina.render(scale=escala, rev_byteorder=True, prefer_bgrx=True)
            try:
                img = QImage(
                    bitmap.buffer,
                    bitmap.width,
                    bitmap.height,
                    bitmap.stride,
                    QImage.Format.Format_RGBX8888,
                ).copy()  # the buffer belongs to PDFium and is freed with the bitmap
            finally:
                bitmap.close()
        finally:
            pagina.close()
        return img

    def fechar(self) -> None:
        self._pdf.close()


def tinta(img: QImage, passo: int = 3) -> float:
    """The share of an image's pixels that are dark (text, rules): 0 for a blank page."""
    cinza = img.convertToFormat(QImage.Format.Format_Grayscale8)
    escuros = total = 0
    for y in range(0, cinza.height(), passo):
        for x in range(0, cinza.width(), passo):
            total += 1
            escuros += cinza.pixelColor(x, y).value() < 128
    return escuros / total if total else 0.0


class RotuloAbreviado(QLabel):
    """A one-line label that shows the whole text when it fits and, only when it does not,
    abbreviates it in the middle (a path keeps its folder and its name) with the whole text in
    the tooltip."""

    def __init__(self, texto: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._inteiro = ""
        self.setMinimumWidth(120)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.definir(texto)

    def definir(self, texto: str) -> None:
        self._inteiro = texto
        self._abreviar()

    def texto_inteiro(self) -> str:
        return self._inteiro

    def sizeHint(self) -> QSize:
        return QSize(
            self.fontMetrics().horizontalAdvance(self._inteiro) + 4, super().sizeHint().height()
        )

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, evento: QResizeEvent) -> None:
        super().resizeEvent(evento)
        self._abreviar()

    def _abreviar(self) -> None:
        largura = self.contentsRect().width()
        fm = self.fontMetrics()
        if fm.horizontalAdvance(self._inteiro) <= largura:
            self.setText(self._inteiro)
            self.setToolTip("")
        else:
            self.setText(fm.elidedText(self._inteiro, Qt.TextElideMode.ElideMiddle, largura))
            self.setToolTip(self._inteiro)


class DialogoPreviaPdf(QDialog):
    """See module docstring. ``abrir_externo`` opens the file in the system's viewer and says
    whether there was one (``Dialogos.abrir_externo``)."""

    def __init__(
        self,
        caminho: Path,
        titulo: str,
        parent: QWidget | None = None,
        abrir_externo: Callable[[Path], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("previa_pdf")
        self.setWindowTitle(f"Prévia — {titulo}")
        self.caminho = caminho
        self._abrir_externo = abrir_externo
        self.zoom: float | None = None  # None: the page's width fits the window
        self._paginas: list[QLabel] = []
        self._escala_feita: dict[int, float] = {}
        self.pdf: DocumentoPdf | None = None
        self.erro = ""

        caixa = QVBoxLayout(self)
        topo = QHBoxLayout()
        topo.addWidget(QLabel("Gravado em:"))
        self.rotulo_caminho = RotuloAbreviado(str(caminho))
        self.rotulo_caminho.setObjectName("rotulo_caminho")
        topo.addWidget(self.rotulo_caminho, 1)
        caixa.addLayout(topo)

        barra = QHBoxLayout()
        self.botao_menos = QPushButton("Reduzir")
        self.botao_mais = QPushButton("Ampliar")
        self.botao_largura = QPushButton("Ajustar à largura")
        self.rotulo_zoom = QLabel()
        self.rotulo_zoom.setObjectName("rotulo_zoom")
        self.rotulo_pagina = QLabel()
        self.rotulo_pagina.setObjectName("rotulo_pagina")
        self.botao_menos.clicked.connect(lambda: self._passo_zoom(-1))
        self.botao_mais.clicked.connect(lambda: self._passo_zoom(1))
        self.botao_largura.clicked.connect(lambda: self.definir_zoom(None))
        for w in (self.botao_menos, self.botao_mais, self.botao_largura, self.rotulo_zoom):
            barra.addWidget(w)
        barra.addStretch(1)
        barra.addWidget(self.rotulo_pagina)
        caixa.addLayout(barra)

        self.rolagem = QScrollArea()
        self.rolagem.setObjectName("paginas_pdf")
        self.rolagem.setWidgetResizable(True)
        self.rolagem.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.rolagem.setStyleSheet("QScrollArea#paginas_pdf { background: #808080; }")
        corpo = QWidget()
        corpo.setObjectName("corpo_pdf")
        corpo.setStyleSheet("QWidget#corpo_pdf { background: #808080; }")
        self._coluna = QVBoxLayout(corpo)
        self._coluna.setSpacing(MARGEM_PAGINA)
        self._coluna.setContentsMargins(MARGEM_PAGINA, MARGEM_PAGINA, MARGEM_PAGINA, MARGEM_PAGINA)
        self._coluna.setAlignment(Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop)
        self.rolagem.setWidget(corpo)
        caixa.addWidget(self.rolagem, 1)

        self.nota = QLabel()
        self.nota.setObjectName("nota_previa")
        self.nota.setWordWrap(True)
        self.nota.hide()
        caixa.addWidget(self.nota)

        rodape = QHBoxLayout()
        self.botao_imprimir = QPushButton("&Imprimir…")
        self.botao_imprimir.clicked.connect(self.imprimir)
        self.botao_externo = QPushButton("Abrir no &visualizador do sistema")
        self.botao_externo.clicked.connect(self.abrir_no_sistema)
        self.botao_externo.setVisible(abrir_externo is not None)
        fechar = QPushButton("&Fechar")
        fechar.setDefault(True)
        fechar.clicked.connect(self.accept)
        rodape.addWidget(self.botao_imprimir)
        rodape.addWidget(self.botao_externo)
        rodape.addStretch(1)
        rodape.addWidget(fechar)
        caixa.addLayout(rodape)

        for teclas, fn in (
            (QKeySequence.StandardKey.ZoomIn, lambda: self._passo_zoom(1)),
            (QKeySequence.StandardKey.ZoomOut, lambda: self._passo_zoom(-1)),
            (QKeySequence.StandardKey.Print, self.imprimir),
        ):
            QShortcut(QKeySequence(teclas), self).activated.connect(fn)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._renderizar_visiveis)
        self.rolagem.verticalScrollBar().valueChanged.connect(lambda _v: self._agendar())
        self.finished.connect(lambda _r: self.fechar_pdf())

        try:
            self.pdf = DocumentoPdf(caminho)
        except PdfIlegivel as exc:
            self.erro = str(exc)
            self._avisar(f"Não foi possível mostrar a prévia. {exc}")
            for b in (self.botao_menos, self.botao_mais, self.botao_largura, self.botao_imprimir):
                b.setEnabled(False)
        else:
            for n in range(len(self.pdf)):
                rotulo = QLabel()
                rotulo.setObjectName(f"pagina_{n + 1}")
                rotulo.setAlignment(Qt.AlignmentFlag.AlignCenter)
                rotulo.setStyleSheet("background: white;")
                rotulo.setAccessibleName(f"Página {n + 1} de {len(self.pdf)}")
                self._coluna.addWidget(rotulo, 0, Qt.AlignmentFlag.AlignHCenter)
                self._paginas.append(rotulo)
        self.resize(980, 720)
        self._dimensionar()

    # -- zoom and lazy rendering ---------------------------------------------------------------

    def escala(self) -> float:
        """Pixels per PDF point now: the zoom chosen, or the widest page fitting the window."""
        if self.zoom is not None or self.pdf is None or not len(self.pdf):
            return self.zoom or 1.0
        largura = max(w for w, _h in self.pdf.tamanhos)
        util = self.rolagem.viewport().width() - 2 * MARGEM_PAGINA - 4
        return max(0.25, min(3.0, util / largura))

    def definir_zoom(self, zoom: float | None) -> None:
        """A fixed zoom (1.0 = 100%), or None to fit the page's width."""
        self.zoom = zoom
        self._dimensionar()

    def _passo_zoom(self, passo: int) -> None:
        atual = self.escala()
        if passo > 0:
            proximo = next((z for z in ZOOMS if z > atual + 1e-6), ZOOMS[-1])
        else:
            proximo = next((z for z in reversed(ZOOMS) if z < atual - 1e-6), ZOOMS[0])
        self.definir_zoom(proximo)

    def _dimensionar(self) -> None:
        """Give each page its size at the current scale (blank until it comes into view)."""
        if self.pdf is None:
            return
        escala = self.escala()
        for n, rotulo in enumerate(self._paginas):
            w, h = self.pdf.tamanhos[n]
            rotulo.setFixedSize(round(w * escala), round(h * escala))
            if self._escala_feita.get(n) != escala:
                rotulo.clear()
                self._escala_feita.pop(n, None)
        self.rotulo_zoom.setText(f"{round(escala * 100)}%")
        self._agendar()

    def _agendar(self) -> None:
        self._timer.start()

    def paginas_visiveis(self) -> list[int]:
        """The pages (0-based) that intersect the visible part of the scroll area."""
        vp = self.rolagem.viewport()
        area = QRect(0, 0, vp.width(), vp.height())
        out = []
        for n, rotulo in enumerate(self._paginas):
            topo = rotulo.mapTo(vp, rotulo.rect().topLeft())
            if area.intersects(QRect(topo, rotulo.size())):
                out.append(n)
        return out

    def _renderizar_visiveis(self) -> None:
        if self.pdf is None:
            return
        visiveis = self.paginas_visiveis()
        if visiveis:
            self.rotulo_pagina.setText(f"Página {visiveis[0] + 1} de {len(self.pdf)}")
        escala = self.escala()
        razao = self.devicePixelRatioF()
        for n in visiveis:
            if self._escala_feita.get(n) == escala:
                continue
            img = self.pdf.imagem(n, escala * razao)
            pixmap = QPixmap.fromImage(img)
            pixmap.setDevicePixelRatio(razao)
            self._paginas[n].setPixmap(pixmap)
            self._escala_feita[n] = escala

    def pagina_renderizada(self, n: int) -> QImage | None:
        """The image shown for page ``n`` (0-based), or None while it is not drawn yet."""
        pixmap = self._paginas[n].pixmap() if n < len(self._paginas) else None
        return None if pixmap is None or pixmap.isNull() else pixmap.toImage()

    def resizeEvent(self, evento: QResizeEvent) -> None:
        super().resizeEvent(evento)
        if self.zoom is None:
            QTimer.singleShot(0, self._dimensionar)  # after the scroll area took its size

    def showEvent(self, evento: Any) -> None:
        super().showEvent(evento)
        QTimer.singleShot(0, self._dimensionar)

    # -- printing and the system's viewer ------------------------------------------------------

    def imprimir(self) -> None:
        """Imprimir… (Ctrl+P): Qt's print dialog, then every page at 300 dpi."""
        if self.pdf is None:
            return
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        impressora = QPrinter(QPrinter.PrinterMode.HighResolution)
        impressora.setDocName(self.caminho.name)
        impressora.setFromTo(1, len(self.pdf))
        dlg = QPrintDialog(impressora, self)
        dlg.setWindowTitle("Imprimir relatório")
        dlg.setMinMax(1, len(self.pdf))
        dlg.accepted.connect(lambda: self.imprimir_em(impressora))
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.setWindowModality(Qt.WindowModality.WindowModal)
        dlg.show()

    def imprimir_em(self, impressora: Any) -> int:
        """Print the pages (the printer's range, or all) on ``impressora``; the count printed."""
        from PySide6.QtGui import QPageLayout

        if self.pdf is None:
            return 0
        primeira, ultima = impressora.fromPage(), impressora.toPage()
        if primeira <= 0:
            primeira, ultima = 1, len(self.pdf)
        ultima = min(ultima, len(self.pdf))
        largura, altura = self.pdf.tamanhos[primeira - 1]
        impressora.setPageOrientation(
            QPageLayout.Orientation.Landscape
            if largura > altura
            else QPageLayout.Orientation.Portrait
        )
        pintor = QPainter()
        if not pintor.begin(impressora):
            self._avisar("A impressora não aceitou o trabalho; nada foi impresso.")
            return 0
        feitas = 0
        try:
            for n in range(primeira - 1, ultima):
                if feitas:
                    impressora.newPage()
                img = self.pdf.imagem(n, DPI_IMPRESSAO / 72)
                area = impressora.pageLayout().paintRectPixels(impressora.resolution())
                alvo = img.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
                pintor.drawImage(QRect(0, 0, alvo.width(), alvo.height()), img)
                feitas += 1
        finally:
            pintor.end()
        return feitas

    def abrir_no_sistema(self) -> bool:
        """Open the PDF in the system's viewer; without one, say so here (the preview above
        is the report, and Imprimir… prints it)."""
        if self._abrir_externo is not None and self._abrir_externo(self.caminho):
            return True
        self._avisar(
            "Não há um programa de PDF configurado neste computador. O relatório está na "
            "prévia acima e gravado no arquivo indicado; use Imprimir… para imprimi-lo."
        )
        return False

    def _avisar(self, texto: str) -> None:
        self.nota.setText(texto)
        self.nota.show()

    def fechar_pdf(self) -> None:
        if self.pdf is not None:
            self.pdf.fechar()
            self.pdf = None
