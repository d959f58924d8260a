"""Our own small dialogs: the previous-bimestre import preview, the list of impeditivas that
block the transmission copy, and the help page (F1). Each is a ``QDialog`` opened with
``open()`` by ``Dialogos.mostrar``; the answer travels by the dialog's ``accepted`` signal."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)


class DialogoImportacao(QDialog):
    """Preview of the previous-bimestre import: what will be copied, per pasta."""

    def __init__(
        self,
        anterior: Path,
        contagens: list[tuple[str, int]],
        resumo: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importar bimestre anterior")
        self.setObjectName("dialogo_importacao")
        self.resize(560, 380)
        caixa = QVBoxLayout(self)
        texto = QLabel(
            f"Serão copiados de <b>{anterior.name}</b> somente os dados que passam de um "
            "bimestre para o outro: Informações Adicionais, Responsáveis, Instituições, "
            "Previsão Atualizada das receitas e Dotação Atualizada das despesas. Os valores "
            "realizados (empenhados, liquidados, pagos, arrecadados) não são copiados."
        )
        texto.setWordWrap(True)
        caixa.addWidget(texto)
        self.lista = QListWidget()
        total = 0
        for pasta, n in contagens:
            self.lista.addItem(f"{pasta}: {n} item(ns)")
            total += n
        if not contagens:
            self.lista.addItem("Nenhum valor a importar.")
        caixa.addWidget(self.lista)
        if resumo:
            detalhe = QLabel(resumo)
            detalhe.setWordWrap(True)
            caixa.addWidget(detalhe)
        rodape = QLabel(
            f"Total: {total} item(ns). A importação pode ser desfeita com Editar → Desfazer."
        )
        caixa.addWidget(rodape)
        botoes = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        botoes.button(QDialogButtonBox.StandardButton.Ok).setText("Importar")
        botoes.accepted.connect(self.accept)
        botoes.rejected.connect(self.reject)
        caixa.addWidget(botoes)


class DialogoImpeditivas(QDialog):
    """Why the transmission copy was refused: the impeditivas, each with where to look."""

    def __init__(self, linhas: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Gravar arquivo para transmissão")
        self.setObjectName("dialogo_impeditivas")
        self.resize(720, 420)
        caixa = QVBoxLayout(self)
        texto = QLabel(
            f"<b>O arquivo para transmissão não foi gravado.</b><br>Há {len(linhas)} "
            "crítica(s) impeditiva(s): elas afetam o cálculo do percentual mínimo e impedem a "
            "transmissão. Corrija-as (a lista também está no painel Críticas; clique duas "
            "vezes numa crítica para ir à célula) e grave novamente."
        )
        texto.setWordWrap(True)
        caixa.addWidget(texto)
        self.lista = QListWidget()
        self.lista.addItems(linhas)
        self.lista.setWordWrap(True)
        caixa.addWidget(self.lista)
        suporte = QLabel(
            "Se não conseguir resolver uma crítica, envie o arquivo .OPS compactado (ZIP) ao "
            "suporte do SIOPS (atendimento em até 72 h). Dúvidas: Disque Saúde 136, opção 8, "
            "depois 6."
        )
        suporte.setWordWrap(True)
        caixa.addWidget(suporte)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        botoes.accepted.connect(self.accept)
        caixa.addWidget(botoes)


def texto_ajuda() -> str:
    """The help page (``resources/ajuda.html``)."""
    try:
        return files("siops.resources").joinpath("ajuda.html").read_text(encoding="utf-8")
    except (OSError, FileNotFoundError):
        return "<h1>Ajuda</h1><p>A página de ajuda não foi encontrada nesta instalação.</p>"


class DialogoAjuda(QDialog):
    """The help page in a non-modal window (F1)."""

    def __init__(self, parent: QWidget | None = None, ancora: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Ajuda do SIOPS")
        self.setObjectName("dialogo_ajuda")
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.resize(820, 640)
        caixa = QVBoxLayout(self)
        self.navegador = QTextBrowser()
        self.navegador.setOpenExternalLinks(False)
        self.navegador.setHtml(texto_ajuda())
        if ancora:
            self.navegador.scrollToAnchor(ancora)
        caixa.addWidget(self.navegador)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        botoes.rejected.connect(self.close)
        caixa.addWidget(botoes)

    def ir(self, ancora: str) -> Any:
        self.navegador.scrollToAnchor(ancora)
