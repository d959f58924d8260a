"""Acceptance: hand-written MSCs fill the Anexo 12 to the cent, in both natureza structures.

The fixtures in ``dados/`` are written by hand (``dados/gerar_fixtures.py`` only adds the
month's ``period_change`` rows beside each ending balance and one balancing row of the cash
account so that debits equal credits). The expected values below are computed in the comments
from the accounts, not by the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from siops.contabil import ErroContabil, importar
from siops.forms.declaracao import Declaracao
from siops.forms.razao import ChaveDespesa, ChaveReceita

DADOS = Path(__file__).parent / "dados"
MSC_2025_04 = DADOS / "msc_3550308_2025_04.csv"
MSC_2025_03 = DADOS / "msc_3550308_2025_03.csv"
MSC_2021_06 = DADOS / "msc_3550308_2021_06.csv"

D = Decimal


def _aplicar(d: Declaracao, arquivos: list[Path], **kw):
    p = importar(d, arquivos, **kw)
    d.aplicar(p.lote())
    return p


def _conciliacao(p) -> dict[str, tuple[Decimal, Decimal, Decimal, Decimal]]:
    return {c.medida: (c.fonte, c.importado, c.nao_mapeado, c.recusado) for c in p.conciliacao}


@pytest.fixture
def d2025(municipio) -> Declaracao:
    return Declaracao(municipio, 2025, 2)


def test_msc_2025_receitas_a_base_ao_centavo(d2025):
    p = _aplicar(d2025, [MSC_2025_04])
    r = {
        linha: d2025.valor(("receitas_base", linha, "realizada"))
        for linha in (
            "iptu", "itbi", "iss", "irrf", "fpm", "itr", "ipva", "icms", "ipi_exportacao",
            "outras_transferencias",
        )
    }  # fmt: skip
    # IPTU: 6.2.1.2 NR 1.1.1.2.50.0.1 saldo final 100.000,00 C + NR 1.1.1.2.50.0.2 2.500,50 C
    #       − 6.2.1.3.2 (renúncia) NR 1.1.1.2.50.0.1 1.200,25 D = 101.300,25
    assert r["iptu"] == D("101300.25")
    assert r["itbi"] == D("45000.00")  # NR 1.1.1.2.53.0.1
    # ISS: 1.1.1.4.51.1.1 250.000,00 + adicional 1.1.1.4.51.2.1 3.000,00 (modelo: toda a 1.1.1.4.51)
    assert r["iss"] == D("253000.00")
    assert r["irrf"] == D("85000.00")  # 1.1.1.3.03.1.1 80.000,00 + 1.1.1.3.03.4.1 5.000,00
    # FPM: só a cota mensal 1.7.1.1.51.1.1 (600.000,00); a cota de 1% (1.7.1.1.51.2.1, 12.000,00)
    # fica fora; a dedução do FUNDEB (6.2.1.3.1.01, 120.000,00 D) não reduz a base (receita bruta).
    assert r["fpm"] == D("600000.00")
    assert r["itr"] == D("1500.00")
    assert r["ipva"] == D("120000.00")
    assert r["icms"] == D("400000.00")
    assert r["ipi_exportacao"] == D("3000.00")
    assert r["outras_transferencias"] == D("2000.00")  # 1.7.2.9.53.0.1
    # (III) = 101.300,25 + 45.000 + 253.000 + 85.000 + 600.000 + 1.500 + 120.000 + 400.000
    #         + 3.000 + 2.000 = 1.610.800,25
    assert d2025.valor(("receitas_base", "total_base", "realizada")) == D("1610800.25")
    # Previsões: IPTU 5.2.1.1.1 400.000,00 D; atualizada + 5.2.1.2.1.01 20.000,00 D = 420.000,00.
    assert d2025.valor(("receitas_base", "iptu", "previsao_inicial")) == D("400000.00")
    assert d2025.valor(("receitas_base", "iptu", "previsao_atualizada")) == D("420000.00")
    assert d2025.valor(("receitas_base", "iss", "previsao_atualizada")) == D("900000.00")
    assert p.conciliacao and all(c.fecha for c in p.conciliacao)
    # The ledger keeps the realizada bruta and the deductions apart (the cell is their difference)
    iptu = d2025.razao()[ChaveReceita("11125001")]
    assert iptu == {
        "previsao_inicial": D("400000.00"),
        "previsao_atualizada": D("420000.00"),
        "realizada": D("100000.00"),
        "deducoes": D("1200.25"),
    }
    # FPM: the FUNDEB deduction (6.2.1.3.1.01, 120.000,00 D) has its own column
    assert d2025.lancamento(ChaveReceita("17115111"), "deducao_fundeb") == D("120000.00")
    # the FR stays in the key only where a rule uses it: taxas (1.1.2, FR 659) and 1.3.2.1.01
    assert d2025.lancamento(ChaveReceita("11210111", "1500"), "realizada") == D("7000.00")
    assert d2025.lancamento(ChaveReceita("13210111", "1600"), "realizada") == D("1234.56")
    assert d2025.lancamento(ChaveReceita("13210011"), "realizada") == D("900.00")


def test_msc_2025_receitas_adicionais(d2025):
    _aplicar(d2025, [MSC_2025_04])

    def v(linha: str) -> Decimal:
        return d2025.valor(("receitas_adicionais", linha, "realizada"))

    assert v("uniao_fns_custeio") == D("300000.00")  # NR 1.7.1.3.50.1.1
    assert v("uniao_fns_investimento") == D("50000.00")  # NR 2.4.1.1.50.0.1
    assert v("uniao_outras") == D("1234.56")  # NR 1.3.2.1.01.1.1 com FR 1600 (600 do modelo)
    assert v("estados") == D("40000.00")  # NR 1.7.2.3.50.0.1
    assert v("total") == D("391234.56")


def test_msc_2025_despesas_ao_centavo(d2025):
    p = _aplicar(d2025, [MSC_2025_04])

    def a(linha: str, col: str) -> Decimal:
        return d2025.valor(("despesas_asps", linha, col))

    def n(linha: str, col: str) -> Decimal:
        return d2025.valor(("despesas_nao_computadas", linha, col))

    # FS 10.301 ND 3.1.90.11 FR 1500 CO 1002: pago (6.2.2.1.3.04) 120.000 + em liquidação
    # (.02) 3.000 → empenhada 123.000; liquidada = .03+.04+.07 = 120.000; paga = .04 = 120.000
    assert (a("s301_31", "empenhada"), a("s301_31", "liquidada"), a("s301_31", "paga")) == (
        D("123000.00"), D("120000.00"), D("120000.00"),
    )  # fmt: skip
    # FS 10.301 ND 3.3.90.30: a liquidar 10.000 + liquidado a pagar 5.000 + pago 35.000
    assert (a("s301_33", "empenhada"), a("s301_33", "liquidada"), a("s301_33", "paga")) == (
        D("50000.00"), D("40000.00"), D("35000.00"),
    )  # fmt: skip
    # Dotação: 5.2.2.1.1 600.000 D; atualizada + 5.2.2.1.2 50.000 D − 5.2.2.1.9 10.000 C
    assert a("s301_33", "dotacao_inicial") == D("600000.00")
    assert a("s301_33", "dotacao_atualizada") == D("640000.00")
    # Consórcio: 8.5.3.2.4 (pago) FS 10.302 ND 3.3.90.39 → 9.000 nas três colunas
    assert a("s302_33", "paga") == D("9000.00") == a("s302_33", "empenhada")
    # FS 10.302 ND 4.4.90.52 a liquidar 25.000: empenhada só
    assert (a("s302_44", "empenhada"), a("s302_44", "liquidada")) == (D("25000.00"), D(0))
    assert a("outras_31", "paga") == D("60000.00")  # FS 10.122 → Outras subfunções
    assert a("outras_32", "paga") == D("4000.00")  # FS 28.843 ND 3.2 com FR 1500/CO 1002
    # Não computadas: FS 10.302 FR 1600 pago 70.000 + liquidado a pagar 10.000
    assert (n("s302_33", "empenhada"), n("s302_33", "liquidada"), n("s302_33", "paga")) == (
        D("80000.00"), D("80000.00"), D("70000.00"),
    )  # fmt: skip
    # FR 1500 sem CO 1002: não computada
    assert n("s301_33", "paga") == D("2000.00")
    # TOTAL (XI) empenhada: 123.000 + 50.000 + 9.000 + 25.000 + 60.000 + 4.000 = 271.000
    assert d2025.valor(("despesas_asps", "total", "empenhada")) == D("271000.00")
    assert d2025.valor(("despesas_asps", "total", "liquidada")) == D("233000.00")
    # Conciliação da função 10 (a FS 04.122 fica de fora; a 28.843 com CO 1002 entra):
    # empenhada = 271.000 (ASPS) + 82.000 (não computadas) + 23.000 (não mapeado:
    # aposentadorias 3.1.90.01 8.000 e modalidade 71 15.000) = 376.000
    c = _conciliacao(p)
    assert c["empenhada"] == (D("376000.00"), D("353000.00"), D("23000.00"), D(0))
    assert c["liquidada"] == (D("338000.00"), D("315000.00"), D("23000.00"), D(0))
    assert c["paga"] == (D("323000.00"), D("300000.00"), D("23000.00"), D(0))
    # receita realizada bruta (6.2.1.2): 100.000 + 2.500,50 + 45.000 + 250.000 + 3.000 + 80.000
    #   + 5.000 + 600.000 + 12.000 + 1.500 + 400.000 + 120.000 + 3.000 + 2.000 + 300.000
    #   + 50.000 + 40.000 + 1.234,56 + 7.000 + 900 = 2.023.135,06
    #   = 2.003.235,06 no Anexo 12 + 19.900,00 fora (FPM 1%, taxa, rendimentos)
    assert c["realizada"] == (D("2023135.06"), D("2003235.06"), D("19900.00"), D(0))
    # deduções (renúncia do IPTU, 6.2.1.3.2): 1.200,25, todas numa linha do Anexo 12
    assert c["deducoes"] == (D("1200.25"), D("1200.25"), D(0), D(0))
    # dedução para o FUNDEB: fica no razão, fora do Anexo 12 (a base é a receita bruta)
    assert c["deducao_fundeb"] == (D("120000.00"), D(0), D("120000.00"), D(0))
    # everything in scope went into the ledger (the excluded lines too)
    assert {x.medida: x.no_razao for x in p.conciliacao}["empenhada"] == D("376000.00")


def test_msc_2025_linhas_nao_mapeadas_com_motivo(d2025):
    p = importar(d2025, [MSC_2025_04])
    codigos = {n.codigo: n for n in p.nao_mapeadas}
    fpm1 = codigos["NR 1.7.1.1.51.2.1 · FR 1500"]
    assert fpm1.valores == {"realizada": D("12000.00")} and "alínea b" in fpm1.motivo
    inativos = codigos["FS 10.301 · ND 3.1.90.01.01 · FR 1500 · CO 1002"]
    assert inativos.valores["paga"] == D("8000.00") and "3.1.90.01" in inativos.motivo
    assert "modalidade 71" in codigos["FS 10.305 · ND 3.3.71.70.00 · FR 1500 · CO 1002"].motivo
    assert not any("04.122" in c for c in codigos)  # fora da função 10: nem aparece
    assert all(n.linha > 2 for n in p.nao_mapeadas)
    assert not [a for a in p.avisos if "não batem" in a]  # a MSC fecha


def test_msc_2021_ementario_anterior(municipio):
    d = Declaracao(municipio, 2021, 3)
    p = _aplicar(d, [MSC_2021_06])  # Windows-1252, decimais com vírgula
    r = {
        x: d.valor(("receitas_base", x, "realizada"))
        for x in ("iptu", "itbi", "iss", "irrf", "fpm", "itr", "ipva", "icms", "ipi_exportacao",
                  "outras_transferencias")
    }  # fmt: skip
    assert r["iptu"] == D("50000.00")  # 1.1.1.8.01.1.1
    assert r["itbi"] == D("20000.00")  # 1.1.1.8.01.4.1
    # ISS: 1.1.1.8.02.3.1 150.000 + adicional 1.1.1.8.02.4.1 1.000 (NÃO CONFIRMADO)
    #      − 6.2.1.3.9 (outras deduções) 500 D = 150.500,00
    assert r["iss"] == D("150500.00")
    assert r["irrf"] == D("40000.00")
    assert r["fpm"] == D("300000.00")  # 1.7.1.8.01.2.1; a cota de dezembro 1.7.1.8.01.3.1 fica fora
    assert r["itr"] == D("800.00")  # 1.7.1.8.01.5.1
    assert r["outras_transferencias"] == D("1200.00")  # Lei Kandir 1.7.1.8.06.1.1
    assert r["icms"] == D("200000.00")  # 1.7.2.8.01.1.1
    assert r["ipva"] == D("60000.00")  # 1.7.2.8.01.2.1
    assert r["ipi_exportacao"] == D("1500.00")  # 1.7.2.8.01.3.1
    # (III) = 50.000 + 20.000 + 150.500 + 40.000 + 300.000 + 800 + 1.200 + 200.000 + 60.000
    #         + 1.500 = 824.000,00
    assert d.valor(("receitas_base", "total_base", "realizada")) == D("824000.00")
    assert d.valor(("receitas_adicionais", "uniao_fns_custeio", "realizada")) == D("90000.00")
    # Despesas: fonte 102 (e 202, exercícios anteriores) computadas; 114 (SUS) não.
    assert d.valor(("despesas_asps", "s301_31", "empenhada")) == D("75000.00")  # 70.000 + 5.000
    assert d.valor(("despesas_asps", "s301_31", "liquidada")) == D("75000.00")
    assert d.valor(("despesas_asps", "s301_31", "paga")) == D("70000.00")
    assert d.valor(("despesas_asps", "s302_33", "empenhada")) == D("12000.00")  # FR 202
    assert d.valor(("despesas_asps", "s304_33", "paga")) == D("6000.00")
    assert d.valor(("despesas_nao_computadas", "s302_33", "paga")) == D("45000.00")
    c = _conciliacao(p)
    # receita bruta: 50.000+20.000+150.000+1.000+40.000+300.000+5.000+800+1.200+200.000+60.000
    #          +1.500+90.000+3.333,33 = 922.833,33 = 914.500 no Anexo 12 + 8.333,33 fora
    #          (FPM de dezembro 5.000 e 1.9.9.9 3.333,33); deduções 500 (6.2.1.3.9 do ISS)
    assert c["realizada"] == (D("922833.33"), D("914500.00"), D("8333.33"), D(0))
    assert c["deducoes"] == (D("500.00"), D("500.00"), D(0), D(0))
    # empenhada: 75.000 + 12.000 + 45.000 + 6.000 + pensões 7.000 (excluída) = 145.000
    assert c["empenhada"] == (D("145000.00"), D("138000.00"), D("7000.00"), D(0))
    assert all(x.fecha for x in p.conciliacao)
    assert any("NÃO CONFIRMADO" in i.motivo for i in p.incertezas)
    # Planilhas before 2022: fonte 102/202 → 4 (ASPS); 114 → 86 (NÃO CONFIRMADO)
    assert d.lancamento(ChaveDespesa("4", "302", "3390390000"), "empenhada") == D("12000.00")
    assert d.lancamento(ChaveDespesa("86", "302", "3390390000"), "paga") == D("45000.00")
    assert any("114" in i.regra and "NÃO CONFIRMADO" in i.motivo for i in p.incertezas)


def test_importar_duas_vezes_nao_muda_nada(d2025):
    _aplicar(d2025, [MSC_2025_04])
    antes = d2025.estado()
    p = importar(d2025, [MSC_2025_04])
    assert p.vazia and p.lote().comandos == ()
    assert d2025.estado() == antes


def test_mes_posterior_substitui_nunca_soma(d2025):
    _aplicar(d2025, [MSC_2025_03])
    assert d2025.valor(("receitas_base", "iptu", "realizada")) == D("70000.00")
    assert d2025.valor(("despesas_asps", "s301_33", "paga")) == D("20000.00")
    _aplicar(d2025, [MSC_2025_04])
    assert d2025.valor(("receitas_base", "iptu", "realizada")) == D("101300.25")
    assert d2025.valor(("despesas_asps", "s301_33", "paga")) == D("35000.00")


def test_todos_os_meses_do_bimestre_usa_o_ultimo(d2025):
    p = importar(d2025, [MSC_2025_04, MSC_2025_03])
    assert p.fonte.mes == 4
    assert p.tabela("receitas_base").celulas[("receitas_base", "iptu", "realizada")] == D(
        "101300.25"
    )
    assert any("que já contém os meses anteriores" in a for a in p.avisos)


def test_mes_anterior_ao_fim_do_bimestre_avisa(d2025):
    p = importar(d2025, [MSC_2025_03])
    assert any("vai só até março" in a for a in p.avisos)


def test_um_lote_desfeito_restaura_a_declaracao(d2025):
    antes = d2025.estado()
    p = importar(d2025, [MSC_2025_04])
    inverso = d2025.aplicar(p.lote())
    assert d2025.estado() != antes
    d2025.aplicar(inverso)
    assert d2025.estado() == antes


def test_escolher_so_algumas_tabelas(d2025):
    p = importar(d2025, [MSC_2025_04])
    d2025.aplicar(p.lote(["receitas_base"]))
    assert d2025.valor(("receitas_base", "iptu", "realizada")) == D("101300.25")
    assert d2025.valor(("despesas_asps", "s301_33", "paga")) == D(0)
    with pytest.raises(ErroContabil, match="desconhecida"):
        p.lote(["nao_existe"])


def test_valores_digitados_fora_do_mapeamento_ficam(d2025):
    from siops.forms.declaracao import DefinirCelula, DefinirLancamento
    from siops.forms.razao import ChaveComplementar

    outra = ("consorcios", "s301", "empenhada")
    d2025.aplicar(DefinirCelula(outra, D("123.45")))
    complementar = ChaveComplementar("11125001", "1", "L1", "C1")
    d2025.aplicar(DefinirLancamento(complementar, "realizada", D("9.99")))
    _aplicar(d2025, [MSC_2025_04])
    assert d2025.valor(outra) == D("123.45")
    assert d2025.lancamento(complementar, "realizada") == D("9.99")


def test_linhas_do_razao_que_a_msc_nao_traz_sao_zeradas_e_saem(d2025):
    """An import replaces its part of the ledger: a line of the previous import that the new
    MSC no longer has is gone (a later month replaces, never adds)."""
    from siops.forms.declaracao import IncluirLinha

    velha = ChaveDespesa("4", "303", "3390300000")
    d2025.aplicar(IncluirLinha(velha, (("empenhada", D("10.00")), ("dotacao_inicial", D("5.00")))))
    _aplicar(d2025, [MSC_2025_04])
    assert not d2025.tem_linha(velha)
    assert d2025.valor(("despesas_asps", "s303_33", "empenhada")) == D(0)


def test_o_lote_e_um_substituir_razao(d2025):
    from siops.forms.declaracao import Lote, SubstituirRazao

    p = importar(d2025, [MSC_2025_04])
    lote = p.lote()
    assert isinstance(lote, Lote) and [type(c) for c in lote.comandos] == [SubstituirRazao]


def test_msc_2025_preenche_fonte_e_elemento(d2025):
    """The MSC fills the views by fonte and by elemento too (issue 19): nothing typed twice.

    Despesas of the função 10 in the MSC (ledger line = planilha × subfunção × natureza):
      a. 10.301 3.3.90.30 FR 1500 CO 1002 → planilha 4: empenhada 50.000, liquidada 40.000,
         paga 35.000 (elemento: demais — 3.3.90.30 is not the 3.3.90.30.09 of medicamentos)
      b. 10.301 3.1.90.11 FR 1500/1002 → 4: 123.000 / 120.000 / 120.000 (pessoal)
      c. 10.301 3.1.90.01.01 FR 1500/1002 → 4: 8.000 (inativos: in the ledger, outside the
         Anexo 12, so in no view)
      d. 10.302 3.3.90.39 FR 1600 → planilha 86: 80.000 / 80.000 / 70.000 (serviços de
         terceiros PJ; fonte: SUS União)
      e. 10.302 4.4.90.52 FR 1500/1002 → 4: 25.000 / 0 / 0 (investimentos)
      f. 10.122 3.1.90.11 FR 1500/1002 → 4, subfunções administrativas: 60.000 (pessoal)
      g. 10.305 3.3.71.70 FR 1500/1002 → 4: 15.000 (modalidade 71: outside the Anexo 12; it
         is the transfer to consórcios under contrato de rateio)
      h. 8.5.3.2.4 10.302 3.3.90.39 FR 1500/1002 → 4: 9.000 in the three (serviços PJ)
      i. 28.843 3.2.90.21 FR 1500/1002 → 4, outras subfunções: 4.000 (demais)
      j. 10.301 3.3.90.30 FR 1500 without CO → planilha 3 (recursos ordinários): 2.000 (demais)
    """
    p = _aplicar(d2025, [MSC_2025_04])

    def f(linha: str) -> tuple[Decimal, Decimal, Decimal]:
        return tuple(
            d2025.valor(("despesa_fonte", linha, c)) for c in ("empenhada", "liquidada", "paga")
        )

    def e(linha: str) -> tuple[Decimal, Decimal, Decimal]:
        return tuple(
            d2025.valor(("despesa_elemento", linha, c)) for c in ("empenhada", "liquidada", "paga")
        )

    # recursos próprios = planilhas 4 and 3 inside the Anexo 12 (a b e f h i j):
    #   empenhada 50.000 + 123.000 + 25.000 + 60.000 + 9.000 + 4.000 + 2.000 = 273.000
    #   liquidada 40.000 + 120.000 + 0 + 60.000 + 9.000 + 4.000 + 2.000 = 235.000
    #   paga      35.000 + 120.000 + 0 + 60.000 + 9.000 + 4.000 + 2.000 = 230.000
    assert f("recursos_proprios") == (D("273000.00"), D("235000.00"), D("230000.00"))
    assert f("sus_uniao") == (D("80000.00"), D("80000.00"), D("70000.00"))  # d
    assert f("sus_estado") == f("convenios") == f("outros") == (D(0), D(0), D(0))
    # total by fonte = ASPS (271.000) + não computadas (82.000) = 353.000 empenhada
    assert d2025.valor(("despesa_fonte", "total", "empenhada")) == D("353000.00")
    assert d2025.valor(("despesa_fonte", "total", "empenhada")) == (
        d2025.valor(("despesas_asps", "total", "empenhada"))
        + d2025.valor(("despesas_nao_computadas", "total", "empenhada"))
    )
    # pessoal (b f): 123.000 + 60.000 = 183.000 / 120.000 + 60.000 / 120.000 + 60.000
    assert e("pessoal") == (D("183000.00"), D("180000.00"), D("180000.00"))
    # serviços de terceiros PJ (d h): 80.000 + 9.000 / 80.000 + 9.000 / 70.000 + 9.000
    assert e("servicos_terceiros_pj") == (D("89000.00"), D("89000.00"), D("79000.00"))
    assert e("investimentos") == (D("25000.00"), D(0), D(0))  # e
    assert e("medicamentos") == e("ipsfl") == (D(0), D(0), D(0))
    # demais (a i j): 50.000 + 4.000 + 2.000 / 40.000 + 4.000 + 2.000 / 35.000 + 4.000 + 2.000
    assert e("demais") == (D("56000.00"), D("46000.00"), D("41000.00"))
    assert d2025.valor(("despesa_elemento", "total", "empenhada")) == D("353000.00")
    # the modalidade-71 line (g) is the transfer to consórcios
    assert d2025.valor(("consorcios", "transferido_rateio", "paga")) == D("15000.00")
    # and the excluded line (c) is in the ledger, with the reason it is outside the Anexo 12
    inativos = ChaveDespesa("4", "301", "3190010100")
    assert d2025.lancamento(inativos, "paga") == D("8000.00")
    destino = d2025.catalogo.classificador.destino(inativos)
    assert destino.linha_anexo12 is None and "3.1.90.01" in destino.motivo
    # "de onde vem este valor?": the ledger lines behind a cell of the fonte view
    origem = d2025.origem(("despesa_fonte", "sus_uniao", "paga"))
    assert [(k, v) for k, _, _, v in origem] == [
        (ChaveDespesa("86", "302", "3390390000"), D("70000.00"))
    ]

    # The preview's totals by planilha (every ledger line, the excluded ones too):
    #   4: a b c e f g h i = 50.000 + 123.000 + 8.000 + 25.000 + 60.000 + 15.000 + 9.000 + 4.000
    #      = 294.000 empenhada; 3: 2.000; 86: 80.000 → 376.000 = the função 10 of the MSC
    planilhas = {t.codigo: t.valores.get("empenhada", D(0)) for t in p.planilhas}
    assert planilhas == {"4": D("294000.00"), "3": D("2000.00"), "86": D("80000.00")}
    # dotação by planilha: only the 3.3.90 line of 10.301 (600.000; 640.000 atualizada)
    assert next(t for t in p.planilhas if t.codigo == "4").valores["dotacao_atualizada"] == D(
        "640000.00"
    )
    # by elemento: 3.3.90.30 (a j) 52.000; 3.1.90.11 (b f) 183.000; 3.1.90.01 (c) 8.000;
    #   3.3.90.39 (d h) 89.000; 4.4.90.52 (e) 25.000; 3.3.71.70 (g) 15.000; 3.2.90.21 (i) 4.000
    #   (and 3.3.90.00, the dotação's line, with no empenho)
    elementos = {t.codigo: t.valores["empenhada"] for t in p.elementos if "empenhada" in t.valores}
    assert next(t for t in p.elementos if t.codigo == "3.3.90.00").valores == {
        "dotacao_inicial": D("600000.00"),
        "dotacao_atualizada": D("640000.00"),
    }
    assert elementos == {
        "3.3.90.30": D("52000.00"),
        "3.1.90.11": D("183000.00"),
        "3.1.90.01": D("8000.00"),
        "3.3.90.39": D("89000.00"),
        "4.4.90.52": D("25000.00"),
        "3.3.71.70": D("15000.00"),
        "3.2.90.21": D("4000.00"),
    }
    assert sum(elementos.values()) == sum(planilhas.values()) == D("376000.00")
    # the preview shows the views' changes too (not selectable: they follow the ledger)
    fonte = p.tabela("despesa_fonte")
    assert not fonte.parte and any(
        m.chave == ("despesa_fonte", "sus_uniao", "paga") and m.novo == D("70000.00")
        for m in fonte.mudancas
    )


def test_estado_deducao_das_transferencias_aos_municipios(estado, tmp_path):
    """A state: ICMS gross in (I); the municipal share (conta 6.2.1.3.1.02) in the deduction (III)."""
    cab = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"
    linhas = [
        "621200000;10131;PO;11145011;NR;1500;FR;;;;;;;1000000.00;period_change;C",
        "621200000;10131;PO;11145011;NR;1500;FR;;;;;;;1000000.00;ending_balance;C",
        "621310200;10131;PO;11145011;NR;1500;FR;;;;;;;250000.00;period_change;D",
        "621310200;10131;PO;11145011;NR;1500;FR;;;;;;;250000.00;ending_balance;D",
        "621310100;10131;PO;11145011;NR;1500;FR;;;;;;;200000.00;period_change;D",
        "621310100;10131;PO;11145011;NR;1500;FR;;;;;;;200000.00;ending_balance;D",
        "111110100;10131;PO;1;FP;;;;;;;;;550000.00;period_change;D",
        "111110100;10131;PO;1;FP;;;;;;;;;550000.00;ending_balance;D",
    ]
    arq = tmp_path / "sp.csv"
    arq.write_text("\n".join(["35EX;2025-02", cab, *linhas]) + "\n", encoding="utf-8")
    d = Declaracao(estado, 2025, 1)
    p = importar(d, [arq])
    # one undo step: the ledger replaced, and the typed deduction cell set
    comandos = p.lote().comandos
    assert [type(c).__name__ for c in comandos] == ["SubstituirRazao", "DefinirCelula"]
    d.aplicar(p.lote())
    # ICMS principal 1.1.1.4.50.1.1: 1.000.000,00 (bruto: nem a cota municipal nem o FUNDEB
    # reduzem a linha); dedução (III) ICMS = conta 6.2.1.3.1.02 = 250.000,00 (25%)
    assert d.valor(("receitas_base", "icms_principal", "realizada")) == D("1000000.00")
    assert d.valor(("receitas_base", "deducao_icms", "realizada")) == D("250000.00")
    # (IV) = 1.000.000 − 250.000 = 750.000
    assert d.valor(("receitas_base", "total_base", "realizada")) == D("750000.00")
    # the FUNDEB deduction (6.2.1.3.1.01, 200.000,00) stays in the ledger line, apart
    assert d.razao()[ChaveReceita("11145011")] == {
        "realizada": D("1000000.00"),
        "deducao_fundeb": D("200000.00"),
    }
    c = _conciliacao(p)
    assert c["deducao_municipios"] == (D("250000.00"), D("250000.00"), D(0), D(0))
    assert all(x.fecha for x in p.conciliacao)


def test_msc_modalidades_36_e_35_sao_as_deducoes_xiv_e_xv(municipio, tmp_path):
    """The MSC carries the modalidade de aplicação in the ND: ASPS despesas (FR 1500 + CO 1002)
    in modalidade 36 are the deduction (XIV), in 35 the deduction (XV) — the Tesouro's mapping
    of those lines (issue 25, item 5). Accounts: 6.2.2.1.3.01 empenhada a liquidar,
    6.2.2.1.3.03 liquidada a pagar, 6.2.2.1.3.04 paga.
      10.302 3.3.36.39 FR 1500/1002: 2.000 + 2.000 + 6.000 → e 10.000, l 8.000, p 6.000 (XIV)
      10.301 4.4.35.52 FR 1500/1002: 3.000 paga → 3.000 in the three (XV)
      10.301 3.3.90.39 FR 1500/1002: 50.000 paga (not deducted)
      10.302 3.3.36.39 FR 1600 (SUS): 7.000 paga → planilha 86, not ASPS, not deducted
    """
    cab = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"
    corpo = []
    for conta, fs, nd, fr, co, v in (
        ("622130100", "10302", "33363900", "1500", "1002", "2000.00"),
        ("622130300", "10302", "33363900", "1500", "1002", "2000.00"),
        ("622130400", "10302", "33363900", "1500", "1002", "6000.00"),
        ("622130400", "10301", "44355200", "1500", "1002", "3000.00"),
        ("622130400", "10301", "33903900", "1500", "1002", "50000.00"),
        ("622130400", "10302", "33363900", "1600", "", "7000.00"),
    ):
        tco = "CO" if co else ""
        for tipo in ("period_change", "ending_balance"):
            corpo.append(f"{conta};10131;PO;{fs};FS;{nd};ND;{fr};FR;{co};{tco};;;{v};{tipo};C")
    arq = tmp_path / "msc.csv"
    arq.write_text("\n".join(["3550308EX;2025-04", cab, *corpo]) + "\n", encoding="utf-8")
    d = Declaracao(municipio, 2025, 2)
    _aplicar(d, [arq])
    v = d.valor
    ap = "apuracao"
    assert [
        v((ap, "recursos_minimo_nao_aplicado", c)) for c in ("empenhada", "liquidada", "paga")
    ] == [
        D("10000.00"),
        D("8000.00"),
        D("6000.00"),
    ]
    assert [v((ap, "rp_cancelados", c)) for c in ("empenhada", "liquidada", "paga")] == [
        D("3000.00")
    ] * 3
    # XII (liquidada) = 8.000 + 3.000 + 50.000 = 61.000; XVI = 61.000 − 8.000 − 3.000 = 50.000
    assert v(("despesas_asps", "total", "liquidada")) == D("61000.00")
    assert v((ap, "valor_aplicado", "liquidada")) == D("50000.00")
