"""Filling the declaration from the accounting system's exports: the MSC and balancetes.

Core package (no Qt, no ``app``): it reads ``forms`` only.

* ``contabil.msc`` streams the MSC CSV (Matriz de Saldos Contábeis) sent to SICONFI;
* ``contabil.balancete`` reads a receita or despesa balancete (CSV or XLSX) by header names;
* ``contabil.mapeamento`` holds the mapping from accounts and codes to catalog cells, as data in
  ``resources/msc_mapeamento.json`` (from the Tesouro's Anexo 12 model);
* ``contabil.previa`` builds the preview (changes, unmapped lines, reconciliation) and the one
  undoable ``Lote``; ``contabil.importacao.importar`` goes from files to that preview.
"""

from siops.contabil.erros import ErroContabil, MapeamentoInvalido
from siops.contabil.importacao import importar, ler_fonte, tipo_do_arquivo
from siops.contabil.previa import Previa, previa

__all__ = [
    "ErroContabil",
    "MapeamentoInvalido",
    "Previa",
    "importar",
    "ler_fonte",
    "previa",
    "tipo_do_arquivo",
]
