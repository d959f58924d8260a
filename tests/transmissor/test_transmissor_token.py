"""A3 no SoftHSM2: chave não extraível, assinatura no token, e as mensagens de cada falha.

Sobre o bloqueio: o SoftHSM2 (2.6, Debian) NÃO bloqueia o PIN depois de erros. Ele marca
CKF_USER_PIN_COUNT_LOW depois de um login errado e nunca chega a CKF_USER_PIN_LOCKED nem
devolve CKR_PIN_LOCKED (conferido abaixo com 6 erros seguidos). O caminho "token bloqueado" é
testado com um token simulado que responde como um token real (SafeSign, eToken) responde:
a flag USER_PIN_LOCKED e o erro CKR_PIN_LOCKED.
"""

from __future__ import annotations

import subprocess
import threading

import pkcs11
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding

from siops.assinatura import assinador as mod
from siops.assinatura import xmldsig
from siops.assinatura.assinador import (
    MSG_PIN_BLOQUEADO,
    AssinadorPKCS11,
    Cancelado,
    CertificadoAusente,
    ErroAssinador,
    ModuloAusente,
    PinBloqueado,
    PinIncorreto,
    TokenAusente,
)
from siops.assinatura.certificados import CertificadoInvalido, validar_cadeia
from siops.transmissor import token_teste

DOC = b'<declaracao xmlns="urn:siops:teste:1"><celula>42.00</celula></declaracao>'


def test_chave_gerada_no_token_nao_e_extraivel(softhsm):
    attrs = token_teste.atributos_da_chave(softhsm.tecnico)
    assert attrs == {
        "extraivel": False,
        "sensivel": True,
        "sempre_sensivel": True,
        "nunca_extraivel": True,
        "no_token": True,
    }


def test_assina_no_token_e_xmlsec1_confere(softhsm, hierarquia, pin_fixo, xmlsec1, tmp_path):
    with AssinadorPKCS11(
        softhsm.modulo, "SIOPS-TECNICO", pin_fixo(), intermediarios=[hierarquia.intermediaria]
    ) as a:
        assert a.fatos.nome == "TECNICO DO TOKEN"
        assert a.info is not None and a.info.fabricante == "SoftHSM project"
        chave = a.chave_privada()
        assert isinstance(chave, mod.ChavePKCS11)
        with pytest.raises(ErroAssinador, match="nunca sai do token"):
            chave.private_bytes(None, None, None)
        xml = xmldsig.assinar(DOC, a)
    arq = tmp_path / "assinado.xml"
    arq.write_bytes(xml)
    r = subprocess.run(
        [xmlsec1, "--verify", "--trusted-pem", str(hierarquia.raiz_pem), str(arq)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    arq.write_bytes(xml.replace(b"42.00", b"43.00"))
    r = subprocess.run(
        [xmlsec1, "--verify", "--trusted-pem", str(hierarquia.raiz_pem), str(arq)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0
    v = xmldsig.verificar(xml, [hierarquia.raiz])
    assert v.cert == softhsm.tecnico.cert


def test_assinatura_em_varias_threads_passa_pela_thread_do_token(softhsm, pin_fixo):
    threads_vistas: set[str] = set()
    original = mod.TRABALHADOR.executar

    def espiao(fn, *args, **kwargs):
        def dentro(*a, **k):
            threads_vistas.add(threading.current_thread().name)
            return fn(*a, **k)

        return original(dentro, *args, **kwargs)

    assinaturas: list[bytes] = []
    with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo()) as a:
        chave = a.chave_privada()
        mod.TRABALHADOR.executar = espiao  # type: ignore[method-assign]
        try:

            def assinar() -> None:
                assinaturas.append(chave.sign(b"dados", padding.PKCS1v15(), hashes.SHA256()))

            ts = [threading.Thread(target=assinar) for _ in range(4)]
            for t in ts:
                t.start()
            for t in ts:
                t.join()
        finally:
            mod.TRABALHADOR.executar = original  # type: ignore[method-assign]
        publica = a.certificado.public_key()
    assert len(assinaturas) == 4
    for s in assinaturas:
        publica.verify(s, b"dados", padding.PKCS1v15(), hashes.SHA256())
    assert len(threads_vistas) == 1 and next(iter(threads_vistas)).startswith("siops-pkcs11")


def test_biblioteca_carregada_uma_vez(softhsm, pin_fixo):
    with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo()):
        pass
    lib = mod._BIBLIOTECAS[softhsm.modulo]
    with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo()):
        pass
    assert mod._BIBLIOTECAS[softhsm.modulo] is lib


def test_pin_errado(softhsm, pin_fixo):
    with pytest.raises(PinIncorreto) as erro:
        with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo("000000")):
            pass
    assert str(erro.value).startswith("PIN incorreto.")


def test_softhsm_nao_bloqueia_o_pin_mas_avisa_poucas_tentativas(softhsm, pin_fixo):
    """Documenta o comportamento do SoftHSM2: COUNT_LOW depois de erros, nunca LOCKED."""
    for _ in range(6):
        with pytest.raises(PinIncorreto) as erro:
            with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo("999999")):
                pass
    assert erro.value.restantes == "poucas"
    assert "Restam poucas tentativas" in str(erro.value)
    info = next(t for t in mod.listar_tokens(softhsm.modulo) if t.rotulo == "SIOPS-TECNICO")
    assert info.pin_poucas_tentativas and not info.pin_bloqueado
    # o aviso chega ao pedido de PIN seguinte, e o PIN certo ainda entra
    handler = pin_fixo()
    with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", handler):
        pass
    assert handler.avisos == ["Atenção: restam poucas tentativas antes de o token ser bloqueado."]


def test_pin_nao_informado(softhsm, pin_fixo):
    with pytest.raises(Cancelado, match="PIN do token não foi informado"):
        with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo(None)):
            pass


def test_token_ausente(softhsm, pin_fixo):
    handler = pin_fixo()
    with pytest.raises(TokenAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, "TOKEN-QUE-NAO-EXISTE", handler):
            pass
    assert str(erro.value).startswith("O token «TOKEN-QUE-NAO-EXISTE» não está conectado")
    assert handler.avisos == []  # o PIN nem foi pedido


def test_token_sem_certificado(softhsm, pin_fixo):
    with pytest.raises(CertificadoAusente) as erro:
        with AssinadorPKCS11(softhsm.modulo, "SIOPS-VAZIO", pin_fixo()):
            pass
    assert str(erro.value).startswith(
        "O token «SIOPS-VAZIO» não contém um certificado com chave privada."
    )


def test_cka_id_inexistente(softhsm, pin_fixo):
    with pytest.raises(CertificadoAusente, match="não está no token"):
        with AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo(), cka_id=b"\x99"):
            pass


def test_modulo_inexistente(pin_fixo):
    with pytest.raises(ModuloAusente, match=r"não foi encontrado em /nao/existe/libpkcs11\.so"):
        with AssinadorPKCS11("/nao/existe/libpkcs11.so", None, pin_fixo()):
            pass


def test_certificado_vencido_no_token(softhsm, hierarquia, pin_fixo):
    with AssinadorPKCS11(softhsm.modulo, "SIOPS-VENCIDO", pin_fixo()) as a:
        with pytest.raises(
            CertificadoInvalido, match="O certificado de TECNICO DO TOKEN venceu em"
        ):
            validar_cadeia(a.certificado, [hierarquia.intermediaria], [hierarquia.raiz])


def test_listar_certificados_sem_pin(softhsm):
    certs = mod.listar_certificados(softhsm.modulo, "SIOPS-TECNICO")
    assert [c.cka_id for c in certs] == [b"\x01"]
    assert certs[0].fatos.nome == "TECNICO DO TOKEN"


def test_modulos_comuns_na_ordem():
    nomes = " ".join(mod.MODULOS_LINUX + mod.MODULOS_WINDOWS)
    for fabricante in ("aetpkss", "opensc-pkcs11", "eTPKCS11", "wdpkcs", "softhsm2"):
        assert fabricante.lower() in nomes.lower()


# ------------------------------------------------------------------ token simulado (bloqueio)


class _TokenSimulado:
    """Responde como um token real bloqueado ou na última tentativa."""

    def __init__(self, flags: int, erro: type[Exception]) -> None:
        self.flags = flags
        self.label = "TOKEN-REAL"
        self.manufacturer_id = "A.E.T. Europe B.V."
        self.model = "SafeSign"
        self.serial = b"0001"
        self._erro = erro
        self.slot = self

    def get_token(self) -> _TokenSimulado:
        return self

    def open(self, **_kw: object) -> None:
        raise self._erro()


@pytest.fixture
def simular(monkeypatch):
    def instalar(flags: int, erro: type[Exception]) -> _TokenSimulado:
        token = _TokenSimulado(flags | pkcs11.TokenFlag.TOKEN_INITIALIZED, erro)
        monkeypatch.setattr(mod, "localizar_modulo", lambda _m=None: "simulado.so")
        monkeypatch.setattr(mod, "_biblioteca", lambda _c: None)
        monkeypatch.setattr(mod, "_escolher_token", lambda _lib, _r, _m: token)
        return token

    return instalar


def test_token_bloqueado_antes_de_pedir_pin(simular, pin_fixo):
    simular(pkcs11.TokenFlag.USER_PIN_LOCKED, pkcs11.PinLocked)
    handler = pin_fixo()
    with pytest.raises(PinBloqueado) as erro:
        with AssinadorPKCS11(None, "TOKEN-REAL", handler):
            pass
    assert str(erro.value) == MSG_PIN_BLOQUEADO
    assert "Use o PUK no gerenciador do token" in MSG_PIN_BLOQUEADO
    assert handler.avisos == []


def test_token_responde_pin_bloqueado_no_login(simular, pin_fixo):
    simular(0, pkcs11.PinLocked)
    with pytest.raises(PinBloqueado, match="Desbloquear PIN"):
        with AssinadorPKCS11(None, "TOKEN-REAL", pin_fixo()):
            pass


def test_ultima_tentativa(simular, pin_fixo):
    simular(pkcs11.TokenFlag.USER_PIN_FINAL_TRY, pkcs11.PinIncorrect)
    handler = pin_fixo("000000")
    with pytest.raises(PinIncorreto) as erro:
        with AssinadorPKCS11(None, "TOKEN-REAL", handler):
            pass
    assert erro.value.restantes == "última"
    assert "resta só uma tentativa" in str(erro.value)
    assert handler.avisos == ["Atenção: resta só uma tentativa antes de o token ser bloqueado."]


def test_erro_que_bloqueia(simular, pin_fixo):
    """O token errado na última tentativa passa a bloqueado: a mensagem já fala do PUK."""
    token = simular(pkcs11.TokenFlag.USER_PIN_FINAL_TRY, pkcs11.PinIncorrect)

    class Bloqueia(pkcs11.PinIncorrect):
        def __init__(self) -> None:
            token.flags = pkcs11.TokenFlag.USER_PIN_LOCKED | pkcs11.TokenFlag.TOKEN_INITIALIZED
            super().__init__()

    token._erro = Bloqueia
    with pytest.raises(PinBloqueado, match=r"PIN incorreto\. O PIN do token está bloqueado"):
        with AssinadorPKCS11(None, "TOKEN-REAL", pin_fixo("000000")):
            pass


def test_token_removido(simular, pin_fixo):
    simular(0, pkcs11.DeviceRemoved)
    with pytest.raises(TokenAusente, match="desconectado"):
        with AssinadorPKCS11(None, "TOKEN-REAL", pin_fixo()):
            pass
