"""Server faults (issue 11, item 3; issue 23, item 3): SIGKILL during a burst of uploads, on
both stores (``apoio_bancos.BANCOS``):

* ``sqlite`` — the single server process is killed, then restarted on the same port;
* ``postgresql-2-workers`` — ``siops-servidor --workers 2`` over the throwaway PostgreSQL: the
  busy *worker* (the one using CPU: uploads in flight on it) is killed, the other keeps
  serving and the uvicorn supervisor recreates the dead one.

The transmitter's own retries (``transmissor.cliente``:
backoff on connection errors and 5xx, the same body and ``Idempotency-Key``) and its offline
queue (``transmissor.fila``) must finish every transmission.

Eight transmitter clients (``transmissor.operacoes.enviar_assinado``, exactly what the window
and ``siopsnet transmitir`` do after signing; four retry for up to ~25 s, four give up after two
tries and leave the transmission in the offline queue, sent afterwards with
``processar_fila``) send distinct signed declarations of one município
while the test kills the server several times at evenly spaced points of the burst (random
down time 0.1–1 s, then the restart, which itself takes seconds). Afterwards:

* every declaration was acknowledged — directly, after retries, or from the offline queue;
* acknowledged = stored = protocols: the database holds exactly the acknowledged digests, one
  row each (no duplicates), each with the protocol the client was given; every file is in the
  store with its SHA-256; ``siops-servidor admin verificar`` finds the database and the files
  consistent;
* every receipt was verified by the transmitter against the server's receipt AC, for those
  very bytes, and the server still serves the same receipt for each protocol.

Both variants also count the uploads cut by a kill (the connection reset under a request in
flight: ``interrompidos``); a kill that hit nothing in flight would prove nothing, so the test
asks for at least one.

Sizes: ``SIOPS_CONF_FALHAS_ENVIOS`` (CI 240, full 2000) and ``SIOPS_CONF_FALHAS_MORTES``
(CI 3, full 10), for each store.
"""

from __future__ import annotations

import collections
import hashlib
import os
import queue
import random
import signal
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest
import requests
from apoio_bancos import (
    BANCOS,
    SQLITE,
    de_fabrica,
    esperar_workers,
    iniciar,
    worker_ocupado,
    workers,
)
from apoio_comum import tamanho

pytestmark = pytest.mark.reliability

N = tamanho("falhas_envios", 240, 2000)
MORTES = tamanho("falhas_mortes", 3, 10)
CLIENTES = 8
ENTE = "M261160"  # Recife/PE


class _SessaoContada(requests.Session):
    """The transmitter's HTTP session, counting the requests cut by a connection error."""

    def __init__(self, contagem: collections.Counter[str], trava: threading.Lock) -> None:
        super().__init__()
        self._contagem, self._trava_contagem = contagem, trava

    def request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        try:
            return super().request(*args, **kwargs)
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            with self._trava_contagem:
                self._contagem["interrompidos"] += 1
            raise


def _corpos(tec, n: int) -> list[bytes]:
    """``n`` distinct signed declarations (bimestres 1 to 5, one cent more each time)."""
    from siops import ops_format
    from siops.assinatura.xmldsig import assinar
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.demo import declaracao_demo

    base = {b: declaracao_demo(ENTE, 2025, b) for b in range(1, 6)}
    chave = {
        b: next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        for b, d in base.items()
    }
    assinador = tec.assinador()
    corpos = []
    for i in range(n):
        b = i % 5 + 1
        d = base[b]
        d.aplicar(DefinirCelula(chave[b], d.valor(chave[b]) + Decimal("0.01")))
        corpos.append(assinar(ops_format.para_bytes(d), assinador))
    assert len({hashlib.sha256(c).digest() for c in corpos}) == n
    return corpos


@pytest.mark.parametrize("banco", BANCOS)
def test_sigkill_do_servidor_durante_envios(
    banco, fabrica_servidor, pki, tmp_path, monkeypatch, relatorio
):
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
    from siops.transmissor.fila import FilaOffline
    from siops.transmissor.operacoes import (
        Resultado,
        ancoras_recibo,
        enviar_assinado,
        processar_fila,
    )

    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(tmp_path / "transmissor"))
    s = de_fabrica(fabrica_servidor, banco)
    iniciar(s)
    tec = pki.pessoa("falhas-tec", "Técnica do Recife")
    senha = s.registrar_cadeia(ENTE, pki.pessoa("falhas-chefe"), pki.pessoa("falhas-sec"), tec)
    corpos = _corpos(tec, N)
    transm = tmp_path / "transm"
    transm.mkdir()
    fila = FilaOffline(tmp_path / "fila")
    # half the clients retry long enough to ride out a restart; the other half give up fast
    # and leave the transmission in the offline queue (sent when the transmitter reopens)
    paciente = ConfigRede(
        servidor=s.url, tentativas=14, recuo_inicial=0.2, recuo_maximo=2.0, timeout_leitura=60
    )
    apressado = ConfigRede(servidor=s.url, tentativas=2, recuo_inicial=0.1, timeout_leitura=60)
    cortes: collections.Counter[str] = collections.Counter()
    trava_cortes = threading.Lock()
    clientes = []
    for k in range(CLIENTES):
        c = ClienteSIOPS(
            paciente if k % 2 == 0 else apressado, _SessaoContada(cortes, trava_cortes)
        )
        c.entrar(tec.cpf, senha)
        clientes.append(c)

    # the transmitter stores the server's receipt AC at its first conversation with the server
    # (once, before the burst: concurrent first stores collide — defect B7)
    ancoras_recibo(clientes[0])

    trabalho: queue.Queue[int] = queue.Queue()
    for i in range(N):
        trabalho.put(i)
    reconhecidos: dict[str, tuple[str, int]] = {}  # digest -> (protocolo, índice do corpo)
    desfechos: collections.Counter[str] = collections.Counter()
    erros: list[str] = []
    trava = threading.Lock()
    sem_recibo: set[str] = set()  # acknowledged by a 409 transmissao_substituida: no receipt

    def substituida(r: Resultado) -> bool:
        """Issue 17: a copy accepted (its answer lost to a kill) and replaced meanwhile by
        another of the same period is refused with 409 transmissao_substituida, which names
        the protocol it had."""
        return r.estado == "recusado" and r.recusa.codigo == "transmissao_substituida"

    def enviar(cliente: ClienteSIOPS, i: int) -> None:
        corpo = corpos[i]
        r = enviar_assinado(
            transm / f"{ENTE}_2025_{i:05d}.OPS",
            corpo,
            cliente,
            fila,
            hashlib.sha256(corpo).hexdigest(),
        )
        with trava:
            if r.estado == "transmitido":
                if r.aviso_recibo or r.recibo is None:
                    erros.append(f"{i}: recibo não conferido: {r.aviso_recibo}")
                digest = hashlib.sha256(corpo).hexdigest()
                if digest in reconhecidos and reconhecidos[digest][0] != r.protocolo:
                    erros.append(f"{i}: dois protocolos para o mesmo conteúdo")
                reconhecidos[digest] = (r.protocolo, i)
                desfechos["repetição idempotente (200)" if r.repeticao else "aceito (201)"] += 1
            elif r.estado == "na_fila":
                desfechos["para a fila offline"] += 1
            elif substituida(r):  # accepted before a kill, answer lost, then replaced
                reconhecidos[hashlib.sha256(corpo).hexdigest()] = (r.recusa.corpo["protocolo"], i)
                sem_recibo.add(hashlib.sha256(corpo).hexdigest())
                desfechos["já recebido e substituído (409)"] += 1
            else:
                erros.append(f"{i}: {r.estado}: {r.mensagem}")

    def trabalhador(cliente: ClienteSIOPS) -> None:
        while True:
            try:
                i = trabalho.get_nowait()
            except queue.Empty:
                return
            try:
                enviar(cliente, i)
            except Exception as exc:  # the test reports it below
                with trava:
                    erros.append(f"{i}: {type(exc).__name__}: {exc}")

    rnd = random.Random(11)
    threads = [threading.Thread(target=trabalhador, args=(c,)) for c in clientes]
    t0 = time.monotonic()
    for t in threads:
        t.start()
    mortes: list[int] = []
    partidas: list[float] = []
    em_curso: list[int] = []  # uploads cut by each kill
    for k in range(MORTES):
        marco = N * (k + 1) // (MORTES + 1)
        limite = time.monotonic() + 300
        while sum(desfechos.values()) < marco and time.monotonic() < limite:
            time.sleep(0.01)
        antes = cortes["interrompidos"]
        if banco == SQLITE:  # the whole server, then a restart on the same port
            s.matar()
            mortes.append(sum(desfechos.values()))
            time.sleep(rnd.uniform(0.1, 1.0))
            partidas.append(s.iniciar())
        else:  # the busy worker; the supervisor recreates it, the other serves on
            assert len(workers(s)) == 2, workers(s)
            vitima = worker_ocupado(s)
            os.kill(vitima, signal.SIGKILL)
            mortes.append(sum(desfechos.values()))
            partidas.append(esperar_workers(s, 2, 180, sem={vitima}))
        time.sleep(0.5)  # the cut requests are counted when the clients see the reset
        em_curso.append(cortes["interrompidos"] - antes)
    for t in threads:
        t.join(600)
        assert not t.is_alive(), "um cliente não terminou"
    # what went to the offline queue is sent when the transmitter opens again
    for _ in range(5):
        if not fila.itens(clientes[0].base):
            break
        for r in processar_fila(clientes[0], fila):
            if r.estado == "transmitido":
                corpo = Path(r.arquivo)
                i = int(corpo.stem.rsplit("_", 1)[1])
                reconhecidos[hashlib.sha256(corpos[i]).hexdigest()] = (r.protocolo, i)
                desfechos["enviado da fila"] += 1
            elif substituida(r):
                i = int(Path(r.arquivo).stem.rsplit("_", 1)[1])
                protocolo = r.recusa.corpo["protocolo"]
                reconhecidos[hashlib.sha256(corpos[i]).hexdigest()] = (protocolo, i)
                sem_recibo.add(hashlib.sha256(corpos[i]).hexdigest())
                desfechos["da fila: já recebido e substituído (409)"] += 1
    duracao = time.monotonic() - t0
    assert not erros, erros[:5]
    assert cortes["interrompidos"] >= 1, "nenhum SIGKILL pegou um envio em curso"
    assert not fila.itens(), "ficou transmissão na fila"

    # acknowledged = stored = protocols, no duplicates
    assert len(reconhecidos) == N
    linhas = s.consultar("SELECT protocolo, digest FROM transmissoes WHERE ente=?", ENTE)
    assert len(linhas) == len({d for _, d in linhas}) == N, "duplicatas no banco"
    assert {d: p for p, d in linhas} == {d: p for d, (p, _) in reconhecidos.items()}
    assert len({p for p, _ in linhas}) == N
    assert set(reconhecidos) <= s.arquivos_guardados()
    rel = s.verificar()
    # the same receipt, byte for byte, from the restarted server (to its owner: it has a CPF)
    dono = {"Authorization": f"Bearer {s.token(tec.cpf, senha)}"}
    com_recibo = [(d, v) for d, v in reconhecidos.items() if d not in sem_recibo]
    for digest, (protocolo, _) in com_recibo[:: max(1, N // 40)]:
        recibo = s.http.get(
            f"{s.url}/api/v1/transmissoes/{protocolo}/recibo", headers=dono, timeout=30
        )
        guardado = (transm / f"{ENTE}_2025_{reconhecidos[digest][1]:05d}.recibo.xml").read_bytes()
        assert recibo.content == guardado, protocolo
    vitima_de = "worker" if banco != SQLITE else "servidor"
    relatorio(
        casos=N,
        banco=banco,
        mortes=MORTES,
        envios_interrompidos=cortes["interrompidos"],
        interrompidos_por_morte=em_curso,
        processados_ao_matar=mortes,
        partida_s=[round(x, 1) for x in partidas],
        desfechos=dict(desfechos),
        segundos=round(duracao, 1),
        orfaos=rel.get("orfaos"),
        resumo=f"[{banco}] {N} transmissões de {CLIENTES} clientes, {MORTES} SIGKILL do "
        f"{vitima_de} no meio ({cortes['interrompidos']} envios cortados; "
        f"{'recriado' if banco != SQLITE else 'reiniciado'} em "
        f"{min(partidas):.1f}–{max(partidas):.1f} s): todas reconhecidas "
        f"({', '.join(f'{v} {k}' for k, v in desfechos.items())}); reconhecidas = guardadas = "
        f"protocolos = {N}, 0 duplicatas, recibos conferidos, banco íntegro",
    )
