"""O erro que a API devolve: status HTTP, código estável e frases em português.

Toda recusa do servidor é um ``ErroAPI``; o manipulador da aplicação o transforma em
``{"erro": ..., "codigo": ..., "motivos": [...]}`` (docs/api.md §1.1). Nenhuma outra exceção
chega ao usuário: as inesperadas viram 500 com uma frase genérica e vão para o log.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any


class ErroAPI(Exception):
    """Uma recusa com status HTTP, ``codigo`` (docs/api.md §9), frase ``erro`` e ``motivos``."""

    def __init__(
        self,
        status: int,
        codigo: str,
        erro: str,
        motivos: Iterable[str] = (),
        cabecalhos: Mapping[str, str] | None = None,
        extra: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(erro)
        self.status = status
        self.codigo = codigo
        self.erro = erro
        self.motivos = [m for m in motivos if m]
        self.cabecalhos = dict(cabecalhos or {})
        self.extra = dict(extra or {})

    def __reduce__(self) -> tuple:
        # atravessa o pool de processos da verificação (pickle)
        return (
            ErroAPI,
            (self.status, self.codigo, self.erro, self.motivos, self.cabecalhos, self.extra),
        )

    def corpo(self) -> dict[str, Any]:
        """O JSON da resposta."""
        doc: dict[str, Any] = {"erro": self.erro, "codigo": self.codigo, "motivos": self.motivos}
        doc.update(self.extra)
        return doc


def nao_encontrado(erro: str, codigo: str = "nao_encontrado") -> ErroAPI:
    """404 com a frase dada."""
    return ErroAPI(404, codigo, erro)
