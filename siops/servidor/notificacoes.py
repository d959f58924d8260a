"""As notificações automáticas por e-mail aos gestores (Decreto 7.827/2012, art. 4º; issue 25).

Três eventos, cada um com uma chave que não se repete (``notificacoes.evento``):

* ``antes_prazo/<ente>/<exercício>/<bimestre>`` — ``dias_aviso_prazo`` dias antes do prazo
  (``prazos.PRAZOS``), se o período ainda não está homologado: ao chefe do Executivo, ao
  secretário de saúde e aos substitutos;
* ``depois_prazo/<ente>/<exercício>/<bimestre>/<episódio>`` — passado o prazo sem homologação,
  às mesmas pessoas. No 6º bimestre é a **notificação automática** do Decreto 7.827/2012,
  art. 16, II: a data de envio registrada abre os 30 dias depois dos quais as transferências são
  suspensas (``monitoramento``). Uma retransmissão que anula a homologação abre um novo
  episódio (``h<id>`` da homologação anulada), com nova notificação;
* ``aguardando/<protocolo>`` — uma transmissão chegou e espera a homologação: ao secretário de
  saúde e ao substituto (o FAQ: os dados ficam disponíveis para homologação em até 24 h; aqui,
  na hora).

Cada envio é registrado antes (``reservar_notificacao``: a quem, o papel, o e-mail, o assunto e
o motivo) e concluído depois (``enviada_em``, no relógio do servidor); o índice único
``(evento, cpf)`` garante que ninguém recebe o mesmo evento duas vezes, mesmo com vários
workers ou com o ``admin notificar`` rodando junto. Uma falha do SMTP fica registrada
(``falha``) e a próxima passagem tenta de novo. Só recebe quem tem papel ativo e e-mail
cadastrado; sem ninguém a notificar, não há notificação — e sem ela os 30 dias não correm.

``processar`` é a passagem inteira: roda de tempos em tempos dentro do servidor
(``intervalo_notificacoes_segundos``) e pelo ``siops-servidor admin notificar`` (um cron).
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from siops.forms.entes import EnteDesconhecido, ente
from siops.servidor import modelos as m
from siops.servidor import prazos
from siops.servidor.contexto import Contexto
from siops.servidor.correio import FalhaEmail
from siops.servidor.monitoramento import episodio, evento_depois_prazo
from siops.servidor.repositorio import NovaNotificacao
from siops.servidor.tempo import iso

_log = logging.getLogger("siops.servidor.notificacoes")

#: Quem recebe os avisos de prazo: os gestores do art. 4º (chefe, secretário e substitutos).
GESTORES = (m.CHEFE, m.SUBSTITUTO_CHEFE, m.SECRETARIO, m.SUBSTITUTO_SECRETARIO)
RODAPE = (
    "\n\nEsta mensagem foi gerada automaticamente pelo servidor do SIOPS; não a responda. "
    "Dúvidas: Disque Saúde 136 (opção 8, depois 6).\n"
)


@dataclass(frozen=True)
class Evento:
    """Um evento a notificar: a chave, o tipo, o ente, o período e o texto."""

    chave: str
    tipo: str
    ente: str
    exercicio: int | None
    bimestre: int | None
    protocolo: str | None
    papeis: tuple[str, ...]
    assunto: str
    texto: str  # o corpo (sem a saudação) e o motivo registrado


@dataclass
class Resultado:
    """O que uma passagem fez."""

    enviadas: int = 0
    falhas: int = 0
    ja_registradas: int = 0

    def como_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def _periodo(b: int, a: int) -> str:
    return f"{b}º bimestre de {a}"


def eventos_de_prazo(ctx: Contexto, agora: dt.datetime, entes: Iterable[str]) -> list[Evento]:
    """Os avisos de prazo devidos hoje para ``entes`` (os que têm gestor com e-mail)."""
    hoje = agora.date()
    alvos = sorted(set(entes))
    if not alvos:
        return []
    dias = ctx.cfg.dias_aviso_prazo
    exercicios = [a for a in (hoje.year - 1, hoje.year) if a >= ctx.cfg.primeiro_exercicio]
    saida: list[Evento] = []
    for a in exercicios:
        homologados = {
            (t.ente, t.bimestre) for t in ctx.repo.vigentes(a) if t.situacao == m.HOMOLOGADO
        }
        transmitidos = {(t.ente, t.bimestre): t for t in ctx.repo.vigentes(a)}
        sem_balanco = {s.ente for s in ctx.repo.sem_balanco(None, a)}
        for b in range(1, 7):
            limite = prazos.prazo(a, b)
            if hoje > limite + dt.timedelta(days=366):
                continue
            anuladas = ctx.repo.ultimas_homologacoes_anuladas(a, b) if hoje > limite else {}
            for codigo in alvos:
                if (codigo, b) in homologados or codigo in sem_balanco:
                    continue
                try:
                    desc = ente(codigo).descricao
                except EnteDesconhecido:
                    continue
                periodo = _periodo(b, a)
                t = transmitidos.get((codigo, b))
                estado = (
                    f"A transmissão {t.protocolo} aguarda a homologação do gestor do SUS."
                    if t
                    else "Ainda não há transmissão deste período."
                )
                if limite - dt.timedelta(days=dias) <= hoje <= limite:
                    saida.append(
                        Evento(
                            f"antes_prazo/{codigo}/{a}/{b}",
                            "antes_prazo",
                            codigo,
                            a,
                            b,
                            None,
                            GESTORES,
                            f"SIOPS — prazo do {periodo} vence em {prazos.data_br(limite)}",
                            f"O prazo para transmitir e homologar os dados do SIOPS do {periodo} "
                            f"de {desc} vence em {prazos.data_br(limite)}. {estado} A transmissão "
                            "só está completa depois da homologação pelo secretário de saúde.",
                        )
                    )
                elif hoje > limite:
                    ep = episodio(anuladas.get(codigo))
                    if b == 6:
                        texto = (
                            f"Os dados do SIOPS do {periodo} de {desc} não estão homologados "
                            f"(prazo: {prazos.data_br(limite)}). {estado} Esta é a notificação "
                            "automática do art. 4º do Decreto nº 7.827/2012: se os dados não "
                            "forem transmitidos e homologados em 30 dias contados desta "
                            "notificação, as transferências constitucionais (FPM e ITR; FPE e "
                            "IPI-Exportação para estados) e voluntárias da União serão suspensas "
                            "(art. 16, II, e art. 18, II)."
                        )
                    else:
                        texto = (
                            f"O prazo para transmitir e homologar os dados do SIOPS do {periodo} "
                            f"de {desc} venceu em {prazos.data_br(limite)} e os dados não estão "
                            f"homologados. {estado} A transmissão em atraso é aceita a qualquer "
                            "momento."
                        )
                    saida.append(
                        Evento(
                            evento_depois_prazo(codigo, a, b, ep),
                            "depois_prazo",
                            codigo,
                            a,
                            b,
                            None,
                            GESTORES,
                            f"SIOPS — {periodo} sem homologação (prazo vencido em "
                            f"{prazos.data_br(limite)})",
                            texto,
                        )
                    )
    return saida


def evento_aguardando(t: m.Transmissao) -> Evento:
    """ "Uma transmissão espera homologação": ao secretário de saúde e ao substituto."""
    try:
        desc = ente(t.ente).descricao
    except EnteDesconhecido:
        desc = t.ente
    periodo = _periodo(t.bimestre, t.exercicio)
    return Evento(
        f"aguardando/{t.protocolo}",
        "aguardando_homologacao",
        t.ente,
        t.exercicio,
        t.bimestre,
        t.protocolo,
        (m.SECRETARIO, m.SUBSTITUTO_SECRETARIO),
        f"SIOPS — {periodo} transmitido, aguardando homologação (protocolo {t.protocolo})",
        f"Os dados do SIOPS do {periodo} de {desc} foram transmitidos por "
        f"{t.signatario_nome} em {t.recebido_em[8:10]}/{t.recebido_em[5:7]}/"
        f"{t.recebido_em[:4]} (protocolo {t.protocolo}) e estão disponíveis para homologação. "
        "A transmissão só está completa depois da homologação pelo secretário de saúde (ou "
        "substituto), com o certificado digital: no transmissor, aba Homologação, ou "
        f"«siopsnet homologar --protocolo {t.protocolo}». Prazo do período: "
        f"{prazos.data_br(prazos.prazo(t.exercicio, t.bimestre))}.",
    )


def enviar_evento(
    ctx: Contexto,
    ev: Evento,
    destinatarios: dict[str, list[tuple[m.Papel, str]]],
    res: Resultado,
) -> None:
    """Reserva, envia e registra o evento para cada destinatário (uma vez por pessoa)."""
    vistos: set[str] = set()
    for papel, email in destinatarios.get(ev.ente, ()):
        if papel.papel not in ev.papeis or papel.cpf in vistos:
            continue
        vistos.add(papel.cpf)
        nova = NovaNotificacao(
            evento=ev.chave,
            tipo=ev.tipo,
            ente=ev.ente,
            exercicio=ev.exercicio,
            bimestre=ev.bimestre,
            protocolo=ev.protocolo,
            cpf=papel.cpf,
            nome=papel.nome,
            papel=papel.papel,
            email=email,
            assunto=ev.assunto,
            motivo=ev.texto,
        )
        ident = ctx.repo.reservar_notificacao(nova, iso(ctx.agora()))
        if ident is None:
            res.ja_registradas += 1
            continue
        corpo = (
            f"Prezado(a) {papel.nome} ({m.NOME_PAPEL[papel.papel]}),\n\n{ev.texto}\n\n"
            f"Referência desta notificação: {ev.chave}." + RODAPE
        )
        try:
            ctx.correio.enviar(email, ev.assunto, corpo)
        except FalhaEmail as exc:
            _log.warning("notificação %s para %s não enviada: %s", ev.chave, email, exc)
            ctx.repo.falhar_notificacao(ident, str(exc))
            res.falhas += 1
            continue
        ctx.repo.concluir_notificacao(ident, iso(ctx.agora()))
        res.enviadas += 1


def _destinatarios(ctx: Contexto) -> dict[str, list[tuple[m.Papel, str]]]:
    por_ente: dict[str, list[tuple[m.Papel, str]]] = {}
    for papel, email in ctx.repo.gestores_com_email(GESTORES):
        por_ente.setdefault(papel.ente, []).append((papel, email))
    return por_ente


def processar(ctx: Contexto) -> Resultado:
    """Uma passagem: os avisos de prazo devidos e as transmissões que esperam homologação."""
    res = Resultado()
    agora = ctx.agora()
    destinatarios = _destinatarios(ctx)
    for ev in eventos_de_prazo(ctx, agora, destinatarios):
        enviar_evento(ctx, ev, destinatarios, res)
    for a in (agora.year - 1, agora.year):
        for t in ctx.repo.vigentes(a):
            if t.situacao == m.TRANSMITIDO and t.ente in destinatarios:
                enviar_evento(ctx, evento_aguardando(t), destinatarios, res)
    return res


def avisar_transmissao(ctx: Contexto, t: m.Transmissao) -> None:
    """Depois de aceitar uma transmissão: o aviso aos gestores numa thread (a resposta ao
    técnico não espera o SMTP; se falhar, a próxima passagem tenta de novo)."""

    def rodar() -> None:
        try:
            destinatarios: dict[str, list[tuple[m.Papel, str]]] = {t.ente: []}
            for p in ctx.repo.papeis_ativos(None, t.ente):  # só o ente: barato sob carga
                u = ctx.repo.usuario(p.cpf) if p.papel in GESTORES else None
                if u is not None and u.email:
                    destinatarios[t.ente].append((p, u.email))
            enviar_evento(ctx, evento_aguardando(t), destinatarios, Resultado())
        except Exception:  # nunca derruba nada: a passagem periódica refaz
            _log.exception("falha ao notificar a transmissão %s", t.protocolo)

    threading.Thread(target=rodar, name="siops-aviso", daemon=True).start()
