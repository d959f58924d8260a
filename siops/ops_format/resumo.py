"""The content digest of a .OPS file: SHA-256 over a canonical form of the content.

The canonical form is independent of the XML's layout (indentation, attribute order, element
order, how characters are escaped): it is a list of UTF-8 lines built from the content alone —
the header values, then the text fields sorted by id, then the cells sorted by (tabela, linha,
coluna), values as the exact text the file holds. A file edited by hand or damaged in a way
that still parses and validates therefore fails the digest check on read, with a message that
says so; a file merely re-indented does not.

Each format version has its canonical form in ``CANONICOS`` (see ``versoes``).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(slots=True)
class Conteudo:
    """What a .OPS file says, as the text it holds (before any semantic check).

    ``linhas`` maps ``("campo", id)`` / ``("c", t, l, k)`` / a header name to the line of the
    element in the file, for messages; it is empty for content built from a declaration.
    """

    ente: str
    esfera: str
    exercicio: str
    bimestre: str
    layout: str
    campos: list[tuple[str, str]] = field(default_factory=list)  # (id, texto)
    celulas: list[tuple[str, str, str, str]] = field(default_factory=list)  # (t, l, k, valor)
    #: The ledger (version 2): ``(tipo, chave, valores)`` with ``tipo`` "d", "r" or "x",
    #: ``chave`` the key's attributes as ``(nome, texto)`` pairs (ids included) and ``valores``
    #: ``(coluna, texto)`` pairs, all as the file holds them.
    razao: list[tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = field(
        default_factory=list
    )
    #: The line of each ledger element in the file (parallel to ``razao``; empty when built).
    fontes_razao: list[int | None] = field(default_factory=list)
    programa: str = ""
    resumo: str = ""  # the digest the file carries (not part of the canonical form)
    linhas: dict[tuple[str, ...], int | None] = field(default_factory=dict)  # None: lxml lost it


def canonico_v1(c: Conteudo) -> bytes:
    """The canonical form of a version 1 content (see module docstring)."""
    partes = [
        "siops-desktop .OPS 1",
        f"ente\t{c.ente}",
        f"esfera\t{c.esfera}",
        f"exercicio\t{c.exercicio}",
        f"bimestre\t{c.bimestre}",
        f"layout\t{c.layout}",
    ]
    partes += [
        f"campo\t{cid}\t{json.dumps(texto, ensure_ascii=False)}" for cid, texto in sorted(c.campos)
    ]
    partes += [f"c\t{t}\t{lin}\t{k}\t{v}" for t, lin, k, v in sorted(c.celulas)]
    return ("\n".join(partes) + "\n").encode("utf-8")


def canonico_v2(c: Conteudo) -> bytes:
    """Version 2: version 1's lines (with its own title), then one line per ledger element,
    sorted: ``tipo``, then its attributes as ``name=value`` sorted by name (key and values
    alike), tab-separated."""
    v1 = canonico_v1(c).decode("utf-8").split("\n", 1)[1]
    partes = sorted(
        tipo + "\t" + "\t".join(map("=".join, sorted(chave + valores)))  # "=".join: f"{n}={v}"
        for tipo, chave, valores in c.razao
    )
    texto = "siops-desktop .OPS 2\n" + v1 + "".join(p + "\n" for p in partes)
    return texto.encode("utf-8")


def canonico_v3(c: Conteudo) -> bytes:
    """Version 3: the same lines as version 2, under its own title."""
    return b"siops-desktop .OPS 3\n" + canonico_v2(c).split(b"\n", 1)[1]


CANONICOS: dict[int, Callable[[Conteudo], bytes]] = {
    1: canonico_v1,
    2: canonico_v2,
    3: canonico_v3,
}


def resumo(c: Conteudo, versao: int) -> str:
    """The hexadecimal SHA-256 of the canonical form of ``c`` in format ``versao``."""
    return hashlib.sha256(CANONICOS[versao](c)).hexdigest()
