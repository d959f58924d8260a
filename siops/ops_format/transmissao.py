"""The transmission copy: "Gravar arquivo para transmissão" (DOMAIN §3, step 3).

The copy is written into the ``transm`` folder beside the declaration's file (for a file in the
standard place that is ``…/<Nome>Bimestre/transm/``), under the standard name of DOMAIN §4,
atomically and without a backup (the transmitter lists that folder: a stray file there would be
offered for transmission). It is refused while the críticas find anything impeditiva.
"""

from __future__ import annotations

from pathlib import Path

from siops.forms.declaracao import Declaracao
from siops.ops_format.atomico import gravar_atomico
from siops.ops_format.caminhos import PASTA_TRANSMISSAO, nome_arquivo
from siops.ops_format.erros import TransmissaoRecusada
from siops.ops_format.formato import para_bytes


def destino_transmissao(d: Declaracao, caminho_ops: str | Path) -> Path:
    """Where the copy of the declaration saved at ``caminho_ops`` goes."""
    return (
        Path(caminho_ops).parent / PASTA_TRANSMISSAO / nome_arquivo(d.ente, d.exercicio, d.bimestre)
    )


def gravar_transmissao(d: Declaracao, caminho_ops: str | Path) -> Path:
    """Write the transmission copy and return its path.

    Raises ``TransmissaoRecusada`` (with the impeditivas) while ``criticas.verificar`` finds
    any; nothing is written then. Raises ``ErroGravacao`` when the copy cannot be written.
    """
    from siops.criticas import (
        verificar,  # lazy: criticas reads forms, and ops_format must not cycle
    )

    impeditivas = [a for a in verificar(d) if a.impeditiva]
    if impeditivas:
        n = len(impeditivas)
        raise TransmissaoRecusada(
            f"Há {n} crítica{'s' if n > 1 else ''} impeditiva{'s' if n > 1 else ''}; corrija-"
            f"{'as' if n > 1 else 'a'} antes de gravar o arquivo para transmissão.",
            impeditivas,
        )
    destino = destino_transmissao(d, caminho_ops)
    gravar_atomico(para_bytes(d), destino)
    return destino
