"""Verbs that open the Qt client: ``abrir [ARQ]`` and ``demo``.

Qt is imported only when a verb runs, so ``siops --help`` and the other verbs stay light.

``demo`` (issue 9) prepares a fresh demonstration folder (``app.demo_ambiente``: the local
server with the registration chain of Monteiro Lobato/SP, test ICP-Brasil certificates, a
SoftHSM token, the transmitter already configured), opens the client on the demo declaration,
shows the credentials, and stops the server when the client closes. An installation without the
server (the frozen client) opens only the declaration. Without a display it says how to run it
headless and exits 2.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import tempfile
from pathlib import Path
from typing import Any

MSG_SEM_TELA = (
    "Não há tela disponível (as variáveis DISPLAY e WAYLAND_DISPLAY não estão definidas).\n"
    "Para executar sem tela (servidor, SSH):\n"
    "  QT_QPA_PLATFORM=offscreen ./executar\n"
    '  xvfb-run -a ./executar          (com tela virtual: xvfb-run -a -s "-screen 0 1440x900x24")\n'
    "ou, com o ambiente já preparado, QT_QPA_PLATFORM=offscreen .venv/bin/siops {verbo}"
)


def registrar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("abrir", help="abre o programa (opcionalmente numa declaração .OPS)")
    p.add_argument("arquivo", type=Path, nargs="?", help="a declaração (.OPS) a abrir")
    p.set_defaults(func=cmd_abrir)

    p = sub.add_parser(
        "demo",
        help="demonstração completa: servidor local com usuários de teste e o programa aberto "
        "numa declaração de demonstração",
        description="Cria uma pasta nova de demonstração, inicia o servidor local "
        "(127.0.0.1) com prefeito, secretária de saúde e técnica de Monteiro Lobato/SP, "
        "certificados ICP-Brasil de teste (A1 e, com o SoftHSM2, um token A3) e abre o "
        "programa na declaração do 5º bimestre de 2026 com o Transmissor já configurado. "
        "O servidor é encerrado quando o programa fecha.",
    )
    p.add_argument(
        "--pasta",
        type=Path,
        help="pasta (nova ou vazia) da demonstração; padrão: uma pasta temporária nova",
    )
    p.add_argument(
        "--sem-token", action="store_true", help="não cria o token A3 de teste (SoftHSM2)"
    )
    p.set_defaults(func=cmd_demo)


def sem_tela() -> bool:
    """True on Linux/BSD when Qt has nowhere to draw: no X11/Wayland display and no
    ``QT_QPA_PLATFORM`` chosen (Qt would abort with a core dump instead of a message)."""
    if sys.platform.startswith(("win", "darwin")):
        return False
    return not any(os.environ.get(v) for v in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def _exigir_tela(verbo: str) -> None:
    from siops.app.cli import ErroUsuario

    if sem_tela():
        raise ErroUsuario(MSG_SEM_TELA.format(verbo=verbo), 2)


def cmd_abrir(args: argparse.Namespace) -> int:
    from siops.app.cli import ErroUsuario

    if args.arquivo is not None and not args.arquivo.exists():
        raise ErroUsuario(f"O arquivo {args.arquivo} não existe.", 2)
    _exigir_tela("abrir")
    from siops.app.cliente import executar

    return executar(args.arquivo)


def preparar_demo(pasta: Path) -> Path:
    """Save the demonstration declaration under ``pasta`` (as SIOPS_HOME); return its path."""
    from siops.app.demo_ambiente import salvar_declaracao

    return salvar_declaracao(Path(pasta))


def _pasta_nova(pedida: Path | None) -> Path:
    from siops.app.cli import ErroUsuario

    if pedida is None:
        return Path(tempfile.mkdtemp(prefix="siops-demo-")).resolve()
    pasta = pedida.expanduser().resolve()
    if pasta.exists() and (not pasta.is_dir() or any(pasta.iterdir())):
        raise ErroUsuario(
            f"A pasta {pasta} não está vazia: a demonstração precisa de uma pasta nova "
            "(ou omita --pasta para usar uma temporária).",
            2,
        )
    return pasta


def _dizer(texto: str) -> None:
    print(texto, file=sys.stderr, flush=True)


def apresentar(janela: Any, ambiente: Any) -> None:
    """Show the demonstration's credentials in the window."""
    janela.mostrar_demonstracao(
        ambiente.texto(), f"DEMONSTRAÇÃO — servidor local {ambiente.url.split('://', 1)[-1]}"
    )


class _Sinais:
    """Ctrl+C or SIGTERM in the terminal ends the demonstration cleanly (the server too).

    Before Qt's loop runs, a signal raises ``KeyboardInterrupt`` (the preparation stops what it
    started); once the window is up, it quits the application. Python handles signals only
    when it runs, so a timer wakes it while Qt's loop waits.
    """

    def __init__(self) -> None:
        self.laco_ativo = False
        signal.signal(signal.SIGINT, self._tratar)
        signal.signal(signal.SIGTERM, self._tratar)

    def _tratar(self, _sinal: int, _quadro: object) -> None:
        if not self.laco_ativo:
            raise KeyboardInterrupt
        from PySide6.QtWidgets import QApplication

        _dizer("Encerrando a demonstração…")
        QApplication.quit()

    def laco_iniciado(self, janela: Any) -> None:
        """Called from inside Qt's loop: from now on a signal quits the application."""
        from PySide6.QtCore import QTimer

        self.laco_ativo = True
        despertador = QTimer(janela)
        despertador.setInterval(250)
        despertador.timeout.connect(lambda: None)
        despertador.start()

    @staticmethod
    def restaurar() -> None:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)


def cmd_demo(args: argparse.Namespace) -> int:
    """``siops demo`` (see module docstring)."""
    from siops.app.cli import ErroUsuario
    from siops.app.demo_ambiente import ErroDemo, definir_variaveis, preparar, servidor_disponivel

    _exigir_tela("demo")
    pasta = _pasta_nova(args.pasta)
    _dizer(f"Pasta da demonstração: {pasta}")
    from siops.app.cliente import executar

    if not servidor_disponivel():
        _dizer(
            "O servidor local não faz parte desta instalação: a demonstração abre só a "
            "declaração (sem transmissão)."
        )
        definir_variaveis(pasta)
        return executar(preparar_demo(pasta / "MS-SIOPS"))
    sinais = _Sinais()
    try:
        try:
            ambiente = preparar(pasta, avisar=_dizer, token=not args.sem_token)
        except ErroDemo as exc:
            raise ErroUsuario(f"A demonstração não pôde ser preparada. {exc}", 1) from None
        with ambiente:
            _dizer("")
            _dizer(ambiente.texto())
            _dizer("")
            _dizer("Abrindo o programa…")

            def ao_abrir(janela: Any) -> None:
                apresentar(janela, ambiente)
                sinais.laco_iniciado(janela)

            codigo = executar(ambiente.arquivo, ao_abrir=ao_abrir)
    finally:
        sinais.restaurar()
    _dizer(f"Servidor local encerrado. Os arquivos da demonstração continuam em {pasta}")
    return codigo
