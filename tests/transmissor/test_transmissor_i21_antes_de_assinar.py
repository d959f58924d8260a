"""Issue 21, item 4: before signing, whose certificate signs; the expiry warning; PIN tries.

The window asks "Assinar e transmitir?" naming the holder (CPF masked as the server masks it,
``servidor.cpf.mascarar``), the issuing AC and the end of validity, with a warning when 30 days
or fewer are left; ``siopsnet`` prints the same line. A wrong PIN on the real SoftHSM2 token
says that few tries remain (the token sets CKF_USER_PIN_COUNT_LOW after a failure; PKCS#11 has
no counter, only COUNT_LOW and FINAL_TRY — the latter "resta só uma tentativa" and LOCKED are
in ``test_transmissor_token`` with a token answering as SafeSign does, SoftHSM2 never sets
them), and the next PIN prompt carries the warning.
"""

from __future__ import annotations

import datetime as dt

import pytest

from siops.assinatura.assinador import AssinadorChave
from siops.forms.tempo import data_br, em_brasilia
from siops.transmissor import icp_teste, operacoes
from tests.transmissor.conftest import DIAS_PARA_VENCER

IGNORAR_QT = [
    r"This plugin does not support propagateSizeHints\(\)",
    r"This plugin does not support raise\(\)",
    r"This plugin does not support grabbing the keyboard",
]


def test_mascara_do_cpf_e_a_do_servidor() -> None:
    from siops.assinatura.certificados import mascarar_cpf
    from siops.servidor import cpf as cpfs

    for cpf in ("52998224725", "11144477735", "123"):
        assert mascarar_cpf(cpf) == cpfs.mascarar(cpf)
    assert mascarar_cpf("529.982.247-25") == "***.982.247-**"


@pytest.mark.parametrize(
    ("dias", "esperado"),
    [(40, None), (30, "vence em 30 dias"), (10, "vence em 10 dias"), (1, "vence amanhã")],
)
def test_quem_assina_e_o_aviso_de_vencimento(hierarquia, dias: int, esperado: str | None) -> None:
    agora = dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)
    e = icp_teste.emitir_ecpf(
        hierarquia,
        "FULANA DE TAL",
        "52998224725",
        inicio=agora - dt.timedelta(days=100),
        dias=100 + dias,
    )
    texto = operacoes.quem_assina(AssinadorChave(e.chave, e.cert, e.cadeia), agora)
    linha, _, aviso = texto.partition("\n")
    assert linha == (
        "FULANA DE TAL (CPF ***.982.247-**), certificado da AC Intermediária de Teste, válido "
        f"até {data_br(e.cert.not_valid_after_utc)}"
    )
    if esperado is None:
        assert aviso == ""
    else:
        assert aviso.startswith(f"ATENÇÃO: o certificado de FULANA DE TAL {esperado} (")
        assert "renovação" in aviso


@pytest.mark.gui
@pytest.mark.qt_log_ignore(*IGNORAR_QT)
def test_token_pin_errado_e_certificado_que_vence_na_janela(
    qtbot, dados_cliente, ambiente, hierarquia, constantes, softhsm, copia_transmissao
) -> None:
    from PySide6.QtCore import Qt

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
    try:
        j.cpf_edit.setText(constantes.cpf_tecnico)
        j.senha_edit.setText(ambiente.senha_tecnico)
        qtbot.mouseClick(j.botao_entrar, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "Conectado como" in j.rotulo_sessao.text(), timeout=30000)
        copia = copia_transmissao(3, "2200000.00")
        j.abrir_pasta(copia.parent)
        j.radio_token.setChecked(True)
        j.modulo_combo.setCurrentText(softhsm.modulo)
        j.token_combo.setCurrentText("SIOPS-VENCE")

        # a wrong PIN: the real token reports few tries left, and the window says so
        j.dialogos.pins.append("000000")
        qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: bool(j.dialogos.mostrados), timeout=60000)
        j.tarefas.aguardar()
        icone, _titulo, texto = j.dialogos.mostrados[-1]
        assert icone == "erro" and texto.startswith("PIN incorreto."), texto
        assert "Restam poucas tentativas antes de o token ser bloqueado" in texto
        assert j.dialogos.avisos_pin == [None]
        assert j.dialogos.perguntas == []  # nothing to confirm: the token was not opened

        # the next prompt warns before the PIN is typed; then whose certificate, and the expiry
        j.dialogos.pins.append(constantes.pin)
        j.dialogos.confirmacoes.append(False)
        qtbot.mouseClick(j.botao_transmitir, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: j.rotulo_status.text() == "Transmissão não feita.", timeout=60000)
        j.tarefas.aguardar()
        assert j.dialogos.avisos_pin[-1] == (
            "Atenção: restam poucas tentativas antes de o token ser bloqueado."
        )
        titulo, pergunta = j.dialogos.perguntas[-1]
        fim = data_br(softhsm.vence.cert.not_valid_after_utc)
        assert titulo == "Transmitir" and copia.name in pergunta
        assert (
            "Assina: TECNICO QUE VENCE (CPF ***.982.247-**), certificado da AC Intermediária "
            f"de Teste, válido até {fim}." in pergunta
        ), pergunta
        dias = (
            em_brasilia(softhsm.vence.cert.not_valid_after_utc).date()
            - em_brasilia(dt.datetime.now(dt.UTC)).date()
        ).days
        assert dias in (DIAS_PARA_VENCER, DIAS_PARA_VENCER - 1)
        assert f"ATENÇÃO: o certificado de TECNICO QUE VENCE vence em {dias} dias ({fim})" in (
            pergunta
        )
        assert j.modelo.estado(0).estado == "pendente"
    finally:
        j.tarefas.aguardar()
        j.close()


def test_siopsnet_diz_quem_assina(
    ambiente, a1_tecnico, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
) -> None:
    from siops.transmissor import cli

    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_SENHA_PFX, a1_tecnico.senha)
    copia = copia_transmissao(3, "2200001.00")
    args = ["transmitir", str(copia), "--servidor", ambiente.servidor.url]
    args += ["--cpf", constantes.cpf_tecnico, "--a1", str(a1_tecnico.caminho)]
    assert cli.executar(args) == 0
    err = capsys.readouterr().err
    assert (
        "Assina: TECNICA DE TESTE (CPF ***.982.247-**), certificado da AC Intermediária de "
        "Teste, válido até " in err
    ), err
    assert err.index("Assina:") < err.index("protocolo")
