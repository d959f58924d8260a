"""The SIOPS reports beyond the Anexo 12 (``relatorios.consultas``) as PDFs, in the RREO's
style: the same header, tables (``pdf_rreo.tabela_bloco``), source line, page numbers and, on a
preview, the PRÉVIA mark."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer

from siops.forms.declaracao import Declaracao
from siops.forms.tempo import agora
from siops.relatorios.anexo12 import Bloco, carimbo
from siops.relatorios.consultas import Relatorio, Texto, relatorio
from siops.relatorios.estilo import Decoracao, construir_pdf, escapar, estilos
from siops.relatorios.pdf_rreo import gravar, tabela_bloco
from siops.relatorios.versao import versao_programa


def pdf_relatorio(
    rel: Relatorio, *, homologado: bool = False, emitido_em: datetime | None = None
) -> bytes:
    """The PDF bytes of a report view."""
    emitido_em = emitido_em or agora()
    est = estilos()
    story: list[Flowable] = [
        Paragraph(escapar(rel.ente), est["ente"]),
        Paragraph(escapar(rel.titulo), est["titulo"]),
        Paragraph(
            escapar(f"Exercício {rel.exercicio} — {rel.bimestre}º bimestre ({rel.periodo})"),
            est["subtitulo"],
        ),
        Spacer(1, 6),
    ]
    for s in rel.secoes:
        if isinstance(s, Bloco):
            story.append(tabela_bloco(s))
            story.append(Spacer(1, 6))
            continue
        assert isinstance(s, Texto)
        partes: list[Flowable] = []
        if s.titulo:
            partes.append(Paragraph(f"<b>{escapar(s.titulo)}</b>", est["texto"]))
        partes += [Paragraph(escapar(p), est["texto"]) for p in s.paragrafos]
        partes.append(Spacer(1, 4))
        story.append(KeepTogether(partes))
    story.append(
        Paragraph(
            escapar(f"FONTE: siops-desktop {versao_programa()}, emitido em {carimbo(emitido_em)}"),
            est["texto"],
        )
    )
    if not homologado:
        story.append(
            Paragraph(
                "Prévia gerada a partir da declaração antes da homologação pelo Gestor do SUS.",
                est["texto"],
            )
        )
    titulo_curto = rel.titulo_curto
    deco = Decoracao(
        cabecalho_corrido=f"{rel.ente} — {titulo_curto} — {rel.periodo} (continuação)",
        rodape=f"{rel.ente} — {titulo_curto} — {rel.periodo} — emitido em {carimbo(emitido_em)}",
        previa=not homologado,
    )
    return construir_pdf(story, deco, f"{titulo_curto} — {rel.ente} — {rel.periodo}")


def renderizar_relatorio(
    d: Declaracao,
    tipo: str,
    destino: Path | None = None,
    *,
    homologado: bool = False,
    emitido_em: datetime | None = None,
) -> bytes:
    """The PDF of one of the reports (``consultas.TIPOS``); also written to ``destino``."""
    dados = pdf_relatorio(relatorio(d, tipo), homologado=homologado, emitido_em=emitido_em)
    if destino is not None:
        gravar(dados, destino)
    return dados
