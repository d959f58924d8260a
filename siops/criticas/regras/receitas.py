"""Receita rules specific to some rows: the states' deductions (2xx) and the FNS transfers (3xx).

The deduction rows are found in the catalog, not listed: they are the parts of the rows that
the base's total subtracts (``total_base = impostos + transferências − deduções``). Each
deduction names the revenue it deducts and the constitutional share in the catalog
(``Linha.deduz``, e.g. ``("icms", 25)``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.motor import Entrada, Verificacao, definir, gerador
from siops.criticas.nomes import caminho_linha
from siops.criticas.regras.base import afeta_minimo, diferenca, reais, titulo_coluna
from siops.forms.catalogo import RECEITAS_BASE, TOTAL_BASE, Catalogo, Linha, SomaLinhas, Tabela
from siops.forms.dinheiro import quantizar
from siops.forms.formulas import Chave

R205 = definir(
    205,
    "Dedução maior que a parcela constitucional da receita",
    AVISO,
    fundamento="CF art. 158, III e IV, e art. 159, § 3º: pertencem aos municípios 50% do IPVA, "
    "25% do ICMS e 25% do IPI-Exportação; LC 141/2012 art. 6º (a base do estado é líquida "
    "dessas parcelas). A dedução acima da parcela reduz a base: confira.",
)
R206 = definir(
    206,
    "Dedução maior que a própria receita",
    IMPEDITIVA,
    fundamento="LC 141/2012 art. 6º: a base do mínimo é a receita menos as transferências aos "
    "municípios; uma dedução maior que a receita deduzida reduz a base indevidamente.",
)

R208 = definir(
    208,
    "Cota-Parte FPM realizada zerada",
    IMPEDITIVA,
    fundamento="CF art. 159, I, b, d, e: o FPM é repassado a todo município a cada decêndio; "
    "a cota-parte realizada zerada indica a base do mínimo incompleta (LC 141/2012 art. 7º).",
)
#: Revenue of the base that every ente of the esfera receives from the first bimestre on.
SEMPRE_REALIZADAS = {"municipal": (("fpm", R208),)}

_FNS = (
    "FAQ do SIOPS (avisos que viram críticas no 6º bimestre): o valor preenchido das "
    "Transferências Fundo a Fundo regulares e automáticas recebidas do Ministério da Saúde (FNS) "
    "está menor que o da Base de Dados do Fundo Nacional de Saúde. Linha comparada: escolha "
    "nossa (FNS_INCERTO no catálogo)."
)
R310 = definir(
    310,
    "Transferências fundo a fundo do FNS (custeio) menores que as do FNS",
    AVISO,
    escala_no_6o=True,
    fundamento=_FNS,
    requer="referencia",
)
R352 = definir(
    352,
    "Transferências fundo a fundo do FNS (investimento) menores que as do FNS",
    AVISO,
    escala_no_6o=True,
    fundamento=_FNS,
    requer="referencia",
)

#: The declared row compared with each kind of FNS reference (FNS_INCERTO in the catalog).
LINHAS_FNS = {
    "uniao_fns_custeio": ("custeio", R310),
    "uniao_fns_investimento": ("investimento", R352),
}
RECEITAS_ADICIONAIS = "receitas_adicionais"
_PARCELA = re.compile(r"\((\d+(?:,\d+)?)\s*%\)")


def deducoes(cat: Catalogo) -> list[tuple[Linha, Linha, Decimal | None]]:
    """(deduction row, deducted revenue row, constitutional share %) found in the catalog."""
    if RECEITAS_BASE not in cat.tabelas:
        return []
    t = cat.tabela(RECEITAS_BASE)
    try:
        total = t.linha(TOTAL_BASE)
    except KeyError:
        return []
    if not isinstance(total.regra, SomaLinhas):
        return []
    ids = {x.id for x in t.linhas}
    folhas: list[Linha] = []
    for sinal, ref in total.regra.termos:
        if sinal < 0 and ref in ids:
            folhas += _folhas(t, t.linha(ref))
    receitas = [x for x in t.linhas if x.id not in {f.id for f in folhas}]
    out: list[tuple[Linha, Linha, Decimal | None]] = []
    por_id = {x.id: x for x in receitas}
    for ded in folhas:
        if ded.deduz is None or ded.deduz[0] not in por_id:
            continue
        out.append((ded, por_id[ded.deduz[0]], ded.deduz[1]))
    return out


def _folhas(t: Tabela, linha: Linha) -> list[Linha]:
    if isinstance(linha.regra, SomaLinhas):
        out: list[Linha] = []
        for _, ref in linha.regra.termos:
            out += _folhas(t, t.linha(ref))
        return out
    return [linha]


@gerador
def deducao_e_receita(cat: Catalogo) -> Iterator[Verificacao]:
    """Each deduction ≤ its constitutional share of the revenue (205) and ≤ the revenue (206)."""
    t = cat.tabelas.get(RECEITAS_BASE)
    if t is None:
        return
    for ded, rec, parcela in deducoes(cat):
        for c in t.colunas_da_linha(ded):
            kd, kr = (t.id, ded.id, c.id), (t.id, rec.id, c.id)
            afeta = afeta_minimo(cat, kd)
            if afeta:
                yield Verificacao(R206, (kd, kr), _checar_206(cat, kd, kr), t.id, ded.id, c.id)
            if parcela is not None:
                yield Verificacao(
                    R205, (kd, kr), _checar_205(cat, kd, kr, parcela, afeta), t.id, ded.id, c.id
                )


def _checar_206(cat: Catalogo, kd: Chave, kr: Chave):
    def checar(e: Entrada) -> str | None:
        d, r = e.d.valor(kd), e.d.valor(kr)
        if d <= r:
            return None
        return (
            f'A dedução "{caminho_linha(cat, kd[0], kd[1])}" ({reais(d)}) é maior que a própria '
            f"receita deduzida, {caminho_linha(cat, kr[0], kr[1])} ({reais(r)}), na coluna "
            f'"{titulo_coluna(cat, kd)}": isso reduz indevidamente a base de cálculo do mínimo.'
        )

    return checar


def _checar_205(cat: Catalogo, kd: Chave, kr: Chave, parcela: Decimal, afeta: bool):
    texto_parcela = f"{parcela.normalize():f}".replace(".", ",")

    def checar(e: Entrada) -> str | None:
        d, r = e.d.valor(kd), e.d.valor(kr)
        limite = quantizar(r * parcela / 100)
        if d <= limite or (afeta and d > r):  # above the revenue itself: 206 says it
            return None
        return (
            f'A dedução "{caminho_linha(cat, kd[0], kd[1])}" ({reais(d)}) é maior que '
            f"{texto_parcela}% da receita deduzida ({reais(limite)} de {reais(r)}) na coluna "
            f'"{titulo_coluna(cat, kd)}"; diferença de {diferenca(d, limite)}. Confira o valor '
            "repassado aos municípios."
        )

    return checar


@gerador
def receita_sempre_realizada(cat: Catalogo) -> Iterator[Verificacao]:
    """208: a revenue of the base every ente of the esfera receives is zero (FPM)."""
    t = cat.tabelas.get(RECEITAS_BASE)
    if t is None:
        return
    for lid, regra in SEMPRE_REALIZADAS.get(cat.esfera, ()):
        k = (t.id, lid, "realizada")
        if not cat.existe(k):
            continue

        def checar(e: Entrada, k=k) -> str | None:
            if e.d.valor(k) != 0:
                return None
            return (
                f'A receita realizada em "{caminho_linha(cat, k[0], k[1])}" é de R$ 0,00 até o '
                f"{e.d.bimestre}º bimestre: todo município recebe essa transferência. Preencha "
                "o valor recebido: ele entra na base de cálculo do mínimo."
            )

        yield Verificacao(regra, (k,), checar, *k)


@gerador
def transferencias_fns(cat: Catalogo) -> Iterator[Verificacao]:
    """310/352: declared FNS transfers (realizada) not below the FNS database's values."""
    t = cat.tabelas.get(RECEITAS_ADICIONAIS)
    if t is None:
        return
    ids = {x.id for x in t.linhas}
    for lid, (tipo, regra) in LINHAS_FNS.items():
        if lid not in ids:
            continue
        k = (t.id, lid, "realizada")
        yield Verificacao(regra, (k,), _checar_fns(cat, k, tipo), t.id, lid, "realizada")


def _checar_fns(cat: Catalogo, k: Chave, tipo: str):
    def checar(e: Entrada) -> str | None:
        if e.referencia is None:
            return None
        d = e.d
        ref = e.referencia.valor(d.ente.codigo, d.exercicio, d.bimestre, tipo)
        if ref is None:
            return None
        declarado = d.valor(k)
        if declarado >= ref:
            return None
        return (
            f'A receita realizada em "{caminho_linha(cat, k[0], k[1])}" ({reais(declarado)}) é '
            "menor que o valor da base de dados do Fundo Nacional de Saúde até o "
            f"{d.bimestre}º bimestre de {d.exercicio} ({reais(ref)}); diferença de "
            f"{diferenca(ref, declarado)}. Confira a receita com os repasses do FNS."
        )

    return checar
