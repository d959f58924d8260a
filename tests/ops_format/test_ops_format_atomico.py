"""Atomic saves: a process killed with SIGKILL at random points of ``salvar`` never leaves an
unreadable file — the old version or the new one opens, and the backup too."""

from __future__ import annotations

import os
import random
import signal
import time
from decimal import Decimal

from siops.forms.declaracao import DefinirLancamento
from siops.forms.razao import ChaveReceita
from siops.ops_format import ler, salvar
from siops.ops_format.atomico import caminho_backup

VEZES = 60


def test_sigkill_durante_salvar_nunca_deixa_arquivo_ilegivel(completa, tmp_path):
    a = completa("M355030", 2025, 6, semente=1)
    b = a.copia()
    b.aplicar(
        DefinirLancamento(ChaveReceita.de("1.1.1.2.50.0.1"), "realizada", Decimal("123456.78"))
    )
    arq = tmp_path / "M355030_2025_SextoBimestre.OPS"
    salvar(a, arq)
    rnd = random.Random(20250101)
    versoes_vistas = set()
    for i in range(VEZES):
        pid = os.fork()
        if pid == 0:  # child: save alternately until killed
            try:
                n = 0
                while True:
                    salvar(b if n % 2 == 0 else a, arq)
                    n += 1
            finally:
                os._exit(0)
        time.sleep(rnd.uniform(0.0, 0.03))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL, i
        lida = ler(arq)  # never ArquivoInvalido
        assert lida == a or lida == b, i
        versoes_vistas.add("b" if lida == b else "a")
        if caminho_backup(arq).exists():
            bak = ler(caminho_backup(arq))
            assert bak == a or bak == b
    # the kills fell in different places: both versions were seen on disk afterwards
    assert versoes_vistas == {"a", "b"}
    # leftovers of killed saves are only hidden temporary files, never a .OPS; there are
    # some, so kills did land in the middle of writes
    sobras = [
        p.name for p in tmp_path.iterdir() if p.name not in (arq.name, caminho_backup(arq).name)
    ]
    assert all(n.startswith(".") and n.endswith(".tmp") for n in sobras), sobras
    assert sobras
