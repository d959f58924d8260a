"""The SIOPS calendar as the client needs it (no Qt): which bimestre a clerk is most likely
declaring today."""

from __future__ import annotations

import datetime as dt


def bimestre_sugerido(hoje: dt.date) -> tuple[int, int]:
    """(exercício, bimestre) whose deadline is the next one: the bimestre that just ended.

    In January the 6º bimestre of the previous year is due (30/01); in March–April the 1º.
    """
    b = (hoje.month - 1) // 2  # the last complete bimestre
    if b == 0:
        return hoje.year - 1, 6
    return hoje.year, b
