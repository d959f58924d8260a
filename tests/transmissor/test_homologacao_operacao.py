"""A homologação na janela como uma operação dona da sessão do token (issue 18, item 6).

Com o token SoftHSM2 do gestor e o servidor real: a janela fechada enquanto a pergunta
"Homologar?" está aberta fecha a sessão (uma sessão nova consegue fazer login de novo); e a
homologação normal pelo token continua funcionando, com a sessão fechada no fim.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from siops.assinatura import assinador as mod
from siops.assinatura.assinador import AssinadorA1, CriterioToken

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]
pytestmark = [pytest.mark.gui, pytest.mark.qt_log_ignore(*IGNORAR_QT)]


def _pode_entrar(softhsm, pin: str) -> bool:
    """Uma sessão nova no token do gestor faz login? (Não, se uma sessão nossa está logada.)"""
    pkcs11 = mod._pkcs11()

    def trabalho() -> bool:
        lib = mod._biblioteca(softhsm.modulo)
        token = mod._escolher_token(lib, CriterioToken("SIOPS-GESTOR"), softhsm.modulo)
        try:
            with token.open(user_pin=pin):
                return True
        except pkcs11.UserAlreadyLoggedIn:
            return False

    return mod.TRABALHADOR.executar(trabalho)


def _transmitido(ambiente, constantes, a1_tecnico, copia_transmissao, fila, bimestre, valor):
    from siops.transmissor import operacoes
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede

    copia = copia_transmissao(bimestre, valor)
    tecnico = ClienteSIOPS(ConfigRede(ambiente.servidor.url))
    tecnico.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    r = operacoes.transmitir_arquivo(
        copia, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha), tecnico, fila
    )
    assert r.estado == "transmitido", r.mensagem
    return copia, r, tecnico


@pytest.fixture
def janela_pergunta(qtbot, dados_cliente, ambiente, hierarquia):
    """A janela com diálogos falsos cuja pergunta "Homologar?" fica aberta até o teste responder."""
    from siops.transmissor.config import Configuracoes
    from siops.transmissor.gui.dialogos import DialogosFalsos
    from siops.transmissor.gui.janela import JanelaTransmissor

    class Dialogos(DialogosFalsos):
        def __init__(self) -> None:
            super().__init__()
            self.abertas: list[Callable[[bool], None]] = []

        def confirmar(self, titulo: str, texto: str, ao_responder: Callable[[bool], None]) -> None:
            self.perguntas.append((titulo, texto))
            self.abertas.append(ao_responder)

    config = Configuracoes(
        servidor=ambiente.servidor.url,
        raizes_icp=[str(hierarquia.raiz_pem)],
        intermediarios_icp=[str(hierarquia.intermediaria_pem)],
    )
    j = JanelaTransmissor(dialogos=Dialogos(), config=config)
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    yield j
    j.tarefas.aguardar()
    j.close()


def _escolher_token_do_gestor(j, softhsm) -> None:
    j.radio_token.setChecked(True)
    j.modulo_combo.setCurrentText(softhsm.modulo)
    j.token_combo.setCurrentText("SIOPS-GESTOR")


def test_janela_fechada_no_meio_fecha_a_sessao_do_token(
    qtbot, janela_pergunta, ambiente, constantes, a1_tecnico, softhsm, copia_transmissao
):
    from PySide6.QtCore import Qt

    j = janela_pergunta
    copia, r, tecnico = _transmitido(
        ambiente, constantes, a1_tecnico, copia_transmissao, j.fila, 3, "3000020.00"
    )
    j.abrir_pasta(copia.parent)
    j.tabela.selectRow(0)
    _escolher_token_do_gestor(j, softhsm)
    j.dialogos.pins.append(constantes.pin)
    qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(j.dialogos.abertas), timeout=60000)  # a pergunta está aberta
    j.tarefas.aguardar()
    assert r.protocolo in j.dialogos.perguntas[-1][1]
    assert not _pode_entrar(softhsm, constantes.pin)  # a sessão do gestor está aberta e logada
    # o gestor fecha a janela sem responder
    assert j.close()
    assert _pode_entrar(softhsm, constantes.pin)  # fechada: o token fez logout
    # uma resposta tardia da pergunta não reabre nem assina nada
    j.dialogos.abertas[-1](True)
    j.tarefas.aguardar()
    assert _pode_entrar(softhsm, constantes.pin)
    assert tecnico.situacao(r.protocolo)["situacao"] != "homologado"


def test_homologa_pelo_token_na_janela_e_fecha_a_sessao(
    qtbot, janela_pergunta, ambiente, constantes, a1_tecnico, softhsm, copia_transmissao
):
    from PySide6.QtCore import Qt

    j = janela_pergunta
    copia, r, tecnico = _transmitido(
        ambiente, constantes, a1_tecnico, copia_transmissao, j.fila, 4, "3000021.00"
    )
    j.abrir_pasta(copia.parent)
    j.tabela.selectRow(0)
    _escolher_token_do_gestor(j, softhsm)
    # primeiro "Não": a sessão fecha e nada é homologado
    j.dialogos.pins.append(constantes.pin)
    qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(j.dialogos.abertas), timeout=60000)
    j.tarefas.aguardar()
    j.dialogos.abertas.pop()(False)
    qtbot.waitUntil(lambda: j.rotulo_status.text() == "Homologação não feita.", timeout=30000)
    assert _pode_entrar(softhsm, constantes.pin)
    # agora "Sim": o PIN é pedido uma vez, assina o XML e o PDF no token, e a sessão fecha
    j.dialogos.pins.append(constantes.pin)
    qtbot.mouseClick(j.botao_homologar, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(j.dialogos.abertas), timeout=60000)
    j.tarefas.aguardar()
    j.dialogos.abertas.pop()(True)
    qtbot.waitUntil(lambda: j.modelo.estado(0).estado == "homologado", timeout=60000)
    j.tarefas.aguardar()
    assert j.dialogos.pins == []
    assert j.dialogos.mostrados[-1][1] == "Homologação concluída", j.dialogos.mostrados[-1]
    assert tecnico.situacao(r.protocolo)["situacao"] == "homologado"
    assert _pode_entrar(softhsm, constantes.pin)


def test_falha_no_passo_fecha_a_sessao(
    qtbot, janela_pergunta, ambiente, constantes, softhsm, monkeypatch
):
    """Um erro no primeiro passo (protocolo que o servidor não conhece) fecha a sessão."""
    from siops.transmissor import operacoes
    from siops.transmissor.gui.operacao import OperacaoToken

    j = janela_pergunta
    cliente = j._novo_cliente()
    criterio = CriterioToken("SIOPS-GESTOR")
    falhas: list[BaseException] = []
    op = OperacaoToken(
        j.tarefas,
        lambda: mod.AssinadorPKCS11(softhsm.modulo, criterio, lambda _t, _a: constantes.pin),
        "homologação",
        falhas.append,
    )
    abertos: list[bool] = []

    def preparar(a, _p):
        abertos.append(not _pode_entrar(softhsm, constantes.pin))
        return operacoes.preparar_homologacao(cliente, a, "2099000009999", [])

    op.passo(preparar, lambda _r: None)
    qtbot.waitUntil(lambda: bool(falhas), timeout=60000)
    assert abertos == [True] and op.encerrada and op.assinador is None
    assert _pode_entrar(softhsm, constantes.pin)
