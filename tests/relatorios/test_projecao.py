"""Projeção do exercício (issue 26): exemplos feitos à mão, municipal e estadual, bimestres 2 e
5, e os casos de borda (mínimo já alcançado, 6º bimestre, receita acima da prevista, Lei
Orgânica, Distrito Federal, sem previsão).

Cada declaração é montada pelas células do Anexo 12 (``Declaracao.comando_celula`` escreve na
linha canônica do razão); as contas esperadas estão escritas ao lado, à mão.
"""

from __future__ import annotations

from decimal import Decimal as D

from siops.forms.declaracao import Declaracao, DefinirTexto
from siops.forms.entes import ente
from siops.relatorios.projecao import projetar


def _montar(codigo: str, bimestre: int, celulas: dict, exercicio: int = 2025) -> Declaracao:
    d = Declaracao(ente(codigo), exercicio, bimestre)
    for k, v in celulas.items():
        d.aplicar(d.comando_celula(k, D(v)))
    return d


def _municipal(bimestre: int, receitas: dict, despesas: dict) -> Declaracao:
    cel = {}
    for linha, (prev, real) in receitas.items():
        cel[("receitas_base", linha, "previsao_atualizada")] = prev
        cel[("receitas_base", linha, "realizada")] = real
    for linha, cols in despesas.items():
        for c, v in cols.items():
            cel[("despesas_asps", linha, c)] = v
    return _montar("M355030", bimestre, cel)


def _municipal_b2() -> Declaracao:
    return _municipal(
        2,
        {"iptu": ("2000000.00", "500000.00"), "fpm": ("8000000.00", "1300000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "1200000.00",
                "empenhada": "600000.00",
                "liquidada": "280000.00",
            },
            "s302_31": {
                "dotacao_atualizada": "600000.00",
                "empenhada": "200000.00",
                "liquidada": "120000.00",
            },
        },
    )


def test_municipal_2o_bimestre_feito_a_mao():
    # Base prevista (III) = 2.000.000 + 8.000.000 = 10.000.000,00; mínimo 15% = 1.500.000,00.
    # Aplicado (XVI, liquidada) = 280.000 + 120.000 = 400.000,00. Falta 1.100.000,00 em 4
    # bimestres = 275.000,00 cada. Ritmo 400.000 ÷ 2 = 200.000,00; × 6 = 1.200.000,00 = 12%.
    p = projetar(_municipal_b2())
    assert p.coluna == "liquidada"
    assert p.numeral_base == "III"
    assert p.percentual_minimo == D("15")
    assert p.base_prevista == D("10000000.00")
    assert p.base_realizada == D("1800000.00")
    assert not p.base_pela_realizada
    assert p.minimo_anual == D("1500000.00")
    assert p.aplicado == D("400000.00")
    assert p.aplicado_empenhado == D("800000.00")
    assert p.falta == D("1100000.00")
    assert p.bimestres_restantes == 4
    assert p.necessario_por_bimestre == D("275000.00")
    assert p.ritmo_medio == D("200000.00")
    assert p.projecao_fim == D("1200000.00")
    assert p.percentual_projetado == D("12.000000")
    assert p.dotacao_asps == D("1800000.00")
    assert p.saldo_dotacao == D("1000000.00")
    assert not p.alcancado and not p.projecao_alcanca and not p.dotacao_insuficiente
    assert p.avisos == ()
    assert p.resumo() == (
        "Faltam R$ 1.100.000,00 para o mínimo do exercício (R$ 1.500.000,00) em 4 bimestres: "
        "R$ 275.000,00 por bimestre. No ritmo médio até agora (R$ 200.000,00 por bimestre), o "
        "ente chega a R$ 1.200.000,00 em dezembro (12,00%): faltariam R$ 300.000,00."
    )
    assert p.texto_curto() == "Projeção: faltam R$ 1.100.000,00 em 4 bim. (ritmo abaixo)"


def test_municipal_2o_bimestre_com_o_1o_na_tendencia():
    # 1º bimestre: liquidada 150.000,00 sobre base realizada 900.000,00 = 16,666666%.
    # 2º: 400.000,00 sobre 1.800.000,00 = 22,222222%; no bimestre: 400.000 − 150.000.
    b1 = _municipal(
        1,
        {"iptu": ("2000000.00", "300000.00"), "fpm": ("8000000.00", "600000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "1200000.00",
                "empenhada": "300000.00",
                "liquidada": "150000.00",
            }
        },
    )
    outro_ente = _montar("M355480", 1, {("receitas_base", "iptu", "realizada"): "1.00"})
    p = projetar(_municipal_b2(), [b1, outro_ente])
    assert [
        (x.bimestre, x.aplicado, x.no_bimestre, x.percentual, x.atual) for x in p.historico
    ] == [
        (1, D("150000.00"), D("150000.00"), D("16.666666"), False),
        (2, D("400000.00"), D("250000.00"), D("22.222222"), True),
    ]
    # a projeção em si não muda com a tendência (é a média do ano: 200.000 por bimestre)
    assert p.projecao_fim == D("1200000.00")
    assert "Tendência por bimestre" in p.texto()


def test_municipal_5o_bimestre_minimo_ja_alcancado():
    # Base prevista 10.000.000,00 → mínimo 1.500.000,00; liquidada 1.600.000,00 ≥ mínimo.
    # Ritmo 1.600.000 ÷ 5 = 320.000,00; × 6 = 1.920.000,00 = 19,20%.
    d = _municipal(
        5,
        {"iss": ("10000000.00", "8100000.00")},
        {
            "s301_31": {
                "dotacao_atualizada": "2000000.00",
                "empenhada": "1750000.00",
                "liquidada": "1600000.00",
            }
        },
    )
    p = projetar(d)
    assert p.minimo_anual == D("1500000.00")
    assert p.aplicado == D("1600000.00")
    assert p.alcancado and p.falta == D("0.00")
    assert p.bimestres_restantes == 1
    assert p.necessario_por_bimestre == D("0.00")
    assert p.ritmo_medio == D("320000.00")
    assert p.projecao_fim == D("1920000.00")
    assert p.percentual_projetado == D("19.200000")
    assert p.texto_curto() == "Projeção: mínimo do ano alcançado"
    assert p.resumo().startswith("O mínimo do exercício (R$ 1.500.000,00) já foi aplicado")


def test_estadual_5o_bimestre_feito_a_mao():
    # Estado: base (IV) = ICMS 100.000.000 − parcela dos municípios 25.000.000 = 75.000.000,00;
    # mínimo 12% = 9.000.000,00. Liquidada 7.000.000 − (XV) 100.000 = 6.900.000,00 aplicado.
    # Falta 2.100.000,00 em 1 bimestre. Ritmo 6.900.000 ÷ 5 = 1.380.000,00; × 6 =
    # 8.280.000,00 = 11,04% da base prevista.
    d = _montar(
        "E35",
        5,
        {
            ("receitas_base", "icms_principal", "previsao_atualizada"): "100000000.00",
            ("receitas_base", "icms_principal", "realizada"): "80000000.00",
            ("receitas_base", "deducao_icms", "previsao_atualizada"): "25000000.00",
            ("receitas_base", "deducao_icms", "realizada"): "20000000.00",
            ("despesas_asps", "s302_33", "dotacao_atualizada"): "9500000.00",
            ("despesas_asps", "s302_33", "empenhada"): "8200000.00",
            ("despesas_asps", "s302_33", "liquidada"): "7000000.00",
            # XV comes from the ledger (modalidades 35/45/75/95): the amount moves from the
            # 302 line to modalidade 35, XII unchanged (issue 25, item 5)
            ("apuracao", "rp_cancelados", "empenhada"): "100000.00",
            ("apuracao", "rp_cancelados", "liquidada"): "100000.00",
        },
    )
    p = projetar(d)
    assert p.numeral_base == "IV"
    assert p.percentual_minimo == D("12")
    assert p.base_prevista == D("75000000.00")
    assert p.base_realizada == D("60000000.00")
    assert p.minimo_anual == D("9000000.00")
    assert p.aplicado == D("6900000.00")
    # empenhada 8.200.000 − (XV) (d) 100.000 (the ledger line in modalidade 35 is ordered:
    # what was liquidated was first committed)
    assert p.aplicado_empenhado == D("8100000.00")
    assert p.falta == D("2100000.00")
    assert p.bimestres_restantes == 1
    assert p.necessario_por_bimestre == D("2100000.00")
    assert p.ritmo_medio == D("1380000.00")
    assert p.projecao_fim == D("8280000.00")
    assert p.percentual_projetado == D("11.040000")
    assert p.historico[-1].percentual == D("11.500000")  # 6.900.000 / 60.000.000
    assert not p.dotacao_insuficiente


def test_estadual_2o_bimestre_com_dotacao_abaixo_do_minimo():
    # MG: base (IV) = 40.000.000 − 10.000.000 = 30.000.000,00; mínimo 12% = 3.600.000,00.
    # Liquidada 500.000,00: falta 3.100.000,00 em 4 bimestres = 775.000,00. Ritmo 250.000,00;
    # projeção 1.500.000,00 = 5%. Dotação 3.000.000,00 < mínimo: aviso.
    d = _montar(
        "E31",
        2,
        {
            ("receitas_base", "icms_principal", "previsao_atualizada"): "40000000.00",
            ("receitas_base", "icms_principal", "realizada"): "6000000.00",
            ("receitas_base", "deducao_icms", "previsao_atualizada"): "10000000.00",
            ("receitas_base", "deducao_icms", "realizada"): "1500000.00",
            ("despesas_asps", "s301_33", "dotacao_atualizada"): "3000000.00",
            ("despesas_asps", "s301_33", "empenhada"): "900000.00",
            ("despesas_asps", "s301_33", "liquidada"): "500000.00",
        },
    )
    p = projetar(d)
    assert p.minimo_anual == D("3600000.00")
    assert p.falta == D("3100000.00")
    assert p.necessario_por_bimestre == D("775000.00")
    assert p.ritmo_medio == D("250000.00")
    assert p.projecao_fim == D("1500000.00")
    assert p.percentual_projetado == D("5.000000")
    assert p.dotacao_insuficiente
    assert any("dotação atualizada das ASPS (R$ 3.000.000,00)" in a for a in p.avisos)


def test_6o_bimestre_usa_a_empenhada_e_nao_ha_restantes():
    d = _municipal(
        6,
        {"iptu": ("1000000.00", "1000000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "200000.00",
                "empenhada": "140000.00",
                "liquidada": "120000.00",
            }
        },
    )
    p = projetar(d)
    assert p.coluna == "empenhada"
    assert p.aplicado == D("140000.00")  # 15% de 1.000.000 = 150.000: faltam 10.000
    assert p.falta == D("10000.00")
    assert p.bimestres_restantes == 0 and p.necessario_por_bimestre is None
    assert p.projecao_fim == p.aplicado
    assert "não há mais bimestres" in p.resumo()


def test_receita_realizada_acima_da_prevista_usa_a_realizada():
    # Prevista 1.000.000,00, realizada 1.200.000,00 no 4º: o mínimo é 15% de 1.200.000.
    d = _municipal(
        4,
        {"iptu": ("1000000.00", "1200000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "300000.00",
                "liquidada": "100000.00",
                "empenhada": "100000.00",
            }
        },
    )
    p = projetar(d)
    assert p.base_pela_realizada
    assert p.minimo_anual == D("180000.00")
    assert p.falta == D("80000.00")
    assert p.necessario_por_bimestre == D("40000.00")
    assert any("já supera a previsão atualizada" in a for a in p.avisos)
    assert "(é o caso desta declaração)" in p.premissas[0]


def test_lei_organica_maior_vale_na_projecao():
    d = _municipal_b2()
    d.aplicar(DefinirTexto("percentual_lei_organica", "18"))
    p = projetar(d)
    assert p.percentual_minimo == D("18")
    assert p.minimo_anual == D("1800000.00")  # 18% de 10.000.000
    assert p.falta == D("1400000.00")
    assert p.necessario_por_bimestre == D("350000.00")


def test_distrito_federal_duas_aliquotas_sobre_a_previsao():
    # (I) estadual 40.000.000 × 12% + (II) municipal 20.000.000 × 15% = 7.800.000,00
    # = 13% da base de 60.000.000.
    d = _montar(
        "E53",
        3,
        {
            ("receitas_base", "icms_principal", "previsao_atualizada"): "40000000.00",
            ("receitas_base", "icms_principal", "realizada"): "20000000.00",
            ("receitas_base", "iss", "previsao_atualizada"): "20000000.00",
            ("receitas_base", "iss", "realizada"): "10000000.00",
            ("despesas_asps", "s302_33", "dotacao_atualizada"): "8000000.00",
            ("despesas_asps", "s302_33", "liquidada"): "3000000.00",
            ("despesas_asps", "s302_33", "empenhada"): "3000000.00",
        },
    )
    p = projetar(d)
    assert p.base_prevista == D("60000000.00")
    assert p.minimo_anual == D("7800000.00")
    assert p.percentual_minimo == D("13")
    assert p.falta == D("4800000.00")
    assert p.necessario_por_bimestre == D("1600000.00")


def test_sem_previsao_nao_projeta_e_diz_o_que_falta():
    p = projetar(Declaracao(ente("M355030"), 2025, 3))
    assert p.sem_previsao
    assert p.falta == D("0.00") and p.necessario_por_bimestre is None
    assert p.texto_curto() == "Projeção: informe a previsão"
    assert "informe a previsão atualizada das receitas da base (III)" in p.resumo()
    assert any("não foi informada" in a for a in p.avisos)


def test_falta_de_fracao_de_centavo_arredonda_para_cima():
    # 15% de 1.000.000,03 = 150.000,0045 (exato); aplicado 150.000,00: falta R$ 0,01.
    d = _municipal(
        3,
        {"iptu": ("1000000.03", "500000.00")},
        {
            "s301_33": {
                "dotacao_atualizada": "200000.00",
                "empenhada": "150000.00",
                "liquidada": "150000.00",
            }
        },
    )
    p = projetar(d)
    assert p.minimo_anual == D("150000.00")
    assert not p.alcancado
    assert p.falta == D("0.01")


def test_json_e_texto_levam_as_premissas():
    p = projetar(_municipal_b2())
    j = p.para_dict()
    assert j["minimo_anual"] == "1500000.00" and j["falta"] == "1100000.00"
    assert j["necessario_por_bimestre"] == "275000.00"
    assert j["historico"][-1]["atual"] is True
    assert len(j["premissas"]) == len(p.premissas) >= 5
    texto = p.texto()
    assert "Premissas:" in texto
    assert texto.index("Premissas:") > texto.index("Mínimo do exercício")
    assert "R$ 1.500.000,00" in texto
