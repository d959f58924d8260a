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
from siops.forms.razao import (
    PLANILHAS,
    SUBFUNCOES_RAZAO,
    ChaveDespesa,
    ChaveRazao,
    celulas_para_razao,
    linhas,
)

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
        if not any(_entrada(cat, k, d.bimestre) for k in chaves):
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
            if _entrada(cat, k, d.bimestre):
                out[k] = v
    return out


def _entrada(cat, k: Chave, bimestre: int) -> bool:
    """A cell the generator fills: typed, or an Anexo 12 leaf the ledger feeds (it becomes
    that cell's canonical ledger line)."""
    if cat.editavel(k, bimestre):
        return True
    return k in cat.agregadas and cat.classificador.linha_canonica(k) is not None


def declaracao_cheia(
    ente, exercicio: int = 2025, bimestre: int = 6, semente: int = 1
) -> Declaracao:
    """A declaration with every typed cell filled (the benchmarks' "full declaration")."""
    d = Declaracao(ente, exercicio, bimestre)
    conv = celulas_para_razao(d.catalogo, valores_cheios(d, semente).items())
    d.carregar(conv.digitadas.items(), {}, linhas(conv.razao))
    return d


def razao_grande(
    d: Declaracao, n_despesas: int = 3000, semente: int = 1
) -> dict[ChaveRazao, dict[str, Decimal]]:
    """A ledger of ``n_despesas`` distinct despesa lines spread over the planilhas, subfunções
    and elementos, consistent within each line (the benchmarks' large declaration)."""
    rnd = random.Random(semente)
    naturezas = [
        f"{g}{m}{e:02d}{s:02d}00"
        for g in ("31", "33", "44")
        for m in ("90", "50", "71", "91")
        for e in (1, 4, 11, 13, 14, 16, 30, 32, 33, 36, 39, 41, 43, 47, 48, 51, 52, 92, 93)
        for s in (0, 1, 9)
    ]
    chaves = [
        ChaveDespesa(p.codigo, sub.id, n)
        for p in PLANILHAS
        for sub in SUBFUNCOES_RAZAO
        for n in naturezas
    ]
    out: dict[ChaveRazao, dict[str, Decimal]] = {}
    for k in rnd.sample(chaves, n_despesas):
        base = Decimal(rnd.randint(1_000, 900_000)) + Decimal(rnd.randint(0, 99)) / 100
        out[k] = {
            "dotacao_inicial": base,
            "dotacao_atualizada": quantizar(base * Decimal("1.05")),
            "empenhada": quantizar(base * Decimal("0.8")),
            "liquidada": quantizar(base * Decimal("0.6")),
            "paga": quantizar(base * Decimal("0.5")),
        }
    return out
