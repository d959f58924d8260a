"""The críticas report as a PDF: code, group, severity, message and location of each finding,
to print or to attach to a support request (DOMAIN §3, step 4).

It takes the findings as a parameter (``criticas.verificar`` is called by the caller), typed by
the few attributes it reads (``AchadoLike``), so ``relatorios`` does not import ``criticas``:
the core packages only read ``forms`` (ARCHITECTURE). The group names come the same way
(``grupos``, e.g. ``criticas.motor.GRUPOS``); without them the group prints as its number.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any, Protocol

from reportlab.platypus import (
    Flowable,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)

from siops.forms.catalogo import Catalogo
from siops.forms.declaracao import Declaracao, periodo
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
from siops.relatorios.pdf_rreo import gravar
from siops.relatorios.versao import versao_programa

SEVERIDADE_TEXTO = {"impeditiva": "Impeditiva", "aviso": "Aviso"}
SEPARADOR = " › "


class AchadoLike(Protocol):
    """What the report reads of a finding (``criticas.Achado`` has it all).

    Read-only members: ``Achado`` is a frozen dataclass, and the report never writes."""

    @property
    def codigo(self) -> Any: ...
    @property
    def grupo(self) -> Any: ...
    @property
    def severidade(self) -> str: ...
    @property
    def titulo(self) -> str: ...
    @property
    def mensagem(self) -> str: ...
    @property
    def tabela(self) -> str | None: ...
    @property
    def linha(self) -> str | None: ...
    @property
    def coluna(self) -> str | None: ...
    @property
    def campo(self) -> str | None: ...


def local_do_achado(a: AchadoLike, cat: Catalogo) -> str:
    """Where the finding is, as the clerk sees it (``Achado.local`` when it has one)."""
    local = getattr(a, "local", None)
    if callable(local):
        return str(local(cat))
    if a.campo and a.campo in cat.campos:
        return cat.campos[a.campo].titulo
    if a.tabela and a.tabela in cat.tabelas:
        t = cat.tabela(a.tabela)
        partes = [t.titulo]
        if a.linha:
            partes.append(t.linha(a.linha).titulo_em(cat.exercicio))
        if a.coluna:
            partes.append(t.coluna(a.coluna).titulo)
        return SEPARADOR.join(partes)
    return ""


def _grupo(a: AchadoLike, grupos: Mapping[int, str] | None) -> str:
    try:
        n = int(a.grupo)
    except (TypeError, ValueError):
        return str(a.grupo)
    nome = (grupos or {}).get(n)
    return f"{n} – {nome}" if nome else str(n)


def _impeditiva(a: AchadoLike) -> bool:
    return bool(getattr(a, "impeditiva", a.severidade == "impeditiva"))


def _numero(codigo: Any) -> int:
    try:
        return int(codigo)
    except (TypeError, ValueError):
        return 10**6


def ordenar(achados: Iterable[AchadoLike]) -> list[AchadoLike]:
    """Impeditivas first, then by code (stable within a code: catalog order)."""
    return sorted(achados, key=lambda a: (not _impeditiva(a), _numero(a.codigo)))


def pdf_criticas(
    d: Declaracao,
    achados: Iterable[AchadoLike],
    *,
    grupos: Mapping[int, str] | None = None,
    emitido_em: datetime | None = None,
) -> bytes:
    """The PDF bytes of the críticas report of a declaration."""
    emitido_em = emitido_em or agora()
    lista = ordenar(achados)
    cat = d.catalogo
    est = estilos()
    f = fontes()
    per = periodo(d.bimestre, d.exercicio)
    n_imp = sum(1 for a in lista if _impeditiva(a))
    n_av = len(lista) - n_imp

    story: list[Flowable] = [
        Paragraph(escapar(d.ente.descricao), est["ente"]),
        Paragraph("RELATÓRIO DE CRÍTICAS DA DECLARAÇÃO DO SIOPS", est["titulo"]),
        Paragraph(
            escapar(f"Exercício {d.exercicio} — {d.bimestre}º bimestre ({per})"), est["subtitulo"]
        ),
        Spacer(1, 8),
    ]
    if not lista:
        resumo = "Nenhuma crítica encontrada: a declaração pode ser gravada para transmissão."
    else:
        impeditivas = (
            f"{n_imp} crítica{'s' if n_imp != 1 else ''} impeditiva{'s' if n_imp != 1 else ''}"
            if n_imp
            else "Nenhuma crítica impeditiva"
        )
        avisos = f"{n_av} aviso{'s' if n_av != 1 else ''}" if n_av else "nenhum aviso"
        resumo = f"{impeditivas} e {avisos}. " + (
            "As críticas impeditivas impedem gravar o arquivo para transmissão; corrija-as "
            "ou envie este relatório ao suporte."
            if n_imp
            else "Os avisos não impedem a transmissão."
        )
    story.append(Paragraph(escapar(resumo), est["texto"]))
    story.append(Spacer(1, 6))

    if lista:
        larguras = [40.0, 120.0, 56.0, 0.0, 200.0]
        larguras[3] = LARGURA_UTIL - sum(larguras)
        cab = [
            Paragraph(x, est["cab"]) for x in ("CÓDIGO", "GRUPO", "SEVERIDADE", "MENSAGEM", "LOCAL")
        ]
        dados: list[list[object]] = [cab]
        comandos: list[tuple] = [
            ("BACKGROUND", (0, 0), (-1, 0), COR_CABECALHO),
            ("BOX", (0, 0), (-1, -1), 0.6, COR_GRADE),
            ("INNERGRID", (0, 0), (-1, -1), 0.25, COR_GRADE),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (0, 1), (-1, -1), f.tabela),
            ("FONTSIZE", (0, 1), (-1, -1), 7),
            ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ]
        cel = est["celula"]
        for r, a in enumerate(lista, start=1):
            imp = _impeditiva(a)
            sev = SEVERIDADE_TEXTO.get(a.severidade, str(a.severidade))
            mensagem = (
                f"<b>{escapar(a.titulo)}</b><br/>{escapar(a.mensagem)}"
                if a.titulo
                else (escapar(a.mensagem))
            )
            dados.append(
                [
                    str(a.codigo),
                    Paragraph(escapar(_grupo(a, grupos)), cel),
                    sev,
                    Paragraph(mensagem, cel),
                    Paragraph(escapar(local_do_achado(a, cat)), cel),
                ]
            )
            if imp:
                comandos.append(("FONTNAME", (2, r), (2, r), f.tabela_negrito))
                comandos.append(("TEXTCOLOR", (2, r), (2, r), "#C00000"))
        t = Table(dados, colWidths=larguras, repeatRows=1, hAlign="LEFT")
        t.setStyle(TableStyle(comandos))
        story.append(t)

    story.append(Spacer(1, 6))
    story.append(
        Paragraph(
            escapar(f"FONTE: siops-desktop {versao_programa()}, emitido em {carimbo(emitido_em)}"),
            est["texto"],
        )
    )

    deco = Decoracao(
        cabecalho_corrido=f"{d.ente.descricao} — Relatório de críticas — {per} (continuação)",
        rodape=f"{d.ente.descricao} — críticas — {per} — emitido em {carimbo(emitido_em)}",
        previa=False,
    )
    return construir_pdf(story, deco, f"Críticas — {d.ente.descricao} — {per}")


def renderizar_criticas(
    d: Declaracao,
    achados: Iterable[AchadoLike],
    destino: Any = None,
    *,
    grupos: Mapping[int, str] | None = None,
    emitido_em: datetime | None = None,
) -> bytes:
    """The críticas report; also written to ``destino`` (a path) when given."""
    dados = pdf_criticas(d, achados, grupos=grupos, emitido_em=emitido_em)
    if destino is not None:
        gravar(dados, destino)
    return dados
