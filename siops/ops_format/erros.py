"""The errors of the file layer, each carrying one Portuguese sentence for the user.

``ArquivoInvalido`` is what every reader raises for a file it will not open (the CLI turns it
into exit status 2, the GUI into a message box); ``ErroGravacao`` is a save that failed (disk
full, no permission) with the previous file left intact; ``TransmissaoRecusada`` is the refusal
of "Gravar arquivo para transmissão" while críticas impeditivas exist.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class ArquivoInvalido(ValueError):
    """A .OPS/.IMP file that cannot be opened; ``str()`` is one sentence: what and where.

    ``origem`` names the file (its name, not its full path), ``linha`` is the 1-based line of
    the problem when known, ``motivo`` is the bare reason (lower-case start, final period).
    """

    def __init__(self, motivo: str, origem: str = "", linha: int | None = None) -> None:
        self.motivo = motivo
        self.origem = origem
        self.linha = linha
        super().__init__(self._sentenca())

    def _sentenca(self) -> str:
        onde = f"Arquivo {self.origem}" if self.origem else "Arquivo"
        if self.linha:
            onde += f", linha {self.linha}"
        return f"{onde}: {self.motivo}"


class ErroGravacao(OSError):
    """A save that could not be completed; the file on disk is the previous version."""

    def __init__(self, mensagem: str) -> None:
        super().__init__(mensagem)
        self.mensagem = mensagem

    def __str__(self) -> str:
        return self.mensagem


class TransmissaoRecusada(Exception):
    """The transmission copy was refused: ``impeditivas`` are the críticas that block it."""

    def __init__(self, mensagem: str, impeditivas: Sequence[Any] = ()) -> None:
        super().__init__(mensagem)
        self.impeditivas = list(impeditivas)


class ImportacaoRecusada(ValueError):
    """An import of a previous bimestre that makes no sense (another ente, a later period)."""
