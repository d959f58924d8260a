"""Integers that come from outside (URLs, signed documents, files, command lines).

Python's ``int()`` accepts far more than a person types: other scripts' digits (``٢٠٢٥``),
underscores (``1_000``), surrounding blanks and signs, and numbers of any size, which then
overflow a database column. ``str.isdigit`` accepts superscripts (``²``) that ``int`` refuses.
Every integer from outside goes through :func:`inteiro_ascii`: ASCII digits only, at most
``digitos`` of them, inside ``[minimo, maximo]``.
"""

from __future__ import annotations

import re

_DIGITOS = re.compile(r"[0-9]+", re.ASCII)

#: The exercícios the program knows (first SIOPS declaration to far future).
EXERCICIO_MINIMO = 2000
EXERCICIO_MAXIMO = 2099
#: Largest id or count any table holds (fits SQLite's and PostgreSQL's BIGINT).
ID_MAXIMO = 2**63 - 1


class InteiroInvalido(ValueError):
    """The text is not an integer in the accepted range; ``str()`` is a Portuguese sentence."""


def inteiro_ascii(
    texto: object,
    nome: str = "o valor",
    *,
    minimo: int = 0,
    maximo: int = ID_MAXIMO,
) -> int:
    """``texto`` as an int, if it is 1–19 ASCII digits within ``[minimo, maximo]``.

    Raises :class:`InteiroInvalido` naming ``nome`` otherwise (no signs, blanks, underscores,
    other scripts' digits or superscripts).
    """
    if isinstance(texto, bool) or not isinstance(texto, (str, int)):
        raise InteiroInvalido(f"{nome} deve ser um número inteiro.")
    if isinstance(texto, int):
        valor = texto
    else:
        if not _DIGITOS.fullmatch(texto):
            raise InteiroInvalido(
                f"{nome} deve ser um número inteiro com algarismos de 0 a 9"
                f" (recebido: {texto[:20]!r})."
            )
        if len(texto.lstrip("0")) > len(str(maximo)):
            raise InteiroInvalido(f"{nome} deve estar entre {minimo} e {maximo}.")
        valor = int(texto)
    if not minimo <= valor <= maximo:
        raise InteiroInvalido(f"{nome} deve estar entre {minimo} e {maximo} (recebido: {valor}).")
    return valor


def exercicio(texto: object, nome: str = "O exercício") -> int:
    """A year of declaration (``2000``–``2099``)."""
    return inteiro_ascii(texto, nome, minimo=EXERCICIO_MINIMO, maximo=EXERCICIO_MAXIMO)


def bimestre(texto: object, nome: str = "O bimestre") -> int:
    """A bimestre (1–6)."""
    return inteiro_ascii(texto, nome, minimo=1, maximo=6)
