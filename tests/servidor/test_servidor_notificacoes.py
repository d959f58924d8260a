"""Notificações automáticas e suspensão (issue 25, itens 1 e 2), pelo servidor real com o
relógio de arquivo definido pelo teste e o SMTP de teste.

* Uma transmissão que espera homologação avisa o secretário, uma vez.
* Antes do prazo do 6º bimestre, aviso aos gestores; passado o prazo sem homologação, a
  notificação automática, registrada (a quem, quando, por quê) e nunca repetida para o mesmo
  evento; os 30 dias contam da data **registrada** (não da do prazo): 29 dias depois ainda
  PENDENTE, 31 dias depois SUSPENSA.
* Uma retransmissão do 6º deixada sem homologação volta o ente a PENDENTE (a homologação
  anterior deixa de valer), com um novo episódio: nova notificação, novos 30 dias.
"""

from __future__ import annotations

from tests.servidor.monitoramento_apoio import (
    CONFIG,
    Relogio,
    assinar,
    cadeia,
    declaracao,
    homologar,
    notificacoes,
    notificar,
    pagina,
    situacao,
    transmitir,
)

PENDENTE_C = "M140005"  # Alto Alegre/RR: nunca transmite o 6º de 2025
RETRANSMITE = "M140002"  # Amajari/RR: homologa, pede retransmissão e não homologa de novo


def _eventos(lista: list[dict], prefixo: str) -> list[dict]:
    return [n for n in lista if n["evento"].startswith(prefixo)]


def test_notificacao_registrada_conta_os_30_dias_e_retransmissao_volta_a_pendente(
    fabrica_servidor, pki
):
    s = fabrica_servidor(CONFIG)
    r = Relogio(s, "2026-01-20T09:00:00-03:00")
    s.iniciar()
    caixa = s.caixa
    ch_c, sec_c, tec_c = (pki.pessoa(f"mon-n-{p}", f"{p.upper()} C") for p in ("ch", "sec", "tec"))
    ch_d, sec_d, tec_d = (pki.pessoa(f"mon-n-d{p}", f"{p.upper()} D") for p in ("ch", "sec", "tec"))
    cadeia(s, r, PENDENTE_C, ch_c, sec_c, tec_c)
    senha_d = cadeia(s, r, RETRANSMITE, ch_d, sec_d, tec_d)
    token_d = s.token(tec_d.cpf, senha_d)

    # transmissão aguardando homologação → o secretário é avisado, uma vez
    t = transmitir(s, token_d, tec_d, declaracao(RETRANSMITE))
    corpo = _esperar(caixa, sec_d.email, t["protocolo"])
    assert "disponíveis para homologação" in corpo, corpo
    assert not [c for c in caixa.para(ch_d.email) if t["protocolo"] in c]  # só o secretário
    notificar(s)
    notificar(s)
    assert sum(t["protocolo"] in c for c in caixa.para(sec_d.email)) == 1
    homologar(s, r, sec_d, t)
    assert situacao(s, RETRANSMITE)["situacao"] == "REGULAR"

    # 10 dias antes do prazo (30/01/2026): nada; dentro dos 5 dias: o aviso, uma vez
    notificar(s)
    assert not _eventos(notificacoes(s, PENDENTE_C), f"antes_prazo/{PENDENTE_C}/2025/6")
    r.mover("2026-01-27T08:00:00-03:00")
    notificar(s)
    notificar(s)
    antes = _eventos(notificacoes(s, PENDENTE_C), f"antes_prazo/{PENDENTE_C}/2025/6")
    assert sorted(n["email"] for n in antes) == sorted([ch_c.email, sec_c.email]), antes
    assert all(n["situacao"] == "enviada" for n in antes)
    assert sum("vence em 30/01/2026" in c for c in caixa.para(sec_c.email)) == 1
    # antes do prazo, o 6º de 2025 ainda não é a referência: vale 2024, anterior aos dados
    assert situacao(s, PENDENTE_C)["situacao"] == "A COMPROVAR"

    # passado o prazo, registrada em 03/02 (o servidor ficou parado até lá): a notificação
    # automática, a quem, quando e por quê
    r.mover("2026-02-03T10:00:00-03:00")
    notificar(s)
    depois = _eventos(notificacoes(s, PENDENTE_C), f"depois_prazo/{PENDENTE_C}/2025/6/0")
    assert sorted(n["papel"] for n in depois) == ["chefe", "secretario"], depois
    for n in depois:
        assert n["enviada_em"].startswith("2026-02-03"), n
        assert "Decreto nº 7.827/2012" in n["motivo"] and "30 dias" in n["motivo"], n
    total = caixa.total
    notificar(s)  # de novo: nada repetido
    notificar(s)
    assert [n["id"] for n in depois] == [
        n["id"]
        for n in _eventos(notificacoes(s, PENDENTE_C), f"depois_prazo/{PENDENTE_C}/2025/6/0")
    ]
    assert caixa.total == total
    sit = situacao(s, PENDENTE_C)
    assert sit["situacao"] == "PENDENTE" and sit["exercicio"] == 2025, sit
    assert sit["suspensao_a_partir"] == "2026-03-05", sit
    html = pagina(s, PENDENTE_C)
    assert "03/02/2026" in html and "05/03/2026" in html, html

    # 30 dias depois do PRAZO, mas só 28 da notificação registrada: ainda PENDENTE
    r.mover("2026-03-03T10:00:00-03:00")
    assert situacao(s, PENDENTE_C)["situacao"] == "PENDENTE"
    # 30 dias depois da notificação: SUSPENSA
    r.mover("2026-03-05T10:30:00-03:00")
    sit = situacao(s, PENDENTE_C)
    assert sit["situacao"] == "SUSPENSA", sit
    assert sit["transferencias"] == ["FPM", "ITR"], sit
    assert "30 dias da notificação automática de 03/02/2026" in sit["motivo"], sit
    assert 'class="suspensa">SUSPENSA' in pagina(s, PENDENTE_C)
    # quem homologou a tempo segue REGULAR
    assert situacao(s, RETRANSMITE)["situacao"] == "REGULAR"

    # a retransmissão do 6º deixada sem homologação: volta a PENDENTE
    ped = assinar(
        r,
        sec_d,
        "SolicitacaoRetransmissao",
        {
            "Ente": RETRANSMITE,
            "Exercicio": 2025,
            "Bimestre": 6,
            "Justificativa": "Correção da receita de ISS declarada no 6º bimestre.",
        },
    )
    resp = s.post_xml("/api/v1/retransmissoes", ped)
    assert resp.status_code == 201, resp.text
    aut = s.admin("autorizar-retransmissao", str(resp.json()["id"]))
    assert aut.returncode == 0, aut.stderr
    token_d = s.token(tec_d.cpf, senha_d)  # o relógio andou semanas: a sessão expirou
    nova = transmitir(s, token_d, tec_d, declaracao(RETRANSMITE, centavos=1))
    sit = situacao(s, RETRANSMITE)
    assert sit["situacao"] == "PENDENTE", sit
    assert "retransmitido" in sit["motivo"] and "homologação anterior deixou" in sit["motivo"]
    assert s.situacao_de("RR", 2025, 6, RETRANSMITE) == "transmitido"
    # um novo episódio: nova notificação automática, e os 30 dias contam dela
    notificar(s)
    ep = [
        n
        for n in notificacoes(s, RETRANSMITE)
        if n["evento"].startswith(f"depois_prazo/{RETRANSMITE}/2025/6/h")
    ]
    assert sorted(n["papel"] for n in ep) == ["chefe", "secretario"], ep
    assert all(n["enviada_em"].startswith("2026-03-05") for n in ep)
    assert situacao(s, RETRANSMITE)["suspensao_a_partir"] == "2026-04-04"
    r.mover("2026-04-05T09:00:00-03:00")
    assert situacao(s, RETRANSMITE)["situacao"] == "SUSPENSA"
    # homologada a retransmissão: REGULAR de novo
    homologar(s, r, sec_d, nova)
    assert situacao(s, RETRANSMITE)["situacao"] == "REGULAR"


def _esperar(caixa, email: str, texto: str, espera: float = 30.0) -> str:
    import time

    fim = time.monotonic() + espera
    while time.monotonic() < fim:
        for corpo in caixa.para(email):
            if texto in corpo:
                return corpo
        time.sleep(0.1)
    raise AssertionError(f"nenhum e-mail com {texto!r} para {email}")
