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
  server "e-mails" the técnica's password into its mail folder (``--correio-pasta``:
  ``servidor/correio/*.eml``; nobody in a demonstration has a mailbox), where it is read;
  the process is ``servidor.local.ServidorLocal``, the same the tests and benchmarks start;
* ``transmissor/`` — the transmitter's settings (server, CPF, A1 file, token, trusted root)
  and the server's receipt anchor, already in place; ``SIOPS_TRANSMISSOR_DADOS`` points here;
* ``cliente/`` — the client's own state (recent files, journals); ``SIOPS_DADOS``;
* ``LEIA-ME.txt`` — the credentials and the steps, the same text the client shows.

``AmbienteDemo.parar()`` stops the server; the people and their data are
fictitious (the declaration's own responsáveis, with valid check digits).
"""

from __future__ import annotations

import importlib.util
import os
import re
import secrets
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from siops.servidor.local import CaixaPasta, ErroServidorLocal, ServidorLocal, ambiente_filho

SENHA_PFX = "demo1234"
"""The password of the demo's A1 files (a demonstration: shown to the user on purpose)."""
PIN_TOKEN = "123456"
"""The PIN of the demo token (tokens ship with 123456 until changed; DOMAIN §8)."""
ROTULO_TOKEN = "SIOPS Demo Gestora"
NS = "urn:siops-desktop:servidor:1"


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
    servidor: ServidorLocal
    caixa: CaixaPasta
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
        return self.servidor.log

    @property
    def pasta_correio(self) -> Path:
        """Where the server writes its e-mails (one ``.eml`` file each)."""
        return self.caixa.pasta

    def servidor_ativo(self) -> bool:
        """Whether the server process is still running."""
        return self.servidor.ativo()

    def parar(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 15 s). Idempotent."""
        self.servidor.parar(15)

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
            "E-mails do servidor (cada um é um arquivo .eml):",
            f"  {self.pasta_correio}",
            "",
            "Técnica responsável pelo envio (entra no Transmissor):",
            f"  {self.tecnico.nome} — CPF {self.tecnico.cpf_formatado}",
            f"  Senha do Transmissor (enviada pelo servidor por e-mail): {self.senha_tecnico}",
            f"  Certificado A1 (senha do arquivo: {SENHA_PFX}):",
            f"    {self.tecnico.pfx}",
            "",
            "Gestora do SUS (Secretária de Saúde, homologa):",
            f"  {self.gestor.nome} — CPF {self.gestor.cpf_formatado}",
            f"  Certificado A1 (senha do arquivo: {SENHA_PFX}):",
            f"    {self.gestor.pfx}",
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


# --- helpers ----------------------------------------------------------------------------------


def servidor_disponivel() -> bool:
    """Whether the server can run from this installation (the frozen client has no server)."""
    return (
        not getattr(sys, "frozen", False) and importlib.util.find_spec("siops.servidor") is not None
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
        env=ambiente_filho(),
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
    dados = pasta / "servidor" / "dados"
    servidor = ServidorLocal(
        dados,
        raizes=[hier.raiz_pem],
        primeiro_exercicio=EXERCICIO,
        # The demo's mail stays on disk: nobody in a demonstration has a mailbox.
        correio_pasta=pasta / "servidor" / "correio",
        smtp_remetente="siops@demonstracao.localhost",
        # One verification process is plenty for a demo (and lighter on a small machine).
        config={"processos_verificacao": 1},
        log=pasta / "servidor" / "servidor.log",
    )
    url = servidor.url
    caixa = CaixaPasta(pasta / "servidor" / "correio")
    dizer(f"Iniciando o servidor local em {url}…")
    servidor.partir()
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
        servidor=servidor,
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

        servidor.esperar()
        dizer("Cadastrando prefeito, secretária de saúde e técnica no servidor…")
        r = servidor.admin(
            "cadastrar-chefe", "--ente", ENTE, "--nome", chefe.nome, "--cpf", chefe.cpf,
            "--email", chefe.email, timeout=120,
        )  # fmt: skip
        if r.returncode != 0:
            raise ErroDemo(f"O cadastro do prefeito foi recusado: {r.stderr.strip()}")
        for por, papel, quem in (
            ("chefe", "secretario", gestor),
            ("secretario", "tecnico", tecnico),
        ):
            antes = caixa.total
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
            intermediarios_icp=[str(hier.intermediaria_pem)],
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
        if isinstance(exc, ErroServidorLocal):
            raise ErroDemo(str(exc)) from exc
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
