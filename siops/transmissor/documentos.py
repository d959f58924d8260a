"""Os documentos assinados dos atos do gestor (docs/api.md §1.4, §2, §6, §7).

Cada ato é um XML pequeno no espaço de nomes ``urn:siops-desktop:servidor:1``, com ``Momento``
(ISO 8601 em UTC) e ``Nonce`` (hexadecimal aleatório), assinado com ``xmldsig.assinar``: o
servidor o confere com o mesmo ``xmldsig.verificar``.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Sequence

from lxml import etree

from siops.assinatura import xmldsig
from siops.assinatura.assinador import Assinador

NS = "urn:siops-desktop:servidor:1"
JUSTIFICATIVA_MIN = 20
JUSTIFICATIVA_MAX = 2000


class DocumentoInvalido(ValueError):
    """Um campo do documento não pode ser usado (mensagem em português)."""


def momento(quando: dt.datetime | None = None) -> str:
    """``2025-03-01T15:00:00Z``."""
    q = (quando or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).replace(microsecond=0)
    return q.strftime("%Y-%m-%dT%H:%M:%SZ")


def _montar(
    raiz: str, campos: Sequence[tuple[str, str | None]], quando: dt.datetime | None
) -> bytes:
    el = etree.Element(f"{{{NS}}}{raiz}", nsmap={None: NS})
    for nome, valor in campos:
        if valor is None:
            continue
        etree.SubElement(el, f"{{{NS}}}{nome}").text = valor
    etree.SubElement(el, f"{{{NS}}}Momento").text = momento(quando)
    etree.SubElement(el, f"{{{NS}}}Nonce").text = secrets.token_hex(16)
    return etree.tostring(el, xml_declaration=True, encoding="UTF-8")


def pedido_sessao(assinador: Assinador, quando: dt.datetime | None = None) -> bytes:
    """``PedidoSessao`` assinado: abre uma sessão de gestor (consultas antes de homologar)."""
    return xmldsig.assinar(_montar("PedidoSessao", [], quando), assinador)


def homologacao(
    assinador: Assinador,
    protocolo: str,
    digest: str,
    ente: str,
    exercicio: int,
    bimestre: int,
    digest_demonstrativo: str | None = None,
    quando: dt.datetime | None = None,
) -> bytes:
    """``Homologacao`` assinada pelo gestor: nomeia o protocolo e o SHA-256 do arquivo transmitido."""
    campos = [
        ("Protocolo", protocolo),
        ("Digest", digest.lower()),
        ("Ente", ente),
        ("Exercicio", str(int(exercicio))),
        ("Bimestre", str(int(bimestre))),
        ("DigestDemonstrativo", digest_demonstrativo.lower() if digest_demonstrativo else None),
    ]
    return xmldsig.assinar(_montar("Homologacao", campos, quando), assinador)


def validar_justificativa(justificativa: str) -> str:
    """A justificativa limpa; ``DocumentoInvalido`` fora de 20 a 2000 caracteres."""
    texto = " ".join((justificativa or "").split())
    if len(texto) < JUSTIFICATIVA_MIN:
        raise DocumentoInvalido(
            f"A justificativa da retransmissão precisa ter pelo menos {JUSTIFICATIVA_MIN} caracteres: "
            "diga o que estava errado nos dados transmitidos."
        )
    if len(texto) > JUSTIFICATIVA_MAX:
        raise DocumentoInvalido(
            f"A justificativa pode ter no máximo {JUSTIFICATIVA_MAX} caracteres."
        )
    return texto


def solicitacao_retransmissao(
    assinador: Assinador,
    ente: str,
    exercicio: int,
    bimestre: int,
    justificativa: str,
    quando: dt.datetime | None = None,
) -> bytes:
    """``SolicitacaoRetransmissao`` assinada pelo gestor, com a justificativa."""
    campos = [
        ("Ente", ente),
        ("Exercicio", str(int(exercicio))),
        ("Bimestre", str(int(bimestre))),
        ("Justificativa", validar_justificativa(justificativa)),
    ]
    return xmldsig.assinar(_montar("SolicitacaoRetransmissao", campos, quando), assinador)


def cadastro(
    assinador: Assinador,
    ente: str,
    papel: str,
    nome: str,
    cpf: str,
    email: str,
    telefone: str = "",
    quando: dt.datetime | None = None,
) -> bytes:
    """``Cadastro`` assinado por quem cadastra (docs/api.md §3): o Módulo de Gestores."""
    campos = [
        ("Ente", ente),
        ("Papel", papel),
        ("Nome", " ".join(nome.split())),
        ("CPF", cpf),
        ("Email", email.strip() or None),
        ("Telefone", telefone.strip() or None),
    ]
    return xmldsig.assinar(_montar("Cadastro", campos, quando), assinador)


def alteracao_contato(
    assinador: Assinador,
    ente: str,
    papel: str,
    cpf: str,
    email: str,
    telefone: str = "",
    quando: dt.datetime | None = None,
) -> bytes:
    """``AlteracaoContato`` assinada ("ALTERAR" do Módulo de Gestores: só e-mail e telefone)."""
    campos = [
        ("Ente", ente),
        ("Papel", papel),
        ("CPF", cpf),
        ("Email", email.strip()),
        ("Telefone", telefone.strip() or None),
    ]
    return xmldsig.assinar(_montar("AlteracaoContato", campos, quando), assinador)
