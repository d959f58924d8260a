"""Balancete import: CSV and XLSX, columns by header names, saved choices, bad spreadsheets."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from siops.contabil import ErroContabil, importar
from siops.contabil.balancete import ler_balancete
from siops.forms.declaracao import Declaracao
from siops.forms.razao import ChaveDespesa

D = Decimal

RECEITA_CSV = """Balancete da Receita - Prefeitura de São Paulo - até abril de 2025
Código;Descrição;Previsão Inicial;Previsão Atualizada;Arrecadado no mês;Arrecadado até o mês
1.0.0.0.00.0.0;RECEITAS CORRENTES;1.000.000,00;1.100.000,00;10,00;750.000,00
1.1.1.2.50.0.0;IPTU;500.000,00;550.000,00;5,00;300.000,00
1.1.1.2.50.0.1;IPTU - Principal;450.000,00;500.000,00;5,00;280.000,00
1.1.1.2.50.0.2;IPTU - Multas e Juros;50.000,00;50.000,00;0,00;20.000,00
1.1.1.4.51.1.1;ISS - Principal;500.000,00;550.000,00;5,00;450.000,00
;TOTAL GERAL;1.000.000,00;1.100.000,00;10,00;750.000,00
"""
# The analytic rows: IPTU principal 280.000 + multas 20.000 = 300.000; ISS 450.000. The
# synthetic rows (1.0.0.0…, 1.1.1.2.50.0.0) and the total are not added again.

DESPESA_CSV = """Função/Subfunção;Natureza da Despesa;Fonte de Recursos;Dotação Inicial;Dotação Atualizada;Empenhado;Liquidado;Pago
10.301;3.3.90.00.00;1.500.1002;100000,00;120000,00;80000,00;60000,00;50000,00
10.301;3.3.90.30.00;1.500.1002;60000,00;70000,00;50000,00;40000,00;30000,00
10.301;3.3.90.39.00;1.500.1002;40000,00;50000,00;30000,00;20000,00;20000,00
10.302;3.3.90.39.00;1.600.0000;10000,00;10000,00;9000,00;8000,00;7000,00
10.301;3.1.90.01.00;1.500.1002;5000,00;5000,00;4000,00;4000,00;4000,00
04.122;3.1.90.11.00;1.500.1001;9999,00;9999,00;9999,00;9999,00;9999,00
"""
# 3.3.90.00.00 is the subtotal of .30 and .39 (same FS and fonte). FS 10.301, fonte 1500 CO 1002:
# ASPS s301_33 empenhada 50.000 + 30.000 = 80.000; liquidada 60.000; paga 50.000; dotação
# inicial 100.000, atualizada 120.000. FR 1600: não computada s302_33 9.000/8.000/7.000.
# 3.1.90.01 (aposentadorias) excluded; função 04 outside the scope.


@pytest.fixture
def d(municipio) -> Declaracao:
    return Declaracao(municipio, 2025, 2)


@pytest.fixture
def config(tmp_path) -> Path:
    return tmp_path / "config" / "colunas.json"


def test_balancete_receita_csv_so_as_analiticas(d, tmp_path, config):
    arq = tmp_path / "receita.csv"
    arq.write_text(RECEITA_CSV, encoding="cp1252")
    p = importar(d, [arq], config=config)
    c = p.tabela("receitas_base").celulas
    assert c[("receitas_base", "iptu", "realizada")] == D("300000.00")
    assert c[("receitas_base", "iptu", "previsao_inicial")] == D("500000.00")
    assert c[("receitas_base", "iss", "previsao_atualizada")] == D("550000.00")
    assert c[("receitas_base", "iss", "realizada")] == D("450000.00")
    assert any("Arrecadado no mês" in a for a in p.avisos)  # the month's column is skipped
    assert any("sem código" in a for a in p.avisos)
    assert all(x.fecha for x in p.conciliacao)
    total = {x.medida: x.fonte for x in p.conciliacao}
    assert total["realizada"] == D("750000.00")


def test_balancete_despesa_csv(d, tmp_path, config):
    arq = tmp_path / "despesa.csv"
    arq.write_text(DESPESA_CSV, encoding="utf-8")
    p = importar(d, [arq], config=config)
    a = p.tabela("despesas_asps").celulas
    assert a[("despesas_asps", "s301_33", "empenhada")] == D("80000.00")
    assert a[("despesas_asps", "s301_33", "liquidada")] == D("60000.00")
    assert a[("despesas_asps", "s301_33", "paga")] == D("50000.00")
    assert a[("despesas_asps", "s301_33", "dotacao_atualizada")] == D("120000.00")
    n = p.tabela("despesas_nao_computadas").celulas
    assert n[("despesas_nao_computadas", "s302_33", "paga")] == D("7000.00")
    c = {x.medida: (x.fonte, x.importado, x.nao_mapeado) for x in p.conciliacao}
    # função 10: 80.000 + 9.000 + 4.000 (aposentadorias, não mapeada) = 93.000
    assert c["empenhada"] == (D("93000.00"), D("89000.00"), D("4000.00"))
    assert all(x.fecha for x in p.conciliacao)
    # applied: the ledger lines (fonte 1.500.1002 → planilha 4; 1.600.0000 → 86) fill the
    # views by fonte and by elemento too: próprios 80.000 empenhada (3.3.90.30 50.000 +
    # 3.3.90.39 30.000), SUS União 9.000; serviços PJ = 30.000 + 9.000 = 39.000
    d.aplicar(p.lote())
    assert d.lancamento(ChaveDespesa("4", "301", "3390300000"), "empenhada") == D("50000.00")
    assert d.lancamento(ChaveDespesa("86", "302", "3390390000"), "paga") == D("7000.00")
    assert d.valor(("despesa_fonte", "recursos_proprios", "empenhada")) == D("80000.00")
    assert d.valor(("despesa_fonte", "sus_uniao", "empenhada")) == D("9000.00")
    assert d.valor(("despesa_elemento", "servicos_terceiros_pj", "empenhada")) == D("39000.00")
    # the excluded aposentadorias (3.1.90.01) are a ledger line, outside the Anexo 12
    assert d.lancamento(ChaveDespesa("4", "301", "3190010000"), "empenhada") == D("4000.00")


def _xlsx(caminho: Path, linhas: list[list], mesclar: str | None = None, formula=False) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Receitas"
    for r in linhas:
        ws.append(r)
    if formula:
        ws["D4"] = "=B4+C4"
    if mesclar:
        ws.merge_cells(mesclar)
    wb.save(caminho)
    return caminho


LINHAS_XLSX = [
    ["Balancete da receita"],
    ["Natureza da Receita", "Especificação", "Previsão Atualizada", "Receita Realizada"],
    ["1.1.1.2.53.0.1", "ITBI", 120000.5, 99999.99],
    ["1.1.1.3.03.1.1", "IRRF", 50000, 45000.1],
]


def test_balancete_xlsx(d, tmp_path, config):
    arq = _xlsx(tmp_path / "r.xlsx", LINHAS_XLSX)
    p = importar(d, [arq], config=config)
    c = p.tabela("receitas_base").celulas
    assert c[("receitas_base", "itbi", "realizada")] == D("99999.99")
    assert c[("receitas_base", "itbi", "previsao_atualizada")] == D("120000.50")
    assert c[("receitas_base", "irrf", "realizada")] == D("45000.10")
    # no 'previsão inicial' column: that column is left alone
    assert ("receitas_base", "itbi", "previsao_inicial") not in c
    from siops.forms.declaracao import DefinirLancamento
    from siops.forms.razao import ChaveReceita

    itbi = ChaveReceita("11125301")
    d.aplicar(DefinirLancamento(itbi, "previsao_inicial", D("7.00")))
    d.aplicar(importar(d, [arq], config=config).lote())
    assert d.razao()[itbi] == {
        "previsao_inicial": D("7.00"),  # kept: the balancete does not inform it
        "previsao_atualizada": D("120000.50"),
        "realizada": D("99999.99"),  # a balancete's realizada as it comes, deduções zero
    }


def test_xlsx_com_formulas_sem_valor_calculado(d, tmp_path, config):
    arq = _xlsx(tmp_path / "f.xlsx", LINHAS_XLSX, formula=True)
    antes = d.estado()
    with pytest.raises(ErroContabil, match=r"fórmulas sem valor calculado \(célula D4: =B4\+C4"):
        importar(d, [arq], config=config)
    assert d.estado() == antes


def test_xlsx_com_cabecalho_mesclado(d, tmp_path, config):
    arq = _xlsx(tmp_path / "m.xlsx", LINHAS_XLSX, mesclar="C2:D2")
    with pytest.raises(ErroContabil, match=r"células mescladas \(C2:D2\)") as e:
        importar(d, [arq], config=config)
    assert e.value.linha == 2


def test_xlsx_titulo_mesclado_acima_do_cabecalho_e_aceito(d, tmp_path, config):
    arq = _xlsx(tmp_path / "t.xlsx", LINHAS_XLSX, mesclar="A1:D1")
    p = importar(d, [arq], config=config)
    assert p.tabela("receitas_base").celulas[("receitas_base", "itbi", "realizada")] == D(
        "99999.99"
    )


def test_xlsx_vazio(d, tmp_path, config):
    wb = openpyxl.Workbook()
    arq = tmp_path / "vazio.xlsx"
    wb.save(arq)
    with pytest.raises(ErroContabil, match="planilha está vazia"):
        importar(d, [arq], config=config)


def test_csv_vazio(d, tmp_path, config):
    arq = tmp_path / "vazio.csv"
    arq.write_text("", encoding="utf-8")
    with pytest.raises(ErroContabil, match="vazio"):
        importar(d, [arq], config=config)


def test_valor_nao_numerico_com_a_linha(d, tmp_path, config):
    arq = tmp_path / "r.csv"
    arq.write_text(
        "Natureza;Realizada\n1.1.1.2.50.0.1;100,00\n1.1.1.2.53.0.1;cem reais\n", encoding="utf-8"
    )
    with pytest.raises(ErroContabil, match="'cem reais'") as e:
        importar(d, [arq], config=config)
    assert e.value.linha == 3 and "linha 3" in str(e.value)


def test_colunas_escolhidas_sao_salvas_para_o_proximo_bimestre(d, tmp_path, config):
    texto = "Cód. Rec.;Vl. Acumulado\n1.1.1.2.50.0.1;1.500,00\n"
    arq = tmp_path / "abril.csv"
    arq.write_text(texto, encoding="utf-8")
    with pytest.raises(ErroContabil, match="não encontrei o cabeçalho"):
        ler_balancete(arq, config=config)
    fonte = ler_balancete(
        arq, {"natureza": "Cód. Rec.", "realizada": "Vl. Acumulado"}, config=config
    )
    assert fonte.receitas[("11125001", "")]["realizada"] == D("1500.00")
    salvo = json.loads(config.read_text(encoding="utf-8"))
    assert next(iter(salvo["mapeamentos"].values()))["realizada"] == "Vl. Acumulado"
    junho = tmp_path / "junho.csv"
    junho.write_text("Cód. Rec.;Vl. Acumulado\n1.1.1.2.50.0.1;2.500,00\n", encoding="utf-8")
    fonte = ler_balancete(junho, config=config)  # no choice given: the saved one is used
    assert fonte.receitas[("11125001", "")]["realizada"] == D("2500.00")


def test_caminho_config_pela_variavel(monkeypatch, tmp_path):
    from siops.contabil.balancete import caminho_config

    monkeypatch.setenv("SIOPS_BALANCETE_COLUNAS", str(tmp_path / "x.json"))
    assert caminho_config() == tmp_path / "x.json"
    monkeypatch.delenv("SIOPS_BALANCETE_COLUNAS")
    assert caminho_config().name == "balancete_colunas.json"


def test_receita_e_despesa_juntas(d, tmp_path, config):
    r = tmp_path / "receita.csv"
    r.write_text(RECEITA_CSV, encoding="utf-8")
    s = tmp_path / "despesa.csv"
    s.write_text(DESPESA_CSV, encoding="utf-8")
    p = importar(d, [r, s], config=config)
    assert {t.id for t in p.tabelas} >= {"receitas_base", "despesas_asps"}
    assert all(x.fecha for x in p.conciliacao)


def test_msc_e_balancete_nao_se_misturam(d, tmp_path, config):
    r = tmp_path / "receita.csv"
    r.write_text(RECEITA_CSV, encoding="utf-8")
    msc = Path(__file__).parent / "dados" / "msc_3550308_2025_04.csv"
    with pytest.raises(ErroContabil, match="só MSCs ou só balancetes"):
        importar(d, [r, msc], config=config)
