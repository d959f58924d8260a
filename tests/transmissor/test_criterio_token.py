"""Escolha do token por rótulo ou por número de série (``CriterioToken``) e a sessão que o
contexto de assinatura possui (issue 18, item 2), com o SoftHSM2 real.

Dois tokens da sessão têm o mesmo rótulo (SIOPS-DUPLO): só o número de série os separa.
"""

from __future__ import annotations

import pytest

from siops.assinatura import assinador as mod
from siops.assinatura.assinador import (
    AssinadorPKCS11,
    CertificadoAusente,
    CriterioToken,
    TokenAusente,
)


def _serie(softhsm, rotulo: str) -> str:
    series = [t.serie for t in mod.listar_tokens(softhsm.modulo) if t.rotulo == rotulo]
    assert len(series) == 1, series
    return series[0]


def _pode_entrar(softhsm, criterio: CriterioToken, pin: str) -> bool:
    """Uma sessão nova consegue fazer login? (Não, se outra sessão nossa ainda está logada.)"""
    pkcs11 = mod._pkcs11()

    def trabalho() -> bool:
        token = mod._escolher_token(mod._biblioteca(softhsm.modulo), criterio, softhsm.modulo)
        try:
            with token.open(user_pin=pin):
                return True
        except pkcs11.UserAlreadyLoggedIn:
            return False

    return mod.TRABALHADOR.executar(trabalho)


def test_token_pelo_numero_de_serie(softhsm, pin_fixo):
    serie = _serie(softhsm, "SIOPS-TECNICO")
    with AssinadorPKCS11(softhsm.modulo, CriterioToken(serie=serie), pin_fixo()) as a:
        assert a.fatos.nome == "TECNICO DO TOKEN"
        assert a.info is not None and a.info.rotulo == "SIOPS-TECNICO"
    # maiúsculas/minúsculas e espaços de quem digitou a série não importam
    with AssinadorPKCS11(
        softhsm.modulo, CriterioToken(serie=f"  {serie.upper()} "), pin_fixo()
    ) as a:
        assert a.info is not None and a.info.serie == serie


def test_rotulo_e_serie_juntos_precisam_concordar(softhsm, pin_fixo):
    serie = _serie(softhsm, "SIOPS-TECNICO")
    criterio = CriterioToken(rotulo="SIOPS-TECNICO", serie=serie)
    with AssinadorPKCS11(softhsm.modulo, criterio, pin_fixo()) as a:
        assert a.fatos.nome == "TECNICO DO TOKEN"
    handler = pin_fixo()
    with pytest.raises(TokenAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, CriterioToken("SIOPS-VAZIO", serie), handler):
            pass
    texto = str(erro.value)
    assert texto.startswith(f"O token «SIOPS-VAZIO» com número de série {serie} não está")
    assert "«SIOPS-TECNICO» (série " in texto  # lista o que está conectado
    assert handler.avisos == []  # o PIN nem foi pedido


def test_serie_inexistente_lista_os_tokens(softhsm, pin_fixo):
    with pytest.raises(TokenAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, CriterioToken(serie="0000dead0000"), pin_fixo()):
            pass
    texto = str(erro.value)
    assert texto.startswith("O token de número de série 0000dead0000 não está conectado")
    for t in mod.listar_tokens(softhsm.modulo):
        assert f"«{t.rotulo}» (série {t.serie})" in texto


def test_dois_tokens_com_o_mesmo_rotulo(softhsm, pin_fixo):
    """Por rótulo, o ambíguo é recusado com as séries; pela série, cada um é o seu."""
    duplos = [t for t in mod.listar_tokens(softhsm.modulo) if t.rotulo == "SIOPS-DUPLO"]
    assert len(duplos) == 2 and duplos[0].serie != duplos[1].serie
    handler = pin_fixo()
    with pytest.raises(TokenAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, "SIOPS-DUPLO", handler):
            pass
    texto = str(erro.value)
    assert texto.startswith("Há 2 tokens conectados com o rótulo «SIOPS-DUPLO»")
    assert all(f"série {t.serie}" in texto for t in duplos)
    assert "número de série" in texto  # diz como desempatar
    assert handler.avisos == []
    for t in duplos:
        # o token certo foi aberto (o PIN foi pedido e a sessão abriu); ele não tem certificado
        with pytest.raises(CertificadoAusente, match="«SIOPS-DUPLO» não contém um certificado"):
            with AssinadorPKCS11(softhsm.modulo, CriterioToken(serie=t.serie), pin_fixo()):
                pass
    with pytest.raises(TokenAusente, match="Há 2 tokens"):
        mod.listar_certificados(softhsm.modulo, CriterioToken("SIOPS-DUPLO"))


def test_sem_criterio_com_varios_tokens_lista_rotulos_e_series(softhsm, pin_fixo):
    with pytest.raises(TokenAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, None, pin_fixo()):
            pass
    texto = str(erro.value)
    assert texto.startswith("Há mais de um token conectado")
    assert "«SIOPS-TECNICO» (série " in texto


def test_criterio_de_texto_e_vazio():
    assert CriterioToken.de("ROTULO") == CriterioToken(rotulo="ROTULO")
    assert CriterioToken.de(None) == CriterioToken() == CriterioToken.de("  ")
    c = CriterioToken(serie="abc")
    assert CriterioToken.de(c) is c
    assert not CriterioToken() and CriterioToken(serie="x")
    assert CriterioToken("R", "S").descricao == "«R» com número de série S"


def test_contexto_fecha_a_sessao_ao_sair_mesmo_com_erro(softhsm, pin_fixo):
    """A sessão é do contexto: aberta no ``__enter__``, fechada no ``__exit__`` mesmo com erro."""
    criterio = CriterioToken("SIOPS-TECNICO")
    a = AssinadorPKCS11(softhsm.modulo, criterio, pin_fixo())
    with pytest.raises(RuntimeError, match="falha no meio"):
        with a:
            assert a.sessao_aberta
            assert not _pode_entrar(softhsm, criterio, softhsm.tecnico.pin)  # logada
            raise RuntimeError("falha no meio")
    assert not a.sessao_aberta
    assert _pode_entrar(softhsm, criterio, softhsm.tecnico.pin)


def test_contexto_fecha_a_sessao_se_abrir_falha_depois_do_login(softhsm, pin_fixo):
    """Certificado escolhido que não existe: o login foi feito, e a sessão não pode ficar."""
    criterio = CriterioToken("SIOPS-TECNICO")
    a = AssinadorPKCS11(softhsm.modulo, criterio, pin_fixo(), cka_id=b"\x99")
    with pytest.raises(CertificadoAusente):
        with a:
            pass
    assert not a.sessao_aberta
    assert _pode_entrar(softhsm, criterio, softhsm.tecnico.pin)


def test_cli_escolhe_o_token_pela_serie(
    ambiente, softhsm, hierarquia, constantes, copia_transmissao, dados_cliente, monkeypatch, capsys
):
    """``siopsnet transmitir … --pkcs11 LIB --serial-token S``; o rótulo ambíguo sai 2."""
    from siops.transmissor import cli

    monkeypatch.setenv(cli.ENV_SENHA, ambiente.senha_tecnico)
    monkeypatch.setenv(cli.ENV_PIN, constantes.pin)
    base = [
        "--servidor",
        ambiente.servidor.url,
        "--cpf",
        constantes.cpf_tecnico,
        "--pkcs11",
        softhsm.modulo,
        "--intermediarios",
        str(hierarquia.intermediaria_pem),
    ]
    ambiguo = ["transmitir", str(copia_transmissao(5, "2000002.00")), *base]
    assert cli.executar([*ambiguo, "--token", "SIOPS-DUPLO"]) == 2
    erro = capsys.readouterr().err
    assert "Há 2 tokens conectados com o rótulo «SIOPS-DUPLO»" in erro and "Traceback" not in erro
    serie = _serie(softhsm, "SIOPS-TECNICO")
    copia = copia_transmissao(5, "2000003.00")
    assert cli.executar(["transmitir", str(copia), *base, "--serial-token", serie]) == 0
    capsys.readouterr()
    # os dois juntos precisam concordar
    copia = copia_transmissao(5, "2000004.00")
    args = ["transmitir", str(copia), *base, "--token", "SIOPS-VAZIO", "--serial-token", serie]
    assert cli.executar(args) == 2
    assert (
        f"«SIOPS-VAZIO» com número de série {serie} não está conectado" in capsys.readouterr().err
    )
