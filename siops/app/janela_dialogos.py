"""Our own small dialogs: the previous-bimestre import preview, the list of impeditivas that
block the transmission copy, a text whose lines must not be broken (the demonstration's
credentials) and the help page (F1). Each is a ``QDialog`` opened with
``open()`` by ``Dialogos.mostrar``; the answer travels by the dialog's ``accepted`` signal."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFrame,
    QLabel,
    QListWidget,
    QScrollArea,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siops.ops_format.importacao import Importacao


class DialogoImportacao(QDialog):
    """Preview of the previous-bimestre import: per pasta, what will be copied and, expandable
    under it, every value that changes (old → new), so nothing is overwritten unseen."""

    def __init__(self, anterior: Path, imp: Importacao, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Importar bimestre anterior")
        self.setObjectName("dialogo_importacao")
        tela = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(max(760, min(980, int(tela.width() * 0.9))), 560)
        caixa = QVBoxLayout(self)
        colunas = _colunas_importaveis(imp)
        texto = QLabel(
            f"Serão copiados de <b>{anterior.name}</b> somente os dados que passam de um "
            "bimestre para o outro: Informações Adicionais, Responsáveis, Instituições"
            + (f" e {colunas}" if colunas else "")
            + ". Os valores realizados (empenhados, liquidados, pagos, arrecadados) não são "
            "copiados. Abra cada pasta para ver o que muda (valor atual → valor importado)."
        )
        texto.setWordWrap(True)
        caixa.addWidget(texto)
        self.arvore = QTreeWidget()
        self.arvore.setObjectName("arvore_importacao")
        self.arvore.setHeaderLabels(["Pasta / item", "Muda de → para"])
        self.arvore.setUniformRowHeights(True)
        self.arvore.header().setStretchLastSection(True)
        for p in imp.pastas:
            mudancas = imp.mudancas_da_pasta(p.pasta)
            item = QTreeWidgetItem(
                [
                    f"{p.titulo}: {p.campos + p.celulas} item(ns)",
                    f"{len(mudancas)} mudança(s)" if mudancas else "nada muda",
                ]
            )
            for m in mudancas:
                filho = QTreeWidgetItem([m.descricao, f"{m.antes or '(vazio)'} → {m.depois}"])
                filho.setToolTip(0, m.texto())
                filho.setToolTip(1, m.texto())
                item.addChild(filho)
            self.arvore.addTopLevelItem(item)
        if not imp.pastas:
            self.arvore.addTopLevelItem(QTreeWidgetItem(["Nenhum valor a importar.", ""]))
        # Both columns whole where the window allows: the item's name as wide as the
        # longest, "old → new" takes the rest (the tooltip has the whole change).
        self.arvore.expandAll()
        self.arvore.resizeColumnToContents(0)
        self.arvore.setColumnWidth(0, min(self.arvore.columnWidth(0) + 12, 420))
        self.arvore.collapseAll()
        caixa.addWidget(self.arvore, 1)
        detalhe = QLabel(imp.resumo())
        detalhe.setWordWrap(True)
        caixa.addWidget(detalhe)
        rodape = QLabel(
            f"Total: {imp.total_campos + imp.total_celulas} item(ns), {len(imp.mudancas)} "
            "mudança(s). A importação pode ser desfeita com Editar → Desfazer."
        )
        caixa.addWidget(rodape)
        botoes = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        botoes.button(QDialogButtonBox.StandardButton.Ok).setText("Importar")
        botoes.accepted.connect(self.accept)
        botoes.rejected.connect(self.reject)
        caixa.addWidget(botoes)

    def textos_mudancas(self) -> list[str]:
        """Every change as one line (what a test or a screen reader reads)."""
        linhas = []
        for i in range(self.arvore.topLevelItemCount()):
            item = self.arvore.topLevelItem(i)
            if item is None:
                continue
            for k in range(item.childCount()):
                f = item.child(k)
                if f is not None:
                    linhas.append(f"{f.text(0)}: {f.text(1)}")
        return linhas


def _colunas_importaveis(imp: Importacao) -> str:
    """'previsão inicial, previsão atualizada, dotação inicial e dotação atualizada', from the
    catalog's flags (one source of truth)."""
    nomes: dict[str, None] = {}
    for t in imp.atual.catalogo.tabelas.values():
        for c in t.colunas:
            if c.importavel:
                nomes[c.titulo.lower()] = None
    lista = list(nomes)
    if len(lista) <= 1:
        return "".join(lista)
    return ", ".join(lista[:-1]) + " e " + lista[-1]


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


class DialogoTexto(QDialog):
    """A text of lines that must stay whole (credentials, paths, numbered steps): each line on
    one line, selectable, with Copiar. The box is as wide as the longest line, within the
    screen; a narrower screen scrolls sideways rather than break a line mid-phrase (what a
    message box does to it)."""

    def __init__(self, titulo: str, texto: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(titulo)
        self.setObjectName("dialogo_texto")
        caixa = QVBoxLayout(self)
        self.rotulo = QLabel(texto)
        self.rotulo.setObjectName("texto_inteiro")
        self.rotulo.setTextFormat(Qt.TextFormat.PlainText)
        self.rotulo.setWordWrap(False)
        self.rotulo.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.rotulo.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.rotulo.setContentsMargins(8, 8, 8, 8)
        self.rolagem = QScrollArea()
        self.rolagem.setFrameShape(QFrame.Shape.StyledPanel)
        self.rolagem.setWidget(self.rotulo)
        self.rolagem.setWidgetResizable(True)
        caixa.addWidget(self.rolagem, 1)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        copiar = botoes.addButton("&Copiar", QDialogButtonBox.ButtonRole.ActionRole)
        copiar.clicked.connect(lambda: QGuiApplication.clipboard().setText(texto))
        botoes.accepted.connect(self.accept)
        caixa.addWidget(botoes)
        self._dimensionar()

    def _dimensionar(self) -> None:
        dica = self.rotulo.sizeHint()
        barra = self.rolagem.verticalScrollBar().sizeHint().width()
        caixa = self.layout()
        margem = caixa.contentsMargins().left() if caixa is not None else 12
        largura = dica.width() + 2 * self.rolagem.frameWidth() + barra + margem * 2
        altura = dica.height() + 2 * self.rolagem.frameWidth() + 90
        tela = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(min(largura, int(tela.width() * 0.95)), min(altura, int(tela.height() * 0.9)))


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
