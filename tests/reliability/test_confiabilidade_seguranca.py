"""The security matrix (issue 11, item 5), against the REAL server process and the transmitter.

Every refusal of the server issue (issue 8) — unsigned file, one changed byte, signer not
registered for the ente, expired / not yet valid / untrusted certificate, técnico of another
ente, impeditivas, oversize, malformed XML and the whole bad-file corpus of the file-format
issue, a replayed receipt, wrong password and the lockout — plus:

* path traversal in every name the server or the client writes (``Idempotency-Key``, protocol
  and ente in URLs, the demonstrativo upload, the receipt anchors of the transmitter, the
  offline queue, a hostile server's protocol number); afterwards no file exists outside the
  places each program writes to, and every name inside matches what it should be;
* a técnico's session used after a new secretário voided it (and after a new chefe);
* receipts signed by another key (a valid ICP-Brasil e-CPF, an AC with the very name of the
  server's receipt AC), altered, or of another transmission or another file;
* XML signature wrapping: a second, unsigned declaration beside the signed one (a new root
  around it, a sibling inside it, inside the signature's ``ds:Object``), and the same trick on
  a homologation;
* homologation by someone who is not the gestor of that ente (the técnico, the chefe, the
  secretário of another ente, a voided secretário, an unregistered person), a homologation that
  does not match the protocol, a replayed one, one signed too long ago.

Each case checks the HTTP status, the documented ``codigo``, a Portuguese ``erro`` — "refused
with its reason" — and, for transmissions, that nothing was stored as accepted.

Every test over the server scenario runs on both stores (issue 23, item 3;
``apoio_bancos.BANCOS``): the embedded SQLite with one process, and PostgreSQL (the throwaway
cluster of ``tests/apoio_postgres``) behind ``siops-servidor --workers 2`` — sessions, lockouts
and used documents live in the database, so a refusal must not depend on which worker answers.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import http.server
import json
import re
import secrets
import threading
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import requests
from apoio_bancos import BANCOS, iniciar, novo_servidor
from apoio_mutacoes import problema_na_mensagem
from apoio_servidor import EXERCICIO, documento, momento, ops_demo
from lxml import etree

pytestmark = pytest.mark.reliability

DS = "{http://www.w3.org/2000/09/xmldsig#}"
NS_OPS = "{urn:siops-desktop:ops:1}"
RAIZ = Path(__file__).resolve().parents[2]
CORPUS = RAIZ / "tests" / "data" / "bad"

ENTE_A = "M355030"  # São Paulo/SP
ENTE_B = "M330455"  # Rio de Janeiro/RJ
ENTE_C = "M310620"  # Belo Horizonte/MG (lockout)
ENTE_D = "M431490"  # Porto Alegre/RS (new secretário)
ENTE_E = "M530010"  # Brasília → the DF (new chefe)


@dataclasses.dataclass
class Cenario:
    """The server, the people of each ente and their sessions."""

    s: Any
    pki: Any
    pessoas: dict[str, Any]
    senhas: dict[str, str]
    tokens: dict[str, str]
    aceita: dict  # a valid transmission of ente A (protocol, digest, receipt…)
    corpo_aceito: bytes

    def p(self, apelido: str) -> Any:
        return self.pessoas[apelido]


@pytest.fixture(scope="module", params=BANCOS)
def servidor_seg(request, tmp_path_factory, pki, smtp):
    """The module's server, once on each store (``apoio_bancos.BANCOS``)."""
    s = novo_servidor(tmp_path_factory.mktemp("servidor"), pki, smtp, request.param)
    iniciar(s)
    yield s
    s.parar()


@pytest.fixture(scope="module")
def cen(servidor_seg, pki) -> Cenario:
    s = servidor_seg
    pessoas: dict[str, Any] = {}
    senhas: dict[str, str] = {}
    for e, letra in ((ENTE_A, "a"), (ENTE_B, "b"), (ENTE_C, "c"), (ENTE_D, "d"), (ENTE_E, "e")):
        chefe = pki.pessoa(f"seg-chefe-{letra}", f"Chefe {letra.upper()}")
        sec = pki.pessoa(f"seg-sec-{letra}", f"Secretário {letra.upper()}")
        tec = pki.pessoa(f"seg-tec-{letra}", f"Técnica {letra.upper()}")
        senhas[letra] = s.registrar_cadeia(e, chefe, sec, tec)
        pessoas.update({f"chefe_{letra}": chefe, f"sec_{letra}": sec, f"tec_{letra}": tec})
    pessoas["estranho"] = pki.pessoa("seg-estranho", "Pessoa Sem Cadastro")
    tokens = {k: s.token(pessoas[f"tec_{k}"].cpf, senhas[k]) for k in "abde"}
    corpo = pessoas["tec_a"].assinar(ops_demo(ENTE_A, EXERCICIO, 2))
    r = s.transmitir(tokens["a"], corpo)
    assert r.status_code == 201, r.text
    return Cenario(s, pki, pessoas, senhas, tokens, r.json(), corpo)


@dataclasses.dataclass
class Esperado:
    """What a refusal must look like."""

    status: int
    codigo: str


def _conferir_recusa(
    cen: Cenario, r: requests.Response, esp: Esperado, corpo: bytes | None = None
) -> str:
    assert r.status_code == esp.status, (r.status_code, r.text[:1500])
    doc = r.json()
    assert doc["codigo"] == esp.codigo, doc
    motivo = problema_na_mensagem(doc["erro"])
    assert motivo is None, (motivo, doc["erro"])
    for m in doc.get("motivos", []):
        assert "Traceback" not in m, m
    if corpo is not None:  # never stored as accepted
        digest = hashlib.sha256(corpo).hexdigest()
        assert not cen.s.consultar("SELECT 1 FROM transmissoes WHERE digest=?", digest)
        assert digest not in cen.s.arquivos_guardados()
    return doc["erro"]


def _declaracao(ente: str = ENTE_A, bimestre: int = 1, **celulas: Decimal) -> bytes:
    from siops import ops_format
    from siops.forms.demo import declaracao_demo

    d = declaracao_demo(ente, EXERCICIO, bimestre)
    for nome, valor in celulas.items():
        d.aplicar(d.comando_celula(tuple(nome.split("__")), valor))  # Anexo 12: its ledger line
    return ops_format.para_bytes(d)


def _trocar_um_byte(assinado: bytes) -> bytes:
    """One digit of one cell value changed (the XML stays valid)."""
    m = re.search(rb'k="realizada">(\d)', assinado)
    assert m
    novo = b"1" if m.group(1) != b"1" else b"2"
    return assinado[: m.start(1)] + novo + assinado[m.end(1) :]


def _envolver(assinado: bytes, como: str) -> bytes:
    """Signature wrapping: an unsigned, malicious declaration beside the signed one."""
    raiz = etree.fromstring(assinado)
    falsa = etree.fromstring(_declaracao(ENTE_A, 2, receitas_base__iptu__realizada=Decimal("1")))
    if como == "raiz_nova":
        falsa.append(raiz)  # the signed one becomes a child of the unsigned one
        return etree.tostring(falsa, xml_declaration=True, encoding="UTF-8")
    if como == "irmao":
        raiz.insert(0, falsa)
    elif como == "objeto":
        assinatura = raiz.find(f"{DS}Signature")
        objeto = etree.SubElement(assinatura, f"{DS}Object")
        objeto.append(falsa)
    return etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")


# --- transmissions refused --------------------------------------------------------------------


def _casos_transmissao() -> dict[str, Callable[[Cenario], tuple[str, bytes, Esperado]]]:
    """case → (token key, body, expected)."""

    def vencido(cen: Cenario) -> tuple[str, bytes, Esperado]:
        inicio = dt.datetime.now(dt.UTC) - dt.timedelta(days=400)
        p = cen.pki.pessoa("tec-a-vencido", "Técnica A", cen.p("tec_a").cpf, inicio=inicio)
        return "a", p.assinar(_declaracao()), Esperado(422, "certificado_invalido")

    def futuro(cen: Cenario) -> tuple[str, bytes, Esperado]:
        inicio = dt.datetime.now(dt.UTC) + dt.timedelta(days=10)
        p = cen.pki.pessoa("tec-a-futuro", "Técnica A", cen.p("tec_a").cpf, inicio=inicio)
        return "a", p.assinar(_declaracao()), Esperado(422, "certificado_invalido")

    def nao_confiavel(cen: Cenario) -> tuple[str, bytes, Esperado]:
        from siops.assinatura.assinador import AssinadorChave
        from siops.assinatura.xmldsig import assinar
        from siops.transmissor import icp_teste

        ac, chave_ac = icp_teste.emitir_ac_estranha("AC Raiz de Teste ICP-Brasil")
        e = icp_teste.emitir_ecpf(
            cen.pki.hier,
            "TECNICA A",
            cen.p("tec_a").cpf,
            chave=cen.pki.chaves[0],
            emissor=(ac, chave_ac),
        )
        corpo = assinar(_declaracao(), AssinadorChave(e.chave, e.cert, (ac,)))
        return "a", corpo, Esperado(422, "certificado_invalido")

    def impeditivas(cen: Cenario) -> tuple[str, bytes, Esperado]:
        corpo = cen.p("tec_a").assinar(
            _declaracao(despesas_asps__s301_31__liquidada=Decimal("900000000"))
        )
        return "a", corpo, Esperado(422, "criticas_impeditivas")

    def grande(cen: Cenario) -> tuple[str, bytes, Esperado]:
        return (
            "a",
            b"<a>" + b" " * (21 * 1024 * 1024) + b"</a>",
            Esperado(413, "arquivo_grande_demais"),
        )

    return {
        "sem_assinatura": lambda cen: ("a", _declaracao(), Esperado(422, "sem_assinatura")),
        "um_byte_alterado": lambda cen: (
            "a",
            _trocar_um_byte(cen.p("tec_a").assinar(_declaracao())),
            Esperado(422, "assinatura_invalida"),
        ),
        "signatario_sem_cadastro": lambda cen: (
            "a",
            cen.p("estranho").assinar(_declaracao()),
            Esperado(403, "signatario_nao_cadastrado"),
        ),
        "signatario_tecnico_de_outro_ente": lambda cen: (
            "a",
            cen.p("tec_b").assinar(_declaracao()),
            Esperado(403, "signatario_nao_cadastrado"),
        ),
        "certificado_vencido": vencido,
        "certificado_ainda_nao_valido": futuro,
        "certificado_nao_confiavel_com_nome_da_raiz": nao_confiavel,
        "tecnico_de_outro_ente": lambda cen: (
            "a",
            cen.p("tec_b").assinar(_declaracao(ENTE_B)),
            Esperado(403, "ente_de_outro_usuario"),
        ),
        "criticas_impeditivas": impeditivas,
        "grande_demais": grande,
        "xml_malformado": lambda cen: (
            "a",
            cen.p("tec_a").assinar(_declaracao())[:-40],
            Esperado(422, "xml_malformado"),
        ),
        "recibo_reenviado_como_declaracao": lambda cen: (
            "a",
            cen.aceita["recibo"].encode(),
            Esperado(422, "documento_nao_e_declaracao"),
        ),
        "envelopamento_raiz_nova": lambda cen: (
            "a",
            _envolver(cen.p("tec_a").assinar(_declaracao()), "raiz_nova"),
            Esperado(422, "assinatura_invalida"),
        ),
        "envelopamento_irmao_nao_assinado": lambda cen: (
            "a",
            _envolver(cen.p("tec_a").assinar(_declaracao()), "irmao"),
            Esperado(422, "assinatura_invalida"),
        ),
        "envelopamento_no_ds_object": lambda cen: (
            "a",
            _envolver(cen.p("tec_a").assinar(_declaracao()), "objeto"),
            Esperado(422, "assinatura_invalida"),
        ),
    }


CASOS_TRANSMISSAO = _casos_transmissao()


@pytest.mark.parametrize("caso", sorted(CASOS_TRANSMISSAO))
def test_transmissao_recusada(cen, caso, relatorio):
    chave, corpo, esp = CASOS_TRANSMISSAO[caso](cen)
    r = cen.s.transmitir(cen.tokens[chave], corpo)
    erro = _conferir_recusa(cen, r, esp, corpo)
    relatorio(casos=1, resumo=f"{caso}: {esp.status} {esp.codigo} — {erro}")


def test_envelopamento_raiz_nova_nao_engana_nem_com_assinatura_na_raiz(cen, relatorio):
    """The signed declaration inside a new root that an attacker also signs (signxml directly:
    the project's ``assinar`` refuses a document that already has a signature) with a valid
    e-CPF of someone not registered: refused — two signatures, and the outer signer is nobody
    in that ente."""
    from signxml import DigestAlgorithm, SignatureMethod, XMLSigner, methods

    falsa = etree.fromstring(_declaracao(ENTE_A, 2, receitas_base__iptu__realizada=Decimal("1")))
    falsa.append(etree.fromstring(cen.p("tec_a").assinar(_declaracao())))
    estranho = cen.p("estranho")
    assinado = XMLSigner(
        method=methods.enveloped,
        signature_algorithm=SignatureMethod.RSA_SHA256,
        digest_algorithm=DigestAlgorithm.SHA256,
    ).sign(
        falsa, key=estranho.emitido.chave, cert=[estranho.emitido.cert, *estranho.emitido.cadeia]
    )
    corpo = etree.tostring(assinado, xml_declaration=True, encoding="UTF-8")
    r = cen.s.transmitir(cen.tokens["a"], corpo)
    erro = _conferir_recusa(cen, r, Esperado(422, "assinatura_invalida"), corpo)
    relatorio(
        casos=1, resumo=f"raiz nova assinada por outra pessoa: 422 assinatura_invalida — {erro}"
    )


def test_corpus_de_arquivos_ruins_assinados(cen, relatorio):
    """The bad-file corpus of the file-format issue, signed by the técnico when it can be signed
    (else sent as it is). The server must agree with the program's own reader on the signed
    content: refused (4xx with its reason, nothing stored) whenever ``ops_format`` refuses it.
    Signing re-serializes the XML as UTF-8, so a file whose only defect was its declared
    encoding becomes a valid declaration: then the server may accept it — and does."""
    from siops import ops_format
    from siops.assinatura.xmldsig import AssinaturaInvalida, assinar, conteudo_sem_assinatura
    from siops.criticas import verificar

    assinador = cen.p("tec_a").assinador()
    codigos: dict[str, int] = {}
    normalizados = []
    arquivos = sorted(CORPUS.glob("*.OPS"))
    assert len(arquivos) >= 40
    for arq in arquivos:
        dados = arq.read_bytes()
        try:
            corpo = assinar(dados, assinador)
        except AssinaturaInvalida:
            corpo = dados
        try:
            d = ops_format.de_bytes(conteudo_sem_assinatura(corpo), arq.name)
            valido = not any(a.impeditiva for a in verificar(d))
        except (ops_format.ArquivoInvalido, AssinaturaInvalida):
            valido = False
        r = cen.s.transmitir(cen.tokens["a"], corpo)
        if valido:
            assert r.status_code in (200, 201), (arq.name, r.text[:500])  # 200: same bytes again
            normalizados.append(arq.name)
            continue
        assert 400 <= r.status_code < 500, (arq.name, r.status_code, r.text[:500])
        _conferir_recusa(cen, r, Esperado(r.status_code, r.json()["codigo"]), corpo)
        codigos[r.json()["codigo"]] = codigos.get(r.json()["codigo"], 0) + 1
    recusados = sum(codigos.values())
    relatorio(
        casos=len(arquivos),
        codigos=codigos,
        aceitos_apos_assinatura=normalizados,
        resumo=f"{len(arquivos)} arquivos do corpus ruim (issue 3) assinados e enviados: "
        f"{recusados} recusados com motivo "
        f"({', '.join(f'{n}× {c}' for c, n in sorted(codigos.items()))}); "
        f"{len(normalizados)} que a assinatura regravou em UTF-8 válido ({', '.join(normalizados)}) "
        "aceitos, como o leitor do programa os aceita",
    )


def test_cabecalhos_e_sessao_invalidos(cen, relatorio):
    s = cen.s
    corpo = cen.p("tec_a").assinar(_declaracao(bimestre=3))
    url = f"{s.url}/api/v1/transmissoes"
    h = {"Content-Type": "application/xml", "Idempotency-Key": hashlib.sha256(corpo).hexdigest()}
    casos = [
        (
            "sem token",
            s.http.post(url, data=corpo, headers=h, timeout=30),
            Esperado(401, "token_ausente"),
        ),
        (
            "token inventado",
            s.http.post(
                url,
                data=corpo,
                headers={**h, "Authorization": f"Bearer {secrets.token_urlsafe(32)}"},
                timeout=30,
            ),
            Esperado(401, "token_invalido"),
        ),
        (
            "Idempotency-Key de outro corpo",
            s.post_xml(
                "/api/v1/transmissoes", corpo, cen.tokens["a"], **{"Idempotency-Key": "0" * 64}
            ),
            Esperado(400, "idempotency_key_nao_confere"),
        ),
        (
            "JSON onde se espera XML",
            s.http.post(
                url,
                data=corpo,
                headers={
                    **h,
                    "Content-Type": "application/json",
                    "Authorization": f"Bearer {cen.tokens['a']}",
                },
                timeout=30,
            ),
            Esperado(415, "tipo_de_conteudo"),
        ),
    ]
    for nome, r, esp in casos:
        try:
            _conferir_recusa(cen, r, esp, corpo)
        except AssertionError as exc:
            raise AssertionError(f"{nome}: {exc}") from None
    relatorio(
        casos=len(casos), resumo="; ".join(f"{n}: {e.status} {e.codigo}" for n, _, e in casos)
    )


# --- passwords and voided sessions ------------------------------------------------------------


def test_senha_errada_e_bloqueio(cen, relatorio):
    import time

    s, tec = cen.s, cen.p("tec_c")
    respostas = [s.login(tec.cpf, "senha-errada-123") for _ in range(5)]
    for r in respostas[:4]:
        _conferir_recusa(cen, r, Esperado(401, "senha_incorreta"))
    _conferir_recusa(cen, respostas[4], Esperado(423, "conta_bloqueada"))
    assert "Retry-After" in respostas[4].headers
    durante = s.login(tec.cpf, cen.senhas["c"])  # the right password during the lockout
    _conferir_recusa(cen, durante, Esperado(423, "conta_bloqueada"))
    time.sleep(float(respostas[4].headers["Retry-After"]) + 0.5)
    assert s.login(tec.cpf, cen.senhas["c"]).status_code == 201
    relatorio(
        casos=6,
        resumo="4 senhas erradas: 401 senha_incorreta; 5ª: 423 conta_bloqueada com Retry-After; "
        "senha certa durante o bloqueio: 423; depois do bloqueio: entra",
    )


def test_sessao_do_tecnico_anulada_por_novo_secretario(cen, relatorio):
    s = cen.s
    tec, token = cen.p("tec_d"), cen.tokens["d"]
    corpo = tec.assinar(_declaracao(ENTE_D))
    novo = cen.pki.pessoa("seg-sec-d2", "Novo Secretário D")
    r = s.cadastrar(cen.p("chefe_d"), ENTE_D, "secretario", novo)
    assert r.status_code == 201 and {"papel": "tecnico", "cpf": tec.cpf} in r.json()["anulados"]
    # the old session: refused, and nothing is received with it
    _conferir_recusa(cen, s.transmitir(token, corpo), Esperado(401, "token_invalido"), corpo)
    # the password still matches, but the role is gone
    _conferir_recusa(cen, s.login(tec.cpf, cen.senhas["d"]), Esperado(403, "nao_cadastrado"))
    # a declaration signed by the voided técnico, sent by the new secretário's session
    sessao = s.post_xml("/api/v1/sessoes/certificado", novo.assinar(documento("PedidoSessao", {})))
    assert sessao.status_code == 201, sessao.text
    _conferir_recusa(
        cen,
        s.transmitir(sessao.json()["token"], corpo),
        Esperado(403, "signatario_nao_cadastrado"),
        corpo,
    )
    # registered again by the new secretário: a new password, and it works again
    antes = cen.s.caixa.contagem(tec.cpf)
    assert s.cadastrar(novo, ENTE_D, "tecnico", tec).status_code == 201
    senha = cen.s.caixa.senha_de(tec.cpf, antes)
    assert s.transmitir(s.token(tec.cpf, senha), corpo).status_code == 201
    relatorio(
        casos=3,
        resumo="novo secretário anula o técnico: sessão antiga 401 token_invalido, login 403 "
        "nao_cadastrado, arquivo assinado pelo técnico anulado 403 signatario_nao_cadastrado; "
        "recadastrado pelo novo secretário, transmite de novo",
    )


def test_novo_chefe_anula_a_cadeia(cen, relatorio):
    s = cen.s
    tec, sec, token = cen.p("tec_e"), cen.p("sec_e"), cen.tokens["e"]
    corpo = tec.assinar(_declaracao("E53"))
    s.cadastrar_chefe(ENTE_E, cen.pki.pessoa("seg-chefe-e2", "Nova Governadora"))
    _conferir_recusa(cen, s.transmitir(token, corpo), Esperado(401, "token_invalido"), corpo)
    _conferir_recusa(
        cen, s.cadastrar(sec, "E53", "tecnico", tec), Esperado(403, "cadastrante_sem_permissao")
    )
    relatorio(
        casos=2,
        resumo="novo chefe (Brasília = DF) anula secretário e técnico: sessão 401, o secretário "
        "anterior não cadastra mais (403 cadastrante_sem_permissao)",
    )


# --- homologation ------------------------------------------------------------------------------


def test_homologacao_por_quem_nao_e_gestor(cen, relatorio):
    s, t = cen.s, cen.aceita
    quem = {
        "o técnico do ente": cen.p("tec_a"),
        "o chefe do Executivo": cen.p("chefe_a"),
        "o secretário de outro ente": cen.p("sec_b"),
        "alguém sem cadastro": cen.p("estranho"),
        "o secretário anulado de outro ente": cen.p("sec_d"),
    }
    for nome, p in quem.items():
        try:
            _conferir_recusa(cen, s.homologar(p, t), Esperado(403, "signatario_nao_e_gestor"))
        except AssertionError as exc:
            raise AssertionError(f"{nome}: {exc}") from None
    assert s.http.get(f"{s.url}/demonstrativos/{t['protocolo']}.pdf", timeout=30).status_code == 404
    relatorio(
        casos=len(quem),
        resumo="homologação por " + ", ".join(quem) + ": 403 signatario_nao_e_gestor cada; o "
        "demonstrativo continua não público",
    )


def test_homologacao_que_nao_confere_repetida_ou_antiga(cen, relatorio):
    s, t, sec = cen.s, dict(cen.aceita), cen.p("sec_a")
    casos = 0
    outro = "f" * 64
    _conferir_recusa(
        cen, s.homologar(sec, t, Digest=outro), Esperado(422, "homologacao_nao_confere")
    )
    _conferir_recusa(cen, s.homologar(sec, t, Bimestre=5), Esperado(422, "homologacao_nao_confere"))
    _conferir_recusa(
        cen, s.homologar(sec, t, Ente=ENTE_B), Esperado(422, "homologacao_nao_confere")
    )
    _conferir_recusa(
        cen, s.homologar(sec, t, Protocolo="2025999999999"), Esperado(404, "protocolo_desconhecido")
    )
    antigo = documento(
        "Homologacao",
        {
            "Protocolo": t["protocolo"],
            "Digest": t["digest"],
            "Ente": t["ente"],
            "Exercicio": t["exercicio"],
            "Bimestre": t["bimestre"],
        },
        quando=momento(-7200),
    )
    _conferir_recusa(
        cen,
        s.post_xml("/api/v1/homologacoes", sec.assinar(antigo)),
        Esperado(422, "momento_fora_da_janela"),
    )
    # a wrapped homologation: the signed one (of another protocol) inside an unsigned one
    assinada = etree.fromstring(
        sec.assinar(
            documento(
                "Homologacao",
                {
                    "Protocolo": "x",
                    "Digest": outro,
                    "Ente": ENTE_A,
                    "Exercicio": 2025,
                    "Bimestre": 1,
                },
            )
        )
    )
    falsa = etree.fromstring(
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
    falsa.append(assinada)
    _conferir_recusa(
        cen,
        s.post_xml("/api/v1/homologacoes", etree.tostring(falsa)),
        Esperado(422, "assinatura_invalida"),
    )
    casos += 6
    # the right one, then the same document again, then a new one for the same protocol
    doc = sec.assinar(
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
    assert s.post_xml("/api/v1/homologacoes", doc).status_code == 201
    _conferir_recusa(
        cen, s.post_xml("/api/v1/homologacoes", doc), Esperado(409, "documento_reutilizado")
    )
    _conferir_recusa(cen, s.homologar(sec, t), Esperado(409, "ja_homologado"))
    # the period is closed now: a new transmission needs an authorized retransmission
    corpo = cen.p("tec_a").assinar(
        _declaracao(bimestre=2, receitas_base__iptu__previsao_inicial=Decimal("123.45"))
    )
    _conferir_recusa(
        cen, s.transmitir(cen.tokens["a"], corpo), Esperado(409, "periodo_homologado"), corpo
    )
    casos += 3
    relatorio(
        casos=casos,
        resumo="homologação com outro digest, período ou ente: 422 homologacao_nao_confere; "
        "protocolo inexistente 404; assinada há 2 h 422 momento_fora_da_janela; envelopada 422; "
        "reenviada 409 documento_reutilizado; segunda homologação 409 ja_homologado; nova "
        "transmissão do período homologado 409 periodo_homologado",
    )


def test_cadastros_recusados(cen, relatorio):
    s = cen.s
    casos = [
        (
            "técnico cadastrando técnico",
            s.cadastrar(cen.p("tec_a"), ENTE_A, "tecnico", cen.p("estranho")),
            Esperado(403, "cadastrante_sem_permissao"),
        ),
        (
            "secretário de outro ente",
            s.cadastrar(cen.p("sec_b"), ENTE_A, "tecnico", cen.p("estranho")),
            Esperado(403, "cadastrante_sem_permissao"),
        ),
        (
            "chefe como secretário",
            s.cadastrar(cen.p("chefe_a"), ENTE_A, "secretario", cen.p("chefe_a")),
            Esperado(422, "chefe_nao_pode_ser_secretario"),
        ),
        (
            "chefe por documento",
            s.cadastrar(cen.p("chefe_a"), ENTE_A, "chefe", cen.p("estranho")),
            Esperado(403, "cadastrante_sem_permissao"),
        ),
        (
            "ente com ../",
            s.cadastrar(cen.p("chefe_a"), "../../etc", "secretario", cen.p("estranho")),
            Esperado(422, "ente_desconhecido"),
        ),
    ]
    for nome, r, esp in casos:
        try:
            _conferir_recusa(cen, r, esp)
        except AssertionError as exc:
            raise AssertionError(f"{nome}: {exc}") from None
    relatorio(
        casos=len(casos), resumo="; ".join(f"{n}: {e.status} {e.codigo}" for n, _, e in casos)
    )


# --- receipts ---------------------------------------------------------------------------------


def _copiar_certificado(modelo: Any, emissor: Any, chave: Any, chave_emissor: Any) -> Any:
    """A certificate with the subject, dates, serial and extensions of ``modelo`` but another
    key, signed by ``chave_emissor`` in the name of ``emissor`` (a forgery by name)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes

    b = (
        x509.CertificateBuilder()
        .subject_name(modelo.subject)
        .issuer_name(emissor)
        .public_key(chave.public_key())
        .serial_number(modelo.serial_number)
        .not_valid_before(modelo.not_valid_before_utc)
        .not_valid_after(modelo.not_valid_after_utc)
    )
    for ext in modelo.extensions:
        valor = ext.value
        if isinstance(valor, x509.SubjectKeyIdentifier):
            valor = x509.SubjectKeyIdentifier.from_public_key(chave.public_key())
        elif isinstance(valor, x509.AuthorityKeyIdentifier):
            valor = x509.AuthorityKeyIdentifier.from_issuer_public_key(chave_emissor.public_key())
        b = b.add_extension(valor, ext.critical)
    return b.sign(chave_emissor, hashes.SHA256())


def test_recibos_falsos_sao_recusados_pelo_transmissor(cen, relatorio):
    from cryptography import x509

    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar, conteudo_sem_assinatura
    from siops.transmissor import icp_teste
    from siops.transmissor.recibos import ReciboInvalido, conferir_recibo

    s, t = cen.s, cen.aceita
    ac = s.ac_recibos()
    verdadeiro = t["recibo"].encode()
    conferir_recibo(verdadeiro, [ac], cen.corpo_aceito, t["protocolo"])  # the real one is fine
    sem = conteudo_sem_assinatura(verdadeiro)

    # 1. re-signed by a valid ICP-Brasil e-CPF (trusted for declarations, not for receipts)
    por_ecpf = cen.p("estranho").assinar(sem)
    # 2. re-signed under an AC with the very name (and extensions) of the server's receipt AC
    real_ac = ac
    real = x509.load_pem_x509_certificates((s.dados / "chaves" / "recibos.pem").read_bytes())[0]
    chave_ac, chave = icp_teste.nova_chave(), icp_teste.nova_chave()
    falsa_ac = _copiar_certificado(real_ac, real_ac.subject, chave_ac, chave_ac)
    cert = _copiar_certificado(real, real_ac.subject, chave, chave_ac)
    homonimo = assinar(sem, AssinadorChave(chave, cert, (falsa_ac,)))
    # 3. the real receipt with another protocol number (signature broken)
    alterado = verdadeiro.replace(t["protocolo"].encode(), b"2025000009999")
    casos = {
        "assinado por um e-CPF ICP-Brasil válido": (por_ecpf, cen.corpo_aceito, t["protocolo"]),
        "assinado sob uma AC homônima da AC de recibos": (
            homonimo,
            cen.corpo_aceito,
            t["protocolo"],
        ),
        "protocolo alterado": (alterado, cen.corpo_aceito, None),
        "recibo verdadeiro de outra transmissão": (verdadeiro, cen.corpo_aceito, "2025000009999"),
        "recibo verdadeiro de outro arquivo": (verdadeiro, cen.corpo_aceito + b" ", t["protocolo"]),
    }
    motivos = {}
    for nome, (recibo, corpo, protocolo) in casos.items():
        with pytest.raises(ReciboInvalido) as exc:
            conferir_recibo(recibo, [ac], corpo, protocolo)
        texto = str(exc.value)
        assert problema_na_mensagem(texto) is None, (nome, texto)
        motivos[nome] = texto
    relatorio(
        casos=len(casos),
        resumo="recibo " + "; ".join(f"{n}: recusado ({m[:80]}…)" for n, m in motivos.items()),
    )


# --- path traversal ---------------------------------------------------------------------------


def test_travessia_de_caminho_no_servidor(cen, relatorio):
    s = cen.s
    token = {"Authorization": f"Bearer {cen.tokens['a']}"}
    corpo = cen.p("tec_a").assinar(_declaracao(bimestre=4))
    pdf = b"%PDF-1.4\n%%EOF\n"
    pedidos = [
        (
            "POST",
            "/api/v1/transmissoes",
            corpo,
            {**token, "Content-Type": "application/xml", "Idempotency-Key": "../../../../tmp/x"},
        ),
        (
            "POST",
            "/api/v1/transmissoes",
            corpo,
            {
                **token,
                "Content-Type": "application/xml",
                "Idempotency-Key": "..%2F..%2Fservidor.sqlite3",
            },
        ),
    ]
    for alvo in (
        "..%2F..%2Fservidor.sqlite3",
        "%2e%2e%2f%2e%2e%2fchaves%2frecibos.key",
        "..",
        "....//....//etc/passwd",
        "2025000000001%00.xml",
    ):
        pedidos += [
            ("GET", f"/api/v1/transmissoes/{alvo}", None, token),
            ("GET", f"/api/v1/transmissoes/{alvo}/recibo", None, {}),
            ("GET", f"/api/v1/transmissoes/{alvo}/arquivo", None, token),
            (
                "PUT",
                f"/api/v1/homologacoes/{alvo}/demonstrativo",
                pdf,
                {"Content-Type": "application/pdf"},
            ),
            ("GET", f"/demonstrativos/{alvo}.pdf", None, {}),
            ("GET", f"/api/v1/entes/{alvo}/situacao", None, {}),
            ("GET", f"/api/v1/entes/{alvo}/cadastros", None, token),
            ("GET", f"/api/v1/referencia-fns/{alvo}/2025", None, {}),
            ("GET", f"/situacao?uf={alvo}&exercicio=2025&bimestre=1", None, {}),
        ]
    fora_antes = sorted(p.name for p in s.dados.parent.iterdir())
    for metodo, caminho, dados, h in pedidos:
        r = requests.request(metodo, f"{s.url}{caminho}", data=dados, headers=h, timeout=30)
        assert 400 <= r.status_code < 500, (metodo, caminho, r.status_code, r.text[:300])
        assert b"SQLite format" not in r.content and b"PRIVATE KEY" not in r.content
    assert sorted(p.name for p in s.dados.parent.iterdir()) == fora_antes
    # every name the server wrote is one it should write
    permitidos = re.compile(
        r"servidor\.(json|log|sqlite3(-wal|-shm)?)|chaves/(ac-recibos\.pem|recibos\.(pem|key))|"
        r"arquivos/[0-9a-f]{2}/[0-9a-f]{2}/[0-9a-f]{64}\.(xml|pdf)|demonstrativos/\d+-\d+\.pdf|"
        # the daily export of the entes' situação (issue 25: servidor/exportacao.py)
        r"exportacao/situacao-\d{4}-\d{2}-\d{2}\.csv(\.sha256)?"
    )
    estranhos = [
        str(p.relative_to(s.dados))
        for p in s.dados.rglob("*")
        if p.is_file() and not permitidos.fullmatch(str(p.relative_to(s.dados)))
    ]
    assert not estranhos, estranhos
    relatorio(
        casos=len(pedidos),
        resumo=f"{len(pedidos)} pedidos com ../, %2e%2e%2f, NUL e afins em Idempotency-Key, "
        "protocolo, ente, UF e no envio do demonstrativo: todos 4xx, nada lido nem gravado fora "
        "da pasta de dados; todo arquivo dentro dela tem nome permitido",
    )


class _ServidorHostil(http.server.BaseHTTPRequestHandler):
    """A fake SIOPS server that answers with a protocol number full of ``../``; its receipt
    AC (``GET /certificado``) is ``pem`` (set per test)."""

    pem = b""

    def log_message(self, *_args: object) -> None:
        pass

    def _responder(self, status: int, corpo: bytes, tipo: str) -> None:
        self.send_response(status)
        self.send_header("Content-Type", tipo)
        self.send_header("Content-Length", str(len(corpo)))
        self.end_headers()
        self.wfile.write(corpo)

    def do_POST(self) -> None:
        tamanho = int(self.headers.get("Content-Length", 0))
        self.rfile.read(tamanho)
        if self.path.endswith("/sessoes"):
            doc = {"token": "t" * 43, "usuario": {"cpf": "52998224725", "nome": "X", "papeis": []}}
            self._responder(201, json.dumps(doc).encode(), "application/json")
            return
        doc = {
            "protocolo": "../../../../../../tmp/siops-travessia",
            "situacao": "../../x",
            "recebido_em": "2025-03-01T12:00:00-03:00",
            "recibo": "<Recibo xmlns='urn:siops-desktop:recibo:1'><Protocolo>../../x</Protocolo></Recibo>",
        }
        self._responder(201, json.dumps(doc).encode(), "application/json")

    def do_GET(self) -> None:
        self._responder(200, self.pem, "application/x-pem-file")


def _servidor_hostil(pem: bytes) -> http.server.ThreadingHTTPServer:
    classe = type("Hostil", (_ServidorHostil,), {"pem": pem})
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), classe)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    return srv


def test_travessia_de_caminho_no_transmissor(tmp_path, monkeypatch, relatorio):
    """Names the transmitter writes: the receipt files beside the copy (never from the server's
    protocol number), the receipt anchors (from the server's address), the offline queue."""
    from siops.transmissor import config as cfg
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede, validar_endereco
    from siops.transmissor.fila import FilaOffline
    from siops.transmissor.operacoes import enviar_assinado

    dados = tmp_path / "transmissor"
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(dados))
    casos = 0
    # 1. receipt anchors named after hostile server addresses stay in servidores/
    for url in (
        "https://../../../../etc",
        "https://a/../../../../tmp/x",
        "https://127.0.0.1:443/..%2f..%2f..%2fetc",
        "http://127.0.0.1:8080/../../../../../tmp/x",
        "https://[::1]/..",
    ):
        try:
            base = validar_endereco(url)
        except Exception:  # refused as an address: nothing to name
            casos += 1
            continue
        alvo = cfg.caminho_ancora(base).resolve()
        assert alvo.parent == (dados / "servidores").resolve(), (url, alvo)
        casos += 1
    # 2. a hostile server's protocol number never names a file
    from siops.transmissor import icp_teste

    outra_ac, _ = icp_teste.emitir_ac_estranha("AC de Recibos de Outro Servidor")
    srv = _servidor_hostil(icp_teste.pem(outra_ac))
    try:
        transm = tmp_path / "MS-SIOPS" / "transm"
        transm.mkdir(parents=True)
        copia = transm / "M355030_2025_PrimeiroBimestre.OPS"
        copia.write_bytes(b"<x/>")
        cliente = ClienteSIOPS(
            ConfigRede(f"http://127.0.0.1:{srv.server_address[1]}", tentativas=1)
        )
        cliente.entrar("52998224725", "senha")
        antes = {p for p in tmp_path.rglob("*")}
        r = enviar_assinado(copia, b"<assinado/>", cliente, FilaOffline(dados / "fila"), "0" * 64)
        assert r.estado == "transmitido" and r.recibo is None and r.aviso_recibo  # not trusted
        novos = sorted(str(p.relative_to(tmp_path)) for p in set(tmp_path.rglob("*")) - antes)
        assert all(
            n.startswith("MS-SIOPS/transm/M355030_2025_PrimeiroBimestre.")
            or n.startswith("transmissor/")
            for n in novos
        ), novos
        assert not Path("/tmp/siops-travessia").exists()
        assert not any("travessia" in n for n in novos)
        casos += 1
    finally:
        srv.shutdown()
        srv.server_close()
    relatorio(
        casos=casos,
        resumo=f"{casos} casos: âncoras de recibo com endereços hostis ficam em servidores/; "
        "protocolo '../../…' de um servidor hostil não vira nome de arquivo (só os irmãos da "
        "cópia .OPS são gravados) e o recibo dele não é aceito",
    )


B5 = (
    "B5 — transmissor/fila.py:69 (FilaOffline._ler) aceita qualquer 'digest' do fila.json e o usa "
    "como nome de arquivo em corpo() e remover(): um fila.json adulterado com digest "
    "'../../Documentos/x' faz processar_fila LER um arquivo fora da fila e ENVIÁ-LO ao servidor "
    "(e gravar recibos ao lado de um 'arquivo' arbitrário). Correção proposta: em _ler, descartar "
    "itens cujo digest não seja 64 hexadecimais (como servidor/armazenamento.py faz com _HEX64) e "
    "conferir, em corpo(), que o SHA-256 dos bytes lidos é o digest do item."
)


def test_b5_fila_adulterada_nao_le_nem_envia_arquivo_de_fora(cen, tmp_path, monkeypatch):
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
    from siops.transmissor.fila import FilaOffline
    from siops.transmissor.operacoes import processar_fila

    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(tmp_path / "transmissor"))
    fila_pasta = tmp_path / "fila"
    fila_pasta.mkdir()
    segredo = tmp_path / "Documentos" / "segredo.xml"
    segredo.parent.mkdir()
    segredo.write_bytes(b"<segredo>dados pessoais</segredo>")
    cliente = ClienteSIOPS(ConfigRede(cen.s.url, tentativas=1))
    cliente.entrar(cen.p("tec_b").cpf, cen.senhas["b"])
    item = {
        "digest": "../Documentos/segredo",
        "arquivo": str(tmp_path / "transm" / "M330455_2025_PrimeiroBimestre.OPS"),
        "servidor": cliente.base,
        "cpf": cen.p("tec_b").cpf,
        "criado_em": "2025-01-01T00:00:00+00:00",
    }
    (fila_pasta / "fila.json").write_text(json.dumps([item]), encoding="utf-8")
    resultados = processar_fila(cliente, FilaOffline(fila_pasta))
    enviado = hashlib.sha256(segredo.read_bytes()).hexdigest()
    assert not cen.s.consultar("SELECT 1 FROM recusas WHERE digest=?", enviado), (
        "enviado ao servidor"
    )
    assert resultados == []


B6 = (
    "B6 — transmissor/operacoes.py:111 (ancoras_recibo) → transmissor/config.py "
    "(guardar_ancora, linha 120): se GET /api/v1/certificado devolve algo que não é PEM (um proxy que "
    "responde com uma página HTML, um servidor mal configurado), x509.load_pem_x509_certificates "
    "levanta ValueError, que enviar_assinado não trata (só ReciboInvalido/ErroCliente): a "
    "transmissão já aceita pelo servidor termina numa exceção em vez de 'transmitido, recibo não "
    "conferido'. Correção proposta: em guardar_ancora (ou ancoras_recibo), converter ValueError "
    "em ErroCliente('O servidor … não enviou um certificado de recibos válido.')."
)


def test_b6_certificado_de_recibos_ilegivel_nao_derruba_a_transmissao(tmp_path, monkeypatch):
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede
    from siops.transmissor.fila import FilaOffline
    from siops.transmissor.operacoes import enviar_assinado

    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(tmp_path / "transmissor"))
    srv = _servidor_hostil(b"<html><body>Acesso bloqueado pelo proxy</body></html>")
    try:
        copia = tmp_path / "transm" / "M355030_2025_PrimeiroBimestre.OPS"
        copia.parent.mkdir()
        copia.write_bytes(b"<x/>")
        cliente = ClienteSIOPS(
            ConfigRede(f"http://127.0.0.1:{srv.server_address[1]}", tentativas=1)
        )
        cliente.entrar("52998224725", "senha")
        r = enviar_assinado(
            copia, b"<assinado/>", cliente, FilaOffline(tmp_path / "fila"), "0" * 64
        )
        assert r.estado == "transmitido" and r.aviso_recibo
    finally:
        srv.shutdown()
        srv.server_close()
