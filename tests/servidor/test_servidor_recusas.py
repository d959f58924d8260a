"""Recusas da recepção: cada uma com a razão específica (código e frase em português), e o
arquivo recusado nunca é guardado como aceito (nem no banco, nem na pasta de arquivos).

"Recibo reapresentado" quer dizer: (a) o recibo XML do servidor enviado como se fosse uma
declaração; (b) o recibo enviado como homologação; (c) uma homologação reaproveitada para outro
protocolo (ver também test_servidor_fluxo).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from pathlib import Path

import pytest
import requests

from tests.apoio_postgres import consultar_banco

ENTE = "M310620"  # Belo Horizonte/MG
OUTRO = "M410690"  # Curitiba/PR
EXERCICIO = 2025
BAD = Path(__file__).resolve().parents[1] / "data" / "bad"
INGLES = re.compile(r"Traceback|Error\b|Exception|expected|None\b|\{urn:")


@pytest.fixture(scope="module")
def bh(servidor, pki):
    tec = pki.pessoa("tec-bh", "Técnico de BH")
    senha = servidor.registrar_cadeia(ENTE, pki.pessoa("chefe-bh"), pki.pessoa("sec-bh"), tec)
    tec_c = pki.pessoa("tec-cwb", "Técnica de Curitiba")
    senha_c = servidor.registrar_cadeia(
        OUTRO, pki.pessoa("chefe-cwb"), pki.pessoa("sec-cwb"), tec_c
    )
    return {
        "tec": tec,
        "token": servidor.token(tec.cpf, senha),
        "tec_c": tec_c,
        "token_c": servidor.token(tec_c.cpf, senha_c),
    }


def _recusado(servidor, resp: requests.Response, status: int, codigo: str, corpo: bytes) -> dict:
    """Confere status, código, frase em português, e que nada foi guardado."""
    assert resp.status_code == status, resp.text
    doc = resp.json()
    assert doc["codigo"] == codigo, doc
    assert doc["erro"] and not INGLES.search(doc["erro"] + " ".join(doc["motivos"])), doc
    digest = hashlib.sha256(corpo).hexdigest()
    n = consultar_banco(
        servidor.dados, "SELECT COUNT(*) FROM transmissoes WHERE digest=?", (digest,)
    )[0]
    assert n[0] == 0
    assert not list((servidor.dados / "arquivos").glob(f"*/*/{digest}*"))
    return doc


def test_sem_token(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE))
    r = servidor.transmitir(None, corpo)
    _recusado(servidor, r, 401, "token_ausente", corpo)
    r = servidor.transmitir("inventado", corpo)
    _recusado(servidor, r, 401, "token_invalido", corpo)


def test_arquivo_sem_assinatura(servidor, bh, decl):
    corpo = decl(ENTE, bimestre=3)
    doc = _recusado(servidor, servidor.transmitir(bh["token"], corpo), 422, "sem_assinatura", corpo)
    assert "não está assinado" in doc["erro"]


def test_assinatura_quebrada_por_um_byte(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=3))
    m = re.search(rb'k="realizada">(\d)', corpo)
    i = m.start(1)
    alterado = corpo[:i] + (b"1" if corpo[i : i + 1] != b"1" else b"2") + corpo[i + 1 :]
    assert len(alterado) == len(corpo) and alterado != corpo
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], alterado), 422, "assinatura_invalida", alterado
    )
    assert "alterado depois de assinado" in " ".join(doc["motivos"])


def test_signatario_nao_cadastrado_no_ente(servidor, pki, bh, decl):
    intruso = pki.pessoa("intruso", "Pessoa Estranha")
    corpo = intruso.assinar(decl(ENTE, bimestre=3))
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 403, "signatario_nao_cadastrado", corpo
    )
    assert "não está cadastrado" in doc["erro"]
    # o técnico de outro ente também não assina por este
    corpo = bh["tec_c"].assinar(decl(ENTE, bimestre=3))
    _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 403, "signatario_nao_cadastrado", corpo
    )


def test_certificado_vencido(servidor, pki, bh, decl):
    tec = bh["tec"]
    vencido = pki.pessoa(
        "tec-bh-vencido",
        tec.nome,
        cpf=tec.cpf,
        inicio=dt.datetime.now(dt.UTC) - dt.timedelta(days=400),
        dias=30,
    )
    corpo = vencido.assinar(decl(ENTE, bimestre=3))
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 422, "certificado_invalido", corpo
    )
    assert "venceu" in " ".join(doc["motivos"])


def test_certificado_de_ac_nao_confiavel(servidor, pki, bh, decl):
    from siops.transmissor import icp_teste

    tec = bh["tec"]
    ac, chave_ac = icp_teste.emitir_ac_estranha()
    falso = pki.pessoa("tec-bh-falso", tec.nome, cpf=tec.cpf, emissor=(ac, chave_ac))
    corpo = falso.assinar(decl(ENTE, bimestre=3))
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 422, "certificado_invalido", corpo
    )
    assert "confiável" in " ".join(doc["motivos"])


def test_tecnico_de_outro_ente(servidor, bh, decl):
    # a técnica de Curitiba, logada, envia o arquivo de BH (mesmo assinado pelo técnico de BH)
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=3))
    doc = _recusado(
        servidor, servidor.transmitir(bh["token_c"], corpo), 403, "ente_de_outro_usuario", corpo
    )
    assert "Belo Horizonte" in doc["erro"] and "Curitiba" in doc["motivos"][0]
    # nem repetir o envio (idempotente) de um arquivo já aceito de outro ente
    aceito = bh["tec"].assinar(decl(ENTE, bimestre=3, ajuste=5))
    assert servidor.transmitir(bh["token"], aceito).status_code == 201
    r = servidor.transmitir(bh["token_c"], aceito)
    assert r.status_code == 403 and r.json()["codigo"] == "ente_de_outro_usuario"


def test_criticas_impeditivas(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=6))
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 422, "criticas_impeditivas", corpo
    )
    assert "impeditiva" in doc["erro"]
    assert doc["criticas"] and all(c["severidade"] == "impeditiva" for c in doc["criticas"])
    assert any(m.startswith("585 — ") for m in doc["motivos"]), doc["motivos"]


def test_grande_demais(servidor, bh):
    corpo = b"<a>" + b"x" * (21 * 1024 * 1024) + b"</a>"
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], corpo), 413, "arquivo_grande_demais", corpo
    )
    assert "20 MB" in doc["erro"]


def test_xml_malformado(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=3))
    cortado = corpo[: len(corpo) // 2]
    doc = _recusado(
        servidor, servidor.transmitir(bh["token"], cortado), 422, "xml_malformado", cortado
    )
    assert "não é um XML válido" in doc["erro"]


def test_corpus_de_arquivos_ruins(servidor, bh):
    """Todo arquivo do corpus ruim do formato, assinado quando dá para assinar, é recusado com
    uma razão em português e não é guardado."""
    from siops.assinatura.xmldsig import AssinaturaInvalida

    vistos = 0
    for arq in sorted(BAD.glob("*.OPS")):
        bruto = arq.read_bytes()
        try:
            corpo = bh["tec"].assinar(bruto)
        except (AssinaturaInvalida, ValueError):
            corpo = bruto
        r = servidor.transmitir(bh["token"], corpo)
        assert r.status_code in (400, 403, 409, 413, 422), (arq.name, r.status_code, r.text)
        _recusado(servidor, r, r.status_code, r.json()["codigo"], corpo)
        vistos += 1
    assert vistos >= 40


def test_recibo_reapresentado(servidor, bh, decl, doc):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=4))
    r = servidor.transmitir(bh["token"], corpo)
    assert r.status_code == 201, r.text
    recibo = r.json()["recibo"].encode()
    # (a) o recibo como declaração
    d = _recusado(
        servidor,
        servidor.transmitir(bh["token"], recibo),
        422,
        "documento_nao_e_declaracao",
        recibo,
    )
    assert "recibo" in d["erro"]
    # (b) o recibo como homologação
    r = servidor.post_xml("/api/v1/homologacoes", recibo)
    assert r.status_code == 422 and r.json()["codigo"] == "documento_inesperado"
    # (c) uma homologação de outro protocolo: não confere
    t = r = servidor.transmitir(bh["token"], corpo).json()
    outra = servidor.transmitir(bh["token"], bh["tec"].assinar(decl(ENTE, bimestre=5))).json()
    sec = servidor.pki.pessoa("sec-bh")
    r = servidor.homologar(sec, outra, Digest=t["digest"])
    assert r.status_code == 422 and r.json()["codigo"] == "homologacao_nao_confere"
    # e um documento de homologação só vale uma vez
    corpo_h = sec.assinar(
        doc(
            "Homologacao",
            {
                "Protocolo": t["protocolo"],
                "Digest": t["digest"],
                "Ente": ENTE,
                "Exercicio": EXERCICIO,
                "Bimestre": 4,
            },
        )
    )
    assert servidor.post_xml("/api/v1/homologacoes", corpo_h).status_code == 201
    r = servidor.post_xml("/api/v1/homologacoes", corpo_h)
    assert r.status_code == 409 and r.json()["codigo"] == "documento_reutilizado"


def test_homologacao_por_quem_nao_e_gestor(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=2))
    t = servidor.transmitir(bh["token"], corpo).json()
    r = servidor.homologar(bh["tec"], t)
    assert r.status_code == 403 and r.json()["codigo"] == "signatario_nao_e_gestor"
    r = servidor.homologar(servidor.pki.pessoa("sec-cwb"), t)
    assert r.status_code == 403


def test_idempotency_key_errada_e_tipo_de_conteudo(servidor, bh, decl):
    corpo = bh["tec"].assinar(decl(ENTE, bimestre=3, ajuste=11))
    _recusado(
        servidor,
        servidor.transmitir(bh["token"], corpo, chave="0" * 64),
        400,
        "idempotency_key_nao_confere",
        corpo,
    )
    r = requests.post(
        f"{servidor.url}/api/v1/transmissoes",
        json={"a": 1},
        headers={"Authorization": f"Bearer {bh['token']}"},
        timeout=10,
    )
    assert r.status_code == 415 and r.json()["codigo"] == "tipo_de_conteudo"


def test_recusas_ficam_anotadas(servidor, bh):
    codigos = {r[0] for r in consultar_banco(servidor.dados, "SELECT codigo FROM recusas")}
    assert {
        "sem_assinatura",
        "assinatura_invalida",
        "certificado_invalido",
        "signatario_nao_cadastrado",
        "criticas_impeditivas",
    } <= codigos
