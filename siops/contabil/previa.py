"""The preview of an accounting import, before anything changes, and the one command it becomes.

For each table: the cells that would change (current value → imported value). The lines of the
source that mapped to nothing, with their values and the reason. A reconciliation per measure:
the source's total (all receita; the despesa of função 10) = imported + not mapped + refused,
to the cent. The user takes all tables, some, or none: ``Previa.lote(tabelas)`` is one
``forms.declaracao.Lote`` — one undo step.

An import *sets* every cell the mapping can fill, in the columns the source informs: a cell
with nothing mapped to it becomes zero. So importing the same source twice changes nothing the
second time, and a later month replaces the earlier one instead of adding to it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from siops.contabil.erros import ErroContabil
from siops.contabil.fonte import FonteContabil, nome_mes
from siops.contabil.mapeamento import (
    Mapeamento,
    carregar,
    formatar_fs,
    formatar_nd,
    formatar_nr,
)
from siops.forms.catalogo import Tabela
from siops.forms.declaracao import Declaracao, DefinirCelula, Lote, periodo
from siops.forms.dinheiro import ZERO, formatar
from siops.forms.formulas import Chave

TABELAS = ("receitas_base", "receitas_adicionais", "despesas_asps", "despesas_nao_computadas")


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
    """The changes of one table (``celulas`` has every cell the import sets, changed or not)."""

    id: str
    titulo: str
    mudancas: list[Mudanca] = field(default_factory=list)
    celulas: dict[Chave, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class NaoMapeada:
    """A source item that went to no cell, with its values per measure and the reason."""

    grupo: str  # "receita" | "despesa"
    codigo: str  # "NR 1.3.2.1.00.1.1 · FR 1500"
    motivo: str
    valores: dict[str, Decimal]
    linha: int  # first line (or spreadsheet row) of the source


@dataclass(frozen=True, slots=True)
class Conciliacao:
    """Source total = imported + not mapped + refused, for one measure."""

    medida: str
    titulo: str
    fonte: Decimal
    importado: Decimal
    nao_mapeado: Decimal
    recusado: Decimal

    @property
    def diferenca(self) -> Decimal:
        return self.fonte - self.importado - self.nao_mapeado - self.recusado

    @property
    def fecha(self) -> bool:
        """Whether the reconciliation holds to the cent."""
        return self.diferenca == 0


@dataclass(frozen=True, slots=True)
class Incerteza:
    """An UNCONFIRMED mapping entry that moved money into a cell."""

    destino: str  # "Receitas … — ISS"
    regra: str
    motivo: str
    valor: Decimal


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

    @property
    def vazia(self) -> bool:
        """Nothing would change (e.g. the same source imported again)."""
        return not any(t.mudancas for t in self.tabelas)

    def tabela(self, tid: str) -> TabelaPrevia:
        for t in self.tabelas:
            if t.id == tid:
                return t
        raise KeyError(tid)

    def lote(self, tabelas: Iterable[str] | None = None) -> Lote:
        """The changes of the chosen tables (all when ``None``) as one undoable command."""
        ids = [t.id for t in self.tabelas]
        escolhidas = set(ids if tabelas is None else tabelas)
        desconhecidas = escolhidas - set(ids)
        if desconhecidas:
            raise ErroContabil(
                "tabela(s) desconhecida(s): "
                + ", ".join(sorted(desconhecidas))
                + ". Use: "
                + ", ".join(ids)
                + "."
            )
        comandos = tuple(
            DefinirCelula(m.chave, m.novo, "Importar da contabilidade")
            for t in self.tabelas
            if t.id in escolhidas
            for m in t.mudancas
        )
        return Lote(comandos, f"Importar da contabilidade ({self.fonte.descricao})")

    def para_dict(self) -> dict:
        """The preview as plain data (``--json``); money as text with a dot."""
        return {
            "fonte": self.fonte.descricao,
            "tipo": self.fonte.tipo,
            "arquivos": [str(a) for a in self.fonte.arquivos],
            "declaracao": self.descricao_declaracao,
            "tabelas": [
                {
                    "id": t.id,
                    "titulo": t.titulo,
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
            "nao_mapeadas": [
                {
                    "grupo": n.grupo,
                    "codigo": n.codigo,
                    "motivo": n.motivo,
                    "linha": n.linha,
                    "valores": {k: f"{v:f}" for k, v in n.valores.items()},
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
            out.append(f"[{t.id}] {t.titulo}: {len(t.mudancas)} célula(s) a alterar")
            for m in t.mudancas:
                out.append(f"    {m.linha} — {m.coluna}: {formatar(m.atual)} → {formatar(m.novo)}")
        out.append("")
        out.append("Conciliação (fonte = importado + não mapeado + recusado):")
        for c in self.conciliacao:
            marca = "ok" if c.fecha else f"DIFERENÇA {formatar(c.diferenca)}"
            out.append(
                f"    {c.titulo}: {formatar(c.fonte)} = {formatar(c.importado)} + "
                f"{formatar(c.nao_mapeado)} + {formatar(c.recusado)}  [{marca}]"
            )
        if self.nao_mapeadas:
            out.append("")
            out.append(f"Linhas da fonte sem correspondência ({len(self.nao_mapeadas)}):")
            for n in self.nao_mapeadas[:limite_nao_mapeadas]:
                valores = ", ".join(f"{k} {formatar(v)}" for k, v in n.valores.items())
                out.append(f"    linha {n.linha}: {n.codigo} — {valores} ({n.motivo})")
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


@dataclass(slots=True)
class _Acumulador:
    celulas: dict[tuple[str, str, str], Decimal] = field(default_factory=dict)
    medida_da_celula: dict[tuple[str, str, str], str] = field(default_factory=dict)
    nao_mapeadas: dict[tuple[str, str, str], tuple[dict[str, Decimal], int]] = field(
        default_factory=dict
    )
    incertezas: dict[tuple[tuple[str, str], str, str], Decimal] = field(default_factory=dict)
    fonte: dict[str, Decimal] = field(default_factory=dict)
    nao_mapeado: dict[str, Decimal] = field(default_factory=dict)

    def somar_fonte(self, medida: str, v: Decimal) -> None:
        self.fonte[medida] = self.fonte.get(medida, ZERO) + v

    def mapear(self, chave: tuple[str, str, str], medida: str, v: Decimal) -> None:
        self.celulas[chave] = self.celulas.get(chave, ZERO) + v
        self.medida_da_celula[chave] = medida

    def perder(self, grupo: str, codigo: str, motivo: str, medida: str, v: Decimal, linha: int):
        valores, primeira = self.nao_mapeadas.get((grupo, codigo, motivo), ({}, linha))
        valores[medida] = valores.get(medida, ZERO) + v
        self.nao_mapeadas[(grupo, codigo, motivo)] = (valores, min(primeira, linha))
        self.nao_mapeado[medida] = self.nao_mapeado.get(medida, ZERO) + v


def previa(d: Declaracao, fonte: FonteContabil, mapa: Mapeamento | None = None) -> Previa:
    """Build the preview of importing ``fonte`` into ``d`` (nothing in ``d`` changes).

    Raises ``ErroContabil`` when the source is of another ente, exercício or a later month.
    """
    avisos: list[str] = []
    _conferir_periodo(d, fonte, avisos)
    mapa = mapa or carregar(d.catalogo)
    acc = _Acumulador()
    medidas = mapa.medidas

    for (nr, fr), valores in fonte.receitas.items():
        linha = fonte.linhas_receita.get((nr, fr), 0)
        for medida, v in valores.items():
            m = medidas.get(medida)
            if m is None or v == 0:
                continue
            acc.somar_fonte(medida, v)
            c = mapa.receita(nr, fr, m.familia)
            if c.destino is None:
                acc.perder("receita", _codigo_receita(nr, fr), c.motivo, medida, v, linha)
                continue
            acc.mapear((*c.destino, m.coluna), medida, v)
            if c.incerto:
                k = (c.destino, c.regra, c.incerto)
                acc.incertezas[k] = acc.incertezas.get(k, ZERO) + v

    for (fs, nd, fr, co), valores in fonte.despesas.items():
        cd = mapa.despesa(fs, nd, fr, co)
        if cd is None:
            continue  # not health spending (outside função 10): outside the reconciliation
        linha = fonte.linhas_despesa.get((fs, nd, fr, co), 0)
        for medida, v in valores.items():
            m = medidas.get(medida)
            if m is None or v == 0:
                continue
            acc.somar_fonte(medida, v)
            if cd.destino is None:
                acc.perder("despesa", _codigo_despesa(fs, nd, fr, co), cd.motivo, medida, v, linha)
            else:
                acc.mapear((*cd.destino, m.coluna), medida, v)

    tabelas, recusadas, importado, recusado = _celulas(d, fonte, mapa, acc)
    conciliacao = [
        Conciliacao(
            mid,
            m.titulo + (" (função 10)" if m.grupo == "despesa" else ""),
            acc.fonte.get(mid, ZERO),
            importado.get(mid, ZERO),
            acc.nao_mapeado.get(mid, ZERO),
            recusado.get(mid, ZERO),
        )
        for mid, m in medidas.items()
        if mid in fonte.medidas
    ]
    cat = d.catalogo
    incertezas = [
        Incerteza(
            f"{cat.tabela(t).titulo} — {titulo_linha(cat.tabela(t), lid, d.exercicio)}",
            regra,
            motivo,
            v,
        )
        for ((t, lid), regra, motivo), v in acc.incertezas.items()
    ]
    nao_mapeadas = sorted(
        (
            NaoMapeada(grupo, codigo, motivo, valores, linha)
            for (grupo, codigo, motivo), (valores, linha) in acc.nao_mapeadas.items()
        ),
        key=lambda n: (n.linha, n.codigo),
    )
    avisos = list(fonte.avisos) + avisos + _avisos_criterios(d, fonte, mapa)
    return Previa(
        fonte,
        f"{d.ente.descricao}, {d.bimestre}º bimestre de {d.exercicio}",
        tabelas,
        nao_mapeadas,
        conciliacao,
        incertezas,
        recusadas,
        avisos,
    )


def _avisos_criterios(d: Declaracao, fonte: FonteContabil, mapa: Mapeamento) -> list[str]:
    avisos = []
    grupos_presentes = {mapa.medidas[m].grupo for m in fonte.medidas if m in mapa.medidas}
    if "despesa" in grupos_presentes:
        regra = mapa.computada_regra
        avisos.append(
            f"Despesas computadas no mínimo: {regra.descricao}; as demais da função 10 vão para "
            "as não computadas."
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


def _celulas(
    d: Declaracao, fonte: FonteContabil, mapa: Mapeamento, acc: _Acumulador
) -> tuple[list[TabelaPrevia], list[str], dict[str, Decimal], dict[str, Decimal]]:
    """Every cell the import sets, its new value, and what changes; refusals counted apart."""
    cat = d.catalogo
    medidas = mapa.medidas
    alvo: list[tuple[tuple[str, str, str], str]] = []
    for destino in sorted(mapa.destinos_receita()):
        familia = mapa.familia_do_destino(destino)
        for m in medidas.values():
            if m.grupo == "receita" and m.familia == familia and m.id in fonte.medidas:
                alvo.append(((*destino, m.coluna), m.id))
    for destino in sorted(mapa.destinos_despesa()):
        for m in medidas.values():
            if m.grupo == "despesa" and m.id in fonte.medidas:
                alvo.append(((*destino, m.coluna), m.id))
    por_tabela = {tid: TabelaPrevia(tid, cat.tabela(tid).titulo) for tid in TABELAS}
    recusadas: list[str] = []
    importado: dict[str, Decimal] = {}
    recusado: dict[str, Decimal] = {}
    vistos = set()
    for chave, medida in alvo:
        novo = acc.celulas.get(chave, ZERO)
        if not cat.existe(chave):
            continue  # the row lacks this column: reported below if money was mapped to it
        vistos.add(chave)
        if not cat.editavel(chave, d.bimestre) or novo < 0:
            if novo != 0:
                motivo = (
                    "ficaria negativo (as deduções superam a receita)"
                    if novo < 0
                    else "não pode ser editado neste bimestre"
                )
                recusadas.append(
                    f"{cat.descricao_celula(chave)}: R$ {formatar(novo)} não importado — {motivo}."
                )
                recusado[medida] = recusado.get(medida, ZERO) + novo
            continue
        importado[medida] = importado.get(medida, ZERO) + novo
        t = por_tabela[chave[0]]
        t.celulas[chave] = novo
        atual = d.valor(chave)
        if atual != novo:
            tabela = cat.tabela(chave[0])
            t.mudancas.append(
                Mudanca(
                    chave,
                    atual,
                    novo,
                    titulo_linha(tabela, chave[1], d.exercicio),
                    tabela.coluna(chave[2]).titulo,
                )
            )
    for chave, v in acc.celulas.items():  # mapped to a cell the table does not have
        if chave not in vistos and v != 0:
            medida = acc.medida_da_celula[chave]
            recusadas.append(f"{'.'.join(chave)}: R$ {formatar(v)} sem célula correspondente.")
            recusado[medida] = recusado.get(medida, ZERO) + v
    ordem = {k: i for i, k in enumerate(cat.celulas)}
    for t in por_tabela.values():
        t.mudancas.sort(key=lambda m: ordem.get(m.chave, 0))
    return [t for t in por_tabela.values() if t.celulas], recusadas, importado, recusado
