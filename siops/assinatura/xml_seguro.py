"""O único parser XML endurecido do projeto (STYLE hábito 13; issue 18, item 2).

Todo XML que vem de fora — a declaração .OPS lida do disco, o documento assinado que o servidor
recebe, o recibo que o transmissor confere, o XSD empacotado — passa por ``analisar``, com uma
só política:

* tamanho limitado (``LIMITE_BYTES``), antes de o lxml ver os bytes;
* só UTF-8 (sem BOM de UTF-16/32, sem outra codificação declarada, sem bytes inválidos): todo
  XML do SIOPS é gerado por nós em UTF-8, e uma codificação a mais é uma superfície a mais;
* DTD e entidades são RECUSADAS, não só ignoradas: ``<!DOCTYPE``/``<!ENTITY`` nos bytes, um
  DOCTYPE ou um nó de entidade na árvore levantam erro (ignorá-las deixaria um valor que quem
  lê os bytes vê e quem lê a árvore não vê);
* o parser não resolve entidades, não carrega DTD, não usa a rede, e ``huge_tree`` fica
  desligado (o libxml2 então limita o aninhamento a 256 níveis e os nós de texto a 10 MB);
* aninhamento limitado a ``PROFUNDIDADE_MAXIMA`` (ou menos, pedido pelo formato que lê);
* comentários e instruções de processamento são mantidos na árvore: quem os recusa é quem sabe
  por quê (o XMLDSig os recusa dentro da raiz assinada; o .OPS os aceita).

As recusas são exceções neutras (``XMLRecusado`` e subclasses, com a linha quando se sabe) que
cada formato traduz na sua mensagem: o ``ops_format`` em ``ArquivoInvalido`` ("Arquivo X,
linha N: …"), o ``xmldsig`` em ``AssinaturaInvalida``. ``str()`` de cada uma já é uma frase em
português, genérica, para quem não traduzir.
"""

from __future__ import annotations

import re

from lxml import etree

#: Nenhum documento do SIOPS chega perto (uma declaração completa tem ~80 kB; um documento
#: assinado, alguns kB a mais): o que passa disso é recusado sem ser lido.
LIMITE_BYTES = 20 * 1024 * 1024
#: O XMLDSig aninha 6 níveis (raiz/Signature/SignedInfo/Reference/Transforms/Transform), o XSD
#: empacotado uns 10; isto é folga. Um formato pode pedir menos (o .OPS pede 8).
PROFUNDIDADE_MAXIMA = 24

_DECLARACAO_XML = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_BOMS_NAO_UTF8 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


# ---------------------------------------------------------------------------- recusas


class XMLRecusado(ValueError):
    """O XML foi recusado pela política; ``linha`` é a do problema, quando se sabe."""

    mensagem = "o XML foi recusado."

    def __init__(self, mensagem: str | None = None, linha: int | None = None) -> None:
        super().__init__(mensagem or self.mensagem)
        self.linha = linha


class XMLVazio(XMLRecusado):
    """Não há nada (ou só espaços)."""

    mensagem = "o documento está vazio."


class XMLGrandeDemais(XMLRecusado):
    """Mais bytes que o limite."""

    def __init__(self, tamanho: int, limite: int) -> None:
        self.tamanho, self.limite = tamanho, limite
        mb = limite // (1024 * 1024)
        super().__init__(f"o documento passa do limite de {mb} MB.")


class CodificacaoRecusada(XMLRecusado):
    """Não é UTF-8: ``tipo`` é ``"bom"`` (UTF-16/32), ``"declarada"`` (``encoding=`` de outra
    codificação, em ``codificacao``) ou ``"bytes"`` (bytes que não são UTF-8 válido)."""

    def __init__(self, tipo: str, codificacao: str = "", linha: int | None = None) -> None:
        self.tipo, self.codificacao = tipo, codificacao
        super().__init__("o documento não está em UTF-8.", linha)


class DTDRecusada(XMLRecusado):
    """Há uma declaração DOCTYPE (DTD interna ou externa)."""

    mensagem = "o documento traz uma declaração DOCTYPE (DTD), que não é aceita."


class EntidadeRecusada(XMLRecusado):
    """Há uma declaração ``<!ENTITY`` ou uma referência a entidade não predefinida."""

    mensagem = "o documento traz entidades XML, que não são aceitas."


class ProfundidadeExcessiva(XMLRecusado):
    """Elementos aninhados além do limite (``limite``; None: o do próprio libxml2)."""

    def __init__(self, limite: int | None, linha: int | None = None) -> None:
        self.limite = limite
        quanto = f"mais de {limite} níveis" if limite else "profundidade excessiva"
        super().__init__(f"os elementos estão aninhados em {quanto}.", linha)


class XMLMalformado(XMLRecusado):
    """Erro de sintaxe do libxml2: ``codigo`` (xmlParserErrors) e a mensagem dele, em inglês,
    para quem traduz (nunca para o usuário)."""

    def __init__(self, codigo: int, linha: int | None, original: str) -> None:
        self.codigo, self.original = codigo, original
        super().__init__("o documento não é um XML válido.", linha)


# ---------------------------------------------------------------------------- a política


def _linha_do_byte(dados: bytes, posicao: int) -> int:
    return dados.count(b"\n", 0, posicao) + 1


def parser() -> etree.XMLParser:
    """O parser configurado pela política (para quem precisa passá-lo adiante, como o signxml).

    Um novo a cada chamada: parsers do lxml não são seguros entre threads e guardam um log.
    """
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
        remove_comments=False,
        remove_pis=False,
    )


def verificar_bytes(dados: bytes, limite_bytes: int = LIMITE_BYTES) -> None:
    """As conferências antes do parser: não vazio, limitado, UTF-8, sem DTD nem entidades."""
    if len(dados) > limite_bytes:
        raise XMLGrandeDemais(len(dados), limite_bytes)
    if not dados.strip():
        raise XMLVazio()
    if dados.startswith(_BOMS_NAO_UTF8):
        raise CodificacaoRecusada("bom", linha=1)
    m = _DECLARACAO_XML.match(dados.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).decode("ascii", "replace").strip().lower() not in ("utf-8", "utf8"):
        raise CodificacaoRecusada("declarada", m.group(1).decode("ascii", "replace"), 1)
    try:
        dados.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CodificacaoRecusada("bytes", linha=_linha_do_byte(dados, exc.start)) from None
    pos = dados.find(b"<!DOCTYPE")
    if pos >= 0:
        raise DTDRecusada(linha=_linha_do_byte(dados, pos))
    pos = dados.find(b"<!ENTITY")
    if pos >= 0:
        raise EntidadeRecusada(linha=_linha_do_byte(dados, pos))


def analisar(
    dados: bytes,
    *,
    limite_bytes: int = LIMITE_BYTES,
    profundidade_maxima: int = PROFUNDIDADE_MAXIMA,
) -> etree._Element:
    """O elemento raiz de ``dados``, pela política do módulo; ``XMLRecusado`` senão."""
    verificar_bytes(dados, limite_bytes)
    try:
        raiz = etree.fromstring(dados, parser())
    except etree.XMLSyntaxError as exc:
        msg = str(exc.msg or "")
        if "depth" in msg.lower():
            raise ProfundidadeExcessiva(None, exc.lineno or None) from None
        if exc.code in (26, 27):  # entidade não declarada: &x; sem DOCTYPE
            raise EntidadeRecusada(linha=exc.lineno or None) from None
        raise XMLMalformado(exc.code, exc.lineno or None, msg) from None
    arvore = raiz.getroottree()
    info = arvore.docinfo
    if info.doctype or info.internalDTD is not None or info.externalDTD is not None:
        raise DTDRecusada()
    for no in raiz.iter(etree.Entity):
        raise EntidadeRecusada(linha=no.sourceline)
    fundo = arvore.xpath("/" + "/".join(["*"] * (profundidade_maxima + 1)))
    if fundo:
        raise ProfundidadeExcessiva(profundidade_maxima, fundo[0].sourceline)
    return raiz


__all__ = [
    "LIMITE_BYTES",
    "PROFUNDIDADE_MAXIMA",
    "CodificacaoRecusada",
    "DTDRecusada",
    "EntidadeRecusada",
    "ProfundidadeExcessiva",
    "XMLGrandeDemais",
    "XMLMalformado",
    "XMLRecusado",
    "XMLVazio",
    "analisar",
    "parser",
    "verificar_bytes",
]
