"""The server side of the reliability tests: the REAL server process (``python -m siops.servidor``)
on 127.0.0.1, a test ICP-Brasil hierarchy, people with e-CPFs, an SMTP mailbox on loopback.

The ideas follow ``tests/servidor/conftest.py`` (one RSA key pair reused by many certificates:
the server checks the CPF in the certificate and the chain, not that keys are unique; an
aiosmtpd mailbox; the server started as a subprocess), rewritten here — test folders do not
import each other — and made to scale for the load test: the mailbox indexes passwords by CPF
as messages arrive, and the server object keeps one HTTP session.
"""

from __future__ import annotations

import datetime as dt
import email
import hashlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

RAIZ_PROJETO = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
NS_SERVIDOR = "urn:siops-desktop:servidor:1"
NS_RECIBO = "urn:siops-desktop:recibo:1"
#: The exercício of the scenarios; servers start with it as their first exercício.
EXERCICIO = 2025


def porta_livre() -> int:
    """A free TCP port on loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpf_com_dv(base9: str) -> str:
    """Nine digits completed with the two check digits."""
    d = base9
    for n in (9, 10):
        soma = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        d += str((soma * 10) % 11 % 10)
    return d


def formatar_cpf(cpf: str) -> str:
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


class Caixa:
    """The SMTP test mailbox: passwords indexed by CPF as the messages arrive."""

    _CPF = re.compile(r"CPF \(usuário\): (\d{3}\.\d{3}\.\d{3}-\d{2})")
    _SENHA = re.compile(r"Senha: (\S+)")

    def __init__(self) -> None:
        self.total = 0
        self._senhas: dict[str, list[str]] = {}
        self._destinos: dict[str, list[str]] = {}  # address → message bodies
        self._cond = threading.Condition()

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = email.message_from_bytes(envelope.content)
        corpo = msg.get_payload(decode=True).decode("utf-8")
        cpf, senha = self._CPF.search(corpo), self._SENHA.search(corpo)
        with self._cond:
            self.total += 1
            for destino in envelope.rcpt_tos:
                self._destinos.setdefault(destino.lower(), []).append(corpo)
            if cpf and senha:
                self._senhas.setdefault(cpf.group(1), []).append(senha.group(1))
            self._cond.notify_all()
        return "250 OK"

    def para(self, endereco: str) -> list[str]:
        """The bodies of every message delivered to ``endereco``, oldest first."""
        with self._cond:
            return list(self._destinos.get(endereco.lower(), []))

    def contagem(self, cpf: str) -> int:
        with self._cond:
            return len(self._senhas.get(formatar_cpf(cpf), []))

    def senha_de(self, cpf: str, depois: int = 0, espera: float = 30.0) -> str:
        """The newest password e-mailed to ``cpf`` after its first ``depois`` messages."""
        alvo = formatar_cpf(cpf)
        fim = time.monotonic() + espera
        with self._cond:
            while len(self._senhas.get(alvo, [])) <= depois:
                resta = fim - time.monotonic()
                if resta <= 0:
                    raise AssertionError(f"nenhum e-mail com senha para {alvo}")
                self._cond.wait(resta)
            return self._senhas[alvo][-1]


@dataclass
class Pessoa:
    """Someone with a test e-CPF (the key is shared among people: the server checks the CPF
    inside the certificate and its chain, not the key's uniqueness)."""

    nome: str
    cpf: str
    email: str
    emitido: Any  # icp_teste.CertificadoEmitido

    def assinador(self) -> Any:
        from siops.assinatura.assinador import AssinadorChave

        return AssinadorChave(self.emitido.chave, self.emitido.cert, self.emitido.cadeia)

    def assinar(self, xml: bytes) -> bytes:
        from siops.assinatura.xmldsig import assinar

        return assinar(xml, self.assinador())


@dataclass
class PKI:
    """The test hierarchy (root → intermediate) and a few reusable RSA keys."""

    pasta: Path
    hier: Any
    chaves: list[Any]
    pessoas: dict[str, Pessoa] = field(default_factory=dict)
    _n: int = 0

    @property
    def raiz_pem(self) -> Path:
        return self.hier.raiz_pem

    def pessoa(
        self, apelido: str, nome: str | None = None, cpf: str | None = None, **kw: Any
    ) -> Pessoa:
        """The person ``apelido`` (created the first time; CPF derived from the nickname unless
        given; ``kw`` goes to ``icp_teste.emitir_ecpf``, e.g. validity dates)."""
        from siops.transmissor import icp_teste

        if apelido in self.pessoas and not kw:
            return self.pessoas[apelido]
        if cpf is None:
            h = int.from_bytes(hashlib.sha256(apelido.encode()).digest()[:8], "big")
            cpf = cpf_com_dv(str(h % 10**9).zfill(9))
        nome = nome or f"Pessoa {apelido}"
        self._n += 1
        chave = self.chaves[self._n % len(self.chaves)]
        emitido = icp_teste.emitir_ecpf(self.hier, nome.upper(), cpf, chave=chave, **kw)
        p = Pessoa(
            nome, cpf, f"{re.sub(r'[^a-z0-9]', '', apelido.lower())}@saude.exemplo.gov.br", emitido
        )
        if not kw:
            self.pessoas[apelido] = p
        return p


# --- the server -------------------------------------------------------------------------------


def momento(deslocamento: float = 0.0) -> str:
    """Now (plus ``deslocamento`` seconds) in ISO 8601 UTC."""
    quando = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=deslocamento)
    return quando.isoformat(timespec="seconds").replace("+00:00", "Z")


def documento(raiz: str, campos: dict[str, object], quando: str | None = None) -> bytes:
    """An unsigned request document in the server's namespace with Momento and Nonce."""
    from xml.sax.saxutils import escape

    corpo = "".join(f"<{k}>{escape(str(v))}</{k}>" for k, v in campos.items() if v is not None)
    corpo += f"<Momento>{quando or momento()}</Momento><Nonce>{secrets.token_hex(16)}</Nonce>"
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><{raiz} xmlns="{NS_SERVIDOR}">{corpo}</{raiz}>'
    ).encode()


class Servidor:
    """A ``siops-servidor`` process (``python -m siops.servidor``) and the tests' shortcuts."""

    def __init__(
        self, dados: Path, pki: PKI, smtp_porta: int, caixa: Caixa, extra: dict | None = None
    ) -> None:
        import requests

        self.dados = dados
        self.pki = pki
        self.caixa = caixa
        self.smtp_porta = smtp_porta
        self.porta = porta_livre()
        self.url = f"http://127.0.0.1:{self.porta}"
        self.proc: subprocess.Popen | None = None
        self.http = requests.Session()
        self.http.trust_env = False
        dados.mkdir(parents=True, exist_ok=True)
        conf = {"bloqueio_segundos": 3, "janela_passado_segundos": 600}
        conf.update(extra or {})
        (dados / "servidor.json").write_text(json.dumps(conf), encoding="utf-8")
        self.log = dados / "servidor.log"

    def iniciar(self, espera: float = 90.0) -> float:
        """Start and wait for ``/saude``; returns the seconds it took."""
        import requests

        t0 = time.monotonic()
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
        ]
        env = dict(os.environ, PYTHONPATH=str(RAIZ_PROJETO))
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                args, cwd=RAIZ_PROJETO, env=env, stdout=subprocess.DEVNULL, stderr=log
            )
        while time.monotonic() - t0 < espera:
            if self.proc.poll() is not None:
                raise RuntimeError(f"o servidor terminou: {self.log.read_text()[-3000:]}")
            try:
                if self.http.get(f"{self.url}/saude", timeout=1).ok:
                    return time.monotonic() - t0
            except requests.RequestException:
                pass
            time.sleep(0.05)
        raise RuntimeError("o servidor não respondeu a tempo")

    def parar(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(30)

    def matar(self) -> None:
        """SIGKILL (the verification pool's processes watch their parent and exit too)."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def vivo(self) -> bool:
        import requests

        try:
            return self.http.get(f"{self.url}/saude", timeout=5).ok
        except requests.RequestException:
            return False

    def admin(self, *args: str) -> subprocess.CompletedProcess:
        env = dict(os.environ, PYTHONPATH=str(RAIZ_PROJETO))
        return subprocess.run(
            [PYTHON, "-m", "siops.servidor", "admin", "--dados", str(self.dados), *args],
            cwd=RAIZ_PROJETO,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
        )

    # HTTP
    def post_xml(self, caminho: str, corpo: bytes, token: str | None = None, **h: str) -> Any:
        cab = {"Content-Type": "application/xml", **h}
        if token:
            cab["Authorization"] = f"Bearer {token}"
        return self.http.post(f"{self.url}{caminho}", data=corpo, headers=cab, timeout=60)

    def login(self, cpf: str, senha: str) -> Any:
        return self.http.post(
            f"{self.url}/api/v1/sessoes", json={"cpf": cpf, "senha": senha}, timeout=60
        )

    def token(self, cpf: str, senha: str) -> str:
        r = self.login(cpf, senha)
        assert r.status_code == 201, r.text
        return r.json()["token"]

    def cadastrar(self, por: Pessoa, ente: str, papel: str, quem: Pessoa) -> Any:
        doc = documento(
            "Cadastro",
            {"Ente": ente, "Papel": papel, "Nome": quem.nome, "CPF": quem.cpf, "Email": quem.email},
        )
        return self.post_xml("/api/v1/cadastros", por.assinar(doc))

    def cadastrar_chefe(self, ente: str, chefe: Pessoa) -> None:
        r = self.admin(
            "cadastrar-chefe", "--ente", ente, "--nome", chefe.nome, "--cpf", chefe.cpf,
            "--email", chefe.email,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr

    def registrar_cadeia(self, ente: str, chefe: Pessoa, sec: Pessoa, tec: Pessoa) -> str:
        """Chefe (admin) → secretário (signed by the chefe) → técnico (by the secretário);
        returns the técnico's password read from the e-mail."""
        self.cadastrar_chefe(ente, chefe)
        r = self.cadastrar(chefe, ente, "secretario", sec)
        assert r.status_code == 201, r.text
        antes = self.caixa.contagem(tec.cpf)
        r = self.cadastrar(sec, ente, "tecnico", tec)
        assert r.status_code == 201, r.text
        return self.caixa.senha_de(tec.cpf, antes)

    def cadastrar_chefes_em_lote(self, chefes: list[tuple[str, Pessoa]]) -> float:
        """``siops-servidor admin cadastrar-chefe`` for many entes at once, with the server
        STOPPED: the admin command's own code (``servidor.cadastro.cadastrar_chefe`` over a
        ``Contexto`` opened without the verification pool), in one process instead of one
        process per ente. Returns the seconds it took."""
        from siops.servidor import cadastro
        from siops.servidor import config as configuracao
        from siops.servidor.contexto import Contexto

        assert self.proc is None or self.proc.poll() is not None, "pare o servidor antes"
        t0 = time.monotonic()
        ctx = Contexto.abrir(
            configuracao.carregar(self.dados, raizes=[self.pki.raiz_pem]), pool=False
        )
        try:
            for ente, p in chefes:
                cadastro.cadastrar_chefe(ctx, ente, p.nome, p.cpf, p.email)
        finally:
            ctx.fechar()
        return time.monotonic() - t0

    def transmitir(self, token: str, corpo: bytes) -> Any:
        return self.post_xml(
            "/api/v1/transmissoes",
            corpo,
            token,
            **{"Idempotency-Key": hashlib.sha256(corpo).hexdigest()},
        )

    def homologar(self, gestor: Pessoa, t: dict, **mudar: object) -> Any:
        campos: dict[str, object] = {
            "Protocolo": t["protocolo"],
            "Digest": t["digest"],
            "Ente": t["ente"],
            "Exercicio": t["exercicio"],
            "Bimestre": t["bimestre"],
        }
        campos.update(mudar)
        return self.post_xml(
            "/api/v1/homologacoes", gestor.assinar(documento("Homologacao", campos))
        )

    def ac_recibos(self) -> Any:
        from cryptography import x509

        return x509.load_pem_x509_certificate(
            self.http.get(f"{self.url}/api/v1/certificado", timeout=10).content
        )

    def verificar(self) -> dict:
        """``siops-servidor admin verificar``: database integrity and files."""
        r = self.admin("verificar")
        rel = json.loads(r.stdout)
        assert r.returncode == 0 and rel["ok"], rel
        return rel

    def consultar(self, sql: str, *args: object) -> list[tuple]:
        import sqlite3

        con = sqlite3.connect(f"file:{self.dados / 'servidor.sqlite3'}?mode=ro", uri=True)
        try:
            return con.execute(sql, args).fetchall()
        finally:
            con.close()

    def arquivos_guardados(self) -> set[str]:
        """The digests of the files in the content-addressed store."""
        return {p.name[:-4] for p in (self.dados / "arquivos").glob("*/*/*.xml")}


def ops_demo(ente: str, exercicio: int = EXERCICIO, bimestre: int = 1, centavos: int = 0) -> bytes:
    """The .OPS bytes of ``forms.demo.declaracao_demo`` for any ente (no impeditiva);
    ``centavos`` adds to a previsão inicial (a cell no rule compares) for distinct contents."""
    from decimal import Decimal

    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.demo import declaracao_demo

    d = declaracao_demo(ente, exercicio, bimestre)
    if centavos:
        chave = next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        d.aplicar(DefinirCelula(chave, d.valor(chave) + Decimal(centavos) / 100))
    return ops_format.para_bytes(d)
