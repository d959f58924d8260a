"""The XSD of each format version (``resources/ops*.xsd``) and its errors in Portuguese.

libxml2's schema messages are English and name elements with their namespace; the user sees
instead one sentence saying which element, attribute or cell is wrong, with the line. Value
errors of a cell are explained by ``forms.dinheiro.parse_plano`` itself (letters, three
decimals, more than 15 integer digits …), so the reason matches the one the planilha import
gives.
"""

from __future__ import annotations

import re
import threading
from importlib.resources import files

from lxml import etree

from siops.assinatura import xml_seguro
from siops.forms.dinheiro import ValorInvalido, parse_plano
from siops.ops_format.erros import ArquivoInvalido
from siops.ops_format.versoes import ESQUEMAS

_local = threading.local()  # XMLSchema keeps its error log on the object: one per thread


def esquema(versao: int) -> etree.XMLSchema:
    """The compiled XSD of a format version (cached per thread)."""
    cache: dict[int, etree.XMLSchema] = _local.__dict__.setdefault("esquemas", {})
    if versao not in cache:
        texto = files("siops.resources").joinpath(ESQUEMAS[versao]).read_bytes()
        # the packaged XSD goes through the project's one hardened parser like any other XML
        cache[versao] = etree.XMLSchema(xml_seguro.analisar(texto))
    return cache[versao]


def validar(raiz: etree._Element, versao: int, origem: str) -> None:
    """Validate against the version's XSD; raise ``ArquivoInvalido`` for the first error."""
    xsd = esquema(versao)
    if xsd.validate(raiz):
        return
    erro = xsd.error_log[0]
    raise ArquivoInvalido(traduzir(erro, raiz), origem, erro.line or None)


_ELEMENTO = re.compile(r"Element '(?:\{[^}]*\})?([^']+)'")
_ATRIBUTO = re.compile(r"attribute '([^']+)'")
_VALOR = re.compile(r"[Tt]he value '(.*)' (?:is not|has a length)", re.S)
_ESPERADO = re.compile(r"Expected is (?:one of )?\( ([^)]*) \)")

_ERROS_DE_VALOR = (
    "SCHEMAV_CVC_PATTERN_VALID",
    "SCHEMAV_CVC_DATATYPE_VALID_1_2_1",
    "SCHEMAV_CVC_ENUMERATION_VALID",
    "SCHEMAV_CVC_MAXLENGTH_VALID",
    "SCHEMAV_CVC_MINLENGTH_VALID",
    "SCHEMAV_CVC_LENGTH_VALID",
    "SCHEMAV_CVC_MININCLUSIVE_VALID",
    "SCHEMAV_CVC_MAXINCLUSIVE_VALID",
    "SCHEMAV_CVC_ATTRIBUTE_4",
    "SCHEMAV_CVC_ELT_5_2_2_2_2",
    "SCHEMAV_CVC_ELT_5_2_2_1",
    "SCHEMAV_CVC_AU",
)


def _no(erro: etree._LogEntry, raiz: etree._Element) -> etree._Element | None:
    try:
        achados = raiz.getroottree().xpath(erro.path) if erro.path else []
    except etree.XPathError:
        return None
    return achados[0] if len(achados) == 1 and isinstance(achados[0], etree._Element) else None


def _nomes(lista: str) -> str:
    nomes = [re.sub(r"^\{[^}]*\}", "", n.strip()) for n in lista.split(",")]
    return ", ".join(f"'{n}'" for n in nomes if n)


def _celula(no: etree._Element | None) -> str:
    if no is None:
        return "célula"
    return f"célula {no.get('t')}/{no.get('l')}/{no.get('k')}"


def traduzir(erro: etree._LogEntry, raiz: etree._Element) -> str:
    """The Portuguese reason for one libxml2 schema error (see module docstring)."""
    msg = erro.message or ""
    tipo = erro.type_name or ""
    m = _ELEMENTO.search(msg)
    elem = m.group(1) if m else "?"
    m = _ATRIBUTO.search(msg)
    attr = m.group(1) if m else None
    m = _VALOR.search(msg)
    valor = m.group(1) if m else None
    no = _no(erro, raiz)

    if tipo == "SCHEMAV_CVC_IDC":
        if elem == "c":
            return f"a {_celula(no)} aparece mais de uma vez."
        if elem == "campo" and no is not None:
            return f"o campo '{no.get('id')}' aparece mais de uma vez."
        return f"o elemento '{elem}' aparece repetido."
    if tipo in _ERROS_DE_VALOR:
        return _motivo_valor(elem, attr, valor, no, tipo)
    if tipo == "SCHEMAV_ELEMENT_CONTENT":
        esperado = _ESPERADO.search(msg)
        if "Missing child" in msg:
            falta = _nomes(esperado.group(1)) if esperado else "um elemento"
            return f"falta o elemento {falta} dentro de '{elem}'."
        if esperado:
            return f"o elemento '{elem}' não era esperado aqui (esperado: {_nomes(esperado.group(1))})."
        return f"o elemento '{elem}' não era esperado aqui."
    if tipo == "SCHEMAV_CVC_COMPLEX_TYPE_4":
        return f"falta o atributo '{attr}' no elemento '{elem}'."
    if tipo.startswith("SCHEMAV_CVC_COMPLEX_TYPE_3_2"):
        return f"o atributo '{attr}' não é permitido no elemento '{elem}'."
    if tipo == "SCHEMAV_CVC_COMPLEX_TYPE_2_3":
        return f"o elemento '{elem}' não pode conter texto."
    if tipo in ("SCHEMAV_CVC_COMPLEX_TYPE_2_1", "SCHEMAV_CVC_ELT_4_1"):
        return f"o elemento '{elem}' deveria estar vazio."
    if tipo == "SCHEMAV_CVC_COMPLEX_TYPE_2_2" or "Element content is not allowed" in msg:
        return f"o elemento '{elem}' não pode conter outros elementos."
    if tipo == "SCHEMAV_CVC_ELT_1":
        return f"o elemento raiz '{elem}' não é o de uma declaração."
    return f"o conteúdo não segue o esquema do formato .OPS (elemento '{elem}')."


def _motivo_valor(
    elem: str, attr: str | None, valor: str | None, no: etree._Element | None, tipo: str
) -> str:
    v = valor if valor is not None else (no.text if no is not None and attr is None else "")
    if elem == "c" and attr is None:
        try:
            parse_plano(v or "")
        except ValorInvalido as exc:
            texto = str(exc)
            return f"na {_celula(no)}, {texto[:1].lower()}{texto[1:]}"
        return (
            f"na {_celula(no)}, o valor '{v}' não está no formato do arquivo (até 15 dígitos, "
            "ponto e até duas casas decimais, ex.: 1234.56)."
        )
    if attr in ("t", "l", "k", "id"):
        nome = {"t": "tabela", "l": "linha", "k": "coluna", "id": "campo"}[attr]
        return f"o identificador de {nome} '{v}' é inválido (use letras minúsculas, dígitos e _)."
    if elem == "bimestre":
        return f"o bimestre '{v}' não existe; use um número de 1 a 6."
    if elem == "exercicio":
        return f"o exercício '{v}' é inválido; use um ano entre 2000 e 2100."
    if elem == "ente" and attr == "codigo":
        return (
            f"o código de ente '{v}' é inválido; use M seguido dos 6 primeiros dígitos do "
            "código IBGE do município ou E seguido do código da UF."
        )
    if elem == "ente" and attr == "esfera":
        return f"a esfera '{v}' é inválida; use municipal, estadual ou df."
    if elem == "resumo" and attr is None:
        return "o resumo SHA-256 do conteúdo está malformado."
    if elem == "campo" and tipo == "SCHEMAV_CVC_MAXLENGTH_VALID":
        cid = no.get("id") if no is not None else "?"
        return f"o texto do campo '{cid}' é longo demais (o máximo é 2000 caracteres)."
    if attr:
        return f"o valor '{v}' do atributo '{attr}' do elemento '{elem}' é inválido."
    return f"o valor '{v}' do elemento '{elem}' é inválido."
