"""Páginas públicas em HTML, geradas no servidor, sem JavaScript (docs/api.md §8).

Início (escolha de UF, exercício e bimestre) e situação de entrega por UF e bimestre, com as
contagens (transmitido, homologado, pendente) e a lista dos entes, cada homologado com o link
do seu demonstrativo em PDF.
"""

from __future__ import annotations

from html import escape
from typing import Any

from siops.forms.entes import ufs
from siops.servidor import modelos as m
from siops.servidor.tempo import agora, legivel

ROTULO = {
    m.HOMOLOGADO: "Homologado",
    m.TRANSMITIDO: "Transmitido (aguardando homologação)",
    "pendente": "Pendente",
}
RETRANSMISSAO = {m.SOLICITADA: "retransmissão solicitada", m.AUTORIZADA: "retransmissão autorizada"}

_CSS = """
body{font-family:system-ui,Arial,sans-serif;margin:2rem;max-width:70rem;color:#1b1b1b}
h1{font-size:1.5rem}table{border-collapse:collapse;width:100%}
th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left}th{background:#eef2f7}
.homologado{color:#0a6b2b;font-weight:bold}.transmitido{color:#8a5a00}.pendente{color:#a31515}
.contagens span{display:inline-block;margin-right:2rem;font-size:1.1rem}
form label{margin-right:1rem}
"""


def _pagina(titulo: str, corpo: str) -> str:
    return (
        '<!DOCTYPE html>\n<html lang="pt-BR"><head><meta charset="utf-8">'
        f"<title>{escape(titulo)}</title><style>{_CSS}</style></head><body>"
        f"<h1>{escape(titulo)}</h1>{corpo}"
        "<p><small>SIOPS — Sistema de Informações sobre Orçamentos Públicos em Saúde. "
        "Dúvidas: Disque Saúde 136 (opção 8, depois 6).</small></p></body></html>"
    )


def formulario(uf: str = "", exercicio: int | None = None, bimestre: int = 1) -> str:
    """O formulário de escolha de UF, exercício e bimestre."""
    exercicio = exercicio or agora().year
    opcoes_uf = "".join(
        f'<option value="{u.sigla}"{" selected" if u.sigla == uf else ""}>'
        f"{escape(u.sigla)} — {escape(u.nome)}</option>"
        for u in sorted(ufs(), key=lambda u: u.sigla)
    )
    opcoes_bim = "".join(
        f'<option value="{b}"{" selected" if b == bimestre else ""}>{b}º bimestre</option>'
        for b in range(1, 7)
    )
    return (
        '<form method="get" action="/situacao">'
        f'<label>UF <select name="uf">{opcoes_uf}</select></label>'
        f'<label>Exercício <input name="exercicio" size="5" value="{exercicio}"></label>'
        f'<label>Bimestre <select name="bimestre">{opcoes_bim}</select></label>'
        '<button type="submit">Consultar</button></form>'
    )


def inicio() -> str:
    """A página inicial."""
    return _pagina(
        "Situação de entrega do SIOPS",
        "<p>Escolha a UF, o exercício e o bimestre para ver quais entes transmitiram e "
        "homologaram a declaração.</p>"
        + formulario()
        + '<p><a href="/monitoramento">Monitoramento das transferências constitucionais '
        "(situação REGULAR, CONDICIONADA, SUSPENSA dos entes)</a></p>",
    )


def situacao(doc: dict[str, Any]) -> str:
    """A página de situação de entrega de uma UF num bimestre (``consultas.situacao_uf``)."""
    c = doc["contagens"]
    total = sum(c.values())
    linhas = []
    for e in doc["entes"]:
        sit = e["situacao"]
        rotulo = ROTULO.get(sit, sit)
        if e.get("retransmissao"):
            rotulo += f" — {RETRANSMISSAO[e['retransmissao']]}"
        protocolo = escape(e["protocolo"] or "")
        if sit == m.HOMOLOGADO:
            protocolo = (
                f'<a href="/declaracoes/{protocolo}">{protocolo}</a> (demonstrativo e relatórios)'
            )
        linhas.append(
            f'<tr class="{escape(sit)}" data-ente="{escape(e["ente"])}">'
            f"<td>{escape(e['ente'])}</td><td>{escape(e['nome'])}</td>"
            f'<td class="{escape(sit)}">{escape(rotulo)}</td><td>{protocolo}</td>'
            f"<td>{escape(legivel(e['recebido_em']))}</td>"
            f"<td>{escape(legivel(e['homologado_em']))}</td></tr>"
        )
    corpo = (
        formulario(doc["uf"], doc["exercicio"], doc["bimestre"]) + '<p class="contagens">'
        f'<span id="homologado">Homologados: <b>{c[m.HOMOLOGADO]}</b></span>'
        f'<span id="transmitido">Transmitidos sem homologação: <b>{c[m.TRANSMITIDO]}</b></span>'
        f'<span id="pendente">Pendentes: <b>{c["pendente"]}</b></span>'
        f"<span>Total de entes: <b>{total}</b></span></p>"
        "<table><thead><tr><th>Código</th><th>Ente</th><th>Situação</th><th>Protocolo</th>"
        "<th>Transmitido em</th><th>Homologado em</th></tr></thead><tbody>"
        + "".join(linhas)
        + "</tbody></table>"
        "<p>A transmissão só está completa depois da homologação pelo gestor do SUS.</p>"
    )
    titulo = (
        f"Situação de entrega — {doc['nome_uf']} ({doc['uf']}) — {doc['bimestre']}º bimestre "
        f"de {doc['exercicio']}"
    )
    return _pagina(titulo, corpo)


def declaracao(
    protocolo: str, ente: str, periodo: str, gestor: str, quando: str, tipos: dict[str, str]
) -> str:
    """The public page of a homologated declaration: the demonstrativo and every report."""
    p = escape(protocolo)
    itens = [
        f'<li><a href="/demonstrativos/{p}.pdf">RREO — Anexo 12: Demonstrativo das receitas e '
        "despesas com ações e serviços públicos de saúde</a></li>"
    ]
    for tipo, titulo in tipos.items():
        itens.append(
            f'<li><a href="/declaracoes/{p}/{escape(tipo)}.pdf">{escape(titulo.capitalize())}'
            "</a></li>"
        )
    corpo = (
        f"<p><b>{escape(ente)}</b> — {escape(periodo)}</p>"
        f"<p>Protocolo {p}. Homologado por {escape(gestor)} em {escape(quando)}.</p>"
        "<h2>Relatórios</h2><ul>" + "".join(itens) + "</ul>"
    )
    return _pagina(f"Declaração homologada — {ente}", corpo)


def erro(titulo: str, mensagem: str, motivos: list[str] | None = None) -> str:
    """Uma página de erro em português."""
    itens = "".join(f"<li>{escape(x)}</li>" for x in motivos or [])
    return _pagina(
        titulo,
        f"<p>{escape(mensagem)}</p>"
        + (f"<ul>{itens}</ul>" if itens else "")
        + '<p><a href="/">Voltar ao início</a></p>',
    )
