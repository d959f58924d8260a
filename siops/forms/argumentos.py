"""argparse in Portuguese, for the three commands (``siops``, ``siopsnet``, ``siops-servidor``).

Not domain logic, but every command needs it and ``forms`` is the one package all of them
import; keeping one parser class here means one list of translations.
"""

from __future__ import annotations

import argparse
import sys

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

    def error(self, message: str) -> None:
        for en, pt in TRADUCOES.items():
            message = message.replace(en, pt)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: erro: {message}\n")
