"""The window's dialogs behind one small object, so tests can replace it (STYLE habit 9).

Every dialog is opened with ``open()`` and answers through a callback: nothing here calls
``exec()``, which would block a test run and nest event loops. ``DialogosFalsos`` (used by the
tests and by the screenshot script) answers from a list and records what was asked.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QIdentityProxyModel, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileSystemModel, QWidget


class Resposta(enum.Enum):
    """A user's answer to a question."""

    SIM = "sim"
    NAO = "nao"
    CANCELAR = "cancelar"
    OK = "ok"


def _icone(nome: str) -> Any:
    from PySide6.QtWidgets import QMessageBox

    return {
        "pergunta": QMessageBox.Icon.Question,
        "info": QMessageBox.Icon.Information,
        "aviso": QMessageBox.Icon.Warning,
        "erro": QMessageBox.Icon.Critical,
    }[nome]


class DatasBrasileiras(QIdentityProxyModel):
    """The file dialog's "Data de modificação" column as ``dd/mm/aaaa hh:mm`` (Qt's own text
    follows the system locale, which a Debian machine without ``LANG`` leaves as "4 12 2026")."""

    COLUNA_DATA = 3

    def data(self, index: Any, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and index.column() == self.COLUNA_DATA:
            fonte = self.sourceModel()
            if isinstance(fonte, QFileSystemModel):
                quando = fonte.lastModified(self.mapToSource(index))
                if quando.isValid():
                    return quando.toString("dd/MM/yyyy HH:mm")
        return super().data(index, role)


#: Labels Qt's pt_BR translation leaves in English in its own (non-native) file dialog.
ROTULOS_ARQUIVO = {
    "LookIn": "&Examinar:",
    "FileName": "&Nome do arquivo:",
    "FileType": "&Tipo de arquivo:",
    "Reject": "Cancelar",
}


def dialogo_arquivo(
    pai: QWidget, titulo: str, pasta: Path, filtro: str, *, salvar: bool = False
) -> Any:
    """Qt's own file dialog (the same on every desktop, and testable) entirely in pt-BR, wide
    enough for its columns, with dates as ``dd/mm/aaaa``."""
    from PySide6.QtWidgets import QFileDialog, QHeaderView, QTreeView

    dlg = QFileDialog(pai, titulo, str(pasta), filtro)
    dlg.setOption(QFileDialog.Option.DontUseNativeDialog, True)
    dlg.setViewMode(QFileDialog.ViewMode.Detail)
    for nome, texto in ROTULOS_ARQUIVO.items():
        dlg.setLabelText(getattr(QFileDialog.DialogLabel, nome), texto)
    dlg.setLabelText(QFileDialog.DialogLabel.Accept, "&Salvar" if salvar else "&Abrir")
    proxy = DatasBrasileiras(dlg)
    dlg.setProxyModel(proxy)
    dlg.resize(960, 560)
    arvore = dlg.findChild(QTreeView, "treeView")
    if arvore is not None:
        hh = arvore.header()
        hh.setStretchLastSection(False)
        hh.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for c in (1, 2, 3):
            hh.setSectionResizeMode(c, QHeaderView.ResizeMode.ResizeToContents)
    return dlg


class Dialogos:
    """Real dialogs, window-modal, answered through callbacks."""

    def __init__(self, pai: QWidget) -> None:
        self.pai = pai
        self._abertos: list[Any] = []  # keep Python wrappers alive while shown

    def _guardar(self, w: Any) -> None:
        self._abertos.append(w)
        w.finished.connect(lambda *_: self._abertos.remove(w) if w in self._abertos else None)

    def perguntar(
        self,
        titulo: str,
        texto: str,
        ao_responder: Callable[[Resposta], object],
        *,
        cancelar: bool = False,
        detalhes: str = "",
        icone: str = "pergunta",
    ) -> None:
        """Sim/Não (and Cancelar) question; the callback gets the ``Resposta``."""
        from PySide6.QtWidgets import QMessageBox

        b = QMessageBox.StandardButton
        botoes = b.Yes | b.No | (b.Cancel if cancelar else b.NoButton)
        caixa = QMessageBox(_icone(icone), titulo, texto, botoes, self.pai)
        caixa.setDefaultButton(b.Yes)
        if cancelar:
            caixa.setEscapeButton(b.Cancel)
        if detalhes:
            caixa.setInformativeText(detalhes)

        def fim(_codigo: int) -> None:
            botao = caixa.standardButton(caixa.clickedButton())
            if botao == b.Yes:
                ao_responder(Resposta.SIM)
            elif botao == b.No:
                ao_responder(Resposta.NAO)
            else:
                ao_responder(Resposta.CANCELAR)

        caixa.finished.connect(fim)
        self._guardar(caixa)
        caixa.open()

    def informar(
        self,
        titulo: str,
        texto: str,
        *,
        icone: str = "info",
        detalhes: str = "",
        ao_fechar: Callable[[], object] | None = None,
    ) -> None:
        """A message with an OK button."""
        from PySide6.QtWidgets import QMessageBox

        caixa = QMessageBox(_icone(icone), titulo, texto, QMessageBox.StandardButton.Ok, self.pai)
        if detalhes:
            caixa.setInformativeText(detalhes)
        if ao_fechar is not None:
            caixa.finished.connect(lambda *_: ao_fechar())
        self._guardar(caixa)
        caixa.open()

    def mostrar_texto(self, titulo: str, texto: str) -> None:
        """A text whose lines must stay whole (the demonstration's credentials): every line
        on one line, selectable, never wrapped mid-phrase as a message box would."""
        from siops.app.janela_dialogos import DialogoTexto

        dlg = DialogoTexto(titulo, texto, self.pai)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.mostrar(dlg)

    def escolher_abrir(
        self, titulo: str, pasta: Path, filtro: str, ao_escolher: Callable[[Path], object]
    ) -> None:
        """Choose an existing file."""
        from PySide6.QtWidgets import QFileDialog

        dlg = dialogo_arquivo(self.pai, titulo, pasta, filtro)
        dlg.setFileMode(QFileDialog.FileMode.ExistingFile)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dlg.fileSelected.connect(lambda s: ao_escolher(Path(s)))
        self._guardar(dlg)
        dlg.open()

    def escolher_varios(
        self, titulo: str, pasta: Path, filtro: str, ao_escolher: Callable[[list[Path]], object]
    ) -> None:
        """Choose one or more existing files (the months of an MSC)."""
        from PySide6.QtWidgets import QFileDialog

        dlg = dialogo_arquivo(self.pai, titulo, pasta, filtro)
        dlg.setFileMode(QFileDialog.FileMode.ExistingFiles)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptOpen)
        dlg.filesSelected.connect(lambda lista: ao_escolher([Path(s) for s in lista]))
        self._guardar(dlg)
        dlg.open()

    def escolher_salvar(
        self,
        titulo: str,
        sugerido: Path,
        filtro: str,
        ao_escolher: Callable[[Path], object],
        *,
        sufixo: str = "OPS",
    ) -> None:
        """Choose where to save (the dialog asks before overwriting); a name typed without
        extension gets ``sufixo``."""
        from PySide6.QtWidgets import QFileDialog

        dlg = dialogo_arquivo(self.pai, titulo, sugerido, filtro, salvar=True)
        dlg.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dlg.setDefaultSuffix(sufixo)
        dlg.selectFile(str(sugerido))
        dlg.fileSelected.connect(lambda s: ao_escolher(Path(s)))
        self._guardar(dlg)
        dlg.open()

    def mostrar(self, dialogo: Any) -> None:
        """Show one of our own QDialogs window-modally (its signals carry the answer)."""
        self._guardar(dialogo)
        dialogo.open()

    def abrir_externo(self, caminho: Path) -> bool:
        """Open a file (a report's PDF) in the system's viewer; False when there is none."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(caminho)))


class DialogosFalsos(Dialogos):
    """Answers from a queue, asynchronously like the real ones, and records every call.

    ``respostas`` is a list of ``Resposta`` (for ``perguntar``) consumed in order; ``arquivos``
    a list of paths for the file dialogs (a list of paths for ``escolher_varios``); our own
    QDialogs are given to ``ao_mostrar`` (or accepted as they are). ``salvamentos`` records
    what each save dialog proposed (title, suggested path, filter); ``visualizador`` says
    whether the machine has a PDF program (``abrir_externo``).
    """

    def __init__(
        self,
        pai: QWidget,
        respostas: list[Resposta] | None = None,
        arquivos: list[Path] | None = None,
        ao_mostrar: Callable[[Any], object] | None = None,
    ) -> None:
        super().__init__(pai)
        self.respostas = list(respostas or [])
        self.arquivos = list(arquivos or [])
        self.ao_mostrar = ao_mostrar
        self.perguntas: list[tuple[str, str]] = []
        self.mensagens: list[tuple[str, str, str]] = []
        self.externos: list[Path] = []
        self.mostrados: list[Any] = []
        self.salvamentos: list[tuple[str, Path, str]] = []
        self.visualizador = True

    def perguntar(self, titulo, texto, ao_responder, *, cancelar=False, detalhes="", icone=""):
        self.perguntas.append((titulo, texto))
        r = self.respostas.pop(0) if self.respostas else Resposta.CANCELAR
        QTimer.singleShot(0, lambda: ao_responder(r))

    def informar(self, titulo, texto, *, icone="info", detalhes="", ao_fechar=None):
        self.mensagens.append((titulo, texto, detalhes))
        if ao_fechar is not None:
            QTimer.singleShot(0, ao_fechar)

    def mostrar_texto(self, titulo, texto):
        self.mensagens.append((titulo, texto, ""))

    def escolher_abrir(self, titulo, pasta, filtro, ao_escolher):
        if self.arquivos:
            p = self.arquivos.pop(0)
            QTimer.singleShot(0, lambda: ao_escolher(p))

    def escolher_salvar(self, titulo, sugerido, filtro, ao_escolher, *, sufixo="OPS"):
        self.salvamentos.append((titulo, Path(sugerido), filtro))
        self.escolher_abrir(titulo, sugerido, filtro, ao_escolher)

    def escolher_varios(self, titulo, pasta, filtro, ao_escolher):
        if self.arquivos:
            p = self.arquivos.pop(0)
            lista = [Path(x) for x in p] if isinstance(p, list | tuple) else [Path(p)]
            QTimer.singleShot(0, lambda: ao_escolher(lista))

    def mostrar(self, dialogo):
        self.mostrados.append(dialogo)
        responder = self.ao_mostrar
        if responder is not None:
            QTimer.singleShot(0, lambda: responder(dialogo))

    def abrir_externo(self, caminho):
        if not self.visualizador:
            return False
        self.externos.append(Path(caminho))
        return True
