"""Fixtures of the file-format tests: a private MS-SIOPS root, full declarations, the CLI."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parents[2]
DADOS = RAIZ / "tests" / "data"
#: The installed console script, beside the interpreter running the tests.
SIOPS = Path(sys.executable).parent / ("siops.exe" if os.name == "nt" else "siops")


def textos_completos(catalogo) -> dict[str, str]:
    """A text for every field of the catalog (accents, quotes, a line break, XML specials)."""
    return {
        cid: f'{campo.titulo} — Conceição & "Filhos" <ltda>\nlinha 2'
        for cid, campo in catalogo.campos.items()
    }


@pytest.fixture
def completa() -> Callable:
    """``completa(codigo, exercicio, bimestre, semente)``: every typed cell and every field."""
    from siops.forms.declaracao import DefinirTexto
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia

    def fazer(codigo: str = "M355030", exercicio: int = 2025, bimestre: int = 6, semente=1):
        d = declaracao_cheia(ente(codigo), exercicio, bimestre, semente)
        for cid, texto in textos_completos(d.catalogo).items():
            d.aplicar(DefinirTexto(cid, texto))
        d.modificada = False
        return d

    return fazer


@pytest.fixture
def siops_home(tmp_path, monkeypatch) -> Path:
    """A private MS-SIOPS root, through ``SIOPS_HOME`` (also seen by CLI subprocesses)."""
    home = tmp_path / "MS-SIOPS"
    monkeypatch.setenv("SIOPS_HOME", str(home))
    return home


@pytest.fixture
def siops(tmp_path) -> Callable[..., subprocess.CompletedProcess]:
    """Run the real ``siops`` console script; returns the completed process (text)."""

    def rodar(*args: object, timeout: float = 60) -> subprocess.CompletedProcess:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join([str(RAIZ), env.get("PYTHONPATH", "")]).rstrip(
            os.pathsep
        )
        env.pop("PYTHONWARNINGS", None)
        assert SIOPS.exists(), f"o comando siops não está instalado em {SIOPS}"
        return subprocess.run(
            [str(SIOPS), *map(str, args)],
            capture_output=True,
            text=True,
            encoding="utf-8",
            env=env,
            cwd=tmp_path,
            stdin=subprocess.DEVNULL,
            timeout=timeout,
        )

    return rodar
