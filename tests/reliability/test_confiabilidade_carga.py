"""Load (issue 11, item 4): one transmission for each ente — 5,570 municípios, 26 estados and the
DF — from 32 concurrent transmitter clients on loopback, against the REAL server process,
bounded in time; every receipt verifies; the situação pages show every ente transmitted.

It runs on both stores (issue 23, item 3; ``apoio_bancos.BANCOS``): the embedded SQLite with
one process, and PostgreSQL (the throwaway cluster of ``tests/apoio_postgres``) behind
``siops-servidor --workers 2`` — nothing lost, nothing duplicated, on either.

The issue's list has 5,597 codes, but Brasília's municipal code (M530010) *is* the Distrito
Federal (``forms.entes.ente`` maps it to E53: the DF declares as DF). So there are 5,596
distinct declarants: the test sends 5,597 transmissions — Brasília's code first, the DF's own
after it, both the DF's declaration of the same period — and expects 5,597 protocols, 5,596
current transmissions (the first DF one "substituída" by the second) and 5,596 "transmitido" on
the situação pages. The CI size takes a sample that always has the 26 states, the DF and
Brasília's code.

Registration, as the server allows it at scale:

* chefes do Executivo: ``siops-servidor admin cadastrar-chefe`` is one process per ente (about
  a second each); the test runs the admin command's own code
  (``servidor.cadastro.cadastrar_chefe`` over an admin ``Contexto``) for all entes in one
  process, with the server stopped — ``Servidor.cadastrar_chefes_em_lote``;
* secretários: a ``Cadastro`` signed by each ente's chefe, over HTTP (the real chain);
* técnicos: 32 people, one per client (an accounting office serving ~175 entes), each
  registered by the secretário of every ente it serves — a signed ``Cadastro`` over HTTP, the
  password e-mailed each time (the last one is valid: a thread registers only its own técnico,
  in order) — and logged in once.

Every person has an e-CPF from the test hierarchy; two RSA keys are shared by all certificates
(the server checks the CPF in the certificate and the chain). The timed phase is only the
transmissions: ``transmissor.cliente.ClienteSIOPS.transmitir`` (the transmitter's upload, with
its retries on 503/connection errors), 32 threads.

Sizes: ``SIOPS_CONF_CARGA_ENTES`` (codes of the issue's list: CI 300, full 5597),
``SIOPS_CONF_CARGA_LIMITE_S`` (bound on the transmission phase: CI 240 s, full 1800 s), the
same for each store. The full burst (5,597 at 32 concurrent) takes about 12 minutes per store on
2 cores — ten of them registering 11,192 people with signed ``Cadastro`` documents — so CI runs
the 300-code sample, and the full one runs with ``SIOPS_CONFIABILIDADE=completo`` (what
``scripts/confiabilidade.py`` does), or for one store alone:
``SIOPS_CONF_CARGA_ENTES=5597 pytest tests/reliability/test_confiabilidade_carga.py -k postgresql``.
"""

from __future__ import annotations

import hashlib
import re
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import requests
from apoio_bancos import BANCOS, de_fabrica, iniciar
from apoio_comum import tamanho
from apoio_servidor import EXERCICIO, cpf_com_dv, documento, ops_demo

pytestmark = pytest.mark.reliability

N = tamanho("carga_entes", 300, 5597)
LIMITE_S = tamanho("carga_limite_s", 240, 1800)
CLIENTES = 32
BRASILIA = "M530010"


def codigos_da_issue() -> list[str]:
    """The 5,597 codes the issue counts: the 5,570 municípios (Brasília among them), the 26
    states and the DF."""
    from siops.forms.entes import municipios, ufs

    lista = [m.codigo for m in municipios()]
    lista += [f"E{u.codigo}" for u in ufs() if u.sigla != "DF"]
    lista.append("E53")
    assert len(lista) == 5597 and len(set(lista)) == 5597
    return lista


def amostra(lista: list[str], n: int) -> list[str]:
    """``n`` codes of the list, always with every state, the DF and Brasília (list order)."""
    if n >= len(lista):
        return list(lista)
    fixos = {c for c in lista if c.startswith("E")} | {BRASILIA}
    resto = [c for c in lista if c not in fixos]
    vagas = max(0, n - len(fixos))
    passo = len(resto) / vagas if vagas else 1
    escolhidos = fixos | {resto[int(i * passo)] for i in range(vagas)}
    return [c for c in lista if c in escolhidos]


def _p(valores: list[float], q: float) -> float:
    return statistics.quantiles(valores, n=100)[int(q) - 1] if len(valores) > 1 else valores[0]


@pytest.mark.parametrize("banco", BANCOS)
def test_uma_transmissao_por_ente(banco, fabrica_servidor, pki, smtp, relatorio):
    from siops.forms.entes import ente, ufs
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
    from siops.transmissor.recibos import conferir_recibo

    _porta, caixa = smtp
    selecionados = amostra(codigos_da_issue(), N)
    canonico = {c: ente(c).codigo for c in selecionados}
    distintos = list(dict.fromkeys(canonico.values()))
    assert (BRASILIA in selecionados) and canonico[BRASILIA] == "E53"
    assert len(distintos) == len(selecionados) - 1  # only Brasília/DF coincide
    posicao = {c: i for i, c in enumerate(distintos)}

    # people: a chefe and a secretário per ente, a técnico per client (CPFs by index)
    chefes = {
        c: pki.pessoa(f"chefe-{c}", f"Chefe {c}", cpf_com_dv(f"{100_000_000 + i}"))
        for c, i in posicao.items()
    }
    secretarios = {
        c: pki.pessoa(f"sec-{c}", f"Secretária {c}", cpf_com_dv(f"{200_000_000 + i}"))
        for c, i in posicao.items()
    }
    tecnicos = [
        pki.pessoa(f"tec-carga-{k}", f"Técnico {k}", cpf_com_dv(f"{300_000_000 + k}"))
        for k in range(CLIENTES)
    ]
    do_cliente = {c: posicao[c] % CLIENTES for c in distintos}

    s = de_fabrica(fabrica_servidor, banco)
    t_chefes = s.cadastrar_chefes_em_lote([(c, chefes[c]) for c in distintos])
    iniciar(s)

    def cadastrar(k: int) -> int:
        http = requests.Session()
        http.trust_env = False
        feitos = 0
        for c in (c for c in distintos if do_cliente[c] == k):
            for por, papel, quem in (
                (chefes[c], "secretario", secretarios[c]),
                (secretarios[c], "tecnico", tecnicos[k]),
            ):
                doc = documento(
                    "Cadastro",
                    {
                        "Ente": c,
                        "Papel": papel,
                        "Nome": quem.nome,
                        "CPF": quem.cpf,
                        "Email": quem.email,
                    },
                )
                r = http.post(
                    f"{s.url}/api/v1/cadastros",
                    data=por.assinar(doc),
                    headers={"Content-Type": "application/xml"},
                    timeout=300,
                )
                assert r.status_code == 201, (c, papel, r.text)
                feitos += 1
        return feitos

    t0 = time.monotonic()
    with ThreadPoolExecutor(CLIENTES) as ex:
        cadastros = sum(ex.map(cadastrar, range(CLIENTES)))
    t_cadastros = time.monotonic() - t0

    t0 = time.monotonic()
    clientes = []
    for tec in tecnicos:
        c = ClienteSIOPS(
            ConfigRede(s.url, tentativas=8, recuo_inicial=0.5, recuo_maximo=5, timeout_leitura=300)
        )
        c.entrar(tec.cpf, caixa.senha_de(tec.cpf))
        clientes.append(c)
    t_logins = time.monotonic() - t0

    # the bodies, signed by the técnico of each ente (Brasília's code: the DF's declaration)
    corpos: dict[str, bytes] = {}
    for c in selecionados:
        centavos = 1 if c == BRASILIA else 0
        corpos[c] = tecnicos[do_cliente[canonico[c]]].assinar(
            ops_demo(canonico[c], EXERCICIO, 1, centavos)
        )
    assert len({hashlib.sha256(b).digest() for b in corpos.values()}) == len(selecionados)

    respostas: dict[str, Any] = {}
    latencias: list[float] = []
    trava = threading.Lock()

    def transmitir(k: int) -> None:
        cliente = clientes[k]
        for c in (c for c in selecionados if do_cliente[canonico[c]] == k):
            t = time.perf_counter()
            r = cliente.transmitir(corpos[c])
            dt = time.perf_counter() - t
            with trava:
                respostas[c] = r
                latencias.append(dt)

    t0 = time.monotonic()
    with ThreadPoolExecutor(CLIENTES) as ex:
        list(ex.map(transmitir, range(CLIENTES)))
    duracao = time.monotonic() - t0
    assert duracao < LIMITE_S, f"a carga levou {duracao:.0f} s (limite {LIMITE_S} s)"

    # every transmission has its own protocol, and every receipt verifies for those bytes
    assert len(respostas) == len(selecionados)
    protocolos = {c: r.protocolo for c, r in respostas.items()}
    assert len(set(protocolos.values())) == len(selecionados)
    assert not any(r.repeticao for r in respostas.values())
    ac = s.ac_recibos()
    t0 = time.monotonic()
    for c, r in respostas.items():
        rec = conferir_recibo(r.recibo, [ac], corpos[c], r.protocolo)
        assert rec.ente == canonico[c] and rec.exercicio == EXERCICIO and rec.bimestre == 1
    t_recibos = time.monotonic() - t0

    # the database: one row per transmission, one current per ente
    linhas = s.consultar("SELECT protocolo, digest, situacao FROM transmissoes")
    assert len(linhas) == len({d for _, d, _ in linhas}) == len(selecionados)
    situacoes = [sit for _, _, sit in linhas]
    assert situacoes.count("transmitido") == len(distintos)
    assert situacoes.count("substituida") == 1
    substituida = next(p for p, _, sit in linhas if sit == "substituida")
    assert substituida == protocolos[BRASILIA]

    # the public situação pages: every ente of the sample "transmitido", the others pending
    transmitidos = pendentes = total = 0
    por_uf: dict[str, int] = {}
    for u in ufs():
        r = s.http.get(
            f"{s.url}/situacao",
            params={"uf": u.sigla, "exercicio": EXERCICIO, "bimestre": 1},
            timeout=120,
        )
        assert r.status_code == 200
        html = r.text

        def contagem(nome: str, html: str = html) -> int:
            return int(re.search(rf'<span id="{nome}">[^<]*<b>(\d+)</b>', html).group(1))

        n_t = contagem("transmitido")
        linhas_t = set(re.findall(r'<tr class="transmitido" data-ente="(\w+)">', html))
        esperados = {c for c in distintos if ente(c).uf == u.sigla}
        assert linhas_t == esperados, u.sigla
        assert n_t == len(esperados), u.sigla
        transmitidos += n_t
        pendentes += contagem("pendente")
        total += int(re.search(r"Total de entes: <b>(\d+)</b>", html).group(1))
        por_uf[u.sigla] = n_t
    assert transmitidos == len(distintos)
    assert total == 5596  # every declarant of the country is on the pages, once
    rel = s.verificar()

    vazao = len(selecionados) / duracao
    relatorio(
        casos=len(selecionados),
        banco=banco,
        entes_distintos=len(distintos),
        clientes=CLIENTES,
        segundos_carga=round(duracao, 1),
        transmissoes_por_s=round(vazao, 1),
        latencia_p50_ms=round(_p(latencias, 50) * 1000),
        latencia_p99_ms=round(_p(latencias, 99) * 1000),
        latencia_max_ms=round(max(latencias) * 1000),
        recibos_conferidos=len(respostas),
        situacao_transmitidos=transmitidos,
        situacao_pendentes=pendentes,
        preparo_s={
            "chefes (admin, lote)": round(t_chefes, 1),
            f"{cadastros} cadastros assinados": round(t_cadastros, 1),
            "32 logins": round(t_logins, 1),
            "conferência dos recibos": round(t_recibos, 1),
        },
        integridade=rel.get("integridade"),
        resumo=f"[{banco}] {len(selecionados)} transmissões ({len(distintos)} entes distintos: "
        f"Brasília é o DF) de {CLIENTES} clientes em {duracao:.0f} s ({vazao:.1f}/s; p50 "
        f"{_p(latencias, 50) * 1000:.0f} ms, p99 {_p(latencias, 99) * 1000:.0f} ms): "
        f"{len(selecionados)} protocolos, todos os recibos conferem, páginas de situação com "
        f"{transmitidos} transmitidos e {pendentes} pendentes de 5596 entes",
    )
