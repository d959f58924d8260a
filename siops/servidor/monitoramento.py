"""O Módulo de Monitoramento (MMTC): a situação de cada ente quanto às transferências
constitucionais, calculada dos dados do próprio servidor (issue 25; DOMAIN §1; o FAQ).

A situação olha o **exercício de referência** ``A``: o último exercício encerrado (no ano
``N``, ``A = N − 1``); até o prazo do 6º bimestre (30/01), enquanto o 6º de ``N − 1`` nunca foi
homologado nem classificado Sem Balanço, ainda vale ``N − 2``. Então, nesta ordem:

* **A COMPROVAR** — o ente foi classificado "Sem Balanço" (SB) em ``A``: pode transmitir os
  exercícios seguintes, mas a classificação não configura cumprimento; ou o 6º de ``A`` foi
  entregue fora deste servidor (sem os números aqui); ou ``A`` é anterior ao primeiro exercício
  recebido pelo servidor.
* com o 6º bimestre de ``A`` **homologado**: os números do gestor (ou, se houver, os apurados
  pelo Tribunal de Contas, que prevalecem — "a declaração do TC sobrepõe a do gestor do SUS")
  dizem se o mínimo foi cumprido:
  - **REGULAR** — cumpriu;
  - **CONDICIONADA** — aplicou menos que o mínimo: as parcelas do FPM e do ITR (municípios), ou
    do FPE e do IPI-Exportação (estados e DF), vão para a conta
    ``ASPS-LC141-FMS-<SIAFI>-<UF>`` (``FES`` para estados e DF) do Fundo de Saúde (Decreto
    7.827/2012, art. 13), desde a homologação;
  - **SUSPENSA** — condicionada, e 12 meses depois do início do condicionamento os dados
    homologados do exercício seguinte ainda não demonstram, nas modalidades de aplicação 36,
    46, 76 e 96, a aplicação da diferença (art. 20). Demonstrada a aplicação, volta a REGULAR.
    O servidor não recebe do banco a data do primeiro depósito na conta vinculada: os 12
    meses contam da homologação que deu causa ao condicionamento (o primeiro depósito vem no
    decêndio seguinte).
* com o 6º de ``A`` **sem homologação** (nunca transmitido, transmitido e não homologado, ou
  retransmitido — a homologação anterior deixou de valer):
  - **PENDENTE** — ainda dentro dos 30 dias da notificação automática registrada, ou sem
    notificação (o ente não tem gestor cadastrado com e-mail, ou o prazo não venceu);
  - **SUSPENSA** — 30 dias depois da notificação automática **registrada** (``notificacoes``:
    a data de envio gravada, não a do prazo; Decreto 7.827/2012, art. 16, II). Cada
    retransmissão que anula uma homologação abre um novo episódio, com nova notificação.

``situacoes`` calcula um conjunto de entes com poucas consultas em lote (uma UF inteira, ou
os 5.596 entes da exportação diária); os números de cada declaração homologada são lidos do
arquivo guardado uma vez por processo (cache pela homologação).
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from decimal import ROUND_DOWN, Decimal
from typing import Any

from siops.forms.catalogo import MINIMO_EXATO, PERCENTUAL_MINIMO
from siops.forms.dinheiro import CENTAVO, ZERO, apresentar_percentual, formatar
from siops.forms.entes import Ente, ente, municipios, uf
from siops.forms.formulas import chave_param
from siops.forms.razao import ChaveDespesa
from siops.servidor import modelos as m
from siops.servidor import prazos
from siops.servidor.contexto import Contexto
from siops.servidor.documentos import declaracao_guardada
from siops.servidor.erros import ErroAPI
from siops.servidor.tempo import BRASILIA, de_iso

REGULAR = "REGULAR"
CONDICIONADA = "CONDICIONADA"
SUSPENSA = "SUSPENSA"
A_COMPROVAR = "A COMPROVAR"
PENDENTE = "PENDENTE"
SITUACOES = (REGULAR, CONDICIONADA, SUSPENSA, A_COMPROVAR, PENDENTE)

#: As modalidades de aplicação que demonstram a aplicação da diferença do mínimo não cumprido
#: (o FAQ: "modalidades contábeis 36, 46, 76 e 96").
MODALIDADES_COMPENSACAO = ("36", "46", "76", "96")

#: Os percentuais mínimos da LC 141/2012 quando não há declaração homologada para dizê-lo.
_MINIMO_LEGAL = {"municipal": Decimal("15"), "estadual": Decimal("12"), "df": Decimal("12")}

APURADO_TC = "apurado pelo Tribunal de Contas"


def transferencias(e: Ente) -> tuple[str, ...]:
    """As transferências constitucionais condicionadas ou suspensas (LC 141/2012, art. 26)."""
    return ("FPM", "ITR") if e.esfera == "municipal" else ("FPE", "IPI-Exportação")


def conta_vinculada(e: Ente, siafi: str | None) -> str:
    """``ASPS-LC141-FMS-<SIAFI>-<UF>`` (``FES`` para estados e DF): a conta do Fundo de Saúde
    que recebe as parcelas redirecionadas. Sem o código SIAFI carregado
    (``admin carregar-siafi``), o lugar dele diz isso."""
    fundo = "FMS" if e.esfera == "municipal" else "FES"
    return f"ASPS-LC141-{fundo}-{siafi or '[código SIAFI não carregado]'}-{e.uf}"


def evento_depois_prazo(codigo: str, exercicio: int, bimestre: int, episodio: str) -> str:
    """A chave do evento "prazo vencido sem homologação" (a notificação automática, no 6º).

    ``episodio`` é ``0`` (o período nunca foi homologado) ou ``h<id>`` (a homologação ``id``
    foi anulada por uma retransmissão): cada episódio tem a sua notificação e os seus 30 dias.
    """
    return f"depois_prazo/{codigo}/{exercicio}/{bimestre}/{episodio}"


def episodio(anulada: int | None) -> str:
    """``0`` ou ``h<id>`` (ver ``evento_depois_prazo``)."""
    return f"h{anulada}" if anulada else "0"


@dataclass(frozen=True)
class Numeros:
    """Os números de um exercício: os declarados e homologados pelo gestor do SUS, ou os
    apurados pelo Tribunal de Contas (``fonte``)."""

    fonte: str  # "gestor" | "tribunal"
    percentual: Decimal
    valor_aplicado: Decimal
    percentual_minimo: Decimal
    despesa_minima: Decimal | None
    base: Decimal | None
    quem: str  # o gestor que homologou, ou o técnico do TC
    quando: str  # ISO
    protocolo: str | None = None
    tribunal: str | None = None

    @property
    def cumpriu(self) -> bool:
        if self.despesa_minima is not None and self.fonte == "gestor":
            return self.valor_aplicado >= self.despesa_minima
        return self.percentual >= self.percentual_minimo

    @property
    def nao_aplicado(self) -> Decimal:
        """A diferença que deixou de ser aplicada (0 quando cumpriu)."""
        if self.cumpriu:
            return ZERO
        if self.despesa_minima is not None:
            return max(ZERO, self.despesa_minima - self.valor_aplicado).quantize(CENTAVO)
        if self.percentual <= 0:
            return ZERO
        falta = self.valor_aplicado * (self.percentual_minimo / self.percentual - 1)
        return falta.quantize(CENTAVO, rounding=ROUND_DOWN)


@dataclass
class SituacaoEnte:
    """A situação de um ente (o JSON da API, as páginas e a exportação vêm daqui)."""

    ente: str
    nome: str
    uf: str
    esfera: str
    situacao: str
    exercicio: int
    motivo: str
    desde: str | None = None  # ISO: desde quando a situação vale
    transferencias: tuple[str, ...] = ()
    conta: str | None = None
    gestor: Numeros | None = None
    tribunal: Numeros | None = None
    prevalece: str | None = None  # "gestor" | "tribunal"
    notificacao_em: str | None = None
    suspensao_a_partir: str | None = None  # ISO (data)
    sem_balanco: dict[str, Any] | None = None
    compensacao: dict[str, Any] | None = None
    protocolo: str | None = None
    avisos: list[str] = field(default_factory=list)

    @property
    def numeros(self) -> Numeros | None:
        """Os números que valem: os do Tribunal de Contas, se houver; senão, os do gestor."""
        return self.tribunal or self.gestor

    def como_dict(self) -> dict[str, Any]:
        """Em JSON (valores como texto decimal com ponto; datas ISO)."""

        def num(n: Numeros | None) -> dict[str, Any] | None:
            if n is None:
                return None
            d = {k: (str(v) if isinstance(v, Decimal) else v) for k, v in asdict(n).items()}
            d["cumpriu_minimo"] = n.cumpriu
            d["valor_nao_aplicado"] = str(n.nao_aplicado)
            return d

        out = {k: v for k, v in self.__dict__.items() if k not in ("gestor", "tribunal")}
        out["transferencias"] = list(self.transferencias)
        out["gestor"] = num(self.gestor)
        out["tribunal"] = num(self.tribunal)
        out["apurado_pelo_tribunal_de_contas"] = self.prevalece == "tribunal"
        return out


# --- os números de uma declaração homologada ----------------------------------------------------

_CACHE: dict[tuple[str, int], tuple[Numeros, Decimal, dict[str, Decimal]]] = {}
_TRAVA = threading.Lock()


def _da_declaracao(
    ctx: Contexto, t: m.Transmissao, h: m.Homologacao
) -> tuple[Numeros, Decimal, dict[str, Decimal]]:
    """Os números do gestor, o valor nas modalidades 36/46/76/96 (na coluna da apuração do
    bimestre) e esse valor por modalidade, lidos do arquivo guardado (uma vez por processo)."""
    chave = (t.protocolo, h.id)
    with _TRAVA:
        achado = _CACHE.get(chave)
    if achado is not None:
        return achado
    d = declaracao_guardada(ctx.armazem, t.digest, t.protocolo)
    coluna = d.coluna_apuracao
    ind = d.indicadores(coluna)
    numeros = Numeros(
        fonte="gestor",
        percentual=ind.percentual,
        valor_aplicado=ind.valor_aplicado,
        percentual_minimo=d.valor(chave_param(PERCENTUAL_MINIMO)),
        despesa_minima=d.valor(chave_param(MINIMO_EXATO)),
        base=ind.base,
        quem=h.nome,
        quando=h.homologado_em,
        protocolo=t.protocolo,
    )
    por_modalidade = dict.fromkeys(MODALIDADES_COMPENSACAO, ZERO)
    for k, valores in d.linhas_razao(ChaveDespesa):
        if isinstance(k, ChaveDespesa) and k.modalidade in por_modalidade:
            por_modalidade[k.modalidade] += valores.get(coluna, ZERO)
    resultado = (numeros, sum(por_modalidade.values(), ZERO), por_modalidade)
    with _TRAVA:
        if len(_CACHE) > 20000:
            _CACHE.clear()
        _CACHE[chave] = resultado
    return resultado


def _do_tribunal(c: m.ControleExterno, minimo: Decimal, gestor: Numeros | None) -> Numeros:
    return Numeros(
        fonte="tribunal",
        percentual=Decimal(c.percentual),
        valor_aplicado=Decimal(c.valor_aplicado),
        percentual_minimo=minimo,
        despesa_minima=gestor.despesa_minima if gestor else None,
        base=gestor.base if gestor else None,
        quem=c.nome,
        quando=c.registrado_em,
        tribunal=c.tribunal,
    )


# --- o lote de um exercício ---------------------------------------------------------------------


@dataclass
class _Lote:
    """Tudo o que a situação de ``exercicio`` precisa, lido em poucas consultas."""

    sexto: dict[str, m.Transmissao]
    homologacoes: dict[str, m.Homologacao]
    anuladas: dict[str, int]
    sem_balanco: dict[str, m.SemBalanco]
    externas: set[str]
    tribunal: dict[str, m.ControleExterno]
    seguinte: dict[str, list[m.Transmissao]]  # homologadas do exercício seguinte, por ente
    homologacoes_seguinte: dict[str, m.Homologacao]


def _lote(ctx: Contexto, exercicio: int, sigla: str | None) -> _Lote:
    repo = ctx.repo
    sexto = {t.ente: t for t in repo.vigentes(exercicio, 6, sigla)}
    seguinte: dict[str, list[m.Transmissao]] = {}
    homs_seg: dict[str, m.Homologacao] = {}
    for t in repo.vigentes(exercicio + 1, None, sigla):
        if t.situacao == m.HOMOLOGADO:
            seguinte.setdefault(t.ente, []).append(t)
    for b in {t.bimestre for ts in seguinte.values() for t in ts}:
        homs_seg.update(repo.homologacoes_vigentes(exercicio + 1, b))
    return _Lote(
        sexto=sexto,
        homologacoes=repo.homologacoes_vigentes(exercicio, 6),
        anuladas=repo.ultimas_homologacoes_anuladas(exercicio, 6),
        sem_balanco={s.ente: s for s in repo.sem_balanco(None, exercicio)},
        externas=repo.entregas_externas(exercicio, 6),
        tribunal={c.ente: c for c in repo.controles_externos(None, exercicio)},
        seguinte=seguinte,
        homologacoes_seguinte=homs_seg,
    )


def _iso_data(d: dt.date) -> str:
    return d.isoformat()


def exercicio_referencia(hoje: dt.date, lote_ultimo: _Lote, codigo: str) -> int:
    """O exercício que decide a situação (ver a docstring do módulo)."""
    ultimo = hoje.year - 1
    if hoje > prazos.prazo(ultimo, 6):
        return ultimo
    t = lote_ultimo.sexto.get(codigo)
    if (
        (t is not None and t.situacao == m.HOMOLOGADO)
        or codigo in lote_ultimo.anuladas
        or codigo in lote_ultimo.sem_balanco
    ):
        return ultimo
    return ultimo - 1


def _situacao(
    ctx: Contexto,
    e: Ente,
    a: int,
    lote: _Lote,
    agora: dt.datetime,
    envios: dict[str, str],
    siafi: dict[str, str],
) -> SituacaoEnte:
    codigo = e.codigo
    nome = e.descricao
    s = SituacaoEnte(codigo, nome, e.uf, e.esfera, PENDENTE, a, "")
    if a < ctx.cfg.primeiro_exercicio:
        s.situacao = A_COMPROVAR
        s.motivo = (
            f"O exercício de referência ({a}) é anterior ao primeiro exercício recebido por "
            f"este servidor ({ctx.cfg.primeiro_exercicio}): não há dados para apurar."
        )
        return s
    sb = lote.sem_balanco.get(codigo)
    if sb is not None:
        s.situacao = A_COMPROVAR
        s.desde = sb.registrado_em
        s.sem_balanco = {
            "justificativa": sb.justificativa,
            "oficio": sb.oficio,
            "registrado_em": sb.registrado_em,
        }
        s.motivo = (
            f"Classificado como Sem Balanço (SB) no exercício de {a} (ofício {sb.oficio}): o ente "
            "pode transmitir os períodos seguintes, mas a classificação não configura "
            "cumprimento da aplicação mínima."
        )
        return s
    t = lote.sexto.get(codigo)
    h = lote.homologacoes.get(t.protocolo) if t is not None else None
    if t is None or t.situacao != m.HOMOLOGADO or h is None:
        if t is None and codigo in lote.externas:
            s.situacao = A_COMPROVAR
            s.motivo = (
                f"O 6º bimestre de {a} foi entregue fora deste servidor: os números não estão "
                "aqui para apurar o cumprimento."
            )
            return s
        return _sem_homologacao(s, t, lote, agora, envios)
    gestor, _, _ = _da_declaracao(ctx, t, h)
    s.gestor = gestor
    s.protocolo = t.protocolo
    c = lote.tribunal.get(codigo)
    if c is not None:
        s.tribunal = _do_tribunal(c, gestor.percentual_minimo, gestor)
        s.prevalece = "tribunal"
    else:
        s.prevalece = "gestor"
    vale = s.numeros
    assert vale is not None
    pct = apresentar_percentual(vale.percentual)
    minimo = apresentar_percentual(vale.percentual_minimo)
    origem = APURADO_TC if vale.fonte == "tribunal" else "declarado e homologado pelo gestor"
    if vale.cumpriu:
        s.situacao = REGULAR
        s.desde = vale.quando
        s.motivo = (
            f"Aplicação de {pct}% em ASPS no exercício de {a} ({origem}), acima do mínimo de "
            f"{minimo}%."
        )
        return s
    inicio = de_iso(vale.quando).astimezone(BRASILIA).date()
    limite = prazos.somar_meses(inicio, prazos.MESES_COMPENSACAO)
    falta = vale.nao_aplicado
    aplicado, por_mod, onde = _compensacao(ctx, lote, codigo)
    s.compensacao = {
        "valor_a_aplicar": str(falta),
        "aplicado": str(aplicado),
        "por_modalidade": {k: str(v) for k, v in por_mod.items()},
        "demonstrado_em": onde,
        "prazo": _iso_data(limite),
    }
    s.transferencias = transferencias(e)
    s.conta = conta_vinculada(e, siafi.get(codigo))
    if falta > 0 and aplicado >= falta:
        s.situacao = REGULAR
        s.desde = vale.quando
        s.motivo = (
            f"Aplicou {pct}% em ASPS em {a} ({origem}), abaixo do mínimo de {minimo}%; a "
            f"aplicação da diferença de R$ {formatar(falta)} foi demonstrada nas modalidades "
            f"36, 46, 76 e 96 ({onde})."
        )
        return s
    if agora.date() > limite:
        s.situacao = SUSPENSA
        s.desde = _iso_data(limite)
        s.motivo = (
            f"Condicionada desde {prazos.data_br(inicio)} por aplicar {pct}% em ASPS em {a} "
            f"({origem}), abaixo do mínimo de {minimo}%, e sem demonstrar em 12 meses, nas "
            f"modalidades 36, 46, 76 e 96, a aplicação da diferença de R$ {formatar(falta)} "
            f"(demonstrado: R$ {formatar(aplicado)})."
        )
        return s
    s.situacao = CONDICIONADA
    s.desde = vale.quando
    s.motivo = (
        f"Aplicou {pct}% em ASPS em {a} ({origem}), abaixo do mínimo de {minimo}%: as parcelas "
        f"do {' e do '.join(s.transferencias)} são depositadas na conta {s.conta} do Fundo de "
        f"Saúde. A diferença de R$ {formatar(falta)} deve ter a aplicação demonstrada nas "
        f"modalidades 36, 46, 76 e 96 até {prazos.data_br(limite)} (demonstrado até agora: "
        f"R$ {formatar(aplicado)})."
    )
    return s


def _compensacao(
    ctx: Contexto, lote: _Lote, codigo: str
) -> tuple[Decimal, dict[str, Decimal], str | None]:
    """O que os dados homologados do exercício seguinte demonstram nas modalidades 36, 46, 76
    e 96: os valores do bimestre homologado mais recente (acumulados até ele)."""
    ts = sorted(lote.seguinte.get(codigo, ()), key=lambda t: t.bimestre)
    for t in reversed(ts):
        h = lote.homologacoes_seguinte.get(t.protocolo)
        if h is None:
            continue
        _n, total, por_mod = _da_declaracao(ctx, t, h)
        onde = f"{t.bimestre}º bimestre de {t.exercicio}, protocolo {t.protocolo}"
        return total, por_mod, onde
    return ZERO, dict.fromkeys(MODALIDADES_COMPENSACAO, ZERO), None


def _sem_homologacao(
    s: SituacaoEnte,
    t: m.Transmissao | None,
    lote: _Lote,
    agora: dt.datetime,
    envios: dict[str, str],
) -> SituacaoEnte:
    a = s.exercicio
    anulada = lote.anuladas.get(s.ente)
    if t is None:
        estado = "não foi transmitido"
    elif anulada:
        estado = (
            f"foi retransmitido (protocolo {t.protocolo}) e aguarda nova homologação: a "
            "homologação anterior deixou de valer"
        )
    else:
        estado = f"foi transmitido (protocolo {t.protocolo}) e aguarda a homologação"
    s.protocolo = t.protocolo if t else None
    enviada = envios.get(evento_depois_prazo(s.ente, a, 6, episodio(anulada)))
    if enviada is None:
        s.situacao = PENDENTE
        s.motivo = (
            f"O 6º bimestre de {a} {estado}. Nenhuma notificação automática foi registrada "
            "ainda: a suspensão só corre 30 dias depois dela."
        )
        return s
    quando = de_iso(enviada)
    suspensao = quando + dt.timedelta(days=prazos.DIAS_SUSPENSAO)
    s.notificacao_em = enviada
    s.suspensao_a_partir = suspensao.astimezone(BRASILIA).date().isoformat()
    data_notif = prazos.data_br(quando.astimezone(BRASILIA).date())
    if agora >= suspensao:
        s.situacao = SUSPENSA
        s.desde = suspensao.isoformat()
        s.transferencias = tuple(transferencias(ente(s.ente)))
        s.motivo = (
            f"O 6º bimestre de {a} {estado}, e passaram-se 30 dias da notificação automática "
            f"de {data_notif}: transferências constitucionais e voluntárias suspensas até a "
            "homologação."
        )
        return s
    s.situacao = PENDENTE
    s.motivo = (
        f"O 6º bimestre de {a} {estado}. Notificação automática em {data_notif}: sem "
        "homologação, as transferências são suspensas a partir de "
        f"{prazos.data_br(suspensao.astimezone(BRASILIA).date())}."
    )
    return s


# --- a API do módulo ----------------------------------------------------------------------------


def situacoes(
    ctx: Contexto, entes: Iterable[Ente], sigla: str | None, agora: dt.datetime | None = None
) -> list[SituacaoEnte]:
    """A situação de cada ente de ``entes`` (todos da UF ``sigla``, ou de todas com None)."""
    agora = agora or ctx.agora()
    hoje = agora.date()
    lista = list(entes)
    lotes: dict[int, _Lote] = {}

    def lote(a: int) -> _Lote:
        if a not in lotes:
            lotes[a] = _lote(ctx, a, sigla)
        return lotes[a]

    ultimo = lote(hoje.year - 1)
    refs = {e.codigo: exercicio_referencia(hoje, ultimo, e.codigo) for e in lista}
    eventos = []
    for e in lista:
        a = refs[e.codigo]
        eventos.append(
            evento_depois_prazo(e.codigo, a, 6, episodio(lote(a).anuladas.get(e.codigo)))
        )
    envios = ctx.repo.envios_de_eventos(eventos)
    siafi = ctx.repo.codigos_siafi()
    return [
        _situacao(ctx, e, refs[e.codigo], lote(refs[e.codigo]), agora, envios, siafi) for e in lista
    ]


def entes_da_uf(sigla: str) -> list[Ente]:
    """O estado (ou o DF) e os municípios da UF; 404 ``ente_desconhecido``."""
    from siops.forms.entes import EnteDesconhecido

    try:
        u = uf(sigla)
    except EnteDesconhecido as exc:
        raise ErroAPI(404, "ente_desconhecido", "UF desconhecida.", [str(exc)]) from None
    estado = ente(u.sigla)
    return [estado] + (municipios(u.sigla) if estado.esfera != "df" else [])


def situacao_de(ctx: Contexto, codigo: str) -> SituacaoEnte:
    """A situação de um ente (``GET /api/v1/monitoramento/entes/{ente}``)."""
    from siops.servidor.cadastro import codigo_ente

    e = ente(codigo_ente(codigo))
    return situacoes(ctx, [e], e.uf)[0]


def situacao_uf(ctx: Contexto, sigla: str, filtro: str | None = None) -> dict[str, Any]:
    """A situação dos entes de uma UF, com as contagens (``filtro``: só uma situação)."""
    if filtro and filtro not in SITUACOES:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            f"Situação desconhecida: {filtro}.",
            [f"Use uma de: {', '.join(SITUACOES)}."],
        )
    entes = entes_da_uf(sigla)
    agora = ctx.agora()
    lista = situacoes(ctx, entes, entes[0].uf, agora)
    contagens = dict.fromkeys(SITUACOES, 0)
    for s in lista:
        contagens[s.situacao] += 1
    if filtro:
        lista = [s for s in lista if s.situacao == filtro]
    return {
        "uf": entes[0].uf,
        "nome_uf": uf(entes[0].uf).nome,
        "calculado_em": agora.isoformat(timespec="seconds"),
        "situacao": filtro,
        "contagens": contagens,
        "entes": lista,
    }
