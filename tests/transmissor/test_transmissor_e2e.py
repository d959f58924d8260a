"""Transmissão de ponta a ponta contra o servidor real (``python -m siops.servidor``) no loopback."""

from __future__ import annotations

import subprocess

import pytest

from siops.assinatura.assinador import (
    AssinadorA1,
    AssinadorPKCS11,
    PinBloqueado,
    PinIncorreto,
    TokenAusente,
)
from siops.assinatura.certificados import CertificadoInvalido
from siops.transmissor import operacoes, token_teste
from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
from siops.transmissor.fila import FilaOffline
from siops.transmissor.recibos import Arquivos


def _cliente(url: str, **kw) -> ClienteSIOPS:
    return ClienteSIOPS(
        ConfigRede(url, tentativas=kw.pop("tentativas", 3), recuo_inicial=0.05, **kw)
    )


def test_transmite_com_a1(
    ambiente, a1_tecnico, copia_transmissao, dados_cliente, hierarquia, xmlsec1, constantes
):
    copia = copia_transmissao(1)
    cliente = _cliente(ambiente.servidor.url)
    cliente.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    fila = FilaOffline(dados_cliente / "fila")
    r = operacoes.transmitir_arquivo(
        copia, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha), cliente, fila
    )
    assert r.estado == "transmitido", r.mensagem
    assert r.recibo is not None and r.recibo.protocolo == r.protocolo
    assert r.aviso_recibo == ""
    arqs = Arquivos(copia)
    assert arqs.recibo_xml.exists() and arqs.assinado.exists()
    # xmlsec1 aceita a cópia assinada, como foi enviada
    v = subprocess.run(
        [xmlsec1, "--verify", "--trusted-pem", str(hierarquia.raiz_pem), str(arqs.assinado)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert v.returncode == 0, v.stderr
    # o recibo confere fora de linha
    conferido = operacoes.recibo_local(copia)
    assert conferido.protocolo == r.protocolo and conferido.signatario_cpf == constantes.cpf_tecnico
    est = operacoes.estado_arquivo(copia, fila)
    assert est.estado == "transmitido" and r.protocolo in est.texto
    # reenviar o mesmo arquivo devolve o mesmo protocolo
    r2 = operacoes.transmitir_arquivo(
        copia, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha), cliente, fila
    )
    assert r2.protocolo == r.protocolo and r2.repeticao
    assert [t for t in ambiente.servidor.transmissoes(1) if t[0] == r.protocolo] == [
        (r.protocolo, "transmitido")
    ]


def test_transmite_com_token_softhsm(
    ambiente, softhsm, copia_transmissao, dados_cliente, hierarquia, xmlsec1, constantes, pin_fixo
):
    copia = copia_transmissao(2)
    cliente = _cliente(ambiente.servidor.url)
    cliente.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    fila = FilaOffline(dados_cliente / "fila")
    assinador = AssinadorPKCS11(
        softhsm.modulo, "SIOPS-TECNICO", pin_fixo(), intermediarios=[hierarquia.intermediaria]
    )
    r = operacoes.transmitir_arquivo(copia, assinador, cliente, fila, raizes=[hierarquia.raiz])
    assert r.estado == "transmitido", r.mensagem
    assert r.recibo is not None and r.recibo.signatario_nome == "TECNICO DO TOKEN"
    v = subprocess.run(
        [
            xmlsec1,
            "--verify",
            "--trusted-pem",
            str(hierarquia.raiz_pem),
            str(Arquivos(copia).assinado),
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert v.returncode == 0, v.stderr
    assert operacoes.recibo_local(copia).protocolo == r.protocolo
    assert token_teste.atributos_da_chave(softhsm.tecnico)["extraivel"] is False
    assert (r.protocolo, "transmitido") in ambiente.servidor.transmissoes(2)


# ------------------------------------------------------------------ nada é enviado


@pytest.fixture
def sem_envio(ambiente):
    """Confere, ao fim, que nada chegou ao servidor para o 4º bimestre durante o teste (o
    servidor é da sessão: outros módulos podem ter transmitido e homologado o 4º antes)."""
    antes = ambiente.servidor.transmissoes(4)
    yield
    assert ambiente.servidor.transmissoes(4) == antes


def _entrar(ambiente, constantes) -> ClienteSIOPS:
    c = _cliente(ambiente.servidor.url)
    c.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    return c


def test_pin_errado_nada_enviado(
    ambiente, softhsm, copia_transmissao, dados_cliente, constantes, pin_fixo, sem_envio
):
    with pytest.raises(PinIncorreto, match="PIN incorreto"):
        operacoes.transmitir_arquivo(
            copia_transmissao(4),
            AssinadorPKCS11(softhsm.modulo, "SIOPS-TECNICO", pin_fixo("000000")),
            _entrar(ambiente, constantes),
            FilaOffline(dados_cliente / "fila"),
        )


def test_token_bloqueado_nada_enviado(
    ambiente, copia_transmissao, dados_cliente, constantes, pin_fixo, sem_envio, monkeypatch
):
    import pkcs11

    from siops.assinatura import assinador as mod

    class Bloqueado:
        flags = pkcs11.TokenFlag.USER_PIN_LOCKED | pkcs11.TokenFlag.TOKEN_INITIALIZED
        label, manufacturer_id, model, serial = "TOKEN-REAL", "AET", "SafeSign", b"1"

    monkeypatch.setattr(mod, "localizar_modulo", lambda _m=None: "simulado.so")
    monkeypatch.setattr(mod, "_biblioteca", lambda _c: None)
    monkeypatch.setattr(mod, "_escolher_token", lambda *_a: Bloqueado())
    with pytest.raises(PinBloqueado) as erro:
        operacoes.transmitir_arquivo(
            copia_transmissao(4),
            AssinadorPKCS11(None, "TOKEN-REAL", pin_fixo()),
            _entrar(ambiente, constantes),
            FilaOffline(dados_cliente / "fila"),
        )
    assert "Use o PUK no gerenciador do token" in str(erro.value)


def test_sem_token_nada_enviado(
    ambiente, softhsm, copia_transmissao, dados_cliente, constantes, pin_fixo, sem_envio
):
    with pytest.raises(TokenAusente, match="não está conectado"):
        operacoes.transmitir_arquivo(
            copia_transmissao(4),
            AssinadorPKCS11(softhsm.modulo, "TOKEN-AUSENTE", pin_fixo()),
            _entrar(ambiente, constantes),
            FilaOffline(dados_cliente / "fila"),
        )


def test_certificado_vencido_nada_enviado(
    ambiente, a1_vencido, copia_transmissao, dados_cliente, constantes, sem_envio
):
    with pytest.raises(
        CertificadoInvalido,
        match=r"^O certificado de TECNICA DE TESTE venceu em \d\d/\d\d/\d{4}\.$",
    ):
        operacoes.transmitir_arquivo(
            copia_transmissao(4),
            AssinadorA1(a1_vencido.caminho, a1_vencido.senha),
            _entrar(ambiente, constantes),
            FilaOffline(dados_cliente / "fila"),
        )


def test_certificado_de_outro_cpf_nada_enviado(
    ambiente, a1_outro, copia_transmissao, dados_cliente, constantes, sem_envio
):
    with pytest.raises(CertificadoInvalido, match="não do usuário cadastrado"):
        operacoes.transmitir_arquivo(
            copia_transmissao(4),
            AssinadorA1(a1_outro.caminho, a1_outro.senha),
            _entrar(ambiente, constantes),
            FilaOffline(dados_cliente / "fila"),
        )


def test_servidor_recusa_assinante_nao_cadastrado(
    ambiente, a1_outro, copia_transmissao, dados_cliente, constantes, sem_envio
):
    """Certificado válido de quem não é do ente: o servidor recusa (403) e o arquivo fica "recusado"."""
    copia = copia_transmissao(4)
    fila = FilaOffline(dados_cliente / "fila")
    r = operacoes.transmitir_arquivo(
        copia,
        AssinadorA1(a1_outro.caminho, a1_outro.senha),
        _entrar(ambiente, constantes),
        fila,
        cpf=constantes.cpf_outro,  # o cliente deixa passar; quem decide é o servidor
    )
    assert r.estado == "recusado"
    assert r.recusa is not None and r.recusa.status == 403
    assert r.recusa.codigo == "signatario_nao_cadastrado"
    est = operacoes.estado_arquivo(copia, fila)
    assert est.estado == "recusado" and est.texto.startswith("recusado: ")
    assert fila.itens() == []
