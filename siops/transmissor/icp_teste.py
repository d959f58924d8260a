"""Uma hierarquia de teste que imita a ICP-Brasil: raiz → intermediária → e-CPF.

Usada pelos testes, pela demonstração e pelo servidor de teste. Nada aqui vale fora de um
ambiente de teste: as chaves das ACs ficam em disco, sem senha.

Os certificados imitam os reais no que o programa lê: o CN do titular é "NOME:CPF", o CPF vai
no otherName 2.16.76.1.3.1 como OCTET STRING (ver ``certificados``), o uso da chave é
digitalSignature + nonRepudiation (+ keyEncipherment, como nos e-CPF A1/A3), o EKU é
clientAuth + emailProtection, e as ACs têm basicConstraints crítico e keyCertSign/cRLSign.
Chaves RSA 2048 e SHA-256 (a ICP-Brasil real usa RSA 4096 e SHA-512 nas ACs v5).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from siops.assinatura.certificados import (
    OID_PF_DADOS,
    OID_PJ_CNPJ,
    OID_PJ_RESPONSAVEL_DADOS,
    OID_PJ_RESPONSAVEL_NOME,
    codificar_other_name,
    dados_pessoa,
    so_digitos,
)

NOME_RAIZ = "AC Raiz de Teste ICP-Brasil"
NOME_INTERMEDIARIA = "AC Intermediária de Teste"
OID_POLITICA_A3_TESTE = x509.ObjectIdentifier("2.16.76.1.2.3.999")
"""Uma política "A3" fictícia no arco da ICP-Brasil (2.16.76.1.2.3 = A3), só para teste."""

ARQ_RAIZ = "ac-raiz.pem"
ARQ_RAIZ_CHAVE = "ac-raiz.chave.pem"
ARQ_INTER = "ac-intermediaria.pem"
ARQ_INTER_CHAVE = "ac-intermediaria.chave.pem"


@dataclass
class HierarquiaTeste:
    """Raiz e intermediária de teste, com as chaves (em memória e, se ``pasta``, em disco)."""

    raiz: x509.Certificate
    raiz_chave: rsa.RSAPrivateKey
    intermediaria: x509.Certificate
    intermediaria_chave: rsa.RSAPrivateKey
    pasta: Path | None = None
    publicacao: str | None = None
    """URL base onde as LCRs, o OCSP e os certificados das ACs são publicados (ver
    ``PublicacaoTeste``); None = certificados sem CRL DP nem AIA, como antes."""

    @property
    def raiz_pem(self) -> Path | None:
        """Caminho do PEM da raiz (para ``xmlsec1 --trusted-pem``), se gravada em disco."""
        return self.pasta / ARQ_RAIZ if self.pasta else None

    @property
    def intermediaria_pem(self) -> Path | None:
        """Caminho do PEM da intermediária (``xmlsec1 --untrusted-pem``), se gravada em disco."""
        return self.pasta / ARQ_INTER if self.pasta else None


@dataclass(frozen=True)
class CertificadoEmitido:
    """Um certificado emitido pela hierarquia: a chave (None se só a pública foi dada) e a cadeia."""

    chave: rsa.RSAPrivateKey | None
    cert: x509.Certificate
    cadeia: tuple[x509.Certificate, ...]


def nova_chave() -> rsa.RSAPrivateKey:
    """Uma chave RSA 2048 nova."""
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _agora() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _nome(cn: str, *, ou: str | None = None) -> x509.Name:
    atributos = [
        x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ICP-Brasil"),
    ]
    if ou:
        atributos.append(x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, ou))
    atributos.append(x509.NameAttribute(NameOID.COMMON_NAME, cn))
    return x509.Name(atributos)


def _ac(
    cn: str,
    chave: rsa.RSAPrivateKey,
    emissor_nome: x509.Name | None,
    emissor_chave: rsa.RSAPrivateKey,
    emissor_cert: x509.Certificate | None,
    caminho: int | None,
    dias: int,
    publicacao: str | None = None,
) -> x509.Certificate:
    # As ACs começam anos atrás para que certificados de titular "antigos" (vencidos) caibam
    # dentro da validade delas, como na ICP-Brasil real.
    inicio = _agora() - dt.timedelta(days=5 * 365)
    sujeito = _nome(cn)
    b = (
        x509.CertificateBuilder()
        .subject_name(sujeito)
        .issuer_name(emissor_nome or sujeito)
        .public_key(chave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(inicio)
        .not_valid_after(inicio + dt.timedelta(days=dias))
        .add_extension(x509.BasicConstraints(ca=True, path_length=caminho), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=False,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.SubjectKeyIdentifier.from_public_key(chave.public_key()), critical=False
        )
    )
    if emissor_cert is not None:
        b = b.add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(emissor_chave.public_key()),
            critical=False,
        )
    if emissor_cert is not None and publicacao:
        for ext in _extensoes_publicacao(publicacao, "raiz", ocsp=False):
            b = b.add_extension(ext, critical=False)
    return b.sign(emissor_chave, hashes.SHA256())


def _extensoes_publicacao(base: str, ac: str, *, ocsp: bool) -> list[x509.ExtensionType]:
    """CRL Distribution Points e AIA (caIssuers e, com ``ocsp``, o respondedor) de um
    certificado emitido pela AC ``ac`` ("raiz" ou "intermediaria"), como a ICP-Brasil publica."""
    base = base.rstrip("/")
    acessos = [
        x509.AccessDescription(
            x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
            x509.UniformResourceIdentifier(f"{base}/ac/{ac}.cer"),
        )
    ]
    if ocsp:
        acessos.append(
            x509.AccessDescription(
                x509.oid.AuthorityInformationAccessOID.OCSP,
                x509.UniformResourceIdentifier(f"{base}/ocsp/{ac}"),
            )
        )
    return [
        x509.CRLDistributionPoints(
            [
                x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(f"{base}/lcr/{ac}.crl")], None, None, None
                )
            ]
        ),
        x509.AuthorityInformationAccess(acessos),
    ]


def _gravar_chave(caminho: Path, chave: rsa.RSAPrivateKey) -> None:
    caminho.write_bytes(
        chave.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    os.chmod(caminho, 0o600)


def gerar_hierarquia(
    pasta: str | os.PathLike[str] | None = None,
    *,
    reutilizar: bool = True,
    publicacao: str | None = None,
) -> HierarquiaTeste:
    """Cria a "AC Raiz de Teste ICP-Brasil" e a "AC Intermediária de Teste".

    Com ``pasta``, grava ``ac-raiz.pem``, ``ac-intermediaria.pem`` e as chaves; se ``reutilizar``
    e os arquivos já existem, carrega-os em vez de criar outros (a demonstração e o servidor
    de teste precisam da mesma raiz entre execuções). Com ``publicacao`` (a URL de um
    ``PublicacaoTeste``), a intermediária e os certificados que ela emitir trazem os endereços
    das LCRs, do OCSP e das ACs (CRL DP e AIA).
    """
    destino = Path(pasta) if pasta is not None else None
    if destino is not None and reutilizar and (destino / ARQ_INTER_CHAVE).exists():
        return carregar_hierarquia(destino)
    raiz_chave, inter_chave = nova_chave(), nova_chave()
    raiz = _ac(NOME_RAIZ, raiz_chave, None, raiz_chave, None, caminho=2, dias=365 * 20)
    inter = _ac(
        NOME_INTERMEDIARIA,
        inter_chave,
        raiz.subject,
        raiz_chave,
        raiz,
        caminho=0,
        dias=3650,
        publicacao=publicacao,
    )
    hier = HierarquiaTeste(raiz, raiz_chave, inter, inter_chave, destino, publicacao)
    if destino is not None:
        destino.mkdir(parents=True, exist_ok=True)
        (destino / ARQ_RAIZ).write_bytes(raiz.public_bytes(serialization.Encoding.PEM))
        (destino / ARQ_INTER).write_bytes(inter.public_bytes(serialization.Encoding.PEM))
        _gravar_chave(destino / ARQ_RAIZ_CHAVE, raiz_chave)
        _gravar_chave(destino / ARQ_INTER_CHAVE, inter_chave)
    return hier


def carregar_hierarquia(pasta: str | os.PathLike[str]) -> HierarquiaTeste:
    """Carrega uma hierarquia gravada por ``gerar_hierarquia``."""
    p = Path(pasta)

    def chave(nome: str) -> rsa.RSAPrivateKey:
        k = serialization.load_pem_private_key((p / nome).read_bytes(), password=None)
        assert isinstance(k, rsa.RSAPrivateKey)
        return k

    return HierarquiaTeste(
        raiz=x509.load_pem_x509_certificate((p / ARQ_RAIZ).read_bytes()),
        raiz_chave=chave(ARQ_RAIZ_CHAVE),
        intermediaria=x509.load_pem_x509_certificate((p / ARQ_INTER).read_bytes()),
        intermediaria_chave=chave(ARQ_INTER_CHAVE),
        pasta=p,
    )


def _uso_titular(cifrar: bool = True) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=True,
        key_encipherment=cifrar,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=False,
        crl_sign=False,
        encipher_only=False,
        decipher_only=False,
    )


def _titular(
    hier: HierarquiaTeste,
    sujeito: x509.Name,
    san: list[x509.GeneralName],
    chave: rsa.RSAPrivateKey | rsa.RSAPublicKey | None,
    inicio: dt.datetime | None,
    dias: int,
    eku: list[x509.ObjectIdentifier],
    emissor: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    politica: x509.ObjectIdentifier | None = OID_POLITICA_A3_TESTE,
    ocsp: bool = True,
) -> CertificadoEmitido:
    privada: rsa.RSAPrivateKey | None
    if chave is None:
        privada = nova_chave()
        publica = privada.public_key()
    elif isinstance(chave, rsa.RSAPrivateKey):
        privada, publica = chave, chave.public_key()
    else:
        privada, publica = None, chave
    ac_cert, ac_chave = emissor or (hier.intermediaria, hier.intermediaria_chave)
    comeco = (inicio or _agora() - dt.timedelta(minutes=5)).replace(microsecond=0)
    if comeco.tzinfo is None:
        comeco = comeco.replace(tzinfo=dt.UTC)
    b = (
        x509.CertificateBuilder()
        .subject_name(sujeito)
        .issuer_name(ac_cert.subject)
        .public_key(publica)
        .serial_number(x509.random_serial_number())
        .not_valid_before(comeco)
        .not_valid_after(comeco + dt.timedelta(days=dias))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_uso_titular(), critical=True)
        .add_extension(x509.ExtendedKeyUsage(eku), critical=False)
        .add_extension(x509.SubjectAlternativeName(san), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(publica), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ac_chave.public_key()),
            critical=False,
        )
    )
    if politica is not None:
        b = b.add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(politica, None)]), critical=False
        )
    if hier.publicacao and ac_cert == hier.intermediaria:
        for ext in _extensoes_publicacao(hier.publicacao, "intermediaria", ocsp=ocsp):
            b = b.add_extension(ext, critical=False)
    cert = b.sign(ac_chave, hashes.SHA256())
    cadeia = (ac_cert, hier.raiz) if ac_cert != hier.raiz else (hier.raiz,)
    return CertificadoEmitido(privada, cert, cadeia)


def emitir_ecpf(
    hier: HierarquiaTeste,
    nome: str,
    cpf: str,
    nascimento: dt.date | None = dt.date(1980, 1, 15),
    inicio: dt.datetime | None = None,
    dias: int = 365,
    chave: rsa.RSAPrivateKey | rsa.RSAPublicKey | None = None,
    email: str | None = None,
    emissor: tuple[x509.Certificate, rsa.RSAPrivateKey] | None = None,
    politica: x509.ObjectIdentifier | None = OID_POLITICA_A3_TESTE,
    ocsp: bool = True,
) -> CertificadoEmitido:
    """Emite um e-CPF de teste para ``nome``/``cpf`` (CN "NOME:CPF", CPF no otherName 2.16.76.1.3.1).

    ``chave`` pode ser a chave privada, só a pública (chave gerada num token: a privada fica
    nele e ``CertificadoEmitido.chave`` volta None) ou None (gera uma). ``inicio``/``dias``
    permitem emitir certificados vencidos ou ainda não válidos. ``emissor`` troca a AC
    emissora (por exemplo, uma AC fora da hierarquia confiável). ``politica`` troca a Política
    de Certificado (None = sem a extensão); ``ocsp=False`` deixa só a LCR (quando a hierarquia
    publica).
    """
    cpf = so_digitos(cpf)
    sujeito = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ICP-Brasil"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "Certificado PF A3 de Teste"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{nome}:{cpf}"),
        ]
    )
    san: list[x509.GeneralName] = [
        x509.OtherName(
            OID_PF_DADOS, codificar_other_name(dados_pessoa(nascimento, cpf, orgao="SSP-SP"))
        ),
    ]
    if email:
        san.append(x509.RFC822Name(email))
    eku = [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
    return _titular(hier, sujeito, san, chave, inicio, dias, eku, emissor, politica, ocsp)


def emitir_ecnpj(
    hier: HierarquiaTeste,
    razao_social: str,
    cnpj: str,
    responsavel: str,
    cpf_responsavel: str,
    dias: int = 365,
    chave: rsa.RSAPrivateKey | rsa.RSAPublicKey | None = None,
) -> CertificadoEmitido:
    """Emite um e-CNPJ de teste com o nome (2.16.76.1.3.2) e o CPF (2.16.76.1.3.4) do responsável."""
    cnpj = so_digitos(cnpj)
    sujeito = x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "BR"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "ICP-Brasil"),
            x509.NameAttribute(NameOID.COMMON_NAME, f"{razao_social}:{cnpj}"),
        ]
    )
    san: list[x509.GeneralName] = [
        x509.OtherName(
            OID_PJ_RESPONSAVEL_DADOS, codificar_other_name(dados_pessoa(None, cpf_responsavel))
        ),
        x509.OtherName(OID_PJ_RESPONSAVEL_NOME, codificar_other_name(responsavel)),
        x509.OtherName(OID_PJ_CNPJ, codificar_other_name(cnpj)),
    ]
    eku = [ExtendedKeyUsageOID.CLIENT_AUTH, ExtendedKeyUsageOID.EMAIL_PROTECTION]
    return _titular(hier, sujeito, san, chave, None, dias, eku)


def emitir_servidor(
    hier: HierarquiaTeste,
    nome: str = "Servidor SIOPS de Teste",
    dias: int = 365 * 3,
    chave: rsa.RSAPrivateKey | None = None,
    dns: tuple[str, ...] = ("localhost",),
) -> CertificadoEmitido:
    """Emite o certificado do servidor, com o qual ele assina os recibos (e, se quiser, o TLS)."""
    sujeito = _nome(nome, ou="Servidor de Teste")
    san: list[x509.GeneralName] = [x509.DNSName(d) for d in dns]
    eku = [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH]
    return _titular(hier, sujeito, san, chave, None, dias, eku)


def emitir_ac_estranha(nome: str = "AC Desconhecida") -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
    """Uma AC raiz fora da hierarquia de teste (para testar "emissor não confiável")."""
    chave = nova_chave()
    cert = _ac(nome, chave, None, chave, None, caminho=1, dias=3650)
    return cert, chave


def gravar_pfx(
    caminho: str | os.PathLike[str],
    chave: rsa.RSAPrivateKey,
    cert: x509.Certificate,
    cadeia: tuple[x509.Certificate, ...] | list[x509.Certificate] = (),
    senha: str = "",
) -> Path:
    """Grava um PKCS#12 (.pfx) como os A1 das ACs: chave, certificado e cadeia, protegido por senha."""
    destino = Path(caminho)
    cifra = (
        serialization.BestAvailableEncryption(senha.encode("utf-8"))
        if senha
        else serialization.NoEncryption()
    )
    nome = cert.subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value
    dados = pkcs12.serialize_key_and_certificates(
        str(nome).encode("utf-8"), chave, cert, list(cadeia) or None, cifra
    )
    destino.write_bytes(dados)
    return destino


def pem(cert: x509.Certificate) -> bytes:
    """O certificado em PEM."""
    return cert.public_bytes(serialization.Encoding.PEM)


# ---------------------------------------------------------------------------- LCR e OCSP


@dataclass
class _Revogado:
    serial: int
    quando: dt.datetime
    motivo: x509.ReasonFlags


class PublicacaoTeste:
    """Um servidor HTTP em 127.0.0.1 que publica, para a hierarquia de teste, o que as ACs da
    ICP-Brasil publicam: as LCRs (``/lcr/raiz.crl``, ``/lcr/intermediaria.crl``, DER), os
    certificados das ACs (``/ac/*.cer``, para o caIssuers do AIA) e um respondedor OCSP
    (``POST /ocsp/intermediaria``, RFC 6960). Tudo feito com os construtores de LCR e OCSP do
    ``cryptography``, a cada pedido (uma revogação vale já no pedido seguinte).

    Uso: ``pub = PublicacaoTeste().iniciar()``; ``hier = gerar_hierarquia(publicacao=pub.url)``;
    ``pub.hierarquia = hier``; ``pub.revogar(cert)``; ``pub.parar()``. ``pedidos`` conta os
    pedidos por caminho (para conferir o cache); ``validade`` é o intervalo até o
    ``nextUpdate`` das LCRs e respostas OCSP.
    """

    def __init__(self, validade: dt.timedelta = dt.timedelta(days=1)) -> None:
        self.hierarquia: HierarquiaTeste | None = None
        self.validade = validade
        self.revogados: dict[str, list[_Revogado]] = {"raiz": [], "intermediaria": []}
        self.pedidos: dict[str, int] = {}
        self._servidor: object | None = None
        self.url = ""

    def iniciar(self) -> PublicacaoTeste:
        """Começa a atender numa porta livre de 127.0.0.1 (numa thread)."""
        import threading
        from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

        pub = self

        class Atendente(BaseHTTPRequestHandler):
            def log_message(self, *_args: object) -> None:
                return

            def _responder(self, status: int, tipo: str, corpo: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", tipo)
                self.send_header("Content-Length", str(len(corpo)))
                self.end_headers()
                self.wfile.write(corpo)

            def do_GET(self) -> None:
                pub.pedidos[self.path] = pub.pedidos.get(self.path, 0) + 1
                resposta = pub._get(self.path)
                if resposta is None:
                    self._responder(404, "text/plain", b"nao encontrado")
                else:
                    self._responder(200, *resposta)

            def do_POST(self) -> None:
                pub.pedidos[self.path] = pub.pedidos.get(self.path, 0) + 1
                tamanho = int(self.headers.get("Content-Length") or 0)
                pedido = self.rfile.read(min(tamanho, 65536))
                try:
                    corpo = pub._ocsp(self.path, pedido)
                except ValueError:
                    self._responder(400, "text/plain", b"pedido OCSP invalido")
                    return
                self._responder(200, "application/ocsp-response", corpo)

        servidor = ThreadingHTTPServer(("127.0.0.1", 0), Atendente)
        servidor.daemon_threads = True
        self._servidor = servidor
        self.url = f"http://127.0.0.1:{servidor.server_address[1]}"
        threading.Thread(target=servidor.serve_forever, name="lcr-de-teste", daemon=True).start()
        return self

    def parar(self) -> None:
        """Para de atender (a URL passa a recusar conexões)."""
        servidor = self._servidor
        if servidor is not None:
            servidor.shutdown()  # type: ignore[attr-defined]
            servidor.server_close()  # type: ignore[attr-defined]
            self._servidor = None

    def revogar(
        self,
        cert: x509.Certificate,
        quando: dt.datetime | None = None,
        motivo: x509.ReasonFlags = x509.ReasonFlags.key_compromise,
    ) -> None:
        """Revoga ``cert`` (emitido pela intermediária, ou a própria intermediária)."""
        hier = self._hier()
        ac = "raiz" if cert.issuer == hier.raiz.subject else "intermediaria"
        instante = (quando or _agora() - dt.timedelta(minutes=1)).replace(microsecond=0)
        self.revogados[ac].append(_Revogado(cert.serial_number, instante, motivo))

    def _hier(self) -> HierarquiaTeste:
        if self.hierarquia is None:
            raise RuntimeError("PublicacaoTeste.hierarquia não foi definida")
        return self.hierarquia

    def _ac(self, nome: str) -> tuple[x509.Certificate, rsa.RSAPrivateKey]:
        hier = self._hier()
        if nome == "raiz":
            return hier.raiz, hier.raiz_chave
        return hier.intermediaria, hier.intermediaria_chave

    def lcr(self, nome: str) -> x509.CertificateRevocationList:
        """A LCR atual da AC ``nome`` ("raiz" ou "intermediaria")."""
        cert, chave = self._ac(nome)
        agora = _agora()
        b = (
            x509.CertificateRevocationListBuilder()
            .issuer_name(cert.subject)
            .last_update(agora - dt.timedelta(minutes=1))
            .next_update(agora + self.validade)
            .add_extension(x509.CRLNumber(int(agora.timestamp())), critical=False)
            .add_extension(
                x509.AuthorityKeyIdentifier.from_issuer_public_key(chave.public_key()),
                critical=False,
            )
        )
        for r in self.revogados[nome]:
            b = b.add_revoked_certificate(
                x509.RevokedCertificateBuilder()
                .serial_number(r.serial)
                .revocation_date(r.quando)
                .add_extension(x509.CRLReason(r.motivo), critical=False)
                .build()
            )
        return b.sign(chave, hashes.SHA256())

    def _get(self, caminho: str) -> tuple[str, bytes] | None:
        if caminho in ("/lcr/raiz.crl", "/lcr/intermediaria.crl"):
            nome = caminho.rsplit("/", 1)[1].removesuffix(".crl")
            dados = self.lcr(nome).public_bytes(serialization.Encoding.DER)
            return "application/pkix-crl", dados
        if caminho in ("/ac/raiz.cer", "/ac/intermediaria.cer"):
            cert, _ = self._ac(caminho.rsplit("/", 1)[1].removesuffix(".cer"))
            return "application/pkix-cert", cert.public_bytes(serialization.Encoding.DER)
        return None

    def _ocsp(self, caminho: str, dados: bytes) -> bytes:
        from cryptography.x509 import ocsp

        if caminho != "/ocsp/intermediaria":
            return ocsp.OCSPResponseBuilder.build_unsuccessful(
                ocsp.OCSPResponseStatus.UNAUTHORIZED
            ).public_bytes(serialization.Encoding.DER)
        pedido = ocsp.load_der_ocsp_request(dados)
        ac, chave = self._ac("intermediaria")
        agora = _agora()
        revogado = next(
            (r for r in self.revogados["intermediaria"] if r.serial == pedido.serial_number), None
        )
        # A resposta é montada pelo CertID do pedido: o respondedor não guarda os emitidos.
        b = ocsp.OCSPResponseBuilder().responder_id(ocsp.OCSPResponderEncoding.HASH, ac)
        b = b.add_response_by_hash(
            issuer_name_hash=pedido.issuer_name_hash,
            issuer_key_hash=pedido.issuer_key_hash,
            serial_number=pedido.serial_number,
            algorithm=pedido.hash_algorithm,
            cert_status=(ocsp.OCSPCertStatus.REVOKED if revogado else ocsp.OCSPCertStatus.GOOD),
            this_update=agora - dt.timedelta(minutes=1),
            next_update=agora + self.validade,
            revocation_time=revogado.quando if revogado else None,
            revocation_reason=revogado.motivo if revogado else None,
        )
        for ext in pedido.extensions:
            if isinstance(ext.value, x509.OCSPNonce):
                b = b.add_extension(ext.value, critical=False)
        resposta = b.sign(chave, hashes.SHA256())
        return resposta.public_bytes(serialization.Encoding.DER)
