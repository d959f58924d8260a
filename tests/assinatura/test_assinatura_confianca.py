"""Issue 21: the shipped ICP-Brasil anchors, revocation through real CRL/OCSP, policies, chain.

The test hierarchy publishes its CRLs and answers OCSP from ``icp_teste.PublicacaoTeste`` on
127.0.0.1 (real HTTP, real DER built with ``cryptography``'s builders).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography import x509

from siops.assinatura import certificados, confianca, revogacao
from siops.assinatura.cadeia import completar
from siops.assinatura.certificados import CertificadoInvalido, validar_cadeia
from siops.transmissor import icp_teste
from siops.transmissor.icp_teste import PublicacaoTeste

# ---------------------------------------------------------------------------- anchors


def test_raizes_distribuidas_conferem_com_o_manifesto() -> None:
    base = confianca.pasta()
    manifesto = json.loads((base / "manifesto.json").read_text(encoding="utf-8"))
    assert "certifi-icpbr" in manifesto["fonte"]
    versoes = set()
    for item in manifesto["raizes"]:
        dados = (base / item["arquivo"]).read_bytes()
        assert confianca.sha256_hex(dados) == item["sha256_arquivo"]
        cert = x509.load_pem_x509_certificate(dados)
        assert confianca.impressao(cert) == item["sha256"]
        assert cert.subject == cert.issuer
        cert.verify_directly_issued_by(cert)  # self-signed: the signature checks
        cn = cert.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value
        m = confianca.PADRAO_RAIZ.match(str(cn))
        assert m, cn
        versoes.add(int(m.group(1)))
        assert cert.extensions.get_extension_for_class(x509.BasicConstraints).value.ca
    assert {5, 10, 11} <= versoes
    raizes = confianca.raizes_oficiais()
    assert len(raizes) == len(manifesto["raizes"])
    inter = confianca.intermediarias_oficiais()
    assert len(inter) == manifesto["intermediarias"]["quantidade"] > 50
    # every shipped AC descends from a shipped root (signature, not only name)
    assert confianca.separar([*raizes, *inter])[1] == list(inter)


def test_raiz_alterada_no_disco_nao_carrega(tmp_path: Path, monkeypatch) -> None:
    import shutil

    copia = tmp_path / "icp_brasil"
    shutil.copytree(confianca.pasta(), copia)
    alvo = copia / "raiz-v10.pem"
    alvo.write_bytes(alvo.read_bytes().replace(b"\n", b"\r\n"))  # same cert, different file
    monkeypatch.setattr(confianca, "pasta", lambda: copia)
    confianca.raizes_oficiais.cache_clear()
    try:
        with pytest.raises(confianca.AncoraAlterada, match="impressão digital"):
            confianca.raizes_oficiais()
    finally:
        confianca.raizes_oficiais.cache_clear()


def test_comando_atualizar_regrava_e_lista(tmp_path: Path, capsys) -> None:
    base = confianca.pasta()
    pacote = tmp_path / "pacote.pem"
    pacote.write_bytes(
        b"".join((base / i["arquivo"]).read_bytes() for i in confianca.manifesto()["raizes"])
        + (base / "intermediarias.pem").read_bytes()
        + icp_teste.pem(icp_teste.gerar_hierarquia().raiz)  # a foreign root: left out
    )
    destino = tmp_path / "novo"
    assert (
        confianca.main(
            ["atualizar", "--de", str(pacote), "--fonte", "teste", "--pasta", str(destino)]
        )
        == 0
    )
    saida = capsys.readouterr().out
    assert "Autoridade Certificadora Raiz Brasileira v5" in saida
    novo = json.loads((destino / "manifesto.json").read_text(encoding="utf-8"))
    assert [r["sha256"] for r in novo["raizes"]] == [
        r["sha256"] for r in confianca.manifesto()["raizes"]
    ]
    assert (
        novo["intermediarias"]["quantidade"]
        == confianca.manifesto()["intermediarias"]["quantidade"]
    )
    vazio = tmp_path / "vazio.pem"
    vazio.write_bytes(icp_teste.pem(icp_teste.gerar_hierarquia().raiz))
    assert confianca.main(["atualizar", "--de", str(vazio), "--pasta", str(tmp_path / "x")]) == 2


def test_hierarquia_de_teste_nao_vale_contra_as_raizes_oficiais() -> None:
    h = icp_teste.gerar_hierarquia()
    e = icp_teste.emitir_ecpf(h, "FULANA", "52998224725")
    with pytest.raises(CertificadoInvalido, match="não foi emitido por uma Autoridade"):
        validar_cadeia(e.cert, [h.intermediaria], confianca.raizes_oficiais())


# ---------------------------------------------------------------------------- revocation


@pytest.fixture(scope="module")
def pub() -> Iterator[PublicacaoTeste]:
    p = PublicacaoTeste().iniciar()
    p.hierarquia = icp_teste.gerar_hierarquia(publicacao=p.url)
    yield p
    p.parar()


@pytest.fixture(autouse=True)
def _cache_limpo() -> Iterator[None]:
    revogacao.esvaziar_cache()
    yield
    revogacao.esvaziar_cache()


def test_revogado_por_ocsp_e_por_lcr(pub: PublicacaoTeste) -> None:
    h = pub.hierarquia
    assert h is not None
    for ocsp in (True, False):
        e = icp_teste.emitir_ecpf(h, "REVOGADA", "52998224725", ocsp=ocsp)
        validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=revogacao.ESTRITA)
        revogacao.esvaziar_cache()
        pub.revogar(e.cert, motivo=x509.ReasonFlags.superseded)
        for modo in (revogacao.ESTRITA, revogacao.BRANDA):  # revoked = refused in both
            with pytest.raises(
                CertificadoInvalido, match=r"foi revogado em \d\d/\d\d/\d{4} \(motivo: substituído"
            ):
                validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=modo)
    assert pub.pedidos["/ocsp/intermediaria"] >= 1 and pub.pedidos["/lcr/intermediaria.crl"] >= 1


def test_lcr_fica_em_cache_ate_o_next_update(pub: PublicacaoTeste) -> None:
    h = pub.hierarquia
    assert h is not None
    e = icp_teste.emitir_ecpf(h, "CACHE", "52998224725", ocsp=False)
    antes = pub.pedidos.get("/lcr/intermediaria.crl", 0)
    for _ in range(5):
        validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=revogacao.ESTRITA)
    assert pub.pedidos["/lcr/intermediaria.crl"] == antes + 1
    url = f"{pub.url}/lcr/intermediaria.crl"
    depois = dt.datetime.now(dt.UTC) + pub.validade + dt.timedelta(minutes=1)
    assert revogacao.lcr_em_cache(url) is not None
    assert revogacao.lcr_em_cache(url, depois) is None  # past nextUpdate: fetched again


def test_lcr_inalcancavel_servidor_recusa_transmissor_avisa(pub: PublicacaoTeste) -> None:
    from siops.servidor.local import porta_livre

    h = pub.hierarquia
    assert h is not None
    fora = f"http://127.0.0.1:{porta_livre()}"
    e = icp_teste.emitir_ecpf(dataclasses.replace(h, publicacao=fora), "SEM LCR", "52998224725")
    with pytest.raises(CertificadoInvalido, match=f"não foi possível obter a LCR de {fora}/lcr/"):
        validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=revogacao.ESTRITA)
    avisos: list[str] = []
    cadeia = validar_cadeia(
        e.cert, [h.intermediaria], [h.raiz], revogacao=revogacao.BRANDA, avisos=avisos
    )
    assert len(cadeia) == 3
    assert len(avisos) == 1 and f"{fora}/lcr/intermediaria.crl" in avisos[0]
    assert "o servidor fará essa conferência" in avisos[0]


def test_conferir_certificado_do_transmissor_avisa_e_segue(pub: PublicacaoTeste) -> None:
    from siops.assinatura.assinador import AssinadorChave
    from siops.servidor.local import porta_livre
    from siops.transmissor import operacoes

    h = pub.hierarquia
    assert h is not None
    fora = f"http://127.0.0.1:{porta_livre()}"
    e = icp_teste.emitir_ecpf(dataclasses.replace(h, publicacao=fora), "SEM LCR", "52998224725")
    avisos: list[str] = []
    f = operacoes.conferir_certificado(
        AssinadorChave(e.chave, e.cert, e.cadeia),
        "52998224725",
        [h.raiz],
        revogacao=revogacao.Revogacao(estrita=False, proxy=""),
        avisos=avisos,
    )
    assert f.cpf == "52998224725" and avisos


# ---------------------------------------------------------------------------- policy and chain


def test_politicas_aceitas_e_recusadas() -> None:
    h = icp_teste.gerar_hierarquia()
    for oid, familia in (
        ("2.16.76.1.2.1.51", "A1"),
        ("2.16.76.1.2.3.4", "A3"),
        ("2.16.76.1.2.2.1", "A2"),
        ("2.16.76.1.2.4.1", "A4"),
    ):
        e = icp_teste.emitir_ecpf(h, "P", "52998224725", politica=x509.ObjectIdentifier(oid))
        assert certificados.politica_icp(e.cert) == familia
    for oid in ("2.16.76.1.2.101.1", "2.16.76.1.2", "1.2.3.4", None):
        pol = x509.ObjectIdentifier(oid) if oid else None
        e = icp_teste.emitir_ecpf(h, "P", "52998224725", politica=pol)
        with pytest.raises(CertificadoInvalido, match="não é um certificado de assinatura"):
            validar_cadeia(e.cert, [h.intermediaria], [h.raiz])


def test_cadeia_completada_pelo_aia_e_pelas_conhecidas(pub: PublicacaoTeste) -> None:
    h = pub.hierarquia
    assert h is not None
    e = icp_teste.emitir_ecpf(h, "AIA", "52998224725")
    assert completar(e.cert, [], None) == ()
    assert completar(e.cert, [h.intermediaria, h.raiz], None) == (h.intermediaria,)
    antes = pub.pedidos.get("/ac/intermediaria.cer", 0)
    assert completar(e.cert, [], revogacao.Revogacao(proxy="")) == (h.intermediaria,)
    assert pub.pedidos["/ac/intermediaria.cer"] == antes + 1
    # unrelated ACs (the 157 shipped ones) never go into KeyInfo
    assert completar(e.cert, [*confianca.intermediarias_oficiais(), h.intermediaria]) == (
        h.intermediaria,
    )
    # an AC with the right name but another key is not the issuer
    estranha, _ = icp_teste.emitir_ac_estranha(icp_teste.NOME_INTERMEDIARIA)
    assert completar(e.cert, [estranha]) == ()


def test_caminho_validado_fica_em_cache_so_para_as_mesmas_entradas(monkeypatch) -> None:
    """Sem revogação, a validação do caminho (a parte cara: o pyhanko-certvalidator) vale para
    as mesmas entradas — titular, intermediárias, raízes e política — enquanto todo elo da
    cadeia está vigente; outra raiz, outra política ou um instante fora da vigência de um elo
    validam de novo (e recusam)."""
    import pyhanko_certvalidator

    h = icp_teste.gerar_hierarquia()
    e = icp_teste.emitir_ecpf(h, "FULANA", "52998224725")
    cadeia = validar_cadeia(e.cert, [h.intermediaria], [h.raiz])
    assert cadeia[0] == e.cert and cadeia[-1] == h.raiz

    def proibido(*_a, **_k):
        raise AssertionError("validou o caminho de novo")

    monkeypatch.setattr(pyhanko_certvalidator, "CertificateValidator", proibido)
    assert validar_cadeia(e.cert, [h.intermediaria], [h.raiz]) == cadeia  # do cache
    outra = icp_teste.gerar_hierarquia()
    with pytest.raises(AssertionError, match="validou o caminho de novo"):
        validar_cadeia(e.cert, [h.intermediaria], [outra.raiz])  # outras raízes: não vem do cache
    depois = min(c.not_valid_after_utc for c in cadeia) + dt.timedelta(days=1)
    with pytest.raises((AssertionError, CertificadoInvalido)):
        validar_cadeia(e.cert, [h.intermediaria], [h.raiz], quando=depois)


def test_revogacao_estrita_sem_enderecos_nao_revalida_o_caminho(monkeypatch) -> None:
    """Uma cadeia em que nenhum elo declara LCR nem OCSP não tem o que consultar: com a
    revogação estrita do servidor o resultado é o da validação sem revogação (o hard-fail do
    pyhanko-certvalidator aceita), então o caminho já validado serve — a recepção não paga o
    certvalidator a cada envio. Uma cadeia que declara LCR continua consultada (ver
    ``test_revogado_por_ocsp_e_por_lcr``)."""
    import pyhanko_certvalidator

    h = icp_teste.gerar_hierarquia()
    e = icp_teste.emitir_ecpf(h, "FULANA", "52998224725")
    estrita = revogacao.Revogacao(estrita=True)
    cadeia = validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=estrita)

    def proibido(*_a, **_k):
        raise AssertionError("validou o caminho de novo")

    monkeypatch.setattr(pyhanko_certvalidator, "CertificateValidator", proibido)
    assert validar_cadeia(e.cert, [h.intermediaria], [h.raiz], revogacao=estrita) == cadeia
