"""Money and percentages the Brazilian way: parse, quantize and format.

Money is ``Decimal`` quantized to centavos everywhere (never a float). The user types
``1.234,56`` or ``1234,5``; files and the CSV interchange carry plain decimal text with a dot
(``1234.56``). Every module that shows or reads a value calls these functions, so there is a
single formatter for ``R$`` values in the program.
"""

from __future__ import annotations

import re
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal, InvalidOperation

CENTAVO = Decimal("0.01")
ZERO = Decimal("0.00")
#: Internal precision of computed percentages (presentation truncates to two places).
PRECISAO_PERCENTUAL = Decimal("0.000001")
#: Largest absolute value accepted in a cell: 15 integer digits (hundreds of trillions).
LIMITE_VALOR = Decimal("999999999999999.99")


class ValorInvalido(ValueError):
    """A value the user or a file gave that is not an amount of money; message in Portuguese."""


def quantizar(valor: Decimal) -> Decimal:
    """Round to centavos, half-up (the rounding of Brazilian public accounting)."""
    return valor.quantize(CENTAVO, rounding=ROUND_HALF_UP)


_BR = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d*)?$")
_PLANO = re.compile(r"^[+-]?\d+(\.\d+)?$")
_CENTAVOS = re.compile(r"^-?\d{1,15}\.\d\d$")


def _checar(d: Decimal, texto: str) -> Decimal:
    if not d.is_finite():
        raise ValorInvalido(f"O valor '{texto}' não é um número.")
    expoente = d.as_tuple().exponent  # an int once finite ('n', 'N', 'F' mark NaN and infinity)
    if isinstance(expoente, int) and expoente < -2 and d != d.quantize(CENTAVO):
        raise ValorInvalido(
            f"O valor '{texto}' tem mais de duas casas decimais; informe reais e centavos."
        )
    if abs(d) > LIMITE_VALOR:
        raise ValorInvalido(
            f"O valor '{texto}' é grande demais (o máximo é 999.999.999.999.999,99)."
        )
    return d.quantize(CENTAVO)


def parse_valor(texto: str) -> Decimal:
    """Parse an amount typed by a person or read from a CSV.

    With a comma it is Brazilian (``1.234.567,89``, ``1234,5``; dots are thousands separators);
    dots each followed by exactly three digits and no comma are thousands too (``1.200`` is mil
    e duzentos); otherwise, without a comma, it is plain decimal text with a dot
    (``1234567.89``, ``1.5``), as our files write it.
    An optional ``R$`` and spaces are ignored; an empty text is zero. Raises ``ValorInvalido``.
    """
    bruto = texto
    t = texto.strip().replace("R$", "").replace("\u00a0", "").replace(" ", "")
    if t == "":
        return ZERO
    if "," not in t and re.match(r"^[+-]?\d{1,3}(\.\d{3})+$", t):
        # "1.200" / "1.234.567": thousands dots without a comma are a Brazilian integer amount
        # (a spreadsheet copies it so; our files always write two decimals, "1200.00").
        t = t.replace(".", "")
    if "," in t:
        if not _BR.match(t):
            raise ValorInvalido(f"O valor '{bruto.strip()}' não está no formato 1.234,56.")
        t = t.replace(".", "").replace(",", ".")
        if t.endswith("."):
            t += "0"
    elif not _PLANO.match(t):
        raise ValorInvalido(f"O valor '{bruto.strip()}' não é um número.")
    try:
        d = Decimal(t)
    except InvalidOperation as exc:  # pragma: no cover - guarded by the regexes
        raise ValorInvalido(f"O valor '{bruto.strip()}' não é um número.") from exc
    return _checar(d, bruto.strip())


def parse_plano(texto: str) -> Decimal:
    """Parse the plain decimal text our files store (``-1234.5``); strict, no thousands."""
    t = texto.strip()
    if _CENTAVOS.match(t):  # the common case in our files: "1234.56", at most 15 digits
        return Decimal(t)
    if not _PLANO.match(t):
        raise ValorInvalido(f"O valor '{texto}' não é um número decimal simples (ex.: 1234.56).")
    return _checar(Decimal(t), t)


def texto_plano(valor: Decimal) -> str:
    """The plain decimal text stored in files: ``1234.50``."""
    return f"{quantizar(valor):f}"


def formatar(valor: Decimal, casas: int = 2) -> str:
    """``Decimal('1234567.8')`` → ``'1.234.567,80'`` (negative with a leading minus)."""
    q = Decimal(1).scaleb(-casas)
    v = valor.quantize(q, rounding=ROUND_HALF_UP)
    s = f"{abs(v):,.{casas}f}"  # 1,234,567.80
    s = s.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    return ("-" if v < 0 else "") + s


def formatar_reais(valor: Decimal) -> str:
    """``R$ 1.234,56`` — the form used inside messages."""
    return "R$ " + formatar(valor)


def apresentar_percentual(percentual: Decimal) -> str:
    """THE presentation rule of percentages (DOMAIN §7): two decimals, truncated as SIOPS does.

    SIOPS-generated tables print 17,4671% as 17,46 and 19,756% as 19,75. Keep this the only
    place that decides it; a change of rule is a change here.
    """
    v = percentual.quantize(CENTAVO, rounding=ROUND_DOWN)
    return formatar(v)


def arredondar_percentual(percentual: Decimal) -> str:
    """Percent columns of the other blocks ((b/a)×100 etc.) are rounded half-up to two places."""
    return formatar(percentual)


def percentual(numerador: Decimal, denominador: Decimal) -> Decimal | None:
    """``numerador / denominador × 100`` truncated to six decimals (never rounded up past the
    minimum: 14,9999997% must not read as 15%); ``None`` when the denominator is 0."""
    if denominador == 0:
        return None
    return (numerador * 100 / denominador).quantize(PRECISAO_PERCENTUAL, rounding=ROUND_DOWN)
