"""The rule catalog: importing this package registers every rule and generator in
``criticas.motor`` (``REGRAS``, ``GERADORES``).

Modules by kind: ``valores`` (every typed cell or row, walking the catalog), ``cadastro``
(text fields, groups 100 and 800), ``receitas`` (deductions, FNS: 200, 300), ``despesas``
(consórcios, elemento: 500), ``apuracao`` (600), ``fonte_blocos`` (700, 900).
"""

from __future__ import annotations

from siops.criticas.regras import apuracao, cadastro, despesas, fonte_blocos, receitas, valores

__all__ = ["apuracao", "cadastro", "despesas", "fonte_blocos", "receitas", "valores"]
