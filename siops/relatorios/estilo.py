"""The look shared by every report: fonts, paragraph styles, the page (A4 landscape), the
running header and footer with "Página X de N", and the "PRÉVIA — NÃO HOMOLOGADO" mark.

Fonts: DejaVu Sans (full Portuguese glyphs) from the system (Debian ``fonts-dejavu-core``,
installed by ``scripts/preparar.sh``); where it is missing (a Windows install), reportlab's own
Bitstream Vera, which also covers Latin-1 and the dashes used here. Both are TrueType and
embedded (subset) in the PDF, so the file prints the same everywhere.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import reportlab
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.pdfmetrics import registerFontFamily
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as _canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

PAGINA = landscape(A4)
MARGEM_X = 28.0
MARGEM_TOPO = 28.0
MARGEM_BASE = 34.0
LARGURA_UTIL = PAGINA[0] - 2 * MARGEM_X

COR_CABECALHO = colors.HexColor("#D9D9D9")
COR_DESTAQUE = colors.HexColor("#F2F2F2")
COR_GRADE = colors.HexColor("#9A9A9A")
COR_MARCA = colors.HexColor("#C00000")

MARCA_PREVIA = "PRÉVIA — NÃO HOMOLOGADO"

PASTAS_DEJAVU = (
    os.environ.get("SIOPS_FONTES", ""),
    "/usr/share/fonts/truetype/dejavu",
    "/usr/share/fonts/dejavu",
    "/usr/local/share/fonts/dejavu",
    "/Library/Fonts",
)


@dataclass(frozen=True, slots=True)
class Fontes:
    """The registered font names: text, bold, and the condensed pair for table cells."""

    normal: str
    negrito: str
    tabela: str
    tabela_negrito: str
    origem: str  # "DejaVu" or "Vera"
    arquivo_negrito: str  # the bold TTF file (the PRÉVIA mark is drawn from it)


def _achar(nome: str) -> Path | None:
    for pasta in PASTAS_DEJAVU:
        if pasta and (Path(pasta) / nome).is_file():
            return Path(pasta) / nome
    return None


def _familia(normal: str, negrito: str) -> None:
    """Let ``<b>`` inside a Paragraph find the bold face of a TrueType font."""
    registerFontFamily(normal, normal=normal, bold=negrito, italic=normal, boldItalic=negrito)


@functools.cache
def fontes() -> Fontes:
    """Register the fonts once per process and say which were found."""
    arquivos = {
        "SiopsSans": "DejaVuSans.ttf",
        "SiopsSans-Bold": "DejaVuSans-Bold.ttf",
        "SiopsCond": "DejaVuSansCondensed.ttf",
        "SiopsCond-Bold": "DejaVuSansCondensed-Bold.ttf",
    }
    achados = {k: _achar(v) for k, v in arquivos.items()}
    if all(achados.values()):
        for nome, caminho in achados.items():
            pdfmetrics.registerFont(TTFont(nome, str(caminho)))
        _familia("SiopsSans", "SiopsSans-Bold")
        _familia("SiopsCond", "SiopsCond-Bold")
        return Fontes(
            "SiopsSans",
            "SiopsSans-Bold",
            "SiopsCond",
            "SiopsCond-Bold",
            "DejaVu",
            str(achados["SiopsSans-Bold"]),
        )
    pasta = Path(reportlab.__file__).parent / "fonts"
    pdfmetrics.registerFont(TTFont("SiopsVera", str(pasta / "Vera.ttf")))
    pdfmetrics.registerFont(TTFont("SiopsVera-Bold", str(pasta / "VeraBd.ttf")))
    _familia("SiopsVera", "SiopsVera-Bold")
    return Fontes(
        "SiopsVera",
        "SiopsVera-Bold",
        "SiopsVera",
        "SiopsVera-Bold",
        "Vera",
        str(pasta / "VeraBd.ttf"),
    )


@functools.cache
def estilos() -> dict[str, ParagraphStyle]:
    """The paragraph styles of the reports."""
    f = fontes()
    base = ParagraphStyle("base", fontName=f.normal, fontSize=7, leading=8.4)
    return {
        "ente": ParagraphStyle(
            "ente", base, fontName=f.negrito, fontSize=11, leading=13, alignment=TA_CENTER
        ),
        "titulo": ParagraphStyle(
            "titulo", base, fontName=f.negrito, fontSize=8.5, leading=10.5, alignment=TA_CENTER
        ),
        "subtitulo": ParagraphStyle("subtitulo", base, fontSize=8, leading=10, alignment=TA_CENTER),
        "texto": ParagraphStyle("texto", base, fontSize=7.5, leading=9.5),
        "nota": ParagraphStyle("nota", base, fontSize=6.5, leading=8),
        "cab": ParagraphStyle(
            "cab", base, fontName=f.tabela_negrito, fontSize=6, leading=7, alignment=TA_CENTER
        ),
        "cab_esq": ParagraphStyle(
            "cab_esq", base, fontName=f.tabela_negrito, fontSize=6.5, leading=7.5, alignment=TA_LEFT
        ),
        "rotulo": ParagraphStyle("rotulo", base, fontName=f.tabela, fontSize=7, leading=8),
        "rotulo_neg": ParagraphStyle(
            "rotulo_neg", base, fontName=f.tabela_negrito, fontSize=7, leading=8
        ),
        "celula": ParagraphStyle("celula", base, fontName=f.tabela, fontSize=7, leading=8),
    }


def caber(texto: str, fonte: str, tamanho: float, largura: float, minimo: float = 3.0) -> float:
    """The font size (≤ ``tamanho``) at which ``texto`` fits in ``largura`` points."""
    w = pdfmetrics.stringWidth(texto, fonte, tamanho)
    if w <= largura:
        return tamanho
    return max(minimo, int(tamanho * largura / w * 10) / 10)


def largura_texto(texto: str, fonte: str, tamanho: float) -> float:
    """Width of a one-line text in points."""
    return pdfmetrics.stringWidth(texto, fonte, tamanho)


@dataclass(slots=True)
class Decoracao:
    """What every page carries besides the flowables."""

    cabecalho_corrido: str  # top line of pages 2…N
    rodape: str  # bottom-left line of every page
    previa: bool  # draw the diagonal PRÉVIA mark


def fabrica_canvas(deco: Decoracao) -> Callable[..., _canvas.Canvas]:
    """A canvas class that, at save time, knows the page count ("Página X de N") and draws the
    running header, the footer and the PRÉVIA mark over every page."""

    class CanvasNumerado(_canvas.Canvas):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self._paginas: list[dict[str, Any]] = []

        def showPage(self) -> None:  # reportlab's name
            self._paginas.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._paginas)
            for estado in self._paginas:
                self.__dict__.update(estado)
                _decorar(self, deco, self._pageNumber, total)
                super().showPage()
            super().save()

    return CanvasNumerado


def _decorar(c: _canvas.Canvas, deco: Decoracao, pagina: int, total: int) -> None:
    f = fontes()
    largura, altura = PAGINA
    c.saveState()
    c.setFillColor(colors.black)
    if pagina > 1 and deco.cabecalho_corrido:
        c.setFont(f.normal, 7)
        c.drawString(MARGEM_X, altura - MARGEM_TOPO + 10, deco.cabecalho_corrido)
    c.setStrokeColor(COR_GRADE)
    c.setLineWidth(0.4)
    c.line(MARGEM_X, MARGEM_BASE - 8, largura - MARGEM_X, MARGEM_BASE - 8)
    c.setFont(f.normal, 6.5)
    c.drawString(MARGEM_X, MARGEM_BASE - 17, deco.rodape)
    c.drawRightString(largura - MARGEM_X, MARGEM_BASE - 17, f"Página {pagina} de {total}")
    if deco.previa:
        imagem, (w, h) = imagem_marca()
        c.translate(largura / 2, altura / 2)
        c.rotate(ANGULO_MARCA)
        c.drawImage(imagem, -w / 2, -h / 2, width=w, height=h, mask="auto")
    c.restoreState()


ANGULO_MARCA = 28.0
TAMANHO_MARCA = 46.0  # points


@functools.cache
def imagem_marca() -> tuple[ImageReader, tuple[float, float]]:
    """The PRÉVIA mark as a translucent image, and its size in points.

    It is an image, not text, on purpose: diagonal text would be extracted letter by letter
    into the middle of the table rows by text tools (``pdftotext``, copy and paste, screen
    readers), garbling the values; the words of the mark stay visible, not in the text layer.
    """
    from PIL import Image, ImageDraw, ImageFont

    px = 100  # pixels per TAMANHO_MARCA points (≈ 144 dpi)
    fonte = ImageFont.truetype(fontes().arquivo_negrito, px)
    # whole pixels for a TrueType font; Pillow's stubs say float for every kind of font
    x0, y0, x1, y1 = (round(v) for v in fonte.getbbox(MARCA_PREVIA))
    margem = 6
    img = Image.new("RGBA", (x1 - x0 + 2 * margem, y1 - y0 + 2 * margem), (255, 255, 255, 0))
    r, g, b = (int(v * 255) for v in COR_MARCA.rgb())
    ImageDraw.Draw(img).text(
        (margem - x0, margem - y0), MARCA_PREVIA, font=fonte, fill=(r, g, b, 48)
    )
    escala = TAMANHO_MARCA / px
    return ImageReader(img), (img.width * escala, img.height * escala)


def construir_pdf(story: list[Flowable], deco: Decoracao, titulo: str, assunto: str = "") -> bytes:
    """Build the flowables into A4-landscape PDF bytes with the page decoration."""
    from siops.relatorios.versao import versao_programa

    buf = io.BytesIO()
    doc = BaseDocTemplate(
        buf,
        pagesize=PAGINA,
        leftMargin=MARGEM_X,
        rightMargin=MARGEM_X,
        topMargin=MARGEM_TOPO,
        bottomMargin=MARGEM_BASE,
        title=titulo,
        author=f"siops-desktop {versao_programa()}",
        subject=assunto,
        creator="siops-desktop",
    )
    frame = Frame(
        MARGEM_X,
        MARGEM_BASE,
        LARGURA_UTIL,
        PAGINA[1] - MARGEM_TOPO - MARGEM_BASE,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )
    doc.addPageTemplates([PageTemplate("pagina", [frame])])
    doc.build(story, canvasmaker=fabrica_canvas(deco))
    return buf.getvalue()


def escapar(texto: str) -> str:
    """Text for a reportlab Paragraph (its mini-markup treats &, < and > specially)."""
    return texto.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
