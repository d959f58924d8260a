"""A janela do transmissor (SIOPSNET), a única parte com Qt deste pacote.

``abrir(pai, arquivo)`` é o que o cliente chama em Ferramentas → Transmissor; ``siopsnet`` sem
argumentos abre a mesma janela sozinha (``janela.main``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def abrir(pai: Any = None, arquivo: Path | None = None) -> Any:
    """Abre (e devolve) a janela do transmissor, já na pasta de ``arquivo`` se dado."""
    from siops.transmissor.gui.janela import JanelaTransmissor

    janela = JanelaTransmissor(pai)
    if arquivo is not None:
        janela.abrir_pasta(Path(arquivo).parent, selecionar=Path(arquivo))
    janela.show()
    return janela
