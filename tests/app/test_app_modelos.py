"""Every model of the client passes pytest-qt's ``qtmodeltester``; the None-refcount regression
of ARCHITECTURE ("Qt version"); Brazilian entry rules of the table model."""

from __future__ import annotations

import sys
from decimal import Decimal

import pytest
from PySide6.QtCore import QModelIndex, Qt

from siops.app.documento import Documento
from siops.app.modelos import (
    PAPEL_CHAVE,
    FiltroCriticas,
    FiltroEntes,
    ModeloCriticas,
    ModeloEntes,
    ModeloRecentes,
    ModeloTabela,
    parse_digitado,
)


@pytest.fixture
def documento(qapp, ambiente):
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    return Documento(declaracao_cheia(ente("M355030"), 2025, 6), None)


@pytest.fixture(params=["municipal", "estadual", "df"])
def documento_vazio(request, qapp, ambiente):
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    codigo = {"municipal": "M355030", "estadual": "E35", "df": "E53"}[request.param]
    return Documento(Declaracao(ente(codigo), 2024, 2), None)


def test_modelos_de_todas_as_tabelas_passam_no_modeltester(qtmodeltester, documento):
    for tabela in documento.catalogo.tabelas.values():
        m = ModeloTabela(documento, tabela)
        qtmodeltester.check(m, force_py=True)
        assert m.rowCount(m.index(0, 0)) == 0 and m.columnCount(m.index(0, 0)) == 0


def test_declaracoes_vazias_das_tres_esferas(qtmodeltester, documento_vazio):
    for tabela in documento_vazio.catalogo.tabelas.values():
        m = ModeloTabela(documento_vazio, tabela)
        qtmodeltester.check(m, force_py=True)
        for r in range(m.rowCount()):
            for c in range(1, m.columnCount()):
                texto = m.index(r, c).data()
                assert texto in (None, "0,00", "0,00%", "N/A"), (tabela.id, r, c, texto)


def _com_impeditiva(doc):
    # (through the ledger line of that cell: the Anexo 12 is computed from the ledger)
    d = doc.declaracao
    doc.executar(d.comando_celula(("despesas_asps", "s301_31", "liquidada"), Decimal("9e9")))
    return doc


def test_modelo_das_criticas(qtmodeltester, documento):
    def impeditivas(m):
        return [
            m.index(r, 1).data()
            for r in range(m.rowCount())
            if m.index(r, 0).data() == "Impeditiva"
        ]

    doc = _com_impeditiva(documento)
    m = ModeloCriticas(doc)
    qtmodeltester.check(m, force_py=True)
    assert m.index(0, 0).data() == "Impeditiva"  # impeditivas first
    antes = impeditivas(m)
    assert "510" in antes
    doc.pilha.undo()  # the model follows the document (after a short pause in typing)
    m.atualizar_agora()
    assert m.rowCount() == len(doc.achados)
    assert "510" not in impeditivas(m)


def test_filtro_das_criticas(qtmodeltester, documento):
    # one tester per model: a tester connected to the source too would see nested resets
    doc = _com_impeditiva(documento)
    m = ModeloCriticas(doc)
    f = FiltroCriticas()
    f.setSourceModel(m)
    f.definir("impeditiva", None)
    qtmodeltester.check(f, force_py=True)
    assert f.rowCount() >= 1
    assert all(f.index(r, 0).data() == "Impeditiva" for r in range(f.rowCount()))
    f.definir("aviso", "500")
    assert all(f.index(r, 2).data() == "500" for r in range(f.rowCount()))
    f.definir("impeditiva", "500")
    n = f.rowCount()
    doc.pilha.undo()
    m.atualizar_agora()
    assert f.rowCount() == n - 1


def test_modelo_dos_entes_busca_sem_acentos(qtmodeltester, qapp):
    from siops.forms.entes import municipios

    m = ModeloEntes(municipios())
    assert m.rowCount() == 5570
    f = FiltroEntes()
    f.setSourceModel(m)
    qtmodeltester.check(f, force_py=True)
    f.definir("sao paulo", "SP")
    nomes = [f.index(r, 0).data() for r in range(f.rowCount())]
    assert "São Paulo — SP" in nomes
    f.definir("3550308", None)
    assert [f.index(r, 0).data() for r in range(f.rowCount())] == ["São Paulo — SP"]
    f.definir("xyzzy", None)
    assert f.rowCount() == 0


def test_modelo_dos_recentes(qtmodeltester, qapp, tmp_path):
    arquivos = [tmp_path / "a.OPS", tmp_path / "b.OPS"]
    m = ModeloRecentes(arquivos)
    qtmodeltester.check(m, force_py=True)
    assert m.index(0, 0).data().startswith("a.OPS")
    m.definir([])
    assert m.rowCount() == 0


def test_edicao_pelo_modelo_e_desfazer(documento):
    doc = documento
    t = doc.catalogo.tabela("receitas_totais")  # a table still typed (issue 19)
    m = ModeloTabela(doc, t)
    r, c = m.posicao("patrimonial", "realizada")
    mudancas = []
    m.dataChanged.connect(lambda a, b, *_: mudancas.append((a.row(), b.row())))
    assert m.setData(m.index(r, c), "1.234,5")
    assert m.index(r, c).data() == "1.234,50"
    assert m.index(r, c).data(Qt.ItemDataRole.EditRole) == "1.234,50"
    assert m.index(r, c).data(PAPEL_CHAVE) == ("receitas_totais", "patrimonial", "realizada")
    assert {m.posicao("correntes", "realizada")[0], r} <= {a for a, _ in mudancas}  # totals too
    assert doc.modificado()
    doc.pilha.undo()
    assert not doc.modificado()
    tot = m.posicao("receita_total", "realizada")
    assert not m.setData(m.index(*tot), "5")  # derived: refused
    assert not m.setData(QModelIndex(), "5")
    # A cell computed from the ledger: refused like any derived cell, and says where to go.
    rb = ModeloTabela(doc, doc.catalogo.tabela("receitas_base"))
    iptu = rb.posicao("iptu", "realizada")
    assert not rb.editavel(*iptu)
    assert not rb.setData(rb.index(*iptu), "5")
    assert rb.celula_origem(*iptu) == ("receitas_base", "iptu", "realizada")
    assert "razão" in rb.somente_leitura(*iptu)
    assert rb.celula_origem(*rb.posicao("total_base", "realizada")) is None
    assert not doc.modificado()


def test_edicao_pelo_modelo_do_razao_e_desfazer(documento):
    from siops.app.modelo_razao import ModeloDespesas
    from siops.forms.razao import ChaveDespesa

    doc = documento
    d = doc.declaracao
    m = ModeloDespesas(doc, "4")
    k = next(k for k, _ in d.linhas_razao(ChaveDespesa) if k.planilha == "4")
    r, c = m.posicao_linha(k, "empenhada")
    assert m.setData(m.index(r, c), "1.234,5")
    assert d.lancamento(k, "empenhada") == Decimal("1234.50")
    assert m.index(r, c).data() == "1.234,50"
    assert m.index(r, c).data(PAPEL_CHAVE) == (k, "empenhada")
    assert not m.setData(m.index(r, c), "-1")  # refused, nothing changed
    assert d.lancamento(k, "empenhada") == Decimal("1234.50")
    doc.pilha.undo()
    assert not doc.modificado()


@pytest.mark.parametrize(
    ("texto", "valor"),
    [
        ("1.200", "1200.00"),
        ("1.234.567", "1234567.00"),
        ("1.234,56", "1234.56"),
        ("1234,5", "1234.50"),
        ("1234.5", "1234.50"),
        ("R$ 10", "10.00"),
        ("", "0.00"),
        ("999.999.999.999.999,99", "999999999999999.99"),
    ],
)
def test_digitacao_brasileira(texto, valor):
    assert parse_digitado(texto) == Decimal(valor)


@pytest.mark.parametrize("qual", ["tabela", "razao"])
def test_none_refcount_depois_de_5000_edicoes(documento, qual):
    """ARCHITECTURE "Qt version": PySide6 6.12.0 dropped a reference to None per edit. Both
    models that take typing: a typed table, and a planilha of the ledger (the main entry)."""
    from siops.app.modelo_razao import ModeloDespesas

    doc = documento
    if qual == "tabela":
        m = ModeloTabela(doc, doc.catalogo.tabela("receitas_totais"))
    else:
        m = ModeloDespesas(doc, "4")
    celulas = [
        (r, c) for r in range(m.rowCount()) for c in range(m.columnCount()) if m.editavel(r, c)
    ]
    antes = sys.getrefcount(None)
    for i in range(5000):
        r, c = celulas[i % len(celulas)]
        idx = m.index(r, c)
        assert m.setData(idx, f"{i},{i % 100:02d}")
        m.data(idx)
        m.data(idx, Qt.ItemDataRole.BackgroundRole)
    depois = sys.getrefcount(None)
    assert depois >= antes - 10, (antes, depois)
    assert doc.pilha.count() == 5000
