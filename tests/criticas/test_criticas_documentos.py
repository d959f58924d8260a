"""Format checks of the text fields, against published/hand-worked examples."""

from __future__ import annotations

import pytest

from siops.criticas.documentos import (
    motivo_cnpj,
    motivo_cpf,
    motivo_data,
    motivo_email,
    motivo_inteiro,
    motivo_sim_nao,
    motivo_telefone,
)


@pytest.mark.parametrize(
    "cpf", ["529.982.247-25", "52998224725", "111.444.777-35", "123.456.789-09", "987.654.321-00"]
)
def test_cpf_valido(cpf):
    assert motivo_cpf(cpf) is None


@pytest.mark.parametrize(
    "cpf,motivo",
    [
        ("529.982.247-24", "os dígitos verificadores não conferem"),
        ("123.456.789-00", "os dígitos verificadores não conferem"),
        ("111.111.111-11", "todos os dígitos são iguais"),
        ("1234567890", "um CPF tem 11 dígitos, e foram informados 10"),
        ("529.982.247-2X", "um CPF tem só números (pontos e hífen são opcionais)"),
    ],
)
def test_cpf_invalido(cpf, motivo):
    assert motivo_cpf(cpf) == motivo


@pytest.mark.parametrize("cnpj", ["11.222.333/0001-81", "11222333000181", "00.000.000/0001-91"])
def test_cnpj_valido(cnpj):
    assert motivo_cnpj(cnpj) is None


@pytest.mark.parametrize(
    "cnpj,motivo",
    [
        ("11.222.333/0001-80", "os dígitos verificadores não conferem"),
        ("00.000.000/0000-00", "todos os dígitos são iguais"),
        ("11.222.333/0001", "um CNPJ tem 14 dígitos, e foram informados 12"),
    ],
)
def test_cnpj_invalido(cnpj, motivo):
    assert motivo_cnpj(cnpj) == motivo


def test_outros_formatos():
    assert motivo_email("saude@prefeitura.sp.gov.br") is None
    assert motivo_email("saude@prefeitura") is not None
    assert motivo_email("sa ude@x.com") is not None
    assert motivo_telefone("(61) 3315-2425") is None
    assert motivo_telefone("+55 61 99999-0000") is None
    assert motivo_telefone("3315-2425") is not None  # without DDD
    assert motivo_data("29/02/2024") is None
    assert motivo_data("29/02/2023") == "essa data não existe"
    assert motivo_data("2024-02-29") == "informe a data no formato dd/mm/aaaa"
    assert motivo_inteiro("12.325.232") is None and motivo_inteiro("12325232") is None
    assert motivo_inteiro("12,5") is not None
    assert motivo_sim_nao("Não") is None and motivo_sim_nao("s") is None
    assert motivo_sim_nao("talvez") == "responda Sim ou Não"
