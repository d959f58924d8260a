"""Apoio dos testes do monitoramento (issue 25): o relógio de arquivo do servidor de teste, a
cadeia de cadastro e os atos assinados no instante desse relógio, e declarações com o mínimo
cumprido ou não e com despesas nas modalidades 36/46/76/96."""

from __future__ import annotations

import datetime as dt
import json
import os
from decimal import Decimal
from typing import Any

from apoio.servidor import Pessoa, Servidor, documento

#: O ``servidor.json`` extra dos servidores destes testes: o relógio vem do arquivo, e a
#: passagem periódica fica desligada (os testes a chamam com ``admin notificar``).
CONFIG = {"relogio_arquivo": "relogio.txt", "intervalo_notificacoes_segundos": 0}


class Relogio:
    """O relógio de arquivo de um servidor de teste (``relogio_arquivo``). Criá-lo antes de
    iniciar o servidor; grava também o SMTP de teste no ``servidor.json``, para os comandos
    ``admin`` (``notificar``) enviarem pelo mesmo SMTP que o servidor."""

    def __init__(self, s: Servidor, inicio: str) -> None:
        self.arquivo = s.dados / "relogio.txt"
        conf_arq = s.dados / "servidor.json"
        conf = json.loads(conf_arq.read_text(encoding="utf-8"))
        if s.smtp is not None:
            conf.setdefault("smtp_host", s.smtp[0])
            conf.setdefault("smtp_porta", s.smtp[1])
        conf_arq.write_text(json.dumps(conf), encoding="utf-8")
        self.mover(inicio)

    def mover(self, instante: str) -> None:
        """O relógio do servidor passa a ``instante`` (ISO 8601 com fuso) e anda a partir dele."""
        self.inicio = dt.datetime.fromisoformat(instante)
        self.gravado = dt.datetime.now(dt.UTC)
        tmp = self.arquivo.with_suffix(".tmp")
        tmp.write_text(instante, encoding="utf-8")
        os.replace(tmp, self.arquivo)

    def agora(self) -> dt.datetime:
        return self.inicio + (dt.datetime.now(dt.UTC) - self.gravado)

    def momento(self) -> str:
        """O ``<Momento>`` de um documento assinado agora, no relógio do servidor."""
        q = self.agora().astimezone(dt.UTC).replace(microsecond=0)
        return q.isoformat().replace("+00:00", "Z")


def assinar(r: Relogio, por: Pessoa, raiz: str, campos: dict[str, object]) -> bytes:
    return por.assinar(documento(raiz, campos, quando=r.momento()))


def cadeia(
    s: Servidor,
    r: Relogio,
    ente: str,
    chefe: Pessoa,
    sec: Pessoa,
    tec: Pessoa,
    caixa: Any = None,
) -> str:
    """Chefe (admin) → secretário → técnico, com os documentos no relógio do servidor;
    devolve a senha do técnico (lida em ``caixa``: o SMTP de teste, ou uma ``CaixaPasta``)."""
    caixa = caixa or s.caixa
    s.cadastrar_chefe(ente, chefe)
    antes = caixa.total
    for por, papel, quem in ((chefe, "secretario", sec), (sec, "tecnico", tec)):
        campos = {"Ente": ente, "Papel": papel, "Nome": quem.nome, "CPF": quem.cpf}
        campos["Email"] = quem.email
        resp = s.post_xml("/api/v1/cadastros", assinar(r, por, "Cadastro", campos))
        assert resp.status_code == 201, resp.text
    return caixa.senha_de(tec.cpf, antes)


def homologar(s: Servidor, r: Relogio, sec: Pessoa, t: dict) -> dict:
    campos = {
        "Protocolo": t["protocolo"],
        "Digest": t["digest"],
        "Ente": t["ente"],
        "Exercicio": t["exercicio"],
        "Bimestre": t["bimestre"],
    }
    resp = s.post_xml("/api/v1/homologacoes", assinar(r, sec, "Homologacao", campos))
    assert resp.status_code == 201, resp.text
    return resp.json()


def transmitir(s: Servidor, token: str, tec: Pessoa, ops: bytes, status: int = 201) -> dict:
    resp = s.transmitir(token, tec.assinar(ops))
    assert resp.status_code == status, resp.text
    return resp.json()


def declaracao(
    ente: str,
    exercicio: int = 2025,
    bimestre: int = 6,
    fator: Decimal = Decimal("1"),
    modalidade96: Decimal = Decimal("0"),
    centavos: int = 0,
) -> bytes:
    """O .OPS da demonstração do ente; ``fator`` multiplica as despesas computadas no mínimo
    (planilha 4, exceto a transferência a consórcio, modalidade 71): com 0,5 a aplicação fica
    abaixo dos 15%; ``modalidade96`` inclui uma despesa (3.3.96.30, Atenção Básica, planilha 4)
    com esse valor empenhado, liquidado e pago — a aplicação da diferença de um exercício
    anterior, a dedução (XIV), dividida no controle como do exercício anterior."""
    from siops import ops_format
    from siops.forms.declaracao import DefinirCelula, DefinirLancamento, IncluirLinha, Lote
    from siops.forms.demo import declaracao_demo
    from siops.forms.razao import ChaveDespesa

    d = declaracao_demo(ente, exercicio, bimestre)
    cmds: list[Any] = []
    if fator != 1:
        for k, v in d.linhas_razao(ChaveDespesa):
            if k.planilha == "4" and k.modalidade != "71":
                for c, valor in v.items():
                    cmds.append(DefinirLancamento(k, c, (valor * fator).quantize(Decimal("0.01"))))
    if modalidade96:
        col = (("empenhada", modalidade96), ("liquidada", modalidade96), ("paga", modalidade96))
        cmds.append(IncluirLinha(ChaveDespesa("4", "301", "3396300000"), col))
        # it is the deduction (XIV) of the apuração; the control says whose shortfall it
        # compensates: the previous exercício's (crítica 606)
        ctl = "controle_minimo"
        cmds.append(DefinirCelula((ctl, "diferenca_ano_1", "saldo_inicial"), modalidade96))
        for c in ("empenhadas", "liquidadas", "pagas"):
            cmds.append(DefinirCelula((ctl, "diferenca_ano_1", c), modalidade96))
    if centavos:
        chave = next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        cmds.append(DefinirCelula(chave, d.valor(chave) + Decimal(centavos) / 100))
    if cmds:
        d.aplicar(Lote(tuple(cmds)))
    if fator != 1:  # o inscrito em restos a pagar segue o empenhado e não pago (crítica 721)
        inscrito = d.indicadores("empenhada").total_asps - d.indicadores("paga").total_asps
        d.aplicar(DefinirCelula(("rp_execucao", "empenhos_ano", "inscrito"), inscrito))
    return ops_format.para_bytes(d)


def situacao(s: Servidor, ente: str) -> dict:
    resp = s.http.get(f"{s.url}/api/v1/monitoramento/entes/{ente}", timeout=120)
    assert resp.status_code == 200, resp.text
    return resp.json()


def pagina(s: Servidor, ente: str) -> str:
    resp = s.http.get(f"{s.url}/monitoramento/entes/{ente}", timeout=120)
    assert resp.status_code == 200, resp.text
    return resp.text


def notificar(s: Servidor) -> dict:
    """``siops-servidor admin notificar`` (o mesmo relógio de arquivo do servidor)."""
    resp = s.admin("notificar", "--sem-exportacao")
    assert resp.returncode == 0, resp.stderr
    return json.loads(resp.stdout)


def notificacoes(s: Servidor, ente: str) -> list[dict]:
    resp = s.admin("listar-notificacoes", "--ente", ente)
    assert resp.returncode == 0, resp.stderr
    return json.loads(resp.stdout)
