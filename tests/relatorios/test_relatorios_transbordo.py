"""15-digit values do not overflow their columns: every number printed (``pdftotext -bbox``)
lies inside the column box of its table's grid, and no two words of a line collide."""

from __future__ import annotations

import itertools
import re
from datetime import datetime
from decimal import Decimal

import pytest

from siops.forms.dinheiro import LIMITE_VALOR
from siops.relatorios import demonstrativo, renderizar_rreo
from siops.relatorios.estilo import LARGURA_UTIL, MARGEM_X, PAGINA
from siops.relatorios.pdf_rreo import PAD_H, grade

NUMERO = re.compile(r"^-?[\d.]+,\d\d$|^-?[\d.]+\.$|^N/A$")
TOL = 1.0


def _declaracao_gigante(ente_codigo: str, bimestre: int, nova_declaracao, absurda: bool):
    """Every typed cell at the largest value a cell accepts (15 integer digits)."""
    from siops.forms.catalogo import catalogo
    from siops.forms.entes import ente

    cat = catalogo(ente(ente_codigo).esfera, 2025)
    entradas = cat.editaveis | {
        k for k in cat.agregadas if cat.classificador.linha_canonica(k) is not None
    }
    valores = {
        k: LIMITE_VALOR
        for k in entradas
        if cat.editavel(k, bimestre) or (k in cat.agregadas and k[0] != "consorcios")
    }
    if absurda:  # a percentage of 10^20: must still not overflow its 34-pt column
        valores[("receitas_base", "iptu", "previsao_atualizada")] = Decimal("0.01")
    return nova_declaracao(ente_codigo, bimestre, valores)


def _linhas(palavras):
    """Words grouped by page and baseline (the value cells are bottom-aligned)."""
    grupos: list[tuple[int, float, list]] = []
    for p in sorted(palavras, key=lambda w: (w.pagina, w.y1)):
        g = grupos[-1] if grupos else None
        if g and g[0] == p.pagina and abs(g[1] - p.y1) < 1.6:
            g[2].append(p)
        else:
            grupos.append((p.pagina, p.y1, [p]))
    return [sorted(g, key=lambda w: w.x0) for _, _, g in grupos]


def _grades(dem) -> list[list[tuple[float, float]]]:
    out = []
    for b in dem.blocos:
        x = MARGEM_X
        caixas = []
        for w in grade(b):
            caixas.append((x, x + w))
            x += w
        out.append(caixas[1:])  # value columns only
    return out


@pytest.mark.parametrize(
    ("codigo", "bimestre", "absurda"), [("M355030", 6, True), ("E35", 2, False), ("E53", 6, False)]
)
def test_valores_de_15_digitos_cabem_nas_colunas(
    nova_declaracao, palavras_pdf, png_pdf, codigo, bimestre, absurda
):
    d = _declaracao_gigante(codigo, bimestre, nova_declaracao, absurda)
    dem = demonstrativo(d)
    dados = renderizar_rreo(d, emitido_em=datetime(2025, 1, 1, 8, 0))
    assert png_pdf(dados, 60)  # renders to an image (looked at by hand: docs/rreo-*.png)
    palavras = palavras_pdf(dados)
    grades = _grades(dem)
    inicios = [b.titulo.split()[:2] for b in dem.blocos]
    atual = -1  # the block whose rows are being read (advanced by each block's header)
    largura_pagina = PAGINA[0]
    numeros = 0
    for linha in _linhas(palavras):
        # no two words of a line overlap
        for a, b in itertools.pairwise(linha):
            assert a.x1 <= b.x0 + 0.3, (a, b)
        for w in linha:
            assert 0 <= w.x0 and w.x1 <= largura_pagina
        if atual + 1 < len(inicios) and [w.texto for w in linha[:2]] == inicios[atual + 1]:
            atual += 1
        nums = [
            w
            for i, w in enumerate(linha)
            if NUMERO.match(w.texto) and not (i and linha[i - 1].texto == "R$")
        ]
        if not nums:
            continue
        assert atual >= 0, [w.texto for w in linha]
        colunas = grades[atual]
        for w in nums:
            caixa = [c for c in colunas if abs(w.x1 - (c[1] - PAD_H)) <= TOL]
            assert caixa, f"{dem.blocos[atual].tabela}: {w.texto} fora das colunas"
            esq, dir_ = caixa[0]
            assert w.x0 >= esq + PAD_H - TOL, (dem.blocos[atual].tabela, w, esq, dir_)
        numeros += len(nums)
    assert atual == len(dem.blocos) - 1
    assert numeros > 300
    assert LARGURA_UTIL + 2 * MARGEM_X == largura_pagina
