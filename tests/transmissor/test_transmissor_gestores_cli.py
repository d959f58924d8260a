"""Módulo de Gestores pela linha de comando (issue 22): a cadeia inteira contra o servidor real.

O prefeito cadastra a secretária; ela cadastra a técnica, que recebe a senha no SMTP de teste e
entra; cada um vê só o que as regras de acesso do SIOPS lhe dão; as recusas dizem o que fazer;
o contato muda sem senha nova; "esqueceu a senha" manda a senha nova ao e-mail novo; a
retransmissão é pedida e acompanhada até a autorização; uma nova secretária anula a técnica, cuja
sessão passa a ser recusada até a nova secretária cadastrá-la de novo.
"""

from __future__ import annotations

import json

import pytest

from siops.transmissor import cli
from tests.transmissor import gestores_ambiente as ga
from tests.transmissor.gestores_ambiente import ENTE, OUTRO_ENTE, SENHA_PFX

pessoas = ga.pessoas  # as fixtures do ambiente dos gestores
servidor_gestores = ga.servidor_gestores
copia_cheia = ga.copia_cheia


@pytest.fixture
def env(monkeypatch, dados_cliente):
    monkeypatch.setenv(cli.ENV_SENHA_PFX, SENHA_PFX)
    return monkeypatch


def _rodar(capsys, *args: str) -> tuple[int, str, str]:
    codigo = cli.executar(list(args))
    saida = capsys.readouterr()
    assert "Traceback" not in saida.err
    return codigo, saida.out, saida.err


def _json(capsys, *args: str) -> dict:
    codigo, out, err = _rodar(capsys, *args, "--json")
    assert codigo == 0, err
    return json.loads(out)


def test_cadeia_completa_pela_linha_de_comando(
    servidor_gestores,
    pessoas,
    env,
    capsys,
    copia_cheia,
):
    s, p = servidor_gestores, pessoas
    url = ["--servidor", s.url]

    def a1(pessoa):
        return ["--a1", str(pessoa.pfx), *url]

    # 1. o prefeito cadastra a secretária (com telefone)
    r = _json(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "secretario",
        "--nome",
        p.sec1.nome,
        "--cpf",
        p.sec1.cpf,
        "--email",
        p.sec1.email,
        "--telefone",
        "12 3333-4444",
        *a1(p.prefeito),
    )
    assert (r["papel"], r["cpf"], r["situacao"]) == ("secretario", p.sec1.cpf, "ativo")

    # 2. a secretária cadastra a técnica, que recebe a senha por e-mail e entra (transmite)
    marca = s.caixa.marca()
    r = _json(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "tecnico",
        "--nome",
        p.tecnico.nome,
        "--cpf",
        p.tecnico.cpf,
        "--email",
        p.tecnico.email,
        *a1(p.sec1),
    )
    assert r["senha_enviada"] is True
    senha = s.caixa.senha_de(p.tecnico.cpf, marca, para=p.tecnico.email)
    env.setenv(cli.ENV_SENHA, senha)
    copia = copia_cheia(1)
    codigo, out, err = _rodar(
        capsys, "transmitir", str(copia), "--cpf", p.tecnico.cpf, *a1(p.tecnico), "--json"
    )
    assert codigo == 0, err
    protocolo = json.loads(out)[0]["protocolo"]

    # 3. as regras de acesso: o prefeito vê a si e a secretária (não a técnica)...
    q = _json(capsys, "cadastros", "--ente", ENTE, *a1(p.prefeito))
    assert {(a["papel"], a["cpf"]) for a in q["ativos"]} == {
        ("chefe", p.prefeito.cpf),
        ("secretario", p.sec1.cpf),
    }
    assert {c["papel"] for c in q["pode_cadastrar"]} == {
        "substituto_chefe",
        "secretario",
        "substituto_secretario",
    }
    sec = next(a for a in q["ativos"] if a["papel"] == "secretario")
    assert (sec["email"], sec["telefone"]) == (p.sec1.email, "12 3333-4444")
    # ... e a secretária vê a si e a técnica (não o prefeito)
    q = _json(capsys, "cadastros", "--ente", ENTE, *a1(p.sec1))
    assert {(a["papel"], a["cpf"]) for a in q["ativos"]} == {
        ("secretario", p.sec1.cpf),
        ("tecnico", p.tecnico.cpf),
    }
    assert [c["papel"] for c in q["pode_cadastrar"]] == ["tecnico"]
    # o texto (sem --json) nomeia os papéis em português
    codigo, out, _err = _rodar(capsys, "cadastros", "--ente", ENTE, *a1(p.sec1))
    assert codigo == 0 and "técnico responsável pelo envio" in out and p.tecnico.nome in out

    # 4. cada recusa diz o que fazer
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", ENTE, *a1(p.ninguem))
    assert codigo == 1 and "não tem cadastro ativo" in err and "Peça o cadastro" in err
    codigo, _o, err = _rodar(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "secretario",
        "--nome",
        p.tecnico2.nome,
        "--cpf",
        p.tecnico2.cpf,
        "--email",
        p.tecnico2.email,
        *a1(p.sec1),
    )
    assert codigo == 1 and "não pode cadastrar" in err and "chefe do Poder Executivo" in err
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", OUTRO_ENTE, *a1(p.sec1))
    assert codigo == 1 and "não tem acesso aos cadastros" in err and "Confira o código" in err
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", ENTE, *a1(p.sec1_vencido))
    assert codigo == 1 and "venceu" in err and "renove" in err
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", ENTE, *a1(p.tecnico))
    assert codigo == 1 and "não tem acesso" in err

    # 5. a secretária homologa, pede a retransmissão e a acompanha até a autorização
    codigo, _o, err = _rodar(capsys, "homologar", str(copia), "--sim", "--sem-pdf", *a1(p.sec1))
    assert codigo == 0, err
    r = _json(
        capsys,
        "solicitar-retransmissao",
        str(copia),
        "--justificativa",
        "A receita de ISS do bimestre foi lançada em dobro.",
        *a1(p.sec1),
    )
    ident = str(r["id"])
    r = _json(capsys, "retransmissao", ident, *a1(p.sec1))
    assert r["situacao"] == "solicitada"
    s.admin("autorizar-retransmissao", ident)
    codigo, out, err = _rodar(capsys, "retransmissao", ident, *a1(p.sec1))
    assert codigo == 0 and "autorizada" in out, err

    # 6. ALTERAR: o e-mail da técnica muda sem senha nova; o endereço antigo é avisado;
    #    "esqueceu a senha" manda a senha nova ao endereço novo
    novo = "tecnica.nova@saude.exemplo.gov.br"
    marca = s.caixa.marca()
    r = _json(
        capsys,
        "alterar-contato",
        "--ente",
        ENTE,
        "--papel",
        "tecnico",
        "--cpf",
        p.tecnico.cpf,
        "--email",
        novo,
        "--telefone",
        "12 9999-0000",
        *a1(p.sec1),
    )
    assert (r["email"], r["telefone"]) == (novo, "12 9999-0000")
    s.caixa.esperar(marca, lambda m: p.tecnico.email in m[0] and novo in m[1])
    codigo, _o, err = _rodar(
        capsys, "situacao", "--protocolo", protocolo, "--cpf", p.tecnico.cpf, *url
    )
    assert codigo == 0, err  # a senha de antes continua valendo
    marca = s.caixa.marca()
    codigo, _o, err = _rodar(capsys, "esqueci-senha", "--cpf", p.tecnico.cpf, *url)
    assert codigo == 0 and "e-mail cadastrado" in err
    senha = s.caixa.senha_de(p.tecnico.cpf, marca, para=novo)
    env.setenv(cli.ENV_SENHA, senha)
    codigo, _o, err = _rodar(
        capsys, "situacao", "--protocolo", protocolo, "--cpf", p.tecnico.cpf, *url
    )
    assert codigo == 0, err

    # 7. uma nova secretária: a anterior e a técnica perdem o acesso
    r = _json(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "secretario",
        "--nome",
        p.sec2.nome,
        "--cpf",
        p.sec2.cpf,
        "--email",
        p.sec2.email,
        *a1(p.prefeito),
    )
    assert {(x["papel"], x["cpf"]) for x in r["anulados"]} == {
        ("secretario", p.sec1.cpf),
        ("tecnico", p.tecnico.cpf),
    }
    codigo, _o, err = _rodar(
        capsys, "situacao", "--protocolo", protocolo, "--cpf", p.tecnico.cpf, *url
    )
    assert codigo == 1 and "não está ativo" in err and "cadastrado de novo" in err
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", ENTE, *a1(p.sec1))
    assert codigo == 1 and "substituído" in err
    # a nova secretária cadastra a técnica de novo: senha nova por e-mail, e ela entra
    marca = s.caixa.marca()
    _json(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "tecnico",
        "--nome",
        p.tecnico.nome,
        "--cpf",
        p.tecnico.cpf,
        "--email",
        novo,
        *a1(p.sec2),
    )
    env.setenv(cli.ENV_SENHA, s.caixa.senha_de(p.tecnico.cpf, marca, para=novo))
    codigo, _o, err = _rodar(
        capsys, "situacao", "--protocolo", protocolo, "--cpf", p.tecnico.cpf, *url
    )
    assert codigo == 0, err


def test_entrada_invalida_sai_2_sem_rede(env, capsys, pessoas):
    # CPF inválido e e-mail inválido: recusados antes de pedir a senha do certificado
    base = ["--servidor", "http://127.0.0.1:9", "--a1", str(pessoas.sec1.pfx)]
    codigo, _o, err = _rodar(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "tecnico",
        "--nome",
        "Fulano",
        "--cpf",
        "123.456.789-00",
        "--email",
        "f@x.gov.br",
        *base,
    )
    assert codigo == 2 and "CPF" in err
    codigo, _o, err = _rodar(
        capsys,
        "cadastrar",
        "--ente",
        ENTE,
        "--papel",
        "tecnico",
        "--nome",
        "Fulano",
        "--cpf",
        pessoas.tecnico2.cpf,
        "--email",
        "sem-arroba",
        *base,
    )
    assert codigo == 2 and "e-mail" in err
    codigo, _o, err = _rodar(capsys, "esqueci-senha", "--cpf", "1234", *base[:2])
    assert codigo == 2 and "CPF" in err
    codigo, _o, err = _rodar(capsys, "cadastros", "--ente", "X99", *base)
    assert codigo == 2 and "ente" in err.lower()


def test_suporte_desbloqueia_o_tecnico(servidor_gestores, pessoas, capsys):
    """Cinco senhas erradas bloqueiam o técnico; ``siops-servidor admin desbloquear`` o libera
    (sem mudar a senha), e a ajuda dos comandos de administração está em português."""
    import subprocess
    import sys

    from siops.assinatura.assinador import AssinadorA1
    from siops.transmissor import gestores
    from siops.transmissor.cliente import ClienteSIOPS, ConfigRede, RecusadoPeloServidor

    s, p = servidor_gestores, pessoas
    cliente = ClienteSIOPS(ConfigRede(s.url, tentativas=1))
    with AssinadorA1(p.prefeito.pfx, SENHA_PFX) as a:
        gestores.cadastrar(cliente, a, ENTE, "secretario", p.sec1.nome, p.sec1.cpf, p.sec1.email)
    marca = s.caixa.marca()
    with AssinadorA1(p.sec1.pfx, SENHA_PFX) as a:
        gestores.cadastrar(
            cliente, a, ENTE, "tecnico", p.tecnico.nome, p.tecnico.cpf, p.tecnico.email
        )
    senha = s.caixa.senha_de(p.tecnico.cpf, marca)
    for _ in range(5):
        with pytest.raises(RecusadoPeloServidor):
            cliente.entrar(p.tecnico.cpf, "senha-errada-123")
    with pytest.raises(RecusadoPeloServidor) as exc:
        cliente.entrar(p.tecnico.cpf, senha)
    assert exc.value.codigo == "conta_bloqueada"
    s.admin("desbloquear", "--cpf", p.tecnico.cpf)
    assert cliente.entrar(p.tecnico.cpf, senha).cpf == p.tecnico.cpf
    for comando in ("desbloquear", "cadastrar-chefe", "listar-cadastros"):
        r = subprocess.run(
            [sys.executable, "-m", "siops.servidor", "admin", "--dados", "x", comando, "--help"],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert r.returncode == 0 and "opções:" in r.stdout and "uso:" in r.stdout, r.stdout
    assert '"tecnico"' in s.admin("listar-cadastros", "--ente", ENTE)
