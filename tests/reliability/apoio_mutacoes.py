"""Mutations of valid .OPS and CSV interchange files, as hypothesis strategies (issue 11, item 1).

A mutation is a small value — ``(tipo, parametros)`` — drawn by hypothesis and applied by a pure
function of the bytes, so a failing case shrinks and replays exactly. Element-level mutations
(duplicate, remove, move, change a number, an attribute, a header, a text) parse the bytes and
serialize them again; if an earlier mutation already broke the XML they leave the bytes as they
are. ``redigerir`` recomputes the content digest of a mutated file that still parses and fits
the XSD, so that the mutation reaches the semantic checks of ``ops_format`` (and the críticas)
instead of stopping at "o conteúdo não confere com o resumo".

Indices are drawn as large integers and taken modulo the number of candidates, so the same
strategies serve files of any size.

This module imports nothing from Qt and nothing from the other test folders; the test modules
of ``tests/reliability`` import it (``conftest`` puts this folder on ``sys.path``).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from hypothesis import strategies as st
from lxml import etree

NS_OPS = "urn:siops-desktop:ops:1"
Q = f"{{{NS_OPS}}}"

#: Numbers that stress the money parser: huge, tiny, signed, exotic notations and digits.
NUMEROS_ESPECIAIS = [
    "0",
    "-0",
    "+0.00",
    "0.01",
    "-0.01",
    "0.001",
    "0.000000001",
    "1e2",
    "1E-400",
    "1e999999999",
    "9" * 15 + ".99",
    "9" * 16,
    "9" * 400,
    "-" + "9" * 15,
    "1" + "0" * 30,
    "NaN",
    "-Infinity",
    "Infinity",
    "sNaN",
    "1_000",
    "0x10",
    "1.2.3",
    ".5",
    "5.",
    "00000000000000000001.00",
    "1,5",
    "1.234,56",
    "R$ 10,00",
    "١٢٣",
    "１２３",
    "12\u00a034",
    " 12.34 ",
    "",
    "--1",
    "+-1",
]

#: Odd texts for ids, codes and attributes (no English words: messages echo them).
TEXTOS_ESTRANHOS = [
    "",
    " ",
    "../../../etc/passwd",
    "..\\..\\windows",
    "receitas_base",
    "iptu",
    "realizada",
    "RECEITAS_BASE",
    "a" * 65,
    "a" * 5000,
    "çãõ",
    "\u202e",
    "0",
    "-1",
    "M355030",
    "M530010",
    "E53",
    "E99",
    "M000000",
    "M9999999",
    "df",
    "municipal",
    "estadual",
    "2025",
    "2024",
    "1999",
    "7",
    "0",
    "6",
    "99999999999999999999",
    "%s%n",
    "{0}",
    "\t",
]

#: Fragments inserted at a random byte position of a .OPS file.
FRAGMENTOS_XML = [
    b"<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>",
    b"&x;",
    b"&#0;",
    b"&#xD800;",
    b"&amp;",
    b"<![CDATA[1]]>",
    b"<?pi dado?>",
    b"<!-- comentario -->",
    b"\x00",
    b"\xff\xfe",
    b"\xef\xbb\xbf",
    b"\xc3\x28",
    b"<c t='receitas_base' l='iptu' k='realizada'>1.00</c>",
    b"</celulas>",
    b"<celulas>",
    b"<declaracao xmlns='urn:siops-desktop:ops:1'>",
    b"<x:y xmlns:x='urn:outro'/>",
    b"<" * 40,
    b"<a>" * 300,
    b" xmlns='urn:outro' ",
    b"\r\n\r\n",
]

CODIFICACOES = [
    "latin-1",
    "cp1252",
    "utf-16",
    "utf-16-le",
    "utf-32",
    "utf-8-sig",
    "declarar-latin1",
    "declarar-ascii",
    "declarar-utf16",
    "sem-declaracao",
    "nfd",
]


@dataclass(frozen=True)
class Mutacao:
    """One mutation: its kind (for the counts per kind) and parameters."""

    tipo: str
    params: tuple

    def __str__(self) -> str:
        curtos = [
            p if not isinstance(p, str | bytes) or len(p) < 40 else f"<{len(p)}>"
            for p in self.params
        ]
        return f"{self.tipo}{tuple(curtos)}"


# --- strategies -------------------------------------------------------------------------------

_idx = st.integers(min_value=0, max_value=10**6)


def _numero() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(NUMEROS_ESPECIAIS),
        st.decimals(allow_nan=True, allow_infinity=True, places=None).map(str),
        st.integers(min_value=-(10**40), max_value=10**40).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.builds(
            lambda i, f: f"{i}.{f}",
            st.integers(min_value=-(10**16), max_value=10**16),
            st.integers(min_value=0, max_value=10**6),
        ),
    )


def _texto() -> st.SearchStrategy[str]:
    return st.one_of(
        st.sampled_from(TEXTOS_ESTRANHOS),
        st.text(max_size=30),
        st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789_", min_size=1, max_size=70),
    )


def mutacoes_ops() -> st.SearchStrategy[Mutacao]:
    """A single mutation of a .OPS file."""
    M = Mutacao
    return st.one_of(
        st.builds(
            lambda xs: M("inverter_bytes", tuple(xs)),
            st.lists(st.tuples(_idx, st.integers(1, 255)), min_size=1, max_size=8),
        ),
        st.builds(lambda i: M("truncar", (i,)), _idx),
        st.builds(lambda i: M("duplicar_elemento", (i,)), _idx),
        st.builds(lambda i: M("remover_elemento", (i,)), _idx),
        st.builds(lambda i, j: M("mover_elemento", (i, j)), _idx, _idx),
        st.builds(lambda i, v: M("numero", (i, v)), _idx, _numero()),
        st.builds(
            lambda i, a, v: M("atributo", (i, a, v)),
            _idx,
            st.sampled_from(["t", "l", "k", "id", "codigo", "esfera", "versao", "algoritmo"]),
            _texto(),
        ),
        st.builds(
            lambda n, v: M("cabecalho", (n, v)),
            st.sampled_from(["exercicio", "bimestre", "layout", "programa", "resumo"]),
            _texto(),
        ),
        st.builds(lambda c: M("codificacao", (c,)), st.sampled_from(CODIFICACOES)),
        st.builds(lambda i, f: M("inserir", (i, f)), _idx, st.sampled_from(FRAGMENTOS_XML)),
        st.builds(
            lambda i, n, c: M("texto_enorme", (i, n, c)),
            _idx,
            st.sampled_from([1999, 2000, 2001, 10_000, 300_000]),
            st.sampled_from(["x", "ç", "\u0301", "<", "&", "\U0001f600", "\x07"]),
        ),
        st.builds(lambda i, t: M("texto_campo", (i, t)), _idx, _texto()),
    )


def lista_mutacoes_ops() -> st.SearchStrategy[list[Mutacao]]:
    """One to three mutations, applied in order."""
    return st.lists(mutacoes_ops(), min_size=1, max_size=3)


def mutacoes_csv() -> st.SearchStrategy[Mutacao]:
    """A single mutation of a CSV interchange file (``tabela;linha;coluna;valor``)."""
    M = Mutacao
    return st.one_of(
        st.builds(
            lambda xs: M("inverter_bytes", tuple(xs)),
            st.lists(st.tuples(_idx, st.integers(1, 255)), min_size=1, max_size=8),
        ),
        st.builds(lambda i: M("truncar", (i,)), _idx),
        st.builds(lambda i: M("duplicar_linha", (i,)), _idx),
        st.builds(lambda i: M("remover_linha", (i,)), _idx),
        st.builds(lambda i, j: M("trocar_linhas", (i, j)), _idx, _idx),
        st.builds(lambda i, v: M("numero", (i, v)), _idx, _numero()),
        st.builds(lambda i, c, v: M("identificador", (i, c, v)), _idx, st.integers(0, 2), _texto()),
        st.builds(
            lambda i, s: M("separador", (i, s)),
            st.one_of(_idx, st.none()),
            st.sampled_from([",", "\t", "|", ";;", " ; ", ""]),
        ),
        st.builds(lambda i, n: M("colunas", (i, n)), _idx, st.integers(0, 7)),
        st.builds(
            lambda t: M("campo_texto", (t,)),
            st.one_of(
                _texto(),
                st.sampled_from(
                    ['"aspas', 'a"b', "linha\nquebrada", "x" * 200_000, "\x00", "=1+1", "a;b"]
                ),
            ),
        ),
        st.builds(lambda c: M("codificacao", (c,)), st.sampled_from(CODIFICACOES)),
        st.builds(
            lambda i, f: M("inserir", (i, f)),
            _idx,
            st.sampled_from([b'"', b"\x00", b"\r", b"\xff\xfe", b"\xef\xbb\xbf", b";", b"\n\n"]),
        ),
    )


def lista_mutacoes_csv() -> st.SearchStrategy[list[Mutacao]]:
    """One to three CSV mutations, applied in order."""
    return st.lists(mutacoes_csv(), min_size=1, max_size=3)


# --- applying ---------------------------------------------------------------------------------


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)


def _arvore(dados: bytes) -> etree._Element | None:
    try:
        return etree.fromstring(dados, _parser())
    except etree.XMLSyntaxError:
        return None
    except ValueError:
        return None


def _bytes(raiz: etree._Element) -> bytes:
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


def _elementos(raiz: etree._Element) -> list[etree._Element]:
    return [e for e in raiz.iter() if isinstance(e.tag, str)]


def _com_arvore(dados: bytes, fn: Callable[[etree._Element], bool]) -> bytes:
    raiz = _arvore(dados)
    if raiz is None:
        return dados
    try:
        mudou = fn(raiz)
    except ValueError:  # lxml refuses some texts (control characters): keep the bytes
        return dados
    return _bytes(raiz) if mudou else dados


def _inverter(dados: bytes, pares: tuple) -> bytes:
    if not dados:
        return dados
    b = bytearray(dados)
    for pos, xor in pares:
        b[pos % len(b)] ^= xor
    return bytes(b)


def _codificar(dados: bytes, modo: str) -> bytes:
    try:
        texto = dados.decode("utf-8")
    except UnicodeDecodeError:
        return dados
    if modo == "declarar-latin1":
        return re.sub(rb"encoding=['\"][^'\"]*['\"]", b"encoding='ISO-8859-1'", dados, count=1)
    if modo == "declarar-ascii":
        return re.sub(rb"encoding=['\"][^'\"]*['\"]", b"encoding='US-ASCII'", dados, count=1)
    if modo == "declarar-utf16":
        return re.sub(rb"encoding=['\"][^'\"]*['\"]", b"encoding='UTF-16'", dados, count=1)
    if modo == "sem-declaracao":
        return re.sub(rb"^<\?xml[^>]*\?>\s*", b"", dados, count=1)
    if modo == "nfd":
        import unicodedata

        return unicodedata.normalize("NFD", texto).encode("utf-8")
    try:
        return texto.encode(modo)
    except UnicodeEncodeError:
        return texto.encode(modo, errors="replace")


def aplicar_ops(dados: bytes, m: Mutacao) -> bytes:
    """Apply one mutation to the bytes of a .OPS file."""
    p = m.params
    if m.tipo == "inverter_bytes":
        return _inverter(dados, p)
    if m.tipo == "truncar":
        return dados[: p[0] % (len(dados) + 1)]
    if m.tipo == "codificacao":
        return _codificar(dados, p[0])
    if m.tipo == "inserir":
        pos = p[0] % (len(dados) + 1)
        return dados[:pos] + p[1] + dados[pos:]

    def duplicar(raiz: etree._Element) -> bool:
        els = _elementos(raiz)[1:]
        if not els:
            return False
        e = els[p[0] % len(els)]
        import copy

        e.addnext(copy.deepcopy(e))
        return True

    def remover(raiz: etree._Element) -> bool:
        els = _elementos(raiz)[1:]
        if not els:
            return False
        e = els[p[0] % len(els)]
        e.getparent().remove(e)
        return True

    def mover(raiz: etree._Element) -> bool:
        els = _elementos(raiz)[1:]
        if len(els) < 2:
            return False
        a, b = els[p[0] % len(els)], els[p[1] % len(els)]
        if a is b or a in b.iterancestors() or b in a.iterancestors():
            return False
        b.addnext(a)
        return True

    def numero(raiz: etree._Element) -> bool:
        cs = list(raiz.iter(Q + "c"))
        if not cs:
            return False
        cs[p[0] % len(cs)].text = p[1]
        return True

    def atributo(raiz: etree._Element) -> bool:
        els = [e for e in _elementos(raiz) if e.attrib] or _elementos(raiz)
        e = els[p[0] % len(els)]
        e.set(p[1], p[2])
        return True

    def cabecalho(raiz: etree._Element) -> bool:
        e = raiz.find(Q + p[0])
        if e is None:
            return False
        e.text = p[1]
        return True

    def texto_enorme(raiz: etree._Element) -> bool:
        cs = list(raiz.iter(Q + "campo"))
        if not cs:
            return False
        cs[p[0] % len(cs)].text = p[2] * p[1]
        return True

    def texto_campo(raiz: etree._Element) -> bool:
        cs = list(raiz.iter(Q + "campo"))
        if not cs:
            return False
        cs[p[0] % len(cs)].text = p[1]
        return True

    funcoes = {
        "duplicar_elemento": duplicar,
        "remover_elemento": remover,
        "mover_elemento": mover,
        "numero": numero,
        "atributo": atributo,
        "cabecalho": cabecalho,
        "texto_enorme": texto_enorme,
        "texto_campo": texto_campo,
    }
    return _com_arvore(dados, funcoes[m.tipo])


def redigerir(dados: bytes) -> bytes:
    """The same bytes with the ``resumo`` recomputed, when the file still parses and fits the
    XSD (otherwise unchanged): the mutation then reaches the semantic checks."""
    from siops.ops_format import esquema, formato, xml_seguro
    from siops.ops_format.erros import ArquivoInvalido
    from siops.ops_format.resumo import resumo

    try:
        raiz = xml_seguro.analisar(dados, "mutado")
        esquema.validar(raiz, 1, "mutado")
        c = formato.extrair(raiz)
        novo = resumo(c, 1).encode("ascii")
    except (ArquivoInvalido, KeyError, ValueError, TypeError):
        return dados
    partes = re.split(rb"(<resumo[^>]*>)[^<]*(</resumo>)", dados)
    if len(partes) != 4:
        return dados
    return partes[0] + partes[1] + novo + partes[2] + partes[3]


def mutar_ops(dados: bytes, mutacoes: list[Mutacao], redigest: bool) -> bytes:
    """Apply the mutations in order and, if asked, recompute the digest."""
    for m in mutacoes:
        dados = aplicar_ops(dados, m)
    return redigerir(dados) if redigest else dados


# --- CSV --------------------------------------------------------------------------------------


def aplicar_csv(dados: bytes, m: Mutacao) -> bytes:
    """Apply one mutation to the bytes of a CSV interchange file."""
    p = m.params
    if m.tipo == "inverter_bytes":
        return _inverter(dados, p)
    if m.tipo == "truncar":
        return dados[: p[0] % (len(dados) + 1)]
    if m.tipo == "codificacao":
        if p[0].startswith("declarar") or p[0] == "sem-declaracao":
            return dados
        return _codificar(dados, p[0])
    if m.tipo == "inserir":
        pos = p[0] % (len(dados) + 1)
        return dados[:pos] + p[1] + dados[pos:]
    try:
        texto = dados.decode("utf-8")
    except UnicodeDecodeError:
        return dados
    linhas = texto.split("\n")
    corpo = [i for i, li in enumerate(linhas) if li.strip()]
    if not corpo:
        return dados
    i = None
    if m.tipo not in ("campo_texto",) and not (m.tipo == "separador" and p[0] is None):
        i = corpo[p[0] % len(corpo)]
    if m.tipo == "duplicar_linha":
        linhas.insert(i, linhas[i])
    elif m.tipo == "remover_linha":
        del linhas[i]
    elif m.tipo == "trocar_linhas":
        j = corpo[p[1] % len(corpo)]
        linhas[i], linhas[j] = linhas[j], linhas[i]
    elif m.tipo == "numero":
        campos = linhas[i].split(";")
        campos[-1] = p[1]
        linhas[i] = ";".join(campos)
    elif m.tipo == "identificador":
        campos = linhas[i].split(";")
        campos[min(p[1], len(campos) - 1)] = p[2]
        linhas[i] = ";".join(campos)
    elif m.tipo == "separador":
        if i is None:
            linhas = [li.replace(";", p[1]) for li in linhas]
        else:
            linhas[i] = linhas[i].replace(";", p[1])
    elif m.tipo == "colunas":
        campos = linhas[i].split(";")
        linhas[i] = ";".join((campos + ["extra"] * 8)[: p[1]])
    elif m.tipo == "campo_texto":
        linhas.append(f"campo;fundo_lei;;{p[0]}")
    return "\n".join(linhas).encode("utf-8", errors="surrogatepass")


def mutar_csv(dados: bytes, mutacoes: list[Mutacao]) -> bytes:
    """Apply the CSV mutations in order."""
    for m in mutacoes:
        dados = aplicar_csv(dados, m)
    return dados


# --- checking messages ------------------------------------------------------------------------

#: Words of Python's and libxml2's English messages that must never reach the user.
INGLES = re.compile(
    r"Traceback|Error\b|Exception\b|NoneType|object has no|invalid literal|can't|cannot|"
    r"unsupported operand|out of range|Element '|\{urn:|is not a|expected|field larger|"
    r"\b(?i:the|you|need|field|character|seen|mode|value|not|with|must|should|invalid|"
    r"error|failed|unable|denied|permission|such|directory)\b"
)
PORTUGUES = re.compile(
    r"\b(não|é|está|de|do|da|dos|das|em|no|na|que|um|uma|para|com|ao|ou|por|se|arquivo|"
    r"linha|valor|célula|campo|elemento|tabela|coluna|declaração|documento|senha|ente|Nada|"
    r"desconhecid[oa]s?|inválid[oa]s?|incorret[oa]s?|recusad[oa]s?|bloquead[oa]s?)\b"
)


def problema_na_mensagem(texto: str) -> str | None:
    """Why ``texto`` is not an acceptable message for a clerk (None when it is)."""
    t = texto.strip()
    if not t:
        return "mensagem vazia"
    if "Traceback" in t:
        return "traceback"
    if INGLES.search(t):
        return f"inglês: {INGLES.search(t).group(0)!r}"
    if not PORTUGUES.search(t):
        return "não parece português"
    return None
