"""Import of the previous bimestre (DOMAIN §4, "Import of the previous bimestre (.IMP)").

From a ``.IMP`` (the previous ``.OPS`` renamed) or directly from the previous ``.OPS``, only
what the catalog marks importable is copied: the text fields with ``CampoTexto.importavel``
(Dados Gerais, Responsáveis, Instituições, Fundo, Conselho) and the cells of the columns with
``Coluna.importavel`` and, in the ledger (``forms.razao``), the columns with
``ColunaRazao.importavel`` of every receita and despesa line (previsão inicial and atualizada of
the receitas, dotação inicial and atualizada of the despesas: the LOA figures do not change
during the year, DOMAIN §4); a ledger line the current declaration lacks is created. Realized
values are never copied: they are entered for the new period.

Decisions (not in DOMAIN, recorded here):

* Only what the previous file *has* is copied (non-empty texts, non-zero cells): an import
  never erases what the user already typed in the current declaration; it may overwrite it, and
  the preview counts those overwrites.
* From a previous *exercício* (the 6º bimestre of last year into the 1º of this one) only the
  text fields are copied: last year's previsão/dotação is not this year's budget.
* A cell with no place in the current catalog (another layout) is skipped and counted.

``importar_anterior`` only computes: it returns an ``Importacao`` with the preview (counts per
pasta, and every value that *changes*, old → new, so the clerk sees what will be overwritten
before accepting) and one ``Lote`` to apply as a single undo step.
"""

from __future__ import annotations

from dataclasses import dataclass

from siops.forms.declaracao import (
    Comando,
    Declaracao,
    DefinirCelula,
    DefinirLancamento,
    DefinirTexto,
    Lote,
)
from siops.forms.dinheiro import formatar
from siops.forms.razao import ChaveDespesa, colunas_de, descrever
from siops.ops_format.erros import ImportacaoRecusada

DESCRICAO = "Importar bimestre anterior"
#: The ledger's parts, counted apart in the preview (id, título).
PASTA_RAZAO_DESPESAS = ("razao_despesas", "Planilhas de despesa (razão)")
PASTA_RAZAO_RECEITAS = ("razao_receitas", "Receitas por natureza (razão)")


@dataclass(frozen=True, slots=True)
class ContagemPasta:
    """What the import copies into one pasta: text fields and values, and overwrites."""

    pasta: str
    titulo: str
    campos: int
    celulas: int
    substituidos: int


@dataclass(frozen=True, slots=True)
class Mudanca:
    """One item the import changes: where (pasta, a legible description) and old → new."""

    pasta: str  # pasta id
    descricao: str  # "Receitas — IPTU — Previsão inicial" or the text field's title
    antes: str  # as shown on screen ("0,00", "" for an empty text)
    depois: str

    def texto(self) -> str:
        """'Receitas — IPTU — Previsão inicial: 0,00 → 420.000,00' (empty text: '(vazio)')."""
        return f"{self.descricao}: {self.antes or '(vazio)'} → {self.depois}"


@dataclass(frozen=True, slots=True)
class Importacao:
    """The preview and the edit of an import (see module docstring)."""

    anterior: Declaracao
    atual: Declaracao
    pastas: tuple[ContagemPasta, ...]
    lote: Lote
    colunas: tuple[str, ...]  # titles of the importable columns copied
    ignoradas: int  # importable cells of the old file with no place in the current catalog
    so_textos: bool  # another exercício: values are not copied
    mudancas: tuple[Mudanca, ...] = ()  # what actually changes, in catalog order

    def mudancas_da_pasta(self, pasta: str) -> list[Mudanca]:
        return [m for m in self.mudancas if m.pasta == pasta]

    @property
    def total_campos(self) -> int:
        return sum(p.campos for p in self.pastas)

    @property
    def total_celulas(self) -> int:
        return sum(p.celulas for p in self.pastas)

    @property
    def substituidos(self) -> int:
        return sum(p.substituidos for p in self.pastas)

    def aplicar(self) -> Comando:
        """Apply to the current declaration as one undo step; return the inverse command."""
        return self.atual.aplicar(self.lote)

    def resumo(self) -> str:
        """The preview, in Portuguese, one line per pasta (shown before applying)."""
        a, b = self.anterior, self.atual
        linhas = [
            f"Importação para {b.ente.descricao}: do {a.bimestre}º bimestre de {a.exercicio} "
            f"para o {b.bimestre}º bimestre de {b.exercicio}."
        ]
        for p in self.pastas:
            partes = []
            if p.campos:
                partes.append(_plural(p.campos, "campo", "campos"))
            if p.celulas:
                partes.append(_plural(p.celulas, "valor", "valores"))
            linhas.append(f"  {p.titulo}: {' e '.join(partes)}")
        if not self.pastas:
            linhas.append("  Nada a importar: o arquivo anterior não tem dados importáveis.")
        total = (
            f"Total: {_plural(self.total_campos, 'campo', 'campos')} e "
            f"{_plural(self.total_celulas, 'valor', 'valores')}"
        )
        if self.colunas and self.total_celulas:
            total += f" ({', '.join(self.colunas)})"
        linhas.append(total + ".")
        if self.substituidos:
            linhas.append(
                f"{_plural(self.substituidos, 'item já preenchido será substituído', 'itens já preenchidos serão substituídos')}."
            )
        if self.so_textos:
            linhas.append(
                "O arquivo é de outro exercício: só os campos de texto são importados; a "
                "previsão e a dotação (iniciais e atualizadas) são as do orçamento deste "
                "exercício."
            )
        if self.ignoradas:
            linhas.append(
                f"{_plural(self.ignoradas, 'valor não tem', 'valores não têm')} lugar no "
                "formulário deste exercício e não será importado."
            )
        return "\n".join(linhas)


def _plural(n: int, um: str, varios: str) -> str:
    return f"{n} {um if n == 1 else varios}"


def importar_anterior(anterior: Declaracao, atual: Declaracao) -> Importacao:
    """Compute the import of ``anterior`` into ``atual`` (nothing is applied here).

    Raises ``ImportacaoRecusada`` for a declaration of another ente or of a period that is not
    before the current one.
    """
    if anterior.ente.codigo != atual.ente.codigo:
        raise ImportacaoRecusada(
            f"O arquivo a importar é de {anterior.ente.descricao} ({anterior.ente.codigo}), mas "
            f"a declaração atual é de {atual.ente.descricao} ({atual.ente.codigo}); importe um "
            "arquivo do mesmo ente."
        )
    if (anterior.exercicio, anterior.bimestre) >= (atual.exercicio, atual.bimestre):
        relacao = (
            "o mesmo período da"
            if (anterior.exercicio, anterior.bimestre) == (atual.exercicio, atual.bimestre)
            else "um período posterior ao da"
        )
        raise ImportacaoRecusada(
            f"O arquivo a importar é do {anterior.bimestre}º bimestre de {anterior.exercicio}, "
            f"{relacao} declaração atual ({atual.bimestre}º bimestre de {atual.exercicio}); "
            "importe o arquivo de um bimestre anterior."
        )
    cat = atual.catalogo
    so_textos = anterior.exercicio != atual.exercicio
    comandos: list[DefinirTexto | DefinirCelula | DefinirLancamento] = []
    mudancas: list[Mudanca] = []
    contagem: dict[str, list[int]] = {}  # pasta id -> [campos, células, substituídos]

    pasta_do_grupo = {g: p for p in cat.pastas for g in p.grupos}
    for campo in cat.campos.values():
        texto = anterior.texto(campo.id)
        if not campo.importavel or not texto or campo.grupo not in pasta_do_grupo:
            continue
        c = contagem.setdefault(pasta_do_grupo[campo.grupo].id, [0, 0, 0])
        c[0] += 1
        if atual.texto(campo.id) and atual.texto(campo.id) != texto:
            c[2] += 1
        comandos.append(DefinirTexto(campo.id, texto, DESCRICAO))
        if atual.texto(campo.id) != texto:
            mudancas.append(
                Mudanca(pasta_do_grupo[campo.grupo].id, campo.titulo, atual.texto(campo.id), texto)
            )

    ignoradas = 0
    colunas: dict[str, None] = {}
    cat_ant = anterior.catalogo
    for chave, valor in anterior.celulas_digitadas():
        t, _, k = chave
        if not cat_ant.tabela(t).coluna(k).importavel or so_textos:
            continue
        tab = cat.tabelas.get(t)
        coluna = next((col for col in tab.colunas if col.id == k), None) if tab else None
        if coluna is None or not coluna.importavel or not cat.editavel(chave, atual.bimestre):
            ignoradas += 1
            continue
        colunas[coluna.titulo.lower()] = None
        c = contagem.setdefault(cat.pasta_da_tabela(t).id, [0, 0, 0])
        c[1] += 1
        if atual.valor(chave) not in (0, valor):
            c[2] += 1
        comandos.append(DefinirCelula(chave, valor, DESCRICAO))
        if atual.valor(chave) != valor:
            mudancas.append(
                Mudanca(
                    cat.pasta_da_tabela(t).id,
                    cat.descricao_celula(chave),
                    formatar(atual.valor(chave)),
                    formatar(valor),
                )
            )

    if not so_textos:
        for kr, valores in anterior.linhas_razao():
            for col in colunas_de(kr):
                lancado = valores.get(col.id)
                if not col.importavel or not lancado:
                    continue
                antes = atual.lancamento(kr, col.id)
                pasta = (
                    PASTA_RAZAO_DESPESAS if isinstance(kr, ChaveDespesa) else PASTA_RAZAO_RECEITAS
                )
                colunas[col.titulo.lower()] = None
                c = contagem.setdefault(pasta[0], [0, 0, 0])
                c[1] += 1
                if antes not in (0, lancado):
                    c[2] += 1
                comandos.append(DefinirLancamento(kr, col.id, lancado, DESCRICAO))
                if antes != lancado:
                    mudancas.append(
                        Mudanca(
                            pasta[0],
                            f"{descrever(cat, kr)} — {col.titulo}",
                            formatar(antes),
                            formatar(lancado),
                        )
                    )

    titulos = {p.id: p.titulo for p in cat.pastas}
    titulos.update(dict((PASTA_RAZAO_DESPESAS, PASTA_RAZAO_RECEITAS)))
    ordem = [p.id for p in cat.pastas] + [PASTA_RAZAO_DESPESAS[0], PASTA_RAZAO_RECEITAS[0]]
    pastas = tuple(ContagemPasta(p, titulos[p], *contagem[p]) for p in ordem if p in contagem)
    return Importacao(
        anterior=anterior,
        atual=atual,
        pastas=pastas,
        lote=Lote(tuple(comandos), DESCRICAO),
        colunas=tuple(colunas),
        ignoradas=ignoradas,
        so_textos=so_textos,
        mudancas=tuple(mudancas),
    )
