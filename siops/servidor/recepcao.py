"""A recepção de uma transmissão (docs/api.md §4): do corpo recebido ao recibo assinado.

Ordem das verificações (a primeira que falha decide): sessão; papel de transmissor; digest =
Idempotency-Key; repetição idempotente (200); XML endurecido; raiz é uma declaração (um recibo
reenviado é recusado aqui); assinatura, cadeia e vigência; leitura do conteúdo **assinado** por
``ops_format``; críticas de novo (estes passos pesados rodam no pool de processos de
``verificacao``); ente do usuário; signatário cadastrado no ente; período já começado pelo
relógio de Brasília (``conferir_periodo_iniciado``) e aberto; críticas impeditivas. Só então o arquivo é gravado (atômico, fsync) e, depois, o banco o
reconhece num COMMIT síncrono; o recibo é gerado a partir do registro.

Recusas são anotadas na tabela ``recusas`` (auditoria), nunca como transmissão aceita, e o
arquivo recusado não é guardado.

Um arquivo já aceito é respondido de novo com 200 só enquanto a sua transmissão é a vigente do
período; se outra a substituiu (nova transmissão, ou retransmissão depois da homologação), o
reenvio é recusado com 409 ``transmissao_substituida`` nomeando a transmissão vigente — "já
tinha chegado" esconderia que aqueles dados não valem mais.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor.armazenamento import sha256
from siops.servidor.autenticacao import Autenticado
from siops.servidor.cadastro import descricao_ente
from siops.servidor.contexto import Contexto
from siops.servidor.erros import ErroAPI
from siops.servidor.repositorio import ConflitoEstado, NovaTransmissao
from siops.servidor.tempo import iso, legivel
from siops.servidor.verificacao import Verificada

_log = logging.getLogger("siops.servidor.recepcao")


def garantir_recibo(ctx: Contexto, t: m.Transmissao) -> str:
    """O recibo guardado, ou gerado e guardado agora (se a parada veio antes de guardá-lo)."""
    if t.recibo:
        return t.recibo
    recibo = ctx.emissor.transmissao(t)
    ctx.repo.definir_recibo(t.protocolo, recibo)
    return recibo


def resposta(ctx: Contexto, t: m.Transmissao) -> dict[str, Any]:
    """O JSON de uma transmissão aceita (201 ou 200)."""
    return {
        "protocolo": t.protocolo,
        "situacao": t.situacao,
        "ente": t.ente,
        "exercicio": t.exercicio,
        "bimestre": t.bimestre,
        "digest": t.digest,
        "recebido_em": t.recebido_em,
        "signatario": {"cpf": t.signatario_cpf, "nome": t.signatario_nome},
        "avisos": json.loads(t.avisos),
        "recibo": garantir_recibo(ctx, t),
    }


def inicio_do_bimestre(exercicio: int, bimestre: int) -> dt.date:
    """O primeiro dia do bimestre (1º: janeiro, …, 6º: novembro)."""
    return dt.date(exercicio, 2 * bimestre - 1, 1)


def conferir_periodo_iniciado(ctx: Contexto, exercicio: int, bimestre: int, ato: str) -> None:
    """422 ``periodo_futuro`` se o bimestre ainda não começou pelo relógio de Brasília.

    Um bimestre pode ser declarado a partir do seu primeiro dia (o 5º e o 6º do ano corrente,
    em dezembro); um período futuro (2027–2029 com o relógio em 2026) não recebe protocolo,
    homologação nem pedido de retransmissão. ``ato`` diz o que foi recusado ("transmitir"…).
    """
    hoje = ctx.agora().date()
    if not 1 <= bimestre <= 6 or exercicio < 1:
        return  # o XSD e os campos validados já recusam; aqui só o calendário
    inicio = inicio_do_bimestre(exercicio, bimestre)
    if inicio > hoje:
        raise ErroAPI(
            422,
            "periodo_futuro",
            f"O {bimestre}º bimestre de {exercicio} ainda não começou: não é possível {ato} "
            "dados de um período futuro.",
            [
                f"O {bimestre}º bimestre de {exercicio} começa em {inicio:%d/%m/%Y}; hoje é "
                f"{hoje:%d/%m/%Y} (horário de Brasília). Confira o exercício e o bimestre da "
                "declaração."
            ],
        )


def erro_transmissao_substituida(ctx: Contexto, t: m.Transmissao) -> ErroAPI:
    """409: o arquivo foi aceito com ``t.protocolo``, mas outra transmissão o substituiu."""
    vig = ctx.repo.vigente(t.ente, t.exercicio, t.bimestre)
    desc = descricao_ente(t.ente)
    periodo = f"{t.bimestre}º bimestre de {t.exercicio} de {desc}"
    if vig is not None:
        erro = (
            f"Este arquivo já foi recebido com o protocolo {t.protocolo}, mas essa transmissão "
            f"foi substituída pela transmissão {vig.protocolo}, que é a vigente do {periodo}."
        )
    else:
        erro = (
            f"Este arquivo já foi recebido com o protocolo {t.protocolo}, mas essa transmissão "
            f"foi substituída e não vale mais para o {periodo}."
        )
    return ErroAPI(
        409,
        "transmissao_substituida",
        erro,
        [
            "Reenviar um arquivo substituído não o faz voltar a valer. Se os dados dele devem "
            "valer, grave de novo o arquivo para transmissão a partir da declaração e transmita "
            "(com o período homologado, depois de autorizada a retransmissão)."
        ],
        extra={
            "protocolo": t.protocolo,
            "substituida_por": vig.protocolo if vig is not None else None,
        },
    )


def _conferir_periodo(ctx: Contexto, d: Verificada, codigo: str, desc: str) -> None:
    conferir_periodo_iniciado(ctx, d.exercicio, d.bimestre, "transmitir")
    atual = ctx.repo.vigente(codigo, d.exercicio, d.bimestre)
    if atual is not None and atual.situacao == m.HOMOLOGADO:
        autorizadas = ctx.repo.retransmissoes(m.AUTORIZADA, codigo)
        if not any(r.exercicio == d.exercicio and r.bimestre == d.bimestre for r in autorizadas):
            raise erro_periodo_homologado(ctx, atual, desc)
    if (
        d.exercicio > ctx.cfg.primeiro_exercicio
        and not ctx.repo.houve_entrega(codigo, d.exercicio - 1, 6)
        and not ctx.repo.sem_balanco(codigo, d.exercicio - 1)  # "Sem Balanço" (sem_balanco)
    ):
        raise ErroAPI(
            409,
            "sexto_bimestre_pendente",
            f"O 6º bimestre de {d.exercicio - 1} de {desc} não foi transmitido.",
            [
                f"Sem a transmissão do 6º bimestre do exercício anterior não é possível transmitir "
                f"o exercício {d.exercicio}. Transmita primeiro o 6º bimestre de "
                f"{d.exercicio - 1}. Se a gestão anterior não deixou o Balanço Geral, o "
                "Ministério pode classificar o exercício como Sem Balanço (ofício ao DESID/SE/MS)."
            ],
        )


def erro_periodo_homologado(ctx: Contexto, atual: m.Transmissao, desc: str) -> ErroAPI:
    """409: o período já foi homologado e não há retransmissão autorizada."""
    h = ctx.repo.homologacao(atual.protocolo)
    quando = f" em {legivel(h.homologado_em)}" if h else ""
    return ErroAPI(
        409,
        "periodo_homologado",
        f"O {atual.bimestre}º bimestre de {atual.exercicio} de {desc} já foi homologado"
        f"{quando} (protocolo {atual.protocolo}).",
        [
            "Para enviar novos dados, o secretário de saúde deve solicitar a retransmissão com "
            "justificativa; depois de autorizada, transmita de novo e homologue outra vez."
        ],
    )


def _recusar_impeditivas(v: Verificada) -> None:
    if v.impeditivas:
        raise ErroAPI(
            422,
            "criticas_impeditivas",
            f"A declaração tem {len(v.impeditivas)} crítica(s) impeditiva(s) e não pode ser "
            "recebida.",
            [
                f"{i['codigo']} — {i['mensagem']}" + (f" ({i['local']})" if i["local"] else "")
                for i in v.impeditivas
            ],
            extra={"criticas": v.impeditivas},
        )


def receber(
    ctx: Contexto, quem: Autenticado, corpo: bytes, chave_idempotencia: str | None
) -> tuple[int, dict[str, Any]]:
    """Recebe uma transmissão; devolve ``(201|200, json)`` ou levanta ``ErroAPI``."""
    if not any(p.papel in m.TRANSMISSORES for p in quem.papeis):
        raise ErroAPI(
            403,
            "sem_permissao",
            "Apenas o técnico responsável pelo envio (ou o gestor do SUS) transmite declarações.",
        )
    digest = sha256(corpo)
    if not chave_idempotencia:
        raise ErroAPI(
            400,
            "requisicao_invalida",
            "Falta o cabeçalho Idempotency-Key (SHA-256 do arquivo enviado).",
        )
    if chave_idempotencia.strip().lower() != digest:
        raise ErroAPI(
            400,
            "idempotency_key_nao_confere",
            "O arquivo chegou diferente do que foi enviado (o SHA-256 não confere com o "
            "cabeçalho Idempotency-Key). Envie de novo.",
        )
    existente = ctx.repo.transmissao_por_digest(digest)
    if existente is not None:
        # a repetição só é respondida a quem transmite por aquele ente
        if not quem.papeis_no_ente(existente.ente) & set(m.TRANSMISSORES):
            raise ErroAPI(
                403,
                "ente_de_outro_usuario",
                "Você não está cadastrado para transmitir as declarações de "
                f"{descricao_ente(existente.ente)}.",
            )
        if existente.situacao not in m.VIGENTES:
            raise erro_transmissao_substituida(ctx, existente)
        return 200, resposta(ctx, existente)
    try:
        return _receber_novo(ctx, quem, corpo, digest)
    except ErroAPI as exc:
        try:
            ctx.repo.registrar_recusa(
                digest, exc.codigo, exc.erro, quem.usuario.cpf, iso(ctx.agora())
            )
        except Exception:  # a auditoria não pode mudar a resposta
            _log.exception("não foi possível anotar a recusa")
        raise


def _receber_novo(
    ctx: Contexto, quem: Autenticado, corpo: bytes, digest: str
) -> tuple[int, dict[str, Any]]:
    v = ctx.verificador.verificar(corpo)
    codigo, desc = v.ente, v.descricao
    if not quem.papeis_no_ente(codigo) & set(m.TRANSMISSORES):
        entes = sorted({p.ente for p in quem.papeis if p.papel in m.TRANSMISSORES})
        raise ErroAPI(
            403,
            "ente_de_outro_usuario",
            f"Você não está cadastrado para transmitir as declarações de {desc}.",
            [f"Seu cadastro é de: {', '.join(descricao_ente(e) for e in entes)}."],
        )
    cpf = v.cpf
    papeis_signatario = {p.papel for p in ctx.repo.papeis_ativos(cpf, codigo)}
    if not papeis_signatario & set(m.TRANSMISSORES):
        raise ErroAPI(
            403,
            "signatario_nao_cadastrado",
            f"Quem assinou o arquivo ({v.nome}, CPF {cpfs.formatar(cpf)}) não está "
            f"cadastrado como técnico nem como gestor do SUS de {desc}.",
            [
                "O arquivo deve ser assinado com o certificado do técnico responsável pelo envio "
                "ou do secretário de saúde (ou substituto) do ente."
            ],
        )
    _conferir_periodo(ctx, v, codigo, desc)
    _recusar_impeditivas(v)
    avisos = [{k: a[k] for k in ("codigo", "mensagem", "local")} for a in v.avisos]
    ctx.armazem.guardar(corpo)
    nova = NovaTransmissao(
        digest=digest,
        ente=codigo,
        uf=v.uf,
        exercicio=v.exercicio,
        bimestre=v.bimestre,
        tamanho=len(corpo),
        signatario_cpf=cpf,
        signatario_nome=v.nome,
        usuario_cpf=quem.usuario.cpf,
        recebido_em=iso(ctx.agora()),
        avisos=json.dumps(avisos, ensure_ascii=False),
    )
    try:
        t, criada = ctx.repo.aceitar(nova)
    except ConflitoEstado as exc:
        if exc.codigo == "periodo_homologado" and isinstance(exc.detalhe, m.Transmissao):
            raise erro_periodo_homologado(ctx, exc.detalhe, desc) from None
        raise
    if not criada and t.situacao not in m.VIGENTES:
        raise erro_transmissao_substituida(ctx, t)
    if criada:  # o aviso "aguardando homologação" aos gestores (servidor/notificacoes.py)
        from siops.servidor.notificacoes import avisar_transmissao

        avisar_transmissao(ctx, t)
    return (201 if criada else 200), resposta(ctx, t)
