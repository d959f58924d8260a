"""O cliente HTTP do servidor SIOPS (docs/api.md), sobre ``requests``.

O que ele garante, porque é onde os usuários perdem dias (issue 7):

* **tempo limite** em toda chamada (conexão e leitura separados);
* **novas tentativas** com recuo exponencial (e ``Retry-After``) em falha de conexão, tempo
  esgotado, conexão cortada e respostas 5xx — limitadas em número *e* num prazo total por
  operação (``ConfigRede.prazo_total``, 2 minutos por padrão): um servidor que aceita a conexão e
  nunca responde prendia o usuário por tentativas × tempo de leitura (10 minutos com 5); agora o
  tempo de conexão e de leitura de cada tentativa é cortado ao que resta do prazo, e não se
  começa uma tentativa (nem se espera o recuo) que passaria dele. 4xx nunca se repete;
* **idempotência** do envio: o corpo assinado vai com ``Idempotency-Key`` = SHA-256 dele;
  repetir o mesmo corpo devolve o mesmo protocolo, então repetir é sempre seguro;
* **proxy**: o do sistema/ambiente (padrão do requests), nenhum, ou um explícito;
* **HTTPS com verificação** (um pacote de ACs configurável); HTTP sem criptografia só para o
  próprio computador (127.0.0.1, ::1, localhost) — para os demais, recusa com uma mensagem;
* mensagens em português que **nomeiam o endereço** que não respondeu (DOMAIN §9: proxy,
  antivírus e firewall são a causa usual).
"""

from __future__ import annotations

import hashlib
import ipaddress
import random
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import requests

from siops.assinatura.certificados import so_digitos
from siops.forms.inteiros import InteiroInvalido, inteiro_ascii

Progresso = Callable[[int, int], None]
"""``progresso(enviados, total)`` chamado durante o envio do corpo."""

USER_AGENT = "SIOPSNET/siops-desktop"
PRAZO_PADRAO = 120.0
#: 408 is the server's read timeout on a slow link (docs/api.md §1.2): a connection failure.
STATUS_REPETIVEIS = frozenset({408, 500, 502, 503, 504})


class ErroCliente(Exception):
    """Erro ao falar com o servidor. ``str(erro)`` é a mensagem para o usuário."""


class EnderecoRecusado(ErroCliente):
    """Endereço do servidor inválido ou inseguro (HTTP fora do próprio computador)."""


class FalhaDeRede(ErroCliente):
    """O servidor não respondeu (depois das novas tentativas). A transmissão pode ir para a fila."""

    def __init__(self, mensagem: str, host: str = "") -> None:
        super().__init__(mensagem)
        self.host = host


class RecusadoPeloServidor(ErroCliente):
    """O servidor respondeu com 4xx: não adianta repetir.

    ``status``, ``codigo`` (docs/api.md §9), ``motivos`` e ``criticas`` vêm da resposta.
    """

    def __init__(
        self,
        mensagem: str,
        status: int,
        codigo: str = "",
        motivos: list[str] | None = None,
        criticas: list[dict[str, Any]] | None = None,
        corpo: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(mensagem)
        self.status = status
        self.codigo = codigo
        self.motivos = motivos or []
        self.criticas = criticas or []
        self.corpo = corpo or {}

    @property
    def texto_completo(self) -> str:
        """A mensagem com os motivos, um por linha."""
        linhas = [str(self)] + [f"  • {m}" for m in self.motivos]
        for c in self.criticas:
            linhas.append(
                f"  • Crítica {c.get('codigo', '')}: {c.get('mensagem', '')} ({c.get('local', '')})"
            )
        return "\n".join(linhas)


class SessaoExpirada(RecusadoPeloServidor):
    """401 num ponto com token: é preciso entrar de novo (CPF e senha)."""


@dataclass
class ConfigRede:
    """Como chegar ao servidor.

    ``proxy``: ``None`` usa o do sistema/ambiente (HTTP_PROXY, HTTPS_PROXY, NO_PROXY); ``""``
    desliga qualquer proxy; ``"http://host:porta"`` usa esse. ``ca_bundle``: arquivo PEM das ACs
    em que confiar no HTTPS (``None``: as do certifi/sistema).
    """

    servidor: str
    proxy: str | None = None
    ca_bundle: str | None = None
    timeout_conexao: float = 10.0
    timeout_leitura: float = 120.0
    tentativas: int = 5
    recuo_inicial: float = 1.0
    recuo_maximo: float = 30.0
    #: Tempo máximo de uma operação (um pedido com todas as suas tentativas e recuos), em
    #: segundos. Limita a espera em quem não responde; um servidor que manda um byte de cada vez
    #: dentro do tempo de leitura ainda pode passar um pouco dele.
    prazo_total: float = PRAZO_PADRAO


def _e_loopback(host: str) -> bool:
    if host.lower() in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def validar_endereco(url: str) -> str:
    """Normaliza a URL base do servidor; recusa HTTP sem criptografia fora do loopback."""
    url = (url or "").strip().rstrip("/")
    if not url:
        raise EnderecoRecusado(
            "Informe o endereço do servidor (por exemplo, https://siops.saude.gov.br)."
        )
    partes = urlsplit(url)
    if partes.scheme not in ("http", "https") or not partes.hostname:
        raise EnderecoRecusado(
            f"O endereço do servidor «{url}» não é válido: use https://servidor (ou http://127.0.0.1:PORTA)."
        )
    if partes.scheme == "http" and not _e_loopback(partes.hostname):
        raise EnderecoRecusado(
            f"Por segurança, o transmissor não envia dados sem criptografia pela rede: use "
            f"https://{partes.netloc} em vez de http://. (HTTP só é aceito para este próprio "
            "computador, 127.0.0.1.)"
        )
    if url.endswith("/api/v1"):
        url = url[: -len("/api/v1")]
    return url


def digest(dados: bytes) -> str:
    """SHA-256 hexadecimal minúsculo (a chave de idempotência)."""
    return hashlib.sha256(dados).hexdigest()


class _CorpoComProgresso:
    """Um corpo de bytes lido aos pedaços pelo http.client, que avisa o progresso."""

    def __init__(self, dados: bytes, progresso: Progresso | None) -> None:
        self._dados = memoryview(dados)
        self._pos = 0
        self._progresso = progresso

    def __len__(self) -> int:
        return len(self._dados)

    def read(self, n: int = -1) -> bytes:
        if n is None or n < 0:
            n = len(self._dados) - self._pos
        pedaco = bytes(self._dados[self._pos : self._pos + n])
        self._pos += len(pedaco)
        if self._progresso is not None and pedaco:
            self._progresso(self._pos, len(self._dados))
        return pedaco


@dataclass
class Sessao:
    """Um login aceito: o token e quem é o usuário (CPF, nome, papéis)."""

    token: str
    cpf: str
    nome: str = ""
    papeis: list[dict[str, str]] = field(default_factory=list)
    expira_em: str = ""


@dataclass(frozen=True)
class RespostaTransmissao:
    """O que o servidor devolveu ao aceitar (201) ou repetir (200) uma transmissão."""

    protocolo: str
    recibo: bytes
    dados: dict[str, Any]
    repeticao: bool

    @property
    def recebido_em(self) -> str:
        """Data-hora do recebimento, ISO 8601."""
        return str(self.dados.get("recebido_em", ""))


class ClienteSIOPS:
    """Fala com um servidor SIOPS. Sem estado além do token da sessão."""

    def __init__(
        self,
        config: ConfigRede,
        sessao_http: requests.Session | None = None,
        dormir: Callable[[float], None] = time.sleep,
    ) -> None:
        self.config = config
        self.base = validar_endereco(config.servidor)
        self.host = urlsplit(self.base).netloc
        self.http = sessao_http or requests.Session()
        self.http.headers["User-Agent"] = USER_AGENT
        if _e_loopback(urlsplit(self.base).hostname or ""):
            # o próprio computador nunca passa por proxy (um HTTP_PROXY sem NO_PROXY mandaria
            # 127.0.0.1 para o proxy)
            self.http.trust_env = False
            self.http.proxies = {}
        elif config.proxy is not None:
            proxy = config.proxy.strip()
            self.http.trust_env = False
            self.http.proxies = {"http": proxy, "https": proxy} if proxy else {}
        self.sessao: Sessao | None = None
        self._dormir = dormir

    # -- infraestrutura

    def _url(self, caminho: str) -> str:
        return f"{self.base}/api/v1{caminho}"

    def _verify(self) -> bool | str:
        return self.config.ca_bundle or True

    def _recuo(self, tentativa: int, resposta: requests.Response | None) -> float:
        if resposta is not None:
            ra = resposta.headers.get("Retry-After", "").strip()
            try:  # ASCII digits only: "²".isdigit() is true and float("²") fails
                return min(float(inteiro_ascii(ra, maximo=86_400)), self.config.recuo_maximo)
            except InteiroInvalido:
                pass
        base = self.config.recuo_inicial * (2**tentativa)
        return min(base, self.config.recuo_maximo) * (0.75 + random.random() / 2)

    def pedir(
        self,
        metodo: str,
        caminho: str,
        *,
        corpo: bytes | None = None,
        json: Mapping[str, Any] | None = None,
        cabecalhos: Mapping[str, str] | None = None,
        token: bool = False,
        progresso: Progresso | None = None,
        tentativas: int | None = None,
    ) -> requests.Response:
        """Faz o pedido com tempo limite e novas tentativas; devolve a resposta 2xx.

        Levanta ``RecusadoPeloServidor`` (4xx, com os motivos), ``SessaoExpirada`` (401 com
        token) ou ``FalhaDeRede`` (sem resposta ou 5xx depois de todas as tentativas).
        """
        h = dict(cabecalhos or {})
        if token:
            if self.sessao is None:
                raise SessaoExpirada(
                    "Entre com o seu CPF e senha antes de transmitir.", 401, "token_ausente"
                )
            h["Authorization"] = f"Bearer {self.sessao.token}"
        maximo = max(1, tentativas or self.config.tentativas)
        prazo = max(0.1, float(self.config.prazo_total))
        inicio = time.monotonic()
        ultimo_erro = ""
        feitas = 0
        resposta: requests.Response | None = None
        for n in range(maximo):
            resposta = None
            resta = prazo - (time.monotonic() - inicio)
            if n and resta <= 0:
                break
            resta = max(resta, 0.1)
            feitas += 1
            try:
                dados = _CorpoComProgresso(corpo, progresso) if corpo is not None else None
                resposta = self.http.request(
                    metodo,
                    self._url(caminho),
                    data=dados,
                    json=json,
                    headers=h,
                    timeout=(
                        min(self.config.timeout_conexao, resta),
                        min(self.config.timeout_leitura, resta),
                    ),
                    verify=self._verify(),
                    allow_redirects=False,
                )
            except requests.exceptions.SSLError as erro:
                raise FalhaDeRede(self._msg_ssl(erro), self.host) from None
            except requests.exceptions.ProxyError:
                ultimo_erro = (
                    f"O proxy configurado não deixou chegar ao servidor {self.host}. Confira as "
                    "configurações de proxy (ou peça ao setor de informática para liberar o endereço)."
                )
            except requests.exceptions.Timeout:
                ultimo_erro = f"O servidor {self.host} demorou demais para responder."
            except (requests.exceptions.ConnectionError, requests.exceptions.ChunkedEncodingError):
                ultimo_erro = (
                    f"Não foi possível conectar ao servidor {self.host}. Verifique a conexão com a "
                    "internet; se ela estiver normal, o bloqueio pode ser de proxy, antivírus ou "
                    "firewall da rede."
                )
            else:
                if resposta.status_code < 300:
                    return resposta
                if resposta.status_code not in STATUS_REPETIVEIS:
                    raise self._recusa(resposta, token)
                ultimo_erro = self._texto_5xx(resposta)
            if n + 1 < maximo:
                espera = self._recuo(n, resposta)
                if time.monotonic() - inicio + espera >= prazo:
                    break  # the next try would start after the deadline
                self._dormir(espera)
        decorrido = time.monotonic() - inicio
        raise FalhaDeRede(
            f"{ultimo_erro} (tentativas: {feitas} em {_duracao(decorrido)}; o limite de cada "
            f"operação é {_duracao(prazo)})",
            self.host,
        )

    def _msg_ssl(self, erro: Exception) -> str:
        return (
            f"A conexão segura com {self.host} não pôde ser verificada: o certificado do servidor "
            "não é confiável para este computador. Se a rede usa um proxy que inspeciona HTTPS, "
            "configure o arquivo de ACs (pacote de certificados) nas configurações do transmissor."
        )

    def _texto_5xx(self, r: requests.Response) -> str:
        erro = _json(r).get("erro")
        if erro:
            return f"O servidor {self.host} respondeu: {erro}"
        if r.status_code == 503:
            return f"O servidor {self.host} está sobrecarregado ou em manutenção (503)."
        return f"O servidor {self.host} teve um erro interno ({r.status_code})."

    def _recusa(self, r: requests.Response, com_token: bool) -> RecusadoPeloServidor:
        corpo = _json(r)
        erro = corpo.get("erro") or f"O servidor recusou o pedido (código {r.status_code})."
        args = (
            str(erro),
            r.status_code,
            str(corpo.get("codigo", "")),
            [str(m) for m in corpo.get("motivos", []) or []],
            list(corpo.get("criticas", []) or []),
            corpo,
        )
        if r.status_code == 401 and com_token:
            return SessaoExpirada(*args)
        return RecusadoPeloServidor(*args)

    # -- sessões

    def entrar(self, cpf: str, senha: str) -> Sessao:
        """Login com CPF e senha (técnico). Guarda o token na sessão do cliente."""
        r = self.pedir("POST", "/sessoes", json={"cpf": so_digitos(cpf), "senha": senha})
        return self._guardar_sessao(r, so_digitos(cpf))

    def entrar_com_certificado(self, pedido_assinado: bytes) -> Sessao:
        """Sessão de gestor: o ``PedidoSessao`` assinado (``documentos.pedido_sessao``)."""
        r = self.pedir(
            "POST",
            "/sessoes/certificado",
            corpo=pedido_assinado,
            cabecalhos={"Content-Type": "application/xml"},
        )
        return self._guardar_sessao(r, "")

    def _guardar_sessao(self, r: requests.Response, cpf: str) -> Sessao:
        d = _json(r)
        usuario = d.get("usuario") or {}
        self.sessao = Sessao(
            token=str(d.get("token", "")),
            cpf=str(usuario.get("cpf", cpf)),
            nome=str(usuario.get("nome", "")),
            papeis=list(usuario.get("papeis", []) or []),
            expira_em=str(d.get("expira_em", "")),
        )
        if not self.sessao.token:
            raise ErroCliente(f"O servidor {self.host} não devolveu uma sessão válida.")
        return self.sessao

    def sair(self) -> None:
        """Encerra a sessão no servidor (sem erro se já caiu)."""
        if self.sessao is None:
            return
        try:
            self.pedir("DELETE", "/sessoes", token=True, tentativas=1)
        except ErroCliente:
            pass
        self.sessao = None

    # -- transmissão

    def transmitir(
        self, assinado: bytes, progresso: Progresso | None = None
    ) -> RespostaTransmissao:
        """Envia a declaração assinada; repetir o mesmo corpo devolve o mesmo protocolo."""
        r = self.pedir(
            "POST",
            "/transmissoes",
            corpo=assinado,
            cabecalhos={"Content-Type": "application/xml", "Idempotency-Key": digest(assinado)},
            token=True,
            progresso=progresso,
        )
        d = _json(r)
        protocolo = str(d.get("protocolo", ""))
        if not protocolo:
            raise ErroCliente(
                f"O servidor {self.host} aceitou o arquivo mas não devolveu o protocolo."
            )
        recibo = d.get("recibo") or ""
        return RespostaTransmissao(
            protocolo, recibo.encode("utf-8"), d, repeticao=r.status_code == 200
        )

    def situacao(self, protocolo: str) -> dict[str, Any]:
        """Situação de uma transmissão (transmitido, homologado, substituída…)."""
        return _json(self.pedir("GET", f"/transmissoes/{protocolo}", token=True))

    def recibo(self, protocolo: str) -> bytes:
        """O recibo XML assinado de uma transmissão (traz CPF: só com sessão do ente)."""
        return self.pedir("GET", f"/transmissoes/{protocolo}/recibo", token=True).content

    def arquivo(self, protocolo: str) -> bytes:
        """Os bytes assinados exatamente como o servidor os recebeu."""
        return self.pedir("GET", f"/transmissoes/{protocolo}/arquivo", token=True).content

    def certificado_recibos(self) -> bytes:
        """O PEM da AC de recibos do servidor (âncora para conferir os recibos)."""
        return self.pedir("GET", "/certificado").content

    def situacao_ente(self, ente: str, exercicio: int) -> dict[str, Any]:
        """Situação de entrega dos seis bimestres de um ente (público)."""
        return _json(self.pedir("GET", f"/entes/{ente}/situacao?exercicio={int(exercicio)}"))

    # -- atos do gestor

    def homologar(self, homologacao_assinada: bytes) -> dict[str, Any]:
        """Envia a homologação assinada pelo gestor; devolve o JSON com o recibo."""
        r = self.pedir(
            "POST",
            "/homologacoes",
            corpo=homologacao_assinada,
            cabecalhos={"Content-Type": "application/xml"},
        )
        return _json(r)

    def enviar_demonstrativo(
        self, protocolo: str, pdf: bytes, progresso: Progresso | None = None
    ) -> None:
        """Envia o PDF do demonstrativo assinado (PAdES) pelo gestor."""
        self.pedir(
            "PUT",
            f"/homologacoes/{protocolo}/demonstrativo",
            corpo=pdf,
            cabecalhos={"Content-Type": "application/pdf"},
            progresso=progresso,
        )

    def solicitar_retransmissao(self, solicitacao_assinada: bytes) -> dict[str, Any]:
        """Envia a solicitação de retransmissão assinada pelo gestor."""
        r = self.pedir(
            "POST",
            "/retransmissoes",
            corpo=solicitacao_assinada,
            cabecalhos={"Content-Type": "application/xml"},
        )
        return _json(r)


def _duracao(segundos: float) -> str:
    """'3 s', '45 s', '2 min' — for the messages."""
    if segundos >= 120 and round(segundos) % 60 == 0:
        return f"{round(segundos) // 60} min"
    if segundos < 1:
        return f"{segundos:.1f} s".replace(".", ",")
    return f"{round(segundos)} s"


def _json(r: requests.Response) -> dict[str, Any]:
    try:
        d = r.json()
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}
