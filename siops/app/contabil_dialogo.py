"""The accounting-import dialog: the preview of an MSC or balancete import, table by table.

Self-contained: the main window builds the preview (``contabil.importacao.importar``), opens
``DialogoImportacaoContabil(declaracao, previa, parent)`` with ``open()`` and, on ``accepted``,
pushes ``lote_escolhido()`` on its undo stack (one step). The dialog never touches the
declaration itself.

The import fills the ledger (``forms.razao``); the tables are views of it. Tabs: the changes
(one checkable item per Anexo 12 table — the part of the ledger it stands for —, and one
read-only item per view that follows: despesa por fonte, por elemento, consórcios; the cells
beneath with current → imported values in Brazilian notation), the ledger's despesas by
planilha and by elemento, the source lines outside the Anexo 12 (in the ledger or not, with the
reason), the reconciliation, and the warnings (UNCONFIRMED mappings used, values refused, notes
about the file).
"""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QGuiApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siops.contabil.previa import Previa
from siops.forms.declaracao import Declaracao, Lote
from siops.forms.dinheiro import formatar

DIREITA = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
TITULOS_MEDIDA = {
    "previsao_inicial": "Prev. inicial",
    "previsao_atualizada": "Prev. atualizada",
    "realizada": "Realizada",
    "deducoes": "Deduções",
    "deducao_fundeb": "Dedução FUNDEB",
    "deducao_municipios": "Dedução",
    "dotacao_inicial": "Dot. inicial",
    "dotacao_atualizada": "Dot. atualizada",
    "empenhada": "Empenhada",
    "liquidada": "Liquidada",
    "paga": "Paga",
}


def _celula(texto: str, direita: bool = False) -> QTableWidgetItem:
    item = QTableWidgetItem(texto)
    item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
    if direita:
        item.setTextAlignment(DIREITA)
    return item


class DialogoImportacaoContabil(QDialog):
    """The preview of an accounting import with a checkbox per table (see module docstring)."""

    def __init__(
        self, declaracao: Declaracao, previa: Previa, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.declaracao = declaracao
        self.previa = previa
        self.setWindowTitle("Importar da contabilidade")
        self.setObjectName("dialogo_importacao_contabil")
        # as wide as the screen allows (up to 1200 px): the cells' names are long
        tela = (self.screen() or QGuiApplication.primaryScreen()).availableGeometry()
        self.resize(max(900, min(1200, int(tela.width() * 0.94))), 560)
        caixa = QVBoxLayout(self)
        n = previa.alteracoes()
        linhas = sum(t.linhas_razao for t in previa.tabelas if t.parte)
        cabecalho = QLabel(
            f"<b>{previa.fonte.descricao}</b> → {previa.descricao_declaracao}<br>"
            + (
                f"{n} célula(s) do Anexo 12 e {linhas} linha(s) do razão mudariam. Marque as "
                "tabelas a importar (as visões por fonte e por elemento acompanham); a "
                "importação inteira pode ser desfeita com Editar → Desfazer."
                if not previa.vazia
                else "Nada a alterar: a declaração já tem esses valores."
            )
        )
        cabecalho.setWordWrap(True)
        caixa.addWidget(cabecalho)
        self.abas = QTabWidget()
        caixa.addWidget(self.abas, 1)
        self.arvore = self._aba_mudancas()
        self.tabela_planilhas = self._aba_totais(
            "tabela_planilhas", "Por planilha", "Planilha (fonte)", previa.planilhas
        )
        self.tabela_elementos = self._aba_totais(
            "tabela_elementos", "Por elemento", "Elemento", previa.elementos
        )
        self.tabela_nao_mapeadas = self._aba_nao_mapeadas()
        self.tabela_conciliacao = self._aba_conciliacao()
        self.avisos = self._aba_avisos()
        self.botoes = QDialogButtonBox()
        self.botao_aplicar = self.botoes.addButton(
            "Aplicar selecionadas", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.botao_cancelar = self.botoes.addButton(
            "Cancelar", QDialogButtonBox.ButtonRole.RejectRole
        )
        self.botoes.accepted.connect(self.accept)
        self.botoes.rejected.connect(self.reject)
        caixa.addWidget(self.botoes)
        self.arvore.itemChanged.connect(lambda *_: self._atualizar_botao())
        self._atualizar_botao()

    # -- tabs ---------------------------------------------------------------------------------

    def _aba_mudancas(self) -> QTreeWidget:
        arvore = QTreeWidget()
        arvore.setObjectName("arvore_mudancas")
        arvore.setColumnCount(3)
        arvore.setHeaderLabels(["Tabela / célula", "Valor atual", "Valor importado"])
        arvore.setUniformRowHeights(True)
        for t in self.previa.tabelas:
            if t.parte:
                texto = (
                    f"{t.titulo} ({len(t.mudancas)} alteração(ões); "
                    f"{t.linhas_razao} linha(s) do razão)"
                )
            else:
                texto = f"{t.titulo} ({len(t.mudancas)} alteração(ões); acompanha o razão)"
            topo = QTreeWidgetItem([texto])
            topo.setToolTip(0, texto)  # elided in a narrow window: the whole text here
            topo.setData(0, Qt.ItemDataRole.UserRole, t.id)
            if t.parte and t.muda:
                topo.setFlags(topo.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                topo.setCheckState(0, Qt.CheckState.Checked)
            elif t.parte:
                topo.setFlags(topo.flags() & ~Qt.ItemFlag.ItemIsEnabled)
            else:  # a view: read-only, it follows the ledger
                topo.setFlags(topo.flags() & ~Qt.ItemFlag.ItemIsUserCheckable)
            for m in t.mudancas:
                filho = QTreeWidgetItem(
                    [f"{m.linha} — {m.coluna}", formatar(m.atual), formatar(m.novo)]
                )
                filho.setTextAlignment(1, DIREITA)
                filho.setTextAlignment(2, DIREITA)
                filho.setToolTip(0, f"{m.linha} — {m.coluna}")
                topo.addChild(filho)
            arvore.addTopLevelItem(topo)
        arvore.expandAll()
        cab = arvore.header()
        cab.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        cab.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        cab.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        cab.setStretchLastSection(False)
        self.abas.addTab(arvore, "Alterações")
        return arvore

    def _tabela(self, cabecalhos: list[str], linhas: list[list[tuple[str, bool]]]) -> QTableWidget:
        t = QTableWidget(len(linhas), len(cabecalhos))
        t.setHorizontalHeaderLabels(cabecalhos)
        t.verticalHeader().setVisible(False)
        t.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        for i, linha in enumerate(linhas):
            for j, (texto, direita) in enumerate(linha):
                t.setItem(i, j, _celula(texto, direita))
        t.resizeColumnsToContents()
        t.horizontalHeader().setStretchLastSection(True)
        return t

    def _aba_totais(self, nome: str, aba: str, cabecalho: str, totais: list) -> QTableWidget:
        colunas = list(dict.fromkeys(c for t in totais for c in t.valores))
        linhas = [
            [(f"{t.codigo} {t.titulo}".strip(), False)]
            + [(formatar(t.valores.get(c, Decimal(0))), True) for c in colunas]
            for t in totais
        ]
        t = self._tabela([cabecalho, *(TITULOS_MEDIDA.get(c, c) for c in colunas)], linhas)
        t.setObjectName(nome)
        self.abas.addTab(t, f"{aba} ({len(linhas)})")
        return t

    def _aba_nao_mapeadas(self) -> QTableWidget:
        linhas = [
            [
                (str(n.linha), True),
                (n.codigo, False),
                (
                    "; ".join(
                        f"{TITULOS_MEDIDA.get(k, k)} {formatar(v)}" for k, v in n.valores.items()
                    ),
                    False,
                ),
                (n.motivo, False),
                ("sim" if n.no_razao else "não", False),
            ]
            for n in self.previa.nao_mapeadas
        ]
        t = self._tabela(["Linha", "Código", "Valores", "Motivo", "No razão"], linhas)
        t.setObjectName("tabela_nao_mapeadas")
        self.abas.addTab(t, f"Fora do Anexo 12 ({len(linhas)})")
        return t

    def _aba_conciliacao(self) -> QTableWidget:
        linhas = [
            [
                (c.titulo, False),
                (formatar(c.fonte), True),
                (formatar(c.importado), True),
                (formatar(c.nao_mapeado), True),
                (formatar(c.recusado), True),
                (formatar(c.no_razao), True),
                ("confere" if c.fecha else f"diferença {formatar(c.diferenca)}", False),
            ]
            for c in self.previa.conciliacao
        ]
        t = self._tabela(
            ["Medida", "Na fonte", "No Anexo 12", "Fora do Anexo 12", "Recusado", "No razão", ""],
            linhas,
        )
        t.setObjectName("tabela_conciliacao")
        for i, c in enumerate(self.previa.conciliacao):
            if c.nota:
                for j in range(7):
                    item = t.item(i, j)
                    if item is not None:
                        item.setToolTip(c.nota)
            marca = t.item(i, 6)
            if not c.fecha and marca is not None:
                marca.setForeground(QBrush(QColor("#b00020")))
        self.abas.addTab(t, "Conciliação")
        return t

    def _aba_avisos(self) -> QPlainTextEdit:
        p = self.previa
        partes = []
        if p.incertezas:
            partes.append("Mapeamentos NÃO CONFIRMADOS usados (confira):")
            partes += [
                f"  • {i.destino}: R$ {formatar(i.valor)} ({i.regra}) — {i.motivo}"
                for i in p.incertezas
            ]
        if p.recusadas:
            partes.append("Valores não importados:")
            partes += [f"  • {r}" for r in p.recusadas]
        if p.avisos:
            partes.append("Avisos:")
            partes += [f"  • {a}" for a in p.avisos]
        texto = QPlainTextEdit("\n".join(partes) or "Nenhum aviso.")
        texto.setObjectName("texto_avisos")
        texto.setReadOnly(True)
        self.abas.addTab(texto, f"Avisos ({len(p.incertezas) + len(p.recusadas) + len(p.avisos)})")
        return texto

    # -- the answer ---------------------------------------------------------------------------

    def _atualizar_botao(self) -> None:
        self.botao_aplicar.setEnabled(bool(self.tabelas_escolhidas()))

    def item_da_tabela(self, tid: str) -> QTreeWidgetItem:
        """The tree's checkable item of a table (tests and the main window use it)."""
        for i in range(self.arvore.topLevelItemCount()):
            item = self.arvore.topLevelItem(i)
            if item is not None and item.data(0, Qt.ItemDataRole.UserRole) == tid:
                return item
        raise KeyError(tid)

    def tabelas_escolhidas(self) -> list[str]:
        """The ids of the checked tables (with changes)."""
        escolhidas = []
        for i in range(self.arvore.topLevelItemCount()):
            item = self.arvore.topLevelItem(i)
            if item is None:
                continue
            marcavel = bool(item.flags() & Qt.ItemFlag.ItemIsUserCheckable)
            if marcavel and item.checkState(0) == Qt.CheckState.Checked:
                escolhidas.append(item.data(0, Qt.ItemDataRole.UserRole))
        return escolhidas

    def alteracoes_escolhidas(self) -> int:
        """How many Anexo 12 cells the checked tables change (for the status message)."""
        return self.previa.alteracoes(self.tabelas_escolhidas())

    def lote_escolhido(self) -> Lote | None:
        """The one undoable command of the checked tables; ``None`` if cancelled or empty."""
        if self.result() != QDialog.DialogCode.Accepted:
            return None
        lote = self.previa.lote(self.tabelas_escolhidas())
        return lote if lote.comandos else None
