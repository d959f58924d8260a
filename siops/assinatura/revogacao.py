"""Revogação: LCRs (CRL) e OCSP buscados pela rede, para a validação de ``certificados``.

Toda AC da ICP-Brasil publica a sua LCR (o endereço vai na extensão CRL Distribution Points
de cada certificado que ela emite) e algumas respondem OCSP (o endereço vai no AIA). A
validação de caminho é do pyhanko-certvalidator (``ValidationContext``); aqui ficam só as
*fetchers* que ele usa, com duas coisas que as dele não fazem:

* o proxy configurado (o transmissor tem o seu; ``None`` = o do sistema, ``""`` = nenhum);
* um cache de LCRs do processo inteiro, por URL, válido até o ``nextUpdate`` da própria LCR:
  uma LCR de AC tem megabytes e vale horas; buscá-la a cada assinatura conferida custaria mais
  que a conferência inteira. Sem ``nextUpdate``, a LCR vale ``VALIDADE_SEM_NEXT_UPDATE``.

As URLs que falharam ficam anotadas (``Buscas.falhas``) para que a mensagem ao usuário diga de
onde não foi possível obter a LCR.

Dois modos (``Revogacao.estrita``):

* estrita (o servidor, para transmissões, homologações e os demais documentos assinados): se
  o certificado declara LCR ou OCSP e nenhuma resposta pôde ser obtida, a assinatura é
  recusada;
* branda (o transmissor, antes de assinar): a falha de busca vira um aviso e a assinatura
  segue — quem decide é o servidor, e um técnico sem acesso ao endereço da LCR não deve ficar
  impedido de assinar por isso.

Um certificado revogado é recusado nos dois modos.
"""

from __future__ import annotations

import datetime as dt
import threading
from asyncio import to_thread
from collections.abc import Awaitable
from dataclasses import dataclass, field

import requests
from asn1crypto import crl as acrl
from asn1crypto import pem as apem
from pyhanko_certvalidator import errors as erros_cv
from pyhanko_certvalidator.fetchers.api import Fetchers
from pyhanko_certvalidator.fetchers.common_utils import FetchBudget, FetchKind
from pyhanko_certvalidator.fetchers.requests_fetchers.cert_fetch_client import (
    RequestsCertificateFetcher,
)
from pyhanko_certvalidator.fetchers.requests_fetchers.crl_client import RequestsCRLFetcher
from pyhanko_certvalidator.fetchers.requests_fetchers.ocsp_client import RequestsOCSPFetcher

VALIDADE_SEM_NEXT_UPDATE = dt.timedelta(hours=1)
"""Quanto vale no cache uma LCR sem ``nextUpdate`` (raro; a ICP-Brasil sempre o preenche)."""

AGENTE = "SIOPS-desktop (validacao de certificados)"


@dataclass(frozen=True)
class Revogacao:
    """Como consultar a revogação.

    ``estrita``: recusa quando a LCR/OCSP declarados não podem ser obtidos (servidor);
    ``proxy``: None = o proxy do sistema (variáveis ``HTTP_PROXY``/``HTTPS_PROXY``), "" =
    nenhum, ou a URL do proxy; ``prazo``: segundos por pedido HTTP.
    """

    estrita: bool = True
    proxy: str | None = None
    prazo: float = 10.0


ESTRITA = Revogacao(estrita=True)
BRANDA = Revogacao(estrita=False)


# ---------------------------------------------------------------------------- cache de LCRs

_CACHE: dict[str, tuple[acrl.CertificateList, dt.datetime]] = {}
_TRAVA = threading.Lock()


def _validade(lista: acrl.CertificateList, agora: dt.datetime) -> dt.datetime:
    proxima = lista["tbs_cert_list"]["next_update"].native
    if isinstance(proxima, dt.datetime):
        return proxima if proxima.tzinfo else proxima.replace(tzinfo=dt.UTC)
    return agora + VALIDADE_SEM_NEXT_UPDATE


def lcr_em_cache(url: str, agora: dt.datetime | None = None) -> acrl.CertificateList | None:
    """A LCR de ``url`` guardada, se ainda dentro do ``nextUpdate``."""
    momento = agora or dt.datetime.now(dt.UTC)
    with _TRAVA:
        item = _CACHE.get(url)
        if item is None:
            return None
        lista, ate = item
        if momento >= ate:
            del _CACHE[url]
            return None
        return lista


def guardar_lcr(url: str, lista: acrl.CertificateList) -> None:
    """Guarda a LCR de ``url`` até o seu ``nextUpdate``."""
    agora = dt.datetime.now(dt.UTC)
    with _TRAVA:
        _CACHE[url] = (lista, _validade(lista, agora))


def esvaziar_cache() -> None:
    """Esquece todas as LCRs guardadas (testes; ou depois de trocar de rede/proxy)."""
    with _TRAVA:
        _CACHE.clear()
        _SITUACOES.clear()


# Situação "não revogado" de um caminho já conferido, válida enquanto TODAS as LCRs que a
# decidiram continuam no cache: até lá nenhuma LCR nova seria buscada, então a resposta não
# pode mudar, e conferir de novo as mesmas milhares de entradas a cada envio seria só custo.
# Só vale para caminhos decididos apenas por LCR (uma resposta OCSP não fica em cache).
_SITUACOES: dict[tuple[str, ...], dt.datetime] = {}


def situacao_em_cache(caminho: tuple[str, ...], agora: dt.datetime | None = None) -> bool:
    """Se o caminho (impressões SHA-256, do titular à raiz) já foi conferido e nenhuma das
    LCRs que o decidiram passou do ``nextUpdate``."""
    momento = agora or dt.datetime.now(dt.UTC)
    with _TRAVA:
        ate = _SITUACOES.get(caminho)
        if ate is None:
            return False
        if momento >= ate:
            del _SITUACOES[caminho]
            return False
        return True


def guardar_situacao(caminho: tuple[str, ...], buscas: Buscas) -> None:
    """Guarda "não revogado" para ``caminho`` até o menor ``nextUpdate`` das LCRs usadas."""
    if buscas.ocsp_usado or not buscas.lcrs_usadas or buscas.falhas_lcr:
        return
    with _TRAVA:
        prazos = [_CACHE[u][1] for u in buscas.lcrs_usadas if u in _CACHE]
        if len(prazos) == len(set(buscas.lcrs_usadas)):
            _SITUACOES[caminho] = min(prazos)


# ---------------------------------------------------------------------------- fetchers


@dataclass
class Buscas:
    """O que uma validação buscou: as URLs que falharam (LCR e OCSP), para a mensagem."""

    falhas_lcr: list[str] = field(default_factory=list)
    falhas_ocsp: list[str] = field(default_factory=list)
    lcrs_usadas: list[str] = field(default_factory=list)
    ocsp_usado: bool = False


def _proxies(proxy: str | None) -> dict[str, str] | None:
    if proxy is None:
        return None  # requests usa as variáveis de ambiente
    if not proxy:
        return {"http": "", "https": ""}
    return {"http": proxy, "https": proxy}


class _Rede:
    """``_get``/``_post`` das fetchers do pyhanko com proxy e prazo próprios."""

    _proxy: str | None
    per_request_timeout: float
    user_agent: str

    def _sessao(self) -> requests.Session:
        s = requests.Session()
        proxies = _proxies(self._proxy)
        if proxies is not None:
            s.trust_env = False
            s.proxies.update({k: v for k, v in proxies.items() if v})
        return s

    def _get(self, url: str, *, acceptable_content_types: tuple[str, ...]) -> Awaitable:
        def tarefa() -> requests.Response:
            with self._sessao() as s:
                r = s.get(
                    url,
                    timeout=self.per_request_timeout,
                    headers={
                        "Accept": ",".join(acceptable_content_types),
                        "User-Agent": self.user_agent,
                    },
                )
            if r.status_code != 200:
                raise requests.RequestException(f"status code {r.status_code}")
            return r

        return to_thread(tarefa)

    def _post(
        self, url: str, data: bytes, *, content_type: str, acceptable_content_types: tuple[str, ...]
    ) -> Awaitable:
        def tarefa() -> requests.Response:
            with self._sessao() as s:
                r = s.post(
                    url,
                    data=data,
                    timeout=self.per_request_timeout,
                    headers={
                        "Accept": ",".join(acceptable_content_types),
                        "User-Agent": self.user_agent,
                        "Content-Type": content_type,
                    },
                )
            if r.status_code != 200:
                raise requests.RequestException(f"status code {r.status_code}")
            return r

        return to_thread(tarefa)


class _BuscaLCR(_Rede, RequestsCRLFetcher):
    def __init__(self, rev: Revogacao, buscas: Buscas, orcamento: FetchBudget) -> None:
        RequestsCRLFetcher.__init__(self, AGENTE, per_request_timeout=rev.prazo, budget=orcamento)
        self._proxy = rev.proxy
        self._buscas = buscas

    async def _fetch_single(self, url):
        self._buscas.lcrs_usadas.append(url)
        guardada = lcr_em_cache(url)
        if guardada is not None:
            return guardada

        async def tarefa() -> acrl.CertificateList:
            self._charge(FetchKind.CRL)
            try:
                resposta = await self._get(url, acceptable_content_types=("application/pkix-crl",))
                dados = resposta.content
                if apem.detect(dados):
                    _, _, dados = apem.unarmor(dados)
                lista = acrl.CertificateList.load(dados)
                _validade(lista, dt.datetime.now(dt.UTC))  # uma LCR malformada falha aqui
            except (ValueError, requests.RequestException) as e:
                self._buscas.falhas_lcr.append(url)
                raise erros_cv.CRLFetchError(f"Failure to fetch CRL from URL {url}") from e
            guardar_lcr(url, lista)
            return lista

        return await self._perform_fetch(url, tarefa)


class _BuscaOCSP(_Rede, RequestsOCSPFetcher):
    def __init__(self, rev: Revogacao, buscas: Buscas, orcamento: FetchBudget) -> None:
        RequestsOCSPFetcher.__init__(self, AGENTE, per_request_timeout=rev.prazo, budget=orcamento)
        self._proxy = rev.proxy
        self._buscas = buscas

    async def _fetch_single(self, ocsp_url, ocsp_request):
        self._buscas.ocsp_usado = True
        try:
            return await super()._fetch_single(ocsp_url, ocsp_request)
        except erros_cv.OCSPFetchError:
            self._buscas.falhas_ocsp.append(ocsp_url)
            raise


class _BuscaCertificados(_Rede, RequestsCertificateFetcher):
    def __init__(self, rev: Revogacao, orcamento: FetchBudget) -> None:
        RequestsCertificateFetcher.__init__(
            self, AGENTE, per_request_timeout=rev.prazo, budget=orcamento
        )
        self._proxy = rev.proxy


def buscadores(rev: Revogacao) -> tuple[Fetchers, Buscas]:
    """As fetchers de uma validação (LCR com cache, OCSP, caIssuers) e o registro das falhas."""
    from pyhanko_certvalidator.fetchers.api import FetchLimits

    buscas = Buscas()
    orcamento = FetchBudget(FetchLimits(max_requests=50, max_cert_requests=10))
    return (
        Fetchers(
            ocsp_fetcher=_BuscaOCSP(rev, buscas, orcamento),
            crl_fetcher=_BuscaLCR(rev, buscas, orcamento),
            cert_fetcher=_BuscaCertificados(rev, orcamento),
        ),
        buscas,
    )
