"""``siops-servidor --workers 2`` sobre um PostgreSQL real (``tests/apoio_postgres``).

* uma rajada de 32 clientes simultâneos — 4 entes, cada conteúdo enviado duas vezes por
  clientes diferentes — não perde nem duplica nada: cada conteúdo tem um só protocolo, cada
  período uma só vigente, e a sessão aberta num worker vale no outro;
* o SIGKILL de um worker no meio dos envios não perde nada reconhecido (201/200): tudo está no
  banco e nos arquivos, o supervisor recria o worker, e reenviar o que ficou sem resposta dá um
  só protocolo por conteúdo.
"""

from __future__ import annotations

import hashlib
import json
import os
import queue
import signal
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import psycopg
from apoio.servidor import EnvioDaFila

ENTES = ["M330455", "M261160", "M355030", "M431490"]  # Rio, Recife, São Paulo, Porto Alegre


def workers(s) -> list[int]:
    """Os PIDs dos workers (filhos do processo principal iniciados por *spawn*)."""
    filhos: list[int] = []
    for tarefa in Path(f"/proc/{s.proc.pid}/task").iterdir():
        texto = (tarefa / "children").read_text().split()
        filhos += [int(p) for p in texto]
    saida = []
    for pid in filhos:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmd and b"resource_tracker" not in cmd:
            saida.append(pid)
    return saida


def esperar_workers(s, n: int, espera: float = 120) -> list[int]:
    fim = time.monotonic() + espera
    while time.monotonic() < fim:
        pids = workers(s)
        if len(pids) == n and s.vivo():
            return pids
        time.sleep(0.2)
    raise AssertionError(f"esperava {n} workers, há {workers(s)}")


def iniciar(fabrica_servidor, postgres, pki):
    url = postgres.novo_banco("workers")
    # o banco e as raízes no servidor.json: a administração (``admin verificar``) usa os mesmos
    s = fabrica_servidor({"url_banco": url, "raizes": [str(pki.raiz_pem)]}, args=["--workers", "2"])
    s.iniciar(espera=180)
    esperar_workers(s, 2)
    return s, url


def contagem(url: str) -> tuple[int, int, int]:
    with psycopg.connect(url) as con:
        r = con.execute(
            "SELECT COUNT(*), COUNT(DISTINCT digest), (SELECT COUNT(*) FROM (SELECT 1 FROM "
            "transmissoes WHERE situacao IN ('transmitido','homologado') GROUP BY ente, "
            "exercicio, bimestre HAVING COUNT(*) > 1) d) FROM transmissoes"
        ).fetchone()
    assert r is not None
    return int(r[0]), int(r[1]), int(r[2])


def test_rajada_com_dois_workers(fabrica_servidor, postgres, pki, corpos_distintos):
    s, url = iniciar(fabrica_servidor, postgres, pki)
    tokens, corpos = {}, []
    for i, ente in enumerate(ENTES):
        tec = pki.pessoa(f"tec-w{i}", f"Técnico W{i}")
        senha = s.registrar_cadeia(ente, pki.pessoa(f"chefe-w{i}"), pki.pessoa(f"sec-w{i}"), tec)
        tokens[ente] = s.token(tec.cpf, senha)
        corpos += [(ente, c) for c in corpos_distintos(tec, ente, 12)]
    pedidos = corpos + corpos  # cada conteúdo duas vezes, por clientes diferentes
    respostas: list[tuple[str, int, dict]] = []
    trava = threading.Lock()

    def enviar(item: tuple[str, bytes]) -> None:
        ente, corpo = item
        r = s.transmitir(tokens[ente], corpo)
        with trava:
            respostas.append((hashlib.sha256(corpo).hexdigest(), r.status_code, r.json()))

    with ThreadPoolExecutor(32) as ex:
        list(ex.map(enviar, pedidos))
    codigos = Counter(c for _, c, _ in respostas)
    # 201 para o primeiro de cada conteúdo, 200 (o mesmo protocolo) para a repetição; uma
    # transmissão que chegou depois de outra do mesmo período e já foi substituída pode
    # receber 409 transmissao_substituida na repetição (nomeando o protocolo que tinha)
    assert codigos[201] == len(corpos), codigos
    assert set(codigos) <= {200, 201, 409}, [r for r in respostas if r[1] not in (200, 201)]
    por_digest: dict[str, set[str]] = {}
    for digest, codigo, doc in respostas:
        if codigo in (200, 201):
            por_digest.setdefault(digest, set()).add(doc["protocolo"])
    assert all(len(p) == 1 for p in por_digest.values())
    n, distintos, duplicadas = contagem(url)
    assert n == distintos == len(corpos) and duplicadas == 0
    adm = s.admin("verificar")
    assert adm.returncode == 0 and json.loads(adm.stdout)["ok"], adm.stdout + adm.stderr


def test_sigkill_de_um_worker_no_meio_dos_envios(fabrica_servidor, postgres, pki, corpos_distintos):
    s, url = iniciar(fabrica_servidor, postgres, pki)
    ente = "M261160"
    tec = pki.pessoa("tec-wk", "Técnica WK")
    senha = s.registrar_cadeia(ente, pki.pessoa("chefe-wk"), pki.pessoa("sec-wk"), tec)
    token = s.token(tec.cpf, senha)
    corpos = corpos_distintos(tec, ente, 120)
    fila: queue.Queue[bytes] = queue.Queue()
    for c in corpos:
        fila.put(c)
    envio = EnvioDaFila(s.url, token, timeout=60)
    reconhecidos, sem_resposta = envio.reconhecidos, envio.sem_resposta
    threads = envio.iniciar(fila, 16)
    fim = time.monotonic() + 120
    while len(reconhecidos) < 20 and time.monotonic() < fim:
        time.sleep(0.01)
    vitima = workers(s)[0]
    os.kill(vitima, signal.SIGKILL)  # no meio dos envios em andamento
    for t in threads:
        t.join(300)
    assert len(reconhecidos) >= 20
    novos = esperar_workers(s, 2)  # o supervisor recriou o worker morto
    assert vitima not in novos and s.ativo()

    h = {"Authorization": f"Bearer {token}"}
    for digest, resp in reconhecidos.items():
        r = s.http.get(f"{s.url}/api/v1/transmissoes/{resp['protocolo']}", headers=h, timeout=30)
        assert r.status_code == 200 and r.json()["digest"] == digest, r.text
        r = s.http.get(
            f"{s.url}/api/v1/transmissoes/{resp['protocolo']}/recibo", headers=h, timeout=30
        )
        assert r.text == resp["recibo"]
    for corpo in sem_resposta:  # o que ficou sem resposta é reenviado
        r = s.transmitir(token, corpo)
        assert r.status_code in (200, 201) or (
            r.status_code == 409 and r.json()["codigo"] == "transmissao_substituida"
        ), r.text
    n, distintos, duplicadas = contagem(url)
    assert n == distintos and duplicadas == 0
    assert len(reconhecidos) <= n <= len(corpos)
    adm = s.admin("verificar")
    assert adm.returncode == 0 and json.loads(adm.stdout)["ok"], adm.stdout + adm.stderr
    print(f"\nreconhecidos {len(reconhecidos)}, sem resposta {len(sem_resposta)}, no banco {n}")
