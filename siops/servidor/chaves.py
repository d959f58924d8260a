"""A chave e os certificados com que o servidor assina os recibos.

Na primeira partida, se ``DIR/chaves/`` não tem os arquivos, o servidor cria uma pequena
hierarquia **própria e autoemitida** (não é ICP-Brasil):

* ``ac-recibos.pem`` — "AC de Recibos do Servidor SIOPS", raiz autoassinada (a âncora de
  confiança: é o que ``GET /api/v1/certificado`` entrega e o que se passa a
  ``xmlsec1 --trusted-pem``);
* ``recibos.pem`` / ``recibos.key`` (0600) — o certificado de assinatura de recibos, emitido
  por ela, que vai no KeyInfo de cada recibo.

A chave da AC não é guardada (só serviu para emitir o certificado de recibos): para trocar o
certificado, apague a pasta com o servidor parado (os recibos antigos continuam verificáveis
com a AC antiga, que o transmissor guardou). Para usar um certificado de uma AC de verdade,
ponha no lugar ``recibos.pem``, ``recibos.key`` e, em ``ac-recibos.pem``, a raiz dessa AC.
O formato em duas camadas existe porque a verificação do projeto (``transmissor.xmldsig``)
exige, como na ICP-Brasil, um titular que não é AC e uma cadeia até uma raiz que é.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ARQ_AC = "ac-recibos.pem"
ARQ_CERT = "recibos.pem"
ARQ_CHAVE = "recibos.key"
TAMANHO_CHAVE = 3072


@dataclass(frozen=True)
class ChavesRecibo:
    """A âncora (AC), o certificado de recibos e sua chave privada."""

    ac: x509.Certificate
    certificado: x509.Certificate
    chave: rsa.RSAPrivateKey

    def ac_pem(self) -> bytes:
        """A AC de recibos em PEM (o que ``GET /api/v1/certificado`` entrega)."""
        return self.ac.public_bytes(serialization.Encoding.PEM)

    @property
    def nome(self) -> str:
        """O CN do certificado de recibos."""
        return str(self.certificado.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value)


def _nome(cn: str) -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Servidor SIOPS"),
            x509.NameAttribute(NameOID.COMMON_NAME, cn),
        ]
    )


def _uso(assinar_certs: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=not assinar_certs,
        content_commitment=not assinar_certs,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=assinar_certs,
        crl_sign=assinar_certs,
        encipher_only=False,
        decipher_only=False,
    )


def gerar(nome_servidor: str = "Servidor SIOPS") -> ChavesRecibo:
    """Uma AC autoassinada nova e o certificado de recibos emitido por ela (10 anos)."""
    inicio = dt.datetime.now(dt.UTC).replace(microsecond=0) - dt.timedelta(days=1)
    fim = inicio + dt.timedelta(days=3652)
    chave_ac = rsa.generate_private_key(public_exponent=65537, key_size=TAMANHO_CHAVE)
    chave = rsa.generate_private_key(public_exponent=65537, key_size=TAMANHO_CHAVE)
    nome_ac = _nome(f"AC de Recibos — {nome_servidor}")
    ac = (
        x509.CertificateBuilder()
        .subject_name(nome_ac)
        .issuer_name(nome_ac)
        .public_key(chave_ac.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(inicio)
        .not_valid_after(fim)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_uso(True), critical=True)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(chave_ac.public_key()), False)
        .sign(chave_ac, hashes.SHA256())
    )
    cert = (
        x509.CertificateBuilder()
        .subject_name(_nome(f"{nome_servidor} — recibos"))
        .issuer_name(nome_ac)
        .public_key(chave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(inicio)
        .not_valid_after(fim)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_uso(False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CLIENT_AUTH]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(chave.public_key()), False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(chave_ac.public_key()), False
        )
        .sign(chave_ac, hashes.SHA256())
    )
    return ChavesRecibo(ac, cert, chave)


def _gravar(caminho: Path, dados: bytes, modo: int) -> None:
    tmp = caminho.with_name(caminho.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, modo)
    with os.fdopen(fd, "wb") as f:
        f.write(dados)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, caminho)


def carregar_ou_gerar(pasta: Path, nome_servidor: str = "Servidor SIOPS") -> ChavesRecibo:
    """As chaves de ``pasta``; gera e grava (chave em modo 0600) se ainda não existem."""
    pasta = Path(pasta)
    arq_ac, arq_cert, arq_chave = pasta / ARQ_AC, pasta / ARQ_CERT, pasta / ARQ_CHAVE
    if not (arq_ac.exists() and arq_cert.exists() and arq_chave.exists()):
        pasta.mkdir(parents=True, exist_ok=True, mode=0o700)
        novas = gerar(nome_servidor)
        _gravar(
            arq_chave,
            novas.chave.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            ),
            0o600,
        )
        _gravar(arq_cert, novas.certificado.public_bytes(serialization.Encoding.PEM), 0o644)
        _gravar(arq_ac, novas.ac_pem(), 0o644)
    chave = serialization.load_pem_private_key(arq_chave.read_bytes(), password=None)
    if not isinstance(chave, rsa.RSAPrivateKey):
        raise ValueError(f"{arq_chave}: a chave de recibos deve ser RSA.")
    return ChavesRecibo(
        ac=x509.load_pem_x509_certificate(arq_ac.read_bytes()),
        certificado=x509.load_pem_x509_certificate(arq_cert.read_bytes()),
        chave=chave,
    )
