"""The preview of an accounting import, before anything changes, and the one command it becomes.

The import fills the ledger (``forms.razao``), not the cells: each source item becomes a ledger
line (``contabil.lancamentos``) — receitas by natureza (and fonte, where the Anexo 12 splits by
it), despesas by planilha × subfunção × natureza — and the Anexo 12, despesa por fonte, por
elemento, the transfers to consórcios and the LC 173/2020 line follow as views of it. The
states' deductions of the transfers to municipalities (``receitas_base:deducao_*``) are still
typed cells, and the import still sets them.

What the preview shows: for each table of the Anexo 12 and each view, the cells that would
change (current value → value after the import, read as ``Declaracao.valor`` reads them); the
ledger totals by planilha and by elemento; the source lines outside the Anexo 12, with their
values and the reason (those in the ledger too: the model's exclusions, the receitas outside the
base); a reconciliation per measure, to the cent: the source's total (all receita; the despesa
of the função 10 and the additional FS) = in the Anexo 12 + outside it (with the reason) +
refused (a negative value, which the ledger does not take), and how much of it went into the
ledger.

The parts the user chooses are the four Anexo 12 tables: every ledger line belongs to one —
a despesa to ``despesas_asps`` when its planilha is computed in the minimum, else to
``despesas_nao_computadas``; a receita to the table of its Anexo 12 line (``receitas_base``
when outside the Anexo 12). ``Previa.lote(tabelas)`` is one ``forms.declaracao.Lote`` — one undo
step — holding one ``SubstituirRazao`` (the ledger with the chosen parts replaced) and the
``DefinirCelula`` of the typed cells it sets.

An import *replaces* its part of the ledger in the columns the source informs: a line the
source no longer has loses those columns (and goes, when nothing is left). So importing the same
source twice changes nothing the second time, and a later month replaces the earlier one instead
of adding to it. Which columns a source informs: those of its measures (an MSC without class-5
rows leaves the previsões and dotações alone; a balancete without 'previsão inicial' leaves that
column alone); in an MSC, the measures of the same account class go together (an MSC with
empenhos and no payment sets the paga column to zero), and the realizada always takes the
deduções with it (a balancete's realizada is taken as it comes, with deduções zero).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from siops.contabil.erros import ErroContabil
from siops.contabil.fonte import FonteContabil, nome_mes
from siops.contabil.lancamentos import chave_despesa, chave_receita
from siops.forms.catalogo import Tabela
from siops.forms.declaracao import (
    Comando,
    Declaracao,
    DefinirCelula,
    Lote,
    SubstituirRazao,
    periodo,
)
from siops.forms.dinheiro import LIMITE_VALOR, ZERO, formatar
from siops.forms.formulas import Chave
from siops.forms.mapeamento import (
    FAMILIA_RECEITA,
    Mapeamento,
    Medida,
    carregar,
    formatar_fs,
    formatar_nd,
    formatar_nr,
)
from siops.forms.razao import (
    COLUNAS_DESPESA_RAZAO,
    COLUNAS_RECEITA_RAZAO,
    PLANILHAS,
    ChaveComplementar,
    ChaveDespesa,
    ChaveRazao,
    ChaveReceita,
    Destino,
    linhas,
    planilha,
)

_TITULOS = {c.id: c.titulo for c in (*COLUNAS_DESPESA_RAZAO, *COLUNAS_RECEITA_RAZAO)}

#: The parts an import replaces, one per Anexo 12 table (see module docstring).
TABELAS = ("receitas_base", "receitas_adicionais", "despesas_asps", "despesas_nao_computadas")
#: The views of the ledger the preview shows too (they follow the parts chosen).
VISOES = ("despesa_fonte", "despesa_elemento", "consorcios", "despesas_totais")
DESCRICAO = "Importar da contabilidade"


@dataclass(frozen=True, slots=True)
class Mudanca:
    """One cell the import would change."""

    chave: Chave
    atual: Decimal
    novo: Decimal
    linha: str  # the row's title
    coluna: str  # the column's title


@dataclass(slots=True)
class TabelaPrevia:
    """The changes of one table (``celulas`` has every cell the import determines, changed or
    not). ``parte``: a part the user may choose (the Anexo 12 tables), not a view; ``linhas_razao``
    counts the ledger lines of the part that the import adds, changes or removes."""

    id: str
    titulo: str
    mudancas: list[Mudanca] = field(default_factory=list)
    celulas: dict[Chave, Decimal] = field(default_factory=dict)
    parte: bool = True
    linhas_razao: int = 0

    @property
    def muda(self) -> bool:
        return bool(self.mudancas or self.linhas_razao)


@dataclass(frozen=True, slots=True)
class NaoMapeada:
    """A source item outside the Anexo 12, with its values per measure and the reason.

    ``no_razao``: the item is a ledger line all the same (a line the model excludes, a receita
    outside the base); otherwise it could not be one (no subfunção, an invalid natureza …).
    """

    grupo: str  # "receita" | "despesa"
    codigo: str  # "NR 1.3.2.1.00.1.1 · FR 1500"
    motivo: str
    valores: dict[str, Decimal]
    linha: int  # first line (or spreadsheet row) of the source
    no_razao: bool = False


@dataclass(frozen=True, slots=True)
class Conciliacao:
    """Source total = in the Anexo 12 + outside it + refused, for one measure.

    ``importado`` is what reaches the Anexo 12, ``nao_mapeado`` what stays outside it (listed in
    ``Previa.nao_mapeadas``, or explained in ``nota``), ``recusado`` what is not applied at all;
    ``no_razao`` is what goes into the ledger (or the typed cells), inside the Anexo 12 or not.
    """

    medida: str
    titulo: str
    fonte: Decimal
    importado: Decimal
    nao_mapeado: Decimal
    recusado: Decimal
    no_razao: Decimal = ZERO
    nota: str = ""

    @property
    def diferenca(self) -> Decimal:
        return self.fonte - self.importado - self.nao_mapeado - self.recusado

    @property
    def fecha(self) -> bool:
        """Whether the reconciliation holds to the cent."""
        return self.diferenca == 0


@dataclass(frozen=True, slots=True)
class Incerteza:
    """An UNCONFIRMED mapping entry that moved money into a cell or a planilha."""

    destino: str  # "Receitas … — ISS"
    regra: str
    motivo: str
    valor: Decimal


@dataclass(frozen=True, slots=True)
class TotalRazao:
    """The imported ledger's despesas summed by planilha or by elemento, per column."""

    codigo: str  # "4" | "3.3.90.39"
    titulo: str
    valores: dict[str, Decimal]


@dataclass(slots=True)
class Previa:
    """The preview (see module docstring)."""

    fonte: FonteContabil
    descricao_declaracao: str
    tabelas: list[TabelaPrevia]
    nao_mapeadas: list[NaoMapeada]
    conciliacao: list[Conciliacao]
    incertezas: list[Incerteza]
    recusadas: list[str]
    avisos: list[str]
    planilhas: list[TotalRazao] = field(default_factory=list)
    elementos: list[TotalRazao] = field(default_factory=list)
    # what lote() composes: the ledger at preview time, the imported lines (by part), the
    # columns they cover per kind of line, and the typed cells to set (by part)
    _atual: dict[ChaveRazao, dict[str, Decimal]] = field(default_factory=dict, repr=False)
    _importadas: dict[ChaveRazao, dict[str, Decimal]] = field(default_factory=dict, repr=False)
    _partes: dict[ChaveRazao, str] = field(default_factory=dict, repr=False)
    _cobertas: dict[type, frozenset[str]] = field(default_factory=dict, repr=False)
    _celulas: list[tuple[str, Chave, Decimal]] = field(default_factory=list, repr=False)

    @property
    def vazia(self) -> bool:
        """Nothing would change (e.g. the same source imported again)."""
        return not any(t.muda for t in self.tabelas)

    def tabela(self, tid: str) -> TabelaPrevia:
        for t in self.tabelas:
            if t.id == tid:
                return t
        raise KeyError(tid)

    def _escolha(self, tabelas: Iterable[str] | None) -> set[str]:
        escolhidas = set(TABELAS if tabelas is None else tabelas)
        desconhecidas = escolhidas - set(TABELAS)
        if desconhecidas:
            raise ErroContabil(
                "tabela(s) desconhecida(s): "
                + ", ".join(sorted(desconhecidas))
                + ". Use: "
                + ", ".join(TABELAS)
                + "."
            )
        return escolhidas

    def razao_importado(self, tabelas: Iterable[str] | None = None) -> dict:
        """The ledger after importing the chosen parts (all when ``None``)."""
        escolhidas = self._escolha(tabelas)
        return _mesclar(self._atual, self._importadas, self._partes, escolhidas, self._cobertas)

    def lote(self, tabelas: Iterable[str] | None = None) -> Lote:
        """The chosen parts (all when ``None``) as one undoable command (empty: no change)."""
        escolhidas = self._escolha(tabelas)
        comandos: list[Comando] = []
        novo = _mesclar(self._atual, self._importadas, self._partes, escolhidas, self._cobertas)
        if novo != self._atual:
            comandos.append(SubstituirRazao(linhas(novo), DESCRICAO))
        comandos += [DefinirCelula(k, v, DESCRICAO) for p, k, v in self._celulas if p in escolhidas]
        return Lote(tuple(comandos), f"{DESCRICAO} ({self.fonte.descricao})")

    def alteracoes(self, tabelas: Iterable[str] | None = None) -> int:
        """How many cells of the chosen Anexo 12 tables change (for messages)."""
        escolhidas = self._escolha(tabelas)
        return sum(len(t.mudancas) for t in self.tabelas if t.parte and t.id in escolhidas)

    def para_dict(self) -> dict:
        """The preview as plain data (``--json``); money as text with a dot."""

        def valores(v: dict[str, Decimal]) -> dict[str, str]:
            return {k: f"{x:f}" for k, x in v.items()}

        return {
            "fonte": self.fonte.descricao,
            "tipo": self.fonte.tipo,
            "arquivos": [str(a) for a in self.fonte.arquivos],
            "declaracao": self.descricao_declaracao,
            "tabelas": [
                {
                    "id": t.id,
                    "titulo": t.titulo,
                    "parte": t.parte,
                    "linhas_razao": t.linhas_razao,
                    "mudancas": [
                        {
                            "linha": m.chave[1],
                            "coluna": m.chave[2],
                            "titulo": f"{m.linha} — {m.coluna}",
                            "atual": f"{m.atual:f}",
                            "novo": f"{m.novo:f}",
                        }
                        for m in t.mudancas
                    ],
                }
                for t in self.tabelas
            ],
            "razao": {
                "linhas": len(self._importadas),
                "planilhas": [
                    {"codigo": t.codigo, "titulo": t.titulo, "valores": valores(t.valores)}
                    for t in self.planilhas
                ],
                "elementos": [
                    {"codigo": t.codigo, "valores": valores(t.valores)} for t in self.elementos
                ],
            },
            "nao_mapeadas": [
                {
                    "grupo": n.grupo,
                    "codigo": n.codigo,
                    "motivo": n.motivo,
                    "linha": n.linha,
                    "no_razao": n.no_razao,
                    "valores": valores(n.valores),
                }
                for n in self.nao_mapeadas
            ],
            "conciliacao": [
                {
                    "medida": c.medida,
                    "titulo": c.titulo,
                    "fonte": f"{c.fonte:f}",
                    "importado": f"{c.importado:f}",
                    "nao_mapeado": f"{c.nao_mapeado:f}",
                    "recusado": f"{c.recusado:f}",
                    "no_razao": f"{c.no_razao:f}",
                    "nota": c.nota,
                    "fecha": c.fecha,
                }
                for c in self.conciliacao
            ],
            "nao_confirmados": [
                {
                    "destino": i.destino,
                    "regra": i.regra,
                    "motivo": i.motivo,
                    "valor": f"{i.valor:f}",
                }
                for i in self.incertezas
            ],
            "recusadas": list(self.recusadas),
            "avisos": list(self.avisos),
        }

    def texto(self, limite_nao_mapeadas: int = 30) -> str:
        """The preview for a terminal, in Portuguese with Brazilian numbers."""
        out = [f"Importação de {self.fonte.descricao} em {self.descricao_declaracao}", ""]
        for t in self.tabelas:
            extra = f"; {t.linhas_razao} linha(s) do razão" if t.parte else " (acompanha o razão)"
            out.append(f"[{t.id}] {t.titulo}: {len(t.mudancas)} célula(s) a alterar{extra}")
            for m in t.mudancas:
                out.append(f"    {m.linha} — {m.coluna}: {formatar(m.atual)} → {formatar(m.novo)}")
        for titulo, totais in (
            ("Despesas no razão por planilha (fonte)", self.planilhas),
            ("Despesas no razão por elemento", self.elementos),
        ):
            if totais:
                out.append("")
                out.append(f"{titulo}:")
                for tot in totais:
                    nome = f"{tot.codigo} {tot.titulo}".strip()
                    cols = ", ".join(
                        f"{_TITULOS.get(k, k).lower()} {formatar(v)}"
                        for k, v in tot.valores.items()
                    )
                    out.append(f"    {nome}: {cols}")
        out.append("")
        out.append("Conciliação (fonte = no Anexo 12 + fora do Anexo 12 + recusado; no razão):")
        for c in self.conciliacao:
            marca = "ok" if c.fecha else f"DIFERENÇA {formatar(c.diferenca)}"
            out.append(
                f"    {c.titulo}: {formatar(c.fonte)} = {formatar(c.importado)} + "
                f"{formatar(c.nao_mapeado)} + {formatar(c.recusado)}  [{marca}]; "
                f"no razão {formatar(c.no_razao)}" + (f" ({c.nota})" if c.nota else "")
            )
        if self.nao_mapeadas:
            out.append("")
            out.append(f"Linhas da fonte fora do Anexo 12 ({len(self.nao_mapeadas)}):")
            for n in self.nao_mapeadas[:limite_nao_mapeadas]:
                vals = ", ".join(f"{k} {formatar(v)}" for k, v in n.valores.items())
                onde = "no razão" if n.no_razao else "fora do razão"
                motivo = n.motivo.rstrip(".")
                out.append(f"    linha {n.linha}: {n.codigo} — {vals} ({motivo}; {onde})")
            if len(self.nao_mapeadas) > limite_nao_mapeadas:
                out.append(f"    … e mais {len(self.nao_mapeadas) - limite_nao_mapeadas}.")
        if self.incertezas:
            out.append("")
            out.append("Mapeamentos NÃO CONFIRMADOS usados (confira):")
            for i in self.incertezas:
                out.append(f"    {i.destino}: R$ {formatar(i.valor)} por {i.regra} — {i.motivo}")
        for titulo, lista in (("Não importadas", self.recusadas), ("Avisos", self.avisos)):
            if lista:
                out.append("")
                out.append(f"{titulo}:")
                out.extend(f"    {x}" for x in lista)
        return "\n".join(out)


# --- the parts and the merge ------------------------------------------------------------------


def parte_da_linha(chave: ChaveRazao, destino: Destino) -> str | None:
    """The part (Anexo 12 table) a ledger line belongs to; ``None``: no import touches it."""
    if isinstance(chave, ChaveDespesa):
        return "despesas_asps" if planilha(chave.planilha).computada else "despesas_nao_computadas"
    if isinstance(chave, ChaveReceita):
        return destino.linha_anexo12[0] if destino.linha_anexo12 else "receitas_base"
    return None


def _mesclar(
    atual: dict[ChaveRazao, dict[str, Decimal]],
    importadas: dict[ChaveRazao, dict[str, Decimal]],
    partes: dict[ChaveRazao, str],
    escolhidas: set[str],
    cobertas: dict[type, frozenset[str]],
) -> dict[ChaveRazao, dict[str, Decimal]]:
    """The ledger with the chosen parts replaced in the covered columns (module docstring)."""
    novo: dict[ChaveRazao, dict[str, Decimal]] = {}
    for k, valores in atual.items():
        cols = cobertas.get(type(k), frozenset())
        if cols and partes.get(k) in escolhidas:
            resto = {c: v for c, v in valores.items() if c not in cols}
            if valores and not resto:
                continue  # the import covered all it had: gone unless the source has it
            novo[k] = resto
        else:
            novo[k] = dict(valores)
    for k, valores in importadas.items():
        if partes[k] in escolhidas:
            novo.setdefault(k, {}).update(valores)
    return novo


# --- building the preview ---------------------------------------------------------------------


def _conferir_periodo(d: Declaracao, fonte: FonteContabil, avisos: list[str]) -> None:
    """Refuse an MSC of another ente, year or a month after the bimestre (ErroContabil)."""
    arquivo = fonte.arquivos[-1] if fonte.arquivos else None
    if fonte.ibge is not None:
        ibge = d.ente.ibge
        aceitos = {ibge}
        if d.ente.esfera == "df":
            aceitos |= {"53", "5300108"}
        if fonte.ibge not in aceitos:
            raise ErroContabil(
                f"a MSC é do ente de código IBGE {fonte.ibge}, mas a declaração é de "
                f"{d.ente.nome} ({ibge}). Escolha a MSC do próprio ente.",
                1,
                arquivo,
            )
    if fonte.ano is not None and fonte.ano != d.exercicio:
        raise ErroContabil(
            f"a fonte é do exercício {fonte.ano}, mas a declaração é de {d.exercicio}.", 1, arquivo
        )
    if fonte.mes is not None:
        ultimo = 2 * d.bimestre
        if fonte.mes > ultimo:
            raise ErroContabil(
                f"a MSC é de {nome_mes(fonte.mes)} de {fonte.ano}, depois do "
                f"{d.bimestre}º bimestre ({periodo(d.bimestre, d.exercicio)}). Use a MSC de "
                f"{nome_mes(ultimo)}.",
                1,
                arquivo,
            )
        if fonte.mes < ultimo:
            avisos.append(
                f"A MSC vai só até {nome_mes(fonte.mes)}; o {d.bimestre}º bimestre termina em "
                f"{nome_mes(ultimo)}. Os valores importados não incluem os meses seguintes."
            )


def _codigo_receita(nr: str, fr: str) -> str:
    texto = f"NR {formatar_nr(nr)}" if nr else "sem natureza"
    return texto + (f" · FR {fr}" if fr else "")


def _codigo_despesa(fs: str, nd: str, fr: str, co: str) -> str:
    partes = [f"FS {formatar_fs(fs)}", f"ND {formatar_nd(nd)}"]
    if fr:
        partes.append(f"FR {fr}")
    if co:
        partes.append(f"CO {co}")
    return " · ".join(partes)


#: The measure whose value an UNCONFIRMED entry reports, in order of preference.
_PRINCIPAIS = ("realizada", "empenhada", "previsao_atualizada", "dotacao_atualizada",
               "previsao_inicial", "dotacao_inicial", "liquidada", "paga", "deducoes")  # fmt: skip


def _principal(valores: dict[str, Decimal]) -> Decimal:
    for m in _PRINCIPAIS:
        if valores.get(m):
            return valores[m]
    return next((v for v in valores.values() if v), ZERO)


def _cobertas(fonte: FonteContabil, medidas: dict[str, Medida], grupo: str) -> frozenset[str]:
    """The ledger columns of ``grupo`` the source informs (module docstring)."""
    proprias = [
        m for m in medidas.values() if m.grupo == grupo and m.familia != "deducao_municipios"
    ]
    presentes = {m.id for m in proprias if m.id in fonte.medidas}
    if fonte.tipo == "msc":
        classes = {m.contas[0][0][:1] for m in proprias if m.id in presentes and m.contas}
        presentes |= {m.id for m in proprias if m.contas and m.contas[0][0][:1] in classes}
    cols = {medidas[m].coluna for m in presentes}
    if "realizada" in cols:
        cols.add("deducoes")
    return frozenset(cols)


@dataclass(slots=True)
class _Acumulador:
    fonte: dict[str, Decimal] = field(default_factory=dict)
    razao: dict[ChaveRazao, dict[str, Decimal]] = field(default_factory=dict)
    celulas: dict[Chave, Decimal] = field(default_factory=dict)
    medida_da_celula: dict[Chave, str] = field(default_factory=dict)
    nao_mapeadas: dict[tuple[str, str, str, bool], tuple[dict[str, Decimal], int]] = field(
        default_factory=dict
    )
    nao_mapeado: dict[str, Decimal] = field(default_factory=dict)
    incertezas: dict[tuple[str, str, str], dict[str, Decimal]] = field(default_factory=dict)

    def somar_fonte(self, medida: str, v: Decimal) -> None:
        self.fonte[medida] = self.fonte.get(medida, ZERO) + v

    def lancar(self, chave: ChaveRazao, coluna: str, v: Decimal) -> None:
        linha = self.razao.setdefault(chave, {})
        linha[coluna] = linha.get(coluna, ZERO) + v

    def definir(self, chave: Chave, medida: str, v: Decimal) -> None:
        self.celulas[chave] = self.celulas.get(chave, ZERO) + v
        self.medida_da_celula[chave] = medida

    def listar(self, grupo: str, codigo: str, motivo: str, no_razao: bool, medida: str,
               v: Decimal, linha: int) -> None:  # fmt: skip
        """A source item outside the Anexo 12 (listed; counted apart when not in the ledger)."""
        chave = (grupo, codigo, motivo, no_razao)
        valores, primeira = self.nao_mapeadas.get(chave, ({}, linha))
        valores[medida] = valores.get(medida, ZERO) + v
        self.nao_mapeadas[chave] = (valores, min(primeira, linha))
        if not no_razao:
            self.nao_mapeado[medida] = self.nao_mapeado.get(medida, ZERO) + v

    def incerto(self, destino: str, regra: str, motivo: str, valores: dict[str, Decimal]) -> None:
        soma = self.incertezas.setdefault((destino, regra, motivo), {})
        for medida, v in valores.items():
            soma[medida] = soma.get(medida, ZERO) + v


def previa(d: Declaracao, fonte: FonteContabil, mapa: Mapeamento | None = None) -> Previa:
    """Build the preview of importing ``fonte`` into ``d`` (nothing in ``d`` changes).

    Raises ``ErroContabil`` when the source is of another ente, exercício or a later month.
    """
    avisos: list[str] = []
    _conferir_periodo(d, fonte, avisos)
    mapa = mapa or carregar(d.catalogo)
    cat = d.catalogo
    cls = cat.classificador
    medidas = mapa.medidas
    acc = _Acumulador()

    for (nr, fr), valores in fonte.receitas.items():
        linha = fonte.linhas_receita.get((nr, fr), 0)
        codigo = _codigo_receita(nr, fr)
        k = None
        for medida, v in valores.items():
            m = medidas.get(medida)
            if m is None or v == 0:
                continue
            acc.somar_fonte(medida, v)
            if m.familia != FAMILIA_RECEITA:  # the states' deductions: typed cells
                c = mapa.receita(nr, fr, m.familia)
                if c.destino is None:
                    acc.listar("receita", codigo, c.motivo, False, medida, v, linha)
                    continue
                acc.definir((*c.destino, m.coluna), medida, v)
                continue
            if k is None:
                k = chave_receita(mapa, nr, fr)
            if k.chave is None:
                acc.listar("receita", codigo, k.motivo, False, medida, v, linha)
                continue
            acc.lancar(k.chave, m.coluna, v)
            destino = cls.destino(k.chave)
            if destino.linha_anexo12 is None:
                acc.listar("receita", codigo, destino.motivo, True, medida, v, linha)
        if k is not None and k.chave is not None:
            c = mapa.receita(nr, fr)
            if c.incerto and c.destino is not None:
                t = cat.tabela(c.destino[0])
                onde = f"{t.titulo} — {titulo_linha(t, c.destino[1], d.exercicio)}"
                acc.incerto(onde, c.regra, c.incerto, valores)

    for (fs, nd, fr, co), valores in fonte.despesas.items():
        kd = chave_despesa(mapa, fs, nd, fr, co)
        if kd is None:
            continue  # not health spending (outside função 10): outside the reconciliation
        linha = fonte.linhas_despesa.get((fs, nd, fr, co), 0)
        codigo = _codigo_despesa(fs, nd, fr, co)
        fora = "" if kd.chave is None else cls.destino(kd.chave).motivo
        for medida, v in valores.items():
            m = medidas.get(medida)
            if m is None or v == 0:
                continue
            acc.somar_fonte(medida, v)
            if kd.chave is None:
                acc.listar("despesa", codigo, kd.motivo, False, medida, v, linha)
                continue
            acc.lancar(kd.chave, m.coluna, v)
            if cls.destino(kd.chave).linha_anexo12 is None:
                acc.listar("despesa", codigo, fora, True, medida, v, linha)
        if isinstance(kd.chave, ChaveDespesa) and kd.planilha is not None:
            p = planilha(kd.chave.planilha)
            for incerto in dict.fromkeys(x for x in (kd.planilha.incerto, p.incerto) if x):
                acc.incerto(
                    f"Planilha {p.codigo} — {p.titulo}",
                    kd.planilha.descricao,
                    incerto,
                    valores,
                )

    return _montar(d, fonte, mapa, acc, avisos)


def _alimenta_anexo12(destino: Destino, coluna: str) -> bool:
    return destino.linha_anexo12 is not None and any(
        alvo[:2] == destino.linha_anexo12 and rc == coluna for alvo, rc, _ in destino.alimenta
    )


def _montar(
    d: Declaracao, fonte: FonteContabil, mapa: Mapeamento, acc: _Acumulador, avisos: list[str]
) -> Previa:
    cat = d.catalogo
    cls = cat.classificador
    medidas = mapa.medidas
    medida_da_coluna = {
        (m.grupo, m.coluna): m.id for m in medidas.values() if m.familia != "deducao_municipios"
    }
    recusadas: list[str] = []
    importado: dict[str, Decimal] = {}
    nao_mapeado = dict(acc.nao_mapeado)
    recusado: dict[str, Decimal] = {}
    no_razao: dict[str, Decimal] = {}
    fora_coluna: set[str] = set()

    def somar(alvo: dict[str, Decimal], medida: str, v: Decimal) -> None:
        alvo[medida] = alvo.get(medida, ZERO) + v

    # the ledger lines: refuse what the ledger cannot hold, count where the rest goes
    importadas: dict[ChaveRazao, dict[str, Decimal]] = {}
    partes: dict[ChaveRazao, str] = {}
    for k, colunas in acc.razao.items():
        destino = cls.destino(k)
        grupo = "despesa" if isinstance(k, ChaveDespesa) else "receita"
        aceitos: dict[str, Decimal] = {}
        for col, v in colunas.items():
            medida = medida_da_coluna[(grupo, col)]
            if v == 0:
                continue
            if v < 0 or v > LIMITE_VALOR:
                motivo = (
                    "o razão não admite valores negativos" if v < 0 else "passa do limite de valor"
                )
                titulo = medidas[medida].titulo
                recusadas.append(
                    f"{k.descricao()} — {titulo}: R$ {formatar(v)} não importado ({motivo})."
                )
                somar(recusado, medida, v)
                continue
            aceitos[col] = v
            somar(no_razao, medida, v)
            if _alimenta_anexo12(destino, col):
                somar(importado, medida, v)
            else:
                somar(nao_mapeado, medida, v)
                if destino.linha_anexo12 is not None:
                    fora_coluna.add(medida)
        parte = parte_da_linha(k, destino)
        if aceitos and parte is not None:
            importadas[k] = aceitos
            partes[k] = parte
    atual = d.razao()
    for k in atual:
        if k not in partes:
            p = parte_da_linha(k, cls.destino(k))
            if p is not None:
                partes[k] = p
    cobertas = {
        ChaveReceita: _cobertas(fonte, medidas, "receita"),
        ChaveDespesa: _cobertas(fonte, medidas, "despesa"),
        ChaveComplementar: frozenset(),
    }

    # the typed cells (states' deductions): set every one the mapping can fill
    celulas: list[tuple[str, Chave, Decimal]] = []
    definidas: dict[Chave, Decimal] = {}
    vistos: set[Chave] = set()
    for destino in sorted(mapa.destinos_receita()):
        familia = mapa.familia_do_destino(destino)
        if familia == FAMILIA_RECEITA:
            continue
        for m in medidas.values():
            if m.familia != familia or m.id not in fonte.medidas:
                continue
            chave = (*destino, m.coluna)
            if not cat.existe(chave):
                continue
            vistos.add(chave)
            novo = acc.celulas.get(chave, ZERO)
            if not cat.editavel(chave, d.bimestre) or novo < 0:
                if novo != 0:
                    motivo = (
                        "ficaria negativo" if novo < 0 else "não pode ser editado neste bimestre"
                    )
                    recusadas.append(
                        f"{cat.descricao_celula(chave)}: R$ {formatar(novo)} não importado — "
                        f"{motivo}."
                    )
                    somar(recusado, m.id, novo)
                continue
            somar(importado, m.id, novo)
            somar(no_razao, m.id, novo)
            definidas[chave] = novo
            if d.valor(chave) != novo:
                celulas.append((destino[0], chave, novo))
    for chave, v in acc.celulas.items():  # mapped to a cell the table does not have
        if chave not in vistos and v != 0:
            recusadas.append(f"{'.'.join(chave)}: R$ {formatar(v)} sem célula correspondente.")
            somar(recusado, acc.medida_da_celula[chave], v)

    previa_ = Previa(
        fonte,
        f"{d.ente.descricao}, {d.bimestre}º bimestre de {d.exercicio}",
        [],
        _nao_mapeadas(acc),
        [],
        [
            Incerteza(dest, regra, motivo, _principal(v))
            for (dest, regra, motivo), v in acc.incertezas.items()
        ],
        recusadas,
        [],
        _por_planilha(importadas),
        _por_elemento(importadas),
        atual,
        importadas,
        partes,
        cobertas,
        celulas,
    )
    previa_.conciliacao = [
        Conciliacao(
            mid,
            m.titulo + (" (função 10)" if m.grupo == "despesa" else ""),
            acc.fonte.get(mid, ZERO),
            importado.get(mid, ZERO),
            nao_mapeado.get(mid, ZERO),
            recusado.get(mid, ZERO),
            no_razao.get(mid, ZERO),
            "inclui coluna do razão que o Anexo 12 não usa: fica no razão e vai para o .IMPT"
            if mid in fora_coluna
            else "",
        )
        for mid, m in medidas.items()
        if mid in fonte.medidas
    ]
    previa_.tabelas = _tabelas(d, previa_, definidas, cobertas)
    negativas = [
        f"{cat.descricao_celula(mu.chave)} ficaria negativa (R$ {formatar(mu.novo)}): as deduções "
        "superam a receita. Confira a fonte."
        for t in previa_.tabelas
        if t.parte
        for mu in t.mudancas
        if mu.novo < 0
    ]
    previa_.avisos = list(fonte.avisos) + avisos + _avisos_criterios(fonte, mapa) + negativas
    return previa_


def _nao_mapeadas(acc: _Acumulador) -> list[NaoMapeada]:
    return sorted(
        (
            NaoMapeada(grupo, codigo, motivo, valores, linha, no_razao)
            for (grupo, codigo, motivo, no_razao), (valores, linha) in acc.nao_mapeadas.items()
        ),
        key=lambda n: (n.linha, n.codigo),
    )


def _somar_em(alvo: dict[str, dict[str, Decimal]], grupo: str, valores: dict[str, Decimal]):
    tot = alvo.setdefault(grupo, {})
    for c, v in valores.items():
        tot[c] = tot.get(c, ZERO) + v


def _por_planilha(importadas: dict[ChaveRazao, dict[str, Decimal]]) -> list[TotalRazao]:
    somas: dict[str, dict[str, Decimal]] = {}
    for k, valores in importadas.items():
        if isinstance(k, ChaveDespesa):
            _somar_em(somas, k.planilha, valores)
    ordem = [p.codigo for p in PLANILHAS]
    return [
        TotalRazao(c, planilha(c).titulo, somas[c])
        for c in sorted(somas, key=lambda c: ordem.index(c))
    ]


def _por_elemento(importadas: dict[ChaveRazao, dict[str, Decimal]]) -> list[TotalRazao]:
    somas: dict[str, dict[str, Decimal]] = {}
    for k, valores in importadas.items():
        if isinstance(k, ChaveDespesa):
            n = k.natureza
            _somar_em(somas, f"{n[0]}.{n[1]}.{n[2:4]}.{n[4:6]}", valores)
    return [TotalRazao(c, "", somas[c]) for c in sorted(somas)]


def _tabelas(
    d: Declaracao,
    p: Previa,
    definidas: dict[Chave, Decimal],
    cobertas: dict[type, frozenset[str]],
) -> list[TabelaPrevia]:
    """Every Anexo 12 table and view the import touches: the values after the whole import
    (applied to a copy of the declaration), compared with the current ones."""
    cat = d.catalogo
    depois = d.copia()
    lote = p.lote()
    if lote.comandos:
        depois.aplicar(lote)
    por_tabela: dict[str, list[Chave]] = {tid: [] for tid in (*TABELAS, *VISOES)}
    colunas = cobertas[ChaveReceita] | cobertas[ChaveDespesa]
    for k in cat.celulas:
        lista = por_tabela.get(k[0])
        if lista is None:
            continue
        if k in cat.agregadas:
            if k[0] in TABELAS and k[2] not in colunas:
                continue  # a column the source does not inform (nor any line it brings)
            lista.append(k)
        elif k in definidas:
            lista.append(k)
    linhas_mudadas: dict[str, int] = {}
    novo = p.razao_importado()
    for kr in p._atual.keys() | novo.keys():
        if p._atual.get(kr) != novo.get(kr):
            parte = p._partes.get(kr)
            if parte is not None:
                linhas_mudadas[parte] = linhas_mudadas.get(parte, 0) + 1
    out = []
    for tid, chaves in por_tabela.items():
        if tid not in cat.tabelas:
            continue
        tabela = cat.tabela(tid)
        t = TabelaPrevia(tid, tabela.titulo, parte=tid in TABELAS)
        t.linhas_razao = linhas_mudadas.get(tid, 0)
        for k in chaves:
            valor = depois.valor(k)
            t.celulas[k] = valor
            atual = d.valor(k)
            if atual != valor:
                t.mudancas.append(
                    Mudanca(
                        k,
                        atual,
                        valor,
                        titulo_linha(tabela, k[1], d.exercicio),
                        tabela.coluna(k[2]).titulo,
                    )
                )
        if (t.parte and (t.celulas or t.linhas_razao)) or t.mudancas:
            out.append(t)
    return out


def _avisos_criterios(fonte: FonteContabil, mapa: Mapeamento) -> list[str]:
    avisos = []
    grupos_presentes = {mapa.medidas[m].grupo for m in fonte.medidas if m in mapa.medidas}
    if "despesa" in grupos_presentes:
        regra = mapa.computada_regra
        avisos.append(
            f"Despesas computadas no mínimo (planilha 4): {regra.descricao}; as demais da "
            "função 10 vão para as não computadas, na planilha da sua fonte."
            + (f" Critério NÃO CONFIRMADO: {regra.incerto}" if regra.incerto else "")
        )
        if regra.co is not None and not fonte.tem_co and fonte.despesas:
            avisos.append(
                "A fonte não informa o código de acompanhamento (CO): sem o CO 1002, nenhuma "
                "despesa entra como computada no mínimo. Confira a exportação da contabilidade."
            )
    for m in mapa.medidas.values():
        if m.incerto and m.id in fonte.medidas:
            avisos.append(f"{m.titulo}: {m.incerto}")
    return avisos


def titulo_linha(tabela: Tabela, lid: str, exercicio: int) -> str:
    """A row's title, with its subfunção for despesa rows ('ATENÇÃO BÁSICA › Investimentos')."""
    pai = None
    for linha in tabela.linhas:
        if linha.nivel == 0:
            pai = linha
        if linha.id == lid:
            titulo = linha.titulo_em(exercicio)
            if linha.subfuncao and linha.nivel >= 2 and pai is not None:
                return f"{pai.titulo_em(exercicio)} › {titulo}"
            return titulo
    raise KeyError(lid)
