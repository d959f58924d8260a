"""Issue 21, item 1 on the transmitter side: the official ICP-Brasil anchors by default.

The window and ``siopsnet`` check the certificate that will sign against the roots of
``Configuracoes.raizes()``: the ones configured in ``raizes_icp`` (the demo and these tests
configure the test hierarchy) or, with none configured, the shipped ICP-Brasil roots — as the
server does without ``raizes``. So a test certificate is refused before anything is signed
where the test hierarchy was not configured; and a configured file that cannot be read does not
silently switch the check off.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from siops.assinatura import confianca
from siops.assinatura.certificados import CertificadoInvalido
from siops.transmissor import cli
from siops.transmissor.config import Configuracoes
from siops.transmissor.recibos import Arquivos


def test_sem_raizes_configuradas_valem_as_oficiais(hierarquia) -> None:
    assert Configuracoes().raizes() == list(confianca.raizes_oficiais())
    c = Configuracoes(raizes_icp=[str(hierarquia.raiz_pem)])
    assert c.raizes() == [hierarquia.raiz]


def test_raizes_configuradas_ilegiveis_nao_desligam_a_conferencia(tmp_path: Path) -> None:
    ruim = tmp_path / "nao-e-pem.pem"
    ruim.write_text("isto não é um certificado")
    for caminho in (tmp_path / "sumiu.pem", ruim):
        c = Configuracoes(raizes_icp=[str(caminho)])
        with pytest.raises(CertificadoInvalido) as erro:
            c.raizes()
        assert str(caminho) in str(erro.value)
        assert "raizes_icp" in str(erro.value)


def _sem_configuracao(pasta: Path) -> None:
    """The transmitter's data folder as after a fresh install: no configuracoes.json."""
    (pasta / "configuracoes.json").unlink(missing_ok=True)


def test_siopsnet_recusa_a_hierarquia_de_teste_onde_ela_nao_foi_configurada(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
) -> None:
    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_SENHA_PFX, a1_tecnico.senha)
    _sem_configuracao(dados_cliente)
    copia = copia_transmissao(2, "2100000.00")
    base = [
        "transmitir",
        str(copia),
        "--servidor",
        ambiente.servidor.url,
        "--cpf",
        constantes.cpf_tecnico,
        "--a1",
        str(a1_tecnico.caminho),
    ]
    assert cli.executar(base) == 2
    err = capsys.readouterr().err
    assert "não foi emitido por uma Autoridade Certificadora confiável" in err, err
    assert not Arquivos(copia).assinado.exists()  # refused before signing
    assert not Arquivos(copia).recibo_xml.exists()
    # the test root given on the command line: accepted
    assert cli.executar([*base, "--raizes", str(ambiente.servidor.hier.raiz_pem), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)[0]["estado"] == "transmitido"


def test_janela_recusa_a_hierarquia_de_teste_onde_ela_nao_foi_configurada(
    qtbot, dados_cliente, ambiente, constantes, a1_tecnico, copia_transmissao
) -> None:
    from PySide6.QtCore import Qt

    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    j = JanelaTransmissor(
        dialogos=DialogosFalsos(), config=Configuracoes(servidor=ambiente.servidor.url)
    )
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    try:
        j.cpf_edit.setText(constantes.cpf_tecnico)
        j.senha_edit.setText(ambiente.senha_tecnico)
        qtbot.mouseClick(j.botao_entrar, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Conectado como" in j.rotulo_sessao.text(), timeout=30000)
        copia = copia_transmissao(4, "2100001.00")
        j.abrir_pasta(copia.parent)
        j.radio_a1.setChecked(True)
        j.a1_edit.setText(str(a1_tecnico.caminho))
        j.dialogos.senhas.append(a1_tecnico.senha)
        j.dialogos.confirmacoes.append(True)
        qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=60000)
        j.tarefas.aguardar()
        icone, _titulo, texto = j.dialogos.mostrados[-1]
        assert icone == "erro"
        assert "não foi emitido por uma Autoridade Certificadora confiável" in texto, texto
        assert j.dialogos.perguntas == []  # refused before the question "Transmitir?"
        assert j.modelo.estado(0).estado == "pendente"
    finally:
        j.tarefas.aguardar()
        j.close()
