"""Reading and writing the .OPS/.IMP file (ARCHITECTURE, "The .OPS file").

The file is UTF-8 XML in the namespace of its format version (``versoes``), validated by the
XSD of that version (``resources/ops.xsd``)::

    <declaracao xmlns="urn:siops-desktop:ops:1" versao="1">
      <ente codigo="M355030" esfera="municipal"/>
      <exercicio>2025</exercicio>
      <bimestre>1</bimestre>
      <layout>2025</layout>
      <programa>siops-desktop 0.1.0</programa>
      <campos><campo id="secretario_nome">Maria</campo>…</campos>
      <celulas><c t="receitas_base" l="iptu" k="realizada">1234.56</c>…</celulas>
      <resumo algoritmo="SHA-256">…</resumo>
    </declaracao>

Only typed, non-zero cells and non-empty text fields are stored; derived cells are always
recomputed. Reading is strict and goes, in order: hardened parse (``xml_seguro``), root and
version, XSD, content digest (``resumo``), upgrade to the current version, semantic checks
against the catalog (the ente exists, the layout is the exercício's, every cell is a typed cell
of that bimestre, every value parses with ``forms.dinheiro.parse_plano``). Every failure is an
``ArquivoInvalido`` naming the file and, when known, the line.

A file of the current version whose ledger is plainly valid and whose digest matches — every
file this program writes — is read in one pass over the ledger (``_ler_direto``), which raises
nothing itself: anything else is read step by step as above, for the message.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from operator import itemgetter
from pathlib import Path
from typing import Any, cast

from lxml import etree

from siops.forms.catalogo import Catalogo, catalogo
from siops.forms.declaracao import Declaracao, EdicaoInvalida
from siops.forms.dinheiro import CENTAVO, ValorInvalido, parse_plano, texto_plano
from siops.forms.formulas import Chave
from siops.forms.razao import (
    COLUNAS_DESPESA_RAZAO,
    PLANILHAS,
    SUBFUNCOES_RAZAO,
    ChaveComplementar,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    colunas_de,
    colunas_por_id,
    natureza_despesa,
)
from siops.ops_format import esquema, versoes, xml_seguro
from siops.ops_format import resumo as resumo_mod
from siops.ops_format.atomico import gravar_atomico
from siops.ops_format.erros import ArquivoInvalido, ErroGravacao
from siops.ops_format.resumo import Conteudo, resumo

#: The longest text a field may hold in the file (the XSD says the same).
LIMITE_TEXTO = 2000
_NOME_ESFERA = {"municipal": "municipal", "estadual": "estadual", "df": "do Distrito Federal"}


@cache
def _invalidos_xml() -> re.Pattern[str]:
    """Characters XML 1.0 cannot carry; they are dropped from text fields on save (compiled
    on the first save: reading never needs it)."""
    return re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


@cache
def programa() -> str:
    """``siops-desktop 0.1.0``: the program that wrote a file (informative; not digested)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"siops-desktop {version('siops-desktop')}"
    except PackageNotFoundError:  # pragma: no cover - running from a source tree
        return "siops-desktop"


# --- writing ----------------------------------------------------------------------------------


def conteudo_de(d: Declaracao) -> Conteudo:
    """The content of a declaration as the file will hold it."""
    campos = []
    invalidos = _invalidos_xml()
    for cid, texto in d.textos().items():
        limpo = invalidos.sub("", texto).strip()
        if len(limpo) > LIMITE_TEXTO:
            raise ErroGravacao(
                f"O campo '{d.catalogo.campos[cid].titulo}' tem {len(limpo)} caracteres; o "
                f"máximo é {LIMITE_TEXTO}. Encurte o texto e salve de novo."
            )
        if limpo:
            campos.append((cid, limpo))
    return Conteudo(
        ente=d.ente.codigo,
        esfera=d.ente.esfera,
        exercicio=str(d.exercicio),
        bimestre=str(d.bimestre),
        layout=d.catalogo.versao,
        campos=sorted(campos),
        celulas=[(t, lin, k, texto_plano(v)) for (t, lin, k), v in d.celulas_digitadas()],
        razao=[linha_razao(k, v, d.ids_siops.get(k)) for k, v in d.linhas_razao()],
        programa=programa(),
    )


def linha_razao(
    k: ChaveRazao, valores: dict[str, Decimal], ids: tuple[str, str] | None = None
) -> tuple[str, tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]:
    """One ledger line as the file holds it: tipo, key attributes, values (column order)."""
    chave: tuple[tuple[str, str], ...]
    if isinstance(k, ChaveDespesa):
        tipo, chave = "d", (("p", k.planilha), ("s", k.subfuncao), ("n", k.natureza))
    elif isinstance(k, ChaveReceita):
        tipo, chave = "r", (("n", k.natureza),) + ((("f", k.fonte),) if k.fonte else ())
    else:
        tipo = "x"
        chave = (("n", k.natureza), ("campo", k.campo), ("linha", k.linha), ("coluna", k.coluna))
    if ids is not None and tipo != "x":
        campo, ls = ids
        chave += tuple((n, v) for n, v in (("campo", campo), ("ls", ls)) if v)
    # texto_plano, inline (the whole ledger goes through here on every save)
    cols = tuple(
        [
            (c.id, f"{valores[c.id].quantize(CENTAVO, ROUND_HALF_UP):f}")
            for c in colunas_de(k)
            if c.id in valores
        ]
    )
    return tipo, chave, cols


def para_bytes(d: Declaracao) -> bytes:
    """The .OPS file of a declaration, in the current format version."""
    return etree.tostring(
        raiz_de(conteudo_de(d)), xml_declaration=True, encoding="UTF-8", pretty_print=True
    )


def raiz_de(c: Conteudo) -> etree._Element:
    """The root of the current format version holding ``c``, with its digest."""
    ns = versoes.namespace()
    q = f"{{{ns}}}"
    raiz = etree.Element(q + "declaracao", nsmap={None: ns}, versao=str(versoes.VERSAO_ATUAL))
    etree.SubElement(raiz, q + "ente", codigo=c.ente, esfera=c.esfera)
    etree.SubElement(raiz, q + "exercicio").text = c.exercicio
    etree.SubElement(raiz, q + "bimestre").text = c.bimestre
    etree.SubElement(raiz, q + "layout").text = c.layout
    etree.SubElement(raiz, q + "programa").text = c.programa
    campos = etree.SubElement(raiz, q + "campos")
    for cid, texto in c.campos:
        etree.SubElement(campos, q + "campo", id=cid).text = texto
    celulas = etree.SubElement(raiz, q + "celulas")
    for t, lin, k, v in c.celulas:
        etree.SubElement(celulas, q + "c", t=t, l=lin, k=k).text = v
    if c.razao:
        razao = etree.SubElement(raiz, q + "razao")
        for tipo, chave, valores in c.razao:
            etree.SubElement(razao, q + tipo, dict(chave + valores))
    etree.SubElement(raiz, q + "resumo", algoritmo="SHA-256").text = resumo(c, versoes.VERSAO_ATUAL)
    return raiz


def salvar(d: Declaracao, caminho: str | Path) -> Path:
    """Save atomically, keeping the previous version as ``<nome>.bak`` beside it.

    Marks the declaration as not modified. Raises ``ErroGravacao`` (Portuguese message) when
    the file cannot be written; the previous file is then left as it was.
    """
    destino = Path(caminho)
    gravar_atomico(para_bytes(d), destino, backup=True)
    d.modificada = False
    return destino


# --- reading ----------------------------------------------------------------------------------


def ler(caminho: str | Path) -> Declaracao:
    """Open a .OPS/.IMP file; raise ``ArquivoInvalido`` (see module docstring)."""
    p = Path(caminho)
    origem = p.name or str(p)
    return de_bytes(xml_seguro.ler_limitado(p, origem), origem)


def de_bytes(dados: bytes, origem: str = "") -> Declaracao:
    """The declaration in the bytes of a .OPS/.IMP file; ``origem`` names it in messages."""
    raiz = xml_seguro.analisar(dados, origem)
    versao = _versao(raiz, origem)
    esquema.validar(raiz, versao, origem)
    if versao == versoes.VERSAO_ATUAL:
        direto = _ler_direto(raiz, versao)
        if direto is not None:
            c, razao = direto
            return _declaracao(c, origem, razao)
    c = extrair(raiz)
    if resumo(c, versao) != c.resumo:
        raise ArquivoInvalido(
            "o conteúdo não confere com o resumo SHA-256 gravado: o arquivo foi alterado fora "
            "do programa ou está danificado.",
            origem,
            c.linhas.get(("resumo",)),
        )
    if versao < versoes.VERSAO_ATUAL:
        antigo = c
        raiz = versoes.atualizar(raiz, versao)
        esquema.validar(raiz, versoes.VERSAO_ATUAL, origem)
        c = extrair(raiz)
        from siops.ops_format.conversao import linhas_de_origem, relatorio

        # messages point at the lines of the file the user has, not of the converted one
        c.linhas = {**c.linhas, **linhas_de_origem(antigo)}
        d = _declaracao(c, origem)

        d.avisos_formato = relatorio(versao, antigo, d)
        return d
    return _declaracao(c, origem)


def _ler_direto(raiz: etree._Element, versao: int) -> tuple[Conteudo, _Razao] | None:
    """The common case, in one pass over the ledger's elements that never builds its text
    tuples (``Conteudo.razao``): a file of the current version whose ledger lines are all
    plainly valid (``_razao_direto``) and whose digest matches. The digest is the version's
    canonical form of the content without the ledger followed by the ledger's lines, each
    line built from its element's attributes as ``resumo`` builds it (all of them, sorted by
    name). ``None`` for anything else: ``de_bytes`` then reads the file step by step
    (``extrair``, the digest, ``_declaracao``), which says what is wrong and where."""
    filhos = _filhos(raiz)
    c = _sem_razao(filhos)
    canonicas: list[str] = []
    elemento = filhos.get("razao")
    try:
        razao = ({}, {}) if elemento is None else _razao_direto(elemento, c.bimestre, canonicas)
    except _Anomalia:
        return None
    h = hashlib.sha256(resumo_mod.CANONICOS[versao](c))  # ``c.razao`` is empty
    if canonicas:
        canonicas.sort()
        h.update(("\n".join(canonicas) + "\n").encode("utf-8"))
    if h.hexdigest() != c.resumo:
        return None
    return c, razao


def _razao_direto(elemento: etree._Element, bimestre: str, canonicas: list[str]) -> _Razao:
    """``_razao`` read straight from the ledger's elements, each one's canonical line
    (``resumo.canonico_v2``) appended to ``canonicas``; ``_Anomalia`` at the first line that
    is not plainly valid (see ``_linha``).

    What depends only on an element's attribute names in order — its canonical line as a
    template, whether it is a despesa as this program writes it (``p``, ``s``, ``n``, then
    columns of a despesa; no official ids) — is worked out once per such signature
    (``_Forma``); such a despesa is then read from its attribute values alone."""
    ns = etree.QName(elemento).namespace or ""
    q = f"{{{ns}}}" if ns else ""
    formas: dict[Any, tuple[str, dict[str, _Forma]]] = {q + t: (t, {}) for t in _CHAVE_RAZAO}
    linhas: dict[ChaveRazao, dict[str, Decimal]] = {}
    ids: dict[ChaveRazao, tuple[str, str]] = {}
    sexto = bimestre == "6"  # the XSD's pattern for the bimestre is [1-6]
    chaves, dec, centavo = _CHAVES_DESPESA, Decimal, CENTAVO
    centavos = _CENTAVOS_LINHA.fullmatch
    try:
        for e in elemento.iterchildren(etree.Element):
            tipo, cache = formas[e.tag]
            nomes = e.keys()
            textos = e.values()
            assinatura = "\0".join(nomes)
            forma = cache.get(assinatura)
            if forma is None:
                forma = cache[assinatura] = _forma(tipo, nomes)
            molde, ordem, colunas, seis = forma
            canonicas.append(molde % ordem(textos))
            if colunas is None:
                _linha(
                    tipo, *_partes(tipo, list(zip(nomes, textos, strict=True))), sexto, linhas, ids
                )
                continue
            trio = (textos[0], textos[1], textos[2])
            k = chaves.get(trio) or _chave_despesa(trio)
            brutos = textos[3:]
            if centavos("\t".join(brutos)):  # as this program writes them
                vals = dict(zip(colunas, map(dec, brutos), strict=True))
            else:
                vals = {
                    col: dec(b) if b[-3:-2] == "." else dec(b).quantize(centavo)
                    for col, b in zip(colunas, brutos, strict=True)
                }
                if vals and min(vals.values()) < 0:
                    raise _Anomalia
                if not all(vals.values()):  # a zero (never written by this program): not kept
                    vals = {col: v for col, v in vals.items() if v}
            antes = len(linhas)
            linhas[k] = vals
            if len(linhas) == antes:
                raise _Anomalia  # a line seen twice
            if seis and not sexto and any(vals.get(x) for x in seis):
                raise _Anomalia
    except (ArithmeticError, LookupError, ValueError):  # ChaveInvalida, InvalidOperation …
        raise _Anomalia from None
    return linhas, ids


#: Per attribute signature of a ledger element: its canonical line as a ``%`` template and
#: the attribute values in its order (a function of the list of values), and for a despesa
#: as this program writes it the columns of its values (the model's own id strings) and
#: which of them are of the 6º bimestre; ``None``, ``()`` for any other element.
_Forma = tuple[str, Callable[[list[str]], Any], tuple[str, ...] | None, tuple[str, ...]]


def _forma(tipo: str, nomes: list[str]) -> _Forma:
    ordem = sorted(range(len(nomes)), key=nomes.__getitem__)
    molde = tipo + "".join("\t" + nomes[i].replace("%", "%%") + "=%s" for i in ordem)
    em_ordem = itemgetter(*ordem) if len(ordem) > 1 else lambda t: tuple(t)
    despesa = {c.id: c for c in COLUNAS_DESPESA_RAZAO}
    if tipo != "d" or nomes[:3] != ["p", "s", "n"] or not all(n in despesa for n in nomes[3:]):
        return molde, em_ordem, None, ()
    colunas = tuple(despesa[n].id for n in nomes[3:])
    return molde, em_ordem, colunas, tuple(c for c in colunas if despesa[c].somente_6o)


def _versao(raiz: etree._Element, origem: str) -> int:
    """The format version named by the root's namespace (refusing foreign and newer files)."""
    qn = etree.QName(raiz)
    versao = versoes.versao_do_namespace(qn.namespace or "")
    if qn.localname != "declaracao" or versao is None:
        onde = f" no espaço de nomes '{qn.namespace}'" if qn.namespace else " sem espaço de nomes"
        raise ArquivoInvalido(
            f"o elemento raiz é '{qn.localname}'{onde}, e não a declaração do formato .OPS "
            f"('declaracao' em {versoes.namespace()}): não é um arquivo .OPS deste programa.",
            origem,
            raiz.sourceline,
        )
    if versao > versoes.VERSAO_ATUAL or versao not in versoes.ESQUEMAS:
        raise ArquivoInvalido(
            f"o arquivo foi gravado por uma versão mais nova do programa (formato {versao}; "
            f"esta versão lê até o formato {versoes.VERSAO_ATUAL}): atualize o programa para "
            "abri-lo.",
            origem,
            raiz.sourceline,
        )
    return versao


def extrair(raiz: etree._Element) -> Conteudo:
    """The content of a root already valid against its XSD (element order fixed by it)."""
    filhos = _filhos(raiz)
    c = _sem_razao(filhos)
    if "razao" in filhos:
        razao, fontes = c.razao, c.fontes_razao
        ns = etree.QName(filhos["razao"]).namespace
        q = f"{{{ns}}}" if ns else ""
        tipos = {q + t: t for t in _CHAVE_RAZAO}
        for e in filhos["razao"].iterchildren(etree.Element):
            tag = cast(str, e.tag)
            tipo = tipos.get(tag) or tag.rpartition("}")[2]
            razao.append((tipo, *_partes(tipo, e.items())))
            fontes.append(e.sourceline)
    return c


def _filhos(raiz: etree._Element) -> dict[str, etree._Element]:
    return {etree.QName(e).localname: e for e in raiz.iterchildren(etree.Element)}


def _sem_razao(filhos: dict[str, etree._Element]) -> Conteudo:
    """The content but the ledger (``extrair``)."""
    ente = filhos["ente"]
    c = Conteudo(
        ente=ente.get("codigo", ""),
        esfera=ente.get("esfera", ""),
        exercicio=(filhos["exercicio"].text or "").strip(),
        bimestre=(filhos["bimestre"].text or "").strip(),
        layout=(filhos["layout"].text or "").strip(),
        programa=(filhos["programa"].text or "") if "programa" in filhos else "",
        resumo=(filhos["resumo"].text or "").strip(),
    )
    linhas = c.linhas
    for nome in ("ente", "exercicio", "bimestre", "layout", "resumo"):
        linhas[(nome,)] = filhos[nome].sourceline
    for e in filhos["campos"].iterchildren(etree.Element):
        cid = e.get("id", "")  # required by the XSD: the default is never used
        c.campos.append((cid, e.text or ""))
        linhas[("campo", cid)] = e.sourceline
    for e in filhos["celulas"].iterchildren(etree.Element):
        t, lin, k = e.get("t", ""), e.get("l", ""), e.get("k", "")  # required by the XSD
        c.celulas.append((t, lin, k, e.text or ""))
        linhas[("c", t, lin, k)] = e.sourceline
    return c


#: Attribute pairs of a ledger element, as ``Conteudo.razao`` holds them.
_Pares = tuple[tuple[str, str], ...]


def _partes(tipo: str, itens: list[tuple[str, str]]) -> tuple[_Pares, _Pares]:
    """An element's attributes split into its key (sorted by name) and its values (in the
    file's order)."""
    nomes = _CHAVE_RAZAO[tipo]
    chave = tuple(sorted([par for par in itens if par[0] in nomes]))
    return chave, tuple([par for par in itens if par[0] not in nomes])


#: The attributes of each ledger element that make its key (the rest are column values).
_CHAVE_RAZAO = {
    "d": frozenset({"p", "s", "n", "campo", "ls"}),
    "r": frozenset({"n", "f", "campo", "ls"}),
    "x": frozenset({"n", "campo", "linha", "coluna"}),
}


def _declaracao(c: Conteudo, origem: str, razao: _Razao | None = None) -> Declaracao:
    """Semantic checks against the catalog, then the model (see module docstring); ``razao``
    is the ledger already read (``_ler_direto``), else read here from ``c.razao``."""
    from siops.forms.entes import EnteDesconhecido, ente

    def erro(motivo: str, *onde: str) -> ArquivoInvalido:
        return ArquivoInvalido(motivo, origem, c.linhas.get(onde))

    try:
        e = ente(c.ente)
    except EnteDesconhecido:
        raise erro(
            f"o código de ente '{c.ente}' não corresponde a nenhum município, estado ou ao "
            "Distrito Federal.",
            "ente",
        ) from None
    if e.codigo != c.ente:
        raise erro(
            f"o código de ente '{c.ente}' não é o código do ente: use {e.codigo} ({e.descricao}).",
            "ente",
        )
    if e.esfera != c.esfera:
        raise erro(
            f"{e.descricao} ({e.codigo}) é da esfera '{e.esfera}', mas o arquivo diz '{c.esfera}'.",
            "ente",
        )
    exercicio, bimestre = int(c.exercicio), int(c.bimestre)
    cat = catalogo(e.esfera, exercicio)
    nome_cat = f"catálogo {_NOME_ESFERA[e.esfera]} de {exercicio}"
    if c.layout != cat.versao:
        raise erro(
            f"o arquivo usa o layout '{c.layout}', mas o exercício {exercicio} usa o layout "
            f"'{cat.versao}'.",
            "layout",
        )
    try:
        d = Declaracao(e, exercicio, bimestre)
    except EdicaoInvalida as exc:
        texto = str(exc)
        raise erro(f"{texto[:1].lower()}{texto[1:]}", "exercicio") from None

    textos: dict[str, str] = {}
    for cid, texto in c.campos:
        if cid not in cat.campos:
            raise erro(f"o campo '{cid}' não existe no {nome_cat}.", "campo", cid)
        textos[cid] = texto

    valores: list[tuple[Chave, Decimal]] = []
    editaveis = cat.editaveis if bimestre == 6 else cat.editaveis - cat.somente_6o
    for t, lin, k, bruto in c.celulas:
        chave = (t, lin, k)
        if chave not in editaveis:
            raise erro(_motivo_celula(cat, chave, bimestre, nome_cat), "c", *chave)
        try:
            valores.append((chave, parse_plano(bruto)))
        except ValorInvalido as exc:
            raise erro(_na_celula(chave, exc), "c", *chave) from None
    linhas_razao, ids = _razao(c, d, erro) if razao is None else razao
    try:
        d.carregar(valores, textos, razao_verificado=linhas_razao)
    except EdicaoInvalida as geral:
        # The model's own checks (a negative value where none is allowed): find the cell again
        # cell by cell, only on this error path, to say which line.
        for chave, v in valores:
            try:
                d.validar_valor(chave, v)
            except EdicaoInvalida as exc:
                raise erro(_na_celula(chave, exc), "c", *chave) from None
        for kr, linha in linhas_razao.items():
            for col, v in linha.items():
                try:
                    d.validar_lancamento(kr, col, v)
                except EdicaoInvalida as exc:
                    onde = _onde_razao(c, kr)
                    na_coluna = (*onde, col) if (*onde, col) in c.linhas else onde
                    raise erro(_minuscula(str(exc)), *na_coluna) from None
        texto = str(geral)
        raise erro(f"{texto[:1].lower()}{texto[1:]}") from None
    d.ids_siops = ids
    return d


def _minuscula(texto: str) -> str:
    return f"{texto[:1].lower()}{texto[1:]}"


def _onde_razao(c: Conteudo, k: ChaveRazao) -> tuple[str, ...]:
    for i, (tipo, chave, _) in enumerate(c.razao):
        if _chave_do_arquivo(tipo, dict(chave)) == k:
            base = (tipo, *(v for _, v in chave))
            if i < len(c.fontes_razao):
                c.linhas.setdefault(base, c.fontes_razao[i])
            return base
    return ()


def _chave_do_arquivo(tipo: str, a: dict[str, str]) -> ChaveRazao:
    if tipo == "d":
        return ChaveDespesa.de(a["p"], a["s"], a["n"])
    if tipo == "r":
        return ChaveReceita.de(a["n"], a.get("f", ""))
    return ChaveComplementar(a["n"], a["campo"], a["linha"], a["coluna"])


#: The ledger as the model loads it (line → {coluna: valor}) and the official ids of its lines.
_Razao = tuple[dict[ChaveRazao, dict[str, Decimal]], dict[ChaveRazao, tuple[str, str]]]


class _Anomalia(Exception):
    """A ledger line that is not plainly valid (``_linha``): the file is read step by step."""


def _razao(c: Conteudo, d: Declaracao, erro) -> _Razao:
    """The ledger lines of the file, checked key by key and value by value (the whole of the
    model's ``validar_lancamento``: column, plain value, sign, 6º-bimestre columns), so the
    model loads them without checking again."""
    linhas: dict[ChaveRazao, dict[str, Decimal]] = {}
    ids: dict[ChaveRazao, tuple[str, str]] = {}
    sexto = d.bimestre == 6
    try:
        for tipo, chave, valores in c.razao:
            _linha(tipo, chave, valores, sexto, linhas, ids)
    except _Anomalia:
        return _razao_conferido(c, d, erro)
    return linhas, ids


def _linha(
    tipo: str,
    chave: _Pares,
    valores: _Pares,
    sexto: bool,
    linhas: dict[ChaveRazao, dict[str, Decimal]],
    ids: dict[ChaveRazao, tuple[str, str]],
) -> None:
    """One ledger line into ``linhas`` (and ``ids``) when it is plainly valid: a key
    ``ChaveDespesa.de``/``ChaveReceita.de`` accept, not seen before, values of its columns,
    none negative, none of a 6º-bimestre column outside the 6º — what ``_razao_conferido``
    checks value by value, in ``validar_lancamento``'s words; else ``_Anomalia``, without
    saying why.

    The content is valid against the current XSD, whose ``Valor`` pattern (``[+-]?``, up to
    15 digits, at most two decimals) is what ``forms.dinheiro.parse_plano`` accepts; such a
    text parses to ``Decimal(texto)`` quantized to centavos (already so with two decimals)."""
    try:
        a = dict(chave)
        k = _chave_do_arquivo(tipo, a)
        nomes, seis = _COLUNAS.get(type(k)) or _colunas(k)
        vals = {
            nomes[col]: Decimal(b) if b[-3:-2] == "." else Decimal(b).quantize(CENTAVO)
            for col, b in valores
        }
    except (ArithmeticError, LookupError, ValueError):  # ChaveInvalida, InvalidOperation …
        raise _Anomalia from None
    antes = len(linhas)
    linhas[k] = vals
    if len(linhas) == antes:
        raise _Anomalia  # a line seen twice
    if vals:
        menor = min(vals.values())
        if menor < 0 or (not sexto and any(vals.get(x) for x in seis)):
            raise _Anomalia
        if not menor:  # a zero (never written by this program): not kept
            linhas[k] = {col: v for col, v in vals.items() if v}
    if tipo != "x" and ("campo" in a or "ls" in a):
        ids[k] = (a.get("campo", ""), a.get("ls", ""))


#: The columns of each kind of line (``colunas_por_id``): id → the model's own id string,
#: and the 6º-bimestre ones.
_COLUNAS: dict[type, tuple[dict[str, str], tuple[str, ...]]] = {}


def _colunas(k: ChaveRazao) -> tuple[dict[str, str], tuple[str, ...]]:
    cols = colunas_por_id(k)
    info = {c: c for c in cols}, tuple(c for c, col in cols.items() if col.somente_6o)
    _COLUNAS[type(k)] = info
    return info


def _razao_conferido(c: Conteudo, d: Declaracao, erro) -> _Razao:
    """``_razao`` line by line and value by value, raising the ``ArquivoInvalido`` of the
    first line refused (the key, a line seen twice, the first value refused)."""
    linhas: dict[ChaveRazao, dict[str, Decimal]] = {}
    ids: dict[ChaveRazao, tuple[str, str]] = {}
    sexto = d.bimestre == 6
    centavos = _CENTAVOS.match

    def onde(i: int, *col: str) -> tuple[str, ...]:
        """The key of element ``i`` for messages, with its line in ``c.linhas``."""
        tipo, chave, _ = c.razao[i]
        base = (tipo, *(v for _, v in chave))
        if (*base, *col) in c.linhas:  # a version-1 cell's own line
            return (*base, *col)
        c.linhas.setdefault(base, c.fontes_razao[i] if i < len(c.fontes_razao) else None)
        return base

    for i, (tipo, chave, valores) in enumerate(c.razao):
        a = dict(chave)
        try:
            k = _chave_do_arquivo(tipo, a)
        except ChaveInvalida as exc:
            raise erro(f"no razão, {_minuscula(str(exc))}", *onde(i)) from None
        if k in linhas:
            raise erro(f"a linha do razão {k.descricao()} aparece duas vezes.", *onde(i))
        colunas = colunas_por_id(k)
        vals: dict[str, Decimal] = {}
        for col, bruto in valores:
            coluna = colunas.get(col)
            try:
                if coluna is None:
                    raise ChaveInvalida(f"Coluna '{col}' inexistente para {k.descricao()}.")
                v = Decimal(bruto) if centavos(bruto) else parse_plano(bruto)
                if v < 0 or (coluna.somente_6o and not sexto and v):
                    d.validar_lancamento(k, col, v)  # raises with the model's own words
            except (ChaveInvalida, ValorInvalido, EdicaoInvalida) as exc:
                raise erro(
                    f"no razão, {k.descricao()}: {_minuscula(str(exc))}", *onde(i, col)
                ) from None
            if v:
                vals[col] = v
        linhas[k] = vals
        if tipo != "x" and ("campo" in a or "ls" in a):
            ids[k] = (a.get("campo", ""), a.get("ls", ""))
    return linhas, ids


#: The codes ``ChaveDespesa.de`` accepts, each as the catalog spells it.
_PLANILHAS = {p.codigo: p.codigo for p in PLANILHAS}
_SUBFUNCOES = {s.id: s.id for s in SUBFUNCOES_RAZAO}
#: The despesa keys already read, by the texts of ``p``, ``s`` and ``n`` (``_chave_despesa``).
_CHAVES_DESPESA: dict[tuple[str, str, str], ChaveDespesa] = {}
_MAXIMO_CHAVES = 1 << 15


def _chave_despesa(trio: tuple[str, str, str]) -> ChaveDespesa:
    """The key ``ChaveDespesa.de`` makes of these texts (``KeyError`` or ``ChaveInvalida``
    when it refuses them), kept for the next files: equal keys are then one object, which
    spares building it and, in every dictionary keyed by lines (``Classificador.destino``'s
    cache among them), comparing it field by field. Ledgers of the same ente repeat their
    lines bimestre after bimestre, and those of different entes share most of them."""
    p, s, n = trio
    k = ChaveDespesa(_PLANILHAS[p], _SUBFUNCOES[s], natureza_despesa(n))
    if len(_CHAVES_DESPESA) >= _MAXIMO_CHAVES:
        _CHAVES_DESPESA.clear()
    _CHAVES_DESPESA[trio] = k
    return k


#: Plain centavos as our files write them (``forms.dinheiro.texto_plano``): the fast path.
_CENTAVOS = re.compile(r"-?\d{1,15}\.\d\d")
#: The values of a ledger line, tab-separated, as this program writes them: plain centavos,
#: none negative, none zero.
_CENTAVO_POSITIVO = r"(?!0+\.00(?:\t|\Z))[0-9]{1,15}\.[0-9][0-9]"
_CENTAVOS_LINHA = re.compile(f"{_CENTAVO_POSITIVO}(?:\t{_CENTAVO_POSITIVO})*")


def _na_celula(chave: Chave, exc: Exception) -> str:
    texto = str(exc)
    return f"na célula {'/'.join(chave)}, {texto[:1].lower()}{texto[1:]}"


def _motivo_celula(cat: Catalogo, chave: Chave, bimestre: int, nome_cat: str) -> str:
    t, lin, k = chave
    if t not in cat.tabelas:
        return f"a tabela '{t}' não existe no {nome_cat}."
    tab = cat.tabela(t)
    try:
        linha = tab.linha(lin)
    except KeyError:
        return f"a tabela '{t}' não tem a linha '{lin}' no {nome_cat}."
    if k not in {col.id for col in tab.colunas_da_linha(linha)}:
        return f"a linha '{lin}' da tabela '{t}' não tem a coluna '{k}' no {nome_cat}."
    if cat.derivada(chave):
        return (
            f"a célula {t}/{lin}/{k} ({cat.descricao_celula(chave)}) é calculada pelo programa "
            "e não pode vir preenchida no arquivo."
        )
    return (
        f"a célula {t}/{lin}/{k} ({cat.descricao_celula(chave)}) só é preenchida no 6º "
        f"bimestre, e o arquivo é do {bimestre}º."
    )
