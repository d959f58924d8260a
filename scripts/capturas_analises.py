"""Screenshots of issue 26 (projection, comparison of versions, portfolio), called by
``scripts/capturas.py``; alone:

    xvfb-run -a -s "-screen 0 1440x900x24" .venv/bin/python scripts/capturas_analises.py

It writes ``docs/cliente-projecao-painel.png`` (the panel beside the status bar's percentage),
``docs/cliente-projecao.png`` (its dialog with the chart), ``docs/projecao-p1.png`` (the PDF,
via ``pdftoppm``), ``docs/cliente-comparar.png`` (the transmitted copy against the open
declaration after one edit), ``docs/cliente-carteira.png`` (a folder of nine declarations of
four entes, in every situation) and ``docs/transmissor-retransmissao.png`` (the Módulo de
Gestores with the summary offered as the justification). The declarations are the
demonstration's (``forms.demo``) in a temporary MS-SIOPS; nothing of the user's is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from decimal import Decimal
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RAIZ))


def _portfolio(raiz: Path) -> Path:
    """The demonstration município's 1º–3º bimestres and three other entes; returns the file
    of the 3º bimestre (the one opened)."""
    from siops.forms.declaracao import DefinirTexto
    from siops.forms.demo import declaracao_demo
    from siops.ops_format import caminhos, gravar_transmissao, salvar
    from siops.transmissor.recibos import Arquivos, RegistroTransmissao, sha256_arquivo

    def gravar(d) -> Path:
        p = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
        salvar(d, p)
        return p

    def recibo(copia: Path, situacao: str, protocolo: str, quando: str) -> None:
        RegistroTransmissao(
            protocolo=protocolo,
            servidor="http://127.0.0.1:8470",
            digest="0" * 64,
            arquivo_sha256=sha256_arquivo(copia),
            recebido_em=quando,
            situacao=situacao,
            homologado_em=quando if situacao == "homologado" else "",
        ).gravar(Arquivos(copia).recibo_json)

    arquivos = {}
    for b in (1, 2, 3):
        d = declaracao_demo("M353170", 2026, b)
        arquivos[b] = p = gravar(d)
        if b < 3:
            recibo(
                gravar_transmissao(d, p, []),
                "homologado",
                f"2026-00001{b}",
                f"2026-0{2 * b + 1}-20T14:00:00+00:00",
            )
    d = declaracao_demo("M353170", 2026, 3)
    copia = gravar_transmissao(d, arquivos[3], [])
    recibo(copia, "transmitido", "2026-000031", "2026-07-21T10:15:00+00:00")
    for codigo, b, sit in (
        ("M354850", 2, "homologado"),
        ("M354850", 3, None),
        ("M355030", 3, "gravada"),
    ):
        d = declaracao_demo(codigo, 2026, b)
        p = gravar(d)
        if sit == "homologado":
            recibo(gravar_transmissao(d, p, []), sit, "2026-000412", "2026-05-28T09:00:00+00:00")
        elif sit == "gravada":
            gravar_transmissao(d, p, [])
            d.aplicar(DefinirTexto("secretario_telefone", "(11) 3333-4444"))
            salvar(d, p)
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    gravar(Declaracao(ente("E35"), 2026, 3))  # just created: impeditivas
    return arquivos[3]


def capturas_analises(app, docs: Path, pasta: Path) -> tuple[list[str], list[str]]:
    """The screenshots (see module docstring); returns (file names, texts found cut)."""
    from PySide6.QtTest import QTest

    from siops.app.cliente import criar_janela
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela_carteira import JanelaCarteira
    from siops.app.medidas import textos_cortados
    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.razao import ChaveDespesa

    antigos = {
        k: os.environ.get(k) for k in ("SIOPS_HOME", "SIOPS_DADOS", "SIOPS_TRANSMISSOR_DADOS")
    }
    os.environ["SIOPS_HOME"] = str(pasta / "MS-SIOPS")
    os.environ["SIOPS_DADOS"] = str(pasta / "dados")
    os.environ["SIOPS_TRANSMISSOR_DADOS"] = str(pasta / "transmissor")
    nomes: list[str] = []
    cortes: list[str] = []

    def esperar(cond, segundos: float = 60) -> None:
        import time

        fim = time.monotonic() + segundos
        while not cond():
            if time.monotonic() > fim:
                raise SystemExit("capturas: tempo esgotado")
            QTest.qWait(50)

    def salvar_png(w, nome: str) -> None:
        w.grab().save(str(docs / nome))
        cortes.extend(f"{nome}: {x}" for x in textos_cortados(w))
        nomes.append(nome)

    try:
        arquivo = _portfolio(pasta / "MS-SIOPS")
        j = criar_janela()
        j.dialogos = DialogosFalsos(j)
        j.resize(1280, 800)
        j.move(0, 0)
        j.show()
        assert j.abrir_arquivo(arquivo)
        esperar(lambda: not j.tarefas.ocupado() and bool(j.documento.achados))
        j.dock.hide()
        j.mostrar_pagina("tabela:apuracao")
        QTest.qWait(400)
        salvar_png(j, "cliente-projecao-painel.png")

        # the panel's dialog
        j.dialogos.ao_mostrar = lambda dlg: None
        j.painel_projecao.click()
        dlg = j.dialogos.mostrados[-1]
        dlg.resize(1100, 740)
        dlg.show()
        QTest.qWait(400)
        salvar_png(dlg, "cliente-projecao.png")
        dlg.close()

        # the PDF
        j.a_rel_projecao.trigger()
        esperar(lambda: not j.tarefas.ocupado() and bool(j.dialogos.externos))
        pdf = j.dialogos.externos[-1]
        subprocess.run(
            ["pdftoppm", "-png", "-r", "90", "-f", "1", "-l", "1", str(pdf), str(pasta / "proj")],
            check=True,
        )
        next(pasta.glob("proj*.png")).replace(docs / "projecao-p1.png")
        nomes.append("projecao-p1.png")

        # comparar com a cópia transmitida, depois de uma correção ainda não salva
        d = j.documento.declaracao
        linha = next(k for k, _ in d.linhas_razao(ChaveDespesa) if k.planilha == "4")
        j.documento.executar(
            DefinirLancamento(
                linha, "liquidada", d.lancamento(linha, "liquidada") + Decimal("18500.00")
            )
        )
        j.a_comparar_transmitida.trigger()
        esperar(
            lambda: (
                not j.tarefas.ocupado()
                and any(w.objectName() == "dialogo_comparacao" for w in j.dialogos.mostrados)
            )
        )
        comp = j.dialogos.mostrados[-1]
        comp.resize(1180, 620)
        comp.show()
        QTest.qWait(400)
        salvar_png(comp, "cliente-comparar.png")
        comp.close()
        j.documento.pilha.undo()

        # a carteira
        c = JanelaCarteira(j, dialogos=j.dialogos)
        c.resize(1280, 560)
        c.move(0, 0)
        c.show()
        c.atualizar()
        esperar(lambda: not c.tarefas.ocupado())
        QTest.qWait(400)
        salvar_png(c, "cliente-carteira.png")
        c.close()

        # o pedido de retransmissão com o resumo
        from siops.transmissor.config import Configuracoes
        from siops.transmissor.gui.dialogos import DialogosFalsos as DialogosTransmissor
        from siops.transmissor.gui.janela import JanelaTransmissor

        t = JanelaTransmissor(dialogos=DialogosTransmissor(), config=Configuracoes())
        t.resize(1180, 720)
        t.move(0, 0)
        t.show()
        t.abas.setCurrentWidget(t.gestores)
        g = t.gestores
        g.ente_edit.setText("M353170")
        g.exercicio_spin.setValue(2026)
        g.bimestre_combo.setCurrentIndex(g.bimestre_combo.findData(3))
        # the correction saved, so the working file differs from what was transmitted
        j.documento.executar(
            DefinirLancamento(
                linha, "liquidada", d.lancamento(linha, "liquidada") + Decimal("18500.00")
            )
        )
        j.salvar()
        esperar(lambda: not j.tarefas.ocupado())
        g.justificativa_edit.setPlainText(
            "O empenho 1234/2026 foi liquidado em junho e lançado só depois da homologação."
        )
        g.resumir_alteracoes()
        QTest.qWait(400)
        salvar_png(t, "transmissor-retransmissao.png")
        t.close()
        j._pode_fechar = True
        j.close()
        app.processEvents()
    finally:
        for k, v in antigos.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return nomes, cortes


def main() -> int:
    from siops.app.cliente import criar_aplicacao

    app = criar_aplicacao()
    docs = RAIZ / "docs"
    nomes, cortes = capturas_analises(app, docs, Path(tempfile.mkdtemp(prefix="siops-capt26-")))
    for n in nomes:
        print(docs / n)
    for c in cortes:
        print(f"capturas: texto cortado: {c}", file=sys.stderr)
    return 1 if cortes else 0


if __name__ == "__main__":
    sys.exit(main())
