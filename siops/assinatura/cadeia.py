"""Completar a cadeia do certificado que vai assinar, para mandá-la no KeyInfo.

Um token A3 costuma guardar só o certificado do titular; o servidor precisa das ACs
intermediárias para chegar à raiz. O transmissor as procura, nesta ordem: as que vieram com o
certificado (o .pfx ou o token), as que o usuário indicou (botão "ACs intermediárias…" da
janela, ``--intermediarios`` na linha de comando), as distribuídas com o programa
(``confianca.intermediarias_oficiais``) e, se nada disso basta, o endereço caIssuers do AIA do
próprio certificado (pelo proxy configurado). Só entram as ACs da cadeia do titular, cada uma
conferida pela assinatura (não basta o nome).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives.serialization import pkcs7

from siops.assinatura.assinador import Assinador
from siops.assinatura.revogacao import Revogacao

MAXIMO_NIVEIS = 6


def _emitiu(ac: x509.Certificate, cert: x509.Certificate) -> bool:
    if ac.subject != cert.issuer:
        return False
    try:
        cert.verify_directly_issued_by(ac)
    except Exception:
        return False
    return True


def urls_ca_issuers(cert: x509.Certificate) -> list[str]:
    """Os endereços caIssuers (HTTP) do AIA do certificado."""
    try:
        aia = cert.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
    except x509.ExtensionNotFound:
        return []
    return [
        d.access_location.value
        for d in aia
        if d.access_method == x509.oid.AuthorityInformationAccessOID.CA_ISSUERS
        and isinstance(d.access_location, x509.UniformResourceIdentifier)
        and d.access_location.value.lower().startswith("http")
    ]


def baixar_emissores(cert: x509.Certificate, rev: Revogacao) -> list[x509.Certificate]:
    """Os certificados publicados nos caIssuers do AIA (DER, PEM ou PKCS#7); [] se falhar."""
    import requests

    from siops.assinatura.revogacao import _proxies

    saida: list[x509.Certificate] = []
    for url in urls_ca_issuers(cert)[:3]:
        try:
            with requests.Session() as s:
                proxies = _proxies(rev.proxy)
                if proxies is not None:
                    s.trust_env = False
                    s.proxies.update({k: v for k, v in proxies.items() if v})
                r = s.get(url, timeout=rev.prazo)
            if r.status_code != 200 or len(r.content) > 1_000_000:
                continue
            dados = r.content
        except requests.RequestException:
            continue
        for carregar in (
            lambda d: [x509.load_der_x509_certificate(d)],
            x509.load_pem_x509_certificates,
            pkcs7.load_der_pkcs7_certificates,
        ):
            try:
                saida += carregar(dados)
                break
            except ValueError:
                continue
    return saida


def completar(
    cert: x509.Certificate,
    conhecidas: Iterable[x509.Certificate] = (),
    rev: Revogacao | None = None,
) -> tuple[x509.Certificate, ...]:
    """As ACs da cadeia de ``cert``, do emissor direto para cima (sem a raiz autoassinada).

    ``conhecidas``: onde procurar; ``rev`` (com o proxy): permite buscar o emissor que falta no
    caIssuers do AIA. Para quando chega a uma AC autoassinada ou não acha o emissor.
    """
    poco = list(conhecidas)
    cadeia: list[x509.Certificate] = []
    atual = cert
    for _ in range(MAXIMO_NIVEIS):
        if atual.subject == atual.issuer:
            break
        emissor = next((c for c in poco if _emitiu(c, atual)), None)
        if emissor is None and rev is not None:
            emissor = next((c for c in baixar_emissores(atual, rev) if _emitiu(c, atual)), None)
        if emissor is None:
            break
        if emissor.subject != emissor.issuer:
            cadeia.append(emissor)
        atual = emissor
    return tuple(cadeia)


class ComCadeia(Assinador):
    """Um assinador (A1 ou A3) cuja ``cadeia`` é completada por ``completar``.

    Delega tudo ao assinador de dentro; ``cadeia`` é calculada depois de aberto (no A3 o
    certificado só é conhecido com a sessão aberta) e guardada.
    """

    def __init__(
        self,
        interno: Assinador,
        conhecidas: Iterable[x509.Certificate] = (),
        rev: Revogacao | None = None,
    ) -> None:
        self.interno = interno
        self._conhecidas = tuple(conhecidas)
        self._rev = rev
        self._cadeia: tuple[x509.Certificate, ...] | None = None

    @property
    def certificado(self) -> x509.Certificate:
        return self.interno.certificado

    @property
    def cadeia(self) -> tuple[x509.Certificate, ...]:
        if self._cadeia is None:
            propria = tuple(self.interno.cadeia)
            self._cadeia = completar(self.certificado, propria + self._conhecidas, self._rev)
        return self._cadeia

    def chave_privada(self) -> Any:
        return self.interno.chave_privada()

    def abrir(self) -> None:
        self.interno.abrir()

    def fechar(self) -> None:
        self.interno.fechar()
        self._cadeia = None

    def __getattr__(self, nome: str) -> Any:
        # o resto (info do token, PIN, rótulo…) é o do assinador de dentro
        if nome == "interno":
            raise AttributeError(nome)
        return getattr(self.interno, nome)
