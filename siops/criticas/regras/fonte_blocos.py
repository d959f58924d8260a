"""Restos a pagar (group 700); execução financeira por bloco (group 900).

The despesa por fonte is a view of the ledger (``forms.razao``): it agrees with the despesa by
subfunção by construction, so the old 710 (total por fonte ≠ despesas totais) and 711
(recursos próprios ≠ ASPS) are gone with the table typed twice.
"""

from __future__ import annotations

from collections.abc import Iterator

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.motor import Entrada, Verificacao, definir, gerador
from siops.criticas.nomes import caminho_linha
from siops.criticas.regras.base import comparacao, diferenca, existe, reais, titulo_coluna
from siops.forms.catalogo import Catalogo

R720 = definir(
    720,
    "Restos a pagar pagos e cancelados maiores que os inscritos",
    AVISO,
    fundamento="Anexo 12, execução de restos a pagar: (t) = (p) − (s) − (u); o que foi pago e "
    "cancelado não pode passar do que foi inscrito (LC 141/2012 art. 24).",
)
R910 = definir(
    910,
    "Despesas por bloco maiores que as despesas totais com saúde",
    AVISO,
    fundamento="FAQ, Grupo 900: a execução por bloco de financiamento detalha parte das "
    "despesas com saúde e não pode somar mais que o total (Anexo 12, XLVII).",
)
R911 = definir(
    911,
    "Recebido da União por bloco maior que as transferências da União declaradas",
    AVISO,
    fundamento="FAQ, Grupo 900: o recebido do FNS por bloco de financiamento está contido nas "
    "receitas de transferências da União para a saúde (Anexo 12, receitas adicionais).",
)

DESPESAS_TOTAIS = ("despesas_totais", "total")
RP_EXECUCAO = "rp_execucao"
BLOCOS_TOTAL = ("blocos", "total")
UNIAO = ("receitas_adicionais", "uniao", "realizada")
COLUNAS = ("empenhada", "liquidada", "paga")


@gerador
def restos_a_pagar(cat: Catalogo) -> Iterator[Verificacao]:
    """720: in every row of the execução de restos a pagar, pagos + cancelados ≤ inscrito."""
    t = cat.tabelas.get(RP_EXECUCAO)
    if t is None:
        return
    for linha in t.linhas:
        ki, kp, kc = ((t.id, linha.id, c) for c in ("inscrito", "pagos", "cancelados"))
        if not all(existe(cat, k) for k in (ki, kp, kc)):
            continue
        if not any(k in cat.editaveis for k in (ki, kp, kc)):
            continue

        def checar(e: Entrada, ki=ki, kp=kp, kc=kc) -> str | None:
            i, p, c = e.d.valor(ki), e.d.valor(kp), e.d.valor(kc)
            if p + c <= i:
                return None
            return (
                f"Em restos a pagar, {caminho_linha(cat, ki[0], ki[1])}: os pagos ({reais(p)}) "
                f"e os cancelados ({reais(c)}) somam {reais(p + c)}, mais que o inscrito "
                f"({reais(i)}); diferença de {diferenca(p + c, i)}."
            )

        yield Verificacao(R720, (ki, kp, kc), checar, t.id, linha.id, "pagos")


@gerador
def blocos(cat: Catalogo) -> Iterator[Verificacao]:
    """910 (despesa por bloco ≤ despesas totais) and 911 (recebido da União ≤ receitas)."""
    for col in COLUNAS:
        ka, kb = (*BLOCOS_TOTAL, col), (*DESPESAS_TOTAIS, col)
        if existe(cat, ka) and existe(cat, kb):

            def f910(a, b, ka=ka):
                return (
                    f'O total das despesas por bloco de financiamento na coluna "'
                    f'{titulo_coluna(cat, ka)}" ({reais(a)}) é maior que o total das despesas '
                    f"com saúde ({reais(b)}); diferença de {diferenca(a, b)}."
                )

            yield comparacao(R910, ka, kb, ">", f910)
    ka = (*BLOCOS_TOTAL, "recebido_uniao")
    if existe(cat, ka) and existe(cat, UNIAO):

        def f911(a, b):
            return (
                f"O total recebido da União (FNS) por bloco de financiamento ({reais(a)}) é "
                "maior que as receitas de transferências da União para a saúde declaradas "
                f"({reais(b)}); diferença de {diferenca(a, b)}."
            )

        yield comparacao(R911, ka, UNIAO, ">", f911)


# --- 721/722: the current year's row of the execução de restos a pagar ------------------------

R721 = definir(
    721,
    "Restos a pagar inscritos no exercício diferentes das despesas com ASPS não pagas",
    IMPEDITIVA,
    so_no_6o=True,
    fundamento="Anexo 12, execução de restos a pagar, linha do exercício (Municípios, linha "
    "83): o total inscrito em restos a pagar (p) é o empenhado e não pago das despesas com ASPS, "
    "(XII d) − (XII f), inscrito no encerramento do exercício; (p) entra no valor inscrito "
    "considerado no limite (r) e no controle dos cancelamentos que afetam o mínimo (LC 141/2012 "
    "art. 24). Só no 6º bimestre: antes dele nada foi inscrito.",
)
R722 = definir(
    722,
    "Restos a pagar do exercício pagos ou cancelados",
    IMPEDITIVA,
    fundamento="Anexo 12, execução de restos a pagar: os restos a pagar inscritos no exercício "
    "só são pagos ou cancelados nos exercícios seguintes; na linha do exercício corrente os "
    "pagos (s) e os cancelados (u) são zero. Um cancelamento nessa linha alteraria o total dos "
    "cancelados que afetam o mínimo (XXI a XXIII; LC 141/2012 art. 24).",
)
ANO_CORRENTE = "empenhos_ano"
XII = ("apuracao", "total_asps")


@gerador
def rp_do_exercicio(cat: Catalogo) -> Iterator[Verificacao]:
    """721: inscrito = XII (d) − XII (f) in the 6º; 722: pagos and cancelados are zero."""
    t = cat.tabelas.get(RP_EXECUCAO)
    if t is None:
        return
    ki = (t.id, ANO_CORRENTE, "inscrito")
    kd, kf = (*XII, "empenhada"), (*XII, "paga")
    if all(existe(cat, k) for k in (ki, kd, kf)):

        def checar(e: Entrada) -> str | None:
            if e.d.bimestre != 6:
                return None
            i = e.d.valor(ki)
            esperado = e.d.valor(kd) - e.d.valor(kf)
            if i == esperado:
                return None
            return (
                f"Em restos a pagar, {caminho_linha(cat, ki[0], ki[1])}: o total inscrito "
                f"({reais(i)}) deve ser o empenhado e não pago das despesas com ASPS, "
                f"{reais(e.d.valor(kd))} − {reais(e.d.valor(kf))} = {reais(esperado)}; "
                f"diferença de {diferenca(i, esperado)}."
            )

        yield Verificacao(R721, (ki, kd, kf), checar, *ki)
    for col, nome in (("pagos", "pagos"), ("cancelados", "cancelados ou prescritos")):
        k = (t.id, ANO_CORRENTE, col)
        if not existe(cat, k):
            continue

        def checar_zero(e: Entrada, k=k, nome=nome) -> str | None:
            v = e.d.valor(k)
            if v == 0:
                return None
            return (
                f"Em restos a pagar, {caminho_linha(cat, k[0], k[1])}: há {reais(v)} de restos "
                f"a pagar {nome}, mas os inscritos no exercício só são pagos ou cancelados nos "
                "exercícios seguintes. Apague o valor (ou lance-o na linha do exercício do "
                "empenho)."
            )

        yield Verificacao(R722, (k,), checar_zero, *k)
