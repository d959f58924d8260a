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
    MODALIDADES_DEDUCAO,
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
    that cell's canonical ledger line; the deductions XIV/XV, lines moved to their
    modalidade — ``celulas_para_razao``)."""
    if cat.editavel(k, bimestre):
        return True
    if k[0] == "apuracao" and k[1] in MODALIDADES_DEDUCAO:
        return k in cat.agregadas
    return k in cat.agregadas and cat.classificador.linha_canonica(k) is not None


def declaracao_cheia(
    ente, exercicio: int = 2025, bimestre: int = 6, semente: int = 1
) -> Declaracao:
    """A declaration with every typed cell filled (the benchmarks' "full declaration")."""
    d = Declaracao(ente, exercicio, bimestre)
    valores = valores_cheios(d, semente)
    conv = celulas_para_razao(d.catalogo, valores.items())
    d.carregar(conv.digitadas.items(), {}, linhas(conv.razao))
    ajustes = _coerencia(d)
    if ajustes:
        valores.update(ajustes)
        conv = celulas_para_razao(d.catalogo, valores.items())
        d.carregar(conv.digitadas.items(), {}, linhas(conv.razao))
    return d


def _coerencia(d: Declaracao) -> dict[Chave, Decimal]:
    """The typed cells that other tables determine, made to agree with them (the críticas of
    issue 20 that compare tables): XIV and XV = the totals of their controls; a state's
    deductions = the constitutional share of the revenue; the receitas totais containing the
    base; the current year's restos a pagar (none paid or cancelled; in the 6º, inscrito =
    XII (d) − XII (f), and XIII only in (d), within (g))."""
    cat = d.catalogo
    out: dict[Chave, Decimal] = {}

    def pode(k: Chave) -> bool:
        return cat.editavel(k, d.bimestre)

    # the controls split XIV/XV (now from the ledger) by exercício: the first row takes what
    # the others leave
    for linha, controle in (
        ("recursos_minimo_nao_aplicado", "controle_minimo"),
        ("rp_cancelados", "controle_rp_cancelados"),
    ):
        if controle not in cat.tabelas:
            continue
        for col, ccol in (
            ("empenhada", "empenhadas"),
            ("liquidada", "liquidadas"),
            ("paga", "pagas"),
        ):
            if not cat.existe(("apuracao", linha, col)):
                continue
            alvo = d.valor(("apuracao", linha, col))
            parcelas = [
                (controle, r.id, ccol)
                for r in cat.tabelas[controle].linhas
                if r.id != "total"
                and cat.existe((controle, r.id, ccol))
                and pode((controle, r.id, ccol))
            ]
            if not parcelas:
                continue
            resto = sum((d.valor(k) for k in parcelas[1:]), Decimal(0))
            if resto > alvo:
                out.update({k: Decimal(0) for k in parcelas[1:]})
                resto = Decimal(0)
            out[parcelas[0]] = alvo - resto
    for col in ("pagos", "cancelados"):
        if pode(("rp_execucao", "empenhos_ano", col)):
            out[("rp_execucao", "empenhos_ano", col)] = Decimal(0)
    t = cat.tabelas["receitas_base"]
    for row in t.linhas:
        base = row.base_deducao
        if base is None:
            continue
        for c in ("previsao_inicial", "previsao_atualizada", "realizada"):
            k = (t.id, row.id, c)
            if pode(k):
                receita = sum((d.valor((t.id, r, c)) for r in base[0]), Decimal(0))
                out[k] = quantizar(receita * base[1] / 100)
    if d.bimestre == 6:
        xiii = "rp_sem_disponibilidade"
        out[("apuracao", xiii, "liquidada")] = out[("apuracao", xiii, "paga")] = Decimal(0)
        g = d.valor(("despesas_asps", "total", "rp_nao_processados"))
        out[("apuracao", xiii, "empenhada")] = min(d.valor(("apuracao", xiii, "empenhada")), g)
        out[("rp_execucao", "empenhos_ano", "inscrito")] = d.valor(
            ("apuracao", "total_asps", "empenhada")
        ) - d.valor(("apuracao", "total_asps", "paga"))
    # the receitas totais contain the base (realizada): its taxes, its transfers, its total
    rt = "receitas_totais"
    if rt in cat.tabelas:
        ids = {x.id for x in t.linhas}
        mais = Decimal(0)
        for partes, total, folha in (
            (("impostos", "impostos_estaduais", "impostos_municipais"), "impostos_taxas", None),
            (
                ("transferencias", "transferencias_estaduais", "transferencias_municipais"),
                "transferencias_correntes",
                "transf_uniao_correntes",
            ),
        ):
            falta = sum(
                (d.valor((t.id, x, "realizada")) for x in partes if x in ids), Decimal(0)
            ) - d.valor((rt, total, "realizada"))
            k = (rt, folha or total, "realizada")
            if falta > 0 and pode(k):
                out[k] = d.valor(k) + falta
                mais += falta
        falta = d.valor(("receitas_base", "total_base", "realizada")) - (
            d.valor((rt, "receita_total", "realizada")) + mais
        )
        k = (rt, "outras_correntes", "realizada")
        if falta > 0 and pode(k):
            out[k] = d.valor(k) + falta
    return {k: v for k, v in out.items() if pode(k) and d.valor(k) != v}


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
