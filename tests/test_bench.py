"""Smoke test of the benchmark runner in quick mode, so the benchmarks cannot rot (issue 10).

It asserts that every benchmark module runs and reports figures; it asserts no speed target
(targets live in the benchmarks' own output, not in tests).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

RAIZ = Path(__file__).resolve().parent.parent


def test_runner_rapido(tmp_path):
    saida = tmp_path / "r.json"
    r = subprocess.run(
        [sys.executable, "-m", "bench", "--rapido", "--json", str(saida)],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert r.returncode == 0, r.stdout[-3000:] + r.stderr[-3000:]
    doc = json.loads(saida.read_text(encoding="utf-8"))
    assert not doc["falhas"]
    modulos = {x["modulo"] for x in doc["linhas"]}
    esperados = {p.stem for p in (RAIZ / "bench").glob("bench_*.py")}
    assert modulos == esperados
    assert all(isinstance(x["valor"], (int, float)) for x in doc["linhas"])
    assert "figura" in r.stdout
