"""O razão: the declaration as SIOPS collects it, and how each of its lines feeds the tables.

The input of a declaration is the ledger (``razão``), not the report:

* **despesas** in *planilhas* by fonte de recursos × subfunção, one line per natureza da
  despesa down to the elemento (``ChaveDespesa``), with the columns of
  ``COLUNAS_DESPESA_RAZAO``;
* **receitas** by natureza de receita (``ChaveReceita``; an optional fonte tells apart the
  receitas that the Anexo 12 splits by fonte), with the columns of ``COLUNAS_RECEITA_RAZAO``.

Every summary table that can be derived from those lines — the Anexo 12 despesas computed and
not computed in the minimum, the receita base and the receitas adicionais, despesa por fonte,
despesa por elemento, the LC 173/2020 line, the transfers to consórcios (modalidade 71) — is a
view of the ledger: its leaf cells are *aggregated* (``Catalogo.agregadas``), never typed.
Which line feeds which row is decided once, here, from the catalog's own row attributes
(``Linha.subfuncao``/``grupo``/``fonte``) and the classification data shared with the
accounting import (``forms.mapeamento``: the natureza de receita of each row, the exclusions of
the model). What cannot be derived stays typed, each for a reason given in ``NAO_DERIVADAS``.

The planilha codes, the subfunção suffixes and the column order are those of the SIOPS
integration file (``.IMPT``) as the municipal ERPs write it (e-cidade,
``model/contabilidade/arquivos/siops/<ano>/SiopsIMPT.model.php`` and its migrations).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from siops.forms.formulas import Chave

# --- the data: planilhas, subfunções, columns --------------------------------------------------


@dataclass(frozen=True, slots=True)
class Planilha:
    """A planilha of despesas: one fonte de recursos (SIOPS code, as in the ``.IMPT`` file).

    ``fonte`` is the row of "Despesa com saúde por fonte de recursos" it feeds; ``computada``
    says its despesas count in the minimum (ASPS); ``lc173`` marks the LC 173/2020 transfers
    deducted in the 2025 layout. ``arquivo`` is the stem the ERPs give its ``.IMPT`` files.
    """

    codigo: str
    titulo: str
    fonte: str
    computada: bool = False
    lc173: bool = False
    arquivo: str = ""
    incerto: str = ""


PLANILHAS: tuple[Planilha, ...] = (
    Planilha(
        "4",
        "Receitas de impostos e de transferências de impostos — saúde (ASPS)",
        "recursos_proprios",
        computada=True,
        arquivo="Desp_Rec_Impostos_Transf",
    ),
    Planilha(
        "3",
        "Recursos ordinários — fonte livre",
        "recursos_proprios",
        arquivo="Desp_Rec_Ordinarios",
    ),
    Planilha(
        "86",
        "Transferências do SUS — União — custeio",
        "sus_uniao",
        arquivo="Desp_Rec_Sus_Federal_Custeio",
    ),
    Planilha(
        "87",
        "Transferências do SUS — União — custeio (COVID-19)",
        "sus_uniao",
        arquivo="Desp_Rec_Sus_Federal_Custeio_Covid19",
    ),
    Planilha(
        "88",
        "Transferências do SUS — União — investimento",
        "sus_uniao",
        arquivo="Desp_Rec_Sus_Federal_Invest",
    ),
    Planilha(
        "89",
        "Transferências do SUS — União — investimento (COVID-19)",
        "sus_uniao",
        arquivo="Desp_Rec_Sus_Federal_Invest_Covid19",
    ),
    Planilha(
        "5", "Transferências do SUS — União (até 2020)", "sus_uniao", arquivo="Desp_Rec_Sus_Federal"
    ),
    Planilha(
        "94",
        "Assistência financeira complementar da União — agentes comunitários (ACS/ACE)",
        "sus_uniao",
        arquivo="Desp_Rec_Agentes",
    ),
    Planilha(
        "95",
        "Assistência financeira complementar da União — piso salarial da enfermagem",
        "sus_uniao",
        arquivo="Desp_Rec_Enferm",
    ),
    Planilha("6", "Transferências do SUS — Estado", "sus_estado", arquivo="Desp_Rec_Sus_Estadual"),
    Planilha("7", "Convênios destinados à saúde", "convenios", arquivo="Desp_Rec_Convenios"),
    Planilha(
        "8",
        "Operações de crédito vinculadas à saúde",
        "operacoes_credito",
        arquivo="Desp_Rec_Oper_Credito",
    ),
    Planilha(
        "9",
        "Outros recursos vinculados à saúde",
        "outros",
        arquivo="Desp_Outros_Rec_Saude",
        incerto="O e-cidade leva a fonte 1.635 à planilha 9 sem lhe dar nome: NÃO CONFIRMADO.",
    ),
    Planilha("10", "Outros recursos", "outros", arquivo="Desp_Outros_Rec"),
    Planilha(
        "90",
        "Transferências da União — inciso I do art. 5º da LC 173/2020",
        "outros",
        lc173=True,
        arquivo="Desp_Rec_Transf_Uniao_lei_173-2020",
    ),
)


@dataclass(frozen=True, slots=True)
class SubfuncaoRazao:
    """A subfunção of a planilha: the ``.IMPT`` suffix, its id, title and Anexo 12 row code."""

    sufixo: str  # "11" … "18" in the .IMPT planilha code ("4_12")
    id: str  # what the ledger key holds: "adm", "301" … "306", "outras"
    titulo: str
    anexo12: str  # the catalog's Linha.subfuncao: "301" … "306" or "outras"
    arquivo: str  # the .IMPT file name suffix


SUBFUNCOES_RAZAO: tuple[SubfuncaoRazao, ...] = (
    SubfuncaoRazao("12", "301", "301 — Atenção Básica", "301", "Aten_Basica"),
    SubfuncaoRazao("13", "302", "302 — Assistência Hospitalar e Ambulatorial", "302", "Assis_Hosp"),
    SubfuncaoRazao("14", "303", "303 — Suporte Profilático e Terapêutico", "303", "Supor_Prof"),
    SubfuncaoRazao("15", "304", "304 — Vigilância Sanitária", "304", "Vigil_Sanit"),
    SubfuncaoRazao("16", "305", "305 — Vigilância Epidemiológica", "305", "Vigil_Epid"),
    SubfuncaoRazao("17", "306", "306 — Alimentação e Nutrição", "306", "Alim_Nutr"),
    SubfuncaoRazao("11", "adm", "Subfunções administrativas (121 a 131)", "outras", "Administ"),
    SubfuncaoRazao("18", "outras", "Outras subfunções", "outras", "Inf_Compl"),
)


@dataclass(frozen=True, slots=True)
class ColunaRazao:
    """A column of the ledger; ``somente_6o`` columns are filled only in the 6º bimestre."""

    id: str
    titulo: str
    somente_6o: bool = False
    importavel: bool = False  # carried from the previous bimestre (the LOA figures)


COLUNAS_DESPESA_RAZAO: tuple[ColunaRazao, ...] = (
    ColunaRazao("dotacao_inicial", "Dotação inicial", importavel=True),
    ColunaRazao("dotacao_atualizada", "Dotação atualizada", importavel=True),
    ColunaRazao("empenhada", "Despesas empenhadas"),
    ColunaRazao("liquidada", "Despesas liquidadas"),
    ColunaRazao("paga", "Despesas pagas"),
    ColunaRazao("inscritas_rpnp", "Inscritas em restos a pagar não processados", True),
    ColunaRazao("orcada", "Despesa orçada para o exercício seguinte", True),
)

COLUNAS_RECEITA_RAZAO: tuple[ColunaRazao, ...] = (
    ColunaRazao("previsao_inicial", "Previsão inicial", importavel=True),
    ColunaRazao("previsao_atualizada", "Previsão atualizada", importavel=True),
    ColunaRazao("realizada", "Receitas realizadas brutas"),
    ColunaRazao("deducoes", "Deduções das receitas"),
    ColunaRazao("deducao_fundeb", "Dedução para formação do FUNDEB"),
    ColunaRazao("orcada", "Receita orçada para o exercício seguinte", True),
)

#: The apuração's deductions that are ledger lines: the ASPS despesas (the ``computada``
#: planilha, FR 500/502 + CO 1002 in the MSC) whose modalidade de aplicação says which money
#: paid them — the Tesouro's model (Municípios rows 63–64, Estados 61–62, DF as Municípios) maps
#: XIV (art. 25 LC 141/2012: the part of the minimum not applied in earlier exercícios) from
#: modalidades 36/46/76/96 and XV (art. 24: the cash tied to cancelled restos a pagar) from
#: 35/45/75/95. Those lines count in the ASPS total (XII) and are deducted again here; the
#: control tables split the same amount by exercício (typed: the ledger does not say whose).
MODALIDADES_DEDUCAO: dict[str, tuple[str, ...]] = {
    "recursos_minimo_nao_aplicado": ("36", "46", "76", "96"),
    "rp_cancelados": ("35", "45", "75", "95"),
}
_DEDUCAO_DA_MODALIDADE = {m: linha for linha, ms in MODALIDADES_DEDUCAO.items() for m in ms}

#: What stays typed although a ledger exists, and why (shown by ``siops catalogo``).
NAO_DERIVADAS: dict[str, str] = {
    "consorcios": "A despesa executada pelo consórcio (I) está na contabilidade do consórcio, "
    "não no razão do ente; só o transferido mediante contrato de rateio (II, modalidade 71) "
    "vem do razão.",
    "blocos": "Os blocos de financiamento agrupam a despesa por programa e ação, que o razão "
    "(fonte × subfunção × natureza) não traz.",
    "rp_execucao": "Restos a pagar de exercícios anteriores não estão no razão do exercício.",
    "rp_cancelados_limite": "Idem: restos a pagar de exercícios anteriores.",
    "receitas_totais": "A receita total do ente (indicadores 1.x) inclui naturezas que o razão "
    "da saúde não traz (taxas, contribuições, receita patrimonial, operações de crédito…).",
    "apuracao": "Os restos a pagar não processados inscritos indevidamente sem "
    "disponibilidade de caixa (XIII) vêm do controle da disponibilidade de caixa, que o razão "
    "não traz (o modelo do Tesouro: 'não há mapeamento'); as deduções XIV e XV vêm do razão "
    "(modalidades 36/46/76/96 e 35/45/75/95 da planilha de impostos — ASPS).",
    "controle_minimo": "A divisão por exercício da dedução (XIV): o razão diz quanto foi "
    "custeado com a parcela não aplicada, não de qual exercício; o total vem do razão e a "
    "crítica 606 confere a divisão.",
    "controle_rp_cancelados": "A divisão por exercício da dedução (XV): o razão diz quanto foi "
    "custeado com a disponibilidade dos restos a pagar cancelados, não de qual exercício; o "
    "total vem do razão e a crítica 607 confere a divisão.",
    "deducoes_estaduais": "As deduções das transferências constitucionais aos municípios "
    "(estados) são lançamentos próprios, não a coluna 'deduções' da receita.",
}


@functools.cache
def planilha(codigo: str) -> Planilha:
    """The planilha of a SIOPS code; ``KeyError`` when unknown."""
    return {p.codigo: p for p in PLANILHAS}[codigo]


@functools.cache
def subfuncao(sid: str) -> SubfuncaoRazao:
    return {s.id: s for s in SUBFUNCOES_RAZAO}[sid]


@functools.cache
def subfuncao_do_sufixo(sufixo: str) -> SubfuncaoRazao:
    return {s.sufixo: s for s in SUBFUNCOES_RAZAO}[sufixo]


def subfuncao_do_codigo(codigo: str) -> SubfuncaoRazao:
    """The planilha subfunção of a budget subfunção code (``'122'`` → administrativas)."""
    if codigo in ("301", "302", "303", "304", "305", "306"):
        return subfuncao(codigo)
    if codigo.isdigit() and 121 <= int(codigo) <= 131:
        return subfuncao("adm")
    return subfuncao("outras")


# --- keys -------------------------------------------------------------------------------------


class ChaveInvalida(ValueError):
    """A ledger key that does not name a planilha, subfunção or natureza; message in Portuguese."""


def _digitos(texto: str) -> str:
    return "".join(ch for ch in texto if ch.isdigit())


@functools.lru_cache(maxsize=65536)
def natureza_despesa(texto: str) -> str:
    """A natureza da despesa as typed or exported to its 10 digits (elemento and desdobramento).

    ``'3.3.90.39'`` → ``'3390390000'``; ``'3.3.90.30.09'`` → ``'3390300900'``.
    """
    t = texto.strip()
    if not t or any(not (ch.isdigit() or ch in ". ") for ch in t):
        raise ChaveInvalida(
            f"Natureza da despesa '{texto}' inválida: use só números e pontos, como 3.3.90.39."
        )
    d = _digitos(t)
    if not 2 <= len(d) <= 10:
        raise ChaveInvalida(
            f"Natureza da despesa '{texto}' inválida: informe de 2 a 10 dígitos "
            "(categoria, grupo, modalidade, elemento e desdobramento)."
        )
    if d[0] not in "34" or d[:2] not in ("31", "32", "33", "44", "45", "46"):
        raise ChaveInvalida(
            f"Natureza da despesa '{texto}' inválida: a categoria e o grupo devem ser 3.1, "
            "3.2, 3.3, 4.4, 4.5 ou 4.6."
        )
    return d.ljust(10, "0")


def formatar_natureza_despesa(d: str) -> str:
    """``'3390390000'`` → ``'3.3.90.39.00.00'`` (the ``.IMPT`` layout)."""
    return f"{d[0]}.{d[1]}.{d[2:4]}.{d[4:6]}.{d[6:8]}.{d[8:10]}"


@functools.lru_cache(maxsize=65536)
def natureza_receita(texto: str) -> str:
    """A natureza de receita to its digits (``'1.1.1.2.50.0.1'`` → ``'11125001'``)."""
    t = texto.strip()
    if not t or any(not (ch.isdigit() or ch in ". ") for ch in t):
        raise ChaveInvalida(
            f"Natureza de receita '{texto}' inválida: use só números e pontos, como 1.1.1.2.50.0.1."
        )
    d = _digitos(t)
    if not 1 <= len(d) <= 14 or d[0] not in "1279":
        raise ChaveInvalida(
            f"Natureza de receita '{texto}' inválida: informe o código da receita (até 14 "
            "dígitos, começando por 1, 2, 7 ou 9)."
        )
    return d


def formatar_natureza_receita(d: str) -> str:
    """``'11125001'`` → ``'1.1.1.2.50.0.1'`` (the ementário's notation)."""
    partes, i = [], 0
    for n in (1, 1, 1, 1, 2, 1, 1):
        if i >= len(d):
            break
        partes.append(d[i : i + n])
        i += n
    if i < len(d):
        partes.append(d[i:])
    return ".".join(partes)


@dataclass(frozen=True, slots=True, order=True)
class ChaveDespesa:
    """A despesa line: planilha (fonte) × subfunção × natureza (10 digits)."""

    planilha: str
    subfuncao: str
    natureza: str

    @staticmethod
    def de(planilha_: str, subfuncao_: str, natureza: str) -> ChaveDespesa:
        """A checked key from what a user or a file gives (Portuguese ``ChaveInvalida``)."""
        try:
            planilha(planilha_)
        except KeyError:
            raise ChaveInvalida(
                f"Planilha (fonte de recursos) '{planilha_}' desconhecida."
            ) from None
        try:
            subfuncao(subfuncao_)
        except KeyError:
            raise ChaveInvalida(f"Subfunção '{subfuncao_}' desconhecida.") from None
        return ChaveDespesa(planilha_, subfuncao_, natureza_despesa(natureza))

    @property
    def natureza_formatada(self) -> str:
        return formatar_natureza_despesa(self.natureza)

    @property
    def grupo(self) -> str:
        return f"{self.natureza[0]}.{self.natureza[1]}"

    @property
    def modalidade(self) -> str:
        return self.natureza[2:4]

    def descricao(self) -> str:
        return (
            f"planilha {self.planilha} ({planilha(self.planilha).titulo}), "
            f"{subfuncao(self.subfuncao).titulo}, natureza {self.natureza_formatada}"
        )


@dataclass(frozen=True, slots=True, order=True)
class ChaveReceita:
    """A receita line: natureza (digits) and, where the Anexo 12 splits by it, the fonte."""

    natureza: str
    fonte: str = ""

    @staticmethod
    def de(natureza: str, fonte: str = "") -> ChaveReceita:
        f = _digitos(fonte)
        if fonte.strip() and (f != fonte.strip().replace(".", "") or len(f) > 10):
            raise ChaveInvalida(f"Fonte de recursos '{fonte}' inválida: use só números.")
        return ChaveReceita(natureza_receita(natureza), f)

    @property
    def natureza_formatada(self) -> str:
        return formatar_natureza_receita(self.natureza)

    def descricao(self) -> str:
        extra = f", fonte {self.fonte}" if self.fonte else ""
        return f"receita {self.natureza_formatada}{extra}"


@dataclass(frozen=True, slots=True, order=True)
class ChaveComplementar:
    """A line of the ``.IMPT`` "informações complementares" (planilha 96): kept with the
    declaration and exported again, but feeding none of our tables (its ``campo``, ``linha``
    and ``coluna`` are the official program's own cell ids)."""

    natureza: str
    campo: str
    linha: str
    coluna: str

    def descricao(self) -> str:
        return (
            f"informação complementar {formatar_natureza_receita(self.natureza)} "
            f"({self.linha} {self.coluna})"
        )


ChaveRazao = ChaveDespesa | ChaveReceita | ChaveComplementar

COLUNAS_COMPLEMENTAR_RAZAO: tuple[ColunaRazao, ...] = COLUNAS_RECEITA_RAZAO[:3]


def colunas_de(chave: ChaveRazao) -> tuple[ColunaRazao, ...]:
    if isinstance(chave, ChaveDespesa):
        return COLUNAS_DESPESA_RAZAO
    if isinstance(chave, ChaveReceita):
        return COLUNAS_RECEITA_RAZAO
    return COLUNAS_COMPLEMENTAR_RAZAO


_COLUNAS_POR_TIPO: dict[type, dict[str, ColunaRazao]] = {
    tipo: {c.id: c for c in cols}
    for tipo, cols in (
        (ChaveDespesa, COLUNAS_DESPESA_RAZAO),
        (ChaveReceita, COLUNAS_RECEITA_RAZAO),
        (ChaveComplementar, COLUNAS_COMPLEMENTAR_RAZAO),
    )
}


def colunas_por_id(chave: ChaveRazao) -> dict[str, ColunaRazao]:
    """The columns of a line's kind by id (do not modify)."""
    return _COLUNAS_POR_TIPO[type(chave)]


def coluna_de(chave: ChaveRazao, cid: str) -> ColunaRazao:
    """The column ``cid`` of a line's kind; ``ChaveInvalida`` when it has none."""
    try:
        return _COLUNAS_POR_TIPO[type(chave)][cid]
    except KeyError:
        raise ChaveInvalida(f"Coluna '{cid}' inexistente para {chave.descricao()}.") from None


def ordem(chave: ChaveRazao) -> tuple:
    """Sort key across kinds: despesas, receitas, informações complementares; within a kind,
    the key's fields in order, as the keys themselves compare (plain strings: a sort of the
    whole ledger compares them in C, not through the dataclass's ``__lt__``)."""
    if isinstance(chave, ChaveDespesa):
        return (0, chave.planilha, chave.subfuncao, chave.natureza)
    if isinstance(chave, ChaveReceita):
        return (1, chave.natureza, chave.fonte)
    return (2, chave.natureza, chave.campo, chave.linha, chave.coluna)


# --- the classification: which cells a line feeds ---------------------------------------------


#: One feed of a line: the aggregated cell, the ledger column read and its sign.
Alimentacao = tuple[Chave, str, int]


@dataclass(frozen=True, slots=True)
class Destino:
    """Where a ledger line goes: the cells it feeds, and why it is outside the Anexo 12."""

    alimenta: tuple[Alimentacao, ...]
    linha_anexo12: tuple[str, str] | None  # the Anexo 12 row, None when outside
    motivo: str = ""  # why outside the Anexo 12
    incerto: str = ""
    #: ``alimenta`` by ledger column: column -> ((cell, sign), …) (the engine's hot path)
    por_coluna: dict[str, tuple[tuple[Chave, int], ...]] = field(
        default_factory=dict, compare=False
    )

    def __post_init__(self) -> None:
        grupos: dict[str, list[tuple[Chave, int]]] = {}
        for alvo, rc, sinal in self.alimenta:
            grupos.setdefault(rc, []).append((alvo, sinal))
        self.por_coluna.update({rc: tuple(x) for rc, x in grupos.items()})


class Classificador:
    """The classification of ledger lines of one catalog (cached per key)."""

    def __init__(self, cat) -> None:
        from siops.forms.mapeamento import FAMILIA_RECEITA, Mapeamento, _dados, caminho_padrao

        self.catalogo = cat
        self.mapa = Mapeamento(_dados(str(caminho_padrao())), cat)
        self._familia = FAMILIA_RECEITA
        self._cache: dict[ChaveRazao, Destino] = {}
        self._internos: dict[Destino, Destino] = {}
        self._fontes = {
            linha.fonte: linha.id
            for linha in cat.tabelas["despesa_fonte"].linhas
            if linha.fonte and linha.regra is None
        }
        self._elementos = sorted(
            (
                (_digitos(linha.grupo or ""), linha.id)
                for linha in cat.tabelas["despesa_elemento"].linhas
                if linha.regra is None
            ),
            key=lambda x: len(x[0]),
            reverse=True,
        )
        totais = cat.tabelas["despesas_totais"]
        self._lc173 = any(x.id == "lc173_uniao" for x in totais.linhas)
        apuracao = cat.tabelas.get("apuracao")
        self._deducoes = apuracao is not None and all(
            any(x.id == lid for x in apuracao.linhas) for lid in MODALIDADES_DEDUCAO
        )
        self.agregadas = frozenset(self._todas_agregadas())

    # columns of a target table fed by a ledger column (same id, typed in the catalog)
    def _cols(self, tabela: str, linha: str, pares: tuple[tuple[str, str, int], ...]):
        t = self.catalogo.tabelas[tabela]
        row = t.linha(linha)
        ids = {c.id for c in t.colunas_da_linha(row) if c.formula is None}
        return tuple(((tabela, linha, tc), rc, s) for rc, tc, s in pares if tc in ids)

    _DESPESA = (
        ("dotacao_inicial", "dotacao_inicial", 1),
        ("dotacao_atualizada", "dotacao_atualizada", 1),
        ("empenhada", "empenhada", 1),
        ("liquidada", "liquidada", 1),
        ("paga", "paga", 1),
    )
    _RECEITA = (
        ("previsao_inicial", "previsao_inicial", 1),
        ("previsao_atualizada", "previsao_atualizada", 1),
        ("realizada", "realizada", 1),
        ("deducoes", "realizada", -1),
    )

    def destino(self, chave: ChaveRazao) -> Destino:
        d = self._cache.get(chave)
        if d is None:
            if isinstance(chave, ChaveDespesa):
                d = self._despesa(chave)
            elif isinstance(chave, ChaveReceita):
                d = self._receita(chave)
            else:
                d = Destino(
                    (),
                    None,
                    "informação complementar do arquivo de integração: guardada e exportada, "
                    "não entra nas tabelas do programa",
                )
            # equal destinations are one object: the engine sums lines per destination first
            d = self._internos.setdefault(d, d)
            self._cache[chave] = d
        return d

    def _despesa(self, k: ChaveDespesa) -> Destino:
        p = planilha(k.planilha)
        sub = subfuncao(k.subfuncao).anexo12
        c = self.mapa.despesa_do_razao(p.computada, sub, k.natureza)
        alimenta: list[Alimentacao] = []
        if k.modalidade == "71":
            alimenta += self._cols("consorcios", "transferido_rateio", self._DESPESA)
        if c.destino is not None:
            alimenta += self._cols(*c.destino, self._DESPESA)
            fonte = self._fontes.get(p.fonte)
            if fonte is not None:
                alimenta += self._cols("despesa_fonte", fonte, self._DESPESA)
            elemento = next(
                (lid for pref, lid in self._elementos if k.natureza.startswith(pref)), None
            )
            if elemento is not None:
                alimenta += self._cols("despesa_elemento", elemento, self._DESPESA)
            if p.lc173 and self._lc173:
                alimenta += self._cols("despesas_totais", "lc173_uniao", self._DESPESA)
            deducao = _DEDUCAO_DA_MODALIDADE.get(k.modalidade)
            if deducao is not None and p.computada and self._deducoes:
                alimenta += self._cols("apuracao", deducao, self._DESPESA)
        return Destino(tuple(alimenta), c.destino, c.motivo, c.incerto or p.incerto)

    def _receita(self, k: ChaveReceita) -> Destino:
        c = self.mapa.receita(k.natureza, k.fonte)
        if c.destino is None:
            return Destino((), None, c.motivo, c.incerto)
        return Destino(self._cols(*c.destino, self._RECEITA), c.destino, c.motivo, c.incerto)

    def _todas_agregadas(self) -> set[Chave]:
        out: set[Chave] = set()
        linhas: set[tuple[str, str]] = set(self.mapa.destinos_despesa())
        linhas |= {("despesa_fonte", lid) for lid in self._fontes.values()}
        linhas |= {("despesa_elemento", lid) for _, lid in self._elementos}
        linhas.add(("consorcios", "transferido_rateio"))
        if self._lc173:
            linhas.add(("despesas_totais", "lc173_uniao"))
        if self._deducoes:
            linhas |= {("apuracao", lid) for lid in MODALIDADES_DEDUCAO}
        for t, lid in linhas:
            out |= {k for k, _, _ in self._cols(t, lid, self._DESPESA)}
        for destino in self.mapa.destinos_receita():
            if self.mapa.familia_do_destino(destino) != self._familia:
                continue
            out |= {k for k, _, _ in self._cols(*destino, self._RECEITA)}
        return out

    # -- the inverse: the ledger line that stands for a cell (version-1 files) -------------

    def linha_canonica(self, celula: Chave) -> tuple[ChaveRazao, str] | None:
        """The ledger line and column whose value alone makes an aggregated cell of the
        Anexo 12's despesas or receitas (used to convert version-1 files, where those cells
        were typed, and the transfers to consórcios); ``None`` for the views (fonte,
        elemento, the LC 173/2020 line) that only summarize lines typed elsewhere."""
        tabela, lid, col = celula
        if tabela in ("despesas_asps", "despesas_nao_computadas"):
            row = self.catalogo.tabelas[tabela].linha(lid)
            if row.regra is not None or not row.grupo or not row.subfuncao:
                return None
            plan = "4" if tabela == "despesas_asps" else "10"
            sub = row.subfuncao
            nd = row.grupo.replace(".", "") + "90"
            chave: ChaveRazao = ChaveDespesa(plan, sub, nd.ljust(10, "0"))
            return chave, col
        if (tabela, lid) == ("consorcios", "transferido_rateio"):
            # the transfer to consórcios by contrato de rateio: modalidade 71, outside the
            # Anexo 12's despesas (the model excludes it), feeding only this row
            return ChaveDespesa("4", "outras", "3371700000"), col
        destinos = self.mapa.destinos_receita()
        if (tabela, lid) in destinos and col in (
            "previsao_inicial",
            "previsao_atualizada",
            "realizada",
        ):
            for regra in self.mapa.regras_receita():
                if regra.destino == (tabela, lid) and regra.fr is None:
                    return ChaveReceita(regra.prefixo), col
        return None


def descrever(cat, chave: ChaveRazao) -> str:
    """A line as the user reads it: its key and, when it has one, the Anexo 12 row it feeds
    ("receita 1.1.1.2.50.0.1 (Receita Resultante do … IPTU)")."""
    destino = cat.classificador.destino(chave).linha_anexo12
    if destino is None:
        return chave.descricao()
    titulo = cat.tabela(destino[0]).linha(destino[1]).titulo_em(cat.exercicio)
    return f"{chave.descricao()} ({titulo})"


def classificador(cat) -> Classificador:
    """The catalog's classifier (built with the catalog; see ``catalogo.catalogo``)."""
    return cat.classificador


@dataclass(slots=True)
class Conversao:
    """Cells of the report model (format version 1, cell CSVs) split for the ledger model."""

    digitadas: dict[Chave, Decimal]  # cells that stay typed
    razao: dict[ChaveRazao, dict[str, Decimal]]  # the ledger lines made from Anexo 12 cells
    resumos: dict[Chave, Decimal]  # cells of the views (fonte, elemento …): now computed
    #: typed deductions XIV/XV carried by ledger lines moved to their modalidade: cell → amount
    reclassificadas: dict[Chave, Decimal] = field(default_factory=dict)


def celulas_para_razao(cat, valores) -> Conversao:
    """Split cell values of the report model: typed cells stay; each Anexo 12 cell that the
    ledger now feeds becomes its canonical line (``Classificador.linha_canonica``); the cells
    of the summary views are returned apart, to be compared with what the ledger computes."""
    cls: Classificador = cat.classificador
    out = Conversao({}, {}, {})
    deducoes: dict[Chave, Decimal] = {}
    for chave, valor in valores:
        if chave not in cat.agregadas:
            out.digitadas[chave] = valor
            continue
        if chave[0] == "apuracao" and chave[1] in MODALIDADES_DEDUCAO:
            deducoes[chave] = valor
            continue
        canon = cls.linha_canonica(chave)
        if canon is None:
            out.resumos[chave] = valor
            continue
        linha, col = canon
        out.razao.setdefault(linha, {})[col] = valor
    feitas, restantes = reclassificar_deducoes(cat, out.razao, deducoes)
    out.reclassificadas.update(feitas)
    out.resumos.update(restantes)
    return out


def reclassificar_deducoes(
    cat, razao: dict[ChaveRazao, dict[str, Decimal]], deducoes: dict[Chave, Decimal]
) -> tuple[dict[Chave, Decimal], dict[Chave, Decimal]]:
    """Typed XIV/XV (files where they were cells) become ledger lines without changing any
    total: the amount leaves the ASPS planilha's lines (largest first, the same lines for each
    column, so every line keeps empenhada ≥ liquidada ≥ paga where the typed figures did) for
    a line of the same planilha, subfunção and grupo in the deduction's first modalidade (36
    for XIV, 35 for XV). What no line can carry stays in ``resumos`` (the report compares it
    with what the ledger computes). ``razao`` is changed in place; returns the deduction cells
    moved and the ones that could not be (with the typed value)."""
    feitas: dict[Chave, Decimal] = {}
    restantes: dict[Chave, Decimal] = {}
    computada = next(p.codigo for p in PLANILHAS if p.computada)
    cls: Classificador = cat.classificador
    tocadas: set[ChaveRazao] = set()
    for lid, modalidades in MODALIDADES_DEDUCAO.items():
        pedidos = {
            chave[2]: valor for chave, valor in deducoes.items() if chave[1] == lid and valor > 0
        }
        for chave, valor in deducoes.items():
            if chave[1] == lid and valor < 0:
                restantes[chave] = valor
        if not pedidos:
            continue
        fontes = sorted(
            (
                k
                for k in razao
                if isinstance(k, ChaveDespesa)
                and k.planilha == computada
                and k.modalidade not in _DEDUCAO_DA_MODALIDADE
                and cls.destino(k).linha_anexo12 is not None
                and _neutra(cls, k, _gemea(k, modalidades[0]))
            ),
            key=lambda k: (-razao[k].get("empenhada", Decimal(0)), k),
        )
        falta = dict(pedidos)
        for _passada in range(3):
            andou = False
            for k in fontes:
                nova = _gemea(k, modalidades[0])
                movido = _parcela(razao[k], razao.get(nova, {}), falta)
                if not any(movido.values()):
                    continue
                andou = True
                tocadas.add(k)
                destino = razao.setdefault(nova, {})
                for col, m in movido.items():
                    if m:
                        razao[k][col] -= m
                        destino[col] = destino.get(col, Decimal(0)) + m
                        falta[col] -= m
            if not andou or not any(falta.values()):
                break
        for col, pedido in pedidos.items():
            chave = ("apuracao", lid, col)
            if falta[col] > 0:
                restantes[chave] = pedido
            else:
                feitas[chave] = pedido
    for tocada in [t for t in tocadas if not all(razao[t].values())]:
        limpo = {c: x for c, x in razao[tocada].items() if x}  # a file holds only non-zero values
        if limpo:
            razao[tocada] = limpo
        else:
            del razao[tocada]
    return feitas, restantes


def _gemea(k: ChaveDespesa, modalidade: str) -> ChaveDespesa:
    """The same line in another modalidade de aplicação."""
    return ChaveDespesa(k.planilha, k.subfuncao, k.natureza[:2] + modalidade + k.natureza[4:])


def _neutra(cls: Classificador, k: ChaveDespesa, outra: ChaveDespesa) -> bool:
    """Whether moving money from ``k`` to ``outra`` changes no cell but the deductions (the
    Anexo 12 row, the fonte, the elemento row — 'medicamentos' is 3.3.90.30.09, so a move to
    3.3.36.30.09 would leave it)."""

    def alvos(x: ChaveDespesa) -> set:
        return {a for a, _, _ in cls.destino(x).alimenta if a[0] != "apuracao"}

    return alvos(k) == alvos(outra)


def devolver_deducoes(
    razao: dict[ChaveRazao, dict[str, Decimal]], lid: str, falta: dict[str, Decimal]
) -> dict[str, Decimal]:
    """The inverse of ``reclassificar_deducoes`` for one deduction row: ``falta`` (by column)
    leaves the lines in its modalidades for the same planilha, subfunção and grupo in
    modalidade 90 (changed in place); returns what could not be moved back."""
    modalidades = MODALIDADES_DEDUCAO[lid]
    falta = dict(falta)
    linhas = sorted(
        (k for k in razao if isinstance(k, ChaveDespesa) and k.modalidade in modalidades),
        key=lambda k: (-razao[k].get("empenhada", Decimal(0)), k),
    )
    for k in linhas:
        gemea = _gemea(k, "90")
        movido = _parcela(razao[k], razao.get(gemea, {}), falta)
        if not movido:
            continue
        volta = razao.setdefault(gemea, {})
        for col, m in movido.items():
            razao[k][col] -= m
            volta[col] = volta.get(col, Decimal(0)) + m
            falta[col] -= m
    return {c: v for c, v in falta.items() if v > 0}


def _parcela(
    linha: dict[str, Decimal], destino: dict[str, Decimal], falta: dict[str, Decimal]
) -> dict[str, Decimal]:
    """How much of ``falta`` (empenhada, liquidada, paga) one line can give to ``destino`` so
    that both keep empenhada ≥ liquidada ≥ paga (greedy: the most liquidada first, then the
    empenhada and paga it allows)."""
    zero = Decimal(0)

    def tres(x: dict[str, Decimal]) -> tuple[Decimal, Decimal, Decimal]:
        e, li, p = (max(x.get(c, zero), zero) for c in ("empenhada", "liquidada", "paga"))
        return e, li, p

    e, li, p = tres(linha)
    de, dl, dp = tres(destino)
    fe, fl, fp = tres(falta)
    if not (e >= li >= p and de >= dl >= dp):
        return {}
    ml = min(li, fl, li - p + min(p, fp), min(e, fe) + (de - dl))
    me = min(e, fe, e - li + ml)
    mp = min(p, fp, ml + (dl - dp))
    return {
        c: m
        for c, m in (("empenhada", me), ("liquidada", ml), ("paga", mp))
        if c in falta and m > 0
    }


def linhas(razao: dict[ChaveRazao, dict[str, Decimal]]):
    """The ledger as ``SubstituirRazao``/``Declaracao.carregar`` take it."""
    return tuple((k, tuple(v.items())) for k, v in razao.items())
