"""Rules applied to every typed cell or row of the catalog, walking it (no row is listed here).

* negative values (2xx, 5xx, 6xx, 7xx, 9xx by pasta): the model refuses them on edit, but a
  loaded or imported file, or a future change of the model, could carry one;
* the order of execution: liquidada ≤ empenhada and paga ≤ liquidada in every row of every
  table that has those columns (despesas, fonte, restos-a-pagar controls, blocos);
* empenhada ≤ dotação atualizada; receita realizada with previsão atualizada;
* cumulative values not below the previous bimestre's (when it is given).

A cell that enters the base or the numerator of the minimum gets the impeditiva code of its
group, the others the aviso code (FAQ, "Críticas e Avisos": only errors that influence the
computation of the minimum percentage block the transmission).
"""

from __future__ import annotations

from collections.abc import Iterator

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.motor import Entrada, Regra, Verificacao, definir, gerador
from siops.criticas.nomes import caminho_linha
from siops.criticas.regras.base import (
    afeta_minimo,
    coluna_da_linha,
    digitada,
    grupo_da_tabela,
    linhas_digitadas,
    reais,
    tem_colunas,
    titulo_coluna,
)
from siops.forms.catalogo import Catalogo
from siops.forms.formulas import Chave

_NEG = (
    "Despesas e receitas são declaradas em valores não negativos (Anexo 12, MDF 13ª edição; "
    "LC 141/2012 art. 24 para as despesas)."
)

R201 = definir(
    201,
    "Receita negativa na base do mínimo",
    IMPEDITIVA,
    fundamento=_NEG + " A célula entra na base de cálculo (LC 141/2012 arts. 6º a 8º).",
)
R202 = definir(202, "Receita com valor negativo", AVISO, fundamento=_NEG)
R501 = definir(
    501,
    "Despesa negativa computada no mínimo",
    IMPEDITIVA,
    fundamento=_NEG + " A célula entra no valor aplicado em ASPS (XVI).",
)
R502 = definir(502, "Despesa com valor negativo", AVISO, fundamento=_NEG)
R601 = definir(
    601,
    "Dedução negativa na apuração do mínimo",
    IMPEDITIVA,
    fundamento=_NEG + " As deduções (XIII)–(XV) alteram o valor aplicado (XVI).",
)
R701 = definir(701, "Valor negativo em fonte de recursos ou restos a pagar", AVISO, fundamento=_NEG)
R901 = definir(901, "Valor negativo na execução por bloco", AVISO, fundamento=_NEG)

#: (group of the pasta, enters the minimum) → rule. A typed cell with no entry here is not
#: checked; a test makes sure every typed cell of every catalog has one.
NEGATIVOS: dict[tuple[int, bool], Regra] = {
    (200, True): R201,
    (200, False): R202,
    (500, True): R501,
    (500, False): R502,
    (600, True): R601,
    (700, False): R701,
    (900, False): R901,
}

_ORDEM = (
    "Estágios da despesa (Lei 4.320/1964, arts. 58 a 65): só se liquida o que foi empenhado e só "
    "se paga o que foi liquidado."
)
R510 = definir(
    510,
    "Despesa liquidada maior que a empenhada (computada no mínimo)",
    IMPEDITIVA,
    fundamento=_ORDEM + " A linha entra no valor aplicado em ASPS (Anexo 12, XII a XVI).",
)
R511 = definir(
    511,
    "Despesa paga maior que a liquidada (computada no mínimo)",
    IMPEDITIVA,
    fundamento=_ORDEM + " A linha entra no valor aplicado em ASPS (Anexo 12, XII a XVI).",
)
R512 = definir(512, "Despesa liquidada maior que a empenhada", AVISO, fundamento=_ORDEM)
R513 = definir(513, "Despesa paga maior que a liquidada", AVISO, fundamento=_ORDEM)
R602 = definir(
    602,
    "Dedução da apuração liquidada maior que a empenhada",
    IMPEDITIVA,
    fundamento=_ORDEM + " As deduções (XIII)–(XV) alteram o valor aplicado em ASPS (XVI).",
)
R603 = definir(
    603,
    "Dedução da apuração paga maior que a liquidada",
    IMPEDITIVA,
    fundamento=_ORDEM + " As deduções (XIII)–(XV) alteram o valor aplicado em ASPS (XVI).",
)
R702 = definir(
    702, "Liquidado maior que o empenhado (fonte ou restos a pagar)", AVISO, fundamento=_ORDEM
)
R703 = definir(
    703, "Pago maior que o liquidado (fonte ou restos a pagar)", AVISO, fundamento=_ORDEM
)
R902 = definir(902, "Despesa liquidada maior que a empenhada no bloco", AVISO, fundamento=_ORDEM)
R903 = definir(903, "Despesa paga maior que a liquidada no bloco", AVISO, fundamento=_ORDEM)

#: (group, enters the minimum) → (liquidada > empenhada, paga > liquidada).
ORDEM: dict[tuple[int, bool], tuple[Regra, Regra]] = {
    (500, True): (R510, R511),
    (500, False): (R512, R513),
    (600, True): (R602, R603),
    (700, False): (R702, R703),
    (900, False): (R902, R903),
}
#: Column triples (empenhada, liquidada, paga) as the catalog names them.
TRIPLAS = (("empenhada", "liquidada", "paga"), ("empenhadas", "liquidadas", "pagas"))
_PALAVRAS = {
    "empenhada": "empenhada",
    "liquidada": "liquidada",
    "paga": "paga",
    "empenhadas": "empenhada",
    "liquidadas": "liquidada",
    "pagas": "paga",
}

_DOTACAO = "Lei 4.320/1964, art. 59: o empenho não pode exceder o limite dos créditos concedidos."
R514 = definir(
    514,
    "Despesa com ASPS empenhada maior que a dotação atualizada",
    AVISO,
    escala_no_6o=True,
    fundamento=_DOTACAO + " Aviso nos bimestres 1 a 5 (a dotação pode ter sido suplementada "
    "depois da digitação); no 6º bimestre não há suplementação posterior e a linha entra no "
    "valor aplicado em ASPS (XII a XVI): impeditiva.",
)
R518 = definir(
    518,
    "Despesa empenhada maior que a dotação atualizada",
    AVISO,
    fundamento=_DOTACAO + " Linha fora do mínimo: aviso em todos os bimestres.",
)
R203 = definir(
    203,
    "Receita realizada sem previsão atualizada",
    AVISO,
    fundamento="Anexo 12, colunas (a) e (b): a receita realizada (b) é comparada com a previsão "
    "atualizada (a); previsão zerada com arrecadação indica previsão não informada.",
)
R204 = definir(
    204,
    "Receita realizada menor que a do bimestre anterior",
    AVISO,
    fundamento="Os valores são acumulados até o bimestre (DOMAIN §1). Aviso, não crítica: um "
    "estorno ou restituição pode reduzir o acumulado legitimamente.",
    requer="anterior",
)
R515 = definir(
    515,
    "Despesa executada menor que a do bimestre anterior",
    AVISO,
    fundamento="Os valores são acumulados até o bimestre (DOMAIN §1). Aviso, não crítica: uma "
    "anulação de empenho pode reduzir o acumulado legitimamente.",
    requer="anterior",
)

_NOTA_MINIMO = " Este valor entra no cálculo do percentual mínimo aplicado em saúde."


@gerador
def negativos(cat: Catalogo) -> Iterator[Verificacao]:
    """One instance per typed cell whose row does not admit negative values."""
    for t in cat.tabelas.values():
        g = grupo_da_tabela(cat, t.id)
        if g is None:
            continue
        for linha in t.linhas:
            if linha.negativo_permitido:
                continue
            for c in t.colunas_da_linha(linha):
                k = (t.id, linha.id, c.id)
                if not digitada(cat, k):
                    continue
                afeta = afeta_minimo(cat, k)
                regra = NEGATIVOS.get((g, afeta))
                if regra is None:
                    continue
                yield Verificacao(
                    regra, (k,), _checar_negativo(cat, k, afeta), t.id, linha.id, c.id
                )


def _checar_negativo(cat: Catalogo, k: Chave, afeta: bool):
    def checar(e: Entrada) -> str | None:
        v = e.d.valor(k)
        if v >= 0:
            return None
        return (
            f"Valor negativo ({reais(v)}) em {caminho_linha(cat, k[0], k[1])}, coluna "
            f'"{titulo_coluna(cat, k)}": este campo não admite valores negativos.'
            + (_NOTA_MINIMO if afeta else "")
        )

    return checar


@gerador
def ordem_da_execucao(cat: Catalogo) -> Iterator[Verificacao]:
    """liquidada ≤ empenhada and paga ≤ liquidada in every typed row with those columns."""
    for t in cat.tabelas.values():
        g = grupo_da_tabela(cat, t.id)
        if g is None:
            continue
        for tripla in TRIPLAS:
            if not tem_colunas(t, *tripla):
                continue
            emp, liq, pag = tripla
            for linha in linhas_digitadas(cat, t):
                for maior, menor, indice in ((liq, emp, 0), (pag, liq, 1)):
                    if not (coluna_da_linha(t, linha, maior) and coluna_da_linha(t, linha, menor)):
                        continue
                    km, kn = (t.id, linha.id, maior), (t.id, linha.id, menor)
                    if not (digitada(cat, km) or digitada(cat, kn)):
                        continue
                    regras = ORDEM.get((g, afeta_minimo(cat, km, kn)))
                    if regras is None:
                        continue
                    yield Verificacao(
                        regras[indice],
                        (km, kn),
                        _checar_maior(cat, km, kn),
                        t.id,
                        linha.id,
                        maior,
                    )


def _checar_maior(cat: Catalogo, km: Chave, kn: Chave):
    pm, pn = _PALAVRAS[km[2]], _PALAVRAS[kn[2]]

    def checar(e: Entrada) -> str | None:
        vm, vn = e.d.valor(km), e.d.valor(kn)
        if vm <= vn:
            return None
        return (
            f"A despesa {pm} ({reais(vm)}) é maior que a {pn} ({reais(vn)}) em "
            f"{caminho_linha(cat, km[0], km[1])}."
        )

    return checar


@gerador
def empenho_e_dotacao(cat: Catalogo) -> Iterator[Verificacao]:
    """empenhada ≤ dotação atualizada in every typed row of the despesa tables."""
    for t in cat.tabelas.values():
        if not tem_colunas(t, "dotacao_atualizada", "empenhada"):
            continue
        for linha in linhas_digitadas(cat, t):
            ke = (t.id, linha.id, "empenhada")
            kd = (t.id, linha.id, "dotacao_atualizada")
            if not (digitada(cat, ke) and digitada(cat, kd)):
                continue
            regra = R514 if afeta_minimo(cat, ke) else R518
            yield Verificacao(regra, (ke, kd), _checar_dotacao(cat, ke, kd), t.id, linha.id, ke[2])


def _checar_dotacao(cat: Catalogo, ke: Chave, kd: Chave):
    def checar(e: Entrada) -> str | None:
        emp, dot = e.d.valor(ke), e.d.valor(kd)
        if emp <= dot:
            return None
        return (
            f"A despesa empenhada ({reais(emp)}) é maior que a dotação atualizada "
            f"({reais(dot)}) em {caminho_linha(cat, ke[0], ke[1])}."
        )

    return checar


@gerador
def realizada_sem_previsao(cat: Catalogo) -> Iterator[Verificacao]:
    """Receita realizada > 0 with previsão atualizada = 0, in every typed receita row."""
    for t in cat.tabelas.values():
        if not tem_colunas(t, "previsao_atualizada", "realizada"):
            continue
        for linha in linhas_digitadas(cat, t):
            kr = (t.id, linha.id, "realizada")
            kp = (t.id, linha.id, "previsao_atualizada")
            if not (digitada(cat, kr) and digitada(cat, kp)):
                continue
            yield Verificacao(R203, (kr, kp), _checar_previsao(cat, kr, kp), t.id, linha.id, kp[2])


def _checar_previsao(cat: Catalogo, kr: Chave, kp: Chave):
    def checar(e: Entrada) -> str | None:
        r = e.d.valor(kr)
        if r <= 0 or e.d.valor(kp) != 0:
            return None
        return (
            f"A receita de {caminho_linha(cat, kr[0], kr[1])} foi realizada ({reais(r)}), mas a "
            "previsão atualizada está zerada; informe a previsão atualizada."
        )

    return checar


_LOA = (
    "A previsão e a dotação iniciais são as da Lei Orçamentária Anual e não mudam durante o "
    "exercício (DOMAIN §4); a atualizada parte delas. Inicial zerada com atualizada preenchida "
    "indica a LOA não informada (ou perdida numa importação do bimestre anterior)."
)
R207 = definir(207, "Previsão inicial zerada com previsão atualizada", AVISO, fundamento=_LOA)
R517 = definir(517, "Dotação inicial zerada com dotação atualizada", AVISO, fundamento=_LOA)
#: (inicial, atualizada) column pairs → rule.
_INICIAIS = (
    ("previsao_inicial", "previsao_atualizada", R207),
    ("dotacao_inicial", "dotacao_atualizada", R517),
)


@gerador
def inicial_zerada(cat: Catalogo) -> Iterator[Verificacao]:
    """Previsão/dotação inicial = 0 with the atualizada filled, in every typed row."""
    for t in cat.tabelas.values():
        for ini, atu, regra in _INICIAIS:
            if not tem_colunas(t, ini, atu):
                continue
            for linha in linhas_digitadas(cat, t):
                ki, ka = (t.id, linha.id, ini), (t.id, linha.id, atu)
                if digitada(cat, ki) and digitada(cat, ka):
                    yield Verificacao(regra, (ki, ka), _checar_inicial(cat, ki, ka), *ki)


def _checar_inicial(cat: Catalogo, ki: Chave, ka: Chave):
    def checar(e: Entrada) -> str | None:
        a = e.d.valor(ka)
        if e.d.valor(ki) != 0 or a == 0:
            return None
        return (
            f'A coluna "{titulo_coluna(cat, ki)}" está zerada em '
            f'{caminho_linha(cat, ki[0], ki[1])}, mas a "{titulo_coluna(cat, ka)}" é de '
            f"{reais(a)}; informe o valor da Lei Orçamentária Anual (LOA)."
        )

    return checar


_ACUMULADAS = {"realizada": R204, "empenhada": R515, "liquidada": R515, "paga": R515}


@gerador
def menor_que_anterior(cat: Catalogo) -> Iterator[Verificacao]:
    """Cumulative columns of the receita and despesa pastas not below the previous bimestre."""
    for t in cat.tabelas.values():
        g = grupo_da_tabela(cat, t.id)
        for col, regra in _ACUMULADAS.items():
            if regra.grupo != g or not tem_colunas(t, col):
                continue
            for linha in linhas_digitadas(cat, t):
                k = (t.id, linha.id, col)
                if coluna_da_linha(t, linha, col) and digitada(cat, k):
                    yield Verificacao(regra, (k,), _checar_anterior(cat, k), t.id, linha.id, col)


def _checar_anterior(cat: Catalogo, k: Chave):
    def checar(e: Entrada) -> str | None:
        if e.anterior is None:
            return None
        atual = e.d.valor(k)
        antes = e.anterior.valor(k)
        if atual >= antes:
            return None
        oque = "receita realizada" if k[2] == "realizada" else f"despesa {_PALAVRAS[k[2]]}"
        motivo = "estorno ou restituição" if k[2] == "realizada" else "anulação de empenho"
        return (
            f"A {oque} até o bimestre em {caminho_linha(cat, k[0], k[1])} ({reais(atual)}) é "
            f"menor que a declarada no {e.anterior.bimestre}º bimestre ({reais(antes)}). Os "
            f"valores são acumulados no ano: confira se houve {motivo} ou erro de digitação."
        )

    return checar
