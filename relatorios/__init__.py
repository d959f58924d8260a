"""The reports: the RREO Anexo 12 (data view and PDF) and the críticas report, with no Qt.

The client's preview and the server's homologated demonstrativo are the same code over the same
``Declaracao`` (ARCHITECTURE, data flow step 7):

* ``demonstrativo(d)`` — the Anexo 12 as data (blocks, rows, printed cells), ``.para_dict()``
  for JSON;
* ``renderizar_rreo(d, destino, homologado=False, homologacao=None, historico=None)`` — the PDF;
* ``renderizar_criticas(d, achados, destino, grupos=None)`` — the críticas report PDF.
"""

from relatorios.anexo12 import Demonstrativo, demonstrativo
from relatorios.pdf_criticas import pdf_criticas, renderizar_criticas
from relatorios.pdf_rreo import Homologacao, pdf_demonstrativo, renderizar_rreo

__all__ = [
    "Demonstrativo",
    "Homologacao",
    "demonstrativo",
    "pdf_criticas",
    "pdf_demonstrativo",
    "renderizar_criticas",
    "renderizar_rreo",
]
