"""Fixtures dos testes do servidor.

O servidor real, o SMTP de teste e a PKI (``servidor``, ``outro_servidor``, ``fabrica_servidor``,
``smtp``, ``pki``) vêm do apoio comum dos testes (``tests/apoio``, registrado em
``tests/conftest.py``); aqui ficam só as fábricas de declarações e documentos destes testes.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal

import pytest
from apoio.servidor import EXERCICIO, documento


def declaracao(
    ente: str, exercicio: int = EXERCICIO, bimestre: int = 1, semente: int = 1, ajuste: int = 0
) -> bytes:
    """O .OPS (sem assinatura) de uma declaração cheia e coerente; ``ajuste`` muda um valor
    (centavos) para dar conteúdos distintos."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.entes import ente as buscar
    from siops.forms.gerador import declaracao_cheia

    d = declaracao_cheia(buscar(ente), exercicio, bimestre, semente)
    if ajuste:
        chave = _celula_livre(d)
        d.aplicar(DefinirCelula(chave, d.valor(chave) + Decimal(ajuste) / 100))
    return ops_format.para_bytes(d)


def _celula_livre(d):
    """Uma célula de receita digitável que nenhuma crítica compara (previsão inicial)."""
    for chave, _ in d.celulas_digitadas():
        if chave[2] == "previsao_inicial":
            return chave
    raise AssertionError("sem célula de previsão inicial")


@pytest.fixture(scope="session")
def decl():
    """A fábrica de declarações (ver ``declaracao``)."""
    return declaracao


@pytest.fixture(scope="session")
def doc():
    """A fábrica de documentos de pedido (ver ``apoio.servidor.documento``)."""
    return documento


def gerar_corpos(tec, ente_codigo: str, n: int, passo: int = 1) -> list[bytes]:
    """``n`` declarações assinadas, todas diferentes (bimestres 1 a 5, ``passo`` reais a mais
    a cada uma)."""
    from siops import ops_format
    from siops.assinatura.xmldsig import assinar
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    base = {b: declaracao_cheia(ente(ente_codigo), EXERCICIO, b, b) for b in range(1, 6)}
    chave = {b: _celula_livre(d) for b, d in base.items()}
    assinador = tec.assinador()
    corpos = []
    for i in range(n):
        b = i % 5 + 1
        d = base[b]
        d.aplicar(DefinirCelula(chave[b], d.valor(chave[b]) + passo))
        corpos.append(assinar(ops_format.para_bytes(d), assinador))
    assert len({hashlib.sha256(c).digest() for c in corpos}) == n
    return corpos


@pytest.fixture(scope="session")
def corpos_distintos():
    """A fábrica de declarações assinadas distintas (ver ``gerar_corpos``)."""
    return gerar_corpos
