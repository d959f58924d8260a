"""The críticas on a fully filled declaration (issue 4's benchmark).

Figures (median of ≥ 5 runs after a warm-up, ``bench.medir.mediana``):

* full pass — ``criticas.verificar`` over every rule; baseline: the core's full recomputation
  of the same declaration (``Declaracao.recalcular_tudo``), measured in the same run;
* one-edit incremental pass — ``Verificador.atualizar`` with the keys one typed edit changes
  (the edited cell and every derived cell it moves); baseline: the full pass.

Targets: full ≤ 5 ms, incremental ≤ 1 ms.
"""

from __future__ import annotations

from decimal import Decimal

from bench.medir import linha, mediana
from siops.criticas import Verificador, verificar
from siops.forms.declaracao import DefinirLancamento
from siops.forms.entes import ente
from siops.forms.formulas import Chave
from siops.forms.gerador import declaracao_cheia

EDICAO: Chave = ("despesas_asps", "s301_31", "liquidada")


def _chaves_de_uma_edicao(d) -> set[Chave]:
    """The keys one ledger edit changes: the line feeding ``EDICAO`` (its Anexo 12 row, fonte,
    elemento) and every derived cell they move."""
    mudadas: set[Chave] = set()
    d.ouvir(mudadas.update)
    linha, col = d.catalogo.classificador.linha_canonica(EDICAO)
    d.aplicar(DefinirLancamento(linha, col, d.lancamento(linha, col) + Decimal("1.00")))
    return mudadas


def main(rapido: bool = False) -> list[dict]:
    """Measure and print the figures; return the rows for ``python -m bench``."""
    d = declaracao_cheia(ente("M355030"), 2025, 6)
    rep = 5 if rapido else 21
    n = 5 if rapido else 50  # passes per timed run (the figure is per pass)

    def completa() -> None:
        for _ in range(n):
            verificar(d)

    def recalculo() -> None:
        for _ in range(n):
            d.recalcular_tudo()

    t_completa = mediana(completa, rep) / n
    t_recalculo = mediana(recalculo, rep) / n

    chaves = _chaves_de_uma_edicao(d)
    v = Verificador(d)
    m = n * 20

    def incremental() -> None:
        for _ in range(m):
            v.atualizar(chaves)

    t_incremental = mediana(incremental, rep) / m
    achados = len(verificar(d))
    linhas = [
        linha(
            f"críticas: passagem completa ({achados} achados)",
            t_completa * 1000,
            "ms",
            baseline=t_recalculo * 1000,
            meta="≤ 5 ms",
            cumpre=t_completa * 1000 <= 5,
        ),
        linha(
            f"críticas: incremental, uma edição ({len(chaves)} chaves mudadas)",
            t_incremental * 1000,
            "ms",
            baseline=t_completa * 1000,
            meta="≤ 1 ms",
            cumpre=t_incremental * 1000 <= 1,
        ),
    ]
    print(f"{'figura':60} {'valor (ms)':>11} {'baseline':>10} {'razão':>7}  meta")
    for r in linhas:
        print(
            f"{r['figura']:60} {r['valor']:11.4f} {r['baseline']:10.4f} {r['razao']:7.3f}  "
            f"{r['meta']}"
        )
    return linhas


if __name__ == "__main__":
    main()
