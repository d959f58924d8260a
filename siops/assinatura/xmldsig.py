"""Assinatura XMLDSig envelopada (RSA-SHA256) e a sua verificação, à prova de envelopamento.

A assinatura é padrão e conferível por ferramentas que não escrevemos (``xmlsec1 --verify``
com a raiz como ``--trusted-pem``): uma ``ds:Signature`` filha do elemento raiz, uma única
``Reference URI=""`` (o documento inteiro, menos a própria assinatura), transformações
enveloped-signature + C14N exclusiva, e o certificado do titular (e a cadeia) no KeyInfo.

A verificação (``verificar``) é a mesma no transmissor e no servidor:
1. analisa o XML com o parser endurecido do projeto (``xml_seguro``: sem DTD, sem entidades,
   sem rede, tamanho e aninhamento limitados; STYLE hábito 13);
2. exige exatamente uma ``ds:Signature`` no documento, filha da raiz, com uma só referência
   ``URI=""`` — assim não há como esconder conteúdo não assinado ao lado do assinado
   (ataque de envelopamento de assinatura);
3. verifica a assinatura com signxml usando o certificado do KeyInfo (``x509_cert=``);
4. valida a cadeia desse certificado até as raízes configuradas (``certificados``);
5. devolve o elemento que o signxml diz ter sido assinado (``signed_xml``): o chamador usa
   esse, nunca o documento recebido.

Dentro do elemento raiz não pode haver comentários nem instruções de processamento
(``ConteudoNaoAssinado``): a C14N exclusiva descarta os comentários, de modo que
``1563<!-- -->564.72`` conserva a assinatura válida enquanto quem lê os bytes guardados vê outro
valor (``1563``). Recusando-os, os bytes recebidos e o conteúdo assinado dizem a mesma coisa, e
quem guarda os bytes verificados pode lê-los de novo sem surpresa. O que a assinatura cobre é
``Verificado.conteudo``; o seu SHA-256 (``Verificado.digest``) identifica o documento assinado
independentemente dos bytes que ela não cobre (declaração XML, quebras de linha e comentários
fora da raiz, espaços no base64 da assinatura) — é com ele que se decide "vale uma só vez".
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from lxml import etree
from signxml import (
    CanonicalizationMethod,
    DigestAlgorithm,
    SignatureMethod,
    XMLSigner,
    XMLVerifier,
    methods,
)
from signxml.exceptions import (
    InvalidCertificate,
    InvalidDigest,
    InvalidInput,
    InvalidSignature,
    SignXMLException,
)
from signxml.verifier import SignatureConfiguration

from siops.assinatura import xml_seguro
from siops.assinatura.assinador import Assinador, ErroAssinador
from siops.assinatura.certificados import (
    CertificadoInvalido,
    FatosCertificado,
    fatos,
    validar_cadeia,
)
from siops.assinatura.revogacao import Revogacao

DS = "http://www.w3.org/2000/09/xmldsig#"
C14N_EXCLUSIVA = "http://www.w3.org/2001/10/xml-exc-c14n#"
ENVELOPED = "http://www.w3.org/2000/09/xmldsig#enveloped-signature"

_TRANSFORMACOES_ACEITAS = {
    ENVELOPED,
    C14N_EXCLUSIVA,
    "http://www.w3.org/2001/10/xml-exc-c14n#WithComments",
    "http://www.w3.org/TR/2001/REC-xml-c14n-20010315",
    "http://www.w3.org/2006/12/xml-c14n11",
}


class AssinaturaInvalida(Exception):
    """A assinatura não confere, está malformada ou o assinante não é confiável.

    ``str(erro)`` é a mensagem em português para o usuário.
    """


class ConteudoNaoAssinado(AssinaturaInvalida):
    """Há dentro do elemento raiz algo que a assinatura não cobre como conteúdo (comentário)
    ou que parte os valores (instrução de processamento)."""


@dataclass(frozen=True)
class Verificado:
    """O resultado de uma verificação bem-sucedida.

    ``cert``/``fatos``: o certificado do assinante e o que ele diz (nome, CPF…); ``raiz``: o
    elemento assinado, como o signxml o devolveu (sem a assinatura) — é o único conteúdo em
    que se pode confiar; ``cadeia``: titular → … → AC raiz; ``conteudo``: os bytes canônicos
    assinados (o que ``raiz`` serializa).
    """

    cert: x509.Certificate
    fatos: FatosCertificado
    raiz: etree._Element
    cadeia: tuple[x509.Certificate, ...] = ()
    conteudo: bytes = b""

    @property
    def digest(self) -> str:
        """O SHA-256 (hexadecimal) do conteúdo canônico assinado: a identidade do documento."""
        return hashlib.sha256(self.conteudo).hexdigest()

    @property
    def ac_raiz(self) -> x509.Certificate | None:
        """A AC raiz em que a cadeia terminou."""
        return self.cadeia[-1] if self.cadeia else None


def analisar(xml: bytes) -> etree._ElementTree:
    """Analisa ``xml`` com o parser endurecido do projeto (``xml_seguro``) e traduz as recusas
    (DTD, entidades, tamanho, codificação, sintaxe) em ``AssinaturaInvalida``."""
    try:
        return etree.ElementTree(xml_seguro.analisar(xml))
    except xml_seguro.XMLRecusado as exc:
        raise AssinaturaInvalida(_motivo(exc)) from None


def _motivo(exc: xml_seguro.XMLRecusado) -> str:
    linha = f" (linha {exc.linha})" if exc.linha else ""
    if isinstance(exc, xml_seguro.XMLGrandeDemais):
        return "O documento é grande demais para ser uma declaração do SIOPS."
    if isinstance(exc, xml_seguro.DTDRecusada):
        return f"O documento traz uma declaração DOCTYPE/DTD, que não é aceita{linha}."
    if isinstance(exc, xml_seguro.EntidadeRecusada):
        return f"O documento traz entidades XML, que não são aceitas{linha}."
    if isinstance(exc, xml_seguro.CodificacaoRecusada):
        return f"O documento não está em UTF-8, a codificação exigida{linha}."
    if isinstance(exc, xml_seguro.ProfundidadeExcessiva):
        return f"O documento não é um XML válido: elementos aninhados demais{linha}."
    if isinstance(exc, xml_seguro.XMLVazio):
        return "O documento não é um XML válido: está vazio."
    return f"O documento não é um XML válido{linha}."


def _signer() -> XMLSigner:
    return XMLSigner(
        method=methods.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
        c14n_algorithm=CanonicalizationMethod.EXCLUSIVE_XML_CANONICALIZATION_1_0,
    )


def assinar(xml: bytes, assinador: Assinador) -> bytes:
    """Assina ``xml`` (envelopada, RSA-SHA256) com o certificado e a cadeia no KeyInfo.

    O documento não pode já ter uma assinatura, nem comentários ou instruções de processamento
    dentro da raiz (``ConteudoNaoAssinado``: o verificador os recusa, então assiná-los só
    adiaria a recusa para o servidor). A chave é usada só por ``.sign()`` (no A3 a assinatura
    acontece no token); ``cert=`` é passado para o signxml não precisar da chave pública pela
    chave privada.
    """
    arvore = analisar(xml)
    raiz = arvore.getroot()
    if raiz.find(f".//{{{DS}}}Signature") is not None:
        raise AssinaturaInvalida("O documento já está assinado; assine o original, sem assinatura.")
    _recusar_nao_assinado(raiz)
    certs = [assinador.certificado, *assinador.cadeia]
    try:
        assinado = _signer().sign(raiz, key=assinador.chave_privada(), cert=certs)
    except ErroAssinador:
        raise
    except (SignXMLException, ValueError) as erro:
        raise AssinaturaInvalida(f"Não foi possível assinar o documento: {erro}") from None
    return etree.tostring(assinado, xml_declaration=True, encoding="UTF-8")


def _recusar_nao_assinado(raiz: etree._Element) -> None:
    """``ConteudoNaoAssinado`` se há comentário ou instrução de processamento dentro da raiz."""
    for no in raiz.iter(etree.Comment, etree.ProcessingInstruction):
        linha = f" (linha {no.sourceline})" if no.sourceline else ""
        if isinstance(no, etree._Comment):
            achado = "um comentário (<!-- … -->)"
        else:
            achado = "uma instrução de processamento (<? … ?>)"
        raise ConteudoNaoAssinado(
            f"O documento traz {achado} dentro do conteúdo assinado{linha}. Comentários e "
            "instruções de processamento não são aceitos dentro do elemento raiz: a assinatura "
            "não cobre os comentários e ambos podem partir um valor, de modo que o que foi "
            "assinado e o que se lê no arquivo seriam diferentes. Gere o documento de novo e "
            "assine-o outra vez."
        )


def _certs_do_keyinfo(assinatura: etree._Element) -> list[x509.Certificate]:
    certs = []
    for no in assinatura.findall(f"{{{DS}}}KeyInfo/{{{DS}}}X509Data/{{{DS}}}X509Certificate"):
        texto = "".join((no.text or "").split())
        try:
            certs.append(x509.load_der_x509_certificate(base64.b64decode(texto, validate=True)))
        except (ValueError, TypeError):
            raise AssinaturaInvalida(
                "Um certificado no KeyInfo da assinatura está corrompido."
            ) from None
    return certs


def _titular(certs: list[x509.Certificate]) -> x509.Certificate:
    """O certificado do assinante: o único do KeyInfo que não é de AC."""

    def e_ac(c: x509.Certificate) -> bool:
        try:
            return bool(c.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
        except x509.ExtensionNotFound:
            return False

    titulares = [c for c in certs if not e_ac(c)]
    if len(titulares) != 1:
        raise AssinaturaInvalida(
            "A assinatura deve trazer no KeyInfo exatamente um certificado de pessoa (e as ACs)."
        )
    return titulares[0]


def _conferir_estrutura(arvore: etree._ElementTree) -> etree._Element:
    """Exige uma só Signature, filha da raiz, com uma só Reference URI="" e transformações conhecidas."""
    raiz = arvore.getroot()
    assinaturas = list(raiz.iter(f"{{{DS}}}Signature"))
    if not assinaturas:
        raise AssinaturaInvalida("O documento não está assinado.")
    if len(assinaturas) > 1:
        raise AssinaturaInvalida("O documento traz mais de uma assinatura; só uma é aceita.")
    assinatura = assinaturas[0]
    if assinatura.getparent() is not raiz:
        raise AssinaturaInvalida(
            "A assinatura deve estar logo abaixo do elemento raiz do documento."
        )
    referencias = assinatura.findall(f"{{{DS}}}SignedInfo/{{{DS}}}Reference")
    if len(referencias) != 1:
        raise AssinaturaInvalida("A assinatura deve ter exatamente uma referência.")
    if referencias[0].get("URI") != "":
        raise AssinaturaInvalida('A assinatura deve cobrir o documento inteiro (Reference URI="").')
    transf = [
        t.get("Algorithm") for t in referencias[0].findall(f"{{{DS}}}Transforms/{{{DS}}}Transform")
    ]
    if ENVELOPED not in transf or any(t not in _TRANSFORMACOES_ACEITAS for t in transf):
        raise AssinaturaInvalida(
            "A assinatura usa transformações não aceitas (só a envelopada e C14N)."
        )
    # Um segundo elemento com o nome da raiz (uma "declaração" dentro da declaração) é sempre
    # suspeito: o conteúdo que vale é o da raiz e nada deve imitá-la por dentro.
    if any(el is not raiz for el in raiz.iter(etree.QName(raiz).text)):
        raise AssinaturaInvalida("O documento traz um segundo elemento igual ao elemento raiz.")
    return assinatura


def verificar(
    xml: bytes,
    raizes: Iterable[x509.Certificate],
    intermediarios: Iterable[x509.Certificate] = (),
    quando: dt.datetime | None = None,
    raiz_esperada: str | None = None,
    cadeia: bool = True,
    revogacao: Revogacao | None = None,
    politica: bool = False,
) -> Verificado:
    """Verifica a assinatura, o assinante e a cadeia; devolve o elemento assinado.

    ``raizes``: as ACs raiz confiáveis; ``intermediarios``: ACs extras (somam-se às do
    KeyInfo); ``quando``: o instante da validação (padrão: agora); ``raiz_esperada``: o nome
    (``{ns}local`` ou ``local``) que o elemento raiz deve ter. Levanta ``AssinaturaInvalida``
    (conteúdo/assinatura; ``ConteudoNaoAssinado`` para comentários e instruções de
    processamento dentro da raiz) ou ``CertificadoInvalido`` (certificado vencido, não
    confiável…). ``cadeia=False`` confere só a assinatura com o certificado do KeyInfo, sem a
    cadeia nem a vigência: serve apenas para reconferir um arquivo que já foi aceito com a
    verificação completa (``siops-servidor admin verificar`` sem raízes configuradas), nunca
    para aceitar um documento novo. ``revogacao``: consulta LCR/OCSP do assinante e das ACs
    (``certificados.validar_cadeia``); None não consulta. ``politica=True`` exige do
    assinante uma Política de Certificado de assinatura ICP-Brasil (o servidor, para os
    documentos de pessoas; um recibo é assinado pela AC de recibos do servidor e não a tem).
    """
    arvore = analisar(xml)
    raiz = arvore.getroot()
    if raiz_esperada is not None:
        nome = etree.QName(raiz)
        if raiz_esperada not in (raiz.tag, nome.localname):
            raise AssinaturaInvalida(
                f"O documento assinado não é o esperado (elemento raiz {nome.localname})."
            )
    assinatura = _conferir_estrutura(arvore)
    _recusar_nao_assinado(raiz)
    certs = _certs_do_keyinfo(assinatura)
    if not certs:
        raise AssinaturaInvalida("A assinatura não traz o certificado do assinante no KeyInfo.")
    titular = _titular(certs)
    agora = quando or dt.datetime.now(dt.UTC)
    if not cadeia:  # só a assinatura: um instante dentro da vigência do próprio certificado
        agora = min(max(agora, titular.not_valid_before_utc), titular.not_valid_after_utc)
    config = SignatureConfiguration(
        require_x509=True,
        location="./",
        expect_references=1,
        signature_methods=frozenset(
            {SignatureMethod.RSA_SHA256, SignatureMethod.RSA_SHA384, SignatureMethod.RSA_SHA512}
        ),
        digest_algorithms=frozenset(
            {DigestAlgorithm.SHA256, DigestAlgorithm.SHA384, DigestAlgorithm.SHA512}
        ),
        verification_time=agora,
    )
    try:
        resultado = XMLVerifier().verify(
            etree.tostring(raiz),
            x509_cert=titular,
            expect_config=config,
            parser=xml_seguro.parser(),
        )
    except InvalidCertificate:
        # vigência do titular: deixa a mensagem a cargo de certificados
        if cadeia:
            validar_cadeia(titular, [*certs, *intermediarios], raizes, agora, politica=politica)
        raise AssinaturaInvalida("O certificado do assinante não é aceito.") from None
    except InvalidDigest:
        raise AssinaturaInvalida(
            "O conteúdo do documento foi alterado depois de assinado (o resumo não confere)."
        ) from None
    except (InvalidSignature, InvalidInput) as erro:
        raise AssinaturaInvalida(f"A assinatura do documento não confere ({erro}).") from None
    except SignXMLException as erro:
        raise AssinaturaInvalida(f"A assinatura do documento é inválida ({erro}).") from None
    except etree.LxmlError:
        # e.g. an element slipped into ds:Signature: the signature's own schema rejects it
        raise AssinaturaInvalida("A assinatura do documento está malformada.") from None
    if isinstance(resultado, list):  # one result per Reference: _conferir_estrutura allows one
        raise AssinaturaInvalida("A assinatura deve ter exatamente uma referência.")
    assinado = resultado.signed_xml
    if assinado is None or assinado.tag != raiz.tag:
        raise AssinaturaInvalida("O elemento assinado não é o elemento raiz do documento.")
    if assinado.find(f".//{{{DS}}}Signature") is not None:
        raise AssinaturaInvalida("O conteúdo assinado contém outra assinatura.")
    outros = [c for c in certs if c != titular]
    caminho = (
        # ``quando`` (None = agora): a consulta de revogação só vale para o instante atual
        validar_cadeia(
            titular, [*outros, *intermediarios], raizes, quando, revogacao, politica=politica
        )
        if cadeia
        else []
    )
    try:
        f = fatos(titular)
    except CertificadoInvalido:
        raise
    return Verificado(titular, f, assinado, tuple(caminho), resultado.signed_data)


def conteudo_sem_assinatura(xml: bytes) -> bytes:
    """O documento sem a ``ds:Signature`` (sem verificar nada): para mostrar ou comparar."""
    arvore = analisar(xml)
    for s in list(arvore.getroot().iter(f"{{{DS}}}Signature")):
        pai = s.getparent()
        if pai is not None:
            pai.remove(s)
    return etree.tostring(arvore, xml_declaration=True, encoding="UTF-8")
