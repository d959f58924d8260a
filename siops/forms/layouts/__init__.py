"""The layouts of the declaration, one module per esfera, built from the shared blocks in
``comum``. Each returns a ``forms.catalogo.Layout``; ``forms.catalogo.catalogo`` compiles it."""

from __future__ import annotations

from dataclasses import replace

from siops.forms.catalogo import Layout

#: Short table titles for messages and navigation, the same in every esfera.
TITULOS_CURTOS = {
    "receitas_base": "Receitas de impostos e transferências (base do mínimo)",
    "despesas_asps": "Despesas com ASPS",
    "despesas_nao_computadas": "Despesas não computadas no mínimo",
    "despesas_totais": "Despesas totais com saúde",
    "apuracao": "Apuração do mínimo",
    "controle_minimo": "Controle do mínimo não cumprido",
    "rp_execucao": "Execução de restos a pagar",
    "rp_cancelados_limite": "Restos a pagar cancelados que afetaram o limite",
    "controle_rp_cancelados": "Controle de restos a pagar cancelados",
    "receitas_adicionais": "Receitas adicionais para a saúde",
    "receitas_totais": "Receitas totais",
    "despesa_elemento": "Despesa por elemento",
    "despesa_fonte": "Despesa por fonte de recursos",
    "consorcios": "Despesa em consórcio público",
    "blocos": "Execução por bloco",
}


def construir(esfera: str, versao: str) -> Layout:
    """The layout of an esfera ("municipal", "estadual", "df") in a layout version."""
    # imported here, not at the top: each esfera's module imports ``comum`` from this package
    if esfera == "municipal":
        from siops.forms.layouts import municipal

        layout = municipal.layout(versao)
    elif esfera == "estadual":
        from siops.forms.layouts import estadual

        layout = estadual.layout(versao)
    elif esfera == "df":
        from siops.forms.layouts import df

        layout = df.layout(versao)
    else:
        raise ValueError(esfera)
    tabelas = tuple(
        replace(t, titulo_curto=TITULOS_CURTOS.get(t.id, t.titulo)) for t in layout.tabelas
    )
    return replace(layout, tabelas=tabelas)
