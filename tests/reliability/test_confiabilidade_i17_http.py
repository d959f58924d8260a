"""Issue 17, items 4 and 7: the HTTP layer of the REAL server process under hostile clients.

Item 4 — denial of service. Sockets that never finish their request head (silent, half a head,
a head dripped one byte at a time, half a head after a complete keep-alive request) and
requests whose body is shorter than their ``Content-Length`` are held open while the técnico
logs in and ``/saude`` is asked: both must answer normally (never 503) and fast, because the
limit that protects the application counts requests in flight, not sockets; afterwards the
server must have closed every held socket within its read timeouts (408 when a request had
begun). The attacker binds other loopback addresses (127.0.0.2…) so that the per-address
limit applies to it and not to the legitimate client on 127.0.0.1; a separate case fills one
address past its limit and sees the excess refused with 503 while 127.0.0.1 is served.

Item 7 — no input gives a 5xx. Integers in paths and query strings (too large for SQLite,
other scripts' digits, underscores, signs, blanks, superscripts, 5,000 digits), JSON nested
5,000 deep or of the wrong types, and signed documents whose ``<Exercicio>`` is ``²`` or 5,000
digits on ``/retransmissoes`` and ``/homologacoes``: each is a 4xx with a Portuguese reason; a
sweep of every route with hostile path values, query values and bodies finds no 5xx; the
transmitter, given such a document, asks once and reports the refusal (no retries).
"""

from __future__ import annotations

import contextlib
import json
import selectors
import socket
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
from apoio_mutacoes import problema_na_mensagem
from apoio_servidor import EXERCICIO, Servidor, cpf_com_dv, documento, ops_demo

pytestmark = pytest.mark.reliability

ENTE = "M355030"  # São Paulo/SP
#: The read timeouts of the attacked server (short, so that the test is bounded).
TEMPO_CABECALHO = 4
TEMPO_CORPO = 4
POR_ENDERECO = 64
#: Requests in flight the attacked server takes before 503: far fewer than the sockets held,
#: so that counting sockets (the old ``limit_concurrency``) would refuse the legitimate ones.
REQUISICOES = 100


# --- item 4: slow clients -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def servidor_atacado(tmp_path_factory, pki, smtp) -> Iterator[Servidor]:
    porta_smtp, caixa = smtp
    s = Servidor(
        tmp_path_factory.mktemp("atacado"),
        pki,
        porta_smtp,
        caixa,
        {
            "tempo_cabecalho_segundos": TEMPO_CABECALHO,
            "tempo_corpo_segundos": TEMPO_CORPO,
            "conexoes_por_endereco": POR_ENDERECO,
            "requisicoes_simultaneas": REQUISICOES,
        },
    )
    s.iniciar()
    yield s
    s.parar()


@dataclass
class Atacante:
    """One attacking socket: what it sends and what the server did to it."""

    grupo: str
    sock: socket.socket
    recebido: bytearray = field(default_factory=bytearray)
    fechado_em: float | None = None  # monotonic time the server closed it

    def aberto(self) -> bool:
        return self.fechado_em is None


def _conectar(origem: str, porta: int) -> socket.socket:
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.bind((origem, 0))
    s.connect(("127.0.0.1", porta))
    return s


def _ler_resposta_completa(s: socket.socket) -> bytes:
    """A whole HTTP response with Content-Length (keep-alive stays open)."""
    dados = b""
    s.settimeout(5)
    while b"\r\n\r\n" not in dados:
        dados += s.recv(65536)
    cab, _, corpo = dados.partition(b"\r\n\r\n")
    tamanho = next(
        int(linha.split(b":", 1)[1])
        for linha in cab.split(b"\r\n")
        if linha.lower().startswith(b"content-length:")
    )
    while len(corpo) < tamanho:
        corpo += s.recv(65536)
    s.setblocking(False)
    return cab


def _observar(atacantes: list[Atacante], ate: float, gotejar: float | None = None) -> None:
    """Read what the server sends to the open sockets until ``ate`` (monotonic) or until all
    are closed, noting when each one is closed; with ``gotejar``, every that many seconds the
    sockets of the group "gotejando" send one more byte of their head."""
    sel = selectors.DefaultSelector()
    for a in atacantes:
        if a.aberto():
            a.sock.setblocking(False)
            sel.register(a.sock, selectors.EVENT_READ, a)
    proximo_gole = time.monotonic() + (gotejar or 0)
    try:
        while sel.get_map() and time.monotonic() < ate:
            agora = time.monotonic()
            if gotejar and agora >= proximo_gole:
                proximo_gole = agora + gotejar
                for chave in list(sel.get_map().values()):
                    a = chave.data
                    if a.grupo == "gotejando":
                        with contextlib.suppress(OSError):
                            a.sock.send(b"a")
            espera = min(0.1, max(0.0, ate - time.monotonic()))
            for chave, _ in sel.select(espera):
                a = chave.data
                try:
                    parte = a.sock.recv(65536)
                except BlockingIOError:
                    continue
                except OSError:
                    parte = b""
                if parte:
                    a.recebido += parte
                    continue
                a.fechado_em = time.monotonic()
                sel.unregister(a.sock)
    finally:
        sel.close()


def _abertos_agora(atacantes: list[Atacante]) -> int:
    """How many the server has not closed yet (a zero-time look)."""
    _observar(atacantes, time.monotonic())
    return sum(a.aberto() for a in atacantes)


def _legitimos(s: Servidor, cpf: str, senha: str, n_saude: int = 10) -> dict[str, Any]:
    """``/saude`` ``n_saude`` times and the técnico's login, on fresh connections from
    127.0.0.1; statuses and latencies."""
    resultados: dict[str, Any] = {"status": [], "latencias": []}
    for i in range(n_saude + 1):
        http = requests.Session()
        http.trust_env = False
        t0 = time.monotonic()
        if i == n_saude:
            r = http.post(f"{s.url}/api/v1/sessoes", json={"cpf": cpf, "senha": senha}, timeout=10)
            resultados["login"] = r.status_code
        else:
            r = http.get(f"{s.url}/saude", timeout=10)
        resultados["latencias"].append(time.monotonic() - t0)
        resultados["status"].append(r.status_code)
        http.close()
    return resultados


def test_i17_4_cabecalho_lento_e_corpo_curto_nao_derrubam_o_servidor(
    servidor_atacado, pki, relatorio
):
    s = servidor_atacado
    tec = pki.pessoa("i17h-tec", "Técnica do Ataque Lento")
    senha = s.registrar_cadeia(ENTE, pki.pessoa("i17h-chefe"), pki.pessoa("i17h-sec"), tec)
    assert s.login(tec.cpf, senha).status_code == 201

    grupos = {  # group → sockets
        "mudo": 40,  # connects and sends nothing
        "meio_cabecalho": 240,  # half a request head
        "gotejando": 20,  # a head dripped one byte every 0.5 s
        "corpo_curto": 60,  # a complete head, 9 of the 1,000 bytes of its body
        "keep_alive": 10,  # a complete request, its response, then half of the next head
    }
    cabecalho_parcial = b"GET /saude HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Lento: "
    corpo_curto = (
        b"POST /api/v1/sessoes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        b'Content-Length: 1000\r\n\r\n{"cpf": "'
    )
    atacantes: list[Atacante] = []
    n = 0
    t_inicio = time.monotonic()
    for grupo, quantos in grupos.items():
        for _ in range(quantos):
            origem = f"127.0.0.{2 + n // 30}"  # 30 sockets per address: under the limit
            n += 1
            a = Atacante(grupo, _conectar(origem, s.porta))
            if grupo in ("meio_cabecalho", "gotejando"):
                a.sock.sendall(cabecalho_parcial)
            elif grupo == "corpo_curto":
                a.sock.sendall(corpo_curto)
            elif grupo == "keep_alive":
                a.sock.sendall(b"GET /saude HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
                assert _ler_resposta_completa(a.sock).startswith(b"HTTP/1.1 200")
                a.sock.sendall(cabecalho_parcial)
            atacantes.append(a)
    t_montado = time.monotonic()
    total = len(atacantes)
    assert _abertos_agora(atacantes) == total

    # while they are held: the legitimate client is served, fast
    leg = _legitimos(s, tec.cpf, senha)
    t_legitimos = time.monotonic()
    abertos_durante = _abertos_agora(atacantes)
    assert 503 not in leg["status"], leg
    assert leg["status"][:-1] == [200] * 10 and leg["login"] == 201, leg
    assert max(leg["latencias"]) < 2.0, leg["latencias"]
    # they really were held while the legitimate requests ran
    assert t_legitimos - t_inicio < min(TEMPO_CABECALHO, TEMPO_CORPO), "montagem lenta demais"
    assert abertos_durante == total, f"{total - abertos_durante} fechados cedo demais"

    # afterwards: the server closes every one of them within its timeouts
    folga = 3.0
    _observar(atacantes, t_montado + max(TEMPO_CABECALHO, TEMPO_CORPO) + folga, gotejar=0.5)
    ainda = {a.grupo for a in atacantes if a.aberto()}
    assert not ainda, f"ainda abertos depois de {TEMPO_CABECALHO} s + {folga} s: {ainda}"
    for a in atacantes:
        a.sock.close()
    por_grupo: dict[str, list[float]] = {}
    for a in atacantes:
        assert a.fechado_em is not None
        por_grupo.setdefault(a.grupo, []).append(a.fechado_em - t_inicio)
    # a request that had begun is answered 408 with the reason in Portuguese
    for a in atacantes:
        if a.grupo in ("meio_cabecalho", "gotejando", "corpo_curto", "keep_alive"):
            assert bytes(a.recebido).startswith(b"HTTP/1.1 408"), (a.grupo, a.recebido[:200])
            corpo = json.loads(bytes(a.recebido).split(b"\r\n\r\n", 1)[1])
            assert corpo["codigo"] == "tempo_esgotado", corpo
            assert problema_na_mensagem(corpo["erro"]) is None, corpo
        else:
            assert a.recebido == b"", (a.grupo, a.recebido[:200])
    # the server is still fine
    depois = _legitimos(s, tec.cpf, senha, n_saude=3)
    assert depois["status"] == [200, 200, 200, 201], depois

    lat = sorted(leg["latencias"])
    relatorio(
        casos=total + len(leg["status"]),
        sockets=total,
        enderecos=(n - 1) // 30 + 1,
        latencia_legitima_max_ms=round(max(lat) * 1000),
        latencia_legitima_mediana_ms=round(lat[len(lat) // 2] * 1000),
        fechados_ate_s=round(max(max(v) for v in por_grupo.values()), 1),
        resumo=(
            f"{total} sockets de 127.0.0.2–127.0.0.{2 + (n - 1) // 30} presos (mudos, meio "
            f"cabeçalho, gotejando, corpo menor que o Content-Length, meio cabeçalho depois de um "
            f"keep-alive) contra um servidor de {REQUISICOES} requisições simultâneas: /saude e "
            f"o login do técnico responderam 200/201 (nenhum 503), latência máxima "
            f"{max(lat) * 1000:.0f} ms; o servidor fechou todos em até "
            f"{max(max(v) for v in por_grupo.values()):.1f} s (limites de {TEMPO_CABECALHO} s "
            "para o cabeçalho e o corpo), com 408 tempo_esgotado a quem começou um pedido"
        ),
    )


def test_i17_4_limite_de_conexoes_por_endereco(servidor_atacado, relatorio):
    s = servidor_atacado
    excesso = 36
    atacantes = [
        Atacante("mesmo_endereco", _conectar("127.0.0.77", s.porta))
        for _ in range(POR_ENDERECO + excesso)
    ]
    try:
        _observar(atacantes, time.monotonic() + 2.0)
        recusados = [a for a in atacantes if not a.aberto()]
        assert len(recusados) == excesso, (len(recusados), excesso)
        for a in recusados:
            assert bytes(a.recebido).startswith(b"HTTP/1.1 503"), a.recebido[:200]
            cab, _, corpo = bytes(a.recebido).partition(b"\r\n\r\n")
            assert b"retry-after:" in cab.lower()
            doc = json.loads(corpo)
            assert doc["codigo"] == "sobrecarregado" and problema_na_mensagem(doc["erro"]) is None
        # another address is served meanwhile
        t0 = time.monotonic()
        r = s.http.get(f"{s.url}/saude", timeout=10)
        latencia = time.monotonic() - t0
        assert r.status_code == 200
        # a freed place is taken again (once the server has seen the close)
        atacantes[0].sock.close()
        atacantes[0].fechado_em = time.monotonic()
        fim = time.monotonic() + 5
        while True:
            novo = Atacante("depois", _conectar("127.0.0.77", s.porta))
            atacantes.append(novo)
            _observar([novo], time.monotonic() + 0.5)
            if novo.aberto() or time.monotonic() > fim:
                break
        assert novo.aberto(), novo.recebido
    finally:
        for a in atacantes:
            a.sock.close()
    relatorio(
        casos=POR_ENDERECO + excesso + 2,
        resumo=(
            f"{POR_ENDERECO + excesso} conexões de um só endereço (127.0.0.77) com limite de "
            f"{POR_ENDERECO}: {excesso} recusadas na hora com 503 sobrecarregado e Retry-After; "
            f"127.0.0.1 atendido em {latencia * 1000:.0f} ms; uma vaga liberada volta a ser aceita"
        ),
    )


# --- item 7: no 5xx -----------------------------------------------------------------------------


@dataclass
class Cenario7:
    s: Servidor
    tec: Any
    sec: Any
    token_tec: str
    token_admin: str
    transmissao: dict


@pytest.fixture(scope="module")
def cen7(servidor_modulo, pki) -> Cenario7:
    s = servidor_modulo
    tec = pki.pessoa("i17h7-tec", "Técnica do Item Sete")
    sec = pki.pessoa("i17h7-sec", "Secretária do Item Sete")
    senha = s.registrar_cadeia(ENTE, pki.pessoa("i17h7-chefe"), sec, tec)
    token = s.token(tec.cpf, senha)
    r = s.transmitir(token, tec.assinar(ops_demo(ENTE, EXERCICIO, 1)))
    assert r.status_code == 201, r.text
    cpf_admin = cpf_com_dv("917170017")
    senha_admin = "senha-do-administrador-i17"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SIOPS_ADMIN_SENHA", senha_admin)
        feito = s.admin("criar-admin", "--cpf", cpf_admin, "--nome", "Administradora I17")
    assert feito.returncode == 0, feito.stderr
    token_admin = s.token(cpf_admin, senha_admin)
    return Cenario7(s, tec, sec, token, token_admin, r.json())


def _recusa_4xx(r: requests.Response, status: int | None = None, codigo: str | None = None) -> str:
    """The response is a 4xx JSON refusal with a Portuguese reason; returns ``erro``."""
    assert 400 <= r.status_code < 500, (r.status_code, r.text[:500])
    if status is not None:
        assert r.status_code == status, (r.status_code, r.text[:500])
    doc = r.json()
    if codigo is not None:
        assert doc["codigo"] == codigo, doc
    assert problema_na_mensagem(doc["erro"]) is None, doc["erro"]
    for m in doc.get("motivos", []):
        assert "Traceback" not in m, m
    return doc["erro"]


#: Integers a person does not type: each must be refused with 400 and the reason.
INTEIROS_HOSTIS = [
    "99999999999999999999",  # past SQLite's INTEGER
    "9" * 5000,  # past Python's int-from-str limit
    "٢٠٢٥",  # Arabic-Indic digits
    "２０２５",  # fullwidth digits
    "1_000",
    "2_025",
    "²",
    "2025²",
    "-2025",
    "+2025",
    " 2025",
    "2025 ",
    "0x7e9",
    "2e3",
    "2025.0",
]


def test_i17_7_inteiros_de_fora_nas_rotas(cen7, relatorio):
    s = cen7.s
    auth = {"Authorization": f"Bearer {cen7.token_tec}"}
    admin = {"Authorization": f"Bearer {cen7.token_admin}"}
    casos = 0
    for valor in INTEIROS_HOSTIS:
        pedidos = [
            ("GET", f"/api/v1/entes/{ENTE}/situacao", {"exercicio": valor}, {}),
            ("GET", "/api/v1/situacao", {"uf": "SP", "exercicio": valor}, {}),
            ("GET", "/api/v1/situacao", {"uf": "SP", "exercicio": "2025", "bimestre": valor}, {}),
            ("GET", "/api/v1/referencia-fns", {"ente": ENTE, "exercicio": valor}, {}),
            ("GET", f"/api/v1/referencia-fns/{ENTE}/{valor}", {}, {}),
            ("GET", f"/api/v1/retransmissoes/{valor}", {}, auth),
            ("POST", f"/api/v1/admin/retransmissoes/{valor}/autorizacao", {}, admin),
        ]
        for metodo, caminho, params, cab in pedidos:
            r = s.http.request(
                metodo, f"{s.url}{caminho}", params=params, headers=cab, json={}, timeout=30
            )
            # a value that is not even a valid URL path segment may not route (404): still a
            # 4xx with its reason; every one that routes is a 400 naming the parameter
            erro = _recusa_4xx(r)
            if r.status_code != 404:
                assert r.status_code == 400, (caminho, valor, r.status_code, r.text[:300])
                assert r.json()["codigo"] == "requisicao_invalida"
                assert any(p in erro for p in ("exercício", "bimestre", "número")), erro
            casos += 1
        # the public HTML page answers 400 in HTML, not 500
        r = s.http.get(f"{s.url}/situacao", params={"uf": "SP", "exercicio": valor}, timeout=30)
        assert r.status_code == 400 and "text/html" in r.headers["content-type"], r.status_code
        casos += 1
    # the right forms still work
    r = s.http.get(f"{s.url}/api/v1/entes/{ENTE}/situacao", params={"exercicio": "2025"})
    assert r.status_code == 200, r.text
    r = s.http.get(f"{s.url}/api/v1/situacao", params={"uf": "SP", "exercicio": "2025"})
    assert r.status_code == 200, r.text
    r = s.http.get(f"{s.url}/api/v1/retransmissoes/424242", headers=auth, timeout=30)
    _recusa_4xx(r, 404)
    casos += 3
    relatorio(
        casos=casos,
        resumo=(
            f"{len(INTEIROS_HOSTIS)} inteiros hostis (20 e 5.000 dígitos, ٢٠٢٥, ２０２５, 1_000, ², "
            "sinais, espaços, hexadecimal, notação científica) em exercício, bimestre e id de "
            "situação, situação por UF, referência FNS, retransmissão e autorização: 400 "
            "requisicao_invalida com a razão (nunca 500); a página /situacao responde 400 em HTML"
        ),
    )


def _aninhado(n: int) -> bytes:
    return b'{"cpf": ' + b"[" * n + b"]" * n + b"}"


def test_i17_7_json_aninhado_e_de_tipos_errados(cen7, relatorio):
    s = cen7.s
    auth = {"Authorization": f"Bearer {cen7.token_tec}", "Content-Type": "application/json"}
    admin = {"Authorization": f"Bearer {cen7.token_admin}", "Content-Type": "application/json"}
    anonimo = {"Content-Type": "application/json"}
    corpos_400 = [
        b"[" * 5000 + b"]" * 5000,
        _aninhado(5000),
        b'{"a": ' * 5000 + b"1" + b"}" * 5000,
        b"[" * 60000,  # unterminated, under the 64 kB limit
        _aninhado(100),  # parses, but deeper than any request of the API
    ]
    rotas = [
        ("/api/v1/sessoes", anonimo),
        ("/api/v1/senhas/esqueci", anonimo),
        ("/api/v1/senhas", auth),
        ("/api/v1/admin/retransmissoes/1/autorizacao", admin),
    ]
    casos = 0
    for caminho, cab in rotas:
        for corpo in corpos_400:
            r = s.http.post(f"{s.url}{caminho}", data=corpo, headers=cab, timeout=30)
            _recusa_4xx(r, 400, "requisicao_invalida")
            casos += 1
    tipos_errados = [
        {"cpf": 12345678909, "senha": "x"},
        {"cpf": None, "senha": None},
        {"cpf": ["123"], "senha": {"a": 1}},
        {"cpf": {"a": 1}, "senha": 1.5},
        {"cpf": True, "senha": False},
        {"cpf": "1" * 5000, "senha": "s" * 5000},
        {"cpf": "١٢٣٤٥٦٧٨٩٠٩", "senha": "x"},
        {"senha_atual": 1, "senha_nova": ["x"]},
        {"observacao": {"a": 1}},
    ]
    especiais = [b"NaN", b"Infinity", b'{"cpf": NaN}', b'{"cpf": 1e999}', b"\xff\xfe", b'"x"']
    for caminho, cab in rotas:
        for doc in tipos_errados:
            r = s.http.post(f"{s.url}{caminho}", json=doc, headers=cab, timeout=30)
            assert r.status_code < 500, (caminho, doc, r.status_code, r.text[:300])
            if r.status_code >= 400:  # a JSON refusal (the wording is each route's own)
                assert r.json()["erro"] and "Traceback" not in r.text, r.text[:300]
            casos += 1
        for corpo in especiais:
            r = s.http.post(f"{s.url}{caminho}", data=corpo, headers=cab, timeout=30)
            assert r.status_code < 500, (caminho, corpo, r.status_code, r.text[:300])
            casos += 1
    relatorio(
        casos=casos,
        resumo=(
            "JSON aninhado 5.000 níveis (listas, objetos, sem fechar, 100 níveis) em POST "
            "/sessoes (anônimo), /senhas/esqueci, /senhas e na autorização do administrador: "
            "400 requisicao_invalida; tipos errados, NaN, 1e999, bytes inválidos: 4xx, nunca 500"
        ),
    )


def _solicitacao(cen: Cenario7, exercicio: str) -> bytes:
    return cen.sec.assinar(
        documento(
            "SolicitacaoRetransmissao",
            {
                "Ente": ENTE,
                "Exercicio": exercicio,
                "Bimestre": 1,
                "Justificativa": "Correção dos valores de receita informados a menor.",
            },
        )
    )


def _homologacao(cen: Cenario7, exercicio: str, bimestre: str | None = None) -> bytes:
    t = cen.transmissao
    return cen.sec.assinar(
        documento(
            "Homologacao",
            {
                "Protocolo": t["protocolo"],
                "Digest": t["digest"],
                "Ente": t["ente"],
                "Exercicio": exercicio,
                "Bimestre": bimestre if bimestre is not None else t["bimestre"],
            },
        )
    )


def test_i17_7_documento_assinado_com_inteiro_hostil(cen7, relatorio):
    s = cen7.s
    hostis = ["²", "9" * 5000, "٢٠٢٥", "2_025", "99999999999999999999", "-2025"]
    casos = 0
    for valor in hostis:
        for caminho, corpo in (
            ("/api/v1/retransmissoes", _solicitacao(cen7, valor)),
            ("/api/v1/homologacoes", _homologacao(cen7, valor)),
            ("/api/v1/homologacoes", _homologacao(cen7, str(EXERCICIO), valor)),
        ):
            r = s.post_xml(caminho, corpo)
            erro = _recusa_4xx(r, 422, "requisicao_invalida")
            assert "Exercicio" in erro or "Bimestre" in erro, erro
            casos += 1
    # not homologated by any of them
    assert s.consultar(
        "SELECT COUNT(*) FROM homologacoes WHERE protocolo=?", cen7.transmissao["protocolo"]
    ) == [(0,)]

    # the transmitter asks once and reports the refusal: a 4xx is not "try again"
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede, RecusadoPeloServidor

    pedidos: list[str] = []
    esperas: list[float] = []

    class Contando(requests.Session):
        def request(self, metodo: str, url: str, *a: Any, **kw: Any) -> requests.Response:
            pedidos.append(url)
            return super().request(metodo, url, *a, **kw)

    cliente = ClienteSIOPS(
        ConfigRede(s.url, proxy="", tentativas=5), sessao_http=Contando(), dormir=esperas.append
    )
    for envio, corpo in (
        (cliente.solicitar_retransmissao, _solicitacao(cen7, "²")),
        (cliente.homologar, _homologacao(cen7, "9" * 5000)),
    ):
        antes = len(pedidos)
        with pytest.raises(RecusadoPeloServidor) as exc:
            envio(corpo)
        assert exc.value.status == 422, exc.value
        assert len(pedidos) - antes == 1, pedidos
        casos += 1
    assert esperas == []
    relatorio(
        casos=casos,
        resumo=(
            "<Exercicio> ou <Bimestre> assinados com ², 5.000 dígitos, ٢٠٢٥, 2_025, 20 dígitos "
            "e sinal em /retransmissoes e /homologacoes: 422 requisicao_invalida citando o campo, "
            "nada homologado; o transmissor pede uma vez e mostra a recusa (sem novas tentativas)"
        ),
    )


def test_i17_7_varredura_de_rotas_sem_5xx(cen7, relatorio):
    """Every route of ``servidor.app.rotas()`` with hostile path values, query values and
    bodies, anonymous, as técnico and as administrator: never a 5xx."""
    from siops.servidor.app import rotas

    s = cen7.s
    valores = [
        "99999999999999999999",
        "9" * 5000,
        "٢٠٢٥",
        "1_000",
        "²",
        "-1",
        "0",
        "..",
        "%00",
        "%ff%fe",
        "a" * 3000,
        "M355030",
        cen7.transmissao["protocolo"],
    ]
    corpos = [
        b"",
        b"[" * 5000,
        b'{"a": ' * 5000,
        b"\x00\xff" * 100,
        b"<a>" * 5000,
        b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY b "c">]><a>&b;</a>',
        json.dumps({"cpf": 1, "senha": [], "observacao": {}}).encode(),
    ]
    cabecalhos = [
        {},
        {"Authorization": f"Bearer {cen7.token_tec}", "Content-Type": "application/xml"},
        {"Authorization": f"Bearer {cen7.token_admin}", "Content-Type": "application/json"},
    ]
    casos = 0
    cincos: list[tuple] = []
    for rota in rotas():
        for metodo in sorted(rota.methods or {"GET"}):
            if metodo == "HEAD" or (metodo == "DELETE" and rota.path.endswith("/sessoes")):
                continue  # logging out would end the sessions the sweep uses
            for valor in valores:
                caminho = rota.path
                for nome in rota.param_convertors:
                    caminho = caminho.replace("{" + nome + "}", valor)
                # one long value per request head: a head past h11's 16 kB is cut by uvicorn
                curto = valor[:40]
                params = {"exercicio": valor, "bimestre": curto, "uf": curto, "ente": curto}
                params["situacao"] = curto
                for cab in cabecalhos:
                    corpo = corpos[casos % len(corpos)] if metodo in ("POST", "PUT") else None
                    r = s.http.request(
                        metodo,
                        f"{s.url}{caminho}",
                        params=params,
                        data=corpo,
                        headers=cab,
                        timeout=60,
                    )
                    casos += 1
                    if r.status_code >= 500:
                        cincos.append((metodo, caminho[:80], valor[:20], r.status_code))
    assert not cincos, cincos
    assert s.vivo()
    relatorio(
        casos=casos,
        resumo=(
            f"todas as rotas de servidor.app com {len(valores)} valores hostis nos parâmetros "
            f"de caminho e de consulta, corpos hostis (JSON e XML aninhados, bytes inválidos, "
            f"DOCTYPE), anônimo, técnico e administrador: {casos} pedidos, nenhum 5xx"
        ),
    )
