"""Issue 21, item 4: the A3 homologation in the Transmissor window when the token holds only the
holder's certificate and the server knows no intermediate (as in ``siops demo``).

Reproduces the user's report first — "O certificado de … não foi emitido por uma AC confiável
(emissor: AC Intermediária de Teste)" — and then the fix: the window completes the chain from
the file the user picks with "ACs intermediárias…" and sends it in KeyInfo, and the same
homologation goes through. Real server process, real SoftHSM2 token, real Qt (offscreen).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from apoio.servidor import Pessoa, pedido_cadastro

from siops.assinatura.assinador import AssinadorA1
from siops.servidor.local import ServidorLocal
from siops.transmissor import icp_teste

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*IGNORAR_QT)]

ENTE = "M355030"
CPF_CHEFE = "12345678909"


@pytest.fixture(scope="module")
def servidor_sem_intermediarias(tmp_path_factory, hierarquia, a1_gestor, smtp) -> Iterator:
    """The real server trusting only the root (``--raizes``, no ``--intermediarios``), with
    chefe → gestor → técnico registered."""
    porta_smtp, caixa = smtp
    srv = ServidorLocal(
        tmp_path_factory.mktemp("srv-i21"),
        raizes=[hierarquia.raiz_pem],
        primeiro_exercicio=2025,
        smtp=("127.0.0.1", porta_smtp),
    )
    r = srv.admin("cadastrar-chefe", "--ente", ENTE, "--nome", "PREFEITO I21", "--cpf", CPF_CHEFE)
    assert r.returncode == 0, r.stderr
    srv.iniciar()
    chefe = Pessoa(
        "PREFEITO I21", CPF_CHEFE, "", icp_teste.emitir_ecpf(hierarquia, "PREFEITO I21", CPF_CHEFE)
    )
    gestor = Pessoa("GESTOR DE TESTE", "11144477735", "g21@x.gov.br", a1_gestor.emitido)
    tecnico = Pessoa("TECNICA DE TESTE", "52998224725", "t21@x.gov.br", None)
    antes = caixa.marca()
    for por, papel, quem in ((chefe, "secretario", gestor), (gestor, "tecnico", tecnico)):
        r = requests.post(
            srv.url + "/api/v1/cadastros",
            data=pedido_cadastro(por, ENTE, papel, quem),
            headers={"Content-Type": "application/xml"},
            timeout=60,
        )
        assert r.status_code == 201, r.text
    senha = caixa.senha_de(tecnico.cpf, antes, para=tecnico.email)
    yield srv, senha
    srv.parar()


def _copia(pasta: Path) -> Path:
    """The transmission copy of the demo declaration (bimestre 2), as the client writes it."""
    from apoio.servidor import ops_demo

    from siops import ops_format
    from siops.criticas import verificar
    from siops.ops_format import caminhos, gravar_transmissao

    d = ops_format.de_bytes(ops_demo(ENTE, 2025, 2), "demo")
    destino = pasta / "MS-SIOPS" / "MUNICIPAL" / "2025" / "B2"
    ops = destino / caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
    return gravar_transmissao(d, ops, verificar(d))


def test_a3_homologa_na_janela_com_as_acs_intermediarias(
    qtbot,
    dados_cliente,
    servidor_sem_intermediarias,
    hierarquia,
    constantes,
    a1_tecnico,
    softhsm,
    copia_transmissao,
    tmp_path,
):
    from PySide6.QtCore import Qt

    from siops.transmissor import operacoes
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.fila import FilaOffline
    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    srv, senha = servidor_sem_intermediarias
    copia = _copia(tmp_path)
    tecnico = ClienteSIOPS(ConfigRede(srv.url))
    tecnico.entrar(constantes.cpf_tecnico, senha)
    r = operacoes.transmitir_arquivo(
        copia,
        AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha),
        tecnico,
        FilaOffline(tmp_path / "fila"),
    )
    assert r.estado == "transmitido", r.mensagem

    # as the demo configures it: the test root trusted, the token with only the holder's cert
    config = Configuracoes(
        servidor=srv.url, proxy_modo="nenhum", raizes_icp=[str(hierarquia.raiz_pem)]
    )
    j = JanelaTransmissor(dialogos=DialogosFalsos(), config=config)
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    try:
        j.abrir_pasta(copia.parent)
        j.tabela.selectRow(0)
        j.radio_token.setChecked(True)
        j.modulo_combo.setCurrentText(softhsm.modulo)
        j.token_combo.setCurrentText("SIOPS-GESTOR")

        # 1. the user's report: refused, the intermediate is missing
        j.dialogos.pins.append(constantes.pin)
        qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=90000)
        j.tarefas.aguardar()
        _icone, _titulo, texto = j.dialogos.mostrados[-1]
        assert "não foi emitido por uma Autoridade Certificadora confiável" in texto, texto
        assert "AC Intermediária de Teste" in texto
        assert j.modelo.estado(0).estado != "homologado"

        # 2. "ACs intermediárias…": the user picks the intermediate's PEM; it is kept
        j.dialogos.arquivos.append(Path(hierarquia.intermediaria_pem))
        qtbot.mouseClick(j.botao_intermediarias, Qt.MouseButton.LeftButton)
        assert config.intermediarios_icp == [str(hierarquia.intermediaria_pem)]
        assert Configuracoes.carregar().intermediarios_icp == config.intermediarios_icp

        # 3. the same homologation now goes through; the question says who signs
        j.dialogos.mostrados.clear()
        j.dialogos.pins.append(constantes.pin)
        j.dialogos.confirmacoes.append(True)
        qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: j.modelo.estado(0).estado == "homologado", timeout=120000)
        j.tarefas.aguardar()
        pergunta = j.dialogos.perguntas[-1][1]
        assert "Assina: GESTOR DO TOKEN (CPF ***.444.777-**)" in pergunta, pergunta
        assert "111.444.777-35" not in pergunta  # the CPF shown masked
        assert "certificado da AC Intermediária de Teste, válido até" in pergunta
        assert tecnico.situacao(r.protocolo)["situacao"] == "homologado"
    finally:
        j.tarefas.aguardar()
        j.close()
