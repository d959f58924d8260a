"""The public API of ``criticas`` as docs/contratos.md states it, the reports, and the
catalog coverage of the generated rules."""

from __future__ import annotations

import dataclasses
import json

import pytest

from siops.criticas import (
    REGRAS,
    Achado,
    DeclaracaoAnteriorInvalida,
    Verificador,
    relatorio_dados,
    relatorio_json,
    relatorio_texto,
    verificar,
)
from siops.criticas.motor import plano
from siops.criticas.regras.valores import NEGATIVOS, ORDEM, TRIPLAS
from siops.forms.catalogo import catalogo
from siops.forms.declaracao import Declaracao

ASPS = ("despesas_asps", "s301_33")


def test_achado_e_imutavel_e_tem_os_campos_do_contrato():
    a = Achado(510, 500, "impeditiva", "t", "m", "despesas_asps", "s301_33", "liquidada")
    assert [f.name for f in dataclasses.fields(a)] == [
        "codigo",
        "grupo",
        "severidade",
        "titulo",
        "mensagem",
        "tabela",
        "linha",
        "coluna",
        "campo",
    ]
    assert a.impeditiva and not dataclasses.replace(a, severidade="aviso").impeditiva
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.codigo = 1  # type: ignore[misc]


def test_regras_declaram_codigo_grupo_titulo_e_fundamento():
    for codigo, r in REGRAS.items():
        assert r.codigo == codigo and 100 <= codigo < 1000
        assert r.grupo in (100, 200, 300, 500, 600, 700, 800, 900)
        assert r.titulo and r.titulo[0].isupper()
        assert r.fundamento, f"a regra {codigo} não diz o que implementa"
        assert r.severidade in ("impeditiva", "aviso")


def test_verificador_atualizar_devolve_os_achados_atuais(cx, municipio):
    d = cx.limpa(municipio)
    v = Verificador(d)
    d.ouvir(v.atualizar)
    assert v.achados == [] and v.impeditivas == 0
    cx.definir(d, (*ASPS, "liquidada"), "200000.01")
    assert [a.codigo for a in v.achados if a.impeditiva] == [510]
    assert v.impeditivas == 1 and v.avisos == len(v.achados) - 1
    devolvidos = v.atualizar([])
    assert devolvidos == v.achados
    cx.definir(d, (*ASPS, "liquidada"), "200000.00")
    assert v.achados == []


def test_verificador_recalcular_apos_carregar(cx, municipio):
    d = cx.limpa(municipio)
    v = Verificador(d)
    d.carregar([], {})  # replaces everything without notifying listeners
    assert v.recalcular() == verificar(d)
    assert 612 in [a.codigo for a in v.achados]


def test_anterior_de_outro_periodo_e_recusada(cx, municipio, estado):
    d = cx.limpa(municipio, 3)
    for ant in (cx.limpa(municipio, 3), cx.limpa(municipio, 2, 2024), cx.limpa(estado, 2)):
        with pytest.raises(DeclaracaoAnteriorInvalida) as exc:
            verificar(d, anterior=ant)
        assert "não serve de comparação" in str(exc.value)


def test_relatorio_texto_agrupa_por_severidade(cx, municipio):
    d = cx.limpa(municipio)
    cx.definir(d, (*ASPS, "liquidada"), "200000.01")  # 510 impeditiva (+ avisos 710/711/516)
    cx.texto(d, "fundo_lei", "")  # 801 aviso
    achados = verificar(d)
    texto = relatorio_texto(achados, d.catalogo, d)
    assert texto.startswith("Críticas — Município de São Paulo/SP — exercício 2025, 3º bimestre")
    assert "1 crítica impeditiva e " in texto
    i, a = texto.index("CRÍTICAS IMPEDITIVAS"), texto.index("AVISOS")
    assert i < texto.index("[510]") < a < texto.index("[801]")
    assert "Onde: Informações Adicionais › Fundo de Saúde › Lei de criação" in texto


def test_relatorio_sem_achados(cx, municipio):
    d = cx.limpa(municipio)
    assert "Nenhuma crítica encontrada" in relatorio_texto([], d.catalogo)
    assert relatorio_dados([], d.catalogo)["pode_transmitir"] is True


def test_relatorio_json_tem_todos_os_campos(cx, municipio):
    d = cx.limpa(municipio)
    cx.definir(d, (*ASPS, "liquidada"), "200000.01")
    doc = json.loads(relatorio_json(verificar(d), d.catalogo, d))
    assert doc["ente"] == "M355030" and doc["bimestre"] == 3
    assert doc["impeditivas"] == 1 and doc["pode_transmitir"] is False
    primeiro = doc["achados"][0]
    assert primeiro["codigo"] == 510 and primeiro["impeditiva"] is True
    assert set(primeiro) >= {
        "codigo",
        "grupo",
        "severidade",
        "titulo",
        "mensagem",
        "tabela",
        "linha",
        "coluna",
        "campo",
        "pasta",
        "local",
    }


@pytest.mark.parametrize("esfera", ["municipal", "estadual", "df"])
@pytest.mark.parametrize("exercicio", [2024, 2025])
def test_regras_cobrem_o_catalogo(esfera, exercicio):
    """Walking the catalog: every typed cell, order triple and typed field has its rule."""
    cat = catalogo(esfera, exercicio)
    insts = plano(cat, True, True).verificacoes
    negativos = {v.le[0] for v in insts if v.regra in NEGATIVOS.values()}
    for t, linha in cat.iter_linhas():
        if linha.negativo_permitido:
            continue
        for c in t.colunas_da_linha(linha):
            k = (t.id, linha.id, c.id)
            if k in cat.editaveis:
                assert k in negativos, f"célula digitável sem crítica de valor negativo: {k}"
    ordem = {v.le for v in insts if any(v.regra in par for par in ORDEM.values())}
    for t, linha in cat.iter_linhas():
        for emp, liq, _ in TRIPLAS:
            ke, kl = (t.id, linha.id, emp), (t.id, linha.id, liq)
            if t.id != "apuracao" and (ke in cat.editaveis or kl in cat.editaveis):
                assert (kl, ke) in ordem, f"linha sem crítica liquidada > empenhada: {kl}"
    campos_checados = {v.campo for v in insts if v.campo is not None}
    for campo in cat.campos.values():
        if campo.tipo != "texto" or campo.obrigatorio:
            assert campo.id in campos_checados, f"campo sem crítica: {campo.id}"


def test_declaracao_vazia_do_6o_nao_transmite(municipio):
    # Issue 20.1: an empty 6º-bimestre municipal declaration (zero receita, no prefeito, no
    # secretário) used to validate with 0 impeditivas. Zero base (612), zero FPM (208) and
    # zero ASPS in the 6º (614) each make the percentage meaningless: impeditivas.
    achados = verificar(Declaracao(municipio, 2025, 6))
    assert {a.codigo for a in achados} == {101, 208, 612, 614, 801, 806}
    assert {a.codigo for a in achados if a.impeditiva} == {208, 612, 614}


def test_declaracao_vazia_do_1o_tem_impeditivas_da_base(municipio):
    # Before the 6º an ASPS total of zero is an aviso (execution may start late), but the
    # base cannot be zero in any bimestre.
    achados = verificar(Declaracao(municipio, 2025, 1))
    assert {a.codigo for a in achados if a.impeditiva} == {208, 612}
    assert [a.severidade for a in achados if a.codigo == 614] == ["aviso"]
