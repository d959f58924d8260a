"""Issue 26 no cliente: ``siops projecao`` e ``siops comparar`` (linha de comando), o painel da
projeção ao lado do percentual da barra de status, o diálogo e o PDF da projeção, e "Comparar
versões" a partir da janela principal."""

from __future__ import annotations

import json
import subprocess
from decimal import Decimal as D
from pathlib import Path

import pytest

from siops.app.cli import main
from siops.forms.declaracao import DefinirLancamento, DefinirTexto
from siops.forms.razao import ChaveDespesa
from siops.ops_format import caminhos, salvar
from tests.relatorios.test_projecao import _municipal, _municipal_b2


def _b1():
    return _municipal(
        1,
        {"iptu": ("2000000.00", "300000.00"), "fpm": ("8000000.00", "600000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "1200000.00",
                "empenhada": "300000.00",
                "liquidada": "150000.00",
            }
        },
    )


def _texto_pdf(pdf: Path) -> str:
    r = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    return r.stdout


@pytest.fixture
def pasta(ambiente, monkeypatch):
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(ambiente / "transmissor"))
    return ambiente


def test_cli_projecao_com_o_bimestre_anterior_na_pasta_padrao(pasta, capsys):
    # the 1º bimestre is in the standard folder; the 2º, in some other folder
    b1 = _b1()
    salvar(b1, caminhos.caminho_padrao(b1.ente, 2025, 1))
    arq = pasta / "trabalho" / "municipio_2o.OPS"
    salvar(_municipal_b2(), arq)
    assert main(["projecao", str(arq), "--json"]) == 0
    saida = capsys.readouterr()
    doc = json.loads(saida.out)
    assert doc["minimo_anual"] == "1500000.00"
    assert doc["aplicado"] == "400000.00"
    assert doc["falta"] == "1100000.00"
    assert doc["bimestres_restantes"] == 4
    assert doc["necessario_por_bimestre"] == "275000.00"
    assert [(h["bimestre"], h["aplicado"], h["no_bimestre"]) for h in doc["historico"]] == [
        (1, "150000.00", "150000.00"),
        (2, "400000.00", "250000.00"),
    ]
    pdf = arq.with_name("municipio_2o_PROJECAO.pdf")
    assert f"gravada em {pdf}" in saida.err
    texto = _texto_pdf(pdf)
    assert "PROJEÇÃO DO CUMPRIMENTO DO MÍNIMO" in texto
    assert "1.100.000,00" in texto and "275.000,00" in texto
    assert "Tendência por bimestre" in texto
    # the assumptions are printed under the figures
    assert texto.index("Premissas") > texto.index("Tendência por bimestre")


def test_cli_projecao_texto_sem_pdf(pasta, capsys):
    arq = pasta / "b2.OPS"
    salvar(_municipal_b2(), arq)
    assert main(["projecao", str(arq), "--sem-pdf"]) == 0
    saida = capsys.readouterr().out
    assert "Faltam R$ 1.100.000,00 para o mínimo do exercício (R$ 1.500.000,00)" in saida
    assert "Premissas:" in saida
    assert not arq.with_name("b2_PROJECAO.pdf").exists()


def test_cli_projecao_arquivo_ilegivel_sai_2(pasta, capsys):
    arq = pasta / "ruim.OPS"
    arq.write_text("não é xml", encoding="utf-8")
    assert main(["projecao", str(arq)]) == 2
    err = capsys.readouterr().err
    assert "ruim.OPS" in err and "Traceback" not in err


def test_cli_comparar_mostra_exatamente_o_que_mudou(pasta, capsys):
    a = _municipal_b2()
    b = a.copia()
    linha = ChaveDespesa.de("4", "301", "3.3.90")
    assert b.tem_linha(linha)  # the canonical line of s301_33
    b.aplicar(DefinirLancamento(linha, "liquidada", D("300000.00")))
    b.aplicar(DefinirTexto("secretario_nome", "Maria"))
    salvar(a, pasta / "A.OPS")
    salvar(b, pasta / "B.OPS")
    assert main(["comparar", str(pasta / "A.OPS"), str(pasta / "B.OPS"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [(m["chave"], m["antigo"], m["novo"]) for m in doc["mudancas"]] == [
        (["campo", "secretario_nome"], None, "Maria"),
        (["razao", "despesa", "4", "301", linha.natureza, "liquidada"], "280000.00", "300000.00"),
    ]
    efeitos = {(e["tabela"], e["linha"], e["coluna"]): e for e in doc["efeitos"]}
    assert efeitos[("despesas_asps", "total", "liquidada")]["diferenca"] == "20000.00"
    assert efeitos[("apuracao", "valor_aplicado", "liquidada")]["novo"] == "420000.00"
    # 400.000 / 1.800.000 = 22,22% → 420.000 / 1.800.000 = 23,33%
    assert "22,22% → 23,33%" in doc["percentual"]

    assert main(["comparar", str(pasta / "A.OPS"), str(pasta / "B.OPS")]) == 0
    texto = capsys.readouterr().out
    assert "2 alterações:" in texto and "[Dados Gerais]" in texto


def test_cli_comparar_recusa_entes_diferentes_e_arquivo_ausente(pasta, capsys):
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    salvar(_municipal_b2(), pasta / "A.OPS")
    salvar(Declaracao(ente("M355480"), 2025, 2), pasta / "C.OPS")
    assert main(["comparar", str(pasta / "A.OPS"), str(pasta / "C.OPS")]) == 2
    assert "entes diferentes" in capsys.readouterr().err
    assert main(["comparar", str(pasta / "A.OPS"), str(pasta / "nao_existe.OPS")]) == 2
    assert "nao_existe.OPS" in capsys.readouterr().err


# --- a janela principal --------------------------------------------------------------------


def _abrir(janela, balcao, d) -> Path:
    arq = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    salvar(d, arq)
    assert janela.abrir_arquivo(arq)
    balcao.esperar_tarefas()
    return arq


def test_painel_da_projecao_ao_lado_do_percentual(janela, balcao, pasta):
    b1 = _b1()
    salvar(b1, caminhos.caminho_padrao(b1.ente, 2025, 1))
    _abrir(janela, balcao, _municipal_b2())
    painel = janela.painel_projecao
    assert painel.isVisible()
    barra = janela.statusBar()
    assert painel.parent() is barra or barra.isAncestorOf(painel)
    # beside the percentage: right after it, left of the críticas
    assert painel.x() > janela.rotulo_percentual.x()
    assert painel.x() < janela.rotulo_criticas.x()
    assert painel.text() == "Projeção: faltam R$ 1.100.000,00 em 4 bim. (ritmo abaixo)"
    assert "R$ 275.000,00 por bimestre" in painel.toolTip()
    assert [p.bimestre for p in painel.projecao.historico] == [1, 2]
    # an edit recomputes it: +1.100.000 liquidated reaches the minimum
    doc = janela.documento
    linha = ChaveDespesa.de("4", "301", "3.3.90")
    doc.executar(DefinirLancamento(linha, "liquidada", D("1380000.00")))
    assert painel.text() == "Projeção: mínimo do ano alcançado"
    doc.pilha.undo()
    assert painel.text().startswith("Projeção: faltam R$ 1.100.000,00")


def test_dialogo_e_pdf_da_projecao(janela, balcao, pasta):
    _abrir(janela, balcao, _municipal_b2())
    janela.painel_projecao.click()
    dlg = janela.dialogos.mostrados[-1]
    assert dlg.objectName() == "dialogo_projecao"
    assert "Faltam R$ 1.100.000,00" in dlg.rotulo_resumo.text()
    assert "Mínimo do exercício" in dlg.rotulo_tabela.text()
    assert janela.a_rel_projecao in janela.menu_relatorios.actions()
    janela.a_rel_projecao.trigger()
    balcao.esperar_tarefas(60000)
    pdf = janela.dialogos.externos[-1]
    assert pdf.name.startswith("Projecao-") and "Premissas" in _texto_pdf(pdf)


def test_painel_some_sem_declaracao_e_acoes_desabilitadas(janela, pasta):
    assert not janela.painel_projecao.isVisible()
    for a in (janela.a_projecao, janela.a_comparar_transmitida, janela.a_rel_projecao):
        assert not a.isEnabled()
    assert janela.a_carteira.isEnabled() and janela.a_comparar_arquivos.isEnabled()


def test_comparar_com_a_copia_transmitida(janela, balcao, pasta):
    from siops.criticas import verificar
    from siops.ops_format import gravar_transmissao

    d = _municipal_b2()
    arq = _abrir(janela, balcao, d)
    gravar_transmissao(d, arq, [a for a in verificar(d) if not a.impeditiva])
    doc = janela.documento
    linha = ChaveDespesa.de("4", "302", "3.1.90")
    assert doc.declaracao.tem_linha(linha)
    doc.executar(DefinirLancamento(linha, "empenhada", D("250000.00")))  # unsaved
    janela.a_comparar_transmitida.trigger()
    balcao.esperar_tarefas()
    dlg = janela.dialogos.mostrados[-1]
    assert dlg.objectName() == "dialogo_comparacao"
    c = dlg.comparacao
    assert [(m.chave, m.antigo, m.novo) for m in c.mudancas] == [
        (
            ("razao", "despesa", "4", "302", linha.natureza, "empenhada"),
            D("200000.00"),
            D("250000.00"),
        )
    ]
    assert dlg.arvore.topLevelItemCount() == 2  # the planilha 4 group and the effects
    assert "alterações ainda não salvas" in c.novo.origem
    dlg.copiar()
    from PySide6.QtGui import QGuiApplication

    assert QGuiApplication.clipboard().text().startswith("Alterações em relação aos dados")


def test_comparar_com_o_anterior_sem_arquivo_avisa(janela, balcao, pasta):
    _abrir(janela, balcao, _municipal_b2())
    janela.a_comparar_anterior.trigger()
    titulo, texto, _ = janela.dialogos.mensagens[-1]
    assert titulo == "Comparar versões" and "1º bimestre de 2025 não foi encontrado" in texto


def test_cli_comparar_aceita_a_copia_assinada(pasta, capsys):
    """The signed copy the Transmissor keeps (``….assinado.xml``) is exactly what was sent."""
    from siops.assinatura import xmldsig
    from siops.assinatura.assinador import AssinadorA1
    from siops.ops_format import para_bytes
    from siops.transmissor import icp_teste

    hier = icp_teste.gerar_hierarquia(pasta / "icp")
    emitido = icp_teste.emitir_ecpf(hier, "TECNICA DE TESTE", "52998224725")
    assert emitido.chave is not None
    pfx = icp_teste.gravar_pfx(
        pasta / "t.pfx", emitido.chave, emitido.cert, emitido.cadeia, "senha"
    )
    a = _municipal_b2()
    assinador = AssinadorA1(pfx, "senha")
    with assinador:
        (pasta / "A.assinado.xml").write_bytes(xmldsig.assinar(para_bytes(a), assinador))
    b = a.copia()
    b.aplicar(DefinirTexto("secretario_nome", "Maria"))
    salvar(b, pasta / "B.OPS")
    assert main(["comparar", str(pasta / "A.assinado.xml"), str(pasta / "B.OPS"), "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert [m["chave"] for m in doc["mudancas"]] == [["campo", "secretario_nome"]]
    assert doc["efeitos"] == []
