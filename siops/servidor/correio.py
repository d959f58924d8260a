"""Envio de e-mail com a senha do técnico: pelo SMTP ou para uma pasta.

O servidor SMTP é configurável (``--smtp-host``/``--smtp-porta``, TLS e usuário opcionais); os
testes usam um aiosmtpd no loopback. Com ``--correio-pasta DIR`` (ou ``"correio_pasta"`` no
``servidor.json``) nenhuma mensagem sai da máquina: cada uma vira um arquivo ``.eml`` na pasta —
o correio da demonstração (``siops demo``) e de homologação, onde ninguém tem caixa postal. A
mensagem é em português e diz o que fazer.

As linhas ``CPF (usuário):`` e ``Senha:`` da mensagem de senha são o formato que
``senha_da_mensagem`` lê: uma fonte só para quem escreve e para quem lê (a demonstração e os
testes).
"""

from __future__ import annotations

import email
import email.policy
import os
import re
import secrets
import smtplib
import ssl
import time
from email.message import EmailMessage, Message
from pathlib import Path

from siops.servidor.config import Config
from siops.servidor.cpf import formatar

ROTULO_CPF = "CPF (usuário): "
ROTULO_SENHA = "Senha: "
_CPF = re.compile(re.escape(ROTULO_CPF) + r"(\d{3}\.\d{3}\.\d{3}-\d{2})")
_SENHA = re.compile(re.escape(ROTULO_SENHA) + r"(\S+)")
EXTENSAO = ".eml"


class FalhaEmail(RuntimeError):
    """O e-mail não pôde ser entregue (ao servidor SMTP ou à pasta do correio)."""


class Correio:
    """Envia as mensagens do servidor pelo SMTP configurado, ou as grava na pasta do correio."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def enviar(self, para: str, assunto: str, corpo: str) -> None:
        """Entrega uma mensagem de texto; ``FalhaEmail`` se o SMTP recusar ou não responder, ou
        se a pasta não puder ser escrita."""
        msg = EmailMessage()
        msg["From"] = self.cfg.smtp_remetente
        msg["To"] = para
        msg["Subject"] = assunto
        msg.set_content(corpo)
        if self.cfg.correio_pasta is not None:
            try:
                gravar_eml(self.cfg.correio_pasta, msg)
            except OSError as exc:
                raise FalhaEmail(f"a pasta do correio {self.cfg.correio_pasta}: {exc}") from exc
            return
        try:
            with smtplib.SMTP(self.cfg.smtp_host, self.cfg.smtp_porta, timeout=15) as smtp:
                if self.cfg.smtp_tls:
                    smtp.starttls(context=ssl.create_default_context())
                if self.cfg.smtp_usuario:
                    smtp.login(self.cfg.smtp_usuario, self.cfg.smtp_senha)
                smtp.send_message(msg)
        except (OSError, smtplib.SMTPException) as exc:
            raise FalhaEmail(str(exc)) from exc

    def enviar_senha(
        self, para: str, nome: str, cpf: str, ente: str, senha: str, motivo: str
    ) -> None:
        """A senha gerada para o técnico (cadastro ou "esqueceu a senha")."""
        corpo = (
            f"Prezado(a) {nome},\n\n"
            f"{motivo}\n\n"
            f"  {ROTULO_CPF}{formatar(cpf)}\n"
            f"  {ROTULO_SENHA}{senha}\n\n"
            f"Ente: {ente}\n\n"
            "Use estes dados no transmissor (SIOPSNET) para enviar as declarações. Guarde a "
            'senha com cuidado; se a esquecer, use "Esqueceu a senha" e uma nova será enviada '
            "para este e-mail.\n\n"
            "Esta mensagem foi gerada automaticamente pelo servidor do SIOPS; não a responda.\n"
        )
        self.enviar(para, "SIOPS — sua senha de acesso para transmissão", corpo)


# --- a pasta do correio -----------------------------------------------------------------------


def gravar_eml(pasta: Path, msg: Message) -> Path:
    """Grava ``msg`` em ``pasta`` como ``<instante>-<acaso>.eml``, atomicamente.

    Quem lê a pasta nunca vê uma mensagem pela metade: os bytes vão para um arquivo oculto
    (``.…tmp``), que recebe ``fsync`` e então é renomeado; o nome começa pelo instante em
    nanossegundos, de modo que a ordem dos nomes é a ordem de chegada. O arquivo é só do dono
    do processo (0600): as mensagens levam senhas.
    """
    pasta = Path(pasta)
    pasta.mkdir(parents=True, exist_ok=True)
    nome = f"{time.time_ns():020d}-{secrets.token_hex(4)}{EXTENSAO}"
    temporario = pasta / f".{nome}.tmp"
    dados = msg.as_bytes(policy=email.policy.SMTP)
    fd = os.open(temporario, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as arq:
            arq.write(dados)
            arq.flush()
            os.fsync(arq.fileno())
        destino = pasta / nome
        os.replace(temporario, destino)
    except BaseException:
        temporario.unlink(missing_ok=True)
        raise
    try:  # o nome novo também precisa chegar ao disco
        dir_fd = os.open(pasta, os.O_RDONLY)
    except OSError:
        return destino
    try:
        os.fsync(dir_fd)
    except OSError:
        pass
    finally:
        os.close(dir_fd)
    return destino


def mensagens_da_pasta(pasta: Path) -> list[tuple[Path, EmailMessage]]:
    """As mensagens completas de ``pasta``, na ordem de chegada (os temporários não contam)."""
    pasta = Path(pasta)
    if not pasta.is_dir():
        return []
    arquivos = sorted(
        p for p in pasta.iterdir() if p.suffix == EXTENSAO and not p.name.startswith(".")
    )
    saida = []
    for p in arquivos:
        msg = email.message_from_bytes(p.read_bytes(), policy=email.policy.default)
        saida.append((p, msg))  # a política ``default`` dá EmailMessage
    return saida


def texto_da_mensagem(msg: Message) -> str:
    """O corpo de texto de uma mensagem (qualquer política do pacote ``email``)."""
    parte: Message | None = msg
    if isinstance(msg, EmailMessage):
        parte = msg.get_body(("plain",))
    if parte is None:
        return ""
    dados = parte.get_payload(decode=True)
    if not isinstance(dados, bytes):
        return ""
    return dados.decode(parte.get_content_charset() or "utf-8", "replace")


def senha_da_mensagem(corpo: str) -> tuple[str, str] | None:
    """``(cpf com 11 dígitos, senha)`` de uma mensagem de senha; ``None`` para as demais."""
    cpf, senha = _CPF.search(corpo), _SENHA.search(corpo)
    if cpf is None or senha is None:
        return None
    return re.sub(r"\D", "", cpf.group(1)), senha.group(1)
