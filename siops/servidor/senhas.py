"""Senhas (argon2id) e tokens de sessão.

A senha do técnico é gerada pelo servidor (nunca escolhida por quem cadastra) e guardada só
como hash argon2id; o token de sessão é aleatório e guardado só como SHA-256, de modo que o
banco roubado não dá acesso a ninguém.
"""

from __future__ import annotations

import hashlib
import secrets

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# Sem caracteres que se confundem ao ler um e-mail (0/O, 1/l/I).
_ALFABETO = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789"
TAMANHO_SENHA = 16

_HASHER = PasswordHasher()  # argon2id, parâmetros recomendados pela biblioteca (RFC 9106)
_HASH_FALSO = _HASHER.hash("senha que ninguém tem")


def gerar_senha() -> str:
    """Uma senha aleatória de 16 caracteres (cerca de 93 bits)."""
    return "".join(secrets.choice(_ALFABETO) for _ in range(TAMANHO_SENHA))


def hash_senha(senha: str) -> str:
    """O hash argon2id da senha."""
    return _HASHER.hash(senha)


def confere(senha: str, hash_guardado: str | None) -> bool:
    """Se a senha confere. Sem hash, verifica contra um hash falso para gastar o mesmo tempo."""
    try:
        return _HASHER.verify(hash_guardado or _HASH_FALSO, senha) and hash_guardado is not None
    except (VerificationError, InvalidHashError):
        return False


def gerar_token() -> str:
    """Um token de sessão (43 caracteres URL-safe)."""
    return secrets.token_urlsafe(32)


def hash_token(token: str) -> str:
    """Como o token é guardado."""
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
