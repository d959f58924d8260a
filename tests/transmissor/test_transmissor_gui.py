"""A janela do transmissor (pytest-qt), transmitindo de ponta a ponta contra o servidor real."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*IGNORAR_QT)]

BIMESTRE = 2


@pytest.fixture
def janela(qtbot, dados_cliente, ambiente, hierarquia):
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    j = JanelaTransmissor(
        dialogos=DialogosFalsos(),
        config=Configuracoes(
            servidor=ambiente.servidor.url,
            raizes_icp=[str(hierarquia.raiz_pem)],
            intermediarios_icp=[str(hierarquia.intermediaria_pem)],
        ),
    )
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    yield j
    j.tarefas.aguardar()
    j.close()


def _entrar(qtbot, j, ambiente, constantes) -> None:
    from PySide6.QtCore import Qt

    j.cpf_edit.setText(constantes.cpf_tecnico)
    j.senha_edit.setText(ambiente.senha_tecnico)
    qtbot.mouseClick(j.botao_entrar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Conectado como" in j.rotulo_sessao.text(), timeout=30000)
    assert j.senha_edit.text() == ""  # a senha não fica na tela


def _abrir(qtbot, j, copia: Path) -> None:
    from PySide6.QtCore import Qt

    j.dialogos.pastas.append(copia.parent)
    qtbot.mouseClick(j.botao_buscar, Qt.MouseButton.LeftButton)
    assert [e.caminho for e in j.modelo.linhas()] == [copia.resolve()]
    assert j.modelo.marcados() == [copia.resolve()]
    assert j.modelo.estado(0).texto == "pendente"


def test_transmite_pela_janela_com_a1(
    qtbot, qtmodeltester, janela, ambiente, constantes, a1_tecnico, copia_transmissao
):
    from PySide6.QtCore import Qt

    j = janela
    _entrar(qtbot, j, ambiente, constantes)
    copia = copia_transmissao(BIMESTRE, "3000000.00")
    _abrir(qtbot, j, copia)
    j.radio_a1.setChecked(True)
    j.a1_edit.setText(str(a1_tecnico.caminho))
    # before signing, the window says whose certificate signs; "Não" signs nothing
    j.dialogos.senhas.append(a1_tecnico.senha)
    j.dialogos.confirmacoes.append(False)
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.rotulo_status.text() == "Transmissão não feita.", timeout=60000)
    titulo, pergunta = j.dialogos.perguntas[-1]
    assert titulo == "Transmitir" and copia.name in pergunta
    assert (
        "Assina: TECNICA DE TESTE (CPF ***.982.247-**), certificado da AC Intermediária de "
        "Teste, válido até "
    ) in pergunta, pergunta
    assert "529.982.247-25" not in pergunta and "ATENÇÃO" not in pergunta
    assert j.modelo.estado(0).estado == "pendente" and not j.dialogos.mostrados
    j.dialogos.senhas.append(a1_tecnico.senha)
    j.dialogos.confirmacoes.append(True)
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.modelo.estado(0).estado == "transmitido", timeout=60000)
    j.tarefas.aguardar()
    qtbot.waitUntil(lambda: bool(j.dialogos.mostrados))
    icone, titulo, texto = j.dialogos.mostrados[-1]
    assert (icone, titulo) == ("info", "Transmissão concluída")
    protocolo = j.modelo.estado(0).protocolo
    assert protocolo and f"protocolo {protocolo}" in texto
    assert j.modelo.estado(0).texto.startswith("transmitido em ")
    assert j.barra.value() == j.barra.maximum()
    assert j.modelo.marcados() == []
    qtmodeltester.check(j.modelo)
    # o recibo, conferido sem rede
    j.tabela.selectRow(0)
    qtbot.mouseClick(j.botao_recibo, Qt.MouseButton.LeftButton)
    titulo, pagina = j.dialogos.recibos[-1]
    assert protocolo in titulo and "TECNICA DE TESTE" in pagina
    # the receipt's date as a clerk reads it (dd/mm/aaaa hh:mm:ss), not ISO 8601
    import re

    assert re.search(r"Recebido em</th><td>\d{2}/\d{2}/\d{4} \d{2}:\d{2}:\d{2}</td>", pagina), (
        pagina
    )
    # a situação vem do servidor
    qtbot.mouseClick(j.botao_situacao, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.rotulo_status.text() == "Situação atualizada.", timeout=30000)
    assert j.modelo.estado(0).estado == "transmitido"
    assert (protocolo, "transmitido") in ambiente.servidor.transmissoes(BIMESTRE)
    destino = os.environ.get("SIOPS_CAPTURA_TRANSMISSOR")
    if destino:  # captura de tela para docs/ (rodada sob xvfb-run)
        j.resize(1100, 700)
        qtbot.wait(300)
        j.grab().save(destino)


def test_transmite_pela_janela_com_token(
    qtbot, janela, ambiente, constantes, softhsm, copia_transmissao
):
    from PySide6.QtCore import Qt

    j = janela
    _entrar(qtbot, j, ambiente, constantes)
    copia = copia_transmissao(BIMESTRE, "3000001.00")
    _abrir(qtbot, j, copia)
    j.radio_token.setChecked(True)
    j.modulo_combo.setCurrentText(softhsm.modulo)
    qtbot.mouseClick(j.botao_tokens, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.token_combo.count() >= 3, timeout=30000)
    j.token_combo.setCurrentText("SIOPS-TECNICO")
    # primeiro um PIN errado: mensagem própria, nada enviado
    j.dialogos.pins.append("000000")
    antes = ambiente.servidor.transmissoes(BIMESTRE)
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=60000)
    icone, _titulo, texto = j.dialogos.mostrados[-1]
    assert icone == "erro" and texto.startswith("PIN incorreto")
    assert "Traceback" not in texto
    assert j.modelo.estado(0).estado == "pendente"
    assert ambiente.servidor.transmissoes(BIMESTRE) == antes
    # agora o certo
    j.dialogos.pins.append(constantes.pin)
    j.dialogos.confirmacoes.append(True)
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.modelo.estado(0).estado == "transmitido", timeout=60000)
    j.tarefas.aguardar()
    assert j.dialogos.mostrados[-1][1] == "Transmissão concluída"


def test_sem_login_ou_sem_arquivo_marcado(qtbot, janela, copia_transmissao):
    from PySide6.QtCore import Qt

    j = janela
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    assert j.dialogos.mostrados[-1][2] == "Marque na lista os arquivos a transmitir."
    copia = copia_transmissao(BIMESTRE, "3000002.00")
    j.abrir_pasta(copia.parent)
    qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
    assert "Entre com o seu CPF" in j.dialogos.mostrados[-1][2]


def test_senha_errada_no_login(qtbot, janela, constantes):
    from PySide6.QtCore import Qt

    j = janela
    j.cpf_edit.setText(constantes.cpf_tecnico)
    j.senha_edit.setText("senha-errada-123")
    qtbot.mouseClick(j.botao_entrar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=30000)
    assert j.dialogos.mostrados[-1][2].startswith("CPF ou senha incorretos.")


def test_pasta_do_bimestre_segue_a_regra(janela, monkeypatch, tmp_path):
    monkeypatch.setenv("SIOPS_HOME", str(tmp_path))
    janela.exercicio_spin.setValue(2025)
    janela.bimestre_combo.setCurrentIndex(0)
    assert (
        janela.pasta_do_bimestre()
        == tmp_path / "MUNICIPAL" / "2025" / "PrimeiroBimestre" / "transm"
    )
    janela.abrir_bimestre()
    assert "não existe" in janela.rotulo_pasta.text()


def test_abre_pelo_cliente(qtbot, dados_cliente, copia_transmissao):
    """O que o cliente chama em Ferramentas → Transmissor: abre já na pasta do arquivo, marcado."""
    from siops.transmissor import gui

    copia = copia_transmissao(BIMESTRE, "3000003.00")
    j = gui.abrir(None, copia)
    qtbot.addWidget(j)
    assert j.modelo.marcados() == [copia.resolve()]
    j.close()


def test_gestor_homologa_pela_janela(
    qtbot, janela, ambiente, constantes, a1_tecnico, a1_gestor, copia_transmissao, dados_cliente
):
    """O técnico transmite (1º bimestre); o gestor, na janela, vê o resumo, recusa, depois homologa."""
    from PySide6.QtCore import Qt

    from siops.assinatura.assinador import AssinadorA1
    from siops.transmissor import operacoes
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede

    copia = copia_transmissao(1, "3000010.00")
    tecnico = ClienteSIOPS(ConfigRede(ambiente.servidor.url))
    tecnico.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    r = operacoes.transmitir_arquivo(
        copia, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha), tecnico, janela.fila
    )
    assert r.estado == "transmitido"

    j = janela
    j.abrir_pasta(copia.parent)
    assert (j.exercicio_spin.value(), j.bimestre_combo.currentData()) == (2025, 1)
    j.tabela.selectRow(0)
    j.radio_a1.setChecked(True)
    j.a1_edit.setText(str(a1_gestor.caminho))
    # primeiro o gestor lê o resumo e não confirma
    j.dialogos.senhas.append(a1_gestor.senha)
    j.dialogos.confirmacoes.append(False)
    qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.rotulo_status.text() == "Homologação não feita.", timeout=60000)
    _titulo, texto = j.dialogos.perguntas[-1]
    assert "Percentual aplicado" in texto and r.protocolo in texto
    # the confirmation says whose certificate will sign
    from siops.assinatura.assinador import AssinadorA1 as _A1

    titular = _A1(a1_gestor.caminho, a1_gestor.senha).fatos.nome
    assert f"Assina: {titular}" in texto, texto
    assert j.modelo.estado(0).estado == "transmitido"
    # agora confirma
    j.dialogos.senhas.append(a1_gestor.senha)
    j.dialogos.confirmacoes.append(True)
    qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: j.modelo.estado(0).estado == "homologado", timeout=60000)
    j.tarefas.aguardar()
    assert j.dialogos.mostrados[-1][1] == "Homologação concluída"
    assert j.barra.maximum() > 0 and j.barra.value() == j.barra.maximum()  # not back to 0%
    assert tecnico.situacao(r.protocolo)["situacao"] == "homologado"
