"""The core's formula engine and the ledger on a large municipal declaration (issues 2 and 19).

The declaration is a full one (every typed cell and every Anexo 12 leaf filled) plus a ledger
of 3.000 despesa lines (``forms.gerador.razao_grande``).

* one typed edit with its dependent recomputation (target ≤ 1 ms);
* one ledger edit (``DefinirLancamento``): the aggregated cells it feeds (Anexo 12 row, fonte,
  elemento), every derived view, and the incremental críticas over the keys it changed
  (``Verificador.atualizar``) — target ≤ 5 ms (issue 19);
* a full recomputation (reference).
"""

from __future__ import annotations

from decimal import Decimal

from bench.medir import linha, mediana
from siops.criticas import Verificador
from siops.forms.declaracao import DefinirCelula, DefinirLancamento
from siops.forms.entes import ente
from siops.forms.gerador import declaracao_cheia, razao_grande
from siops.forms.razao import ChaveDespesa, linhas


def declaracao_grande(n_despesas: int = 3000):
    """The full declaration with a ledger of ``n_despesas`` more despesa lines."""
    d = declaracao_cheia(ente("M355030"), 2025, 6)
    razao = {**d.razao(), **razao_grande(d, n_despesas)}
    d.carregar(d.celulas_digitadas(), d.textos(), linhas(razao))
    return d


def main(rapido: bool = False) -> list[dict]:
    d = declaracao_grande()
    n = 200 if not rapido else 20
    chaves = [
        ("controle_rp_cancelados", "cancelados_ano_1", "empenhadas"),
        ("controle_minimo", "diferenca_ano_1", "saldo_inicial"),
    ]
    contador = iter(range(10**9))

    def editar() -> None:
        for _ in range(n):
            i = next(contador)
            d.aplicar(DefinirCelula(chaves[i % 2], Decimal(1000 + i % 97)))

    v = Verificador(d)
    alvo = ChaveDespesa.de("4", "301", "3.3.90.39")
    mudadas: set = set()
    d.ouvir(mudadas.update)

    def editar_razao() -> None:
        for _ in range(n):
            i = next(contador)
            mudadas.clear()
            d.aplicar(DefinirLancamento(alvo, "empenhada", Decimal(100000 + i % 97)))
            v.atualizar(mudadas)

    rep = 1 if rapido else 7
    edicao = mediana(editar, rep) / n
    edicao_razao = mediana(editar_razao, rep) / n
    completa = mediana(d.recalcular_tudo, rep)
    n_linhas = len(d.razao())
    return [
        linha(
            "núcleo: uma edição com recálculo dependente",
            edicao * 1000,
            "ms",
            meta="≤ 1 ms",
            cumpre=edicao * 1000 <= 1,
        ),
        linha(
            f"razão: um lançamento → visões + críticas incrementais ({n_linhas} linhas)",
            edicao_razao * 1000,
            "ms",
            meta="≤ 5 ms",
            cumpre=edicao_razao * 1000 <= 5,
        ),
        linha("núcleo: recálculo completo", completa * 1000, "ms", meta="—"),
    ]


if __name__ == "__main__":  # pragma: no cover
    import sys

    for r in main(rapido="--rapido" in sys.argv):
        print(f"{r['figura']:75} {r['valor']:9.3f} {r['unidade']}  {r['meta']}")
