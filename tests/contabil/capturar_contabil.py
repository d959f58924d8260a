"""Screenshot of the accounting-import dialog for docs/contabil.png.

Run under a real X server: ``xvfb-run -a .venv/bin/python tests/contabil/capturar_contabil.py``.
"""

from __future__ import annotations

import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(RAIZ))


def main() -> int:
    """Open the dialog on the 2025 fixture, grab it, save it."""
    from PySide6.QtWidgets import QApplication

    from siops.app.contabil_dialogo import DialogoImportacaoContabil
    from siops.contabil import importar
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    app = QApplication.instance() or QApplication(sys.argv)
    d = Declaracao(ente("M355030"), 2025, 2)
    msc = RAIZ / "tests" / "contabil" / "dados" / "msc_3550308_2025_04.csv"
    dlg = DialogoImportacaoContabil(d, importar(d, [msc]))
    dlg.resize(980, 620)
    dlg.show()
    for _ in range(10):
        app.processEvents()
    saida = RAIZ / "docs"
    dlg.grab().save(str(saida / "contabil.png"))
    dlg.abas.setCurrentIndex(2)
    for _ in range(10):
        app.processEvents()
    dlg.grab().save(str(saida / "contabil_conciliacao.png"))
    dlg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
