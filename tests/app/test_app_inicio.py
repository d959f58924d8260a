"""Opening a declaration: its numbers on screen first (the bench's "abrir declaração cheia até a
1ª pintura"). What the first frame does not show — the críticas, the gate, the accounting
import, the reports, the dialogs — is loaded or run after it, or when first asked for."""

from __future__ import annotations

import gc
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

RAIZ = Path(__file__).resolve().parents[2]


@pytest.fixture
def arquivo_cheio(ambiente: Path) -> Path:
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia
    from siops.ops_format import salvar

    arq = ambiente / "M355030_2025_SextoBimestre.OPS"
    salvar(declaracao_cheia(ente("M355030"), 2025, 6), arq)
    return arq


@pytest.fixture
def janela_oculta(qtbot: Any, ambiente: Path) -> Any:
    """The real main window, not shown yet."""
    from siops.app.cliente import criar_aplicacao
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela import JanelaPrincipal

    criar_aplicacao()
    j = JanelaPrincipal()
    j.dialogos = DialogosFalsos(j)
    qtbot.addWidget(j)
    yield j
    j.tarefas.aguardar()
    j._pode_fechar = True
    j.close()


def _ao_pintar(janela: Any, registrar: Any) -> Any:
    from PySide6.QtCore import QEvent, QObject

    class Filtro(QObject):
        def eventFilter(self, obj: Any, ev: Any) -> bool:
            if ev.type() == QEvent.Type.Paint:
                registrar()
            return False

    f = Filtro(janela)
    janela.installEventFilter(f)
    return f


PRIMEIRO_QUADRO = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from PySide6.QtCore import QEvent, QObject
    from siops.app.cliente import criar_aplicacao, criar_janela

    app = criar_aplicacao()
    j = criar_janela()
    assert j.abrir_arquivo(Path(sys.argv[1]))
    pintou = []

    class Filtro(QObject):
        def eventFilter(self, obj, ev):
            if ev.type() == QEvent.Type.Paint:
                pintou.append(True)
            return False

    f = Filtro()
    j.vista_atual().viewport().installEventFilter(f)
    j.show()
    while not pintou:
        app.processEvents()
    print(" ".join(sorted(sys.modules)))
    j._pode_fechar = True
    j.close()
    """
)

#: Nothing of these is on the first frame of an opened declaration.
DEPOIS_DO_PRIMEIRO_QUADRO = (
    "siops.criticas",  # the rules: right after the first frame
    "siops.contabil",  # Importar da contabilidade…
    "siops.app.portao",  # Gravar arquivo para transmissão
    "siops.app.razao_dialogos",  # Incluir linha…, De onde vem este valor?
    "siops.app.janela_dialogos",
    "siops.app.previa_pdf",
    "siops.relatorios.pdf_rreo",
    "siops.relatorios.comparacao",
    "siops.transmissor.cliente",
    "reportlab",
    "pypdfium2",
    "requests",
    "cryptography",
)


def test_primeiro_quadro_nao_carrega_o_que_nao_mostra(arquivo_cheio):
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(RAIZ))
    r = subprocess.run(
        [sys.executable, "-c", PRIMEIRO_QUADRO, str(arquivo_cheio)],
        cwd=RAIZ,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr[-3000:]
    carregados = set(r.stdout.split())
    assert "siops.app.janela" in carregados and "siops.forms.declaracao" in carregados
    assert [m for m in DEPOIS_DO_PRIMEIRO_QUADRO if m in carregados] == []


def test_criticas_de_um_arquivo_aberto_depois_do_primeiro_quadro(
    qtbot, janela_oculta, arquivo_cheio
):
    """Reading and laying out a large declaration can outlast ``ADIAR_CRITICAS_MS``: the rules
    still wait for the first frame (they used to run before it)."""
    from siops.app.documento import ADIAR_CRITICAS_MS

    j = janela_oculta
    assert j.abrir_arquivo(arquivo_cheio)
    doc = j.documento
    time.sleep(3 * ADIAR_CRITICAS_MS / 1000)  # a slow machine
    no_primeiro_quadro: list[int] = []
    _ao_pintar(j, lambda: no_primeiro_quadro.append(len(doc.achados)))
    j.show()
    qtbot.waitUntil(lambda: bool(no_primeiro_quadro), timeout=5000)
    assert no_primeiro_quadro[0] == 0  # the numbers came first
    qtbot.waitUntil(lambda: bool(doc.achados), timeout=5000)  # the rules right after
    assert "Impeditivas:" in j.rotulo_criticas.text()


def test_janela_que_nao_pinta_recebe_as_criticas(qtbot, janela_oculta, arquivo_cheio):
    """A window that paints nothing (hidden) does not hold the críticas back for long."""
    from siops.app.documento import LIMITE_ESPERA_PINTURA_MS

    j = janela_oculta
    assert j.abrir_arquivo(arquivo_cheio)
    doc = j.documento
    assert doc.achados == [] and doc.criticas_disponiveis
    qtbot.waitUntil(lambda: bool(doc.achados), timeout=LIMITE_ESPERA_PINTURA_MS + 4000)
    assert not j.isVisible()


def test_edicao_antes_das_criticas_as_inicia(janela_oculta, arquivo_cheio):
    """The first edit of a file whose críticas have not started yet starts them, over the edit
    (they used to miss it until their timer fired)."""
    from decimal import Decimal

    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.razao import ChaveDespesa

    j = janela_oculta
    assert j.abrir_arquivo(arquivo_cheio)
    doc = j.documento
    assert doc.achados == []
    k, valores = doc.linhas_razao(ChaveDespesa)[0]
    novo = valores.get("empenhada", Decimal(0)) + Decimal("123.45")
    assert doc.executar(DefinirLancamento(k, "empenhada", novo))
    assert doc.achados  # no event loop ran: the edit brought them
    assert doc.achados == doc.verificar_tudo()


def test_coletor_de_ciclos_volta_depois_do_primeiro_quadro(qtbot, ambiente, arquivo_cheio):
    """A new client process starts with Python's cycle collector paused (``cliente``); the main
    window's first frame brings it back."""
    from siops.app import cliente

    cliente.criar_aplicacao()
    assert gc.isenabled()  # the QApplication already existed (tests): nothing paused
    cliente._adiar_coleta()
    try:
        assert not gc.isenabled()
        j = cliente.criar_janela()
        qtbot.addWidget(j)
        assert j.abrir_arquivo(arquivo_cheio)
        assert not gc.isenabled()
        j.show()
        qtbot.waitUntil(gc.isenabled, timeout=cliente.ESPERA_COLETA_MS - 500)
        j.tarefas.aguardar()
        j._pode_fechar = True
        j.close()
    finally:
        cliente.retomar_coleta()
    assert gc.isenabled()
