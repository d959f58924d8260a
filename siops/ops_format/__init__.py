"""The .OPS/.IMP file: read and write (XML + XSD), paths and names under MS-SIOPS, import of a
previous bimestre, the transmission copy (ARCHITECTURE; contract in docs/contratos.md).

No Qt here: the CLI, the client and the server use it alike.
"""

from siops.ops_format import caminhos
from siops.ops_format.erros import (
    ArquivoInvalido,
    ErroGravacao,
    ImportacaoRecusada,
    TransmissaoRecusada,
)
from siops.ops_format.formato import de_bytes, ler, para_bytes, salvar
from siops.ops_format.importacao import ContagemPasta, Importacao, importar_anterior
from siops.ops_format.transmissao import destino_transmissao, gravar_transmissao
from siops.ops_format.versoes import VERSAO_ATUAL, namespace

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
