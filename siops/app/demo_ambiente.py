"""The demonstration environment of ``siops demo`` (issue 9), without Qt.

``preparar(pasta)`` builds, in one fresh folder, everything a clerk needs to see the whole job:

* ``MS-SIOPS/`` — the demo declaration (``forms.demo``: Monteiro Lobato/SP, 5º bimestre de 2026)
  in its standard folder; ``SIOPS_HOME`` points here;
* ``certificados/`` — a test hierarchy that imitates ICP-Brasil (``transmissor.icp_teste``)
  and A1 files (.pfx) for the técnica, the gestora (Secretária de Saúde) and the prefeito;
* ``token/`` — a SoftHSM2 token holding the gestora's key, when SoftHSM2 is installed
  (``transmissor.token_teste``; made in a child process, so this process never loads the
  PKCS#11 module with a configuration of its own before the transmitter needs it);
* ``servidor/`` — the real server (``siops-servidor``) as a child process on 127.0.0.1 and a
  free port, trusting the test root; the registration chain is made as in production: the
  administrator registers the prefeito (``siops-servidor admin cadastrar-chefe``), the
  prefeito's signed document registers the secretária, hers registers the técnica, and the
  server e-mails the técnica's password to a tiny SMTP sink of this process (``CaixaSMTP``);
* ``transmissor/`` — the transmitter's settings (server, CPF, A1 file, token, trusted root)
  and the server's receipt anchor, already in place; ``SIOPS_TRANSMISSOR_DADOS`` points here;
* ``cliente/`` — the client's own state (recent files, journals); ``SIOPS_DADOS``;
* ``LEIA-ME.txt`` — the credentials and the steps, the same text the client shows.

``AmbienteDemo.parar()`` stops the server and the SMTP sink; the people and their data are
fictitious (the declaration's own responsáveis, with valid check digits).
"""

from __future__ import annotations

import email
import email.policy
import importlib.util
import os
import re
import secrets
import socket
import socketserver
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

RAIZ_PROJETO = Path(__file__).resolve().parents[2]
SENHA_PFX = "demo1234"
"""The password of the demo's A1 files (a demonstration: shown to the user on purpose)."""
PIN_TOKEN = "123456"
"""The PIN of the demo token (tokens ship with 123456 until changed; DOMAIN §8)."""
ROTULO_TOKEN = "SIOPS Demo Gestora"
NS = "urn:siops-desktop:servidor:1"
ESPERA_SERVIDOR_S = 90.0


class ErroDemo(RuntimeError):
    """The demonstration could not be prepared (message in Portuguese)."""


@dataclass(frozen=True)
class Pessoa:
    """Someone of the demo chain: the declaration's own responsável, with an A1 file."""

    papel: str
    nome: str
    cpf: str
    email: str
    pfx: Path

    @property
    def cpf_formatado(self) -> str:
        """``123.456.789-09``."""
        c = self.cpf
        return f"{c[:3]}.{c[3:6]}.{c[6:9]}-{c[9:]}"


@dataclass
class AmbienteDemo:
    """A prepared demonstration: where things are, who is who, and the running server."""

    pasta: Path
    url: str
    arquivo: Path
    chefe: Pessoa
    gestor: Pessoa
    tecnico: Pessoa
    senha_tecnico: str
    raiz_pem: Path
    processo: subprocess.Popen[bytes] | None
    caixa: CaixaSMTP
    modulo_token: str | None = None
    aviso_token: str = ""
    avisos: list[str] = field(default_factory=list)

    @property
    def rotulo_token(self) -> str | None:
        """The token's label when there is one."""
        return ROTULO_TOKEN if self.modulo_token else None

    @property
    def log_servidor(self) -> Path:
        """The server's stderr."""
        return self.pasta / "servidor" / "servidor.log"

    def servidor_ativo(self) -> bool:
        """Whether the server process is still running."""
        return self.processo is not None and self.processo.poll() is None

    def parar(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s) and the SMTP sink. Idempotent."""
        p = self.processo
        if p is not None and p.poll() is None:
            p.terminate()
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
                p.wait()
        self.caixa.parar()

    def __enter__(self) -> AmbienteDemo:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.parar()

    def texto(self) -> str:
        """The welcome text: what this is, the credentials and the steps (Portuguese)."""
        linhas = [
            "Demonstração do SIOPS — Monteiro Lobato/SP, 5º bimestre de 2026",
            "",
            f"Servidor local: {self.url} (é encerrado quando o programa fecha)",
            f"Pasta da demonstração: {self.pasta}",
            "",
            "Técnica responsável pelo envio (entra no Transmissor):",
            f"  {self.tecnico.nome} — CPF {self.tecnico.cpf_formatado}",
            f"  Senha do Transmissor (enviada pelo servidor por e-mail): {self.senha_tecnico}",
            f"  Certificado A1: {self.tecnico.pfx} — senha do arquivo: {SENHA_PFX}",
            "",
            "Gestora do SUS (Secretária de Saúde, homologa):",
            f"  {self.gestor.nome} — CPF {self.gestor.cpf_formatado}",
            f"  Certificado A1: {self.gestor.pfx} — senha do arquivo: {SENHA_PFX}",
        ]
        if self.modulo_token:
            linhas.append(
                f'  Token A3 (SoftHSM): "{ROTULO_TOKEN}" — PIN {PIN_TOKEN} — driver '
                f"{self.modulo_token}"
            )
        elif self.aviso_token:
            linhas.append(f"  (Sem token A3: {self.aviso_token})")
        linhas += [
            "",
            f"Prefeito: {self.chefe.nome} — CPF {self.chefe.cpf_formatado} (cadastrou a "
            "secretária, que cadastrou a técnica).",
            "",
            "Passo a passo:",
            "  1. Confira os valores; Ferramentas → Verificar críticas (há um aviso de propósito).",
            "  2. Arquivo → Gravar arquivo para transmissão, e abra o Transmissor.",
            "  3. No Transmissor: Entrar com o CPF e a senha acima; o arquivo já está marcado;",
            "     Transmitir (certificado A1 da técnica). O recibo fica na pasta transm.",
            "  4. Homologação pela gestora: em Certificado digital, escolha o A1 da gestora (ou",
            "     o token A3), selecione o arquivo transmitido e clique em Homologar (gestor)….",
        ]
        return "\n".join(linhas)


# --- the SMTP sink ----------------------------------------------------------------------------


class _TratadorSMTP(socketserver.StreamRequestHandler):
    """Just enough SMTP (RFC 5321) for ``smtplib``: HELO/EHLO, MAIL, RCPT, DATA, QUIT."""

    timeout = 30

    def _dizer(self, texto: str) -> None:
        self.wfile.write(texto.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        self._dizer("220 localhost SMTP da demonstracao do SIOPS")
        while True:
            linha = self.rfile.readline(4096)
            if not linha:
                return
            cmd = linha.decode("ascii", "replace").strip().upper()
            if cmd.startswith("EHLO"):
                self._dizer("250-localhost")
                self._dizer("250 8BITMIME")
            elif cmd.startswith("HELO"):
                self._dizer("250 localhost")
            elif cmd.startswith(("MAIL", "RCPT", "RSET", "NOOP")):
                self._dizer("250 OK")
            elif cmd == "DATA":
                self._dizer("354 termine com <CRLF>.<CRLF>")
                partes: list[bytes] = []
                while True:
                    linha = self.rfile.readline(65536)
                    if not linha:
                        return
                    if linha.rstrip(b"\r\n") == b".":
                        break
                    partes.append(linha[1:] if linha.startswith(b"..") else linha)
                caixa: CaixaSMTP = self.server.caixa  # type: ignore[attr-defined]
                caixa._receber(b"".join(partes))
                self._dizer("250 OK")
            elif cmd == "QUIT":
                self._dizer("221 ate logo")
                return
            else:
                self._dizer("502 comando nao implementado")


class _ServidorSMTP(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


class CaixaSMTP:
    """A local SMTP sink on 127.0.0.1 that keeps the server's e-mails in memory.

    The real server e-mails the técnico's password (docs/api.md §3); in the demo nobody has a
    mailbox, so the demo reads the password here and shows it.
    """

    def __init__(self) -> None:
        self.mensagens: list[email.message.Message] = []
        self._cond = threading.Condition()
        self._servidor = _ServidorSMTP(("127.0.0.1", 0), _TratadorSMTP)
        self._servidor.caixa = self  # type: ignore[attr-defined]
        self._thread = threading.Thread(
            target=self._servidor.serve_forever, name="smtp-demo", daemon=True
        )
        self._thread.start()
        self._parado = False

    @property
    def porta(self) -> int:
        """The TCP port it listens on."""
        return int(self._servidor.server_address[1])

    def _receber(self, dados: bytes) -> None:
        msg = email.message_from_bytes(dados, policy=email.policy.default)
        with self._cond:
            self.mensagens.append(msg)
            self._cond.notify_all()

    def senha_de(self, cpf: str, depois: int = 0, espera: float = 30.0) -> str:
        """The password in the newest message for ``cpf`` (11 digits) among those from
        index ``depois`` on; waits up to ``espera`` seconds."""
        alvo = f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
        fim = time.monotonic() + espera
        with self._cond:
            while True:
                for msg in reversed(self.mensagens[depois:]):
                    corpo = _corpo(msg)
                    m = re.search(r"Senha: (\S+)", corpo)
                    if alvo in corpo and m:
                        return m.group(1)
                resta = fim - time.monotonic()
                if resta <= 0:
                    raise ErroDemo("O servidor não enviou o e-mail com a senha da técnica a tempo.")
                self._cond.wait(resta)

    def parar(self) -> None:
        """Stop listening (idempotent)."""
        if not self._parado:
            self._parado = True
            self._servidor.shutdown()
            self._servidor.server_close()


def _corpo(msg: email.message.Message) -> str:
    parte = msg.get_body(("plain",)) if hasattr(msg, "get_body") else msg
    if parte is None:
        return ""
    dados = parte.get_payload(decode=True) or b""
    return dados.decode(parte.get_content_charset() or "utf-8", "replace")


# --- helpers ----------------------------------------------------------------------------------


def porta_livre() -> int:
    """A free TCP port on the loopback."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def servidor_disponivel() -> bool:
    """Whether the server can run from this installation (the frozen client has no server)."""
    return (
        not getattr(sys, "frozen", False) and importlib.util.find_spec("siops.servidor") is not None
    )


def _ambiente_filho() -> dict[str, str]:
    env = dict(os.environ)
    caminho = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(RAIZ_PROJETO) + (os.pathsep + caminho if caminho else "")
    return env


def _python(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args],
        cwd=RAIZ_PROJETO,
        env=_ambiente_filho(),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def _documento_cadastro(ente: str, papel: str, p: Pessoa) -> bytes:
    """An unsigned ``Cadastro`` document (docs/api.md §3)."""
    from lxml import etree

    from siops.transmissor.documentos import momento

    el = etree.Element(f"{{{NS}}}Cadastro", nsmap={None: NS})
    for nome, valor in (
        ("Ente", ente),
        ("Papel", papel),
        ("Nome", p.nome),
        ("CPF", p.cpf),
        ("Email", p.email),
        ("Momento", momento()),
        ("Nonce", secrets.token_hex(16)),
    ):
        etree.SubElement(el, f"{{{NS}}}{nome}").text = valor
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8")


def _esperar_servidor(proc: subprocess.Popen[bytes], url: str, log: Path) -> None:
    import requests

    fim = time.monotonic() + ESPERA_SERVIDOR_S
    while time.monotonic() < fim:
        if proc.poll() is not None:
            raise ErroDemo(
                "O servidor local terminou ao iniciar. Últimas linhas do registro "
                f"({log}):\n{_cauda(log)}"
            )
        try:
            if requests.get(f"{url}/saude", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.1)
    raise ErroDemo(f"O servidor local não respondeu em {ESPERA_SERVIDOR_S:.0f} s ({log}).")


def _cauda(log: Path, n: int = 2000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-n:]
    except OSError:
        return ""


def _iniciar_token(pasta: Path, certificados: Path, gestor: Pessoa) -> subprocess.Popen[str]:
    """Start, in a child process, the SoftHSM token with the gestora's key (see module doc)."""
    from siops.transmissor import token_teste

    token_teste.preparar_softhsm(pasta)  # sets SOFTHSM2_CONF, inherited by the child
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "siops.app.demo_ambiente",
            "token",
            str(certificados),
            ROTULO_TOKEN,
            PIN_TOKEN,
            gestor.nome.upper(),
            gestor.cpf,
        ],
        cwd=RAIZ_PROJETO,
        env=_ambiente_filho(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )


def criar_token(certificados: Path, rotulo: str, pin: str, nome: str, cpf: str) -> None:
    """(Child process) a token with an RSA key generated on it and the e-CPF for it."""
    from siops.transmissor import icp_teste, token_teste

    hier = icp_teste.carregar_hierarquia(certificados)
    token = token_teste.iniciar_token(rotulo, pin)
    token_teste.gerar_chave_e_certificado(token, hier, nome, cpf)


# --- preparation ------------------------------------------------------------------------------


def _pessoas(pasta: Path) -> tuple[Pessoa, Pessoa, Pessoa]:
    """The demo declaration's prefeito, secretária and responsável pelo preenchimento."""
    from siops.forms.demo import TEXTOS

    def pessoa(papel: str, prefixo: str, arquivo: str) -> Pessoa:
        cpf = re.sub(r"\D", "", TEXTOS[f"{prefixo}_cpf"])
        return Pessoa(
            papel, TEXTOS[f"{prefixo}_nome"], cpf, TEXTOS[f"{prefixo}_email"], pasta / arquivo
        )

    return (
        pessoa("chefe", "chefe", "prefeito.pfx"),
        pessoa("secretario", "secretario", "gestora.pfx"),
        pessoa("tecnico", "responsavel", "tecnica.pfx"),
    )


def definir_variaveis(pasta: Path) -> None:
    """Point the client, the format and the transmitter at the demo folder (this process and
    its children)."""
    os.environ["SIOPS_HOME"] = str(pasta / "MS-SIOPS")
    os.environ["SIOPS_DADOS"] = str(pasta / "cliente")
    os.environ["SIOPS_TRANSMISSOR_DADOS"] = str(pasta / "transmissor")


def salvar_declaracao(pasta_home: Path) -> Path:
    """Save the demo declaration at its standard path under ``pasta_home`` (SIOPS_HOME)."""
    os.environ["SIOPS_HOME"] = str(pasta_home)
    from siops.forms.demo import declaracao_demo
    from siops.ops_format import caminhos, salvar

    d = declaracao_demo()
    destino = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    if not destino.exists():
        salvar(d, destino)
    return destino


def preparar(
    pasta: Path,
    avisar: Callable[[str], None] | None = None,
    token: bool = True,
) -> AmbienteDemo:
    """Build the demo environment in ``pasta`` (new or empty) and start the server.

    ``avisar`` receives one Portuguese line per step (the CLI prints them). ``token=False``
    skips the SoftHSM token. Raises ``ErroDemo`` with a Portuguese message; whatever was
    started is stopped first.
    """
    import requests

    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar
    from siops.forms.demo import ENTE, EXERCICIO
    from siops.transmissor import icp_teste
    from siops.transmissor.config import Configuracoes, guardar_ancora

    dizer = avisar or (lambda _t: None)
    pasta = Path(pasta).resolve()
    if not servidor_disponivel():
        raise ErroDemo("O servidor local não faz parte desta instalação.")
    for sub in ("MS-SIOPS", "cliente", "transmissor", "servidor", "certificados"):
        (pasta / sub).mkdir(parents=True, exist_ok=True)
    definir_variaveis(pasta)
    certificados = pasta / "certificados"

    dizer("Gerando a hierarquia de teste que imita a ICP-Brasil…")
    hier = icp_teste.gerar_hierarquia(certificados)
    assert hier.raiz_pem is not None
    caixa = CaixaSMTP()
    porta = porta_livre()
    url = f"http://127.0.0.1:{porta}"
    dados = pasta / "servidor" / "dados"
    dados.mkdir(parents=True, exist_ok=True)
    # One verification process is plenty for a demo (and lighter on a small machine).
    (dados / "servidor.json").write_text('{"processos_verificacao": 1}\n', encoding="utf-8")
    log = pasta / "servidor" / "servidor.log"
    dizer(f"Iniciando o servidor local em {url}…")
    with open(log, "ab") as saida:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "siops.servidor",
                "--dados",
                str(dados),
                "--porta",
                str(porta),
                "--raizes",
                str(hier.raiz_pem),
                "--primeiro-exercicio",
                str(EXERCICIO),
                "--smtp-host",
                "127.0.0.1",
                "--smtp-porta",
                str(caixa.porta),
                "--smtp-remetente",
                "siops@demonstracao.localhost",
            ],
            cwd=RAIZ_PROJETO,
            env=_ambiente_filho(),
            stdout=subprocess.DEVNULL,
            stderr=saida,
        )
    chefe, gestor, tecnico = _pessoas(certificados)
    amb = AmbienteDemo(
        pasta=pasta,
        url=url,
        arquivo=Path(),
        chefe=chefe,
        gestor=gestor,
        tecnico=tecnico,
        senha_tecnico="",
        raiz_pem=hier.raiz_pem,
        processo=proc,
        caixa=caixa,
    )
    filho_token: subprocess.Popen[str] | None = None
    try:
        if token:
            from siops.transmissor import token_teste

            try:
                token_teste.exigir_softhsm()
                dizer("Criando o token A3 de teste (SoftHSM) com a chave da gestora…")
                filho_token = _iniciar_token(pasta / "token", certificados, gestor)
            except token_teste.SoftHSMIndisponivel:
                amb.aviso_token = "SoftHSM2 não instalado (apt-get install softhsm2)"

        dizer("Emitindo os certificados A1 de teste (técnica, gestora, prefeito)…")
        emitidos = {}
        for p in (chefe, gestor, tecnico):
            e = icp_teste.emitir_ecpf(hier, p.nome.upper(), p.cpf, email=p.email)
            assert e.chave is not None
            icp_teste.gravar_pfx(p.pfx, e.chave, e.cert, e.cadeia, senha=SENHA_PFX)
            emitidos[p.papel] = AssinadorChave(e.chave, e.cert, e.cadeia)

        amb.arquivo = salvar_declaracao(pasta / "MS-SIOPS")
        dizer(f"Declaração de demonstração gravada em {amb.arquivo}")

        _esperar_servidor(proc, url, log)
        dizer("Cadastrando prefeito, secretária de saúde e técnica no servidor…")
        r = _python(
            "-m",
            "siops.servidor",
            "admin",
            "--dados",
            str(dados),
            "cadastrar-chefe",
            "--ente",
            ENTE,
            "--nome",
            chefe.nome,
            "--cpf",
            chefe.cpf,
            "--email",
            chefe.email,
        )
        if r.returncode != 0:
            raise ErroDemo(f"O cadastro do prefeito foi recusado: {r.stderr.strip()}")
        for por, papel, quem in (
            ("chefe", "secretario", gestor),
            ("secretario", "tecnico", tecnico),
        ):
            antes = len(caixa.mensagens)
            corpo = assinar(_documento_cadastro(ENTE, papel, quem), emitidos[por])
            resp = requests.post(
                f"{url}/api/v1/cadastros",
                data=corpo,
                headers={"Content-Type": "application/xml"},
                timeout=60,
            )
            if resp.status_code != 201:
                raise ErroDemo(f"O servidor recusou o cadastro de {quem.nome}: {resp.text}")
        amb.senha_tecnico = caixa.senha_de(tecnico.cpf, antes)

        ancora = requests.get(f"{url}/api/v1/certificado", timeout=30)
        ancora.raise_for_status()
        transm = pasta / "transmissor"
        guardar_ancora(url, ancora.content, transm)

        if filho_token is not None:
            try:
                _, erro = filho_token.communicate(timeout=120)
            except subprocess.TimeoutExpired:
                filho_token.kill()
                filho_token.communicate()
                erro = "o SoftHSM não respondeu a tempo"
            if filho_token.returncode == 0:
                from siops.transmissor.token_teste import MODULO_SOFTHSM

                amb.modulo_token = MODULO_SOFTHSM
            else:
                amb.aviso_token = (
                    "o token não pôde ser criado: "
                    + ((erro or "").strip().splitlines() or ["erro desconhecido"])[-1]
                )

        Configuracoes(
            servidor=url,
            proxy_modo="nenhum",  # the local server: never through the office's proxy
            cpf=tecnico.cpf_formatado,
            tipo_certificado="a1",
            arquivo_a1=str(tecnico.pfx),
            modulo_pkcs11=amb.modulo_token or "",
            rotulo_token=amb.rotulo_token or "",
            raizes_icp=[str(hier.raiz_pem)],
        ).salvar(transm)
        (pasta / "LEIA-ME.txt").write_text(amb.texto() + "\n", encoding="utf-8")
        return amb
    except BaseException as exc:
        if filho_token is not None and filho_token.poll() is None:
            filho_token.kill()
            filho_token.communicate()
        amb.parar()
        if isinstance(exc, ErroDemo):
            raise
        if isinstance(exc, requests.RequestException | OSError):
            raise ErroDemo(f"Não foi possível preparar a demonstração: {exc}") from exc
        raise


def main(argv: list[str]) -> int:
    """``python -m siops.app.demo_ambiente token PASTA ROTULO PIN NOME CPF`` (the child process)."""
    if len(argv) == 6 and argv[0] == "token":
        criar_token(Path(argv[1]), *argv[2:])
        return 0
    print("uso: python -m siops.app.demo_ambiente token PASTA ROTULO PIN NOME CPF", file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
