"""Fatos ICP-Brasil e validação de vigência e cadeia (transmissor.certificados)."""

from __future__ import annotations

import datetime as dt

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes

from siops.assinatura import certificados as c
from siops.forms import tempo
from siops.transmissor import icp_teste


def test_fatos_do_ecpf(a1_tecnico, constantes):
    f = c.fatos(a1_tecnico.emitido.cert)
    assert f.nome == "TECNICA DE TESTE"
    assert f.cpf == constantes.cpf_tecnico
    assert f.cnpj is None
    assert f.tipo == "e-CPF"
    assert f.nascimento == dt.date(1980, 1, 15)
    assert f.emissor == "AC Intermediária de Teste"
    assert "CPF 529.982.247-25" in f.descricao


def test_other_name_cpf_vai_como_octet_string_dentro_do_zero_explicito(a1_tecnico):
    """O DER do SAN traz [0] EXPLICIT { OCTET STRING "DDMMAAAA" + CPF + ... } sob 2.16.76.1.3.1."""
    san = a1_tecnico.emitido.cert.extensions.get_extension_for_class(x509.SubjectAlternativeName)
    outros = san.value.get_values_for_type(x509.OtherName)
    assert [o.type_id.dotted_string for o in outros] == ["2.16.76.1.3.1"]
    valor = outros[0].value
    assert valor[0] == 0x04  # OCTET STRING
    texto = c.texto_other_name(valor)
    assert texto.startswith("15011980" + "52998224725")
    assert len(texto) == 8 + 11 + 11 + 15 + len("SSP-SP")
    # no DER da extensão: OtherName ::= SEQUENCE { OID, [0] EXPLICIT OCTET STRING }
    der = san.value.public_bytes()
    oid = bytes.fromhex("0605604c010301")  # OID 2.16.76.1.3.1
    depois = der[der.index(oid) + len(oid) :]
    assert depois[0] == 0xA0 and depois[2] == 0x04


@pytest.mark.parametrize("tag", [0x13, 0x0C, 0x16])
def test_other_name_aceita_printable_utf8_ia5(tag):
    texto = "150119805299822472500000000000"
    dados = texto.encode()
    assert c.texto_other_name(bytes([tag, len(dados)]) + dados) == texto
    # com o [0] explícito que alguns leitores deixam
    interno = bytes([tag, len(dados)]) + dados
    assert c.texto_other_name(bytes([0xA0, len(interno)]) + interno) == texto


def test_fatos_do_ecnpj_usam_o_responsavel(hierarquia):
    e = icp_teste.emitir_ecnpj(
        hierarquia, "PREFEITURA DE TESTE", "11222333000181", "ANA RESPONSAVEL", "11144477735"
    )
    f = c.fatos(e.cert)
    assert f.nome == "ANA RESPONSAVEL"
    assert f.razao_social == "PREFEITURA DE TESTE"
    assert f.cpf == "11144477735"
    assert f.cnpj == "11222333000181"
    assert f.tipo == "e-CNPJ"


def test_digitos_verificadores():
    assert c.cpf_valido("529.982.247-25")
    assert c.cpf_valido("11144477735")
    assert not c.cpf_valido("52998224724")
    assert not c.cpf_valido("11111111111")
    assert not c.cpf_valido("123")
    assert c.cnpj_valido("11.222.333/0001-81")
    assert not c.cnpj_valido("11222333000182")
    assert c.formatar_cpf("52998224725") == "529.982.247-25"


def test_cpf_adulterado_no_certificado_e_recusado(hierarquia):
    e = icp_teste.emitir_ecpf(hierarquia, "FULANO", "52998224724")
    with pytest.raises(c.CertificadoInvalido, match="CPF inválido"):
        c.fatos(e.cert)


def test_cadeia_valida(hierarquia, a1_tecnico):
    cadeia = c.validar_cadeia(
        a1_tecnico.emitido.cert, [hierarquia.intermediaria], [hierarquia.raiz]
    )
    assert [c._cn(x.subject) for x in cadeia[1:]] == [
        "AC Intermediária de Teste",
        "AC Raiz de Teste ICP-Brasil",
    ]


def test_vencido_diz_a_data(hierarquia, a1_vencido):
    cert = a1_vencido.emitido.cert
    esperado = cert.not_valid_after_utc.astimezone(tempo.BRASILIA).strftime("%d/%m/%Y")
    with pytest.raises(c.CertificadoInvalido) as erro:
        c.validar_cadeia(cert, [hierarquia.intermediaria], [hierarquia.raiz])
    assert str(erro.value) == f"O certificado de TECNICA DE TESTE venceu em {esperado}."


def test_ainda_nao_valido(hierarquia):
    e = icp_teste.emitir_ecpf(
        hierarquia, "FUTURO", "52998224725", inicio=dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    )
    with pytest.raises(c.CertificadoInvalido, match="só passa a valer em"):
        c.validar_vigencia(e.cert)


def test_emissor_nao_confiavel(hierarquia):
    estranha = icp_teste.emitir_ac_estranha()
    e = icp_teste.emitir_ecpf(hierarquia, "FULANO", "52998224725", emissor=estranha)
    with pytest.raises(
        c.CertificadoInvalido, match="não foi emitido por uma Autoridade Certificadora confiável"
    ):
        c.validar_cadeia(e.cert, [hierarquia.intermediaria, estranha[0]], [hierarquia.raiz])


def test_sem_intermediaria_nao_fecha_a_cadeia(hierarquia, a1_tecnico):
    with pytest.raises(c.CertificadoInvalido, match="confiável"):
        c.validar_cadeia(a1_tecnico.emitido.cert, [], [hierarquia.raiz])


def test_titular_nao_pode_emitir_certificados(hierarquia, a1_tecnico):
    """Um e-CPF (CA:FALSE) usado como AC não forma cadeia."""
    e = icp_teste.emitir_ecpf(
        hierarquia,
        "FALSO",
        "52998224725",
        emissor=(a1_tecnico.emitido.cert, a1_tecnico.emitido.chave),
    )
    with pytest.raises(c.CertificadoInvalido):
        c.validar_cadeia(
            e.cert, [hierarquia.intermediaria, a1_tecnico.emitido.cert], [hierarquia.raiz]
        )


def test_intermediaria_vencida_e_nomeada(hierarquia):
    # uma intermediária que venceu ontem, emitida pela raiz de teste
    chave = icp_teste.nova_chave()
    agora = dt.datetime.now(dt.UTC)
    inter = (
        x509.CertificateBuilder()
        .subject_name(icp_teste._nome("AC Vencida de Teste"))
        .issuer_name(hierarquia.raiz.subject)
        .public_key(chave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(agora - dt.timedelta(days=30))
        .not_valid_after(agora - dt.timedelta(days=1))
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .sign(hierarquia.raiz_chave, hashes.SHA256())
    )
    e = icp_teste.emitir_ecpf(
        hierarquia,
        "FULANO",
        "52998224725",
        inicio=agora - dt.timedelta(days=10),
        emissor=(inter, chave),
    )
    with pytest.raises(c.CertificadoInvalido, match=r"autoridade AC Vencida de Teste.*venceu em"):
        c.validar_cadeia(e.cert, [inter], [hierarquia.raiz])


def test_uso_de_chave_sem_assinatura_e_recusado(hierarquia):
    chave = icp_teste.nova_chave()
    cert = (
        x509.CertificateBuilder()
        .subject_name(icp_teste._nome("SO CIFRA:52998224725"))
        .issuer_name(hierarquia.intermediaria.subject)
        .public_key(chave.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(dt.datetime.now(dt.UTC) - dt.timedelta(days=1))
        .not_valid_after(dt.datetime.now(dt.UTC) + dt.timedelta(days=10))
        .add_extension(
            x509.KeyUsage(False, False, True, False, False, False, False, False, False),
            critical=True,
        )
        .sign(hierarquia.intermediaria_chave, hashes.SHA256())
    )
    with pytest.raises(c.CertificadoInvalido, match="não serve para assinar"):
        c.validar_cadeia(cert, [hierarquia.intermediaria], [hierarquia.raiz])


def test_cpf_de_outra_pessoa(a1_outro, constantes):
    with pytest.raises(c.CertificadoInvalido) as erro:
        c.exigir_cpf(a1_outro.emitido.cert, constantes.cpf_tecnico)
    assert str(erro.value) == (
        "O certificado escolhido é de OUTRA PESSOA (CPF 390.533.447-05), não do usuário cadastrado "
        "(CPF 529.982.247-25). Escolha o seu próprio certificado."
    )
    assert c.exigir_cpf(a1_outro.emitido.cert, "390.533.447-05").nome == "OUTRA PESSOA"


def test_certificado_de_servidor_sem_cpf(hierarquia):
    s = icp_teste.emitir_servidor(hierarquia)
    assert c.fatos(s.cert).cpf is None
    with pytest.raises(c.CertificadoInvalido, match="não traz CPF"):
        c.exigir_cpf(s.cert, "52998224725")
    assert len(c.validar_cadeia(s.cert, [hierarquia.intermediaria], [hierarquia.raiz])) == 3


def test_hierarquia_reutilizada_da_pasta(hierarquia):
    de_novo = icp_teste.gerar_hierarquia(hierarquia.pasta)
    assert de_novo.raiz == hierarquia.raiz
    assert de_novo.intermediaria == hierarquia.intermediaria
