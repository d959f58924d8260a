"""Os registros do servidor (valores imutáveis devolvidos pelo repositório)."""

from __future__ import annotations

from dataclasses import dataclass

# Papéis (docs/api.md §3).
CHEFE = "chefe"
SUBSTITUTO_CHEFE = "substituto_chefe"
SECRETARIO = "secretario"
SUBSTITUTO_SECRETARIO = "substituto_secretario"
TECNICO = "tecnico"
ADMIN = "admin"
PAPEIS_DE_ENTE = (CHEFE, SUBSTITUTO_CHEFE, SECRETARIO, SUBSTITUTO_SECRETARIO, TECNICO)
GESTORES_SUS = (SECRETARIO, SUBSTITUTO_SECRETARIO)
TRANSMISSORES = (TECNICO, SECRETARIO, SUBSTITUTO_SECRETARIO)

NOME_PAPEL = {
    CHEFE: "chefe do Poder Executivo",
    SUBSTITUTO_CHEFE: "substituto do chefe do Poder Executivo",
    SECRETARIO: "secretário de saúde",
    SUBSTITUTO_SECRETARIO: "substituto do secretário de saúde",
    TECNICO: "técnico responsável pelo envio",
    ADMIN: "administrador do servidor",
}

# Situações de uma transmissão.
TRANSMITIDO = "transmitido"
HOMOLOGADO = "homologado"
SUBSTITUIDA = "substituida"
HOMOLOGACAO_ANULADA = "homologacao_anulada"
VIGENTES = (TRANSMITIDO, HOMOLOGADO)

# Situações de uma solicitação de retransmissão.
SOLICITADA = "solicitada"
AUTORIZADA = "autorizada"
UTILIZADA = "utilizada"


@dataclass(frozen=True, slots=True)
class Usuario:
    """Uma pessoa conhecida do servidor, pelo CPF."""

    cpf: str
    nome: str
    email: str
    telefone: str
    senha_hash: str | None
    falhas: int
    bloqueado_ate: str | None
    senha_enviada_em: str | None
    #: A senha enviada por "esqueceu a senha", ainda não usada: a atual segue valendo (e as
    #: sessões vivas também) até a pessoa entrar com esta.
    senha_pendente_hash: str | None = None


@dataclass(frozen=True, slots=True)
class Papel:
    """Um papel de uma pessoa num ente (``ente`` vazio para o administrador)."""

    id: int
    ente: str
    papel: str
    cpf: str
    nome: str
    cadastrado_por: str | None
    cadastrado_em: str
    anulado_em: str | None


@dataclass(frozen=True, slots=True)
class Sessao:
    """Um token de acesso (guardado só como hash)."""

    token_hash: str
    cpf: str
    criada_em: str
    expira_em: str
    revogada: bool


@dataclass(frozen=True, slots=True)
class Transmissao:
    """Uma transmissão aceita."""

    id: int
    protocolo: str
    digest: str
    ente: str
    uf: str
    exercicio: int
    bimestre: int
    tamanho: int
    signatario_cpf: str
    signatario_nome: str
    usuario_cpf: str
    recebido_em: str
    situacao: str
    recibo: str | None
    avisos: str  # JSON
    retransmissao_id: int | None


@dataclass(frozen=True, slots=True)
class Homologacao:
    """A homologação de uma transmissão pelo gestor do SUS."""

    id: int
    protocolo: str
    cpf: str
    nome: str
    homologado_em: str
    documento_digest: str
    digest_demonstrativo: str | None
    demonstrativo_recebido: bool
    anulada_em: str | None
    recibo: str | None


@dataclass(frozen=True, slots=True)
class Retransmissao:
    """Uma solicitação de retransmissão e sua autorização."""

    id: int
    ente: str
    exercicio: int
    bimestre: int
    justificativa: str
    solicitante_cpf: str
    solicitada_em: str
    situacao: str
    autorizada_em: str | None
    autorizada_por: str | None
    observacao: str | None
    utilizada_por: str | None


# Monitoramento, notificações, Sem Balanço e Módulo de Controle Externo (issue 25).
ENVIANDO = "enviando"
ENVIADA = "enviada"
FALHA = "falha"


@dataclass(frozen=True, slots=True)
class Notificacao:
    """Um e-mail automático a uma pessoa: o evento, a quem, quando e por quê."""

    id: int
    evento: str
    tipo: str
    ente: str
    exercicio: int | None
    bimestre: int | None
    protocolo: str | None
    cpf: str
    nome: str
    papel: str
    email: str
    assunto: str
    motivo: str
    situacao: str
    criada_em: str
    enviada_em: str | None
    tentativas: int
    erro: str | None


@dataclass(frozen=True, slots=True)
class SemBalanco:
    """A classificação "Sem Balanço" de um ente num exercício (e sua reversão)."""

    id: int
    ente: str
    exercicio: int
    justificativa: str
    oficio: str
    registrado_em: str
    registrado_por: str
    revertido_em: str | None
    revertido_por: str | None
    motivo_reversao: str | None


@dataclass(frozen=True, slots=True)
class TecnicoTC:
    """Um técnico de Tribunal de Contas e a sua jurisdição (códigos de ente ou ``UF:SP``)."""

    id: int
    cpf: str
    nome: str
    email: str
    tribunal: str
    cadastrado_em: str
    cadastrado_por: str
    anulado_em: str | None
    alcance: tuple[str, ...]

    def alcanca(self, ente: str, uf: str) -> bool:
        """Se o ente (de sigla ``uf``) está na jurisdição deste técnico."""
        return ente in self.alcance or f"UF:{uf}" in self.alcance


@dataclass(frozen=True, slots=True)
class ControleExterno:
    """Os números apurados pelo Tribunal de Contas (valores em texto decimal com ponto)."""

    id: int
    ente: str
    exercicio: int
    valor_aplicado: str
    percentual: str
    tribunal: str
    cpf: str
    nome: str
    observacao: str
    documento_digest: str
    registrado_em: str
    substituido_em: str | None
