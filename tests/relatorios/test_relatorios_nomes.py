"""``siops.relatorios`` gives its names lazily (``__getattr__`` over ``_ONDE``, so importing it
does not load reportlab) and declares the same names in a ``TYPE_CHECKING`` block, so the type
checker sees real types instead of ``Any``. The two lists must stay equal: a name only in
``_ONDE`` would be ``Any`` again for callers; a name only in the block would type-check and then
fail at run time."""

from __future__ import annotations

import ast
import importlib
import subprocess
import sys
from pathlib import Path

import siops.relatorios as relatorios


def _nomes_tipados() -> dict[str, str]:
    arvore = ast.parse(Path(relatorios.__file__).read_text(encoding="utf-8"))
    blocos = [
        no
        for no in arvore.body
        if isinstance(no, ast.If)
        and isinstance(no.test, ast.Name)
        and no.test.id == "TYPE_CHECKING"
    ]
    assert len(blocos) == 1, "siops/relatorios/__init__.py deve ter um bloco TYPE_CHECKING"
    nomes: dict[str, str] = {}
    for no in blocos[0].body:
        assert isinstance(no, ast.ImportFrom) and no.module
        for alias in no.names:
            nomes[alias.asname or alias.name] = no.module
    return nomes


def test_bloco_type_checking_igual_ao_mapa_preguicoso():
    assert _nomes_tipados() == relatorios._ONDE


def test_cada_nome_existe_no_modulo_que_o_mapa_indica():
    for nome, modulo in relatorios._ONDE.items():
        assert getattr(relatorios, nome) is getattr(importlib.import_module(modulo), nome)


def test_importar_relatorios_nao_carrega_reportlab():
    codigo = "import sys, siops.relatorios; print('reportlab' in sys.modules)"
    saida = subprocess.run(
        [sys.executable, "-c", codigo], capture_output=True, text=True, check=True, timeout=120
    )
    assert saida.stdout.strip() == "False"
