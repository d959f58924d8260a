"""Homologação pelo gestor do SUS e retransmissão (docs/api.md §6 e §7).

A homologação é um documento assinado pelo secretário de saúde (ou substituto) do ente sobre
o protocolo **e** o digest do arquivo transmitido: reaproveitá-la para outro protocolo não
confere (422), reenviá-la é recusado (409). Só depois dela a transmissão está completa e o
demonstrativo fica público. A retransmissão é pedida pelo gestor com justificativa, autorizada
pelo administrador, e a próxima transmissão aceita do período anula a homologação anterior
(``repositorio.aceitar``).
"""

from __future__ import annotations

from typing import Any

from siops.forms.inteiros import EXERCICIO_MAXIMO, EXERCICIO_MINIMO
from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor import pades
from siops.servidor.armazenamento import sha256
from siops.servidor.autenticacao import Autenticado
from siops.servidor.cadastro import codigo_ente, descricao_ente
from siops.servidor.contexto import Contexto, documento_reutilizado
from siops.servidor.documentos import DocumentoAssinado
from siops.servidor.erros import ErroAPI
from siops.servidor.recepcao import conferir_periodo_iniciado
from siops.servidor.repositorio import ConflitoEstado
from siops.servidor.tempo import iso, legivel

_HEX64 = frozenset("0123456789abcdef")


def _exigir_gestor(ctx: Contexto, cpf: str, nome: str, codigo: str, ato: str) -> None:
    papeis = {p.papel for p in ctx.repo.papeis_ativos(cpf, codigo)}
    if not papeis & set(m.GESTORES_SUS):
        raise ErroAPI(
            403,
            "signatario_nao_e_gestor",
            f"{nome} (CPF {cpfs.formatar(cpf)}) não é o secretário de saúde nem o substituto "
            f"de {descricao_ente(codigo)}.",
            [f"Só o gestor do SUS do ente pode {ato}."],
        )


def _digest_opcional(texto: str, campo: str) -> str | None:
    texto = texto.strip().lower()
    if not texto:
        return None
    if len(texto) != 64 or not set(texto) <= _HEX64:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            f"O campo <{campo}> deve ser um SHA-256 em hexadecimal (64 caracteres).",
        )
    return texto


def _periodo(doc: DocumentoAssinado) -> tuple[int, int]:
    """``(exercício, bimestre)`` do documento: algarismos ASCII, dentro dos limites (422)."""
    return (
        doc.inteiro("Exercicio", EXERCICIO_MINIMO, EXERCICIO_MAXIMO),
        doc.inteiro("Bimestre", 1, 6),
    )


def resposta_homologacao(ctx: Contexto, t: m.Transmissao, h: m.Homologacao) -> dict[str, Any]:
    """O JSON de uma homologação (com o recibo, gerado se preciso)."""
    recibo = h.recibo
    if not recibo:
        recibo = ctx.emissor.homologacao(t, h)
        ctx.repo.definir_recibo_homologacao(h.id, recibo)
    return {
        "protocolo": t.protocolo,
        "situacao": m.HOMOLOGADO,
        "homologado_em": h.homologado_em,
        "gestor": {"cpf": h.cpf, "nome": h.nome},
        "recibo": recibo,
    }


def homologar(ctx: Contexto, corpo: bytes) -> dict[str, Any]:
    """``POST /homologacoes``."""
    doc = ctx.documento(corpo, "Homologacao")
    protocolo = doc.campo("Protocolo")
    t = ctx.repo.transmissao(protocolo)
    if t is None:
        raise ErroAPI(
            404, "protocolo_desconhecido", f"Não há transmissão com o protocolo {protocolo}."
        )
    diferencas = []
    if doc.campo("Digest").lower() != t.digest:
        diferencas.append("o resumo (Digest) não é o do arquivo transmitido com este protocolo")
    if codigo_ente(doc.campo("Ente")) != t.ente:
        diferencas.append(f"o ente não é {t.ente}")
    if _periodo(doc) != (t.exercicio, t.bimestre):
        diferencas.append(f"o período não é o {t.bimestre}º bimestre de {t.exercicio}")
    if diferencas:
        raise ErroAPI(
            422,
            "homologacao_nao_confere",
            f"A homologação assinada não corresponde à transmissão {protocolo}.",
            [f"Na homologação assinada, {d}." for d in diferencas]
            + ["Assine a homologação a partir do recibo desta transmissão."],
        )
    conferir_periodo_iniciado(ctx, t.exercicio, t.bimestre, "homologar")
    _exigir_gestor(ctx, doc.cpf, doc.nome, t.ente, "homologar os dados")
    digest_pdf = _digest_opcional(
        doc.campo("DigestDemonstrativo", obrigatorio=False), "DigestDemonstrativo"
    )
    # O documento assinado (os bytes verificados) vai para o disco antes do COMMIT que o
    # reconhece; o banco anota o endereço do arquivo e usa o digest do conteúdo assinado.
    ctx.armazem.guardar(corpo)
    try:
        h = ctx.repo.homologar(
            protocolo,
            doc.cpf,
            doc.nome,
            iso(ctx.agora()),
            doc.digest,
            digest_pdf,
            arquivo_digest=doc.digest_arquivo,
        )
    except ConflitoEstado as exc:
        if exc.codigo == "documento_reutilizado":
            raise documento_reutilizado() from None
        if exc.codigo == "ja_homologado":
            atual = ctx.repo.homologacao(protocolo)
            quando = f" em {legivel(atual.homologado_em)} por {atual.nome}" if atual else ""
            raise ErroAPI(
                409, "ja_homologado", f"A transmissão {protocolo} já foi homologada{quando}."
            ) from None
        if exc.codigo == "transmissao_substituida":
            vig = ctx.repo.vigente(t.ente, t.exercicio, t.bimestre)
            outra = f" A transmissão vigente é a {vig.protocolo}." if vig else ""
            raise ErroAPI(
                409,
                "transmissao_substituida",
                f"A transmissão {protocolo} não é mais a vigente do {t.bimestre}º bimestre de "
                f"{t.exercicio}: foi substituída por outra.{outra}",
            ) from None
        raise
    t = ctx.repo.transmissao(protocolo)
    assert t is not None
    return resposta_homologacao(ctx, t, h)


def receber_demonstrativo(ctx: Contexto, protocolo: str, pdf: bytes) -> dict[str, Any]:
    """``PUT /homologacoes/{protocolo}/demonstrativo``: o PDF PAdES anunciado na homologação."""
    h = ctx.repo.homologacao(protocolo)
    if h is None:
        raise ErroAPI(
            404, "nao_encontrado", f"A transmissão {protocolo} não tem homologação válida."
        )
    if not pdf.startswith(b"%PDF-"):
        raise ErroAPI(422, "demonstrativo_nao_confere", "O arquivo enviado não é um PDF.")
    digest = sha256(pdf)
    if not h.digest_demonstrativo or digest != h.digest_demonstrativo:
        raise ErroAPI(
            422,
            "demonstrativo_nao_confere",
            "O PDF enviado não é o demonstrativo anunciado na homologação assinada.",
            ["O SHA-256 do PDF deve ser o do campo <DigestDemonstrativo> da homologação."],
        )
    pades.verificar(pdf, ctx.raizes, ctx.intermediarios, h.cpf, ctx.revogacao)
    ctx.armazem.guardar(pdf, ".pdf")
    if not h.demonstrativo_recebido:
        ctx.repo.registrar_demonstrativo(h.id)
    return {"protocolo": protocolo, "digest": digest, "situacao": "recebido"}


def _json_retransmissao(r: m.Retransmissao) -> dict[str, Any]:
    return {
        "id": r.id,
        "situacao": r.situacao,
        "ente": r.ente,
        "exercicio": r.exercicio,
        "bimestre": r.bimestre,
        "justificativa": r.justificativa,
        "solicitada_em": r.solicitada_em,
        "autorizada_em": r.autorizada_em,
        "utilizada_por": r.utilizada_por,
    }


def solicitar_retransmissao(ctx: Contexto, corpo: bytes) -> dict[str, Any]:
    """``POST /retransmissoes``: pedido assinado do gestor, com justificativa."""
    doc = ctx.documento(corpo, "SolicitacaoRetransmissao")
    codigo = codigo_ente(doc.campo("Ente"))
    exercicio, bimestre = _periodo(doc)
    conferir_periodo_iniciado(ctx, exercicio, bimestre, "pedir retransmissão de")
    justificativa = " ".join(doc.campo("Justificativa").split())
    if not 20 <= len(justificativa) <= 2000:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            "A justificativa deve ter entre 20 e 2.000 caracteres.",
            ["Explique o que será corrigido nos dados já homologados."],
        )
    _exigir_gestor(ctx, doc.cpf, doc.nome, codigo, "solicitar retransmissão")
    try:
        r = ctx.repo.solicitar_retransmissao(
            codigo, exercicio, bimestre, justificativa, doc.cpf, iso(ctx.agora()), doc.digest
        )
    except ConflitoEstado as exc:
        if exc.codigo == "documento_reutilizado":
            raise documento_reutilizado() from None
        if exc.codigo == "periodo_nao_homologado":
            raise ErroAPI(
                409,
                "periodo_nao_homologado",
                f"O {bimestre}º bimestre de {exercicio} de {descricao_ente(codigo)} não está "
                "homologado: não é preciso pedir retransmissão.",
                ["Enquanto não houver homologação, basta transmitir de novo."],
            ) from None
        if exc.codigo == "solicitacao_pendente":
            raise ErroAPI(
                409,
                "solicitacao_pendente",
                f"Já há uma solicitação de retransmissão pendente para o {bimestre}º bimestre "
                f"de {exercicio} (número {exc.detalhe}).",
            ) from None
        raise
    return _json_retransmissao(r)


def autorizar_retransmissao(
    ctx: Contexto, ident: int, admin_cpf: str, observacao: str = ""
) -> dict[str, Any]:
    """Autorização do administrador (API ou linha de comando)."""
    try:
        r = ctx.repo.autorizar_retransmissao(ident, admin_cpf, observacao, iso(ctx.agora()))
    except ConflitoEstado as exc:
        if exc.codigo == "retransmissao_desconhecida":
            raise ErroAPI(
                404,
                "retransmissao_desconhecida",
                f"Não há solicitação de retransmissão número {ident}.",
            ) from None
        raise ErroAPI(
            409,
            "solicitacao_pendente",
            f"A solicitação {ident} não está aguardando autorização (situação: {exc.detalhe}).",
        ) from None
    return _json_retransmissao(r)


def consultar_retransmissao(ctx: Contexto, quem: Autenticado, ident: int) -> dict[str, Any]:
    """``GET /retransmissoes/{id}`` (gestores do ente e admin)."""
    r = ctx.repo.retransmissao(ident)
    if r is None:
        raise ErroAPI(
            404,
            "retransmissao_desconhecida",
            f"Não há solicitação de retransmissão número {ident}.",
        )
    if not quem.admin and not quem.papeis_no_ente(r.ente):
        raise ErroAPI(403, "sem_permissao", "Esta solicitação é de outro ente.")
    return _json_retransmissao(r)


def listar_retransmissoes(ctx: Contexto, situacao: str | None) -> list[dict[str, Any]]:
    """Lista para o administrador."""
    return [_json_retransmissao(r) for r in ctx.repo.retransmissoes(situacao or None)]


__all__ = [
    "autorizar_retransmissao",
    "consultar_retransmissao",
    "homologar",
    "listar_retransmissoes",
    "receber_demonstrativo",
    "resposta_homologacao",
    "solicitar_retransmissao",
]
