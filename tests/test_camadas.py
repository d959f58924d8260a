"""The core runs without Qt (ARCHITECTURE): importing it must not need PySide6."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent
NUCLEO = [
    "siops.forms",
    "siops.criticas",
    "siops.ops_format",
    "siops.relatorios",
    "siops.contabil",
    "siops.servidor",
    "siops.transmissor",
]

BLOQUEIO = """
import importlib, importlib.abc, importlib.util, pkgutil, sys
class Bloqueia(importlib.abc.MetaPathFinder):
    def find_spec(self, nome, path, target=None):
        if nome.split('.')[0] in ('PySide6', 'shiboken6') or nome.startswith('siops.app'):
            raise ImportError('PySide6 bloqueado neste teste: ' + nome)
        return None
sys.meta_path.insert(0, Bloqueia())
importados = []
for pacote in %r:
    if importlib.util.find_spec(pacote) is None:
        continue
    mod = importlib.import_module(pacote)
    importados.append(pacote)
    for info in pkgutil.walk_packages(mod.__path__, pacote + '.'):
        if '.gui' in info.name or info.name.endswith('__main__'):
            continue
        importlib.import_module(info.name)
        importados.append(info.name)
print(len(importados))
"""


def test_nucleo_importa_sem_pyside6():
    r = subprocess.run(
        [sys.executable, "-c", BLOQUEIO % NUCLEO],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode == 0, r.stderr
    assert int(r.stdout.strip()) >= 8


def test_cli_de_linha_de_comando_nao_carrega_qt():
    codigo = (
        "import sys; from siops.app.cli import construir_parser; construir_parser(); "
        "print('PySide6' in sys.modules)"
    )
    r = subprocess.run(
        [sys.executable, "-c", codigo], cwd=RAIZ, capture_output=True, text=True, timeout=120
    )
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "False"
