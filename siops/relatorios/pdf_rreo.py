"""The RREO Anexo 12 as a PDF (reportlab, A4 landscape), in the Tesouro model's table style.

It prints the data view of ``relatorios.anexo12`` and nothing else: the header of the model
(ente, the three title lines, the period, "RREO – ANEXO XII"), one table per block with the
model's two-level column headers, the source line with the emission date, notes 1 and 2, and on
the last page the chart of the applied percentage against the minimum. Pages are numbered
"Página X de N"; a preview carries the diagonal "PRÉVIA — NÃO HOMOLOGADO" mark, which the
server leaves out (``homologado=True``) when it renders the homologated demonstrativo with this
same code, optionally with the gestor's homologation line.

Cells never overflow: labels that do not fit on one line wrap (a Paragraph), and a value wider
than its column (15-digit amounts in the narrow columns) is printed in a smaller font size
that fits (``estilo.caber``). ``grade(bloco)`` gives the column widths, so tests can check
every printed word against its column box.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import apresentar_percentual, formatar
from siops.forms.tempo import agora
from siops.relatorios.anexo12 import (
    ANEXO,
    Bloco,
    Demonstrativo,
    carimbo,
    demonstrativo,
    nome_coluna_apuracao,
)
from siops.relatorios.estilo import (
    COR_CABECALHO,
    COR_DESTAQUE,
    COR_GRADE,
    LARGURA_UTIL,
    Decoracao,
    caber,
    construir_pdf,
    escapar,
    estilos,
    fontes,
    largura_texto,
)
from siops.relatorios.grafico import grafico_percentual
from siops.relatorios.versao import versao_programa

TAMANHO = 7.0  # body font size of the tables
LARGURA_VALOR = 84.0  # fits 999.999.999.999.999,99 in DejaVu Sans Condensed 7 pt
LARGURA_PCT = 34.0
ROTULO_MINIMO = 150.0
PAD_H = 2.5  # left/right cell padding
RECUO = 8.0  # indentation per level of a row label


@dataclass(frozen=True, slots=True)
class Homologacao:
    """Who homologated the declaration and when (printed by the server's rendering)."""

    gestor: str
    quando: datetime
    cargo: str = "Gestor do SUS"


# --- the grid ---------------------------------------------------------------------------------


def grade(bloco: Bloco, largura: float = LARGURA_UTIL) -> list[float]:
    """Column widths of a block's table: the label column, then one per printed column.

    Value columns are as wide as a 15-digit amount needs when there is room; the label column
    takes the rest but never less than ``ROTULO_MINIMO`` (then the value columns narrow and
    their widest values shrink to fit). Text columns (observations) share what is left with
    the label column, half each.
    """
    n_pct = sum(1 for c in bloco.colunas if c.tipo == "percentual")
    n_txt = sum(1 for c in bloco.colunas if c.tipo == "texto")
    n_val = len(bloco.colunas) - n_pct - n_txt
    minimo = ROTULO_MINIMO * (1 + n_txt)
    valor = LARGURA_VALOR
    if largura - n_val * valor - n_pct * LARGURA_PCT < minimo and n_val:
        valor = (largura - minimo - n_pct * LARGURA_PCT) / n_val
    resto = largura - n_val * valor - n_pct * LARGURA_PCT
    texto = resto / 3 / n_txt if n_txt else 0.0  # the label keeps two thirds
    larguras = [
        {"percentual": LARGURA_PCT, "texto": texto}.get(c.tipo, valor) for c in bloco.colunas
    ]
    return [largura - sum(larguras), *larguras]


def _cabecalho(bloco: Bloco) -> tuple[list[list[object]], list[tuple], int]:
    """The header rows of a block's table, their spans, and how many rows they take."""
    est = estilos()
    dois = any(c.grupo for c in bloco.colunas)
    linha0: list[object] = [Paragraph(escapar(bloco.titulo), est["cab_esq"])]
    linha1: list[object] = [""]
    spans: list[tuple] = []
    i = 0
    cols = bloco.colunas
    while i < len(cols):
        c = cols[i]
        x = i + 1
        if c.grupo:
            j = i
            while j + 1 < len(cols) and cols[j + 1].grupo == c.grupo:
                j += 1
            linha0.append(Paragraph(escapar(c.grupo), est["cab"]))
            linha0.extend("" for _ in range(j - i))
            linha1.extend(Paragraph(escapar(cols[k].titulo), est["cab"]) for k in range(i, j + 1))
            if j > i:
                spans.append(("SPAN", (x, 0), (j + 1, 0)))
            i = j + 1
        else:
            linha0.append(Paragraph(escapar(c.titulo), est["cab"]))
            linha1.append("")
            if dois:
                spans.append(("SPAN", (x, 0), (x, 1)))
            i += 1
    if not dois:
        return [linha0], spans, 1
    spans.append(("SPAN", (0, 0), (0, 1)))
    return [linha0, linha1], spans, 2


def _partir(texto: str) -> str:
    """A number split in two lines at the thousands separator nearest its middle."""
    pontos = [i for i, ch in enumerate(texto) if ch == "."]
    if not pontos:
        meio = len(texto) // 2
        return texto[:meio] + "\n" + texto[meio:]
    i = min(pontos, key=lambda p: abs(p - len(texto) / 2))
    return texto[: i + 1] + "\n" + texto[i + 1 :]


def tabela_bloco(bloco: Bloco, largura: float = LARGURA_UTIL) -> Table:
    """The reportlab table of one block (header rows repeat when it breaks across pages)."""
    f = fontes()
    est = estilos()
    larguras = grade(bloco, largura)
    dados, comandos, n_cab = _cabecalho(bloco)
    comandos += [
        ("FONTNAME", (0, n_cab), (-1, -1), f.tabela),
        ("FONTSIZE", (0, n_cab), (-1, -1), TAMANHO),
        ("LEADING", (0, n_cab), (-1, -1), TAMANHO + 1),
        ("ALIGN", (1, n_cab), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, n_cab - 1), "MIDDLE"),
        ("VALIGN", (0, n_cab), (-1, -1), "BOTTOM"),
        ("BACKGROUND", (0, 0), (-1, n_cab - 1), COR_CABECALHO),
        ("LEFTPADDING", (0, 0), (-1, -1), PAD_H),
        ("RIGHTPADDING", (0, 0), (-1, -1), PAD_H),
        ("TOPPADDING", (0, 0), (-1, -1), 1.2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 1.8),
        ("BOX", (0, 0), (-1, -1), 0.6, COR_GRADE),
        ("INNERGRID", (0, 0), (-1, -1), 0.25, COR_GRADE),
    ]
    for r, linha in enumerate(bloco.linhas, start=n_cab):
        fonte = f.tabela_negrito if linha.destaque else f.tabela
        recuo = linha.nivel * RECUO
        livre = larguras[0] - 2 * PAD_H - recuo
        if largura_texto(linha.rotulo, fonte, TAMANHO) <= livre:
            rotulo: object = linha.rotulo
            if recuo:
                comandos.append(("LEFTPADDING", (0, r), (0, r), PAD_H + recuo))
        else:
            estilo = est["rotulo_neg"] if linha.destaque else est["rotulo"]
            rotulo = Paragraph(escapar(linha.rotulo), estilo)
            if recuo:
                comandos.append(("LEFTPADDING", (0, r), (0, r), PAD_H + recuo))
        if linha.destaque:
            comandos.append(("FONTNAME", (0, r), (-1, r), f.tabela_negrito))
            comandos.append(("BACKGROUND", (0, r), (-1, r), COR_DESTAQUE))
        celulas: list[object] = [rotulo]
        for x, cel in enumerate(linha.celulas, start=1):
            texto = cel.texto
            if bloco.colunas[x - 1].tipo == "texto":
                celulas.append(Paragraph(escapar(texto), est["celula"]) if texto else "")
                continue
            if texto:
                livre = larguras[x] - 2 * PAD_H
                tam = caber(texto, fonte, TAMANHO, livre)
                if largura_texto(texto, fonte, tam) > livre:
                    texto = _partir(texto)  # absurd magnitudes: two lines rather than overflow
                    tam = min(caber(p, fonte, TAMANHO, livre) for p in texto.split("\n"))
                if tam < TAMANHO:
                    comandos.append(("FONTSIZE", (x, r), (x, r), tam))
                    comandos.append(("LEADING", (x, r), (x, r), tam + 0.6))
            celulas.append(texto)
        dados.append(celulas)
    for x, c in enumerate(bloco.colunas, start=1):
        if c.tipo == "texto":
            comandos.append(("ALIGN", (x, n_cab), (x, -1), "LEFT"))
    t = Table(dados, colWidths=larguras, repeatRows=n_cab, hAlign="LEFT")
    t.setStyle(TableStyle(comandos))
    return t


# --- the document -----------------------------------------------------------------------------


def _cabecalho_documento(dem: Demonstrativo) -> list[Flowable]:
    est = estilos()
    f = fontes()
    topo: list[Flowable] = [Paragraph(escapar(dem.ente), est["ente"])]
    topo += [Paragraph(escapar(x), est["titulo"]) for x in dem.cabecalho]
    topo.append(Paragraph(escapar(f"{dem.periodo} — {dem.bimestre}º bimestre"), est["subtitulo"]))
    topo.append(Spacer(1, 4))
    linha = Table(
        [[ANEXO, "R$ 1,00"]],
        colWidths=[LARGURA_UTIL / 2, LARGURA_UTIL / 2],
        hAlign="LEFT",
        style=TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), f.negrito),
                ("FONTSIZE", (0, 0), (-1, -1), 7),
                ("ALIGN", (1, 0), (1, 0), "RIGHT"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        ),
    )
    topo.append(linha)
    return topo


def _fechamento(
    dem: Demonstrativo,
    emitido_em: datetime,
    homologado: bool,
    homologacao: Homologacao | None,
) -> list[Flowable]:
    est = estilos()
    out: list[Flowable] = [Spacer(1, 4)]
    out.append(
        Paragraph(
            escapar(f"FONTE: siops-desktop {versao_programa()}, emitido em {carimbo(emitido_em)}"),
            est["texto"],
        )
    )
    if homologado and homologacao is not None:
        out.append(
            Paragraph(
                escapar(
                    f"Homologado por {homologacao.gestor} ({homologacao.cargo}) em "
                    f"{carimbo(homologacao.quando)}, com assinatura digital ICP-Brasil."
                ),
                est["texto"],
            )
        )
    elif not homologado:
        out.append(
            Paragraph(
                "Prévia gerada antes da homologação pelo Gestor do SUS: não substitui o "
                "demonstrativo homologado.",
                est["texto"],
            )
        )
    out.append(Spacer(1, 3))
    out.append(Paragraph("Notas:", est["nota"]))
    out += [Paragraph(escapar(n), est["nota"]) for n in dem.notas]
    return out


def _secao_grafico(
    dem: Demonstrativo, historico: Iterable[tuple[int, Decimal]] | None
) -> list[Flowable]:
    est = estilos()
    r = dem.resumo
    pontos = {b: p for b, p in (historico or ()) if b != dem.bimestre}
    pontos[dem.bimestre] = r.percentual
    col = nome_coluna_apuracao(r.coluna)
    situacao = (
        "aplicação igual ou superior ao mínimo"
        if r.cumprido
        else f"aplicação abaixo do mínimo (faltam R$ {formatar(-r.diferenca)})"
    )
    titulo = (
        f"Percentual da receita de impostos e transferências aplicado em ASPS ({col} até o "
        f"bimestre) e o mínimo"
    )
    resumo = (
        f"{dem.bimestre}º bimestre de {dem.exercicio}: aplicado "
        f"{apresentar_percentual(r.percentual)}% — mínimo {apresentar_percentual(r.percentual_minimo)}% "
        f"— {situacao}."
    )
    if len(pontos) == 1:
        resumo += (
            " Os bimestres anteriores aparecem quando seus arquivos estão na pasta da declaração."
        )
    resumo += " Barra escura: este bimestre; linha tracejada: o mínimo."
    desenho = grafico_percentual(sorted(pontos.items()), r.percentual_minimo, dem.bimestre)
    desenho.hAlign = "CENTER"
    return [
        Spacer(1, 10),
        KeepTogether(
            [
                Paragraph(escapar(titulo), est["titulo"]),
                Spacer(1, 4),
                desenho,
                Spacer(1, 4),
                Paragraph(escapar(resumo), est["texto"]),
            ]
        ),
    ]


def pdf_demonstrativo(
    dem: Demonstrativo,
    *,
    homologado: bool = False,
    homologacao: Homologacao | None = None,
    historico: Iterable[tuple[int, Decimal]] | None = None,
    emitido_em: datetime | None = None,
) -> bytes:
    """The PDF bytes of a demonstrativo view (see the module docstring)."""
    emitido_em = emitido_em or agora()
    deco = Decoracao(
        cabecalho_corrido=f"{dem.ente} — {ANEXO} — {dem.periodo} (continuação)",
        rodape=f"{dem.ente} — RREO Anexo XII — {dem.periodo} — emitido em {carimbo(emitido_em)}",
        previa=not homologado,
    )
    story: list[Flowable] = _cabecalho_documento(dem)
    for b in dem.blocos:
        story.append(Spacer(1, 6))
        story.append(tabela_bloco(b))
    story += _fechamento(dem, emitido_em, homologado, homologacao)
    story += _secao_grafico(dem, historico)
    return construir_pdf(
        story,
        deco,
        f"RREO Anexo XII — {dem.ente} — {dem.periodo}",
        "Demonstrativo das receitas e despesas com ações e serviços públicos de saúde",
    )


def gravar(dados: bytes, destino: Path) -> Path:
    """Write the bytes atomically (temporary file in the same folder, then replace)."""
    destino = Path(destino)
    destino.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".rreo-", suffix=".pdf", dir=destino.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(dados)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, destino)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return destino


def renderizar_rreo(
    d: Declaracao,
    destino: Path | None = None,
    *,
    homologado: bool = False,
    homologacao: Homologacao | None = None,
    historico: Iterable[tuple[int, Decimal]] | None = None,
    emitido_em: datetime | None = None,
) -> bytes:
    """The Anexo 12 PDF of a declaration; also written to ``destino`` when given.

    ``historico``: (bimestre, percentual) of the previous bimestres, for the chart.
    ``homologado=True`` leaves out the PRÉVIA mark (the server's rendering); ``homologacao``
    adds the gestor's homologation line.
    """
    dados = pdf_demonstrativo(
        demonstrativo(d),
        homologado=homologado,
        homologacao=homologacao,
        historico=historico,
        emitido_em=emitido_em,
    )
    if destino is not None:
        gravar(dados, destino)
    return dados
