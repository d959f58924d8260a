"""The incremental ``Verificador`` gives exactly the findings of a full ``verificar``, after any
sequence of edits, undos and pastes (property test); and every rule instance reads only the
keys it declares (otherwise the incremental pass could miss a change)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from siops.criticas import ReferenciaFNS, Verificador, verificar
from siops.criticas.motor import Entrada, plano
from siops.forms.catalogo import catalogo
from siops.forms.declaracao import DefinirCelula, DefinirTexto, Lote
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia

BIMESTRE = 6
ENTES = ("M355030", "E35", "E53")  # one per esfera
TEXTOS = (
    "",
    "529.982.247-25",
    "111.444.777-35",
    "123.456.789-00",
    "11.222.333/0001-81",
    "quinze",
    "15,5",
    "18",
    "saude@prefeitura.sp.gov.br",
    "31/02/2020",
    "Sim",
    "talvez",
    "Maria da Silva",
)
# Small values around the clean declaration's amounts, so that comparisons flip often.
VALORES = st.one_of(
    st.sampled_from(
        [Decimal(x) for x in ("0", "0.01", "100", "1000", "150000", "200000", "250000.01")]
    ),
    st.decimals(min_value=0, max_value=Decimal("2000000"), places=2, allow_nan=False),
)


def acoes(codigo: str):
    """Random edits of the typed cells and text fields of an ente's catalog."""
    cat = catalogo(ente(codigo).esfera, 2025)
    celulas = sorted(k for k in cat.editaveis if cat.editavel(k, BIMESTRE))
    celula = st.tuples(st.just("celula"), st.sampled_from(celulas), VALORES)
    texto = st.tuples(
        st.just("texto"), st.sampled_from(sorted(cat.campos)), st.sampled_from(TEXTOS)
    )
    desfazer = st.tuples(st.just("desfazer"), st.none(), st.none())
    lote = st.tuples(
        st.just("lote"),
        st.lists(st.tuples(st.sampled_from(celulas), VALORES), min_size=1, max_size=6),
        st.none(),
    )
    return st.lists(st.one_of(celula, celula, texto, desfazer, lote), min_size=1, max_size=25)


ACOES = {codigo: acoes(codigo) for codigo in ENTES}


@settings(max_examples=45, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(codigo=st.sampled_from(ENTES), data=st.data())
def test_incremental_igual_ao_completo(cx, codigo, data):
    e = ente(codigo)
    d = cx.limpa(e, BIMESTRE)
    anterior = cx.limpa(e, BIMESTRE - 1)
    cx.definir(anterior, ("despesas_asps", "s301_33", "paga"), "150000.01")
    ref = ReferenciaFNS()
    ref.definir(d.ente.codigo, d.exercicio, d.bimestre, Decimal("1000"), Decimal("500"))
    v = Verificador(d, ref, anterior=anterior)
    d.ouvir(v.atualizar)
    assert v.achados == verificar(d, ref, anterior=anterior)
    pilha = []
    for tipo, a, b in data.draw(ACOES[codigo]):
        if tipo == "celula":
            pilha.append(d.aplicar(DefinirCelula(a, b)))
        elif tipo == "texto":
            pilha.append(d.aplicar(DefinirTexto(a, b)))
        elif tipo == "lote":
            pilha.append(d.aplicar(Lote(tuple(DefinirCelula(k, x) for k, x in a))))
        elif pilha:
            d.aplicar(pilha.pop())
        assert v.achados == verificar(d, ref, anterior=anterior)
    assert v.impeditivas == sum(1 for a in v.achados if a.impeditiva)


class Espiao:
    """A declaration that records the keys a rule reads."""

    def __init__(self, d):
        self._d = d
        self.lidas: set[tuple[str, str, str]] = set()

    def valor(self, k):
        self.lidas.add(k)
        return self._d.valor(k)

    def texto(self, campo):
        self.lidas.add(("_texto", campo, ""))
        return self._d.texto(campo)

    def __getattr__(self, nome):
        if nome in ("bimestre", "ente", "exercicio", "catalogo", "coluna_apuracao"):
            return getattr(self._d, nome)
        raise AttributeError(f"uma regra leu '{nome}' da declaração sem declarar a chave")


@pytest.mark.parametrize("ente", ["municipio", "estado", "df"])
@pytest.mark.parametrize("bimestre", [3, 6])
def test_cada_instancia_le_so_o_que_declara(cx, entes, ente, bimestre):
    e = entes[ente]
    ref = ReferenciaFNS()
    ref.definir(e.codigo, 2025, bimestre, Decimal("1"), Decimal("1"))
    anterior = declaracao_cheia(e, 2025, bimestre - 1, semente=3)
    for d in (cx.limpa(e, bimestre), declaracao_cheia(e, 2025, bimestre, semente=2)):
        for inst in plano(d.catalogo, True, True).verificacoes:
            espiao = Espiao(d)
            inst.checar(Entrada(espiao, ref, anterior))
            assert espiao.lidas <= set(inst.le), (inst.regra.codigo, espiao.lidas - set(inst.le))


def test_atualizar_so_reexecuta_o_que_le_as_chaves(cx, municipio):
    d = cx.limpa(municipio)
    v = Verificador(d)
    chamadas = []
    vs = v._plano.verificacoes
    indice = v._plano.indice
    k = ("despesas_asps", "s301_33", "liquidada")
    for i in indice[k]:
        chamadas.append(vs[i].regra.codigo)
    # The rules that read one ASPS cell: negatives, order, cumulative… not the text rules.
    assert 510 in chamadas and 501 in chamadas
    assert not any(c < 200 or c >= 800 for c in chamadas)
    assert len(indice[k]) < len(vs) / 50
