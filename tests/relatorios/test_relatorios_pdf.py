"""The Anexo 12 PDF: the text extracted with pdftotext has every row label of every block and
every printed value to the cent, row by row; pages, source line, notes and the PRÉVIA mark."""

from __future__ import annotations

import re
from datetime import datetime

import pytest

from siops.relatorios import Homologacao, demonstrativo, renderizar_rreo
from siops.relatorios.anexo12 import NA

EMITIDO = datetime(2025, 3, 20, 14, 35)
ENTES = ("M355030", "E35", "E53")


@pytest.mark.parametrize("codigo", ENTES)
def test_texto_tem_cada_rotulo_do_catalogo(
    pdfs, cheias, texto_pdf, norm, palavras_em_ordem, codigo
):
    d = cheias[(codigo, 2)]
    texto = norm(re.sub(r"(?<!\S)-?[\d.]+,\d\d(?!\S)|N/A", " ", texto_pdf(pdfs[(codigo, 2)])))
    cat = d.catalogo
    faltam = []
    for t in cat.tabelas_anexo12():
        for linha in t.linhas:
            if norm(linha.titulo_em(d.exercicio)) not in texto:
                faltam.append((t.id, linha.id))
    assert not faltam
    # and the whole printed label, with numeral and rule; block titles share their header
    # lines with the column headers, so their words are looked for in order, close together
    palavras = texto.split()
    for b in demonstrativo(d).blocos:
        assert palavras_em_ordem(palavras, b.titulo.split()), b.titulo
        for linha in b.linhas:
            assert norm(linha.rotulo) in texto, linha.rotulo


@pytest.mark.parametrize("codigo", ENTES)
@pytest.mark.parametrize("bimestre", [2, 6])
def test_cada_valor_impresso_ao_centavo(pdfs, cheias, texto_pdf, em_ordem, codigo, bimestre):
    d = cheias[(codigo, bimestre)]
    dem = demonstrativo(d)
    texto = texto_pdf(pdfs[(codigo, bimestre)])
    assert em_ordem(texto, dem.blocos) == dem.linhas - sum(
        1 for b in dem.blocos for x in b.linhas if not any(c.texto for c in x.celulas)
    )
    if bimestre == 2:
        assert NA in texto


def test_cabecalho_rodape_fonte_e_notas(pdfs, texto_pdf, norm):
    texto = texto_pdf(pdfs[("M355030", 2)])
    n = norm(texto)
    for trecho in (
        "Município de São Paulo/SP",
        "RELATÓRIO RESUMIDO DA EXECUÇÃO ORÇAMENTÁRIA",
        "DEMONSTRATIVO DAS RECEITAS E DESPESAS COM AÇÕES E SERVIÇOS PÚBLICOS DE SAÚDE",
        "ORÇAMENTOS FISCAL E DA SEGURIDADE SOCIAL",
        "Março e Abril de 2025",
        "RREO – ANEXO XII (LC n° 141/2012, art. 35)",
        "Nos cinco primeiros bimestres do exercício, o acompanhamento será feito com base na "
        "despesa liquidada.",
        "A partir do exercício de 2019, o controle da execução dos restos a pagar considera os "
        "restos a pagar processados e não processados (regra nova).",
    ):
        assert trecho in n, trecho
    assert re.search(r"FONTE: siops-desktop \S+, emitido em 20/03/2025 14:35", n)
    paginas = re.findall(r"Página (\d+) de (\d+)", texto)
    total = int(paginas[0][1])
    assert [int(p) for p, _ in paginas] == list(range(1, total + 1))
    assert all(int(t) == total for _, t in paginas)
    assert total >= 3


def _vermelhos(png) -> int:
    from PIL import Image

    px = Image.open(png).convert("RGB").tobytes()
    trios = zip(px[0::3], px[1::3], px[2::3], strict=True)
    return sum(1 for r, g, b in trios if r - g > 20 and abs(g - b) < 15)


def test_marca_de_previa_visivel_e_ausente_no_homologado(cheias, png_pdf, texto_pdf, norm):
    d = cheias[("M355030", 2)]
    previa = renderizar_rreo(d, emitido_em=EMITIDO)
    homol = renderizar_rreo(
        d,
        homologado=True,
        homologacao=Homologacao("Maria da Silva", datetime(2025, 4, 2, 9, 15)),
        emitido_em=EMITIDO,
    )
    (p1,) = png_pdf(previa)
    (h1,) = png_pdf(homol)
    assert _vermelhos(p1) > 2000  # the diagonal mark, in translucent red
    assert _vermelhos(h1) < 50
    n = norm(texto_pdf(homol))
    assert "Homologado por Maria da Silva (Gestor do SUS) em 02/04/2025 09:15" in n
    assert "Prévia gerada antes da homologação" in norm(texto_pdf(previa))
    assert "Prévia gerada" not in n


def test_declaracao_vazia_renderiza_zeros(nova_declaracao, texto_pdf, em_ordem):
    d = nova_declaracao("M355030", 1, {})
    dados = renderizar_rreo(d, emitido_em=EMITIDO)
    assert dados.startswith(b"%PDF")
    texto = texto_pdf(dados)
    dem = demonstrativo(d)
    assert em_ordem(texto, dem.blocos) > 100
    assert "Janeiro e Fevereiro de 2025" in texto


@pytest.mark.parametrize(
    ("codigo", "base", "minimo", "pct_minimo"),
    [
        (
            "E35",
            "DEDUÇÕES DE TRANSFERÊNCIAS CONSTITUCIONAIS AOS MUNICÍPIOS (III)",
            "Despesa Mínima a ser Aplicada em ASPS (XVIII) = (IV) × 12%",
            "Mínimo: 12,00%",
        ),
        (
            "E53",
            "COMPETÊNCIA TRIBUTÁRIA MUNICIPAL (II)",
            "Despesa Mínima a ser Aplicada em ASPS (XVII) = (I) × 12% + (II) × 15%",
            "Mínimo: ",
        ),
        (
            "M355030",
            "TOTAL DAS RECEITAS RESULTANTES DE IMPOSTOS E TRANSFERÊNCIAS CONSTITUCIONAIS E LEGAIS "
            "(III) = (I + II)",
            "Despesa Mínima a ser Aplicada em ASPS (XVII) = (III) × 15%",
            "Mínimo: 15,00%",
        ),
    ],
)
def test_variantes_com_sua_base_e_seu_minimo(
    pdfs, texto_pdf, norm, codigo, base, minimo, pct_minimo
):
    n = norm(texto_pdf(pdfs[(codigo, 2)]))
    assert base in n
    assert minimo in n
    assert pct_minimo in n


def test_grafico_com_bimestres_anteriores(cheias, texto_pdf, norm):
    from decimal import Decimal

    d = cheias[("M355030", 2)]
    dados = renderizar_rreo(d, historico=[(1, Decimal("14.209999"))], emitido_em=EMITIDO)
    n = norm(texto_pdf(dados))
    assert "14,20%" in n  # truncated, as the presentation rule says
    assert "1º bim." in n and "6º bim." in n
    from siops.forms.dinheiro import apresentar_percentual

    atual = apresentar_percentual(d.indicadores("liquidada").percentual)
    assert f"aplicado {atual}% — mínimo 15,00%" in n


def test_sem_dejavu_usa_vera_com_acentos(cheias, texto_pdf, norm, monkeypatch):
    """Where DejaVu is missing (a Windows install), reportlab's Vera still prints Portuguese."""
    from siops.relatorios import estilo

    caches = (estilo.fontes, estilo.estilos, estilo.imagem_marca)
    monkeypatch.setattr(estilo, "PASTAS_DEJAVU", ())
    for c in caches:
        c.cache_clear()
    try:
        assert estilo.fontes().origem == "Vera"
        n = norm(texto_pdf(renderizar_rreo(cheias[("M355030", 2)], emitido_em=EMITIDO)))
    finally:
        monkeypatch.undo()
        for c in caches:
            c.cache_clear()
    assert "ASSISTÊNCIA HOSPITALAR E AMBULATORIAL (V)" in n
    assert "Município de São Paulo/SP" in n and "Março e Abril de 2025" in n
    assert estilo.fontes().origem == "DejaVu"
