"""Concorrência: N transmissões distintas de 32 clientes simultâneos (threads com requests) —
cada uma recebe exatamente um protocolo, banco e arquivos concordam, todo recibo verifica.

N vem de ``SIOPS_TESTE_TRANSMISSOES`` (padrão: 2.000, o número da issue; medido em ~42 s
neste teste, 23 s só de envios, nos 2 núcleos compartilhados). Num CI mais lento, um número
menor mantém o teste abaixo de 2 minutos sem mudar o que ele confere.
"""

from __future__ import annotations

import hashlib
import os
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest
import requests
from cryptography import x509

from siops.assinatura.xmldsig import verificar

ENTE = "M230440"  # Fortaleza/CE
CLIENTES = 32
N = int(os.environ.get("SIOPS_TESTE_TRANSMISSOES", "2000"))
NS = "{urn:siops-desktop:recibo:1}"


@pytest.fixture(scope="module")
def fortaleza(servidor, pki):
    tec = pki.pessoa("tec-for", "Técnico de Fortaleza")
    senha = servidor.registrar_cadeia(ENTE, pki.pessoa("chefe-for"), pki.pessoa("sec-for"), tec)
    return tec, servidor.token(tec.cpf, senha)


def test_transmissoes_simultaneas(servidor, fortaleza, corpos_distintos):
    tec, token = fortaleza
    corpos = corpos_distintos(tec, ENTE, N)
    local = threading.local()

    def enviar(corpo: bytes) -> tuple[int, dict]:
        if not hasattr(local, "s"):
            local.s = requests.Session()
        for _tentativa in range(5):
            r = local.s.post(
                f"{servidor.url}/api/v1/transmissoes",
                data=corpo,
                timeout=120,
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/xml",
                    "Idempotency-Key": hashlib.sha256(corpo).hexdigest(),
                },
            )
            if r.status_code != 503:
                return r.status_code, r.json()
            time.sleep(float(r.headers.get("Retry-After", "1")))
        return r.status_code, r.json()

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTES) as ex:
        respostas = list(ex.map(enviar, corpos))
    duracao = time.perf_counter() - t0
    print(f"\n{N} transmissões, {CLIENTES} clientes: {duracao:.1f} s ({N / duracao:.1f}/s)")

    assert all(s == 201 for s, _ in respostas), [r for r in respostas if r[0] != 201][:3]
    protocolos = [r["protocolo"] for _, r in respostas]
    assert len(set(protocolos)) == N

    # todo recibo verifica e diz o protocolo e o digest daquele corpo
    ac = x509.load_pem_x509_certificate(
        requests.get(f"{servidor.url}/api/v1/certificado", timeout=10).content
    )
    for corpo, (_, r) in zip(corpos, respostas, strict=True):
        v = verificar(r["recibo"].encode(), [ac])
        assert v.raiz.findtext(f"{NS}Protocolo") == r["protocolo"]
        assert v.raiz.findtext(f"{NS}Digest") == hashlib.sha256(corpo).hexdigest()

    # banco e arquivos concordam (SQLite ou PostgreSQL, o banco do servidor de teste)
    linhas = servidor.consultar("SELECT protocolo, digest FROM transmissoes WHERE ente=?", ENTE)
    vigentes = servidor.consultar(
        "SELECT bimestre, COUNT(*) FROM transmissoes WHERE ente=? AND situacao IN "
        "('transmitido','homologado') GROUP BY 1",
        ENTE,
    )
    assert dict(linhas) == {r["protocolo"]: r["digest"] for _, r in respostas}
    assert sorted(vigentes) == [(b, 1) for b in range(1, 6)]
    for protocolo, digest in linhas:
        arq = servidor.dados / "arquivos" / digest[:2] / digest[2:4] / f"{digest}.xml"
        assert hashlib.sha256(arq.read_bytes()).hexdigest() == digest, protocolo

    # reenviar: o mesmo protocolo (200) se ainda vigente, sem criar outro; um arquivo já
    # substituído é recusado (409 transmissao_substituida) nomeando o vigente (issue 17, item 9)
    esperado = dict(zip(map(bytes, corpos), protocolos, strict=True))
    situacao = dict(
        servidor.consultar("SELECT protocolo, situacao FROM transmissoes WHERE ente=?", ENTE)
    )
    vigentes_corpos = [c for c in corpos if situacao[esperado[bytes(c)]] == "transmitido"]
    amostra = corpos[:: max(1, N // 20)] + vigentes_corpos
    with ThreadPoolExecutor(CLIENTES) as ex:
        de_novo = list(ex.map(enviar, amostra))
    for corpo, (s, r) in zip(amostra, de_novo, strict=True):
        if situacao[esperado[bytes(corpo)]] == "transmitido":
            assert s == 200 and r["protocolo"] == esperado[bytes(corpo)]
        else:
            assert s == 409 and r["codigo"] == "transmissao_substituida", r
            assert r["protocolo"] == esperado[bytes(corpo)] and r["substituida_por"] in r["erro"]
    assert len(vigentes_corpos) == 5


def test_mesmo_corpo_simultaneo_um_so_protocolo(servidor, fortaleza, corpos_distintos):
    tec, token = fortaleza
    corpo = corpos_distintos(tec, ENTE, 1, passo=7777)[0]
    barreira = threading.Barrier(16)

    def enviar(_i: int) -> tuple[int, str]:
        barreira.wait()
        r = servidor.transmitir(token, corpo)
        return r.status_code, r.json()["protocolo"]

    with ThreadPoolExecutor(16) as ex:
        res = list(ex.map(enviar, range(16)))
    assert len({p for _, p in res}) == 1
    assert sorted(s for s, _ in res).count(201) == 1
    assert all(s in (200, 201) for s, _ in res)
