"""The transmission copy: "Gravar arquivo para transmissão" (DOMAIN §3, step 3).

The copy is written into the ``transm`` folder beside the declaration's file (for a file in the
standard place that is ``…/<Nome>Bimestre/transm/``), under the standard name of DOMAIN §4,
atomically and without a backup (the transmitter lists that folder: a stray file there would be
offered for transmission). It is refused while the críticas find anything impeditiva.

The findings come from the caller (``achados``, the result of ``criticas.verificar``): the
críticas and the file format are sibling layers that never import each other (ARCHITECTURE,
checked by import-linter), so the one who holds both — the client, the command line — runs the
rules and hands their findings over. The parameter is required: no caller can forget it.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

from siops.forms.declaracao import Declaracao
from siops.ops_format.atomico import gravar_atomico
from siops.ops_format.caminhos import PASTA_TRANSMISSAO, nome_arquivo
from siops.ops_format.erros import TransmissaoRecusada
from siops.ops_format.formato import para_bytes


class ComSeveridade(Protocol):
    """What the copy needs of a finding: whether it blocks the transmission."""

    @property
    def impeditiva(self) -> bool: ...


def destino_transmissao(d: Declaracao, caminho_ops: str | Path) -> Path:
    """Where the copy of the declaration saved at ``caminho_ops`` goes."""
    return (
        Path(caminho_ops).parent / PASTA_TRANSMISSAO / nome_arquivo(d.ente, d.exercicio, d.bimestre)
    )


def gravar_transmissao(
    d: Declaracao, caminho_ops: str | Path, achados: Iterable[ComSeveridade]
) -> Path:
    """Write the transmission copy and return its path.

    ``achados``: the findings of ``criticas.verificar(d)``. Raises ``TransmissaoRecusada``
    (with the impeditivas) while any of them is impeditiva; nothing is written then. Raises
    ``ErroGravacao`` when the copy cannot be written.
    """
    impeditivas = [a for a in achados if a.impeditiva]
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
