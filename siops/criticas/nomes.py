"""Names for messages, taken from the catalog (never re-typed): row paths, table titles.

The catalog prints some titles in capitals, as the Anexo 12 does ("ATENÇÃO BÁSICA"); inside a
sentence a clerk reads "Atenção Básica" better, so :func:`titulo_legivel` turns an all-capitals
title into title case (Portuguese particles in lower case, acronyms kept). A row whose title
repeats inside its table ("Despesas Correntes" appears under every subfunção) is named by its
path up to the first ancestor that makes it unique: "Atenção Básica — Despesas Correntes".
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from siops.forms.catalogo import Catalogo, Tabela

#: Words kept in lower case inside a title (except the first word).
PARTICULAS = frozenset(
    "a o as os e de da do das dos em no na nos nas com por para ao aos à às ou que até sem".split()
)
#: Acronyms kept in capitals.
SIGLAS = frozenset(
    "ASPS SUS FNS LC ICMS IPVA IPTU ISS ITBI IRRF ITR ITCD ITCMD FPM FPE IPI RP RREO CNPJ CPF "
    "FUNDEB DF UF".split()
)


def _romano(palavra: str) -> bool:
    nucleo = palavra.strip("()-=,.;:")
    return bool(nucleo) and all(c in "IVXLCDM" for c in nucleo) and palavra.startswith("(")


def titulo_legivel(titulo: str) -> str:
    """An all-capitals title in title case ("TOTAL DAS DESPESAS" → "Total das Despesas").

    Only titles written in capitals outside their parentheses are changed, and only their
    all-capitals words: "PERCENTUAL … (mínimo de 15% conforme LC 141/2012)" keeps its note.
    """
    if any(c.islower() for c in re.sub(r"\([^)]*\)", "", titulo)):
        return titulo
    out: list[str] = []
    primeira = True
    for p in titulo.split(" "):
        nucleo = p.strip("()-=,.;:")
        if not nucleo or any(c.islower() for c in p):
            out.append(p)
        elif nucleo in SIGLAS or _romano(p):
            out.append(p)
        elif not primeira and p.lower() in PARTICULAS:
            out.append(p.lower())
        else:
            baixo = p.lower()
            i = next((k for k, c in enumerate(baixo) if c.isalpha()), None)
            out.append(baixo if i is None else baixo[:i] + baixo[i].upper() + baixo[i + 1 :])
        if nucleo:
            primeira = False
    return " ".join(out)


def titulo_tabela(tabela: Tabela) -> str:
    """The table's short title from the catalog ("Despesas com ASPS")."""
    return tabela.titulo_curto or tabela.titulo.split(" — ")[0]


_CAMINHOS: dict[tuple[str, int, str], tuple[Catalogo, dict[tuple[str, str], str]]] = {}


def _caminhos(cat: Catalogo) -> dict[tuple[str, str], str]:
    chave = (cat.esfera, cat.exercicio, cat.versao)
    guardado = _CAMINHOS.get(chave)
    if guardado is not None and guardado[0] is cat:
        return guardado[1]
    out: dict[tuple[str, str], str] = {}
    for t in cat.tabelas.values():
        cadeias: dict[str, tuple[str, ...]] = {}
        pilha: list[tuple[int, str]] = []  # (nivel, titulo) of the open ancestors
        for linha in t.linhas:
            while pilha and pilha[-1][0] >= linha.nivel:
                pilha.pop()
            titulo = titulo_legivel(linha.titulo_em(cat.exercicio))
            cadeias[linha.id] = (*(x for _, x in pilha), titulo)
            pilha.append((linha.nivel, titulo))
        for lid, cadeia in cadeias.items():
            for n in range(1, len(cadeia) + 1):
                sufixo = cadeia[-n:]
                repetidos = sum(1 for c in cadeias.values() if c[-n:] == sufixo)
                if repetidos == 1 or n == len(cadeia):
                    out[(t.id, lid)] = " — ".join(sufixo)
                    break
    _CAMINHOS[chave] = (cat, out)
    return out


def caminho_linha(cat: Catalogo, tabela: str, linha: str) -> str:
    """How a row is named in a message: its legible title, with ancestors when ambiguous."""
    return _caminhos(cat)[(tabela, linha)]


def minusculo_inicial(texto: str) -> str:
    """'Despesas liquidadas' → 'despesas liquidadas' (a column title inside a sentence)."""
    if len(texto) > 1 and texto[1].isupper():
        return texto  # an acronym
    return texto[:1].lower() + texto[1:]
