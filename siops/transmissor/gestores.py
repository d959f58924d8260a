"""O Módulo de Gestores (issue 22): o que o prefeito, o secretário de saúde e os substitutos
fazem com o próprio certificado ICP-Brasil, sem um programador.

As operações usadas igualmente pela aba "Módulo de Gestores" da janela (``gui.gestores``) e pelos
comandos do ``siopsnet`` (``cadastrar``, ``cadastros``, ``alterar-contato``, ``esqueci-senha``,
``retransmissao``), sobre a API do servidor (docs/api.md §2, §3 e §7):

* **entrar** com o certificado (um ``PedidoSessao`` assinado) para ver os cadastros do ente;
* **cadastrar** (ou substituir) alguém num papel: um ``Cadastro`` assinado — o prefeito ou
  governador cadastra o substituto, o secretário de saúde e o substituto do secretário; o
  secretário (ou o substituto) cadastra o técnico, que recebe a senha por e-mail;
* **alterar** só o e-mail e o telefone (``AlteracaoContato`` assinada), sem senha nova;
* **esqueceu a senha**: o técnico recebe uma senha nova no e-mail cadastrado;
* **acompanhar** um pedido de retransmissão até a autorização do Ministério.

O servidor decide quem vê e quem cadastra o quê, e diz os nomes dos papéis e o que quem
pergunta pode cadastrar (``pode_cadastrar``): este módulo não repete as regras nem a lista de
papéis do servidor. As conferências locais (CPF, e-mail, ente) só poupam uma ida ao servidor e
a senha do certificado quando a entrada está errada.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from siops.assinatura.assinador import Assinador
from siops.assinatura.certificados import cpf_valido, formatar_cpf, so_digitos
from siops.forms.entes import EnteDesconhecido, ente
from siops.transmissor import documentos
from siops.transmissor.cliente import ClienteSIOPS, RecusadoPeloServidor, Sessao, SessaoExpirada

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


class EntradaInvalida(ValueError):
    """Um dado digitado não pode ser enviado (mensagem em português, diz o campo)."""


@dataclass(frozen=True)
class Cadastrado:
    """Uma pessoa ativa num papel do ente, como o servidor a mostra a quem pergunta."""

    papel: str
    nome_papel: str
    cpf: str
    nome: str
    email: str
    telefone: str
    desde: str
    proprio: bool

    @property
    def cpf_formatado(self) -> str:
        """``000.000.000-00``."""
        return formatar_cpf(self.cpf)

    @property
    def desde_br(self) -> str:
        """A data do cadastro em ``dd/mm/aaaa``."""
        m = re.match(r"(\d{4})-(\d{2})-(\d{2})", self.desde)
        return f"{m.group(3)}/{m.group(2)}/{m.group(1)}" if m else self.desde


@dataclass(frozen=True)
class QuadroEnte:
    """O que o gestor vê do ente: os cadastros que lhe cabem e os papéis que pode cadastrar."""

    ente: str
    nome_ente: str
    ativos: list[Cadastrado]
    pode_cadastrar: list[tuple[str, str]]
    """(código do papel, nome do papel) na ordem da cadeia."""

    def nome_do_papel(self, papel: str) -> str:
        """O nome em português de um papel que aparece no quadro."""
        for c, n in self.pode_cadastrar:
            if c == papel:
                return n
        return next((a.nome_papel for a in self.ativos if a.papel == papel), papel)

    def como_json(self) -> dict[str, Any]:
        """O quadro para ``--json``."""
        return {
            "ente": self.ente,
            "nome_ente": self.nome_ente,
            "ativos": [a.__dict__ | {"cpf_formatado": a.cpf_formatado} for a in self.ativos],
            "pode_cadastrar": [{"papel": c, "nome_papel": n} for c, n in self.pode_cadastrar],
        }

    def texto(self) -> str:
        """O quadro em linhas legíveis (a saída do ``siopsnet cadastros``)."""
        linhas = [f"Cadastros de {self.nome_ente} ({self.ente}) que você pode ver:"]
        for a in self.ativos:
            voce = " (você)" if a.proprio else ""
            contato = ", ".join(x for x in (a.email, a.telefone) if x)
            linhas.append(
                f"  {a.nome_papel}: {a.nome}{voce} — CPF {a.cpf_formatado}"
                + (f" — {contato}" if contato else "")
                + (f" — desde {a.desde_br}" if a.desde else "")
            )
        if self.pode_cadastrar:
            linhas.append(
                "Você pode cadastrar (ou substituir): "
                + "; ".join(f"{n} (--papel {c})" for c, n in self.pode_cadastrar)
                + "."
            )
        return "\n".join(linhas)


# ---------------------------------------------------------------------------- conferências


def codigo_ente(texto: str) -> str:
    """O código canônico do ente (``M355030``, ``E35``); ``EntradaInvalida`` se não existe."""
    try:
        return ente((texto or "").strip()).codigo
    except EnteDesconhecido as exc:
        raise EntradaInvalida(
            f"Ente desconhecido: {texto or '(vazio)'}. Use M seguido dos 6 dígitos do IBGE do "
            f"município (ex.: M355030) ou E seguido do código da UF. ({exc})"
        ) from None


def conferir_cpf(cpf: str, quem: str = "da pessoa") -> str:
    """Os 11 dígitos de um CPF válido; ``EntradaInvalida`` dizendo de quem é."""
    if not cpf_valido(cpf or ""):
        raise EntradaInvalida(
            f"O CPF {quem} não é válido ({cpf or 'vazio'}): confira os 11 dígitos; os dois "
            "últimos são dígitos verificadores."
        )
    return so_digitos(cpf)


def conferir_email(email: str, obrigatorio: bool) -> str:
    """O e-mail sem espaços nas pontas; ``EntradaInvalida`` se inválido (ou faltando)."""
    email = (email or "").strip()
    if not email and not obrigatorio:
        return ""
    if not _EMAIL.match(email):
        raise EntradaInvalida(
            f"O e-mail {email or '(vazio)'} não é válido: informe um endereço como "
            "nome@prefeitura.sp.gov.br (o técnico recebe a senha nele)."
        )
    return email


def _conferir_nome(nome: str) -> str:
    nome = " ".join((nome or "").split())
    if len(nome) < 3:
        raise EntradaInvalida("Informe o nome completo da pessoa, como no documento dela.")
    return nome


# ---------------------------------------------------------------------------- operações


def entrar(cliente: ClienteSIOPS, assinador: Assinador) -> Sessao:
    """Abre a sessão de gestor com o certificado (o assinador já aberto, com PIN se token)."""
    return cliente.entrar_com_certificado(documentos.pedido_sessao(assinador))


def cadastros(cliente: ClienteSIOPS, codigo: str) -> QuadroEnte:
    """Os cadastros do ente que o gestor da sessão pode ver (regras de acesso do servidor)."""
    d = _json(cliente.pedir("GET", f"/entes/{codigo_ente(codigo)}/cadastros", token=True))
    ativos = [
        Cadastrado(
            papel=str(a.get("papel", "")),
            nome_papel=str(a.get("nome_papel") or a.get("papel", "")),
            cpf=str(a.get("cpf", "")),
            nome=str(a.get("nome", "")),
            email=str(a.get("email", "") or ""),
            telefone=str(a.get("telefone", "") or ""),
            desde=str(a.get("desde", "") or ""),
            proprio=bool(a.get("proprio")),
        )
        for a in d.get("ativos", []) or []
        if isinstance(a, dict)
    ]
    pode = [
        (str(p.get("papel", "")), str(p.get("nome_papel") or p.get("papel", "")))
        for p in d.get("pode_cadastrar", []) or []
        if isinstance(p, dict)
    ]
    return QuadroEnte(str(d.get("ente", codigo)), str(d.get("nome_ente", codigo)), ativos, pode)


def conferir_cadastro(
    codigo: str, papel: str, nome: str, cpf: str, email: str, telefone: str = ""
) -> tuple[str, str, str, str, str, str]:
    """Os campos de um cadastro conferidos e limpos (antes de pedir a senha do certificado)."""
    papel = (papel or "").strip()
    if not papel:
        raise EntradaInvalida("Escolha o papel a cadastrar.")
    return (
        codigo_ente(codigo),
        papel,
        _conferir_nome(nome),
        conferir_cpf(cpf),
        conferir_email(email, obrigatorio=papel == "tecnico"),
        " ".join((telefone or "").split()),
    )


def cadastrar(
    cliente: ClienteSIOPS,
    assinador: Assinador,
    codigo: str,
    papel: str,
    nome: str,
    cpf: str,
    email: str,
    telefone: str = "",
) -> dict[str, Any]:
    """Assina e envia o ``Cadastro``: o novo ocupante do papel substitui o anterior (e um novo
    secretário anula o técnico, que precisa ser cadastrado de novo)."""
    campos = conferir_cadastro(codigo, papel, nome, cpf, email, telefone)
    doc = documentos.cadastro(assinador, *campos)
    return _json(
        cliente.pedir(
            "POST", "/cadastros", corpo=doc, cabecalhos={"Content-Type": "application/xml"}
        )
    )


def conferir_contato(
    codigo: str, papel: str, cpf: str, email: str, telefone: str = ""
) -> tuple[str, str, str, str, str]:
    """Os campos de uma alteração de contato conferidos e limpos."""
    if not (papel or "").strip():
        raise EntradaInvalida("Escolha o cadastro (papel) cujo contato será alterado.")
    return (
        codigo_ente(codigo),
        papel.strip(),
        conferir_cpf(cpf),
        conferir_email(email, obrigatorio=True),
        " ".join((telefone or "").split()),
    )


def alterar_contato(
    cliente: ClienteSIOPS,
    assinador: Assinador,
    codigo: str,
    papel: str,
    cpf: str,
    email: str,
    telefone: str = "",
) -> dict[str, Any]:
    """Assina e envia a ``AlteracaoContato`` (só e-mail e telefone; a senha não muda)."""
    campos = conferir_contato(codigo, papel, cpf, email, telefone)
    doc = documentos.alteracao_contato(assinador, *campos)
    return _json(
        cliente.pedir(
            "POST", "/cadastros/contato", corpo=doc, cabecalhos={"Content-Type": "application/xml"}
        )
    )


def esqueci_senha(cliente: ClienteSIOPS, cpf: str) -> str:
    """ "Esqueceu a senha": o servidor manda uma senha nova ao e-mail cadastrado do técnico.
    Devolve a frase do servidor (a mesma para qualquer CPF: não revela quem está cadastrado)."""
    d = _json(
        cliente.pedir("POST", "/senhas/esqueci", json={"cpf": conferir_cpf(cpf, "do técnico")})
    )
    return str(
        d.get("mensagem")
        or "Se o CPF estiver cadastrado como técnico, uma nova senha foi enviada para o e-mail "
        "cadastrado."
    )


SITUACOES_RETRANSMISSAO = {
    "solicitada": "solicitada — aguarda a autorização do Ministério da Saúde (DESID/SE/MS)",
    "autorizada": "autorizada — o técnico já pode transmitir de novo; depois, homologue de novo",
    "utilizada": "utilizada — os dados foram transmitidos de novo; homologue a nova transmissão",
    "negada": "negada — procure a equipe do SIOPS (Disque Saúde 136) para saber o motivo",
}


def retransmissao(cliente: ClienteSIOPS, ident: int) -> dict[str, Any]:
    """A situação de um pedido de retransmissão (sessão de gestor do ente)."""
    return _json(cliente.pedir("GET", f"/retransmissoes/{int(ident)}", token=True))


def texto_retransmissao(d: dict[str, Any]) -> str:
    """``Pedido 7 (3º bimestre de 2025): autorizada — …``."""
    situacao = str(d.get("situacao", ""))
    periodo = ""
    if d.get("bimestre") and d.get("exercicio"):
        periodo = f" ({d['bimestre']}º bimestre de {d['exercicio']})"
    texto = f"Pedido {d.get('id', '')}{periodo}: {SITUACOES_RETRANSMISSAO.get(situacao, situacao)}."
    if d.get("observacao"):
        texto += f" Observação do Ministério: {d['observacao']}"
    return texto


def texto_do_erro(erro: BaseException) -> str:
    """A frase para o gestor: a recusa do servidor com os motivos (que dizem o que fazer), ou a
    sessão vencida com o caminho para entrar de novo."""
    if isinstance(erro, SessaoExpirada):
        return (
            f"{erro}\nEntre de novo com o seu certificado (botão Entrar com certificado, ou repita "
            "o comando). Se você foi substituído no cadastro, quem o cadastrou precisa cadastrá-lo "
            "de novo."
        )
    if isinstance(erro, RecusadoPeloServidor):
        return erro.texto_completo
    return str(erro)


def _json(r: Any) -> dict[str, Any]:
    try:
        d = r.json()
    except ValueError:
        return {}
    return d if isinstance(d, dict) else {}
