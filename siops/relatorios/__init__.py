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
reportlab.
"""

from __future__ import annotations

import importlib
from typing import Any

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
