"""Screenshots of the client for docs/: the main window with a filled declaration, the críticas
dock, and the new-declaration dialog.

Run under a real X server of the documented size:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/capturas.py

It writes ``docs/cliente-janela.png``, ``docs/cliente-criticas.png``,
``docs/cliente-nova.png``, ``docs/cliente-inicio.png`` (welcome screen) and
``docs/cliente-dados-gerais.png`` (the text-field form). The declaration is the demonstration one (``forms.demo``) saved in a
temporary MS-SIOPS folder; nothing of the user's is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="siops-capturas-"))
    os.environ["SIOPS_HOME"] = str(tmp / "MS-SIOPS")
    os.environ["SIOPS_DADOS"] = str(tmp / "dados")
    from decimal import Decimal

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtTest import QTest

    from app.cliente import criar_aplicacao, criar_janela
    from app.cmd_cliente import preparar_demo
    from app.dialogos import DialogosFalsos
    from app.janela_nova import DialogoNovaDeclaracao
    from forms.declaracao import DefinirCelula

    app = criar_aplicacao()
    docs = RAIZ / "docs"
    docs.mkdir(exist_ok=True)
    arquivo = preparar_demo(tmp / "MS-SIOPS")
    j = criar_janela()
    j.dialogos = DialogosFalsos(j)
    j.resize(1440, 860)
    j.move(0, 0)
    j.show()
    QTest.qWait(200)
    j.grab().save(str(docs / "cliente-inicio.png"))  # the welcome screen, recent list empty
    assert j.abrir_arquivo(arquivo)
    # An impeditiva on purpose, so the dock and the red marks show.
    doc = j.documento
    emp = doc.declaracao.valor(("despesas_asps", "s301_33", "empenhada"))
    doc.executar(DefinirCelula(("despesas_asps", "s301_33", "liquidada"), emp + Decimal("1500")))
    j.dock.hide()
    j.mostrar_pagina("tabela:receitas_base")
    v = j.vista("receitas_base")
    v.ir_para(*v.modelo().posicao("iss", "realizada"))
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-janela.png"))

    j.dock.show()
    j.resizeDocks([j.dock], [300], Qt.Orientation.Vertical)
    j.mostrar_pagina("tabela:despesas_asps")
    j.ir_para_celula("despesas_asps", "s301_33", "liquidada")
    vd = j.vista("despesas_asps")
    vd.setCurrentIndex(vd.modelo().index(vd.currentIndex().row() + 1, 1))  # the red cell shows
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-criticas.png"))

    j.dock.hide()
    j.mostrar_pagina("form:dados_gerais")
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-dados-gerais.png"))

    dlg = DialogoNovaDeclaracao(j, hoje=QDate(2026, 5, 10).toPython())
    dlg.escolher("sao jose", None)
    dlg.show()
    QTest.qWait(300)
    dlg.grab().save(str(docs / "cliente-nova.png"))
    dlg.close()

    j._pode_fechar = True
    j.close()
    app.processEvents()
    for nome in (
        "cliente-janela.png",
        "cliente-criticas.png",
        "cliente-nova.png",
        "cliente-inicio.png",
        "cliente-dados-gerais.png",
    ):
        print(docs / nome)
    return 0


if __name__ == "__main__":
    sys.exit(main())
