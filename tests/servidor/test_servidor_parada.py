"""SIGKILL no meio dos envios e nova partida: nada que foi reconhecido (201/200 com recibo) se
perde, o banco fica íntegro e de acordo com os arquivos, e reenviar o que ficou sem resposta
dá um só protocolo por conteúdo.

Usa uma segunda instância do servidor (pasta de dados própria), para não matar a da sessão.
"""

from __future__ import annotations

import json
import queue
import time

import requests
from apoio.servidor import EnvioDaFila

from tests.apoio_postgres import consultar_banco

ENTE = "M261160"  # Recife/PE
CLIENTES = 16


def test_sigkill_durante_envios(outro_servidor, pki, corpos_distintos):
    s = outro_servidor
    tec = pki.pessoa("tec-rec", "Técnica do Recife")
    senha = s.registrar_cadeia(ENTE, pki.pessoa("chefe-rec"), pki.pessoa("sec-rec"), tec)
    token = s.token(tec.cpf, senha)
    corpos = corpos_distintos(tec, ENTE, 240)

    fila: queue.Queue[bytes] = queue.Queue()
    for c in corpos:
        fila.put(c)
    envio = EnvioDaFila(s.url, token, timeout=30)
    reconhecidos, sem_resposta, parar = envio.reconhecidos, envio.sem_resposta, envio.parar
    threads = envio.iniciar(fila, CLIENTES)
    fim = time.monotonic() + 30
    while len(reconhecidos) < 40 and time.monotonic() < fim:
        time.sleep(0.01)
    parar.set()  # os clientes não pegam mais nada da fila…
    s.matar()  # …e o SIGKILL pega os envios em andamento
    for t in threads:
        t.join(60)
    assert len(reconhecidos) >= 40
    nao_enviados = []
    while not fila.empty():
        nao_enviados.append(fila.get_nowait())

    s.iniciar()
    h = {"Authorization": f"Bearer {token}"}  # a sessão sobreviveu (está no banco)
    for digest, resp in reconhecidos.items():
        r = requests.get(f"{s.url}/api/v1/transmissoes/{resp['protocolo']}", headers=h, timeout=10)
        assert r.status_code == 200, r.text
        assert r.json()["digest"] == digest
        r = requests.get(
            f"{s.url}/api/v1/transmissoes/{resp['protocolo']}/recibo", headers=h, timeout=10
        )
        assert r.text == resp["recibo"]  # o mesmo recibo, byte a byte

    adm = s.admin("verificar")
    relatorio = json.loads(adm.stdout)
    assert adm.returncode == 0 and relatorio["ok"], relatorio
    assert relatorio["integridade"] == "ok"
    print(
        f"\nreconhecidos {len(reconhecidos)}, sem resposta {len(sem_resposta)}, "
        f"não enviados {len(nao_enviados)}, órfãos {relatorio['orfaos']}"
    )

    # reenviar o que ficou sem resposta: cada conteúdo com um só protocolo
    # (um que chegou antes da parada e já foi substituído por outro do mesmo período é
    # recusado com 409 transmissao_substituida, nomeando o protocolo que já tinha — issue 17)
    for corpo in sem_resposta + nao_enviados[:10]:
        r = s.transmitir(token, corpo)
        assert r.status_code in (200, 201) or (
            r.status_code == 409 and r.json()["codigo"] == "transmissao_substituida"
        ), r.text
    n, distintos = consultar_banco(
        s.dados, "SELECT COUNT(*), COUNT(DISTINCT digest) FROM transmissoes"
    )[0]
    assert n == distintos == len(reconhecidos) + len(sem_resposta) + min(10, len(nao_enviados))
