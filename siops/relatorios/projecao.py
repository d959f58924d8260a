"""Projeção do exercício: "vamos chegar ao mínimo em dezembro, e quanto falta?" (issue 26).

From the current bimestre's declaration (and, when the caller found them, the earlier
bimestres of the same ente and exercício), in reais:

* the **minimum of the year** on the *updated forecast* of the base: the catalog's own
  minimum formula (``MINIMO_EXATO``: 15% municípios, 12% estados, art. 8º for the DF, or the
  Lei Orgânica's percentage when higher) evaluated with the base's ``previsao_atualizada`` in
  place of its ``realizada`` — when the revenue already realized passes the forecast, the
  realized one (the minimum cannot be less than what is already owed);
* the amount **applied so far**, (XVI) in the legal column of the bimestre
  (``Declaracao.coluna_apuracao``: liquidada in the 1º–5º, empenhada in the 6º);
* what is **missing**, the **bimestres left** and the amount needed in each of them;
* the **trend**: the year's average per bimestre so far and the linear projection to the end
  of the year; with earlier bimestres, each bimestre's cumulative and incremental figures;
* the updated **dotação** of the ASPS (XI) against the minimum (a budget below the minimum
  cannot reach it without a crédito adicional).

The assumptions are part of the result (``premissas``) and are printed under every view.
Nothing here reads files: the caller passes the earlier declarations (``app`` reads them).
Money is ``Decimal``; the minimum is kept exact (as the law decides compliance) and printed
rounded half-up to the centavo; what is missing is rounded *up* to the centavo (a fraction of
a centavo short is short).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from typing import Any

from siops.forms.catalogo import (
    BASE,
    MINIMO_EXATO,
    PERCENTUAL_MINIMO,
    RECEITAS_BASE,
    TOTAL_BASE,
)
from siops.forms.declaracao import Declaracao, periodo
from siops.forms.dinheiro import CENTAVO, ZERO, apresentar_percentual, formatar, percentual
from siops.forms.formulas import Chave, chave_param

#: The Anexo 12 cells the projection reads besides the apuração.
BASE_PREVISTA: Chave = (RECEITAS_BASE, TOTAL_BASE, "previsao_atualizada")
DOTACAO_ASPS: Chave = ("despesas_asps", "total", "dotacao_atualizada")
EMPENHADO_ASPS: Chave = ("despesas_asps", "total", "empenhada")

NOME_COLUNA = {"empenhada": "despesa empenhada", "liquidada": "despesa liquidada"}


def reais(v: Decimal) -> str:
    """'R$ 1.234,56', or '−R$ 1.234,56' for a negative amount."""
    return f"{'−' if v < 0 else ''}R$ {formatar(abs(v))}"


def _centavos(v: Decimal) -> Decimal:
    return v.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def _centavos_acima(v: Decimal) -> Decimal:
    return v.quantize(CENTAVO, rounding=ROUND_CEILING)


def sobre_previsao(d: Declaracao, chave: Chave) -> Decimal:
    """A derived value (``MINIMO_EXATO``, ``PERCENTUAL_MINIMO``…) recomputed on the updated
    forecast of the base.

    The catalog's formula of ``chave`` (and of the parameters it reads) is evaluated with every
    ``receitas_base`` cell of the ``realizada`` column read from its ``previsao_atualizada``
    column instead: one rule for every esfera (the DF's two rates included) and for the Lei
    Orgânica's percentage, without repeating the law here.
    """
    cat = d.catalogo
    memo: dict[Chave, Decimal] = {}

    def ler(k: Chave) -> Decimal:
        if k not in memo:
            if k[0] == RECEITAS_BASE and k[2] == "realizada":
                memo[k] = d.valor((k[0], k[1], "previsao_atualizada"))
            elif k[0] == "_param" and k in cat.formulas:
                memo[k] = cat.formulas[k].avaliar(ler)
            else:
                memo[k] = d.valor(k)
        return memo[k]

    return ler(chave)


@dataclass(frozen=True, slots=True)
class Ponto:
    """One bimestre of the trend: (XVI) in that bimestre's own apuração column."""

    bimestre: int
    coluna: str
    aplicado: Decimal  # cumulative, até o bimestre
    no_bimestre: Decimal | None  # the increment over the previous point (None: no previous)
    base_realizada: Decimal
    percentual: Decimal | None  # aplicado / base realizada × 100 (the Anexo 12 percentage)
    atual: bool

    def para_dict(self) -> dict[str, Any]:
        return {
            "bimestre": self.bimestre,
            "coluna": self.coluna,
            "aplicado": str(self.aplicado),
            "no_bimestre": None if self.no_bimestre is None else str(self.no_bimestre),
            "base_realizada": str(self.base_realizada),
            "percentual": None if self.percentual is None else str(self.percentual),
            "atual": self.atual,
        }


@dataclass(frozen=True, slots=True)
class Projecao:
    """The projection of one declaration (see module docstring). Money in reais (Decimal)."""

    ente: str
    ente_codigo: str
    esfera: str
    exercicio: int
    bimestre: int
    periodo: str
    coluna: str  # the apuração column of the bimestre
    numeral_base: str  # "III" (municípios, DF) or "IV" (estados)
    percentual_minimo: Decimal  # the effective percentage (LC 141 or the Lei Orgânica's)
    base_prevista: Decimal  # (III)/(IV) previsão atualizada
    base_realizada: Decimal  # (III)/(IV) realizada até o bimestre
    base_pela_realizada: bool  # the realized base already passed the forecast
    minimo_exato: Decimal  # the minimum of the year, unrounded
    minimo_anual: Decimal  # the same, rounded to the centavo (as XVII prints it)
    aplicado: Decimal  # (XVI) in ``coluna``
    aplicado_empenhado: Decimal  # (XVI) in the empenhada column (the 6º bimestre's)
    falta: Decimal  # ≥ 0, rounded up to the centavo
    bimestres_restantes: int
    necessario_por_bimestre: Decimal | None  # falta / restantes (None in the 6º)
    ritmo_medio: Decimal  # aplicado / bimestre
    projecao_fim: Decimal  # ritmo_medio × 6 (linear)
    percentual_projetado: Decimal | None  # projecao_fim over the base of the minimum
    dotacao_asps: Decimal  # (XI) dotação atualizada
    empenhado_asps: Decimal  # (XI) empenhada
    historico: tuple[Ponto, ...]
    premissas: tuple[str, ...]
    avisos: tuple[str, ...] = field(default=())

    @property
    def base_do_minimo(self) -> Decimal:
        """The base the minimum of the year was computed on."""
        return self.base_realizada if self.base_pela_realizada else self.base_prevista

    @property
    def alcancado(self) -> bool:
        """The minimum of the year is already applied."""
        return self.aplicado >= self.minimo_exato and self.base_do_minimo > 0

    @property
    def sem_previsao(self) -> bool:
        """No base to project on (forecast and realized both zero)."""
        return self.base_do_minimo == 0

    @property
    def projecao_alcanca(self) -> bool:
        """The linear projection reaches the minimum of the year."""
        return self.projecao_fim >= self.minimo_exato

    @property
    def saldo_dotacao(self) -> Decimal:
        """Dotação atualizada of the ASPS not yet committed."""
        return self.dotacao_asps - self.empenhado_asps

    @property
    def dotacao_insuficiente(self) -> bool:
        """The updated budget of the ASPS is below the minimum of the year."""
        return self.dotacao_asps < self.minimo_exato and not self.sem_previsao

    def resumo(self) -> str:
        """One sentence for the status bar's tooltip and the top of the reports."""
        if self.sem_previsao:
            return (
                f"Sem projeção: informe a previsão atualizada das receitas da base "
                f"({self.numeral_base}) para calcular o mínimo do exercício."
            )
        minimo = f"R$ {formatar(self.minimo_anual)}"
        if self.alcancado:
            return (
                f"O mínimo do exercício ({minimo}) já foi aplicado: R$ {formatar(self.aplicado)} "
                f"({NOME_COLUNA.get(self.coluna, self.coluna)} até o {self.bimestre}º bimestre)."
            )
        if self.bimestres_restantes == 0:
            return (
                f"Faltam R$ {formatar(self.falta)} para o mínimo do exercício ({minimo}), e "
                "não há mais bimestres: o limite não foi cumprido."
            )
        b = self.bimestres_restantes
        texto = (
            f"Faltam R$ {formatar(self.falta)} para o mínimo do exercício ({minimo}) em {b} "
            f"bimestre{'s' if b > 1 else ''}: R$ {formatar(self.necessario_por_bimestre or ZERO)}"
            f" por bimestre."
        )
        if self.projecao_alcanca:
            texto += (
                f" No ritmo médio até agora (R$ {formatar(self.ritmo_medio)} por bimestre), o "
                f"ente chega a R$ {formatar(self.projecao_fim)} em dezembro: alcança o mínimo."
            )
        else:
            texto += (
                f" No ritmo médio até agora (R$ {formatar(self.ritmo_medio)} por bimestre), o "
                f"ente chega a R$ {formatar(self.projecao_fim)} em dezembro"
                + (
                    f" ({apresentar_percentual(self.percentual_projetado)}%)"
                    if self.percentual_projetado is not None
                    else ""
                )
                + f": faltariam R$ {formatar(_centavos_acima(self.minimo_exato - self.projecao_fim))}."
            )
        return texto

    def texto_curto(self) -> str:
        """The status bar's panel: a few words."""
        if self.sem_previsao:
            return "Projeção: informe a previsão"
        if self.alcancado:
            return "Projeção: mínimo do ano alcançado"
        if self.bimestres_restantes == 0:
            return f"Projeção: faltam R$ {formatar(self.falta)}"
        return f"Projeção: faltam R$ {formatar(self.falta)} em {self.bimestres_restantes} bim." + (
            " (ritmo abaixo)" if not self.projecao_alcanca else ""
        )

    def linhas_resumo(self) -> list[tuple[str, str]]:
        """(rótulo, valor) of the summary table (the PDF, the window and the CLI print them)."""
        col = NOME_COLUNA.get(self.coluna, self.coluna)
        base_rot = (
            f"Base do mínimo ({self.numeral_base}): receita realizada até o bimestre "
            "(já supera a previsão atualizada)"
            if self.base_pela_realizada
            else f"Base do mínimo ({self.numeral_base}): previsão atualizada"
        )
        out = [
            (base_rot, f"R$ {formatar(self.base_do_minimo)}"),
            (
                f"Receita da base realizada até o {self.bimestre}º bimestre",
                f"R$ {formatar(self.base_realizada)}",
            ),
            ("Percentual mínimo", f"{apresentar_percentual(self.percentual_minimo)}%"),
            ("Mínimo do exercício", f"R$ {formatar(self.minimo_anual)}"),
            (
                f"Aplicado em ASPS até o {self.bimestre}º bimestre (XVI, {col})",
                f"R$ {formatar(self.aplicado)}",
            ),
        ]
        if self.coluna != "empenhada":
            out.append(
                (
                    "Aplicado pela despesa empenhada (a coluna do 6º bimestre)",
                    f"R$ {formatar(self.aplicado_empenhado)}",
                )
            )
        out += [
            ("Falta aplicar para o mínimo", f"R$ {formatar(self.falta)}"),
            ("Bimestres restantes", str(self.bimestres_restantes)),
        ]
        if self.necessario_por_bimestre is not None:
            out.append(
                ("Necessário por bimestre restante", f"R$ {formatar(self.necessario_por_bimestre)}")
            )
        out += [
            ("Ritmo médio até agora (por bimestre)", f"R$ {formatar(self.ritmo_medio)}"),
            (
                "Projeção linear ao fim do exercício",
                f"R$ {formatar(self.projecao_fim)}"
                + (
                    f" ({apresentar_percentual(self.percentual_projetado)}% da base)"
                    if self.percentual_projetado is not None
                    else ""
                ),
            ),
            ("Dotação atualizada das ASPS (XI)", f"R$ {formatar(self.dotacao_asps)}"),
            ("Saldo da dotação ainda não empenhado", f"R$ {formatar(self.saldo_dotacao)}"),
        ]
        return out

    def texto(self) -> str:
        """The projection as plain text (``siops projecao`` without ``--json``)."""
        linhas = [
            f"{self.ente} — projeção do exercício {self.exercicio} "
            f"({self.bimestre}º bimestre: {self.periodo})",
            "",
            self.resumo(),
            "",
        ]
        largura = max(len(r) for r, _ in self.linhas_resumo())
        linhas += [f"  {r:<{largura}}  {v}" for r, v in self.linhas_resumo()]
        if len(self.historico) > 1:
            linhas += ["", "Tendência por bimestre (aplicado acumulado, no bimestre, percentual):"]
            for p in self.historico:
                inc = "—" if p.no_bimestre is None else reais(p.no_bimestre)
                pct = "—" if p.percentual is None else f"{apresentar_percentual(p.percentual)}%"
                linhas.append(
                    f"  {p.bimestre}º bimestre ({NOME_COLUNA.get(p.coluna, p.coluna)}): "
                    f"R$ {formatar(p.aplicado)}; no bimestre {inc}; {pct}"
                    + ("  ← este" if p.atual else "")
                )
        if self.avisos:
            linhas += ["", "Atenção:"] + [f"  - {a}" for a in self.avisos]
        linhas += ["", "Premissas:"] + [f"  {n}. {p}" for n, p in enumerate(self.premissas, 1)]
        return "\n".join(linhas)

    def para_dict(self) -> dict[str, Any]:
        """The projection for ``--json`` (money and percentages as plain decimal text)."""

        def s(v: Decimal | None) -> str | None:
            return None if v is None else str(v)

        return {
            "ente": self.ente,
            "ente_codigo": self.ente_codigo,
            "esfera": self.esfera,
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "periodo": self.periodo,
            "coluna": self.coluna,
            "percentual_minimo": str(self.percentual_minimo),
            "base_prevista": str(self.base_prevista),
            "base_realizada": str(self.base_realizada),
            "base_pela_realizada": self.base_pela_realizada,
            "base_do_minimo": str(self.base_do_minimo),
            "minimo_anual": str(self.minimo_anual),
            "minimo_exato": str(self.minimo_exato),
            "aplicado": str(self.aplicado),
            "aplicado_empenhado": str(self.aplicado_empenhado),
            "falta": str(self.falta),
            "alcancado": self.alcancado,
            "bimestres_restantes": self.bimestres_restantes,
            "necessario_por_bimestre": s(self.necessario_por_bimestre),
            "ritmo_medio": str(self.ritmo_medio),
            "projecao_fim": str(self.projecao_fim),
            "percentual_projetado": s(self.percentual_projetado),
            "projecao_alcanca": self.projecao_alcanca,
            "dotacao_asps": str(self.dotacao_asps),
            "empenhado_asps": str(self.empenhado_asps),
            "saldo_dotacao": str(self.saldo_dotacao),
            "dotacao_insuficiente": self.dotacao_insuficiente,
            "historico": [p.para_dict() for p in self.historico],
            "resumo": self.resumo(),
            "avisos": list(self.avisos),
            "premissas": list(self.premissas),
        }


def premissas(d: Declaracao, numeral_base: str, base_pela_realizada: bool) -> tuple[str, ...]:
    """The assumptions of the projection, in Portuguese, printed under every view of it."""
    col = NOME_COLUNA.get(d.coluna_apuracao, d.coluna_apuracao)
    if d.ente.esfera == "df":
        lei = (
            "o percentual mínimo é o da LC 141/2012 (art. 8º para o Distrito Federal: 12% da "
            "base estadual e 15% da municipal) ou o da Lei Orgânica do DF, quando maior"
        )
    elif d.ente.esfera == "estadual":
        lei = (
            "o percentual mínimo é o da LC 141/2012 (12% para os estados) ou o da Constituição "
            "Estadual, quando maior"
        )
    else:
        lei = (
            "o percentual mínimo é o da LC 141/2012 (15% para os municípios) ou o da Lei "
            "Orgânica, quando maior"
        )
    base = (
        f"O mínimo do exercício é calculado sobre a previsão atualizada da receita da base "
        f"({numeral_base}), como o Anexo 12 o calcula sobre a receita realizada; {lei}. Se a "
        "receita realizada até o bimestre já supera a previsão, usa-se a realizada"
        + (" (é o caso desta declaração)" if base_pela_realizada else "")
        + ". No fim do exercício vale a receita realizada: se ela for maior que a prevista, "
        "o mínimo sobe na mesma proporção."
    )
    return (
        base,
        f"O aplicado até agora é o valor aplicado em ASPS (XVI = XII − XIII − XIV − XV) na "
        f"{col} até o {d.bimestre}º bimestre: a coluna da apuração do bimestre (liquidada do "
        "1º ao 5º, empenhada no 6º, nota 1 do modelo). A apuração do 6º bimestre é feita pela "
        "despesa empenhada; a liquidada dos bimestres 1 a 5 tende a ser menor que o que contará "
        "em dezembro.",
        "O que falta é o mínimo do exercício menos o aplicado, arredondado para cima ao "
        "centavo; o necessário por bimestre divide o que falta igualmente pelos bimestres "
        "restantes até o 6º.",
        "A projeção linear supõe que o ente continue aplicando, em cada bimestre restante, a "
        "média por bimestre do que aplicou até agora (aplicado ÷ bimestres decorridos × 6); "
        "despesas concentradas no fim do ano (13º salário, obras) não entram nela.",
        "A tendência por bimestre usa os arquivos dos bimestres anteriores do mesmo ente e "
        "exercício encontrados na pasta da declaração e nas pastas padrão do MS-SIOPS, cada um "
        "na coluna da apuração do seu bimestre.",
        "A dotação atualizada das ASPS (XI) é comparada ao mínimo do exercício: sem crédito "
        "adicional, o ente não empenha além dela.",
    )


def _ponto(d: Declaracao, anterior: Ponto | None, atual: bool) -> Ponto:
    ind = d.indicadores(d.coluna_apuracao)
    no_bim = None
    if anterior is not None and anterior.bimestre == d.bimestre - 1:
        no_bim = ind.valor_aplicado - anterior.aplicado
    return Ponto(
        bimestre=d.bimestre,
        coluna=d.coluna_apuracao,
        aplicado=ind.valor_aplicado,
        no_bimestre=no_bim if d.bimestre > 1 else ind.valor_aplicado,
        base_realizada=ind.base,
        percentual=percentual(ind.valor_aplicado, ind.base),
        atual=atual,
    )


def historico(d: Declaracao, anteriores: Iterable[Declaracao] = ()) -> tuple[Ponto, ...]:
    """The points of the trend: the earlier bimestres of the same ente and exercício (others
    are left out) and the declaration itself, in bimestre order."""
    por_bim: dict[int, Declaracao] = {}
    for a in anteriores:
        if (
            a.ente.codigo == d.ente.codigo
            and a.exercicio == d.exercicio
            and a.bimestre < d.bimestre
        ):
            por_bim[a.bimestre] = a
    por_bim[d.bimestre] = d
    pontos: list[Ponto] = []
    for b in sorted(por_bim):
        anterior = pontos[-1] if pontos else None
        pontos.append(_ponto(por_bim[b], anterior, b == d.bimestre))
    return tuple(pontos)


def projetar(d: Declaracao, anteriores: Iterable[Declaracao] = ()) -> Projecao:
    """The projection of the exercício from ``d`` (see module docstring).

    ``anteriores``: declarations of earlier bimestres of the same ente and exercício (others
    are ignored), for the trend.
    """
    cat = d.catalogo
    col = d.coluna_apuracao
    ind = d.indicadores(col)
    numeral = cat.numerais.get((RECEITAS_BASE, TOTAL_BASE), "III")
    base_prevista = d.valor(BASE_PREVISTA)
    base_realizada = d.valor(BASE)
    pela_realizada = base_realizada > base_prevista
    if pela_realizada:
        minimo = d.valor(chave_param(MINIMO_EXATO))
        pct_minimo = d.valor(chave_param(PERCENTUAL_MINIMO))
    else:
        minimo = sobre_previsao(d, chave_param(MINIMO_EXATO))
        pct_minimo = sobre_previsao(d, chave_param(PERCENTUAL_MINIMO))
    aplicado = ind.valor_aplicado
    falta = max(ZERO, _centavos_acima(minimo - aplicado))
    restantes = 6 - d.bimestre
    necessario = _centavos_acima(falta / restantes) if restantes else None
    ritmo = _centavos(aplicado / d.bimestre)
    projecao_fim = _centavos(aplicado * 6 / d.bimestre)
    base_minimo = base_realizada if pela_realizada else base_prevista
    avisos: list[str] = []
    if base_prevista == 0:
        avisos.append(
            f"A previsão atualizada das receitas da base ({numeral}) não foi informada: "
            "preencha-a nas linhas de receita do razão."
            + (" A projeção usa a receita realizada até o bimestre." if base_realizada else "")
        )
    elif pela_realizada:
        avisos.append(
            f"A receita realizada até o {d.bimestre}º bimestre (R$ {formatar(base_realizada)}) "
            f"já supera a previsão atualizada (R$ {formatar(base_prevista)}): o mínimo do "
            "exercício foi calculado sobre a realizada. Convém atualizar a previsão."
        )
    dotacao = d.valor(DOTACAO_ASPS)
    if base_minimo > 0 and dotacao < minimo:
        avisos.append(
            f"A dotação atualizada das ASPS (R$ {formatar(dotacao)}) é menor que o mínimo do "
            f"exercício (R$ {formatar(_centavos(minimo))}): sem crédito adicional o mínimo não "
            "será alcançado."
        )
    return Projecao(
        ente=d.ente.descricao,
        ente_codigo=d.ente.codigo,
        esfera=d.ente.esfera,
        exercicio=d.exercicio,
        bimestre=d.bimestre,
        periodo=periodo(d.bimestre, d.exercicio),
        coluna=col,
        numeral_base=numeral,
        percentual_minimo=pct_minimo,
        base_prevista=base_prevista,
        base_realizada=base_realizada,
        base_pela_realizada=pela_realizada,
        minimo_exato=minimo,
        minimo_anual=_centavos(minimo),
        aplicado=aplicado,
        aplicado_empenhado=d.indicadores("empenhada").valor_aplicado,
        falta=falta if base_minimo > 0 else ZERO,
        bimestres_restantes=restantes,
        necessario_por_bimestre=necessario if base_minimo > 0 else None,
        ritmo_medio=ritmo,
        projecao_fim=projecao_fim,
        percentual_projetado=percentual(projecao_fim, base_minimo),
        dotacao_asps=dotacao,
        empenhado_asps=d.valor(EMPENHADO_ASPS),
        historico=historico(d, anteriores),
        premissas=premissas(d, numeral, pela_realizada),
        avisos=tuple(avisos),
    )
