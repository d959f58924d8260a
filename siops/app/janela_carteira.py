"""A janela "Carteira de entes" (issue 26): todas as declarações sob MS-SIOPS ou uma pasta
escolhida, com ente, exercício, bimestre, críticas, percentual e a situação pelos recibos;
ordenável (clique no cabeçalho) e filtrável (texto, situação, só com impeditivas); ações na
seleção: validar, gravar para transmissão, abrir no Transmissor e abrir a declaração.

O núcleo é ``app.carteira`` (sem Qt); ler os arquivos e gravar as cópias roda fora da thread da
interface (``Tarefas``, com progresso), um arquivo depois do outro.
"""

from __future__ import annotations

import time
import unicodedata
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from siops.app import carteira
from siops.app.carteira import ORDEM_SITUACAO, SITUACOES, ItemCarteira, ResultadoAcao

Indice = QModelIndex | QPersistentModelIndex

COLUNAS = (
    "Ente",
    "UF",
    "Exercício",
    "Bimestre",
    "Impeditivas",
    "Avisos",
    "% ASPS",
    "Situação",
    "Arquivo",
)
PAPEL_ITEM = Qt.ItemDataRole.UserRole + 1
PAPEL_ORDEM = Qt.ItemDataRole.UserRole + 2
VERMELHO = QColor("#a40000")
VERDE = QColor("#1d5e20")


def _sem_acento(texto: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFD", texto.casefold()) if not unicodedata.combining(c)
    )


class ModeloCarteira(QAbstractTableModel):
    """The portfolio's rows (``ItemCarteira``); ``raiz`` shortens the paths shown."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.itens: list[ItemCarteira] = []
        self.raiz: Path | None = None

    def definir(self, itens: list[ItemCarteira], raiz: Path | None) -> None:
        self.beginResetModel()
        self.itens = list(itens)
        self.raiz = raiz
        self.endResetModel()

    def substituir(self, novo: ItemCarteira) -> None:
        """Replace the row of the same file (after an action)."""
        for n, it in enumerate(self.itens):
            if it.caminho == novo.caminho:
                self.itens[n] = novo
                self.dataChanged.emit(self.index(n, 0), self.index(n, len(COLUNAS) - 1))
                return

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.itens)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUNAS)

    def headerData(
        self, secao: int, orientacao: Qt.Orientation, papel: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientacao == Qt.Orientation.Horizontal and papel == Qt.ItemDataRole.DisplayRole:
            return COLUNAS[secao]
        return None

    def _relativo(self, it: ItemCarteira) -> str:
        if self.raiz is not None:
            try:
                return str(it.caminho.relative_to(self.raiz))
            except ValueError:
                pass
        return str(it.caminho)

    def data(self, index: Indice, papel: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        it = self.itens[index.row()]
        r = it.resumo
        col = index.column()
        if papel == PAPEL_ITEM:
            return it
        if papel == Qt.ItemDataRole.DisplayRole:
            valores = (
                r.ente or "(arquivo ilegível)",
                r.uf,
                str(r.exercicio) if r.exercicio else "—",
                f"{r.bimestre}º" if r.bimestre else "—",
                str(r.impeditivas) if it.legivel else "—",
                str(r.avisos) if it.legivel else "—",
                it.percentual_texto,
                it.situacao_texto,
                self._relativo(it),
            )
            return valores[col]
        if papel == PAPEL_ORDEM:
            pct = it.percentual
            ordem: tuple[Any, ...] = (
                _sem_acento(r.ente or "~"),
                r.uf,
                r.exercicio,
                r.bimestre,
                r.impeditivas if it.legivel else -1,
                r.avisos if it.legivel else -1,
                float(pct) if pct is not None else -1.0,
                ORDEM_SITUACAO.get(it.situacao, 0),
                self._relativo(it),
            )
            return ordem[col]
        if papel == Qt.ItemDataRole.TextAlignmentRole and 2 <= col <= 6:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if papel == Qt.ItemDataRole.ForegroundRole:
            if col == 4 and it.legivel and r.impeditivas:
                return QBrush(VERMELHO)
            if col == 6 and r.abaixo_minimo:
                return QBrush(VERMELHO)
            if col == 7 and it.situacao == "homologada":
                return QBrush(VERDE)
            if col == 7 and it.situacao in ("ilegivel", "recusada", "alterada"):
                return QBrush(VERMELHO)
        if papel == Qt.ItemDataRole.ToolTipRole:
            if col == 6 and r.percentual_minimo:
                return f"Coluna {r.coluna}; mínimo {r.percentual_minimo.rstrip('0').rstrip('.')}%"
            if col in (7, 8, 0):
                return f"{it.caminho}\n{it.situacao_texto}"
        return None


class FiltroCarteira(QSortFilterProxyModel):
    """Text (ente, code, file, situation; accents ignored), situation and impeditivas."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.texto = ""
        self.situacao: str | None = None
        self.so_impeditivas = False
        self.setSortRole(PAPEL_ORDEM)

    def definir(
        self, texto: str | None = None, situacao: Any = ..., so_impeditivas: bool | None = None
    ) -> None:
        self.beginFilterChange()
        if texto is not None:
            self.texto = _sem_acento(texto.strip())
        if situacao is not ...:
            self.situacao = situacao
        if so_impeditivas is not None:
            self.so_impeditivas = so_impeditivas
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, linha: int, pai: Indice) -> bool:
        modelo = self.sourceModel()
        it: ItemCarteira = modelo.data(modelo.index(linha, 0, pai), PAPEL_ITEM)
        if self.situacao and it.situacao != self.situacao:
            return False
        if self.so_impeditivas and not (it.legivel and it.resumo.impeditivas):
            return False
        if self.texto:
            r = it.resumo
            alvo = _sem_acento(
                " ".join(
                    (
                        r.ente,
                        r.ente_codigo,
                        r.uf,
                        str(r.exercicio),
                        f"{r.bimestre}º",
                        it.situacao_texto,
                        str(it.caminho),
                    )
                )
            )
            return all(p in alvo for p in self.texto.split())
        return True


class JanelaCarteira(QWidget):
    """The window (see module docstring). ``abrirDeclaracao(Path)`` asks the main window to
    open a declaration; ``dialogos`` answers messages (``app.dialogos``)."""

    abrirDeclaracao = Signal(object)

    def __init__(
        self,
        pai: QWidget | None = None,
        dialogos: Any = None,
        pasta: Path | None = None,
        cache: carteira.Cache | None = None,
    ) -> None:
        super().__init__(pai, Qt.WindowType.Window)
        from siops.app.dialogos import Dialogos
        from siops.ops_format import caminhos
        from siops.transmissor.gui.tarefas import Tarefas

        self.setObjectName("janela_carteira")
        self.setWindowTitle("Carteira de entes — SIOPS")
        self.resize(1180, 640)
        self.dialogos = dialogos or Dialogos(self)
        self.tarefas = Tarefas(self)
        self.cache = cache if cache is not None else carteira.cache_padrao()
        self.pasta: Path = pasta or caminhos.raiz()
        self.tempo_leitura: float | None = None
        self._janelas: list[Any] = []
        self._montar()
        self.tarefas.progresso.connect(self._progresso)
        self.tarefas.ocupadoMudou.connect(self._ocupado)

    # -- montagem --------------------------------------------------------------------------

    def _montar(self) -> None:
        caixa = QVBoxLayout(self)
        topo = QHBoxLayout()
        topo.addWidget(QLabel("Pasta:"))
        self.pasta_edit = QLineEdit(str(self.pasta))
        self.pasta_edit.setReadOnly(True)
        topo.addWidget(self.pasta_edit, 1)
        self.botao_pasta = QPushButton("&Escolher pasta…")
        self.botao_pasta.clicked.connect(self.escolher_pasta)
        topo.addWidget(self.botao_pasta)
        self.botao_atualizar = QPushButton("&Atualizar")
        self.botao_atualizar.clicked.connect(self.atualizar)
        topo.addWidget(self.botao_atualizar)
        caixa.addLayout(topo)

        filtros = QHBoxLayout()
        rotulo = QLabel("&Filtrar:")
        filtros.addWidget(rotulo)
        self.filtro_edit = QLineEdit()
        self.filtro_edit.setPlaceholderText("ente, código, exercício, situação ou arquivo")
        self.filtro_edit.setClearButtonEnabled(True)
        rotulo.setBuddy(self.filtro_edit)
        filtros.addWidget(self.filtro_edit, 1)
        rotulo = QLabel("&Situação:")
        filtros.addWidget(rotulo)
        self.situacao_combo = QComboBox()
        self.situacao_combo.addItem("Todas", None)
        for chave, texto in SITUACOES.items():
            self.situacao_combo.addItem(texto[0].upper() + texto[1:], chave)
        rotulo.setBuddy(self.situacao_combo)
        filtros.addWidget(self.situacao_combo)
        self.so_impeditivas = QCheckBox("Só com &impeditivas")
        filtros.addWidget(self.so_impeditivas)
        caixa.addLayout(filtros)

        self.modelo = ModeloCarteira(self)
        self.filtro = FiltroCarteira(self)
        self.filtro.setSourceModel(self.modelo)
        self.tabela = QTableView()
        self.tabela.setObjectName("tabela_carteira")
        self.tabela.setModel(self.filtro)
        self.tabela.setSortingEnabled(True)
        self.tabela.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.tabela.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.tabela.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tabela.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tabela.setAlternatingRowColors(True)
        self.tabela.setWordWrap(False)
        self.tabela.setTextElideMode(Qt.TextElideMode.ElideMiddle)
        self.tabela.verticalHeader().hide()
        cab = self.tabela.horizontalHeader()
        cab.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        cab.setStretchLastSection(True)
        self.tabela.setColumnWidth(0, 260)
        self.tabela.doubleClicked.connect(lambda _i: self.abrir_declaracao())
        caixa.addWidget(self.tabela, 1)

        baixo = QHBoxLayout()
        self.botao_validar = QPushButton("&Validar")
        self.botao_validar.setToolTip("Verifica de novo as críticas das declarações selecionadas")
        self.botao_validar.clicked.connect(self.validar)
        self.botao_gravar = QPushButton("&Gravar para transmissão")
        self.botao_gravar.setToolTip(
            "Grava a cópia para transmissão (transm/) das selecionadas sem impeditivas"
        )
        self.botao_gravar.clicked.connect(self.gravar_transmissao)
        self.botao_transmissor = QPushButton("Abrir no &Transmissor")
        self.botao_transmissor.clicked.connect(self.abrir_transmissor)
        self.botao_abrir = QPushButton("Abrir &declaração")
        self.botao_abrir.clicked.connect(self.abrir_declaracao)
        for b in (self.botao_validar, self.botao_gravar, self.botao_transmissor, self.botao_abrir):
            baixo.addWidget(b)
        baixo.addStretch(1)
        self.barra = QProgressBar()
        self.barra.setMaximumWidth(220)
        self.barra.hide()
        baixo.addWidget(self.barra)
        self.rotulo = QLabel("")
        self.rotulo.setObjectName("rotulo_carteira")
        baixo.addWidget(self.rotulo)
        caixa.addLayout(baixo)

        self.filtro_edit.textChanged.connect(lambda t: self._filtrar(texto=t))
        self.situacao_combo.currentIndexChanged.connect(
            lambda _i: self._filtrar(situacao=self.situacao_combo.currentData())
        )
        self.so_impeditivas.toggled.connect(lambda v: self._filtrar(so_impeditivas=v))
        self.tabela.selectionModel().selectionChanged.connect(lambda *_: self._botoes())
        self._botoes()

    # -- estado ----------------------------------------------------------------------------

    def _filtrar(self, **kw: Any) -> None:
        self.filtro.definir(**kw)
        self._resumir()

    def _botoes(self) -> None:
        sel = bool(self.selecionados()) and not self.tarefas.ocupado()
        for b in (self.botao_validar, self.botao_gravar, self.botao_transmissor, self.botao_abrir):
            b.setEnabled(sel)
        livre = not self.tarefas.ocupado()
        self.botao_atualizar.setEnabled(livre)
        self.botao_pasta.setEnabled(livre)

    def _ocupado(self, ocupado: bool) -> None:
        if not ocupado:
            self.barra.hide()
        self._botoes()

    def _progresso(self, feitos: int, total: int) -> None:
        self.barra.show()
        self.barra.setRange(0, max(total, 1))
        self.barra.setValue(feitos)

    def _resumir(self) -> None:
        itens = self.modelo.itens
        vis = self.filtro.rowCount()
        imp = sum(1 for i in itens if i.legivel and i.resumo.impeditivas)
        hom = sum(1 for i in itens if i.situacao == "homologada")
        texto = (
            f"{len(itens)} declaraç{'ões' if len(itens) != 1 else 'ão'}"
            + (f" ({vis} no filtro)" if vis != len(itens) else "")
            + f" · {imp} com impeditivas · {hom} homologada(s)"
        )
        if self.tempo_leitura is not None:
            texto += f" · lidas em {self.tempo_leitura:.2f} s".replace(".", ",")
        self.rotulo.setText(texto)

    def selecionados(self) -> list[ItemCarteira]:
        """The items of the selected rows, in the table's order."""
        linhas = sorted({i.row() for i in self.tabela.selectionModel().selectedRows()})
        return [self.filtro.data(self.filtro.index(r, 0), PAPEL_ITEM) for r in linhas]

    def linhas_visiveis(self) -> list[ItemCarteira]:
        """The rows as shown (filtered and sorted)."""
        return [
            self.filtro.data(self.filtro.index(r, 0), PAPEL_ITEM)
            for r in range(self.filtro.rowCount())
        ]

    # -- ações -----------------------------------------------------------------------------

    def escolher_pasta(self) -> None:
        """Escolher pasta…: any folder (an accounting firm's tree of clients)."""
        dlg = QFileDialog(self, "Pasta das declarações", str(self.pasta))
        dlg.setFileMode(QFileDialog.FileMode.Directory)
        dlg.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dlg.fileSelected.connect(lambda s: self.definir_pasta(Path(s)))
        self._janelas.append(dlg)
        dlg.open()

    def definir_pasta(self, pasta: Path) -> None:
        """List another folder."""
        self.pasta = Path(pasta)
        self.pasta_edit.setText(str(self.pasta))
        self.atualizar()

    def atualizar(self) -> None:
        """Read the folder again (only changed files are read; see ``app.carteira``)."""
        pasta, cache = self.pasta, self.cache
        if not pasta.is_dir():
            self.modelo.definir([], pasta)
            self.rotulo.setText(f"A pasta {pasta} não existe.")
            return
        inicio = time.perf_counter()
        self.rotulo.setText("Lendo as declarações…")

        def ok(itens: list[ItemCarteira]) -> None:
            self.tempo_leitura = time.perf_counter() - inicio
            self.modelo.definir(itens, pasta)
            self.tabela.resizeColumnsToContents()
            self.tabela.setColumnWidth(0, max(220, min(self.tabela.columnWidth(0), 320)))
            situacao = COLUNAS.index("Situação")  # long texts: elided, whole in the tooltip
            self.tabela.setColumnWidth(situacao, min(self.tabela.columnWidth(situacao), 430))
            self._resumir()
            self._botoes()

        self.tarefas.executar(
            "leitura da carteira",
            lambda progresso: carteira.listar(pasta, cache, progresso),
            ok,
            self._falhou("Carteira de entes"),
        )
        self._botoes()

    def _falhou(self, titulo: str) -> Any:
        def mostrar(exc: BaseException) -> None:
            self.rotulo.setText("")
            self.dialogos.informar(titulo, f"Não foi possível concluir: {exc}", icone="erro")

        return mostrar

    def _em_lote(self, titulo: str, acao: Any) -> None:
        itens, cache = self.selecionados(), self.cache
        if not itens:
            return

        def fazer(progresso: Any) -> list[ResultadoAcao]:
            out = []
            for n, it in enumerate(itens, 1):
                out.append(acao(it, cache))
                progresso(n, len(itens))
            return out

        def ok(resultados: list[ResultadoAcao]) -> None:
            for r in resultados:
                if r.item is not None:
                    self.modelo.substituir(r.item)
            self._resumir()
            feitos = sum(1 for r in resultados if r.ok)
            texto = f"{feitos} de {len(resultados)} concluída(s)."
            detalhes = "\n".join(r.mensagem for r in resultados)
            self.ultimo_resultado = resultados
            self.dialogos.informar(
                titulo,
                texto,
                icone="info" if feitos == len(resultados) else "aviso",
                detalhes=detalhes,
            )

        self.tarefas.executar(titulo.lower(), fazer, ok, self._falhou(titulo))
        self._botoes()

    def validar(self) -> None:
        """Validar: the críticas of the selected declarations, again."""
        self._em_lote("Validar", carteira.validar)

    def gravar_transmissao(self) -> None:
        """Gravar para transmissão: the copy in ``transm/`` of each selected one (refused,
        with the reason, for those with impeditivas)."""
        self._em_lote("Gravar para transmissão", carteira.gravar_para_transmissao)

    def abrir_transmissor(self) -> None:
        """Abrir no Transmissor: the Transmissor's window on the selected declaration's
        ``transm`` folder and copy."""
        itens = [i for i in self.selecionados() if i.legivel]
        if not itens:
            return
        it = itens[0]
        copia = it.copia or carteira.caminho_copia(it.caminho, it.resumo)
        if copia is None or not copia.is_file():
            self.dialogos.informar(
                "Abrir no Transmissor",
                f"{it.caminho.name} ainda não foi gravada para transmissão: use “Gravar para "
                "transmissão” primeiro.",
                icone="aviso",
            )
            return
        from siops.transmissor.gui import abrir

        janela = abrir(self, copia)
        if janela is not None:
            self._janelas.append(janela)

    def abrir_declaracao(self) -> None:
        """Abrir declaração: the selected file in the main window."""
        itens = self.selecionados()
        if itens:
            self.abrirDeclaracao.emit(itens[0].caminho)
