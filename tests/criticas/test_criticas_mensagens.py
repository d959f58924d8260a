"""Messages are Portuguese sentences a clerk understands, with values the Brazilian way, and
locations follow the screen (pasta › tabela › linha › coluna)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from siops.criticas import ReferenciaFNS, verificar
from siops.criticas.nomes import caminho_linha, titulo_legivel
from siops.forms.catalogo import catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.gerador import declaracao_cheia

ASPS = ("despesas_asps", "s301_33")


def _um(achados, codigo):
    deste = [a for a in achados if a.codigo == codigo]
    assert len(deste) == 1, [(a.codigo, a.mensagem) for a in achados]
    return deste[0]


def test_liquidada_maior_que_empenhada_frase_exata(cx, municipio):
    d = cx.limpa(municipio)
    cx.definir(d, (*ASPS, "paga"), "0")
    cx.definir(d, (*ASPS, "empenhada"), "1000")
    cx.definir(d, (*ASPS, "liquidada"), "1200")
    a = _um(verificar(d), 510)
    assert a.mensagem == (
        "A despesa liquidada (R$ 1.200,00) é maior que a empenhada (R$ 1.000,00) em "
        "Atenção Básica — Despesas Correntes — Outras Despesas Correntes."
    )
    assert a.impeditiva
    assert (a.tabela, a.linha, a.coluna, a.campo) == (*ASPS, "liquidada", None)
    assert a.local(d.catalogo) == (
        "Despesas com Saúde › Despesas com ASPS › "
        "Atenção Básica — Despesas Correntes — Outras Despesas Correntes › "
        "Despesas liquidadas até o bimestre"
    )
    assert a.pasta(d.catalogo) == "despesas"


def test_cpf_invalido_frase_exata(cx, municipio):
    d = cx.limpa(municipio)
    cx.texto(d, "contador_cpf", "123.456.789-00")
    a = _um(verificar(d), 102)
    assert a.mensagem == (
        'O CPF "123.456.789-00" informado em "Contador(a) — CPF" é inválido: os dígitos '
        "verificadores não conferem."
    )
    assert a.local(d.catalogo) == "Dados Gerais › Responsáveis › Contador(a) — CPF"
    assert not a.impeditiva


def test_prefeito_secretario_frase_exata(cx, municipio):
    d = cx.limpa(municipio)
    cx.texto(d, "secretario_cpf", "52998224725")  # the Prefeito's, without punctuation
    a = _um(verificar(d), 107)
    assert a.mensagem == (
        "O mesmo CPF (529.982.247-25) foi informado para Prefeito(a) e para Secretário(a) de "
        "Saúde: o chefe do Executivo não pode ser também o gestor do SUS que homologa a "
        "declaração."
    )
    assert a.impeditiva and a.campo == "secretario_cpf"


def test_consorcio_frase_exata(cx, municipio):
    d = cx.limpa(municipio, 6)
    cx.definir(d, ("consorcios", "s301", "empenhada"), "1500")
    cx.definir(d, ("consorcios", "transferido_rateio", "empenhada"), "1000")
    a = _um(verificar(d), 585)
    assert a.mensagem == (
        'Em "Despesa em consórcio público", o Total das Despesas com Saúde '
        '(I) na coluna "Despesas empenhadas" (R$ 1.500,00) é maior que os recursos '
        "transferidos a consórcios públicos mediante contrato de rateio (II) (R$ 1.000,00); "
        "diferença de R$ 500,00. O executado nos consórcios não pode passar do que o ente lhes "
        "transferiu."
    )
    assert a.impeditiva  # 6º bimestre


def test_fns_frase_exata(cx, municipio):
    d = cx.limpa(municipio, 2)
    cx.definir(d, ("receitas_adicionais", "uniao_fns_custeio", "previsao_atualizada"), "1")
    cx.definir(d, ("receitas_adicionais", "uniao_fns_custeio", "realizada"), "98765.43")
    ref = ReferenciaFNS()
    ref.definir("M355030", 2025, 2, custeio=Decimal("123456.78"))
    a = _um(verificar(d, ref), 310)
    assert a.mensagem == (
        'A receita realizada em "Transferências fundo a fundo do SUS (FNS) — custeio, regulares '
        'e automáticas" (R$ 98.765,43) é menor que o valor da base de dados do Fundo Nacional '
        "de Saúde até o 2º bimestre de 2025 (R$ 123.456,78); diferença de R$ 24.691,35. "
        "Confira a receita com os repasses do FNS."
    )


@pytest.mark.parametrize("bimestre,coluna", [(3, "liquidada"), (6, "empenhada")])
def test_abaixo_do_minimo_explica_que_nao_e_erro(cx, municipio, bimestre, coluna):
    d = cx.limpa(municipio, bimestre)
    cx.definir(d, (*ASPS, "paga"), "0")
    cx.definir(d, (*ASPS, "liquidada"), "100000")
    cx.definir(d, (*ASPS, "empenhada"), "100000")
    a = _um(verificar(d), 611)
    assert a.severidade == "aviso"
    assert a.coluna == coluna
    assert a.mensagem.startswith(
        f"O percentual aplicado em ASPS (10,00%, pela despesa {coluna}) está abaixo do mínimo "
        "de 15,00% (LC 141/2012): faltam R$ 50.000,00. Isto não é erro de preenchimento e não "
        "impede a transmissão."
    )
    assert "LC 141/2012, arts. 25 e 26" in a.mensagem


def test_lei_organica_muda_o_minimo_das_mensagens(cx, municipio):
    d = cx.limpa(municipio)  # 20% applied
    cx.texto(d, "percentual_lei_organica", "25")
    a = _um(verificar(d), 611)
    # issue 20.15: the message names the percentage really used and its law
    assert "abaixo do mínimo de 25,00% (Lei Orgânica): faltam R$ 50.000,00" in a.mensagem


def test_percentual_acima_de_35_truncado(cx, municipio):
    d = cx.limpa(municipio, 6)
    cx.definir(d, (*ASPS, "dotacao_atualizada"), "900000")
    cx.definir(d, (*ASPS, "empenhada"), "361299.99")
    a = _um(verificar(d), 610)
    assert a.mensagem.startswith(
        "O percentual da receita de impostos e transferências aplicado em ASPS (36,12%, pela "
        "despesa empenhada) é maior que 35,00%."
    )


@pytest.mark.parametrize("ente", ["municipio", "estado", "df"])
@pytest.mark.parametrize("bimestre", [2, 6])
def test_nenhuma_mensagem_mostra_identificadores(entes, ente, bimestre):
    e = entes[ente]
    d = declaracao_cheia(e, 2025, bimestre, semente=7)
    vazia = Declaracao(e, 2025, bimestre)
    ref = ReferenciaFNS()
    ref.definir(e.codigo, 2025, bimestre, Decimal("1e9"), Decimal("1e9"))
    achados = verificar(d, ref) + verificar(vazia, ref)
    assert len({a.codigo for a in achados}) >= 10
    for a in achados:
        assert "_" not in a.mensagem, a.mensagem
        assert "Decimal" not in a.mensagem and "None" not in a.mensagem
        assert a.mensagem.endswith("."), a.mensagem
        assert a.mensagem[0].isupper()
        assert (
            "R$ " in a.mensagem
            or "%" in a.mensagem
            or a.campo is not None
            or a.codigo in (612, 806)
        )


def test_titulos_em_maiusculas_ficam_legiveis():
    assert titulo_legivel("ATENÇÃO BÁSICA") == "Atenção Básica"
    assert titulo_legivel("TOTAL DAS DESPESAS COM SAÚDE") == "Total das Despesas com Saúde"
    assert titulo_legivel("(=) VALOR APLICADO EM ASPS") == "(=) Valor Aplicado em ASPS"
    assert titulo_legivel("Despesas Correntes") == "Despesas Correntes"
    assert (
        titulo_legivel("PERCENTUAL APLICADO EM ASPS (mínimo de 15% conforme LC 141/2012)")
        == "Percentual Aplicado em ASPS (mínimo de 15% conforme LC 141/2012)"
    )


def test_caminho_da_linha_desambigua_pelos_ancestrais():
    cat = catalogo("municipal", 2025)
    assert caminho_linha(cat, "despesas_asps", "s301") == "Atenção Básica"
    assert caminho_linha(cat, "despesas_asps", "s302_correntes") == (
        "Assistência Hospitalar e Ambulatorial — Despesas Correntes"
    )
    assert caminho_linha(cat, "receitas_base", "iptu").startswith("Receita Resultante do Imposto")
    df = catalogo("df", 2025)
    assert caminho_linha(df, "receitas_base", "impostos_municipais") == (
        "Competência Tributária Municipal — Receita de Impostos"
    )
