"""Comparar versões: o que mudou entre duas declarações do mesmo ente (issue 26).

Line by line, old → new, and nothing else: the typed cells (what the file stores besides the
ledger), the ledger's lines and columns (``Declaracao.linhas_razao``) and the text fields,
grouped by pasta; then the effect of those changes on every numbered total of the Anexo 12 —
(I), (III), (XI), (XVI)… — and on the percentage applied in ASPS, each declaration in its own
apuração column. Derived cells are never listed as changes: they are the effect.

The typical pairs: the copy transmitted (``transm/``) against the working file, and this
bimestre against the previous one. Nothing here reads files (``app`` and the Transmissor do).
``Comparacao.justificativa`` is the summary the retransmission request offers as the start of
its justification (20 to 2000 characters, ``transmissor.documentos``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from siops.forms.catalogo import APURACAO, PERCENTUAL_APLICADO, Catalogo
from siops.forms.declaracao import Declaracao
from siops.forms.dinheiro import apresentar_percentual, formatar
from siops.forms.formulas import Chave
from siops.forms.razao import (
    ChaveComplementar,
    ChaveDespesa,
    ChaveRazao,
    ChaveReceita,
    colunas_de,
    planilha,
    subfuncao,
)
from siops.forms.razao import ordem as ordem_razao

AUSENTE = "—"


class ComparacaoInvalida(ValueError):
    """Two declarations that cannot be compared (mensagem em português)."""


@dataclass(frozen=True, slots=True)
class Mudanca:
    """One changed item, old → new.

    ``tipo``: "celula", "razao" or "texto"; ``efeito``: "alterada", "incluída" or
    "removida" (a ledger line, a cell or a text that exists on one side only).
    """

    grupo: str
    tipo: str
    onde: str
    coluna: str
    antigo: Decimal | str | None
    novo: Decimal | str | None
    efeito: str
    chave: tuple[str, ...]

    def _texto(self, v: Decimal | str | None) -> str:
        if v is None:
            return AUSENTE
        if isinstance(v, Decimal):
            return f"R$ {formatar(v)}"
        return f"“{v}”" if len(v) <= 80 else f"“{v[:77]}…”"

    @property
    def antigo_texto(self) -> str:
        return self._texto(self.antigo)

    @property
    def novo_texto(self) -> str:
        return self._texto(self.novo)

    @property
    def grupo_curto(self) -> str:
        """The group in few words (the retransmission's justification is short)."""
        if self.chave[:2] == ("razao", "despesa"):
            return f"Razão, planilha {self.chave[2]}"
        if self.chave[:2] == ("razao", "receita"):
            return "Razão, receitas"
        if self.chave[0] == "razao":
            return "Razão, complementares"
        return self.grupo

    @property
    def diferenca(self) -> Decimal | None:
        """new − old for money (absent counts as zero); None for texts."""
        if self.tipo == "texto":
            return None
        a = self.antigo if isinstance(self.antigo, Decimal) else Decimal(0)
        n = self.novo if isinstance(self.novo, Decimal) else Decimal(0)
        return n - a

    def linha(self) -> str:
        """'onde — coluna: antigo → novo' (one line of the text report)."""
        alvo = f"{self.onde} — {self.coluna}" if self.coluna else self.onde
        if self.efeito == "incluída" and self.tipo == "razao" and self.novo is None:
            return f"{alvo}: linha incluída, sem valores"
        if self.efeito == "removida" and self.tipo == "razao" and self.antigo is None:
            return f"{alvo}: linha sem valores removida"
        return f"{alvo}: {self.antigo_texto} → {self.novo_texto}"

    def para_dict(self) -> dict[str, Any]:
        def s(v: Decimal | str | None) -> str | None:
            return None if v is None else str(v)

        return {
            "grupo": self.grupo,
            "tipo": self.tipo,
            "onde": self.onde,
            "coluna": self.coluna,
            "antigo": s(self.antigo),
            "novo": s(self.novo),
            "efeito": self.efeito,
            "chave": list(self.chave),
        }


@dataclass(frozen=True, slots=True)
class Efeito:
    """The change of one numbered total of the Anexo 12 (old → new, in reais)."""

    tabela: str
    linha: str
    coluna: str
    rotulo: str  # "TOTAL (XI)"
    titulo_coluna: str
    antigo: Decimal
    novo: Decimal

    @property
    def diferenca(self) -> Decimal:
        return self.novo - self.antigo

    def linha_texto(self) -> str:
        d = self.diferenca
        sinal = "+" if d > 0 else "−"
        return (
            f"{self.rotulo} — {self.titulo_coluna}: R$ {formatar(self.antigo)} → "
            f"R$ {formatar(self.novo)} ({sinal}R$ {formatar(abs(d))})"
        )

    def para_dict(self) -> dict[str, Any]:
        return {
            "tabela": self.tabela,
            "linha": self.linha,
            "coluna": self.coluna,
            "rotulo": self.rotulo,
            "titulo_coluna": self.titulo_coluna,
            "antigo": str(self.antigo),
            "novo": str(self.novo),
            "diferenca": str(self.diferenca),
        }


@dataclass(frozen=True, slots=True)
class Lado:
    """Which declaration: its period, apuração and (optional) where it came from."""

    exercicio: int
    bimestre: int
    origem: str
    coluna: str
    percentual: Decimal
    percentual_minimo: Decimal
    diferenca: Decimal  # (XVIII) in reais, in ``coluna``
    base: Decimal

    def para_dict(self) -> dict[str, Any]:
        return {
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "origem": self.origem,
            "coluna": self.coluna,
            "percentual": str(self.percentual),
            "percentual_minimo": str(self.percentual_minimo),
            "diferenca": str(self.diferenca),
            "base": str(self.base),
        }


@dataclass(frozen=True, slots=True)
class Comparacao:
    """What changed from ``antigo`` to ``novo`` (see module docstring)."""

    ente: str
    ente_codigo: str
    antigo: Lado
    novo: Lado
    mudancas: tuple[Mudanca, ...]
    efeitos: tuple[Efeito, ...]
    avisos: tuple[str, ...] = field(default=())

    @property
    def iguais(self) -> bool:
        return not self.mudancas

    def grupos(self) -> list[tuple[str, list[Mudanca]]]:
        """The changes by group (pasta), in the order they were found."""
        out: dict[str, list[Mudanca]] = {}
        for m in self.mudancas:
            out.setdefault(m.grupo, []).append(m)
        return list(out.items())

    def linha_percentual(self) -> str:
        a, n = self.antigo, self.novo
        col = a.coluna if a.coluna == n.coluna else f"{a.coluna} → {n.coluna}"
        texto = (
            f"Percentual aplicado em ASPS ({col}): {apresentar_percentual(a.percentual)}% → "
            f"{apresentar_percentual(n.percentual)}% (mínimo "
            f"{apresentar_percentual(n.percentual_minimo)}%)"
        )
        if a.diferenca != n.diferenca:
            texto += (
                f"; diferença para o mínimo (XVIII): R$ {formatar(a.diferenca)} → "
                f"R$ {formatar(n.diferenca)}"
            )
        return texto + "."

    def cabecalho(self) -> str:
        a, n = self.antigo, self.novo
        return (
            f"{self.ente}: {a.bimestre}º bimestre de {a.exercicio}"
            + (f" ({a.origem})" if a.origem else "")
            + f" → {n.bimestre}º bimestre de {n.exercicio}"
            + (f" ({n.origem})" if n.origem else "")
        )

    def texto(self) -> str:
        """The comparison as plain text (``siops comparar`` without ``--json``)."""
        linhas = [self.cabecalho(), ""]
        linhas += [f"Atenção: {a}" for a in self.avisos]
        if self.iguais:
            linhas.append(
                "Nenhuma diferença nos dados: células digitadas, razão e campos de texto "
                "são iguais."
            )
            linhas.append(self.linha_percentual())
            return "\n".join(linhas)
        n = len(self.mudancas)
        linhas.append(f"{n} alteraç{'ões' if n > 1 else 'ão'}:")
        for grupo, ms in self.grupos():
            linhas.append(f"\n[{grupo}]")
            linhas += [f"  {m.linha()}" for m in ms]
        linhas.append("\nEfeito nos totais do Anexo 12:")
        if self.efeitos:
            linhas += [f"  {e.linha_texto()}" for e in self.efeitos]
        else:
            linhas.append("  nenhum total do Anexo 12 mudou.")
        linhas.append(f"  {self.linha_percentual()}")
        return "\n".join(linhas)

    def justificativa(self, limite: int = 1500) -> str:
        """The summary offered as the start of a retransmission's justification: the changes
        (as many as fit in ``limite`` characters, then how many were left out), the effect on
        the percentage and on the main totals."""
        cab = (
            f"Alterações em relação aos dados transmitidos ({self.antigo.bimestre}º bimestre de "
            f"{self.antigo.exercicio}):"
        )
        if self.iguais:
            return cab + " nenhuma diferença nos dados."
        fim = [self.linha_percentual()]
        principais = [
            e
            for e in self.efeitos
            if (e.tabela, e.linha) in _PRINCIPAIS and e.coluna in (self.novo.coluna, "realizada")
        ]
        if principais:
            efeito = "Efeito: " + "; ".join(e.linha_texto() for e in principais) + "."
            if len("\n".join([cab, efeito, *fim])) <= limite:
                fim.insert(0, efeito)
        itens = [f"- {m.grupo_curto}: {m.linha()}" for m in self.mudancas]
        corpo: list[str] = []
        for i, item in enumerate(itens):
            resto = len(itens) - i - 1
            rodape = f"- … e mais {resto} alteraç{'ões' if resto > 1 else 'ão'}." if resto else ""
            tamanho = len("\n".join([cab, *corpo, item, rodape, *fim]))
            if tamanho > limite and corpo:
                falta = len(itens) - i
                corpo.append(f"- … e mais {falta} alteraç{'ões' if falta > 1 else 'ão'}.")
                break
            corpo.append(item)
        texto = "\n".join([cab, *corpo, *fim])
        return texto if len(texto) <= limite else texto[: limite - 1] + "…"

    def para_dict(self) -> dict[str, Any]:
        return {
            "ente": self.ente,
            "ente_codigo": self.ente_codigo,
            "antigo": self.antigo.para_dict(),
            "novo": self.novo.para_dict(),
            "iguais": self.iguais,
            "mudancas": [m.para_dict() for m in self.mudancas],
            "grupos": [
                {"grupo": g, "mudancas": [m.para_dict() for m in ms]} for g, ms in self.grupos()
            ],
            "efeitos": [e.para_dict() for e in self.efeitos],
            "percentual": self.linha_percentual(),
            "avisos": list(self.avisos),
        }


#: The totals the justification mentions: the base, the ASPS total, the applied value.
_PRINCIPAIS = (
    ("receitas_base", "total_base"),
    ("despesas_asps", "total"),
    (APURACAO, "valor_aplicado"),
)


# --- the comparison ---------------------------------------------------------------------------


def _lado(d: Declaracao, origem: str) -> Lado:
    ind = d.indicadores(d.coluna_apuracao)
    return Lado(
        d.exercicio,
        d.bimestre,
        origem,
        d.coluna_apuracao,
        ind.percentual,
        ind.percentual_minimo,
        ind.diferenca,
        ind.base,
    )


def grupo_razao(k: ChaveRazao) -> str:
    """The group of a ledger line: receitas, one planilha of despesa, or the complementares."""
    if isinstance(k, ChaveDespesa):
        return f"Razão — despesas, planilha {k.planilha} ({planilha(k.planilha).titulo})"
    if isinstance(k, ChaveReceita):
        return "Razão — receitas"
    return "Razão — informações complementares"


def onde_razao(k: ChaveRazao) -> str:
    """A ledger line as it reads inside its group."""
    if isinstance(k, ChaveDespesa):
        return f"{subfuncao(k.subfuncao).titulo}, natureza {k.natureza_formatada}"
    if isinstance(k, ChaveReceita):
        return k.descricao()
    assert isinstance(k, ChaveComplementar)
    return k.descricao()


def _chave_razao(k: ChaveRazao) -> tuple[str, ...]:
    if isinstance(k, ChaveDespesa):
        return ("razao", "despesa", k.planilha, k.subfuncao, k.natureza)
    if isinstance(k, ChaveReceita):
        return ("razao", "receita", k.natureza, k.fonte)
    return ("razao", "complementar", k.natureza, k.campo, k.linha, k.coluna)


def _mudancas_razao(a: Declaracao, b: Declaracao) -> list[Mudanca]:
    ra, rb = a.razao(), b.razao()
    out: list[Mudanca] = []
    for k in sorted(set(ra) | set(rb), key=ordem_razao):
        va, vb = ra.get(k), rb.get(k)
        if va == vb:
            continue
        efeito = "incluída" if va is None else "removida" if vb is None else "alterada"
        grupo, onde, chave = grupo_razao(k), onde_razao(k), _chave_razao(k)
        colunas = [c for c in colunas_de(k) if (va or {}).get(c.id) != (vb or {}).get(c.id)]
        if not colunas and efeito != "alterada":  # a line without values added or removed
            out.append(Mudanca(grupo, "razao", onde, "", None, None, efeito, chave))
            continue
        for c in colunas:
            out.append(
                Mudanca(
                    grupo,
                    "razao",
                    onde,
                    c.titulo,
                    (va or {}).get(c.id),
                    (vb or {}).get(c.id),
                    efeito,
                    (*chave, c.id),
                )
            )
    return out


def _pasta_do_campo(cat: Catalogo, campo: str) -> str:
    grupo = cat.campos[campo].grupo
    for p in cat.pastas:
        if grupo in p.grupos:
            return p.titulo
    return "Campos de texto"


def _mudancas_texto(a: Declaracao, b: Declaracao) -> list[Mudanca]:
    ta, tb = a.textos(), b.textos()
    out = []
    cat = b.catalogo
    for campo in cat.campos:
        va, vb = ta.get(campo), tb.get(campo)
        if va == vb:
            continue
        efeito = "incluída" if va is None else "removida" if vb is None else "alterada"
        out.append(
            Mudanca(
                _pasta_do_campo(cat, campo),
                "texto",
                cat.campos[campo].titulo,
                "",
                va,
                vb,
                efeito,
                ("campo", campo),
            )
        )
    return out


def _mudancas_celulas(a: Declaracao, b: Declaracao) -> list[Mudanca]:
    ca, cb = dict(a.celulas_digitadas()), dict(b.celulas_digitadas())
    cat = b.catalogo
    ordem = {k: i for i, k in enumerate(cat.celulas)}
    out = []
    for k in sorted(set(ca) | set(cb), key=lambda k: ordem.get(k, len(ordem))):
        va, vb = ca.get(k), cb.get(k)
        if va == vb:
            continue
        efeito = "incluída" if va is None else "removida" if vb is None else "alterada"
        try:
            t = cat.tabela(k[0])
            grupo = cat.pasta_da_tabela(k[0]).titulo
            onde = f"{t.titulo} — {t.linha(k[1]).titulo_em(cat.exercicio)}"
            coluna = t.coluna(k[2]).titulo
        except KeyError:
            grupo, onde, coluna = "Outras células", ".".join(k[:2]), k[2]
        out.append(Mudanca(grupo, "celula", onde, coluna, va, vb, efeito, ("celula", *k)))
    return out


def _ordenar(cat: Catalogo, mudancas: list[Mudanca]) -> list[Mudanca]:
    """Texts' pastas, then the ledger, then the typed cells' pastas in catalog order."""
    ordem_pasta = {p.titulo: i for i, p in enumerate(cat.pastas)}

    def chave(item: tuple[int, Mudanca]) -> tuple[int, int, int]:
        i, m = item
        if m.tipo == "texto":
            return (0, ordem_pasta.get(m.grupo, 99), i)
        if m.tipo == "razao":
            return (1, 0, i)
        return (2, ordem_pasta.get(m.grupo, 99), i)

    return [m for _, m in sorted(enumerate(mudancas), key=chave)]


def _efeitos(a: Declaracao, b: Declaracao) -> list[Efeito]:
    cat = b.catalogo
    out = []
    for t in cat.tabelas_anexo12():
        for linha in t.linhas:
            numeral = cat.numerais.get((t.id, linha.id))
            if not numeral or (t.id, linha.id) == (APURACAO, PERCENTUAL_APLICADO):
                continue
            for c in t.colunas_da_linha(linha):
                k: Chave = (t.id, linha.id, c.id)
                if not a.catalogo.existe(k):
                    continue
                va, vb = a.valor(k), b.valor(k)
                if va != vb:
                    out.append(
                        Efeito(
                            t.id,
                            linha.id,
                            c.id,
                            f"{linha.titulo_em(cat.exercicio)} ({numeral})",
                            c.titulo,
                            va,
                            vb,
                        )
                    )
    return out


def comparar(
    antigo: Declaracao, novo: Declaracao, origem_antigo: str = "", origem_novo: str = ""
) -> Comparacao:
    """What changed from ``antigo`` to ``novo`` (same ente; see module docstring).

    Raises ``ComparacaoInvalida`` for declarations of different entes.
    """
    if antigo.ente.codigo != novo.ente.codigo:
        raise ComparacaoInvalida(
            f"As declarações são de entes diferentes ({antigo.ente.descricao} e "
            f"{novo.ente.descricao}): compare duas versões do mesmo ente."
        )
    avisos = []
    if antigo.exercicio != novo.exercicio:
        avisos.append(
            f"Exercícios diferentes ({antigo.exercicio} e {novo.exercicio}): os valores são de "
            "anos diferentes."
        )
    elif antigo.bimestre != novo.bimestre:
        avisos.append(
            f"Bimestres diferentes ({antigo.bimestre}º e {novo.bimestre}º): os valores são "
            "acumulados até cada bimestre."
        )
    if antigo.coluna_apuracao != novo.coluna_apuracao:
        avisos.append(
            f"A apuração do {antigo.bimestre}º bimestre segue a {antigo.coluna_apuracao} e a do "
            f"{novo.bimestre}º, a {novo.coluna_apuracao}."
        )
    mudancas = _mudancas_texto(antigo, novo) + _mudancas_razao(antigo, novo)
    mudancas += _mudancas_celulas(antigo, novo)
    return Comparacao(
        ente=novo.ente.descricao,
        ente_codigo=novo.ente.codigo,
        antigo=_lado(antigo, origem_antigo),
        novo=_lado(novo, origem_novo),
        mudancas=tuple(_ordenar(novo.catalogo, mudancas)),
        efeitos=tuple(_efeitos(antigo, novo)),
        avisos=tuple(avisos),
    )
