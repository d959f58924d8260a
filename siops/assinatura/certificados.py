"""Fatos de um certificado ICP-Brasil (titular, CPF, CNPJ, vigência) e validação da cadeia.

Usado pelo transmissor (para mostrar e conferir o certificado escolhido) e pelo servidor (para
aceitar uma assinatura): uma só implementação (docs/contratos.md).

Onde o CPF fica (DOMAIN §8): na extensão subjectAltName, num *otherName* de OID
2.16.76.1.3.1 (e-CPF) ou 2.16.76.1.3.4 (responsável de um e-CNPJ), uma só cadeia de
caracteres: data de nascimento (DDMMAAAA), CPF (11), PIS/NIS (11), RG (15) e órgão emissor.
O CNPJ fica em 2.16.76.1.3.3 e o nome do responsável do e-CNPJ em 2.16.76.1.3.2.

Tipo ASN.1 do valor: o DOC-ICP-04 (item 7.1.2.3) pede OCTET STRING ou PrintableString
(NÃO CONFIRMADO contra o texto em vigor do DOC-ICP-04); na prática encontram-se também
UTF8String e IA5String. Aceitamos os quatro; a hierarquia de teste (``icp_teste``) emite
OCTET STRING, o que as ACs brasileiras mais usam.

Cadeia: validada pelo pyhanko-certvalidator (``ValidationContext``: construção do caminho,
assinaturas, vigência de todos os elos, basicConstraints, pathLen, LCR e OCSP com as
*fetchers* de ``revogacao``). Ficam aqui as regras próprias da ICP-Brasil que a validação
PKIX não cobre (política de certificado de assinatura A1–A4, uso da chave do titular) e a
tradução das falhas para uma frase que o usuário entenda.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from cryptography import x509
from cryptography.x509.oid import NameOID

from siops.assinatura.revogacao import Buscas, Revogacao, guardar_situacao, situacao_em_cache
from siops.forms.tempo import data_br, data_hora_br

OID_PF_DADOS = x509.ObjectIdentifier("2.16.76.1.3.1")
"""e-CPF: nascimento + CPF + NIS + RG + órgão emissor."""
OID_PJ_RESPONSAVEL_NOME = x509.ObjectIdentifier("2.16.76.1.3.2")
"""e-CNPJ: nome do responsável."""
OID_PJ_CNPJ = x509.ObjectIdentifier("2.16.76.1.3.3")
"""e-CNPJ: CNPJ (14 dígitos)."""
OID_PJ_RESPONSAVEL_DADOS = x509.ObjectIdentifier("2.16.76.1.3.4")
"""e-CNPJ: dados do responsável, mesmo leiaute do 2.16.76.1.3.1."""

"""Hora de Brasília (sem horário de verão desde 2019); as datas mostradas ao usuário usam esta."""


class CertificadoInvalido(Exception):
    """O certificado não serve: vencido, ainda não válido, cadeia não confiável, sem CPF…

    A mensagem (``str(erro)``) está em português e pode ser mostrada ao usuário como está.
    """


@dataclass(frozen=True)
class FatosCertificado:
    """O que o usuário e o servidor precisam saber de um certificado.

    ``nome`` é o da pessoa (no e-CNPJ, o do responsável); ``cpf`` são 11 dígitos ou None;
    ``cnpj`` 14 dígitos ou None; ``inicio``/``fim`` em UTC; ``serial`` em hexadecimal.
    """

    nome: str
    cpf: str | None
    cnpj: str | None
    emissor: str
    inicio: dt.datetime
    fim: dt.datetime
    serial: str
    nascimento: dt.date | None = None
    razao_social: str | None = None
    email: str | None = None

    @property
    def tipo(self) -> str:
        """ "e-CNPJ", "e-CPF" ou "outro"."""
        if self.cnpj:
            return "e-CNPJ"
        if self.cpf:
            return "e-CPF"
        return "outro"

    @property
    def descricao(self) -> str:
        """Uma linha para listas: titular, CPF, emissor e validade."""
        partes = [self.nome]
        if self.cpf:
            partes.append(f"CPF {formatar_cpf(self.cpf)}")
        if self.cnpj:
            partes.append(f"CNPJ {formatar_cnpj(self.cnpj)}")
        partes.append(f"emitido por {self.emissor}")
        partes.append(f"válido de {data_br(self.inicio)} a {data_br(self.fim)}")
        return " — ".join(partes)


# ---------------------------------------------------------------------------- CPF / CNPJ


def so_digitos(texto: str) -> str:
    """Os dígitos de um texto ("123.456.789-09" → "12345678909")."""
    return "".join(c for c in texto if c.isdigit())


def cpf_valido(cpf: str) -> bool:
    """True se ``cpf`` (com ou sem pontuação) tem 11 dígitos e os dois dígitos verificadores certos."""
    d = so_digitos(cpf)
    if len(d) != 11 or d == d[0] * 11:
        return False
    for n in (9, 10):
        soma = sum(int(d[i]) * (n + 1 - i) for i in range(n))
        dv = (soma * 10) % 11 % 10
        if dv != int(d[n]):
            return False
    return True


def cnpj_valido(cnpj: str) -> bool:
    """True se ``cnpj`` tem 14 dígitos e os dois dígitos verificadores certos."""
    d = so_digitos(cnpj)
    if len(d) != 14 or d == d[0] * 14:
        return False
    for n in (12, 13):
        pesos = list(range(n - 7, 1, -1)) + list(range(9, 1, -1))
        soma = sum(int(d[i]) * pesos[i] for i in range(n))
        dv = 0 if soma % 11 < 2 else 11 - soma % 11
        if dv != int(d[n]):
            return False
    return True


def formatar_cpf(cpf: str) -> str:
    """ "12345678909" → "123.456.789-09" (o texto volta como está se não tiver 11 dígitos)."""
    d = so_digitos(cpf)
    if len(d) != 11:
        return cpf
    return f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}"


def mascarar_cpf(cpf: str) -> str:
    """ "12345678909" → "***.456.789-**": o CPF que se mostra na tela e em textos que outros
    podem ver (a máscara do governo federal, a mesma de ``servidor.cpf.mascarar``: os três
    primeiros e os dois últimos dígitos escondidos); "***" se não tiver 11 dígitos."""
    d = so_digitos(cpf)
    if len(d) != 11:
        return "***"
    return f"***.{d[3:6]}.{d[6:9]}-**"


def formatar_cnpj(cnpj: str) -> str:
    """ "11222333000181" → "11.222.333/0001-81"."""
    d = so_digitos(cnpj)
    if len(d) != 14:
        return cnpj
    return f"{d[:2]}.{d[2:5]}.{d[5:8]}/{d[8:12]}-{d[12:]}"


# ---------------------------------------------------------------------------- DER mínimo


def _ler_tlv(der: bytes) -> tuple[int, bytes]:
    """Lê um TLV DER de forma curta (tag de um byte) e devolve (tag, conteúdo)."""
    if len(der) < 2:
        raise ValueError("DER curto")
    tag, tam = der[0], der[1]
    pos = 2
    if tam & 0x80:
        n = tam & 0x7F
        if n == 0 or n > 4 or len(der) < 2 + n:
            raise ValueError("comprimento DER inválido")
        tam = int.from_bytes(der[2 : 2 + n], "big")
        pos = 2 + n
    if len(der) < pos + tam:
        raise ValueError("DER truncado")
    return tag, der[pos : pos + tam]


_TAGS_TEXTO = {0x04: "latin-1", 0x13: "ascii", 0x16: "ascii", 0x0C: "utf-8", 0x14: "latin-1"}
"""OCTET STRING, PrintableString, IA5String, UTF8String, T61String."""


def texto_other_name(valor_der: bytes) -> str:
    """O texto de um otherName ICP-Brasil (o ``value`` do ``x509.OtherName``, já sem o [0]).

    Aceita OCTET STRING, PrintableString, IA5String, UTF8String e T61String; um [0] explícito
    que tenha sobrado é descascado.
    """
    tag, conteudo = _ler_tlv(valor_der)
    if tag == 0xA0:  # [0] EXPLICIT ainda presente
        tag, conteudo = _ler_tlv(conteudo)
    codificacao = _TAGS_TEXTO.get(tag)
    if codificacao is None:
        raise ValueError(f"tipo ASN.1 não esperado no otherName: 0x{tag:02x}")
    return conteudo.decode(codificacao, errors="replace")


def codificar_other_name(texto: str) -> bytes:
    """O valor DER (OCTET STRING) de um otherName ICP-Brasil, para ``x509.OtherName``."""
    dados = texto.encode("latin-1")
    n = len(dados)
    if n < 0x80:
        tam = bytes([n])
    else:
        b = n.to_bytes((n.bit_length() + 7) // 8, "big")
        tam = bytes([0x80 | len(b)]) + b
    return b"\x04" + tam + dados


def dados_pessoa(
    nascimento: dt.date | None, cpf: str, nis: str = "", rg: str = "", orgao: str = ""
) -> str:
    """Monta a cadeia do otherName 2.16.76.1.3.1/.4 (campos ausentes vão com zeros, como a ICP-Brasil)."""
    nasc = nascimento.strftime("%d%m%Y") if nascimento else "0" * 8
    return (
        nasc
        + so_digitos(cpf).rjust(11, "0")
        + so_digitos(nis).rjust(11, "0")
        + (so_digitos(rg) or "").rjust(15, "0")
        + orgao
    )


# ---------------------------------------------------------------------------- fatos


def _cn(nome: x509.Name) -> str:
    valores = nome.get_attributes_for_oid(NameOID.COMMON_NAME)
    if valores:
        v = valores[0].value
        return v if isinstance(v, str) else v.decode("utf-8", "replace")
    return nome.rfc4514_string()


def nome_comum(cert: x509.Certificate) -> str:
    """O CN do titular (sem o sufixo ":CPF"/":CNPJ" da convenção ICP-Brasil)."""
    cn = _cn(cert.subject)
    base, sep, resto = cn.rpartition(":")
    if sep and resto.isdigit() and len(resto) in (11, 14):
        return base.strip()
    return cn.strip()


def _other_names(cert: x509.Certificate) -> dict[str, str]:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return {}
    saida: dict[str, str] = {}
    for nome in san.get_values_for_type(x509.OtherName):
        try:
            saida[nome.type_id.dotted_string] = texto_other_name(nome.value)
        except ValueError:
            continue
    return saida


def _email(cert: x509.Certificate) -> str | None:
    try:
        san = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    except x509.ExtensionNotFound:
        return None
    emails = san.get_values_for_type(x509.RFC822Name)
    return emails[0] if emails else None


def _pessoa(texto: str) -> tuple[dt.date | None, str | None]:
    """(nascimento, CPF) de uma cadeia 2.16.76.1.3.1/.4."""
    texto = texto.strip()
    if len(texto) < 19:
        return None, None
    nasc_txt, cpf = texto[:8], texto[8:19]
    nascimento = None
    if nasc_txt.isdigit() and nasc_txt != "0" * 8:
        try:
            nascimento = dt.date(int(nasc_txt[4:]), int(nasc_txt[2:4]), int(nasc_txt[:2]))
        except ValueError:
            nascimento = None
    if not cpf.isdigit() or cpf == "0" * 11:
        return nascimento, None
    return nascimento, cpf


def fatos(cert: x509.Certificate) -> FatosCertificado:
    """Os fatos do certificado: titular, CPF, CNPJ, emissor, validade, série.

    Levanta ``CertificadoInvalido`` se o certificado traz um CPF com dígitos verificadores
    errados (um CPF adulterado não deve passar por ausente).
    """
    outros = _other_names(cert)
    nascimento, cpf = None, None
    for oid in (OID_PF_DADOS, OID_PJ_RESPONSAVEL_DADOS):
        if oid.dotted_string in outros:
            nascimento, cpf = _pessoa(outros[oid.dotted_string])
            if cpf:
                break
    cnpj_txt = so_digitos(outros.get(OID_PJ_CNPJ.dotted_string, ""))
    cnpj = cnpj_txt[:14] if len(cnpj_txt) >= 14 and cnpj_txt != "0" * 14 else None
    cn = nome_comum(cert)
    razao_social = None
    nome = cn
    if cnpj:
        razao_social = cn
        responsavel = outros.get(OID_PJ_RESPONSAVEL_NOME.dotted_string, "").strip()
        nome = responsavel or cn
    if cpf and not cpf_valido(cpf):
        raise CertificadoInvalido(
            f"O certificado de {nome} traz um CPF inválido ({formatar_cpf(cpf)}): "
            "confira com a Autoridade Certificadora que o emitiu."
        )
    return FatosCertificado(
        nome=nome,
        cpf=cpf,
        cnpj=cnpj,
        emissor=_cn(cert.issuer),
        inicio=cert.not_valid_before_utc,
        fim=cert.not_valid_after_utc,
        serial=format(cert.serial_number, "X"),
        nascimento=nascimento,
        razao_social=razao_social,
        email=_email(cert),
    )


def _nome_seguro(cert: x509.Certificate) -> str:
    try:
        return fatos(cert).nome
    except CertificadoInvalido:
        return nome_comum(cert)


def exigir_cpf(cert: x509.Certificate, cpf_esperado: str) -> FatosCertificado:
    """Confere que o certificado é da pessoa de CPF ``cpf_esperado`` (o usuário cadastrado).

    Levanta ``CertificadoInvalido`` se o certificado não traz CPF ou traz outro.
    """
    f = fatos(cert)
    esperado = so_digitos(cpf_esperado)
    if not f.cpf:
        raise CertificadoInvalido(
            f"O certificado de {f.nome} não traz CPF: use um e-CPF, ou um e-CNPJ com o nome e o "
            "CPF do responsável."
        )
    if f.cpf != esperado:
        raise CertificadoInvalido(
            f"O certificado escolhido é de {f.nome} (CPF {formatar_cpf(f.cpf)}), não do usuário "
            f"cadastrado (CPF {formatar_cpf(esperado)}). Escolha o seu próprio certificado."
        )
    return f


# ---------------------------------------------------------------------------- vigência e cadeia


def _agora(quando: dt.datetime | None) -> dt.datetime:
    if quando is None:
        return dt.datetime.now(dt.UTC)
    if quando.tzinfo is None:
        return quando.replace(tzinfo=dt.UTC)
    return quando


def validar_vigencia(cert: x509.Certificate, quando: dt.datetime | None = None) -> None:
    """Levanta ``CertificadoInvalido`` se o certificado está vencido ou ainda não vale em ``quando``."""
    agora = _agora(quando)
    nome = _nome_seguro(cert)
    if agora > cert.not_valid_after_utc:
        raise CertificadoInvalido(
            f"O certificado de {nome} venceu em {data_br(cert.not_valid_after_utc)}."
        )
    if agora < cert.not_valid_before_utc:
        raise CertificadoInvalido(
            f"O certificado de {nome} só passa a valer em {data_hora_br(cert.not_valid_before_utc)}. "
            "Confira a data e a hora deste computador."
        )


OID_ARCO_POLITICAS = "2.16.76.1.2"
"""O arco das Políticas de Certificado da ICP-Brasil (DOC-ICP-04, item 1.2)."""

FAMILIAS_ASSINATURA = {"1": "A1", "2": "A2", "3": "A3", "4": "A4"}
"""As famílias de certificado de assinatura aceitas: 2.16.76.1.2.1.n (A1), .2.n (A2), .3.n (A3) e
.4.n (A4), o ``n`` sendo a PC de cada AC (e-CPF ou e-CNPJ, a pessoa vem do otherName). As de
sigilo (S1–S4, 2.16.76.1.2.101–104), carimbo do tempo e equipamento não servem para assinar
uma declaração e são recusadas."""


def politica_icp(cert: x509.Certificate) -> str:
    """A família ICP-Brasil ("A1"…"A4") da primeira política de assinatura do certificado.

    Levanta ``CertificadoInvalido`` se o certificado não declara nenhuma Política de
    Certificado de assinatura da ICP-Brasil (OID 2.16.76.1.2.{1,2,3,4}.n).
    """
    try:
        politicas = cert.extensions.get_extension_for_class(x509.CertificatePolicies).value
        oids = [p.policy_identifier.dotted_string for p in politicas]
    except (x509.ExtensionNotFound, ValueError):
        oids = []
    for oid in oids:
        partes = oid.split(".")
        if oid.startswith(OID_ARCO_POLITICAS + ".") and len(partes) >= 7:
            familia = FAMILIAS_ASSINATURA.get(partes[5])
            if familia:
                return familia
    declaradas = ", ".join(oids) if oids else "nenhuma"
    raise CertificadoInvalido(
        f"O certificado de {_nome_seguro(cert)} não é um certificado de assinatura da ICP-Brasil "
        f"(A1, A2, A3 ou A4): a política declarada é {declaradas}. Use um e-CPF ou e-CNPJ de "
        "assinatura."
    )


def _conferir_titular(cert: x509.Certificate, nome: str) -> None:
    """Uso da chave (assinatura digital ou não repúdio) e não ser uma AC."""
    try:
        bc = cert.extensions.get_extension_for_class(x509.BasicConstraints).value
        if bc.ca:
            raise CertificadoInvalido(
                f"O certificado de {nome} é de uma Autoridade Certificadora, não de uma pessoa."
            )
    except x509.ExtensionNotFound:
        pass
    try:
        ku = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    except x509.ExtensionNotFound:
        return
    if not (ku.digital_signature or ku.content_commitment):
        raise CertificadoInvalido(
            f"O certificado de {nome} não serve para assinar (o uso da chave não inclui "
            "assinatura digital)."
        )


def _asn1(c: x509.Certificate):
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import Encoding

    return ax509.Certificate.load(c.public_bytes(Encoding.DER))


def _rodar(corrotina):
    """Executa a corrotina da validação; numa thread própria se já há um laço asyncio nesta."""
    import asyncio

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(corrotina)
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as ex:
        return ex.submit(asyncio.run, corrotina).result()


def validar_cadeia(
    cert: x509.Certificate,
    intermediarios: Iterable[x509.Certificate] = (),
    raizes: Iterable[x509.Certificate] = (),
    quando: dt.datetime | None = None,
    revogacao: Revogacao | None = None,
    avisos: list[str] | None = None,
    politica: bool = True,
) -> list[x509.Certificate]:
    """Valida vigência, política, cadeia até uma das ``raizes`` e (com ``revogacao``) revogação.

    A validação de caminho (assinaturas, vigência de cada elo, basicConstraints, pathLen, uso
    da chave das ACs, LCR e OCSP) é a do pyhanko-certvalidator; aqui ficam as regras da
    ICP-Brasil (política de assinatura A1–A4, uso da chave do titular) e a tradução das falhas
    para o usuário. Devolve a cadeia do titular até a raiz (titular primeiro). Levanta
    ``CertificadoInvalido`` com a razão em português.

    ``revogacao``: None não consulta LCR/OCSP (conferências locais e reconferência de arquivos
    antigos); ``Revogacao(estrita=True)`` recusa quando a LCR não pode ser obtida (servidor);
    ``estrita=False`` acrescenta a ``avisos`` a razão e aceita (transmissor). ``politica``:
    exige uma Política de Certificado de assinatura da ICP-Brasil (ver ``politica_icp``).
    """
    from pyhanko_certvalidator import CertificateValidator, ValidationContext
    from pyhanko_certvalidator import errors as ecv

    agora = _agora(quando)
    raizes = list(raizes)
    intermediarios = [c for c in intermediarios if c != cert]
    validar_vigencia(cert, agora)
    nome = _nome_seguro(cert)
    if not raizes:
        raise CertificadoInvalido(
            "Nenhuma AC raiz confiável está configurada: não é possível validar o certificado "
            f"de {nome}."
        )
    _conferir_titular(cert, nome)
    if politica:
        politica_icp(cert)
    chave_cache = None
    if revogacao is None:
        chave_cache = _chave_caminho(cert, intermediarios, raizes, politica)
        em_cache = _caminho_em_cache(chave_cache, agora)
        if em_cache is not None:
            return em_cache
    buscas = None
    if revogacao is not None and quando is None:
        # caminho já conferido com as mesmas LCRs ainda em cache: só a cadeia (ver revogacao)
        try:
            cadeia = validar_cadeia(cert, intermediarios, raizes, None, None, None, politica)
        except CertificadoInvalido:
            cadeia = []  # talvez falte uma AC que só o AIA traz: a validação completa decide
        if cadeia and (
            not _declara_revogacao(cadeia)
            or situacao_em_cache(tuple(_impressao(c) for c in cadeia))
        ):
            return cadeia
    opcoes: dict = {
        "trust_roots": [_asn1(c) for c in raizes],
        "other_certs": [_asn1(c) for c in intermediarios],
    }
    if quando is not None:
        opcoes["moment"] = agora
    if revogacao is not None:
        from siops.assinatura.revogacao import buscadores

        fetchers, buscas = buscadores(revogacao)
        opcoes.update(
            allow_fetching=True,
            fetchers=fetchers,
            revocation_mode="hard-fail" if revogacao.estrita else "soft-fail",
        )
    contexto = ValidationContext(**opcoes)
    validador = CertificateValidator(_asn1(cert), validation_context=contexto)
    try:
        caminho = _rodar(validador.async_validate_path())
    except ecv.RevokedError as erro:
        raise _revogado(cert, nome, erro) from None
    except ecv.InsufficientRevinfoError:
        raise _sem_lcr(cert, nome, buscas) from None
    except (ecv.PathBuildingError, ecv.PathValidationError, ecv.ValidationError) as erro:
        raise _diagnostico(cert, intermediarios, raizes, agora, nome, str(erro)) from None
    if buscas is not None and avisos is not None and contexto.soft_fail_exceptions:
        avisos.append(_aviso_sem_lcr(nome, buscas))
    do_topo = [x509.load_der_x509_certificate(c.dump()) for c in caminho.iter_certs(True)]
    cadeia = do_topo[::-1]  # titular primeiro
    if buscas is not None and quando is None and not contexto.soft_fail_exceptions:
        guardar_situacao(tuple(_impressao(c) for c in cadeia), buscas)
    if chave_cache is not None:
        _guardar_caminho(chave_cache, cadeia)
    return cadeia


def _declara_revogacao(cadeia: list[x509.Certificate]) -> bool:
    """Se algum elo abaixo da raiz declara onde conferir a revogação (ponto de distribuição de
    LCR ou responder OCSP no AIA). Sem nenhum, não há o que consultar: a validação com
    revogação (hard-fail do pyhanko-certvalidator) dá o mesmo que a sem — e o caminho já está
    validado. Todo certificado ICP-Brasil declara a sua LCR, então isso só vale para
    hierarquias sem publicação (testes, bench)."""
    from cryptography.x509.oid import AuthorityInformationAccessOID, ExtensionOID

    for c in cadeia[:-1]:
        try:
            c.extensions.get_extension_for_oid(ExtensionOID.CRL_DISTRIBUTION_POINTS)
            return True
        except x509.ExtensionNotFound:
            pass
        try:
            aia = c.extensions.get_extension_for_class(x509.AuthorityInformationAccess).value
        except x509.ExtensionNotFound:
            continue
        if any(d.access_method == AuthorityInformationAccessOID.OCSP for d in aia):
            return True
    return False


def _impressao(c: x509.Certificate) -> str:
    from cryptography.hazmat.primitives import hashes

    return c.fingerprint(hashes.SHA256()).hex()


# --- caminhos já validados (sem revogação) -----------------------------------------------------
#
# Sem LCR/OCSP, a validação do caminho é função só das entradas (titular, intermediárias, raízes,
# política) e do instante, e do instante só pela vigência de cada elo: as assinaturas, as
# basicConstraints, o pathLen e o uso da chave não mudam com o tempo. Então um caminho validado
# vale de novo, para as mesmas entradas, em qualquer instante em que todos os seus elos estão
# vigentes. Isso tira o pyhanko-certvalidator (≈ 6 ms) de cada recepção do servidor, que recebe
# sempre dos mesmos técnicos. Só sucessos são guardados; com revogação, quem decide é
# ``revogacao.situacao_em_cache`` (até o ``nextUpdate`` das LCRs).

_CAMINHOS: dict[tuple, tuple[list[x509.Certificate], dt.datetime, dt.datetime]] = {}
_MAX_CAMINHOS = 4096
_TRAVA_CAMINHOS = threading.Lock()


def _chave_caminho(
    cert: x509.Certificate,
    intermediarios: list[x509.Certificate],
    raizes: list[x509.Certificate],
    politica: bool,
) -> tuple:
    return (
        _impressao(cert),
        tuple(sorted({_impressao(c) for c in intermediarios})),
        tuple(sorted({_impressao(c) for c in raizes})),
        politica,
    )


def _caminho_em_cache(chave: tuple, agora: dt.datetime) -> list[x509.Certificate] | None:
    with _TRAVA_CAMINHOS:
        achado = _CAMINHOS.get(chave)
    if achado is None:
        return None
    cadeia, inicio, fim = achado
    return list(cadeia) if inicio <= agora <= fim else None


def _guardar_caminho(chave: tuple, cadeia: list[x509.Certificate]) -> None:
    inicio = max(c.not_valid_before_utc for c in cadeia)
    fim = min(c.not_valid_after_utc for c in cadeia)
    with _TRAVA_CAMINHOS:
        if len(_CAMINHOS) >= _MAX_CAMINHOS:
            _CAMINHOS.pop(next(iter(_CAMINHOS)))  # o mais antigo
        _CAMINHOS[chave] = (list(cadeia), inicio, fim)


def esvaziar_cache_de_caminhos() -> None:
    """Esquece os caminhos validados (testes; troca de raízes em tempo de execução)."""
    with _TRAVA_CAMINHOS:
        _CAMINHOS.clear()


def _revogado(cert: x509.Certificate, nome: str, erro: Exception) -> CertificadoInvalido:
    quando_rev = getattr(erro, "revocation_dt", None)
    data = f" em {data_br(quando_rev)}" if isinstance(quando_rev, dt.datetime) else ""
    motivo = getattr(getattr(erro, "reason", None), "native", None)
    motivos = {
        "key_compromise": "comprometimento da chave",
        "ca_compromise": "comprometimento da AC",
        "affiliation_changed": "mudança de vínculo",
        "superseded": "substituído por outro",
        "cessation_of_operation": "cessação de atividade",
        "certificate_hold": "suspenso",
        "privilege_withdrawn": "privilégio retirado",
    }
    texto_motivo = f" (motivo: {motivos[motivo]})" if motivo in motivos else ""
    estado = getattr(erro, "proc_state", None)
    if estado is not None and not getattr(estado, "is_ee_cert", True):
        return CertificadoInvalido(
            f"O certificado de {nome} não é aceito: a AC que o emitiu (ou uma acima dela) teve o "
            f"certificado revogado{data}{texto_motivo}."
        )
    return CertificadoInvalido(
        f"O certificado de {nome} foi revogado{data}{texto_motivo}: não pode mais ser usado "
        "para assinar. Peça um novo certificado à sua Autoridade Certificadora."
    )


def _urls_lcr(cert: x509.Certificate) -> list[str]:
    try:
        pontos = cert.extensions.get_extension_for_class(x509.CRLDistributionPoints).value
    except x509.ExtensionNotFound:
        return []
    return [
        n.value
        for p in pontos
        for n in (p.full_name or [])
        if isinstance(n, x509.UniformResourceIdentifier)
    ]


def _onde(cert: x509.Certificate, buscas: Buscas | None) -> str:
    if buscas is not None and buscas.falhas_lcr:
        return "a LCR de " + ", ".join(dict.fromkeys(buscas.falhas_lcr))
    if buscas is not None and buscas.falhas_ocsp:
        return "a resposta OCSP de " + ", ".join(dict.fromkeys(buscas.falhas_ocsp))
    urls = _urls_lcr(cert)
    return "a LCR de " + ", ".join(urls) if urls else "a lista de certificados revogados"


def _sem_lcr(cert: x509.Certificate, nome: str, buscas: Buscas | None) -> CertificadoInvalido:
    return CertificadoInvalido(
        f"Não foi possível conferir se o certificado de {nome} foi revogado: não foi possível "
        f"obter {_onde(cert, buscas)}. Tente de novo mais tarde."
    )


def _aviso_sem_lcr(nome: str, buscas: Buscas) -> str:
    return (
        f"Não foi possível conferir se o certificado de {nome} foi revogado (não foi possível "
        f"obter {_onde_buscas(buscas)}); a assinatura seguirá e o servidor fará essa conferência."
    )


def _onde_buscas(buscas: Buscas) -> str:
    if buscas.falhas_lcr:
        return "a LCR de " + ", ".join(dict.fromkeys(buscas.falhas_lcr))
    if buscas.falhas_ocsp:
        return "a resposta OCSP de " + ", ".join(dict.fromkeys(buscas.falhas_ocsp))
    return "a lista de certificados revogados"


def _diagnostico(
    cert: x509.Certificate,
    intermediarios: list[x509.Certificate],
    raizes: list[x509.Certificate],
    agora: dt.datetime,
    nome: str,
    texto: str,
) -> CertificadoInvalido:
    """Traduz a falha de cadeia numa frase útil: qual elo falhou e por quê."""
    if "path length" in texto.lower() or "pathlen" in texto.lower():
        return CertificadoInvalido(
            f"A cadeia do certificado de {nome} é inválida: uma AC da cadeia não pode ter tantas "
            "ACs abaixo de si."
        )
    # Sobe pelos emissores conhecidos procurando uma AC fora da validade.
    conhecidos = intermediarios + raizes
    atual, vistos = cert, 0
    while vistos < 10:
        vistos += 1
        emissores = [c for c in conhecidos if c.subject == atual.issuer and c != atual]
        if not emissores:
            if atual is cert or atual.subject != atual.issuer:
                return CertificadoInvalido(
                    f"O certificado de {nome} não foi emitido por uma Autoridade Certificadora "
                    f"confiável da ICP-Brasil (emissor: {_cn(cert.issuer)}): falta o certificado "
                    f"da autoridade {_cn(atual.issuer)}, que não está entre as ACs conhecidas. Se ela é "
                    "uma AC intermediária da ICP-Brasil, indique o arquivo dela (ACs "
                    "intermediárias…)."
                )
            break
        emissor = emissores[0]
        if agora > emissor.not_valid_after_utc:
            return CertificadoInvalido(
                f"O certificado da autoridade {_cn(emissor.subject)}, que emitiu o de {nome}, venceu "
                f"em {data_br(emissor.not_valid_after_utc)}."
            )
        if agora < emissor.not_valid_before_utc:
            return CertificadoInvalido(
                f"O certificado da autoridade {_cn(emissor.subject)} só passa a valer em "
                f"{data_br(emissor.not_valid_before_utc)}. Confira a data deste computador."
            )
        if emissor in raizes:
            break
        atual = emissor
    return CertificadoInvalido(
        f"O certificado de {nome} não foi emitido por uma Autoridade Certificadora confiável da "
        f"ICP-Brasil (emissor: {_cn(cert.issuer)})."
    )
