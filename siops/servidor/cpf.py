"""CPF: normalização, dígitos verificadores e apresentação."""

from __future__ import annotations

import re


def normalizar(texto: str) -> str:
    """Só os dígitos (``"123.456.789-09"`` → ``"12345678909"``)."""
    return re.sub(r"\D", "", texto or "")


def valido(cpf: str) -> bool:
    """Se ``cpf`` (11 dígitos) tem os dois dígitos verificadores certos (módulo 11)."""
    if not re.fullmatch(r"[0-9]{11}", cpf) or cpf == cpf[0] * 11:
        return False
    for n in (9, 10):
        soma = sum(int(cpf[i]) * (n + 1 - i) for i in range(n))
        dv = (soma * 10) % 11 % 10
        if dv != int(cpf[n]):
            return False
    return True


def formatar(cpf: str) -> str:
    """``123.456.789-09`` (o texto como veio, se não tiver 11 dígitos)."""
    if len(cpf) != 11:
        return cpf
    return f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"


def mascarar(cpf: str) -> str:
    """``***.456.789-**``: o CPF que um texto anônimo pode mostrar (a máscara da LGPD usada
    pelo governo federal; os três primeiros e os dois últimos dígitos escondidos)."""
    if len(cpf) != 11:
        return "***"
    return f"***.{cpf[3:6]}.{cpf[6:9]}-**"
