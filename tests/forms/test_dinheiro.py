"""Brazilian number entry and display."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from siops.forms.dinheiro import (
    ValorInvalido,
    apresentar_percentual,
    arredondar_percentual,
    formatar,
    formatar_reais,
    parse_plano,
    parse_valor,
)


@pytest.mark.parametrize(
    ("texto", "esperado"),
    [
        ("1.234,56", "1234.56"),
        ("1234,5", "1234.50"),
        ("1234,56", "1234.56"),
        ("1.234.567,89", "1234567.89"),
        ("R$ 1.234,56", "1234.56"),
        ("1234.56", "1234.56"),
        ("1.234.567", "1234567.00"),
        ("1.200", "1200.00"),
        ("1.20", "1.20"),
        ("", "0.00"),
        ("-10,00", "-10.00"),
        ("0,1", "0.10"),
        ("12,", "12.00"),
    ],
)
def test_parse_valor(texto, esperado):
    assert parse_valor(texto) == D(esperado)


@pytest.mark.parametrize(
    ("texto", "trecho"),
    [
        ("12a", "não"),
        ("1,234,56", "formato"),
        ("1,234", "duas casas"),
        ("1.0011", "duas casas"),
        ("1e5", "não é um número"),
        ("NaN", "não é um número"),
        ("100000000000000000000", "grande demais"),
    ],
)
def test_parse_valor_invalido(texto, trecho):
    with pytest.raises(ValorInvalido, match=trecho):
        parse_valor(texto)


def test_parse_plano_e_estrito():
    assert parse_plano("-1234.50") == D("-1234.50")
    for ruim in ("1.234,56", "1,5", " 12 a", "Infinity"):
        with pytest.raises(ValorInvalido):
            parse_plano(ruim)


def test_formatar():
    assert formatar(D("1234567.8")) == "1.234.567,80"
    assert formatar(D("-0.5")) == "-0,50"
    assert formatar(D("999999999999999.99")) == "999.999.999.999.999,99"
    assert formatar_reais(D("1200")) == "R$ 1.200,00"


def test_percentual_trunca_como_o_siops():
    # DOMAIN §7: 17,4671% → 17,46 and 19,756% → 19,75 (truncated); other columns round.
    assert apresentar_percentual(D("17.4671")) == "17,46"
    assert apresentar_percentual(D("19.756")) == "19,75"
    assert arredondar_percentual(D("50.9769")) == "50,98"
