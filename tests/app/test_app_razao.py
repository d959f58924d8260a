"""Issue 19, item 3: the entry screens follow the ledger. The real window (offscreen) driven as a
clerk would: lines included, typed, found, removed and undone in the pasta "Razão"; the Anexo 12
cells computed from them read-only, with "De onde vem este valor?" back to the lines."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from siops.forms.razao import ChaveDespesa, ChaveReceita

FPM = ChaveReceita.de("1.7.1.1.51.1")
IPTU = ChaveReceita.de("1.1.1.2.50")
SERVICOS_301 = ChaveDespesa.de("4", "301", "3.3.90.39")
ASPS_301_33 = ("despesas_asps", "s301_33", "empenhada")
FONTE_PROPRIOS = ("despesa_fonte", "recursos_proprios", "empenhada")
ELEMENTO_PJ = ("despesa_elemento", "servicos_terceiros_pj", "empenhada")


@pytest.fixture
def com_demo(janela, qtbot):
    """The window with the demonstration declaration (75 ledger lines), not saved."""
    from siops.app.documento import Documento
    from siops.forms.demo import declaracao_demo

    janela.definir_documento(Documento(declaracao_demo(), None))
    return janela


def _dados(vista, r, c, papel=Qt.ItemDataRole.DisplayRole):
    return vista.model().index(r, c).data(papel)


def test_incluir_linha_digitar_e_desfazer_segue_no_anexo_12(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 6)  # the 6º: the apuração follows empenhada
    # The window opens on the ledger's receitas: that is where the declaration is typed.
    assert j.paginas.currentWidget() is j.pagina_razao("receitas")
    rec = j.pagina_razao("receitas")
    assert "Nenhuma receita lançada" in rec.detalhe.text()
    dlg = balcao.incluir_linha(rec, "1.7.1.1.51.1")
    assert not dlg.erro.isVisible()
    assert "Cota-Parte FPM" in dlg.previa.text()  # where the line goes, shown while typing
    assert j.documento.declaracao.tem_linha(FPM)
    balcao.digitar_razao(rec.vista, FPM, "realizada", "1.000.000")
    d = j.documento.declaracao
    assert d.valor(("receitas_base", "fpm", "realizada")) == Decimal("1000000.00")
    assert "ASPS aplicado (empenhada): 0,00%" in j.rotulo_percentual.text()

    # Despesas: planilha 4 (ASPS), subfunção 301, natureza 3.3.90.39, empenhado 1.000,00.
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    assert desp.planilha.currentData() == "4"
    antes = {k: d.valor(k) for k in (ASPS_301_33, FONTE_PROPRIOS, ELEMENTO_PJ)}
    pilha = j.documento.pilha.count()
    balcao.incluir_linha(desp, "3.3.90.39", planilha="4", subfuncao="301")
    assert desp.linha_atual() == SERVICOS_301  # the new line is selected…
    atual = desp.vista.currentIndex()
    assert desp.modelo.editavel(atual.row(), atual.column())  # …on its first value cell
    assert "Outros serviços de terceiros — pessoa jurídica" in _dados(desp.vista, atual.row(), 0)
    assert "3.3.90.39.00.00" in _dados(desp.vista, atual.row(), 0)
    balcao.digitar_razao(desp.vista, SERVICOS_301, "empenhada", "1.000,00")
    for k in (ASPS_301_33, FONTE_PROPRIOS, ELEMENTO_PJ):
        assert d.valor(k) - antes[k] == Decimal("1000.00"), k
    assert "ASPS aplicado (empenhada): 0,10%" in j.rotulo_percentual.text()
    assert j.documento.pilha.count() == pilha + 2  # include, type: two undo steps
    # The subfunção's subtotal and the planilha's total follow at once.
    m = desp.modelo
    col = m.posicao_linha(SERVICOS_301, "empenhada")[1]
    grupo = m.linha_da_fila(("grupo", "301"))
    total = m.rowCount() - 1
    assert _dados(desp.vista, grupo, col) == "1.000,00"
    assert _dados(desp.vista, total, col) == "1.000,00"
    # The Anexo 12 tables repaint (their cells are the aggregated ones).
    asps = j.vista("despesas_asps")
    assert _dados(asps, *asps.modelo().posicao("s301_33", "empenhada")) == "1.000,00"
    fonte = j.vista("despesa_fonte")
    assert _dados(fonte, *fonte.modelo().posicao("recursos_proprios", "empenhada")) == "1.000,00"

    # Undo goes back through the window's stack, one step at a time.
    assert j.a_desfazer.text() == "Desfazer Editar lançamento"
    j.a_desfazer.trigger()
    assert all(d.valor(k) == antes[k] for k in antes)
    assert "ASPS aplicado (empenhada): 0,00%" in j.rotulo_percentual.text()
    assert j.a_desfazer.text() == "Desfazer Incluir linha"
    j.a_desfazer.trigger()
    assert not d.tem_linha(SERVICOS_301)
    assert m.posicao_linha(SERVICOS_301) is None
    j.a_refazer.trigger()
    j.a_refazer.trigger()
    assert d.valor(ASPS_301_33) == Decimal("1000.00")
    assert _dados(desp.vista, m.linha_da_fila(("grupo", "301")), col) == "1.000,00"


def test_celula_agregada_nao_aceita_digitacao_e_diz_de_onde_vem(com_demo, balcao, qtbot):
    j = com_demo
    d = j.documento.declaracao
    j.mostrar_pagina("tabela:despesas_asps")
    asps = j.vista("despesas_asps")
    pos = balcao.pos(asps, "s301_33", "empenhada")
    celula = asps.model().index(*pos)
    assert not celula.flags() & Qt.ItemFlag.ItemIsEditable
    assert "razão" in celula.data(Qt.ItemDataRole.ToolTipRole)
    valor = d.valor(ASPS_301_33)
    asps.ir_para(*pos)
    qtbot.keyClicks(asps, "5")
    assert asps.state() != asps.State.EditingState  # no editor opens…
    assert asps.aviso.isVisible()  # …and the reason is beside the cell
    assert "razão" in asps.aviso.text() and "Ctrl+Shift+O" in asps.aviso.text()
    assert d.valor(ASPS_301_33) == valor
    assert not asps.model().setData(celula, "5")
    qtbot.keyClick(asps, Qt.Key.Key_Escape)
    assert not asps.aviso.isVisible()

    # "De onde vem este valor?": in the context menu and on the shortcut.
    acoes = {a.text(): a for a in asps.acoes_contexto()}
    assert acoes["De onde vem este valor?"].shortcut().toString() == "Ctrl+Shift+O"
    assert j.a_origem.shortcut().toString() == "Ctrl+Shift+O"
    qtbot.keyClick(
        asps, Qt.Key.Key_O, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
    )
    qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=3000)
    dlg = j.dialogos.mostrados[-1]
    assert dlg.objectName() == "dialogo_origem"
    linhas = dlg.modelo.linhas
    assert {k for k, _c, _s, _v in linhas} == {
        ChaveDespesa.de("4", "301", n) for n in ("3.3.90.30", "3.3.90.30.09", "3.3.90.39")
    }
    assert all(c == "empenhada" and s == 1 for _k, c, s, _v in linhas)
    assert dlg.modelo.soma() == valor
    assert "confere com a célula" in dlg.rodape.text()
    textos = [dlg.modelo.index(r, 0).data() for r in range(dlg.modelo.rowCount())]
    assert any("3.3.90.39.00.00" in t and "Planilha 4" in t for t in textos), textos
    # Ir para a linha: the pasta, the planilha and the line.
    r = next(i for i, (k, *_x) in enumerate(linhas) if k == SERVICOS_301)
    dlg.ir_para(r)
    desp = j.pagina_razao("despesas")
    assert j.paginas.currentWidget() is desp
    assert desp.planilha.currentData() == "4"
    assert desp.linha_atual() == SERVICOS_301
    assert (
        desp.vista.currentIndex().column()
        == desp.modelo.posicao_linha(SERVICOS_301, "empenhada")[1]
    )

    # A line of another planilha: the page switches planilha (a não computada cell).
    j.mostrar_pagina("tabela:despesas_nao_computadas")
    nao = j.vista("despesas_nao_computadas")
    nao.ir_para(*balcao.pos(nao, "s301_33", "empenhada"))
    n = len(j.dialogos.mostrados)
    j.a_origem.trigger()
    dlg = j.dialogos.mostrados[n]
    outra = next(k for k, *_x in dlg.modelo.linhas if k.planilha == "86")
    dlg.ir_para(next(i for i, (k, *_x) in enumerate(dlg.modelo.linhas) if k == outra))
    assert desp.planilha.currentData() == "86" and desp.linha_atual() == outra
    # Double-click on an aggregated cell opens it too; on a typed cell it edits instead.
    j.mostrar_pagina("tabela:despesas_asps")
    rect = asps.visualRect(asps.model().index(*pos))
    # (QTest's double click is only the second click: press/release first, as a mouse does)
    qtbot.mouseClick(asps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(asps.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: len(j.dialogos.mostrados) == n + 2, timeout=3000)
    # On a cell that is not aggregated: a message, no dialog.
    j.mostrar_pagina("tabela:receitas_totais")
    j.vista("receitas_totais").ir_para(0, 1)
    j.a_origem.trigger()
    assert len(j.dialogos.mostrados) == n + 2
    assert "calculada a partir do razão" in j.mensagem_atual()


def test_localizar_por_codigo_e_por_palavras(com_demo, qtbot):
    j = com_demo
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    assert desp.localizar("339039") == ChaveDespesa.de("4", "301", "3.3.90.39")
    assert desp.localizar("339039") == ChaveDespesa.de("4", "302", "3.3.90.39")  # the next
    assert desp.linha_atual() == ChaveDespesa.de("4", "302", "3.3.90.39")
    achada = desp.localizar("terceiros")
    assert achada is not None and achada.natureza == "3390390000"
    assert desp.localizar("3.3.71.70") == ChaveDespesa.de("4", "302", "3.3.71.70")
    # Words of the planilha's title: the page shows the planilha of the line found.
    sus = desp.localizar("sus uniao custeio medicamentos")
    assert sus is not None and sus.planilha == "86" and sus.natureza == "3390300900"
    assert desp.planilha.currentData() == "86"
    assert desp.localizar("xyzzy") is None
    assert "Nenhuma linha" in j.mensagem_atual()
    # Receitas: by the code and by the Anexo 12 row's words.
    j.mostrar_pagina("razao:receitas")
    rec = j.pagina_razao("receitas")
    assert rec.localizar("1.1.1.2.50") == IPTU
    assert rec.localizar("FPM") == FPM
    # Ctrl+F gives the search field the keyboard; Enter there finds the next one.
    rec.vista.setFocus()
    qtbot.waitUntil(rec.vista.hasFocus, timeout=3000)
    qtbot.keyClick(rec.vista, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(rec.busca.hasFocus, timeout=3000)
    rec.busca.clear()
    qtbot.keyClicks(rec.busca, "iptu")
    qtbot.keyClick(rec.busca, Qt.Key.Key_Return)
    assert rec.linha_atual() == IPTU


def test_incluir_linha_recusa_com_motivo_e_excluir_com_confirmacao(com_demo, balcao, qtbot):
    from siops.app.dialogos import Resposta

    j = com_demo
    d = j.documento.declaracao
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    n = len(d.linhas_razao())
    # A bad natureza: the dialog stays open with the reason under the field, in Portuguese.
    dlg = balcao.incluir_linha(desp, "9.9.99", planilha="4", subfuncao="303")
    assert not dlg.erro.isHidden()
    assert "Natureza da despesa '9.9.99' inválida" in dlg.erro.text()
    assert dlg.result() == 0 and len(d.linhas_razao()) == n
    dlg = balcao.incluir_linha(desp, "3.3.90.39.x", planilha="4", subfuncao="303")
    assert "só números e pontos" in dlg.erro.text()
    dlg = balcao.incluir_linha(desp, "", planilha="4", subfuncao="303")
    assert "Informe a natureza" in dlg.erro.text()
    # An existing line is not added twice.
    dlg = balcao.incluir_linha(desp, "3.3.90.39", planilha="4", subfuncao="301")
    assert "já existe" in dlg.erro.text()
    # A natureza chosen from the list, under another subfunção.
    dlg = desp.incluir_dialogo()
    dlg.subfuncao.setCurrentIndex(dlg.subfuncao.findData("306"))
    dlg.natureza.setCurrentIndex(dlg.natureza.findText("3.3.90.36", Qt.MatchFlag.MatchStartsWith))
    assert "Vai para" in dlg.previa.text() and "306" in dlg.previa.text()
    dlg.aceitar()
    nova = ChaveDespesa.de("4", "306", "3.3.90.36")
    assert d.tem_linha(nova) and desp.linha_atual() == nova
    j.a_desfazer.trigger()
    assert not d.tem_linha(nova)

    # Excluir: asks first (Não keeps it), then removes with its values; undo brings them back.
    alvo = ChaveDespesa.de("4", "301", "3.3.90.39")
    valores = d.razao()[alvo]
    antes = d.valor(ASPS_301_33)
    desp.selecionar_linha(alvo)
    j.dialogos.respostas.append(Resposta.NAO)
    desp.a_excluir.trigger()
    qtbot.waitUntil(lambda: len(j.dialogos.perguntas) == 1)
    qtbot.wait(20)
    assert d.tem_linha(alvo)
    assert "Excluir a linha Planilha 4" in j.dialogos.perguntas[0][1]
    j.dialogos.respostas.append(Resposta.SIM)
    desp.botao_excluir.click()
    qtbot.waitUntil(lambda: not d.tem_linha(alvo), timeout=3000)
    assert d.valor(ASPS_301_33) == antes - valores["empenhada"]
    assert desp.modelo.posicao_linha(alvo) is None
    assert j.a_desfazer.text() == "Desfazer Excluir linha"
    j.a_desfazer.trigger()
    assert d.razao()[alvo] == valores and d.valor(ASPS_301_33) == antes

    # Receitas: natureza and fonte; one outside the Anexo 12 says why.
    j.mostrar_pagina("razao:receitas")
    rec = j.pagina_razao("receitas")
    dlg = balcao.incluir_linha(rec, "1.3.2.1.00.1.1", fonte="1500")
    fora = ChaveReceita.de("1.3.2.1.00.1.1", "1500")
    assert d.tem_linha(fora)
    r, c = rec.modelo.posicao_linha(fora, "destino")
    assert "fora do Anexo 12" in _dados(rec.vista, r, c)
    assert "natureza sem linha no Anexo 12" in _dados(rec.vista, r, c, Qt.ItemDataRole.ToolTipRole)
    assert _dados(rec.vista, r, 0, Qt.ItemDataRole.DecorationRole) is not None  # the warning
    assert "Fora do Anexo 12" in rec.detalhe.text()
    dlg = balcao.incluir_linha(rec, "1.7.1.1.51.1", fonte="15x")
    assert "Fonte de recursos '15x' inválida" in dlg.erro.text()


def test_digitacao_no_razao_recusa_com_motivo_ao_lado(com_demo, balcao, qtbot):
    """Issue 24's rules in the ledger: the text stays as typed, the reason beside it."""
    j = com_demo
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    v = desp.vista
    pos = desp.modelo.posicao_linha(SERVICOS_301, "paga")
    antes = _dados(v, *pos)
    for texto, motivo in (("-5", "negativo"), ("1,2,3", "formato"), ("abc", "não é um número")):
        v.ir_para(*pos)
        qtbot.keyClicks(v, texto[0])
        editor = v.focusWidget()
        qtbot.keyClicks(editor, texto[1:])
        qtbot.keyClick(editor, Qt.Key.Key_Return)
        assert v.state() == v.State.EditingState and editor.text() == texto
        qtbot.waitUntil(v.aviso.isVisible, timeout=3000)
        assert motivo in v.aviso.text(), (texto, v.aviso.text())
        qtbot.keyClick(editor, Qt.Key.Key_Escape)
        qtbot.waitUntil(lambda: v.state() != v.State.EditingState, timeout=3000)
        assert _dados(v, *pos) == antes
    # Only-6º columns are N/A before the 6º bimestre (the demo is the 5º): no typing there.
    na = desp.modelo.posicao_linha(SERVICOS_301, "inscritas_rpnp")
    assert _dados(v, *na) == "N/A" and not desp.modelo.editavel(*na)
    v.ir_para(*na)
    qtbot.keyClicks(v, "7")
    assert "só é preenchida no 6º bimestre" in v.aviso.text()
    # The subfunção's row is a sum: not typed either.
    grupo = desp.modelo.linha_da_fila(("grupo", "301"))
    v.ir_para(grupo, pos[1])
    qtbot.keyClicks(v, "7")
    assert "soma" in v.aviso.text()
    # Enter goes down to the next line's cell, skipping the subfunção rows.
    balcao.digitar_razao(v, ChaveDespesa.de("4", "301", "4.4.90.52"), "paga", "10,00")
    proxima = v.currentIndex()
    assert desp.modelo.chave_linha(proxima.row()) == ChaveDespesa.de("4", "302", "3.1.90.11")


def test_colar_linhas_de_planilha_e_valores(com_demo, qtbot):
    j = com_demo
    d = j.documento.declaracao
    j.mostrar_pagina("razao:despesas")
    desp = j.pagina_razao("despesas")
    v = desp.vista
    pilha = j.documento.pilha.count()
    # On the subfunção 306 (title column): new lines, natureza then the values in order.
    v.ir_para(desp.modelo.linha_da_fila(("grupo", "306")), 0)
    r = v.colar("3.3.90.36\t1.000\t1.200\t800,50\n4.4.90.52.00.00\t\t\t\t\t\n")
    assert r is not None
    assert j.documento.pilha.count() == pilha + 1  # one undo step
    pf = ChaveDespesa.de("4", "306", "3.3.90.36")
    assert d.razao()[pf] == {
        "dotacao_inicial": Decimal("1000.00"),
        "dotacao_atualizada": Decimal("1200.00"),
        "empenhada": Decimal("800.50"),
    }
    assert d.tem_linha(ChaveDespesa.de("4", "306", "4.4.90.52"))
    assert d.valor(("despesas_asps", "s306_33", "empenhada")) == Decimal("800.50")
    # Again: the existing line is updated, not duplicated.
    v.ir_para(desp.modelo.linha_da_fila(("grupo", "306")), 0)
    v.colar("3.3.90.36\t\t\t900\n")
    assert d.lancamento(pf, "empenhada") == Decimal("900.00")
    # A bad natureza refuses the whole block, naming the row.
    v.ir_para(desp.modelo.linha_da_fila(("grupo", "306")), 0)
    assert v.colar("3.3.90.30\t1\n7.7\t2\n") is None
    assert "linha 2 do bloco" in j.mensagem_atual()
    assert not d.tem_linha(ChaveDespesa.de("4", "306", "3.3.90.30"))
    # On the value cells: values over the lines (the subfunção rows are skipped).
    v.ir_para(*desp.modelo.posicao_linha(pf, "liquidada"))
    r = v.colar("100\n200\n")
    assert d.lancamento(pf, "liquidada") == Decimal("100.00")
    assert d.lancamento(ChaveDespesa.de("4", "306", "4.4.90.52"), "liquidada") == Decimal("200")
    j.a_desfazer.trigger()
    assert d.lancamento(pf, "liquidada") == 0


def test_modelos_do_razao_passam_no_modeltester(qtmodeltester, qapp, ambiente):
    from siops.app.documento import Documento
    from siops.app.modelo_razao import ModeloDespesas, ModeloOrigem, ModeloReceitas
    from siops.forms.declaracao import DefinirLancamento, IncluirLinha, RemoverLinha
    from siops.forms.demo import declaracao_demo

    doc = Documento(declaracao_demo(), None)
    for m in (ModeloDespesas(doc, "4"), ModeloDespesas(doc, "95"), ModeloReceitas(doc)):
        qtmodeltester.check(m, force_py=True)
    m = ModeloDespesas(doc, "4")
    resets = []
    mudou = []
    m.modelReset.connect(lambda: resets.append(1))
    m.dataChanged.connect(lambda a, b, *_: mudou.append((a.row(), b.row())))
    doc.executar(DefinirLancamento(SERVICOS_301, "paga", Decimal("1")))
    assert not resets and mudou  # a value: only its row, subtotal and total repaint
    linha = m.posicao_linha(SERVICOS_301)[0]
    assert {r for r, _ in mudou} == {linha, m.linha_da_fila(("grupo", "301")), m.rowCount() - 1}
    nova = ChaveDespesa.de("4", "303", "3.3.90.36")
    doc.executar(IncluirLinha(nova, (("empenhada", Decimal("5")),)))
    assert resets and m.posicao_linha(nova) is not None
    doc.executar(RemoverLinha(nova))
    assert m.posicao_linha(nova) is None
    m.definir_planilha("86")
    assert all(m.chave_linha(r).planilha == "86" for r in range(m.rowCount()) if m.chave_linha(r))
    rec = ModeloReceitas(doc)
    r, c = rec.posicao_linha(IPTU, "liquida")
    v = doc.declaracao.razao()[IPTU]
    esperado = v.get("realizada", 0) - v.get("deducoes", 0) - v.get("deducao_fundeb", 0)
    assert rec.index(r, c).data(257 + 1) == esperado  # PAPEL_VALOR
    assert not rec.editavel(r, c)
    origem = ModeloOrigem(doc, ASPS_301_33)
    qtmodeltester.check(origem, force_py=True)
    assert origem.soma() == doc.declaracao.valor(ASPS_301_33)


def test_diario_guarda_as_edicoes_do_razao():
    """The autosave journal writes and reads back every ledger command (SIGKILL recovery)."""
    import json

    from siops.app.diario import desserializar, serializar
    from siops.forms.declaracao import (
        DefinirLancamento,
        IncluirLinha,
        Lote,
        RemoverLinha,
        SubstituirRazao,
    )
    from siops.forms.razao import ChaveComplementar

    comp = ChaveComplementar("17135001", "x", "#L1", "#C3")
    comandos = [
        DefinirLancamento(SERVICOS_301, "empenhada", Decimal("1000.00"), "Editar lançamento"),
        IncluirLinha(IPTU, (("realizada", Decimal("5.10")),), "Incluir linha"),
        RemoverLinha(ChaveReceita("1711511", "1600"), "Excluir linha"),
        SubstituirRazao(((SERVICOS_301, (("paga", Decimal("1")),)), (comp, ())), "Importar"),
        Lote((RemoverLinha(SERVICOS_301, "Excluir linha"),), "Excluir linhas"),
    ]
    for c in comandos:
        assert desserializar(json.loads(json.dumps(serializar(c)))) == c


def test_pasta_do_razao_na_navegacao_e_teclado(com_demo, qtbot):
    from PySide6.QtWidgets import QApplication

    j = com_demo
    topo = [j.navegacao.topLevelItem(i).text(0) for i in range(j.navegacao.topLevelItemCount())]
    assert topo.index("Razão (receitas e despesas)") == 2  # after the forms, before Anexo 12
    item = j._itens["razao:despesas"]
    j.navegacao.setCurrentItem(item)
    assert j.paginas.currentWidget() is j.pagina_razao("despesas")
    # Tab from the tree lands in the planilha, on a cell that takes typing.
    j.navegacao.setFocus()
    qtbot.waitUntil(j.navegacao.hasFocus, timeout=3000)
    qtbot.keyClick(j.navegacao, Qt.Key.Key_Tab)
    v = j.pagina_razao("despesas").vista
    qtbot.waitUntil(lambda: QApplication.focusWidget() is v, timeout=3000)
    atual = v.currentIndex()
    assert v.modelo().editavel(atual.row(), atual.column())
    assert j.vista_atual() is v
    # The page's shortcuts from the table: Ctrl+I includes, Ctrl+Del asks before excluding
    # (Delete alone zeroes the selected cells, as in the tables).
    qtbot.keyClick(v, Qt.Key.Key_I, Qt.KeyboardModifier.ControlModifier)
    assert j.dialogos.mostrados[-1].objectName() == "dialogo_incluir_linha"
    assert j.dialogos.mostrados[-1].subfuncao.currentData() == "301"  # the current one
    qtbot.keyClick(v, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: bool(j.dialogos.perguntas), timeout=3000)
    assert j.dialogos.perguntas[-1][0] == "Excluir linha do razão"
    assert j.documento.declaracao.tem_linha(ChaveDespesa.de("4", "301", "3.1.90.11"))
