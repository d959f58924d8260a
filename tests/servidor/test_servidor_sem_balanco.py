"""Sem Balanço (issue 25, item 3) e a passagem periódica do próprio servidor (item 2), com o
correio na pasta (``--correio-pasta``) e o relógio de arquivo.

* Sem o 6º bimestre de 2025, o 1º de 2026 é recusado; classificado Sem Balanço (com a
  justificativa e o ofício), entra — e a situação fica "A COMPROVAR", nunca REGULAR; a
  reversão encerra a classificação.
* O servidor, sozinho (``intervalo_notificacoes_segundos``), avisa uma vez que a transmissão
  espera homologação, não notifica o prazo vencido do exercício Sem Balanço e grava a
  exportação do dia.
"""

from __future__ import annotations

import json
import time

from siops.servidor.correio import texto_da_mensagem
from siops.servidor.local import CaixaPasta
from tests.servidor.monitoramento_apoio import (
    CONFIG,
    Relogio,
    cadeia,
    declaracao,
    notificacoes,
    pagina,
    situacao,
    transmitir,
)

ENTE = "M140023"  # Caroebe/RR


def test_sem_balanco_deixa_entrar_o_exercicio_seguinte_e_fica_a_comprovar(
    fabrica_servidor, pki, tmp_path
):
    pasta = tmp_path / "correio"
    s = fabrica_servidor(
        {**CONFIG, "intervalo_notificacoes_segundos": 1},
        smtp_fora=True,
        args=["--correio-pasta", str(pasta)],
    )
    r = Relogio(s, "2026-03-10T10:00:00-03:00")
    s.iniciar()
    caixa = CaixaPasta(pasta)
    ch, sec, tec = (pki.pessoa(f"mon-sb-{p}", f"{p.upper()} SB") for p in ("ch", "sec", "tec"))
    senha = cadeia(s, r, ENTE, ch, sec, tec, caixa)
    token = s.token(tec.cpf, senha)

    recusa = transmitir(s, token, tec, declaracao(ENTE, 2026, 1), status=409)
    assert recusa["codigo"] == "sexto_bimestre_pendente", recusa
    assert "Sem Balanço" in recusa["motivos"][0]

    res = s.admin("sem-balanco", "--ente", ENTE, "--exercicio", "2025", "--justificativa",
                  "A gestão anterior não deixou o Balanço Geral de 2025.",
                  "--oficio", "Ofício nº 12/2026-GP")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert "A COMPROVAR" in res.stderr
    time.sleep(2.5)  # uma passagem periódica que já tinha começado termina
    antes_sb = {n["id"] for n in notificacoes(s, ENTE) if n["exercicio"] == 2025}
    res = s.admin("sem-balanco", "--ente", ENTE, "--exercicio", "2025", "--justificativa",
                  "A gestão anterior não deixou o Balanço Geral de 2025.", "--oficio", "x")  # fmt: skip
    assert res.returncode == 1 and "já está classificado Sem Balanço" in res.stderr, res.stderr
    res = s.admin("sem-balanco", "--ente", ENTE, "--exercicio", "2026", "--justificativa",
                  "A gestão anterior não deixou o Balanço Geral.", "--oficio", "x")  # fmt: skip
    assert res.returncode == 1 and "exercícios encerrados" in res.stderr, res.stderr

    t = transmitir(s, token, tec, declaracao(ENTE, 2026, 1))
    sit = situacao(s, ENTE)
    assert sit["situacao"] == "A COMPROVAR" and sit["exercicio"] == 2025, sit
    assert "Sem Balanço" in sit["motivo"] and "não configura cumprimento" in sit["motivo"]
    assert sit["sem_balanco"]["oficio"] == "Ofício nº 12/2026-GP"
    html = pagina(s, ENTE)
    assert 'class="a-comprovar">A COMPROVAR' in html and "10/03/2026" in html, html

    # o servidor sozinho: o aviso de homologação pendente, uma vez; nada do prazo de 2025
    fim = time.monotonic() + 30
    while time.monotonic() < fim and not list((s.dados / "exportacao").glob("*.csv")):
        time.sleep(0.2)
    time.sleep(3)  # mais algumas passagens periódicas
    textos = [texto_da_mensagem(m) for m in caixa.mensagens()]
    assert sum(t["protocolo"] in x for x in textos) == 1, textos
    eventos = [n["evento"] for n in notificacoes(s, ENTE)]
    assert f"aguardando/{t['protocolo']}" in eventos
    # os prazos de 2025 vencidos foram notificados antes da classificação; depois, nada
    assert {n["id"] for n in notificacoes(s, ENTE) if n["exercicio"] == 2025} == antes_sb
    assert (s.dados / "exportacao" / "situacao-2026-03-10.csv").exists()

    # a reversão: a classificação termina (o que foi aceito continua), a situação sai de SB
    res = s.admin("reverter-sem-balanco", "--ente", ENTE, "--exercicio", "2025", "--motivo",
                  "Balanço localizado.")  # fmt: skip
    assert res.returncode == 0, res.stderr
    assert json.loads(s.admin("listar-sem-balanco", "--ente", ENTE).stdout) == []
    sit = situacao(s, ENTE)
    assert sit["situacao"] == "PENDENTE" and sit["sem_balanco"] is None, sit
    assert s.situacao_de("RR", 2026, 1, ENTE) == "transmitido"
    res = s.admin("reverter-sem-balanco", "--ente", ENTE, "--exercicio", "2025", "--motivo", "x")
    assert res.returncode == 1 and "não está classificado" in res.stderr
