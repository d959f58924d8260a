"""Tokens de teste no SoftHSM2: um "A3" de verdade para testes, demonstração e medições.

Como o pipeline do pyHanko (STYLE hábito 11): um ``SOFTHSM2_CONF`` próprio apontando para uma
pasta temporária de tokens, tokens iniciados com ``softhsm2-util``, chave RSA gerada *no* token
(``store=True``, ``CKA_SENSITIVE`` verdadeiro, ``CKA_EXTRACTABLE`` falso) e o e-CPF de teste
gravado ao lado dela com o mesmo CKA_ID.

O SoftHSM2 lê ``SOFTHSM2_CONF`` quando o módulo é iniciado, e o módulo é carregado uma vez por
processo (``assinador``): ``preparar_softhsm`` deve vir antes do primeiro uso e os tokens
devem ser criados antes de o módulo ser carregado.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from siops.assinatura.assinador import TRABALHADOR, _biblioteca, _escolher_token
from siops.transmissor import icp_teste

MODULO_SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"
"""O módulo do pacote ``softhsm2`` do Debian."""


class SoftHSMIndisponivel(RuntimeError):
    """O SoftHSM2 (``softhsm2-util`` e o módulo) não está instalado."""


@dataclass(frozen=True)
class TokenTeste:
    """Um token de teste: rótulo, PINs e o certificado gravado (se houver)."""

    rotulo: str
    pin: str
    so_pin: str
    cka_id: bytes | None = None
    cert: x509.Certificate | None = None


def exigir_softhsm() -> str:
    """Confere que o SoftHSM2 está instalado; devolve o caminho do módulo."""
    if not os.path.exists(MODULO_SOFTHSM) or shutil.which("softhsm2-util") is None:
        raise SoftHSMIndisponivel(
            "SoftHSM2 não instalado: apt-get install softhsm2 (módulo " + MODULO_SOFTHSM + ")."
        )
    return MODULO_SOFTHSM


def preparar_softhsm(pasta: str | os.PathLike[str]) -> Path:
    """Cria ``pasta/softhsm2.conf`` e ``pasta/tokens`` e aponta ``SOFTHSM2_CONF`` para eles."""
    exigir_softhsm()
    base = Path(pasta)
    tokens = base / "tokens"
    tokens.mkdir(parents=True, exist_ok=True)
    conf = base / "softhsm2.conf"
    conf.write_text(
        f"directories.tokendir = {tokens}\nobjectstore.backend = file\nlog.level = ERROR\n",
        encoding="utf-8",
    )
    os.environ["SOFTHSM2_CONF"] = str(conf)
    return conf


def iniciar_token(rotulo: str, pin: str = "123456", so_pin: str = "12345678") -> TokenTeste:
    """Inicia um token vazio no próximo slot livre (``softhsm2-util --init-token --free``)."""
    exigir_softhsm()
    r = subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            rotulo,
            "--pin",
            pin,
            "--so-pin",
            so_pin,
        ],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=False,
    )
    if r.returncode != 0:
        raise RuntimeError(f"softhsm2-util falhou: {r.stderr or r.stdout}")
    return TokenTeste(rotulo, pin, so_pin)


def _publica_de(chave_pub: Any) -> rsa.RSAPublicKey:
    from pkcs11.util.rsa import encode_rsa_public_key

    der_pkcs1 = encode_rsa_public_key(chave_pub)
    publica = serialization.load_der_public_key(_spki_de_pkcs1(der_pkcs1))
    assert isinstance(publica, rsa.RSAPublicKey)
    return publica


def _spki_de_pkcs1(der_pkcs1: bytes) -> bytes:
    """Envolve um RSAPublicKey (PKCS#1) num SubjectPublicKeyInfo."""
    alg = bytes.fromhex("300d06092a864886f70d0101010500")
    bits = b"\x00" + der_pkcs1

    def tlv(tag: int, conteudo: bytes) -> bytes:
        n = len(conteudo)
        if n < 0x80:
            return bytes([tag, n]) + conteudo
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        return bytes([tag, 0x80 | len(b)]) + b + conteudo

    return tlv(0x30, alg + tlv(0x03, bits))


def gerar_chave_e_certificado(
    token: TokenTeste,
    hier: icp_teste.HierarquiaTeste,
    nome: str,
    cpf: str,
    cka_id: bytes = b"\x01",
    modulo: str = MODULO_SOFTHSM,
    gravar_cadeia: bool = False,
    **emissao: Any,
) -> TokenTeste:
    """Gera no token um par RSA 2048 não extraível e grava nele o e-CPF de teste emitido para ele.

    ``emissao`` vai para ``icp_teste.emitir_ecpf`` (``inicio``, ``dias``…). Com
    ``gravar_cadeia``, grava também a intermediária e a raiz (como fazem algumas ACs).
    """
    import pkcs11
    from pkcs11 import Attribute, KeyType, ObjectClass

    def trabalho() -> x509.Certificate:
        t = _escolher_token(_biblioteca(modulo), token.rotulo, modulo)
        with t.open(rw=True, user_pin=token.pin) as sessao:
            pub, _priv = sessao.generate_keypair(
                KeyType.RSA,
                2048,
                id=cka_id,
                label=nome,
                store=True,
                private_template={
                    Attribute.SENSITIVE: True,
                    Attribute.EXTRACTABLE: False,
                    Attribute.SIGN: True,
                    Attribute.TOKEN: True,
                    Attribute.PRIVATE: True,
                },
                public_template={Attribute.VERIFY: True, Attribute.TOKEN: True},
            )
            emitido = icp_teste.emitir_ecpf(hier, nome, cpf, chave=_publica_de(pub), **emissao)
            certs = [(emitido.cert, cka_id, nome)]
            if gravar_cadeia:
                certs += [(c, b"", c.subject.rfc4514_string()) for c in emitido.cadeia]
            for cert, ident, rotulo in certs:
                sessao.create_object(
                    {
                        Attribute.CLASS: ObjectClass.CERTIFICATE,
                        Attribute.CERTIFICATE_TYPE: pkcs11.CertificateType.X_509,
                        Attribute.TOKEN: True,
                        Attribute.PRIVATE: False,
                        Attribute.ID: ident,
                        Attribute.LABEL: rotulo,
                        Attribute.SUBJECT: cert.subject.public_bytes(),
                        Attribute.ISSUER: cert.issuer.public_bytes(),
                        Attribute.SERIAL_NUMBER: _inteiro_der(cert.serial_number),
                        Attribute.VALUE: cert.public_bytes(serialization.Encoding.DER),
                    }
                )
            return emitido.cert

    cert = TRABALHADOR.executar(trabalho)
    return TokenTeste(token.rotulo, token.pin, token.so_pin, cka_id, cert)


def _inteiro_der(n: int) -> bytes:
    b = n.to_bytes((n.bit_length() + 8) // 8 or 1, "big")
    return bytes([0x02, len(b)]) + b


def atributos_da_chave(token: TokenTeste, modulo: str = MODULO_SOFTHSM) -> dict[str, bool]:
    """Os atributos de proteção da chave privada no token (para os testes conferirem)."""
    from pkcs11 import Attribute, ObjectClass

    def trabalho() -> dict[str, bool]:
        t = _escolher_token(_biblioteca(modulo), token.rotulo, modulo)
        with t.open(user_pin=token.pin) as sessao:
            k = sessao.get_key(object_class=ObjectClass.PRIVATE_KEY, id=token.cka_id)
            return {
                "extraivel": bool(k[Attribute.EXTRACTABLE]),
                "sensivel": bool(k[Attribute.SENSITIVE]),
                "sempre_sensivel": bool(k[Attribute.ALWAYS_SENSITIVE]),
                "nunca_extraivel": bool(k[Attribute.NEVER_EXTRACTABLE]),
                "no_token": bool(k[Attribute.TOKEN]),
            }

    return TRABALHADOR.executar(trabalho)
