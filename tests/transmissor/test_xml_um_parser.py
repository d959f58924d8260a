"""Um só parser XML endurecido (issue 18, item 2): toda porta de entrada de XML do projeto
recusa os mesmos documentos hostis pela mesma razão, vinda de ``siops.assinatura.xml_seguro``.

Portas: a leitura do .OPS (``ops_format.ler``/``de_bytes``), a verificação XMLDSig (o que o
servidor e o transmissor conferem), o documento recebido pelo servidor real (HTTP), o recibo
que o transmissor confere. Cada recusa traduzida (``ArquivoInvalido``, ``AssinaturaInvalida``,
``ReciboInvalido``) traz no encadeamento (``__context__``) a recusa neutra da política; o
servidor responde com a frase do XMLDSig para ela. E nenhum outro módulo do pacote monta um
parser do lxml ou usa outro leitor de XML (conferido no código-fonte).
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
import requests

from siops.assinatura import xml_seguro, xmldsig
from siops.ops_format import ArquivoInvalido, de_bytes, ler
from siops.transmissor.recibos import ReciboInvalido, conferir_recibo

PACOTE = Path(__file__).resolve().parents[2] / "siops"

_RISOS = "".join(
    f'<!ENTITY l{i} "{("&l" + str(i - 1) + ";") * 10 if i else "lol"}">' for i in range(10)
)
HOSTIS: dict[str, tuple[bytes, type[xml_seguro.XMLRecusado]]] = {
    "xxe": (
        b'<?xml version="1.0"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        b"<d>&x;</d>",
        xml_seguro.DTDRecusada,
    ),
    "bilhao_de_risos": (
        f'<?xml version="1.0"?>\n<!DOCTYPE d [{_RISOS}]>\n<d>&l9;</d>'.encode(),
        xml_seguro.DTDRecusada,
    ),
    "dtd_externa": (
        b'<?xml version="1.0"?>\n<!DOCTYPE d SYSTEM "http://127.0.0.1:9/x.dtd">\n<d/>',
        xml_seguro.DTDRecusada,
    ),
    "entidade_sem_doctype": (b"<d>\n<e>&x;</e></d>", xml_seguro.EntidadeRecusada),
    "profundo": (b"<a>" * 60 + b"x" + b"</a>" * 60, xml_seguro.ProfundidadeExcessiva),
    "abissal": (b"<a>" * 300 + b"</a>" * 300, xml_seguro.ProfundidadeExcessiva),
    "utf16": ('<?xml version="1.0"?><d/>'.encode("utf-16"), xml_seguro.CodificacaoRecusada),
    "latin1": (
        b'<?xml version="1.0" encoding="ISO-8859-1"?><d>a\xe7\xe3o</d>',
        xml_seguro.CodificacaoRecusada,
    ),
}


def _recusa_neutra(exc: BaseException) -> xml_seguro.XMLRecusado | None:
    """A recusa da política no encadeamento de ``exc`` (as traduções usam ``from None``,
    que esconde o contexto na mensagem mas o guarda em ``__context__``)."""
    atual: BaseException | None = exc
    while atual is not None:
        if isinstance(atual, xml_seguro.XMLRecusado):
            return atual
        atual = atual.__cause__ or atual.__context__
    return None


@pytest.mark.parametrize("nome", sorted(HOSTIS))
def test_mesma_recusa_em_cada_porta_local(nome, tmp_path, hierarquia):
    dados, esperado = HOSTIS[nome]
    caminho = tmp_path / f"{nome}.OPS"
    caminho.write_bytes(dados)
    portas = {
        "ops_format.de_bytes": (lambda: de_bytes(dados, f"{nome}.OPS"), ArquivoInvalido),
        "ops_format.ler": (lambda: ler(caminho), ArquivoInvalido),
        "xmldsig.verificar": (
            lambda: xmldsig.verificar(dados, [hierarquia.raiz]),
            xmldsig.AssinaturaInvalida,
        ),
        "xmldsig.conteudo_sem_assinatura": (
            lambda: xmldsig.conteudo_sem_assinatura(dados),
            xmldsig.AssinaturaInvalida,
        ),
        "recibos.conferir_recibo": (
            lambda: conferir_recibo(dados, [hierarquia.raiz]),
            ReciboInvalido,
        ),
    }
    for porta, (chamar, traduzida) in portas.items():
        with pytest.raises(traduzida) as info:
            chamar()
        neutra = _recusa_neutra(info.value)
        assert isinstance(neutra, esperado), (porta, info.value, neutra)
        texto = str(info.value)
        assert "Traceback" not in texto and "Error" not in texto, (porta, texto)
    # a política sozinha dá a mesma recusa
    with pytest.raises(esperado):
        xml_seguro.analisar(dados)


def test_mesma_recusa_no_servidor_real(ambiente):
    """O servidor (processo real) recusa cada documento hostil com 422 ``xml_malformado`` e a
    frase que o XMLDSig dá para a recusa da política — a mesma do transmissor."""
    for nome, (dados, esperado) in sorted(HOSTIS.items()):
        with pytest.raises(xmldsig.AssinaturaInvalida) as local:
            xmldsig.analisar(dados)
        assert isinstance(_recusa_neutra(local.value), esperado)
        r = requests.post(
            ambiente.servidor.url + "/api/v1/cadastros",
            data=dados,
            headers={"Content-Type": "application/xml"},
            timeout=60,
        )
        assert r.status_code == 422, (nome, r.status_code, r.text)
        corpo = r.json()
        assert corpo["codigo"] == "xml_malformado", (nome, corpo)
        assert str(local.value) in corpo["motivos"], (nome, corpo)


def test_grande_demais_e_vazio_pela_politica():
    grande = b"<d>" + b" " * (xml_seguro.LIMITE_BYTES + 1) + b"</d>"
    for chamar, traduzida in (
        (lambda d: de_bytes(d, "x.OPS"), ArquivoInvalido),
        (xmldsig.analisar, xmldsig.AssinaturaInvalida),
    ):
        for dados, esperado in (
            (grande, xml_seguro.XMLGrandeDemais),
            (b"  \n", xml_seguro.XMLVazio),
        ):
            with pytest.raises(traduzida) as info:
                chamar(dados)
            assert isinstance(_recusa_neutra(info.value), esperado)


def test_comentarios_e_instrucoes_mantidos_pela_politica():
    """A política mantém comentários e PIs na árvore: quem recusa é o formato que sabe por quê."""
    raiz = xml_seguro.analisar(b"<d><!-- c --><?pi x?><e/></d>")
    assert [type(n).__name__ for n in raiz] == ["_Comment", "_ProcessingInstruction", "_Element"]


# leitores de XML que não passam pela política
_PROIBIDOS_LXML = {"fromstring", "XML", "parse", "iterparse", "XMLParser", "HTML", "XMLPullParser"}
_PROIBIDOS_MODULOS = ("xml.etree", "xml.dom", "xml.sax", "xml.parsers", "lxml.objectify")


def test_nenhum_outro_parser_no_pacote():
    permitido = PACOTE / "assinatura" / "xml_seguro.py"
    achados = []
    for arq in sorted(PACOTE.rglob("*.py")):
        if arq == permitido:
            continue
        arvore = ast.parse(arq.read_text(encoding="utf-8"), str(arq))
        for no in ast.walk(arvore):
            if (
                isinstance(no, ast.Attribute)
                and no.attr in _PROIBIDOS_LXML
                and isinstance(no.value, ast.Name)
                and no.value.id == "etree"
            ):
                achados.append(f"{arq.relative_to(PACOTE)}:{no.lineno} etree.{no.attr}")
            if isinstance(no, ast.ImportFrom) and no.module:
                de_lxml = no.module in ("lxml", "lxml.etree") and any(
                    a.name in _PROIBIDOS_LXML | {"objectify"} for a in no.names
                )
                if de_lxml or no.module.startswith(_PROIBIDOS_MODULOS):
                    achados.append(f"{arq.relative_to(PACOTE)}:{no.lineno} from {no.module}")
            if isinstance(no, ast.Import):
                for a in no.names:
                    if a.name.startswith(_PROIBIDOS_MODULOS):
                        achados.append(f"{arq.relative_to(PACOTE)}:{no.lineno} import {a.name}")
    assert achados == [], "XML lido fora de siops.assinatura.xml_seguro:\n" + "\n".join(achados)
