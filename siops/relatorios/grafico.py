"""The chart of the last page: the percentage applied in ASPS in each bimestre present,
against the minimum (a dashed line).

Drawn with ``reportlab.graphics`` shapes (no raster image, so it stays sharp in print). The
points come from the caller: the current declaration and, when the previous bimestres' files
exist, theirs (``app.cmd_relatorios.historico_da_pasta`` reads them; ``relatorios`` never
reads files).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors

from siops.forms.dinheiro import apresentar_percentual
from siops.relatorios.estilo import fontes

COR_BARRA = colors.HexColor("#7F9FC7")
COR_ATUAL = colors.HexColor("#1F4E79")
COR_MINIMO = colors.HexColor("#C00000")
COR_EIXO = colors.HexColor("#404040")


PASSOS = tuple(Decimal(x) for x in ("1", "2", "2.5", "5", "10", "20", "25", "50", "100", "200"))


def _escala(valor: Decimal) -> tuple[Decimal, Decimal]:
    """The axis step and top: a round step, at most five of them, with some headroom."""
    alvo = valor * Decimal("1.15")
    passo = next((p for p in PASSOS if alvo / p <= 5), PASSOS[-1] * (int(alvo / 1000) + 1))
    n = int(alvo / passo) + (0 if alvo % passo == 0 else 1)
    return passo, passo * max(n, 1)


def grafico_percentual(
    pontos: Iterable[tuple[int, Decimal]],
    minimo: Decimal,
    atual: int,
    largura: float = 520,
    altura: float = 200,
) -> Drawing:
    """Bars of the applied percentage by bimestre (1–6) and the minimum as a dashed line.

    ``pontos`` are (bimestre, percentual) pairs; a bimestre without a point has no bar. The
    bar of ``atual`` (the declaration's bimestre) is darker. Labels use the presentation rule
    of the percentage (``apresentar_percentual``).
    """
    f = fontes()
    por_bim = {b: p for b, p in pontos if 1 <= b <= 6}
    d = Drawing(largura, altura)
    esq, base, dir_, topo = 40.0, 22.0, 90.0, 14.0
    w = largura - esq - dir_
    h = altura - base - topo
    maior = max([minimo, *por_bim.values(), Decimal(1)])
    passo, teto = _escala(maior)

    def y(p: Decimal) -> float:
        p = max(Decimal(0), min(p, teto))
        return base + float(p / teto) * h

    ym = y(minimo)
    # axis and grid
    for i in range(int(teto / passo) + 1):
        v = passo * i
        yy = y(v)
        d.add(Line(esq, yy, esq + w, yy, strokeColor=colors.HexColor("#D0D0D0"), strokeWidth=0.4))
        d.add(
            String(
                esq - 4,
                yy - 2.5,
                apresentar_percentual(v) + "%",
                fontName=f.normal,
                fontSize=6.5,
                textAnchor="end",
                fillColor=COR_EIXO,
            )
        )
    d.add(Line(esq, base, esq + w, base, strokeColor=COR_EIXO, strokeWidth=0.8))
    d.add(Line(esq, base, esq, base + h, strokeColor=COR_EIXO, strokeWidth=0.8))

    slot = w / 6
    largura_barra = slot * 0.55
    for b in range(1, 7):
        x = esq + slot * (b - 1) + (slot - largura_barra) / 2
        d.add(
            String(
                x + largura_barra / 2,
                base - 10,
                f"{b}º bim.",
                fontName=f.normal,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=COR_EIXO,
            )
        )
        p = por_bim.get(b)
        if p is None:
            continue
        cor = COR_ATUAL if b == atual else COR_BARRA
        d.add(Rect(x, base, largura_barra, y(p) - base, fillColor=cor, strokeColor=None))
        rotulo_y = y(p) + 3
        if rotulo_y - 2 <= ym <= rotulo_y + 6:  # keep the label off the minimum line
            rotulo_y = ym + 3
        d.add(
            String(
                x + largura_barra / 2,
                rotulo_y,
                apresentar_percentual(p) + "%",
                fontName=f.negrito if b == atual else f.normal,
                fontSize=7,
                textAnchor="middle",
                fillColor=colors.black,
            )
        )

    d.add(
        Line(esq, ym, esq + w, ym, strokeColor=COR_MINIMO, strokeWidth=1.2, strokeDashArray=[4, 3])
    )
    d.add(
        String(
            esq + w + 6,
            ym - 2.5,
            f"Mínimo: {apresentar_percentual(minimo)}%",
            fontName=f.negrito,
            fontSize=7,
            fillColor=COR_MINIMO,
        )
    )
    return d
