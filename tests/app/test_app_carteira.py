"""Carteira de entes (issue 26): o núcleo (``app.carteira``), ``siops carteira`` e a janela
(``app.janela_carteira``): cada declaração achada com ente, exercício, bimestre, críticas,
percentual e a situação pelos recibos guardados pelo Transmissor; ordenar, filtrar, validar,
gravar para transmissão, abrir."""

from __future__ import annotations

import json
import os
from decimal import Decimal as D
from pathlib import Path

import pytest

from siops.app import carteira
from siops.app.cli import main
from siops.forms.declaracao import Declaracao, DefinirTexto
from siops.forms.demo import declaracao_demo
from siops.forms.entes import ente
from siops.ops_format import caminhos, gravar_transmissao, salvar
from siops.transmissor.recibos import Arquivos, RegistroTransmissao, sha256_arquivo


def _registrar(copia: Path, situacao: str, protocolo: str) -> None:
    """What the Transmissor records beside a copy it transmitted (``recibos``)."""
    RegistroTransmissao(
        protocolo=protocolo,
        servidor="http://127.0.0.1:8470",
        digest="0" * 64,
        arquivo_sha256=sha256_arquivo(copia),
        recebido_em="2026-03-10T12:00:00+00:00",
        situacao=situacao,
        homologado_em="2026-03-11T09:30:00+00:00" if situacao == "homologado" else "",
    ).gravar(Arquivos(copia).recibo_json)


@pytest.fixture
def raiz(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    monkeypatch.setenv("SIOPS_DADOS", str(tmp_path / "dados"))
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(tmp_path / "transmissor"))
    return tmp_path / "MS-SIOPS"


def _gravar(d) -> Path:
    p = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    salvar(d, p)
    return p


@pytest.fixture
def portfolio(raiz) -> dict[str, Path]:
    """Seven files, one for each situation."""
    arqs: dict[str, Path] = {}
    # homologada: M355030 1º bimestre
    d = declaracao_demo("M355030", 2026, 1)
    arqs["homologada"] = p = _gravar(d)
    _registrar(gravar_transmissao(d, p, []), "homologado", "2026-000001")
    # transmitida: M355030 2º
    d = declaracao_demo("M355030", 2026, 2)
    arqs["transmitida"] = p = _gravar(d)
    _registrar(gravar_transmissao(d, p, []), "transmitido", "2026-000002")
    # gravada: M355480 (Santos? no: any other município) 1º
    d = declaracao_demo("M355480", 2026, 1)
    arqs["gravada"] = p = _gravar(d)
    gravar_transmissao(d, p, [])
    # alterada depois de gravada: M355480 2º
    d = declaracao_demo("M355480", 2026, 2)
    arqs["alterada"] = p = _gravar(d)
    gravar_transmissao(d, p, [])
    d.aplicar(DefinirTexto("secretario_nome", "Outro Nome"))
    salvar(d, p)
    # em preenchimento, com impeditivas (a base vazia): estado de SP
    arqs["em_preenchimento"] = _gravar(Declaracao(ente("E35"), 2026, 3))
    # ilegível
    ruim = raiz / "MUNICIPAL" / "2026" / "TerceiroBimestre" / "M355030_2026_TerceiroBimestre.OPS"
    ruim.parent.mkdir(parents=True, exist_ok=True)
    ruim.write_text("<declaracao>quebrado", encoding="utf-8")
    arqs["ilegivel"] = ruim
    # um escritório: a pasta de outro cliente, fora do padrão, também entra
    outro = raiz / "clientes" / "santos" / "declaracao.OPS"
    salvar(declaracao_demo("M354850", 2026, 1), outro)
    arqs["outro"] = outro
    return arqs


def test_lista_cada_declaracao_com_a_situacao_pelos_recibos(portfolio, raiz):
    itens = {i.caminho: i for i in carteira.listar(raiz, carteira.Cache(None))}
    # the transm copies are not listed as declarations of their own
    assert set(itens) == set(portfolio.values())
    sit = {k: itens[p].situacao for k, p in portfolio.items()}
    assert sit == {
        "homologada": "homologada",
        "transmitida": "transmitida",
        "gravada": "gravada",
        "alterada": "alterada",
        "em_preenchimento": "em_preenchimento",
        "ilegivel": "ilegivel",
        "outro": "em_preenchimento",
    }
    h = itens[portfolio["homologada"]]
    assert h.protocolo == "2026-000001"
    assert h.situacao_texto == "homologado em 11/03/2026 06:30 — protocolo 2026-000001"
    t = itens[portfolio["transmitida"]]
    assert "protocolo 2026-000002" in t.situacao_texto and "transmitido em" in t.situacao_texto
    assert "mudou depois da cópia" in itens[portfolio["alterada"]].situacao_texto
    e = itens[portfolio["em_preenchimento"]]
    assert (e.resumo.ente_codigo, e.resumo.exercicio, e.resumo.bimestre) == ("E35", 2026, 3)
    assert e.resumo.impeditivas > 0 and e.percentual is None and e.percentual_texto == "—"
    demo = declaracao_demo("M355030", 2026, 1)
    assert h.resumo.impeditivas == 0 and h.resumo.avisos == 1
    assert h.percentual == demo.indicadores("liquidada").percentual
    assert (
        "não confere" in itens[portfolio["ilegivel"]].resumo.erro
        or itens[portfolio["ilegivel"]].resumo.erro
    )


def test_cache_so_rele_o_que_mudou(portfolio, raiz, tmp_path, monkeypatch):
    lidos: list[Path] = []
    real = carteira.resumir

    def contar(p: Path):  # a spy: the real reader runs
        lidos.append(p)
        return real(p)

    monkeypatch.setattr(carteira, "resumir", contar)
    cache = carteira.Cache(tmp_path / "cache")
    primeira = carteira.listar(raiz, cache)
    assert len(lidos) == len(portfolio)
    assert (tmp_path / "cache" / carteira.NOME_CACHE).is_file()
    lidos.clear()
    segunda = carteira.listar(raiz, carteira.Cache(tmp_path / "cache"))  # from disk
    assert lidos == []
    assert [i.resumo for i in segunda] == [i.resumo for i in primeira]
    # one file changes: only it is read again
    p = portfolio["outro"]
    st = p.stat()
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000_000))
    carteira.listar(raiz, carteira.Cache(tmp_path / "cache"))
    assert lidos == [p]


def test_cli_carteira_json_e_texto(portfolio, raiz, capsys):
    assert main(["carteira", "--json", "--sem-cache"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["pasta"] == str(raiz) and doc["total"] == len(portfolio)
    por_arquivo = {Path(x["arquivo"]): x for x in doc["declaracoes"]}
    h = por_arquivo[portfolio["homologada"]]
    assert (h["ente_codigo"], h["exercicio"], h["bimestre"], h["situacao"]) == (
        "M355030",
        2026,
        1,
        "homologada",
    )
    assert h["protocolo"] == "2026-000001" and h["impeditivas"] == 0
    assert D(h["percentual"]) > 15
    assert main(["carteira", str(raiz / "clientes")]) == 0
    texto = capsys.readouterr().out
    assert "santos/declaracao.OPS" in texto and "1 declaração;" in texto


def test_cli_carteira_pasta_inexistente_sai_2(raiz, capsys):
    assert main(["carteira", str(raiz / "nao-existe")]) == 2
    assert "não existe" in capsys.readouterr().err


def test_acoes_validar_e_gravar(portfolio, raiz):
    cache = carteira.Cache(None)
    itens = {i.caminho: i for i in carteira.listar(raiz, cache)}
    r = carteira.validar(itens[portfolio["em_preenchimento"]], cache)
    assert not r.ok and "impeditiva" in r.mensagem
    r = carteira.gravar_para_transmissao(itens[portfolio["em_preenchimento"]], cache)
    assert not r.ok and "corrija" in r.mensagem
    assert r.item is not None and r.item.situacao == "em_preenchimento"
    r = carteira.gravar_para_transmissao(itens[portfolio["alterada"]], cache)
    assert r.ok and r.item is not None and r.item.situacao == "gravada"
    r = carteira.validar(itens[portfolio["homologada"]], cache)
    assert r.ok and "1 aviso" in r.mensagem


# --- a janela ------------------------------------------------------------------------------


@pytest.fixture
def janela_carteira(qtbot, portfolio, raiz):
    from siops.app.cliente import criar_aplicacao
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela_carteira import JanelaCarteira

    criar_aplicacao()
    j = JanelaCarteira(pasta=raiz, cache=carteira.Cache(None))
    j.dialogos = DialogosFalsos(j)
    qtbot.addWidget(j)
    j.show()
    j.atualizar()
    qtbot.waitUntil(lambda: not j.tarefas.ocupado(), timeout=30000)
    yield j
    j.tarefas.aguardar()


def _esperar(qtbot, j):
    qtbot.waitUntil(lambda: not j.tarefas.ocupado(), timeout=30000)


def test_janela_lista_ordena_e_filtra(qtbot, qtmodeltester, janela_carteira, portfolio):
    from PySide6.QtCore import Qt

    from siops.app.janela_carteira import COLUNAS

    j = janela_carteira
    qtmodeltester.check(j.modelo)
    assert j.filtro.rowCount() == len(portfolio)
    assert "7 declarações" in j.rotulo.text() and "1 homologada(s)" in j.rotulo.text()
    # sort by percentage, descending: those without a percentage go last
    j.tabela.sortByColumn(COLUNAS.index("% ASPS"), Qt.SortOrder.DescendingOrder)
    linhas = j.linhas_visiveis()
    pcts = [i.percentual for i in linhas[:-2]]
    assert None not in pcts and pcts == sorted(pcts, reverse=True)
    assert {i.situacao for i in linhas[-2:]} == {"ilegivel", "em_preenchimento"}
    # text filter, accents ignored: "sao paulo" finds São Paulo's municipality and state
    j.filtro_edit.setText("sao paulo 2026 2º")
    assert [i.caminho for i in j.linhas_visiveis()] == [portfolio["transmitida"]]
    j.filtro_edit.clear()
    j.situacao_combo.setCurrentIndex(j.situacao_combo.findData("homologada"))
    assert [i.caminho for i in j.linhas_visiveis()] == [portfolio["homologada"]]
    assert "(1 no filtro)" in j.rotulo.text()
    j.situacao_combo.setCurrentIndex(0)
    j.so_impeditivas.setChecked(True)
    assert [i.caminho for i in j.linhas_visiveis()] == [portfolio["em_preenchimento"]]


def _selecionar(j, caminhos_: list[Path]) -> None:
    from PySide6.QtCore import QItemSelectionModel

    j.tabela.clearSelection()
    for r, it in enumerate(j.linhas_visiveis()):
        if it.caminho in caminhos_:
            j.tabela.selectionModel().select(
                j.filtro.index(r, 0),
                QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
            )


def test_janela_gravar_para_transmissao_e_validar_na_selecao(qtbot, janela_carteira, portfolio):
    j = janela_carteira
    assert not j.botao_gravar.isEnabled()
    _selecionar(j, [portfolio["alterada"], portfolio["em_preenchimento"]])
    assert len(j.selecionados()) == 2 and j.botao_gravar.isEnabled()
    j.botao_gravar.click()
    _esperar(qtbot, j)
    titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert titulo == "Gravar para transmissão" and texto == "1 de 2 concluída(s)."
    assert "cópia para transmissão gravada" in detalhes and "impeditiva" in detalhes
    por = {i.caminho: i for i in j.modelo.itens}
    assert por[portfolio["alterada"]].situacao == "gravada"
    assert por[portfolio["em_preenchimento"]].situacao == "em_preenchimento"
    _selecionar(j, [portfolio["homologada"]])
    j.botao_validar.click()
    _esperar(qtbot, j)
    titulo, texto, detalhes = j.dialogos.mensagens[-1]
    assert (titulo, texto) == ("Validar", "1 de 1 concluída(s).")
    assert "nenhuma crítica impeditiva, 1 aviso(s)" in detalhes


def test_janela_abrir_no_transmissor_e_abrir_declaracao(qtbot, janela_carteira, portfolio):
    from siops.transmissor.gui.janela import JanelaTransmissor

    j = janela_carteira
    _selecionar(j, [portfolio["em_preenchimento"]])
    j.botao_transmissor.click()
    assert "ainda não foi gravada" in j.dialogos.mensagens[-1][1]
    _selecionar(j, [portfolio["transmitida"]])
    j.botao_transmissor.click()
    t = next(w for w in j._janelas if isinstance(w, JanelaTransmissor))
    qtbot.addWidget(t)
    assert t.isVisible()
    with qtbot.waitSignal(j.abrirDeclaracao) as sinal:
        j.botao_abrir.click()
    assert sinal.args == [portfolio["transmitida"]]
    t.close()


def test_menu_da_janela_principal_abre_a_carteira(janela, balcao, portfolio, raiz):
    from siops.app.janela_carteira import JanelaCarteira

    assert janela.a_carteira.isEnabled()
    janela.a_carteira.trigger()
    c = next(w for w in janela._janelas_extras if isinstance(w, JanelaCarteira))
    balcao.qtbot.waitUntil(lambda: not c.tarefas.ocupado(), timeout=30000)
    assert c.pasta == raiz and len(c.modelo.itens) == len(portfolio)
    _selecionar(c, [portfolio["homologada"]])
    c.botao_abrir.click()
    balcao.qtbot.waitUntil(lambda: janela.documento is not None, timeout=15000)
    assert janela.documento.caminho == portfolio["homologada"]
    c.close()
