"""Benchmark of the accounting import: a generated 100,000-row MSC, read, turned into ledger
lines (``forms.razao``: planilha × subfunção × natureza) and previewed — the preview applies the
import to a copy of the declaration to show every view that changes.

Beside it, the floor: reading the same file with Python's ``csv`` module alone (open, split
every row, nothing else). Targets (issue 14): at most 3× that floor, and at most 150 MB of peak
memory (``tracemalloc``, measured in a separate run so that tracing does not slow the timing).

The generated file looks like a município's month: half of the rows are budget-execution
accounts the import uses (receita realizada by NR and FR; the stages of the empenho by FS, ND,
FR and CO), the other half patrimonial accounts it skips; every combination has its
``beginning_balance``, ``period_change`` and ``ending_balance`` rows.
"""

from __future__ import annotations

import csv
import random
import tempfile
import tracemalloc
from pathlib import Path

from bench.medir import linha, mediana

CAB = "CONTA;IC1;TIPO1;IC2;TIPO2;IC3;TIPO3;IC4;TIPO4;IC5;TIPO5;IC6;TIPO6;Valor;Tipo_valor;Natureza_valor"
NRS = ("11125001", "11125301", "11145111", "11130311", "17115111", "17215001", "17135011",
       "11210111", "13210011", "19990011")  # fmt: skip
FSS = ("10301", "10302", "10303", "10304", "10305", "10122", "04122", "12361", "15451")
NDS = ("31901100", "31901300", "33903000", "33903900", "33903600", "44905200", "31900101")
FRS = (("1500", "1002"), ("1600", ""), ("1500", "1001"), ("1621", ""), ("1540", "1070"))
ESTAGIOS = ("622130100", "622130200", "622130300", "622130400")


def gerar_msc(caminho: Path, linhas: int, semente: int = 14) -> Path:
    """Write an MSC of about ``linhas`` rows (three rows per combination)."""
    rnd = random.Random(semente)
    # a real MSC has about a thousand distinct patrimonial accounts (PCASP, 9 digits)
    patrimoniais = [f"{rnd.choice('1234')}{rnd.randint(10000000, 99999999)}" for _ in range(1000)]
    with open(caminho, "w", encoding="utf-8", newline="") as f:
        f.write("3550308EX;2025-04\r\n" + CAB + "\r\n")
        n = 0
        while n < linhas:
            r = rnd.random()
            if r < 0.15:
                conta = "621200000"
                ics = f"10131;PO;{rnd.choice(NRS)};NR;{rnd.choice(FRS)[0]};FR;;;;;;"
                nat = "C"
            elif r < 0.5:
                conta = rnd.choice(ESTAGIOS)
                fr, co = rnd.choice(FRS)
                ics = f"10131;PO;{rnd.choice(FSS)};FS;{rnd.choice(NDS)};ND;{fr};FR;{co};CO;;"
                nat = "C"
            else:
                conta = rnd.choice(patrimoniais)
                ics = f"10131;PO;{rnd.randint(1, 2)};FP;{rnd.choice(FRS)[0]};FR;;;;;;"
                nat = "D"
            inicial = rnd.randint(0, 10**9) / 100
            mov = rnd.randint(1, 10**8) / 100
            f.write(f"{conta};{ics};{inicial:.2f};beginning_balance;{nat}\r\n")
            f.write(f"{conta};{ics};{mov:.2f};period_change;{nat}\r\n")
            f.write(f"{conta};{ics};{inicial + mov:.2f};ending_balance;{nat}\r\n")
            n += 3
    return caminho


def so_csv(caminho: Path) -> int:
    """The floor: read and split every row with the csv module, nothing else."""
    n = 0
    with open(caminho, encoding="utf-8", newline="") as f:
        for _ in csv.reader(f, delimiter=";"):
            n += 1
    return n


def main(rapido: bool = False) -> list[dict]:
    """Time and peak memory of importing a generated 100,000-row MSC."""
    from siops.contabil import importar
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    n_linhas = 100_000
    repeticoes = 1 if rapido else 5
    with tempfile.TemporaryDirectory() as pasta:
        arq = gerar_msc(Path(pasta) / "msc.csv", n_linhas)
        d = Declaracao(ente("M355030"), 2025, 2)
        chao = mediana(lambda: so_csv(arq), repeticoes)
        tempo = mediana(lambda: importar(d, [arq]), repeticoes)
        tracemalloc.start()
        try:
            previa = importar(d, [arq])
            _, pico = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert all(c.fecha for c in previa.conciliacao)
        assert previa.planilhas and previa.lote().comandos  # the ledger is filled
        tamanho = arq.stat().st_size / 1e6
    mb = pico / 1e6
    return [
        linha(
            f"importar MSC de {n_linhas:,} linhas ({tamanho:.1f} MB)".replace(",", "."),
            tempo,
            "s",
            chao,
            "≤ 3× ler o CSV com o módulo csv",
            tempo <= 3 * chao,
        ),
        linha(
            "importar MSC de 100.000 linhas: pico de memória (tracemalloc)",
            mb,
            "MB",
            tamanho,
            "≤ 150 MB (base: o tamanho do arquivo)",
            mb <= 150,
        ),
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in main():
        print(r)
