"""Qt's own texts in Portuguese (STYLE habit 14): "Sim/Não/Cancelar", the file dialogs, the
context menus of line edits. The wheel ships ``qtbase_pt_BR.qm``; ``qtbase_pt`` is the
fallback name of older releases. The default locale becomes pt-BR, so Qt's number widgets
use the Brazilian separators too.
"""

from __future__ import annotations

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

_tradutores: list[QTranslator] = []  # must outlive the application's use of them


def instalar_traducoes(app: QApplication) -> bool:
    """Load Qt's Brazilian Portuguese translations; True when one was found."""
    QLocale.setDefault(QLocale(QLocale.Language.Portuguese, QLocale.Country.Brazil))
    if _tradutores:
        return True
    pasta = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for nome in ("qtbase_pt_BR", "qtbase_pt", "qt_pt_BR"):
        t = QTranslator(app)
        if t.load(nome, pasta):
            app.installTranslator(t)
            _tradutores.append(t)
            return True
    return False
