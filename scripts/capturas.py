"""Screenshots for docs/ and the README: the client, the transmitter and a page of the RREO.

Run under a real X server of the documented size:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/capturas.py

It writes ``docs/cliente-janela.png``, ``docs/cliente-criticas.png``,
``docs/cliente-nova.png``, ``docs/cliente-inicio.png`` (welcome screen),
``docs/cliente-dados-gerais.png`` (the text-field form), ``docs/cliente-origem.png`` ("De onde
vem este valor?" on a cell computed from the ledger), and Despesas, the ledger's planilhas of
despesa and receitas (``cliente-razao-despesas-…``, ``cliente-razao-receitas-…``) and Dados
Gerais at 1280×800 and 1366×768 (``docs/cliente-despesas-1280x800.png`` …); then, with the
demonstration of
``siops demo`` (``app.demo_ambiente``: the real local server, test certificates), it drives the
clerk's path and writes ``docs/cliente-relatorios.png`` (the Relatórios menu open),
``docs/transmissor.png`` (the transmitter after Transmitir and the gestora's Homologar) and
``docs/rreo-demo-p1.png`` (page 1 of the demonstrativo the gestora signed, via ``pdftoppm``).
The declaration is the demonstration one (``forms.demo``) in temporary folders; nothing of the
user's is read or written.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

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
    nomes += capturas_demo(app, docs, tmp / "demo")
    for nome in nomes:
        print(docs / nome)
    return 0


def _esperar(condicao, segundos: float = 120.0) -> None:
    """Process events until ``condicao()`` is true (or fail with a message)."""
    import time

    from PySide6.QtTest import QTest

    fim = time.monotonic() + segundos
    while not condicao():
        if time.monotonic() > fim:
            raise SystemExit("capturas: tempo esgotado esperando a janela")
        QTest.qWait(50)


def capturas_demo(app, docs: Path, pasta: Path) -> list[str]:
    """The demonstration's screenshots (see module docstring)."""
    import subprocess

    from PySide6.QtCore import QPoint
    from PySide6.QtTest import QTest

    from siops.app.cliente import criar_janela
    from siops.app.cmd_cliente import apresentar
    from siops.app.demo_ambiente import SENHA_PFX, preparar
    from siops.app.dialogos import DialogosFalsos, Resposta
    from siops.transmissor.gui.dialogos import DialogosFalsos as DialogosTransmissor
    from siops.transmissor.gui.janela import JanelaTransmissor

    amb = preparar(pasta, token=False)
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
        # The Relatórios menu, open: a popup is its own window, so grab the screen.
        barra = j.menuBar()
        pos = barra.mapToGlobal(barra.actionGeometry(j.menu_relatorios.menuAction()).bottomLeft())
        j.menu_relatorios.popup(pos)
        QTest.qWait(400)
        origem = j.mapToGlobal(QPoint(0, 0))
        tela = app.primaryScreen().grabWindow(0, origem.x(), origem.y(), j.width(), j.height())
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
        t.transmitir()
        _esperar(lambda: t.modelo.linhas() and t.modelo.estado(0).estado == "transmitido")
        _esperar(lambda: not t.tarefas.ocupado())
        t.a1_edit.setText(str(amb.gestor.pfx))
        t.dialogos.senhas.append(SENHA_PFX)
        t.dialogos.confirmacoes.append(True)
        t.tabela.selectRow(0)
        t.homologar()
        _esperar(lambda: any(m[1] == "Homologação concluída" for m in t.dialogos.mostrados))
        _esperar(lambda: not t.tarefas.ocupado())
        t.tabela.clearSelection()
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

        t.close()
        j._pode_fechar = True
        j.close()
        app.processEvents()
    finally:
        amb.parar()
    return ["cliente-relatorios.png", "transmissor.png", "rreo-demo-p1.png"]


if __name__ == "__main__":
    sys.exit(main())
