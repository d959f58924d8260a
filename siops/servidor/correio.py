"""Envio de e-mail (SMTP) com a senha do técnico.

O servidor SMTP é configurável (``--smtp-host``/``--smtp-porta``, TLS e usuário opcionais); os
testes usam um aiosmtpd no loopback. A mensagem é em português e diz o que fazer.
"""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from siops.servidor.config import Config
from siops.servidor.cpf import formatar


class FalhaEmail(RuntimeError):
    """O e-mail não pôde ser entregue ao servidor SMTP."""


class Correio:
    """Envia as mensagens do servidor pelo SMTP configurado."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def enviar(self, para: str, assunto: str, corpo: str) -> None:
        """Entrega uma mensagem de texto; ``FalhaEmail`` se o SMTP recusar ou não responder."""
        msg = EmailMessage()
        msg["From"] = self.cfg.smtp_remetente
        msg["To"] = para
        msg["Subject"] = assunto
        msg.set_content(corpo)
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
            f"  CPF (usuário): {formatar(cpf)}\n"
            f"  Senha: {senha}\n\n"
            f"Ente: {ente}\n\n"
            "Use estes dados no transmissor (SIOPSNET) para enviar as declarações. Guarde a "
            'senha com cuidado; se a esquecer, use "Esqueceu a senha" e uma nova será enviada '
            "para este e-mail.\n\n"
            "Esta mensagem foi gerada automaticamente pelo servidor do SIOPS; não a responda.\n"
        )
        self.enviar(para, "SIOPS — sua senha de acesso para transmissão", corpo)
