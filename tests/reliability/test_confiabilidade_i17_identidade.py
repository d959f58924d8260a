"""Issue 17, items 1 and 5: a person's identity, the lockout race, "esqueci a senha" and CPFs in
public — against the REAL server process (``python -m siops.servidor``) on 127.0.0.1.

* item 1 — the account takeover across entes: the secretário of ente B signs a ``Cadastro`` of
  ente A's técnico's CPF as técnico of B with her own e-mail. The role in B may be granted (her
  chain owns it), but the victim's name, e-mail, password and sessions are not hers to change:
  no password goes to her mailbox, the victim keeps working, the attacker gets nothing of A. The
  same with the administrator's CPF is refused (an administrator is never a técnico);
* item 5 (a) — 64 parallel wrong guesses: the attempt is reserved and counted in the same write
  that decides the lock, before the password is checked, so at most ``tentativas_senha``
  passwords are checked and the right one is refused (423) during the lock;
* item 5 (b) — a crawl of every public route (every GET of ``servidor.app.rotas``, sequential
  protocols, every link of the public pages, the PDFs' streams) of a server with a homologated
  declaration finds no registered CPF in any form;
* item 5 (c) — "esqueci a senha" is anonymous: it creates a pending password and neither the
  current password nor the live sessions fall until the new one is used to log in.
"""

from __future__ import annotations

import hashlib
import re
import threading
import zlib
from collections import Counter
from typing import Any

import pytest
import requests
from apoio_servidor import EXERCICIO, documento, ops_demo

pytestmark = pytest.mark.reliability

ENTE_A = "M355030"  # São Paulo/SP
ENTE_B = "M330455"  # Rio de Janeiro/RJ
ENTE_C = "M310620"  # Belo Horizonte/MG
SENHA_ADMIN = "senha-do-administrador-17"


def _cadeia(s: Any, pki: Any, ente: str, letra: str) -> dict[str, Any]:
    chefe = pki.pessoa(f"i17id-chefe-{letra}", f"Chefe {letra.upper()}")
    sec = pki.pessoa(f"i17id-sec-{letra}", f"Secretária {letra.upper()}")
    tec = pki.pessoa(f"i17id-tec-{letra}", f"Técnica {letra.upper()}")
    senha = s.registrar_cadeia(ente, chefe, sec, tec)
    return {"chefe": chefe, "sec": sec, "tec": tec, "senha": senha}


def _cadastro(s: Any, por: Any, ente: str, papel: str, nome: str, cpf: str, email: str) -> Any:
    doc = documento(
        "Cadastro", {"Ente": ente, "Papel": papel, "Nome": nome, "CPF": cpf, "Email": email}
    )
    return s.post_xml("/api/v1/cadastros", por.assinar(doc))


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def _usuario(s: Any, cpf: str) -> tuple:
    (linha,) = s.consultar("SELECT nome, email, senha_hash FROM usuarios WHERE cpf=?", cpf)
    return linha


# --- item 1: account takeover across entes ----------------------------------------------------


def test_i17_1_tomada_de_conta_entre_entes(fabrica_servidor, pki, relatorio):
    s = fabrica_servidor()
    s.iniciar()
    a = _cadeia(s, pki, ENTE_A, "a")
    b = _cadeia(s, pki, ENTE_B, "b")
    vitima, atacante = a["tec"], b["sec"]
    casos = 0

    # the legitimate flow first: inside the ente that owns the role, A's secretário
    # re-registers her técnico with a new e-mail → a new password to it, old sessions revoked
    antigo = s.token(vitima.cpf, a["senha"])
    email_vitima = "nova-i17@saude.exemplo.gov.br"
    antes = s.caixa.contagem(vitima.cpf)
    r = _cadastro(s, a["sec"], ENTE_A, "tecnico", vitima.nome, vitima.cpf, email_vitima)
    casos += 1
    assert r.status_code == 201 and r.json()["senha_enviada"] is True, r.text
    senha = s.caixa.senha_de(vitima.cpf, antes)
    assert any(senha in c for c in s.caixa.para(email_vitima))
    situacao = f"{s.url}/api/v1/entes/{ENTE_A}/cadastros"
    assert s.http.get(situacao, headers=_bearer(antigo)).status_code == 401
    token_vitima = s.token(vitima.cpf, senha)
    t = s.transmitir(token_vitima, vitima.assinar(ops_demo(ENTE_A, EXERCICIO, 1)))
    assert t.status_code == 201, t.text
    arquivo = f"{s.url}/api/v1/transmissoes/{t.json()['protocolo']}/arquivo"
    identidade = _usuario(s, vitima.cpf)
    caixa_atacante = "atacante-i17@saude.exemplo.gov.br"
    senhas_vitima = s.caixa.contagem(vitima.cpf)

    # the attack exactly as told: the victim's CPF and name, the attacker's e-mail
    r = _cadastro(s, atacante, ENTE_B, "tecnico", vitima.nome, vitima.cpf, caixa_atacante)
    casos += 1
    assert r.status_code in (201, 409), r.text
    if r.status_code == 201:  # the role in B is B's chain's to grant — nothing else
        doc = r.json()
        assert doc["senha_enviada"] is False, doc
        assert any("e-mail informado" in x for x in doc.get("avisos", [])), doc
    # a different name for the same CPF: the identity is not the registrant's to rename
    r = _cadastro(s, atacante, ENTE_B, "tecnico", "Nome Inventado", vitima.cpf, caixa_atacante)
    casos += 1
    assert r.status_code == 409, r.text
    assert r.json()["codigo"] == "identidade_divergente", r.json()
    assert "não confere" in r.json()["erro"], r.json()

    # nothing of the victim's identity changed, no password went to the attacker
    assert _usuario(s, vitima.cpf) == identidade
    assert s.caixa.para(caixa_atacante) == []
    assert s.caixa.contagem(vitima.cpf) == senhas_vitima  # no new password was generated
    avisos = s.caixa.para(email_vitima)
    assert any("Sua senha e seus dados não mudaram" in c for c in avisos), avisos
    # the victim's live session and password still work, and still reach A's file
    assert s.http.get(arquivo, headers=_bearer(token_vitima)).status_code == 200
    assert s.login(vitima.cpf, senha).status_code == 201
    # the attacker: no password of the victim to try, guesses fail, and her own (gestor)
    # session does not open A's file
    for tentativa in ("senha", senha[:-1]):
        assert s.login(vitima.cpf, tentativa).status_code == 401
    assert s.http.get(arquivo).status_code == 401
    r = s.post_xml("/api/v1/sessoes/certificado", atacante.assinar(documento("PedidoSessao", {})))
    assert r.status_code == 201, r.text
    papeis = {(p["ente"], p["papel"]) for p in r.json()["usuario"]["papeis"]}
    assert all(ente == ENTE_B for ente, _ in papeis), papeis
    assert s.http.get(arquivo, headers=_bearer(r.json()["token"])).status_code == 403
    relatorio(
        casos=casos,
        resumo="o secretário de B cadastra o CPF da técnica de A como técnica de B com o próprio "
        "e-mail: nome, e-mail, senha e sessões da vítima não mudam (nome diferente → 409 "
        "identidade_divergente), nenhuma senha vai ao e-mail do atacante, a vítima recebe um "
        "aviso e continua entrando e baixando o arquivo de A, e a sessão do atacante não o "
        "abre; o recadastro pela própria cadeia de A segue gerando senha nova",
    )


def test_i17_1_cpf_do_administrador_recusado(fabrica_servidor, pki, monkeypatch, relatorio):
    s = fabrica_servidor()
    s.iniciar()
    monkeypatch.setenv("SIOPS_ADMIN_SENHA", SENHA_ADMIN)
    adm = pki.pessoa("i17id-admin", "Administradora do SIOPS")
    r = s.admin("criar-admin", "--cpf", adm.cpf, "--nome", adm.nome)
    assert r.returncode == 0, r.stderr
    b = _cadeia(s, pki, ENTE_B, "b2")
    token_adm = s.token(adm.cpf, SENHA_ADMIN)
    caixa_atacante = "atacante-admin-i17@saude.exemplo.gov.br"
    casos = 0
    for papel, por in (("tecnico", b["sec"]), ("secretario", b["chefe"])):
        r = _cadastro(s, por, ENTE_B, papel, adm.nome, adm.cpf, caixa_atacante)
        casos += 1
        assert r.status_code == 422, r.text
        assert r.json()["codigo"] == "administrador_nao_pode_ter_papel", r.json()
        assert "administrador" in r.json()["erro"], r.json()
    # nor as chefe by the admin command
    r = s.admin("cadastrar-chefe", "--ente", ENTE_C, "--nome", adm.nome, "--cpf", adm.cpf)
    casos += 1
    assert r.returncode == 1 and "administrador" in r.stderr, r.stderr
    # and a person with a role in an ente does not become an administrator
    r = s.admin("criar-admin", "--cpf", b["tec"].cpf, "--nome", b["tec"].nome)
    casos += 1
    assert r.returncode == 1 and "não pode ser também administrador" in r.stderr, r.stderr

    assert s.caixa.para(caixa_atacante) == []
    assert s.caixa.contagem(adm.cpf) == 0
    assert not s.consultar("SELECT 1 FROM papeis WHERE cpf=? AND papel<>'admin'", adm.cpf)
    # the only admin session is the administrator's own, which still works
    r = s.http.get(f"{s.url}/api/v1/admin/retransmissoes", headers=_bearer(token_adm))
    assert r.status_code == 200
    sessoes_admin = s.consultar("SELECT COUNT(*) FROM sessoes WHERE cpf=? AND revogada=0", adm.cpf)[
        0
    ][0]
    assert sessoes_admin == 1
    token_tec = s.token(b["tec"].cpf, b["senha"])
    r = s.http.get(f"{s.url}/api/v1/admin/retransmissoes", headers=_bearer(token_tec))
    assert r.status_code == 403
    relatorio(
        casos=casos,
        resumo="o CPF do administrador cadastrado como técnico ou secretário de um ente (e como "
        "chefe pelo comando admin) é recusado (422 administrador_nao_pode_ter_papel); quem tem "
        "papel num ente não vira administrador; nenhuma senha enviada, a única sessão de "
        "administrador é a do próprio administrador",
    )


# --- item 5 (a): the parallel-guess race ------------------------------------------------------


def test_i17_5_tentativas_paralelas_e_bloqueio(fabrica_servidor, pki, relatorio):
    # 60 parallel guesses: under the per-address connection limit of the server (64), so every
    # guess reaches the application
    limite, n = 5, 60
    s = fabrica_servidor({"bloqueio_segundos": 600, "tentativas_senha": limite})
    s.iniciar()
    c = _cadeia(s, pki, ENTE_C, "c")
    tec = c["tec"]
    barreira = threading.Barrier(n)
    respostas: Counter[int] = Counter()
    trava = threading.Lock()

    def adivinhar(i: int) -> None:
        sessao = requests.Session()
        sessao.trust_env = False
        barreira.wait(30)
        r = sessao.post(
            f"{s.url}/api/v1/sessoes", json={"cpf": tec.cpf, "senha": f"errada-{i}"}, timeout=60
        )
        with trava:
            respostas[r.status_code] += 1

    threads = [threading.Thread(target=adivinhar, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join(90)
    assert sum(respostas.values()) == n, respostas
    # every guess is answered 401 (checked, under the limit) or 423 (the limit-th, or refused
    # without being checked); only limit − 1 wrong passwords were answered "incorretos"
    assert set(respostas) <= {401, 423}, respostas
    assert respostas[401] == limite - 1, respostas
    (falhas, bloqueado) = s.consultar(
        "SELECT falhas, bloqueado_ate FROM usuarios WHERE cpf=?", tec.cpf
    )[0]
    assert falhas == limite and bloqueado, (falhas, bloqueado)
    # locked: not even the right password gets in
    r = s.login(tec.cpf, c["senha"])
    assert r.status_code == 423 and r.json()["codigo"] == "conta_bloqueada", r.text
    assert "Tente novamente após" in r.json()["erro"]
    relatorio(
        casos=n,
        paralelas=n,
        respostas=dict(respostas),
        resumo=f"{n} senhas erradas em paralelo contra o servidor real: a tentativa é reservada "
        "e contada na mesma escrita que decide o bloqueio, antes da conferência da senha — só "
        f"{limite} senhas conferidas ({respostas[401]} respostas 401, {respostas[423]} 423), e a "
        "senha certa durante o bloqueio é recusada com 423",
    )


# --- item 5 (b): no CPF in anything public ----------------------------------------------------


def _fluxos_pdf(dados: bytes) -> list[bytes]:
    """The raw bytes plus every Flate stream of a PDF, decompressed."""
    saida = [dados]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", dados, re.S):
        try:
            saida.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return saida


def _formas(cpf: str) -> list[bytes]:
    """Every way a CPF could be written: digits, punctuated, partly punctuated, hex."""
    f = f"{cpf[:3]}.{cpf[3:6]}.{cpf[6:9]}-{cpf[9:]}"
    return [
        cpf.encode(),
        f.encode(),
        cpf[:9].encode() + b"-" + cpf[9:].encode(),
        cpf.encode().hex().encode(),
    ]


def _achados(conteudo: bytes, cpfs: dict[str, str]) -> list[str]:
    partes = _fluxos_pdf(conteudo) if conteudo.startswith(b"%PDF") else [conteudo]
    achados = []
    for parte in partes:
        sem_pontos = re.sub(rb"[.\-/\s]", b"", parte)
        for quem, cpf in cpfs.items():
            if any(forma in parte or forma in parte.upper() for forma in _formas(cpf)):
                achados.append(quem)
            elif cpf.encode() in sem_pontos:
                achados.append(quem)
    return achados


def test_i17_5_nenhum_cpf_em_rota_publica(fabrica_servidor, pki, relatorio):
    from siops import relatorios
    from siops.servidor.app import rotas

    s = fabrica_servidor()
    s.iniciar()
    a = _cadeia(s, pki, ENTE_A, "p")
    token = s.token(a["tec"].cpf, a["senha"])
    protocolos = []
    for bimestre in (1, 2):
        t = s.transmitir(token, a["tec"].assinar(ops_demo(ENTE_A, EXERCICIO, bimestre)))
        assert t.status_code == 201, t.text
        protocolos.append(t.json())
    # the gestor homologates with the demonstrativo signed in PAdES (her e-CPF certificate,
    # with her CPF, is inside that PDF): the public page must not hand it out
    from siops import ops_format
    from siops.transmissor.pades import assinar_pdf

    pdf = relatorios.renderizar_rreo(
        ops_format.de_bytes(ops_demo(ENTE_A, EXERCICIO, 1)), homologado=True
    )
    assinado = assinar_pdf(pdf, a["sec"].assinador())
    r = s.homologar(
        a["sec"], protocolos[0], DigestDemonstrativo=hashlib.sha256(assinado).hexdigest()
    )
    assert r.status_code == 201, r.text
    r = s.http.put(
        f"{s.url}/api/v1/homologacoes/{protocolos[0]['protocolo']}/demonstrativo",
        data=assinado,
        headers={"Content-Type": "application/pdf"},
        timeout=60,
    )
    assert r.status_code == 201, r.text
    cpfs = {k: a[k].cpf for k in ("chefe", "sec", "tec")}
    # sequential protocols, as a harvester would walk them (a few past the last one too)
    ultimo = int(protocolos[-1]["protocolo"])
    sequenciais = [str(p) for p in range(ultimo - 3, ultimo + 3)]

    valores = {
        "ente": [ENTE_A],
        "exercicio": [str(EXERCICIO)],
        "protocolo": sequenciais,
        "tipo": list(relatorios.TIPOS),
        "id": ["1", "2"],
    }
    urls: list[str] = []
    for rota in rotas():
        if "GET" not in (rota.methods or ()):
            continue
        caminhos = [rota.path]
        for nome, opcoes in valores.items():
            marca = "{" + nome + "}"
            caminhos = (
                [c.replace(marca, v) for c in caminhos for v in opcoes]
                if any(marca in c for c in caminhos)
                else caminhos
            )
        for c in caminhos:
            if "{" in c:
                raise AssertionError(f"rota com parâmetro sem valor no teste: {c}")
            urls.append(c)
    urls += [
        f"/situacao?uf=SP&exercicio={EXERCICIO}&bimestre=1",
        f"/situacao?uf=SP&exercicio={EXERCICIO}&bimestre=2",
        f"/api/v1/situacao?uf=SP&exercicio={EXERCICIO}&bimestre=1",
        f"/api/v1/entes/{ENTE_A}/situacao?exercicio={EXERCICIO}",
        f"/api/v1/referencia-fns?ente={ENTE_A}&exercicio={EXERCICIO}",
    ]
    vistos: set[str] = set()
    fila = list(urls)
    respostas: Counter[int] = Counter()
    vazamentos: list[tuple[str, list[str]]] = []
    while fila:
        url = fila.pop(0)
        if url in vistos:
            continue
        vistos.add(url)
        r = s.http.get(f"{s.url}{url}", timeout=60)  # no Authorization: anyone
        respostas[r.status_code] += 1
        assert r.status_code < 500, (url, r.status_code, r.text[:300])
        achados = _achados(r.content, cpfs)
        if achados:
            vazamentos.append((url, achados))
        if r.headers.get("content-type", "").startswith("text/html"):
            for href in re.findall(r'href="(/[^"]*)"', r.text):
                fila.append(href.replace("&amp;", "&"))
    # the public pages of the homologated declaration were really crawled
    p = protocolos[0]["protocolo"]
    assert f"/declaracoes/{p}" in vistos and f"/demonstrativos/{p}.pdf" in vistos
    assert respostas[200] >= 10, respostas
    assert not vazamentos, vazamentos
    # the receipt's owner still gets it (signed, with the signer's CPF)
    r = s.http.get(f"{s.url}/api/v1/transmissoes/{p}/recibo", headers=_bearer(token))
    assert r.status_code == 200 and a["tec"].cpf.encode() in r.content
    relatorio(
        casos=len(vistos),
        respostas=dict(respostas),
        resumo=f"{len(vistos)} endereços públicos (toda rota GET, protocolos sequenciais, os links "
        "das páginas, os fluxos dos PDFs) de um servidor com uma declaração homologada, sem "
        "autenticação: nenhum CPF cadastrado em forma alguma (dígitos, pontuado, hexadecimal); o "
        "recibo assinado só para quem tem papel no ente",
    )


# --- item 5 (c): "esqueci a senha" does not kill a live session -------------------------------


def test_i17_5_esqueci_a_senha_nao_derruba_a_sessao(fabrica_servidor, pki, relatorio):
    s = fabrica_servidor({"intervalo_esqueci_segundos": 0})
    s.iniciar()
    c = _cadeia(s, pki, ENTE_C, "r")
    tec, senha = c["tec"], c["senha"]
    token = s.token(tec.cpf, senha)
    t = s.transmitir(token, tec.assinar(ops_demo(ENTE_C, EXERCICIO, 1)))
    assert t.status_code == 201, t.text
    situacao = f"{s.url}/api/v1/transmissoes/{t.json()['protocolo']}"

    def viva(tok: str) -> bool:
        return s.http.get(situacao, headers=_bearer(tok), timeout=30).status_code == 200

    pendentes = []
    for _ in range(2):  # an anonymous stranger asks twice
        antes = s.caixa.contagem(tec.cpf)
        r = s.http.post(f"{s.url}/api/v1/senhas/esqueci", json={"cpf": tec.cpf}, timeout=30)
        assert r.status_code == 202, r.text
        pendentes.append(s.caixa.senha_de(tec.cpf, antes))
        # the live session and the current password still work
        assert viva(token)
        assert s.login(tec.cpf, senha).status_code == 201
    outra = s.token(tec.cpf, senha)
    # only the newest mailed password is pending
    assert s.login(tec.cpf, pendentes[0]).status_code == 401
    # the técnico uses the new password: now the old one stops working and the other sessions
    # are revoked
    r = s.login(tec.cpf, pendentes[1])
    assert r.status_code == 201, r.text
    nova_sessao = r.json()["token"]
    assert viva(nova_sessao)
    assert not viva(token) and not viva(outra)
    assert s.login(tec.cpf, senha).status_code == 401
    assert s.login(tec.cpf, pendentes[1]).status_code == 201
    relatorio(
        casos=2,
        resumo='dois pedidos anônimos de "esqueci a senha": a sessão viva e a senha atual '
        "continuam valendo; só a senha mais nova enviada fica pendente, e ao entrar com ela a "
        "anterior deixa de valer e as outras sessões são encerradas",
    )
