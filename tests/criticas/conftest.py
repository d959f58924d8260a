"""Fixtures of the críticas tests: a *clean* declaration (no finding at all) to start from, and
helpers to edit it.

The clean declaration fills every required text field with valid data and declares a small,
consistent execution: R$ 1.000.000,00 of base revenue; R$ 200.000,00 empenhados and
liquidados, R$ 150.000,00 pagos in one ASPS line of the ledger (planilha 4, subfunção 301,
natureza 3.3.90.00: 20% applied, above the 15%/12% minimum, below 35%); the recursos próprios
fonte and the elemento "demais" are computed from it, so every total agrees by construction.
The revenue is also in the receitas totais (impostos e taxas or transferências correntes, as
the base row is a tax or a transfer: crítica 211–213). A state deducts its municipal share
(25% of the ICMS principal: R$ 250.000,00, so its base is R$ 750.000,00 and it applies
26,67%); in the 6º bimestre the current year's restos a pagar inscritos are (d) − (f) =
R$ 50.000,00 (crítica 721). Each rule's test changes one thing in it.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
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

COLUNAS_RECEITA = ("previsao_inicial", "previsao_atualizada", "realizada")
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
    t = d.catalogo.tabela("receitas_base")
    for linha in t.linhas:  # the states' deductions: the constitutional share of the base row
        base = linha.base_deducao
        if base is not None and rb in base[0]:
            for c in COLUNAS_RECEITA:
                definir(d, ("receitas_base", linha.id, c), BASE * base[1] / 100)
    total = "transf_uniao_correntes" if rb == "fpm" else "impostos_taxas"
    for c in COLUNAS_RECEITA:
        definir(d, ("receitas_totais", total, c), BASE)
    if bimestre == 6:
        definir(d, ("rp_execucao", "empenhos_ano", "inscrito"), EMPENHADA - PAGA)
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


@pytest.fixture
def pastas(tmp_path, monkeypatch):
    """Folders of a test that records a transmission copy (the gate of issue 20.3): the
    MS-SIOPS root, the client's data (the reference cache) and the Transmissor's settings,
    whose server is a port where nothing listens until ``servidor(url)`` points it elsewhere
    (the gate asks the configured server for the reference and must never reach a real one)."""
    from apoio.servidor import porta_livre

    raiz, cliente, transmissor = (tmp_path / n for n in ("MS-SIOPS", "cliente", "transmissor"))
    transmissor.mkdir()
    monkeypatch.setenv("SIOPS_HOME", str(raiz))
    monkeypatch.setenv("SIOPS_DADOS", str(cliente))
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(transmissor))

    def servidor(url: str) -> None:
        (transmissor / "configuracoes.json").write_text(
            json.dumps({"servidor": url}), encoding="utf-8"
        )

    servidor(f"http://127.0.0.1:{porta_livre()}")
    cache = cliente / "referencia"
    return SimpleNamespace(raiz=raiz, cliente=cliente, cache=cache, servidor=servidor)


def caminho_da_declaracao(d: Declaracao) -> Path:
    """The standard path of a declaration under the ``pastas`` root."""
    from siops.ops_format.caminhos import caminho_padrao

    return caminho_padrao(d.ente, d.exercicio, d.bimestre)
