"""The projection of the exercício (``relatorios.projecao``) as a PDF in the reports' style:
the summary table, the trend by bimestre, the chart against the minimum, the situation and, at
the bottom, the assumptions.

The chart (``grafico_projecao``) draws, in reais, the applied amount up to each bimestre
present (the current one darker), the linear projection for the bimestres left (outlined bars),
the path needed to reach the minimum (a dotted line) and the minimum of the year (a dashed
line). ``reportlab.graphics`` shapes, as ``grafico.py``: sharp in print.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reportlab.graphics.shapes import Drawing, Line, PolyLine, Rect, String
from reportlab.lib import colors
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import apresentar_percentual, formatar
from siops.forms.tempo import agora
from siops.relatorios.anexo12 import carimbo
from siops.relatorios.estilo import (
    COR_CABECALHO,
    COR_GRADE,
    LARGURA_UTIL,
    Decoracao,
    construir_pdf,
    escapar,
    estilos,
    fontes,
)
from siops.relatorios.grafico import COR_ATUAL, COR_BARRA, COR_EIXO, COR_MINIMO
from siops.relatorios.pdf_rreo import gravar
from siops.relatorios.projecao import NOME_COLUNA, Projecao, projetar
from siops.relatorios.versao import versao_programa

TITULO = "PROJEÇÃO DO CUMPRIMENTO DO MÍNIMO EM AÇÕES E SERVIÇOS PÚBLICOS DE SAÚDE"
COR_NECESSARIO = colors.HexColor("#2E7D32")
COR_PROJECAO = colors.HexColor("#9E9E9E")


def _passo(valor: Decimal) -> Decimal:
    """A round axis step (1, 2, 2,5 or 5 × 10ⁿ) giving at most five steps up to ``valor``."""
    if valor <= 0:
        return Decimal(1)
    n = len(str(int(valor))) - 1
    for e in (n - 1, n, n + 1):
        for m in ("1", "2", "2.5", "5"):
            p = Decimal(m) * Decimal(10) ** e
            if valor / p <= 5:
                return p
    return Decimal(10) ** (n + 1)


def reais_curto(v: Decimal) -> str:
    """'1,5 mi', '250 mil', '900': the chart's labels."""
    a = abs(v)
    if a >= 1_000_000_000:
        return f"{formatar(v / 1_000_000_000, 1)} bi"
    if a >= 1_000_000:
        return f"{formatar(v / 1_000_000, 1)} mi"
    if a >= 1_000:
        return f"{formatar(v / 1_000, 0)} mil"
    return formatar(v, 0)


def pontos_projetados(p: Projecao) -> list[tuple[int, Decimal]]:
    """(bimestre, aplicado projetado) for the bimestres after the current one (linear)."""
    return [(b, p.ritmo_medio * b) for b in range(p.bimestre + 1, 7)]


def pontos_necessarios(p: Projecao) -> list[tuple[int, Decimal]]:
    """(bimestre, cumulative needed) from the current bimestre to the minimum in the 6º."""
    if p.necessario_por_bimestre is None or p.alcancado or p.sem_previsao:
        return []
    return [
        (b, min(p.minimo_exato, p.aplicado + p.necessario_por_bimestre * (b - p.bimestre)))
        for b in range(p.bimestre, 7)
    ]


def grafico_projecao(p: Projecao, largura: float = 620, altura: float = 210) -> Drawing:
    """The chart of the projection (see module docstring)."""
    f = fontes()
    d = Drawing(largura, altura)
    esq, base, dir_, topo = 44.0, 22.0, 118.0, 14.0
    w = largura - esq - dir_
    h = altura - base - topo
    reais = {pt.bimestre: pt.aplicado for pt in p.historico}
    projetados = dict(pontos_projetados(p))
    necessarios = pontos_necessarios(p)
    maior = max([p.minimo_exato, *reais.values(), *projetados.values(), Decimal(1)])
    passo = _passo(maior * Decimal("1.1"))
    teto = passo * (int(maior * Decimal("1.1") / passo) + 1)

    def y(v: Decimal) -> float:
        v = max(Decimal(0), min(v, teto))
        return base + float(v / teto) * h

    for i in range(int(teto / passo) + 1):
        v = passo * i
        yy = y(v)
        d.add(Line(esq, yy, esq + w, yy, strokeColor=colors.HexColor("#D0D0D0"), strokeWidth=0.4))
        d.add(
            String(
                esq - 4,
                yy - 2.5,
                reais_curto(v),
                fontName=f.normal,
                fontSize=6.5,
                textAnchor="end",
                fillColor=COR_EIXO,
            )
        )
    d.add(Line(esq, base, esq + w, base, strokeColor=COR_EIXO, strokeWidth=0.8))
    d.add(Line(esq, base, esq, base + h, strokeColor=COR_EIXO, strokeWidth=0.8))
    slot = w / 6
    lb = slot * 0.55

    def centro(b: int) -> float:
        return esq + slot * (b - 1) + slot / 2

    for b in range(1, 7):
        x = centro(b) - lb / 2
        d.add(
            String(
                centro(b),
                base - 10,
                f"{b}º bim.",
                fontName=f.normal,
                fontSize=6.5,
                textAnchor="middle",
                fillColor=COR_EIXO,
            )
        )
        if b in reais:
            v = reais[b]
            cor = COR_ATUAL if b == p.bimestre else COR_BARRA
            d.add(Rect(x, base, lb, y(v) - base, fillColor=cor, strokeColor=None))
            d.add(
                String(
                    centro(b),
                    y(v) + 3,
                    reais_curto(v),
                    fontName=f.negrito if b == p.bimestre else f.normal,
                    fontSize=7,
                    textAnchor="middle",
                    fillColor=colors.black,
                )
            )
        elif b in projetados:
            v = projetados[b]
            d.add(
                Rect(
                    x,
                    base,
                    lb,
                    y(v) - base,
                    fillColor=None,
                    strokeColor=COR_PROJECAO,
                    strokeWidth=0.8,
                    strokeDashArray=[2, 2],
                )
            )
            rotulo_y = y(v) + 3
            if rotulo_y - 3 <= y(p.minimo_exato) <= rotulo_y + 7:  # off the minimum line
                rotulo_y = y(p.minimo_exato) + 4
            d.add(
                String(
                    centro(b),
                    rotulo_y,
                    reais_curto(v),
                    fontName=f.normal,
                    fontSize=6.5,
                    textAnchor="middle",
                    fillColor=colors.HexColor("#616161"),
                )
            )
    if len(necessarios) > 1:
        pts: list[float] = []
        for b, v in necessarios:
            pts += [centro(b), y(v)]
        d.add(PolyLine(pts, strokeColor=COR_NECESSARIO, strokeWidth=1.3, strokeDashArray=[1, 2]))
    ym = y(p.minimo_exato)
    d.add(
        Line(esq, ym, esq + w, ym, strokeColor=COR_MINIMO, strokeWidth=1.2, strokeDashArray=[4, 3])
    )
    legenda = [
        (COR_MINIMO, f"Mínimo do exercício: R$ {reais_curto(p.minimo_anual)}"),
        (COR_ATUAL, f"Aplicado até o {p.bimestre}º bim."),
        (COR_PROJECAO, "Projeção linear"),
    ]
    if len(necessarios) > 1:
        legenda.append((COR_NECESSARIO, "Trajetória necessária"))
    yy = base + h - 4
    for cor, texto in legenda:
        d.add(Rect(esq + w + 10, yy - 1, 8, 6, fillColor=cor, strokeColor=None))
        d.add(String(esq + w + 22, yy, texto, fontName=f.normal, fontSize=6.8, fillColor=COR_EIXO))
        yy -= 12
    return d


def _tabela(linhas: list[list[str]], larguras: list[float], cabecalho: bool = True) -> Table:
    f = fontes()
    estilo = [
        ("FONTNAME", (0, 0), (-1, -1), f.tabela),
        ("FONTSIZE", (0, 0), (-1, -1), 7.5),
        ("LEADING", (0, 0), (-1, -1), 9),
        ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
        ("BOX", (0, 0), (-1, -1), 0.6, COR_GRADE),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, COR_GRADE),
        ("TOPPADDING", (0, 0), (-1, -1), 1.5),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    if cabecalho:
        estilo += [
            ("FONTNAME", (0, 0), (-1, 0), f.tabela_negrito),
            ("BACKGROUND", (0, 0), (-1, 0), COR_CABECALHO),
            ("ALIGN", (0, 0), (-1, 0), "CENTER"),
        ]
    t = Table(linhas, colWidths=larguras, hAlign="LEFT", repeatRows=1 if cabecalho else 0)
    t.setStyle(TableStyle(estilo))
    return t


def _linhas_tendencia(p: Projecao) -> list[list[str]]:
    out = [
        [
            "Bimestre",
            "Coluna da apuração",
            "Aplicado até o bimestre (R$)",
            "Aplicado no bimestre (R$)",
            "Receita da base realizada (R$)",
            "% aplicado",
        ]
    ]
    for pt in p.historico:
        out.append(
            [
                f"{pt.bimestre}º" + (" (este)" if pt.atual else ""),
                NOME_COLUNA.get(pt.coluna, pt.coluna),
                formatar(pt.aplicado),
                "—" if pt.no_bimestre is None else formatar(pt.no_bimestre),
                formatar(pt.base_realizada),
                "—" if pt.percentual is None else f"{apresentar_percentual(pt.percentual)}%",
            ]
        )
    for b, v in pontos_projetados(p):
        out.append([f"{b}º (projeção)", "—", formatar(v), formatar(p.ritmo_medio), "—", "—"])
    return out


def pdf_projecao(p: Projecao, *, emitido_em: datetime | None = None) -> bytes:
    """The PDF bytes of a projection."""
    emitido_em = emitido_em or agora()
    est = estilos()
    story: list[Flowable] = [
        Paragraph(escapar(p.ente), est["ente"]),
        Paragraph(escapar(f"{TITULO} — EXERCÍCIO {p.exercicio}"), est["titulo"]),
        Paragraph(
            escapar(f"Situação no {p.bimestre}º bimestre ({p.periodo}); valores em R$"),
            est["subtitulo"],
        ),
        Spacer(1, 8),
        Paragraph(f"<b>{escapar(p.resumo())}</b>", est["texto"]),
        Spacer(1, 6),
    ]
    resumo = _tabela(
        [[r, v] for r, v in p.linhas_resumo()],
        [LARGURA_UTIL * 0.30, LARGURA_UTIL * 0.17],
        cabecalho=False,
    )
    desenho = grafico_projecao(p, largura=LARGURA_UTIL * 0.50, altura=205)
    titulo_grafico = Paragraph(
        escapar(
            f"Aplicado em ASPS até cada bimestre ({NOME_COLUNA.get(p.coluna, p.coluna)}), a "
            "projeção linear e o mínimo do exercício"
        ),
        est["titulo"],
    )
    lado_a_lado = Table(
        [[resumo, [titulo_grafico, Spacer(1, 4), desenho]]],
        colWidths=[LARGURA_UTIL * 0.49, LARGURA_UTIL * 0.51],
        hAlign="LEFT",
    )
    lado_a_lado.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ]
        )
    )
    story.append(lado_a_lado)
    if p.avisos:
        story.append(Spacer(1, 4))
        story += [Paragraph(escapar("Atenção: " + a), est["texto"]) for a in p.avisos]
    story.append(Spacer(1, 8))
    larg = LARGURA_UTIL
    tendencia = _tabela(
        _linhas_tendencia(p),
        [larg * 0.13, larg * 0.16, larg * 0.18, larg * 0.17, larg * 0.18, larg * 0.1],
    )
    tendencia.setStyle(TableStyle([("ALIGN", (1, 1), (1, -1), "LEFT")]))
    nota = (
        "Bimestres anteriores: os arquivos do mesmo ente e exercício encontrados na pasta da "
        "declaração e nas pastas padrão."
        if len(p.historico) > 1
        else "Nenhum arquivo de bimestre anterior deste exercício foi encontrado na pasta da "
        "declaração nem nas pastas padrão: a tendência mostra só este bimestre."
    )
    story.append(
        KeepTogether(
            [
                Paragraph("<b>Tendência por bimestre</b>", est["texto"]),
                Spacer(1, 3),
                tendencia,
                Spacer(1, 2),
                Paragraph(escapar(nota), est["nota"]),
            ]
        )
    )
    premissas = [Paragraph("<b>Premissas</b>", est["texto"])]
    premissas += [
        Paragraph(escapar(f"{n}. {t}"), est["nota"]) for n, t in enumerate(p.premissas, 1)
    ]
    story += [Spacer(1, 8), KeepTogether(premissas), Spacer(1, 4)]
    story.append(
        Paragraph(
            escapar(
                f"FONTE: siops-desktop {versao_programa()}, emitido em {carimbo(emitido_em)}. "
                "Projeção feita a partir da declaração: não é um demonstrativo do SIOPS."
            ),
            est["texto"],
        )
    )
    titulo_curto = f"Projeção do exercício {p.exercicio}"
    deco = Decoracao(
        cabecalho_corrido=f"{p.ente} — {titulo_curto} — {p.bimestre}º bimestre (continuação)",
        rodape=f"{p.ente} — {titulo_curto} — {p.bimestre}º bimestre — emitido em "
        f"{carimbo(emitido_em)}",
        previa=False,
    )
    return construir_pdf(story, deco, f"{titulo_curto} — {p.ente}", TITULO.capitalize())


def renderizar_projecao(
    d: Declaracao,
    destino: Path | None = None,
    anteriores: Iterable[Declaracao] = (),
    *,
    emitido_em: datetime | None = None,
) -> bytes:
    """The projection PDF of a declaration (with the earlier bimestres given); also written to
    ``destino`` when given."""
    dados = pdf_projecao(projetar(d, anteriores), emitido_em=emitido_em)
    if destino is not None:
        gravar(dados, destino)
    return dados
