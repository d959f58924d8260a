"""Generated declarations for tests and benchmarks: a *full* one (every typed cell of the
catalog filled) and random-but-consistent values (liquidada ≤ empenhada, paga ≤ liquidada).

The benchmarks (``bench/``) and the tests use the same generator (issue 10).
"""

from __future__ import annotations

import random
from decimal import Decimal

from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import quantizar
from siops.forms.formulas import Chave

ESCALA = {
    "receitas_base": 2_000_000,
    "receitas_adicionais": 600_000,
    "despesas_asps": 120_000,
    "despesas_nao_computadas": 60_000,
}


def valores_cheios(d: Declaracao, semente: int = 1) -> dict[Chave, Decimal]:
    """A value for every typed cell, consistent within each row (see module docstring)."""
    rnd = random.Random(semente)
    cat = d.catalogo
    out: dict[Chave, Decimal] = {}
    for t, linha in cat.iter_linhas():
        escala = ESCALA.get(t.id, 40_000)
        cols = [c.id for c in t.colunas_da_linha(linha)]
        chaves = [(t.id, linha.id, c) for c in cols]
        if not any(cat.editavel(k, d.bimestre) for k in chaves):
            continue
        base = Decimal(rnd.randint(escala // 2, escala * 2)) + Decimal(rnd.randint(0, 99)) / 100
        vals: dict[str, Decimal] = {}
        for c in cols:
            if c in ("previsao_inicial", "dotacao_inicial"):
                vals[c] = base
            elif c in ("previsao_atualizada", "dotacao_atualizada"):
                vals[c] = quantizar(base * Decimal("1.05"))
            elif c in (
                "realizada",
                "empenhada",
                "empenhadas",
                "recebido_uniao",
                "valor",
                "saldo_inicial",
                "inscrito",
            ):
                vals[c] = quantizar(base * Decimal("0.5"))
            elif c in ("liquidada", "liquidadas", "pagos"):
                vals[c] = quantizar(base * Decimal("0.4"))
            elif c in ("paga", "pagas", "cancelados"):
                vals[c] = quantizar(base * Decimal("0.3"))
            else:
                vals[c] = quantizar(base * Decimal("0.1"))
        for c, v in vals.items():
            k = (t.id, linha.id, c)
            if cat.editavel(k, d.bimestre):
                out[k] = v
    return out


def declaracao_cheia(
    ente, exercicio: int = 2025, bimestre: int = 6, semente: int = 1
) -> Declaracao:
    """A declaration with every typed cell filled (the benchmarks' "full declaration")."""
    d = Declaracao(ente, exercicio, bimestre)
    d.carregar(valores_cheios(d, semente).items(), {})
    return d
