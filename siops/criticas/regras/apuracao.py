"""Rules on the values computed from receitas and despesas (group 600): the apuração.

All of them look at the column the apuração follows: the liquidada in bimestres 1–5 and the
empenhada in the 6º (Anexo 12, nota 1; ``Declaracao.coluna_apuracao``). The bimestre is fixed
for a declaration, so the column is chosen when the rules are run.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import ROUND_DOWN, Decimal

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.motor import Entrada, Verificacao, definir, gerador
from siops.criticas.regras.base import APURACAO, BASE, diferenca, reais
from siops.criticas.regras.cadastro import lei_do_ente
from siops.forms import catalogo
from siops.forms.catalogo import Catalogo
from siops.forms.dinheiro import CENTAVO, apresentar_percentual
from siops.forms.formulas import chave_param
from siops.forms.razao import MODALIDADES_DEDUCAO

R610 = definir(
    610,
    "Percentual aplicado em ASPS maior que 35,00%",
    AVISO,
    escala_no_6o=True,
    fundamento="FAQ do SIOPS (avisos que viram críticas no 6º bimestre): o percentual "
    "calculado de recursos próprios aplicados em ASPS está maior que 35,00%. Comparado com o "
    "percentual como é apresentado (truncado em duas casas, DOMAIN §7).",
)
R611 = definir(
    611,
    "Percentual aplicado em ASPS abaixo do mínimo",
    AVISO,
    fundamento="LC 141/2012 arts. 6º a 8º (mínimos), 25 e 26 (consequências: aplicação da "
    "diferença, condicionamento e suspensão de transferências); Decreto 7.827/2012 arts. 13 e "
    "18. Não é erro de preenchimento: é aviso em todos os bimestres, também no 6º.",
)
R612 = definir(
    612,
    "Base de cálculo do mínimo zerada",
    IMPEDITIVA,
    fundamento="Anexo 12: o percentual aplicado é (XVI) / (III) × 100; sem receita de impostos "
    "e transferências o percentual não pode ser calculado (erro que impede o cálculo do "
    "percentual mínimo: impeditiva, FAQ Críticas e Avisos).",
)
R614 = definir(
    614,
    "Despesa com ASPS zerada",
    AVISO,
    escala_no_6o=True,
    fundamento="LC 141/2012 arts. 6º a 8º: todo ente aplica em ASPS; despesa zerada na coluna "
    "da apuração torna o percentual zero. Aviso nos bimestres 1 a 5 (a execução pode começar "
    "tarde); impeditiva no 6º, quando o valor declarado é o do exercício.",
)
R613 = definir(
    613,
    "Valor aplicado em ASPS negativo",
    IMPEDITIVA,
    fundamento="Anexo 12: (XVI) = (XII) − (XIII) − (XIV) − (XV); deduções maiores que o total "
    "das despesas com ASPS tornam negativo o numerador do percentual mínimo.",
)

LIMITE_610 = Decimal("35.00")
PERCENTUAL = catalogo.PERCENTUAL_APLICADO
VALOR_APLICADO = catalogo.VALOR_APLICADO
DESPESA_MINIMA = catalogo.DESPESA_MINIMA
DIFERENCA = catalogo.DIFERENCA
PERCENTUAL_MINIMO = chave_param(catalogo.PERCENTUAL_MINIMO)
PERCENTUAL_LEI = chave_param(catalogo.PERCENTUAL_LEI_ORGANICA)
PERCENTUAL_LC = chave_param(catalogo.PERCENTUAL_LC141)
_PALAVRA = {"empenhada": "empenhada", "liquidada": "liquidada", "paga": "paga"}


def _colunas(cat: Catalogo) -> list[str]:
    if APURACAO not in cat.tabelas:
        return []
    return [c.id for c in cat.tabela(APURACAO).colunas]


@gerador
def percentual_maximo(cat: Catalogo) -> Iterator[Verificacao]:
    """610: percentual aplicado (column of the apuração) > 35,00%."""
    for col in _colunas(cat):
        k = (APURACAO, PERCENTUAL, col)
        if not cat.existe(k):
            continue

        def checar(e: Entrada, k=k, col=col) -> str | None:
            if e.d.coluna_apuracao != col:
                return None
            p = e.d.valor(k)
            if p.quantize(CENTAVO, rounding=ROUND_DOWN) <= LIMITE_610:
                return None
            return (
                "O percentual da receita de impostos e transferências aplicado em ASPS "
                f"({apresentar_percentual(p)}%, pela despesa {_PALAVRA.get(col, col)}) é maior "
                "que 35,00%. Confira se as despesas com ASPS e as receitas da base do mínimo "
                "foram declaradas corretamente."
            )

        yield Verificacao(R610, (k,), checar, APURACAO, PERCENTUAL, col)


@gerador
def abaixo_do_minimo(cat: Catalogo) -> Iterator[Verificacao]:
    """611: valor aplicado below the despesa mínima (a legal consequence, not a data error)."""
    for col in _colunas(cat):
        kp, kd = (APURACAO, PERCENTUAL, col), (APURACAO, DIFERENCA, col)
        km = (APURACAO, DESPESA_MINIMA, col)
        if not all(cat.existe(x) for x in (kp, kd, km)):
            continue
        le = (kp, kd, km, BASE, PERCENTUAL_MINIMO, PERCENTUAL_LEI, PERCENTUAL_LC)
        lei = lei_do_ente(cat)

        def checar(e: Entrada, kp=kp, kd=kd, col=col, lei=lei) -> str | None:
            d = e.d
            if d.coluna_apuracao != col or d.valor(BASE) <= 0:
                return None
            falta = d.valor(kd)
            if falta >= 0:
                return None
            periodo = (
                "No 6º bimestre vale para o exercício"
                if d.bimestre == 6
                else "Se os valores forem confirmados no 6º bimestre"
            )
            fonte = lei if d.valor(PERCENTUAL_LEI) > d.valor(PERCENTUAL_LC) else "LC 141/2012"
            return (
                f"O percentual aplicado em ASPS ({apresentar_percentual(d.valor(kp))}%, pela "
                f"despesa {_PALAVRA.get(col, col)}) está abaixo do mínimo de "
                f"{apresentar_percentual(d.valor(PERCENTUAL_MINIMO))}% ({fonte}): faltam "
                f"{reais(-falta)}. "
                "Isto não é erro de preenchimento e não impede a transmissão. "
                f"{periodo}: a diferença deve ser aplicada em saúde além do mínimo, e o ente "
                "fica sujeito ao condicionamento das transferências constitucionais e à "
                "suspensão das transferências voluntárias (LC 141/2012, arts. 25 e 26)."
            )

        yield Verificacao(R611, le, checar, APURACAO, PERCENTUAL, col)


@gerador
def base_zerada(cat: Catalogo) -> Iterator[Verificacao]:
    """612: the base (III)/(IV) realizada is zero (or below: deductions above the taxes)."""
    if not cat.existe(BASE):
        return

    def checar(e: Entrada) -> str | None:
        b = e.d.valor(BASE)
        if b > 0:
            return None
        estado = "está zerada" if b == 0 else f"está negativa ({reais(b)})"
        return (
            "A receita de impostos e transferências constitucionais e legais (base do mínimo) "
            f"{estado}: o percentual aplicado em ASPS não pode ser calculado. Preencha a "
            "receita realizada até o bimestre."
        )

    yield Verificacao(R612, (BASE,), checar, *BASE)


@gerador
def asps_zerada(cat: Catalogo) -> Iterator[Verificacao]:
    """614: total das despesas com ASPS (XII) zero in the column the apuração follows."""
    for col in _colunas(cat):
        k = (APURACAO, catalogo.TOTAL_ASPS, col)
        if not cat.existe(k):
            continue

        def checar(e: Entrada, k=k, col=col) -> str | None:
            if e.d.coluna_apuracao != col or e.d.valor(k) != 0:
                return None
            return (
                f"O total das despesas com ASPS pela despesa {_PALAVRA.get(col, col)} é de "
                "R$ 0,00: o percentual aplicado em ASPS seria 0%. Preencha as despesas com ações "
                "e serviços públicos de saúde na pasta Despesas com Saúde."
            )

        yield Verificacao(R614, (k,), checar, APURACAO, catalogo.TOTAL_ASPS, col)


@gerador
def valor_aplicado_negativo(cat: Catalogo) -> Iterator[Verificacao]:
    """613: (XVI) below zero in any column (deductions larger than the total with ASPS)."""
    for col in _colunas(cat):
        k = (APURACAO, VALOR_APLICADO, col)
        if not cat.existe(k):
            continue

        def checar(e: Entrada, k=k, col=col) -> str | None:
            v = e.d.valor(k)
            if v >= 0:
                return None
            return (
                f"O valor aplicado em ASPS pela despesa {_PALAVRA.get(col, col)} é negativo "
                f"({reais(v)}): as deduções da apuração são maiores que o total das despesas "
                f"com ASPS em {diferenca(v, Decimal(0))}."
            )

        yield Verificacao(R613, (k,), checar, APURACAO, VALOR_APLICADO, col)


# --- 604–607: the deductions XIII–XV against what they stand for ------------------------------

R604 = definir(
    604,
    "Restos a pagar inscritos indevidamente (XIII) fora da coluna das empenhadas",
    IMPEDITIVA,
    fundamento="Anexo 12 (Municípios, linha 60; Estados, 63; DF, 70): a dedução dos restos a "
    "pagar não processados inscritos indevidamente no exercício sem disponibilidade financeira "
    "só existe na coluna (d), das despesas empenhadas — a inscrição em restos a pagar é do "
    "empenho não pago; nas colunas (e) e (f) ela alteraria o valor aplicado (XVI).",
)
R605 = definir(
    605,
    "Restos a pagar inscritos indevidamente (XIII) maiores que os inscritos em ASPS",
    IMPEDITIVA,
    fundamento="Anexo 12 (Municípios, linhas 32 e 80): só se deduz como inscrito "
    "indevidamente o que foi inscrito em restos a pagar não processados nas despesas com ASPS "
    "(coluna g do total, (d) − (e) no 6º bimestre); acima disso a dedução reduz o valor "
    "aplicado (XVI) sem contrapartida.",
)
_CONTROLE = (
    "Anexo 12 (Municípios, linhas 63–64 e 76–102; Estados, 61–62 e 73–99): as deduções (XIV) "
    "e (XV) são as despesas com ASPS nas modalidades de aplicação 36/46/76/96 (parcela do "
    "mínimo não aplicada em exercícios anteriores, art. 25 da LC 141/2012) e 35/45/75/95 "
    "(disponibilidade de caixa dos restos a pagar cancelados, art. 24) — calculadas do razão —; "
    "o total das despesas custeadas na tabela de controle — colunas (i), (j), (k) do controle do "
    "percentual mínimo não cumprido; (x), (y), (z) do controle dos restos a pagar cancelados — é "
    "essa mesma dedução, dividida por exercício. Diferentes, a dedução que entra no valor "
    "aplicado (XVI) não tem demonstração."
)
R606 = definir(
    606,
    "Controle do percentual mínimo não cumprido diferente da dedução (XIV) do razão",
    IMPEDITIVA,
    fundamento=_CONTROLE,
)
R607 = definir(
    607,
    "Controle dos restos a pagar cancelados diferente da dedução (XV) do razão",
    IMPEDITIVA,
    fundamento=_CONTROLE,
)

XIII = "rp_sem_disponibilidade"
XIV = "recursos_minimo_nao_aplicado"
XV = "rp_cancelados"
#: (apuração row, control table, rule, the control's name): XIV/XV and their control.
CONTROLES = (
    (XIV, "controle_minimo", R606, "controle do percentual mínimo não cumprido"),
    (XV, "controle_rp_cancelados", R607, "controle dos restos a pagar cancelados"),
)
#: apuração column → column of the controls (same stage of the despesa).
COLUNA_CONTROLE = {"empenhada": "empenhadas", "liquidada": "liquidadas", "paga": "pagas"}
RP_ASPS = ("despesas_asps", "total", "rp_nao_processados")


def _numeral(cat: Catalogo, linha: str) -> str:
    n = cat.numerais.get((APURACAO, linha))
    return f" ({n})" if n else ""


@gerador
def rp_inscritos_indevidamente(cat: Catalogo) -> Iterator[Verificacao]:
    """604: XIII only in column (d); 605: XIII (d) ≤ the RP não processados of ASPS (g)."""
    if APURACAO not in cat.tabelas:
        return
    num = _numeral(cat, XIII)
    for col in ("liquidada", "paga"):
        k = (APURACAO, XIII, col)
        if not cat.existe(k):
            continue

        def checar(e: Entrada, k=k, col=col) -> str | None:
            v = e.d.valor(k)
            if v == 0:
                return None
            return (
                f"Os restos a pagar não processados inscritos indevidamente{num} estão "
                f"preenchidos na coluna das despesas {_PALAVRA.get(col, col)}s ({reais(v)}): a "
                "dedução existe só na coluna das despesas empenhadas (d). Apague o valor desta "
                "coluna; ele reduz o valor aplicado em ASPS."
            )

        yield Verificacao(R604, (k,), checar, *k)
    k = (APURACAO, XIII, "empenhada")
    if cat.existe(k) and cat.existe(RP_ASPS):

        def checar_g(e: Entrada) -> str | None:
            v, g = e.d.valor(k), e.d.valor(RP_ASPS)
            if v <= g:
                return None
            return (
                f"Os restos a pagar não processados inscritos indevidamente{num} "
                f"({reais(v)}) são maiores que os restos a pagar não processados inscritos nas "
                f"despesas com ASPS, coluna (g) ({reais(g)}); diferença de {diferenca(v, g)}. "
                "Só se deduz o que foi inscrito."
            )

        yield Verificacao(R605, (k, RP_ASPS), checar_g, *k)


@gerador
def deducoes_e_controles(cat: Catalogo) -> Iterator[Verificacao]:
    """606/607: XIV and XV equal the total of their control table, column by column."""
    if APURACAO not in cat.tabelas:
        return
    for linha, tabela, regra, nome in CONTROLES:
        if tabela not in cat.tabelas:
            continue
        ct = cat.tabela(tabela)
        num = _numeral(cat, linha)
        ms = MODALIDADES_DEDUCAO[linha]
        mods = ", ".join(ms[:-1]) + " e " + ms[-1]
        for col, ccol in COLUNA_CONTROLE.items():
            ka, kc = (APURACAO, linha, col), (tabela, "total", ccol)
            if not (cat.existe(ka) and cat.existe(kc)):
                continue
            letra = ct.coluna(ccol).rotulo
            palavra = _PALAVRA.get(col, col)

            def checar(
                e: Entrada,
                ka=ka,
                kc=kc,
                letra=letra,
                palavra=palavra,
                nome=nome,
                num=num,
                mods=mods,
            ) -> str | None:
                a, c = e.d.valor(ka), e.d.valor(kc)
                if a == c:
                    return None
                return (
                    f"A dedução{num}, calculada do razão (despesas da planilha de impostos — "
                    f"ASPS nas modalidades de aplicação {mods}), é de {reais(a)} nas despesas "
                    f"{palavra}s; no {nome}, as parcelas por exercício {letra} somam "
                    f"{reais(c)}; diferença de {diferenca(a, c)}. Divida entre os exercícios "
                    "exatamente o valor do razão (ou corrija a modalidade das linhas do razão)."
                )

            yield Verificacao(regra, (ka, kc), checar, *kc)
