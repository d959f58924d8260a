"""Helpers shared by the reliability tests (issue 11): sizes, time limits, the CLI.

Sizes. Every test takes its size from ``tamanho(nome, ci, completo)``: the CI size by default,
the full size with ``SIOPS_CONFIABILIDADE=completo`` (what ``scripts/confiabilidade.py`` uses
for the figures of ``docs/reliability.md``), and any single size from ``SIOPS_CONF_<NOME>``
(e.g. ``SIOPS_CONF_CARGA_ENTES=5597``).

Test modules import this module directly (``conftest`` puts this folder on ``sys.path``; a
test module cannot import a conftest under ``--import-mode=importlib``).
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

RAIZ_PROJETO = Path(__file__).resolve().parents[2]
MODO = os.environ.get("SIOPS_CONFIABILIDADE", "ci").strip().lower() or "ci"


def tamanho(nome: str, ci: int, completo: int) -> int:
    """The size ``nome`` for this run (see module docstring)."""
    definido = os.environ.get(f"SIOPS_CONF_{nome.upper()}", "").strip()
    if definido:
        return int(definido)
    return completo if MODO == "completo" else ci


# --- time limits ------------------------------------------------------------------------------


class Travou(BaseException):
    """A case passed its time limit (BaseException: no ``except Exception`` may swallow it)."""


@contextlib.contextmanager
def limite_de_tempo(segundos: float) -> Iterator[None]:
    """Interrupt the main thread with ``Travou`` after ``segundos`` (a hang becomes a failure).

    Only for the main thread (SIGALRM); nested use is not supported.
    """

    def estourou(_sig: int, _frame: object) -> None:
        raise Travou(f"passou de {segundos} s")

    antigo = signal.signal(signal.SIGALRM, estourou)
    signal.setitimer(signal.ITIMER_REAL, segundos)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, antigo)


# --- the CLI, in-process and as the real console script ---------------------------------------


@dataclass(frozen=True)
class Saida:
    """How a command ended."""

    codigo: int
    stdout: str
    stderr: str
    segundos: float


def rodar_cli(*args: object, teto: float = 20.0) -> Saida:
    """``siops ARGS`` through ``app.cli.main`` in this process, stdout/stderr captured.

    ``teto`` turns a hang into ``Travou``; exit 70 is the CLI's "erro inesperado" (a traceback
    written to a log), which the tests count as a failure.
    """
    from siops.app.cli import main

    out, err = io.StringIO(), io.StringIO()
    t0 = time.perf_counter()
    with (
        limite_de_tempo(teto),
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
    ):
        try:
            codigo = main([str(a) for a in args])
        except SystemExit as exc:  # argparse
            codigo = exc.code if isinstance(exc.code, int) else 2
    return Saida(int(codigo), out.getvalue(), err.getvalue(), time.perf_counter() - t0)


#: The installed console script, beside the interpreter running the tests.
SIOPS = Path(sys.executable).parent / "siops"


def rodar_siops(*args: object, cwd: Path, teto: float = 60.0) -> Saida:
    """The real ``siops`` console script in a subprocess."""
    assert SIOPS.exists(), f"o comando siops não está instalado em {SIOPS}"
    env = dict(os.environ, PYTHONPATH=str(RAIZ_PROJETO))
    env.pop("PYTHONWARNINGS", None)
    t0 = time.perf_counter()
    p = subprocess.run(
        [str(SIOPS), *map(str, args)],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        env=env,
        cwd=cwd,
        stdin=subprocess.DEVNULL,
        timeout=teto,
    )
    return Saida(p.returncode, p.stdout, p.stderr, time.perf_counter() - t0)


def sha256_arquivo(p: Path) -> str:
    """SHA-256 of a file's bytes."""
    return hashlib.sha256(Path(p).read_bytes()).hexdigest()


# --- bugs found in other packages (each also has its own minimal test, test_b<N>_…) ----------

#: Internal errors already reported and not yet fixed: a fuzz case that hits one counts it under
#: its label instead of failing, so the remaining cases still run; the defect's own test is
#: marked xfail(strict=True) and turns red the day it is fixed, and then this entry must go.
# B1–B4, found by this suite, were fixed in commit "Defeitos B1–B4 dos testes de confiabilidade"
# (forms/planilha.py, app/janela_arquivo.py, transmissor/xmldsig.py, servidor/verificacao.py);
# test_confiabilidade_defeitos.py keeps one regression case each. A new defect found by a
# fuzzer goes here (label → (regex of the traceback's last line, description)) until fixed.
BUGS_CONHECIDOS: dict[str, tuple[str, str]] = {}


def bug_conhecido(registro: str) -> str | None:
    """The label of the known bug whose traceback ``registro`` shows (None if none)."""
    import re

    ultima = registro.strip().splitlines()[-1] if registro.strip() else ""
    for rotulo, (padrao, _descricao) in BUGS_CONHECIDOS.items():
        if re.search(padrao, ultima):
            return rotulo
    return None
