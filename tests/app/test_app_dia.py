"""Issue 24, "the clerk's day": each defect found walking the whole job under Xvfb, kept fixed
by a test that drives the real window (offscreen) as the clerk did."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from siops.forms.declaracao import Declaracao
from siops.forms.entes import ente
from siops.forms.razao import ChaveDespesa


def _celula(d: Declaracao, chave, valor: Decimal) -> None:
    """Make a cell of the Anexo 12 hold ``valor`` through the ledger line that stands for it
    (issue 19: those cells are computed from the ledger)."""
    d.aplicar(d.comando_celula(chave, valor))


def _caminho(ambiente: Path, ano: int, nome_bim: str, cod: str = "M353170") -> Path:
    return (
        ambiente
        / "MS-SIOPS"
        / "MUNICIPAL"
        / str(ano)
        / f"{nome_bim}Bimestre"
        / f"{cod}_{ano}_{nome_bim}Bimestre.OPS"
    )


# --- 1. the import of the previous bimestre keeps the LOA figures ----------------------------


def test_importar_anterior_mantem_previsao_e_dotacao_iniciais(janela, balcao, qtbot, ambiente):
    from siops.criticas import verificar
    from siops.ops_format import salvar

    iptu_ini = ("receitas_base", "iptu", "previsao_inicial")
    iptu_atu = ("receitas_base", "iptu", "previsao_atualizada")
    desp_ini = ("despesas_asps", "s301_31", "dotacao_inicial")
    anterior = Declaracao(ente("M353170"), 2026, 5)
    _celula(anterior, iptu_ini, Decimal("420000.00"))
    _celula(anterior, iptu_atu, Decimal("450000.00"))
    _celula(anterior, desp_ini, Decimal("1000000.00"))
    salvar(anterior, _caminho(ambiente, 2026, "Quinto"))

    j = janela
    balcao.criar("monteiro lobato", "SP", 2026, 6)
    mostrados = []
    j.dialogos.ao_mostrar = mostrados.append
    j.dialogos.arquivos.append(_caminho(ambiente, 2026, "Quinto"))
    j.a_importar_anterior.trigger()
    qtbot.waitUntil(lambda: bool(mostrados), timeout=15000)
    dlg = mostrados[0]
    # The preview lists what changes, old → new, under each pasta (expandable).
    textos = dlg.textos_mudancas()
    assert any(  # the IPTU's line of the ledger (natureza 1.1.1.2.50)
        "1.1.1.2.50" in t and "Previsão inicial" in t and "0,00 → 420.000,00" in t for t in textos
    ), textos
    assert any("Dotação inicial" in t and "0,00 → 1.000.000,00" in t for t in textos), textos
    dlg.accept()
    d = j.documento.declaracao
    qtbot.waitUntil(lambda: d.valor(iptu_ini) == Decimal("420000.00"), timeout=5000)
    assert d.valor(desp_ini) == Decimal("1000000.00")
    assert d.valor(iptu_atu) == Decimal("450000.00")

    # "inicial zero, atualizada preenchida" is flagged (an aviso: the LOA was not typed).
    sem_loa = Declaracao(ente("M353170"), 2026, 2)
    _celula(sem_loa, iptu_atu, Decimal("450000.00"))
    achados = [a for a in verificar(sem_loa) if a.tabela == "receitas_base"]
    assert any("inicial" in a.mensagem and "IPTU" in a.mensagem for a in achados), achados


# --- 2. bad input is never changed or dropped in silence -------------------------------------


def _digitar_sem_esperar(qtbot, vista, texto):
    """Type into the current cell (the first key opens the editor) and press Enter."""
    from PySide6.QtCore import Qt

    qtbot.keyClicks(vista, texto[0])
    editor = vista.focusWidget()
    assert editor is not vista and editor.parentWidget() is vista.viewport()
    qtbot.keyClicks(editor, texto[1:])
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    return editor


def test_entrada_invalida_fica_no_campo_com_a_mensagem_ao_lado(janela, balcao, qtbot):
    from PySide6.QtCore import QRect, Qt

    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 2)
    j.mostrar_pagina("razao:despesas")  # the despesas are typed in the ledger (issue 19)
    pagina = j.pagina_razao("despesas")
    balcao.incluir_linha(pagina, "4.4.90.52", planilha="4", subfuncao="301")
    desp = pagina.vista
    m = desp.modelo()
    pos = pagina.modelo.posicao_linha(ChaveDespesa.de("4", "301", "4.4.90.52"), "empenhada")
    antes = m.index(*pos).data()
    for texto, motivo in (
        ("1,2,3", "formato"),
        ("abc", "não é um número"),
        ("-5", "negativo"),
    ):
        desp.ir_para(*pos)
        editor = _digitar_sem_esperar(qtbot, desp, texto)
        # Nothing changed, the editor is still open with exactly what was typed…
        assert m.index(*pos).data() == antes, texto
        assert desp.state() == desp.State.EditingState, texto
        assert editor.text() == texto
        # …and the full reason is shown next to the field, not cut.
        aviso = desp.aviso
        qtbot.waitUntil(aviso.isVisible, timeout=3000)
        assert motivo in aviso.text(), (texto, aviso.text())
        assert aviso.height() >= aviso.heightForWidth(aviso.width())
        area = QRect(0, 0, desp.viewport().width(), desp.viewport().height())
        assert area.contains(aviso.geometry()), (aviso.geometry(), area)
        celula = desp.visualRect(m.index(*pos))
        assert (
            abs(aviso.geometry().top() - celula.bottom()) < 4
            or abs(aviso.geometry().bottom() - celula.top()) < 4
        )  # right under (or over) the cell
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: desp.state() != desp.State.EditingState, timeout=3000)
        assert not aviso.isVisible()
    # A valid value still goes in.
    desp.ir_para(*pos)
    _digitar_sem_esperar(qtbot, desp, "12,5")
    qtbot.waitUntil(lambda: m.index(*pos).data() == "12,50", timeout=3000)


# --- 3. keyboard: tree → table → críticas, a visible cell, shortcuts, one click ----------------


def test_teclado_arvore_tabela_criticas_e_clique_simples(janela, balcao, qtbot):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    j.mostrar_pagina("tabela:receitas_totais")  # a table still typed (issue 19)
    rec = j.vista("receitas_totais")
    # Tab from the pastas tree goes into the table, on a visible (current, selected,
    # editable) cell; never into the críticas filter, whose arrow keys would change it.
    j.navegacao.setFocus()
    qtbot.waitUntil(j.navegacao.hasFocus, timeout=3000)
    qtbot.keyClick(j.navegacao, Qt.Key.Key_Tab)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rec, timeout=3000)
    atual = rec.currentIndex()
    assert atual.isValid() and rec.modelo().editavel(atual.row(), atual.column())
    assert rec.selectionModel().isSelected(atual)
    for combo in (j.dock.severidade, j.dock.grupo):
        assert not combo.focusPolicy() & Qt.FocusPolicy.TabFocus
    # Shortcuts between the three areas, shown in the Exibir menu.
    exibir = next(a.menu() for a in j.menuBar().actions() if a.text() == "E&xibir")
    atalhos = {a.shortcut().toString() for a in exibir.actions() if not a.isSeparator()}
    assert {"F6", "Ctrl+1", "Ctrl+2", "Ctrl+3"} <= atalhos, atalhos
    qtbot.keyClick(rec, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is j.dock.tabela, timeout=3000)
    qtbot.keyClick(j.dock.tabela, Qt.Key.Key_F6)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is j.navegacao, timeout=3000)
    qtbot.keyClick(j.navegacao, Qt.Key.Key_2, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is rec, timeout=3000)
    qtbot.keyClick(rec, Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is j.dock.tabela, timeout=3000)

    # A single click on a crítica goes to its cell (in the Anexo 12, computed from the ledger).
    j.mostrar_pagina("razao:despesas")
    pagina = j.pagina_razao("despesas")
    balcao.incluir_linha(pagina, "3.3.90.39", planilha="4", subfuncao="302")
    servicos = ChaveDespesa.de("4", "302", "3.3.90.39")
    balcao.digitar_razao(pagina.vista, servicos, "liquidada", "10,00")
    desp = j.vista("despesas_asps")
    j.mostrar_pagina("tabela:receitas_totais")
    qtbot.waitUntil(lambda: j.dock.filtro.rowCount() > 0, timeout=10000)
    linha = next(
        r
        for r in range(j.dock.filtro.rowCount())
        if getattr(j.dock.filtro.index(r, 0).data(Qt.ItemDataRole.UserRole + 4), "tabela", None)
        == "despesas_asps"
    )
    j.dock.tabela.scrollTo(j.dock.filtro.index(linha, 0))
    centro = j.dock.tabela.visualRect(j.dock.filtro.index(linha, 1)).center()
    qtbot.mouseClick(j.dock.tabela.viewport(), Qt.MouseButton.LeftButton, pos=centro)
    qtbot.waitUntil(lambda: j.vista_atual() is desp, timeout=3000)
    assert desp.currentIndex().row() == balcao.pos(desp, "s302_33", "liquidada")[0]


# --- 8. smaller: mnemonics, recent files, title, the chosen município -------------------------


def _mnemonico(texto: str) -> str | None:
    i = texto.replace("&&", "").find("&")
    if i < 0:
        return None
    import unicodedata

    letra = texto.replace("&&", "")[i + 1]
    return unicodedata.normalize("NFKD", letra)[0].casefold()


def test_menus_sem_mnemonico_repetido_recentes_titulo_e_municipio(janela, balcao, qtbot, ambiente):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication

    from siops.app.janela_nova import DialogoNovaDeclaracao
    from siops.app.modelos import ModeloRecentes

    j = janela
    menus = [a.menu() for a in j.menuBar().actions()]
    topo = [_mnemonico(a.text()) for a in j.menuBar().actions()]
    assert len(topo) == len(set(topo)), topo
    for menu in menus:
        letras = [_mnemonico(a.text()) for a in menu.actions() if not a.isSeparator()]
        letras = [x for x in letras if x]
        repetidas = {x for x in letras if letras.count(x) > 1}
        assert not repetidas, (menu.title(), repetidas, [a.text() for a in menu.actions()])

    # The title names the declaration once; Qt appends the application name itself.
    nome_app = QApplication.applicationDisplayName()
    assert nome_app == "SIOPS"
    assert "SIOPS" not in j.windowTitle()
    balcao.criar("monteiro lobato", "SP", 2026, 5)
    assert "SIOPS" not in j.windowTitle()
    assert "Monteiro Lobato" in j.windowTitle() and "5º bimestre de 2026" in j.windowTitle()

    # Recent files say whose and which bimestre.
    m = ModeloRecentes([_caminho(ambiente, 2026, "Quinto")])
    texto = m.index(0, 0).data()
    assert texto.splitlines()[0] == "Município de Monteiro Lobato/SP — 5º bimestre de 2026", texto
    assert "M353170_2026_QuintoBimestre.OPS" in texto

    # The chosen município keeps its highlight when a typo hides it and is corrected.
    dlg = DialogoNovaDeclaracao(j)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    qtbot.keyClicks(dlg.busca, "monteiro")
    alvo = next(
        r for r in range(dlg.filtro.rowCount()) if "Lobato" in dlg.filtro.index(r, 0).data()
    )
    centro = dlg.lista.visualRect(dlg.filtro.index(alvo, 0)).center()
    qtbot.mouseClick(dlg.lista.viewport(), Qt.MouseButton.LeftButton, pos=centro)
    dlg.busca.setFocus()
    qtbot.keyClicks(dlg.busca, "x")  # nothing matches "monteirox"
    assert dlg.filtro.rowCount() == 0
    qtbot.keyClick(dlg.busca, Qt.Key.Key_Backspace)
    selecionados = dlg.lista.selectionModel().selectedIndexes()
    assert [i.data() for i in selecionados] == ["Monteiro Lobato — SP"]
    assert dlg.ente_escolhido() is not None and dlg.ente_escolhido().nome == "Monteiro Lobato"
    dlg.reject()


# --- 7. the Transmissor follows the open declaration and opens centred -----------------------


def test_transmissor_segue_a_declaracao_aberta_e_abre_centrado(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2026, 6)
    j.a_transmissor.trigger()
    t = j._janelas_extras[-1]
    qtbot.waitExposed(t)
    assert (t.exercicio_spin.value(), t.bimestre_combo.currentData()) == (2026, 6)
    assert t.esfera_combo.currentIndex() == 0  # municipal
    assert "SextoBimestre" in t.rotulo_pasta.text() and "2026" in t.rotulo_pasta.text()
    # Centred over the main window, kept on the screen (the offscreen screen is 800×800, so a
    # side that does not fit starts at the screen's edge).
    tela = j.screen().availableGeometry()
    ft, fj = t.frameGeometry(), j.frameGeometry()

    def esperado(centro: int, tamanho: int, inicio: int, extensao: int) -> int:
        if tamanho > extensao:
            return inicio
        return min(max(centro - tamanho // 2, inicio), inicio + extensao - tamanho)

    assert abs(ft.left() - esperado(fj.center().x(), ft.width(), tela.left(), tela.width())) <= 4
    assert abs(ft.top() - esperado(fj.center().y(), ft.height(), tela.top(), tela.height())) <= 4
    t.close()


# --- 5. file dialogs in pt-BR, columns not cut, dates dd/mm/aaaa ------------------------------


def test_dialogo_de_arquivo_em_portugues(janela, qtbot, tmp_path):
    import re

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QFileDialog, QLabel, QTreeView

    from siops.app.dialogos import Dialogos

    pasta = tmp_path / "QuintoBimestre"
    pasta.mkdir()
    (pasta / "M353170_2026_QuintoBimestre.OPS").write_text("x")
    Dialogos(janela).escolher_abrir("Abrir declaração", pasta, "Declarações (*.OPS)", print)
    dlg = next(d for d in janela.findChildren(QFileDialog) if d.isVisible())
    qtbot.waitExposed(dlg)
    textos = [w.text() for w in dlg.findChildren(QLabel) if w.isVisible()]
    assert not [t for t in textos if "Look in" in t or "Files of" in t], textos
    tv = dlg.findChild(QTreeView, "treeView")
    m = tv.model()
    qtbot.waitUntil(lambda: m.rowCount(tv.rootIndex()) == 1, timeout=5000)
    datas = [m.index(0, c, tv.rootIndex()).data() for c in range(m.columnCount(tv.rootIndex()))]
    assert any(re.fullmatch(r"\d{2}/\d{2}/\d{4} \d{2}:\d{2}", str(x)) for x in datas), datas
    fm = tv.fontMetrics()
    hh = tv.header()
    margem = 6  # the item delegate's text margins (3 px each side in Fusion)
    for c in range(m.columnCount(tv.rootIndex())):
        icone = tv.iconSize().width() + 4 if c == 0 else 0
        for texto in (
            m.headerData(c, Qt.Orientation.Horizontal),
            m.index(0, c, tv.rootIndex()).data(),
        ):
            largura = fm.horizontalAdvance(str(texto)) + margem + icone
            assert largura <= hh.sectionSize(c), (texto, hh.sectionSize(c))
    dlg.reject()


# --- 4. nothing cut at 1280×800 and 1366×768 (Qt's own font metrics) -------------------------


def _cortados(j) -> list[str]:
    """Every visible label, button, header and status message of the window whose text is
    wider (or, wrapping, taller) than the room it has: ``app.medidas``, Qt's font metrics."""
    from siops.app.medidas import textos_cortados

    return textos_cortados(j)


def test_nada_cortado_em_1280x800_e_1366x768(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 2)
    j.mostrar_demonstracao("credenciais", "DEMONSTRAÇÃO — servidor local")
    desp = j.pagina_razao("despesas")
    balcao.incluir_linha(desp, "4.4.90.52", planilha="4", subfuncao="301")
    linha = ChaveDespesa.de("4", "301", "4.4.90.52")
    asps = j.vista("despesas_asps")
    for largura, altura in ((1280, 800), (1366, 768)):
        j.resize(largura, altura)
        for pagina in (
            "tabela:receitas_base",
            "tabela:despesas_asps",
            "tabela:apuracao",
            "razao:despesas",
            "razao:receitas",
        ):
            w = j.mostrar_pagina(pagina)
            vista = w.vista
            # the longest messages, in the status bar: a refusal in the ledger, the reason
            # an aggregated cell takes no typing, an import
            if pagina == "razao:despesas":
                texto = w.modelo.motivo_recusa(*w.modelo.posicao_linha(linha, "paga"), "-5")
            elif pagina == "tabela:despesas_asps":
                texto = asps.modelo().somente_leitura(*balcao.pos(asps, "s301_44", "paga"))
            else:
                texto = (
                    "Importação concluída: 312 item(ns) do bimestre anterior; confira os valores."
                )
            assert texto
            vista.mensagem.emit(texto)
            qtbot.wait(50)
            assert not _cortados(j), (largura, altura, pagina, _cortados(j))


# --- 6. reports saved where the clerk chooses and previewed inside the program ----------------


def _paginas_pdf(pdf: Path) -> int:
    import re
    import subprocess

    r = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    return int(re.search(r"^Pages:\s+(\d+)", r.stdout, re.M).group(1))


def test_relatorio_salvo_onde_o_usuario_escolhe_e_mostrado_no_programa(
    janela, balcao, qtbot, ambiente, tmp_path
):
    from PySide6.QtPrintSupport import QPrinter

    from siops.app.cmd_cliente import preparar_demo
    from siops.app.preferencias import pasta_dados
    from siops.app.previa_pdf import DialogoPreviaPdf, tinta

    j = janela
    arquivo = preparar_demo(ambiente / "MS-SIOPS")
    assert j.abrir_arquivo(arquivo)
    balcao.esperar_tarefas()
    # Proposed beside the declaration, named like `siops rreo` names it; cancelling writes
    # nothing anywhere.
    j.a_rel_rreo.trigger()
    qtbot.waitUntil(lambda: bool(j.dialogos.salvamentos), timeout=5000)
    _titulo, sugerido, filtro = j.dialogos.salvamentos[-1]
    assert sugerido == arquivo.with_name(f"{arquivo.stem}_RREO.pdf"), sugerido
    assert "*.pdf" in filtro
    qtbot.wait(100)
    assert not j.tarefas.ocupado() and not list(ambiente.rglob("*.pdf"))
    # Another folder chosen: the PDF goes there, nothing to a hidden folder, and the report is
    # shown inside the program, not handed to a PDF program (the machine has none).
    j.dialogos.visualizador = False
    escolhido = tmp_path / "Relatórios da saúde" / "RREO do 5º bimestre.pdf"
    escolhido.parent.mkdir()
    j.dialogos.arquivos.append(escolhido)
    j.a_rel_rreo.trigger()
    qtbot.waitUntil(
        lambda: any(isinstance(d, DialogoPreviaPdf) for d in j.dialogos.mostrados), timeout=60000
    )
    assert escolhido.read_bytes().startswith(b"%PDF")
    assert not (pasta_dados() / "relatorios").exists()
    assert not j.dialogos.externos
    dlg = next(d for d in j.dialogos.mostrados if isinstance(d, DialogoPreviaPdf))
    dlg.show()
    qtbot.waitExposed(dlg)
    n = _paginas_pdf(escolhido)
    assert len(dlg.pdf) == n > 1

    def ajustada() -> bool:  # drawn, as wide as the window (once it settled in its size)
        img = dlg.pagina_renderizada(0)
        return img is not None and img.width() >= dlg.rolagem.viewport().width() * 0.9

    qtbot.waitUntil(ajustada, timeout=5000)
    pagina = dlg.pagina_renderizada(0)
    largura, altura = dlg.pdf.tamanhos[0]
    assert abs(pagina.width() / pagina.height() - largura / altura) < 0.01  # the page's shape
    assert pagina.width() <= dlg.rolagem.viewport().width()  # no sideways scrolling
    assert 0.01 < tinta(pagina) < 0.5  # drawn: text on white
    assert dlg.rotulo_pagina.text() == f"Página 1 de {n}"
    assert dlg.rotulo_caminho.texto_inteiro() == str(escolhido)
    # The last page comes into view (and is drawn) when scrolled to.
    dlg.rolagem.verticalScrollBar().setValue(dlg.rolagem.verticalScrollBar().maximum())
    qtbot.waitUntil(lambda: dlg.pagina_renderizada(n - 1) is not None, timeout=5000)
    assert dlg.rotulo_pagina.text().endswith(f"de {n}")
    # Zoom.
    dlg.botao_mais.click()
    qtbot.waitUntil(lambda: dlg.pagina_renderizada(n - 1) is not None, timeout=5000)
    assert dlg.pagina_renderizada(n - 1).width() > pagina.width()
    # Without a PDF program: said in the preview, never "use the file manager".
    dlg.botao_externo.click()
    assert dlg.nota.isVisible() and "Imprimir" in dlg.nota.text()
    falas = [dlg.nota.text(), *(" ".join(m) for m in j.dialogos.mensagens)]
    assert not [f for f in falas if "gerenciador" in f], falas
    # Printing prints every page.
    impressora = QPrinter(QPrinter.PrinterMode.HighResolution)
    impressora.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    impressa = tmp_path / "impresso.pdf"
    impressora.setOutputFileName(str(impressa))
    assert dlg.imprimir_em(impressora) == n
    assert _paginas_pdf(impressa) == n
    dlg.accept()
    assert dlg.pdf is None  # PDFium's document released with the preview


# --- 4 (rest). descriptions, Anexo 12 columns, Cargo/E-mail, the demo's box --------------------

#: The Anexo 12 tables of despesas: every column in view at 1280×800, no sideways scrolling.
DESPESAS_ANEXO12 = (
    "despesas_asps",
    "despesas_nao_computadas",
    "despesas_totais",
    "despesa_elemento",
    "consorcios",
    "despesa_fonte",
    "blocos",
)
#: The laptop sizes of the issue, and a 1440×900 screen maximised.
TAMANHOS = ((1280, 800), (1366, 768), (1440, 900))


def _largura_texto(vista, index) -> int:
    """What a cell's text needs: its own font, the delegate's margins (3 px each side in
    Fusion), the icon when it has one."""
    from PySide6.QtCore import Qt
    from PySide6.QtGui import QFontMetrics

    fonte = index.data(Qt.ItemDataRole.FontRole) or vista.font()
    largura = QFontMetrics(fonte).horizontalAdvance(index.data() or "") + 6
    if index.data(Qt.ItemDataRole.DecorationRole) is not None:
        largura += vista.iconSize().width() + 4
    return largura


def _colunas_sem_sobra(vista) -> list[str]:
    """A number column wider than its widest value and its header need (+ a small margin):
    room that the descriptions could have had. (A column of zeros keeps room to type a value
    in the hundreds of thousands.)"""
    from PySide6.QtCore import Qt

    m = vista.modelo()
    hh = vista.horizontalHeader()
    fm_cab = hh.fontMetrics()
    digitar = vista.fontMetrics().horizontalAdvance("999.999,99") + 6
    problemas = []
    for c in m.colunas_numericas():
        cab = str(m.headerData(c, Qt.Orientation.Horizontal) or "").split("\n")
        precisa = max(
            [digitar, *(fm_cab.horizontalAdvance(x) + 8 for x in cab)]
            + [_largura_texto(vista, m.index(r, c)) for r in range(m.rowCount())]
        )
        if hh.sectionSize(c) > precisa + 16:
            problemas.append(f"coluna {c}: {hh.sectionSize(c)} px para {precisa} px")
    return problemas


def _descricoes_cortadas_sem_motivo(vista) -> list[str]:
    """Row descriptions that do not fit although there is room, or that are cut without their
    whole text in the tooltip."""
    from PySide6.QtCore import Qt

    from siops.app.modelos import RECUO

    m = vista.modelo()
    hh = vista.horizontalHeader()
    outras = sum(hh.sectionSize(c) for c in range(1, m.columnCount()) if not hh.isSectionHidden(c))
    livre = vista.viewport().width() - outras
    problemas = []
    for r in range(m.rowCount()):
        idx = m.index(r, 0)
        if _largura_texto(vista, idx) <= hh.sectionSize(0):
            continue
        texto = (idx.data() or "").strip(RECUO + " ")
        if hh.sectionSize(0) < livre - 4:
            problemas.append(f"{texto!r} cortada com {livre - hh.sectionSize(0)} px sobrando")
        if texto not in (idx.data(Qt.ItemDataRole.ToolTipRole) or ""):
            problemas.append(f"{texto!r} cortada sem o texto inteiro na dica")
    return problemas


@pytest.fixture
def demo_aberta(janela, balcao, ambiente):
    from siops.app.cmd_cliente import preparar_demo

    assert janela.abrir_arquivo(preparar_demo(ambiente / "MS-SIOPS"))
    balcao.esperar_tarefas()
    return janela


def test_descricoes_e_colunas_do_anexo12_cabem(demo_aberta, qtbot):
    from PySide6.QtCore import Qt

    from siops.app.modelos import RECUO

    j = demo_aberta
    j.dock.show()
    for largura, altura in TAMANHOS:
        j.resize(largura, altura)
        for tabela in j.documento.catalogo.tabelas:
            vista = j.mostrar_pagina(f"tabela:{tabela}").vista
            qtbot.wait(20)
            tamanho = (largura, altura, tabela)
            assert not _colunas_sem_sobra(vista), (tamanho, _colunas_sem_sobra(vista))
            assert not _descricoes_cortadas_sem_motivo(vista), (
                tamanho,
                _descricoes_cortadas_sem_motivo(vista),
            )
            if tabela in DESPESAS_ANEXO12:
                assert vista.horizontalScrollBar().maximum() == 0, tamanho
        # The ledger scrolls sideways (eight amounts and where each line goes), but its
        # descriptions are cut only where the room ends, the whole text in the tooltip.
        for tipo in ("despesas", "receitas"):
            vista = j.mostrar_pagina(f"razao:{tipo}").vista
            qtbot.wait(20)
            assert not _colunas_sem_sobra(vista), (largura, tipo, _colunas_sem_sobra(vista))
            for r in range(vista.modelo().rowCount()):
                idx = vista.modelo().index(r, 0)
                if _largura_texto(vista, idx) > vista.horizontalHeader().sectionSize(0):
                    dica = idx.data(Qt.ItemDataRole.ToolTipRole) or ""
                    assert idx.data().strip(RECUO).split(" — ")[0] in dica, (r, idx.data(), dica)
    # At 1280×800 the longest subfunção of the despesas com ASPS is whole.
    j.resize(1280, 800)
    vista = j.mostrar_pagina("tabela:despesas_asps").vista
    qtbot.wait(20)
    r, _ = vista.modelo().posicao("s302", None)
    assert vista.modelo().index(r, 0).data() == "ASSISTÊNCIA HOSPITALAR E AMBULATORIAL (V)"
    assert _largura_texto(vista, vista.modelo().index(r, 0)) <= vista.columnWidth(0)


def _largura_util(campo) -> int:
    """The room a line edit has for its text (Qt's own contents rect, minus its margins)."""
    from PySide6.QtWidgets import QStyle, QStyleOptionFrame

    opt = QStyleOptionFrame()
    campo.initStyleOption(opt)
    area = campo.style().subElementRect(QStyle.SubElement.SE_LineEditContents, opt, campo)
    margens = campo.textMargins()
    return area.width() - margens.left() - margens.right() - 4  # 2 px each side (QLineEdit)


def test_cargo_e_email_nao_cortam(demo_aberta, qtbot):
    j = demo_aberta
    form = j.mostrar_pagina("form:dados_gerais")
    cat = j.documento.catalogo
    campos = [
        c.id
        for c in cat.campos_do_grupo("responsaveis")
        if c.titulo.endswith((" — cargo", " — e-mail", " — nome"))
    ]
    assert len(campos) == 12
    for largura, altura in TAMANHOS:
        j.resize(largura, altura)
        qtbot.wait(50)
        for cid in campos:
            campo = form.campos[cid]
            texto = campo.text()
            assert texto, cid
            assert campo.fontMetrics().horizontalAdvance(texto) <= _largura_util(campo), (
                largura,
                cid,
                texto,
                _largura_util(campo),
            )
        assert form.horizontalScrollBar().maximum() == 0, largura


def test_caixa_da_demonstracao_nao_quebra_no_meio_da_frase(janela, qtbot):
    from PySide6.QtWidgets import QDialog, QLabel

    from siops.app.dialogos import Dialogos

    pasta = Path("/tmp/siops-demo-k2x9")  # as `siops demo` makes it (only named here)
    linhas = [
        "Demonstração do SIOPS — Monteiro Lobato/SP, 5º bimestre de 2026",
        "",
        "Servidor local: http://127.0.0.1:58417 (é encerrado quando o programa fecha)",
        f"Pasta da demonstração: {pasta}",
        f"E-mails do servidor (cada um é um arquivo .eml): {pasta / 'servidor' / 'correio'}",
        "",
        "Técnica responsável pelo envio (entra no Transmissor):",
        "  Fernanda Cristina Ribeiro — CPF 456.789.123-64",
        "  Senha do Transmissor (enviada pelo servidor por e-mail): Xk7#pQ2m",
        f"  Certificado A1: {pasta / 'certificados' / 'tecnica.pfx'} — senha do arquivo: demo",
    ]
    texto = "\n".join(linhas)
    j = janela
    j.dialogos = Dialogos(j)  # the real box
    j.mostrar_demonstracao(texto, "DEMONSTRAÇÃO — servidor local 127.0.0.1:58417")
    caixa = next(d for d in j.findChildren(QDialog) if d.isVisible())
    qtbot.waitExposed(caixa)
    rotulo = next(r for r in caixa.findChildren(QLabel) if "Servidor local" in r.text())
    # Every line whole on one line of the box: nothing wrapped mid-phrase.
    assert not rotulo.wordWrap()
    assert rotulo.text() == texto
    fm = rotulo.fontMetrics()
    for linha in linhas:
        assert fm.horizontalAdvance(linha) <= rotulo.contentsRect().width(), linha
        assert rotulo.visibleRegion().boundingRect().width() >= fm.horizontalAdvance(linha)
    caixa.accept()


def test_mensagem_nao_fica_sob_os_rotulos_que_crescem(demo_aberta, qtbot):
    """A message that fitted is not left under a fixed label that came (DEMONSTRAÇÃO) or grew
    after it (the percentage): it moves to the strip under the pages."""
    j = demo_aberta
    j.resize(1440, 860)
    qtbot.wait(50)
    j.mostrar_mensagem("Declaração aberta: M353170_2026_QuintoBimestre.OPS")
    assert j.statusBar().currentMessage()
    j.mostrar_demonstracao("credenciais", "DEMONSTRAÇÃO — servidor local 127.0.0.1:34179")
    qtbot.wait(50)
    assert "QuintoBimestre" in j.mensagem_atual()
    assert not _cortados(j), _cortados(j)
    j.resize(1280, 800)
    qtbot.wait(50)
    assert "QuintoBimestre" in j.mensagem_atual()
    assert not _cortados(j), _cortados(j)
