"""The mapping data: every catalog id it names exists, it compiles for every esfera and era."""

from __future__ import annotations

import json

import pytest

from siops.forms.catalogo import ESFERAS, catalogo
from siops.forms.mapeamento import (
    Mapeamento,
    MapeamentoInvalido,
    caminho_padrao,
    carregar,
    formatar_nd,
    formatar_nr,
    linhas_referidas,
    prefixo,
)

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


# --- the FR/CO → planilha table (the ledger's planilhas) ------------------------------------


def test_planilhas_existem_e_incertos_explicam():
    from siops.forms.razao import planilha

    assert DADOS["planilhas"]["padrao"]["planilha"] == "10"
    for r in DADOS["planilhas"]["regras"]:
        planilha(r["planilha"])  # KeyError if the code is not a planilha of the ledger
        assert r["descricao"]
        if "incerto" in r:
            assert "NÃO CONFIRMADO" in r["incerto"]


@pytest.mark.parametrize(
    ("fr", "co", "esperada"),
    [
        ("1500", "1002", "4"), ("2502", "1002", "4"), ("1500", "", "3"), ("1500", "0000", "3"),
        ("1500", "1001", "10"), ("1502", "", "10"), ("1600", "", "86"), ("2659", "", "86"),
        ("1601", "", "88"), ("1604", "", "94"), ("1605", "", "95"), ("1621", "", "6"),
        ("1631", "", "7"), ("1636", "", "7"), ("1634", "", "8"), ("1754", "", "8"),
        ("1635", "", "9"), ("1707", "", "90"), ("1540", "1070", "10"),
    ],
)  # fmt: skip
def test_planilha_pela_fr_e_co_como_o_e_cidade(fr, co, esperada):
    """e-cidade, Siops.model.php (2024), getCodPlanilha: 15000000→3, 15000002→4, 1621→6,
    1631/1632/1633/1636→7, 1634/1754→8, 1635→9, 1600/1659→86, 1601→88, 1604→94, 1605→95,
    1707 (função 10)→90, the rest→10."""
    assert carregar(catalogo("municipal", 2025)).planilha(fr, co).planilha == esperada


def test_planilhas_antes_de_2022():
    m = carregar(catalogo("municipal", 2021))
    assert m.planilha("102", "").planilha == m.planilha("202", "").planilha == "4"
    assert m.planilha("100", "").planilha == "3"
    assert m.planilha("114", "").planilha == "86"
    assert "NÃO CONFIRMADO" in m.planilha("114", "").incerto
    assert m.planilha("155", "").planilha == "6"  # e-cidade's table
    assert m.planilha("999", "").planilha == "10"


@pytest.mark.parametrize("esfera", ESFERAS)
@pytest.mark.parametrize("exercicio", [2018, 2021, 2022, 2025, 2026])
def test_planilha_4_e_so_a_computada(esfera, exercicio):
    """The planilha table and the 'computadas' criterion say the same for every FR × CO."""
    m = carregar(catalogo(esfera, exercicio))
    frs = [
        f"{g}{e}" for g in ("", "1", "2") for e in ("00", "02", "14", "500", "502", "600", "621")
    ]
    for fr in frs:
        for co in ("", "1002", "1001", "0000"):
            assert (m.planilha(fr, co).planilha == "4") == m.computada(fr, co), (fr, co)


def test_tabela_de_planilhas_que_contradiz_o_criterio_e_recusada():
    dados = json.loads(json.dumps(DADOS))
    dados["planilhas"]["regras"][0]["co"] = None  # FR 1500 without CO would be computed
    m = Mapeamento(dados, catalogo("municipal", 2025))
    with pytest.raises(MapeamentoInvalido, match="critério de despesa computada"):
        m.planilha("1500", "")
    dados["planilhas"]["regras"][0]["planilha"] = "77"
    with pytest.raises(MapeamentoInvalido, match="planilha '77'"):
        Mapeamento(dados, catalogo("municipal", 2025))


def test_a_fonte_da_receita_so_fica_onde_distingue():
    m = carregar(catalogo("municipal", 2025))
    assert m.fonte_distingue("13210111")  # 1.3.2.1.01 by FR 600…636
    assert m.fonte_distingue("11210111")  # taxas (1.1.2) with FR 659
    assert not m.fonte_distingue("11125001")  # IPTU
    assert not carregar(catalogo("municipal", 2021)).fonte_distingue("13210111")
