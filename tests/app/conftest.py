"""Fixtures of the client's tests: an isolated MS-SIOPS root and data folder, the real main
window with replaceable dialogs (STYLE habit 9), and helpers that drive it as a clerk would."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

#: The offscreen platform warns on every top-level window whose size hints change; it is the
#: platform's limitation, not ours (qutebrowser ignores it the same way).
IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    pasta = Path(__file__).parent
    for item in items:
        if pasta in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.qt_log_ignore(*IGNORAR_QT))
            item.add_marker(pytest.mark.gui)


@pytest.fixture
def ambiente(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """SIOPS_HOME and SIOPS_DADOS in a temporary folder (no real user data is touched)."""
    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    monkeypatch.setenv("SIOPS_DADOS", str(tmp_path / "dados"))
    return tmp_path


@pytest.fixture
def janela(qtbot: Any, ambiente: Path) -> Iterator[Any]:
    """The real main window, shown, with ``DialogosFalsos`` answering its questions."""
    from siops.app.cliente import criar_aplicacao
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela import JanelaPrincipal

    criar_aplicacao()
    j = JanelaPrincipal()
    j.dialogos = DialogosFalsos(j)
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    yield j
    j.tarefas.aguardar()
    j._pode_fechar = True
    j.close()


class Balcao:
    """Helpers that drive the window as a clerk would (a fixture: test modules here cannot
    import this conftest under ``--import-mode=importlib``)."""

    def __init__(self, qtbot: Any, janela: Any) -> None:
        self.qtbot = qtbot
        self.j = janela

    def esperar_tarefas(self, timeout: int = 15000) -> None:
        """Wait until the background work finished and its callbacks ran."""
        self.qtbot.waitUntil(lambda: not self.j.tarefas.ocupado(), timeout=timeout)

    def criar(self, busca: str, uf: str | None, exercicio: int, bimestre: int) -> None:
        """Arquivo → Nova declaração…: search, pick, period, OK."""
        j = self.j

        def preencher(dlg: Any) -> None:
            dlg.escolher(busca, uf)
            dlg.exercicio.setValue(exercicio)
            dlg.bimestre.setCurrentIndex(bimestre - 1)
            dlg.botoes.button(dlg.botoes.StandardButton.Ok).click()

        j.dialogos.ao_mostrar = preencher
        j.a_nova.trigger()
        self.qtbot.waitUntil(lambda: j.documento is not None, timeout=15000)
        self.esperar_tarefas()
        j.dialogos.ao_mostrar = None

    def digitar(self, vista: Any, linha: str, coluna: str, texto: str) -> None:
        """Select a cell, type the value and press Enter."""
        self.digitar_em(vista, self.pos(vista, linha, coluna), texto)

    def digitar_razao(self, vista: Any, chave: Any, coluna: str, texto: str) -> None:
        """Type a value in a column of a ledger line (its page's table) and press Enter."""
        pos = vista.modelo_razao().posicao_linha(chave, coluna)
        assert pos is not None, (chave, coluna)
        self.digitar_em(vista, pos, texto)

    def incluir_linha(
        self,
        pagina: Any,
        natureza: str,
        planilha: str | None = None,
        subfuncao: str | None = None,
        fonte: str = "",
    ) -> Any:
        """Incluir linha…: fill the dialog as a clerk would (typing the natureza) and press
        Incluir; the dialog is returned (still open when it refused the line)."""
        from PySide6.QtWidgets import QDialogButtonBox

        dlg = pagina.incluir_dialogo()
        if planilha is not None:
            dlg.planilha.setCurrentIndex(dlg.planilha.findData(planilha))
        if subfuncao is not None:
            dlg.subfuncao.setCurrentIndex(dlg.subfuncao.findData(subfuncao))
        self.qtbot.keyClicks(dlg.natureza.lineEdit(), natureza)
        if fonte:
            self.qtbot.keyClicks(dlg.fonte, fonte)
        dlg.botoes.button(QDialogButtonBox.StandardButton.Ok).click()
        return dlg

    def digitar_em(self, vista: Any, pos: tuple[int, int], texto: str) -> None:
        """Select a cell by position, type the value and press Enter."""
        from PySide6.QtCore import Qt

        vista.ir_para(*pos)
        self.qtbot.keyClicks(vista, texto[0])  # the first key opens the editor…
        editor = vista.focusWidget()
        assert editor is not vista and editor.parentWidget() is vista.viewport()
        self.qtbot.keyClicks(editor, texto[1:])  # …which receives the rest
        self.qtbot.keyClick(editor, Qt.Key.Key_Return)
        self.qtbot.waitUntil(lambda: vista.state() != vista.State.EditingState, timeout=3000)

    @staticmethod
    def pos(vista: Any, linha: str, coluna: str) -> tuple[int, int]:
        p = vista.modelo().posicao(linha, coluna)
        assert p is not None, (linha, coluna)
        return p


@pytest.fixture
def balcao(qtbot: Any, janela: Any) -> Balcao:
    return Balcao(qtbot, janela)
