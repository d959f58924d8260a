"""Críticas: the rules that check a declaration before it is transmitted (DOMAIN §6).

``verificar(d)`` runs every rule; ``Verificador(d)`` keeps the findings and re-runs only the
rules that read the cells an edit changed. Findings (``Achado``) say the code, whether they
block (``impeditiva``) or not (``aviso``), a Portuguese message and where the problem is.
The same code runs in the client, live, and on the server when it re-validates.
"""

from __future__ import annotations

from siops.criticas.achado import AVISO, IMPEDITIVA, Achado
from siops.criticas.motor import (
    GRUPOS,
    REGRAS,
    DeclaracaoAnteriorInvalida,
    Regra,
    Verificador,
    verificar,
)
from siops.criticas.referencia import Referencia, ReferenciaFNS, ReferenciaInvalida
from siops.criticas.relatorio import relatorio_dados, relatorio_json, relatorio_texto

__all__ = [
    "AVISO",
    "GRUPOS",
    "IMPEDITIVA",
    "REGRAS",
    "Achado",
    "DeclaracaoAnteriorInvalida",
    "Referencia",
    "ReferenciaFNS",
    "ReferenciaInvalida",
    "Regra",
    "Verificador",
    "relatorio_dados",
    "relatorio_json",
    "relatorio_texto",
    "verificar",
]

import siops.criticas.regras  # noqa: F401  (registers the rule catalog in REGRAS)
