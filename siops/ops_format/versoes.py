"""Format versions of the .OPS file and the ordered upgrade steps between them.

Each version has its own namespace (``urn:siops-desktop:ops:<n>``) and its own XSD in
``resources/``. A file is validated against the XSD *of its own version*, its digest checked
by that version's canonical form, and only then converted step by step to the current version
(STYLE habit 12, after Electrum's ``wallet_db.py``). A file of a version newer than
``VERSAO_ATUAL`` is refused with a message asking to update the program.

Version 2 added the ledger (``forms.razao``): the Anexo 12's receita and despesa cells, typed
in version 1, became computed views of ledger lines (step in ``conversao``). Version 3 kept
the structure and moved the apuração's deductions XIV and XV, still typed in version 2, into
the ledger (modalidades de aplicação 36/46/76/96 and 35/45/75/95; ``forms.razao``). A change of format adds a namespace, a
schema (the old one is kept as ``ops-<n>.xsd``), a canonical form in ``resumo.CANONICOS`` and
a ``Passo`` here, and freezes a sample file of the old version under ``tests/data/``. Renaming
a public id of the catalog (tabela, linha, coluna, campo) is such a change too.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from lxml import etree

PREFIXO_NS = "urn:siops-desktop:ops:"
VERSAO_ATUAL = 3
#: The XSD of each version, a file name in ``resources/``.
ESQUEMAS: dict[int, str] = {1: "ops-1.xsd", 2: "ops-2.xsd", 3: "ops.xsd"}


def namespace(versao: int = VERSAO_ATUAL) -> str:
    """The namespace of a format version: ``urn:siops-desktop:ops:1``."""
    return f"{PREFIXO_NS}{versao}"


def versao_do_namespace(ns: str) -> int | None:
    """The version a namespace names, or ``None`` when it is not one of ours."""
    if not ns.startswith(PREFIXO_NS):
        return None
    resto = ns[len(PREFIXO_NS) :]
    if not resto.isascii() or not resto.isdigit() or len(resto) > 6 or resto.startswith("0"):
        return None
    return int(resto)


@dataclass(frozen=True, slots=True)
class Passo:
    """One upgrade step: converts the root of a version ``de`` file into version ``de + 1``.

    The step returns the new root, which must be valid against the next version's XSD and
    carry a digest computed by the next version's canonical form.
    """

    de: int
    descricao: str
    converter: Callable[[etree._Element], etree._Element]


def _passos() -> tuple[Passo, ...]:
    """The steps, in order: ``[i].de == i + 1`` (imported late: they read the catalog)."""
    from siops.ops_format.conversao import PASSO_1_2, PASSO_2_3

    return (PASSO_1_2, PASSO_2_3)


def atualizar(
    raiz: etree._Element, versao: int, passos: tuple[Passo, ...] | None = None
) -> etree._Element:
    """Convert a root of ``versao`` into the current version, applying every step in order."""
    passos = _passos() if passos is None else passos
    for passo in passos:
        if passo.de < versao:
            continue
        if passo.de != versao:
            raise RuntimeError(f"falta o passo de conversão da versão {versao} do formato")
        raiz = passo.converter(raiz)
        versao += 1
    return raiz
