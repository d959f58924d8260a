"""Starting the Qt client: the application object, translations, icon, the main window, the
offer to recover a crashed session's edits, and a last-resort error handler that shows a
Portuguese sentence (never a traceback) and writes the details to a log file.

While a new client process starts (from the QApplication to the main window's first frame),
Python's cycle collector waits: loading the program and the declaration allocates some hundred
thousand objects that all stay alive, and collecting them over and over only delays the first
frame. It resumes right after that frame (``ESPERA_COLETA_MS`` at most, for a window that is
never shown).
"""

from __future__ import annotations

import gc
import sys
import tempfile
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from siops.app.traducao import instalar_traducoes

NOME = "SIOPS"
#: The cycle collector resumes this long after the main window's first frame (a zero timer
#: would run in the same pass of the event loop as that frame)…
RETOMAR_COLETA_MS = 40
#: …or this long after the QApplication was created, whichever comes first.
ESPERA_COLETA_MS = 3000

_coleta_adiada = False


def _adiar_coleta() -> None:
    """Pause the cycle collector while the client starts (see module docstring)."""
    global _coleta_adiada
    if gc.isenabled():
        gc.disable()
        _coleta_adiada = True
        QTimer.singleShot(ESPERA_COLETA_MS, retomar_coleta)


def retomar_coleta() -> None:
    """The cycle collector runs again (once the client has started)."""
    global _coleta_adiada
    if _coleta_adiada:
        _coleta_adiada = False
        gc.enable()


def icone() -> QIcon:
    """The program's icon (``resources/icons/siops.svg``; a plain path: importlib.resources
    would cost more start-up time than the whole window's first paint)."""
    from siops import resources

    caminho = Path(resources.__file__).parent / "icons" / "siops.svg"
    return QIcon(str(caminho)) if caminho.is_file() else QIcon()


def criar_aplicacao(argv: list[str] | None = None) -> QApplication:
    """The QApplication (reused when one exists: tests), in Portuguese."""
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else [sys.argv[0]])
        _adiar_coleta()  # a new client process: its first frame first
    assert isinstance(app, QApplication)
    app.setApplicationName(NOME)
    app.setApplicationDisplayName(NOME)
    app.setOrganizationName("SIOPS")
    app.setWindowIcon(icone())
    instalar_traducoes(app)
    return app


def criar_janela(dialogos: Any = None) -> Any:
    """A main window (imported here so that ``siops --help`` never loads Qt widgets)."""
    from siops.app.janela import JanelaPrincipal
    from siops.app.quadro import AoPintar

    janela = JanelaPrincipal(dialogos)
    if _coleta_adiada:
        AoPintar(janela, lambda: QTimer.singleShot(RETOMAR_COLETA_MS, retomar_coleta), janela)
    return janela


def _registro_de_erro() -> Path:
    return Path(tempfile.gettempdir()) / "siops-erro.log"


def _instalar_tratador_de_erros() -> None:
    def tratar(tipo: type[BaseException], valor: BaseException, tb: TracebackType | None) -> None:
        registro = _registro_de_erro()
        try:
            registro.write_text(
                "".join(traceback.format_exception(tipo, valor, tb)), encoding="utf-8"
            )
        except OSError:
            pass
        QMessageBox.critical(
            None,
            NOME,
            "Ocorreu um erro inesperado. Seus dados digitados estão guardados no diário de "
            "recuperação e serão oferecidos de volta ao abrir o programa.\n\n"
            f"Os detalhes técnicos foram gravados em {registro} — envie-o ao suporte.",
        )

    sys.excepthook = tratar


def executar(arquivo: Path | None = None, ao_abrir: Callable[[Any], None] | None = None) -> int:
    """Run the client (``siops`` / ``siops abrir ARQ``) until the window closes.

    ``ao_abrir(janela)`` runs once the window is shown (``siops demo`` uses it to show the
    demonstration's credentials).
    """
    app = criar_aplicacao()
    _instalar_tratador_de_erros()
    janela = criar_janela()
    if arquivo is not None:
        janela.abrir_arquivo(Path(arquivo))
    janela.show()
    QTimer.singleShot(0, janela.oferecer_recuperacao)
    if ao_abrir is not None:
        QTimer.singleShot(0, lambda: ao_abrir(janela))
    return int(app.exec())
