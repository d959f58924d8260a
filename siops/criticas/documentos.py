"""Checks of the text fields' formats: CPF, CNPJ, e-mail, telephone, date, integer, Sim/Não.

Each check returns None when the text is acceptable, or the reason (a Portuguese clause that
completes "… é inválido: <motivo>") when it is not. Empty texts are not checked here: whether a
field is required is the catalog's ``CampoTexto.obrigatorio``, checked by its own rule.
"""

from __future__ import annotations

import datetime as dt
import re


def so_digitos(texto: str) -> str:
    """The digits of a text ('123.456.789-09' → '12345678909')."""
    return "".join(c for c in texto if c.isdigit())


def _dv_mod11(digitos: str, pesos: list[int]) -> int:
    resto = sum(int(d) * p for d, p in zip(digitos, pesos, strict=True)) % 11
    return 0 if resto < 2 else 11 - resto


def motivo_cpf(texto: str) -> str | None:
    """CPF: 11 digits, two mod-11 check digits (Receita Federal; DOMAIN §8)."""
    if re.search(r"[^\d.\-\s/]", texto):
        return "um CPF tem só números (pontos e hífen são opcionais)"
    d = so_digitos(texto)
    if len(d) != 11:
        return f"um CPF tem 11 dígitos, e foram informados {len(d)}"
    if d == d[0] * 11:
        return "todos os dígitos são iguais"
    dv1 = _dv_mod11(d[:9], list(range(10, 1, -1)))
    dv2 = _dv_mod11(d[:9] + str(dv1), list(range(11, 1, -1)))
    if d[9:] != f"{dv1}{dv2}":
        return "os dígitos verificadores não conferem"
    return None


def motivo_cnpj(texto: str) -> str | None:
    """CNPJ: 14 digits, two mod-11 check digits with weights 5…2,9…2 and 6…2,9…2."""
    if re.search(r"[^\d.\-\s/]", texto):
        return "um CNPJ tem só números (pontos, barra e hífen são opcionais)"
    d = so_digitos(texto)
    if len(d) != 14:
        return f"um CNPJ tem 14 dígitos, e foram informados {len(d)}"
    if d == d[0] * 14:
        return "todos os dígitos são iguais"
    pesos1 = [5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2]
    dv1 = _dv_mod11(d[:12], pesos1)
    dv2 = _dv_mod11(d[:12] + str(dv1), [6, *pesos1])
    if d[12:] != f"{dv1}{dv2}":
        return "os dígitos verificadores não conferem"
    return None


_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def motivo_email(texto: str) -> str | None:
    """E-mail: something@domain.tld, without spaces."""
    if not _EMAIL.match(texto.strip()):
        return "informe um endereço no formato nome@dominio.gov.br"
    return None


def motivo_telefone(texto: str) -> str | None:
    """Telephone with DDD: 10 or 11 digits (optionally preceded by 55 or a leading 0)."""
    if re.search(r"[^\d()\-\s+.]", texto):
        return "um telefone tem só números, com o DDD (ex.: (61) 3315-2425)"
    d = so_digitos(texto)
    if d.startswith("55") and len(d) in (12, 13):
        d = d[2:]
    elif d.startswith("0") and len(d) in (11, 12):
        d = d[1:]
    if len(d) not in (10, 11):
        return "informe o número com o DDD, 10 ou 11 dígitos (ex.: (61) 3315-2425)"
    return None


def motivo_data(texto: str) -> str | None:
    """Date as dd/mm/aaaa (a real calendar date between 1900 and 2100)."""
    m = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*", texto)
    if not m:
        return "informe a data no formato dd/mm/aaaa"
    dia, mes, ano = (int(x) for x in m.groups())
    try:
        dt.date(ano, mes, dia)
    except ValueError:
        return "essa data não existe"
    if not 1900 <= ano <= 2100:
        return "o ano deve estar entre 1900 e 2100"
    return None


def motivo_inteiro(texto: str) -> str | None:
    """A whole number, optionally with thousands dots ('12.325.232')."""
    if not re.fullmatch(r"\s*(\d{1,3}(\.\d{3})+|\d+)\s*", texto):
        return "informe um número inteiro, sem vírgula (ex.: 12.325.232)"
    return None


def motivo_sim_nao(texto: str) -> str | None:
    """'Sim' or 'Não' (also 'S'/'N', 'nao', any case)."""
    if texto.strip().lower() not in ("sim", "não", "nao", "s", "n"):
        return "responda Sim ou Não"
    return None


#: The check of each ``CampoTexto.tipo`` that has one (percentual is forms' own rule).
MOTIVOS = {
    "cpf": motivo_cpf,
    "cnpj": motivo_cnpj,
    "email": motivo_email,
    "telefone": motivo_telefone,
    "data": motivo_data,
    "inteiro": motivo_inteiro,
    "sim_nao": motivo_sim_nao,
}
