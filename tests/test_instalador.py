"""The frozen program (PyInstaller one-folder build) is built and smoke-tested (issue 9).

Marked ``slow`` (about two minutes); CI runs it. The build goes to a temporary folder; its size
is printed for the record.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

RAIZ = Path(__file__).resolve().parent.parent


def _tamanho(pasta: Path) -> int:
    return sum(p.stat().st_size for p in pasta.rglob("*") if p.is_file())


@pytest.mark.slow
def test_build_congelado_e_autoteste(tmp_path):
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    r = subprocess.run(
        [
            str(pyinstaller),
            "--noconfirm",
            "--log-level",
            "WARN",
            "--distpath",
            str(tmp_path / "dist"),
            "--workpath",
            str(tmp_path / "work"),
            str(RAIZ / "installers" / "siops.spec"),
        ],
        cwd=RAIZ,
        capture_output=True,
        text=True,
        timeout=1200,
    )
    assert r.returncode == 0, r.stderr[-4000:]
    pasta = tmp_path / "dist" / "siops-desktop"
    for nome in ("siops", "siops-console", "siopsnet", "siopsnet-console"):
        assert (pasta / nome).is_file(), nome
    print(f"\ntamanho do build: {_tamanho(pasta) / 2**20:.0f} MiB")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    v = subprocess.run(
        [str(pasta / "siops-console"), "--versao"],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert v.returncode == 0 and v.stdout.startswith("siops-desktop "), v.stdout + v.stderr
    a = subprocess.run(
        [str(pasta / "siops-console"), "autoteste"],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
        cwd=tmp_path,
    )
    assert a.returncode == 0, a.stderr
    assert "Autoteste concluído" in a.stderr
    assert "Traceback" not in a.stderr
