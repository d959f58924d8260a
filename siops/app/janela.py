"""The main window: the pastas as a navigation tree, one page per table or form, the críticas
dock, the live status bar, the menus, and the close protocol.

File operations (Nova, Abrir, Salvar, imports, transmission copy, RREO) live in
``app/janela_arquivo.py`` as a mixin, so this module stays about layout and navigation.

Closing (STYLE habit 5) is a protocol: ``consultar_fechamento(continuar)`` returns True when the
window may close now; otherwise it asks "Deseja salvar as alterações realizadas?"
(Sim/Não/Cancelar) through the replaceable dialogs and, once the answer is carried out (a save
that succeeds, or Não), calls ``continuar``. A failed save cancels the close.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon, QKeySequence, QUndoGroup
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMenu,
    QSizeGrip,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siops.app import janela_analises
from siops.app.dialogos import Dialogos, Resposta
from siops.app.documento import Documento
from siops.app.janela_arquivo import RELATORIOS, AcoesArquivo
from siops.app.janela_criticas import DockCriticas
from siops.app.modelos import ATALHO_ORIGEM, NOMES_CURTOS, ModeloTabela
from siops.app.pagina_razao import PaginaRazao
from siops.app.tarefas import Tarefas
from siops.app.vista_tabela import TabelaValores
from siops.forms.dinheiro import apresentar_percentual
from siops.forms.formulas import Chave
from siops.forms.razao import ChaveDespesa, ChaveRazao

#: The pasta of the ledger in the navigation tree: where the declaration is typed.
PAGINAS_RAZAO = (
    ("razao:receitas", "Receitas por natureza"),
    ("razao:despesas", "Planilhas de despesa"),
)

INTERVALO_SINCRONIA_MS = 5000
#: The title with no declaration open. Qt appends the application's display name (" — SIOPS",
#: ``cliente.criar_aplicacao``) to every title: writing "SIOPS" here would show it twice.
TITULO = "Declaração bimestral[*]"


def atalhos(*teclas: QKeySequence.StandardKey | str) -> list[QKeySequence]:
    """Key sequences without repeats (a repeated one makes Qt warn of an ambiguous shortcut)."""
    out: list[QKeySequence] = []
    for t in teclas:
        seqs = (
            QKeySequence.keyBindings(t)
            if isinstance(t, QKeySequence.StandardKey)
            else [QKeySequence(t)]
        )
        for s in seqs:
            if not s.isEmpty() and s not in out:
                out.append(s)
    return out


def nome_curto(tabela: Any) -> str:
    """A table's name for the navigation tree."""
    if tabela.id in NOMES_CURTOS:
        return NOMES_CURTOS[tabela.id]
    t = tabela.titulo.split(" — ")[0]
    return t if len(t) <= 48 else t[:46] + "…"


class PaginaTabela(QWidget):
    """A table page: its title, its help line and the editable view."""

    def __init__(self, documento: Documento, tabela: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        caixa = QVBoxLayout(self)
        caixa.setContentsMargins(8, 6, 8, 4)
        titulo = QLabel(f"<b>{tabela.titulo}</b>")
        titulo.setWordWrap(True)
        caixa.addWidget(titulo)
        if tabela.ajuda:
            ajuda = QLabel(tabela.ajuda)
            ajuda.setWordWrap(True)
            caixa.addWidget(ajuda)
        self.modelo = ModeloTabela(documento, tabela, self)
        self.vista = TabelaValores(self.modelo, self)
        caixa.addWidget(self.vista, 1)


class JanelaPrincipal(AcoesArquivo, QMainWindow):
    """The main window (see module docstring)."""

    def __init__(self, dialogos: Dialogos | None = None) -> None:
        super().__init__()
        self.setObjectName("janela_principal")
        self.dialogos: Dialogos = dialogos or Dialogos(self)
        self.tarefas = Tarefas(self)
        self.documento: Documento | None = None
        self._paginas: dict[str, QWidget] = {}
        self._itens: dict[str, QTreeWidgetItem] = {}
        self._pode_fechar = False
        self._janelas_extras: list[Any] = []
        self._texto_demo: str | None = None
        self.grupo_desfazer = QUndoGroup(self)
        self.setWindowTitle(TITULO)
        self.resize(1280, 800)

        self.centro = QStackedWidget()
        self.boas_vindas: Any = None  # created when first shown (opening a file skips it)
        self.editor = QSplitter(Qt.Orientation.Horizontal)
        self.navegacao = QTreeWidget()
        self.navegacao.setHeaderHidden(True)
        self.navegacao.setObjectName("navegacao")
        self.navegacao.setMinimumWidth(200)
        self.navegacao.setIndentation(14)  # narrower tree, wider tables (issue 24)
        self.paginas = QStackedWidget()
        self.editor.addWidget(self.navegacao)
        self.editor.addWidget(self.paginas)
        self.editor.setStretchFactor(1, 1)
        self.editor.setSizes([270, 1130])
        self.centro.addWidget(self.editor)
        # Under the pages, the whole window's width: a message too long for the status bar
        # (whose fixed labels leave it little room at 1280×800), wrapped, never cut.
        self.rotulo_mensagem = QLabel()  # ``mostrar_mensagem``
        self.rotulo_mensagem.setObjectName("rotulo_mensagem")
        self.rotulo_mensagem.setWordWrap(True)
        self.rotulo_mensagem.setTextFormat(Qt.TextFormat.PlainText)
        self.rotulo_mensagem.setStyleSheet(
            "QLabel#rotulo_mensagem { background: #f4f4f4; color: #202020; "
            "border-top: 1px solid #c8c8c8; padding: 4px 8px; }"
        )
        self.rotulo_mensagem.hide()
        corpo = QWidget()
        caixa_corpo = QVBoxLayout(corpo)
        caixa_corpo.setContentsMargins(0, 0, 0, 0)
        caixa_corpo.setSpacing(0)
        caixa_corpo.addWidget(self.centro, 1)
        caixa_corpo.addWidget(self.rotulo_mensagem)
        self.setCentralWidget(corpo)

        self.dock = DockCriticas(self)
        self.addDockWidget(Qt.DockWidgetArea.BottomDockWidgetArea, self.dock)
        self.dock.hide()
        self.dock.irPara.connect(self.ir_para_achado)

        self.rotulo_percentual = QLabel()
        self.rotulo_criticas = QLabel()
        self.rotulo_percentual.setObjectName("rotulo_percentual")
        self.rotulo_criticas.setObjectName("rotulo_criticas")
        self.statusBar().addPermanentWidget(self.rotulo_percentual)
        self.painel_projecao = janela_analises.instalar_painel(self)  # beside the %
        self.statusBar().addPermanentWidget(self.rotulo_criticas)
        self._rotulo_demo: QLabel | None = None
        self._timer_mensagem = QTimer(self)
        self._timer_mensagem.setSingleShot(True)
        self._timer_mensagem.timeout.connect(self.rotulo_mensagem.hide)
        self.statusBar().messageChanged.connect(
            lambda m: self.rotulo_mensagem.hide() if m else None
        )
        # A label that comes (DEMONSTRAÇÃO) or grows (the percentage) after a message, or a
        # narrower window, must not leave the message under it: see ``_rever_mensagem``.
        self.statusBar().installEventFilter(self)

        self._criar_acoes()
        self._criar_menus()
        self.navegacao.currentItemChanged.connect(self._ao_navegar)
        self.tarefas.ocupadoMudou.connect(self._ocupado)

        self._timer_diario = QTimer(self)
        self._timer_diario.setInterval(INTERVALO_SINCRONIA_MS)
        self._timer_diario.timeout.connect(self._sincronizar_diario)
        self._timer_diario.start()
        for a in self.acoes_documento:
            a.setEnabled(False)
        QTimer.singleShot(0, self._inicio)

    # -- actions and menus ---------------------------------------------------------------------

    def _acao(
        self,
        texto: str,
        fn: Callable[[], Any],
        atalho: QKeySequence | QKeySequence.StandardKey | str | None = None,
        dica: str = "",
    ) -> QAction:
        a = QAction(texto, self)
        if atalho is not None:
            a.setShortcut(QKeySequence(atalho))
        if dica:
            a.setStatusTip(dica)
        a.triggered.connect(lambda *_: fn())
        return a

    def _criar_acoes(self) -> None:
        k = QKeySequence.StandardKey
        self.a_nova = self._acao("&Nova declaração…", self.nova_declaracao, k.New)
        self.a_abrir = self._acao("&Abrir…", self.abrir_dialogo, k.Open)
        self.a_salvar = self._acao("&Salvar", self.salvar, k.Save)
        self.a_salvar_como = self._acao("Salvar &como…", self.salvar_como, "Ctrl+Shift+S")
        self.a_importar_anterior = self._acao(
            "Importar &bimestre anterior…",
            self.importar_anterior,
            dica="Copia Informações Adicionais, responsáveis, previsão e dotação atualizadas",
        )
        self.a_importar_planilha = self._acao("Importar &planilha (CSV)…", self.importar_planilha)
        self.a_importar_contabil = self._acao(
            "Importar da con&tabilidade (MSC/balancete)…", self.importar_contabil
        )
        self.a_gravar_transmissao = self._acao(
            "&Gravar arquivo para transmissão", self.gravar_transmissao, "Ctrl+T"
        )
        self.a_sair = self._acao("Sai&r", self.close, "Ctrl+Q")

        self.a_desfazer = self.grupo_desfazer.createUndoAction(self, "Desfazer")
        self.a_desfazer.setShortcut(QKeySequence(k.Undo))
        self.a_refazer = self.grupo_desfazer.createRedoAction(self, "Refazer")
        self.a_refazer.setShortcuts(atalhos(k.Redo, "Ctrl+Y", "Ctrl+Shift+Z"))
        self.a_copiar = self._acao("&Copiar", self.copiar, k.Copy)
        self.a_colar = self._acao("C&olar", self.colar, k.Paste)
        self.a_origem = self._acao(
            "&De onde vem este valor?",
            self.origem_da_celula_atual,
            ATALHO_ORIGEM,
            dica="As linhas do razão que formam a célula calculada selecionada",
        )

        self.a_verificar = self._acao("&Verificar críticas", self.verificar_criticas, "F7")
        self.a_rreo = self._acao("Visualizar &RREO (Anexo 12)", self.visualizar_rreo, k.Print)
        self.a_transmissor = self._acao("&Transmissor…", self.abrir_transmissor)
        self.a_rel_rreo = self._acao("Demonstrativo &RREO — Anexo 12 (PDF)", self.visualizar_rreo)
        self.a_rel_criticas = self._acao("Relatório de &críticas (PDF)", self.relatorio_criticas)
        self.a_relatorios: dict[str, QAction] = {
            tipo: self._acao(f"{rotulo} (PDF)", partial(self.relatorio, tipo))
            for tipo, rotulo in RELATORIOS
        }
        # Keyboard between the three areas (the table keeps Tab for its cells): F6 / Shift+F6
        # cycle tree → table → críticas, Ctrl+1/2/3 go straight to one (Exibir menu).
        self.a_ir_pastas = self._acao("Ir para as &pastas", lambda: self.focar_area(0), "Ctrl+1")
        self.a_ir_tabela = self._acao(
            "Ir para a &tabela ou formulário", lambda: self.focar_area(1), "Ctrl+2"
        )
        self.a_ir_criticas = self._acao(
            "Ir para a &lista de críticas", lambda: self.focar_area(2), "Ctrl+3"
        )
        self.a_proxima_area = self._acao("Próxima á&rea", lambda: self.alternar_area(1), "F6")
        self.a_area_anterior = self._acao(
            "Área a&nterior", lambda: self.alternar_area(-1), "Shift+F6"
        )
        self.a_painel = self.dock.toggleViewAction()
        self.a_painel.setText("Painel de &críticas")
        self.a_painel.setShortcut(QKeySequence("Ctrl+Shift+C"))
        self.a_ajuda = self._acao("&Ajuda do SIOPS", self.mostrar_ajuda)
        self.a_ajuda.setShortcuts(atalhos(k.HelpContents, "F1"))
        self.a_sobre = self._acao("&Sobre", self.sobre)
        for a in (self.a_copiar, self.a_colar):
            a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.paginas.addAction(a)
        self.acoes_documento = [
            self.a_salvar,
            self.a_salvar_como,
            self.a_importar_anterior,
            self.a_importar_planilha,
            self.a_importar_contabil,
            self.a_gravar_transmissao,
            self.a_copiar,
            self.a_colar,
            self.a_origem,
            self.a_verificar,
            self.a_rreo,
            self.a_rel_rreo,
            self.a_rel_criticas,
            *self.a_relatorios.values(),
        ]

    def _criar_menus(self) -> None:
        mb = self.menuBar()
        arq: QMenu = mb.addMenu("&Arquivo")
        arq.addActions([self.a_nova, self.a_abrir])
        arq.addSeparator()
        arq.addActions([self.a_salvar, self.a_salvar_como])
        arq.addSeparator()
        arq.addActions(
            [self.a_importar_anterior, self.a_importar_planilha, self.a_importar_contabil]
        )
        arq.addSeparator()
        arq.addAction(self.a_gravar_transmissao)
        arq.addSeparator()
        arq.addAction(self.a_sair)
        ed = mb.addMenu("&Editar")
        ed.addActions([self.a_desfazer, self.a_refazer])
        ed.addSeparator()
        ed.addActions([self.a_copiar, self.a_colar])
        ed.addSeparator()
        ed.addAction(self.a_origem)
        fer = mb.addMenu("&Ferramentas")
        fer.addActions([self.a_verificar, self.a_rreo])
        fer.addSeparator()
        fer.addAction(self.a_transmissor)
        rel = mb.addMenu("&Relatórios")
        rel.addActions([self.a_rel_rreo, self.a_rel_criticas])
        rel.addSeparator()
        rel.addActions(list(self.a_relatorios.values()))
        self.menu_relatorios = rel
        janela_analises.instalar_menus(self, fer, rel)
        exibir = mb.addMenu("E&xibir")
        exibir.addAction(self.a_painel)
        exibir.addSeparator()
        exibir.addActions(
            [
                self.a_ir_pastas,
                self.a_ir_tabela,
                self.a_ir_criticas,
                self.a_proxima_area,
                self.a_area_anterior,
            ]
        )
        aj = mb.addMenu("A&juda")
        aj.addActions([self.a_ajuda, self.a_sobre])
        self.menu_ajuda = aj

    # -- document in the window ----------------------------------------------------------------

    def _inicio(self) -> None:
        if self.documento is None:
            self._mostrar_boas_vindas()

    def _mostrar_boas_vindas(self) -> None:
        from siops.app.janela_boas_vindas import BoasVindas
        from siops.app.preferencias import recentes

        if self.boas_vindas is None:
            self.boas_vindas = BoasVindas()
            self.boas_vindas.novaPedida.connect(self.nova_declaracao)
            self.boas_vindas.abrirPedido.connect(self.abrir_dialogo)
            self.boas_vindas.recenteEscolhido.connect(self.abrir_arquivo_pedido)
            self.centro.addWidget(self.boas_vindas)
        self.boas_vindas.definir_recentes(recentes())
        self.centro.setCurrentWidget(self.boas_vindas)
        self.dock.hide()
        for a in self.acoes_documento:
            a.setEnabled(False)
        self.rotulo_percentual.setText("")
        self.painel_projecao.atualizar(None)
        self.rotulo_criticas.setText("")
        self.setWindowTitle(TITULO)
        self.setWindowModified(False)

    def definir_documento(self, doc: Documento | None) -> None:
        """Show a document (or the welcome screen with None), replacing the current one."""
        antigo = self.documento
        self.navegacao.blockSignals(True)
        self.navegacao.clear()
        self.navegacao.blockSignals(False)
        self._itens = {}
        for w in self._paginas.values():
            self.paginas.removeWidget(w)
            w.deleteLater()
        self._paginas = {}
        if antigo is not None:
            self.grupo_desfazer.removeStack(antigo.pilha)
            antigo.fechar()
            antigo.deleteLater()
        self.documento = doc
        self.dock.definir_documento(doc)
        if doc is None:
            self._mostrar_boas_vindas()
            return
        self.grupo_desfazer.addStack(doc.pilha)
        self.grupo_desfazer.setActiveStack(doc.pilha)
        doc.pilha.cleanChanged.connect(self._ao_mudar_limpo)
        doc.celulasMudaram.connect(self._ao_mudar_celulas)
        doc.achadosMudaram.connect(self._atualizar_criticas)
        doc.caminhoMudou.connect(self._atualizar_titulo)
        self._montar_navegacao(doc)
        for a in self.acoes_documento:
            a.setEnabled(True)
        self.a_verificar.setEnabled(doc.criticas_disponiveis)
        self.centro.setCurrentWidget(self.editor)
        if doc.criticas_disponiveis:
            self.dock.show()
        self._atualizar_titulo()
        self.setWindowModified(doc.modificado())
        self._atualizar_percentual()
        self._atualizar_criticas()
        doc.adiar_criticas_ate_pintar(self)  # an opened file: its numbers on screen first

    def _item_razao(self) -> QTreeWidgetItem:
        """The "Razão" pasta: the receitas by natureza and the planilhas of despesa."""
        item = QTreeWidgetItem(["Razão (receitas e despesas)"])
        item.setToolTip(
            0,
            "Os lançamentos da declaração: receitas por natureza e despesas por fonte, "
            "subfunção e natureza. As tabelas do Anexo 12 são calculadas a partir deles.",
        )
        for chave, titulo in PAGINAS_RAZAO:
            filho = QTreeWidgetItem([titulo])
            filho.setData(0, Qt.ItemDataRole.UserRole, chave)
            item.addChild(filho)
            self._itens[chave] = filho
        item.setData(0, Qt.ItemDataRole.UserRole, PAGINAS_RAZAO[0][0])
        self._itens["pasta:razao"] = item
        item.setExpanded(True)
        return item

    def _montar_navegacao(self, doc: Documento) -> None:
        cat = doc.catalogo
        primeiro: QTreeWidgetItem | None = None
        razao: QTreeWidgetItem | None = None
        for pasta in cat.pastas:
            if razao is None and not pasta.grupos:
                razao = self._item_razao()  # before the Anexo 12 pastas, which it feeds
                self.navegacao.addTopLevelItem(razao)
                razao.setExpanded(True)
            item = QTreeWidgetItem([pasta.titulo])
            item.setToolTip(0, pasta.ajuda or pasta.titulo)
            self.navegacao.addTopLevelItem(item)
            if pasta.grupos:
                chave = f"form:{pasta.id}"
            else:
                chave = f"tabela:{pasta.tabelas[0]}"
                if len(pasta.tabelas) > 1:
                    for tid in pasta.tabelas:
                        t = cat.tabela(tid)
                        filho = QTreeWidgetItem([nome_curto(t)])
                        filho.setToolTip(0, t.titulo)
                        filho.setData(0, Qt.ItemDataRole.UserRole, f"tabela:{tid}")
                        item.addChild(filho)
                        self._itens[f"tabela:{tid}"] = filho
                    item.setExpanded(True)
            item.setData(0, Qt.ItemDataRole.UserRole, chave)
            self._itens.setdefault(chave, item)
            self._itens[f"pasta:{pasta.id}"] = item
            if primeiro is None:
                primeiro = item
        if razao is None:
            razao = self._item_razao()
            self.navegacao.addTopLevelItem(razao)
            razao.setExpanded(True)
        inicial = self._itens.get("razao:receitas", primeiro)
        if inicial is not None:  # a layout without pastas shows nothing to select
            self.navegacao.setCurrentItem(inicial)
        self._ajustar_arvore()

    def _ajustar_arvore(self) -> None:
        """The pastas tree as wide as its longest name, not wider: the rest of the width goes
        to the tables and forms (issue 24: nothing cut at 1280×800)."""
        arvore = self.navegacao
        largura = arvore.sizeHintForColumn(0) + 2 * arvore.frameWidth() + 6
        largura = max(arvore.minimumWidth(), min(largura, 320))
        total = sum(self.editor.sizes())
        if total > largura:
            self.editor.setSizes([largura, total - largura])

    def _ao_navegar(self, atual: QTreeWidgetItem | None, _anterior: Any = None) -> None:
        if atual is None:
            return
        chave = atual.data(0, Qt.ItemDataRole.UserRole)
        if chave:
            self.mostrar_pagina(chave)

    def pagina(self, chave: str) -> QWidget:
        """The page for "form:<pasta>" or "tabela:<id>", created on first use (fast start)."""
        w = self._paginas.get(chave)
        if w is None:
            assert self.documento is not None
            tipo, ident = chave.split(":", 1)
            cat = self.documento.catalogo
            if tipo == "form":
                from siops.app.formulario import FormularioTextos

                pasta = next(p for p in cat.pastas if p.id == ident)
                w = FormularioTextos(self.documento, pasta)
            elif tipo == "razao":
                w = PaginaRazao(self.documento, ident, self.dialogos)
                w.vista.mensagem.connect(self.mostrar_mensagem)
            else:
                w = PaginaTabela(self.documento, cat.tabela(ident))
                w.vista.mensagem.connect(self.mostrar_mensagem)
                w.vista.origemPedida.connect(self.mostrar_origem)
            self._paginas[chave] = w
            self.paginas.addWidget(w)
            self._ordem_tab(w)
        return w

    def _ordem_tab(self, w: QWidget) -> None:
        """Pages are created on demand, after the críticas dock: put each one's fields between
        the tree and the críticas list in the Tab chain (else Tab from the tree lands on the
        críticas filter, whose arrow keys then change it)."""
        campos = [
            c
            for c in w.findChildren(QWidget)
            if c.focusPolicy() & Qt.FocusPolicy.TabFocus and c.window() is self
        ]  # (popups of completers and calendars are windows of their own: left out)
        if isinstance(w, PaginaTabela):
            campos = [w.vista]
        elif isinstance(w, PaginaRazao):  # the table first: typing is what the page is for
            campos = [w.vista, *(c for c in campos if c is not w.vista)]
        anterior: QWidget = self.navegacao
        for c in campos:
            QWidget.setTabOrder(anterior, c)
            anterior = c
        QWidget.setTabOrder(anterior, self.dock.tabela)

    def _areas(self) -> list[QWidget]:
        """The three areas the keyboard moves between: tree, current page, críticas list."""
        w = self.paginas.currentWidget()
        pagina: QWidget | None = w.vista if isinstance(w, PaginaTabela | PaginaRazao) else w
        return [
            a
            for a in (self.navegacao, pagina, self.dock.tabela if self.dock.isVisible() else None)
            if a is not None
        ]

    def focar_area(self, n: int) -> None:
        """Ctrl+1/2/3: give the keyboard to the tree, the page or the críticas list."""
        if self.documento is None:
            return
        if n == 2 and not self.dock.isVisible():
            self.dock.show()
        alvo = [self.navegacao, self.paginas.currentWidget(), self.dock.tabela][n]
        if isinstance(alvo, PaginaTabela | PaginaRazao):
            alvo = alvo.vista
        if alvo is None:
            return
        if hasattr(alvo, "focar_primeiro"):
            alvo.focar_primeiro()
        else:
            alvo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def alternar_area(self, passo: int) -> None:
        """F6 / Shift+F6: the next / previous area, wrapping."""
        if self.documento is None:
            return
        areas = self._areas()
        foco = QApplication.focusWidget()
        atual = next(
            (
                i
                for i, a in enumerate(areas)
                if foco is not None and (foco is a or a.isAncestorOf(foco))
            ),
            -1,
        )
        alvo = areas[(atual + passo) % len(areas)]
        if hasattr(alvo, "focar_primeiro"):
            alvo.focar_primeiro()
        else:
            alvo.setFocus(Qt.FocusReason.ShortcutFocusReason)

    def mostrar_pagina(self, chave: str) -> QWidget:
        w = self.pagina(chave)
        self.paginas.setCurrentWidget(w)
        item = self._itens.get(chave)
        if item is not None and self.navegacao.currentItem() is not item:
            self.navegacao.blockSignals(True)
            self.navegacao.setCurrentItem(item)
            self.navegacao.blockSignals(False)
        return w

    def vista(self, tabela: str) -> TabelaValores:
        """The view of a table (created if needed), for navigation and tests."""
        w = self.pagina(f"tabela:{tabela}")
        assert isinstance(w, PaginaTabela)
        return w.vista

    def vista_atual(self) -> TabelaValores | None:
        w = self.paginas.currentWidget()
        return w.vista if isinstance(w, PaginaTabela | PaginaRazao) else None

    def pagina_razao(self, tipo: str) -> PaginaRazao:
        """The ledger page "despesas" or "receitas" (created if needed)."""
        w = self.pagina(f"razao:{tipo}")
        assert isinstance(w, PaginaRazao)
        return w

    def ir_para_linha_razao(self, k: ChaveRazao, coluna: str | None = None) -> bool:
        """Show a ledger line in its page (its planilha, its row; the column when given)."""
        if self.documento is None or not self.documento.declaracao.tem_linha(k):
            return False
        tipo = "despesas" if isinstance(k, ChaveDespesa) else "receitas"
        w = self.mostrar_pagina(f"razao:{tipo}")
        assert isinstance(w, PaginaRazao)
        return w.selecionar_linha(k, coluna)

    def origem_da_celula_atual(self) -> None:
        """Editar → De onde vem este valor? (Ctrl+Shift+O) on the current cell."""
        v = self.vista_atual()
        k = v.celula_origem_atual() if v is not None else None
        if k is None:
            self.mostrar_mensagem(
                "Selecione numa tabela do Anexo 12 uma célula calculada a partir do razão "
                "(fundo cinza) para ver de onde vem o valor."
            )
            return
        self.mostrar_origem(k)

    def mostrar_origem(self, celula: Chave) -> None:
        """De onde vem este valor? The ledger lines of an aggregated cell, with a way there."""
        if self.documento is None:
            return
        from siops.app.razao_dialogos import DialogoOrigem

        dlg = DialogoOrigem(self.documento, celula, self)
        dlg.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dlg.irPara.connect(self.ir_para_linha_razao)
        self.dialogos.mostrar(dlg)

    def ir_para_celula(self, tabela: str, linha: str | None, coluna: str | None) -> bool:
        """Show a table and select a cell (or the row's title when ``coluna`` is None)."""
        if self.documento is None or tabela not in self.documento.catalogo.tabelas:
            return False
        w = self.mostrar_pagina(f"tabela:{tabela}")
        assert isinstance(w, PaginaTabela)
        pos = w.modelo.posicao(linha, coluna) if linha else (0, 0)
        if pos is None:
            pos = w.modelo.posicao(linha, None) if linha else None
        if pos is None:
            return False
        w.vista.ir_para(*pos)
        return True

    def ir_para_achado(self, achado: Any) -> None:
        """Navigate to where a finding is (double-click in the dock)."""
        if self.documento is None:
            return
        campo = getattr(achado, "campo", None)
        if campo:
            cat = self.documento.catalogo
            c = cat.campos.get(campo)
            if c is not None:
                from siops.app.formulario import FormularioTextos

                for p in cat.pastas:
                    if c.grupo in p.grupos:
                        pagina = self.mostrar_pagina(f"form:{p.id}")
                        if isinstance(pagina, FormularioTextos):  # a "form:" page always is
                            pagina.focar(campo)
                        return
        if getattr(achado, "tabela", None):
            if not self.ir_para_celula(achado.tabela, achado.linha, achado.coluna):
                self.mostrar_mensagem("Não foi possível localizar a célula desta crítica.")

    # -- live feedback -------------------------------------------------------------------------

    def _ao_mudar_limpo(self, limpo: bool) -> None:
        self.setWindowModified(not limpo)

    def _ao_mudar_celulas(self, _chaves: Any) -> None:
        self._atualizar_percentual()

    def _atualizar_titulo(self) -> None:
        if self.documento is not None:
            d = self.documento.declaracao
            self.setWindowTitle(
                f"{self.documento.nome()}[*] — {d.ente.descricao}, {d.bimestre}º bimestre de "
                f"{d.exercicio}"
            )

    def texto_percentual(self) -> tuple[str, bool]:
        """The status-bar text of the applied percentage, and whether it is below the minimum."""
        assert self.documento is not None
        d = self.documento.declaracao
        col = d.coluna_apuracao
        ind = d.indicadores(col)
        minimo = apresentar_percentual(ind.percentual_minimo)
        if ind.base == 0:
            return f"ASPS: informe as receitas da base (mínimo {minimo}%)", False
        partes = [f"ASPS aplicado ({col}): {apresentar_percentual(ind.percentual)}%"]
        if col != "empenhada":
            emp = d.indicadores("empenhada")
            partes.append(f"empenhada: {apresentar_percentual(emp.percentual)}%")
        partes.append(f"mínimo: {minimo}%")
        # Below the minimum is decided in reais (XVIII = XVI − XVII < 0), as the law does:
        # a percentage rounded to six places can read 15,00% while the money is short.
        return " · ".join(partes), ind.diferenca < 0

    def _atualizar_percentual(self) -> None:
        if self.documento is None:
            return
        texto, abaixo = self.texto_percentual()
        self.rotulo_percentual.setText(texto)
        self.painel_projecao.atualizar(self.documento)
        self.rotulo_percentual.setStyleSheet(
            "color: #a40000; font-weight: bold;" if abaixo else "color: #1d5e20;"
        )

    def _atualizar_criticas(self) -> None:
        doc = self.documento
        if doc is None:
            return
        if not doc.criticas_disponiveis:
            self.rotulo_criticas.setText("Críticas indisponíveis")
            return
        imp, av = len(doc.impeditivas()), len(doc.avisos())
        self.rotulo_criticas.setText(f"Impeditivas: {imp} · Avisos: {av}")
        self.rotulo_criticas.setStyleSheet("color: #a40000; font-weight: bold;" if imp else "")

    def _cabe_na_barra(self, texto: str) -> bool:
        """Whether ``texto`` fits in the status bar beside its fixed widgets now."""
        sb = self.statusBar()
        fixos = sum(
            max(w.width(), w.sizeHint().width()) + 8
            for w in sb.findChildren(QWidget)
            if w.parentWidget() is sb and w.isVisible() and not isinstance(w, QSizeGrip)
        )
        return sb.fontMetrics().horizontalAdvance(texto) <= sb.width() - fixos - 24

    def eventFilter(self, objeto: QObject, evento: QEvent) -> bool:
        if objeto is self.statusBar() and evento.type() in (
            QEvent.Type.LayoutRequest,
            QEvent.Type.Resize,
        ):
            QTimer.singleShot(0, self._rever_mensagem)
        return super().eventFilter(objeto, evento)

    def _rever_mensagem(self) -> None:
        """The status bar's message, if it no longer fits, moves to the strip."""
        texto = self.statusBar().currentMessage()
        if texto and not self._cabe_na_barra(texto):
            self.mostrar_mensagem(texto)

    def mostrar_mensagem(self, texto: str, ms: int = 8000) -> None:
        """A calm, non-modal message in the status bar, never cut: one that does not fit beside
        the fixed widgets (percentage, projection, críticas, DEMONSTRAÇÃO) goes to a strip the
        window's width under the pages, wrapped, instead of running under them."""
        sb = self.statusBar()
        if self._cabe_na_barra(texto):
            self.rotulo_mensagem.hide()
            sb.showMessage(texto, ms)
            return
        sb.clearMessage()
        self.rotulo_mensagem.setText(texto)
        self.rotulo_mensagem.setToolTip(texto)
        self.rotulo_mensagem.show()
        self._timer_mensagem.start(ms)

    def mensagem_atual(self) -> str:
        """The message shown now (short in the status bar, long in the strip under the pages)."""
        if self.statusBar().currentMessage():
            return self.statusBar().currentMessage()
        return self.rotulo_mensagem.text() if self.rotulo_mensagem.isVisible() else ""

    def mostrar_erro(self, texto: str) -> None:
        self.mostrar_mensagem(texto, 12000)
        QApplication.beep()

    def _ocupado(self, ocupado: bool) -> None:
        if ocupado:
            QApplication.setOverrideCursor(Qt.CursorShape.BusyCursor)
        else:
            QApplication.restoreOverrideCursor()

    def _sincronizar_diario(self) -> None:
        if self.documento is not None and self.documento.diario is not None:
            self.documento.diario.sincronizar()

    # -- edit menu -----------------------------------------------------------------------------

    def confirmar_edicao(self) -> None:
        """Commit whatever editor is open (a cell or a text field) before save/close."""
        w = self.paginas.currentWidget()
        from siops.app.formulario import FormularioTextos

        if isinstance(w, PaginaTabela | PaginaRazao):
            w.vista.confirmar_editor()
        elif isinstance(w, FormularioTextos):
            w.confirmar()

    def copiar(self) -> None:
        v = self.vista_atual()
        if v is not None:
            v.copiar()

    def colar(self) -> None:
        v = self.vista_atual()
        if v is not None:
            v.colar()

    # -- help ----------------------------------------------------------------------------------

    def mostrar_ajuda(self) -> None:
        from siops.app.janela_dialogos import DialogoAjuda

        for w in self._janelas_extras:
            if isinstance(w, DialogoAjuda):
                w.show()
                w.raise_()
                return
        dlg = DialogoAjuda(self)
        self._janelas_extras.append(dlg)
        dlg.show()

    def mostrar_demonstracao(self, texto: str, resumo: str) -> None:
        """Mark the window as the demonstration (``siops demo``): a permanent label in the
        status bar, Ajuda → Dados da demonstração… and ``texto`` (credentials and steps)
        shown once now."""
        if self._texto_demo is None:
            rotulo = QLabel(resumo)
            rotulo.setObjectName("rotulo_demo")
            rotulo.setStyleSheet("color: #5b3a00; font-weight: bold;")
            # first of the permanent labels (the status bar has no normal widget: a long
            # message goes to the strip under the pages)
            self.statusBar().insertPermanentWidget(0, rotulo)
            self._rotulo_demo = rotulo
            self.a_demo = self._acao("Dados da &demonstração…", self.mostrar_texto_demo)
            self.menu_ajuda.insertAction(self.a_ajuda, self.a_demo)
        self._texto_demo = texto
        self.mostrar_texto_demo()

    def mostrar_texto_demo(self) -> None:
        """Ajuda → Dados da demonstração…: the credentials and the steps."""
        if self._texto_demo:
            self.dialogos.mostrar_texto("Demonstração do SIOPS", self._texto_demo)

    def sobre(self) -> None:
        from siops.app.cli import versao

        self.dialogos.informar(
            "Sobre o SIOPS",
            f"SIOPS — declaração bimestral, versão {versao()}.\n\n"
            "Dúvidas: Disque Saúde 136, opção 8, depois 6.",
        )

    # -- closing (STYLE habit 5) ---------------------------------------------------------------

    def consultar_fechamento(self, continuar: Callable[[], None]) -> bool:
        """True when the current document may be dropped now; otherwise ask and, when the
        answer has been carried out, call ``continuar`` (see module docstring)."""
        if self.tarefas.ocupado():
            self.mostrar_mensagem(
                "Aguarde: " + ", ".join(self.tarefas.descricoes()) + " em andamento."
            )
            return False
        self.confirmar_edicao()
        doc = self.documento
        if doc is None or not doc.modificado():
            return True

        def responder(r: Resposta) -> None:
            if r == Resposta.SIM:
                self.salvar(ao_concluir=lambda ok: continuar() if ok else None)
            elif r == Resposta.NAO:
                continuar()

        self.dialogos.perguntar(
            "SIOPS",
            "Deseja salvar as alterações realizadas?",
            responder,
            cancelar=True,
            detalhes=f"Declaração: {doc.nome()}",
        )
        return False

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._pode_fechar or self.consultar_fechamento(self._fechar_confirmado):
            self.tarefas.aguardar()
            if self.documento is not None:
                self.documento.fechar()
            for w in self._janelas_extras:
                w.close()
            event.accept()
            return
        event.ignore()

    def _fechar_confirmado(self) -> None:
        self._pode_fechar = True
        QTimer.singleShot(0, self.close)

    def restaurar_geometria(self, dados: QByteArray | None) -> None:
        if dados:
            self.restoreGeometry(dados)

    def icone(self) -> QIcon:
        return self.windowIcon()
