"""The ledger's pages (pasta "Razão"): the planilhas of despesa and the receitas by natureza,
where the declaration is typed.

A page is a toolbar (the planilha, Incluir linha…, Excluir linha, Localizar), the planilha as a
``TabelaRazao`` and, under it, where the current line goes in the Anexo 12 or why it stays out.
Every change is a core command through ``Documento.executar`` — one undo step each, on the
window's undo stack: ``IncluirLinha`` (the dialog checks the key with ``ChaveDespesa.de`` /
``ChaveReceita.de`` and shows the Portuguese ``ChaveInvalida`` under the field), ``RemoverLinha``
(after a confirmation; several lines as one ``Lote``), ``DefinirLancamento`` (typing, with the
same Brazilian parser and refusal beside the cell as the Anexo 12 tables). Pasting a block from
a spreadsheet on the title column adds or updates lines: natureza in the first column, then
the values in the planilha's column order.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from siops.app.dialogos import Dialogos, Resposta
from siops.app.documento import Documento
from siops.app.modelo_razao import ModeloDespesas, ModeloRazao, ModeloReceitas
from siops.app.modelos import parse_digitado
from siops.app.razao_textos import descrever_linha, localizar, planilhas_com_titulo
from siops.app.vista_tabela import ResultadoColagem, TabelaValores, ler_bloco
from siops.forms.declaracao import (
    CHAVE_RAZAO,
    Comando,
    DefinirLancamento,
    EdicaoInvalida,
    IncluirLinha,
    Lote,
    RemoverLinha,
)
from siops.forms.dinheiro import ValorInvalido, formatar
from siops.forms.formulas import Chave
from siops.forms.razao import (
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    coluna_de,
)

if TYPE_CHECKING:
    from siops.app.razao_dialogos import DialogoIncluirLinha


class TabelaRazao(TabelaValores):
    """The view of a ledger model: keeps the current line across resets (a line added, undone
    or another planilha), sizes the destination column, pastes whole lines on the title
    column."""

    #: The narrowest title column: the code and the start of its name (the rest elided, in
    #: the tooltip and under the table), so the amounts fit at 1280×800.
    TITULO_MINIMO = 220

    def __init__(self, modelo: ModeloRazao, parent: QWidget | None = None) -> None:
        self._atual: tuple[Any, int] | None = None
        self.acoes_extras: list[QAction] = []
        super().__init__(modelo, parent)
        modelo.modelAboutToBeReset.connect(self._guardar_atual)
        modelo.modelReset.connect(self._restaurar_atual)

    def modelo_razao(self) -> ModeloRazao:
        m = self.model()
        assert isinstance(m, ModeloRazao)
        return m

    def _guardar_atual(self) -> None:
        atual = self.currentIndex()
        m = self.modelo_razao()
        self._atual = (m.fila(atual.row()), atual.column()) if atual.isValid() else None

    def _restaurar_atual(self) -> None:
        if self._atual is None:
            return
        fila, col = self._atual
        self._atual = None
        m = self.modelo_razao()
        r = m.linha_da_fila(fila) if fila is not None else None
        if r is None:
            return
        self.setCurrentIndex(m.index(r, col))

    #: Lines read to size the columns: a planilha of thousands of lines is sized by its
    #: sums (the widest amounts) and its first lines, not by reading every row.
    LINHAS_MEDIDAS = 200

    def _linhas_medidas(self) -> list[int]:
        m = self.modelo_razao()
        somas = [r for r in range(m.rowCount()) if m.chave_linha(r) is None]
        linhas = [r for r in range(m.rowCount()) if m.chave_linha(r) is not None]
        return sorted({*somas, *linhas[: self.LINHAS_MEDIDAS]})

    def _medir(self) -> None:
        m = self.modelo_razao()
        c = m.coluna_destino()
        fm = self.fontMetrics()
        textos = [m.index(r, c).data() or "" for r in self._linhas_medidas()]
        largura = max([fm.horizontalAdvance(t) + 36 for t in textos] + [160])
        self.horizontalHeader().resizeSection(c, min(largura, 380))
        super()._medir()

    def _ajustar_titulo(self) -> None:
        """The title takes what the amounts leave; the destination column and the columns
        of the 6º bimestre (N/A before it) come into view when there is room, else by
        scrolling (the current line's destination is also shown under the table)."""
        hh = self.horizontalHeader()
        m = self.modelo_razao()
        numeros = sum(hh.sectionSize(c) for c in m.colunas_numericas())
        uteis = sum(hh.sectionSize(c) for c in m.colunas_numericas() if not m.coluna_na(c))
        destino = hh.sectionSize(m.coluna_destino())
        largura = self.viewport().width() - 2
        livre = largura - numeros - destino
        if livre >= self.TITULO_MINIMO:
            hh.resizeSection(0, min(self._titulo_natural, livre))
        else:  # the 6º-bimestre columns (N/A before it) and the destination: by scrolling
            titulo = min(self._titulo_natural, largura - uteis)
            hh.resizeSection(0, max(self.TITULO_MINIMO, titulo))

    def acoes_contexto(self) -> list[QAction]:
        return [*self.acoes_extras, *super().acoes_contexto()]

    # -- pasting lines ---------------------------------------------------------------------------

    def colar(self, texto: str | None = None) -> ResultadoColagem | None:
        """On the title column a block is lines (natureza, then values); elsewhere, values."""
        atual = self.currentIndex()
        if atual.isValid() and atual.column() == 0:
            from PySide6.QtGui import QGuiApplication

            if texto is None:
                texto = QGuiApplication.clipboard().text()
            return self.colar_linhas(texto)
        return super().colar(texto)

    def colar_linhas(self, texto: str) -> ResultadoColagem | None:
        """Add or update one line per row of ``texto`` (natureza, then the values in the
        planilha's column order), as one undoable edit; None when refused (a message says
        which row and why)."""
        m = self.modelo_razao()
        bloco = [x for x in ler_bloco(texto) if any(c.strip() for c in x)]
        if not bloco:
            return None
        grupo = m.grupo_da_linha(max(self.currentIndex().row(), 0)) or ""
        colunas = [m.colunas[c - 1].id for c in range(1, m.columnCount()) if m.editavel_col(c)]
        d = m.documento.declaracao
        comandos: list[Comando] = []
        vistas: set[ChaveRazao] = set()
        try:
            for i, linha in enumerate(bloco, start=1):
                try:
                    k = m.chave_de(linha[0], grupo)
                    valores = [
                        (col, parse_digitado(t))
                        for col, t in zip(colunas, linha[1:], strict=False)
                        if t.strip()
                    ]
                except (ChaveInvalida, ValorInvalido) as exc:
                    raise ValorInvalido(f"linha {i} do bloco: {exc}") from exc
                if k in vistas:
                    raise ValorInvalido(f"linha {i} do bloco: a natureza {linha[0]} se repete.")
                vistas.add(k)
                if d.tem_linha(k):
                    comandos += [DefinirLancamento(k, c, v, "Colar linhas") for c, v in valores]
                else:
                    comandos.append(IncluirLinha(k, tuple(valores), "Colar linhas"))
        except ValorInvalido as exc:
            self.mensagem.emit(f"Colagem recusada: {exc}")
            return None
        try:
            m.documento.executar(Lote(tuple(comandos), "Colar linhas"))
        except EdicaoInvalida as exc:
            self.mensagem.emit(f"Colagem recusada: {exc}")
            return None
        self.mensagem.emit(f"{len(bloco)} linha(s) colada(s) no razão.")
        return ResultadoColagem(len(comandos), 0)


class PaginaRazao(QWidget):
    """A page of the ledger: ``tipo`` "despesas" (planilhas) or "receitas" (see module
    docstring)."""

    def __init__(
        self,
        documento: Documento,
        tipo: str,
        dialogos: Dialogos,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"pagina_razao_{tipo}")
        self.documento = documento
        self.tipo = tipo
        self.dialogos = dialogos
        self._buscados: list[ChaveRazao] = []
        self._busca_texto = ""
        caixa = QVBoxLayout(self)
        caixa.setContentsMargins(8, 6, 8, 4)
        despesas = tipo == "despesas"
        if despesas:
            titulo = "Planilhas de despesa — razão"
            ajuda = (
                "Uma planilha por fonte de recursos; em cada subfunção, uma linha por natureza "
                "da despesa (até o elemento). O Anexo 12, a despesa por fonte e por elemento "
                "são calculados destas linhas."
            )
        else:
            titulo = "Receitas por natureza — razão"
            ajuda = (
                "Uma linha por natureza de receita, como a contabilidade exporta. As receitas "
                "do Anexo 12 (base e adicionais da saúde) são calculadas destas linhas: "
                "realizada menos deduções."
            )
        rotulo = QLabel(f"<b>{titulo}</b>")
        caixa.addWidget(rotulo)
        texto_ajuda = QLabel(ajuda)
        texto_ajuda.setWordWrap(True)
        caixa.addWidget(texto_ajuda)

        barra = QHBoxLayout()
        self.planilha: QComboBox | None = None
        self.modelo: ModeloRazao
        if despesas:
            self.planilha = QComboBox()
            self.planilha.setObjectName("combo_planilha")
            self.planilha.setAccessibleName("Planilha (fonte de recursos)")
            self.planilha.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            self.planilha.setMinimumContentsLength(40)
            for codigo, texto in planilhas_com_titulo():
                self.planilha.addItem(texto, codigo)
            linha_planilha = QHBoxLayout()
            rot = QLabel("&Planilha (fonte de recursos):")
            rot.setBuddy(self.planilha)
            linha_planilha.addWidget(rot)
            linha_planilha.addWidget(self.planilha, 1)
            caixa.addLayout(linha_planilha)
            self.modelo = ModeloDespesas(documento, "4", self)
        else:
            self.modelo = ModeloReceitas(documento, self)
        self.botao_incluir = QPushButton("&Incluir linha…")
        self.botao_excluir = QPushButton("Ex&cluir linha")
        self.busca = QLineEdit()
        self.busca.setObjectName("busca_razao")
        self.busca.setPlaceholderText("Localizar: código ou palavras (Ctrl+F)")
        self.busca.setAccessibleName("Localizar linha do razão")
        self.busca.setClearButtonEnabled(True)
        self.busca.setMinimumWidth(self.busca.fontMetrics().horizontalAdvance("M" * 20))
        self.botao_proxima = QPushButton("&Localizar")
        barra.addWidget(self.botao_incluir)
        barra.addWidget(self.botao_excluir)
        barra.addSpacing(12)
        barra.addWidget(self.busca, 1)
        barra.addWidget(self.botao_proxima)
        caixa.addLayout(barra)

        self.vista = TabelaRazao(self.modelo, self)
        self.vista.setObjectName(f"tabela_razao_{tipo}")
        caixa.addWidget(self.vista, 1)
        self.detalhe = QLabel()
        self.detalhe.setObjectName("detalhe_razao")
        self.detalhe.setWordWrap(True)
        self.detalhe.setTextFormat(Qt.TextFormat.PlainText)
        self.detalhe.setMinimumHeight(self.detalhe.fontMetrics().lineSpacing() * 2 + 4)
        caixa.addWidget(self.detalhe)

        self.a_incluir = self._acao("&Incluir linha…", self.incluir_dialogo, "Ctrl+I", "Ins")
        self.a_excluir = self._acao("Ex&cluir linha", self.excluir_selecionadas, "Ctrl+Del")
        self.a_localizar = self._acao(
            "&Localizar…", self.focar_busca, QKeySequence.StandardKey.Find
        )
        self.a_proxima = self._acao(
            "Localizar &próxima", self.localizar_proxima, QKeySequence.StandardKey.FindNext
        )
        self.vista.acoes_extras = [self.a_incluir, self.a_excluir, self.a_localizar]
        self.botao_incluir.clicked.connect(self.incluir_dialogo)
        self.botao_excluir.clicked.connect(self.excluir_selecionadas)
        self.botao_proxima.clicked.connect(self.localizar_proxima)
        self.busca.returnPressed.connect(self.localizar_proxima)
        self.busca.textChanged.connect(lambda _t: self._buscados.clear())
        if self.planilha is not None:
            self.planilha.currentIndexChanged.connect(self._ao_escolher_planilha)
        self.vista.selectionModel().currentChanged.connect(lambda *_: self._detalhar())
        self.modelo.modelReset.connect(self._ao_resetar)
        documento.celulasMudaram.connect(self._ao_mudar)
        self._atualizar_planilhas()
        self._detalhar()

    def _acao(self, texto: str, fn: Callable[[], Any], *atalhos: Any) -> QAction:
        a = QAction(texto, self)
        a.setShortcuts([QKeySequence(x) for x in atalhos])
        a.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        a.triggered.connect(lambda *_: fn())
        self.addAction(a)
        return a

    # -- the planilha --------------------------------------------------------------------------

    def planilha_atual(self) -> str | None:
        return self.modelo.planilha if isinstance(self.modelo, ModeloDespesas) else None

    def escolher_planilha(self, codigo: str) -> None:
        """Show another planilha (the combo follows)."""
        if self.planilha is None:
            return
        i = self.planilha.findData(codigo)
        if i >= 0 and i != self.planilha.currentIndex():
            self.planilha.setCurrentIndex(i)

    def _ao_escolher_planilha(self, i: int) -> None:
        if self.planilha is None or not isinstance(self.modelo, ModeloDespesas):
            return
        self.modelo.definir_planilha(self.planilha.itemData(i))
        self._detalhar()

    def _atualizar_planilhas(self) -> None:
        """Each planilha's number of lines in the combo (which planilhas have data)."""
        if self.planilha is None:
            return
        contagem: dict[str, int] = {}
        for k, _ in self.documento.linhas_razao(ChaveDespesa):
            assert isinstance(k, ChaveDespesa)
            contagem[k.planilha] = contagem.get(k.planilha, 0) + 1
        for i, (codigo, texto) in enumerate(planilhas_com_titulo()):
            n = contagem.get(codigo, 0)
            rotulo = f"{texto} · {n} linha(s)" if n else texto
            if self.planilha.itemText(i) != rotulo:
                self.planilha.setItemText(i, rotulo)

    def _ao_mudar(self, chaves: set[Chave]) -> None:
        if CHAVE_RAZAO in chaves:
            self._atualizar_planilhas()
            self._buscados.clear()
            self._detalhar()

    def _ao_resetar(self) -> None:
        self._detalhar()

    # -- the line under the cursor -------------------------------------------------------------

    def linha_atual(self) -> ChaveRazao | None:
        atual = self.vista.currentIndex()
        return self.modelo.chave_linha(atual.row()) if atual.isValid() else None

    def _detalhar(self) -> None:
        k = self.linha_atual()
        if k is not None:
            texto = f"{descrever_linha(k)}. {self.modelo.destino(k)[2]}"
        elif isinstance(self.modelo, ModeloDespesas):
            n, fora = self.modelo.contagem()
            if n == 0:
                texto = (
                    "Esta planilha não tem linhas. Use Incluir linha… (Ctrl+I) para lançar "
                    "uma natureza de despesa numa subfunção."
                )
            else:
                texto = f"{n} linha(s) nesta planilha" + (
                    f"; {fora} fora do Anexo 12 (veja a última coluna)." if fora else "."
                )
        else:
            n = sum(1 for r in range(self.modelo.rowCount()) if self.modelo.chave_linha(r))
            texto = (
                f"{n} natureza(s) de receita."
                if n
                else "Nenhuma receita lançada. Use Incluir linha… (Ctrl+I) para lançar uma "
                "natureza de receita."
            )
        self.detalhe.setText(texto)

    def selecionar_linha(self, k: ChaveRazao, coluna: str | None = None) -> bool:
        """Show and select a line (its planilha first), giving the table the focus."""
        if isinstance(k, ChaveDespesa):
            self.escolher_planilha(k.planilha)
        pos = self.modelo.posicao_linha(k, coluna)
        if pos is None:
            return False
        r, c = pos
        if c == 0 and coluna is None:
            c = self.modelo.primeira_editavel()
        self.vista.ir_para(r, c)
        self._detalhar()
        return True

    # -- including and excluding lines ---------------------------------------------------------

    def incluir_dialogo(self) -> DialogoIncluirLinha:
        """Incluir linha…: the dialog, preset to the current planilha and subfunção."""
        from siops.app.razao_dialogos import DialogoIncluirLinha  # loaded when first asked for

        atual = self.vista.currentIndex()
        grupo = self.modelo.grupo_da_linha(atual.row()) if atual.isValid() else None
        dlg = DialogoIncluirLinha(
            self.documento,
            self.tipo,
            planilha=self.planilha_atual(),
            subfuncao=grupo if self.tipo == "despesas" else None,
            parent=self,
        )
        dlg.incluir.connect(self.incluir)
        self.dialogos.mostrar(dlg)
        return dlg

    def incluir(self, k: ChaveRazao) -> bool:
        """Add an empty line (one undo step) and select its first value cell."""
        try:
            self.documento.executar(IncluirLinha(k, (), "Incluir linha"))
        except EdicaoInvalida as exc:
            self.vista.mensagem.emit(str(exc))
            return False
        self.selecionar_linha(k)
        self.vista.mensagem.emit(f"Linha incluída: {descrever_linha(k)}.")
        return True

    def selecionadas(self) -> list[ChaveRazao]:
        """The lines of the selected rows (or of the current row)."""
        linhas = {i.row() for i in self.vista.selectionModel().selectedIndexes()}
        if not linhas and self.vista.currentIndex().isValid():
            linhas = {self.vista.currentIndex().row()}
        out = [self.modelo.chave_linha(r) for r in sorted(linhas)]
        return [k for k in out if k is not None]

    def excluir_selecionadas(self) -> None:
        """Excluir linha: after a confirmation, remove the selected lines as one undo step."""
        linhas = self.selecionadas()
        if not linhas:
            self.vista.mensagem.emit("Selecione a linha do razão a excluir.")
            return
        d = self.documento.declaracao
        if len(linhas) == 1:
            pergunta = f"Excluir a linha {descrever_linha(linhas[0])}?"
        else:
            pergunta = f"Excluir as {len(linhas)} linhas selecionadas?"
        valores = []
        razao = d.razao()
        for k in linhas[:5]:
            vals = razao.get(k, {})
            if vals:
                resumo = ", ".join(
                    f"{coluna_de(k, c).titulo.lower()} R$ {formatar(v)}"
                    for c, v in list(vals.items())[:3]
                )
                valores.append(f"{descrever_linha(k)}: {resumo}")
        detalhes = "\n".join(valores)
        detalhes += (
            ("\n\n" if detalhes else "")
            + "Os valores saem das tabelas do Anexo 12. A exclusão pode ser desfeita com "
            "Editar → Desfazer."
        )

        def responder(r: Resposta) -> None:
            if r == Resposta.SIM:
                self.excluir(linhas)

        self.dialogos.perguntar("Excluir linha do razão", pergunta, responder, detalhes=detalhes)

    def excluir(self, linhas: list[ChaveRazao]) -> bool:
        """Remove lines (confirmed) as one undo step."""
        cmds = tuple(RemoverLinha(k, "Excluir linha") for k in linhas)
        cmd: Comando = cmds[0] if len(cmds) == 1 else Lote(cmds, "Excluir linhas")
        try:
            self.documento.executar(cmd)
        except EdicaoInvalida as exc:
            self.vista.mensagem.emit(str(exc))
            return False
        self.vista.mensagem.emit(f"{len(linhas)} linha(s) excluída(s) do razão.")
        return True

    # -- finding ---------------------------------------------------------------------------------

    def focar_busca(self) -> None:
        self.busca.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.busca.selectAll()

    def localizar(self, texto: str) -> ChaveRazao | None:
        """Select the next line matching ``texto`` after the current one (wrapping); None when
        nothing matches (a message says so)."""
        self.busca.blockSignals(True)
        self.busca.setText(texto)
        self.busca.blockSignals(False)
        if texto != self._busca_texto or not self._buscados:
            self._busca_texto = texto
            tipo = ChaveDespesa if self.tipo == "despesas" else ChaveReceita
            self._buscados = localizar(self.documento, texto, tipo)
        if not self._buscados:
            self.vista.mensagem.emit(f"Nenhuma linha do razão corresponde a '{texto.strip()}'.")
            return None
        atual = self.linha_atual()
        ordem = self._buscados
        i = ordem.index(atual) + 1 if atual in ordem else 0
        k = ordem[i % len(ordem)]
        self.selecionar_linha(k)
        n = ordem.index(k) + 1
        self.vista.mensagem.emit(
            f"Localizar '{texto.strip()}': {n} de {len(ordem)} — {descrever_linha(k)}."
        )
        return k

    def localizar_proxima(self) -> None:
        if self.busca.text().strip():
            self.localizar(self.busca.text())
        else:
            self.focar_busca()
