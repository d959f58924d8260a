"""The transmission gate (issue 20.3): ``siops gravar-transmissao`` and Arquivo → Gravar arquivo
para transmissão run the críticas with the same inputs the server uses when it receives the
file, so a crítica that blocks there blocks here first.

The inputs from outside the declaration:

* **the reference** (FNS transfers for 310/352, constitutional shares for 320): asked to the
  server configured in the Transmissor (``GET /api/v1/referencia-fns/{ente}/{exercicio}``, the
  same values the server's re-validation reads), with a short deadline, and kept in a cache in
  the client's data folder (``referencia/<ente>_<exercicio>.json``, with the date it was
  obtained). When the server cannot be reached the cache is used and the gate says from when
  it is (old after ``IDADE_MAXIMA``); with no cache the gate says the three críticas were not
  checked. Decision (the issue leaves it open): a missing or old reference is a note, never a
  block — the clerk may prepare the file offline, and the server runs the same rules with its
  own reference when the file arrives, so an escalated 310/352/320 of the 6º bimestre still
  stops it there. When the server answers that it has no reference for the ente, none is
  used (not even an older cache): the server's gate would not have one either.
* **the previous bimestre's declaration** (204/515): the file of bimestre − 1 in the standard
  folder (``ops_format.caminhos``, ``.OPS`` then ``.IMP``), or in the sibling folder of the
  file being recorded when that one is in a ``<Bimestre>Bimestre`` folder outside the
  standard root. Not found, unreadable or of another ente: a note, and 204/515 are not run.

Every note is a Portuguese sentence; the CLI prints them on stderr, the window under the
result. The server side (``servidor.verificacao``) uses its stored reference and the previous
bimestre's transmission in force.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from siops.criticas import DeclaracaoAnteriorInvalida, Referencia, ReferenciaInvalida, verificar
from siops.forms.declaracao import nome_bimestre
from siops.forms.tempo import BRASILIA, agora, data_hora_br
from siops.ops_format import ArquivoInvalido, TransmissaoRecusada, gravar_transmissao, ler
from siops.ops_format.caminhos import EXTENSOES, caminho_padrao, nome_arquivo

if TYPE_CHECKING:
    from siops.criticas import Achado
    from siops.forms.declaracao import Declaracao

#: A cached reference older than this is reported as possibly out of date.
IDADE_MAXIMA = dt.timedelta(days=7)
#: How long the gate waits for the server (connection, reading, whole operation), in seconds.
PRAZO_CONEXAO = 5.0
PRAZO_TOTAL = 20.0
PASTA_CACHE = "referencia"
FORMATO_CACHE = "siops-referencia-cache"
CRITICAS_REFERENCIA = "310, 352 e 320"
CRITICAS_ANTERIOR = "204 e 515"

#: ``obter(servidor, ente, exercicio) -> texto JSON``; raises ``SemReferencia`` (the server
#: has none) or ``ServidorIndisponivel`` (no answer). Replaceable in tests.
Obter = Callable[[str, str, int], str]


class SemReferencia(Exception):
    """The server answered that it has no reference for the ente and exercício."""


class ServidorIndisponivel(Exception):
    """The server could not be asked (network, address, an unexpected answer)."""


@dataclass
class Entradas:
    """What the gate passes to the críticas besides the declaration, and what it says about it."""

    referencia: Referencia | None = None
    anterior: Declaracao | None = None
    notas: list[str] = field(default_factory=list)


# --- the reference ----------------------------------------------------------------------------


def servidor_configurado() -> str:
    """The server address configured in the Transmissor."""
    from siops.transmissor.config import Configuracoes

    try:
        return Configuracoes.carregar().servidor
    except OSError as exc:  # its settings folder cannot be created or read
        raise ServidorIndisponivel(
            f"as configurações do Transmissor não puderam ser lidas ({exc.strerror})"
        ) from None


def obter_do_servidor(servidor: str, ente: str, exercicio: int) -> str:
    """The reference JSON from the server, through the Transmissor's HTTP client (its proxy
    and certificate settings), with the gate's short deadline."""
    import requests

    from siops.transmissor.cliente import (
        ClienteSIOPS,
        ConfigRede,
        ErroCliente,
        RecusadoPeloServidor,
    )
    from siops.transmissor.config import Configuracoes

    cfg = Configuracoes.carregar()
    rede = ConfigRede(
        servidor,
        proxy=cfg.proxy_efetivo if servidor == cfg.servidor else None,
        ca_bundle=cfg.ca_bundle or None,
        timeout_conexao=PRAZO_CONEXAO,
        timeout_leitura=PRAZO_TOTAL,
        tentativas=2,
        recuo_inicial=0.5,
        prazo_total=PRAZO_TOTAL,
    )
    try:
        resposta = ClienteSIOPS(rede).pedir("GET", f"/referencia-fns/{ente}/{int(exercicio)}")
    except RecusadoPeloServidor as exc:
        if exc.status == 404:
            raise SemReferencia(str(exc)) from None
        raise ServidorIndisponivel(str(exc)) from None
    except ErroCliente as exc:
        raise ServidorIndisponivel(str(exc)) from None
    except requests.RequestException as exc:  # what the client does not translate
        raise ServidorIndisponivel(f"erro de comunicação ({type(exc).__name__})") from None
    return resposta.text


def _arquivo_cache(pasta: Path, ente: str, exercicio: int) -> Path:
    return pasta / PASTA_CACHE / f"{ente}_{int(exercicio)}.json"


def _pasta_cache() -> Path:
    from siops.app.preferencias import pasta_dados

    return pasta_dados()


def guardar_cache(
    pasta: Path, servidor: str, ente: str, exercicio: int, texto: str, quando: dt.datetime
) -> None:
    """Keep the reference just obtained, with its date (best effort: a full disk only costs
    the next offline gate its cache)."""
    caminho = _arquivo_cache(pasta, ente, exercicio)
    doc = {
        "formato": FORMATO_CACHE,
        "servidor": servidor,
        "obtida_em": quando.isoformat(timespec="seconds"),
        "referencia": json.loads(texto),
    }
    try:
        caminho.parent.mkdir(parents=True, exist_ok=True)
        tmp = caminho.with_suffix(".tmp")
        tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
        tmp.replace(caminho)
    except OSError:
        pass


def ler_cache(pasta: Path, ente: str, exercicio: int) -> tuple[Referencia, dt.datetime, str] | None:
    """(reference, when it was obtained, from which server) of the cache, or None."""
    caminho = _arquivo_cache(pasta, ente, exercicio)
    try:
        doc = json.loads(caminho.read_text(encoding="utf-8"))
        quando = dt.datetime.fromisoformat(doc["obtida_em"])
        if quando.tzinfo is None:  # written by hand: taken as Brasília time
            quando = quando.replace(tzinfo=BRASILIA)
        ref = Referencia.de_json(json.dumps(doc["referencia"]), str(caminho))
        return ref, quando, str(doc.get("servidor", ""))
    except (OSError, ValueError, KeyError, TypeError, ReferenciaInvalida):
        return None


def obter_referencia(
    d: Declaracao,
    *,
    usar_rede: bool = True,
    servidor: str | None = None,
    pasta: Path | None = None,
    obter: Obter = obter_do_servidor,
    momento: dt.datetime | None = None,
) -> tuple[Referencia | None, list[str]]:
    """The reference for the gate and the notes about it (see the module docstring)."""
    pasta = pasta if pasta is not None else _pasta_cache()
    momento = momento or agora()
    ente, exercicio = d.ente.codigo, d.exercicio
    notas: list[str] = []
    falha = "a consulta ao servidor foi desligada (--sem-servidor)"
    if usar_rede:
        try:
            servidor = servidor or servidor_configurado()
            texto = obter(servidor, ente, exercicio)
            ref = Referencia.de_json(texto, f"referência do servidor {servidor}")
        except SemReferencia:
            return None, [
                f"O servidor {servidor} não tem valores de referência (FNS e transferências "
                f"constitucionais) para {d.ente.descricao} em {exercicio}: as críticas "
                f"{CRITICAS_REFERENCIA} não foram verificadas (na recepção também não serão)."
            ]
        except ServidorIndisponivel as exc:
            falha = f"o servidor {servidor or 'configurado'} não respondeu: {str(exc).rstrip('.')}"
        except ReferenciaInvalida as exc:
            falha = f"o servidor {servidor} mandou uma referência ilegível: {str(exc).rstrip('.')}"
        else:
            guardar_cache(pasta, servidor, ente, exercicio, texto, momento)
            notas.append(
                f"Referência do FNS e das transferências constitucionais obtida do servidor "
                f"{servidor} em {data_hora_br(momento)}."
            )
            return ref, notas + _sem_bimestre(d, ref)
    guardada = ler_cache(pasta, ente, exercicio)
    if guardada is None:
        return None, [
            f"Sem a referência do FNS e das transferências constitucionais ({falha}; nenhuma "
            f"cópia guardada neste computador): as críticas {CRITICAS_REFERENCIA} não foram "
            "verificadas aqui; o servidor as verifica quando receber o arquivo."
        ]
    ref, quando, de_onde = guardada
    idade = momento - quando
    origem = f" do servidor {de_onde}" if de_onde else ""
    if idade > IDADE_MAXIMA:
        notas.append(
            f"Usada a referência do FNS e das transferências constitucionais guardada em "
            f"{data_hora_br(quando)}{origem}, há {idade.days} dias ({falha}): ela pode estar "
            f"desatualizada para as críticas {CRITICAS_REFERENCIA}. Grave de novo quando houver "
            "conexão."
        )
    else:
        notas.append(
            f"Usada a referência do FNS e das transferências constitucionais guardada em "
            f"{data_hora_br(quando)}{origem} ({falha})."
        )
    return ref, notas + _sem_bimestre(d, ref)


def _sem_bimestre(d: Declaracao, ref: Referencia) -> list[str]:
    if ref.tem(d.ente.codigo, d.exercicio, d.bimestre):
        return []
    return [
        f"A referência não traz valores do {d.bimestre}º bimestre de {d.exercicio} para "
        f"{d.ente.descricao}: as críticas {CRITICAS_REFERENCIA} não foram verificadas."
    ]


# --- the previous bimestre --------------------------------------------------------------------


def candidatos_anterior(d: Declaracao, caminho: Path | None) -> list[Path]:
    """Where the previous bimestre's file is looked for, in order (see module docstring)."""
    if d.bimestre <= 1:
        return []
    b = d.bimestre - 1
    out = [caminho_padrao(d.ente, d.exercicio, b, ext) for ext in EXTENSOES]
    if caminho is not None:
        pasta = Path(caminho).resolve().parent
        if pasta.name == f"{nome_bimestre(d.bimestre)}Bimestre":
            irma = pasta.parent / f"{nome_bimestre(b)}Bimestre"
            out += [irma / nome_arquivo(d.ente, d.exercicio, b, ext) for ext in EXTENSOES]
    vistos: list[Path] = []
    for p in out:
        if p not in vistos:
            vistos.append(p)
    return vistos


def achar_anterior(d: Declaracao, caminho: Path | None) -> tuple[Declaracao | None, list[str]]:
    """The previous bimestre's declaration found by itself, and the notes about it."""
    candidatos = candidatos_anterior(d, caminho)
    if not candidatos:
        return None, []
    b = d.bimestre - 1
    for p in candidatos:
        if not p.is_file():
            continue
        return ler_anterior(d, p)
    return None, [
        f"Não foi encontrado o arquivo do {b}º bimestre ({candidatos[0]}): as críticas "
        f"{CRITICAS_ANTERIOR}, que comparam os valores acumulados com o bimestre anterior, não "
        "foram verificadas."
    ]


def ler_anterior(d: Declaracao, p: Path) -> tuple[Declaracao | None, list[str]]:
    """A previous declaration given or found: read it and check it fits (same ente and
    exercício, earlier bimestre); otherwise a note and None."""
    try:
        anterior = ler(p)
    except (ArquivoInvalido, OSError) as exc:
        return None, [
            f"O arquivo do bimestre anterior {p} não pôde ser lido ({str(exc).rstrip('.')}): "
            f"as críticas {CRITICAS_ANTERIOR} não foram verificadas."
        ]
    if (
        anterior.ente.codigo != d.ente.codigo
        or anterior.exercicio != d.exercicio
        or anterior.bimestre >= d.bimestre
    ):
        return None, [
            f"O arquivo {p} é de {anterior.ente.descricao}, {anterior.bimestre}º bimestre de "
            f"{anterior.exercicio}: não serve de comparação; as críticas {CRITICAS_ANTERIOR} não "
            "foram verificadas."
        ]
    return anterior, [f"Comparada com a declaração do {anterior.bimestre}º bimestre em {p}."]


# --- the gate ---------------------------------------------------------------------------------


def entradas(
    d: Declaracao,
    caminho: Path | None,
    *,
    usar_rede: bool = True,
    referencia: Path | None = None,
    anterior: Path | None = None,
    obter: Obter = obter_do_servidor,
) -> Entradas:
    """The outside inputs of the gate (``referencia``/``anterior``: files given explicitly,
    instead of the server and the standard folder)."""
    e = Entradas()
    if referencia is not None:
        try:
            e.referencia = Referencia.carregar(referencia)
            e.notas.append(f"Referência lida de {referencia}.")
            e.notas += _sem_bimestre(d, e.referencia)
        except ReferenciaInvalida as exc:
            e.notas.append(f"{exc} As críticas {CRITICAS_REFERENCIA} não foram verificadas.")
    else:
        e.referencia, notas = obter_referencia(d, usar_rede=usar_rede, obter=obter)
        e.notas += notas
    if anterior is not None:
        e.anterior, notas = ler_anterior(d, Path(anterior))
    else:
        e.anterior, notas = achar_anterior(d, caminho)
    e.notas += notas
    return e


def verificar_portao(
    d: Declaracao, caminho: Path | None, **opcoes
) -> tuple[list[Achado], list[str]]:
    """The críticas of the gate (with the reference and the previous bimestre) and the notes."""
    e = entradas(d, caminho, **opcoes)
    try:
        return verificar(d, e.referencia, anterior=e.anterior), e.notas
    except DeclaracaoAnteriorInvalida as exc:  # checked in ler_anterior; kept for safety
        return verificar(d, e.referencia), [*e.notas, str(exc)]


class Recusada(TransmissaoRecusada):
    """``TransmissaoRecusada`` with the gate's notes (what it used and what it lacked)."""

    def __init__(self, original: TransmissaoRecusada, notas: list[str]) -> None:
        super().__init__(str(original), original.impeditivas)
        self.notas = notas


def gravar(d: Declaracao, caminho: Path, **opcoes) -> tuple[Path, list[str]]:
    """Run the gate and write the transmission copy: ``(destino, notas)``; raises
    ``Recusada`` (a ``TransmissaoRecusada`` with the impeditivas and the notes) while any
    crítica blocks, ``ErroGravacao`` when the copy cannot be written."""
    achados, notas = verificar_portao(d, caminho, **opcoes)
    try:
        return gravar_transmissao(d, caminho, achados), notas
    except TransmissaoRecusada as exc:
        raise Recusada(exc, notas) from None
