"""Fixtures do transmissor: hierarquia de teste, certificados A1 e tokens SoftHSM2.

Chaves são geradas uma vez por sessão (RSA 2048). Os testes que precisam do SoftHSM2 ou do
xmlsec1 FALHAM (não pulam) quando eles faltam: são parte do aceite (issue 7).
"""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from transmissor import icp_teste, token_teste

CPF_TECNICO = "52998224725"
CPF_GESTOR = "11144477735"
CPF_OUTRO = "39053344705"
SENHA_PFX = "senha-do-a1"
PIN = "123456"


@dataclass(frozen=True)
class A1:
    """Um .pfx de teste com a sua senha e o certificado."""

    caminho: Path
    senha: str
    emitido: icp_teste.CertificadoEmitido


@pytest.fixture(scope="session")
def hierarquia(tmp_path_factory: pytest.TempPathFactory) -> icp_teste.HierarquiaTeste:
    """AC Raiz de Teste ICP-Brasil → AC Intermediária de Teste, gravadas em disco."""
    return icp_teste.gerar_hierarquia(tmp_path_factory.mktemp("icp"))


def _a1(pasta: Path, hier: icp_teste.HierarquiaTeste, nome: str, cpf: str, **kw: object) -> A1:
    emitido = icp_teste.emitir_ecpf(hier, nome, cpf, **kw)  # type: ignore[arg-type]
    assert emitido.chave is not None
    caminho = icp_teste.gravar_pfx(
        pasta / f"{cpf}.pfx", emitido.chave, emitido.cert, emitido.cadeia, SENHA_PFX
    )
    return A1(caminho, SENHA_PFX, emitido)


@pytest.fixture(scope="session")
def a1_tecnico(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do técnico (CPF_TECNICO)."""
    return _a1(tmp_path_factory.mktemp("a1"), hierarquia, "TECNICA DE TESTE", CPF_TECNICO)


@pytest.fixture(scope="session")
def a1_gestor(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do gestor (CPF_GESTOR)."""
    return _a1(tmp_path_factory.mktemp("a1g"), hierarquia, "GESTOR DE TESTE", CPF_GESTOR)


@pytest.fixture(scope="session")
def a1_vencido(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> A1:
    """e-CPF A1 do técnico que venceu há 35 dias."""
    inicio = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
    return _a1(
        tmp_path_factory.mktemp("a1v"), hierarquia, "TECNICA DE TESTE", CPF_TECNICO, inicio=inicio
    )


@pytest.fixture(scope="session")
def a1_outro(tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste) -> A1:
    """e-CPF A1 válido de outra pessoa (CPF_OUTRO)."""
    return _a1(tmp_path_factory.mktemp("a1o"), hierarquia, "OUTRA PESSOA", CPF_OUTRO)


@dataclass(frozen=True)
class SoftHSM:
    """Os tokens de teste criados para a sessão."""

    modulo: str
    tecnico: token_teste.TokenTeste
    vazio: token_teste.TokenTeste
    vencido: token_teste.TokenTeste


@pytest.fixture(scope="session")
def softhsm(
    tmp_path_factory: pytest.TempPathFactory, hierarquia: icp_teste.HierarquiaTeste
) -> SoftHSM:
    """Tokens SoftHSM2 num SOFTHSM2_CONF próprio: o do técnico, um vazio e um com e-CPF vencido."""
    modulo = token_teste.exigir_softhsm()  # falha (não pula) se o SoftHSM2 faltar
    token_teste.preparar_softhsm(tmp_path_factory.mktemp("softhsm"))
    tecnico = token_teste.iniciar_token("SIOPS-TECNICO", PIN)
    vazio = token_teste.iniciar_token("SIOPS-VAZIO", PIN)
    vencido = token_teste.iniciar_token("SIOPS-VENCIDO", PIN)
    tecnico = token_teste.gerar_chave_e_certificado(
        tecnico, hierarquia, "TECNICO DO TOKEN", CPF_TECNICO
    )
    vencido = token_teste.gerar_chave_e_certificado(
        vencido,
        hierarquia,
        "TECNICO DO TOKEN",
        CPF_TECNICO,
        inicio=dt.datetime.now(dt.UTC) - dt.timedelta(days=400),
    )
    return SoftHSM(modulo, tecnico, vazio, vencido)


@pytest.fixture(scope="session")
def xmlsec1() -> str:
    """O executável xmlsec1 (falha se não estiver instalado)."""
    caminho = shutil.which("xmlsec1")
    assert caminho, "xmlsec1 não instalado: apt-get install xmlsec1"
    return caminho


class PinFixo:
    """Um pin_handler que sempre responde o mesmo PIN e anota os avisos e as chamadas."""

    def __init__(self, pin: str | None = PIN) -> None:
        self.pin = pin
        self.avisos: list[str | None] = []

    def __call__(self, _token: str, aviso: str | None) -> str | None:
        self.avisos.append(aviso)
        return self.pin


@pytest.fixture
def pin_fixo() -> type[PinFixo]:
    """A classe ``PinFixo`` (``pin_fixo("000000")`` dá um handler com PIN errado)."""
    return PinFixo


@dataclass(frozen=True)
class Constantes:
    """CPFs, senha e PIN usados nos testes."""

    cpf_tecnico: str = CPF_TECNICO
    cpf_gestor: str = CPF_GESTOR
    cpf_outro: str = CPF_OUTRO
    senha_pfx: str = SENHA_PFX
    pin: str = PIN


@pytest.fixture(scope="session")
def constantes() -> Constantes:
    """Os valores fixos dos testes do transmissor."""
    return Constantes()
