"""O ambiente dos testes do Módulo de Gestores (issue 22): um servidor REAL novo para cada
teste (a cadeia de cadastro começa do zero: só o prefeito, semeado pelo administrador), um SMTP
de teste que guarda as mensagens, e os e-CPF A1 das pessoas da cadeia.

Não é um conftest: os dois arquivos de teste importam ``pessoas`` e ``servidor_gestores``.
"""

from __future__ import annotations

import datetime as dt
import email
import json
import re
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from siops.transmissor import icp_teste

ENTE = "M355030"
OUTRO_ENTE = "M330455"
SENHA_PFX = "senha-do-a1"
CPF_PREFEITO = "12345678909"
CPF_SEC1 = "11144477735"
CPF_SEC2 = "39053344705"
CPF_TECNICO = "52998224725"
CPF_TECNICO2 = "98765432100"
CPF_NINGUEM = "71428793860"


def _formatar(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


class Caixa:
    """As mensagens recebidas pelo SMTP de teste (destinatário, corpo)."""

    def __init__(self) -> None:
        self.mensagens: list[tuple[list[str], str]] = []
        self._cond = threading.Condition()

    async def handle_DATA(self, _server, _session, envelope):
        msg = email.message_from_bytes(envelope.content)
        partes = [msg] if not msg.is_multipart() else list(msg.walk())
        corpo = ""
        for p in partes:
            dados = p.get_payload(decode=True)
            if dados:
                corpo += dados.decode("utf-8", "replace")
        with self._cond:
            self.mensagens.append((list(envelope.rcpt_tos), corpo))
            self._cond.notify_all()
        return "250 OK"

    def marca(self) -> int:
        """O índice da próxima mensagem (para esperar só as novas)."""
        with self._cond:
            return len(self.mensagens)

    def esperar(self, depois: int, filtro, espera: float = 30.0) -> tuple[list[str], str]:
        fim = time.monotonic() + espera
        with self._cond:
            while True:
                for m in self.mensagens[depois:]:
                    if filtro(m):
                        return m
                resta = fim - time.monotonic()
                if resta <= 0:
                    raise AssertionError(f"nenhuma mensagem esperada: {self.mensagens[depois:]!r}")
                self._cond.wait(resta)

    def senha_de(self, cpf: str, depois: int, para: str | None = None) -> str:
        """A senha enviada ao CPF (e ao endereço ``para``, se dado) depois de ``depois``."""
        alvo = _formatar(cpf)
        _dest, corpo = self.esperar(
            depois,
            lambda m: alvo in m[1] and "Senha:" in m[1] and (para is None or para in m[0]),
        )
        achou = re.search(r"Senha: (\S+)", corpo)
        assert achou
        return achou.group(1)


@dataclass(frozen=True)
class Pessoa:
    """Alguém da cadeia com o seu e-CPF A1 (``pfx``, senha ``SENHA_PFX``)."""

    nome: str
    cpf: str
    email: str
    pfx: Path


@dataclass(frozen=True)
class Pessoas:
    prefeito: Pessoa
    sec1: Pessoa
    sec2: Pessoa
    tecnico: Pessoa
    tecnico2: Pessoa
    ninguem: Pessoa
    sec1_vencido: Pessoa


def _pessoa(pasta, hier, chave, nome, cpf, apelido, **kw) -> Pessoa:
    e = icp_teste.emitir_ecpf(hier, nome, cpf, chave=chave, **kw)
    pfx = icp_teste.gravar_pfx(pasta / f"{apelido}.pfx", chave, e.cert, e.cadeia, SENHA_PFX)
    return Pessoa(nome, cpf, f"{apelido}@saude.exemplo.gov.br", Path(pfx))


@pytest.fixture(scope="session")
def pessoas(tmp_path_factory, hierarquia) -> Pessoas:
    """Prefeito, duas secretárias, dois técnicos, alguém sem cadastro e um e-CPF vencido."""
    pasta = tmp_path_factory.mktemp("pessoas")
    chave = icp_teste.nova_chave()
    p = _pessoa(pasta, hierarquia, chave, "PREFEITO DE TESTE", CPF_PREFEITO, "prefeito")
    vencido = _pessoa(
        pasta,
        hierarquia,
        chave,
        "SECRETARIA UM",
        CPF_SEC1,
        "sec1-vencido",
        inicio=dt.datetime.now(dt.UTC) - dt.timedelta(days=400),
    )
    return Pessoas(
        prefeito=p,
        sec1=_pessoa(pasta, hierarquia, chave, "SECRETARIA UM", CPF_SEC1, "sec1"),
        sec2=_pessoa(pasta, hierarquia, chave, "SECRETARIA DOIS", CPF_SEC2, "sec2"),
        tecnico=_pessoa(pasta, hierarquia, chave, "TECNICA DE TESTE", CPF_TECNICO, "tecnica"),
        tecnico2=_pessoa(pasta, hierarquia, chave, "TECNICO DOIS", CPF_TECNICO2, "tecnico2"),
        ninguem=_pessoa(pasta, hierarquia, chave, "NINGUEM CADASTRADO", CPF_NINGUEM, "ninguem"),
        sec1_vencido=vencido,
    )


@dataclass
class ServidorGestores:
    """O servidor real (``ServidorTeste`` do conftest) e a caixa do SMTP."""

    srv: object
    caixa: Caixa

    @property
    def url(self) -> str:
        return self.srv.url  # type: ignore[attr-defined]

    def admin(self, *args: str) -> str:
        return self.srv.admin(*args)  # type: ignore[attr-defined]


def _conftest(request):
    """O conftest.py desta pasta, como o pytest o carregou (o ``ServidorTeste`` de lá)."""
    alvo = Path(__file__).with_name("conftest.py").resolve()
    for p in request.config.pluginmanager.get_plugins():
        arquivo = getattr(p, "__file__", None)
        if arquivo and Path(arquivo).resolve() == alvo:
            return p
    raise AssertionError("conftest.py do transmissor não carregado")


@pytest.fixture
def servidor_gestores(request, tmp_path, hierarquia, pessoas):
    """Um servidor novo, com só o prefeito de ``ENTE`` cadastrado (pelo administrador)."""
    from aiosmtpd.controller import Controller

    conftest = _conftest(request)
    ServidorTeste, porta_livre = conftest.ServidorTeste, conftest.porta_livre

    caixa = Caixa()
    smtp = Controller(caixa, hostname="127.0.0.1", port=porta_livre())
    smtp.start()
    dados = tmp_path / "servidor"
    dados.mkdir()
    (dados / "servidor.json").write_text(
        json.dumps({"intervalo_esqueci_segundos": 0}), encoding="utf-8"
    )
    srv = ServidorTeste(dados, hierarquia, smtp.port)
    p = pessoas.prefeito
    srv.admin(
        "cadastrar-chefe", "--ente", ENTE, "--nome", p.nome, "--cpf", p.cpf, "--email", p.email
    )
    srv.iniciar()
    try:
        yield ServidorGestores(srv, caixa)
    finally:
        srv.parar()
        smtp.stop()


@pytest.fixture
def copia_cheia(tmp_path):
    """``copia_cheia(bimestre)``: a cópia para transmissão de uma declaração cheia e coerente de
    ``ENTE`` (``forms.gerador``), gravada em ``…/transm/``."""
    from siops.criticas import verificar
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia
    from siops.ops_format import caminhos, gravar_transmissao

    def fazer(bimestre: int, exercicio: int = 2025) -> Path:
        d = declaracao_cheia(ente(ENTE), exercicio, bimestre, 1)
        pasta = tmp_path / "MS-SIOPS" / "MUNICIPAL" / str(exercicio) / f"B{bimestre}"
        ops = pasta / caminhos.nome_arquivo(d.ente, d.exercicio, d.bimestre)
        return gravar_transmissao(d, ops, verificar(d))

    return fazer
