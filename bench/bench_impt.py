"""Benchmark of the ``.IMPT`` import (issue 19): one despesa file of 3,000 lines.

Figure: ``contabil.impt.ler`` — decode, check every line (planilha, subfunção, natureza, the
seven values and their column ids) and build the ledger lines. Beside it, the floor: reading
the same file with Python's ``csv`` module alone (open, split every row on ``;``, nothing
else), the two run alternately, 31 times, best of each (``alternado``). Target: at most 3×
that floor. Shown apart, without a target: the whole preview
(classification of every line, the reconciliation and the ASPS percentage before → after on a
copy of the declaration), which is what ``siops importar-impt`` adds to reading.

The file is the e-cidade's layout (``V0:[>R$1234,56<]:-[13](Dotação Inicial);…;#L12;#C7;``,
CRLF, UTF-8), with values spread like a município's: one row in three has no execution yet.
"""

from __future__ import annotations

import csv
import random
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from bench.medir import linha, mediana

ROTULOS = (
    ("13", "(Dotação Inicial)"),
    ("12", "(Dotação Atualizada)"),
    ("9", "(Despesas Empenhadas)"),
    ("10", "(Despesas Liquidadas)"),
    ("11", "(Despesas Pagas)"),
    ("14", "(Inscritas em Restos a Pagar Não Processados)"),
    ("8", "(Despesas Orçadas)"),
)
PLANILHAS = ("4", "3", "86", "88", "6", "7", "10", "94", "95")
SUFIXOS = ("11", "12", "13", "14", "15", "16", "17", "18")
GRUPOS = ("3.1.90", "3.3.90", "4.4.90", "3.3.50", "3.1.91", "3.3.71")


def _reais(centavos: int) -> str:
    return f"{centavos // 100},{centavos % 100:02d}"


def gerar_impt(caminho: Path, linhas: int, semente: int = 19) -> Path:
    """Write one ``.IMPT`` of ``linhas`` distinct despesa lines (6º bimestre)."""
    rnd = random.Random(semente)
    vistos: set[tuple[str, str, str]] = set()
    out = []
    while len(out) < linhas:
        plan, suf = rnd.choice(PLANILHAS), rnd.choice(SUFIXOS)
        nat = f"{rnd.choice(GRUPOS)}.{rnd.randint(1, 99):02d}.{rnd.randint(0, 99):02d}.00"
        if (plan, suf, nat) in vistos:
            continue
        vistos.add((plan, suf, nat))
        dot = rnd.randint(0, 10**10)
        emp = rnd.randint(0, dot) if rnd.random() > 0.33 else 0
        liq = rnd.randint(0, emp)
        pag = rnd.randint(0, liq)
        valores = (dot, dot + rnd.randint(0, 10**8), emp, liq, pag, emp - liq, 0)
        campos = "".join(
            f"V{i}:[>R${_reais(v)}<]:-[{cod}]{tit};"
            for i, (v, (cod, tit)) in enumerate(zip(valores, ROTULOS, strict=True))
        )
        out.append(f"{plan}_{suf};{nat};{rnd.randint(1000, 9999)};{campos}#L{len(out) + 1};#C7;")
    caminho.write_bytes("".join(s + "\r\n" for s in out).encode("utf-8"))
    return caminho


def so_csv(caminho: Path) -> int:
    """The floor: read and split every row with the csv module, nothing else."""
    n = 0
    with open(caminho, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f, delimiter=";"):
            n += 1
    return n


def alternado(a: Callable[[], object], b: Callable[[], object], n: int) -> tuple[float, float]:
    """Best times of ``a`` and ``b`` run one after the other ``n`` times (after a warm-up).

    Alternating makes a busy machine slow both alike, and the best of many runs (``timeit``'s
    advice) drops the bursts of the other processes of a shared machine, which only ever add.
    """
    a(), b()
    ta, tb = [], []
    for _ in range(n):
        t = time.perf_counter()
        a()
        ta.append(time.perf_counter() - t)
        t = time.perf_counter()
        b()
        tb.append(time.perf_counter() - t)
    return min(ta), min(tb)


def main(rapido: bool = False) -> list[dict]:
    """Time of reading (and previewing) a 3,000-line despesa ``.IMPT``."""
    from siops.contabil import impt
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    n_linhas = 3_000
    repeticoes = 1 if rapido else 31
    with tempfile.TemporaryDirectory() as pasta:
        arq = gerar_impt(Path(pasta) / "01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT", n_linhas)
        d = Declaracao(ente("M355030"), 2025, 6)
        tempo, chao = alternado(lambda: impt.ler(arq), lambda: so_csv(arq), repeticoes)
        completo = mediana(lambda: impt.importar(d, arq), 1 if rapido else 5)
        lido = impt.ler(arq)
        assert len(lido.linhas) == n_linhas == so_csv(arq)
        p = impt.importar(d, arq)
        assert p.fecha and sum(c.arquivo for c in p.conciliacao) > Decimal(0)
    return [
        linha(
            f"ler .IMPT de {n_linhas:,} linhas de despesa".replace(",", "."),
            tempo * 1000,
            "ms",
            chao * 1000,
            "≤ 3× ler o mesmo arquivo com o módulo csv",
            tempo <= 3 * chao,
        ),
        linha(
            f"importar .IMPT de {n_linhas:,} linhas: prévia completa".replace(",", "."),
            completo * 1000,
            "ms",
            chao * 1000,
            "(informativo: classificação, conciliação, percentual antes → depois)",
            None,
        ),
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in main():
        print(r)
