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
from siops.forms import catalogo
from siops.forms.catalogo import Catalogo
from siops.forms.dinheiro import CENTAVO, apresentar_percentual
from siops.forms.formulas import chave_param

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
        le = (kp, kd, km, BASE, PERCENTUAL_MINIMO)

        def checar(e: Entrada, kp=kp, kd=kd, col=col) -> str | None:
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
            return (
                f"O percentual aplicado em ASPS ({apresentar_percentual(d.valor(kp))}%, pela "
                f"despesa {_PALAVRA.get(col, col)}) está abaixo do mínimo de "
                f"{apresentar_percentual(d.valor(PERCENTUAL_MINIMO))}%: faltam {reais(-falta)}. "
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
