"""A cadeia de cadastro (DOMAIN §2, seeds): quem cadastra quem, o que um novo secretário ou um
novo chefe anula, o chefe que não pode ser secretário, o secretário que pode ser técnico, a
senha por e-mail, "esqueceu a senha", o bloqueio após 5 senhas erradas."""

from __future__ import annotations

import time

import pytest
import requests

ENTE = "M330455"  # Rio de Janeiro/RJ


@pytest.fixture(scope="module")
def rio(servidor, pki):
    chefe = pki.pessoa("chefe-rj", "Prefeito do Rio")
    sec = pki.pessoa("sec-rj", "Secretário do Rio")
    tec = pki.pessoa("tec-rj", "Técnica do Rio")
    senha = servidor.registrar_cadeia(ENTE, chefe, sec, tec)
    return {"chefe": chefe, "sec": sec, "tec": tec, "senha": senha}


def test_quem_pode_cadastrar_quem(servidor, pki, rio):
    chefe, sec, tec = rio["chefe"], rio["sec"], rio["tec"]
    outro = pki.pessoa("outro-rj", "Outra Pessoa")
    # o chefe não cadastra técnico; o secretário não cadastra secretário; o técnico ninguém
    for por, papel in (
        (chefe, "tecnico"),
        (sec, "secretario"),
        (sec, "substituto_chefe"),
        (tec, "tecnico"),
    ):
        r = servidor.cadastrar(por, ENTE, papel, outro)
        assert r.status_code == 403, (papel, r.text)
        assert r.json()["codigo"] == "cadastrante_sem_permissao"
        assert "não pode cadastrar" in r.json()["erro"]
    # ninguém cadastra chefe pela API (vem do TSE, pelo administrador)
    r = servidor.cadastrar(chefe, ENTE, "chefe", outro)
    assert r.status_code == 403
    # quem não é do ente não cadastra nada nele
    r = servidor.cadastrar(pki.pessoa("chefe-sp"), ENTE, "secretario", outro)
    assert r.status_code == 403 and "não tem cadastro ativo nesse ente" in r.json()["motivos"][0]


def test_chefe_nao_pode_ser_secretario(servidor, rio):
    chefe = rio["chefe"]
    for papel in ("secretario", "substituto_secretario"):
        r = servidor.cadastrar(chefe, ENTE, papel, chefe)
        assert r.status_code == 422
        assert r.json()["codigo"] == "chefe_nao_pode_ser_secretario"
        assert "não pode ser também o secretário" in r.json()["erro"]


def test_documento_de_cadastro_nao_vale_duas_vezes(servidor, pki, rio, doc):
    sub = pki.pessoa("subsec-rj", "Substituta do Secretário")
    corpo = rio["chefe"].assinar(
        doc(
            "Cadastro",
            {
                "Ente": ENTE,
                "Papel": "substituto_secretario",
                "Nome": sub.nome,
                "CPF": sub.cpf,
                "Email": sub.email,
            },
        )
    )
    assert servidor.post_xml("/api/v1/cadastros", corpo).status_code == 201
    r = servidor.post_xml("/api/v1/cadastros", corpo)
    assert r.status_code == 409 and r.json()["codigo"] == "documento_reutilizado"


def test_senha_errada_e_bloqueio(servidor, rio):
    tec = rio["tec"]
    for i in range(4):
        r = servidor.login(tec.cpf, f"errada-{i}")
        assert r.status_code == 401 and r.json()["erro"] == "CPF ou senha incorretos."
    r = servidor.login(tec.cpf, "errada-5")
    assert r.status_code == 423
    assert "Tente novamente após" in r.json()["erro"]
    assert int(r.headers["Retry-After"]) >= 1
    # bloqueado: nem a senha certa entra
    r = servidor.login(tec.cpf, rio["senha"])
    assert r.status_code == 423 and r.json()["codigo"] == "conta_bloqueada"
    # o servidor de teste bloqueia por 3 s (servidor.json); depois a senha certa entra
    time.sleep(int(r.headers["Retry-After"]) + 0.5)
    assert servidor.login(tec.cpf, rio["senha"]).status_code == 201


def test_esqueceu_a_senha(servidor, rio):
    tec = rio["tec"]
    antes = len(servidor.caixa.mensagens)
    r = requests.post(f"{servidor.url}/api/v1/senhas/esqueci", json={"cpf": tec.cpf}, timeout=30)
    assert r.status_code == 202
    nova = servidor.caixa.senha_de(tec.cpf, antes)
    assert nova != rio["senha"]
    # o pedido é anônimo: a senha atual vale até a nova ser usada (issue 17, item 5)
    assert servidor.login(tec.cpf, nova).status_code == 201
    assert servidor.login(tec.cpf, rio["senha"]).status_code == 401
    rio["senha"] = nova
    # mesma resposta para CPF sem cadastro (não revela quem existe)
    r = requests.post(
        f"{servidor.url}/api/v1/senhas/esqueci", json={"cpf": "11144477735"}, timeout=30
    )
    assert r.status_code == 202


def test_secretario_pode_ser_tambem_tecnico(servidor, rio):
    sec = rio["sec"]
    antes = len(servidor.caixa.mensagens)
    r = servidor.cadastrar(sec, ENTE, "tecnico", sec)
    assert r.status_code == 201, r.text
    senha = servidor.caixa.senha_de(sec.cpf, antes)
    r = servidor.login(sec.cpf, senha)
    assert r.status_code == 201
    papeis = {(p["ente"], p["papel"]) for p in r.json()["usuario"]["papeis"]}
    assert {(ENTE, "secretario"), (ENTE, "tecnico")} <= papeis
    # e o técnico anterior deixou de ser técnico (um por ente)
    r = servidor.login(rio["tec"].cpf, rio["senha"])
    assert r.status_code == 403 and r.json()["codigo"] == "nao_cadastrado"
    # devolve o papel à técnica
    antes = len(servidor.caixa.mensagens)
    assert servidor.cadastrar(sec, ENTE, "tecnico", rio["tec"]).status_code == 201
    rio["senha"] = servidor.caixa.senha_de(rio["tec"].cpf, antes)


def test_novo_secretario_anula_o_tecnico(servidor, pki, rio, decl):
    tec = rio["tec"]
    token = servidor.token(tec.cpf, rio["senha"])
    novo = pki.pessoa("sec2-rj", "Novo Secretário do Rio")
    r = servidor.cadastrar(rio["chefe"], ENTE, "secretario", novo)
    assert r.status_code == 201
    anulados = {(a["papel"], a["cpf"]) for a in r.json()["anulados"]}
    assert ("tecnico", tec.cpf) in anulados and ("secretario", rio["sec"].cpf) in anulados
    # a sessão do técnico caiu, e ele não entra mais
    r = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=1)))
    assert r.status_code == 401 and r.json()["codigo"] == "token_invalido"
    r = servidor.login(tec.cpf, rio["senha"])
    assert r.status_code == 403 and "cadastrado de novo" in r.json()["motivos"][0]
    # o secretário antigo não cadastra mais
    r = servidor.cadastrar(rio["sec"], ENTE, "tecnico", tec)
    assert r.status_code == 403
    # o novo secretário cadastra a mesma pessoa de novo: senha nova por e-mail
    antes = len(servidor.caixa.mensagens)
    assert servidor.cadastrar(novo, ENTE, "tecnico", tec).status_code == 201
    senha = servidor.caixa.senha_de(tec.cpf, antes)
    token = servidor.token(tec.cpf, senha)
    r = servidor.transmitir(token, tec.assinar(decl(ENTE, bimestre=1)))
    assert r.status_code == 201, r.text
    rio.update(sec=novo, senha=senha)


def test_novo_chefe_anula_toda_a_cadeia(servidor, pki, rio):
    tec, sec = rio["tec"], rio["sec"]
    novo_chefe = pki.pessoa("chefe2-rj", "Nova Prefeita do Rio")
    r = servidor.admin(
        "cadastrar-chefe", "--ente", ENTE, "--nome", novo_chefe.nome, "--cpf", novo_chefe.cpf
    )
    assert r.returncode == 0, r.stderr
    assert "anulado" in r.stderr
    # o secretário e o técnico deixaram de valer até a nova cadeia ser cadastrada
    assert servidor.login(tec.cpf, rio["senha"]).status_code == 403
    outro = pki.pessoa("outro-rj")
    r = servidor.cadastrar(sec, ENTE, "tecnico", outro)
    assert r.status_code == 403
    r = servidor.cadastrar(rio["chefe"], ENTE, "secretario", outro)
    assert r.status_code == 403  # o chefe antigo também
    # a nova cadeia
    assert servidor.cadastrar(novo_chefe, ENTE, "secretario", sec).status_code == 201
    antes = len(servidor.caixa.mensagens)
    assert servidor.cadastrar(sec, ENTE, "tecnico", tec).status_code == 201
    assert servidor.login(tec.cpf, servidor.caixa.senha_de(tec.cpf, antes)).status_code == 201
    r = requests.get(f"{servidor.url}/api/v1/entes/{ENTE}/cadastros", timeout=10)
    assert r.status_code == 401


def test_sessao_de_gestor_por_certificado(servidor, pki, rio, doc):
    pedido = rio["sec"].assinar(doc("PedidoSessao", {}))
    r = servidor.post_xml("/api/v1/sessoes/certificado", pedido)
    assert r.status_code == 201, r.text
    token = r.json()["token"]
    # o mesmo pedido assinado não abre outra sessão
    r = servidor.post_xml("/api/v1/sessoes/certificado", pedido)
    assert r.status_code == 409 and r.json()["codigo"] == "documento_reutilizado"
    r = requests.get(
        f"{servidor.url}/api/v1/entes/{ENTE}/cadastros",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )
    assert r.status_code == 200
    # as regras de acesso do SIOPS (issue 22): o secretário vê o próprio cadastro e o do
    # técnico, não o do chefe do Executivo
    papeis = {a["papel"] for a in r.json()["ativos"]}
    assert papeis == {"secretario", "tecnico"}
    assert r.json()["pode_cadastrar"] == [
        {"papel": "tecnico", "nome_papel": "técnico responsável pelo envio"}
    ]
    # quem não tem cadastro não abre sessão
    r = servidor.post_xml(
        "/api/v1/sessoes/certificado", pki.pessoa("ninguem").assinar(doc("PedidoSessao", {}))
    )
    assert r.status_code == 403 and r.json()["codigo"] == "nao_cadastrado"


def test_secretario_sem_email_cadastra_a_si_mesmo_como_tecnico(servidor, pki):
    """A identidade muda pela própria pessoa: a secretária cadastrada pelo chefe sem e-mail
    (o e-mail é opcional para gestores) cadastra a si mesma como técnica, informando o seu
    e-mail — ela é a dona da identidade, então o e-mail é registrado e a senha vai para ele
    (não é "identidade preservada" nem 409 ``sem_email_cadastrado``)."""
    ente = "M310620"  # Belo Horizonte/MG
    chefe = pki.pessoa("chefe-bh", "Prefeito de BH")
    sec = pki.pessoa("sec-bh", "Secretária de BH")
    r = servidor.admin("cadastrar-chefe", "--ente", ente, "--nome", chefe.nome, "--cpf", chefe.cpf)
    assert r.returncode == 0, r.stderr
    sem_email = type(sec)(sec.nome, sec.cpf, "", sec.emitido)
    assert servidor.cadastrar(chefe, ente, "secretario", sem_email).status_code == 201
    antes = len(servidor.caixa.mensagens)
    r = servidor.cadastrar(sec, ente, "tecnico", sec)
    assert r.status_code == 201, r.text
    assert r.json()["senha_enviada"] is True and "avisos" not in r.json()
    senha = servidor.caixa.senha_de(sec.cpf, antes)
    assert servidor.login(sec.cpf, senha).status_code == 201
