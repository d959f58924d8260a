"""``siops demo`` of ponta a ponta (issue 9 acceptance), with every component real.

The demonstration environment is prepared exactly as the verb does (``app.demo_ambiente``: the
server as a child process with the registration chain made through its admin command and
signed documents, the password read from the e-mail it sends, the test ICP-Brasil hierarchy,
A1 files and a SoftHSM token); then the clerk's path runs through the GUI: the main window on
the demo declaration, Arquivo → Gravar arquivo para transmissão, "abrir o Transmissor" → Entrar
→ Transmitir with the técnica's A1 → the receipt on disk in ``transm/`` → the gestora
homologates from the same window with her A1. Only the dialogs answer by themselves
(STYLE habit 9).
"""

from __future__ import annotations

import pytest
import requests

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*IGNORAR_QT)]

VARIAVEIS = ("SIOPS_HOME", "SIOPS_DADOS", "SIOPS_TRANSMISSOR_DADOS", "SOFTHSM2_CONF")


@pytest.fixture
def demo(tmp_path, monkeypatch):
    """The prepared demonstration (server running); stopped and checked afterwards."""
    from siops.app.demo_ambiente import preparar

    for v in VARIAVEIS:  # preparar() sets them; monkeypatch puts the old values back
        monkeypatch.delenv(v, raising=False)
    passos: list[str] = []
    amb = preparar(tmp_path / "demo", avisar=passos.append)
    amb.passos = passos
    yield amb
    amb.parar()
    assert not amb.servidor_ativo()
    with pytest.raises(requests.ConnectionError):
        requests.get(f"{amb.url}/saude", timeout=2)


def test_demo_prepara_servidor_cadeia_certificados_e_token(demo):
    from siops.transmissor.config import Configuracoes, ancoras_guardadas

    assert demo.servidor_ativo()
    assert requests.get(f"{demo.url}/saude", timeout=5).json() == {"ok": True}
    # The técnica's password came from the server's e-mail and opens a session.
    r = requests.post(
        f"{demo.url}/api/v1/sessoes",
        json={"cpf": demo.tecnico.cpf, "senha": demo.senha_tecnico},
        timeout=30,
    )
    assert r.status_code == 201, r.text
    assert r.json()["usuario"]["papeis"] == [{"ente": "M353170", "papel": "tecnico"}]
    # It came through the server's mail folder (--correio-pasta), not an SMTP server: each
    # message is a complete .eml file there (issue 18, item 4).
    from siops.servidor.local import CaixaPasta

    assert demo.pasta_correio == demo.pasta / "servidor" / "correio"
    emls = list(demo.pasta_correio.iterdir())
    assert emls and all(p.suffix == ".eml" for p in emls)
    assert CaixaPasta(demo.pasta_correio).senha_de(demo.tecnico.cpf) == demo.senha_tecnico
    for p in (demo.tecnico, demo.gestor, demo.chefe):
        assert p.pfx.is_file()
    # SoftHSM2 is installed here (scripts/preparar.sh): the gestora's token exists.
    assert demo.modulo_token and demo.rotulo_token
    assert (demo.pasta / "token" / "softhsm2.conf").is_file()
    assert any((demo.pasta / "token" / "tokens").iterdir())
    # The transmitter is configured for the local server, the técnica and her A1.
    c = Configuracoes.carregar(demo.pasta / "transmissor")
    assert c.servidor == demo.url and c.proxy_modo == "nenhum"
    assert c.cpf == "456.789.123-64" and c.arquivo_a1 == str(demo.tecnico.pfx)
    assert c.rotulo_token == demo.rotulo_token and c.raizes()
    assert ancoras_guardadas(demo.url, demo.pasta / "transmissor")
    # The declaration, the steps and the credentials written down for the user.
    assert demo.arquivo.name == "M353170_2026_QuintoBimestre.OPS" and demo.arquivo.is_file()
    leia = (demo.pasta / "LEIA-ME.txt").read_text(encoding="utf-8")
    assert demo.senha_tecnico in leia and "PIN 123456" in leia and demo.url in leia
    assert any("servidor local" in p for p in demo.passos)


def test_demo_transmite_e_homologa_pela_janela(qtbot, demo):
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QLabel

    from siops.app.cliente import criar_aplicacao
    from siops.app.cmd_cliente import apresentar
    from siops.app.demo_ambiente import SENHA_PFX
    from siops.app.dialogos import DialogosFalsos, Resposta
    from siops.app.janela import JanelaPrincipal
    from siops.transmissor import operacoes
    from siops.transmissor.gui.dialogos import DialogosFalsos as DialogosTransmissor
    from siops.transmissor.gui.janela import JanelaTransmissor

    criar_aplicacao()
    j = JanelaPrincipal()
    j.dialogos = DialogosFalsos(j, respostas=[Resposta.SIM])  # "abrir o Transmissor agora?"
    qtbot.addWidget(j)
    assert j.abrir_arquivo(demo.arquivo)
    j.show()
    qtbot.waitExposed(j)
    apresentar(j, demo)

    # The welcome text carries the credentials; the status bar says it is the demonstration.
    titulo, texto, _ = j.dialogos.mensagens[-1]
    assert titulo == "Demonstração do SIOPS"
    assert demo.senha_tecnico in texto and "456.789.123-64" in texto and SENHA_PFX in texto
    assert "DEMONSTRAÇÃO" in j.findChild(QLabel, "rotulo_demo").text()
    j.a_demo.trigger()  # Ajuda → Dados da demonstração… shows it again
    assert j.dialogos.mensagens[-1][1] == texto

    # The demo declaration: no impeditiva, exactly one aviso (on purpose).
    doc = j.documento
    qtbot.waitUntil(lambda: bool(doc.achados), timeout=15000)
    assert not doc.impeditivas() and len(doc.avisos()) == 1

    # Arquivo → Gravar arquivo para transmissão → "Deseja abrir o Transmissor agora?" Sim.
    j.a_gravar_transmissao.trigger()

    def transmissor() -> JanelaTransmissor | None:
        return next((w for w in j._janelas_extras if isinstance(w, JanelaTransmissor)), None)

    qtbot.waitUntil(lambda: transmissor() is not None, timeout=30000)
    assert "Arquivo para transmissão gravado" in j.dialogos.perguntas[-1][1]
    t = transmissor()
    t.dialogos = DialogosTransmissor()
    copia = demo.arquivo.parent / "transm" / demo.arquivo.name
    assert copia.is_file()
    # Already configured: the local server, the técnica's CPF and A1, the file marked.
    assert t.servidor_edit.text() == demo.url
    assert t.cpf_edit.text() == "456.789.123-64"
    assert t.radio_a1.isChecked() and t.a1_edit.text() == str(demo.tecnico.pfx)
    assert t.modelo.marcados() == [copia.resolve()]
    assert (t.exercicio_spin.value(), t.bimestre_combo.currentData()) == (2026, 5)

    # Entrar with the password the server e-mailed, then Transmitir with the A1.
    t.senha_edit.setText(demo.senha_tecnico)
    qtbot.mouseClick(t.botao_entrar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: "Conectado como" in t.rotulo_sessao.text(), timeout=30000)
    t.dialogos.senhas.append(SENHA_PFX)
    t.dialogos.confirmacoes.append(True)  # "Assina: … Assinar e transmitir?" (issue 21)
    qtbot.mouseClick(t.botao_transmitir, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: t.modelo.estado(0).estado == "transmitido", timeout=60000)
    t.tarefas.aguardar()
    qtbot.waitUntil(lambda: bool(t.dialogos.mostrados), timeout=10000)
    icone, titulo, texto = t.dialogos.mostrados[-1]
    assert (icone, titulo) == ("info", "Transmissão concluída"), texto
    assert "aviso" in texto  # the aviso left on purpose travels with the receipt

    # The receipt is on disk next to the copy, signed by the server and checked offline.
    assert copia.with_name(copia.stem + ".recibo.xml").is_file()
    recibo = operacoes.recibo_local(copia)
    protocolo = t.modelo.estado(0).protocolo
    assert recibo.protocolo == protocolo and recibo.ente == "M353170"
    assert (recibo.exercicio, recibo.bimestre) == (2026, 5)
    assert recibo.signatario_cpf.replace(".", "").replace("-", "") == demo.tecnico.cpf

    # The gestora homologates from the same window with her own A1.
    t.a1_edit.setText(str(demo.gestor.pfx))
    t.dialogos.senhas.append(SENHA_PFX)
    t.dialogos.confirmacoes.append(True)
    t.tabela.selectRow(0)
    qtbot.mouseClick(t.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(
        lambda: any(m[1] == "Homologação concluída" for m in t.dialogos.mostrados),
        timeout=120000,
    )
    t.tarefas.aguardar()
    assert "Homologar dados" == t.dialogos.perguntas[-1][0]
    assert copia.with_name(copia.stem + ".homologacao.xml").is_file()
    situacao = requests.get(
        f"{demo.url}/api/v1/entes/M353170/situacao", params={"exercicio": 2026}, timeout=30
    ).json()
    quinto = next(b for b in situacao["bimestres"] if b["bimestre"] == 5)
    assert quinto["situacao"] == "homologado" and quinto["protocolo"] == protocolo

    j._pode_fechar = True
    j.close()
