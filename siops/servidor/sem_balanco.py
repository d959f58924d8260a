"""A classificação "Sem Balanço" (SB): o ente cuja gestão anterior não deixou o Balanço Geral
(o FAQ: "A gestão anterior não alimentou o SIOPS, como proceder?").

O atual gestor envia ao DESID/SE/MS o ofício com a justificativa e a cópia da ação contra o
ex-gestor; o Ministério classifica o ente como SB no exercício
(``siops-servidor admin sem-balanco --ente … --exercicio … --justificativa … --oficio …``) e o
ente pode transmitir o exercício seguinte sem o 6º bimestre daquele (``recepcao``). A
classificação **não** configura cumprimento: a situação do ente fica "A COMPROVAR"
(``monitoramento``), e as notificações de prazo daquele exercício param. A reversão
(``reverter-sem-balanco``) encerra a classificação (fica o histórico); as transmissões já
aceitas continuam valendo.
"""

from __future__ import annotations

from typing import Any

from siops.forms.inteiros import EXERCICIO_MAXIMO, EXERCICIO_MINIMO
from siops.servidor import modelos as m
from siops.servidor.cadastro import codigo_ente, descricao_ente
from siops.servidor.contexto import Contexto
from siops.servidor.erros import ErroAPI
from siops.servidor.repositorio import ConflitoEstado
from siops.servidor.tempo import iso, legivel


def _json(s: m.SemBalanco) -> dict[str, Any]:
    return {
        "ente": s.ente,
        "nome": descricao_ente(s.ente),
        "exercicio": s.exercicio,
        "justificativa": s.justificativa,
        "oficio": s.oficio,
        "registrado_em": s.registrado_em,
        "revertido_em": s.revertido_em,
        "motivo_reversao": s.motivo_reversao,
    }


def _exercicio(ctx: Contexto, exercicio: int) -> None:
    if not EXERCICIO_MINIMO <= exercicio <= EXERCICIO_MAXIMO or exercicio >= ctx.agora().year:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            f"O exercício {exercicio} não pode ser classificado Sem Balanço: só exercícios "
            "encerrados têm Balanço Geral.",
        )


def classificar(
    ctx: Contexto, ente: str, exercicio: int, justificativa: str, oficio: str, por: str
) -> dict[str, Any]:
    """Classifica o ente como Sem Balanço no exercício."""
    codigo = codigo_ente(ente)
    _exercicio(ctx, exercicio)
    justificativa = " ".join(justificativa.split())
    oficio = " ".join(oficio.split())
    if len(justificativa) < 20 or not oficio:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            "Informe a justificativa (ao menos 20 caracteres) e a referência do ofício recebido.",
        )
    try:
        s = ctx.repo.registrar_sem_balanco(
            codigo, exercicio, justificativa, oficio, por, iso(ctx.agora())
        )
    except ConflitoEstado as exc:
        atual = exc.detalhe
        quando = f" desde {legivel(atual.registrado_em)}" if isinstance(atual, m.SemBalanco) else ""
        raise ErroAPI(
            409,
            "sem_balanco_existente",
            f"{descricao_ente(codigo)} já está classificado Sem Balanço em {exercicio}{quando}.",
        ) from None
    return _json(s)


def reverter(ctx: Contexto, ente: str, exercicio: int, motivo: str, por: str) -> dict[str, Any]:
    """Encerra a classificação Sem Balanço do ente no exercício."""
    codigo = codigo_ente(ente)
    motivo = " ".join(motivo.split())
    if not motivo:
        raise ErroAPI(422, "requisicao_invalida", "Informe o motivo da reversão.")
    try:
        s = ctx.repo.reverter_sem_balanco(codigo, exercicio, por, motivo, iso(ctx.agora()))
    except ConflitoEstado:
        raise ErroAPI(
            404,
            "nao_encontrado",
            f"{descricao_ente(codigo)} não está classificado Sem Balanço em {exercicio}.",
        ) from None
    return _json(s)


def listar(ctx: Contexto, ente: str | None) -> list[dict[str, Any]]:
    """As classificações ativas (de um ente, se dado)."""
    return [_json(s) for s in ctx.repo.sem_balanco(codigo_ente(ente) if ente else None)]
