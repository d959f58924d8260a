"""Consultas: situação de uma transmissão, de um ente e de uma UF; a referência do FNS; o
demonstrativo homologado (PDF) — o que a API e as páginas públicas mostram."""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from siops import relatorios
from siops.criticas.referencia import FORMATO, VERSAO
from siops.forms.entes import EnteDesconhecido, ente, municipios, uf
from siops.servidor import modelos as m
from siops.servidor.armazenamento import sha256
from siops.servidor.autenticacao import Autenticado
from siops.servidor.cadastro import codigo_ente
from siops.servidor.contexto import Contexto
from siops.servidor.documentos import declaracao_guardada
from siops.servidor.erros import ErroAPI
from siops.servidor.recepcao import garantir_recibo
from siops.servidor.tempo import agora, de_iso

_log = logging.getLogger("siops.servidor.consultas")

PENDENTE = "pendente"


def _transmissao_visivel(ctx: Contexto, quem: Autenticado, protocolo: str) -> m.Transmissao:
    t = ctx.repo.transmissao(protocolo)
    if t is None:
        raise ErroAPI(
            404, "protocolo_desconhecido", f"Não há transmissão com o protocolo {protocolo}."
        )
    if not quem.admin and not quem.papeis_no_ente(t.ente):
        raise ErroAPI(403, "sem_permissao", "Esta transmissão é de outro ente.")
    return t


def transmissao(ctx: Contexto, quem: Autenticado, protocolo: str) -> dict[str, Any]:
    """``GET /transmissoes/{protocolo}``."""
    t = _transmissao_visivel(ctx, quem, protocolo)
    h = ctx.repo.homologacao(protocolo)
    return {
        "protocolo": t.protocolo,
        "ente": t.ente,
        "exercicio": t.exercicio,
        "bimestre": t.bimestre,
        "digest": t.digest,
        "recebido_em": t.recebido_em,
        "situacao": t.situacao,
        "homologacao": None
        if h is None
        else {
            "cpf": h.cpf,
            "nome": h.nome,
            "homologado_em": h.homologado_em,
            "demonstrativo_assinado": h.demonstrativo_recebido,
        },
    }


def arquivo(ctx: Contexto, quem: Autenticado, protocolo: str) -> tuple[bytes, str]:
    """``GET /transmissoes/{protocolo}/arquivo``: os bytes como recebidos e o digest."""
    t = _transmissao_visivel(ctx, quem, protocolo)
    return ctx.armazem.ler(t.digest), t.digest


def recibo(ctx: Contexto, quem: Autenticado, protocolo: str) -> str:
    """``GET /transmissoes/{protocolo}/recibo``: só para quem tem papel no ente (ou o
    administrador) — o recibo assinado traz o CPF do signatário, e nada público traz CPF (os
    protocolos são sequenciais: um recibo público entregaria o CPF de cada técnico)."""
    return garantir_recibo(ctx, _transmissao_visivel(ctx, quem, protocolo))


@dataclass(frozen=True)
class LinhaSituacao:
    """A situação de um ente num período."""

    ente: str
    nome: str
    situacao: str
    protocolo: str | None
    recebido_em: str | None
    homologado_em: str | None
    retransmissao: str | None

    def como_dict(self) -> dict[str, Any]:
        """Em JSON."""
        return dict(self.__dict__)


def _linha(
    ctx: Contexto, codigo: str, nome: str, t: m.Transmissao | None, retransmissoes: dict[str, str]
) -> LinhaSituacao:
    if t is None:
        return LinhaSituacao(codigo, nome, PENDENTE, None, None, None, retransmissoes.get(codigo))
    h = ctx.repo.homologacao(t.protocolo) if t.situacao == m.HOMOLOGADO else None
    return LinhaSituacao(
        codigo,
        nome,
        t.situacao,
        t.protocolo,
        t.recebido_em,
        h.homologado_em if h else None,
        retransmissoes.get(codigo),
    )


def _retransmissoes_abertas(ctx: Contexto, exercicio: int, bimestre: int) -> dict[str, str]:
    out: dict[str, str] = {}
    for situacao in (m.SOLICITADA, m.AUTORIZADA):
        for r in ctx.repo.retransmissoes(situacao):
            if r.exercicio == exercicio and r.bimestre == bimestre:
                out[r.ente] = situacao
    return out


def situacao_ente(ctx: Contexto, codigo: str, exercicio: int) -> dict[str, Any]:
    """``GET /entes/{ente}/situacao?exercicio=``: os seis bimestres."""
    codigo = codigo_ente(codigo)
    e = ente(codigo)
    bimestres = []
    for b in range(1, 7):
        t = ctx.repo.vigente(codigo, exercicio, b)
        linha = _linha(ctx, codigo, e.descricao, t, _retransmissoes_abertas(ctx, exercicio, b))
        d = linha.como_dict()
        d.pop("ente")
        d.pop("nome")
        bimestres.append({"bimestre": b, **d})
    return {"ente": codigo, "nome": e.descricao, "exercicio": exercicio, "bimestres": bimestres}


def situacao_uf(ctx: Contexto, sigla: str, exercicio: int, bimestre: int) -> dict[str, Any]:
    """A situação de entrega de todos os entes de uma UF num bimestre (página pública)."""
    try:
        u = uf(sigla)
    except EnteDesconhecido as exc:
        raise ErroAPI(404, "ente_desconhecido", "UF desconhecida.", [str(exc)]) from None
    if not 1 <= bimestre <= 6:
        raise ErroAPI(422, "requisicao_invalida", "O bimestre vai de 1 a 6.")
    estado = ente(u.sigla)
    entes = [estado]
    if estado.esfera != "df":
        entes += municipios(u.sigla)
    vigentes = ctx.repo.vigentes_do_periodo(u.sigla, exercicio, bimestre)
    abertas = _retransmissoes_abertas(ctx, exercicio, bimestre)
    linhas = [
        _linha(
            ctx,
            e.codigo,
            e.descricao if e.esfera != "municipal" else e.nome,
            vigentes.get(e.codigo),
            abertas,
        )
        for e in entes
    ]
    contagens = {m.TRANSMITIDO: 0, m.HOMOLOGADO: 0, PENDENTE: 0}
    for li in linhas:
        contagens[li.situacao] += 1
    return {
        "uf": u.sigla,
        "nome_uf": u.nome,
        "exercicio": exercicio,
        "bimestre": bimestre,
        "contagens": contagens,
        "entes": [li.como_dict() for li in linhas],
    }


def referencia_fns(ctx: Contexto, codigo: str | None, exercicio: int | None) -> dict[str, Any]:
    """A referência do FNS no formato ``siops-referencia-fns`` (o que
    ``criticas.referencia.ReferenciaFNS.de_json`` lê), filtrada por ente e exercício."""
    valores: dict[tuple[str, int, int], dict[str, Any]] = {}
    for r in ctx.repo.referencia(codigo, exercicio):
        k = (r["ente"], r["exercicio"], r["bimestre"])
        item = valores.setdefault(
            k, {"ente": r["ente"], "exercicio": r["exercicio"], "bimestre": r["bimestre"]}
        )
        item[r["item"]] = r["valor"]
    if not valores:
        raise ErroAPI(
            404,
            "nao_encontrado",
            "Não há valores de referência do FNS carregados para este filtro.",
        )
    return {
        "formato": FORMATO,
        "versao": VERSAO,
        "fonte": "Servidor SIOPS (carregado pelo administrador)",
        "valores": [valores[k] for k in sorted(valores)],
    }


def demonstrativo_pdf(ctx: Contexto, protocolo: str) -> bytes:
    """O demonstrativo homologado da página pública: gerado por ``relatorios`` (e guardado em
    cache), com o nome do gestor que homologou e nenhum CPF.

    O PDF PAdES que o gestor assinou não é público: o certificado ICP-Brasil embutido na
    assinatura traz o CPF dele (nada público traz CPF); quem tem papel no ente o baixa por
    ``demonstrativo_assinado``."""
    t, h = _homologada(ctx, protocolo, "demonstrativo homologado")
    cache = ctx.cfg.dados / "demonstrativos" / f"{protocolo}-{h.id}.pdf"
    if cache.exists():
        return cache.read_bytes()
    d = declaracao_guardada(ctx.armazem, t.digest, protocolo)
    pdf = relatorios.renderizar_rreo(
        d,
        homologado=True,
        homologacao=relatorios.Homologacao(gestor=h.nome, quando=de_iso(h.homologado_em)),
        emitido_em=agora(),
    )
    _gravar_cache(cache, pdf)
    return pdf


def demonstrativo_assinado(ctx: Contexto, quem: Autenticado, protocolo: str) -> bytes:
    """``GET /homologacoes/{protocolo}/demonstrativo``: o PDF PAdES que o gestor assinou (só
    para quem tem papel no ente, ou o administrador); 404 se ele não foi enviado."""
    _transmissao_visivel(ctx, quem, protocolo)
    _, h = _homologada(ctx, protocolo, "demonstrativo homologado")
    if not (h.demonstrativo_recebido and h.digest_demonstrativo):
        raise ErroAPI(
            404,
            "nao_encontrado",
            f"O gestor não enviou o demonstrativo assinado da homologação {protocolo}.",
            ["O demonstrativo público (sem assinatura) está em /demonstrativos/{protocolo}.pdf."],
        )
    return ctx.armazem.ler(h.digest_demonstrativo, ".pdf")


def _homologada(
    ctx: Contexto, protocolo: str, o_que: str = "declaração homologada"
) -> tuple[m.Transmissao, m.Homologacao]:
    """The current homologated transmission and its homologation, or a 404 in Portuguese
    (``o_que``: what was asked for)."""
    t = ctx.repo.transmissao(protocolo)
    h = ctx.repo.homologacao(protocolo) if t is not None else None
    if t is None or h is None or t.situacao != m.HOMOLOGADO:
        raise ErroAPI(
            404,
            "nao_encontrado",
            f"Não há {o_que} vigente com o protocolo {protocolo}.",
            ["Só os dados homologados (e não substituídos por retransmissão) são públicos."],
        )
    return t, h


def declaracao_homologada(ctx: Contexto, protocolo: str):
    """The homologated declaration of a protocol (for its public page and reports)."""
    t, h = _homologada(ctx, protocolo)
    d = declaracao_guardada(ctx.armazem, t.digest, protocolo)
    return t, h, d


def relatorio_pdf(ctx: Contexto, protocolo: str, tipo: str) -> bytes:
    """One of the SIOPS reports (``relatorios.TIPOS``) of a homologated declaration, as PDF,
    rendered by the same ``relatorios`` code as the client's preview (cached)."""
    if tipo not in relatorios.TIPOS:
        raise ErroAPI(404, "nao_encontrado", f"Relatório desconhecido: {tipo}.")
    _t, h, d = declaracao_homologada(ctx, protocolo)
    cache = ctx.cfg.dados / "demonstrativos" / f"{protocolo}-{h.id}-{tipo}.pdf"
    if cache.exists():
        return cache.read_bytes()
    pdf = relatorios.renderizar_relatorio(d, tipo, homologado=True, emitido_em=agora())
    _gravar_cache(cache, pdf)
    return pdf


def _gravar_cache(destino: Path, dados: bytes) -> None:
    destino.parent.mkdir(parents=True, exist_ok=True)
    tmp = destino.with_name(f".{destino.name}.{sha256(dados)[:8]}.tmp")
    tmp.write_bytes(dados)
    tmp.replace(destino)


def json_texto(doc: Any) -> str:
    """JSON legível (UTF-8)."""
    return json.dumps(doc, ensure_ascii=False, indent=2)
