"""The main window's part of issue 26, kept out of ``janela.py``: the projection panel beside
the status bar's percentage (and its dialog with the chart), the comparison of versions and
the portfolio's window, wired by ``instalar_painel`` and ``instalar_menus``.

* **Projeção**: ``PainelProjecao`` (a flat button in the status bar) says in a few words what
  is missing for the minimum of the year and by when; its tooltip says it in a sentence; a
  click opens ``DialogoProjecao`` (the summary, the trend, the chart, the assumptions, and
  "Gerar PDF"). It recomputes on every edit (``relatorios.projecao``: a few cell reads); the
  earlier bimestres' files are read once per declaration (``app.analises``).
* **Comparar versões**: with the transmitted copy (``transm/``), with the previous bimestre,
  or two files chosen; ``DialogoComparacao`` shows the changes by pasta, old → new, the effect
  on the totals and on the percentage, and copies the summary for a retransmission request.
* **Carteira de entes**: ``janela_carteira.JanelaCarteira``.
"""

from __future__ import annotations

import itertools
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QAction, QColor, QGuiApplication, QPainter, QPen
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMenu,
    QPushButton,
    QScrollArea,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import apresentar_percentual, formatar
from siops.relatorios.projecao import NOME_COLUNA, Projecao, projetar, reais

COR_ATUAL = QColor("#1F4E79")
COR_BARRA = QColor("#7F9FC7")
COR_MINIMO = QColor("#C00000")
COR_PROJECAO = QColor("#9E9E9E")
COR_NECESSARIO = QColor("#2E7D32")


def _escapar(texto: str) -> str:
    return texto.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# --- projeção ---------------------------------------------------------------------------------


class Anteriores:
    """The earlier bimestres of the open declaration, read once per file and period."""

    def __init__(self) -> None:
        self._chave: tuple[Any, ...] | None = None
        self._lista: list[Declaracao] = []

    def de(self, d: Declaracao, caminho: Path | None) -> list[Declaracao]:
        chave = (str(caminho) if caminho else None, d.ente.codigo, d.exercicio, d.bimestre)
        if chave != self._chave:
            from siops.app.analises import anteriores_da_pasta

            self._lista = anteriores_da_pasta(d, caminho, avisar=None)
            self._chave = chave
        return self._lista

    def esquecer(self) -> None:
        self._chave = None
        self._lista = []


class PainelProjecao(QToolButton):
    """The status bar's projection panel (see module docstring)."""

    def __init__(self, janela: Any) -> None:
        super().__init__(janela)
        self.janela = janela
        self.setObjectName("painel_projecao")
        self.setAutoRaise(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.anteriores = Anteriores()
        self.projecao: Projecao | None = None
        self.clicked.connect(self.mostrar)
        self.hide()

    def atualizar(self, doc: Any) -> None:
        """Recompute for the document shown (None: hide)."""
        if doc is None:
            self.projecao = None
            self.anteriores.esquecer()
            self.hide()
            return
        d = doc.declaracao
        self.projecao = p = projetar(d, self.anteriores.de(d, doc.caminho))
        self.setText(p.texto_curto())
        self.setToolTip(p.resumo() + "\nClique para ver a projeção do exercício.")
        alerta = (
            not p.sem_previsao
            and not p.alcancado
            and (not p.projecao_alcanca or p.bimestres_restantes == 0 or p.dotacao_insuficiente)
        )
        self.setStyleSheet("color: #a40000; font-weight: bold;" if alerta else "")
        self.show()

    def mostrar(self) -> None:
        """The projection's dialog."""
        if self.projecao is None:
            return
        self.janela.dialogos.mostrar(DialogoProjecao(self.projecao, self.janela))


class GraficoProjecao(QWidget):
    """Applied by bimestre (bars), the linear projection (outlined), the path needed (dotted)
    and the minimum (dashed red): the PDF's chart, drawn with QPainter."""

    def __init__(self, projecao: Projecao, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.p = projecao
        self.setMinimumSize(480, 230)

    def paintEvent(self, _evento: Any) -> None:  # Qt's name
        from siops.relatorios.pdf_projecao import (
            _passo,
            pontos_necessarios,
            pontos_projetados,
            reais_curto,
        )

        p = self.p
        pintor = QPainter(self)
        pintor.setRenderHint(QPainter.RenderHint.Antialiasing)
        pintor.fillRect(self.rect(), QColor("white"))
        esq, topo, dir_, base = 56.0, 12.0, 12.0, 26.0
        w = self.width() - esq - dir_
        h = self.height() - topo - base
        reais_b = {pt.bimestre: pt.aplicado for pt in p.historico}
        proj = dict(pontos_projetados(p))
        nec = pontos_necessarios(p)
        maior = max([p.minimo_exato, *reais_b.values(), *proj.values(), Decimal(1)])
        passo = _passo(maior * Decimal("1.1"))
        teto = passo * (int(maior * Decimal("1.1") / passo) + 1)

        def y(v: Decimal) -> float:
            v = max(Decimal(0), min(v, teto))
            return topo + h - float(v / teto) * h

        fonte = pintor.font()
        fonte.setPointSizeF(8)
        pintor.setFont(fonte)
        for i in range(int(teto / passo) + 1):
            v = passo * i
            pintor.setPen(QPen(QColor("#D0D0D0"), 1))
            pintor.drawLine(QPointF(esq, y(v)), QPointF(esq + w, y(v)))
            pintor.setPen(QColor("#404040"))
            pintor.drawText(
                QRectF(0, y(v) - 8, esq - 6, 16),
                int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter),
                reais_curto(v),
            )
        slot = w / 6
        lb = slot * 0.55

        def centro(b: int) -> float:
            return esq + slot * (b - 1) + slot / 2

        for b in range(1, 7):
            pintor.setPen(QColor("#404040"))
            pintor.drawText(
                QRectF(centro(b) - slot / 2, topo + h + 4, slot, 16),
                int(Qt.AlignmentFlag.AlignCenter),
                f"{b}º bim.",
            )
            if b in reais_b:
                v = reais_b[b]
                cor = COR_ATUAL if b == p.bimestre else COR_BARRA
                pintor.fillRect(QRectF(centro(b) - lb / 2, y(v), lb, topo + h - y(v)), cor)
                rotulo = reais_curto(v)
            elif b in proj:
                v = proj[b]
                pintor.setPen(QPen(COR_PROJECAO, 1, Qt.PenStyle.DashLine))
                pintor.setBrush(Qt.BrushStyle.NoBrush)
                pintor.drawRect(QRectF(centro(b) - lb / 2, y(v), lb, topo + h - y(v)))
                rotulo = reais_curto(v)
            else:
                continue
            pintor.setPen(QColor("#202020"))
            pintor.drawText(
                QRectF(centro(b) - slot / 2, y(v) - 16, slot, 14),
                int(Qt.AlignmentFlag.AlignCenter),
                rotulo,
            )
        if len(nec) > 1:
            pintor.setPen(QPen(COR_NECESSARIO, 2, Qt.PenStyle.DotLine))
            for (b0, v0), (b1, v1) in itertools.pairwise(nec):
                pintor.drawLine(QPointF(centro(b0), y(v0)), QPointF(centro(b1), y(v1)))
        pintor.setPen(QPen(COR_MINIMO, 2, Qt.PenStyle.DashLine))
        pintor.drawLine(QPointF(esq, y(p.minimo_exato)), QPointF(esq + w, y(p.minimo_exato)))
        pintor.setPen(QColor("#404040"))
        pintor.drawLine(QPointF(esq, topo), QPointF(esq, topo + h))
        pintor.drawLine(QPointF(esq, topo + h), QPointF(esq + w, topo + h))
        pintor.end()


def _html_tabela(linhas: list[tuple[str, str]], destaque: set[int] = frozenset()) -> str:  # type: ignore[assignment]
    partes = ['<table cellspacing="0" cellpadding="3" style="border-collapse: collapse;">']
    for n, (r, v) in enumerate(linhas):
        b0, b1 = ("<b>", "</b>") if n in destaque else ("", "")
        partes.append(
            f'<tr><td style="border-bottom: 1px solid #ddd;">{b0}{_escapar(r)}{b1}</td>'
            f'<td align="right" style="border-bottom: 1px solid #ddd;">{b0}{_escapar(v)}{b1}'
            "</td></tr>"
        )
    partes.append("</table>")
    return "".join(partes)


def _html_tendencia(p: Projecao) -> str:
    cab = ("Bimestre", "Coluna", "Aplicado até o bimestre", "No bimestre", "% aplicado")
    partes = ['<table cellspacing="0" cellpadding="3"><tr>']
    partes += [f'<th style="background: #e6e6e6;">{c}</th>' for c in cab]
    partes.append("</tr>")
    for pt in p.historico:
        inc = "—" if pt.no_bimestre is None else reais(pt.no_bimestre)
        pct = "—" if pt.percentual is None else f"{apresentar_percentual(pt.percentual)}%"
        b0, b1 = ("<b>", "</b>") if pt.atual else ("", "")
        partes.append(
            f"<tr><td>{b0}{pt.bimestre}º{' (este)' if pt.atual else ''}{b1}</td>"
            f"<td>{NOME_COLUNA.get(pt.coluna, pt.coluna)}</td>"
            f'<td align="right">{b0}R$ {formatar(pt.aplicado)}{b1}</td>'
            f'<td align="right">{inc}</td><td align="right">{pct}</td></tr>'
        )
    partes.append("</table>")
    return "".join(partes)


class DialogoProjecao(QDialog):
    """The projection of the exercício (see module docstring); "Gerar PDF" renders the same
    report as ``siops projecao``."""

    def __init__(self, projecao: Projecao, janela: Any) -> None:
        super().__init__(janela)
        self.setObjectName("dialogo_projecao")
        self.janela = janela
        self.projecao = p = projecao
        self.setWindowTitle(f"Projeção do exercício {p.exercicio} — {p.ente}")
        self.resize(980, 680)
        caixa = QVBoxLayout(self)
        self.rotulo_resumo = QLabel(f"<b>{_escapar(p.resumo())}</b>")
        self.rotulo_resumo.setWordWrap(True)
        caixa.addWidget(self.rotulo_resumo)
        for a in p.avisos:
            aviso = QLabel(f'<span style="color: #a40000;">Atenção: {_escapar(a)}</span>')
            aviso.setWordWrap(True)
            caixa.addWidget(aviso)
        meio = QHBoxLayout()
        linhas = p.linhas_resumo()
        destaque = {n for n, (r, _) in enumerate(linhas) if r.startswith(("Mínimo", "Falta"))}
        self.rotulo_tabela = QLabel(_html_tabela(linhas, destaque))
        self.rotulo_tabela.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        meio.addWidget(self.rotulo_tabela, 0, Qt.AlignmentFlag.AlignTop)
        direita = QVBoxLayout()
        legenda = QLabel(
            f"<b>Aplicado até cada bimestre ({NOME_COLUNA.get(p.coluna, p.coluna)})</b>: "
            '<span style="color:#1F4E79;">■</span> aplicado · '
            '<span style="color:#9E9E9E;">□</span> projeção linear · '
            '<span style="color:#2E7D32;">┈</span> trajetória necessária · '
            '<span style="color:#C00000;">╌</span> mínimo do exercício'
        )
        legenda.setWordWrap(True)
        direita.addWidget(legenda)
        self.grafico = GraficoProjecao(p)
        direita.addWidget(self.grafico, 1)
        direita.addWidget(QLabel(_html_tendencia(p)))
        meio.addLayout(direita, 1)
        caixa.addLayout(meio, 1)
        premissas = QLabel(
            "<b>Premissas</b><br>"
            + "<br>".join(f"{n}. {_escapar(t)}" for n, t in enumerate(p.premissas, 1))
        )
        premissas.setWordWrap(True)
        premissas.setStyleSheet("font-size: 8pt; color: #303030;")
        rolagem = QScrollArea()
        rolagem.setWidget(premissas)
        rolagem.setWidgetResizable(True)
        rolagem.setMinimumHeight(120)
        rolagem.setMaximumHeight(185)
        caixa.addWidget(rolagem)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.botao_pdf = QPushButton("Gerar &PDF")
        botoes.addButton(self.botao_pdf, QDialogButtonBox.ButtonRole.ActionRole)
        self.botao_pdf.clicked.connect(self.gerar_pdf)
        botoes.rejected.connect(self.reject)
        caixa.addWidget(botoes)

    def gerar_pdf(self) -> None:
        """The report (PDF) in the system's viewer."""
        gerar_pdf_projecao(self.janela)


def gerar_pdf_projecao(janela: Any) -> None:
    """Relatórios → Projeção do exercício (PDF): rendered off the GUI thread, with the
    earlier bimestres, shown in the system's viewer."""
    doc = janela.documento
    if doc is None:
        return
    from siops.app.preferencias import pasta_dados

    janela.confirmar_edicao()
    copia = doc.declaracao.copia()
    caminho = doc.caminho
    pasta = pasta_dados() / "relatorios"
    pasta.mkdir(parents=True, exist_ok=True)
    base = caminho.stem if caminho else copia.ente.codigo
    destino = pasta / f"Projecao-{base}.pdf"

    def gerar() -> Path:
        from siops.app.analises import anteriores_da_pasta
        from siops.relatorios.pdf_projecao import renderizar_projecao

        renderizar_projecao(copia, destino, anteriores_da_pasta(copia, caminho, avisar=None))
        return destino

    def ok(p: Path) -> None:
        if not janela.dialogos.abrir_externo(p):
            janela.dialogos.informar(
                "Projeção do exercício",
                f"O PDF foi gravado em:\n{p}\n\nNão foi encontrado um programa para "
                "visualizá-lo; abra-o pelo gerenciador de arquivos.",
            )
        else:
            janela.mostrar_mensagem(f"Projeção do exercício: {p}")

    janela.tarefas.executar(
        "projeção do exercício",
        gerar,
        ok,
        lambda exc: janela.dialogos.informar(
            "Projeção do exercício",
            "O relatório não foi gerado.",
            icone="erro",
            detalhes=str(exc),
        ),
    )


# --- comparar versões --------------------------------------------------------------------------


class DialogoComparacao(QDialog):
    """What changed between two versions (``relatorios.comparacao.Comparacao``)."""

    def __init__(self, comparacao: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dialogo_comparacao")
        self.comparacao = c = comparacao
        self.setWindowTitle("Comparar versões — " + c.ente)
        self.resize(1000, 640)
        caixa = QVBoxLayout(self)
        topo = QLabel(f"<b>{_escapar(c.cabecalho())}</b>")
        topo.setWordWrap(True)
        caixa.addWidget(topo)
        for a in c.avisos:
            caixa.addWidget(QLabel(f'<span style="color:#a40000;">Atenção: {_escapar(a)}</span>'))
        n = len(c.mudancas)
        self.rotulo_total = QLabel(
            "Nenhuma diferença nos dados."
            if c.iguais
            else f"{n} alteraç{'ões' if n > 1 else 'ão'} (antigo → novo):"
        )
        caixa.addWidget(self.rotulo_total)
        self.arvore = QTreeWidget()
        self.arvore.setObjectName("arvore_comparacao")
        self.arvore.setColumnCount(4)
        self.arvore.setHeaderLabels(["Onde", "Coluna", "Antigo", "Novo"])
        self.arvore.setAlternatingRowColors(True)
        for grupo, ms in c.grupos():
            pai = QTreeWidgetItem([f"{grupo} ({len(ms)})", "", "", ""])
            fonte = pai.font(0)
            fonte.setBold(True)
            pai.setFont(0, fonte)
            for m in ms:
                filho = QTreeWidgetItem([m.onde, m.coluna, m.antigo_texto, m.novo_texto])
                filho.setToolTip(0, m.linha())
                for col in (2, 3):
                    filho.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
                pai.addChild(filho)
            self.arvore.addTopLevelItem(pai)
        efeitos = QTreeWidgetItem([f"Efeito nos totais do Anexo 12 ({len(c.efeitos)})", "", "", ""])
        fonte = efeitos.font(0)
        fonte.setBold(True)
        efeitos.setFont(0, fonte)
        for e in c.efeitos:
            filho = QTreeWidgetItem(
                [e.rotulo, e.titulo_coluna, f"R$ {formatar(e.antigo)}", f"R$ {formatar(e.novo)}"]
            )
            for col in (2, 3):
                filho.setTextAlignment(col, Qt.AlignmentFlag.AlignRight)
            efeitos.addChild(filho)
        self.arvore.addTopLevelItem(efeitos)
        self.arvore.expandAll()
        for n in range(self.arvore.topLevelItemCount()):  # group titles across the columns
            item = self.arvore.topLevelItem(n)
            if item is not None:
                item.setFirstColumnSpanned(True)
        self.arvore.setColumnWidth(0, 470)
        self.arvore.setColumnWidth(1, 270)
        self.arvore.setColumnWidth(2, 150)
        caixa.addWidget(self.arvore, 1)
        self.rotulo_percentual = QLabel(f"<b>{_escapar(c.linha_percentual())}</b>")
        self.rotulo_percentual.setWordWrap(True)
        caixa.addWidget(self.rotulo_percentual)
        botoes = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.botao_copiar = QPushButton("&Copiar resumo (justificativa)")
        self.botao_copiar.setToolTip(
            "Copia o resumo das alterações, para começar a justificativa do pedido de retransmissão"
        )
        botoes.addButton(self.botao_copiar, QDialogButtonBox.ButtonRole.ActionRole)
        self.botao_copiar.clicked.connect(self.copiar)
        botoes.rejected.connect(self.reject)
        caixa.addWidget(botoes)

    def copiar(self) -> None:
        QGuiApplication.clipboard().setText(self.comparacao.justificativa())


def _origem(caminho: Path | None) -> str:
    """A file as the comparison names it: its name, with ``transm/`` for the copies."""
    if caminho is None:
        return ""
    return (
        f"{caminho.parent.name}/{caminho.name}" if caminho.parent.name == "transm" else caminho.name
    )


def _comparar(janela: Any, antigo: Path, novo: Path | None, origem_novo: str = "") -> None:
    """Read ``antigo`` (and ``novo``; None: the open declaration as it is now, unsaved edits
    included) off the GUI thread and show the comparison."""
    from siops.app.analises import ler_versao
    from siops.relatorios.comparacao import comparar

    atual = janela.documento.declaracao.copia() if novo is None else None

    def fazer() -> Any:
        a = ler_versao(antigo)
        b = atual if atual is not None else ler_versao(novo)  # type: ignore[arg-type]
        return comparar(a, b, _origem(antigo), origem_novo or _origem(novo))

    janela.tarefas.executar(
        "comparação de versões",
        fazer,
        lambda c: janela.dialogos.mostrar(DialogoComparacao(c, janela)),
        lambda exc: janela.dialogos.informar(
            "Comparar versões", "Não foi possível comparar.", icone="erro", detalhes=str(exc)
        ),
    )


def comparar_com_transmitida(janela: Any) -> None:
    """The copy in ``transm/`` (the signed one when it was transmitted) → the open declaration."""
    doc = janela.documento
    if doc is None:
        return
    janela.confirmar_edicao()
    from siops.app.analises import copia_transmitida

    copia = copia_transmitida(doc.declaracao, doc.caminho) if doc.caminho else None
    if copia is None:
        janela.dialogos.informar(
            "Comparar versões",
            "Não há cópia gravada para transmissão desta declaração (pasta transm ao lado do "
            "arquivo): nada a comparar.",
            icone="aviso",
        )
        return
    _comparar(janela, copia, None, "arquivo aberto, com as alterações ainda não salvas")


def comparar_com_anterior(janela: Any) -> None:
    """The previous bimestre's file → the open declaration."""
    doc = janela.documento
    if doc is None:
        return
    janela.confirmar_edicao()
    from siops.app.analises import candidatos

    d = doc.declaracao
    achados = [p for b, p in candidatos(d, doc.caminho) if b == d.bimestre - 1]
    if not achados:
        janela.dialogos.informar(
            "Comparar versões",
            f"O arquivo do {d.bimestre - 1}º bimestre de {d.exercicio} não foi encontrado na "
            "pasta da declaração nem nas pastas padrão."
            if d.bimestre > 1
            else "Esta declaração é do 1º bimestre: não há bimestre anterior no exercício.",
            icone="aviso",
        )
        return
    _comparar(janela, achados[0], None, "arquivo aberto")


def comparar_arquivos(janela: Any) -> None:
    """Two files chosen, the old one first."""
    from siops.ops_format import caminhos

    pasta = caminhos.raiz()
    filtro = "Declarações (*.OPS *.IMP *.assinado.xml)"

    def segundo(antigo: Path) -> None:
        janela.dialogos.escolher_abrir(
            "Comparar versões: a versão NOVA",
            antigo.parent,
            filtro,
            lambda novo: _comparar(janela, antigo, novo),
        )

    janela.dialogos.escolher_abrir("Comparar versões: a versão ANTIGA", pasta, filtro, segundo)


# --- carteira ----------------------------------------------------------------------------------


def abrir_carteira(janela: Any) -> Any:
    """Ferramentas → Carteira de entes…: the portfolio's window (MS-SIOPS)."""
    from siops.app.janela_carteira import JanelaCarteira

    existente = next((w for w in janela._janelas_extras if isinstance(w, JanelaCarteira)), None)
    if existente is not None:
        existente.show()
        existente.raise_()
        existente.activateWindow()
        return existente
    c = JanelaCarteira(janela, dialogos=janela.dialogos)
    c.abrirDeclaracao.connect(lambda p: janela.abrir_arquivo_pedido(Path(p)))
    janela._janelas_extras.append(c)
    c.show()
    c.atualizar()
    return c


# --- wiring into the main window ---------------------------------------------------------------


def instalar_painel(janela: Any) -> PainelProjecao:
    """The projection panel, added to the status bar (call right after the percentage)."""
    painel = PainelProjecao(janela)
    janela.statusBar().addPermanentWidget(painel)
    return painel


def instalar_menus(janela: Any, ferramentas: QMenu, relatorios: QMenu) -> None:
    """Ferramentas: Carteira de entes…, Comparar versões ▸; Relatórios: Projeção do exercício.
    The actions that need an open declaration join ``janela.acoes_documento``."""

    def acao(texto: str, fn: Any) -> QAction:
        a = QAction(texto, janela)
        a.triggered.connect(lambda _c=False: fn(janela))
        return a

    janela.a_carteira = acao("&Carteira de entes…", abrir_carteira)
    janela.a_comparar_transmitida = acao(
        "Com a cópia &transmitida (transm)…", comparar_com_transmitida
    )
    janela.a_comparar_anterior = acao("Com o bimestre &anterior…", comparar_com_anterior)
    janela.a_comparar_arquivos = acao("&Dois arquivos…", comparar_arquivos)
    janela.a_projecao = acao("&Projeção do exercício…", lambda j: j.painel_projecao.mostrar())
    janela.a_rel_projecao = acao("Projeção do &exercício (PDF)", gerar_pdf_projecao)
    ferramentas.addAction(janela.a_projecao)
    janela.menu_comparar = ferramentas.addMenu("Co&mparar versões")
    janela.menu_comparar.addActions(
        [janela.a_comparar_transmitida, janela.a_comparar_anterior, janela.a_comparar_arquivos]
    )
    ferramentas.addSeparator()
    ferramentas.addAction(janela.a_carteira)
    relatorios.addSeparator()
    relatorios.addAction(janela.a_rel_projecao)
    janela.acoes_documento += [
        janela.a_projecao,
        janela.a_comparar_transmitida,
        janela.a_comparar_anterior,
        janela.a_rel_projecao,
    ]
