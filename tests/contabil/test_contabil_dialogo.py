"""The accounting-import dialog (pytest-qt): it shows the preview and applies as one undo step."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog

from siops.app.contabil_dialogo import DialogoImportacaoContabil
from siops.contabil import importar
from siops.forms.declaracao import Declaracao
from siops.forms.razao import ChaveDespesa

MSC = Path(__file__).parent / "dados" / "msc_3550308_2025_04.csv"
pytestmark = pytest.mark.gui


@pytest.fixture
def d(municipio) -> Declaracao:
    return Declaracao(municipio, 2025, 2)


def _dialogo(qtbot, d):
    dlg = DialogoImportacaoContabil(d, importar(d, [MSC]))
    qtbot.addWidget(dlg)
    dlg.open()
    return dlg


def test_mostra_a_previa(qtbot, d):
    dlg = _dialogo(qtbot, d)
    # the four Anexo 12 tables (checkable parts of the ledger) and the views that follow them
    ids = [
        dlg.arvore.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)
        for i in range(dlg.arvore.topLevelItemCount())
    ]
    assert ids[:4] == ["receitas_base", "receitas_adicionais", "despesas_asps",
                       "despesas_nao_computadas"]  # fmt: skip
    assert {"despesa_fonte", "despesa_elemento", "consorcios"} <= set(ids[4:])
    assert sorted(dlg.tabelas_escolhidas()) == sorted(ids[:4])
    fonte = dlg.item_da_tabela("despesa_fonte")
    assert not fonte.flags() & Qt.ItemFlag.ItemIsUserCheckable
    base = dlg.item_da_tabela("receitas_base")
    assert base.checkState(0) == Qt.CheckState.Checked
    textos = [(base.child(i).text(0), base.child(i).text(2)) for i in range(base.childCount())]
    assert any("IPTU" in t and v == "101.300,25" for t, v in textos)
    # FPM 1%, taxa, rendimentos (in the ledger), inativos and modalidade 71 (in the ledger too)
    assert dlg.tabela_nao_mapeadas.rowCount() == 5
    assert dlg.tabela_nao_mapeadas.item(0, 4).text() == "sim"
    conc = dlg.tabela_conciliacao
    linhas = {conc.item(i, 0).text(): conc.item(i, 6).text() for i in range(conc.rowCount())}
    assert linhas["Receita realizada (bruta)"] == "confere"
    assert all(v == "confere" for v in linhas.values())
    assert conc.item(2, 1).text() == "2.023.135,06"  # the realizada bruta (6.2.1.2)
    # planilhas 4, 3 and 86 (see test_contabil_msc.test_msc_2025_preenche_fonte_e_elemento)
    assert dlg.tabela_planilhas.rowCount() == 3
    assert dlg.tabela_planilhas.item(0, 0).text().startswith("4 ")
    assert dlg.tabela_elementos.rowCount() == 8
    assert "NÃO CONFIRMADOS" in dlg.avisos.toPlainText()


def test_aplicar_selecionadas_e_um_passo_de_desfazer(qtbot, d):
    antes = d.estado()
    dlg = _dialogo(qtbot, d)
    dlg.item_da_tabela("despesas_nao_computadas").setCheckState(0, Qt.CheckState.Unchecked)
    assert "despesas_nao_computadas" not in dlg.tabelas_escolhidas()
    with qtbot.waitSignal(dlg.accepted, timeout=2000):
        qtbot.mouseClick(dlg.botao_aplicar, Qt.MouseButton.LeftButton)
    lote = dlg.lote_escolhido()
    assert lote is not None
    inverso = d.aplicar(lote)
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal("101300.25")
    assert d.valor(("despesas_asps", "s301_33", "paga")) == Decimal("35000.00")
    assert d.valor(("despesas_nao_computadas", "s302_33", "paga")) == Decimal(0)
    # the unchecked part's ledger lines (planilhas not computed in the minimum) stay out
    assert {k.planilha for k, _ in d.linhas_razao(ChaveDespesa)} == {"4"}
    assert d.valor(("despesa_fonte", "sus_uniao", "paga")) == Decimal(0)
    assert dlg.alteracoes_escolhidas() == sum(
        len(dlg.previa.tabela(t).mudancas) for t in dlg.tabelas_escolhidas()
    )
    d.aplicar(inverso)  # one step back restores everything
    assert d.estado() == antes


def test_cancelar_nao_da_lote_e_sem_tabelas_nao_aplica(qtbot, d):
    dlg = _dialogo(qtbot, d)
    for tid in dlg.tabelas_escolhidas():
        dlg.item_da_tabela(tid).setCheckState(0, Qt.CheckState.Unchecked)
    assert not dlg.botao_aplicar.isEnabled()
    qtbot.mouseClick(dlg.botao_cancelar, Qt.MouseButton.LeftButton)
    assert dlg.result() == QDialog.DialogCode.Rejected
    assert dlg.lote_escolhido() is None


def test_nada_a_alterar(qtbot, d):
    d.aplicar(importar(d, [MSC]).lote())
    dlg = _dialogo(qtbot, d)
    assert dlg.tabelas_escolhidas() == []
    assert not dlg.botao_aplicar.isEnabled()
