"""The layouts of the declaration, one module per esfera, built from the shared blocks in
``comum``. Each returns a ``forms.catalogo.Layout``; ``forms.catalogo.catalogo`` compiles it."""

from __future__ import annotations

from forms.catalogo import Layout


def construir(esfera: str, versao: str) -> Layout:
    """The layout of an esfera ("municipal", "estadual", "df") in a layout version."""
    if esfera == "municipal":
        from forms.layouts import municipal as mod
    elif esfera == "estadual":
        from forms.layouts import estadual as mod
    elif esfera == "df":
        from forms.layouts import df as mod
    else:
        raise ValueError(esfera)
    return mod.layout(versao)
