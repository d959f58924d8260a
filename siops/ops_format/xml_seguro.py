"""Reading a .OPS from outside (STYLE habit 13): the project's one hardened parser, in .OPS words.

A .OPS file may come from an e-mail attachment or another machine. The policy — bounded size,
UTF-8 only, DTDs and entities refused, no network, ``huge_tree`` off, bounded nesting — is
``siops.assinatura.xml_seguro``'s, the same for every XML the project reads; this module reads
the file within the size limit and turns each neutral refusal into an ``ArquivoInvalido`` with a
Portuguese reason about the .OPS format and, when known, the line. The format nests three levels
(declaracao/celulas/c), so it asks for at most ``PROFUNDIDADE_MAXIMA``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from lxml import etree

from siops.assinatura import xml_seguro as politica
from siops.ops_format.erros import ArquivoInvalido

#: The policy's limit (a full declaration is about 80 kB); anything larger is refused unread.
LIMITE_BYTES = politica.LIMITE_BYTES
#: The format nests three levels (declaracao/celulas/c); this leaves room for future versions.
PROFUNDIDADE_MAXIMA = 8


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
    try:
        politica.verificar_bytes(dados, LIMITE_BYTES)
    except politica.XMLRecusado as exc:
        raise _traduzir(exc, dados, origem) from None


def analisar(dados: bytes, origem: str) -> etree._Element:
    """Parse checked bytes into a root element, refusing DTDs, entities and deep nesting."""
    try:
        return politica.analisar(
            dados, limite_bytes=LIMITE_BYTES, profundidade_maxima=PROFUNDIDADE_MAXIMA
        )
    except politica.XMLRecusado as exc:
        raise _traduzir(exc, dados, origem) from None


_RECUSA_DTD = "recusadas para proteger o computador de arquivos maliciosos)."


def _traduzir(exc: politica.XMLRecusado, dados: bytes, origem: str) -> ArquivoInvalido:
    """The .OPS wording of one refusal of the policy."""
    linha = exc.linha
    if isinstance(exc, politica.XMLVazio):
        return ArquivoInvalido("o arquivo está vazio.", origem)
    if isinstance(exc, politica.XMLGrandeDemais):
        return ArquivoInvalido(_grande_demais(exc.tamanho), origem)
    if isinstance(exc, politica.CodificacaoRecusada):
        if exc.tipo == "bom":
            motivo = "o arquivo está em UTF-16 ou UTF-32; o formato .OPS exige UTF-8."
        elif exc.tipo == "declarada":
            motivo = (
                f"o arquivo declara a codificação '{exc.codificacao}'; o formato .OPS exige UTF-8."
            )
        else:
            motivo = (
                "há bytes que não são UTF-8 válido (o formato .OPS exige UTF-8; o arquivo pode "
                "ter sido gravado em Latin-1 ou estar corrompido)."
            )
        return ArquivoInvalido(motivo, origem, linha)
    if isinstance(exc, politica.DTDRecusada):
        return ArquivoInvalido(
            "o arquivo contém uma declaração DOCTYPE, que o formato .OPS não aceita (DTD e "
            "entidades são " + _RECUSA_DTD,
            origem,
            linha,
        )
    if isinstance(exc, politica.EntidadeRecusada):
        return ArquivoInvalido(
            "o arquivo contém uma entidade XML (declaração ENTITY ou referência &…;), que o "
            "formato .OPS não aceita (DTD e entidades são " + _RECUSA_DTD,
            origem,
            linha,
        )
    if isinstance(exc, politica.ProfundidadeExcessiva):
        if exc.limite is None:
            motivo = (
                "os elementos estão aninhados em profundidade excessiva, o que o formato .OPS "
                "não tem."
            )
        else:
            motivo = (
                f"os elementos estão aninhados em mais de {exc.limite} níveis, o que o formato "
                ".OPS não tem."
            )
        return ArquivoInvalido(motivo, origem, linha)
    if isinstance(exc, politica.XMLMalformado):
        return ArquivoInvalido(_motivo_sintaxe(exc, dados), origem, linha)
    return ArquivoInvalido("o XML foi recusado.", origem, linha)


# libxml2 error codes (xmlParserErrors) with a message of their own.
_MOTIVOS_SINTAXE = {
    5: "há conteúdo depois do fim do documento XML.",
    9: "há um caractere que o XML não permite.",
    76: "uma marca de fechamento não corresponde à de abertura.",
    81: "há bytes que não são UTF-8 válido.",
}


def _motivo_sintaxe(exc: politica.XMLMalformado, dados: bytes) -> str:
    ultima = dados.rstrip().count(b"\n") + 1
    if exc.codigo in _MOTIVOS_SINTAXE:
        return _MOTIVOS_SINTAXE[exc.codigo]
    if exc.codigo == 4 and (exc.linha or 1) <= 1 and not dados.lstrip().startswith(b"<"):
        return "o conteúdo não é XML (não começa com '<'); não é um arquivo .OPS."
    if (exc.linha or 0) >= ultima:
        return "o XML termina antes de fechar todos os elementos: o arquivo está incompleto ou foi cortado."
    return "o XML está malformado (a sintaxe não é válida neste ponto)."
