"""Property tests of the model: totals always equal the sum of their parts; an edit and its
inverse restore the declaration exactly; incremental recomputation equals a full one."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siops.forms.catalogo import SomaLinhas, catalogo
from siops.forms.declaracao import Declaracao, DefinirCelula, Lote

CAT = catalogo("municipal", 2025)
EDITAVEIS = sorted(k for k in CAT.editaveis if k not in CAT.somente_6o)

valores = st.decimals(
    min_value=0,
    max_value=Decimal("999999999999.99"),
    places=2,
    allow_nan=False,
    allow_infinity=False,
)
edicoes = st.lists(st.tuples(st.sampled_from(EDITAVEIS), valores), min_size=1, max_size=25)


def checar_totais(d: Declaracao) -> None:
    for t, linha in CAT.iter_linhas():
        if not isinstance(linha.regra, SomaLinhas):
            continue
        for c in t.colunas_da_linha(linha):
            if CAT.tabela(t.id).coluna(c.id).formula is not None and linha.regra is None:
                continue
            esperado = Decimal("0.00")
            for sinal, ref in linha.regra.termos:
                tt, ll = ref.split(":") if ":" in ref else (t.id, ref)
                v = d.valor((tt, ll, c.id))
                esperado = esperado + v if sinal > 0 else esperado - v
            assert d.valor((t.id, linha.id, c.id)) == esperado, (t.id, linha.id, c.id)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edicoes, st.data())
def test_totais_e_inversos(municipio_fixo, eds, data):
    d = Declaracao(municipio_fixo, 2025, 3)
    pilha = []
    estados = [d.estado()]
    for k, v in eds:
        pilha.append(d.aplicar(DefinirCelula(k, v)))
        estados.append(d.estado())
        checar_totais(d)
    # undo a random number of steps, checking each restores the previous state exactly
    n = data.draw(st.integers(0, len(pilha)))
    for _ in range(n):
        d.aplicar(pilha.pop())
        estados.pop()
        assert d.estado() == estados[-1]
        checar_totais(d)
    # incremental equals full recomputation
    incremental = d.estado()
    d.recalcular_tudo()
    assert d.estado() == incremental


@settings(max_examples=30, deadline=None)
@given(edicoes)
def test_lote_e_seu_inverso(municipio_fixo, eds):
    d = Declaracao(municipio_fixo, 2025, 6)
    antes = d.estado()
    lote = Lote(tuple(DefinirCelula(k, v) for k, v in eds))
    inverso = d.aplicar(lote)
    checar_totais(d)
    d.aplicar(inverso)
    assert d.estado() == antes
