"""As páginas públicas do Módulo de Monitoramento (MMTC), em HTML sem JavaScript: a situação de
cada ente quanto às transferências constitucionais, por UF (com as contagens e o filtro dos
condicionados e suspensos) e por ente (o motivo, a conta vinculada, os números do gestor e os
do Tribunal de Contas, e qual prevalece). Datas ``dd/mm/aaaa``, valores ``1.234,56``."""

from __future__ import annotations

from html import escape
from typing import Any

from siops.forms.dinheiro import apresentar_percentual, formatar
from siops.forms.entes import ufs
from siops.servidor import monitoramento as mon
from siops.servidor.paginas import _pagina
from siops.servidor.tempo import BRASILIA, de_iso

CLASSE = {
    mon.REGULAR: "regular",
    mon.CONDICIONADA: "condicionada",
    mon.SUSPENSA: "suspensa",
    mon.A_COMPROVAR: "a-comprovar",
    mon.PENDENTE: "pendente",
}
_CSS = (
    "<style>.regular{color:#0a6b2b;font-weight:bold}.condicionada{color:#8a5a00;"
    "font-weight:bold}.suspensa{color:#a31515;font-weight:bold}.a-comprovar{color:#5a3d8a;"
    "font-weight:bold}.pendente{color:#444;font-weight:bold}"
    ".tc{background:#fff7d6}</style>"
)


def data(iso: str | None) -> str:
    """``2026-03-01T10:00:00-03:00`` ou ``2026-03-01`` → ``01/03/2026`` ("" se ausente)."""
    if not iso:
        return ""
    if len(iso) == 10:
        return f"{iso[8:10]}/{iso[5:7]}/{iso[:4]}"
    return de_iso(iso).astimezone(BRASILIA).strftime("%d/%m/%Y")


def _filtro(uf: str = "", situacao: str = "") -> str:
    opcoes = "".join(
        f'<option value="{u.sigla}"{" selected" if u.sigla == uf else ""}>'
        f"{escape(u.sigla)} — {escape(u.nome)}</option>"
        for u in sorted(ufs(), key=lambda u: u.sigla)
    )
    sits = '<option value="">todas</option>' + "".join(
        f'<option value="{escape(s)}"{" selected" if s == situacao else ""}>{escape(s)}</option>'
        for s in mon.SITUACOES
    )
    return (
        '<form method="get" action="/monitoramento">'
        f'<label>UF <select name="uf">{opcoes}</select></label> '
        f'<label>Situação <select name="situacao">{sits}</select></label> '
        '<button type="submit">Consultar</button></form>'
    )


def inicio() -> str:
    """``GET /monitoramento`` sem UF: a escolha."""
    return _pagina(
        "Monitoramento das transferências constitucionais (MMTC)",
        "<p>A situação de cada ente quanto às transferências constitucionais — REGULAR, "
        "CONDICIONADA, SUSPENSA, A COMPROVAR ou PENDENTE —, calculada a partir dos dados "
        "homologados no SIOPS. Escolha a UF (e, se quiser, só os condicionados ou suspensos)."
        "</p>" + _filtro(),
    )


def _pct(n: mon.Numeros | None) -> str:
    return "" if n is None else f"{apresentar_percentual(n.percentual)}%"


def uf(doc: dict[str, Any]) -> str:
    """``GET /monitoramento?uf=SP``: a tabela dos entes da UF."""
    c = doc["contagens"]
    contagens = "".join(
        f'<span id="{CLASSE[s]}">{escape(s)}: <b>{c[s]}</b></span>' for s in mon.SITUACOES
    )
    linhas = []
    for s in doc["entes"]:
        n = s.numeros
        fonte = ""
        if n is not None:
            fonte = mon.APURADO_TC if n.fonte == "tribunal" else "declarado pelo gestor"
        linhas.append(
            f'<tr data-ente="{escape(s.ente)}" data-situacao="{escape(s.situacao)}">'
            f'<td><a href="/monitoramento/entes/{escape(s.ente)}">{escape(s.ente)}</a></td>'
            f"<td>{escape(s.nome)}</td>"
            f'<td class="{CLASSE[s.situacao]}">{escape(s.situacao)}</td>'
            f"<td>{s.exercicio}</td><td>{escape(_pct(n))}</td>"
            f"<td{' class=tc' if n is not None and n.fonte == 'tribunal' else ''}>"
            f"{escape(fonte)}</td><td>{escape(data(s.desde))}</td></tr>"
        )
    titulo = f"Monitoramento — {doc['nome_uf']} ({doc['uf']})"
    if doc["situacao"]:
        titulo += f" — entes em situação {doc['situacao']}"
    corpo = (
        _CSS
        + _filtro(doc["uf"], doc["situacao"] or "")
        + f'<p class="contagens">{contagens}</p>'
        + f"<p>Calculado em {escape(data(doc['calculado_em']))}.</p>"
        "<table><thead><tr><th>Código</th><th>Ente</th><th>Situação</th><th>Exercício</th>"
        "<th>% aplicado em ASPS</th><th>Origem do número</th><th>Desde</th></tr></thead><tbody>"
        + "".join(linhas)
        + "</tbody></table>"
    )
    return _pagina(titulo, corpo)


def _numeros(n: mon.Numeros, titulo: str, prevalece: bool) -> str:
    linhas = [
        ("Percentual aplicado em ASPS", f"{apresentar_percentual(n.percentual)}%"),
        ("Valor aplicado em ASPS", f"R$ {formatar(n.valor_aplicado)}"),
        ("Percentual mínimo", f"{apresentar_percentual(n.percentual_minimo)}%"),
    ]
    if n.despesa_minima is not None:
        linhas.append(("Despesa mínima a aplicar", f"R$ {formatar(n.despesa_minima)}"))
    linhas.append(("Valor não aplicado", f"R$ {formatar(n.nao_aplicado)}"))
    if n.fonte == "tribunal":
        linhas.append(("Tribunal", n.tribunal or ""))
        linhas.append(("Registrado por", f"{n.quem} em {data(n.quando)}"))
    else:
        linhas.append(("Homologado por", f"{n.quem} em {data(n.quando)}"))
        if n.protocolo:
            linhas.append(("Protocolo", n.protocolo))
    corpo = "".join(f"<tr><th>{escape(a)}</th><td>{escape(b)}</td></tr>" for a, b in linhas)
    marca = " — <b>prevalece</b>" if prevalece else ""
    classe = ' class="tc"' if n.fonte == "tribunal" else ""
    return f"<h2>{escape(titulo)}{marca}</h2><table{classe}>{corpo}</table>"


def ente(s: mon.SituacaoEnte) -> str:
    """``GET /monitoramento/entes/{ente}``: o detalhe de um ente."""
    partes = [
        _CSS,
        f'<p>Situação: <span id="situacao" class="{CLASSE[s.situacao]}">{escape(s.situacao)}'
        f"</span> (exercício de referência: {s.exercicio})"
        + (f", desde {escape(data(s.desde))}" if s.desde else "")
        + "</p>",
        f'<p id="motivo">{escape(s.motivo)}</p>',
    ]
    if s.transferencias:
        partes.append(
            f"<p>Transferências constitucionais afetadas: {escape(' e '.join(s.transferencias))}"
            "</p>"
        )
    if s.conta and s.situacao == mon.CONDICIONADA:
        partes.append(
            f'<p>Conta vinculada do Fundo de Saúde: <b id="conta">{escape(s.conta)}</b></p>'
        )
    if s.notificacao_em:
        partes.append(
            f"<p>Notificação automática registrada em {escape(data(s.notificacao_em))}; "
            f"suspensão a partir de {escape(data(s.suspensao_a_partir))} sem homologação.</p>"
        )
    if s.prevalece == "tribunal":
        partes.append(
            '<p id="prevalece" class="tc">Os números que valem são os <b>apurados pelo Tribunal '
            "de Contas</b>, que prevalecem sobre os declarados pelo gestor do SUS.</p>"
        )
    if s.tribunal is not None:
        partes.append(_numeros(s.tribunal, "Apurado pelo Tribunal de Contas", True))
    if s.gestor is not None:
        partes.append(
            _numeros(s.gestor, "Declarado e homologado pelo gestor do SUS", s.prevalece == "gestor")
        )
    if s.compensacao:
        c = s.compensacao
        partes.append(
            "<h2>Aplicação da diferença (modalidades 36, 46, 76 e 96)</h2><table>"
            f"<tr><th>Valor a aplicar</th><td>R$ {formatar(_dec(c['valor_a_aplicar']))}</td></tr>"
            f"<tr><th>Demonstrado</th><td>R$ {formatar(_dec(c['aplicado']))}"
            + (f" ({escape(c['demonstrado_em'])})" if c["demonstrado_em"] else "")
            + f"</td></tr><tr><th>Prazo</th><td>{escape(data(c['prazo']))}</td></tr></table>"
        )
    if s.sem_balanco:
        sb = s.sem_balanco
        partes.append(
            f"<p>Sem Balanço: ofício {escape(sb['oficio'])}, registrado em "
            f"{escape(data(sb['registrado_em']))}. Justificativa: {escape(sb['justificativa'])}</p>"
        )
    partes.append(f'<p><a href="/monitoramento?uf={escape(s.uf)}">Entes de {escape(s.uf)}</a></p>')
    return _pagina(f"Monitoramento — {s.nome}", "".join(partes))


def _dec(texto: str):
    from decimal import Decimal

    return Decimal(texto)
