"""The SIOPS reports beyond the Anexo 12: worked examples of the indicators computed by hand,
every printed figure equal to the JSON and to the core (walking the catalog), zero
denominators, an empty declaration and a missing population, and the ``relatorio`` verb."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from siops.forms.dinheiro import apresentar_percentual, formatar, percentual
from siops.relatorios.consultas import TIPOS, relatorio
from siops.relatorios.indicadores import calcular
from siops.relatorios.pdf_consultas import pdf_relatorio

R = "realizada"
L = "liquidada"
E = "empenhada"


def _despesas(linhas: dict[tuple[str, str, str], str]) -> dict:
    """Ledger despesa lines with empenhada = liquidada (paga zero)."""
    from siops.forms.razao import ChaveDespesa

    return {ChaveDespesa.de(*k): {E: v, L: v} for k, v in linhas.items()}


def _por_codigo(d) -> dict[str, str]:
    return {i.codigo: i.texto for i in calcular(d)}


def test_exemplo_municipal_calculado_a_mao(nova_declaracao):
    valores = {
        # base: impostos (I) = 100.000 + 200.000 = 300.000; transferências (II) = 700.000;
        # (III) = 1.000.000
        ("receitas_base", "iptu", R): "100000.00",
        ("receitas_base", "iss", R): "200000.00",
        ("receitas_base", "fpm", R): "500000.00",
        ("receitas_base", "icms", R): "200000.00",
        # receita total: correntes 350.000 + 50.000 + (600.000 + 250.000) + 50.000 = 1.300.000;
        # capital 100.000 + 100.000 = 200.000; deduções 100.000 → 1.400.000
        ("receitas_totais", "impostos_taxas", R): "350000.00",
        ("receitas_totais", "contribuicoes", R): "50000.00",
        ("receitas_totais", "transf_uniao_correntes", R): "600000.00",
        ("receitas_totais", "transf_estados_correntes", R): "250000.00",
        ("receitas_totais", "outras_correntes", R): "50000.00",
        ("receitas_totais", "transf_uniao_capital", R): "100000.00",
        ("receitas_totais", "operacoes_credito", R): "100000.00",
        ("receitas_totais", "deducoes", R): "100000.00",
        # transferências para a saúde: União 150.000 + 30.000 + 20.000 = 200.000; Estado 50.000
        ("receitas_adicionais", "uniao_fns_custeio", R): "150000.00",
        ("receitas_adicionais", "uniao_fns_investimento", R): "30000.00",
        ("receitas_adicionais", "uniao_outras", R): "20000.00",
        ("receitas_adicionais", "estados", R): "50000.00",
    }
    # The despesas as the ledger holds them (planilha, subfunção, natureza: E = L):
    # ASPS (planilha 4) liquidada 100.000 + 54.671 + 20.000 = 174.671; não computadas
    # (planilha 86, SUS União custeio) 75.329; despesa total com saúde = 250.000.
    # By elemento: pessoal 100.000 (3.1.90.11); medicamentos 25.000 (3.3.90.30.09); serviços
    # de terceiros PJ 29.671 + 20.329 = 50.000 (3.3.90.39); IPSFL 10.000 (3.3.50.43);
    # investimentos 20.000 (4.4.90.52); demais 45.000 (3.3.90.30) — total 250.000.
    razao = {
        ("4", "301", "3.1.90.11"): "100000.00",
        ("4", "302", "3.3.90.30.09"): "25000.00",
        ("4", "302", "3.3.90.39"): "29671.00",
        ("4", "301", "4.4.90.52"): "20000.00",
        ("86", "301", "3.3.90.39"): "20329.00",
        ("86", "301", "3.3.50.43"): "10000.00",
        ("86", "301", "3.3.90.30"): "45000.00",
    }
    d = nova_declaracao("M355030", 2, valores, _despesas(razao))
    from siops.forms.declaracao import DefinirTexto

    d.aplicar(DefinirTexto("populacao", "5.000"))
    assert _por_codigo(d) == {
        "1.1": "21,43",  # 300.000 / 1.400.000 = 21,4285…%
        "1.2": "67,86",  # (600.000 + 250.000 + 100.000) / 1.400.000 = 67,857…%
        "1.3": "26,32",  # 250.000 / 950.000 = 26,3157…%
        "1.4": "80,00",  # 200.000 / 250.000
        "1.5": "28,57",  # 200.000 / (600.000 + 100.000) = 28,5714…%
        "1.6": "71,43",  # 1.000.000 / 1.400.000 = 71,4285…%
        "2.1": "50,00",  # 250.000 / 5.000 habitantes = R$ 50,00
        "2.2": "40,00",  # 100.000 / 250.000
        "2.3": "10,00",  # 25.000 / 250.000
        "2.4": "20,00",  # 50.000 / 250.000
        "2.5": "8,00",  # 20.000 / 250.000
        "2.6": "4,00",  # 10.000 / 250.000
        "3.1": "100,00",  # 250.000 / 250.000
        "3.2": "17,46",  # 174.671 / 1.000.000 = 17,4671% (liquidada no 2º bim.), truncado
    }
    titulos = {i.codigo: i.titulo for i in calcular(d)}
    assert titulos["1.1"].endswith("receita total do Município")


def test_exemplo_estadual_calculado_a_mao(nova_declaracao):
    valores = {
        # impostos (I) = 800.000 + 100.000 + 50.000 + 50.000 = 1.000.000; FPE (II) = 300.000;
        # deduções (III) = 200.000 + 50.000 = 250.000; base (IV) = 1.050.000
        ("receitas_base", "icms_principal", R): "800000.00",
        ("receitas_base", "ipva", R): "100000.00",
        ("receitas_base", "itcd", R): "50000.00",
        ("receitas_base", "irrf", R): "50000.00",
        ("receitas_base", "fpe", R): "300000.00",
        ("receitas_base", "deducao_icms", R): "200000.00",
        ("receitas_base", "deducao_ipva", R): "50000.00",
        # receita total: 1.100.000 + 400.000 + 100.000 − 200.000 = 1.400.000
        ("receitas_totais", "impostos_taxas", R): "1100000.00",
        ("receitas_totais", "transf_uniao_correntes", R): "400000.00",
        ("receitas_totais", "transf_uniao_capital", R): "100000.00",
        ("receitas_totais", "deducoes", R): "200000.00",
        # transferências para a saúde: União 120.000 + Municípios 30.000 = 150.000
        ("receitas_adicionais", "uniao_fns_custeio", R): "120000.00",
        ("receitas_adicionais", "municipios", R): "30000.00",
        # (XIV) RP sem disponibilidade 3.000 (6º bimestre) → aplicado 130.000 − 3.000 = 127.000
        ("apuracao", "rp_sem_disponibilidade", E): "3000.00",
    }
    # The ledger (E = L): ASPS (planilha 4) 90.000 pessoal + 30.000 medicamentos + 10.000
    # investimentos = 130.000; não computadas (planilha 86) 40.000 serviços PJ + 30.000 demais
    # = 70.000 → despesa total 200.000.
    razao = {
        ("4", "302", "3.1.90.11"): "90000.00",
        ("4", "302", "3.3.90.30.09"): "30000.00",
        ("4", "302", "4.4.90.52"): "10000.00",
        ("86", "301", "3.3.90.39"): "40000.00",
        ("86", "301", "3.3.90.30"): "30000.00",
    }
    d = nova_declaracao("E35", 6, valores, _despesas(razao))
    ind = {i.codigo: i for i in calcular(d)}
    assert {k: i.texto for k, i in ind.items()} == {
        "1.1": "71,43",  # 1.000.000 / 1.400.000
        "1.2": "35,71",  # (400.000 + 100.000) / 1.400.000 = 35,714…%
        "1.3": "30,00",  # 150.000 / 500.000
        "1.4": "80,00",  # 120.000 / 150.000
        "1.5": "24,00",  # 120.000 / 500.000
        "1.6": "75,00",  # 1.050.000 / 1.400.000
        "2.1": "—",  # no population in Dados Gerais
        "2.2": "45,00",  # 90.000 / 200.000
        "2.3": "15,00",  # 30.000 / 200.000
        "2.4": "20,00",  # 40.000 / 200.000
        "2.5": "5,00",  # 10.000 / 200.000
        "2.6": "0,00",  # 0 / 200.000
        "3.1": "75,00",  # 150.000 / 200.000
        "3.2": "12,09",  # 127.000 / 1.050.000 = 12,0952…% (empenhada no 6º): truncado, não 12,10
    }
    assert "população não foi informada" in ind["2.1"].motivo
    assert ind["1.1"].titulo.endswith("receita total do Estado")


def test_denominadores_zero_e_declaracao_vazia(nova_declaracao, texto_pdf, norm, palavras_em_ordem):
    d = nova_declaracao("M355030", 1, {})
    ind = calcular(d)
    assert all(i.valor is None and i.motivo.startswith("Não calculado") for i in ind)
    for tipo in TIPOS:
        n = norm(texto_pdf(pdf_relatorio(relatorio(d, tipo))))
        assert "Página 1 de" in n
    palavras = texto_pdf(pdf_relatorio(relatorio(d, "indicadores"))).split()
    for motivo in (
        "Não calculado: a receita total é zero.",
        "Não calculado: a população não foi informada em Dados Gerais.",
    ):
        assert palavras_em_ordem(palavras, motivo.split()), motivo


def _confere_celulas(d, rel) -> int:
    """Every cell of every table equals the core: catalog cells by key, computed cells by the
    sums of the cells they name."""
    cat = d.catalogo
    n = 0
    for b in rel.blocos():
        if b.tabela in cat.tabelas:  # a catalog table: walk the catalog's rows
            t = cat.tabela(b.tabela)
            assert [x.linha for x in b.linhas] == [x.id for x in t.linhas]
        for linha in b.linhas:
            for c in linha.celulas:
                if c.chave:
                    tipo = cat.tabela(c.chave[0]).linha(c.chave[1]).tipo
                    if c.texto == "N/A":
                        continue
                    assert c.valor == d.valor(c.chave)
                    esperado = (
                        apresentar_percentual(c.valor)
                        if tipo == "percentual"
                        else formatar(c.valor)
                    )
                    assert c.texto == esperado
                    n += 1
                elif c.num and c.den:
                    soma_n = sum((d.valor(k) for k in c.num), Decimal(0))
                    soma_d = sum((d.valor(k) for k in c.den), Decimal(0))
                    assert c.valor == percentual(soma_n, soma_d) or (
                        c.valor == d.valor(("apuracao", "percentual_aplicado", d.coluna_apuracao))
                    )
                    n += 1
    return n


@pytest.mark.parametrize("codigo", ["M355030", "E35", "E53"])
@pytest.mark.parametrize("tipo", list(TIPOS))
def test_cada_valor_impresso_igual_ao_json_e_ao_nucleo(cheias, texto_pdf, em_ordem, codigo, tipo):
    d = cheias[(codigo, 6)]
    rel = relatorio(d, tipo)
    assert _confere_celulas(d, rel) > 5
    texto = texto_pdf(pdf_relatorio(rel))
    assert em_ordem(texto, rel.blocos()) > 5
    doc = json.loads(json.dumps(rel.para_dict(), ensure_ascii=False))
    blocos_json = [s for s in doc["secoes"] if "linhas" in s]
    for bj, b in zip(blocos_json, rel.blocos(), strict=True):
        for lj, linha in zip(bj["linhas"], b.linhas, strict=True):
            for c in linha.celulas:
                assert lj["celulas"][c.coluna]["texto"] == c.texto
                v = lj["celulas"][c.coluna]["valor"]
                assert (v is None and c.valor is None) or Decimal(v) == c.valor


def test_cli_relatorio(cheias, tmp_path, capsys):
    from siops.app.cli import main
    from siops.ops_format import salvar

    d = cheias[("M355030", 6)]
    arq = tmp_path / "decl.OPS"
    salvar(d, arq)
    for tipo in TIPOS:
        saida = tmp_path / f"{tipo}.pdf"
        assert main(["relatorio", str(arq), "--tipo", tipo, "-o", str(saida), "--json"]) == 0
        out = capsys.readouterr()
        assert json.loads(out.out) == json.loads(
            json.dumps(relatorio(d, tipo).para_dict(), ensure_ascii=False)
        )
        assert saida.read_bytes().startswith(b"%PDF")
    with pytest.raises(SystemExit) as exc:
        main(["relatorio", str(arq), "--tipo", "inexistente"])
    assert exc.value.code == 2
    assert "opção inválida" in capsys.readouterr().err
