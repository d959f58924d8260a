"""Facts about a catalog that several rules need, computed from the catalog itself.

* which cells enter the computation of the minimum (the base (III)/(IV) and the numerator,
  the valor aplicado (XVI)): found by walking the formulas backwards from those cells, so a
  rule on such a cell is a crítica impeditiva ("erros de preenchimento que influenciem no
  cálculo do percentual mínimo impedirão a transmissão" — FAQ, Críticas e Avisos);
* the DOMAIN §6 group of each pasta;
* the rows the user types (derived rows are consistent when their parts are).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

from siops.criticas.motor import Entrada, Regra, Verificacao
from siops.forms import catalogo
from siops.forms.dinheiro import formatar_reais
from siops.forms.formulas import Chave

if TYPE_CHECKING:
    from siops.forms.catalogo import Catalogo, Linha, Tabela

#: (III) realizada — the base of the minimum, and the apuração table (catalog constants).
BASE: Chave = catalogo.BASE
APURACAO = catalogo.APURACAO

#: DOMAIN §6: the group of the críticas of each pasta (the FAQ's "Grupo 100 … 900").
GRUPO_DA_PASTA = {
    "dados_gerais": 100,
    "receitas": 200,
    "despesas": 500,
    "apuracao": 600,
    "fonte_rp": 700,
    "informacoes_adicionais": 800,
    "blocos": 900,
}

reais = formatar_reais

_MINIMO: dict[tuple[str, int, str], tuple[Catalogo, frozenset[Chave]]] = {}


def celulas_do_minimo(cat: Catalogo) -> frozenset[Chave]:
    """Every key the base or the valor aplicado (any column) depends on, transitively."""
    chave = (cat.esfera, cat.exercicio, cat.versao)
    guardado = _MINIMO.get(chave)
    if guardado is not None and guardado[0] is cat:
        return guardado[1]
    alvos: list[Chave] = [BASE]
    if APURACAO in cat.tabelas:
        ap = cat.tabela(APURACAO)
        alvos += [(APURACAO, catalogo.VALOR_APLICADO, c.id) for c in ap.colunas]
    vistos: set[Chave] = set()
    pilha = [a for a in alvos if cat.existe(a)]
    while pilha:
        k = pilha.pop()
        if k in vistos:
            continue
        vistos.add(k)
        f = cat.formulas.get(k)
        if f is not None:
            pilha.extend(f.deps())
    out = frozenset(vistos)
    _MINIMO[chave] = (cat, out)
    return out


def afeta_minimo(cat: Catalogo, *chaves: Chave) -> bool:
    """Whether any of the cells enters the base or the numerator of the minimum."""
    m = celulas_do_minimo(cat)
    return any(k in m for k in chaves)


def grupo_da_tabela(cat: Catalogo, tid: str) -> int | None:
    """The DOMAIN §6 group of a table, by its pasta (None for a pasta without críticas)."""
    try:
        return GRUPO_DA_PASTA.get(cat.pasta_da_tabela(tid).id)
    except KeyError:
        return None


def digitada(cat: Catalogo, chave: Chave) -> bool:
    """An input cell of the Anexo 12: typed by the user (in some bimestre), or a leaf of the
    Anexo 12 fed by the ledger (``forms.razao``). The ledger's other views (fonte, elemento)
    repeat the same money and are left out, so one problem gives one finding."""
    if chave in cat.editaveis:
        return True
    return chave in cat.agregadas and cat.tabelas[chave[0]].anexo12


def linhas_digitadas(cat: Catalogo, tabela: Tabela) -> Iterator[Linha]:
    """The rows of a table with at least one typed cell."""
    for linha in tabela.linhas:
        if any(digitada(cat, (tabela.id, linha.id, c.id)) for c in tabela.colunas_da_linha(linha)):
            yield linha


def tem_colunas(tabela: Tabela, *ids: str) -> bool:
    """Whether the table has all these columns."""
    existentes = {c.id for c in tabela.colunas}
    return all(i in existentes for i in ids)


def coluna_da_linha(tabela: Tabela, linha: Linha, coluna: str) -> bool:
    """Whether the row has a cell in that column."""
    return linha.colunas is None or coluna in linha.colunas


def titulo_coluna(cat: Catalogo, chave: Chave) -> str:
    """The column's title, as the catalog names it."""
    return cat.tabela(chave[0]).coluna(chave[2]).titulo


def diferenca(a: Decimal, b: Decimal) -> str:
    """``R$ x`` of the absolute difference (for "diferença de R$ …")."""
    return reais(abs(a - b))


def comparacao(
    regra: Regra,
    ka: Chave,
    kb: Chave,
    relacao: str,
    frase: Callable[[Decimal, Decimal], str],
) -> Verificacao:
    """An instance that fires when ``valor(ka) relacao valor(kb)`` ("!=" or ">"), at ``ka``.

    ``frase(a, b)`` builds the message from the two values (only when the rule fires).
    """
    if relacao not in ("!=", ">"):
        raise ValueError(relacao)
    diferente = relacao == "!="

    def checar(e: Entrada) -> str | None:
        a, b = e.d.valor(ka), e.d.valor(kb)
        if (a != b) if diferente else (a > b):
            return frase(a, b)
        return None

    return Verificacao(regra, (ka, kb), checar, ka[0], ka[1], ka[2])


def existe(cat: Catalogo, chave: Chave) -> bool:
    """Whether the catalog has this cell."""
    return cat.existe(chave)
