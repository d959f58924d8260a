"""Homologação pelo gestor (XML assinado + demonstrativo PAdES) e pedido de retransmissão."""

from __future__ import annotations

import io

import pytest

from siops.assinatura import xmldsig
from siops.assinatura.assinador import AssinadorA1, AssinadorPKCS11
from siops.transmissor import documentos, operacoes, pades
from siops.transmissor.cliente import ClienteSIOPS, ConfigRede, RecusadoPeloServidor
from siops.transmissor.fila import FilaOffline
from siops.transmissor.recibos import Arquivos

BIMESTRE = 6


def _cliente(url: str) -> ClienteSIOPS:
    return ClienteSIOPS(ConfigRede(url, tentativas=2, recuo_inicial=0.05))


def _validar_pdf(pdf: bytes, raiz) -> object:
    from asn1crypto import x509 as ax509
    from cryptography.hazmat.primitives.serialization import Encoding
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    leitor = PdfFileReader(io.BytesIO(pdf))
    assert len(leitor.embedded_signatures) == 1
    vc = ValidationContext(trust_roots=[ax509.Certificate.load(raiz.public_bytes(Encoding.DER))])
    return validate_pdf_signature(leitor.embedded_signatures[0], vc)


def test_documentos_do_gestor_verificam(a1_gestor, hierarquia, constantes):
    a = AssinadorA1(a1_gestor.caminho, a1_gestor.senha)
    doc = documentos.homologacao(a, "2025000000001", "AB" * 32, "M355030", 2025, 6, "cd" * 32)
    v = xmldsig.verificar(doc, [hierarquia.raiz], raiz_esperada=f"{{{documentos.NS}}}Homologacao")
    assert v.fatos.cpf == constantes.cpf_gestor
    assert v.raiz.find(f"{{{documentos.NS}}}Digest").text == "ab" * 32
    with pytest.raises(documentos.DocumentoInvalido, match="pelo menos 20"):
        documentos.solicitacao_retransmissao(a, "M355030", 2025, 6, "curta")


def test_pades_no_token(softhsm, hierarquia, pin_fixo):
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.drawString(72, 720, "RREO Anexo 12")
    c.save()
    with AssinadorPKCS11(
        softhsm.modulo, "SIOPS-TECNICO", pin_fixo(), intermediarios=[hierarquia.intermediaria]
    ) as a:
        pdf = pades.assinar_pdf(buf.getvalue(), a)
    estado = _validar_pdf(pdf, hierarquia.raiz)
    assert estado.bottom_line and estado.intact and estado.trusted


def test_homologa_com_pdf_assinado_e_pede_retransmissao(
    ambiente, a1_tecnico, a1_gestor, copia_transmissao, dados_cliente, hierarquia, constantes
):
    # o técnico transmite o 6º bimestre
    copia = copia_transmissao(BIMESTRE)
    tecnico = _cliente(ambiente.servidor.url)
    tecnico.entrar(constantes.cpf_tecnico, ambiente.senha_tecnico)
    fila = FilaOffline(dados_cliente / "fila")
    r = operacoes.transmitir_arquivo(
        copia, AssinadorA1(a1_tecnico.caminho, a1_tecnico.senha), tecnico, fila
    )
    assert r.estado == "transmitido", r.mensagem

    # o gestor vê o resumo e homologa, assinando também o demonstrativo
    gestor = _cliente(ambiente.servidor.url)
    assinador = AssinadorA1(a1_gestor.caminho, a1_gestor.senha)
    with assinador:
        prep = operacoes.preparar_homologacao(
            gestor, assinador, r.protocolo, raizes=[hierarquia.raiz]
        )
        assert "Percentual aplicado: 20,00%" in prep.resumo
        assert prep.assinante is not None and prep.assinante.nome == "TECNICA DE TESTE"
        res = operacoes.concluir_homologacao(gestor, assinador, prep, arquivo_local=copia)
    assert res.aviso == ""
    assert res.recibo_conferido is not None and res.recibo_conferido.tipo == "homologacao"
    assert res.recibo_conferido.signatario_cpf == constantes.cpf_gestor
    assert res.pdf is not None
    estado = _validar_pdf(res.pdf, hierarquia.raiz)
    assert estado.bottom_line and estado.signing_cert.subject.native["common_name"].startswith(
        "GESTOR DE TESTE"
    )
    arqs = Arquivos(copia)
    assert arqs.homologacao_xml.exists() and arqs.demonstrativo_pdf.read_bytes() == res.pdf
    assert operacoes.estado_arquivo(copia, fila).estado == "homologado"
    # o servidor guarda o PDF do gestor e o entrega a quem tem papel no ente (o certificado
    # embutido traz o CPF do gestor: nada público traz CPF, issue 17); a página pública entrega
    # o demonstrativo gerado, sem assinatura
    import requests

    assert tecnico.sessao is not None
    url = f"{ambiente.servidor.url}/api/v1/homologacoes/{r.protocolo}/demonstrativo"
    autenticado = requests.get(
        url, headers={"Authorization": f"Bearer {tecnico.sessao.token}"}, timeout=30
    )
    assert autenticado.status_code == 200 and autenticado.content == res.pdf
    pub = requests.get(f"{ambiente.servidor.url}/demonstrativos/{r.protocolo}.pdf", timeout=30)
    assert pub.status_code == 200 and pub.content.startswith(b"%PDF") and pub.content != res.pdf
    info = tecnico.situacao(r.protocolo)
    assert info["situacao"] == "homologado"
    assert operacoes.atualizar_situacao(copia, tecnico).estado == "homologado"

    # homologar de novo é recusado (409), com mensagem do servidor
    with assinador:
        prep2 = operacoes.preparar_homologacao(
            _cliente(ambiente.servidor.url), assinador, r.protocolo
        )
        with pytest.raises(RecusadoPeloServidor) as erro:
            operacoes.concluir_homologacao(
                _cliente(ambiente.servidor.url), assinador, prep2, com_pdf=False
            )
    assert erro.value.status == 409

    # pedido de retransmissão justificado e assinado
    resp = operacoes.solicitar_retransmissao(
        _cliente(ambiente.servidor.url),
        AssinadorA1(a1_gestor.caminho, a1_gestor.senha),
        "M355030",
        2025,
        BIMESTRE,
        "Erro na receita de ISS informada no bimestre; valores corrigidos pela contabilidade.",
    )
    assert resp["situacao"] == "solicitada"
