"""The Anexo 12 data view: every printed cell equals the core's value for that cell, walking the
catalog (never a list of rows typed here)."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from siops.forms.dinheiro import apresentar_percentual, arredondar_percentual, formatar, percentual
from siops.relatorios.anexo12 import APURACAO_SO_EM, NA, PERCENTUAIS, demonstrativo

ENTES = ("M355030", "E35", "E53")


def _esperado(d, t, linha, coluna) -> str:
    """What the cell must print, from the core's value (the rules of DOMAIN §7)."""
    if linha.somente_6o and d.bimestre != 6:
        return NA
    v = d.valor((t.id, linha.id, coluna))
    return apresentar_percentual(v) if linha.tipo == "percentual" else formatar(v)


@pytest.mark.parametrize("codigo", ENTES)
@pytest.mark.parametrize("bimestre", [2, 6])
def test_cada_celula_impressa_e_o_valor_do_nucleo(cheias, codigo, bimestre):
    d = cheias[(codigo, bimestre)]
    dem = demonstrativo(d)
    cat = d.catalogo
    tabelas = cat.tabelas_anexo12()
    assert [b.tabela for b in dem.blocos] == [t.id for t in tabelas]
    conferidas = 0
    for t, bloco in zip(tabelas, dem.blocos, strict=True):
        assert [x.linha for x in bloco.linhas] == [x.id for x in t.linhas]
        for linha, vista in zip(t.linhas, bloco.linhas, strict=True):
            assert vista.numeral == cat.numerais.get((t.id, linha.id))
            proprias = {c.id for c in t.colunas_da_linha(linha)}
            for c in t.colunas:
                cel = vista.celula(c.id)
                so_em = APURACAO_SO_EM.get(linha.id) if t.id == "apuracao" else None
                if c.id not in proprias or (so_em and c.id not in so_em):
                    assert cel.texto == ""
                    continue
                assert cel.chave == (t.id, linha.id, c.id)
                assert cel.texto == _esperado(d, t, linha, c.id), (t.id, linha.id, c.id)
                if cel.texto != NA:
                    assert cel.valor == d.valor(cel.chave)
                conferidas += 1
                den = PERCENTUAIS.get(c.id)
                if den and den in {x.id for x in t.colunas}:
                    pct = vista.celula(f"pct_{c.id}")
                    if cel.texto == NA:
                        assert pct.texto == NA
                        continue
                    p = percentual(d.valor((t.id, linha.id, c.id)), d.valor((t.id, linha.id, den)))
                    assert pct.valor == p
                    assert pct.texto == (arredondar_percentual(p) if p is not None else "0,00")
                    conferidas += 1
    assert conferidas > 300


def test_colunas_de_percentual_do_modelo(cheias):
    dem = demonstrativo(cheias[("M355030", 2)])
    por_id = {b.tabela: [c.titulo for c in b.colunas if c.tipo == "percentual"] for b in dem.blocos}
    assert por_id["receitas_base"] == ["% (b/a) x 100"]
    assert por_id["despesas_asps"] == ["% (d/c) x 100", "% (e/c) x 100", "% (f/c) x 100"]
    assert por_id["apuracao"] == []


def test_xiii_e_na_antes_do_6o_bimestre(cheias):
    for bimestre, na in ((2, True), (6, False)):
        d = cheias[("M355030", bimestre)]
        dem = demonstrativo(d)
        cat = d.catalogo
        for b, t in zip(dem.blocos, cat.tabelas_anexo12(), strict=True):
            for vista, linha in zip(b.linhas, t.linhas, strict=True):
                if linha.somente_6o:
                    textos = {c.texto for c in vista.celulas if c.texto}
                    assert (textos == {NA}) is na, (t.id, linha.id, textos)


def test_regras_escritas_a_partir_do_catalogo(cheias):
    for codigo, total_base, minimo in (
        ("M355030", "(III) = (I + II)", "(XVII) = (III) × 15%"),
        ("E35", "(IV) = (I + II - III)", "(XVIII) = (IV) × 12%"),
        ("E53", "(III) = (I + II)", "(XVII) = (I) × 12% + (II) × 15%"),
    ):
        dem = demonstrativo(cheias[(codigo, 2)])
        rotulos = {(b.tabela, x.linha): x.rotulo for b in dem.blocos for x in b.linhas}
        assert total_base in rotulos[("receitas_base", "total_base")]
        assert minimo in rotulos[("apuracao", "despesa_minima")]
    dem = demonstrativo(cheias[("M355030", 2)])
    rotulos = {(b.tabela, x.linha): x.rotulo for b in dem.blocos for x in b.linhas}
    assert rotulos[("despesas_asps", "total")] == "TOTAL (XI) = (IV + V + VI + VII + VIII + IX + X)"
    assert rotulos[("apuracao", "valor_aplicado")].endswith("(XVI) = (XII - XIII - XIV - XV)")
    assert "(XVI / III) × 100" in rotulos[("apuracao", "percentual_aplicado")]


def test_percentual_aplicado_trunca(nova_declaracao):
    # 17.467,10 over 100.000,00 = 17,4671%: SIOPS prints 17,46 (DOMAIN §7), not 17,47.
    d = nova_declaracao(
        "M355030",
        2,
        {
            ("receitas_base", "iptu", "realizada"): "100000.00",
            ("despesas_asps", "s301_33", "empenhada"): "17467.10",
            ("despesas_asps", "s301_33", "liquidada"): "17467.10",
        },
    )
    dem = demonstrativo(d)
    apur = next(b for b in dem.blocos if b.tabela == "apuracao")
    linha = next(x for x in apur.linhas if x.linha == "percentual_aplicado")
    assert linha.celula("liquidada").texto == "17,46"
    assert linha.celula("paga").texto == "0,00"  # (f) printed too (issue 20.17)
    assert dem.resumo.coluna == "liquidada"
    assert apresentar_percentual(dem.resumo.percentual) == "17,46"


def test_percentual_nas_tres_colunas(nova_declaracao):
    # Issue 20.17: the SIOPS demonstrativo prints the percentage under (d), (e) and (f); a
    # homologated table prints 36,42 / 17,87 / 17,46. With III = 100.000,00:
    # (d) 36.420,00 → 36,42%; (e) 17.870,00 → 17,87%; (f) 17.460,00 → 17,46%.
    d = nova_declaracao(
        "M355030",
        6,
        {
            ("receitas_base", "iptu", "realizada"): "100000.00",
            ("despesas_asps", "s301_33", "dotacao_atualizada"): "36420.00",
            ("despesas_asps", "s301_33", "empenhada"): "36420.00",
            ("despesas_asps", "s301_33", "liquidada"): "17870.00",
            ("despesas_asps", "s301_33", "paga"): "17460.00",
        },
    )
    apur = next(b for b in demonstrativo(d).blocos if b.tabela == "apuracao")
    linha = next(x for x in apur.linhas if x.linha == "percentual_aplicado")
    textos = [linha.celula(c).texto for c in ("empenhada", "liquidada", "paga")]
    assert textos == ["36,42", "17,87", "17,46"]


def test_json_tem_cada_valor_impresso(cheias):
    dem = demonstrativo(cheias[("E53", 6)])
    doc = json.loads(json.dumps(dem.para_dict(), ensure_ascii=False))
    assert doc["ente"] == "Distrito Federal"
    assert doc["periodo"] == "Novembro e Dezembro de 2025"
    for b_json, b in zip(doc["blocos"], dem.blocos, strict=True):
        for l_json, linha in zip(b_json["linhas"], b.linhas, strict=True):
            for c in linha.celulas:
                cel = l_json["celulas"][c.coluna]
                assert cel["texto"] == c.texto
                if c.valor is not None:
                    assert Decimal(cel["valor"]) == c.valor
                if c.chave:
                    assert tuple(cel["chave"]) == c.chave


def test_declaracao_vazia_da_zeros(nova_declaracao):
    dem = demonstrativo(nova_declaracao("E35", 1, {}))
    textos = {c.texto for b in dem.blocos for x in b.linhas for c in x.celulas}
    assert textos <= {"0,00", "", NA}
