"""Fixtures dos testes do servidor: o processo REAL (``python -m siops.servidor``) em 127.0.0.1 numa
porta livre, um SMTP aiosmtpd no loopback que guarda as mensagens, e a hierarquia ICP-Brasil de
teste (``transmissor.icp_teste``) com certificados para as pessoas dos cenários.

Chaves RSA são caras: a sessão gera duas e todas as pessoas as reutilizam (cada certificado é
outro, a chave é a mesma — o servidor só confere o CPF do certificado e a cadeia).
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import json
import os
import re
import secrets
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pytest
import requests

RAIZ_PROJETO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NS = "urn:siops-desktop:servidor:1"

# Exercício dos cenários; o servidor de teste o tem como primeiro exercício (sem exigir o 6º
# bimestre do anterior), e a regra do 6º bimestre é testada com o exercício seguinte.
EXERCICIO = 2025


def porta_livre() -> int:
    """Uma porta TCP livre no loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpf_com_dv(base9: str) -> str:
    """Completa 9 dígitos com os dois dígitos verificadores."""
    d = base9
    for n in (9, 10):
        soma = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        d += str((soma * 10) % 11 % 10)
    return d


# --- SMTP -------------------------------------------------------------------------------------


class Caixa:
    """As mensagens recebidas pelo SMTP de teste."""

    def __init__(self) -> None:
        self.mensagens: list[email.message.Message] = []
        self._cond = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content)
        with self._cond:
            self.mensagens.append(msg)
            self._cond.notify_all()
        return "250 OK"

    def senha_de(self, cpf: str, depois: int = 0, espera: float = 10.0) -> str:
        """A senha da mensagem mais nova para o CPF (formatado) entre as de índice ≥ ``depois``."""
        alvo = f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
        fim = time.monotonic() + espera
        with self._cond:
            while True:
                for msg in reversed(self.mensagens[depois:]):
                    corpo = msg.get_payload(decode=True).decode("utf-8")
                    if alvo in corpo:
                        return re.search(r"Senha: (\S+)", corpo).group(1)
                resta = fim - time.monotonic()
                if resta <= 0:
                    raise AssertionError(f"nenhum e-mail com senha para {alvo}")
                self._cond.wait(resta)


@pytest.fixture(scope="session")
def smtp():
    """Um servidor SMTP aiosmtpd no loopback; devolve (porta, caixa)."""
    from aiosmtpd.controller import Controller

    caixa = Caixa()
    porta = porta_livre()
    ctl = Controller(caixa, hostname="127.0.0.1", port=porta)
    ctl.start()
    yield porta, caixa
    ctl.stop()


# --- certificados -----------------------------------------------------------------------------


@dataclass
class Pessoa:
    """Alguém com um certificado de teste (a chave é compartilhada entre pessoas)."""

    nome: str
    cpf: str
    email: str
    emitido: object  # icp_teste.CertificadoEmitido

    def assinador(self):
        from siops.assinatura.assinador import AssinadorChave

        return AssinadorChave(self.emitido.chave, self.emitido.cert, self.emitido.cadeia)

    def assinar(self, xml: bytes) -> bytes:
        from siops.assinatura.xmldsig import assinar

        return assinar(xml, self.assinador())


@dataclass
class PKI:
    """A hierarquia de teste e as pessoas dos cenários."""

    pasta: Path
    hier: object
    chaves: list
    pessoas: dict[str, Pessoa] = field(default_factory=dict)

    @property
    def raiz_pem(self) -> Path:
        return self.hier.raiz_pem

    def pessoa(self, apelido: str, nome: str | None = None, cpf: str | None = None, **kw) -> Pessoa:
        """A pessoa ``apelido`` (criada na primeira vez; CPF derivado do apelido)."""
        from siops.transmissor import icp_teste

        if apelido in self.pessoas and not kw and cpf is None:
            return self.pessoas[apelido]
        if cpf is None:
            base = str(int.from_bytes(apelido.encode(), "big") % 10**9).zfill(9)
            cpf = cpf_com_dv(base)
            if len(set(cpf)) == 1:
                cpf = cpf_com_dv("123456780")
        nome = nome or f"Pessoa {apelido.capitalize()}"
        chave = self.chaves[len(self.pessoas) % len(self.chaves)]
        emitido = icp_teste.emitir_ecpf(self.hier, nome.upper(), cpf, chave=chave, **kw)
        p = Pessoa(nome, cpf, f"{apelido}@saude.exemplo.gov.br", emitido)
        self.pessoas[apelido if not kw else f"{apelido}-{len(self.pessoas)}"] = p
        return p


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> PKI:
    """Raiz → intermediária de teste; duas chaves RSA reutilizadas por todos."""
    from siops.transmissor import icp_teste

    pasta = tmp_path_factory.mktemp("pki")
    hier = icp_teste.gerar_hierarquia(pasta)
    return PKI(pasta, hier, [icp_teste.nova_chave(), icp_teste.nova_chave()])


# --- o servidor -------------------------------------------------------------------------------


def _momento() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def documento(raiz: str, campos: dict[str, object]) -> bytes:
    """Um documento de pedido (sem assinatura) em ``NS`` com ``Momento`` e ``Nonce``."""
    from xml.sax.saxutils import escape

    corpo = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in campos.items() if v is not None)
    corpo += f"<Momento>{_momento()}</Momento><Nonce>{secrets.token_hex(16)}</Nonce>"
    return f'<?xml version="1.0" encoding="UTF-8"?><{raiz} xmlns="{NS}">{corpo}</{raiz}>'.encode()


class Servidor:
    """Um processo ``siops-servidor`` e os atalhos dos testes para falar com ele."""

    def __init__(
        self,
        dados: Path,
        pki: PKI,
        smtp_porta: int,
        caixa: Caixa,
        extra: dict | None = None,
        args: list[str] | None = None,
        https: bool = False,
    ) -> None:
        self.dados = dados
        self.pki = pki
        self.caixa = caixa
        self.smtp_porta = smtp_porta
        self.porta = porta_livre()
        self.url = f"https://localhost:{self.porta}" if https else f"http://127.0.0.1:{self.porta}"
        self.verify: str | bool = str(pki.raiz_pem) if https else True
        self.args = list(args or [])
        self.proc: subprocess.Popen | None = None
        dados.mkdir(parents=True, exist_ok=True)
        conf = {
            "bloqueio_segundos": 3,
            "janela_passado_segundos": 600,
            "intervalo_esqueci_segundos": 0,
        }
        conf.update(extra or {})
        (dados / "servidor.json").write_text(json.dumps(conf), encoding="utf-8")
        self.log = dados / "servidor.log"

    # processo
    def iniciar(self, espera: float = 60.0) -> None:
        args = [
            PYTHON,
            "-m",
            "siops.servidor",
            "--dados",
            str(self.dados),
            "--porta",
            str(self.porta),
            "--raizes",
            str(self.pki.raiz_pem),
            "--primeiro-exercicio",
            str(EXERCICIO),
            "--smtp-host",
            "127.0.0.1",
            "--smtp-porta",
            str(self.smtp_porta),
            *self.args,
        ]
        env = dict(os.environ, PYTHONPATH=str(RAIZ_PROJETO))
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                args, cwd=RAIZ_PROJETO, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
        fim = time.monotonic() + espera
        while time.monotonic() < fim:
            if self.proc.poll() is not None:
                raise RuntimeError(f"o servidor terminou: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/saude", timeout=1, verify=self.verify).ok:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError("o servidor não respondeu a tempo")

    def parar(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()

    def matar(self) -> None:
        """SIGKILL."""
        assert self.proc is not None
        self.proc.kill()
        self.proc.wait()

    def admin(self, *args: str, senha: str | None = None) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONPATH=str(RAIZ_PROJETO))
        if senha:
            env["SIOPS_ADMIN_SENHA"] = senha
        return subprocess.run(
            [PYTHON, "-m", "siops.servidor", "admin", "--dados", str(self.dados), *args],
            cwd=RAIZ_PROJETO,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )

    # HTTP
    def post_xml(
        self, caminho: str, corpo: bytes, token: str | None = None, **headers: str
    ) -> requests.Response:
        h = {"Content-Type": "application/xml", **headers}
        if token:
            h["Authorization"] = f"Bearer {token}"
        return requests.post(f"{self.url}{caminho}", data=corpo, headers=h, timeout=60)

    def login(self, cpf: str, senha: str) -> requests.Response:
        return requests.post(
            f"{self.url}/api/v1/sessoes", json={"cpf": cpf, "senha": senha}, timeout=30
        )

    def token(self, cpf: str, senha: str) -> str:
        r = self.login(cpf, senha)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def cadastrar(self, por: Pessoa, ente: str, papel: str, quem: Pessoa) -> requests.Response:
        doc = documento(
            "Cadastro",
            {"Ente": ente, "Papel": papel, "Nome": quem.nome, "CPF": quem.cpf, "Email": quem.email},
        )
        return self.post_xml("/api/v1/cadastros", por.assinar(doc))

    def registrar_cadeia(
        self, ente: str, chefe: Pessoa, secretario: Pessoa, tecnico: Pessoa
    ) -> str:
        """Chefe (admin) → secretário (assinado pelo chefe) → técnico (pelo secretário);
        devolve a senha do técnico lida no e-mail."""
        r = self.admin(
            "cadastrar-chefe",
            "--ente",
            ente,
            "--nome",
            chefe.nome,
            "--cpf",
            chefe.cpf,
            "--email",
            chefe.email,
        )
        assert r.returncode == 0, r.stderr
        r = self.cadastrar(chefe, ente, "secretario", secretario)
        assert r.status_code == 201, r.text
        antes = len(self.caixa.mensagens)
        r = self.cadastrar(secretario, ente, "tecnico", tecnico)
        assert r.status_code == 201, r.text
        assert r.json()["senha_enviada"] is True
        return self.caixa.senha_de(tecnico.cpf, antes)

    def transmitir(self, token: str, corpo: bytes, chave: str | None = None) -> requests.Response:
        import hashlib

        return self.post_xml(
            "/api/v1/transmissoes",
            corpo,
            token,
            **{"Idempotency-Key": chave or hashlib.sha256(corpo).hexdigest()},
        )

    def homologar(self, gestor: Pessoa, transmissao: dict, **mudar) -> requests.Response:
        campos = {
            "Protocolo": transmissao["protocolo"],
            "Digest": transmissao["digest"],
            "Ente": transmissao["ente"],
            "Exercicio": transmissao["exercicio"],
            "Bimestre": transmissao["bimestre"],
        }
        campos.update(mudar)
        return self.post_xml(
            "/api/v1/homologacoes", gestor.assinar(documento("Homologacao", campos))
        )

    def situacao(self, uf: str, exercicio: int, bimestre: int) -> str:
        r = requests.get(
            f"{self.url}/situacao",
            params={"uf": uf, "exercicio": exercicio, "bimestre": bimestre},
            timeout=30,
        )
        assert r.status_code == 200
        return r.text

    def situacao_de(self, uf: str, exercicio: int, bimestre: int, ente: str) -> str:
        """A situação de um ente na página pública (o texto da célula)."""
        html = self.situacao(uf, exercicio, bimestre)
        m = re.search(rf'<tr class="(\w+)" data-ente="{ente}">', html)
        assert m, f"{ente} não está na página"
        return m.group(1)


@pytest.fixture(scope="session")
def servidor(tmp_path_factory, pki, smtp):
    """O servidor de teste (processo real), iniciado uma vez por sessão."""
    porta_smtp, caixa = smtp
    s = Servidor(tmp_path_factory.mktemp("servidor"), pki, porta_smtp, caixa)
    s.iniciar()
    yield s
    s.parar()


# --- declarações ------------------------------------------------------------------------------


def declaracao(
    ente: str, exercicio: int = EXERCICIO, bimestre: int = 1, semente: int = 1, ajuste: int = 0
) -> bytes:
    """O .OPS (sem assinatura) de uma declaração cheia e coerente; ``ajuste`` muda um valor
    (centavos) para dar conteúdos distintos."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.entes import ente as buscar
    from siops.forms.gerador import declaracao_cheia

    d = declaracao_cheia(buscar(ente), exercicio, bimestre, semente)
    if ajuste:
        chave = _celula_livre(d)
        d.aplicar(DefinirCelula(chave, d.valor(chave) + Decimal(ajuste) / 100))
    return ops_format.para_bytes(d)


def _celula_livre(d):
    """Uma célula de receita digitável que nenhuma crítica compara (previsão inicial)."""
    for chave, _ in d.celulas_digitadas():
        if chave[2] == "previsao_inicial":
            return chave
    raise AssertionError("sem célula de previsão inicial")


@pytest.fixture(scope="session")
def decl():
    """A fábrica de declarações (ver ``declaracao``)."""
    return declaracao


@pytest.fixture(scope="session")
def doc():
    """A fábrica de documentos de pedido (ver ``documento``)."""
    return documento


def gerar_corpos(tec, ente_codigo: str, n: int, passo: int = 1) -> list[bytes]:
    """``n`` declarações assinadas, todas diferentes (bimestres 1 a 5, ``passo`` reais a mais
    a cada uma)."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    base = {b: declaracao_cheia(ente(ente_codigo), EXERCICIO, b, b) for b in range(1, 6)}
    chave = {
        b: next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        for b, d in base.items()
    }
    assinador = tec.assinador()
    from siops.assinatura.xmldsig import assinar

    corpos = []
    for i in range(n):
        b = i % 5 + 1
        d = base[b]
        d.aplicar(DefinirCelula(chave[b], d.valor(chave[b]) + passo))
        corpos.append(assinar(ops_format.para_bytes(d), assinador))
    assert len({hashlib.sha256(c).digest() for c in corpos}) == n
    return corpos


@pytest.fixture(scope="session")
def corpos_distintos():
    """A fábrica de declarações assinadas distintas (ver ``gerar_corpos``)."""
    return gerar_corpos


@pytest.fixture
def outro_servidor(tmp_path, pki, smtp):
    """Uma segunda instância (pasta de dados própria) para testes que a derrubam."""
    porta_smtp, caixa = smtp
    s = Servidor(tmp_path / "dados", pki, porta_smtp, caixa)
    s.iniciar()
    yield s
    s.parar()


@pytest.fixture
def fabrica_servidor(tmp_path, pki, smtp):
    """Cria instâncias extras (não iniciadas); ``smtp_fora=True`` aponta para um SMTP que não
    existe. Todas são paradas no fim do teste."""
    porta_smtp, caixa = smtp
    criados: list[Servidor] = []

    def criar(smtp_fora: bool = False, **kw) -> Servidor:
        s = Servidor(
            tmp_path / f"dados{len(criados)}",
            pki,
            porta_livre() if smtp_fora else porta_smtp,
            caixa,
            **kw,
        )
        criados.append(s)
        return s

    yield criar
    for s in criados:
        s.parar()
