"""Issue 24, acceptance: the screens of every step of the clerk's job, as ``scripts/capturas.py``
takes them for docs/ and the README, at 1280×800 and 1366×768, with no label, button, header
or status message cut — measured with Qt's own font metrics (``app.medidas``), offscreen."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
TAMANHOS = ((1280, 800), (1366, 768))


@pytest.fixture(scope="module")
def capturas():
    spec = importlib.util.spec_from_file_location("capturas", RAIZ / "scripts" / "capturas.py")
    assert spec is not None and spec.loader is not None
    modulo = importlib.util.module_from_spec(spec)
    sys.modules["capturas"] = modulo
    spec.loader.exec_module(modulo)
    yield modulo
    sys.modules.pop("capturas", None)


def test_o_script_cobre_cada_passo_do_trabalho(capturas):
    assert capturas.TAMANHOS == TAMANHOS
    assert capturas.PASSOS == (
        "inicio",
        "nova",
        "digitar",
        "colar",
        "criticas",
        "salvar",
        "fechar",
        "anterior",
        "contabil",
        "rreo",
        "transmitir",
        "homologar",
    )


@pytest.mark.parametrize(("largura", "altura"), TAMANHOS)
def test_nada_cortado_nas_telas_do_dia(capturas, ambiente, qtbot, largura, altura):
    from siops.app.cliente import criar_aplicacao

    criar_aplicacao()
    vistos = []
    cortados = []
    for tela in capturas.telas_do_dia(ambiente / f"{largura}", largura, altura):
        vistos.append(tela.passo)
        assert tela.janela.size().width() == largura, tela.passo
        if tela.dialogo is not None:
            assert tela.dialogo.isVisible(), tela.passo
        cortados += tela.cortados()
    assert vistos == list(capturas.PASSOS[:-2])
    assert not cortados, "\n".join(cortados)


def test_nada_cortado_no_transmissor(capturas, ambiente, qtbot):
    from siops.app.cliente import criar_aplicacao

    criar_aplicacao()
    vistos = []
    cortados = []
    for largura, altura, tela in capturas.telas_demo(ambiente / "demo", TAMANHOS):
        vistos.append((tela.passo, largura, altura))
        cortados += [f"{largura}x{altura} {x}" for x in tela.cortados()]
    assert vistos == [(p, w, h) for p in ("transmitir", "homologar") for w, h in TAMANHOS]
    assert not cortados, "\n".join(cortados)


def test_medidas_acha_o_que_esta_cortado(qtbot):
    """The measure itself: a label, a button, a header and a status message too narrow are
    found; the same texts with room, and a text shortened on purpose, are not."""
    from PySide6.QtGui import QStandardItemModel
    from PySide6.QtWidgets import QLabel, QMainWindow, QPushButton, QTableView, QVBoxLayout, QWidget

    from siops.app.medidas import textos_cortados
    from siops.app.previa_pdf import RotuloAbreviado

    texto = "ASSISTÊNCIA HOSPITALAR E AMBULATORIAL (V)"
    j = QMainWindow()
    qtbot.addWidget(j)
    corpo = QWidget()
    caixa = QVBoxLayout(corpo)
    rotulo = QLabel(texto)
    botao = QPushButton("Abrir no visualizador do sistema")
    abreviado = RotuloAbreviado("/tmp/uma/pasta/muito/comprida/" + "x" * 200 + ".pdf")
    tabela = QTableView()
    modelo = QStandardItemModel(1, 2)
    modelo.setHorizontalHeaderLabels(["Despesas\nempenhadas até", "Dotação"])
    tabela.setModel(modelo)
    tabela.horizontalHeader().resizeSection(0, 160)
    for w in (rotulo, botao, abreviado, tabela):
        caixa.addWidget(w)
    j.setCentralWidget(corpo)
    j.resize(900, 400)
    j.show()
    qtbot.waitExposed(j)
    assert textos_cortados(j) == []
    rotulo.setFixedWidth(rotulo.fontMetrics().horizontalAdvance(texto) // 2)
    botao.setFixedWidth(60)
    tabela.horizontalHeader().resizeSection(0, 30)
    j.statusBar().showMessage("Importação concluída: " + "312 item(ns) " * 20)
    qtbot.wait(50)
    achados = textos_cortados(j)
    assert any(texto in x for x in achados), achados
    assert any("Abrir no visualizador" in x for x in achados), achados
    assert any("cabeçalho 0" in x and "empenhadas até" in x for x in achados), achados
    assert any("barra de status" in x for x in achados), achados
    assert abreviado.text() != abreviado.texto_inteiro() and abreviado.toolTip()
    assert not [x for x in achados if "pasta/muito" in x or "…" in x], achados
