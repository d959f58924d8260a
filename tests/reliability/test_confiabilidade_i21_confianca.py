"""Issue 21: trust in the REAL server process — revocation, certificate policy, chain.

The test hierarchy publishes its CRLs and answers OCSP from a local HTTP server on 127.0.0.1
(``icp_teste.PublicacaoTeste``: real protocols, built with ``cryptography``'s CRL and OCSP
builders), and every certificate it issues carries the CRL DP / AIA URLs pointing there. The
server (``revogacao: "estrita"``, its default) consults them for every signature it accepts.

Rows of the refusal matrix (each refused with the reason in Portuguese):

* a técnico's transmission signed with a REVOKED certificate (CRL and OCSP);
* a gestor's homologation signed with a REVOKED certificate (CRL only);
* a transmission whose certificate's CRL and OCSP cannot be reached (hard-fail);
* a certificate with an UNKNOWN policy (not an ICP-Brasil signature policy A1–A4);
* a certificate whose INTERMEDIATE is missing (not in KeyInfo, no AIA, not configured).

Revoked certificates are revoked before the server first fetches the CRL: the server caches
each CRL until its ``nextUpdate``, as it should.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apoio_servidor import EXERCICIO, PKI, Caixa, Servidor, ops_demo, porta_livre

pytestmark = pytest.mark.reliability

ENTE = "M355030"  # São Paulo/SP


@dataclasses.dataclass
class Cenario:
    s: Servidor
    pki: PKI
    pub: Any  # icp_teste.PublicacaoTeste
    chefe: Any
    sec: Any
    tec: Any
    token: str


@pytest.fixture(scope="module")
def cenario(tmp_path_factory: pytest.TempPathFactory, smtp: tuple[int, Caixa]) -> Iterator[Cenario]:
    from siops.transmissor import icp_teste

    pub = icp_teste.PublicacaoTeste().iniciar()
    pasta = tmp_path_factory.mktemp("pki21")
    hier = icp_teste.gerar_hierarquia(pasta, publicacao=pub.url)
    pub.hierarquia = hier
    pki = PKI(pasta, hier, [icp_teste.nova_chave(), icp_teste.nova_chave()])
    chefe = pki.pessoa("i21-chefe", "Prefeito I21")
    sec = pki.pessoa("i21-sec", "Secretária I21")
    tec = pki.pessoa("i21-tec", "Técnica I21")
    porta_smtp, caixa = smtp
    s = Servidor(tmp_path_factory.mktemp("servidor21"), pki, porta_smtp, caixa)
    s.iniciar()
    try:
        senha = s.registrar_cadeia(ENTE, chefe, sec, tec)
        yield Cenario(s, pki, pub, chefe, sec, tec, s.token(tec.cpf, senha))
    finally:
        s.parar()
        pub.parar()


def _recusa(r: Any) -> str:
    assert r.status_code == 422, r.text
    corpo = r.json()
    assert corpo["codigo"] == "certificado_invalido", corpo
    return " ".join(corpo["motivos"])


def _revogada(cen: Cenario, apelido: str, quem: Any, **kw: Any) -> Any:
    """Um segundo certificado da mesma pessoa (mesmo CPF), revogado antes de ser usado."""
    p = cen.pki.pessoa(apelido, quem.nome, quem.cpf, **kw)
    cen.pub.revogar(p.emitido.cert)
    return p


def test_i21_tecnico_revogado_transmissao_recusada(cenario: Cenario, relatorio: Any) -> None:
    from siops.forms.tempo import data_br

    cen = cenario
    # the valid certificate goes through (and the server fetched OCSP / the CRL to say so)
    ok = cen.s.transmitir(cen.token, cen.tec.assinar(ops_demo(ENTE, EXERCICIO, 1)))
    assert ok.status_code == 201, ok.text
    assert cen.pub.pedidos.get("/ocsp/intermediaria", 0) >= 1
    revogado = _revogada(cen, "i21-tec-revogada", cen.tec)
    r = cen.s.transmitir(cen.token, revogado.assinar(ops_demo(ENTE, EXERCICIO, 2)))
    motivo = _recusa(r)
    quando = cen.pub.revogados["intermediaria"][-1].quando
    assert f"foi revogado em {data_br(quando)}" in motivo, motivo
    assert "comprometimento da chave" in motivo
    relatorio(casos=2, resumo=f"técnica revogada (OCSP): transmissão 422 — «{motivo}»")


def test_i21_gestor_revogado_homologacao_recusada(cenario: Cenario, relatorio: Any) -> None:
    cen = cenario
    t = cen.s.transmitir(cen.token, cen.tec.assinar(ops_demo(ENTE, EXERCICIO, 3)))
    assert t.status_code == 201, t.text
    # only a CRL (no OCSP): the CRL path of the validation is the one exercised
    revogada = _revogada(cen, "i21-sec-revogada", cen.sec, ocsp=False)
    r = cen.s.homologar(revogada, t.json())
    motivo = _recusa(r)
    assert "foi revogado em" in motivo, motivo
    assert cen.pub.pedidos.get("/lcr/intermediaria.crl", 0) >= 1
    # the same gestora with her valid certificate homologates
    ok = cen.s.homologar(cen.sec, t.json())
    assert ok.status_code in (200, 201), ok.text
    relatorio(
        casos=2, resumo=f"gestora revogada (LCR): homologação 422 — «{motivo}»; a válida homologa"
    )


def test_i21_lcr_inalcancavel_recusa_no_servidor(cenario: Cenario, relatorio: Any) -> None:
    from siops.transmissor import icp_teste

    cen = cenario
    fora = f"http://127.0.0.1:{porta_livre()}"  # nobody listens there
    hier_fora = dataclasses.replace(cen.pki.hier, publicacao=fora)
    e = icp_teste.emitir_ecpf(hier_fora, cen.tec.nome.upper(), cen.tec.cpf)
    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar

    corpo = assinar(ops_demo(ENTE, EXERCICIO, 4), AssinadorChave(e.chave, e.cert, e.cadeia))
    motivo = _recusa(cen.s.transmitir(cen.token, corpo))
    assert f"não foi possível obter a LCR de {fora}/lcr/intermediaria.crl" in motivo, motivo
    relatorio(casos=1, resumo=f"LCR e OCSP fora do ar: o servidor recusa (hard-fail) — «{motivo}»")


def test_i21_politica_desconhecida_recusada(cenario: Cenario, relatorio: Any) -> None:
    from cryptography import x509

    cen = cenario
    casos = 0
    for oid in ("2.16.76.1.2.101.3", "1.3.6.1.4.1.99999.1", None):  # S1 (sigilo), alheia, nenhuma
        politica = x509.ObjectIdentifier(oid) if oid else None
        p = cen.pki.pessoa(f"i21-pol-{oid}", cen.tec.nome, cen.tec.cpf, politica=politica)
        motivo = _recusa(cen.s.transmitir(cen.token, p.assinar(ops_demo(ENTE, EXERCICIO, 5))))
        assert "não é um certificado de assinatura da ICP-Brasil" in motivo, motivo
        assert (oid or "nenhuma") in motivo
        casos += 1
    relatorio(casos=casos, resumo=f"política fora de 2.16.76.1.2.{{1..4}}: 422 — «{motivo}»")


def test_i21_intermediaria_ausente_recusada(cenario: Cenario, relatorio: Any) -> None:
    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar
    from siops.transmissor import icp_teste

    cen = cenario
    # no AIA (so the server cannot fetch it) and only the holder's certificate in KeyInfo
    sem_aia = dataclasses.replace(cen.pki.hier, publicacao=None)
    e = icp_teste.emitir_ecpf(sem_aia, cen.tec.nome.upper(), cen.tec.cpf)
    corpo = assinar(ops_demo(ENTE, EXERCICIO, 6), AssinadorChave(e.chave, e.cert, ()))
    motivo = _recusa(cen.s.transmitir(cen.token, corpo))
    assert "falta o certificado da autoridade AC Intermediária de Teste" in motivo, motivo
    # with the AIA caIssuers URL the server completes the chain itself
    e2 = icp_teste.emitir_ecpf(cen.pki.hier, cen.tec.nome.upper(), cen.tec.cpf)
    corpo2 = assinar(ops_demo(ENTE, EXERCICIO, 2), AssinadorChave(e2.chave, e2.cert, ()))
    ok = cen.s.transmitir(cen.token, corpo2)
    assert ok.status_code == 201, ok.text
    assert cen.pub.pedidos.get("/ac/intermediaria.cer", 0) >= 1
    relatorio(casos=2, resumo=f"sem a intermediária: 422 — «{motivo}»; com AIA: aceito")


def test_i21_raizes_oficiais_por_padrao(tmp_path: Path, relatorio: Any) -> None:
    """Without ``raizes`` the server trusts the shipped ICP-Brasil roots — and so refuses the
    test hierarchy, which is accepted only where it is configured."""
    from siops.assinatura import confianca
    from siops.servidor import config as configuracao
    from siops.servidor.contexto import Contexto

    ctx = Contexto.abrir(configuracao.carregar(tmp_path / "dados"), pool=False)
    try:
        nomes = {c.subject.rfc4514_string() for c in ctx.raizes}
        assert len(ctx.raizes) == len(confianca.raizes_oficiais()) >= 3
        assert all("Autoridade Certificadora Raiz Brasileira v" in n for n in nomes)
        assert ctx.revogacao is not None and ctx.revogacao.estrita
    finally:
        ctx.fechar()
    relatorio(casos=1, resumo="sem --raizes: as raízes oficiais e revogação estrita")
