"""The .OPS/.IMP file: read and write (XML + XSD), paths and names under MS-SIOPS, import of a
previous bimestre, the transmission copy (ARCHITECTURE; contract in docs/contratos.md).

No Qt here: the CLI, the client and the server use it alike.

The import of a previous bimestre and the transmission copy are loaded on first use (opening a
file, the client's start, needs neither).
"""

from importlib import import_module
from typing import TYPE_CHECKING

from siops.ops_format import caminhos
from siops.ops_format.erros import (
    ArquivoInvalido,
    ErroGravacao,
    ImportacaoRecusada,
    TransmissaoRecusada,
)
from siops.ops_format.formato import de_bytes, ler, para_bytes, salvar
from siops.ops_format.versoes import VERSAO_ATUAL, namespace

if TYPE_CHECKING:
    from siops.ops_format.importacao import ContagemPasta, Importacao, importar_anterior
    from siops.ops_format.transmissao import destino_transmissao, gravar_transmissao

#: Names of this package loaded on first use, and their modules.
_ADIADOS = {
    "ContagemPasta": "importacao",
    "Importacao": "importacao",
    "importar_anterior": "importacao",
    "destino_transmissao": "transmissao",
    "gravar_transmissao": "transmissao",
}


def __getattr__(nome: str) -> object:
    modulo = _ADIADOS.get(nome)
    if modulo is None:
        raise AttributeError(f"module {__name__!r} has no attribute {nome!r}")
    valor = getattr(import_module(f"{__name__}.{modulo}"), nome)
    globals()[nome] = valor
    return valor


__all__ = [
    "VERSAO_ATUAL",
    "ArquivoInvalido",
    "ContagemPasta",
    "ErroGravacao",
    "Importacao",
    "ImportacaoRecusada",
    "TransmissaoRecusada",
    "caminhos",
    "de_bytes",
    "destino_transmissao",
    "gravar_transmissao",
    "importar_anterior",
    "ler",
    "namespace",
    "para_bytes",
    "salvar",
]
