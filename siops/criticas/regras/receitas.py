"""Receita rules specific to some rows: the states' deductions (2xx), the receitas totais against
the base (211–213), the FNS transfers (310/352) and the constitutional shares (320).

The deduction rows are found in the catalog, not listed: they are the parts of the rows that
the base's total subtracts (``total_base = impostos + transferências − deduções``). Each
deduction names the revenue row(s) whose constitutional share it is and the share
(``Linha.deduz``: 25% of the ICMS principal and the compensações, never of the FCP; 50% of the
IPVA; 25% of the IPI-Exportação — Estados row 28 of the model).
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal

from siops.criticas.achado import AVISO, IMPEDITIVA
from siops.criticas.motor import Entrada, Verificacao, definir, gerador
from siops.criticas.nomes import caminho_linha
from siops.criticas.regras.base import diferenca, reais, titulo_coluna
from siops.forms.catalogo import RECEITAS_BASE, TOTAL_BASE, Catalogo, Linha, SomaLinhas, Tabela
from siops.forms.dinheiro import quantizar
from siops.forms.formulas import Chave

_PARTILHA = (
    "CF art. 158, III e IV, e art. 159, § 3º: pertencem aos municípios 50% do IPVA, 25% do "
    "ICMS (principal e encargos, e as compensações das NR 1.7.1.9.62 e 1.7.1.9.63; o adicional "
    "do Fundo de Combate à Pobreza não é partilhado, ADCT art. 82, § 1º) e 25% do IPI-"
    "Exportação; LC 141/2012 art. 6º: a base do estado é líquida dessas parcelas (Anexo 12, "
    "Estados, linhas 27 a 30). Tolerância de R$ 1,00 para arredondamentos dos repasses."
)
R205 = definir(
    205,
    "Dedução maior que a parcela constitucional da receita",
    IMPEDITIVA,
    fundamento=_PARTILHA + " Dedução acima da parcela reduz a base do mínimo: impeditiva.",
)
R206 = definir(
    206,
    "Dedução maior que a própria receita",
    IMPEDITIVA,
    fundamento="LC 141/2012 art. 6º: a base do mínimo é a receita menos as transferências aos "
    "municípios; uma dedução maior que a receita deduzida reduz a base indevidamente.",
)
R209 = definir(
    209,
    "Previsão da dedução maior que a parcela constitucional da previsão da receita",
    AVISO,
    fundamento=_PARTILHA + " Nas colunas de previsão a dedução não entra no cálculo do mínimo "
    "(a base é a receita realizada): aviso.",
)
R210 = definir(
    210,
    "Dedução menor que a parcela constitucional da receita (ou não informada)",
    AVISO,
    fundamento=_PARTILHA + " Dedução abaixo da parcela (ou ausente com a receita partilhada "
    "realizada) aumenta a base: o mínimo fica maior, não menor; aviso em todos os bimestres.",
)
#: Rounding of the many transfers that make a deduction: below this, no finding.
TOLERANCIA_PARCELA = Decimal("1.00")

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


def deducoes(cat: Catalogo) -> list[tuple[Linha, tuple[Linha, ...], Decimal | None]]:
    """(deduction row, deducted revenue rows, constitutional share %) found in the catalog."""
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
    por_id = {x.id: x for x in t.linhas if x.id not in {f.id for f in folhas}}
    out: list[tuple[Linha, tuple[Linha, ...], Decimal | None]] = []
    for ded in folhas:
        base = ded.base_deducao
        if base is None or not all(r in por_id for r in base[0]):
            continue
        out.append((ded, tuple(por_id[r] for r in base[0]), base[1]))
    return out


def _folhas(t: Tabela, linha: Linha) -> list[Linha]:
    if isinstance(linha.regra, SomaLinhas):
        out: list[Linha] = []
        for _, ref in linha.regra.termos:
            out += _folhas(t, t.linha(ref))
        return out
    return [linha]


def _nome_base(cat: Catalogo, t: Tabela, receitas: tuple[Linha, ...]) -> str:
    return " + ".join(f'"{caminho_linha(cat, t.id, r.id)}"' for r in receitas)


@gerador
def deducao_e_receita(cat: Catalogo) -> Iterator[Verificacao]:
    """Each deduction against the constitutional share of its revenue: above it (205 in the
    realizada, 209 in the previsões), above the revenue itself (206), below it or missing
    (210, realizada)."""
    t = cat.tabelas.get(RECEITAS_BASE)
    if t is None:
        return
    for ded, receitas, parcela in deducoes(cat):
        for c in t.colunas_da_linha(ded):
            kd = (t.id, ded.id, c.id)
            krs = tuple((t.id, r.id, c.id) for r in receitas)
            if not (cat.existe(kd) and all(cat.existe(k) for k in krs)):
                continue
            le = (kd, *krs)
            realizada = c.id == "realizada"
            if realizada:
                yield Verificacao(R206, le, _checar_206(cat, t, kd, krs, receitas), *kd)
            if parcela is None:
                continue
            regra = R205 if realizada else R209
            yield Verificacao(
                regra, le, _checar_acima(cat, t, kd, krs, receitas, parcela, realizada), *kd
            )
            if realizada:
                yield Verificacao(R210, le, _checar_abaixo(cat, t, kd, krs, receitas, parcela), *kd)


def _soma(e: Entrada, ks: tuple[Chave, ...]) -> Decimal:
    return sum((e.d.valor(k) for k in ks), Decimal(0))


def _texto_parcela(parcela: Decimal) -> str:
    return f"{parcela.normalize():f}".replace(".", ",")


def _checar_206(cat: Catalogo, t: Tabela, kd: Chave, krs: tuple[Chave, ...], receitas):
    nome = _nome_base(cat, t, receitas)

    def checar(e: Entrada) -> str | None:
        d, r = e.d.valor(kd), _soma(e, krs)
        if d <= r:
            return None
        return (
            f'A dedução "{caminho_linha(cat, kd[0], kd[1])}" ({reais(d)}) é maior que a própria '
            f"receita deduzida, {nome} ({reais(r)}), na coluna "
            f'"{titulo_coluna(cat, kd)}": isso reduz indevidamente a base de cálculo do mínimo.'
        )

    return checar


def _nota_base(t: Tabela, receitas: tuple[Linha, ...]) -> str:
    if any(r.id == "icms_principal" for r in receitas) and any(
        x.id == "icms_fcp" for x in t.linhas
    ):
        return (
            " A parcela do ICMS é de 25% do principal e das compensações; o adicional do Fundo "
            "de Combate à Pobreza (FCP) não é repartido com os municípios."
        )
    return ""


def _checar_acima(
    cat: Catalogo,
    t: Tabela,
    kd: Chave,
    krs: tuple[Chave, ...],
    receitas,
    parcela: Decimal,
    realizada: bool,
):
    texto_parcela = _texto_parcela(parcela)
    nome = _nome_base(cat, t, receitas)
    nota = _nota_base(t, receitas)
    efeito = (
        "isso reduz a base de cálculo do mínimo. Corrija o valor repassado aos municípios."
        if realizada
        else "confira a previsão do valor a repassar aos municípios."
    )

    def checar(e: Entrada) -> str | None:
        d, r = e.d.valor(kd), _soma(e, krs)
        limite = quantizar(r * parcela / 100)
        if d <= limite + TOLERANCIA_PARCELA or (realizada and d > r):  # above r: 206 says it
            return None
        return (
            f'A dedução "{caminho_linha(cat, kd[0], kd[1])}" ({reais(d)}) é maior que '
            f"{texto_parcela}% de {nome} ({reais(limite)} de {reais(r)}) na coluna "
            f'"{titulo_coluna(cat, kd)}"; diferença de {diferenca(d, limite)}: {efeito}{nota}'
        )

    return checar


def _checar_abaixo(
    cat: Catalogo, t: Tabela, kd: Chave, krs: tuple[Chave, ...], receitas, parcela: Decimal
):
    texto_parcela = _texto_parcela(parcela)
    nome = _nome_base(cat, t, receitas)
    nota = _nota_base(t, receitas)

    def checar(e: Entrada) -> str | None:
        d, r = e.d.valor(kd), _soma(e, krs)
        limite = quantizar(r * parcela / 100)
        if d >= limite - TOLERANCIA_PARCELA:
            return None
        dedu = caminho_linha(cat, kd[0], kd[1])
        if d == 0:
            return (
                f'A dedução "{dedu}" não foi informada, mas {nome} teve receita realizada de '
                f"{reais(r)} até o bimestre: {texto_parcela}% dela ({reais(limite)}) pertence "
                "aos municípios e deve ser deduzida da base de cálculo do mínimo."
                f"{nota}"
            )
        return (
            f'A dedução "{dedu}" ({reais(d)}) é menor que {texto_parcela}% de {nome} '
            f"({reais(limite)} de {reais(r)}) na receita realizada; diferença de "
            f"{diferenca(limite, d)}. Sem a dedução completa a base de cálculo do mínimo fica "
            f"maior que a devida: confira o valor repassado aos municípios.{nota}"
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


# --- 211–213: the receitas totais reconciled with the base -----------------------------------

_TOTAIS = (
    "Anexo 12 e indicadores do SIOPS: a base do mínimo é parte da receita do ente; impostos, "
    "transferências e receita total da pasta Receitas (receitas totais) que não a contêm indicam "
    "receita da base declarada a mais ou receitas totais incompletas. Comparadas as receitas "
    "realizadas até o bimestre. Aviso nos bimestres 1 a 5; impeditiva no 6º, quando os valores "
    "são os do exercício."
)
R211 = definir(
    211,
    "Impostos da base do mínimo maiores que os impostos e taxas das receitas totais",
    AVISO,
    escala_no_6o=True,
    fundamento=_TOTAIS,
)
R212 = definir(
    212,
    "Transferências da base do mínimo maiores que as transferências correntes",
    AVISO,
    escala_no_6o=True,
    fundamento=_TOTAIS,
)
R213 = definir(
    213,
    "Receita total menor que a base do mínimo",
    AVISO,
    escala_no_6o=True,
    fundamento=_TOTAIS,
)
RECEITAS_TOTAIS = "receitas_totais"
#: (rows of the base — the DF splits them in two —, row of the receitas totais, rule).
CONCILIACAO = (
    (("impostos", "impostos_estaduais", "impostos_municipais"), "impostos_taxas", R211),
    (
        ("transferencias", "transferencias_estaduais", "transferencias_municipais"),
        "transferencias_correntes",
        R212,
    ),
    ((TOTAL_BASE,), "receita_total", R213),
)


@gerador
def receitas_totais(cat: Catalogo) -> Iterator[Verificacao]:
    """211/212: a part of the base above its line of the receitas totais; 213: the receita
    total below the base (the realizada column)."""
    tb, tt = cat.tabelas.get(RECEITAS_BASE), cat.tabelas.get(RECEITAS_TOTAIS)
    if tb is None or tt is None:
        return
    ids = {x.id for x in tb.linhas}
    for linhas, total, regra in CONCILIACAO:
        kbs = tuple((tb.id, x, "realizada") for x in linhas if x in ids)
        kt = (tt.id, total, "realizada")
        if kbs and cat.existe(kt):
            yield Verificacao(regra, (kt, *kbs), _checar_parte(cat, kt, kbs), *kt)


def _checar_parte(cat: Catalogo, kt: Chave, kbs: tuple[Chave, ...]):
    base = " + ".join(f'"{caminho_linha(cat, k[0], k[1])}"' for k in kbs)
    total = f'"{caminho_linha(cat, kt[0], kt[1])}"'

    def checar(e: Entrada) -> str | None:
        b, t = _soma(e, kbs), e.d.valor(kt)
        if b <= t:
            return None
        return (
            f"A receita realizada até o bimestre em {base}, na base do mínimo ({reais(b)}), é "
            f"maior que a declarada em {total}, nas receitas totais ({reais(t)}); diferença "
            f"de {diferenca(b, t)}. As receitas totais da pasta Receitas contêm a receita da "
            "base: confira as duas."
        )

    return checar


# --- 320: the constitutional shares against the STN/CONFAZ reference -------------------------

R320 = definir(
    320,
    "Transferência constitucional menor que a da referência (STN/CONFAZ)",
    AVISO,
    escala_no_6o=True,
    fundamento="CF arts. 157 a 159 e LC 141/2012 arts. 6º a 8º: as cotas-partes (FPM, ITR, "
    "ICMS, IPVA, IPI-Exportação; FPE para estados e DF) entram na base do mínimo pelo valor "
    "bruto transferido, publicado pelo Tesouro Nacional (STN) e pelos estados (CONFAZ). "
    "Declarada abaixo da referência, a base e o mínimo ficam menores: aviso nos bimestres 1 a 5, "
    "impeditiva no 6º (como as críticas 310 e 352 do FNS). Só com a referência carregada.",
    requer="referencia",
)
#: The shares each esfera receives (kind of the reference = id of the base row).
COTAS = {
    "municipal": ("fpm", "itr", "icms", "ipva", "ipi_exportacao"),
    "estadual": ("fpe", "ipi_exportacao"),
    "df": ("fpe", "ipi_exportacao", "fpm", "itr"),
}
#: Who transfers each share to a município (the others come from the União).
DO_ESTADO_AO_MUNICIPIO = frozenset({"icms", "ipva", "ipi_exportacao"})


@gerador
def cotas_constitucionais(cat: Catalogo) -> Iterator[Verificacao]:
    """320: each share of the base (realizada) not below the reference's value."""
    t = cat.tabelas.get(RECEITAS_BASE)
    if t is None:
        return
    for tipo in COTAS.get(cat.esfera, ()):
        k = (t.id, tipo, "realizada")
        if cat.existe(k):
            yield Verificacao(R320, (k,), _checar_cota(cat, k, tipo), *k)


def _checar_cota(cat: Catalogo, k: Chave, tipo: str):
    do_estado = cat.esfera == "municipal" and tipo in DO_ESTADO_AO_MUNICIPIO
    origem = "estado (dados publicados conforme o CONFAZ)" if do_estado else "Tesouro Nacional"

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
            f"menor que o valor transferido pelo {origem} até o {d.bimestre}º bimestre de "
            f"{d.exercicio}, segundo a referência ({reais(ref)}); diferença de "
            f"{diferenca(ref, declarado)}. Declare o valor bruto recebido (antes da retenção "
            "do FUNDEB): ele entra na base de cálculo do mínimo."
        )

    return checar
