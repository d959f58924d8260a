"""Assinatura PAdES do demonstrativo homologado, com o mesmo ``Assinador`` (A1 ou token).

Além do programa oficial: o PDF do RREO Anexo 12 homologado leva a assinatura digital do
gestor dentro dele (issue 7, item 5). O pyHanko monta o CMS; a assinatura bruta é feita por
``Assinador.chave_privada().sign(...)`` — no A3, no token — através de um ``Signer`` próprio.
"""

from __future__ import annotations

import asyncio
import io
from collections.abc import Callable
from typing import Any

from asn1crypto import algos
from asn1crypto import x509 as ax509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko_certvalidator.registry import SimpleCertificateStore

from siops.assinatura.assinador import Assinador, ErroAssinador

CAMPO = "AssinaturaGestor"
_HASHES: dict[str, Callable[[], hashes.HashAlgorithm]] = {
    "sha256": hashes.SHA256,
    "sha384": hashes.SHA384,
    "sha512": hashes.SHA512,
}


class ErroPAdES(Exception):
    """Não foi possível assinar o PDF (mensagem em português)."""


def _asn1(cert: Any) -> ax509.Certificate:
    return ax509.Certificate.load(cert.public_bytes(Encoding.DER))


class SignerAssinador(signers.Signer):
    """Um ``Signer`` do pyHanko sobre o nosso ``Assinador`` (RSA PKCS#1 v1.5)."""

    def __init__(self, assinador: Assinador) -> None:
        self._assinador = assinador
        super().__init__(
            signing_cert=_asn1(assinador.certificado),
            cert_registry=SimpleCertificateStore.from_certs([_asn1(c) for c in assinador.cadeia]),
            signature_mechanism=algos.SignedDigestAlgorithm({"algorithm": "sha256_rsa"}),
            embed_roots=True,
        )

    async def async_sign_raw(
        self, data: bytes, digest_algorithm: str, dry_run: bool = False
    ) -> bytes:
        """Assina ``data`` com a chave do assinador (no token, se A3)."""
        publica = self._assinador.certificado.public_key()
        if not isinstance(publica, rsa.RSAPublicKey):  # the mechanism above is sha256_rsa
            raise ErroPAdES("O certificado do assinante não tem chave RSA.")
        tamanho = publica.key_size // 8
        if dry_run:
            return bytes(tamanho)
        algoritmo = _HASHES.get(digest_algorithm.lower())
        if algoritmo is None:
            raise ErroPAdES(f"Algoritmo de resumo não suportado: {digest_algorithm}.")
        chave = self._assinador.chave_privada()
        # a chave do token bloqueia na thread dele; não prende o laço de eventos
        return await asyncio.to_thread(chave.sign, data, padding.PKCS1v15(), algoritmo())


def assinar_pdf(
    pdf: bytes,
    assinador: Assinador,
    motivo: str = "Homologação dos dados do SIOPS pelo Gestor do SUS",
    local: str = "",
) -> bytes:
    """Devolve o PDF com uma assinatura PAdES (B-B) do titular do ``assinador``."""
    nome = assinador.fatos.nome
    meta = signers.PdfSignatureMetadata(
        field_name=CAMPO,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=motivo,
        location=local or None,
        name=nome,
    )
    try:
        escritor = IncrementalPdfFileWriter(io.BytesIO(pdf))
        saida = signers.sign_pdf(escritor, meta, signer=SignerAssinador(assinador))
    except (ErroPAdES, ErroAssinador):
        raise
    except Exception as erro:
        raise ErroPAdES(f"Não foi possível assinar o demonstrativo em PDF: {erro}") from erro
    return saida.getvalue()
