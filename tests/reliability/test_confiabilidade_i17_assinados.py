"""Issue 17, items 2, 3 and 9 (server side), against the REAL server process.

* Item 2 — "a signed document is valid only once" is decided on what the signature covers: the
  same signed ``Cadastro``, ``PedidoSessao``, ``Homologacao`` and ``SolicitacaoRetransmissao``
  replayed with bytes the signature does not cover changed (a trailing newline, the XML
  declaration removed or changed, comments before and after the root, whitespace inside the
  signature's base64) is refused with 409 ``documento_reutilizado``; with a comment inside the
  root it is refused as unsigned content, with whitespace between the root's children (which
  the signature covers) as an invalid signature. Nothing changes: no new role, no annulled
  técnico, no new session, homologation or request, no e-mail.
* Item 3 — a comment (or a processing instruction) inside a signed value is refused with the
  reason; ``siops-servidor admin verificar`` re-checks the stored files against their recorded
  digests and signatures (a tampered homologation document, a declaration stored with a comment
  inside its signed root) and exits 1 naming them; the public pages of a homologated
  declaration never answer 500.
* Item 9 — periods that have not started by Brasília's clock (the server's clock set by the
  ``relogio`` option) are refused for transmission, homologation and retransmission requests,
  while the 5º and 6º bimestres of the current year are accepted in December; the upload of a
  file that was accepted but then superseded answers 409 ``transmissao_substituida`` naming
  the protocol that replaced it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Callable
from typing import Any

import pytest
from apoio_mutacoes import problema_na_mensagem
from apoio_servidor import EXERCICIO, documento, ops_demo

pytestmark = pytest.mark.reliability

ENTE_A = "M355030"  # São Paulo/SP
ENTE_B = "M330455"  # Rio de Janeiro/RJ
ENTE_C = "M310620"  # Belo Horizonte/MG
ENTE_D = "M431490"  # Porto Alegre/RS
JUSTIFICATIVA = "Correção dos valores de receita informados no bimestre."


# --- byte variants that the signature does not cover ------------------------------------------


def _sem_declaracao(b: bytes) -> bytes:
    assert b.startswith(b"<?xml"), b[:60]
    return b[b.index(b"?>") + 2 :].lstrip(b"\r\n")


def _raiz_fim(b: bytes) -> int:
    """Where the closing tag of the root starts (the last ``</``)."""
    return b.rindex(b"</")


def _ds_texto(b: bytes, elemento: bytes) -> re.Match:
    m = re.search(rb"<(?:ds:)?" + elemento + rb">([A-Za-z0-9+/=\s]{40,})</", b)
    assert m, elemento
    return m


def _quebra_no_base64(b: bytes, elemento: bytes) -> bytes:
    m = _ds_texto(b, elemento)
    meio = m.start(1) + 20
    return b[:meio] + b"\n" + b[meio:]


def _espaco_entre_filhos(b: bytes) -> bytes:
    """A newline between the first two children of the root (covered by the signature)."""
    i = b.index(b"><", b.index(b"<Momento") - 40 if b"<Momento" in b else 0)
    return b[: i + 1] + b"\n  " + b[i + 1 :]


def _comentario_dentro(b: bytes) -> bytes:
    i = b.index(b"<Momento")
    return b[:i] + b"<!-- comentario -->" + b[i:]


#: (name, mutation, accepted (status, codigo) pairs)
REUSO = ("documento_reutilizado",)
VARIANTES: list[tuple[str, Callable[[bytes], bytes], dict[int, tuple[str, ...]]]] = [
    ("quebra de linha no fim", lambda b: b + b"\n", {409: REUSO}),
    ("CRLF no fim", lambda b: b + b"\r\n", {409: REUSO}),
    ("sem declaração XML", _sem_declaracao, {409: REUSO}),
    (
        "declaração XML trocada",
        lambda b: b'<?xml version="1.0" encoding="utf-8" standalone="yes"?>\n' + _sem_declaracao(b),
        {409: REUSO},
    ),
    (
        "comentário antes da raiz",
        lambda b: b"<!-- antes -->\n" + _sem_declaracao(b),
        {409: REUSO},
    ),
    ("comentário depois da raiz", lambda b: b + b"<!-- depois -->", {409: REUSO}),
    (
        "instrução de processamento depois da raiz",
        lambda b: b + b"<?siops x?>",
        {409: REUSO},
    ),
    ("comentário dentro da raiz", _comentario_dentro, {422: ("conteudo_nao_assinado",)}),
    ("espaço entre os filhos da raiz", _espaco_entre_filhos, {422: ("assinatura_invalida",)}),
    (
        "quebra de linha no SignatureValue",
        lambda b: _quebra_no_base64(b, b"SignatureValue"),
        {409: REUSO},
    ),
    (
        "quebra de linha no X509Certificate",
        lambda b: _quebra_no_base64(b, b"X509Certificate"),
        {409: REUSO},
    ),
]


def _conferir_recusa(r: Any, aceitos: dict[int, tuple[str, ...]], nome: str) -> dict:
    assert r.status_code in aceitos, (nome, r.status_code, r.text[:800])
    doc = r.json()
    assert doc["codigo"] in aceitos[r.status_code], (nome, doc)
    motivo = problema_na_mensagem(doc["erro"])
    assert motivo is None, (nome, motivo, doc["erro"])
    for m in doc.get("motivos", []):
        assert "Traceback" not in m, m
    return doc


def _replays(
    s: Any, caminho: str, assinado: bytes, estado: Callable[[], Any], caixa: Any = None
) -> int:
    """Every variant of ``assinado`` is refused and ``estado()`` stays the same."""
    antes = estado()
    emails = caixa.total if caixa is not None else 0
    for nome, mudar, aceitos in VARIANTES:
        variante = mudar(assinado)
        assert variante != assinado, nome
        _conferir_recusa(s.post_xml(caminho, variante), aceitos, nome)
        assert estado() == antes, nome
    # the very same bytes, too
    _conferir_recusa(s.post_xml(caminho, assinado), {409: REUSO}, "os mesmos bytes")
    assert estado() == antes
    if caixa is not None:
        assert caixa.total == emails
    return len(VARIANTES) + 1


# --- item 2 -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def s(servidor_modulo):
    return servidor_modulo


def test_i17_2_cadastro_assinado_vale_uma_vez(s, pki, smtp, relatorio):
    """The chefe's Cadastro of the secretário, replayed after the secretário registered the
    técnico, never annuls the técnico again."""
    _porta, caixa = smtp
    chefe = pki.pessoa("i17-2-chefe", "Chefe I17")
    sec = pki.pessoa("i17-2-sec", "Secretária I17")
    tec = pki.pessoa("i17-2-tec", "Técnica I17")
    s.cadastrar_chefe(ENTE_A, chefe)
    doc_sec = chefe.assinar(
        documento(
            "Cadastro",
            {
                "Ente": ENTE_A,
                "Papel": "secretario",
                "Nome": sec.nome,
                "CPF": sec.cpf,
                "Email": sec.email,
            },
        )
    )
    r = s.post_xml("/api/v1/cadastros", doc_sec)
    assert r.status_code == 201, r.text
    doc_tec = sec.assinar(
        documento(
            "Cadastro",
            {
                "Ente": ENTE_A,
                "Papel": "tecnico",
                "Nome": tec.nome,
                "CPF": tec.cpf,
                "Email": tec.email,
            },
        )
    )
    r = s.post_xml("/api/v1/cadastros", doc_tec)
    assert r.status_code == 201, r.text

    def estado() -> Any:
        return s.consultar(
            "SELECT id, papel, cpf, anulado_em FROM papeis WHERE ente=? ORDER BY id", ENTE_A
        )

    assert any(p == "tecnico" and a is None for _, p, _, a in estado())
    casos = _replays(s, "/api/v1/cadastros", doc_sec, estado, caixa)
    casos += _replays(s, "/api/v1/cadastros", doc_tec, estado, caixa)
    relatorio(
        casos=casos,
        resumo="Cadastro do chefe e do secretário reenviados com bytes fora da assinatura "
        "mudados (quebra de linha, declaração XML, comentários fora da raiz, base64 da "
        "assinatura): 409 documento_reutilizado; comentário dentro da raiz 422; nenhum papel "
        "novo ou anulado, nenhum e-mail",
    )


def test_i17_2_pedido_de_sessao_vale_uma_vez(s, pki, relatorio):
    chefe = pki.pessoa("i17-2s-chefe", "Chefe Sessão")
    s.cadastrar_chefe(ENTE_B, chefe)
    pedido = chefe.assinar(documento("PedidoSessao", {}))
    r = s.post_xml("/api/v1/sessoes/certificado", pedido)
    assert r.status_code == 201, r.text

    def estado() -> Any:
        return s.consultar("SELECT COUNT(*) FROM sessoes WHERE cpf=?", chefe.cpf)

    assert estado() == [(1,)]
    casos = _replays(s, "/api/v1/sessoes/certificado", pedido, estado)
    relatorio(
        casos=casos,
        resumo="um PedidoSessao capturado, reenviado em cada variante fora da assinatura: "
        "uma só sessão de gestor",
    )


@pytest.fixture(scope="module")
def ente_c(s, pki) -> dict:
    """Ente C with its chain, the técnico's token and the secretário."""
    chefe = pki.pessoa("i17-c-chefe", "Chefe C")
    sec = pki.pessoa("i17-c-sec", "Secretário C")
    tec = pki.pessoa("i17-c-tec", "Técnica C")
    senha = s.registrar_cadeia(ENTE_C, chefe, sec, tec)
    return {"sec": sec, "tec": tec, "token": s.token(tec.cpf, senha)}


def test_i17_2_homologacao_e_retransmissao_valem_uma_vez(s, ente_c, relatorio):
    sec, tec = ente_c["sec"], ente_c["tec"]
    r = s.transmitir(ente_c["token"], tec.assinar(ops_demo(ENTE_C, EXERCICIO, 1)))
    assert r.status_code == 201, r.text
    t = r.json()
    hom = sec.assinar(
        documento(
            "Homologacao",
            {
                "Protocolo": t["protocolo"],
                "Digest": t["digest"],
                "Ente": t["ente"],
                "Exercicio": t["exercicio"],
                "Bimestre": t["bimestre"],
            },
        )
    )
    assert s.post_xml("/api/v1/homologacoes", hom).status_code == 201

    def estado_h() -> Any:
        return s.consultar(
            "SELECT id, protocolo, anulada_em FROM homologacoes h WHERE protocolo=?",
            t["protocolo"],
        )

    casos = _replays(s, "/api/v1/homologacoes", hom, estado_h)
    ped = sec.assinar(
        documento(
            "SolicitacaoRetransmissao",
            {"Ente": ENTE_C, "Exercicio": EXERCICIO, "Bimestre": 1, "Justificativa": JUSTIFICATIVA},
        )
    )
    r = s.post_xml("/api/v1/retransmissoes", ped)
    assert r.status_code == 201, r.text

    def estado_r() -> Any:
        return s.consultar("SELECT id, situacao FROM retransmissoes WHERE ente=?", ENTE_C)

    casos += _replays(s, "/api/v1/retransmissoes", ped, estado_r)
    relatorio(
        casos=casos,
        resumo="Homologacao e SolicitacaoRetransmissao reenviadas em cada variante fora da "
        "assinatura: 409 documento_reutilizado (comentário dentro 422), nenhuma homologação "
        "ou solicitação nova",
    )


# --- item 3 -----------------------------------------------------------------------------------


def _comentario_no_valor(assinado: bytes, o_que: bytes = b"<!-- -->") -> bytes:
    m = re.search(rb'k="realizada">(\d{3,})([\d.]*)<', assinado)
    assert m
    meio = m.start(1) + 2
    return assinado[:meio] + o_que + assinado[meio:]


def test_i17_3_comentario_dentro_de_valor_assinado(s, ente_c, relatorio):
    tec = ente_c["tec"]
    casos = 0
    for o_que in (b"<!-- -->", b"<?x y?>", b"<!---->"):
        assinado = tec.assinar(ops_demo(ENTE_C, EXERCICIO, 2, centavos=len(o_que)))
        corpo = _comentario_no_valor(assinado, o_que)
        r = s.transmitir(ente_c["token"], corpo)
        doc = _conferir_recusa(r, {422: ("conteudo_nao_assinado",)}, o_que.decode())
        texto = " ".join([doc["erro"], *doc.get("motivos", [])])
        assert "coment" in texto and "instru" in texto, texto
        digest = hashlib.sha256(corpo).hexdigest()
        assert not s.consultar("SELECT 1 FROM transmissoes WHERE digest=?", digest)
        assert digest not in s.arquivos_guardados()
        casos += 1
    # a gestor's document with a comment inside a field is refused the same way
    hom = ente_c["sec"].assinar(
        documento(
            "Homologacao",
            {
                "Protocolo": "2026000000001",
                "Digest": "0" * 64,
                "Ente": ENTE_C,
                "Exercicio": EXERCICIO,
                "Bimestre": 2,
            },
        )
    )
    hom = hom.replace(b"<Ente>M3", b"<Ente>M<!-- x -->3")
    _conferir_recusa(
        s.post_xml("/api/v1/homologacoes", hom), {422: ("conteudo_nao_assinado",)}, "homologação"
    )
    relatorio(
        casos=casos + 1,
        resumo="comentário ou instrução de processamento dentro de um valor assinado "
        "(1563<!-- -->564.72): 422 conteudo_nao_assinado com a razão, nada guardado; o mesmo "
        "num documento de gestor",
    )


def _paginas_publicas(s: Any, protocolo: str) -> list[int]:
    caminhos = [
        f"/declaracoes/{protocolo}",
        f"/demonstrativos/{protocolo}.pdf",
        *(f"/declaracoes/{protocolo}/{t}.pdf" for t in ("indicadores", "fonte-rp")),
    ]
    return [s.http.get(f"{s.url}{c}", timeout=120).status_code for c in caminhos]


def test_i17_3_admin_verificar_confere_arquivos_guardados(fabrica_servidor, pki, relatorio):
    s = fabrica_servidor()
    s.iniciar()
    chefe = pki.pessoa("i17-3v-chefe", "Chefe V")
    sec = pki.pessoa("i17-3v-sec", "Secretário V")
    tec = pki.pessoa("i17-3v-tec", "Técnica V")
    token = s.token(tec.cpf, s.registrar_cadeia(ENTE_D, chefe, sec, tec))
    assinado = tec.assinar(ops_demo(ENTE_D, EXERCICIO, 1))
    r = s.transmitir(token, assinado)
    assert r.status_code == 201, r.text
    t = r.json()
    assert s.homologar(sec, t).status_code == 201
    assert _paginas_publicas(s, t["protocolo"]) == [200, 200, 200, 200]
    s.parar()
    assert s.verificar()["ok"]

    # 1. the homologation document, tampered on disk (one base64 digit of its signature)
    (hdig,) = s.consultar("SELECT documento_digest FROM homologacoes")[0]
    arq_h = next((s.dados / "arquivos").glob(f"*/*/{hdig}.xml"))
    original_h = arq_h.read_bytes()
    m = _ds_texto(original_h, b"SignatureValue")
    i = m.start(1) + 10
    troca = b"A" if original_h[i : i + 1] != b"A" else b"B"
    arq_h.write_bytes(original_h[:i] + troca + original_h[i + 1 :])
    r = s.admin("verificar")
    rel = json.loads(r.stdout)
    assert r.returncode == 1 and not rel["ok"], rel
    assert any("homologação" in x for x in rel.get("problemas", [])), rel
    arq_h.write_bytes(original_h)
    assert s.verificar()["ok"]

    # 2. a declaration stored with a comment inside its signed root (as accepted before the
    #    fix): the SHA-256 of the file matches its record, but it is not what was signed
    com_comentario = _comentario_no_valor(assinado)
    novo = hashlib.sha256(com_comentario).hexdigest()
    arq_t = next((s.dados / "arquivos").glob(f"*/*/{t['digest']}.xml"))
    destino = s.dados / "arquivos" / novo[:2] / novo[2:4] / f"{novo}.xml"
    destino.parent.mkdir(parents=True, exist_ok=True)
    destino.write_bytes(com_comentario)
    arq_t.unlink()
    import sqlite3

    con = sqlite3.connect(s.dados / "servidor.sqlite3")
    with con:
        con.execute("UPDATE transmissoes SET digest=? WHERE protocolo=?", (novo, t["protocolo"]))
    con.close()
    r = s.admin("verificar")
    rel = json.loads(r.stdout)
    assert r.returncode == 1 and not rel["ok"], rel
    assert t["protocolo"] in json.dumps(rel), rel
    assert t["protocolo"] in rel["corrompidos"], rel
    assert any(t["protocolo"] in x and "assinad" in x for x in rel["problemas"]), rel

    # 3. the public pages of that homologated declaration: a refusal with the reason, never 500
    for cache in (s.dados / "demonstrativos").glob("*.pdf"):
        cache.unlink()
    s.iniciar()
    codigos = _paginas_publicas(s, t["protocolo"])
    assert codigos == [409, 409, 409, 409], codigos  # refused with the reason, never 500
    pagina = s.http.get(f"{s.url}/declaracoes/{t['protocolo']}", timeout=60).text
    assert "admin verificar" in pagina and "não pôde ser lida" in pagina, pagina[:2000]
    relatorio(
        casos=4,
        resumo="admin verificar: documento de homologação alterado no disco e declaração "
        "guardada com comentário dentro da raiz assinada (SHA-256 do registro certo) "
        "apontados, saída 1; páginas públicas da declaração homologada nunca 500",
    )


# --- item 9 -----------------------------------------------------------------------------------

RELOGIO_DEZEMBRO = "2026-12-07T10:00:00-03:00"
RELOGIO_OUTUBRO = "2026-10-20T10:00:00-03:00"


def _momento(relogio: str, mais: int = 5) -> str:
    quando = dt.datetime.fromisoformat(relogio) + dt.timedelta(seconds=mais)
    return quando.astimezone(dt.UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _cadeia_no_relogio(s: Any, relogio: str, ente: str, chefe: Any, sec: Any, tec: Any) -> str:
    """``Servidor.registrar_cadeia`` with the documents signed at the server's clock."""
    s.cadastrar_chefe(ente, chefe)
    for por, papel, quem in ((chefe, "secretario", sec), (sec, "tecnico", tec)):
        antes = s.caixa.contagem(quem.cpf)
        campos = {"Ente": ente, "Papel": papel, "Nome": quem.nome, "CPF": quem.cpf}
        campos["Email"] = quem.email
        doc = por.assinar(documento("Cadastro", campos, quando=_momento(relogio)))
        r = s.post_xml("/api/v1/cadastros", doc)
        assert r.status_code == 201, r.text
    return s.caixa.senha_de(tec.cpf, antes)


def test_i17_9_periodos_futuros_recusados(fabrica_servidor, pki, relatorio):
    s = fabrica_servidor({"relogio": RELOGIO_DEZEMBRO})
    s.iniciar()
    chefe = pki.pessoa("i17-9-chefe", "Chefe F")
    sec = pki.pessoa("i17-9-sec", "Secretária F")
    tec = pki.pessoa("i17-9-tec", "Técnico F")
    senha = _cadeia_no_relogio(s, RELOGIO_DEZEMBRO, ENTE_D, chefe, sec, tec)
    token = s.token(tec.cpf, senha)
    r = s.admin("registrar-entrega-externa", "--ente", ENTE_D, "--exercicio", "2025",
                "--bimestre", "6")  # fmt: skip
    assert r.returncode == 0, r.stderr
    aceitas = {}
    for ex, bim in ((2026, 6), (2026, 5)):  # in December both have started
        r = s.transmitir(token, tec.assinar(ops_demo(ENTE_D, ex, bim)))
        assert r.status_code == 201, (ex, bim, r.text)
        aceitas[bim] = r.json()
    casos = 2
    for ex, bim in ((2027, 1), (2027, 6), (2029, 6)):
        corpo = tec.assinar(ops_demo(ENTE_D, ex, bim))
        doc = _conferir_recusa(s.transmitir(token, corpo), {422: ("periodo_futuro",)}, ex)
        assert f"{bim}º bimestre de {ex}" in doc["erro"], doc
        assert not s.consultar(
            "SELECT 1 FROM transmissoes WHERE digest=?", hashlib.sha256(corpo).hexdigest()
        )
        casos += 1
    ped = sec.assinar(
        documento(
            "SolicitacaoRetransmissao",
            {"Ente": ENTE_D, "Exercicio": 2027, "Bimestre": 1, "Justificativa": JUSTIFICATIVA},
            quando=_momento(RELOGIO_DEZEMBRO),
        )
    )
    _conferir_recusa(
        s.post_xml("/api/v1/retransmissoes", ped), {422: ("periodo_futuro",)}, "retransmissão"
    )
    casos += 1

    # the same server with the clock in October: the 6º bimestre has not started yet
    s.parar()
    conf = json.loads((s.dados / "servidor.json").read_text(encoding="utf-8"))
    conf["relogio"] = RELOGIO_OUTUBRO
    (s.dados / "servidor.json").write_text(json.dumps(conf), encoding="utf-8")
    s.iniciar()

    def homologacao(t: dict) -> bytes:
        campos = {k.capitalize(): t[k] for k in ("protocolo", "digest", "ente", "exercicio")}
        campos["Bimestre"] = t["bimestre"]
        return sec.assinar(documento("Homologacao", campos, quando=_momento(RELOGIO_OUTUBRO)))

    _conferir_recusa(
        s.post_xml("/api/v1/homologacoes", homologacao(aceitas[6])),
        {422: ("periodo_futuro",)},
        "homologação",
    )
    r = s.post_xml("/api/v1/homologacoes", homologacao(aceitas[5]))
    assert r.status_code == 201, r.text
    r = s.transmitir(token, tec.assinar(ops_demo(ENTE_D, 2026, 6, centavos=1)))
    _conferir_recusa(r, {422: ("periodo_futuro",)}, "6º em outubro")
    relatorio(
        casos=casos + 3,
        resumo="relógio do servidor em 07/12/2026: 5º e 6º de 2026 aceitos; 1º e 6º de 2027 e "
        "6º de 2029 recusados 422 periodo_futuro; solicitação de retransmissão de 2027 "
        "recusada; em 20/10/2026 a homologação e a transmissão do 6º recusadas, a do 5º aceita",
    )


def test_i17_9_reenvio_de_transmissao_substituida(s, pki, relatorio):
    chefe = pki.pessoa("i17-9b-chefe", "Chefe S")
    sec = pki.pessoa("i17-9b-sec", "Secretário S")
    tec = pki.pessoa("i17-9b-tec", "Técnica S")
    token = s.token(tec.cpf, s.registrar_cadeia(ENTE_D, chefe, sec, tec))
    a = tec.assinar(ops_demo(ENTE_D, EXERCICIO, 3, centavos=1))
    b = tec.assinar(ops_demo(ENTE_D, EXERCICIO, 3, centavos=2))
    ra = s.transmitir(token, a)
    assert ra.status_code == 201, ra.text
    # the same bytes again while vigente: idempotent 200
    assert s.transmitir(token, a).status_code == 200
    rb = s.transmitir(token, b)
    assert rb.status_code == 201, rb.text
    pa, pb = ra.json()["protocolo"], rb.json()["protocolo"]
    doc = _conferir_recusa(s.transmitir(token, a), {409: ("transmissao_substituida",)}, "A")
    assert pa in doc["erro"] and pb in doc["erro"], doc
    assert doc.get("substituida_por") == pb, doc
    # homologated, retransmission authorized, transmitted again: the homologated file too
    assert s.homologar(sec, rb.json()).status_code == 201
    ped = sec.assinar(
        documento(
            "SolicitacaoRetransmissao",
            {"Ente": ENTE_D, "Exercicio": EXERCICIO, "Bimestre": 3, "Justificativa": JUSTIFICATIVA},
        )
    )
    r = s.post_xml("/api/v1/retransmissoes", ped)
    assert r.status_code == 201, r.text
    r = s.admin("autorizar-retransmissao", str(r.json()["id"]))
    assert r.returncode == 0, r.stderr
    c = tec.assinar(ops_demo(ENTE_D, EXERCICIO, 3, centavos=3))
    rc = s.transmitir(token, c)
    assert rc.status_code == 201, rc.text
    pc = rc.json()["protocolo"]
    doc = _conferir_recusa(s.transmitir(token, b), {409: ("transmissao_substituida",)}, "B")
    assert pb in doc["erro"] and pc in doc["erro"], doc
    doc = _conferir_recusa(s.transmitir(token, a), {409: ("transmissao_substituida",)}, "A2")
    assert pc in doc["erro"], doc
    assert s.transmitir(token, c).status_code == 200
    relatorio(
        casos=5,
        resumo="reenvio de arquivo já aceito e depois substituído (por transmissão nova ou por "
        "retransmissão depois de homologado): 409 transmissao_substituida nomeando o protocolo "
        "vigente; o vigente reenviado continua 200",
    )
