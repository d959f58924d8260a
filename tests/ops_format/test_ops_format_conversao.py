"""A file of format version 1 through the CLI: converted to the ledger, the user told on
stderr, the file left as it was (issue 19, item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

from siops.ops_format import ler

AMOSTRA = Path(__file__).resolve().parents[1] / "data" / "ops-1" / "M355030_2025_SextoBimestre.OPS"


def test_cli_diz_que_converteu_e_nao_regrava(siops, tmp_path):
    arq = tmp_path / AMOSTRA.name
    shutil.copy(AMOSTRA, arq)
    antes = arq.read_bytes()
    r = siops("calcular", arq)
    assert r.returncode == 0, r.stderr
    assert "formato 1" in r.stderr and "aviso" in r.stderr
    assert arq.read_bytes() == antes
    assert ler(arq).avisos_formato  # still version 1 on disk
