"""Os diálogos da janela atrás de um objeto pequeno, substituível nos testes (STYLE hábito 9).

Tudo abre com ``open()`` e responde por retorno de chamada, exceto o PIN: ele é pedido por uma
thread de trabalho que espera a resposta (``gui.pin``), por isso ``pin`` é síncrono.
``DialogosFalsos`` responde de listas e anota o que foi mostrado (testes e captura de tela).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLineEdit,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class DialogoRecibo(QDialog):
    """Mostra o recibo (conferido ou não) e permite imprimi-lo."""

    def __init__(self, pai: QWidget | None, titulo: str, html: str) -> None:
        super().__init__(pai)
        self.setWindowTitle(titulo)
        self.resize(620, 440)
        lay = QVBoxLayout(self)
        self.texto = QTextBrowser(self)
        self.texto.setHtml(html)
        lay.addWidget(self.texto)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        self.botao_imprimir = botoes.addButton("Imprimir…", QDialogButtonBox.ButtonRole.ActionRole)
        self.botao_imprimir.clicked.connect(self.imprimir)
        botoes.rejected.connect(self.reject)
        lay.addWidget(botoes)

    def imprimir(self) -> None:
        """Abre o diálogo de impressão (ou "imprimir para PDF") do sistema."""
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        impressora = QPrinter(QPrinter.PrinterMode.HighResolution)
        dlg = QPrintDialog(impressora, self)
        dlg.accepted.connect(lambda: self.texto.document().print_(impressora))
        # PySide6's stubs give QPrintDialog.open only its (receiver, member) overload; the
        # QDialog.open() it inherits (window-modal, no arguments) exists at run time.
        dlg.open()  # type: ignore[call-arg]


class Dialogos:
    """Diálogos de verdade, modais na janela, com retorno de chamada."""

    def __init__(self, pai: QWidget) -> None:
        self.pai = pai
        self._abertos: list[Any] = []

    def _guardar(self, w: Any) -> None:
        self._abertos.append(w)
        w.finished.connect(lambda *_: self._abertos.remove(w) if w in self._abertos else None)

    def avisar(self, titulo: str, texto: str, icone: str = "info", detalhes: str = "") -> None:
        """Uma mensagem com OK ("info", "aviso" ou "erro")."""
        icones = {
            "info": QMessageBox.Icon.Information,
            "aviso": QMessageBox.Icon.Warning,
            "erro": QMessageBox.Icon.Critical,
        }
        caixa = QMessageBox(icones[icone], titulo, texto, QMessageBox.StandardButton.Ok, self.pai)
        if detalhes:
            caixa.setDetailedText(detalhes)
        self._guardar(caixa)
        caixa.open()

    def senha(self, titulo: str, texto: str, ao_responder: Callable[[str | None], None]) -> None:
        """Pede uma senha (campo oculto); ``None`` se cancelado."""
        dlg = QInputDialog(self.pai)
        dlg.setWindowTitle(titulo)
        dlg.setLabelText(texto)
        dlg.setTextEchoMode(QLineEdit.EchoMode.Password)
        dlg.accepted.connect(lambda: ao_responder(dlg.textValue() or None))
        dlg.rejected.connect(lambda: ao_responder(None))
        self._guardar(dlg)
        dlg.open()

    def confirmar(self, titulo: str, texto: str, ao_responder: Callable[[bool], None]) -> None:
        """Pergunta Sim/Não; ``ao_responder(True)`` só no Sim."""
        b = QMessageBox.StandardButton
        caixa = QMessageBox(QMessageBox.Icon.Question, titulo, texto, b.Yes | b.No, self.pai)
        caixa.setDefaultButton(b.No)
        caixa.finished.connect(
            lambda _c: ao_responder(caixa.standardButton(caixa.clickedButton()) == b.Yes)
        )
        self._guardar(caixa)
        caixa.open()

    def pin(self, token: str, aviso: str | None) -> str | None:
        """O PIN do token (síncrono: quem pede é a thread de trabalho, que espera)."""
        from siops.transmissor.gui.pin import dialogo_pin

        return dialogo_pin(self.pai)(token, aviso)

    def escolher_pasta(self, inicial: Path, ao_escolher: Callable[[Path], None]) -> None:
        """ "Buscar arquivo na pasta": escolhe a pasta ``transm`` de um bimestre."""
        dlg = QFileDialog(self.pai, "Escolha a pasta transm do bimestre", str(inicial))
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.fileSelected.connect(lambda p: ao_escolher(Path(p)))
        self._guardar(dlg)
        dlg.open()

    def escolher_arquivo(
        self, titulo: str, inicial: Path, filtro: str, ao_escolher: Callable[[Path], None]
    ) -> None:
        """Escolhe um arquivo (certificado A1, pacote de ACs, módulo PKCS#11)."""
        dlg = QFileDialog(self.pai, titulo, str(inicial), filtro)
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.fileSelected.connect(lambda p: ao_escolher(Path(p)))
        self._guardar(dlg)
        dlg.open()

    def recibo(self, titulo: str, html: str) -> None:
        """Mostra um recibo."""
        dlg = DialogoRecibo(self.pai, titulo, html)
        self._guardar(dlg)
        dlg.open()


class DialogosFalsos:
    """Responde sem mostrar nada: ``senhas``, ``pins``, ``pastas`` e ``arquivos`` são filas de respostas."""

    def __init__(self, _pai: QWidget | None = None) -> None:
        self.senhas: list[str | None] = []
        self.pins: list[str | None] = []
        self.pastas: list[Path] = []
        self.arquivos: list[Path] = []
        self.mostrados: list[tuple[str, str, str]] = []
        self.recibos: list[tuple[str, str]] = []
        self.confirmacoes: list[bool] = []
        self.perguntas: list[tuple[str, str]] = []
        self.avisos_pin: list[str | None] = []  # o aviso de cada pedido de PIN (tentativas)

    def avisar(self, titulo: str, texto: str, icone: str = "info", detalhes: str = "") -> None:
        self.mostrados.append((icone, titulo, texto + (f"\n{detalhes}" if detalhes else "")))

    def senha(self, _titulo: str, _texto: str, ao_responder: Callable[[str | None], None]) -> None:
        ao_responder(self.senhas.pop(0) if self.senhas else None)

    def confirmar(self, titulo: str, texto: str, ao_responder: Callable[[bool], None]) -> None:
        self.perguntas.append((titulo, texto))
        ao_responder(self.confirmacoes.pop(0) if self.confirmacoes else False)

    def pin(self, _token: str, aviso: str | None) -> str | None:
        self.avisos_pin.append(aviso)
        return self.pins.pop(0) if self.pins else None

    def escolher_pasta(self, _inicial: Path, ao_escolher: Callable[[Path], None]) -> None:
        if self.pastas:
            ao_escolher(self.pastas.pop(0))

    def escolher_arquivo(
        self, _t: str, _i: Path, _f: str, ao_escolher: Callable[[Path], None]
    ) -> None:
        if self.arquivos:
            ao_escolher(self.arquivos.pop(0))

    def recibo(self, titulo: str, html: str) -> None:
        self.recibos.append((titulo, html))
