"""``siops validar ARQ [--json] [--referencia ARQ] [--anterior ARQ]``: the críticas of a file.

Exit status (ARCHITECTURE, the command-line contract): 0 when no crítica is impeditiva, 1 when
some is, 2 when a file cannot be read. The report goes to stdout — text grouped by severity, or
with ``--json`` every field of every finding (``criticas.relatorio_json``); errors go to stderr.
"""

from __future__ import annotations

import argparse
from pathlib import Path


def registrar(sub: argparse._SubParsersAction) -> None:
    """Register the ``validar`` verb."""
    p = sub.add_parser(
        "validar",
        help="verifica as críticas de uma declaração (status 1 se houver impeditivas)",
        description="Verifica as críticas da declaração e mostra cada uma com o código, a "
        "mensagem e o local. Status de saída: 0 sem críticas impeditivas, 1 com críticas "
        "impeditivas, 2 arquivo ilegível ou inválido.",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS ou .IMP)")
    p.add_argument("--json", action="store_true", help="resultado em JSON na saída padrão")
    p.add_argument(
        "--referencia",
        type=Path,
        metavar="ARQ",
        help="valores de referência (.json ou .csv): FNS para as críticas 310 e 352, "
        "transferências constitucionais (STN/CONFAZ) para a 320",
    )
    p.add_argument(
        "--anterior",
        type=Path,
        metavar="ARQ",
        help="declaração de um bimestre anterior do mesmo exercício, para comparar os "
        "valores acumulados",
    )
    p.set_defaults(func=cmd_validar)


def _ler(caminho: Path, papel: str):
    from siops.app.cli import ErroUsuario
    from siops.ops_format import ArquivoInvalido, ler

    try:
        return ler(caminho)
    except ArquivoInvalido as exc:
        raise ErroUsuario(f"{papel}{exc}", 2) from None
    except OSError as exc:
        raise ErroUsuario(
            f"{papel}não foi possível ler {caminho}: {exc.strerror or exc}.", 2
        ) from None


def cmd_validar(args: argparse.Namespace) -> int:
    """Run the críticas on a file and print the report; the exit status says if any blocks."""
    from siops.app.cli import ErroUsuario
    from siops.criticas import (
        DeclaracaoAnteriorInvalida,
        Referencia,
        ReferenciaInvalida,
        relatorio_json,
        relatorio_texto,
        verificar,
    )

    d = _ler(args.arquivo, "")
    referencia = None
    if args.referencia is not None:
        try:
            referencia = Referencia.carregar(args.referencia)
        except ReferenciaInvalida as exc:
            raise ErroUsuario(str(exc), 2) from None
    anterior = None
    if args.anterior is not None:
        anterior = _ler(args.anterior, "Declaração anterior: ")
    try:
        achados = verificar(d, referencia, anterior=anterior)
    except DeclaracaoAnteriorInvalida as exc:
        raise ErroUsuario(str(exc), 2) from None
    if args.json:
        print(relatorio_json(achados, d.catalogo, d))
    else:
        print(relatorio_texto(achados, d.catalogo, d), end="")
    return 1 if any(a.impeditiva for a in achados) else 0
