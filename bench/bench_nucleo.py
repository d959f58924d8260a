"""The core's formula engine on a full municipal declaration (issue 2's benchmark).

One typed edit with its dependent recomputation, and a full recomputation; target: a single
edit ≤ 1 ms.
"""

from __future__ import annotations

from decimal import Decimal

from bench.medir import linha, mediana
from siops.forms.declaracao import DefinirCelula
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia


def main(rapido: bool = False) -> list[dict]:
    d = declaracao_cheia(ente("M355030"), 2025, 6)
    n = 200 if not rapido else 20
    chaves = [("receitas_base", "iptu", "realizada"), ("despesas_asps", "s301_31", "liquidada")]
    contador = iter(range(10**9))

    def editar() -> None:
        for _ in range(n):
            i = next(contador)
            d.aplicar(DefinirCelula(chaves[i % 2], Decimal(1000 + i % 97)))

    rep = 1 if rapido else 7
    edicao = mediana(editar, rep) / n
    completa = mediana(d.recalcular_tudo, rep)
    return [
        linha(
            "núcleo: uma edição com recálculo dependente",
            edicao * 1000,
            "ms",
            meta="≤ 1 ms",
            cumpre=edicao * 1000 <= 1,
        ),
        linha("núcleo: recálculo completo", completa * 1000, "ms", meta="—"),
    ]
