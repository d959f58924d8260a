"""Issue 26 no Transmissor: o pedido de retransmissão oferece o resumo do que mudou (a cópia
assinada que foi transmitida → o arquivo de trabalho do bimestre) como início da justificativa."""

from __future__ import annotations

from decimal import Decimal as D
from pathlib import Path

import pytest

from siops.forms.declaracao import DefinirLancamento
from siops.forms.razao import ChaveDespesa
from siops.ops_format import caminhos, gravar_transmissao, para_bytes, salvar
from siops.transmissor import documentos
from siops.transmissor.gui import alteracoes
from tests.transmissor.conftest import ENTE, EXERCICIO, declaracao_limpa

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
]
LINHA = ChaveDespesa.de("4", "301", "3.3.90")  # the canonical line of despesas_asps s301_33


@pytest.fixture
def periodo(tmp_path, monkeypatch, a1_tecnico):
    """The 2º bimestre transmitted (signed copy kept), then corrected in the working file and
    written again for transmission (so the transm .OPS already holds the new data)."""
    from siops.assinatura import xmldsig
    from siops.assinatura.assinador import AssinadorA1

    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    d = declaracao_limpa(2)
    trabalho = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    salvar(d, trabalho)
    copia = gravar_transmissao(d, trabalho, [])
    assinador = AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha)
    with assinador:
        assinado = xmldsig.assinar(para_bytes(d), assinador)
    copia.with_name(copia.stem + ".assinado.xml").write_bytes(assinado)
    antes = d.lancamento(LINHA, "liquidada")
    d.aplicar(DefinirLancamento(LINHA, "liquidada", antes + D("50000.00")))
    salvar(d, trabalho)
    gravar_transmissao(d, trabalho, [])
    return trabalho, antes


def test_resumo_do_periodo_compara_o_que_foi_transmitido(periodo):
    _, antes = periodo
    texto = alteracoes.resumo_do_periodo(ENTE, EXERCICIO, 2)
    assert texto.startswith("Alterações em relação aos dados transmitidos (2º bimestre de 2025):")
    linhas = texto.splitlines()
    mudancas = [x for x in linhas if x.startswith("- ")]
    # exactly the one change (the transm .OPS, already corrected, is not what was transmitted)
    assert mudancas == [
        "- Razão, planilha 4: 301 — Atenção Básica, natureza 3.3.90.00.00.00 — Despesas "
        f"liquidadas: R$ {_br(antes)} → R$ {_br(antes + D('50000.00'))}"
    ]
    assert "Percentual aplicado em ASPS (liquidada): 20,00% → 25,00%" in texto
    assert documentos.validar_justificativa(texto)


def _br(v: D) -> str:
    from siops.forms.dinheiro import formatar

    return formatar(v)


def test_sem_copia_transmitida_diz_onde_procurou(tmp_path, monkeypatch):
    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    d = declaracao_limpa(3)
    trabalho = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    salvar(d, trabalho)
    with pytest.raises(alteracoes.SemResumo, match="Não há cópia transmitida"):
        alteracoes.resumo_do_periodo(ENTE, EXERCICIO, 3)
    with pytest.raises(alteracoes.SemResumo, match="escolha o arquivo"):
        alteracoes.resumo_do_periodo(ENTE, EXERCICIO, 4)


def test_juntar_preserva_o_texto_do_gestor_e_o_limite():
    resumo = "Alterações: " + "x" * 3000
    atual = "Os valores da dotação estavam trocados."
    j = alteracoes.juntar(resumo, atual)
    assert len(j) <= 2000 and j.endswith("\n\n" + atual)
    assert alteracoes.juntar("curto", "") == "curto"


@pytest.fixture
def janela(qtbot, dados_cliente):
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    j = JanelaTransmissor(
        dialogos=DialogosFalsos(), config=Configuracoes(servidor="http://127.0.0.1:9")
    )
    qtbot.addWidget(j)
    j.show()
    yield j
    j.tarefas.aguardar()
    j.close()


@pytest.mark.gui
@pytest.mark.qt_log_ignore(*IGNORAR_QT)
def test_pedido_de_retransmissao_oferece_o_resumo(janela, periodo, qtbot):
    from PySide6.QtCore import Qt

    g = janela.gestores
    g.ente_edit.setText(ENTE)
    g.exercicio_spin.setValue(EXERCICIO)
    g.bimestre_combo.setCurrentIndex(g.bimestre_combo.findData(2))
    g.justificativa_edit.setPlainText("A liquidada de março foi lançada em duplicidade.")
    assert g.botao_resumo.isEnabled()  # no need to be signed in: it reads local files
    qtbot.mouseClick(g.botao_resumo, Qt.MouseButton.LeftButton)
    texto = g.justificativa_edit.toPlainText()
    assert texto.startswith("Alterações em relação aos dados transmitidos")
    assert texto.endswith("\n\nA liquidada de março foi lançada em duplicidade.")
    assert "→" in texto and documentos.validar_justificativa(texto)


@pytest.mark.gui
@pytest.mark.qt_log_ignore(*IGNORAR_QT)
def test_sem_arquivo_no_lugar_padrao_pede_o_arquivo(janela, periodo, tmp_path):
    trabalho, _ = periodo
    # the declaration lives elsewhere (an accounting firm's folder), with its transm beside it
    outra = tmp_path / "clientes" / "m355030"
    (outra / "transm").mkdir(parents=True)
    for p in trabalho.parent.rglob("*"):
        if p.is_file():
            destino = outra / p.relative_to(trabalho.parent)
            destino.write_bytes(p.read_bytes())
    g = janela.gestores
    g.ente_edit.setText(ENTE)
    g.exercicio_spin.setValue(EXERCICIO)
    g.bimestre_combo.setCurrentIndex(g.bimestre_combo.findData(5))  # nothing in the standard place
    janela.dialogos.arquivos.append(outra / trabalho.name)
    g.resumir_alteracoes()
    icone, titulo, texto = janela.dialogos.mostrados[-1]
    assert (icone, titulo) == ("aviso", "Resumo das alterações") and "5º bimestre" in texto
    assert g.justificativa_edit.toPlainText().startswith(
        "Alterações em relação aos dados transmitidos (2º bimestre de 2025)"
    )
    assert Path(outra / "transm").is_dir()
