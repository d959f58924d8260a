"""Screenshots of the demo's A3 homologation in the Transmissor window (issue 21).

Run under a real X server:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/captura_a3.py

It prepares ``siops demo`` in a temporary folder (the real local server, the test hierarchy,
the gestora's SoftHSM2 token holding only her certificate), opens the Transmissor with the
demo's settings, lets the técnica transmit with her A1, then homologates with the TOKEN — the
step that used to fail with "não foi emitido por uma AC confiável" — and writes:

* ``docs/transmissor-a3-homologar.png``: the real question "Homologar dados" over the window,
  naming whose certificate signs (CPF masked, issuing AC, valid until);
* ``docs/transmissor-a3-homologado.png``: the window after "Homologação concluída" (the file
  "homologado", the status line saying the signed demonstrativo was sent).

The dialogs are the real ones (``gui.dialogos.Dialogos``), except the A1 password and the PIN,
typed by the script. Exit 0 when both images were written.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def _esperar(condicao, segundos: float = 120.0) -> None:
    from PySide6.QtWidgets import QApplication

    fim = time.monotonic() + segundos
    while not condicao():
        QApplication.processEvents()
        if time.monotonic() > fim:
            raise TimeoutError("a janela não chegou ao estado esperado a tempo")
        time.sleep(0.02)


def _caixa(titulo: str):
    """The open QMessageBox with this title (the real dialogs open window-modal)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    for w in QApplication.topLevelWidgets():
        if isinstance(w, QMessageBox) and w.isVisible() and w.windowTitle() == titulo:
            return w
    return None


def _responder(titulo: str, botao) -> str:
    """Waits for the question ``titulo``, clicks ``botao`` and returns its text."""
    _esperar(lambda: _caixa(titulo) is not None)
    caixa = _caixa(titulo)
    texto = caixa.text()
    caixa.button(botao).click()
    return texto


def _grab(app, j, destino: Path) -> None:
    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    QTest.qWait(400)
    origem = j.mapToGlobal(QPoint(0, 0))
    tela = app.primaryScreen().grabWindow(0, origem.x(), origem.y(), j.width(), j.height())
    tela.save(str(destino))


def main() -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "xcb")
    pasta = Path(tempfile.mkdtemp(prefix="siops-captura-a3-"))
    from PySide6.QtWidgets import QApplication, QMessageBox

    from siops.app.demo_ambiente import PIN_TOKEN, SENHA_PFX, preparar
    from siops.criticas import verificar
    from siops.ops_format import gravar_transmissao, ler
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.gui.dialogos import Dialogos
    from siops.transmissor.gui.janela import JanelaTransmissor, instalar_traducoes

    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    instalar_traducoes(app)
    docs = RAIZ / "docs"
    amb = preparar(pasta, token=True)
    try:
        if not amb.modulo_token:
            print(f"Sem token A3: {amb.aviso_token}", file=sys.stderr)
            return 1
        d = ler(amb.arquivo)
        copia = gravar_transmissao(d, amb.arquivo, verificar(d))

        class DialogosCaptura(Dialogos):
            """The real dialogs; the A1 password and the token PIN typed by the script."""

            def senha(self, _titulo, _texto, ao_responder) -> None:
                ao_responder(SENHA_PFX)

            def pin(self, _token, _aviso):
                return PIN_TOKEN

        config = Configuracoes.carregar(pasta / "transmissor")
        j = JanelaTransmissor(config=config)
        j.dialogos = DialogosCaptura(j)
        j.resize(1100, 700)
        j.move(0, 0)
        j.show()
        j.abrir_pasta(copia.parent)

        # the técnica: Entrar, Transmitir with her A1 (the question, then the result)
        j.senha_edit.setText(amb.senha_tecnico)
        j.entrar()
        _esperar(lambda: "Conectado como" in j.rotulo_sessao.text())
        j.radio_a1.setChecked(True)
        j.transmitir()
        _responder("Transmitir", QMessageBox.StandardButton.Yes)
        _esperar(lambda: j.modelo.estado(0).estado == "transmitido")
        _responder("Transmissão concluída", QMessageBox.StandardButton.Ok)

        # the gestora: the A3 token, Homologar — the question names whose certificate signs
        j.radio_token.setChecked(True)
        j.modulo_combo.setCurrentText(amb.modulo_token)
        j.token_combo.setCurrentText(amb.rotulo_token or "")
        j.tabela.selectRow(0)
        j.homologar()
        _esperar(lambda: _caixa("Homologar dados") is not None)
        _grab(app, j, docs / "transmissor-a3-homologar.png")
        texto = _responder("Homologar dados", QMessageBox.StandardButton.Yes)
        concluida = _responder("Homologação concluída", QMessageBox.StandardButton.Ok)
        _esperar(lambda: not j.tarefas.ocupado())
        j.tabela.clearSelection()
        _grab(app, j, docs / "transmissor-a3-homologado.png")
        print(concluida)
        print(texto)
        print(f"Situação: {j.modelo.estado(0).texto}")
        j.close()
        app.processEvents()
    finally:
        amb.parar()
    print("docs/transmissor-a3-homologar.png e docs/transmissor-a3-homologado.png escritos.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
