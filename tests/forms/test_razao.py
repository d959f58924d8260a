"""The ledger (issue 19): a declaration filled only with receita and despesa lines yields the
Anexo 12, the despesa por fonte, por elemento, the consórcios' transfers and the indicators;
every figure below is worked out by hand in the comments."""

from __future__ import annotations

import random
from decimal import Decimal as D

import pytest

from siops.criticas import verificar
from siops.forms.declaracao import (
    CHAVE_RAZAO,
    Declaracao,
    DefinirLancamento,
    EdicaoInvalida,
    IncluirLinha,
    Lote,
    RemoverLinha,
    SubstituirRazao,
)
from siops.forms.razao import (
    PLANILHAS,
    ChaveDespesa,
    ChaveInvalida,
    ChaveReceita,
    natureza_despesa,
)
from siops.relatorios.indicadores import calcular

E, L, P = "empenhada", "liquidada", "paga"


def _despesa(plan: str, sub: str, nd: str, emp: str, liq: str, pag: str, dot: str = "0"):
    valores = ((E, D(emp)), (L, D(liq)), (P, D(pag)))
    if dot != "0":
        valores += (("dotacao_inicial", D(dot)), ("dotacao_atualizada", D(dot)))
    return ChaveDespesa.de(plan, sub, nd), valores


def _so_o_razao(municipio) -> Declaracao:
    """A 6º-bimestre declaration with only ledger lines (no table typed)."""
    d = Declaracao(municipio, 2025, 6)
    linhas = [
        # receitas: IPTU bruto 1.000.000,00 with 10.000,00 of deduções → (b) 990.000,00;
        # Cota-Parte FPM 2.000.000,00. Base (III) = 990.000 + 2.000.000 = 2.990.000,00
        (
            ChaveReceita.de("1.1.1.2.50.0.1"),
            (
                ("previsao_inicial", D("1100000.00")),
                ("previsao_atualizada", D("1100000.00")),
                ("realizada", D("1000000.00")),
                ("deducoes", D("10000.00")),
            ),
        ),
        (
            ChaveReceita.de("1.7.1.1.51.1"),
            (("previsao_atualizada", D("2100000.00")), ("realizada", D("2000000.00"))),
        ),
        # planilha 4 (impostos — ASPS): pessoal in Atenção Básica, medicamentos in the 302,
        # serviços PJ in an administrative subfunção (→ "Outras subfunções")
        _despesa("4", "301", "3.1.90.11", "300000", "290000", "280000", "310000"),
        _despesa("4", "302", "3.3.90.30.09", "150000", "150000", "100000", "160000"),
        _despesa("4", "adm", "3.3.90.39", "50000", "40000", "40000", "60000"),
        # planilha 86 (SUS União, custeio): not computed in the minimum
        _despesa("86", "302", "3.3.90.39", "200000", "180000", "170000", "210000"),
        # inativos paid with ASPS money: excluded by the model (3.1.90.01), outside the Anexo 12
        _despesa("4", "301", "3.1.90.01", "40000", "40000", "40000"),
        # rateio to a consórcio (modalidade 71): outside the despesas, (II) of the consórcios
        _despesa("4", "302", "3.3.71.70", "30000", "30000", "25000"),
    ]
    d.aplicar(SubstituirRazao(tuple(linhas)))
    return d


def test_so_com_o_razao_sai_o_anexo_12_fonte_elemento_e_indicadores(municipio):
    d = _so_o_razao(municipio)
    v = d.valor
    # receitas: (III) = 990.000 + 2.000.000
    assert v(("receitas_base", "iptu", "realizada")) == D("990000.00")
    assert v(("receitas_base", "total_base", "realizada")) == D("2990000.00")
    assert v(("receitas_base", "iptu", "previsao_inicial")) == D("1100000.00")
    # ASPS by row: 301/3.1 = 300.000 (the 40.000 of inativos are excluded); 302/3.3 = 150.000;
    # outras/3.3 = 50.000 → (XI) 500.000 empenhados; 490.000 liquidados (290 + 150 + 40 + …)
    assert v(("despesas_asps", "s301_31", E)) == D("300000.00")
    assert v(("despesas_asps", "s302_33", E)) == D("150000.00")
    assert v(("despesas_asps", "outras_33", E)) == D("50000.00")
    assert v(("despesas_asps", "total", E)) == D("500000.00")
    assert v(("despesas_asps", "total", L)) == D("480000.00")  # 290 + 150 + 40
    # (g) RP não processados in the 6º: d − e = 500.000 − 480.000
    assert v(("despesas_asps", "total", "rp_nao_processados")) == D("20000.00")
    # não computadas: 200.000 (planilha 86, 302, 3.3)
    assert v(("despesas_nao_computadas", "s302_33", E)) == D("200000.00")
    assert v(("despesas_totais", "total", E)) == D("700000.00")
    # by fonte: recursos próprios 500.000 (ASPS only), SUS União 200.000: = the total
    assert v(("despesa_fonte", "recursos_proprios", E)) == D("500000.00")
    assert v(("despesa_fonte", "sus_uniao", E)) == D("200000.00")
    assert v(("despesa_fonte", "total", E)) == v(("despesas_totais", "total", E))
    # by elemento: pessoal 300.000; medicamentos 150.000; serviços PJ 50.000 + 200.000
    assert v(("despesa_elemento", "pessoal", E)) == D("300000.00")
    assert v(("despesa_elemento", "medicamentos", E)) == D("150000.00")
    assert v(("despesa_elemento", "servicos_terceiros_pj", E)) == D("250000.00")
    assert v(("despesa_elemento", "total", P)) == v(("despesas_totais", "total", P))
    # consórcios (II): the modalidade 71 line
    assert v(("consorcios", "transferido_rateio", P)) == D("25000.00")
    # apuração on the empenhada (6º): 500.000 / 2.990.000 = 16,722408…%
    ind = d.indicadores("empenhada")
    assert ind.valor_aplicado == D("500000.00")
    assert ind.percentual == D("16.722408")
    # indicator 2.2 (pessoal / despesa total, liquidadas) = 290.000 / (290.000 + 150.000 +
    # 40.000 + 180.000) = 290.000 / 660.000 = 43,9393…% → 43,94
    assert {i.codigo: i.texto for i in calcular(d)}["2.2"] == "43,94"


def test_nenhuma_critica_por_tabela_resumo_vazia(municipio):
    """Before the ledger, a 6º bimestre with receitas and ASPS filled and nothing else was
    blocked by 710 until the fonte table was retyped (issue 19)."""
    d = _so_o_razao(municipio)
    achados = verificar(d)
    assert not [a for a in achados if a.codigo in (516, 710, 711)]
    assert not [a for a in achados if a.tabela in ("despesa_fonte", "despesa_elemento")]


def test_linha_fora_do_anexo_12_diz_por_que(municipio):
    d = _so_o_razao(municipio)
    cls = d.catalogo.classificador
    inativos = ChaveDespesa.de("4", "301", "3.1.90.01")
    assert cls.destino(inativos).linha_anexo12 is None
    assert "inativos" in cls.destino(inativos).motivo
    rateio = ChaveDespesa.de("4", "302", "3.3.71.70")
    assert "modalidade 71" in cls.destino(rateio).motivo


def test_de_onde_vem_este_valor(municipio):
    d = _so_o_razao(municipio)
    origem = d.origem(("despesa_elemento", "servicos_terceiros_pj", E))
    # the two serviços PJ lines (planilhas 4 and 86), with their values: 50.000 + 200.000
    assert [(k.planilha, valor) for k, _, _, valor in origem] == [
        ("4", D("50000.00")),
        ("86", D("200000.00")),
    ]
    assert sum(s * x for _, _, s, x in origem) == d.valor(
        ("despesa_elemento", "servicos_terceiros_pj", E)
    )
    # a receita row: realizada = bruta − deduções
    iptu = d.origem(("receitas_base", "iptu", "realizada"))
    assert [(c, s, x) for _, c, s, x in iptu] == [
        ("realizada", 1, D("1000000.00")),
        ("deducoes", -1, D("10000.00")),
    ]


def test_editar_incluir_excluir_e_desfazer(municipio):
    d = _so_o_razao(municipio)
    antes = d.estado(), d.razao()
    ouvidas: list[set] = []
    d.ouvir(ouvidas.append)
    nova = ChaveDespesa.de("4", "305", "3.3.90.39")
    inv1 = d.aplicar(IncluirLinha(nova, ((E, D("1000.00")),)))
    # one line more: ASPS +1.000, the 305 row, the fonte and the elemento follow
    assert d.valor(("despesas_asps", "s305_33", E)) == D("1000.00")
    assert d.valor(("despesa_fonte", "recursos_proprios", E)) == D("501000.00")
    assert CHAVE_RAZAO in ouvidas[-1] and ("despesas_asps", "total", E) in ouvidas[-1]
    inv2 = d.aplicar(DefinirLancamento(nova, E, D("2500.00")))
    assert d.valor(("despesas_asps", "total", E)) == D("502500.00")
    inv3 = d.aplicar(RemoverLinha(ChaveDespesa.de("86", "302", "3.3.90.39")))
    assert d.valor(("despesas_nao_computadas", "total", E)) == D("0.00")
    for inv in (inv3, inv2, inv1):
        d.aplicar(inv)
    assert (d.estado(), d.razao()) == antes
    with pytest.raises(EdicaoInvalida, match="já existe"):
        d.aplicar(IncluirLinha(ChaveDespesa.de("4", "301", "3.1.90.11")))


def test_lote_com_erro_nao_aplica_nada(municipio):
    d = _so_o_razao(municipio)
    antes = d.estado(), d.razao()
    k = ChaveDespesa.de("4", "301", "3.1.90.11")
    with pytest.raises(EdicaoInvalida, match="negativo"):
        d.aplicar(Lote((DefinirLancamento(k, E, D("1")), DefinirLancamento(k, L, D("-1")))))
    assert (d.estado(), d.razao()) == antes


def test_colunas_so_do_6o_bimestre_e_chaves_invalidas(municipio):
    d = Declaracao(municipio, 2025, 3)
    k = ChaveDespesa.de("4", "301", "3.3.90.39")
    with pytest.raises(EdicaoInvalida, match="6º bimestre"):
        d.aplicar(DefinirLancamento(k, "inscritas_rpnp", D("1.00")))
    with pytest.raises(EdicaoInvalida, match="inexistente"):
        d.aplicar(DefinirLancamento(k, "arrecadada", D("1.00")))
    with pytest.raises(ChaveInvalida, match="Planilha"):
        ChaveDespesa.de("77", "301", "3.3.90.39")
    with pytest.raises(ChaveInvalida, match="Subfunção"):
        ChaveDespesa.de("4", "999", "3.3.90.39")
    with pytest.raises(ChaveInvalida, match="grupo"):
        ChaveDespesa.de("4", "301", "3.7.90.39")
    with pytest.raises(ChaveInvalida, match="números e pontos"):
        natureza_despesa("3.3.9O.39")
    assert natureza_despesa("3.3.90.30.09") == "3390300900"


def test_celula_do_anexo_12_nao_se_digita(municipio):
    from siops.forms.declaracao import DefinirCelula

    d = Declaracao(municipio, 2025, 1)
    with pytest.raises(EdicaoInvalida, match="razão"):
        d.aplicar(DefinirCelula(("despesa_fonte", "recursos_proprios", E), D("1.00")))
    assert not d.catalogo.editavel(("despesas_asps", "s301_31", E), 1)
    assert d.catalogo.agregada(("despesa_elemento", "pessoal", E))


def test_incremental_igual_ao_recalculo_completo(municipio):
    """Random ledger edits, applied one by one, give the same state as loading the final
    ledger at once (the engine's incremental path agrees with the full pass)."""
    rnd = random.Random(19)
    d = Declaracao(municipio, 2025, 6)
    naturezas = ["3.1.90.11", "3.3.90.30.09", "3.3.90.39", "4.4.90.52", "3.1.90.01", "3.3.71.70"]
    subs = ["301", "302", "305", "adm", "outras"]
    for _ in range(300):
        k = ChaveDespesa.de(
            rnd.choice([p.codigo for p in PLANILHAS]), rnd.choice(subs), rnd.choice(naturezas)
        )
        if d.tem_linha(k) and rnd.random() < 0.2:
            d.aplicar(RemoverLinha(k))
            continue
        col = rnd.choice([E, L, P, "dotacao_atualizada"])
        d.aplicar(DefinirLancamento(k, col, D(rnd.randint(0, 10_000_000)) / 100))
    completa = Declaracao(municipio, 2025, 6)
    completa.carregar((), {}, tuple((k, tuple(v.items())) for k, v in d.razao().items()))
    assert d.estado() == completa.estado()
