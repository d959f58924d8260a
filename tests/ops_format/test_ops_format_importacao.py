"""Import of the previous bimestre: only the importable pastas, driven by the catalog."""

from __future__ import annotations

import shutil
from decimal import Decimal

import pytest

from siops.forms.declaracao import Declaracao, DefinirLancamento, DefinirTexto
from siops.forms.entes import ente
from siops.forms.razao import ChaveDespesa, ChaveReceita, colunas_de
from siops.ops_format import ImportacaoRecusada, importar_anterior, ler, salvar


def _importaveis(anterior: Declaracao, atual: Declaracao):
    """What must arrive, computed from the catalog's flags (never a list typed here)."""
    cat = atual.catalogo
    textos = {c: t for c, t in anterior.textos().items() if cat.campos[c].importavel}
    celulas = {
        k: v
        for k, v in anterior.celulas_digitadas()
        if cat.tabela(k[0]).coluna(k[2]).importavel and cat.editavel(k, atual.bimestre)
    }
    razao = {
        (k, c.id): vals[c.id]
        for k, vals in anterior.razao().items()
        for c in colunas_de(k)
        if c.importavel and c.id in vals
    }
    return textos, celulas, razao


def _lancamentos(d: Declaracao) -> dict:
    return {(k, c): v for k, vals in d.razao().items() for c, v in vals.items()}


def test_copia_exatamente_os_campos_e_colunas_importaveis(completa):
    anterior = completa("M355030", 2025, 2)
    atual = Declaracao(ente("M355030"), 2025, 3)
    imp = importar_anterior(anterior, atual)
    assert atual.celulas_digitadas() is not None and not list(atual.celulas_digitadas())
    inverso = imp.aplicar()
    textos, celulas, razao = _importaveis(anterior, atual)
    assert atual.textos() == textos
    assert dict(atual.celulas_digitadas()) == celulas
    assert _lancamentos(atual) == razao
    # what that means, in the catalog's terms: every text field, and only the previsão and
    # dotação (inicial and atualizada: the LOA), in the ledger's receitas and despesas lines
    assert len(textos) == len(atual.catalogo.campos)
    assert {c for _, c in razao} == {
        "previsao_inicial",
        "previsao_atualizada",
        "dotacao_inicial",
        "dotacao_atualizada",
    }
    assert {k[2] for k in celulas} <= {"previsao_inicial", "previsao_atualizada"}
    assert any(isinstance(k, ChaveReceita) for k, _ in razao)
    assert any(isinstance(k, ChaveDespesa) for k, _ in razao)
    assert any(c == "realizada" for _, c in _lancamentos(anterior))  # the realized stay behind
    assert not any(c in ("realizada", "empenhada") for _, c in _lancamentos(atual))
    # the preview counted per pasta what the lote does
    assert imp.total_campos == len(textos) and imp.total_celulas == len(celulas) + len(razao)
    assert len(imp.lote.comandos) == len(textos) + len(celulas) + len(razao)
    por_pasta = {p.pasta: p for p in imp.pastas}
    assert {"dados_gerais", "informacoes_adicionais", "razao_despesas", "razao_receitas"} <= set(
        por_pasta
    )
    assert por_pasta["dados_gerais"].campos > 0 and por_pasta["razao_receitas"].celulas > 0
    assert imp.substituidos == 0
    resumo = imp.resumo()
    assert "do 2º bimestre de 2025 para o 3º bimestre de 2025" in resumo
    assert "Receitas por natureza (razão):" in resumo and "Planilhas de despesa (razão):" in resumo
    assert "previsão atualizada" in resumo and "dotação atualizada" in resumo
    # one undo step
    atual.aplicar(inverso)
    assert not atual.textos() and not list(atual.celulas_digitadas()) and not atual.razao()


def test_importacao_por_arquivo_imp_e_salvar(completa, tmp_path):
    anterior = completa("E35", 2024, 4)
    ops = tmp_path / "E35_2024_QuartoBimestre.OPS"
    salvar(anterior, ops)
    imp_arq = tmp_path / "E35_2024_QuartoBimestre.IMP"
    shutil.copy(ops, imp_arq)  # what the user does today: copy and rename
    atual = Declaracao(ente("E35"), 2024, 5)
    importar_anterior(ler(imp_arq), atual).aplicar()
    salvar(atual, tmp_path / "E35_2024_QuintoBimestre.OPS")
    relida = ler(tmp_path / "E35_2024_QuintoBimestre.OPS")
    textos, celulas, razao = _importaveis(anterior, relida)
    assert relida.textos() == textos and dict(relida.celulas_digitadas()) == celulas
    assert _lancamentos(relida) == razao


def test_preserva_o_que_o_arquivo_anterior_nao_tem_e_conta_substituicoes(municipio):
    anterior = Declaracao(municipio, 2025, 1)
    anterior.aplicar(DefinirTexto("secretario_nome", "Nova Secretária"))
    iptu = ChaveReceita.de("1.1.1.2.50.0.1")
    anterior.aplicar(DefinirLancamento(iptu, "previsao_atualizada", Decimal(5)))
    atual = Declaracao(municipio, 2025, 2)
    atual.aplicar(DefinirTexto("secretario_nome", "Antiga"))
    atual.aplicar(DefinirTexto("fundo_lei", "Lei 1/1990"))
    atual.aplicar(DefinirLancamento(iptu, "realizada", Decimal(7)))
    imp = importar_anterior(anterior, atual)
    assert imp.substituidos == 1  # the secretário's name; the IPTU line gains its previsão
    assert "1 item já preenchido será substituído" in imp.resumo()
    imp.aplicar()
    assert atual.texto("secretario_nome") == "Nova Secretária"
    assert atual.texto("fundo_lei") == "Lei 1/1990"
    assert atual.valor(("receitas_base", "iptu", "realizada")) == Decimal(7)
    assert atual.valor(("receitas_base", "iptu", "previsao_atualizada")) == Decimal(5)


def test_de_outro_exercicio_so_os_textos(completa):
    anterior = completa("M355030", 2024, 6)
    atual = Declaracao(ente("M355030"), 2025, 1)
    imp = importar_anterior(anterior, atual)
    assert imp.so_textos and imp.total_celulas == 0 and imp.total_campos > 0
    assert "outro exercício" in imp.resumo()
    imp.aplicar()
    assert atual.textos() == anterior.textos() and not list(atual.celulas_digitadas())
    assert not atual.razao()


@pytest.mark.parametrize(
    ("codigo", "exercicio", "bimestre", "trecho"),
    [
        ("M355480", 2025, 1, "do mesmo ente"),
        ("E35", 2025, 1, "do mesmo ente"),
        ("M355030", 2025, 3, "período posterior"),
        ("M355030", 2026, 1, "período posterior"),
        ("M355030", 2025, 2, "mesmo período"),
    ],
)
def test_recusa_outro_ente_e_periodo_nao_anterior(municipio, codigo, exercicio, bimestre, trecho):
    atual = Declaracao(municipio, 2025, 2)
    outro = Declaracao(ente(codigo), exercicio, bimestre)
    outro.aplicar(DefinirTexto("secretario_nome", "X"))
    with pytest.raises(ImportacaoRecusada) as exc:
        importar_anterior(outro, atual)
    assert trecho in str(exc.value)
    assert str(exc.value).endswith("importe um arquivo do mesmo ente.") or str(exc.value).endswith(
        "importe o arquivo de um bimestre anterior."
    )
    assert not atual.textos()


# --- the CLI -----------------------------------------------------------------------------------


def test_cli_importar_anterior(completa, siops, tmp_path):
    anterior = completa("M355030", 2025, 1)
    imp_arq = tmp_path / "M355030_2025_PrimeiroBimestre.IMP"
    salvar(anterior, imp_arq)
    atual = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    r = siops("novo", "--ente", "M355030", "--exercicio", "2025", "--bimestre", "2", "-o", atual)
    assert r.returncode == 0, r.stderr
    vazio = atual.read_bytes()

    r = siops("importar-anterior", imp_arq, atual, "--previa")
    assert r.returncode == 0, r.stderr
    assert "Receitas por natureza (razão):" in r.stderr and "Prévia apenas" in r.stderr
    assert atual.read_bytes() == vazio

    r = siops("importar-anterior", imp_arq, atual, "--sim")
    assert r.returncode == 0, r.stderr
    assert "Dados Gerais:" in r.stderr and "Importados" in r.stderr
    d = ler(atual)
    textos, celulas, razao = _importaveis(anterior, d)
    assert d.textos() == textos and dict(d.celulas_digitadas()) == celulas
    assert _lancamentos(d) == razao
    assert ler(atual.with_name(atual.name + ".bak")) == Declaracao(ente("M355030"), 2025, 2)


def test_cli_importar_anterior_recusa_com_status_2_e_nada_muda(completa, siops, tmp_path):
    posterior = tmp_path / "M355030_2025_QuintoBimestre.OPS"
    salvar(completa("M355030", 2025, 5), posterior)
    outro = tmp_path / "M355480_2025_PrimeiroBimestre.OPS"
    salvar(completa("M355480", 2025, 1), outro)
    atual = tmp_path / "M355030_2025_SegundoBimestre.OPS"
    salvar(Declaracao(ente("M355030"), 2025, 2), atual)
    antes = atual.read_bytes()
    for arq, trecho in ((posterior, "período posterior"), (outro, "do mesmo ente")):
        r = siops("importar-anterior", arq, atual, "--sim")
        assert r.returncode == 2, r.stderr
        assert trecho in r.stderr and "Nada foi alterado." in r.stderr
        assert len(r.stderr.splitlines()) == 1 and "Traceback" not in r.stderr
        assert atual.read_bytes() == antes
    r = siops("importar-anterior", tmp_path / "nao_ha.IMP", atual)
    assert r.returncode == 2 and "não foi encontrado" in r.stderr
    r = siops("importar-anterior", posterior, tmp_path / "nao_ha.OPS")
    assert r.returncode == 2 and "siops novo" in r.stderr
