"""``siopsnet controle-externo``: o técnico do Tribunal de Contas registra, com o seu
certificado ICP-Brasil, os números que apurou para um ente e exercício (Módulo de Controle
Externo; docs/api.md §11.5).

    siopsnet controle-externo --ente M355030 --exercicio 2025 --valor-aplicado 1.234.567,89 \\
        --percentual 16,25 [--observacao TEXTO] (--a1 ARQ.pfx | --pkcs11 LIB …) [--servidor URL]

Valores como a pessoa os digita (``1.234.567,89`` ou ``1234567.89``); vão ao servidor como
texto decimal com ponto, dentro de um ``ControleExterno`` assinado (XMLDSig, como os outros
atos assinados). O servidor confere que o CPF do certificado é de um técnico de Tribunal de
Contas cadastrado pelo administrador, com o ente na jurisdição; os números registrados passam
a prevalecer sobre os declarados pelo gestor do SUS nas páginas públicas.
"""

from __future__ import annotations

import argparse
import datetime as dt
import secrets
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from siops.forms import argumentos

NS = "urn:siops-desktop:servidor:1"


def documento(
    assinador: Any,
    ente: str,
    exercicio: int,
    valor_aplicado: Decimal,
    percentual: Decimal,
    observacao: str = "",
    quando: dt.datetime | None = None,
) -> bytes:
    """O ``ControleExterno`` assinado (docs/api.md §11.5)."""
    from lxml import etree

    from siops.assinatura import xmldsig

    momento = (quando or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    campos = [
        ("Ente", ente),
        ("Exercicio", str(int(exercicio))),
        ("ValorAplicado", f"{valor_aplicado:.2f}"),
        ("Percentual", f"{percentual}"),
        ("Observacao", observacao.strip() or None),
        ("Momento", momento.strftime("%Y-%m-%dT%H:%M:%SZ")),
        ("Nonce", secrets.token_hex(16)),
    ]
    el = etree.Element(f"{{{NS}}}ControleExterno", nsmap={None: NS})
    for nome, valor in campos:
        if valor is not None:
            etree.SubElement(el, f"{{{NS}}}{nome}").text = valor
    return xmldsig.assinar(etree.tostring(el, xml_declaration=True, encoding="UTF-8"), assinador)


def adicionar_parser(
    sub: argparse._SubParsersAction,
    comuns_servidor: Callable[[argparse.ArgumentParser], None],
    comuns_certificado: Callable[[argparse.ArgumentParser], None],
) -> None:
    """O subcomando ``controle-externo`` (chamado por ``cli.construir_parser``)."""
    s = sub.add_parser(
        "controle-externo",
        help="Tribunal de Contas: registra os números apurados (valor aplicado e percentual)",
        description="O técnico do Tribunal de Contas registra, com o seu certificado, o valor "
        "aplicado em ASPS e o percentual que o Tribunal apurou para o ente no exercício. Os "
        "números prevalecem sobre os declarados pelo gestor do SUS nas páginas públicas.",
    )
    s.add_argument("--ente", required=True, help="código do ente (ex.: M355030)")
    s.add_argument("--exercicio", type=argumentos.exercicio, required=True)
    s.add_argument(
        "--valor-aplicado", required=True, help="valor aplicado em ASPS (ex.: 1.234.567,89)"
    )
    s.add_argument("--percentual", required=True, help="percentual aplicado (ex.: 16,25)")
    s.add_argument("--observacao", default="", help="observação do Tribunal (opcional)")
    comuns_servidor(s)
    comuns_certificado(s)


def _numero(texto: str, o_que: str) -> Decimal:
    from siops.forms.dinheiro import ValorInvalido, parse_valor
    from siops.transmissor.cli import ENTRADA, Saida

    try:
        v = parse_valor(texto)
    except ValorInvalido as exc:
        raise Saida(f"{o_que}: {exc}", ENTRADA) from None
    if v < 0:
        raise Saida(f"{o_que} não pode ser negativo ({texto}).", ENTRADA)
    return v


def cmd_controle_externo(a: argparse.Namespace) -> int:
    """Assina e envia os números do Tribunal de Contas."""
    from siops.forms.dinheiro import apresentar_percentual, formatar
    from siops.transmissor.cli import ENTRADA, OK, Saida, _assinador, _cliente, _erro
    from siops.transmissor.cli import _imprimir_json as imprimir

    valor = _numero(a.valor_aplicado, "O valor aplicado")
    percentual = _numero(a.percentual, "O percentual")
    if percentual > 100:
        raise Saida(f"O percentual {a.percentual} passa de 100%.", ENTRADA)
    cliente = _cliente(a)
    assinador = _assinador(a)
    with assinador:
        corpo = documento(assinador, a.ente, a.exercicio, valor, percentual, a.observacao)
    r = cliente.pedir(
        "POST", "/controle-externo", corpo=corpo, cabecalhos={"Content-Type": "application/xml"}
    )
    try:
        resp = r.json()
    except ValueError:
        resp = {}
    _erro(
        f"Números apurados pelo {resp.get('tribunal', 'Tribunal de Contas')} registrados para "
        f"{resp.get('nome', a.ente)} em {a.exercicio}: {apresentar_percentual(percentual)}% "
        f"(R$ {formatar(valor)}). Eles prevalecem sobre os declarados pelo gestor do SUS."
    )
    if a.json:
        imprimir(resp)
    return OK
