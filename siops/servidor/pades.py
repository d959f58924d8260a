"""Conferência do demonstrativo em PDF assinado pelo gestor (PAdES), com o pyHanko.

O PDF só é aceito se (1) o SHA-256 é o anunciado na homologação assinada (conferido em
``homologacao``), (2) traz uma assinatura PAdES íntegra, que cobre o arquivo inteiro, de um
certificado com cadeia até as raízes configuradas, não revogado (a mesma política de
revogação dos documentos XML: ``revogacao`` do ``servidor.json``), e (3) o CPF desse
certificado é o do gestor que homologou.
"""

from __future__ import annotations

import io
import logging

from asn1crypto import x509 as ax509
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding

from siops.assinatura.certificados import CertificadoInvalido, fatos, validar_cadeia
from siops.assinatura.revogacao import Revogacao
from siops.servidor import cpf as cpfs
from siops.servidor.erros import ErroAPI

_log = logging.getLogger("siops.servidor.pades")


def _asn1(c: x509.Certificate) -> ax509.Certificate:
    return ax509.Certificate.load(c.public_bytes(Encoding.DER))


def _recusa(motivo: str) -> ErroAPI:
    return ErroAPI(
        422,
        "demonstrativo_nao_confere",
        "O demonstrativo em PDF não traz uma assinatura digital válida do gestor.",
        [motivo],
    )


def verificar(
    pdf: bytes,
    raizes: list[x509.Certificate],
    intermediarios: list[x509.Certificate],
    cpf_gestor: str,
    revogacao: Revogacao | None = None,
) -> None:
    """Levanta ``ErroAPI`` 422 se a assinatura PAdES não serve (ver a docstring do módulo).

    O certificado que assinou passa também por ``certificados.validar_cadeia`` com a
    ``revogacao`` do servidor — a mesma dos documentos XML assinados: revogado, recusado; LCR
    que não pôde ser obtida, recusado na estrita (com o endereço); política que não é de
    assinatura ICP-Brasil (A1–A4), recusado.
    """
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.general import CMSExtractionError, CMSStructuralError
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        leitor = PdfFileReader(io.BytesIO(pdf), strict=False)
        assinaturas = leitor.embedded_signatures
    except Exception as exc:  # PDF ilegível: o pyHanko levanta vários tipos
        raise _recusa(f"O PDF não pôde ser lido ({type(exc).__name__}).") from None
    if not assinaturas:
        raise _recusa("O PDF não está assinado (assine-o com o certificado do gestor).")
    contexto = ValidationContext(
        trust_roots=[_asn1(c) for c in raizes],
        other_certs=[_asn1(c) for c in intermediarios],
        allow_fetching=False,
    )
    assinatura = assinaturas[-1]
    try:
        estado = validate_pdf_signature(assinatura, contexto)
    except (SignatureValidationError, CMSExtractionError, CMSStructuralError, ValueError) as exc:
        raise _recusa(f"A assinatura do PDF não pôde ser validada: {exc}") from None
    if not (estado.intact and estado.valid):
        raise _recusa("A assinatura do PDF não confere: o arquivo foi alterado depois de assinado.")
    if not estado.trusted:
        raise _recusa("O certificado que assinou o PDF não tem cadeia até uma AC raiz aceita.")
    if assinatura.coverage is None or assinatura.coverage.name != "ENTIRE_FILE":
        raise _recusa("A assinatura do PDF não cobre o arquivo inteiro.")
    cert = x509.load_der_x509_certificate(estado.signing_cert.dump())
    caminho = [x509.load_der_x509_certificate(c.dump()) for c in estado.validation_path or ()]
    try:
        validar_cadeia(cert, [*caminho, *intermediarios], raizes, revogacao=revogacao)
        cpf = cpfs.normalizar(fatos(cert).cpf or "")
    except CertificadoInvalido as exc:
        raise _recusa(str(exc)) from None
    if cpf != cpf_gestor:
        raise _recusa(
            # the upload is anonymous: masked CPFs only (nothing anonymous shows a CPF)
            f"O PDF foi assinado por CPF {cpfs.mascarar(cpf) if cpf else '(sem CPF)'}, não pelo "
            f"gestor que homologou (CPF {cpfs.mascarar(cpf_gestor)})."
        )
