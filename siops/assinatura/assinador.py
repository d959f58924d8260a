"""Quem assina: um certificado A1 (arquivo PKCS#12) ou A3 (token/cartão via PKCS#11).

Uma só interface (``Assinador``, STYLE hábito 7): ``.certificado``, ``.cadeia`` e
``.chave_privada()``, um objeto em que signxml, cryptography e pyHanko chamam
``.sign(data, padding=..., algorithm=...)``. No A3 esse objeto é um adaptador
(``ChavePKCS11``): a assinatura acontece no token e a chave nunca sai dele.

Regras do PKCS#11 (STYLE, armadilhas): a biblioteca é carregada uma vez por processo; todas
as chamadas ao token passam por uma única thread de trabalho (sessões não são seguras entre
threads); a sessão pertence a um gerenciador de contexto; a chave é procurada pela classe
(chave privada) e pelo CKA_ID do certificado, nunca só pelo rótulo.

O PIN é pedido por um ``pin_handler(token, aviso) -> str | None`` (janela Qt ou terminal);
``None`` é desistência. Um PIN errado nunca é tentado de novo automaticamente: três erros
bloqueiam o token.
"""

from __future__ import annotations

import abc
import concurrent.futures
import os
import sys
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Self, TypeVar

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import padding as _padding
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12

from siops.assinatura.certificados import (
    CertificadoInvalido,
    FatosCertificado,
    fatos,
    nome_comum,
)

T = TypeVar("T")

PinHandler = Callable[[str, str | None], str | None]
"""``pin_handler(descricao_do_token, aviso)``: devolve o PIN, ou None se o usuário desistiu."""

MSG_PIN_BLOQUEADO = (
    "O PIN do token está bloqueado. Use o PUK no gerenciador do token (por exemplo, SafeSign → "
    "Administração de Token → Desbloquear PIN)."
)

# Nomes comuns dos módulos PKCS#11 dos tokens usados no Brasil, tentados nesta ordem quando
# nenhum é configurado. Os nomes vêm da documentação pública dos fabricantes e de guias de
# instalação; nenhum foi conferido aqui com o token na mão (NÃO CONFIRMADO), por isso ficam
# numa lista de dados e o caminho é sempre configurável.
MODULOS_WINDOWS: tuple[str, ...] = (
    "aetpkss1.dll",  # SafeSign (AET/G+D), também usado pelos tokens GD StarSign
    "eTPKCS11.dll",  # SafeNet eToken
    "WDPKCS.dll",  # Watchdata
    "opensc-pkcs11.dll",  # OpenSC (cartões e leitoras genéricos)
    r"C:\Program Files\OpenSC Project\OpenSC\pkcs11\opensc-pkcs11.dll",
    "gclib.dll",  # Gemalto Classic Client
    r"C:\SoftHSM2\lib\softhsm2-x64.dll",
)
MODULOS_LINUX: tuple[str, ...] = (
    "/usr/lib/libaetpkss.so",  # SafeSign / GD StarSign
    "/usr/lib/libaetpkss.so.3",
    "/usr/local/lib/libaetpkss.so",
    "/usr/lib/libeTPkcs11.so",  # SafeNet eToken
    "/usr/lib/watchdata/ICP/lib/libwdpkcs_icp.so",  # Watchdata (pacote ICP-Brasil)
    "/usr/lib/libwdpkcs.so",
    "/usr/lib/x86_64-linux-gnu/opensc-pkcs11.so",  # OpenSC
    "/usr/lib/opensc-pkcs11.so",
    "/usr/lib/softhsm/libsofthsm2.so",  # SoftHSM (testes)
)


# ---------------------------------------------------------------------------- erros


class ErroAssinador(Exception):
    """Não foi possível usar o certificado ou o token. ``str(erro)`` é a mensagem ao usuário."""


class SenhaIncorreta(ErroAssinador):
    """A senha do arquivo A1 não confere."""


class PinIncorreto(ErroAssinador):
    """PIN errado; ``restantes`` diz o que o token informou ("poucas", "última" ou None)."""

    def __init__(self, mensagem: str, restantes: str | None = None) -> None:
        super().__init__(mensagem)
        self.restantes = restantes


class PinBloqueado(ErroAssinador):
    """O PIN do token está bloqueado (erros demais): só o PUK desbloqueia."""


class TokenAusente(ErroAssinador):
    """Nenhum token (ou não o do rótulo pedido) está conectado."""


class CertificadoAusente(ErroAssinador):
    """O token não tem certificado (ou não o do CKA_ID pedido) com chave privada."""


class ModuloAusente(ErroAssinador):
    """O módulo PKCS#11 (o driver do token) não foi encontrado ou não carrega."""


class Cancelado(ErroAssinador):
    """O usuário desistiu (não informou o PIN)."""


# ---------------------------------------------------------------------------- interface


class Assinador(abc.ABC):
    """Um certificado com a sua chave, pronto para assinar.

    Use como gerenciador de contexto (``with assinador:``): no A3 isso abre e fecha a sessão
    com o token; no A1 não faz nada.
    """

    @property
    @abc.abstractmethod
    def certificado(self) -> x509.Certificate:
        """O certificado do titular."""

    @property
    @abc.abstractmethod
    def cadeia(self) -> tuple[x509.Certificate, ...]:
        """Os certificados das ACs que vieram com ele (intermediárias, talvez a raiz)."""

    @abc.abstractmethod
    def chave_privada(self) -> rsa.RSAPrivateKey:
        """Objeto em que se chama ``.sign(data, padding=..., algorithm=...)``."""

    @property
    def fatos(self) -> FatosCertificado:
        """Titular, CPF, emissor e validade do certificado."""
        return fatos(self.certificado)

    @property
    def descricao(self) -> str:
        """Uma linha para mostrar ao usuário."""
        return self.fatos.descricao

    def abrir(self) -> None:  # noqa: B027 - o A1 não tem o que abrir
        """Prepara o uso (no A3: sessão e PIN)."""

    def fechar(self) -> None:  # noqa: B027 - o A1 não tem o que fechar
        """Libera o que ``abrir`` tomou."""

    _aberturas: int = 0

    def __enter__(self) -> Self:
        # reentrante: um ``with`` dentro de outro (vários arquivos com um só PIN) não fecha a
        # sessão do de fora
        if self._aberturas == 0:
            try:
                self.abrir()
            except BaseException:
                self.fechar()  # o que ``abrir`` tomou antes de falhar não fica aberto
                raise
        self._aberturas += 1
        return self

    def __exit__(self, *_exc: object) -> None:
        """Fecha (no último ``with``) também quando o bloco termina com erro."""
        self._aberturas -= 1
        if self._aberturas == 0:
            self.fechar()


class AssinadorChave(Assinador):
    """Assinador sobre uma chave em memória (servidor, testes, medições)."""

    def __init__(
        self,
        chave: rsa.RSAPrivateKey,
        certificado: x509.Certificate,
        cadeia: Iterable[x509.Certificate] = (),
    ) -> None:
        self._chave = chave
        self._cert = certificado
        self._cadeia = tuple(cadeia)

    @property
    def certificado(self) -> x509.Certificate:
        return self._cert

    @property
    def cadeia(self) -> tuple[x509.Certificate, ...]:
        return self._cadeia

    def chave_privada(self) -> rsa.RSAPrivateKey:
        return self._chave


class AssinadorA1(AssinadorChave):
    """Certificado A1: chave e certificado num arquivo PKCS#12 (.pfx/.p12) protegido por senha."""

    def __init__(self, pfx: str | os.PathLike[str] | bytes, senha: str) -> None:
        if isinstance(pfx, bytes):
            dados, nome = pfx, "certificado A1"
        else:
            caminho = Path(pfx)
            nome = caminho.name
            try:
                dados = caminho.read_bytes()
            except FileNotFoundError:
                raise ErroAssinador(
                    f"O arquivo do certificado A1 não foi encontrado: {caminho}"
                ) from None
            except OSError as erro:
                raise ErroAssinador(
                    f"Não foi possível ler o certificado A1 {caminho}: {erro.strerror}"
                ) from None
        try:
            p12 = pkcs12.load_pkcs12(dados, senha.encode("utf-8") if senha else None)
        except ValueError:
            if _parece_pfx(dados):
                raise SenhaIncorreta(
                    f"A senha do certificado A1 ({nome}) está incorreta. Confira maiúsculas e "
                    "minúsculas e tente de novo."
                ) from None
            raise ErroAssinador(
                f"O arquivo {nome} não é um certificado A1 válido (PKCS#12, .pfx ou .p12)."
            ) from None
        if p12.key is None or p12.cert is None:
            raise ErroAssinador(f"O arquivo {nome} não contém a chave privada e o certificado.")
        if not isinstance(p12.key, rsa.RSAPrivateKey):
            raise ErroAssinador(
                f"O certificado de {nome} não usa chave RSA, a exigida pela ICP-Brasil."
            )
        cert = p12.cert.certificate
        if p12.key.public_key() != cert.public_key():  # keys compare by value (cryptography 41+)
            raise ErroAssinador(
                f"No arquivo {nome}, a chave privada não corresponde ao certificado."
            )
        cadeia = [c.certificate for c in p12.additional_certs if c.certificate != cert]
        super().__init__(p12.key, cert, _ordenar_cadeia(cert, cadeia))


def _parece_pfx(dados: bytes) -> bool:
    """True se os bytes são um PFX bem formado (então o erro ao abrir foi a senha)."""
    try:
        from asn1crypto import pkcs12 as a12  # dependência do pyHanko

        pfx = a12.Pfx.load(dados)
        return pfx["auth_safe"]["content_type"].native in ("data", "signed_data")
    except Exception:
        return False


def _ordenar_cadeia(
    cert: x509.Certificate, outros: list[x509.Certificate]
) -> tuple[x509.Certificate, ...]:
    """Ordena as ACs do emissor direto para cima; as que não se encaixam vão ao fim."""
    ordem: list[x509.Certificate] = []
    atual = cert
    restantes = list(outros)
    while True:
        prox = next((c for c in restantes if c.subject == atual.issuer), None)
        if prox is None:
            break
        ordem.append(prox)
        restantes.remove(prox)
        if prox.subject == prox.issuer:
            break
        atual = prox
    return tuple(ordem + restantes)


# ---------------------------------------------------------------------------- PKCS#11: a thread


class _TrabalhadorToken:
    """A única thread que fala com módulos PKCS#11 neste processo."""

    def __init__(self) -> None:
        self._executor: concurrent.futures.ThreadPoolExecutor | None = None
        self._ident: int | None = None
        self._trava = threading.Lock()

    def _marcar(self) -> None:
        self._ident = threading.get_ident()

    def executar(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Executa ``fn`` na thread do token e devolve o resultado (ou levanta o erro)."""
        if threading.get_ident() == self._ident:
            return fn(*args, **kwargs)
        with self._trava:
            if self._executor is None:
                self._executor = concurrent.futures.ThreadPoolExecutor(
                    max_workers=1, thread_name_prefix="siops-pkcs11", initializer=self._marcar
                )
            executor = self._executor
        return executor.submit(fn, *args, **kwargs).result()


TRABALHADOR = _TrabalhadorToken()
_BIBLIOTECAS: dict[str, Any] = {}


def _pkcs11() -> Any:
    import pkcs11  # importado só quando um token é usado

    return pkcs11


def modulos_candidatos() -> tuple[str, ...]:
    """Os módulos PKCS#11 comuns para este sistema, na ordem de tentativa."""
    return MODULOS_WINDOWS if sys.platform.startswith("win") else MODULOS_LINUX


def localizar_modulo(modulo: str | os.PathLike[str] | None = None) -> str:
    """O caminho do módulo PKCS#11: o configurado, ou o primeiro dos comuns que existir.

    Levanta ``ModuloAusente`` (com a lista do que foi tentado) se nenhum for encontrado.
    """
    if modulo:
        caminho = str(modulo)
        if os.path.isabs(caminho) and not os.path.exists(caminho):
            raise ModuloAusente(
                f"O módulo PKCS#11 (driver do token) não foi encontrado em {caminho}. Instale o "
                "gerenciador do token ou informe o caminho certo nas configurações."
            )
        return caminho
    for candidato in modulos_candidatos():
        if os.path.isabs(candidato):
            if os.path.exists(candidato):
                return candidato
        elif sys.platform.startswith("win"):
            for pasta in (os.environ.get("SystemRoot", r"C:\Windows") + r"\System32",):
                if os.path.exists(os.path.join(pasta, candidato)):
                    return candidato
    raise ModuloAusente(
        "Nenhum driver de token (módulo PKCS#11) foi encontrado neste computador. Instale o "
        "gerenciador do seu token (SafeSign, SafeNet, Watchdata, OpenSC…) ou informe o caminho "
        "do módulo nas configurações. Tentados: " + ", ".join(modulos_candidatos())
    )


def _biblioteca(caminho: str) -> Any:
    """Carrega (uma vez por processo) o módulo PKCS#11. Só na thread do token."""
    lib = _BIBLIOTECAS.get(caminho)
    if lib is None:
        pkcs11 = _pkcs11()
        try:
            lib = pkcs11.lib(caminho)
        except pkcs11.PKCS11Error as erro:
            raise ModuloAusente(
                f"Não foi possível carregar o módulo PKCS#11 {caminho} ({erro}). Confira se o "
                "gerenciador do token está instalado para esta arquitetura (32/64 bits)."
            ) from None
        _BIBLIOTECAS[caminho] = lib
    return lib


@dataclass(frozen=True)
class CertificadoNoToken:
    """Um certificado encontrado num token: o CKA_ID liga-o à chave privada."""

    cka_id: bytes
    rotulo: str
    cert: x509.Certificate

    @property
    def fatos(self) -> FatosCertificado:
        """Fatos do certificado."""
        return fatos(self.cert)


@dataclass(frozen=True)
class InfoToken:
    """Um token conectado: rótulo, fabricante, modelo, série e o estado do PIN."""

    rotulo: str
    fabricante: str
    modelo: str
    serie: str
    pin_bloqueado: bool
    pin_poucas_tentativas: bool
    pin_ultima_tentativa: bool

    @property
    def descricao(self) -> str:
        """ "Token «ROTULO» (fabricante modelo)"."""
        return f"Token «{self.rotulo}» ({self.fabricante} {self.modelo})".replace(" )", ")")


def _info(token: Any) -> InfoToken:
    pkcs11 = _pkcs11()
    f = token.flags
    serie = token.serial
    return InfoToken(
        rotulo=token.label.strip(),
        fabricante=token.manufacturer_id.strip(),
        modelo=token.model.strip(),
        serie=serie.decode("ascii", "replace").strip() if isinstance(serie, bytes) else str(serie),
        pin_bloqueado=bool(f & pkcs11.TokenFlag.USER_PIN_LOCKED),
        pin_poucas_tentativas=bool(f & pkcs11.TokenFlag.USER_PIN_COUNT_LOW),
        pin_ultima_tentativa=bool(f & pkcs11.TokenFlag.USER_PIN_FINAL_TRY),
    )


def _tokens(lib: Any) -> list[Any]:
    pkcs11 = _pkcs11()
    saida = []
    for slot in lib.get_slots(token_present=True):
        try:
            token = slot.get_token()
        except (pkcs11.TokenNotPresent, pkcs11.TokenNotRecognised, pkcs11.DeviceRemoved):
            continue
        # um slot com token não iniciado (o SoftHSM sempre oferece um) não é candidato
        if token.flags & pkcs11.TokenFlag.TOKEN_INITIALIZED:
            saida.append(token)
    return saida


@dataclass(frozen=True)
class CriterioToken:
    """Qual token usar: pelo rótulo, pelo número de série, ou pelos dois (pyHanko ``TokenCriteria``).

    O rótulo é o nome que o dono deu ao token e pode se repetir (dois tokens "e-CPF" do mesmo
    fabricante); o número de série é único e é o que desempata. Vazio (``CriterioToken()``):
    o único token conectado. A série é comparada sem espaços e sem diferença de maiúsculas,
    porque o usuário a copia de um gerenciador que a mostra como quer.
    """

    rotulo: str | None = None
    serie: str | None = None

    @classmethod
    def de(cls, valor: CriterioToken | str | None) -> CriterioToken:
        """Um critério a partir do que as telas e a configuração guardam (texto = rótulo)."""
        if isinstance(valor, CriterioToken):
            return valor
        return cls(rotulo=valor.strip() or None) if valor else cls()

    def __bool__(self) -> bool:
        return bool(self._rotulo() or self._serie())

    def _rotulo(self) -> str:
        return (self.rotulo or "").strip()

    def _serie(self) -> str:
        return (self.serie or "").strip().casefold()

    def aceita(self, info: InfoToken) -> bool:
        """Se o token descrito por ``info`` satisfaz o critério."""
        if self._rotulo() and info.rotulo != self._rotulo():
            return False
        return not self._serie() or info.serie.strip().casefold() == self._serie()

    @property
    def descricao(self) -> str:
        """ "«RÓTULO»", "de número de série S" ou "«RÓTULO» com número de série S"."""
        if self._rotulo() and self._serie():
            return f"«{self._rotulo()}» com número de série {(self.serie or '').strip()}"
        if self._serie():
            return f"de número de série {(self.serie or '').strip()}"
        return f"«{self._rotulo()}»"


def _listagem(infos: Iterable[InfoToken]) -> str:
    return ", ".join(f"«{i.rotulo}» (série {i.serie})" for i in infos)


def _escolher_token(lib: Any, criterio: CriterioToken | str | None, modulo: str) -> Any:
    """O único token conectado que satisfaz o critério; ``TokenAusente`` com o que há, senão."""
    criterio = CriterioToken.de(criterio)
    tokens = _tokens(lib)
    if not tokens:
        raise TokenAusente(
            "Nenhum token ou cartão foi encontrado. Conecte o token (ou insira o cartão na "
            "leitora), aguarde a luz acender e tente de novo."
        )
    infos = [_info(t) for t in tokens]
    if not criterio:
        if len(tokens) > 1:
            raise TokenAusente(
                f"Há mais de um token conectado ({_listagem(infos)}): escolha qual usar pelo "
                "rótulo ou pelo número de série."
            )
        return tokens[0]
    achados = [(t, i) for t, i in zip(tokens, infos, strict=True) if criterio.aceita(i)]
    if len(achados) == 1:
        return achados[0][0]
    if not achados:
        raise TokenAusente(
            f"O token {criterio.descricao} não está conectado (encontrados: {_listagem(infos)}). "
            "Conecte-o e tente de novo."
        )
    lista = _listagem(i for _, i in achados)
    if not criterio._serie():
        raise TokenAusente(
            f"Há {len(achados)} tokens conectados com o rótulo {criterio.descricao} ({lista}): "
            "escolha qual usar pelo número de série."
        )
    raise TokenAusente(
        f"Há {len(achados)} tokens conectados que atendem a {criterio.descricao} ({lista}): "
        "desconecte os que não vai usar e tente de novo."
    )


def listar_tokens(modulo: str | os.PathLike[str] | None = None) -> list[InfoToken]:
    """Os tokens conectados ao módulo (sem pedir PIN)."""
    caminho = localizar_modulo(modulo)

    def trabalho() -> list[InfoToken]:
        return [_info(t) for t in _tokens(_biblioteca(caminho))]

    return TRABALHADOR.executar(trabalho)


def _certificados_da_sessao(sessao: Any) -> list[CertificadoNoToken]:
    pkcs11 = _pkcs11()
    a = pkcs11.Attribute
    saida = []
    for obj in sessao.get_objects({a.CLASS: pkcs11.ObjectClass.CERTIFICATE}):
        try:
            der = obj[a.VALUE]
            cka_id = bytes(obj[a.ID] or b"")
            rotulo = obj[a.LABEL] or ""
        except pkcs11.PKCS11Error:
            continue
        try:
            cert = x509.load_der_x509_certificate(bytes(der))
        except ValueError:
            continue
        saida.append(CertificadoNoToken(cka_id, str(rotulo), cert))
    return saida


def listar_certificados(
    modulo: str | os.PathLike[str] | None = None,
    rotulo_token: CriterioToken | str | None = None,
) -> list[CertificadoNoToken]:
    """Os certificados de titular (não de AC) no token, lidos sem PIN (são objetos públicos)."""
    caminho = localizar_modulo(modulo)

    def trabalho() -> list[CertificadoNoToken]:
        token = _escolher_token(_biblioteca(caminho), rotulo_token, caminho)
        try:
            with token.open() as sessao:
                return [c for c in _certificados_da_sessao(sessao) if not _e_ac(c.cert)]
        except _pkcs11().PKCS11Error as erro:
            raise _traduzir(erro, token) from None

    return TRABALHADOR.executar(trabalho)


def _e_ac(cert: x509.Certificate) -> bool:
    try:
        return bool(cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return cert.subject == cert.issuer


def _traduzir(erro: Exception, token: Any | None = None) -> ErroAssinador:
    """Converte um erro do PKCS#11 numa mensagem em português."""
    pkcs11 = _pkcs11()
    if isinstance(erro, ErroAssinador):
        return erro
    if isinstance(erro, pkcs11.PinLocked):
        return PinBloqueado(MSG_PIN_BLOQUEADO)
    if isinstance(erro, pkcs11.PinIncorrect):
        info = None
        if token is not None:
            try:
                info = _info(token.slot.get_token())
            except pkcs11.PKCS11Error:
                info = None
        if info is not None and info.pin_bloqueado:
            return PinBloqueado("PIN incorreto. " + MSG_PIN_BLOQUEADO)
        if info is not None and info.pin_ultima_tentativa:
            return PinIncorreto(
                "PIN incorreto. Atenção: resta só uma tentativa; se errar de novo, o token será "
                "bloqueado e só o PUK o desbloqueia.",
                "última",
            )
        if info is not None and info.pin_poucas_tentativas:
            return PinIncorreto(
                "PIN incorreto. Restam poucas tentativas antes de o token ser bloqueado (o token "
                "não informa quantas); confira o PIN antes de tentar de novo.",
                "poucas",
            )
        return PinIncorreto(
            "PIN incorreto. Confira o PIN do token (não é a senha do SIOPS) e tente de novo; "
            "após algumas tentativas erradas o token é bloqueado."
        )
    if isinstance(erro, (pkcs11.PinLenRange, pkcs11.PinInvalid)):
        return PinIncorreto("O PIN informado tem tamanho ou caracteres que este token não aceita.")
    if isinstance(erro, pkcs11.PinExpired):
        return ErroAssinador("O PIN do token expirou: troque-o no gerenciador do token.")
    if isinstance(erro, (pkcs11.TokenNotPresent, pkcs11.DeviceRemoved, pkcs11.NoSuchToken)):
        return TokenAusente("O token foi desconectado. Conecte-o de novo e tente outra vez.")
    if isinstance(
        erro, (pkcs11.SessionClosed, pkcs11.SessionHandleInvalid, pkcs11.UserNotLoggedIn)
    ):
        return ErroAssinador(
            "A sessão com o token foi encerrada. Tente de novo (o PIN será pedido)."
        )
    if isinstance(erro, pkcs11.FunctionCancelled):
        return Cancelado("A operação foi cancelada no token.")
    return ErroAssinador(f"O token respondeu com um erro ({type(erro).__name__}). Tente de novo.")


# ---------------------------------------------------------------------------- PKCS#11: chave


_MECANISMOS = {
    "sha256": "SHA256_RSA_PKCS",
    "sha384": "SHA384_RSA_PKCS",
    "sha512": "SHA512_RSA_PKCS",
}


class ChavePKCS11(rsa.RSAPrivateKey):
    """Uma chave RSA que fica no token: ``sign`` manda o token assinar; nada mais sai dele.

    Os parâmetros de ``sign`` se chamam ``padding`` e ``algorithm`` porque signxml os passa
    por nome (STYLE, armadilhas).
    """

    def __init__(self, assinador: AssinadorPKCS11, objeto: Any, publica: rsa.RSAPublicKey) -> None:
        self._assinador = assinador
        self._objeto = objeto
        self._publica = publica

    def sign(
        self,
        data: bytes,
        padding: _padding.AsymmetricPadding,
        algorithm: hashes.HashAlgorithm | Any,
    ) -> bytes:
        """Assina ``data`` no token com RSA PKCS#1 v1.5 e o hash pedido (SHA-256/384/512)."""
        if not isinstance(padding, _padding.PKCS1v15):
            raise ErroAssinador("O token só assina com RSA PKCS#1 v1.5 neste programa.")
        nome = getattr(algorithm, "name", "")
        if nome not in _MECANISMOS:
            raise ErroAssinador(
                f"Algoritmo de hash não suportado pelo token: {nome or algorithm!r}."
            )
        return self._assinador._assinar(self._objeto, bytes(data), _MECANISMOS[nome])

    @property
    def key_size(self) -> int:
        return self._publica.key_size

    def public_key(self) -> rsa.RSAPublicKey:
        return self._publica

    def decrypt(self, ciphertext: bytes, padding: _padding.AsymmetricPadding) -> bytes:
        raise ErroAssinador("Este programa não decifra com a chave do token.")

    def private_numbers(self) -> rsa.RSAPrivateNumbers:
        raise ErroAssinador(
            "A chave privada de um token A3 não pode ser lida: ela nunca sai do token."
        )

    def private_bytes(self, encoding: Any, format: Any, encryption_algorithm: Any) -> bytes:
        raise ErroAssinador(
            "A chave privada de um token A3 não pode ser exportada: ela nunca sai do token."
        )

    def __copy__(self) -> ChavePKCS11:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> ChavePKCS11:
        return self


class AssinadorPKCS11(Assinador):
    """Certificado A3: a chave fica no token; a sessão é deste contexto e dura o ``with``.

    A sessão abre no ``__enter__`` (token, PIN, login, certificado e chave) e fecha no
    ``__exit__``, também quando o bloco termina com erro: ninguém mais a abre ou fecha (o
    modelo é o ``PKCS11SigningContext`` do pyHanko). ``modulo``: caminho do módulo PKCS#11
    (None: tenta os comuns). ``rotulo_token``: qual token — um ``CriterioToken`` (rótulo e/ou
    número de série) ou só o rótulo como texto (None: o único conectado). ``cka_id``: qual certificado (None: o único de titular
    com chave privada, ou o de validade mais longa se houver vários). ``intermediarios``: ACs
    a acrescentar à cadeia quando o token só guarda o certificado do titular.
    """

    def __init__(
        self,
        modulo: str | os.PathLike[str] | None,
        rotulo_token: CriterioToken | str | None,
        pin_handler: PinHandler,
        cka_id: bytes | None = None,
        intermediarios: Iterable[x509.Certificate] = (),
    ) -> None:
        self._modulo = modulo
        self._criterio = CriterioToken.de(rotulo_token)
        self._pin_handler = pin_handler
        self._cka_id = cka_id
        self._extras = tuple(intermediarios)
        self._sessao: Any = None
        self._token: Any = None
        self._cert: x509.Certificate | None = None
        self._cadeia: tuple[x509.Certificate, ...] = ()
        self._chave: ChavePKCS11 | None = None
        self.info: InfoToken | None = None

    # -- interface

    @property
    def certificado(self) -> x509.Certificate:
        if self._cert is None:
            raise ErroAssinador("A sessão com o token não está aberta.")
        return self._cert

    @property
    def cadeia(self) -> tuple[x509.Certificate, ...]:
        return self._cadeia

    def chave_privada(self) -> ChavePKCS11:
        if self._chave is None:
            raise ErroAssinador("A sessão com o token não está aberta.")
        return self._chave

    @property
    def criterio(self) -> CriterioToken:
        """Como o token é escolhido."""
        return self._criterio

    @property
    def sessao_aberta(self) -> bool:
        """Se este contexto tem agora uma sessão aberta com o token."""
        return self._sessao is not None

    # -- sessão

    def abrir(self) -> None:
        """Encontra o token, pede o PIN, abre a sessão e localiza certificado e chave."""
        if self._sessao is not None:
            return
        caminho = localizar_modulo(self._modulo)
        token, info = TRABALHADOR.executar(self._achar_token, caminho)
        self.info = info
        if info.pin_bloqueado:
            raise PinBloqueado(MSG_PIN_BLOQUEADO)
        aviso = None
        if info.pin_ultima_tentativa:
            aviso = "Atenção: resta só uma tentativa antes de o token ser bloqueado."
        elif info.pin_poucas_tentativas:
            aviso = "Atenção: restam poucas tentativas antes de o token ser bloqueado."
        pin = self._pin_handler(info.descricao, aviso)
        if pin is None:
            raise Cancelado("Operação cancelada: o PIN do token não foi informado.")
        TRABALHADOR.executar(self._entrar, token, pin)

    def _achar_token(self, caminho: str) -> tuple[Any, InfoToken]:
        token = _escolher_token(_biblioteca(caminho), self._criterio, caminho)
        return token, _info(token)

    def _entrar(self, token: Any, pin: str) -> None:
        pkcs11 = _pkcs11()
        try:
            try:
                sessao = token.open(user_pin=pin)
            except pkcs11.UserAlreadyLoggedIn:
                sessao = token.open()
        except pkcs11.PKCS11Error as erro:
            raise _traduzir(erro, token) from None
        try:
            self._localizar(sessao)
        except BaseException:
            sessao.close()
            raise
        self._sessao, self._token = sessao, token

    def _localizar(self, sessao: Any) -> None:
        pkcs11 = _pkcs11()
        todos = _certificados_da_sessao(sessao)
        titulares = [c for c in todos if not _e_ac(c.cert)]
        rotulo = self.info.rotulo if self.info else (self._criterio.rotulo or "")
        if self._cka_id is not None:
            titulares = [c for c in titulares if c.cka_id == self._cka_id]
        com_chave: list[tuple[CertificadoNoToken, Any]] = []
        for c in titulares:
            try:
                chave = sessao.get_key(object_class=pkcs11.ObjectClass.PRIVATE_KEY, id=c.cka_id)
            except pkcs11.NoSuchKey:
                continue
            except pkcs11.MultipleObjectsReturned:
                raise CertificadoAusente(
                    f"O token «{rotulo}» tem mais de uma chave privada com o mesmo identificador; "
                    "use o gerenciador do token para conferir."
                ) from None
            com_chave.append((c, chave))
        if not com_chave:
            if self._cka_id is not None:
                raise CertificadoAusente(
                    f"O certificado escolhido não está no token «{rotulo}» (ou não tem chave privada)."
                )
            raise CertificadoAusente(
                f"O token «{rotulo}» não contém um certificado com chave privada. Confira no "
                "gerenciador do token se o certificado foi gravado nele."
            )
        com_chave.sort(key=lambda par: par[0].cert.not_valid_after_utc, reverse=True)
        escolhido, objeto = com_chave[0]
        publica = escolhido.cert.public_key()
        if not isinstance(publica, rsa.RSAPublicKey):
            raise CertificadoAusente(f"O certificado no token «{rotulo}» não usa chave RSA.")
        self._cert = escolhido.cert
        acs = [c.cert for c in todos if _e_ac(c.cert)] + [c for c in self._extras]
        self._cadeia = _ordenar_cadeia(escolhido.cert, [c for c in acs if c != escolhido.cert])
        self._chave = ChavePKCS11(self, objeto, publica)

    def fechar(self) -> None:
        """Fecha a sessão com o token (o token faz logout quando a última sessão fecha)."""
        sessao, self._sessao = self._sessao, None
        self._chave = None
        if sessao is not None:
            try:
                TRABALHADOR.executar(sessao.close)
            except Exception:  # a sessão pode já ter caído com o token
                pass

    def _assinar(self, objeto: Any, dados: bytes, mecanismo: str) -> bytes:
        if self._sessao is None:
            raise ErroAssinador("A sessão com o token não está aberta.")
        pkcs11 = _pkcs11()

        def trabalho() -> bytes:
            try:
                return bytes(objeto.sign(dados, mechanism=getattr(pkcs11.Mechanism, mecanismo)))
            except pkcs11.PKCS11Error as erro:
                raise _traduzir(erro, self._token) from None

        return TRABALHADOR.executar(trabalho)


def descrever_erro(erro: BaseException) -> str:
    """A mensagem para o usuário de um erro de certificado/token (nunca um traceback)."""
    if isinstance(erro, (ErroAssinador, CertificadoInvalido)):
        return str(erro)
    return f"Erro inesperado ao usar o certificado: {erro}"


__all__ = [
    "MSG_PIN_BLOQUEADO",
    "Assinador",
    "AssinadorA1",
    "AssinadorChave",
    "AssinadorPKCS11",
    "Cancelado",
    "CertificadoAusente",
    "CertificadoNoToken",
    "ChavePKCS11",
    "CriterioToken",
    "ErroAssinador",
    "InfoToken",
    "ModuloAusente",
    "PinBloqueado",
    "PinIncorreto",
    "SenhaIncorreta",
    "TokenAusente",
    "descrever_erro",
    "listar_certificados",
    "listar_tokens",
    "localizar_modulo",
    "nome_comum",
]
