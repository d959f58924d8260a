"""Arquivo → Importar da contabilidade (MSC/balancete)… in the main window (issue 14, client
part): file chooser (the two months of the bimestre) → preview built off the GUI thread →
``contabil``'s dialog → the chosen tables applied as ONE undo step of the document. Since issue
19 the import fills the ledger (the tables are its views)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from PySide6.QtCore import Qt

DADOS = Path(__file__).resolve().parents[1] / "contabil" / "dados"
MARCO = DADOS / "msc_3550308_2025_03.csv"
ABRIL = DADOS / "msc_3550308_2025_04.csv"
IPTU = ("receitas_base", "iptu", "realizada")
PAGA_301 = ("despesas_asps", "s301_33", "paga")
NAO_COMPUTADA = ("despesas_nao_computadas", "s302_33", "paga")
FONTE_PROPRIOS = ("despesa_fonte", "recursos_proprios", "paga")


def _esperado() -> tuple[object, object]:
    """What the core itself imports from the same files (the window must apply exactly it)."""
    from siops.contabil import importar
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    d = Declaracao(ente("M355030"), 2025, 2)
    previa = importar(d, [MARCO, ABRIL])
    escolhidas = [t.id for t in previa.tabelas if t.parte and t.id != "despesas_nao_computadas"]
    d.aplicar(previa.lote(escolhidas))
    return d, previa


def test_importar_contabil_mostra_a_previa_e_aplica_um_passo(janela, balcao, qtbot):
    j = janela
    balcao.criar("são paulo", "SP", 2025, 2)
    doc = j.documento
    d = doc.declaracao
    esperado, previa = _esperado()
    vistos = []

    def responder(dlg):
        vistos.append(dlg)
        assert dlg.arvore.topLevelItemCount() == len(previa.tabelas)
        dlg.item_da_tabela("despesas_nao_computadas").setCheckState(0, Qt.CheckState.Unchecked)
        qtbot.mouseClick(dlg.botao_aplicar, Qt.MouseButton.LeftButton)

    j.dialogos.ao_mostrar = responder
    j.dialogos.arquivos.append([MARCO, ABRIL])
    assert j.a_importar_contabil.isEnabled()
    j.a_importar_contabil.trigger()
    qtbot.waitUntil(lambda: j.tarefas.ocupado() or bool(vistos), timeout=5000)
    balcao.esperar_tarefas(timeout=60000)
    qtbot.waitUntil(lambda: d.valor(IPTU) != 0, timeout=15000)

    assert vistos and vistos[0].objectName() == "dialogo_importacao_contabil"
    assert d.valor(IPTU) == esperado.valor(IPTU) > 0
    assert d.valor(PAGA_301) == esperado.valor(PAGA_301) > 0
    assert d.valor(NAO_COMPUTADA) == Decimal(0)  # the table left unchecked
    assert dict(d.celulas_digitadas()) == dict(esperado.celulas_digitadas())
    assert d.razao() == esperado.razao() and d.razao()  # the ledger, as the core imports it
    assert d.valor(FONTE_PROPRIOS) == esperado.valor(FONTE_PROPRIOS) > 0  # a view follows
    assert "Importação da contabilidade concluída" in j.mensagem_atual()
    assert j.isWindowModified()

    # ONE undo step takes the whole import back, one redo brings it again.
    assert doc.pilha.count() == 1
    j.a_desfazer.trigger()
    assert d.valor(IPTU) == 0 and d.valor(PAGA_301) == 0
    assert not dict(d.celulas_digitadas()) and not d.razao()
    j.a_refazer.trigger()
    assert d.valor(IPTU) == esperado.valor(IPTU)


def test_importar_contabil_de_outro_ente_nao_muda_nada(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 2)  # the MSC is São Paulo's
    d = j.documento.declaracao
    antes = dict(d.celulas_digitadas())
    mostrados = len(j.dialogos.mostrados)  # the Nova declaração dialog
    j.dialogos.arquivos.append([ABRIL])
    j.a_importar_contabil.trigger()
    balcao.esperar_tarefas(timeout=60000)
    qtbot.waitUntil(lambda: bool(j.dialogos.mensagens), timeout=15000)
    titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert titulo == "Importar da contabilidade"
    assert texto == "Nada foi importado; a declaração não mudou."
    assert "linha 1" in detalhes and "3550308" in detalhes and "Traceback" not in detalhes
    assert len(j.dialogos.mostrados) == mostrados and dict(d.celulas_digitadas()) == antes
    assert j.documento.pilha.count() == 0


def test_cancelar_a_previa_nao_muda_nada(janela, balcao, qtbot):
    j = janela
    balcao.criar("são paulo", "SP", 2025, 2)
    d = j.documento.declaracao
    vistos = []

    def cancelar(dlg):
        vistos.append(dlg)
        qtbot.mouseClick(dlg.botao_cancelar, Qt.MouseButton.LeftButton)

    j.dialogos.ao_mostrar = cancelar
    j.dialogos.arquivos.append([ABRIL])
    j.a_importar_contabil.trigger()
    balcao.esperar_tarefas(timeout=60000)
    qtbot.waitUntil(lambda: bool(vistos), timeout=15000)
    qtbot.wait(50)
    assert d.valor(IPTU) == 0 and j.documento.pilha.count() == 0
