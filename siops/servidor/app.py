"""A aplicação Starlette: rotas da API (docs/api.md) e páginas públicas.

Os manipuladores são finos: leem o corpo com limite de tamanho (assíncrono) e passam o
trabalho — verificação de assinatura, críticas, banco — para o *threadpool*
(``run_in_threadpool``), onde as funções síncronas de ``autenticacao``, ``cadastro``,
``recepcao``, ``homologacao`` e ``consultas`` rodam. Toda recusa é um ``ErroAPI`` → JSON em
português; nenhuma exceção chega ao usuário como traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from siops import relatorios
from siops.forms import inteiros
from siops.forms.declaracao import periodo
from siops.servidor import (
    autenticacao,
    cadastro,
    consultas,
    controle_externo,
    exportacao,
    homologacao,
    monitoramento,
    notificacoes,
    paginas,
    paginas_monitoramento,
    recepcao,
)
from siops.servidor.banco import Sobrecarregado
from siops.servidor.config import Config
from siops.servidor.contexto import Contexto
from siops.servidor.erros import ErroAPI
from siops.servidor.limites import LimiteRequisicoes
from siops.servidor.tempo import agora, legivel

_log = logging.getLogger("siops.servidor.app")

LIMITE_JSON = 64 * 1024
#: Nenhum pedido JSON da API passa de um objeto com valores simples; 16 níveis sobram, e um
#: JSON aninhado a milhares de níveis não chega a estourar a pilha de quem o percorre.
PROFUNDIDADE_JSON = 16
#: Quanto de um corpo grande demais ainda é lido (e descartado) antes de responder 413, para o
#: cliente receber a resposta em vez de uma conexão cortada no meio do envio.
DESCARTE_MAXIMO = 64 * 1024 * 1024


class JSONUTF8(JSONResponse):
    """JSON com acentos legíveis."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False).encode("utf-8")


def _ctx(request: Request) -> Contexto:
    return request.app.state.ctx


async def _descartar(request: Request, lido: int) -> None:
    async for parte in request.stream():
        lido += len(parte)
        if lido > DESCARTE_MAXIMO:
            break


def _grande_demais(limite: int) -> ErroAPI:
    mb = limite / (1024 * 1024)
    texto = f"{mb:.0f}" if mb >= 1 else f"{mb:.2f}".replace(".", ",")
    return ErroAPI(
        413,
        "arquivo_grande_demais",
        f"O arquivo enviado passa do limite de {texto} MB aceito pelo servidor.",
        ["Uma declaração do SIOPS tem dezenas de kB: confira se escolheu o arquivo certo."],
    )


async def ler_corpo(request: Request, limite: int) -> bytes:
    """O corpo inteiro, até ``limite`` bytes; 413 acima disso (``Content-Length`` ou contagem)."""
    declarado = request.headers.get("content-length")
    if declarado is not None:
        try:
            tamanho = inteiros.inteiro_ascii(declarado, "O Content-Length")
        except inteiros.InteiroInvalido:
            raise ErroAPI(400, "requisicao_invalida", "Content-Length inválido.") from None
        if tamanho > limite:
            await _descartar(request, 0)
            raise _grande_demais(limite)
    partes: list[bytes] = []
    total = 0
    async for parte in request.stream():
        total += len(parte)
        if total > limite:
            await _descartar(request, total)
            raise _grande_demais(limite)
        partes.append(parte)
    return b"".join(partes)


def _sem_constantes(nome: str) -> Any:
    raise ValueError(f"{nome} não é um número JSON")


def _profundidade(doc: Any) -> int:
    """Quantos níveis de listas e objetos ``doc`` tem (sem recursão)."""
    maior, pilha = 0, [(doc, 1)]
    while pilha:
        atual, nivel = pilha.pop()
        if isinstance(atual, dict):
            atual = list(atual.values())
        if isinstance(atual, list):
            maior = max(maior, nivel)
            pilha.extend((filho, nivel + 1) for filho in atual)
    return maior


async def ler_json(request: Request) -> dict:
    """O corpo JSON (objeto de até ``PROFUNDIDADE_JSON`` níveis); 400 se não for.

    Aninhamento que estoura a pilha do decodificador (``RecursionError``), números com mais
    algarismos do que o Python converte e ``NaN``/``Infinity`` são JSON inválido, não erro
    interno.
    """
    corpo = await ler_corpo(request, LIMITE_JSON)
    invalido = ErroAPI(400, "requisicao_invalida", "O corpo da requisição não é JSON válido.")
    try:
        doc = json.loads(corpo or b"{}", parse_constant=_sem_constantes)
    except (ValueError, RecursionError):  # JSONDecodeError e UnicodeDecodeError são ValueError
        raise invalido from None
    if not isinstance(doc, dict):
        raise ErroAPI(400, "requisicao_invalida", "O corpo da requisição deve ser um objeto JSON.")
    if _profundidade(doc) > PROFUNDIDADE_JSON:
        raise ErroAPI(
            400,
            "requisicao_invalida",
            "O corpo da requisição não é JSON válido.",
            [f"O JSON tem mais de {PROFUNDIDADE_JSON} níveis de listas e objetos."],
        )
    return doc


def _exigir_xml(request: Request) -> None:
    tipo = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if tipo and tipo not in ("application/xml", "text/xml", "application/octet-stream"):
        raise ErroAPI(
            415, "tipo_de_conteudo", f"Tipo de conteúdo não aceito: {tipo}. Envie application/xml."
        )


async def _quem(request: Request) -> autenticacao.Autenticado:
    return await run_in_threadpool(
        autenticacao.autenticar, _ctx(request), request.headers.get("authorization")
    )


async def _em_thread(fn: Callable[..., Any], *args: Any) -> Any:
    return await run_in_threadpool(fn, *args)


# --- API ------------------------------------------------------------------------------------


async def sessoes(request: Request) -> Response:
    """``POST /sessoes`` (login por CPF e senha) e ``DELETE /sessoes`` (sair)."""
    ctx = _ctx(request)
    if request.method == "DELETE":
        quem = await _quem(request)
        await _em_thread(autenticacao.logout, ctx, quem)
        return Response(status_code=204)
    return JSONUTF8(await _em_thread(autenticacao.login, ctx, await ler_json(request)), 201)


async def _documento_assinado(
    request: Request, tratar: Callable[[Contexto, bytes], Any], status: int = 200
) -> Response:
    """Um POST anônimo cujo corpo é um documento XML assinado (cadastro, contato, sessão de
    gestor, homologação, retransmissão): tipo XML, corpo até ``limite_documento``, ``tratar``
    fora do laço de eventos; a assinatura é quem autoriza."""
    ctx = _ctx(request)
    _exigir_xml(request)
    corpo = await ler_corpo(request, ctx.cfg.limite_documento)
    return JSONUTF8(await _em_thread(tratar, ctx, corpo), status)


async def sessao_certificado(request: Request) -> Response:
    """``POST /sessoes/certificado``: sessão de gestor por documento assinado."""
    return await _documento_assinado(request, autenticacao.login_certificado, 201)


async def esqueci(request: Request) -> Response:
    """``POST /senhas/esqueci``: senha nova por e-mail."""
    ctx = _ctx(request)
    return JSONUTF8(await _em_thread(autenticacao.esqueci, ctx, await ler_json(request)), 202)


async def trocar_senha(request: Request) -> Response:
    """``POST /senhas``: troca a senha."""
    ctx = _ctx(request)
    quem = await _quem(request)
    await _em_thread(autenticacao.trocar_senha, ctx, quem, await ler_json(request))
    return Response(status_code=204)


async def cadastros(request: Request) -> Response:
    """``POST /cadastros``: cadastro assinado na cadeia."""
    return await _documento_assinado(request, cadastro.cadastrar, 201)


async def cadastros_do_ente(request: Request) -> Response:
    """``GET /entes/{ente}/cadastros``: quem está ativo no ente."""
    ctx = _ctx(request)
    quem = await _quem(request)
    codigo = cadastro.codigo_ente(request.path_params["ente"])
    return JSONUTF8(await _em_thread(cadastro.visiveis, ctx, codigo, quem.usuario.cpf, quem.admin))


async def contato(request: Request) -> Response:
    """``POST /cadastros/contato``: alteração assinada do e-mail e do telefone."""
    return await _documento_assinado(request, cadastro.alterar_contato)


async def transmissoes(request: Request) -> Response:
    """``POST /transmissoes``: a recepção (``recepcao.receber``)."""
    ctx = _ctx(request)
    quem = await _quem(request)
    _exigir_xml(request)
    corpo = await ler_corpo(request, ctx.cfg.limite_transmissao)
    status, doc = await _em_thread(
        recepcao.receber, ctx, quem, corpo, request.headers.get("idempotency-key")
    )
    return JSONUTF8(doc, status, headers={"Location": f"/api/v1/transmissoes/{doc['protocolo']}"})


async def transmissao(request: Request) -> Response:
    """``GET /transmissoes/{protocolo}``: situação."""
    ctx = _ctx(request)
    quem = await _quem(request)
    return JSONUTF8(
        await _em_thread(consultas.transmissao, ctx, quem, request.path_params["protocolo"])
    )


async def transmissao_recibo(request: Request) -> Response:
    """``GET /transmissoes/{protocolo}/recibo``: o recibo XML (traz o CPF do signatário: só
    para quem tem papel no ente, ou o administrador)."""
    ctx = _ctx(request)
    quem = await _quem(request)
    recibo = await _em_thread(consultas.recibo, ctx, quem, request.path_params["protocolo"])
    return Response(recibo.encode("utf-8"), media_type="application/xml")


async def demonstrativo_do_gestor(request: Request) -> Response:
    """``GET /homologacoes/{protocolo}/demonstrativo``: o PDF PAdES do gestor (traz o CPF no
    certificado: só para quem tem papel no ente, ou o administrador)."""
    ctx = _ctx(request)
    quem = await _quem(request)
    protocolo = request.path_params["protocolo"]
    pdf = await _em_thread(consultas.demonstrativo_assinado, ctx, quem, protocolo)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'attachment; filename="RREO-Anexo12-{protocolo}-assinado.pdf"'
        },
    )


async def transmissao_arquivo(request: Request) -> Response:
    """``GET /transmissoes/{protocolo}/arquivo``: os bytes recebidos."""
    ctx = _ctx(request)
    quem = await _quem(request)
    dados, digest = await _em_thread(consultas.arquivo, ctx, quem, request.path_params["protocolo"])
    return Response(dados, media_type="application/xml", headers={"ETag": f'"{digest}"'})


async def situacao_ente(request: Request) -> Response:
    """``GET /entes/{ente}/situacao``: os seis bimestres do exercício."""
    ctx = _ctx(request)
    exercicio = _inteiro(request.query_params.get("exercicio"), agora().year, "exercicio")
    return JSONUTF8(
        await _em_thread(consultas.situacao_ente, ctx, request.path_params["ente"], exercicio)
    )


async def situacao_uf(request: Request) -> Response:
    """``GET /situacao``: a situação de entrega de uma UF em JSON."""
    ctx = _ctx(request)
    q = request.query_params
    doc = await _em_thread(
        consultas.situacao_uf,
        ctx,
        q.get("uf", ""),
        _inteiro(q.get("exercicio"), agora().year, "exercicio"),
        _inteiro(q.get("bimestre"), 1, "bimestre"),
    )
    return JSONUTF8(doc)


async def homologacoes(request: Request) -> Response:
    """``POST /homologacoes``: homologação assinada."""
    return await _documento_assinado(request, homologacao.homologar, 201)


async def demonstrativo_assinado(request: Request) -> Response:
    """``PUT /homologacoes/{protocolo}/demonstrativo``: o PDF PAdES."""
    ctx = _ctx(request)
    corpo = await ler_corpo(request, ctx.cfg.limite_pdf)
    doc = await _em_thread(
        homologacao.receber_demonstrativo, ctx, request.path_params["protocolo"], corpo
    )
    return JSONUTF8(doc, 201)


async def retransmissoes(request: Request) -> Response:
    """``POST /retransmissoes``: solicitação assinada."""
    return await _documento_assinado(request, homologacao.solicitar_retransmissao, 201)


async def retransmissao(request: Request) -> Response:
    """``GET /retransmissoes/{id}``: situação da solicitação."""
    ctx = _ctx(request)
    quem = await _quem(request)
    ident = _inteiro(request.path_params["id"], 0, "id")
    return JSONUTF8(await _em_thread(homologacao.consultar_retransmissao, ctx, quem, ident))


async def admin_retransmissoes(request: Request) -> Response:
    """``GET /admin/retransmissoes``: lista (administrador)."""
    ctx = _ctx(request)
    quem = await _quem(request)
    autenticacao.exigir_admin(quem)
    lista = await _em_thread(
        homologacao.listar_retransmissoes, ctx, request.query_params.get("situacao")
    )
    return JSONUTF8({"retransmissoes": lista})


async def admin_autorizar(request: Request) -> Response:
    """``POST /admin/retransmissoes/{id}/autorizacao`` (administrador)."""
    ctx = _ctx(request)
    quem = await _quem(request)
    autenticacao.exigir_admin(quem)
    pedido = await ler_json(request)
    ident = _inteiro(request.path_params["id"], 0, "id")
    observacao = pedido.get("observacao") if isinstance(pedido.get("observacao"), str) else ""
    doc = await _em_thread(
        homologacao.autorizar_retransmissao, ctx, ident, quem.usuario.cpf, observacao
    )
    return JSONUTF8(doc)


async def certificado(request: Request) -> Response:
    """``GET /certificado``: a AC de recibos em PEM."""
    return Response(_ctx(request).chaves.ac_pem(), media_type="application/x-pem-file")


async def referencia_fns(request: Request) -> Response:
    """``GET /referencia-fns``: os valores do FNS."""
    ctx = _ctx(request)
    q = request.query_params
    ente = request.path_params.get("ente") or q.get("ente")
    exercicio = request.path_params.get("exercicio") or q.get("exercicio")
    codigo = cadastro.codigo_ente(ente) if ente else None
    ano = _inteiro(exercicio, 0, "exercicio") if exercicio else None
    return JSONUTF8(await _em_thread(consultas.referencia_fns, ctx, codigo, ano))


# --- monitoramento e controle externo (issue 25) -------------------------------------------


def _json_uf(doc: dict[str, Any]) -> dict[str, Any]:
    return {**doc, "entes": [s.como_dict() for s in doc["entes"]]}


async def monitoramento_uf(request: Request) -> Response:
    """``GET /api/v1/monitoramento?uf=SP[&situacao=CONDICIONADA]``: a situação dos entes."""
    q = request.query_params
    doc = await _em_thread(
        monitoramento.situacao_uf, _ctx(request), q.get("uf", ""), q.get("situacao") or None
    )
    return JSONUTF8(_json_uf(doc))


async def monitoramento_ente(request: Request) -> Response:
    """``GET /api/v1/monitoramento/entes/{ente}``: a situação de um ente."""
    s = await _em_thread(monitoramento.situacao_de, _ctx(request), request.path_params["ente"])
    return JSONUTF8(s.como_dict())


async def monitoramento_exportacao(request: Request) -> Response:
    """``GET /api/v1/monitoramento/exportacao.csv``: o arquivo diário (gerado se falta)."""
    caminho = await _em_thread(exportacao.exportar, _ctx(request))
    return Response(
        caminho.read_bytes(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{caminho.name}"'},
    )


async def controle_externo_post(request: Request) -> Response:
    """``POST /api/v1/controle-externo``: números assinados pelo técnico do Tribunal de Contas."""
    return await _documento_assinado(request, controle_externo.registrar, 201)


async def pagina_monitoramento(request: Request) -> Response:
    """``GET /monitoramento[?uf=SP&situacao=…]``: a situação dos entes de uma UF."""
    q = request.query_params
    if not q.get("uf"):
        return HTMLResponse(paginas_monitoramento.inicio())
    try:
        doc = await _em_thread(
            monitoramento.situacao_uf, _ctx(request), q.get("uf", ""), q.get("situacao") or None
        )
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Monitoramento", exc.erro, exc.motivos), exc.status)
    return HTMLResponse(paginas_monitoramento.uf(doc))


async def pagina_monitoramento_ente(request: Request) -> Response:
    """``GET /monitoramento/entes/{ente}``: a situação de um ente, com os números."""
    try:
        s = await _em_thread(monitoramento.situacao_de, _ctx(request), request.path_params["ente"])
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Monitoramento", exc.erro, exc.motivos), exc.status)
    return HTMLResponse(paginas_monitoramento.ente(s))


async def _vigia_monitoramento(ctx: Contexto) -> None:
    """De ``intervalo_notificacoes_segundos`` em ``intervalo_notificacoes_segundos``: as
    notificações devidas e a exportação do dia. Uma falha é registrada e a próxima volta tenta
    de novo; nada aqui derruba o servidor."""
    intervalo = ctx.cfg.intervalo_notificacoes_segundos
    while True:
        try:
            res = await run_in_threadpool(notificacoes.processar, ctx)
            if res.enviadas or res.falhas:
                _log.info("notificações: %s", res.como_dict())
            await run_in_threadpool(exportacao.exportar, ctx)
        except asyncio.CancelledError:
            raise
        except Exception:
            _log.exception("falha na passagem de notificações e exportação")
        await asyncio.sleep(intervalo)


async def saude(request: Request) -> Response:
    """``GET /saude``: monitoração."""
    return JSONUTF8({"ok": True})


#: Como cada parâmetro inteiro da URL é lido: só algarismos ASCII, dentro dos limites do que ele
#: é (um exercício grande demais para o SQLite, ``٢٠٢٥`` ou ``1_000`` são 400, não 500).
_INTEIROS: dict[str, Callable[[str], int]] = {
    "exercicio": lambda t: inteiros.exercicio(t, "O exercício"),
    "bimestre": lambda t: inteiros.bimestre(t, "O bimestre"),
    "id": lambda t: inteiros.inteiro_ascii(t, "O número da solicitação", minimo=1),
}


def _inteiro(texto: Any, padrao: int, nome: str) -> int:
    """O parâmetro ``nome`` (``exercicio``, ``bimestre``, ``id``); 400 com a razão."""
    if texto is None or texto == "":
        return padrao
    try:
        return _INTEIROS[nome](str(texto))
    except inteiros.InteiroInvalido as exc:
        razao = str(exc)
        raise ErroAPI(
            400,
            "requisicao_invalida",
            f"Parâmetro inválido na requisição: {razao[:1].lower()}{razao[1:]}",
        ) from None


# --- páginas --------------------------------------------------------------------------------


async def pagina_inicio(request: Request) -> Response:
    """``GET /``: a página inicial."""
    return HTMLResponse(paginas.inicio())


async def pagina_situacao(request: Request) -> Response:
    """``GET /situacao``: a página de situação de entrega."""
    ctx = _ctx(request)
    q = request.query_params
    try:
        doc = await _em_thread(
            consultas.situacao_uf,
            ctx,
            q.get("uf", ""),
            _inteiro(q.get("exercicio"), agora().year, "exercicio"),
            _inteiro(q.get("bimestre"), 1, "bimestre"),
        )
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Situação de entrega", exc.erro, exc.motivos), exc.status)
    return HTMLResponse(paginas.situacao(doc))


async def pagina_demonstrativo(request: Request) -> Response:
    """``GET /demonstrativos/{protocolo}.pdf``: o demonstrativo homologado."""
    ctx = _ctx(request)
    protocolo = request.path_params["protocolo"]
    try:
        pdf = await _em_thread(consultas.demonstrativo_pdf, ctx, protocolo)
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Demonstrativo", exc.erro, exc.motivos), exc.status)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="RREO-Anexo12-{protocolo}.pdf"'},
    )


async def pagina_declaracao(request: Request) -> Response:
    """``GET /declaracoes/{protocolo}``: a declaração homologada e os links de seus relatórios."""
    ctx = _ctx(request)
    protocolo = request.path_params["protocolo"]
    try:
        _t, h, d = await _em_thread(consultas.declaracao_homologada, ctx, protocolo)
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Declaração", exc.erro, exc.motivos), exc.status)

    return HTMLResponse(
        paginas.declaracao(
            protocolo,
            d.ente.descricao,
            f"{d.bimestre}º bimestre de {d.exercicio} ({periodo(d.bimestre, d.exercicio)})",
            h.nome,
            legivel(h.homologado_em),
            dict(relatorios.TIPOS),
        )
    )


async def pagina_relatorio(request: Request) -> Response:
    """``GET /declaracoes/{protocolo}/{tipo}.pdf``: um relatório da declaração homologada."""
    ctx = _ctx(request)
    protocolo, tipo = request.path_params["protocolo"], request.path_params["tipo"]
    try:
        pdf = await _em_thread(consultas.relatorio_pdf, ctx, protocolo, tipo)
    except ErroAPI as exc:
        return HTMLResponse(paginas.erro("Relatório", exc.erro, exc.motivos), exc.status)
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{tipo}-{protocolo}.pdf"'},
    )


# --- erros ----------------------------------------------------------------------------------


def _e_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _erro_api(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ErroAPI)
    if exc.status >= 500:
        _log.warning("%s %s → %d %s", request.method, request.url.path, exc.status, exc.codigo)
    return JSONUTF8(exc.corpo(), exc.status, headers=exc.cabecalhos)


async def _sobrecarga(request: Request, exc: Exception) -> Response:
    erro = ErroAPI(
        503,
        "sobrecarregado",
        "O servidor está sobrecarregado no momento. Tente novamente em instantes.",
        cabecalhos={"Retry-After": "2"},
    )
    return JSONUTF8(erro.corpo(), 503, headers=erro.cabecalhos)


_HTTP = {
    404: ("nao_encontrado", "Endereço não encontrado."),
    405: ("requisicao_invalida", "Método HTTP não aceito neste endereço."),
}


async def _erro_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    codigo, texto = _HTTP.get(exc.status_code, ("requisicao_invalida", "Requisição inválida."))
    if not _e_api(request):
        return HTMLResponse(paginas.erro("Erro", texto), exc.status_code)
    return JSONUTF8({"erro": texto, "codigo": codigo, "motivos": []}, exc.status_code)


async def _desconectado(request: Request, exc: Exception) -> Response:
    """O cliente foi embora (ou o servidor cortou um corpo que não chegava a tempo): não há a
    quem responder, e não é erro interno."""
    return Response(status_code=400)


async def _erro_interno(request: Request, exc: Exception) -> Response:
    _log.exception("erro interno em %s %s", request.method, request.url.path, exc_info=exc)
    texto = "Erro interno do servidor. Tente novamente mais tarde."
    if not _e_api(request):
        return HTMLResponse(paginas.erro("Erro", texto), 500)
    return JSONUTF8({"erro": texto, "codigo": "erro_interno", "motivos": []}, 500)


def rotas() -> list[Route]:
    """As rotas (docs/api.md)."""
    v1 = "/api/v1"
    return [
        Route(f"{v1}/sessoes", sessoes, methods=["POST", "DELETE"]),
        Route(f"{v1}/sessoes/certificado", sessao_certificado, methods=["POST"]),
        Route(f"{v1}/senhas/esqueci", esqueci, methods=["POST"]),
        Route(f"{v1}/senhas", trocar_senha, methods=["POST"]),
        Route(f"{v1}/cadastros", cadastros, methods=["POST"]),
        Route(f"{v1}/cadastros/contato", contato, methods=["POST"]),
        Route(f"{v1}/entes/{{ente}}/cadastros", cadastros_do_ente, methods=["GET"]),
        Route(f"{v1}/entes/{{ente}}/situacao", situacao_ente, methods=["GET"]),
        Route(f"{v1}/situacao", situacao_uf, methods=["GET"]),
        Route(f"{v1}/transmissoes", transmissoes, methods=["POST"]),
        Route(f"{v1}/transmissoes/{{protocolo}}", transmissao, methods=["GET"]),
        Route(f"{v1}/transmissoes/{{protocolo}}/recibo", transmissao_recibo, methods=["GET"]),
        Route(f"{v1}/transmissoes/{{protocolo}}/arquivo", transmissao_arquivo, methods=["GET"]),
        Route(f"{v1}/homologacoes", homologacoes, methods=["POST"]),
        Route(
            f"{v1}/homologacoes/{{protocolo}}/demonstrativo",
            demonstrativo_assinado,
            methods=["PUT"],
        ),
        Route(
            f"{v1}/homologacoes/{{protocolo}}/demonstrativo",
            demonstrativo_do_gestor,
            methods=["GET"],
        ),
        Route(f"{v1}/retransmissoes", retransmissoes, methods=["POST"]),
        Route(f"{v1}/retransmissoes/{{id}}", retransmissao, methods=["GET"]),
        Route(f"{v1}/admin/retransmissoes", admin_retransmissoes, methods=["GET"]),
        Route(f"{v1}/admin/retransmissoes/{{id}}/autorizacao", admin_autorizar, methods=["POST"]),
        Route(f"{v1}/certificado", certificado, methods=["GET"]),
        Route(f"{v1}/referencia-fns", referencia_fns, methods=["GET"]),
        Route(f"{v1}/referencia-fns/{{ente}}/{{exercicio}}", referencia_fns, methods=["GET"]),
        Route(f"{v1}/monitoramento", monitoramento_uf, methods=["GET"]),
        Route(f"{v1}/monitoramento/exportacao.csv", monitoramento_exportacao, methods=["GET"]),
        Route(f"{v1}/monitoramento/entes/{{ente}}", monitoramento_ente, methods=["GET"]),
        Route(f"{v1}/controle-externo", controle_externo_post, methods=["POST"]),
        Route("/saude", saude, methods=["GET"]),
        Route("/monitoramento", pagina_monitoramento, methods=["GET"]),
        Route("/monitoramento/entes/{ente}", pagina_monitoramento_ente, methods=["GET"]),
        Route("/", pagina_inicio, methods=["GET"]),
        Route("/situacao", pagina_situacao, methods=["GET"]),
        Route("/demonstrativos/{protocolo}.pdf", pagina_demonstrativo, methods=["GET"]),
        Route("/declaracoes/{protocolo}", pagina_declaracao, methods=["GET"]),
        Route("/declaracoes/{protocolo}/{tipo}.pdf", pagina_relatorio, methods=["GET"]),
    ]


def criar_app(cfg: Config, ctx: Contexto | None = None) -> Starlette:
    """A aplicação; abre o ``Contexto`` na partida (se não for dado) e o fecha na parada."""

    @contextlib.asynccontextmanager
    async def ciclo(app: Starlette) -> AsyncIterator[None]:
        proprio = ctx is None
        app.state.ctx = ctx or await run_in_threadpool(Contexto.abrir, cfg)
        vigia = None
        if app.state.ctx.cfg.intervalo_notificacoes_segundos > 0:
            vigia = asyncio.get_running_loop().create_task(_vigia_monitoramento(app.state.ctx))
        try:
            yield
        finally:
            if vigia is not None:
                vigia.cancel()
            if proprio:
                await run_in_threadpool(app.state.ctx.fechar)

    return Starlette(
        routes=rotas(),
        lifespan=ciclo,
        # o que protege a aplicação conta requisições em andamento, não sockets
        middleware=[Middleware(LimiteRequisicoes, maximo=cfg.requisicoes_simultaneas)],
        exception_handlers={
            ErroAPI: _erro_api,
            Sobrecarregado: _sobrecarga,
            HTTPException: _erro_http,
            ClientDisconnect: _desconectado,
            Exception: _erro_interno,
        },
    )
