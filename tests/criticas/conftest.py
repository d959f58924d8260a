"""Fixtures of the críticas tests: a *clean* declaration (no finding at all) to start from, and
helpers to edit it.

The clean declaration fills every required text field with valid data and declares a small,
consistent execution: R$ 1.000.000,00 of base revenue; R$ 200.000,00 empenhados and
liquidados, R$ 150.000,00 pagos in one ASPS line of the ledger (planilha 4, subfunção 301,
natureza 3.3.90.00: 20% applied, above the 15%/12% minimum, below 35%); the recursos próprios
fonte and the elemento "demais" are computed from it, so every total agrees by construction.
Each rule's test changes one thing in it.
"""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

import pytest

from siops.forms.declaracao import Declaracao, DefinirTexto

#: Valid CPFs (check digits worked out by hand) and CNPJs (published examples).
CPFS = ("529.982.247-25", "111.444.777-35", "123.456.789-09", "987.654.321-00")
CNPJ_FUNDO = "11.222.333/0001-81"
CNPJ_PREFEITURA = "00.000.000/0001-91"

BASE = Decimal("1000000.00")
EMPENHADA = Decimal("200000.00")
LIQUIDADA = Decimal("200000.00")
PAGA = Decimal("150000.00")
DOTACAO = Decimal("250000.00")

LINHA_ASPS = ("despesas_asps", "s301_33")  # Atenção Básica — Despesas Correntes — Outras
LINHA_FONTE = ("despesa_fonte", "recursos_proprios")
LINHA_ELEMENTO = ("despesa_elemento", "demais")


def linha_da_base(d: Declaracao) -> str:
    """The Cota-Parte FPM where the base has one (municípios, DF: every município receives it,
    crítica 208), else the first typed revenue row (ICMS for states)."""
    t = d.catalogo.tabela("receitas_base")
    if d.catalogo.existe(("receitas_base", "fpm", "realizada")):
        return "fpm"
    for linha in t.linhas:
        k = ("receitas_base", linha.id, "realizada")
        entrada = k in d.catalogo.editaveis or k in d.catalogo.agregadas
        if linha.regra is None and entrada and "deducao" not in linha.id:
            return linha.id
    raise AssertionError("receitas_base sem linha digitável")


def definir(d: Declaracao, chave: tuple[str, str, str], valor: str | Decimal) -> None:
    """Type a value through the model: a typed cell as the user types it; an Anexo 12 cell
    computed from the ledger through its canonical ledger line (``comando_celula``)."""
    d.aplicar(d.comando_celula(chave, Decimal(valor)))


def texto(d: Declaracao, campo: str, valor: str) -> None:
    """Type a text field through the model."""
    d.aplicar(DefinirTexto(campo, valor))


def forcar(d: Declaracao, chave: tuple[str, str, str], valor: str | Decimal) -> None:
    """Put a value the model would refuse (a negative), as a file from elsewhere could carry."""
    if chave in d.catalogo.agregadas:
        d._agregados[chave] = Decimal(valor)
    else:
        d._valores[chave] = Decimal(valor)
    d.recalcular_tudo()


def preencher_textos(d: Declaracao) -> None:
    cpfs = iter(CPFS)
    for campo in d.catalogo.campos.values():
        if not campo.obrigatorio:
            continue
        if campo.tipo == "cpf":
            valor = next(cpfs)
        elif campo.tipo == "cnpj":
            valor = CNPJ_FUNDO
        elif campo.tipo == "email":
            valor = "saude@prefeitura.sp.gov.br"
        else:
            valor = "Lei 1.234/1991" if "lei" in campo.id else "Maria da Silva"
        texto(d, campo.id, valor)
    texto(d, "instituicao_1_nome", "Prefeitura Municipal")
    texto(d, "instituicao_1_cnpj", CNPJ_PREFEITURA)


def limpa(ente, bimestre: int = 3, exercicio: int = 2025) -> Declaracao:
    """A declaration without any finding (see module docstring)."""
    d = Declaracao(ente, exercicio, bimestre)
    preencher_textos(d)
    rb = linha_da_base(d)
    definir(d, ("receitas_base", rb, "previsao_inicial"), BASE)
    definir(d, ("receitas_base", rb, "previsao_atualizada"), BASE)
    definir(d, ("receitas_base", rb, "realizada"), BASE)
    definir(d, (*LINHA_ASPS, "dotacao_inicial"), DOTACAO)
    definir(d, (*LINHA_ASPS, "dotacao_atualizada"), DOTACAO)
    definir(d, (*LINHA_ASPS, "empenhada"), EMPENHADA)
    definir(d, (*LINHA_ASPS, "liquidada"), LIQUIDADA)
    definir(d, (*LINHA_ASPS, "paga"), PAGA)
    for linha in (LINHA_FONTE, LINHA_ELEMENTO):  # computed from the ledger line
        assert d.valor((*linha, "empenhada")) == EMPENHADA
    return d


@pytest.fixture(scope="session")
def cx():
    """The helpers above, for the test modules (they cannot import this conftest); stateless,
    so session-scoped (hypothesis tests may use it)."""
    return SimpleNamespace(
        limpa=limpa,
        definir=definir,
        texto=texto,
        forcar=forcar,
        linha_da_base=linha_da_base,
        CPFS=CPFS,
        CNPJ_FUNDO=CNPJ_FUNDO,
        BASE=BASE,
        EMPENHADA=EMPENHADA,
        LIQUIDADA=LIQUIDADA,
        PAGA=PAGA,
        DOTACAO=DOTACAO,
        LINHA_ASPS=LINHA_ASPS,
        LINHA_FONTE=LINHA_FONTE,
        LINHA_ELEMENTO=LINHA_ELEMENTO,
    )


@pytest.fixture
def entes(municipio, estado, distrito_federal):
    """The three esferas' entes by name."""
    return {"municipio": municipio, "estado": estado, "df": distrito_federal}
