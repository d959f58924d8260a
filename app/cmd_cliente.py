"""Verbs that open the Qt client: ``abrir [ARQ]`` and ``demo``.

Qt is imported only when a verb runs, so ``siops --help`` and the other verbs stay light.
``demo`` (for now) opens the client on the demonstration declaration (``forms.demo``) saved in
a temporary ``SIOPS_HOME``; the full demo with the local server is issue 9.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path


def registrar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("abrir", help="abre o programa (opcionalmente numa declaração .OPS)")
    p.add_argument("arquivo", type=Path, nargs="?", help="a declaração (.OPS) a abrir")
    p.set_defaults(func=cmd_abrir)

    p = sub.add_parser(
        "demo", help="abre o programa numa declaração de demonstração (pasta temporária)"
    )
    p.add_argument("--pasta", type=Path, help="pasta MS-SIOPS da demonstração (padrão: temporária)")
    p.set_defaults(func=cmd_demo)


def cmd_abrir(args: argparse.Namespace) -> int:
    from app.cli import ErroUsuario

    if args.arquivo is not None and not args.arquivo.exists():
        raise ErroUsuario(f"O arquivo {args.arquivo} não existe.", 2)
    from app.cliente import executar

    return executar(args.arquivo)


def preparar_demo(pasta: Path) -> Path:
    """Save the demonstration declaration under ``pasta`` (as SIOPS_HOME); return its path."""
    os.environ["SIOPS_HOME"] = str(pasta)
    from forms.demo import declaracao_demo
    from ops_format import caminhos, salvar

    d = declaracao_demo()
    destino = caminhos.caminho_padrao(d.ente, d.exercicio, d.bimestre)
    if not destino.exists():
        salvar(d, destino)
    return destino


def cmd_demo(args: argparse.Namespace) -> int:
    pasta = args.pasta or Path(tempfile.mkdtemp(prefix="siops-demo-"))
    arquivo = preparar_demo(pasta)
    from app.cliente import executar

    return executar(arquivo)
