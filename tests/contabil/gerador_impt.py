"""A generator of SIOPS integration files (``.IMPT``) written from the e-cidade ERP's own code.

Independent of ``siops.contabil.impt`` on purpose: the tests feed the importer with what a
municipal ERP writes, not with what our exporter writes. Every rule below is copied from the
public e-cidade repository (``e-cidade/e-cidade``):

* ``model/contabilidade/arquivos/siops/2024/SiopsIMPT.model.php`` — the three line layouts
  (despesa ``cod_planilha;elemento;campo;V0…V6;#L;#C7;``, receita ``1;natureza;campo;V0…V7;
  #L;#C8;``, informações complementares ``96;natureza;campo;V0…V2;#L;#C;``), the texts after
  each value, ``number_format($v, 2, ',', '')``, ``utf8_encode`` and ``"\\r\\n"``;
* ``Siops.model.php`` — ``getElementoFormat`` (``x.x.xx.xx.xx.xx``), ``getNaturezaFormat``
  (``x.x.xx.xx.xx``), ``getNaturInfoComplementaresFormat`` (``x.x.x.x.xx.x.x``), one file per
  planilha code named ``NN_`` + ``nomearqdessiops`` (accents dropped by ``htmlentities`` +
  ``preg_replace``, spaces made ``_``), and ``agrupaReceitas``, which sums per natureza the
  columns computed per *source row* (see ``receitas_do_erp``);
* ``resources/legacy/contabilidade/con4_siops.RPC.php`` — ``Receita_Siops.IMPT``,
  ``Inf_Complementares.IMPT`` and the flat ``Siops.zip``;
* ``db/migrations/*oc10701*``, ``*oc15929*``, ``*oc22007*`` — the ``nomearqdessiops`` table.
"""

from __future__ import annotations

import unicodedata
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

ZERO = Decimal(0)

#: nomearqdessiops (migrations oc10701, oc15929, oc22007): planilha → file stem.
NOMES_PLANILHA = {
    "3": "Desp_Rec_Ordinarios",
    "4": "Desp_Rec_Impostos_Transf",
    "5": "Desp_Rec_Sus_Federal",
    "6": "Desp_Rec_Sus_Estadual",
    "7": "Desp_Rec_Convenios",
    "8": "Desp_Rec_Oper_Credito",
    "10": "Desp_Outros_Rec",
    "86": "Desp_Rec_Sus_Federal_Custeio",
    "87": "Desp_Rec_Sus_Federal_Custeio_Covid19",
    "88": "Desp_Rec_Sus_Federal_Invest",
    "89": "Desp_Rec_Sus_Federal_Invest_Covid19",
    "90": "Desp_Rec_Transf_União_lei 173-2020",
    "94": "Desp_Rec_Agentes",
    "95": "Desp_Rec_Enferm",
}
#: … and subfunção suffix → file name ending (94 and 95 write ``Aliment`` for 17).
NOMES_SUFIXO = {
    "11": "Administ",
    "12": "Aten_Basica",
    "13": "Assis_Hosp",
    "14": "Supor_Prof",
    "15": "Vigil_Sanit",
    "16": "Vigil_Epid",
    "17": "Alim_Nutr",
    "18": "Inf_Compl",
}


def nome_arquivo_despesa(contador: int, cod_planilha: str) -> str:
    """``gerarSiopsDespesa``: ``str_pad($i, 2, '0')`` + ``_`` + the table's name, accents
    dropped (``htmlentities`` then ``&([a-z])[a-z]+;`` → ``$1``), spaces → ``_``."""
    planilha, sufixo = cod_planilha.split("_")
    fim = "Aliment" if planilha in ("94", "95") and sufixo == "17" else NOMES_SUFIXO[sufixo]
    nome = f"{NOMES_PLANILHA[planilha]}_{fim}"
    sem_acento = "".join(
        c for c in unicodedata.normalize("NFD", nome) if not unicodedata.combining(c)
    )
    return f"{contador:02d}_{sem_acento.strip().replace(' ', '_')}"


def number_format(v: Decimal | int | str) -> str:
    """PHP ``number_format($v, 2, ',', '')``: half-up to 2 places, comma, no thousands."""
    q = Decimal(v).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    if q == 0:
        q = abs(q)
    return f"{q:.2f}".replace(".", ",")


def elemento_format(e: str) -> str:
    """``getElementoFormat``: 10 digits → ``x.x.xx.xx.xx.xx``."""
    return f"{e[0:1]}.{e[1:2]}.{e[2:4]}.{e[4:6]}.{e[6:8]}.{e[8:10]}"


def natureza_format(n: str) -> str:
    """``getNaturezaFormat``: 8 digits → ``x.x.xx.xx.xx``."""
    return f"{n[0:1]}.{n[1:2]}.{n[2:4]}.{n[4:6]}.{n[6:8]}"


def natureza_complementar_format(n: str) -> str:
    """``getNaturInfoComplementaresFormat``: 8 digits → ``x.x.x.x.xx.x.x``."""
    return f"{n[0:1]}.{n[1:2]}.{n[2:3]}.{n[3:4]}.{n[4:6]}.{n[6:7]}.{n[7:8]}"


@dataclass(frozen=True)
class Despesa:
    """One grouped row of ``aDespesasAgrupadasFinal`` (values as ``Decimal``)."""

    cod_planilha: str  # "4_12"
    elemento: str  # 10 digits
    campo: str = ""
    linha: str = ""  # "#L12"
    dot_inicial: Decimal = ZERO
    dot_atualizada: Decimal = ZERO
    empenhado: Decimal = ZERO
    liquidado: Decimal = ZERO
    pagamento: Decimal = ZERO
    inscritas_rpnp: Decimal = ZERO
    desp_orcada: Decimal = ZERO


@dataclass(frozen=True)
class Receita:
    """One grouped row of ``aReceitasAgrupadasFinal``."""

    natureza: str  # 8 digits
    campo: str = ""
    linha: str = ""
    prev_inicial: Decimal = ZERO
    prev_atualizada: Decimal = ZERO
    rec_realizada: Decimal = ZERO
    ded_receita: Decimal = ZERO
    rec_asps: Decimal = ZERO
    ded_fundeb: Decimal = ZERO
    total_receitas: Decimal = ZERO
    rec_orcada: Decimal = ZERO


@dataclass(frozen=True)
class Complementar:
    natureza: str
    campo: str
    linha: str
    coluna: str
    prev_inicial: Decimal = ZERO
    prev_atualizada: Decimal = ZERO
    rec_realizada: Decimal = ZERO


def receita_pela_formula(natureza: str, campo: str = "", linha: str = "", **v) -> Receita:
    """A receita whose (e) and (g) follow the SIOPS column titles: (c−d) and (c−d−f)."""
    r = Receita(natureza, campo, linha, **v)
    return Receita(
        natureza,
        campo,
        linha,
        r.prev_inicial,
        r.prev_atualizada,
        r.rec_realizada,
        r.ded_receita,
        r.rec_realizada - r.ded_receita,
        r.ded_fundeb,
        r.rec_realizada - r.ded_receita - r.ded_fundeb,
        r.rec_orcada,
    )


#: ``setReceitas``: the elerecsiops codes whose (e) the ERP fills (an excerpt).
BASE_ASPS = {"11120100", "11120200", "11120431", "11120434", "11120800", "17210102"}


def receitas_do_erp(linhas: Iterable[tuple[str, str, Decimal, Decimal, Decimal]]) -> list[Receita]:
    """``setReceitas`` + ``agrupaReceitas`` of e-cidade, row by row.

    Each source row is ``(o57_fonte, natureza_siops, saldo_arrecadado, saldo_inicial,
    saldo_prevadic_acum)``; ``o57_fonte`` starting ``41``/``42``/``47``/``48`` is receita,
    ``491``/``492``/… a dedução, ``495`` the FUNDEB. Per row the ERP computes ``rec_asps =
    abs(realizada − dedução)`` (only for the naturezas of ``BASE_ASPS``) and, only on the
    receita rows, ``total_receitas = realizada − (dedução + fundeb)``; then it *sums* those per
    natureza. So a natureza with a dedução gets (e) = c + d and (g) = c: the real files do not
    hold (e) = c − d nor (g) = c − d − f.
    """
    agrup: dict[str, dict[str, Decimal]] = {}
    for fonte, natureza, arrecadado, inicial, prevadic in linhas:
        rec = abs(arrecadado) if fonte[:2] in ("41", "42", "47", "48") else ZERO
        ded = abs(arrecadado) if fonte[:3] in ("491", "492", "493", "496", "498", "499") else ZERO
        fundeb = abs(arrecadado) if fonte[:3] == "495" else ZERO
        asps = abs(rec - ded) if natureza in BASE_ASPS else ZERO
        linha = {"rec": rec, "ded": ded, "asps": asps, "fundeb": fundeb}
        if fonte[1:3] not in ("91", "92", "93", "95", "96", "98", "99"):
            linha["ini"] = inicial
            linha["atu"] = inicial + prevadic
            linha["total"] = rec - (ded + fundeb)
        soma = agrup.setdefault(natureza, {})
        for k, v in linha.items():
            soma[k] = soma.get(k, ZERO) + v
    return [
        Receita(
            n,
            prev_inicial=s.get("ini", ZERO),
            prev_atualizada=s.get("atu", ZERO),
            rec_realizada=s["rec"],
            ded_receita=s["ded"],
            rec_asps=s["asps"],
            ded_fundeb=s["fundeb"],
            total_receitas=s.get("total", ZERO),
        )
        for n, s in agrup.items()
    ]


def linha_despesa(v: Despesa) -> str:
    """``gerarArquivoIMPT($aDados, 1)``."""
    d = ";"
    s = v.cod_planilha + d
    s += elemento_format(v.elemento) + d
    s += v.campo + d
    s += "V0:[>R$" + number_format(v.dot_inicial) + "<]:-[13](Dotação Inicial)" + d
    s += "V1:[>R$" + number_format(v.dot_atualizada) + "<]:-[12](Dotação Atualizada)" + d
    s += "V2:[>R$" + number_format(v.empenhado) + "<]:-[9](Despesas Empenhadas)" + d
    s += "V3:[>R$" + number_format(v.liquidado) + "<]:-[10](Despesas Liquidadas)" + d
    s += "V4:[>R$" + number_format(v.pagamento) + "<]:-[11](Despesas Pagas)" + d
    s += (
        "V5:[>R$"
        + number_format(v.inscritas_rpnp)
        + "<]:-[14](Inscritas em Restos a Pagar Não Processados)"
        + d
    )
    s += "V6:[>R$" + number_format(v.desp_orcada) + "<]:-[8](Despesas Orçadas)" + d
    s += v.linha + d
    s += "#C7" + d
    return s


def linha_receita(v: Receita) -> str:
    """``gerarArquivoIMPT($aDados, 2)`` (V6's title really lacks its closing parenthesis)."""
    d = ";"
    s = "1" + d
    s += natureza_format(v.natureza) + d
    s += v.campo + d
    s += (
        "V0:[>R$"
        + number_format(v.prev_inicial)
        + "<]:-[17](Previsão Inicial das Receitas Brutas (a))"
        + d
    )
    s += (
        "V1:[>R$"
        + number_format(v.prev_atualizada)
        + "<]:-[15](Previsão Atualizada das Receitas Brutas (b))"
        + d
    )
    s += "V2:[>R$" + number_format(v.rec_realizada) + "<]:-[18](Receitas Realizadas Brutas (c))" + d
    s += "V3:[>R$" + number_format(v.ded_receita) + "<]:-[6](Deduções das Receitas (d))" + d
    s += (
        "V4:[>R$"
        + number_format(v.rec_asps)
        + "<]:-[20](Receitas Realizadas da base para cálculo do percentual de aplicacao em "
        "ASPS (e) = (c-d))" + d
    )
    s += (
        "V5:[>R$" + number_format(v.ded_fundeb) + "<]:-[5](Dedução Para Formação do FUNDEB (f))" + d
    )
    s += (
        "V6:[>R$"
        + number_format(v.total_receitas)
        + "<]:-[24](Total Geral das Receitas Liquidas Realizadas (g) = (c-d-f)"
        + d
    )
    s += "V7:[>R$" + number_format(v.rec_orcada) + "<]:-[22](Receitas Orçadas)" + d
    s += v.linha + d
    s += "#C8" + d
    return s


def linha_complementar(v: Complementar) -> str:
    """``gerarArquivoIMPT($aDados, 3)``."""
    d = ";"
    s = "96" + d
    s += natureza_complementar_format(v.natureza) + d
    s += v.campo + d
    s += (
        "V0:[>R$"
        + number_format(v.prev_inicial)
        + "<]:-[17](Previsão Inicial das Receitas Brutas (a))"
        + d
    )
    s += (
        "V1:[>R$"
        + number_format(v.prev_atualizada)
        + "<]:-[15](Previsão Atualizada das Receitas Brutas (b))"
        + d
    )
    s += "V2:[>R$" + number_format(v.rec_realizada) + "<]:-[18](Receitas Realizadas Brutas (c))" + d
    s += v.linha + d
    s += v.coluna + d
    return s


def conteudo(linhas: Iterable[str]) -> bytes:
    """``fputs(utf8_encode($sLinha)); fputs("\\r\\n")`` for each line."""
    return b"".join(s.encode("utf-8") + b"\r\n" for s in linhas)


def arquivos_siops(
    despesas: Sequence[Despesa] = (),
    receitas: Sequence[Receita] | None = None,
    complementares: Sequence[Complementar] | None = None,
) -> dict[str, bytes]:
    """The files of ``con4_siops.RPC.php``: one per planilha code, in order of appearance,
    then ``Receita_Siops.IMPT`` and ``Inf_Complementares.IMPT`` (when asked for)."""
    por_planilha: dict[str, list[Despesa]] = {}
    for v in despesas:
        por_planilha.setdefault(v.cod_planilha, []).append(v)
    out: dict[str, bytes] = {}
    for i, (cod, linhas) in enumerate(por_planilha.items(), start=1):
        out[nome_arquivo_despesa(i, cod) + ".IMPT"] = conteudo(map(linha_despesa, linhas))
    if receitas is not None:
        out["Receita_Siops.IMPT"] = conteudo(map(linha_receita, receitas))
    if complementares is not None:
        out["Inf_Complementares.IMPT"] = conteudo(map(linha_complementar, complementares))
    return out


def zip_siops(destino: Path, arquivos: dict[str, bytes]) -> Path:
    """``bin/zip -q Siops.zip a.IMPT b.IMPT …``: a flat zip."""
    with zipfile.ZipFile(destino, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, dados in arquivos.items():
            z.writestr(nome, dados)
    return destino


def pasta_siops(destino: Path, arquivos: dict[str, bytes]) -> Path:
    destino.mkdir(parents=True, exist_ok=True)
    for nome, dados in arquivos.items():
        (destino / nome).write_bytes(dados)
    return destino
