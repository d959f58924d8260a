"""Comparar versões (issue 26): a comparação mostra exatamente o que mudou — células digitadas,
linhas e colunas do razão, campos de texto — e nada mais; o efeito nos totais do Anexo 12 e no
percentual; o resumo para a justificativa da retransmissão cabe no limite."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from siops.forms.declaracao import (
    DefinirCelula,
    DefinirLancamento,
    DefinirTexto,
    IncluirLinha,
    RemoverLinha,
)
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia
from siops.forms.razao import ChaveDespesa, ChaveReceita
from siops.relatorios.comparacao import ComparacaoInvalida, comparar


@pytest.fixture(scope="module")
def base():
    return declaracao_cheia(ente("M355030"), 2025, 2)


def _alterada(base):
    """Five edits of five kinds (and the set of keys the comparison must list, no more)."""
    d = base.copia()
    despesas = [k for k, _ in d.linhas_razao(ChaveDespesa) if k.planilha == "4"]
    alterar, remover = despesas[0], despesas[1]
    liq = d.lancamento(alterar, "liquidada")
    d.aplicar(DefinirLancamento(alterar, "liquidada", liq + D("1000.00")))
    nova = ChaveDespesa.de("4", "305", "3.3.90.30.01")
    assert not d.tem_linha(nova)
    d.aplicar(IncluirLinha(nova, (("empenhada", D("500.00")), ("liquidada", D("400.00")))))
    removidos = d.razao()[remover]
    d.aplicar(RemoverLinha(remover))
    celula = ("controle_rp_cancelados", "cancelados_ano_1", "liquidadas")
    d.aplicar(DefinirCelula(celula, d.valor(celula) + D("10.00")))
    d.aplicar(DefinirTexto("secretario_nome", "Maria da Silva"))
    esperado = {
        ("razao", "despesa", "4", alterar.subfuncao, alterar.natureza, "liquidada"),
        ("razao", "despesa", "4", "305", nova.natureza, "empenhada"),
        ("razao", "despesa", "4", "305", nova.natureza, "liquidada"),
        *(("razao", "despesa", "4", remover.subfuncao, remover.natureza, c) for c in removidos),
        ("celula", *celula),
        ("campo", "secretario_nome"),
    }
    return d, esperado, (alterar, liq, nova, remover)


def test_mostra_exatamente_o_que_mudou_e_nada_mais(base):
    novo, esperado, (alterar, liq, nova, remover) = _alterada(base)
    c = comparar(base, novo, "transmitido", "arquivo de trabalho")
    assert {m.chave for m in c.mudancas} == esperado
    assert len(c.mudancas) == len(esperado)  # nothing listed twice
    por_chave = {m.chave: m for m in c.mudancas}
    m = por_chave[("razao", "despesa", "4", alterar.subfuncao, alterar.natureza, "liquidada")]
    assert (m.antigo, m.novo, m.efeito, m.tipo) == (liq, liq + D("1000.00"), "alterada", "razao")
    assert m.grupo.startswith("Razão — despesas, planilha 4")
    m = por_chave[("razao", "despesa", "4", "305", nova.natureza, "empenhada")]
    assert (m.antigo, m.novo, m.efeito) == (None, D("500.00"), "incluída")
    removida = [
        x
        for x in c.mudancas
        if x.chave[:5] == ("razao", "despesa", "4", remover.subfuncao, remover.natureza)
    ]
    assert removida and all(x.efeito == "removida" and x.novo is None for x in removida)
    m = por_chave[("campo", "secretario_nome")]
    assert (m.antigo, m.novo, m.grupo) == (None, "Maria da Silva", "Dados Gerais")
    m = por_chave[("celula", "controle_rp_cancelados", "cancelados_ano_1", "liquidadas")]
    assert m.diferenca == D("10.00") and m.grupo == "Despesa por Fonte e Restos a Pagar"
    # groups: texts first, then the ledger, then the typed cells
    grupos = [g for g, _ in c.grupos()]
    assert grupos[0] == "Dados Gerais" and grupos[-1] == "Despesa por Fonte e Restos a Pagar"


def test_efeito_em_cada_total_e_no_percentual(base):
    novo, _, _ = _alterada(base)
    c = comparar(base, novo)
    efeitos = {(e.tabela, e.linha, e.coluna): e for e in c.efeitos}
    # every numbered total that changed, with old and new exactly as each declaration says
    for (t, linha, col), e in efeitos.items():
        assert (e.antigo, e.novo) == (base.valor((t, linha, col)), novo.valor((t, linha, col)))
        assert e.antigo != e.novo
    assert ("despesas_asps", "total", "liquidada") in efeitos  # (XI)
    assert ("apuracao", "valor_aplicado", "liquidada") in efeitos  # (XVI)
    assert ("despesas_asps", "s305", "empenhada") in efeitos  # (VIII): the new line
    # nothing of the receitas changed, so neither does the base (III)
    assert not any(t == "receitas_base" for t, _, _ in efeitos)
    # and no changed numbered total of the Anexo 12 is missing
    cat = novo.catalogo
    for t in cat.tabelas_anexo12():
        for linha in t.linhas:
            if not cat.numerais.get((t.id, linha.id)) or linha.id == "percentual_aplicado":
                continue
            for col in t.colunas_da_linha(linha):
                k = (t.id, linha.id, col.id)
                assert (base.valor(k) != novo.valor(k)) == (k in efeitos), k
    pa = base.indicadores("liquidada").percentual
    pn = novo.indicadores("liquidada").percentual
    assert pa != pn
    assert (c.antigo.percentual, c.novo.percentual) == (pa, pn)
    assert "Percentual aplicado em ASPS (liquidada)" in c.linha_percentual()


def test_copias_iguais_nao_mostram_nada(base):
    c = comparar(base, base.copia())
    assert c.iguais and c.mudancas == () and c.efeitos == ()
    assert "Nenhuma diferença" in c.texto()
    assert c.justificativa().endswith("nenhuma diferença nos dados.")


def test_entes_diferentes_sao_recusados(base):
    outro = declaracao_cheia(ente("M355480"), 2025, 2)
    with pytest.raises(ComparacaoInvalida, match="entes diferentes"):
        comparar(base, outro)


def test_bimestre_anterior_contra_este_avisa_e_compara(base):
    anterior = declaracao_cheia(ente("M355030"), 2025, 1)
    c = comparar(anterior, base)
    assert any("Bimestres diferentes" in a for a in c.avisos)
    assert c.antigo.bimestre == 1 and c.novo.bimestre == 2


def test_texto_e_json(base):
    novo, esperado, _ = _alterada(base)
    c = comparar(base, novo, "transm", "atual")
    texto = c.texto()
    assert f"{len(esperado)} alterações:" in texto
    assert "[Dados Gerais]" in texto and "“Maria da Silva”" in texto
    assert "Efeito nos totais do Anexo 12:" in texto
    assert "→" in texto
    j = c.para_dict()
    assert j["iguais"] is False
    assert {tuple(m["chave"]) for m in j["mudancas"]} == esperado
    assert sum(len(g["mudancas"]) for g in j["grupos"]) == len(esperado)


def test_justificativa_cabe_no_limite_e_diz_quantas_ficaram_de_fora(base):
    novo = base.copia()
    for i, (k, _) in enumerate(novo.linhas_razao(ChaveReceita)):
        novo.aplicar(DefinirLancamento(k, "realizada", D(1000 + i)))
        novo.aplicar(DefinirLancamento(k, "previsao_atualizada", D(9000 + i)))
    c = comparar(base, novo)
    assert len(c.mudancas) > 20
    j = c.justificativa(600)
    assert len(j) <= 600
    assert j.startswith("Alterações em relação aos dados transmitidos (2º bimestre de 2025):")
    assert "… e mais" in j
    assert "Percentual aplicado em ASPS" in j
    # the whole summary fits the request's 2000-character limit
    assert 20 <= len(c.justificativa()) <= 1500
