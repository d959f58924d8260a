"""The rest of the clerk's paths: estado and DF declarations, the CSV import, a finding in a
text field, the transmitter from the menu, the ``siops abrir``/``demo`` verbs."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtWidgets import QApplication

from siops.app.dialogos import Resposta
from siops.app.modelos import PAPEL_OBJETO


@pytest.mark.parametrize(
    ("esfera", "busca", "codigo", "pasta"),
    [("estado", "Bahia", "E29", "ESTADUAL"), ("df", "", "E53", "ESTADUAL")],
)
def test_nova_declaracao_de_estado_e_df(
    janela, balcao, qtbot, ambiente, esfera, busca, codigo, pasta
):
    j = janela

    def preencher(dlg):
        (dlg.r_estado if esfera == "estado" else dlg.r_df).setChecked(True)
        if busca:
            linhas = [dlg.filtro.index(r, 0).data() for r in range(dlg.filtro.rowCount())]
            assert len(linhas) == 26 and "Bahia" in linhas
            dlg.lista.setCurrentIndex(dlg.filtro.index(linhas.index(busca), 0))
        dlg.exercicio.setValue(2024)
        dlg.bimestre.setCurrentIndex(5)
        dlg._aceitar()

    j.dialogos.ao_mostrar = preencher
    j.a_nova.trigger()
    qtbot.waitUntil(lambda: j.documento is not None, timeout=15000)
    balcao.esperar_tarefas()
    d = j.documento.declaracao
    assert (d.ente.codigo, d.exercicio, d.bimestre) == (codigo, 2024, 6)
    assert j.documento.caminho == (
        ambiente
        / "MS-SIOPS"
        / pasta
        / "2024"
        / "SextoBimestre"
        / f"{codigo}_2024_SextoBimestre.OPS"
    )
    # In the 6º bimestre the apuração follows the empenhada (one percentage in the status bar).
    assert "empenhada: " not in j.rotulo_percentual.text()


def test_nova_declaracao_que_ja_existe_pergunta_e_abre(janela, balcao, qtbot, ambiente):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 4)
    primeiro = j.documento

    def preencher(dlg):
        dlg.escolher("monteiro lobato", "SP")
        dlg.exercicio.setValue(2025)
        dlg.bimestre.setCurrentIndex(3)
        dlg._aceitar()

    j.dialogos.ao_mostrar = preencher
    j.dialogos.respostas.append(Resposta.SIM)
    j.a_nova.trigger()
    qtbot.waitUntil(lambda: j.documento is not primeiro, timeout=15000)
    assert j.documento.caminho == primeiro.caminho
    assert "Já existe uma declaração" in j.dialogos.perguntas[-1][1]


def test_importar_planilha_csv(janela, balcao, qtbot, ambiente):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    csv = ambiente / "dados.csv"
    csv.write_text(
        "tabela;linha;coluna;valor\n"
        "receitas_base;iptu;realizada;1500.25\n"
        "despesas_asps;s301_31;empenhada;1.000,00\n"
        "campo;fundo_lei;;Lei 9/1990\n",
        encoding="utf-8",
    )
    j.dialogos.arquivos.append(csv)
    j.a_importar_planilha.trigger()
    balcao.esperar_tarefas()
    qtbot.waitUntil(lambda: j.documento.declaracao.texto("fundo_lei") == "Lei 9/1990")
    d = j.documento.declaracao
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal("1500.25")
    assert "Planilha importada: 3 valor(es)." in j.mensagem_atual()
    j.a_desfazer.trigger()  # one undo step
    assert d.valor(("receitas_base", "iptu", "realizada")) == 0
    # A bad line: nothing imported, the line named.
    ruim = ambiente / "ruim.csv"
    ruim.write_text("tabela;linha;coluna;valor\nreceitas_base;iptu;realizada;abc\n", "utf-8")
    j.dialogos.arquivos.append(ruim)
    j.a_importar_planilha.trigger()
    balcao.esperar_tarefas()
    qtbot.waitUntil(lambda: bool(j.dialogos.mensagens))
    _titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert texto == "Nada foi importado de ruim.csv." and "Linha 2" in detalhes
    assert d.valor(("receitas_base", "iptu", "realizada")) == 0


def test_critica_de_campo_leva_ao_campo(janela, balcao, qtbot):
    j = janela
    balcao.criar("monteiro lobato", "SP", 2025, 1)
    dock = j.dock
    dock.modelo.atualizar_agora()
    alvo = None
    for r in range(dock.filtro.rowCount()):
        a = dock.filtro.index(r, 0).data(PAPEL_OBJETO)
        if getattr(a, "campo", None) == "fundo_cnpj":
            alvo = r
    assert alvo is not None
    dock.ativar_linha(alvo)
    form = j.paginas.currentWidget()
    assert form.pasta.id == "informacoes_adicionais"
    assert QApplication.focusWidget() is form.campos["fundo_cnpj"]
    assert "background" in form.campos["fundo_cnpj"].styleSheet()  # marked


def test_transmissor_pelo_menu(janela, balcao, monkeypatch):
    import siops.transmissor.gui

    chamadas = []
    monkeypatch.setattr(
        siops.transmissor.gui, "abrir", lambda pai, arq: chamadas.append((pai, arq))
    )
    janela.a_transmissor.trigger()
    assert chamadas == [(janela, None)]


def test_cli_abrir_arquivo_inexistente(ambiente, capsys):
    from siops.app.cli import main

    assert main(["abrir", str(ambiente / "nao-existe.OPS")]) == 2
    assert "não existe" in capsys.readouterr().err


def test_demo_prepara_a_declaracao(ambiente):
    from siops.app.cmd_cliente import preparar_demo
    from siops.ops_format import ler

    arquivo = preparar_demo(ambiente / "demo")
    assert arquivo.name == "M353170_2026_QuintoBimestre.OPS"
    assert ler(arquivo).ente.nome == "Monteiro Lobato"
