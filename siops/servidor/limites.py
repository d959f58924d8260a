"""Limites da camada HTTP: tempos de leitura, conexões por endereço e requisições simultâneas.

Um cliente lento não pode ocupar o servidor de graça. Sem limites, mil sockets que mandam meio
cabeçalho (ou um corpo menor que o ``Content-Length``) ficam abertos para sempre e, como o
``limit_concurrency`` do uvicorn conta *conexões*, fazem todo pedido — inclusive o login do
técnico e ``/saude`` — receber 503. Aqui:

* ``ProtocoloLimitado`` (o protocolo HTTP/1.1 ``h11`` do uvicorn, estendido): o cabeçalho do
  pedido tem de chegar inteiro em ``tempo_cabecalho_segundos`` contados do primeiro byte (ou da
  conexão), mesmo que chegue aos poucos; o corpo não pode ficar parado mais que
  ``tempo_corpo_segundos`` entre duas leituras (só conta quando o servidor está lendo: se é a
  aplicação que ainda não pediu o corpo, o cliente não tem culpa). Estourado o tempo, um pedido
  começado recebe 408 ``tempo_esgotado`` e a conexão é fechada; uma conexão muda só é fechada.
  Cada endereço (IPv4, ou a rede /64 de um IPv6) tem no máximo ``conexoes_por_endereco``
  conexões abertas; as demais recebem 503 na hora.
* ``LimiteRequisicoes`` (middleware ASGI): o que protege a aplicação conta as requisições em
  andamento — cabeçalho completo, despachadas para a aplicação —, não sockets. Acima de
  ``requisicoes_simultaneas``, 503 ``sobrecarregado`` com ``Retry-After``.

Um proxy reverso na frente (docs/api.md §10.1) soma os seus limites a estes.
"""

from __future__ import annotations

import asyncio
import ipaddress
import json
from collections import Counter
from http import HTTPStatus
from typing import Any

import h11
from uvicorn.protocols.http.h11_impl import H11Protocol

from siops.servidor.config import Config
from siops.servidor.erros import ErroAPI

_RETRY_AFTER = "2"
#: Depois de um 408 ou 503 escrito à mão (e do fim da escrita), quanto ainda esperar o cliente
#: ler a resposta antes de fechar o socket de vez.
_ESPERA_FECHAR = 1.0


def tempo_esgotado(fase: str, segundos: float) -> ErroAPI:
    """O 408 de um pedido que não chegou a tempo (``fase``: "o cabeçalho" ou "o corpo")."""
    return ErroAPI(
        408,
        "tempo_esgotado",
        f"A requisição demorou demais para chegar ao servidor: {fase} não chegou em "
        f"{segundos:g} segundos.",
        [
            "A conexão com a internet pode estar lenta ou instável. Tente de novo; se o erro "
            "persistir, verifique a rede, o proxy ou o antivírus."
        ],
    )


def sobrecarregado(motivo: str = "") -> ErroAPI:
    """O 503 de quando o servidor não aceita mais um pedido agora."""
    return ErroAPI(
        503,
        "sobrecarregado",
        "O servidor está sobrecarregado no momento. Tente novamente em instantes.",
        [motivo],
        cabecalhos={"Retry-After": _RETRY_AFTER},
    )


def _json(erro: ErroAPI) -> bytes:
    return json.dumps(erro.corpo(), ensure_ascii=False).encode("utf-8")


def resposta_crua(erro: ErroAPI) -> bytes:
    """A resposta HTTP/1.1 inteira (``Connection: close``) de ``erro``, para quando ainda não há
    pedido (o ``h11`` só responde depois de um cabeçalho completo)."""
    corpo = _json(erro)
    linhas = [
        f"HTTP/1.1 {erro.status} {HTTPStatus(erro.status).phrase}",
        "Content-Type: application/json; charset=utf-8",
        f"Content-Length: {len(corpo)}",
        "Connection: close",
        *(f"{k}: {v}" for k, v in erro.cabecalhos.items()),
    ]
    return ("\r\n".join(linhas) + "\r\n\r\n").encode("latin-1") + corpo


def chave_endereco(cliente: tuple[str, int] | None) -> str | None:
    """O que conta como "um endereço": o IPv4, ou a rede /64 de um IPv6 (um só computador
    costuma ter a /64 inteira); ``None`` quando não se sabe (socket Unix)."""
    if not cliente:
        return None
    try:
        ip = ipaddress.ip_address(cliente[0].split("%", 1)[0])
    except ValueError:
        return cliente[0]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, 64), strict=False))
    return str(ip)


class ProtocoloLimitado(H11Protocol):
    """O ``H11Protocol`` do uvicorn com tempos de leitura e limite de conexões por endereço.

    Use a subclasse de :func:`protocolo_http`, que fixa os limites de uma configuração.
    """

    tempo_cabecalho: float = 10.0
    tempo_corpo: float = 20.0
    por_endereco: int = 64  # 0 = sem limite
    abertas: Counter[str]  # conexões abertas por endereço (compartilhado pela subclasse)

    # typeshed types the argument as BaseTransport; a stream protocol always gets a Transport,
    # and uvicorn's H11Protocol narrows it the same way (with the same ignore)
    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        self._prazo: asyncio.TimerHandle | None = None
        self._fase: str | None = None  # "cabecalho", "corpo" ou None
        self._encerrando = False
        self._chave: str | None = None
        super().connection_made(transport)
        chave = chave_endereco(self.client)
        if chave is not None and self.por_endereco:
            if self.abertas[chave] >= self.por_endereco:
                self._encerrar(
                    resposta_crua(
                        sobrecarregado(
                            "Há conexões demais abertas a partir do mesmo endereço "
                            f"(limite: {self.por_endereco})."
                        )
                    )
                )
                return
            self._chave = chave
            self.abertas[chave] += 1
        # também a conexão que nada manda: o prazo do cabeçalho corre desde já
        self._armar("cabecalho", self.tempo_cabecalho)

    def connection_lost(self, exc: Exception | None) -> None:
        self._desarmar()
        if self._chave is not None:
            self.abertas[self._chave] -= 1
            if self.abertas[self._chave] <= 0:
                del self.abertas[self._chave]
            self._chave = None
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._encerrando or self.transport.is_closing():
            return  # já respondido: o resto é descartado
        if self._fase == "corpo":
            self._desarmar()  # o prazo do corpo conta a partir da última leitura
        super().data_received(data)
        self._acompanhar()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._acompanhar()

    # -- os prazos

    def _acompanhar(self) -> None:
        """Arma o prazo que vale no estado em que o pedido está."""
        if self._encerrando or self.transport.is_closing():
            self._desarmar()
            return
        estado = self.conn.their_state
        if estado is h11.IDLE:  # à espera de um cabeçalho
            if self._fase == "cabecalho":
                return  # o prazo corre desde o começo, por mais que os bytes pinguem
            self._desarmar()
            if self.conn.trailing_data[0]:  # começou o próximo pedido
                self._armar("cabecalho", self.tempo_cabecalho)
            # sem nenhum byte, quem fecha a conexão ociosa é o keep-alive do uvicorn
        elif estado is h11.SEND_BODY:
            if self._fase != "corpo":
                self._armar("corpo", self.tempo_corpo)
        else:  # o pedido chegou inteiro (DONE), ou a conexão acabou
            self._desarmar()

    def _armar(self, fase: str, segundos: float) -> None:
        self._desarmar()
        self._fase = fase
        self._prazo = self.loop.call_later(segundos, self._expirou)

    def _desarmar(self) -> None:
        if self._prazo is not None:
            self._prazo.cancel()
        self._prazo = None
        self._fase = None

    def _expirou(self) -> None:
        fase = self._fase
        self._prazo, self._fase = None, None
        if self._encerrando or self.transport.is_closing():
            return
        if fase == "cabecalho":
            if self.conn.their_state is h11.IDLE and self.conn.trailing_data[0]:
                self._encerrar(resposta_crua(tempo_esgotado("o cabeçalho", self.tempo_cabecalho)))
            else:
                self._encerrar()
            return
        ciclo = self.cycle
        if self.flow.read_paused or (ciclo is not None and ciclo.waiting_for_100_continue):
            # é o servidor que não está lendo: a aplicação ainda não pediu o corpo (e o cliente
            # que mandou "Expect: 100-continue" espera por isso)
            self._armar("corpo", self.tempo_corpo)
            return
        if ciclo is None or ciclo.response_started or ciclo.disconnected:
            self._encerrar()
            return
        # a aplicação vê o cliente ir embora (http.disconnect); a resposta é a nossa
        ciclo.disconnected = True
        ciclo.message_event.set()
        corpo = _json(tempo_esgotado("o corpo", self.tempo_corpo))
        cab = [
            (b"content-type", b"application/json; charset=utf-8"),
            (b"content-length", str(len(corpo)).encode()),
            (b"connection", b"close"),
        ]
        try:
            dados = (
                self.conn.send(h11.Response(status_code=408, headers=cab))
                + self.conn.send(h11.Data(data=corpo))
                + self.conn.send(h11.EndOfMessage())
            )
        except h11.LocalProtocolError:
            dados = b""
        self._encerrar(dados)

    def _encerrar(self, resposta: bytes = b"") -> None:
        """Escreve ``resposta`` e fecha: primeiro só o lado de escrita (o cliente lê a resposta
        mesmo se ainda estiver mandando bytes, que são descartados), o resto em instantes."""
        self._encerrando = True
        self._desarmar()
        if resposta:
            self.transport.write(resposta)
        if self.transport.can_write_eof():
            self.transport.write_eof()
            self.loop.call_later(_ESPERA_FECHAR, self.transport.close)
        else:
            self.transport.close()


def protocolo_http(cfg: Config) -> type[ProtocoloLimitado]:
    """A classe de protocolo para ``uvicorn.run(http=...)`` com os limites de ``cfg``."""
    return type(
        "ProtocoloLimitado",
        (ProtocoloLimitado,),
        {
            "tempo_cabecalho": float(cfg.tempo_cabecalho_segundos),
            "tempo_corpo": float(cfg.tempo_corpo_segundos),
            "por_endereco": int(cfg.conexoes_por_endereco),
            "abertas": Counter(),
        },
    )


class LimiteRequisicoes:
    """Middleware ASGI: no máximo ``maximo`` requisições HTTP em andamento; 503 acima disso.

    Conta requisições cujo cabeçalho chegou inteiro (o uvicorn só chama a aplicação então),
    nunca conexões ociosas ou a meio cabeçalho. Um só laço de eventos: o contador não precisa
    de trava.
    """

    def __init__(self, app: Any, maximo: int) -> None:
        self.app = app
        self.maximo = maximo
        self.ativas = 0

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or not self.maximo:
            await self.app(scope, receive, send)
            return
        if self.ativas >= self.maximo:
            erro = sobrecarregado()
            corpo = _json(erro)
            await send(
                {
                    "type": "http.response.start",
                    "status": 503,
                    "headers": [
                        (b"content-type", b"application/json; charset=utf-8"),
                        (b"content-length", str(len(corpo)).encode()),
                        (b"retry-after", _RETRY_AFTER.encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": corpo})
            return
        self.ativas += 1
        try:
            await self.app(scope, receive, send)
        finally:
            self.ativas -= 1


__all__ = [
    "LimiteRequisicoes",
    "ProtocoloLimitado",
    "chave_endereco",
    "protocolo_http",
    "resposta_crua",
    "sobrecarregado",
    "tempo_esgotado",
]
