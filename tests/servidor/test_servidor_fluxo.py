"""Ponta a ponta com o processo real: cadeia de cadastro, transmissão, homologação,
retransmissão solicitada e autorizada, nova transmissão (a homologação antiga deixa de valer),
cada estado visto na página pública de situação; recibos verificados pelo transmissor e pelo
xmlsec1."""

from __future__ import annotations

import hashlib
import shutil
import subprocess

import pytest
import requests
from cryptography import x509

from siops.assinatura.xmldsig import verificar

ENTE = "M355030"  # São Paulo/SP
UF = "SP"
SENHA_ADMIN = "administrador-do-teste"
EXERCICIO = 2025  # o primeiro exercício do servidor de teste (conftest.EXERCICIO)


@pytest.fixture(scope="module")
def cadeia(servidor, pki):
    """Chefe, secretário e técnico de São Paulo; o token do técnico."""
    chefe = pki.pessoa("chefe-sp", "Prefeito de Teste")
    sec = pki.pessoa("sec-sp", "Secretária de Saúde de Teste")
    tec = pki.pessoa("tec-sp", "Técnico de Teste")
    senha = servidor.registrar_cadeia(ENTE, chefe, sec, tec)
    return {"chefe": chefe, "sec": sec, "tec": tec, "token": servidor.token(tec.cpf, senha)}


@pytest.fixture(scope="module")
def ac_recibos(servidor) -> x509.Certificate:
    r = requests.get(f"{servidor.url}/api/v1/certificado", timeout=10)
    assert r.status_code == 200
    return x509.load_pem_x509_certificate(r.content)


def _conferir_recibo(resp: dict, corpo: bytes, ac: x509.Certificate) -> None:
    v = verificar(resp["recibo"].encode(), [ac])
    ns = "{urn:siops-desktop:recibo:1}"
    assert v.raiz.findtext(f"{ns}Protocolo") == resp["protocolo"]
    assert v.raiz.findtext(f"{ns}Digest") == hashlib.sha256(corpo).hexdigest()
    assert v.raiz.findtext(f"{ns}Ente") == resp["ente"]


def test_fluxo_completo(servidor, cadeia, decl, doc, ac_recibos, tmp_path):
    sec, tec, token = cadeia["sec"], cadeia["tec"], cadeia["token"]
    assert servidor.situacao_de(UF, EXERCICIO, 1, ENTE) == "pendente"

    # 1. transmissão
    corpo = tec.assinar(decl(ENTE, bimestre=1))
    r = servidor.transmitir(token, corpo)
    assert r.status_code == 201, r.text
    t1 = r.json()
    assert t1["situacao"] == "transmitido" and t1["ente"] == ENTE
    _conferir_recibo(t1, corpo, ac_recibos)
    assert servidor.situacao_de(UF, EXERCICIO, 1, ENTE) == "transmitido"

    # o recibo verifica fora de linha com o xmlsec1 (ferramenta que não escrevemos)
    if shutil.which("xmlsec1"):
        (tmp_path / "ac.pem").write_bytes(
            requests.get(f"{servidor.url}/api/v1/certificado").content
        )
        (tmp_path / "recibo.xml").write_text(t1["recibo"], encoding="utf-8")
        x = subprocess.run(
            [
                "xmlsec1",
                "--verify",
                "--trusted-pem",
                str(tmp_path / "ac.pem"),
                str(tmp_path / "recibo.xml"),
            ],
            capture_output=True,
            text=True,
        )
        assert x.returncode == 0, x.stderr
        # e recusa o recibo com um byte trocado
        adulterado = t1["recibo"].replace(t1["protocolo"], t1["protocolo"][:-1] + "9", 1)
        (tmp_path / "recibo2.xml").write_text(adulterado, encoding="utf-8")
        x = subprocess.run(
            [
                "xmlsec1",
                "--verify",
                "--trusted-pem",
                str(tmp_path / "ac.pem"),
                str(tmp_path / "recibo2.xml"),
            ],
            capture_output=True,
            text=True,
        )
        assert x.returncode != 0

    # 2. o mesmo corpo de novo: mesmo protocolo, 200, mesmo recibo
    r = servidor.transmitir(token, corpo)
    assert r.status_code == 200
    assert r.json()["protocolo"] == t1["protocolo"] and r.json()["recibo"] == t1["recibo"]

    # o demonstrativo não é público antes da homologação
    r = requests.get(f"{servidor.url}/demonstrativos/{t1['protocolo']}.pdf", timeout=30)
    assert r.status_code == 404 and "homologado" in r.text

    # 3. homologação pelo secretário
    r = servidor.homologar(sec, t1)
    assert r.status_code == 201, r.text
    h1 = r.json()
    assert h1["situacao"] == "homologado"
    vh = verificar(h1["recibo"].encode(), [ac_recibos])
    assert vh.raiz.findtext("{urn:siops-desktop:recibo:1}Tipo") == "homologacao"
    assert servidor.situacao_de(UF, EXERCICIO, 1, ENTE) == "homologado"
    r = requests.get(f"{servidor.url}/demonstrativos/{t1['protocolo']}.pdf", timeout=60)
    assert r.status_code == 200 and r.content.startswith(b"%PDF-")
    html = servidor.situacao(UF, EXERCICIO, 1)
    assert f"/declaracoes/{t1['protocolo']}" in html
    # the public page of the homologated declaration links the Anexo 12 and every report
    # (issue 13), rendered by the same relatorios code
    pagina = requests.get(f"{servidor.url}/declaracoes/{t1['protocolo']}", timeout=30).text
    assert f"/demonstrativos/{t1['protocolo']}.pdf" in pagina
    for tipo in ("indicadores", "fonte-rp", "consorcios", "blocos", "lc141"):
        assert f"/declaracoes/{t1['protocolo']}/{tipo}.pdf" in pagina
        r = requests.get(f"{servidor.url}/declaracoes/{t1['protocolo']}/{tipo}.pdf", timeout=60)
        assert r.status_code == 200 and r.content.startswith(b"%PDF-"), tipo

    # homologar de novo: já homologado
    r = servidor.homologar(sec, t1)
    assert r.status_code == 409 and r.json()["codigo"] == "ja_homologado"

    # 4. período fechado: outra transmissão é recusada
    corpo2 = tec.assinar(decl(ENTE, bimestre=1, ajuste=7))
    r = servidor.transmitir(token, corpo2)
    assert r.status_code == 409 and r.json()["codigo"] == "periodo_homologado"
    assert "solicitar a retransmissão" in r.json()["motivos"][0]

    # 5. o técnico não pode pedir retransmissão; o secretário pode
    pedido = {
        "Ente": ENTE,
        "Exercicio": EXERCICIO,
        "Bimestre": 1,
        "Justificativa": "Correção da receita de ISS lançada em duplicidade.",
    }
    r = servidor.post_xml(
        "/api/v1/retransmissoes", tec.assinar(doc("SolicitacaoRetransmissao", pedido))
    )
    assert r.status_code == 403 and r.json()["codigo"] == "signatario_nao_e_gestor"
    r = servidor.post_xml(
        "/api/v1/retransmissoes", sec.assinar(doc("SolicitacaoRetransmissao", pedido))
    )
    assert r.status_code == 201, r.text
    ident = r.json()["id"]
    assert r.json()["situacao"] == "solicitada"
    assert "retransmissão solicitada" in servidor.situacao(UF, EXERCICIO, 1)
    r = servidor.post_xml(
        "/api/v1/retransmissoes", sec.assinar(doc("SolicitacaoRetransmissao", pedido))
    )
    assert r.status_code == 409 and r.json()["codigo"] == "solicitacao_pendente"

    # ainda não autorizada: continua fechado
    r = servidor.transmitir(token, corpo2)
    assert r.status_code == 409 and r.json()["codigo"] == "periodo_homologado"

    # 6. o administrador autoriza (API com token de admin; o técnico não pode)
    r = requests.post(
        f"{servidor.url}/api/v1/admin/retransmissoes/{ident}/autorizacao",
        json={},
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 403
    adm = servidor.admin(
        "criar-admin", "--cpf", "52998224725", "--nome", "Admin de Teste", senha=SENHA_ADMIN
    )
    assert adm.returncode == 0, adm.stderr
    token_admin = servidor.token("52998224725", SENHA_ADMIN)
    r = requests.get(
        f"{servidor.url}/api/v1/admin/retransmissoes?situacao=solicitada",
        headers={"Authorization": f"Bearer {token_admin}"},
        timeout=10,
    )
    assert [x["id"] for x in r.json()["retransmissoes"]] == [ident]
    r = requests.post(
        f"{servidor.url}/api/v1/admin/retransmissoes/{ident}/autorizacao",
        json={"observacao": "ok"},
        headers={"Authorization": f"Bearer {token_admin}"},
        timeout=10,
    )
    assert r.status_code == 200, r.text
    assert r.json()["situacao"] == "autorizada"
    assert "retransmissão autorizada" in servidor.situacao(UF, EXERCICIO, 1)

    # 7. nova transmissão: anula a homologação anterior
    r = servidor.transmitir(token, corpo2)
    assert r.status_code == 201, r.text
    t2 = r.json()
    assert t2["protocolo"] != t1["protocolo"]
    assert servidor.situacao_de(UF, EXERCICIO, 1, ENTE) == "transmitido"
    html = servidor.situacao(UF, EXERCICIO, 1)
    assert t2["protocolo"] in html and f"/declaracoes/{t1['protocolo']}" not in html
    r = requests.get(
        f"{servidor.url}/api/v1/transmissoes/{t1['protocolo']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.json()["situacao"] == "homologacao_anulada" and r.json()["homologacao"] is None
    r = requests.get(f"{servidor.url}/demonstrativos/{t1['protocolo']}.pdf", timeout=30)
    assert r.status_code == 404
    r = requests.get(f"{servidor.url}/declaracoes/{t1['protocolo']}/indicadores.pdf", timeout=30)
    assert r.status_code == 404 and "homologada" in r.text
    r = requests.get(
        f"{servidor.url}/api/v1/retransmissoes/{ident}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.json()["situacao"] == "utilizada" and r.json()["utilizada_por"] == t2["protocolo"]

    # a homologação antiga não serve para a nova transmissão, nem pode ser reapresentada
    r = servidor.homologar(sec, t2, Digest=t1["digest"])
    assert r.status_code == 422 and r.json()["codigo"] == "homologacao_nao_confere"
    r = servidor.homologar(sec, t1)
    assert r.status_code == 409 and r.json()["codigo"] == "transmissao_substituida"

    # 8. nova homologação
    r = servidor.homologar(sec, t2)
    assert r.status_code == 201, r.text
    assert servidor.situacao_de(UF, EXERCICIO, 1, ENTE) == "homologado"

    # situação pela API
    r = requests.get(
        f"{servidor.url}/api/v1/entes/{ENTE}/situacao", params={"exercicio": EXERCICIO}, timeout=10
    )
    b1 = r.json()["bimestres"][0]
    assert b1["situacao"] == "homologado" and b1["protocolo"] == t2["protocolo"]


def test_transmissao_antes_da_homologacao_substitui(servidor, cadeia, decl):
    tec, token = cadeia["tec"], cadeia["token"]
    r1 = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=2)))
    r2 = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=2, ajuste=3)))
    assert r1.status_code == 201 and r2.status_code == 201
    h = {"Authorization": f"Bearer {token}"}
    p1 = requests.get(
        f"{servidor.url}/api/v1/transmissoes/{r1.json()['protocolo']}", headers=h, timeout=10
    ).json()
    assert p1["situacao"] == "substituida"
    html = servidor.situacao(UF, EXERCICIO, 2)
    assert r2.json()["protocolo"] in html and r1.json()["protocolo"] not in html


def test_sexto_bimestre_do_exercicio_anterior(servidor, cadeia, decl):
    """O 1º exercício do servidor não exige o 6º anterior; o seguinte exige (ou o registro de
    entrega externa feito pelo administrador)."""
    tec, token = cadeia["tec"], cadeia["token"]
    corpo = tec.assinar(decl(ENTE, exercicio=EXERCICIO + 1, bimestre=1))
    r = servidor.transmitir(token, corpo)
    assert r.status_code == 409 and r.json()["codigo"] == "sexto_bimestre_pendente"
    assert f"6º bimestre de {EXERCICIO}" in r.json()["erro"]
    adm = servidor.admin(
        "registrar-entrega-externa",
        "--ente",
        ENTE,
        "--exercicio",
        str(EXERCICIO),
        "--bimestre",
        "6",
    )
    assert adm.returncode == 0, adm.stderr
    r = servidor.transmitir(token, corpo)
    assert r.status_code == 201, r.text


def test_referencia_fns_carregada_e_servida(servidor, tmp_path):
    arq = tmp_path / "fns.csv"
    arq.write_text(
        "ente;exercicio;bimestre;custeio;investimento\n"
        f"{ENTE};{EXERCICIO};3;1234567.89;250000.00\n",
        encoding="utf-8",
    )
    adm = servidor.admin("carregar-referencia-fns", str(arq))
    assert adm.returncode == 0, adm.stderr
    r = requests.get(f"{servidor.url}/api/v1/referencia-fns/{ENTE}/{EXERCICIO}", timeout=10)
    assert r.status_code == 200
    from siops.criticas.referencia import ReferenciaFNS

    ref = ReferenciaFNS.de_json(r.text)
    from decimal import Decimal

    assert ref.valor(ENTE, EXERCICIO, 3, "custeio") == Decimal("1234567.89")
    r = requests.get(f"{servidor.url}/api/v1/referencia-fns/M330455/{EXERCICIO}", timeout=10)
    assert r.status_code == 404 and r.json()["erro"]


def test_paginas_publicas_em_portugues(servidor):
    r = requests.get(f"{servidor.url}/", timeout=10)
    assert r.status_code == 200 and "Situação de entrega" in r.text
    r = requests.get(f"{servidor.url}/situacao?uf=XX&exercicio=2025&bimestre=1", timeout=10)
    assert r.status_code == 404 and "UF desconhecida" in r.text
    r = requests.get(f"{servidor.url}/api/v1/nada", timeout=10)
    assert r.status_code == 404 and r.json()["erro"] == "Endereço não encontrado."
    html = servidor.situacao("RR", EXERCICIO, 1)
    assert "Pendentes: <b>16</b>" in html  # Roraima: o estado e 15 municípios


def test_demonstrativo_assinado_pelo_gestor(servidor, cadeia, decl, pki):
    """O PDF PAdES anunciado na homologação é aceito só se o digest confere e a assinatura é do
    gestor que homologou; a página pública passa a entregá-lo."""
    from siops import ops_format, relatorios
    from siops.transmissor.pades import assinar_pdf

    sec, tec, token = cadeia["sec"], cadeia["tec"], cadeia["token"]
    bruto = decl(ENTE, bimestre=3)
    t = servidor.transmitir(token, tec.assinar(bruto)).json()
    pdf = relatorios.renderizar_rreo(ops_format.de_bytes(bruto), homologado=True)
    assinado = assinar_pdf(pdf, sec.assinador())
    de_outro = assinar_pdf(pdf, tec.assinador())
    digest = hashlib.sha256(assinado).hexdigest()
    r = servidor.homologar(sec, t, DigestDemonstrativo=digest)
    assert r.status_code == 201, r.text
    url = f"{servidor.url}/api/v1/homologacoes/{t['protocolo']}/demonstrativo"
    r = requests.put(url, data=pdf, headers={"Content-Type": "application/pdf"}, timeout=30)
    assert r.status_code == 422 and r.json()["codigo"] == "demonstrativo_nao_confere"
    r = requests.put(url, data=assinado, headers={"Content-Type": "application/pdf"}, timeout=60)
    assert r.status_code == 201, r.text
    # o assinado traz o CPF do gestor no certificado: só para quem tem papel no ente
    r = requests.get(url, timeout=30)
    assert r.status_code == 401
    r = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
    assert r.status_code == 200 and r.content == assinado
    # o público é o gerado, com o nome do gestor e sem o certificado (nenhum CPF público)
    r = requests.get(f"{servidor.url}/demonstrativos/{t['protocolo']}.pdf", timeout=30)
    assert r.status_code == 200 and r.content.startswith(b"%PDF") and r.content != assinado
    assert sec.cpf.encode() not in r.content and b"/ByteRange" not in r.content
    r = requests.get(
        f"{servidor.url}/api/v1/transmissoes/{t['protocolo']}",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.json()["homologacao"]["demonstrativo_assinado"] is True

    # um PDF assinado por outra pessoa, mesmo anunciado numa homologação, é recusado
    t4 = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=4))).json()
    r = servidor.homologar(sec, t4, DigestDemonstrativo=hashlib.sha256(de_outro).hexdigest())
    assert r.status_code == 201
    r = requests.put(
        f"{servidor.url}/api/v1/homologacoes/{t4['protocolo']}/demonstrativo",
        data=de_outro,
        headers={"Content-Type": "application/pdf"},
        timeout=60,
    )
    assert r.status_code == 422 and "não pelo gestor" in r.json()["motivos"][0]
    # the upload is anonymous: no full CPF in the refusal (masked: ***.456.789-**)
    assert sec.cpf[3:6] in r.text and sec.cpf not in r.text.replace(".", "").replace("-", "")


def test_referencia_fns_entra_na_revalidacao(servidor, cadeia, decl, tmp_path):
    """Com a referência do FNS carregada, o servidor roda as críticas 310/352 com ela: um valor
    declarado menor que o do FNS volta como aviso (1º a 5º bimestre)."""
    arq = tmp_path / "fns.json"
    arq.write_text(
        '{"formato": "siops-referencia-fns", "versao": 1, "valores": [{"ente": "'
        + ENTE
        + f'", "exercicio": {EXERCICIO}, "bimestre": 5, "custeio": "999999999.00"}}]}}',
        encoding="utf-8",
    )
    adm = servidor.admin("carregar-referencia-fns", str(arq))
    assert adm.returncode == 0, adm.stderr
    tec, token = cadeia["tec"], cadeia["token"]
    r = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=5)))
    assert r.status_code == 201, r.text
    assert "310" in {a["codigo"] for a in r.json()["avisos"]}
