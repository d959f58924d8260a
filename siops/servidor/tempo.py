"""Relógio do servidor: horário de Brasília, em ISO 8601, e sua apresentação ao usuário."""

from __future__ import annotations

import datetime as dt

from siops.forms.tempo import BRASILIA, agora

__all__ = ["BRASILIA", "agora", "de_iso", "iso", "legivel"]


def iso(momento: dt.datetime) -> str:
    """ISO 8601 com segundos e fuso (``2025-03-01T12:00:00-03:00``)."""
    return momento.astimezone(BRASILIA).isoformat(timespec="seconds")


def de_iso(texto: str) -> dt.datetime:
    """O inverso de ``iso``; aceita ``Z``. Levanta ``ValueError`` para texto inválido."""
    momento = dt.datetime.fromisoformat(texto.strip().replace("Z", "+00:00"))
    if momento.tzinfo is None:
        raise ValueError("data-hora sem fuso horário")
    return momento


def legivel(texto_iso: str | None) -> str:
    """``01/03/2025 12:00`` para mostrar em páginas e mensagens ("" quando ausente)."""
    if not texto_iso:
        return ""
    return de_iso(texto_iso).astimezone(BRASILIA).strftime("%d/%m/%Y %H:%M")
