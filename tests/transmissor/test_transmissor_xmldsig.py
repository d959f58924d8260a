"""XMLDSig envelopada: assinatura com A1, conferência por xmlsec1 e resistência a envelopamento."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path

import pytest
from lxml import etree

from siops.assinatura import xmldsig
from siops.assinatura.assinador import AssinadorA1, AssinadorChave, SenhaIncorreta
from siops.assinatura.certificados import CertificadoInvalido
from siops.transmissor import icp_teste

NS = "urn:siops:teste:1"
DOC = (
    f'<?xml version="1.0" encoding="UTF-8"?>\n<declaracao xmlns="{NS}" versao="1">'
    '<ente codigo="M355030">São Paulo</ente><celula t="receitas" l="iptu" c="realizada">1234.56</celula>'
    "</declaracao>"
).encode()


def _xmlsec(
    xmlsec1: str, hier: icp_teste.HierarquiaTeste, arquivo: Path, com_intermediaria: bool = True
):
    args = [xmlsec1, "--verify", "--trusted-pem", str(hier.raiz_pem)]
    if com_intermediaria:
        args += ["--untrusted-pem", str(hier.intermediaria_pem)]
    return subprocess.run([*args, str(arquivo)], capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def assinado(a1_tecnico) -> bytes:
    return xmldsig.assinar(DOC, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha))


def test_xmlsec1_aceita_e_recusa_um_byte_mudado(assinado, hierarquia, xmlsec1, tmp_path):
    arq = tmp_path / "assinado.xml"
    arq.write_bytes(assinado)
    r = _xmlsec(xmlsec1, hierarquia, arq)
    assert r.returncode == 0, r.stderr
    assert "OK" in r.stderr
    # a cadeia vai no KeyInfo: só a raiz como confiável também basta
    assert _xmlsec(xmlsec1, hierarquia, arq, com_intermediaria=False).returncode == 0
    mudado = assinado.replace(b"1234.56", b"1234.57")
    assert mudado != assinado
    arq.write_bytes(mudado)
    r = _xmlsec(xmlsec1, hierarquia, arq)
    assert r.returncode != 0
    assert "FAIL" in r.stderr or "fail" in r.stderr


def test_xmlsec1_recusa_raiz_errada(assinado, xmlsec1, tmp_path):
    outra = icp_teste.gerar_hierarquia(tmp_path / "outra")
    arq = tmp_path / "assinado.xml"
    arq.write_bytes(assinado)
    assert _xmlsec(xmlsec1, outra, arq, com_intermediaria=False).returncode != 0


def test_verificar_devolve_o_assinado_e_o_assinante(assinado, hierarquia, constantes):
    v = xmldsig.verificar(assinado, [hierarquia.raiz])
    assert v.fatos.cpf == constantes.cpf_tecnico
    assert v.raiz.tag == f"{{{NS}}}declaracao"
    assert v.raiz.find(f"{{{xmldsig.DS}}}Signature") is None
    assert v.raiz.find(f"{{{NS}}}celula").text == "1234.56"
    assert v.ac_raiz == hierarquia.raiz
    assert len(v.cadeia) == 3


def test_assinatura_e_deterministica(a1_tecnico, assinado):
    """RSA PKCS#1 v1.5 e nada variável: a mesma declaração dá os mesmos bytes (idempotência)."""
    de_novo = xmldsig.assinar(DOC, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha))
    assert de_novo == assinado


def test_um_byte_mudado_e_recusado(assinado, hierarquia):
    with pytest.raises(xmldsig.AssinaturaInvalida, match="alterado depois de assinado"):
        xmldsig.verificar(assinado.replace(b"1234.56", b"9234.56"), [hierarquia.raiz])


def test_assinatura_mudada_e_recusada(assinado, hierarquia):
    arvore = etree.fromstring(assinado)
    valor = arvore.find(f".//{{{xmldsig.DS}}}SignatureValue")
    bruto = bytearray(base64.b64decode(valor.text))
    bruto[10] ^= 1
    valor.text = base64.b64encode(bytes(bruto)).decode()
    with pytest.raises(xmldsig.AssinaturaInvalida, match="não confere"):
        xmldsig.verificar(etree.tostring(arvore), [hierarquia.raiz])


def test_raiz_nao_configurada_recusa(assinado, tmp_path):
    outra = icp_teste.gerar_hierarquia(tmp_path / "outra")
    with pytest.raises(CertificadoInvalido, match="confiável"):
        xmldsig.verificar(assinado, [outra.raiz])


def test_certificado_trocado_no_keyinfo_e_recusado(assinado, hierarquia, a1_outro):
    """Trocar o certificado do KeyInfo pelo de outra pessoa (válido) não faz a assinatura valer."""
    arvore = etree.fromstring(assinado)
    no = arvore.find(f".//{{{xmldsig.DS}}}X509Certificate")
    from cryptography.hazmat.primitives.serialization import Encoding

    no.text = base64.b64encode(a1_outro.emitido.cert.public_bytes(Encoding.DER)).decode()
    with pytest.raises(xmldsig.AssinaturaInvalida):
        xmldsig.verificar(etree.tostring(arvore), [hierarquia.raiz])


def test_vencido_no_momento_da_verificacao(hierarquia, a1_vencido):
    # assinado "no passado", quando ainda valia, e conferido hoje
    emitido = a1_vencido.emitido
    assinador = AssinadorChave(emitido.chave, emitido.cert, emitido.cadeia)
    xml = xmldsig.assinar(DOC, assinador)
    with pytest.raises(CertificadoInvalido, match="venceu em"):
        xmldsig.verificar(xml, [hierarquia.raiz])
    quando = emitido.cert.not_valid_before_utc.replace(microsecond=0)
    v = xmldsig.verificar(
        xml, [hierarquia.raiz], quando=quando + (emitido.cert.not_valid_after_utc - quando) / 2
    )
    assert v.fatos.nome == "TECNICA DE TESTE"


# ------------------------------------------------------------------ envelopamento (wrapping)


def _sig(xml: bytes) -> etree._Element:
    return etree.fromstring(xml).find(f"{{{xmldsig.DS}}}Signature")


def test_envelopar_o_original_dentro_de_outra_raiz(assinado, hierarquia):
    """Ataque clássico: nova raiz com conteúdo falso, o original assinado escondido dentro."""
    original = etree.fromstring(assinado)
    falsa = etree.Element(f"{{{NS}}}declaracao", nsmap={None: NS})
    etree.SubElement(falsa, f"{{{NS}}}celula", t="receitas", l="iptu", c="realizada").text = "1.00"
    falsa.append(original)
    with pytest.raises(xmldsig.AssinaturaInvalida):
        xmldsig.verificar(etree.tostring(falsa), [hierarquia.raiz])


def test_assinatura_movida_para_dentro_de_um_filho(assinado, hierarquia):
    raiz = etree.fromstring(assinado)
    s = raiz.find(f"{{{xmldsig.DS}}}Signature")
    raiz.remove(s)
    raiz.find(f"{{{NS}}}ente").append(s)
    with pytest.raises(xmldsig.AssinaturaInvalida, match="logo abaixo do elemento raiz"):
        xmldsig.verificar(etree.tostring(raiz), [hierarquia.raiz])


def test_duas_assinaturas(assinado, hierarquia):
    raiz = etree.fromstring(assinado)
    raiz.append(_sig(assinado))
    with pytest.raises(xmldsig.AssinaturaInvalida, match="mais de uma assinatura"):
        xmldsig.verificar(etree.tostring(raiz), [hierarquia.raiz])


def test_referencia_a_um_id_e_recusada(a1_tecnico, hierarquia):
    """Uma assinatura válida de só um pedaço (Reference URI="#x") não vale pelo documento."""
    from signxml import DigestAlgorithm, SignatureMethod, XMLSigner, methods

    doc = etree.fromstring(
        f'<declaracao xmlns="{NS}"><celula Id="x">1.00</celula><celula>999.00</celula></declaracao>'.encode()
    )
    signer = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
    )
    e = a1_tecnico.emitido
    xml = etree.tostring(
        signer.sign(doc, key=e.chave, cert=[e.cert, *e.cadeia], reference_uri="#x")
    )
    with pytest.raises(xmldsig.AssinaturaInvalida, match='URI=""'):
        xmldsig.verificar(xml, [hierarquia.raiz])


def test_segunda_declaracao_dentro_da_primeira(a1_tecnico, hierarquia):
    doc = (
        f'<declaracao xmlns="{NS}"><celula>1.00</celula><declaracao><celula>2.00</celula></declaracao>'
        "</declaracao>"
    ).encode()
    xml = xmldsig.assinar(doc, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha))
    with pytest.raises(xmldsig.AssinaturaInvalida, match="segundo elemento"):
        xmldsig.verificar(xml, [hierarquia.raiz])


def test_raiz_esperada(assinado, hierarquia):
    assert xmldsig.verificar(assinado, [hierarquia.raiz], raiz_esperada="declaracao")
    with pytest.raises(xmldsig.AssinaturaInvalida, match="não é o esperado"):
        xmldsig.verificar(assinado, [hierarquia.raiz], raiz_esperada="homologacao")


def test_comentario_injetado_nao_entra_no_conteudo(assinado, hierarquia):
    """Comentários não são assinados (C14N sem comentários): dentro da raiz eles partiriam o
    valor lido dos bytes (``1234``) sem mudar o assinado (``1234.56``), então são recusados,
    como as instruções de processamento (issue 17, item 3); fora da raiz não mudam nada e o
    conteúdo assinado — e o seu digest — é o mesmo."""
    for injetado in (b"<!-- x -->", b"<?pi x?>"):
        xml = assinado.replace(b"1234.56</celula>", b"1234" + injetado + b".56</celula>")
        with pytest.raises(xmldsig.ConteudoNaoAssinado, match="dentro do conteúdo assinado"):
            xmldsig.verificar(xml, [hierarquia.raiz])
    v0 = xmldsig.verificar(assinado, [hierarquia.raiz])
    v = xmldsig.verificar(assinado + b"<!-- fora -->\n", [hierarquia.raiz])
    assert v.raiz.find(f"{{{NS}}}celula").text == "1234.56"
    assert v.digest == v0.digest and len(v.digest) == 64


def test_assinar_recusa_comentario_dentro_da_raiz(a1_tecnico):
    """O assinador recusa o que o verificador (e o servidor) recusaria: assinar um arquivo com
    comentário ou instrução de processamento dentro da raiz só adiaria a recusa."""
    assinador = AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha)
    for injetado in (b"<!-- x -->", b"<?pi x?>"):
        xml = DOC.replace(b"1234.56</celula>", b"1234" + injetado + b".56</celula>")
        with pytest.raises(xmldsig.ConteudoNaoAssinado, match="dentro do conteúdo assinado"):
            xmldsig.assinar(xml, assinador)
    # fora da raiz não muda o que é assinado: assina
    assert b"SignatureValue" in xmldsig.assinar(DOC + b"\n<!-- fora -->", assinador)


def test_dtd_e_entidades_sao_recusados(assinado, hierarquia):
    com_dtd = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e "x">]>' + assinado.split(b"?>", 1)[1]
    with pytest.raises(xmldsig.AssinaturaInvalida, match="DOCTYPE"):
        xmldsig.verificar(com_dtd, [hierarquia.raiz])
    bomba = b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY e SYSTEM "file:///etc/passwd">]><d>&e;</d>'
    with pytest.raises(xmldsig.AssinaturaInvalida):
        xmldsig.verificar(bomba, [hierarquia.raiz])


def test_nao_assinado_e_xml_invalido(hierarquia):
    with pytest.raises(xmldsig.AssinaturaInvalida, match="não está assinado"):
        xmldsig.verificar(DOC, [hierarquia.raiz])
    with pytest.raises(xmldsig.AssinaturaInvalida, match="não é um XML válido"):
        xmldsig.verificar(b"<a><b></a>", [hierarquia.raiz])


def test_nao_assina_duas_vezes(assinado, a1_tecnico):
    with pytest.raises(xmldsig.AssinaturaInvalida, match="já está assinado"):
        xmldsig.assinar(assinado, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha))


def test_senha_errada_do_a1(a1_tecnico):
    with pytest.raises(SenhaIncorreta) as erro:
        AssinadorA1(a1_tecnico.caminho, "errada")
    assert "senha do certificado A1" in str(erro.value) and "incorreta" in str(erro.value)


def test_a1_traz_a_cadeia_em_ordem(a1_tecnico, hierarquia):
    a = AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha)
    assert a.cadeia == (hierarquia.intermediaria, hierarquia.raiz)
    assert a.fatos.nome == "TECNICA DE TESTE"


def test_arquivo_que_nao_e_pfx(tmp_path):
    from siops.assinatura.assinador import ErroAssinador

    arq = tmp_path / "nao.pfx"
    arq.write_bytes(b"isto nao e um pfx")
    with pytest.raises(ErroAssinador, match="não é um certificado A1 válido"):
        AssinadorA1(arq, "x")
    with pytest.raises(ErroAssinador, match="não foi encontrado"):
        AssinadorA1(tmp_path / "ausente.pfx", "x")
