"""Timing helpers shared by the benchmarks: median of N runs after a warm-up."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def mediana(fn: Callable[[], object], repeticoes: int = 5, aquecimento: int = 1) -> float:
    """Median wall time of ``fn`` in seconds over ``repeticoes`` runs after ``aquecimento``."""
    for _ in range(aquecimento):
        fn()
    tempos = []
    for _ in range(repeticoes):
        t = time.perf_counter()
        fn()
        tempos.append(time.perf_counter() - t)
    return statistics.median(tempos)


def linha(
    figura: str,
    valor: float,
    unidade: str,
    baseline: float | None = None,
    meta: str = "",
    cumpre: bool | None = None,
) -> dict:
    """One row of the results table."""
    razao = valor / baseline if baseline else None
    return {
        "figura": figura,
        "valor": valor,
        "unidade": unidade,
        "baseline": baseline,
        "razao": razao,
        "meta": meta,
        "cumpre": cumpre,
    }
