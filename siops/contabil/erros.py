"""The one error of the accounting import: a Portuguese sentence that names the file and line."""

from __future__ import annotations

from pathlib import Path

from siops.forms.mapeamento import MapeamentoInvalido

__all__ = ["ErroContabil", "MapeamentoInvalido"]


class ErroContabil(ValueError):
    """A source file (MSC or balancete) that cannot be imported; nothing was changed.

    ``linha`` is the 1-based line (or spreadsheet row) of the first problem, when there is one;
    ``arquivo`` the file's path. ``str(erro)`` is the whole message for the user.
    """

    def __init__(self, motivo: str, linha: int | None = None, arquivo: Path | str | None = None):
        partes = []
        if arquivo is not None:
            partes.append(Path(arquivo).name)
        if linha is not None:
            partes.append(f"linha {linha}")
        prefixo = (", ".join(partes) + ": ") if partes else ""
        super().__init__(prefixo + motivo)
        self.motivo = motivo
        self.linha = linha
        self.arquivo = Path(arquivo) if arquivo is not None else None
