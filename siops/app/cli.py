"""The ``siops`` command (ARCHITECTURE, "The command-line contract").

Each group of verbs lives in its own module (``app/cmd_*.py``) with a ``registrar(sub)``
function; this module only assembles them and turns errors into Portuguese messages and exit
codes: 0 success, 1 refused (impeditivas), 2 bad arguments or unreadable input. Messages go to
stderr; ``--json`` output goes to stdout. A traceback is never shown to the user: an unexpected
error is written to a log file whose path the message gives.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import tempfile
import traceback
from pathlib import Path

from siops.forms.argumentos import ParserPt

MODULOS = (
    "siops.app.cmd_nucleo",
    "siops.app.cmd_arquivo",
    "siops.app.cmd_criticas",
    "siops.app.cmd_relatorios",
    "siops.app.cmd_analises",
    "siops.app.cmd_contabil",
    "siops.app.cmd_cliente",
    "siops.app.cmd_autoteste",
)


class ErroUsuario(Exception):
    """An error to show as one Portuguese sentence, with its exit code."""

    def __init__(self, mensagem: str, codigo: int = 2) -> None:
        super().__init__(mensagem)
        self.codigo = codigo


_Parser = ParserPt


def construir_parser() -> argparse.ArgumentParser:
    """The parser with every available verb registered."""
    p = _Parser(
        prog="siops",
        description="SIOPS — declaração bimestral de receitas e despesas com saúde. Sem "
        "comando, abre o programa.",
    )
    p.add_argument("--versao", action="store_true", help="mostra a versão e sai")
    sub = p.add_subparsers(dest="comando", metavar="COMANDO", parser_class=_Parser)
    for nome in MODULOS:
        try:
            mod = importlib.import_module(nome)
        except ModuleNotFoundError as exc:
            if exc.name == nome:
                continue  # a verb group not built yet
            raise
        mod.registrar(sub)
    return p


def versao() -> str:
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as _v

    try:
        return _v("siops-desktop")
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "0+fonte"


def main(argv: list[str] | None = None) -> int:
    """Entry point of ``siops``."""
    parser = construir_parser()
    args = parser.parse_args(argv)
    if args.versao:
        print(f"siops-desktop {versao()}")
        return 0
    if args.comando is None:
        args = parser.parse_args(["abrir", *(argv or [])])
    try:
        return int(args.func(args) or 0)
    except ErroUsuario as exc:
        print(f"siops: {exc}", file=sys.stderr)
        return exc.codigo
    except KeyboardInterrupt:
        print("siops: interrompido.", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `siops ... | head`: the reader went away; not an error
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except Exception:  # the user never sees a traceback
        registro = Path(tempfile.gettempdir()) / "siops-erro.log"
        registro.write_text(traceback.format_exc(), encoding="utf-8")
        print(
            "siops: ocorreu um erro inesperado; nenhum arquivo foi alterado. Os detalhes "
            f"técnicos foram gravados em {registro} — envie-o ao suporte.",
            file=sys.stderr,
        )
        return 70


if __name__ == "__main__":  # pragma: no cover
    # Run through the imported module so ErroUsuario is the same class the verbs raise.
    from siops.app.cli import main as _main

    sys.exit(_main())
