"""Filling the declaration from the accounting system's exports: the MSC and balancetes.

Core package (no Qt, no ``app``): it reads ``forms`` only.

* ``contabil.msc`` streams the MSC CSV (Matriz de Saldos Contábeis) sent to SICONFI;
* ``contabil.balancete`` reads a receita or despesa balancete (CSV or XLSX) by header names;
* ``forms.mapeamento`` holds the mapping from accounts and codes to measures, Anexo 12 rows and
  planilhas, as data in ``resources/msc_mapeamento.json`` (from the Tesouro's Anexo 12 model and
  the e-cidade ERP);
* ``contabil.lancamentos`` turns each source item into a line of the ledger (``forms.razao``):
  despesas by planilha × subfunção × natureza, receitas by natureza (and fonte);
* ``contabil.previa`` builds the preview (changes of the Anexo 12 and of the views, lines
  outside the Anexo 12, reconciliation, totals by planilha and elemento) and the one undoable
  ``Lote`` (a ``SubstituirRazao``); ``contabil.importacao.importar`` goes from files to it.
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
