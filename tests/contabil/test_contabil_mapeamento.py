"""The mapping data: every catalog id it names exists, it compiles for every esfera and era."""

from __future__ import annotations

import json

import pytest

from siops.contabil.mapeamento import (
    caminho_padrao,
    carregar,
    formatar_nd,
    formatar_nr,
    linhas_referidas,
    prefixo,
)
from siops.forms.catalogo import ESFERAS, catalogo

DADOS = json.loads(caminho_padrao().read_text(encoding="utf-8"))


@pytest.mark.parametrize("esfera", ESFERAS)
@pytest.mark.parametrize("exercicio", [2018, 2021, 2022, 2024, 2025, 2026])
def test_compila_para_toda_esfera_e_era(esfera, exercicio):
    mapa = carregar(catalogo(esfera, exercicio))
    for tabela, linha in mapa.destinos_receita() | mapa.destinos_despesa():
        assert mapa.catalogo.tabela(tabela).linha(linha).regra is None


def test_todo_id_do_mapeamento_existe_no_catalogo():
    refs = linhas_referidas(DADOS)
    assert refs
    for ref in refs:
        tabela, linha = ref.split(":")
        assert any(
            linha in {x.id for x in catalogo(e, 2025).tabela(tabela).linhas}
            for e in ESFERAS
            if tabela in catalogo(e, 2025).tabelas
        ), ref
    for regra in DADOS["receitas"]["regras"]:
        if regra.get("destino"):
            for esfera in regra.get("esferas", ESFERAS):
                tabela, linha = regra["destino"].split(":")
                catalogo(esfera, 2025).tabela(tabela).linha(linha)  # KeyError if missing


def test_exclusoes_sem_destino_tem_motivo_e_incertos_explicam():
    for regra in DADOS["receitas"]["regras"]:
        if regra.get("destino") is None:
            assert regra["motivo"]
        if "incerto" in regra:
            assert (
                "NÃO CONFIRMAD" in regra["incerto"]
                or "escolha nossa" in regra["incerto"]
                or ("não foi confirmado" in regra["incerto"])
            )
    for c in DADOS["despesas"]["computadas"]:
        assert "NÃO CONFIRMADO" in c["incerto"]


def test_prefixos_na_notacao_do_modelo():
    assert prefixo("1.1.1.2.50.0.0") == "111250"
    assert prefixo("2.4.1.1.50.0") == "241150"  # the zero of '50' is not a wildcard
    assert prefixo("1.6.3.0.00.0.0") == "163"
    assert prefixo("6.2.2.1.3.01.00") == "6221301"
    assert prefixo("3.1.90.01.00") == "319001"
    assert formatar_nr("11125001") == "1.1.1.2.50.0.1"
    assert formatar_nd("31900101") == "3.1.90.01.01"


def test_classificacoes_principais_2025():
    m = carregar(catalogo("municipal", 2025))
    assert m.receita("11125001").destino == ("receitas_base", "iptu")
    assert m.receita("17115111").destino == ("receitas_base", "fpm")
    assert m.receita("17115121").destino is None  # FPM 1%: fora da base
    assert m.receita("13210111", "1600").destino == ("receitas_adicionais", "uniao_outras")
    assert m.receita("13210111", "1635").destino == ("receitas_adicionais", "outras_receitas")
    assert m.receita("13210111", "1500").destino is None
    assert m.despesa("10301", "33903000", "1500", "1002").destino == ("despesas_asps", "s301_33")
    assert m.despesa("10301", "33903000", "2500", "1002").destino == ("despesas_asps", "s301_33")
    assert m.despesa("10301", "33903000", "1500", "").destino == (
        "despesas_nao_computadas",
        "s301_33",
    )
    assert m.despesa("10301", "31900301", "1500", "1002").destino is None  # pensões
    assert m.despesa("10301", "31900301", "1600", "").destino == (
        "despesas_nao_computadas",
        "s301_31",
    )  # o modelo só exclui inativos das computadas
    assert m.despesa("10306", "33743000", "1600", "").destino is None  # modalidade 74
    assert m.despesa("04122", "31901100", "1500", "1002") is None  # fora da função 10
    assert m.despesa("28843", "32902100", "1600", "") is None  # dívida sem recurso ASPS


def test_classificacoes_2021_e_estado():
    m = carregar(catalogo("municipal", 2021))
    assert m.receita("11180111").destino == ("receitas_base", "iptu")
    assert m.receita("17180131").destino is None
    assert m.despesa("10301", "33903000", "102", "").destino == ("despesas_asps", "s301_33")
    assert m.despesa("10301", "33903000", "114", "").destino[0] == "despesas_nao_computadas"
    e = carregar(catalogo("estadual", 2025))
    assert e.receita("11145011").destino == ("receitas_base", "icms_principal")
    assert e.receita("11145011", "", "deducao_municipios").destino == (
        "receitas_base",
        "deducao_icms",
    )
    assert "deducao_municipios" not in carregar(catalogo("municipal", 2025)).medidas
