"""A janela do transmissor (SIOPSNET), a única parte com Qt deste pacote.

``abrir(pai, arquivo)`` é o que o cliente chama em Ferramentas → Transmissor; ``siopsnet`` sem
argumentos abre a mesma janela sozinha (``janela.main``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def abrir(pai: Any = None, arquivo: Path | None = None) -> Any:
    """Abre (e devolve) a janela do transmissor, já na pasta de ``arquivo`` se dado, centrada
    sobre ``pai``.

    ``arquivo`` pode ainda não existir (o cliente passa o caminho padrão da cópia para
    transmissão da declaração aberta): o exercício, o bimestre e a esfera vêm do nome dele, e a
    janela mostra a pasta ``transm`` desse bimestre, não a do 1º.
    """
    from siops.transmissor.gui.janela import JanelaTransmissor

    janela = JanelaTransmissor(pai)
    if arquivo is not None:
        janela.periodo_do_nome(Path(arquivo).name)
        janela.abrir_pasta(Path(arquivo).parent, selecionar=Path(arquivo))
    if pai is not None:
        centrar_sobre(janela, pai)
    janela.show()
    return janela


def centrar_sobre(janela: Any, pai: Any) -> None:
    """Põe ``janela`` no centro de ``pai``, dentro da área livre da tela."""
    geo = janela.frameGeometry()
    geo.moveCenter(pai.frameGeometry().center())
    tela = pai.screen().availableGeometry() if pai.screen() is not None else None
    if tela is not None:
        geo.moveLeft(max(tela.left(), min(geo.left(), tela.right() - geo.width() + 1)))
        geo.moveTop(max(tela.top(), min(geo.top(), tela.bottom() - geo.height() + 1)))
    janela.move(geo.topLeft())
