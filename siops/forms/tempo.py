"""Brasília time, the clock every date the user sees is shown in (dd/mm/aaaa hh:mm).

One definition for the client, the reports, the transmitter and the server. A fixed UTC−3
offset: Brazil has had no daylight saving time since 2019, and a fixed offset needs no IANA
database (absent from Python on Windows without the ``tzdata`` package).
"""

from __future__ import annotations

import datetime as dt

BRASILIA = dt.timezone(dt.timedelta(hours=-3), "BRT")


def agora() -> dt.datetime:
    """The current instant in Brasília time (timezone-aware)."""
    return dt.datetime.now(BRASILIA)


def em_brasilia(quando: dt.datetime) -> dt.datetime:
    """``quando`` in Brasília time; a naive datetime is taken as UTC."""
    if quando.tzinfo is None:
        quando = quando.replace(tzinfo=dt.UTC)
    return quando.astimezone(BRASILIA)


def data_br(quando: dt.datetime) -> str:
    """``28/11/2026``."""
    return em_brasilia(quando).strftime("%d/%m/%Y")


def data_hora_br(quando: dt.datetime, segundos: bool = False) -> str:
    """``28/11/2026 00:46`` (``28/11/2026 00:46:09`` com ``segundos``: recibos)."""
    return em_brasilia(quando).strftime("%d/%m/%Y %H:%M:%S" if segundos else "%d/%m/%Y %H:%M")
