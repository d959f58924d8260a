"""The críticas report as text (CLI, e-mail to support) and as JSON (``--json``, the server).

The PDF version is ``relatorios``' (it can start from ``relatorio_dados``). Findings are grouped
by severity — impeditivas first, they are what the clerk must fix — then ordered by code.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING

from siops.criticas.achado import Achado

if TYPE_CHECKING:
    from siops.forms.catalogo import Catalogo
    from siops.forms.declaracao import Declaracao


def ordenar(achados: Sequence[Achado]) -> list[Achado]:
    """Impeditivas first, then by code; the catalog order is kept within a code."""
    return sorted(achados, key=lambda a: (not a.impeditiva, a.codigo))


def _plural(n: int, um: str, varios: str) -> str:
    return f"{n} {um if n == 1 else varios}"


def resumo(achados: Sequence[Achado]) -> str:
    """'2 críticas impeditivas e 1 aviso.' — and whether the file may be transmitted."""
    imp = sum(1 for a in achados if a.impeditiva)
    av = len(achados) - imp
    if not achados:
        return "Nenhuma crítica encontrada: a declaração pode ser gravada para transmissão."
    impeditivas = (
        _plural(imp, "crítica impeditiva", "críticas impeditivas")
        if imp
        else "Nenhuma crítica impeditiva"
    )
    avisos = _plural(av, "aviso", "avisos") if av else "nenhum aviso"
    contagem = f"{impeditivas} e {avisos}."
    if imp:
        return (
            f"{contagem} Corrija as críticas impeditivas antes de gravar o arquivo para "
            "transmissão."
        )
    return f"{contagem} Os avisos não impedem a transmissão."


def cabecalho(d: Declaracao) -> str:
    """'São Paulo/SP — exercício 2025, 6º bimestre'."""
    return f"{d.ente.descricao} — exercício {d.exercicio}, {d.bimestre}º bimestre"


def relatorio_texto(
    achados: Sequence[Achado], catalogo: Catalogo, declaracao: Declaracao | None = None
) -> str:
    """The report as plain text, one block per finding (code, title, message, location)."""
    linhas: list[str] = []
    if declaracao is not None:
        linhas += [f"Críticas — {cabecalho(declaracao)}", ""]
    linhas.append(resumo(achados))
    for impeditiva, titulo in (
        (True, "CRÍTICAS IMPEDITIVAS (impedem a gravação do arquivo para transmissão)"),
        (False, "AVISOS (não impedem a transmissão)"),
    ):
        grupo = [a for a in ordenar(achados) if a.impeditiva == impeditiva]
        if not grupo:
            continue
        linhas += ["", titulo]
        for a in grupo:
            linhas.append(f"  [{a.codigo}] {a.titulo}")
            linhas.append(f"        {a.mensagem}")
            local = a.local(catalogo)
            if local:
                linhas.append(f"        Onde: {local}")
    return "\n".join(linhas) + "\n"


def relatorio_dados(
    achados: Sequence[Achado], catalogo: Catalogo, declaracao: Declaracao | None = None
) -> dict[str, object]:
    """The report as a JSON-ready dict: counts, and every field of every finding."""
    imp = sum(1 for a in achados if a.impeditiva)
    doc: dict[str, object] = {}
    if declaracao is not None:
        doc.update(
            {
                "ente": declaracao.ente.codigo,
                "ente_nome": declaracao.ente.descricao,
                "exercicio": declaracao.exercicio,
                "bimestre": declaracao.bimestre,
            }
        )
    doc.update(
        {
            "impeditivas": imp,
            "avisos": len(achados) - imp,
            "pode_transmitir": imp == 0,
            "resumo": resumo(achados),
            "achados": [a.como_dict(catalogo) for a in ordenar(achados)],
        }
    )
    return doc


def relatorio_json(
    achados: Sequence[Achado], catalogo: Catalogo, declaracao: Declaracao | None = None
) -> str:
    """``relatorio_dados`` as JSON text (UTF-8, accents kept)."""
    return json.dumps(relatorio_dados(achados, catalogo, declaracao), ensure_ascii=False, indent=2)
