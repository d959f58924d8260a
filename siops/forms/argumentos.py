"""argparse in Portuguese, for the three commands (``siops``, ``siopsnet``, ``siops-servidor``).

Not domain logic, but every command needs it and ``forms`` is the one package all of them
import; keeping one parser class here means one list of translations.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import NoReturn

from siops.forms import inteiros

TRADUCOES = {
    "the following arguments are required": "faltam os argumentos",
    "unrecognized arguments": "argumentos não reconhecidos",
    "invalid choice": "opção inválida",
    "expected one argument": "esperado um valor",
    "expected at least one argument": "esperado ao menos um valor",
    "not allowed with argument": "não pode ser usado com o argumento",
    "one of the arguments": "um dos argumentos",
    "is required": "é obrigatório",
    "argument ": "argumento ",
    "invalid int value": "número inteiro inválido",
    "invalid float value": "número inválido",
    "choose from": "escolha entre",
}


def inteiro(
    nome: str, minimo: int = 0, maximo: int = inteiros.ID_MAXIMO, invalido: str = ""
) -> Callable[[str], int]:
    """An argparse ``type=`` for an integer typed on a command line (``forms.inteiros`` rules).

    ``int`` would take ``٢٠٢٥``, ``1_000``, blanks and signs; this takes ASCII digits within
    ``[minimo, maximo]`` only and otherwise raises ``argparse.ArgumentTypeError`` with the
    Portuguese reason (after ``invalido``, e.g. "Exercício inválido", if given), which the
    parser prints before exiting with status 2.
    """

    def converter(texto: str) -> int:
        try:
            return inteiros.inteiro_ascii(texto, nome, minimo=minimo, maximo=maximo)
        except inteiros.InteiroInvalido as exc:
            motivo = f"{invalido}: {exc}" if invalido else str(exc)
            raise argparse.ArgumentTypeError(motivo) from None

    converter.__name__ = "inteiro"  # argparse names the type in some messages
    return converter


def exercicio(texto: str) -> int:
    """``type=`` for an exercício (2000–2099)."""
    return inteiro(
        "o exercício", inteiros.EXERCICIO_MINIMO, inteiros.EXERCICIO_MAXIMO, "Exercício inválido"
    )(texto)


def bimestre(texto: str) -> int:
    """``type=`` for a bimestre (1–6)."""
    return inteiro("o bimestre", 1, 6, "Bimestre inválido")(texto)


def porta(texto: str) -> int:
    """``type=`` for a TCP port (1–65535)."""
    return inteiro("a porta", 1, 65535)(texto)


class ParserPt(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose usage line, help and error messages are in Portuguese.

    Subparsers created with ``add_subparsers`` are of the same class.
    """

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.add_argument("-h", "--help", action="help", help="mostra esta ajuda e sai")

    def add_subparsers(self, **kwargs):
        kwargs.setdefault("parser_class", ParserPt)
        return super().add_subparsers(**kwargs)

    def format_usage(self) -> str:
        return super().format_usage().replace("usage:", "uso:", 1)

    def format_help(self) -> str:
        texto = super().format_help().replace("usage:", "uso:", 1)
        texto = texto.replace("positional arguments:", "argumentos:")
        return texto.replace("options:", "opções:")

    def error(self, message: str) -> NoReturn:
        for en, pt in TRADUCOES.items():
            message = message.replace(en, pt)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {message}\n")
