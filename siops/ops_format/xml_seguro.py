"""Hardened reading of XML from outside (STYLE habit 13): bounded, UTF-8 only, no DTD.

A .OPS file may come from an e-mail attachment or another machine. Before lxml sees it the
bytes are bounded in size, checked to be UTF-8 and scanned for ``<!DOCTYPE``/``<!ENTITY``; the
parser resolves no entities, loads no DTD and touches no network, and ``huge_tree`` stays off
(libxml2 then caps nesting at 256 levels and text nodes at 10 MB); after parsing, any DTD or
entity node is refused again and the nesting depth is bounded by ``PROFUNDIDADE_MAXIMA``.
Every refusal is an ``ArquivoInvalido`` with a Portuguese reason and, when known, the line.
"""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from lxml import etree

from siops.ops_format.erros import ArquivoInvalido

#: No declaration comes near this (a full one is about 80 kB); anything larger is refused unread.
LIMITE_BYTES = 20 * 1024 * 1024
#: The format nests three levels (declaracao/celulas/c); this leaves room for future versions.
PROFUNDIDADE_MAXIMA = 8

_DECLARACAO_XML = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([^\"']*)[\"']")
_PROIBIDOS = (
    (b"<!DOCTYPE", "uma declaração DOCTYPE"),
    (b"<!ENTITY", "uma declaração de entidade (ENTITY)"),
)
_BOMS_NAO_UTF8 = (b"\xff\xfe", b"\xfe\xff", b"\x00\x00\xfe\xff")


def _linha_do_byte(dados: bytes, posicao: int) -> int:
    return dados.count(b"\n", 0, posicao) + 1


def ler_limitado(caminho: Path, origem: str) -> bytes:
    """The bytes of a regular file of at most ``LIMITE_BYTES``; ``ArquivoInvalido`` otherwise."""
    try:
        info = os.stat(caminho)
        if stat.S_ISDIR(info.st_mode):
            raise ArquivoInvalido("é uma pasta, não um arquivo de declaração.", origem)
        if not stat.S_ISREG(info.st_mode):
            raise ArquivoInvalido("não é um arquivo comum (é um dispositivo ou canal).", origem)
        if info.st_size > LIMITE_BYTES:
            raise ArquivoInvalido(_grande_demais(info.st_size), origem)
        with open(caminho, "rb") as f:
            dados = f.read(LIMITE_BYTES + 1)
    except FileNotFoundError:
        raise ArquivoInvalido("o arquivo não foi encontrado.", origem) from None
    except IsADirectoryError:
        raise ArquivoInvalido("é uma pasta, não um arquivo de declaração.", origem) from None
    except PermissionError:
        raise ArquivoInvalido("não há permissão para ler o arquivo.", origem) from None
    except OSError as exc:
        raise ArquivoInvalido(
            f"não foi possível ler o arquivo (erro {exc.errno} do sistema).", origem
        ) from None
    if len(dados) > LIMITE_BYTES:
        raise ArquivoInvalido(_grande_demais(len(dados)), origem)
    return dados


def _grande_demais(tamanho: int) -> str:
    mb = tamanho / (1024 * 1024)
    return (
        f"o arquivo tem {mb:.0f} MB, mais que o limite de {LIMITE_BYTES // (1024 * 1024)} MB "
        "de uma declaração; não é um arquivo .OPS válido."
    ).replace(".", ",", 1)


def verificar_bytes(dados: bytes, origem: str) -> None:
    """The checks made before parsing: not empty, bounded, UTF-8, no DTD or entities."""
    if not dados.strip():
        raise ArquivoInvalido("o arquivo está vazio.", origem)
    if len(dados) > LIMITE_BYTES:
        raise ArquivoInvalido(_grande_demais(len(dados)), origem)
    if dados.startswith(_BOMS_NAO_UTF8):
        raise ArquivoInvalido(
            "o arquivo está em UTF-16 ou UTF-32; o formato .OPS exige UTF-8.", origem, 1
        )
    m = _DECLARACAO_XML.match(dados.removeprefix(b"\xef\xbb\xbf"))
    if m and m.group(1).decode("ascii", "replace").strip().lower() not in ("utf-8", "utf8"):
        raise ArquivoInvalido(
            f"o arquivo declara a codificação '{m.group(1).decode('ascii', 'replace')}'; "
            "o formato .OPS exige UTF-8.",
            origem,
            1,
        )
    try:
        dados.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ArquivoInvalido(
            "há bytes que não são UTF-8 válido (o formato .OPS exige UTF-8; o arquivo pode ter "
            "sido gravado em Latin-1 ou estar corrompido).",
            origem,
            _linha_do_byte(dados, exc.start),
        ) from None
    for marca, nome in _PROIBIDOS:
        pos = dados.find(marca)
        if pos >= 0:
            raise ArquivoInvalido(
                f"o arquivo contém {nome}, que o formato .OPS não aceita (DTD e entidades são "
                "recusadas para proteger o computador de arquivos maliciosos).",
                origem,
                _linha_do_byte(dados, pos),
            )


def _parser() -> etree.XMLParser:
    # A new parser per call: parsers are not thread-safe and keep an error log.
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def analisar(dados: bytes, origem: str) -> etree._Element:
    """Parse checked bytes into a root element, refusing DTDs, entities and deep nesting."""
    verificar_bytes(dados, origem)
    try:
        raiz = etree.fromstring(dados, _parser())
    except etree.XMLSyntaxError as exc:
        raise ArquivoInvalido(_motivo_sintaxe(exc, dados), origem, exc.lineno or None) from None
    arvore = raiz.getroottree()
    if arvore.docinfo.internalDTD is not None or arvore.docinfo.doctype:
        raise ArquivoInvalido(
            "o arquivo contém uma declaração DOCTYPE, que o formato .OPS não aceita.", origem
        )
    for no in raiz.iter(etree.Entity):
        raise ArquivoInvalido(
            "o arquivo contém uma referência a entidade, que o formato .OPS não aceita.",
            origem,
            no.sourceline,
        )
    fundo = arvore.xpath("/" + "/".join(["*"] * (PROFUNDIDADE_MAXIMA + 1)))
    if fundo:
        raise ArquivoInvalido(
            f"os elementos estão aninhados em mais de {PROFUNDIDADE_MAXIMA} níveis, o que o "
            "formato .OPS não tem.",
            origem,
            fundo[0].sourceline,
        )
    return raiz


# libxml2 error codes (xmlParserErrors) with a message of their own.
_MOTIVOS_SINTAXE = {
    5: "há conteúdo depois do fim do documento XML.",
    9: "há um caractere que o XML não permite.",
    26: "há uma referência a entidade não declarada; o formato .OPS não aceita entidades.",
    27: "há uma referência a entidade não declarada; o formato .OPS não aceita entidades.",
    76: "uma marca de fechamento não corresponde à de abertura.",
    81: "há bytes que não são UTF-8 válido.",
}


def _motivo_sintaxe(exc: etree.XMLSyntaxError, dados: bytes) -> str:
    msg = str(exc.msg or "")
    if "depth" in msg.lower():
        return (
            "os elementos estão aninhados em profundidade excessiva, o que o formato .OPS não tem."
        )
    ultima = dados.rstrip().count(b"\n") + 1
    if exc.code in _MOTIVOS_SINTAXE:
        return _MOTIVOS_SINTAXE[exc.code]
    if exc.code == 4 and (exc.lineno or 1) <= 1 and not dados.lstrip().startswith(b"<"):
        return "o conteúdo não é XML (não começa com '<'); não é um arquivo .OPS."
    if (exc.lineno or 0) >= ultima:
        return "o XML termina antes de fechar todos os elementos: o arquivo está incompleto ou foi cortado."
    return "o XML está malformado (a sintaxe não é válida neste ponto)."
