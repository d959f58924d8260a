"""The real main window driven as a clerk would (offscreen): create, type, watch the
percentage, críticas and navigation, undo/redo, paste, save, close, reopen, import, RREO."""

from __future__ import annotations

import os
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from siops.app.dialogos import Resposta
from siops.app.modelos import COR_CALCULADA, COR_IMPEDITIVA
from siops.forms.razao import ChaveDespesa, ChaveReceita

# Ledger lines of the tests (issue 19: the declaration is typed in the ledger, the Anexo 12
# tables are computed from it).
IPTU = ChaveReceita.de("1.1.1.2.50")
ITBI = ChaveReceita.de("1.1.1.2.53")
IRRF = ChaveReceita.de("1.1.1.3.03")
FPM = ChaveReceita.de("1.7.1.1.51.1")
ICMS = ChaveReceita.de("1.7.2.1.50")
PESSOAL_301 = ChaveDespesa.de("4", "301", "3.1.90.11")


def _arquivo(ambiente: Path, ano: int, nome_bim: str, cod: str = "M353170") -> Path:
    return (
        ambiente
        / "MS-SIOPS"
        / "MUNICIPAL"
        / str(ano)
        / f"{nome_bim}Bimestre"
        / f"{cod}_{ano}_{nome_bim}Bimestre.OPS"
    )


def test_criar_digitar_percentual_criticas_navegar_desfazer(janela, balcao, qtbot, ambiente):
    j = janela
    assert j.centro.currentWidget() is j.boas_vindas
    balcao.criar("monteiro lob", "SP", 2025, 1)
    caminho = _arquivo(ambiente, 2025, "Primeiro")
    assert caminho.is_file()
    assert j.documento.caminho == caminho
    assert j.windowTitle().startswith("M353170_2025_PrimeiroBimestre.OPS")
    assert not j.isWindowModified()
    assert "informe as receitas" in j.rotulo_percentual.text()

    # Receitas: lines of the ledger, Brazilian amounts; the Anexo 12 and the status bar follow.
    rec = j.pagina_razao("receitas")
    assert j.paginas.currentWidget() is rec  # the window opens where the typing is
    balcao.incluir_linha(rec, "1.1.1.2.50")  # IPTU
    balcao.digitar_razao(rec.vista, IPTU, "realizada", "1.000.000")
    # the FPM: every município receives it (a zero FPM is the impeditiva 208, issue 20.1)
    balcao.incluir_linha(rec, "1.7.1.1.51.1")
    balcao.digitar_razao(rec.vista, FPM, "realizada", "1000000,5")
    rm = rec.modelo
    assert rm.index(*rm.posicao_linha(IPTU, "realizada")).data() == "1.000.000,00"
    base = j.vista("receitas_base")
    m = base.modelo()
    assert m.index(*balcao.pos(base, "iptu", "realizada")).data() == "1.000.000,00"
    assert m.index(*balcao.pos(base, "total_base", "realizada")).data() == "2.000.000,50"
    assert j.isWindowModified()
    assert "ASPS aplicado (liquidada): 0,00%" in j.rotulo_percentual.text()

    # Despesas: the percentage of the apuração column (liquidada) and of the empenhada.
    j.mostrar_pagina("razao:despesas")
    planilha = j.pagina_razao("despesas")
    balcao.incluir_linha(planilha, "3.1.90.11", planilha="4", subfuncao="301")
    lin = planilha.vista
    balcao.digitar_razao(lin, PESSOAL_301, "empenhada", "400.000,10")
    balcao.digitar_razao(lin, PESSOAL_301, "liquidada", "290000")
    texto = j.rotulo_percentual.text()
    assert "ASPS aplicado (liquidada): 14,49%" in texto  # 290.000 / 2.000.000,50, truncated
    assert "empenhada: 20,00%" in texto
    assert "mínimo: 15,00%" in texto
    assert "a40000" in j.rotulo_percentual.styleSheet()  # below the minimum: red
    balcao.digitar_razao(lin, PESSOAL_301, "liquidada", "300.000,07")  # XVII = 300.000,08
    assert "a40000" in j.rotulo_percentual.styleSheet()  # one centavo short is still short
    balcao.digitar_razao(lin, PESSOAL_301, "liquidada", "300.000,08")
    assert "1d5e20" in j.rotulo_percentual.styleSheet()  # the minimum, to the centavo: green
    balcao.digitar_razao(lin, PESSOAL_301, "liquidada", "290.000")
    desp = j.vista("despesas_asps")

    # Derived cells: read-only, grey, bold totals.
    dm = desp.modelo()
    total = dm.index(*balcao.pos(desp, "total", "liquidada"))
    assert not (total.flags() & Qt.ItemFlag.ItemIsEditable)
    assert total.data(Qt.ItemDataRole.BackgroundRole).color() == COR_CALCULADA
    assert total.data(Qt.ItemDataRole.FontRole).bold()
    assert total.data(Qt.ItemDataRole.TextAlignmentRole) & Qt.AlignmentFlag.AlignRight

    # The aggregated leaf cell is read-only too, grey like the other computed cells.
    folha = dm.index(*balcao.pos(desp, "s301_31", "liquidada"))
    assert not (folha.flags() & Qt.ItemFlag.ItemIsEditable)
    assert folha.data(Qt.ItemDataRole.BackgroundRole).color() == COR_CALCULADA
    assert folha.data() == "290.000,00"

    # An impeditiva: liquidada above empenhada.
    assert "Impeditivas: 0" in j.rotulo_criticas.text()
    balcao.digitar_razao(lin, PESSOAL_301, "liquidada", "500.000,00")
    assert "Impeditivas: 1" in j.rotulo_criticas.text()
    celula = dm.index(*balcao.pos(desp, "s301_31", "liquidada"))
    assert celula.data(Qt.ItemDataRole.BackgroundRole).color() == COR_IMPEDITIVA
    assert "510" in celula.data(Qt.ItemDataRole.ToolTipRole)

    # From the dock, a double-click goes to the cell (from another page).
    j.mostrar_pagina("razao:receitas")
    dock = j.dock
    dock.severidade.setCurrentIndex(dock.severidade.findData("impeditiva"))
    qtbot.waitUntil(lambda: dock.filtro.rowCount() == 1)  # the list follows after a pause
    assert dock.filtro.index(0, 1).data() == "510"
    dock.grupo.setCurrentIndex(dock.grupo.findData("800"))
    assert dock.filtro.rowCount() == 0
    dock.grupo.setCurrentIndex(dock.grupo.findData("500"))
    assert dock.filtro.rowCount() == 1
    idx = dock.filtro.index(0, 4)
    dock.tabela.scrollTo(idx)
    rect = dock.tabela.visualRect(idx)
    # QTest's double click is only the second click: press/release first, as a mouse does.
    qtbot.mouseClick(dock.tabela.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(dock.tabela.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert j.vista_atual() is desp
    atual = desp.currentIndex()
    assert (atual.row(), atual.column()) == balcao.pos(desp, "s301_31", "liquidada")

    # Undo/redo through the menu actions.
    assert j.a_desfazer.text() == "Desfazer Editar lançamento"
    j.a_desfazer.trigger()
    assert celula.data() == "290.000,00"
    assert "Impeditivas: 0" in j.rotulo_criticas.text()
    j.a_refazer.trigger()
    assert celula.data() == "500.000,00"
    assert "Impeditivas: 1" in j.rotulo_criticas.text()
    for _ in range(11):  # 8 values and the 3 lines included
        j.a_desfazer.trigger()
    assert j.documento.declaracao.linhas_razao() == []
    assert not j.isWindowModified()  # back to the saved state
    assert "informe as receitas" in j.rotulo_percentual.text()


def test_teclado_enter_tab_e_recusa(janela, balcao, qtbot):
    j = janela
    balcao.criar("3531704", None, 2025, 2)  # by IBGE code
    j.mostrar_pagina("razao:despesas")
    pagina = j.pagina_razao("despesas")
    desp = pagina.vista
    m = pagina.modelo
    servicos_301 = ChaveDespesa.de("4", "301", "3.3.90.39")
    servicos_302 = ChaveDespesa.de("4", "302", "3.3.90.39")
    balcao.incluir_linha(pagina, "3.1.90.11", planilha="4", subfuncao="301")
    balcao.incluir_linha(pagina, "3.3.90.39", planilha="4", subfuncao="301")
    balcao.incluir_linha(pagina, "3.3.90.39", planilha="4", subfuncao="302")

    def pos(k, coluna):
        return m.posicao_linha(k, coluna)

    desp.ir_para(*pos(PESSOAL_301, "paga"))
    qtbot.keyClick(desp, Qt.Key.Key_Tab)  # the 6º-bimestre columns are N/A: next line
    assert (desp.currentIndex().row(), desp.currentIndex().column()) == pos(
        servicos_301, "dotacao_inicial"
    )
    desp.ir_para(*pos(servicos_301, "empenhada"))
    qtbot.keyClick(desp, Qt.Key.Key_Return)  # the subfunção 302 row is a subtotal: skipped
    assert (desp.currentIndex().row(), desp.currentIndex().column()) == pos(
        servicos_302, "empenhada"
    )
    # Typing then Tab commits and opens the next editable cell.
    qtbot.keyClicks(desp, "1")
    qtbot.keyClicks(desp.focusWidget(), "2,5")
    qtbot.keyClick(desp.focusWidget(), Qt.Key.Key_Tab)
    assert m.index(*pos(servicos_302, "empenhada")).data() == "12,50"
    assert desp.currentIndex().column() == pos(servicos_302, "liquidada")[1]
    qtbot.keyClick(desp.focusWidget(), Qt.Key.Key_Escape)
    # A refused value (negative) changes nothing and says why in the status bar.
    assert not m.setData(m.index(*pos(servicos_302, "paga")), "-5,00")
    assert "negativo" in j.mensagem_atual()
    assert not m.setData(m.index(*pos(servicos_302, "paga")), "12,345")
    assert "duas casas" in j.mensagem_atual()


def test_colar_bloco_e_copiar(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    j.mostrar_pagina("razao:receitas")
    pagina = j.pagina_razao("receitas")
    rec = pagina.vista
    m = pagina.modelo
    for natureza in ("1.1.1.2.50", "1.1.1.2.53", "1.1.1.3.03"):  # IPTU, ITBI, IRRF
        balcao.incluir_linha(pagina, natureza)

    def pos(k, coluna):
        return m.posicao_linha(k, coluna)

    antes = j.documento.pilha.count()
    rec.ir_para(*pos(IPTU, "previsao_inicial"))
    r = rec.colar("100,00\t110,00\t50,00\r\n1.200\t1.210\t600,5\r\n")
    assert (r.alteradas, r.ignoradas) == (6, 0)
    assert j.documento.pilha.count() == antes + 1  # one undo step
    assert m.index(*pos(ITBI, "realizada")).data() == "600,50"
    base = j.vista("receitas_base")
    assert base.modelo().index(*balcao.pos(base, "impostos", "realizada")).data() == "650,50"
    # Copy gives the block back, Brazilian numbers, tab-separated.
    rec.setCurrentIndex(m.index(*pos(IPTU, "previsao_inicial")))
    sel = rec.selectionModel()
    rec.setSelection(
        rec.visualRect(m.index(*pos(IPTU, "previsao_inicial"))).united(
            rec.visualRect(m.index(*pos(ITBI, "realizada")))
        ),
        sel.SelectionFlag.ClearAndSelect,
    )
    j.a_copiar.trigger()
    from PySide6.QtGui import QGuiApplication

    assert (
        QGuiApplication.clipboard().text() == "100,00\t110,00\t50,00\n1.200,00\t1.210,00\t600,50\n"
    )
    # Through the clipboard and the menu: a block over a group's subtotal row skips it.
    QGuiApplication.clipboard().setText("1\t2\t3\n4\t5\t6\n")
    rec.clearSelection()
    rec.setCurrentIndex(m.index(*pos(IRRF, "previsao_inicial")))  # the base's last line
    j.a_colar.trigger()
    assert m.index(*pos(IRRF, "realizada")).data() == "3,00"
    adicionais = m.linha_da_fila(("grupo", "receitas_adicionais"))
    assert adicionais == pos(IRRF, "realizada")[0] + 1
    assert m.index(adicionais, pos(IRRF, "realizada")[1]).data() == "0,00"
    assert "3 célula(s) calculada(s)" in j.mensagem_atual()
    # A bad value refuses the whole block.
    assert rec.colar("7\tabc\n") is None
    assert "Colagem recusada" in j.mensagem_atual()
    assert m.index(*pos(IRRF, "previsao_inicial")).data() == "1,00"
    j.a_desfazer.trigger()
    j.a_desfazer.trigger()
    assert m.index(*pos(IPTU, "previsao_inicial")).data() == "0,00"


@pytest.mark.parametrize("resposta", [Resposta.SIM, Resposta.NAO, Resposta.CANCELAR])
def test_fechar_com_alteracoes(janela, balcao, qtbot, ambiente, resposta):
    from siops.ops_format import ler

    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    rec = j.pagina_razao("receitas")
    balcao.incluir_linha(rec, "1.7.1.1.51.1")
    balcao.digitar_razao(rec.vista, FPM, "realizada", "777,77")
    j.dialogos.respostas.append(resposta)
    j.close()
    qtbot.waitUntil(lambda: len(j.dialogos.perguntas) == 1)
    assert j.dialogos.perguntas[0][1] == "Deseja salvar as alterações realizadas?"
    chave = ("receitas_base", "fpm", "realizada")
    caminho = _arquivo(ambiente, 2025, "Primeiro")
    if resposta == Resposta.CANCELAR:
        qtbot.wait(50)
        assert j.isVisible() and j.isWindowModified()
        assert ler(caminho).valor(chave) == 0
        return
    qtbot.waitUntil(lambda: not j.isVisible(), timeout=15000)
    assert ler(caminho).valor(chave) == (Decimal("777.77") if resposta == Resposta.SIM else 0)
    assert not list((ambiente / "dados" / "diarios").glob("*.diario"))  # clean close


def test_salvar_reabrir_textos_e_recentes(janela, balcao, qtbot, ambiente):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 3)
    caminho = _arquivo(ambiente, 2025, "Terceiro")
    form = j.mostrar_pagina("form:dados_gerais")
    cpf = form.campos["chefe_cpf"]
    cpf.setFocus()
    cpf.setCursorPosition(0)
    qtbot.keyClicks(cpf, "52998224725")
    assert cpf.text() == "529.982.247-25"
    qtbot.keyClick(cpf, Qt.Key.Key_Return)
    assert j.documento.declaracao.texto("chefe_cpf") == "52998224725"
    nome = form.campos["chefe_nome"]
    nome.setFocus()
    qtbot.keyClicks(nome, "Maria da ")
    nome.insert("Conceição")  # QTest types ASCII only
    j.confirmar_edicao()  # the field being typed is committed before a save
    assert j.documento.declaracao.texto("chefe_nome") == "Maria da Conceição"
    j.mostrar_pagina("razao:receitas")
    rec = j.pagina_razao("receitas")
    balcao.incluir_linha(rec, "1.7.2.1.50")
    balcao.digitar_razao(rec.vista, ICMS, "previsao_atualizada", "5.000.000,00")
    qtbot.keyClick(j, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    balcao.esperar_tarefas()
    assert not j.isWindowModified()
    assert os.path.exists(str(caminho) + ".bak")  # the previous version kept (ops_format)
    # Undo after a save makes the window modified again; the text field follows undo.
    for _ in range(3):  # the value, the line, the name
        j.a_desfazer.trigger()
    assert j.isWindowModified()
    assert form.campos["chefe_nome"].text() == ""
    for _ in range(3):
        j.a_refazer.trigger()
    assert not j.isWindowModified()
    # Reopen: the welcome screen lists it; opening it shows the saved values.
    j.definir_documento(None)
    assert j.boas_vindas.modelo.rowCount() == 1
    assert j.boas_vindas.modelo.caminho(0) == caminho.resolve()
    j.boas_vindas.recenteEscolhido.emit(caminho)
    qtbot.waitUntil(lambda: j.documento is not None)
    d = j.documento.declaracao
    assert d.lancamento(ICMS, "previsao_atualizada") == Decimal("5000000.00")  # the ledger
    assert d.valor(("receitas_base", "icms", "previsao_atualizada")) == Decimal("5000000.00")
    assert j.pagina_razao("receitas").modelo.posicao_linha(ICMS) is not None
    assert d.texto("chefe_cpf") == "52998224725"
    assert j.mostrar_pagina("form:dados_gerais").campos["chefe_cpf"].text() == "529.982.247-25"
    assert not j.isWindowModified()


def test_importar_bimestre_anterior(janela, balcao, qtbot, ambiente):
    from siops.forms.declaracao import Declaracao, DefinirTexto
    from siops.forms.entes import ente
    from siops.ops_format import salvar

    anterior = Declaracao(ente("M353170"), 2025, 1)
    # (the IPTU line of the ledger that makes these cells: Declaracao.comando_celula)
    for chave, valor in (
        (("receitas_base", "iptu", "previsao_atualizada"), Decimal(9)),
        (("receitas_base", "iptu", "realizada"), Decimal(5)),
    ):
        anterior.aplicar(anterior.comando_celula(chave, valor))
    anterior.aplicar(DefinirTexto("fundo_lei", "Lei 1.234/1991"))
    caminho_ant = _arquivo(ambiente, 2025, "Primeiro")
    salvar(anterior, caminho_ant)
    imp = caminho_ant.with_suffix(".IMP")
    imp.write_bytes(caminho_ant.read_bytes())

    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 2)
    mostrados = []

    def aceitar(dlg):
        mostrados.append(dlg)
        dlg.accept()

    j.dialogos.ao_mostrar = aceitar
    j.dialogos.arquivos.append(imp)
    j.a_importar_anterior.trigger()
    qtbot.waitUntil(lambda: bool(mostrados), timeout=15000)
    dlg = mostrados[0]
    assert dlg.objectName() == "dialogo_importacao"
    assert dlg.arvore.topLevelItemCount() >= 2
    d = j.documento.declaracao
    qtbot.waitUntil(lambda: d.texto("fundo_lei") == "Lei 1.234/1991")
    assert d.valor(("receitas_base", "iptu", "previsao_atualizada")) == Decimal(9)
    assert d.valor(("receitas_base", "iptu", "realizada")) == 0  # realized values stay
    assert j.isWindowModified()
    j.a_desfazer.trigger()
    assert d.texto("fundo_lei") == ""
    # The same file cannot be imported into an earlier or equal period: a message, no change.
    j.dialogos.arquivos.append(_arquivo(ambiente, 2025, "Segundo"))
    j.a_importar_anterior.trigger()
    qtbot.waitUntil(lambda: bool(j.dialogos.mensagens), timeout=15000)
    _titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert texto == "Nada foi importado." and "bimestre" in detalhes


def test_rreo_e_transmissao(janela, balcao, qtbot, ambiente):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    # Not saved yet: the PDF is proposed in the declaration's standard folder (issue 24).
    pdf = _arquivo(ambiente, 2025, "Primeiro").with_name("M353170_2025_PrimeiroBimestre_RREO.pdf")
    j.dialogos.arquivos.append(pdf)
    j.a_rreo.trigger()
    qtbot.waitUntil(lambda: len(j.dialogos.mostrados) == 2, timeout=60000)
    assert j.dialogos.salvamentos[-1][1] == pdf
    assert pdf.read_bytes()[:5] == b"%PDF-"
    assert j.dialogos.mostrados[-1].caminho == pdf  # previewed inside the program

    # With an impeditiva the transmission copy is refused and the list shown.
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    balcao.incluir_linha(desp, "3.3.90.39", planilha="4", subfuncao="302")
    balcao.digitar_razao(desp.vista, ChaveDespesa.de("4", "302", "3.3.90.39"), "liquidada", "10")
    j.a_gravar_transmissao.trigger()
    assert [d.objectName() for d in j.dialogos.mostrados] == [
        "dialogo_nova",
        "previa_pdf",
        "dialogo_incluir_linha",
        "dialogo_impeditivas",
    ]
    lista = j.dialogos.mostrados[-1].lista  # 208 (FPM zero, issue 20.1) comes first
    assert any("510" in lista.item(i).text() for i in range(lista.count()))
    transm = _arquivo(ambiente, 2025, "Primeiro").parent / "transm"
    assert not transm.exists()
    # Without impeditivas: saved, copy written, the transmitter offered. (An empty base
    # blocks since issue 20.1: the FPM received is typed.)
    j.a_desfazer.trigger()
    j.a_desfazer.trigger()
    j.mostrar_pagina("razao:receitas")
    rec = j.pagina_razao("receitas")
    balcao.incluir_linha(rec, "1.7.1.1.51.1")
    balcao.digitar_razao(rec.vista, FPM, "realizada", "1.000.000")
    j.dialogos.respostas.append(Resposta.NAO)
    j.a_gravar_transmissao.trigger()
    balcao.esperar_tarefas()
    qtbot.waitUntil(lambda: bool(j.dialogos.perguntas))
    assert "Deseja abrir o Transmissor agora?" in j.dialogos.perguntas[-1][1]
    assert (transm / "M353170_2025_PrimeiroBimestre.OPS").is_file()


def test_botoes_do_qt_em_portugues(janela):
    caixa = QMessageBox(
        QMessageBox.Icon.Question,
        "SIOPS",
        "Deseja salvar as alterações realizadas?",
        QMessageBox.StandardButton.Yes
        | QMessageBox.StandardButton.No
        | QMessageBox.StandardButton.Cancel,
        janela,
    )
    textos = {
        caixa.button(b).text().replace("&", "")
        for b in (
            QMessageBox.StandardButton.Yes,
            QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Cancel,
        )
    }
    assert textos == {"Sim", "Não", "Cancelar"}
    menus = [a.text().replace("&", "") for a in janela.menuBar().actions()]
    assert menus == ["Arquivo", "Editar", "Ferramentas", "Relatórios", "Exibir", "Ajuda"]
    assert janela.a_salvar.shortcut().toString() == "Ctrl+S"
    janela.a_ajuda.trigger()
    ajuda = janela._janelas_extras[-1]
    html = ajuda.navegador.toPlainText()
    assert "Gravar arquivo para transmissão" in html and "Transmissor" in html
