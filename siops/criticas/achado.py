"""A finding of the críticas (``Achado``): what is wrong, where, and whether it blocks.

Findings are plain immutable values, so the client's panel, the CLI report, the server's
re-check and the PDF all show the same thing. The location is the public ids of the cell
(``tabela``, ``linha``, ``coluna``) or of the text field (``campo``); ``local`` turns it into the
path a clerk follows on screen ("Despesas com Saúde › … › Despesas liquidadas até o bimestre").
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from siops.criticas.nomes import caminho_linha, titulo_tabela

if TYPE_CHECKING:
    from siops.forms.catalogo import Catalogo

IMPEDITIVA = "impeditiva"
AVISO = "aviso"
SEVERIDADES = (IMPEDITIVA, AVISO)

SEPARADOR = " › "


@dataclass(frozen=True, slots=True)
class Achado:
    """One finding of one rule (see module docstring).

    ``severidade`` is already the effective one for the declaration's bimestre (an escalating
    aviso arrives here as ``"impeditiva"`` in the 6º bimestre). Cell findings carry
    ``tabela``/``linha``/``coluna``; text-field findings carry ``campo``; the others are None.
    """

    codigo: int
    grupo: int
    severidade: str
    titulo: str
    mensagem: str
    tabela: str | None = None
    linha: str | None = None
    coluna: str | None = None
    campo: str | None = None

    @property
    def impeditiva(self) -> bool:
        """Whether this finding blocks the transmission copy (DOMAIN §3, step 2)."""
        return self.severidade == IMPEDITIVA

    def pasta(self, catalogo: Catalogo) -> str | None:
        """The id of the pasta (tab) where the finding is, for navigation."""
        return pasta_de(self, catalogo)

    def local(self, catalogo: Catalogo) -> str:
        """Where to look, as the clerk sees it: pasta › tabela › linha › coluna (or campo)."""
        partes: list[str] = []
        if self.campo is not None and self.campo in catalogo.campos:
            campo = catalogo.campos[self.campo]
            for p in catalogo.pastas:
                if campo.grupo in p.grupos:
                    partes.append(p.titulo)
                    break
            partes.append(catalogo.layout.grupos.get(campo.grupo, campo.grupo))
            partes.append(campo.titulo)
            return SEPARADOR.join(partes)
        if self.tabela is None or self.tabela not in catalogo.tabelas:
            return ""
        tabela = catalogo.tabela(self.tabela)
        try:
            partes.append(catalogo.pasta_da_tabela(self.tabela).titulo)
        except KeyError:
            pass
        partes.append(titulo_tabela(tabela))
        if self.linha is not None:
            partes.append(caminho_linha(catalogo, self.tabela, self.linha))
        if self.coluna is not None:
            partes.append(tabela.coluna(self.coluna).titulo)
        return SEPARADOR.join(partes)

    def como_dict(self, catalogo: Catalogo | None = None) -> dict[str, object]:
        """Every field (and, with a catalog, ``pasta`` and ``local``) for JSON output."""
        out: dict[str, object] = {
            "codigo": self.codigo,
            "grupo": self.grupo,
            "severidade": self.severidade,
            "impeditiva": self.impeditiva,
            "titulo": self.titulo,
            "mensagem": self.mensagem,
            "tabela": self.tabela,
            "linha": self.linha,
            "coluna": self.coluna,
            "campo": self.campo,
        }
        if catalogo is not None:
            out["pasta"] = self.pasta(catalogo)
            out["local"] = self.local(catalogo)
        return out


def pasta_de(achado: Achado, catalogo: Catalogo) -> str | None:
    """The pasta id of a finding's cell or field (None when it has no location)."""
    if achado.campo is not None and achado.campo in catalogo.campos:
        grupo = catalogo.campos[achado.campo].grupo
        for p in catalogo.pastas:
            if grupo in p.grupos:
                return p.id
        return None
    if achado.tabela is not None:
        try:
            return catalogo.pasta_da_tabela(achado.tabela).id
        except KeyError:
            return None
    return None
