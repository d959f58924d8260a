"""Screenshots for docs/ and the README: the client, the transmitter and a page of the RREO.

Run under a real X server of the documented size:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/capturas.py

First, the clerk's job step by step (issue 24), at 1280×800 and at 1366×768, each picture
``docs/passo-NN-<passo>-<largura>x<altura>.png``: the welcome screen, Nova declaração, typing
in the ledger (a refused value and why, beside the cell), a paste, the críticas, Salvar como
(the file dialog in pt-BR), closing with unsaved edits, the import of the previous bimestre,
the import of the accounting (the São Paulo MSC of the tests), the RREO in the preview inside
the program and, with the demonstration's server, Transmitir and the gestora's Homologar in
the Transmissor. ``telas_do_dia`` and ``telas_demo`` yield those screens; the test
``tests/app/test_app_capturas.py`` drives the same generators offscreen and checks with Qt's
font metrics (``app.medidas``) that no label, header or status message of them is cut, and
this script prints any it finds.

Then the older pictures: ``docs/cliente-janela.png``, ``docs/cliente-criticas.png``,
``docs/cliente-nova.png``, ``docs/cliente-inicio.png`` (welcome screen),
``docs/cliente-dados-gerais.png`` (the text-field form), ``docs/cliente-origem.png`` ("De onde
vem este valor?" on a cell computed from the ledger), and Despesas, the ledger's planilhas of
despesa and receitas (``cliente-razao-despesas-…``, ``cliente-razao-receitas-…``) and Dados
Gerais at 1280×800 and 1366×768 (``docs/cliente-despesas-1280x800.png`` …); with the
demonstration of ``siops demo`` (``app.demo_ambiente``: the real local server, test
certificates), ``docs/cliente-relatorios.png`` (the Relatórios menu open),
``docs/transmissor.png`` (the transmitter after Transmitir and the gestora's Homologar) and
``docs/rreo-demo-p1.png`` (page 1 of the demonstrativo the gestora signed, via ``pdftoppm``).
The declarations are the demonstration one (``forms.demo``) and an empty São Paulo one, in
temporary folders; nothing of the user's is read or written.

Last, the screens of issue 26 — the projection's panel, dialog and PDF, Comparar versões, the
Carteira de entes and the retransmission request's summary — by ``capturas_analises.py``
(which also runs alone).
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parent.parent
#: The screens also captured at the common laptop sizes (issue 24: nothing may be cut there).
TAMANHOS = ((1280, 800), (1366, 768))
sys.path.insert(0, str(RAIZ))


def main() -> int:
    tmp = Path(tempfile.mkdtemp(prefix="siops-capturas-"))
    os.environ["SIOPS_HOME"] = str(tmp / "MS-SIOPS")
    os.environ["SIOPS_DADOS"] = str(tmp / "dados")
    from decimal import Decimal

    from PySide6.QtCore import QDate, Qt
    from PySide6.QtTest import QTest

    from siops.app.cliente import criar_aplicacao, criar_janela
    from siops.app.cmd_cliente import preparar_demo
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela_nova import DialogoNovaDeclaracao
    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.razao import ChaveDespesa

    app = criar_aplicacao()
    docs = RAIZ / "docs"
    docs.mkdir(exist_ok=True)
    nomes_passos: list[str] = []
    cortes: list[str] = []
    for largura, altura in TAMANHOS:
        pasta = Path(tempfile.mkdtemp(prefix=f"passos-{largura}-", dir=tmp))
        for tela in telas_do_dia(pasta, largura, altura):
            nomes_passos.append(salvar_tela(tela, docs, largura, altura, cortes))
    arquivo = preparar_demo(tmp / "MS-SIOPS")
    j = criar_janela()
    j.dialogos = DialogosFalsos(j)
    j.resize(1440, 860)
    j.move(0, 0)
    j.show()
    QTest.qWait(200)
    j.grab().save(str(docs / "cliente-inicio.png"))  # the welcome screen, recent list empty
    assert j.abrir_arquivo(arquivo)
    # An impeditiva on purpose, so the dock and the red marks show: one ledger line's
    # liquidada raised until the Anexo 12 cell's liquidada passes its empenhada by R$ 1.500.
    doc = j.documento
    d = doc.declaracao
    emp = d.valor(("despesas_asps", "s301_33", "empenhada"))
    liq = d.valor(("despesas_asps", "s301_33", "liquidada"))
    linha = ChaveDespesa.de("4", "301", "3.3.90.39")
    novo = d.lancamento(linha, "liquidada") + emp - liq + Decimal("1500")
    doc.executar(DefinirLancamento(linha, "liquidada", novo))
    j.dock.hide()
    j.mostrar_pagina("tabela:receitas_base")
    v = j.vista("receitas_base")
    v.ir_para(*v.modelo().posicao("iss", "realizada"))
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-janela.png"))

    j.dock.show()
    j.resizeDocks([j.dock], [300], Qt.Orientation.Vertical)
    j.mostrar_pagina("tabela:despesas_asps")
    j.ir_para_celula("despesas_asps", "s301_33", "liquidada")
    vd = j.vista("despesas_asps")
    vd.setCurrentIndex(vd.modelo().index(vd.currentIndex().row() + 1, 1))  # the red cell shows
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-criticas.png"))

    # De onde vem este valor? On the red cell (computed from the ledger): the dialog.
    j.ir_para_celula("despesas_asps", "s301_33", "liquidada")
    j.dialogos.ao_mostrar = lambda dlg: None
    j.origem_da_celula_atual()
    origem = j.dialogos.mostrados[-1]
    origem.resize(820, 360)
    origem.show()
    QTest.qWait(300)
    origem.grab().save(str(docs / "cliente-origem.png"))
    origem.close()
    j.dialogos.ao_mostrar = None

    j.dock.hide()
    j.mostrar_pagina("form:dados_gerais")
    QTest.qWait(300)
    j.grab().save(str(docs / "cliente-dados-gerais.png"))

    # The laptop sizes the clerk has (issue 24): Despesas with the críticas, and Dados Gerais.
    extras = []
    for largura, altura in TAMANHOS:
        j.resize(largura, altura)
        j.dock.show()
        j.mostrar_pagina("tabela:despesas_asps")
        QTest.qWait(300)
        nome = f"cliente-despesas-{largura}x{altura}.png"
        j.grab().save(str(docs / nome))
        # The ledger: a planilha with a line outside the Anexo 12 selected (its reason under
        # the table), and the receitas by natureza.
        j.ir_para_linha_razao(ChaveDespesa.de("4", "302", "3.3.71.70"), "empenhada")
        QTest.qWait(300)
        nome_rd = f"cliente-razao-despesas-{largura}x{altura}.png"
        j.grab().save(str(docs / nome_rd))
        j.mostrar_pagina("razao:receitas")
        QTest.qWait(300)
        nome_rr = f"cliente-razao-receitas-{largura}x{altura}.png"
        j.grab().save(str(docs / nome_rr))
        extras += [nome_rd, nome_rr]
        j.dock.hide()
        j.mostrar_pagina("form:dados_gerais")
        QTest.qWait(300)
        nome_dg = f"cliente-dados-gerais-{largura}x{altura}.png"
        j.grab().save(str(docs / nome_dg))
        extras += [nome, nome_dg]
    j.resize(1440, 860)

    dlg = DialogoNovaDeclaracao(j, hoje=QDate(2026, 5, 10).toPython())
    dlg.escolher("sao jose", None)
    dlg.show()
    QTest.qWait(300)
    dlg.grab().save(str(docs / "cliente-nova.png"))
    dlg.close()

    j._pode_fechar = True
    j.close()
    app.processEvents()
    nomes = [
        "cliente-janela.png",
        "cliente-criticas.png",
        "cliente-nova.png",
        "cliente-inicio.png",
        "cliente-dados-gerais.png",
        "cliente-origem.png",
        *extras,
    ]
    nomes += capturas_demo(app, docs, tmp / "demo", nomes_passos, cortes)
    # issue 26: projeção, comparar versões, carteira, retransmissão (scripts/capturas_analises.py)
    from capturas_analises import capturas_analises

    novas, cortadas = capturas_analises(app, docs, tmp / "analises")
    nomes += novas
    cortes += cortadas
    for nome in [*nomes_passos, *nomes]:
        print(docs / nome)
    for corte in cortes:
        print(f"capturas: texto cortado: {corte}", file=sys.stderr)
    return 1 if cortes else 0


# --- the clerk's job, step by step (issue 24) -------------------------------------------------


class Tela:
    """One screen of a step: the main window (or the Transmissor) and, over it, the dialog the
    step opened (None when the window is the screen)."""

    def __init__(self, passo: str, janela: Any, dialogo: Any = None) -> None:
        self.passo = passo
        self.janela = janela
        self.dialogo = dialogo

    def cortados(self) -> list[str]:
        """What is cut in the window and in the dialog (``app.medidas``)."""
        from siops.app.medidas import textos_cortados

        out = [f"{self.passo}: {x}" for x in textos_cortados(self.janela)]
        if self.dialogo is not None:
            out += [f"{self.passo} (diálogo): {x}" for x in textos_cortados(self.dialogo)]
        return out


#: The steps, in the order the clerk takes them (the test checks that each one is yielded).
PASSOS = (
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


def salvar_tela(tela: Tela, docs: Path, largura: int, altura: int, cortes: list[str]) -> str:
    """Grab the screen (the window with its dialog on top, as the clerk sees it) into
    ``docs/passo-NN-<passo>-<largura>x<altura>.png``; note what is cut."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QGuiApplication

    cortes += [f"{largura}x{altura} {x}" for x in tela.cortados()]
    nome = f"passo-{PASSOS.index(tela.passo) + 1:02d}-{tela.passo}-{largura}x{altura}.png"
    j = tela.janela
    origem = j.mapToGlobal(QPoint(0, 0))
    tela_x = QGuiApplication.primaryScreen()
    imagem = tela_x.grabWindow(0, origem.x(), origem.y(), j.width(), j.height())
    if imagem.isNull():  # no X server (offscreen): the window alone
        imagem = j.grab()
    imagem.save(str(docs / nome))
    return nome


def _centrar(dialogo: Any, janela: Any, largura: int | None = None, altura: int | None = None):
    """Show a dialog centred over the window (no window manager under Xvfb does it)."""
    from PySide6.QtTest import QTest

    if largura and altura:
        dialogo.resize(largura, altura)
    dialogo.show()
    QTest.qWait(50)
    g = dialogo.frameGeometry()
    centro = janela.frameGeometry().center()
    dialogo.move(centro.x() - g.width() // 2, max(centro.y() - g.height() // 2, 0))
    QTest.qWait(250)


def _limpar_mensagem(j: Any) -> None:
    """The previous step's message off the status bar (it is not this step's)."""
    j.statusBar().clearMessage()
    j.rotulo_mensagem.hide()


def telas_do_dia(pasta: Path, largura: int, altura: int) -> Iterator[Tela]:
    """The clerk's job in the main window at ``largura``×``altura``, one ``Tela`` per step
    (``PASSOS`` without the Transmissor's two, which need the demonstration's server:
    ``telas_demo``). ``SIOPS_HOME`` and ``SIOPS_DADOS`` are set to folders in ``pasta``."""
    from datetime import date

    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QMessageBox

    from siops.app.cliente import criar_janela
    from siops.app.cmd_cliente import preparar_demo
    from siops.app.dialogos import Dialogos, DialogosFalsos, dialogo_arquivo
    from siops.app.janela_arquivo import FILTRO_OPS
    from siops.app.janela_nova import DialogoNovaDeclaracao
    from siops.app.previa_pdf import DialogoPreviaPdf
    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.entes import ente
    from siops.forms.razao import ChaveDespesa, ChaveReceita

    os.environ["SIOPS_HOME"] = str(pasta / "MS-SIOPS")
    os.environ["SIOPS_DADOS"] = str(pasta / "dados")
    arquivo = preparar_demo(pasta / "MS-SIOPS")
    j = criar_janela()
    falsos = DialogosFalsos(j)
    j.dialogos = falsos
    j.resize(largura, altura)
    j.move(0, 0)
    j.show()
    j.activateWindow()
    QTest.qWait(300)
    try:
        yield Tela("inicio", j)

        dlg = DialogoNovaDeclaracao(j, hoje=date(2026, 11, 10))
        dlg.escolher("monteiro lobato", "SP")
        _centrar(dlg, j)
        yield Tela("nova", j, dlg)
        dlg.reject()

        assert j.abrir_arquivo(arquivo)
        doc = j.documento
        _esperar(lambda: bool(doc.achados))
        # Typing in the ledger: a negative amount is refused, the reason beside the cell.
        _limpar_mensagem(j)
        pagina = j.mostrar_pagina("razao:despesas")
        vista = pagina.vista
        pos = pagina.modelo.posicao_linha(ChaveDespesa.de("4", "302", "3.3.90.30"), "empenhada")
        vista.ir_para(*pos)
        QTest.keyClicks(vista, "-")  # the first key opens the cell's editor…
        editor = vista.focusWidget()
        assert editor is not None and editor is not vista
        QTest.keyClicks(editor, "5")
        QTest.keyClick(editor, Qt.Key.Key_Return)
        QTest.qWait(300)
        yield Tela("digitar", j)
        QTest.keyClick(editor, Qt.Key.Key_Escape)
        QTest.qWait(100)

        # A paste of three amounts from a spreadsheet into the receitas (one undo step).
        _limpar_mensagem(j)
        pagina = j.mostrar_pagina("razao:receitas")
        vista = pagina.vista
        pos = pagina.modelo.posicao_linha(ChaveReceita.de("1.1.1.2.50"), "previsao_atualizada")
        vista.ir_para(*pos)
        vista.colar("430.000,00\n165.000,00\n390.000,00\n")
        QTest.qWait(300)
        yield Tela("colar", j)
        j.a_desfazer.trigger()

        # An impeditiva on purpose: the críticas under the Anexo 12 table, the red cell.
        _limpar_mensagem(j)
        d = doc.declaracao
        emp = d.valor(("despesas_asps", "s301_33", "empenhada"))
        liq = d.valor(("despesas_asps", "s301_33", "liquidada"))
        linha = ChaveDespesa.de("4", "301", "3.3.90.39")
        novo = d.lancamento(linha, "liquidada") + emp - liq + Decimal("1500")
        doc.executar(DefinirLancamento(linha, "liquidada", novo))
        j.dock.show()
        j.ir_para_celula("despesas_asps", "s301_33", "liquidada")
        _esperar(lambda: bool(doc.impeditivas()))
        QTest.qWait(300)
        yield Tela("criticas", j)

        # Salvar como: Qt's file dialog, in pt-BR.
        _limpar_mensagem(j)
        arq_dlg = dialogo_arquivo(j, "Salvar declaração como", arquivo, FILTRO_OPS, salvar=True)
        arq_dlg.selectFile(str(arquivo))
        _centrar(arq_dlg, j)
        yield Tela("salvar", j, arq_dlg)
        arq_dlg.reject()

        # Closing with edits not saved: the question, with the real message box.
        j.dialogos = Dialogos(j)
        j.consultar_fechamento(lambda: None)
        QTest.qWait(100)
        caixa = next(w for w in j.findChildren(QMessageBox) if w.isVisible())
        _centrar(caixa, j)
        yield Tela("fechar", j, caixa)
        caixa.done(QMessageBox.StandardButton.Cancel)
        j.dialogos = falsos
        doc.executar(DefinirLancamento(linha, "liquidada", novo - Decimal("1500")))

        # The 6º bimestre, new, and the import of the 5º: what changes, old → new.
        mostrados: list[Any] = []
        falsos.ao_mostrar = mostrados.append
        j.criar_declaracao(ente("M353170"), 2026, 6)
        _esperar(lambda: j.documento is not doc and j.documento is not None)
        _esperar(lambda: not j.tarefas.ocupado())
        j.preparar_importacao(arquivo)
        _esperar(lambda: bool(mostrados))
        imp = mostrados[-1]
        for i in range(min(2, imp.arvore.topLevelItemCount())):
            imp.arvore.topLevelItem(i).setExpanded(True)
        _centrar(imp, j)
        yield Tela("anterior", j, imp)
        imp.accept()
        QTest.qWait(200)

        # The accounting: the MSC of São Paulo (the tests' data) into a new declaration.
        j.criar_declaracao(ente("M355030"), 2025, 2)
        _esperar(lambda: j.documento.declaracao.ente.codigo == "M355030")
        _esperar(lambda: not j.tarefas.ocupado())
        dados = RAIZ / "tests" / "contabil" / "dados"
        j.importar_contabil_de(
            [dados / "msc_3550308_2025_03.csv", dados / "msc_3550308_2025_04.csv"]
        )
        _esperar(lambda: len(mostrados) > 1)
        contabil = mostrados[-1]
        _centrar(contabil, j)
        yield Tela("contabil", j, contabil)
        contabil.reject()

        # The RREO: saved beside the declaration, shown inside the program.
        assert j.abrir_arquivo(arquivo)
        _esperar(lambda: not j.tarefas.ocupado())
        falsos.arquivos.append(j.destino_relatorio("RREO"))
        j.visualizar_rreo()
        _esperar(lambda: any(isinstance(m, DialogoPreviaPdf) for m in mostrados))
        previa = next(m for m in mostrados if isinstance(m, DialogoPreviaPdf))
        _centrar(previa, j, int(largura * 0.9), int(altura * 0.9))
        _esperar(lambda: previa.pagina_renderizada(0) is not None)
        QTest.qWait(300)
        yield Tela("rreo", j, previa)
        previa.close()
    finally:
        j.tarefas.aguardar()
        j._pode_fechar = True
        j.close()
        QApplication.processEvents()


def _esperar(condicao, segundos: float = 120.0) -> None:
    """Process events until ``condicao()`` is true (or fail with a message)."""
    import time

    from PySide6.QtTest import QTest

    fim = time.monotonic() + segundos
    while not condicao():
        if time.monotonic() > fim:
            raise SystemExit("capturas: tempo esgotado esperando a janela")
        QTest.qWait(50)


def telas_demo(
    pasta: Path, tamanhos: tuple[tuple[int, int], ...] = TAMANHOS, docs: Path | None = None
) -> Iterator[tuple[int, int, Tela]]:
    """The Transmissor's two steps with the demonstration (the real local server, test
    certificates): (largura, altura, Tela) after Transmitir and after the gestora's Homologar,
    the window at each size. With ``docs``, also the older pictures of the demonstration (see
    module docstring)."""
    import subprocess

    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication

    from siops.app.cliente import criar_janela
    from siops.app.cmd_cliente import apresentar
    from siops.app.demo_ambiente import SENHA_PFX, preparar
    from siops.app.dialogos import DialogosFalsos, Resposta
    from siops.transmissor.gui.dialogos import DialogosFalsos as DialogosTransmissor
    from siops.transmissor.gui.janela import JanelaTransmissor

    amb = preparar(pasta, token=False)
    j = t = None
    try:
        j = criar_janela()
        j.dialogos = DialogosFalsos(j, respostas=[Resposta.SIM])
        j.resize(1440, 860)
        j.move(0, 0)
        j.show()
        assert j.abrir_arquivo(amb.arquivo)
        apresentar(j, amb)
        j.mostrar_pagina("tabela:despesas_asps")
        _esperar(lambda: bool(j.documento.achados))
        QTest.qWait(300)
        if docs is not None:
            # The Relatórios menu, open: a popup is its own window, so grab the screen.
            barra = j.menuBar()
            acao = barra.actionGeometry(j.menu_relatorios.menuAction())
            j.menu_relatorios.popup(barra.mapToGlobal(acao.bottomLeft()))
            QTest.qWait(400)
            origem = j.mapToGlobal(QPoint(0, 0))
            tela = QApplication.primaryScreen().grabWindow(
                0, origem.x(), origem.y(), j.width(), j.height()
            )
            tela.save(str(docs / "cliente-relatorios.png"))
            j.menu_relatorios.hide()

        # Gravar arquivo para transmissão → Transmissor → Entrar → Transmitir → Homologar.
        j.a_gravar_transmissao.trigger()
        _esperar(lambda: any(isinstance(w, JanelaTransmissor) for w in j._janelas_extras))
        t = next(w for w in j._janelas_extras if isinstance(w, JanelaTransmissor))
        t.dialogos = DialogosTransmissor()
        t.resize(1100, 640)
        t.move(0, 0)
        t.senha_edit.setText(amb.senha_tecnico)
        t.entrar()
        _esperar(lambda: "Conectado como" in t.rotulo_sessao.text())
        t.dialogos.senhas.append(SENHA_PFX)
        t.dialogos.confirmacoes.append(True)  # "Assinar e transmitir?"
        t.transmitir()
        _esperar(lambda: t.modelo.linhas() and t.modelo.estado(0).estado == "transmitido")
        _esperar(lambda: not t.tarefas.ocupado())
        for largura, altura in tamanhos:
            t.resize(largura, altura)
            QTest.qWait(300)
            yield largura, altura, Tela("transmitir", t)
        t.a1_edit.setText(str(amb.gestor.pfx))
        t.dialogos.senhas.append(SENHA_PFX)
        t.dialogos.confirmacoes.append(True)
        t.tabela.selectRow(0)
        t.homologar()
        _esperar(lambda: any(m[1] == "Homologação concluída" for m in t.dialogos.mostrados))
        _esperar(lambda: not t.tarefas.ocupado())
        t.tabela.clearSelection()
        for largura, altura in tamanhos:
            t.resize(largura, altura)
            QTest.qWait(300)
            yield largura, altura, Tela("homologar", t)
        if docs is None:
            return
        t.resize(1100, 640)
        QTest.qWait(300)
        t.grab().save(str(docs / "transmissor.png"))

        # A page of the RREO: the demonstrativo the gestora signed (PAdES) at homologation.
        transm = amb.arquivo.parent / "transm"
        pdf = transm / (amb.arquivo.stem + ".demonstrativo.pdf")
        if not pdf.is_file():
            from siops.relatorios import renderizar_rreo

            pdf = pasta / "RREO.pdf"
            renderizar_rreo(j.documento.declaracao.copia(), pdf)
        saida = pasta / "rreo"
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", str(pdf), str(saida)],
            check=True,
        )
        (next(pasta.glob("rreo*.png"))).replace(docs / "rreo-demo-p1.png")
    finally:
        if t is not None:
            t.tarefas.aguardar()
            t.close()
        if j is not None:
            j.tarefas.aguardar()
            j._pode_fechar = True
            j.close()
        QApplication.processEvents()
        amb.parar()


def capturas_demo(
    app: Any, docs: Path, pasta: Path, nomes_passos: list[str], cortes: list[str]
) -> list[str]:
    """The demonstration's screenshots: the Transmissor's steps and the older pictures."""
    for largura, altura, tela in telas_demo(pasta, TAMANHOS, docs):
        nomes_passos.append(salvar_tela(tela, docs, largura, altura, cortes))
    return ["cliente-relatorios.png", "transmissor.png", "rreo-demo-p1.png"]


if __name__ == "__main__":
    sys.exit(main())
