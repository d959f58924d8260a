"""Issue 21: the refusal matrix on the transmitter's side (``siopsnet``) and for the gestor's
PAdES demonstrativo, against the REAL server process.

The test hierarchy publishes its CRLs, its ACs (caIssuers) and an OCSP responder on 127.0.0.1
(``icp_teste.PublicacaoTeste``); the server trusts only the test root (no intermediate
configured) with ``revogacao: "estrita"``, its default. ``siopsnet`` runs in this process
(``transmissor.cli.executar``) with its own data folder and ``--raizes`` naming the test root
(elsewhere it trusts the official ICP-Brasil roots).

Rows (each refused with the reason in Portuguese, nothing signed or stored):

* a REVOKED técnico: ``siopsnet`` refuses before signing (lenient mode still refuses a revoked
  certificate), exit 2;
* an UNKNOWN certificate policy (S1, a sigilo policy): refused before signing, exit 2;
* a MISSING intermediate (token or .pfx with only the holder's certificate, no AIA): refused
  before signing naming the AC that is missing; ``--intermediarios`` or the AIA caIssuers URL
  complete the chain, which goes in KeyInfo, and the server (which knows no intermediate)
  accepts;
* an UNREACHABLE CRL: ``siopsnet`` warns and signs, the server refuses naming the CRL's URL;
* the gestor's PAdES demonstrativo signed with a REVOKED certificate, or one whose CRL cannot
  be had: the upload is refused (422 ``demonstrativo_nao_confere``) with the reason.
"""

from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from apoio_servidor import EXERCICIO, PKI, Caixa, Servidor, ops_demo, porta_livre
from lxml import etree

pytestmark = pytest.mark.reliability

ENTE = "M261160"  # Recife/PE
DS = "{http://www.w3.org/2000/09/xmldsig#}"
SENHA_PFX = "senha-do-pfx"


@dataclasses.dataclass
class Cenario:
    s: Servidor
    pki: PKI
    pub: Any  # icp_teste.PublicacaoTeste
    sec: Any
    tec: Any
    senha: str
    token: str


@pytest.fixture(scope="module")
def cenario(tmp_path_factory: pytest.TempPathFactory, smtp: tuple[int, Caixa]) -> Iterator[Cenario]:
    from siops.transmissor import icp_teste

    pub = icp_teste.PublicacaoTeste().iniciar()
    pasta = tmp_path_factory.mktemp("pki21t")
    hier = icp_teste.gerar_hierarquia(pasta, publicacao=pub.url)
    pub.hierarquia = hier
    pki = PKI(pasta, hier, [icp_teste.nova_chave(), icp_teste.nova_chave()])
    chefe = pki.pessoa("i21t-chefe", "Prefeito I21T")
    sec = pki.pessoa("i21t-sec", "Secretária I21T")
    tec = pki.pessoa("i21t-tec", "Técnico I21T")
    porta_smtp, caixa = smtp
    s = Servidor(tmp_path_factory.mktemp("servidor21t"), pki, porta_smtp, caixa)
    s.iniciar()
    try:
        senha = s.registrar_cadeia(ENTE, chefe, sec, tec)
        yield Cenario(s, pki, pub, sec, tec, senha, s.token(tec.cpf, senha))
    finally:
        s.parar()
        pub.parar()


@pytest.fixture
def transmissor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cenario: Cenario) -> Path:
    """The transmitter's data folder in ``tmp_path``; the técnico's passwords in the env."""
    pasta = tmp_path / "transmissor"
    monkeypatch.setenv("SIOPS_TRANSMISSOR_DADOS", str(pasta))
    monkeypatch.setenv("SIOPS_SENHA", cenario.senha)
    monkeypatch.setenv("SIOPS_SENHA_PFX", SENHA_PFX)
    return pasta


def _siopsnet(*args: object) -> tuple[int, str, str]:
    from apoio_comum import limite_de_tempo

    from siops.transmissor.cli import executar

    out, err = io.StringIO(), io.StringIO()
    with limite_de_tempo(60), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        codigo = executar([str(a) for a in args])
    assert "Traceback" not in err.getvalue()
    return codigo, out.getvalue(), err.getvalue()


def _copia(pasta: Path, bimestre: int, centavos: int = 0) -> Path:
    """A transmission copy (``…/transm/<nome>.OPS``) of the demo declaration."""
    from siops.forms.entes import ente
    from siops.ops_format import caminhos

    ops = pasta / "transm" / caminhos.nome_arquivo(ente(ENTE), EXERCICIO, bimestre)
    ops.parent.mkdir(parents=True, exist_ok=True)
    ops.write_bytes(ops_demo(ENTE, EXERCICIO, bimestre, centavos))
    return ops


def _pfx(emitido: Any, pasta: Path, cadeia: bool = True) -> Path:
    from siops.transmissor import icp_teste

    pasta.mkdir(parents=True, exist_ok=True)
    return icp_teste.gravar_pfx(
        pasta / f"{emitido.cert.serial_number}.pfx",
        emitido.chave,
        emitido.cert,
        emitido.cadeia if cadeia else (),
        senha=SENHA_PFX,
    )


def _transmitir(cen: Cenario, copia: Path, pfx: Path, *extra: object) -> tuple[int, str, str]:
    return _siopsnet(
        "transmitir", copia, "--servidor", cen.s.url, "--cpf", cen.tec.cpf, "--a1", pfx,
        "--raizes", cen.pki.raiz_pem, "--json", *extra,
    )  # fmt: skip


def _recebidas(cen: Cenario) -> int:
    return cen.s.consultar("SELECT count(*) FROM transmissoes WHERE ente=?", ENTE)[0][0]


def _keyinfo(copia: Path) -> list[str]:
    """The CNs of the certificates in the KeyInfo of the signed copy that was sent."""
    import base64

    from cryptography import x509

    from siops.transmissor.recibos import Arquivos

    raiz = etree.fromstring(Arquivos(copia).assinado.read_bytes())
    saida = []
    for el in raiz.iter(f"{DS}X509Certificate"):
        c = x509.load_der_x509_certificate(base64.b64decode("".join(el.text.split())))
        saida.append(c.subject.get_attributes_for_oid(x509.oid.NameOID.COMMON_NAME)[0].value)
    return saida


def _linha(texto: str, trecho: str) -> str:
    """The line of ``texto`` (siopsnet's stderr) that says ``trecho``, for the report."""
    return next(li.strip(" •") for li in texto.splitlines() if trecho in li)


def _nada_assinado(copia: Path) -> bool:
    from siops.transmissor.recibos import Arquivos

    return not Arquivos(copia).assinado.exists() and not Arquivos(copia).recibo_xml.exists()


def test_i21_siopsnet_tecnico_revogado_recusado_antes_de_assinar(
    cenario: Cenario, transmissor: Path, tmp_path: Path, relatorio: Any
) -> None:
    from siops.forms.tempo import data_br

    cen = cenario
    casos = 0
    antes = _recebidas(cen)
    for ocsp in (True, False):
        p = cen.pki.pessoa(f"i21t-tec-revogado-{ocsp}", cen.tec.nome, cen.tec.cpf, ocsp=ocsp)
        cen.pub.revogar(p.emitido.cert)
        copia = _copia(tmp_path / f"rev-{ocsp}", 1)
        codigo, _out, err = _transmitir(cen, copia, _pfx(p.emitido, tmp_path / "pfx"))
        assert codigo == 2, err
        quando = cen.pub.revogados["intermediaria"][-1].quando
        assert f"foi revogado em {data_br(quando)} (motivo: comprometimento da chave)" in err
        assert "Peça um novo certificado" in err
        assert _nada_assinado(copia)
        casos += 1
    assert _recebidas(cen) == antes
    relatorio(
        casos=casos,
        resumo="siopsnet com certificado revogado (OCSP e LCR): saída 2 antes de assinar — "
        f"«{_linha(err, 'foi revogado')}»; nada assinado nem enviado",
    )


def test_i21_siopsnet_politica_desconhecida_recusada(
    cenario: Cenario, transmissor: Path, tmp_path: Path, relatorio: Any
) -> None:
    from cryptography import x509

    cen = cenario
    casos = 0
    for oid in ("2.16.76.1.2.101.3", "1.3.6.1.4.1.99999.1"):  # S3 (sigilo), alheia
        p = cen.pki.pessoa(
            f"i21t-pol-{oid}", cen.tec.nome, cen.tec.cpf, politica=x509.ObjectIdentifier(oid)
        )
        copia = _copia(tmp_path / f"pol-{oid}", 2)
        codigo, _out, err = _transmitir(cen, copia, _pfx(p.emitido, tmp_path / "pfx"))
        assert codigo == 2, err
        assert "não é um certificado de assinatura da ICP-Brasil" in err, err
        assert f"a política declarada é {oid}" in err
        assert _nada_assinado(copia)
        casos += 1
    relatorio(
        casos=casos,
        resumo="siopsnet com política fora de 2.16.76.1.2.{1..4} (sigilo S3, OID alheio): saída 2 "
        f"antes de assinar — «{_linha(err, 'não é um certificado de assinatura')}»",
    )


def test_i21_siopsnet_completa_a_cadeia_e_a_manda_no_keyinfo(
    cenario: Cenario, transmissor: Path, tmp_path: Path, relatorio: Any
) -> None:
    from siops.transmissor import icp_teste

    cen = cenario
    nome_ac = "AC Intermediária de Teste"
    # only the holder's certificate in the .pfx and no AIA: the chain cannot be completed
    sem_aia = dataclasses.replace(cen.pki.hier, publicacao=None)
    e = icp_teste.emitir_ecpf(sem_aia, cen.tec.nome.upper(), cen.tec.cpf)
    pfx = _pfx(e, tmp_path / "pfx", cadeia=False)
    copia = _copia(tmp_path / "sem", 3)
    codigo, _out, err = _transmitir(cen, copia, pfx)
    assert codigo == 2, err
    assert f"falta o certificado da autoridade {nome_ac}" in err, err
    assert "ACs intermediárias" in err and _nada_assinado(copia)
    motivo = _linha(err, "falta o certificado")
    # --intermediarios: completed, sent in KeyInfo, accepted by a server that knows no AC
    codigo, _out, err = _transmitir(
        cen, copia, pfx, "--intermediarios", cen.pki.hier.intermediaria_pem
    )
    assert codigo == 0, err
    assert _keyinfo(copia) == [f"{cen.tec.nome.upper()}:{cen.tec.cpf}", nome_ac]
    # the AIA caIssuers URL: fetched by siopsnet itself
    e2 = icp_teste.emitir_ecpf(cen.pki.hier, cen.tec.nome.upper(), cen.tec.cpf)
    copia2 = _copia(tmp_path / "aia", 4)
    antes = cen.pub.pedidos.get("/ac/intermediaria.cer", 0)
    codigo, _out, err = _transmitir(cen, copia2, _pfx(e2, tmp_path / "pfx", cadeia=False))
    assert codigo == 0, err
    assert cen.pub.pedidos["/ac/intermediaria.cer"] > antes
    assert _keyinfo(copia2) == [f"{cen.tec.nome.upper()}:{cen.tec.cpf}", nome_ac]
    relatorio(
        casos=3,
        resumo="siopsnet com .pfx só do titular e sem AIA: saída 2 antes de assinar — "
        f"«{motivo}»; com --intermediarios ou pelo caIssuers do AIA a cadeia vai no KeyInfo e o "
        "servidor (sem intermediárias configuradas) aceita",
    )


def test_i21_siopsnet_lcr_inalcancavel_avisa_e_servidor_recusa(
    cenario: Cenario, transmissor: Path, tmp_path: Path, relatorio: Any
) -> None:
    from siops.transmissor import icp_teste

    cen = cenario
    fora = f"http://127.0.0.1:{porta_livre()}"  # nobody listens there
    e = icp_teste.emitir_ecpf(
        dataclasses.replace(cen.pki.hier, publicacao=fora), cen.tec.nome.upper(), cen.tec.cpf
    )
    copia = _copia(tmp_path / "fora", 5)
    codigo, _out, err = _transmitir(cen, copia, _pfx(e, tmp_path / "pfx"))
    assert codigo == 1, err  # signed and sent; refused by the server
    aviso = err.index("a assinatura seguirá e o servidor fará essa conferência")
    recusa = err.index(f"foi revogado: não foi possível obter a LCR de {fora}/lcr/")
    assert aviso < recusa, err
    relatorio(
        casos=1,
        resumo="LCR e OCSP fora do ar: siopsnet avisa e assina (modo brando) — "
        f"«{_linha(err, 'o servidor fará essa conferência')}»; o servidor recusa (estrito) e "
        f"siopsnet sai 1 — «{_linha(err, 'foi revogado: não foi possível obter')}»",
    )


def _pdf_assinado(emitido: Any) -> bytes:
    from reportlab.pdfgen import canvas

    from siops.assinatura.assinador import AssinadorChave
    from siops.transmissor import pades

    saida = io.BytesIO()
    c = canvas.Canvas(saida)
    c.drawString(72, 720, "RREO Anexo 12 - demonstrativo homologado")
    c.save()
    return pades.assinar_pdf(
        saida.getvalue(), AssinadorChave(emitido.chave, emitido.cert, emitido.cadeia)
    )


def _enviar_demonstrativo(cen: Cenario, bimestre: int, emitido: Any) -> str:
    """Transmits, homologates announcing a PDF signed by ``emitido`` (the gestora's CPF) and
    uploads it; returns the refusal's reason (asserting the 422)."""
    t = cen.s.transmitir(cen.token, cen.tec.assinar(ops_demo(ENTE, EXERCICIO, bimestre)))
    assert t.status_code == 201, t.text
    pdf = _pdf_assinado(emitido)
    h = cen.s.homologar(cen.sec, t.json(), DigestDemonstrativo=hashlib.sha256(pdf).hexdigest())
    assert h.status_code in (200, 201), h.text
    r = cen.s.http.put(
        f"{cen.s.url}/api/v1/homologacoes/{t.json()['protocolo']}/demonstrativo",
        data=pdf,
        headers={"Content-Type": "application/pdf"},
        timeout=60,
    )
    assert r.status_code == 422, r.text
    corpo = r.json()
    assert corpo["codigo"] == "demonstrativo_nao_confere", corpo
    return " ".join(corpo["motivos"])


def test_i21_demonstrativo_pades_revogado_ou_sem_lcr_recusado(
    cenario: Cenario, relatorio: Any
) -> None:
    from siops.transmissor import icp_teste

    cen = cenario
    nome = cen.sec.nome.upper()
    revogada = cen.pki.pessoa("i21t-sec-revogada", cen.sec.nome, cen.sec.cpf, ocsp=True)
    cen.pub.revogar(revogada.emitido.cert)
    revogado = _enviar_demonstrativo(cen, 6, revogada.emitido)
    assert f"O certificado de {nome} foi revogado em" in revogado, revogado
    fora = f"http://127.0.0.1:{porta_livre()}"
    sem_lcr = icp_teste.emitir_ecpf(
        dataclasses.replace(cen.pki.hier, publicacao=fora), nome, cen.sec.cpf
    )
    motivo = _enviar_demonstrativo(cen, 1, sem_lcr)
    assert f"não foi possível obter a LCR de {fora}/lcr/intermediaria.crl" in motivo, motivo
    relatorio(
        casos=2,
        resumo="demonstrativo PAdES com a mesma política de revogação das homologações: "
        f"assinado com certificado revogado, 422 demonstrativo_nao_confere — «{revogado}»; "
        f"com a LCR inalcançável, 422 — «{motivo}»",
    )
