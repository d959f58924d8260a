"""The reports, with no Qt: the RREO Anexo 12 (data view and PDF), the críticas report and the
other SIOPS reports (indicadores, fonte e restos a pagar, consórcios, blocos, LC 141).

The client's preview and the server's homologated demonstrativo are the same code over the same
``Declaracao`` (ARCHITECTURE, data flow step 7):

* ``demonstrativo(d)`` — the Anexo 12 as data (blocks, rows, printed cells), ``.para_dict()``
  for JSON;
* ``renderizar_rreo(d, destino, homologado=False, homologacao=None, historico=None)`` — the PDF;
* ``renderizar_criticas(d, achados, destino, grupos=None)`` — the críticas report PDF;
* ``relatorio(d, tipo)`` / ``renderizar_relatorio(d, tipo, destino)`` — the other reports
  (``TIPOS``).

Names are imported on first use, so ``import relatorios`` (the CLI's parser) does not load
reportlab (about 200 ms). The type checker reads the same names from the ``TYPE_CHECKING``
block, so callers are typed; ``tests/relatorios/test_relatorios_nomes.py`` keeps it and
``_ONDE`` equal.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the names __getattr__ gives, for the type checker (F401: not used here)
    from siops.relatorios.anexo12 import Demonstrativo, demonstrativo  # noqa: F401
    from siops.relatorios.consultas import TIPOS, Relatorio, relatorio  # noqa: F401
    from siops.relatorios.pdf_consultas import pdf_relatorio, renderizar_relatorio  # noqa: F401
    from siops.relatorios.pdf_rreo import (  # noqa: F401
        Homologacao,
        pdf_demonstrativo,
        renderizar_rreo,
    )
    from siops.relatorios.relatorio_criticas import pdf_criticas, renderizar_criticas  # noqa: F401

_ONDE = {
    "Demonstrativo": "siops.relatorios.anexo12",
    "demonstrativo": "siops.relatorios.anexo12",
    "pdf_criticas": "siops.relatorios.relatorio_criticas",
    "renderizar_criticas": "siops.relatorios.relatorio_criticas",
    "Homologacao": "siops.relatorios.pdf_rreo",
    "pdf_demonstrativo": "siops.relatorios.pdf_rreo",
    "renderizar_rreo": "siops.relatorios.pdf_rreo",
    "Relatorio": "siops.relatorios.consultas",
    "TIPOS": "siops.relatorios.consultas",
    "relatorio": "siops.relatorios.consultas",
    "pdf_relatorio": "siops.relatorios.pdf_consultas",
    "renderizar_relatorio": "siops.relatorios.pdf_consultas",
}

__all__ = sorted(_ONDE)


def __getattr__(nome: str) -> Any:
    if nome not in _ONDE:
        raise AttributeError(f"module 'relatorios' has no attribute '{nome}'")
    return getattr(importlib.import_module(_ONDE[nome]), nome)
