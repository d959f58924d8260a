"""The accounting source in one shape, whatever the file: receita and despesa items with values.

An MSC (accounts × informações complementares) and a balancete (one row per natureza or per
despesa) both become a ``FonteContabil``: receita items keyed by ``(NR, FR)`` and despesa items
keyed by ``(FS, ND, FR, CO)``, each with the values of the measures the source informs
(``realizada``, ``empenhada`` …; the ids of ``resources/msc_mapeamento.json``). Codes are digits
only. The preview (``contabil.previa``) turns the items into ledger lines
(``contabil.lancamentos``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from siops.contabil.erros import ErroContabil
from siops.contabil.msc import MatrizLida
from siops.forms.declaracao import MESES
from siops.forms.mapeamento import Mapeamento, digitos

CENTAVO = Decimal("0.01")

ChaveReceita = tuple[str, str]  # (NR, FR)
ChaveDespesa = tuple[str, str, str, str]  # (FS, ND, FR, CO)


@dataclass(slots=True)
class FonteContabil:
    """A source read and normalized (see module docstring).

    ``medidas`` names the measures the source informs at all: an import replaces only those
    columns (an MSC without class-5 rows leaves the previsões and dotações alone). ``linhas``
    keeps the first source line of each item, for the preview. ``tem_co`` says whether any
    despesa carried a código de acompanhamento.
    """

    tipo: str  # "msc" | "balancete"
    descricao: str
    arquivos: tuple[Path, ...]
    ibge: str | None = None
    ano: int | None = None
    mes: int | None = None
    receitas: dict[ChaveReceita, dict[str, Decimal]] = field(default_factory=dict)
    despesas: dict[ChaveDespesa, dict[str, Decimal]] = field(default_factory=dict)
    linhas_receita: dict[ChaveReceita, int] = field(default_factory=dict)
    linhas_despesa: dict[ChaveDespesa, int] = field(default_factory=dict)
    medidas: set[str] = field(default_factory=set)
    avisos: list[str] = field(default_factory=list)
    tem_co: bool = False

    def somar_receita(self, chave: ChaveReceita, medida: str, valor: Decimal, linha: int) -> None:
        """Add a value to a receita item (and remember the first line it came from)."""
        item = self.receitas.setdefault(chave, {})
        item[medida] = item.get(medida, Decimal(0)) + valor
        if linha and (chave not in self.linhas_receita or linha < self.linhas_receita[chave]):
            self.linhas_receita[chave] = linha

    def somar_despesa(self, chave: ChaveDespesa, medida: str, valor: Decimal, linha: int) -> None:
        """Add a value to a despesa item."""
        item = self.despesas.setdefault(chave, {})
        item[medida] = item.get(medida, Decimal(0)) + valor
        if linha and (chave not in self.linhas_despesa or linha < self.linhas_despesa[chave]):
            self.linhas_despesa[chave] = linha

    def arredondar(self) -> None:
        """Quantize every value to centavos (an MSC's values have two places; sums keep them)."""
        for itens in (self.receitas, self.despesas):
            for valores in itens.values():
                for k, v in valores.items():
                    valores[k] = v.quantize(CENTAVO, rounding=ROUND_HALF_UP)


def nome_mes(mes: int) -> str:
    """4 → 'abril'."""
    return MESES[mes - 1].lower()


def fonte_de_msc(matrizes: Sequence[MatrizLida], mapa: Mapeamento) -> FonteContabil:
    """The source from one MSC or from all the months of the bimestre (the latest one counts).

    Values are cumulative (ending balances; see ``contabil.msc``): the latest month already
    holds the earlier ones, so the others are only checked, never added.
    """
    if not matrizes:
        raise ErroContabil("nenhum arquivo informado.")
    meses: dict[int, MatrizLida] = {}
    for m in matrizes:
        if m.mes in meses:
            raise ErroContabil(
                f"há duas MSCs do mesmo mês ({nome_mes(m.mes)} de {m.ano}): "
                f"{meses[m.mes].arquivo.name} e {m.arquivo.name}. Informe uma só.",
            )
        meses[m.mes] = m
    ultima = meses[max(meses)]
    for m in matrizes:
        if (m.ibge, m.ano) != (ultima.ibge, ultima.ano):
            raise ErroContabil(
                f"as MSCs são de entes ou exercícios diferentes ({m.arquivo.name}: {m.ibge}, "
                f"{m.ano}; {ultima.arquivo.name}: {ultima.ibge}, {ultima.ano}).",
            )
    fonte = FonteContabil(
        "msc",
        f"MSC de {nome_mes(ultima.mes)} de {ultima.ano} (IBGE {ultima.ibge})",
        tuple(m.arquivo for m in matrizes),
        ultima.ibge,
        ultima.ano,
        ultima.mes,
    )
    for m in matrizes:
        fonte.avisos.extend(m.avisos)
    if len(matrizes) > 1:
        fonte.avisos.append(
            f"Foram lidas {len(matrizes)} MSCs; os valores acumulados até o bimestre vêm da de "
            f"{nome_mes(ultima.mes)} (saldo final do mês), que já contém os meses anteriores."
        )
    fonte.tem_co = "CO" in ultima.tipos_ic
    for conta in ultima.contas_presentes:
        for medida, _ in mapa.papeis_da_conta(conta):
            fonte.medidas.add(medida)
    medidas = mapa.medidas
    for chave, saldo in ultima.saldos.items():
        conta, nr, fs, nd, fr, co = chave
        papeis = mapa.papeis_da_conta(conta.strip())
        if not papeis or saldo == 0:
            continue
        linha = ultima.linhas.get(chave, 0)
        for medida, sinal in papeis:
            valor = saldo if sinal > 0 else -saldo
            if medidas[medida].grupo == "receita":
                fonte.somar_receita((digitos(nr), digitos(fr)), medida, valor, linha)
            else:
                fonte.somar_despesa(
                    (digitos(fs), digitos(nd), digitos(fr), digitos(co)), medida, valor, linha
                )
    fonte.arredondar()
    return fonte
