"""The RREO Anexo 12 render (issue 5's benchmark): the full demonstrativo of a fully filled
municipal declaration (data view + PDF with header, notes, chart and page numbers), beside a
bare reportlab table of the same number of rows and columns, as a ratio. Target: ≤ 5×.
And issue 13's: the five other SIOPS reports together beside the Anexo 12 alone. Target: ≤ 3×.

The baseline is what reportlab alone costs for that much table: one ``Table`` of plain strings
(``1.234.567,89`` in every value cell) with a grid, built into an A4-landscape document.
"""

from __future__ import annotations

import io

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import SimpleDocTemplate, Table, TableStyle

from bench.medir import linha, mediana
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia
from siops.relatorios import (
    TIPOS,
    demonstrativo,
    pdf_criticas,
    renderizar_relatorio,
    renderizar_rreo,
)


def tabela_simples(n_linhas: int, n_colunas: int) -> bytes:
    """The baseline: a bare reportlab table of ``n_linhas`` × ``n_colunas`` strings."""
    dados = [["Rótulo da linha"] + ["1.234.567,89"] * (n_colunas - 1) for _ in range(n_linhas)]
    buf = io.BytesIO()
    doc = SimpleDocTemplate(buf, pagesize=landscape(A4))
    t = Table(dados, repeatRows=1)
    t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.25, "grey")]))
    doc.build([t])
    return buf.getvalue()


def main(rapido: bool = False) -> list[dict]:
    d = declaracao_cheia(ente("M355030"), 2025, 6)
    dem = demonstrativo(d)
    n_linhas = dem.linhas
    n_colunas = 1 + max(len(b.colunas) for b in dem.blocos)
    rep = 1 if rapido else 7
    completo = mediana(lambda: renderizar_rreo(d), rep)
    simples = mediana(lambda: tabela_simples(n_linhas, n_colunas), rep)
    vista = mediana(lambda: demonstrativo(d).para_dict(), rep)
    criticas = mediana(lambda: pdf_criticas(d, []), rep)

    def cinco() -> None:
        for tipo in TIPOS:
            renderizar_relatorio(d, tipo)

    outros = mediana(cinco, rep)
    return [
        linha(
            f"relatórios: RREO Anexo 12 completo ({n_linhas} linhas) × tabela simples",
            completo * 1000,
            "ms",
            baseline=simples * 1000,
            meta="≤ 5×",
            cumpre=completo <= 5 * simples,
        ),
        linha("relatórios: vista de dados do Anexo 12 (JSON)", vista * 1000, "ms", meta="—"),
        linha("relatórios: relatório de críticas (vazio)", criticas * 1000, "ms", meta="—"),
        linha(
            "relatórios: os cinco relatórios do SIOPS × Anexo 12",
            outros * 1000,
            "ms",
            baseline=completo * 1000,
            meta="≤ 3×",
            cumpre=outros <= 3 * completo,
        ),
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in main():
        print(r)
