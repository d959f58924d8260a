"""Issue 21: the gestor's PAdES demonstrativo goes through the same revocation check as the
signed XML documents (``siops.servidor.pades.verificar`` with the server's ``Revogacao``).

Real PDFs signed by ``transmissor.pades.assinar_pdf`` (pyHanko), real CRLs and OCSP answers
from ``icp_teste.PublicacaoTeste`` on 127.0.0.1. Strict (the server's default): a revoked
signer is refused with the date, and a signer whose CRL cannot be had is refused naming the
CRL's URL; lenient: the unreachable CRL passes; off (``None``): no fetch at all.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from siops.assinatura import revogacao
from siops.assinatura.assinador import AssinadorChave
from siops.servidor.erros import ErroAPI
from siops.transmissor import icp_teste
from siops.transmissor.icp_teste import PublicacaoTeste

CPF = "11144477735"


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


@pytest.fixture(scope="module")
def pdf_bruto() -> bytes:
    """A one-page PDF (the demonstrativo's content does not matter here)."""
    import io

    from reportlab.pdfgen import canvas

    saida = io.BytesIO()
    c = canvas.Canvas(saida)
    c.drawString(72, 720, "RREO Anexo 12 - demonstrativo homologado")
    c.save()
    return saida.getvalue()


def _assinado(pdf: bytes, e: icp_teste.CertificadoEmitido) -> bytes:
    from siops.transmissor import pades

    return pades.assinar_pdf(pdf, AssinadorChave(e.chave, e.cert, e.cadeia))


def _verificar(pdf: bytes, h: icp_teste.HierarquiaTeste, rev: revogacao.Revogacao | None):
    from siops.servidor import pades

    return pades.verificar(pdf, [h.raiz], [], CPF, revogacao=rev)


def _motivo(erro: pytest.ExceptionInfo[ErroAPI]) -> str:
    assert erro.value.status == 422 and erro.value.codigo == "demonstrativo_nao_confere"
    return " ".join(erro.value.motivos)


def test_pdf_de_gestor_revogado_e_recusado(pub: PublicacaoTeste, pdf_bruto: bytes) -> None:
    h = pub.hierarquia
    assert h is not None
    for ocsp in (True, False):
        e = icp_teste.emitir_ecpf(h, "GESTORA", CPF, ocsp=ocsp)
        pdf = _assinado(pdf_bruto, e)
        _verificar(pdf, h, revogacao.ESTRITA)  # valid: accepted
        revogacao.esvaziar_cache()
        pub.revogar(e.cert)
        for modo in (revogacao.ESTRITA, revogacao.BRANDA):
            with pytest.raises(ErroAPI) as erro:
                _verificar(pdf, h, modo)
            motivo = _motivo(erro)
            assert "O certificado de GESTORA foi revogado em" in motivo, motivo
            assert "comprometimento da chave" in motivo
        _verificar(pdf, h, None)  # revocation switched off: not consulted


def test_pdf_sem_lcr_alcancavel(pub: PublicacaoTeste, pdf_bruto: bytes) -> None:
    from siops.servidor.local import porta_livre

    h = pub.hierarquia
    assert h is not None
    fora = f"http://127.0.0.1:{porta_livre()}"  # nobody listens there
    e = icp_teste.emitir_ecpf(dataclasses.replace(h, publicacao=fora), "GESTORA", CPF)
    pdf = _assinado(pdf_bruto, e)
    with pytest.raises(ErroAPI) as erro:
        _verificar(pdf, h, revogacao.ESTRITA)
    motivo = _motivo(erro)
    assert "Não foi possível conferir se o certificado de GESTORA foi revogado" in motivo
    assert f"não foi possível obter a LCR de {fora}/lcr/intermediaria.crl" in motivo, motivo
    _verificar(pdf, h, revogacao.BRANDA)  # lenient: accepted
    _verificar(pdf, h, None)


def test_pdf_com_politica_desconhecida_e_recusado(pub: PublicacaoTeste, pdf_bruto: bytes) -> None:
    from cryptography import x509

    h = pub.hierarquia
    assert h is not None
    e = icp_teste.emitir_ecpf(
        h, "GESTORA", CPF, politica=x509.ObjectIdentifier("2.16.76.1.2.101.3")
    )
    with pytest.raises(ErroAPI) as erro:
        _verificar(_assinado(pdf_bruto, e), h, revogacao.ESTRITA)
    assert "não é um certificado de assinatura da ICP-Brasil" in _motivo(erro)
