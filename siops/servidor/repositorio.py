"""O repositório: tudo o que o servidor guarda, atrás de uma interface pequena.

``Repositorio`` diz o que o resto do servidor pode pedir; ``RepositorioSQLite`` o implementa
sobre ``banco.Banco`` (WAL, um escritor). Uma implementação em PostgreSQL só precisaria
respeitar as mesmas operações — em especial, as que são atômicas aqui (``aceitar``,
``homologar``, ``cadastrar``, ``solicitar_retransmissao``, ``reservar_tentativa``,
``promover_senha_pendente``) precisam reconferir o estado dentro da própria transação, porque o
serviço confere antes, fora dela, e pedidos simultâneos existem.

Conflitos de estado descobertos dentro da transação voltam como ``ConflitoEstado(codigo)``; o
serviço os traduz em mensagens para o usuário.
"""

from __future__ import annotations

import abc
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from siops.servidor import modelos as m


class ConflitoEstado(Exception):
    """O estado mudou (ou já era outro) quando a transação foi conferir; ``codigo`` diz qual."""

    def __init__(self, codigo: str, detalhe: object = None) -> None:
        super().__init__(codigo)
        self.codigo = codigo
        self.detalhe = detalhe


@dataclass(frozen=True, slots=True)
class NovaTransmissao:
    """O que o serviço entrega ao repositório para aceitar uma transmissão."""

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
    avisos: str  # JSON


@dataclass(frozen=True, slots=True)
class NovaNotificacao:
    """Um e-mail automático a reservar: o evento (a chave que não se repete), a pessoa e o
    texto."""

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


@dataclass(frozen=True, slots=True)
class NovoControleExterno:
    """Os números de um Tribunal de Contas a registrar (valores em texto decimal com ponto)."""

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


@dataclass(frozen=True, slots=True)
class ResultadoCadastro:
    """O que ``Repositorio.cadastrar`` fez.

    ``identidade_preservada``: a pessoa já tinha outro papel ativo (em outro ente, ou no mesmo
    ente fora do que este cadastro substitui), então nome, e-mail, senha e sessões dela ficaram
    como estavam — só o papel foi concedido. ``senha_definida``: a senha dada foi gravada (então
    deve ser enviada para ``email``, o e-mail registrado da pessoa).
    """

    anulados: list[m.Papel]
    identidade_preservada: bool
    senha_definida: bool
    nome: str
    email: str


@dataclass(frozen=True, slots=True)
class Tentativa:
    """Uma tentativa de senha reservada por ``Repositorio.reservar_tentativa``.

    ``usuario`` é ``None`` se o CPF não existe. ``reservada``: a tentativa foi contada e a senha
    pode ser conferida; se não (conta bloqueada), ``bloqueado_ate`` diz até quando. Quando a
    tentativa reservada é a última antes do limite, ``bloqueado_ate`` já vem preenchido: se a
    senha não conferir, a resposta é o bloqueio.
    """

    usuario: m.Usuario | None
    reservada: bool
    bloqueado_ate: str | None


class Repositorio(abc.ABC):
    """As operações de armazenamento do servidor (ver a docstring do módulo)."""

    # usuários, papéis, sessões
    @abc.abstractmethod
    def usuario(self, cpf: str) -> m.Usuario | None: ...
    @abc.abstractmethod
    def papeis_ativos(self, cpf: str | None = None, ente: str | None = None) -> list[m.Papel]: ...
    @abc.abstractmethod
    def cadastrar(
        self,
        ente: str,
        papel: str,
        cpf: str,
        nome: str,
        email: str,
        telefone: str,
        por_cpf: str | None,
        anular: Sequence[str],
        documento_digest: str | None,
        senha_hash: str | None,
        momento: str,
    ) -> ResultadoCadastro: ...
    @abc.abstractmethod
    def alterar_contato(self, cpf: str, email: str, telefone: str) -> None:
        """Troca só o e-mail e o telefone da pessoa ("ALTERAR" do Módulo de Gestores): sem
        senha nova, sem revogar sessões."""

    @abc.abstractmethod
    def definir_senha(self, cpf: str, senha_hash: str, momento: str) -> None: ...
    @abc.abstractmethod
    def definir_senha_pendente(self, cpf: str, senha_hash: str, momento: str) -> None: ...
    @abc.abstractmethod
    def promover_senha_pendente(self, cpf: str, senha_hash: str) -> bool: ...
    @abc.abstractmethod
    def reservar_tentativa(
        self, cpf: str, limite: int, agora: str, bloquear_ate: str
    ) -> Tentativa: ...
    @abc.abstractmethod
    def zerar_falhas(self, cpf: str) -> None: ...
    @abc.abstractmethod
    def criar_sessao(self, token_hash: str, cpf: str, criada: str, expira: str) -> None: ...
    @abc.abstractmethod
    def sessao(self, token_hash: str) -> m.Sessao | None: ...
    @abc.abstractmethod
    def revogar_sessao(self, token_hash: str) -> None: ...
    @abc.abstractmethod
    def documento_usado(self, digest: str) -> bool: ...
    @abc.abstractmethod
    def usar_documento(self, digest: str, tipo: str, cpf: str, momento: str) -> None: ...

    # transmissões
    @abc.abstractmethod
    def transmissao(self, protocolo: str) -> m.Transmissao | None: ...
    @abc.abstractmethod
    def transmissao_por_digest(self, digest: str) -> m.Transmissao | None: ...
    @abc.abstractmethod
    def vigente(self, ente: str, exercicio: int, bimestre: int) -> m.Transmissao | None: ...
    @abc.abstractmethod
    def houve_entrega(self, ente: str, exercicio: int, bimestre: int) -> bool: ...
    @abc.abstractmethod
    def aceitar(self, nova: NovaTransmissao) -> tuple[m.Transmissao, bool]: ...
    @abc.abstractmethod
    def definir_recibo(self, protocolo: str, recibo: str) -> None: ...
    @abc.abstractmethod
    def listar_transmissoes(self) -> list[m.Transmissao]: ...
    @abc.abstractmethod
    def vigentes_do_periodo(
        self, uf: str, exercicio: int, bimestre: int
    ) -> dict[str, m.Transmissao]: ...
    @abc.abstractmethod
    def registrar_recusa(
        self, digest: str | None, codigo: str, erro: str, cpf: str | None, momento: str
    ) -> None: ...

    # homologação e retransmissão
    @abc.abstractmethod
    def homologacao(self, protocolo: str) -> m.Homologacao | None: ...
    @abc.abstractmethod
    def homologar(
        self,
        protocolo: str,
        cpf: str,
        nome: str,
        momento: str,
        documento_digest: str,
        digest_demonstrativo: str | None,
        arquivo_digest: str | None = None,
    ) -> m.Homologacao: ...
    @abc.abstractmethod
    def definir_recibo_homologacao(self, homologacao_id: int, recibo: str) -> None: ...
    @abc.abstractmethod
    def registrar_demonstrativo(self, homologacao_id: int) -> None: ...
    @abc.abstractmethod
    def solicitar_retransmissao(
        self,
        ente: str,
        exercicio: int,
        bimestre: int,
        justificativa: str,
        cpf: str,
        momento: str,
        documento_digest: str,
    ) -> m.Retransmissao: ...
    @abc.abstractmethod
    def autorizar_retransmissao(
        self, ident: int, admin_cpf: str, observacao: str, momento: str
    ) -> m.Retransmissao: ...
    @abc.abstractmethod
    def retransmissao(self, ident: int) -> m.Retransmissao | None: ...
    @abc.abstractmethod
    def retransmissoes(
        self, situacao: str | None = None, ente: str | None = None
    ) -> list[m.Retransmissao]: ...

    # dados de referência e administração
    @abc.abstractmethod
    def carregar_referencia(
        self, linhas: Iterable[tuple[str, int, int, str, str]], momento: str
    ) -> int: ...
    @abc.abstractmethod
    def referencia(self, ente: str | None = None, exercicio: int | None = None) -> list[dict]: ...
    @abc.abstractmethod
    def registrar_entrega_externa(
        self, ente: str, exercicio: int, bimestre: int, momento: str
    ) -> None: ...
    @abc.abstractmethod
    def criar_admin(self, cpf: str, nome: str, senha_hash: str, momento: str) -> None: ...

    # monitoramento, notificações, Sem Balanço e controle externo (repositorio_monitoramento)
    @abc.abstractmethod
    def reservar_notificacao(self, n: NovaNotificacao, momento: str) -> int | None:
        """Reserva o envio de ``n`` (evento + CPF) e devolve o id, ou ``None`` se já foi enviada
        ou outro processo está enviando: o mesmo evento nunca vai duas vezes à mesma pessoa."""

    @abc.abstractmethod
    def concluir_notificacao(self, ident: int, enviada_em: str) -> None: ...
    @abc.abstractmethod
    def falhar_notificacao(self, ident: int, erro: str) -> None: ...
    @abc.abstractmethod
    def notificacoes(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.Notificacao]: ...
    @abc.abstractmethod
    def envios_de_eventos(self, eventos: Iterable[str]) -> dict[str, str]:
        """O primeiro envio registrado (``enviada_em``) de cada evento que já foi enviado."""

    @abc.abstractmethod
    def registrar_sem_balanco(
        self, ente: str, exercicio: int, justificativa: str, oficio: str, por: str, momento: str
    ) -> m.SemBalanco: ...
    @abc.abstractmethod
    def reverter_sem_balanco(
        self, ente: str, exercicio: int, por: str, motivo: str, momento: str
    ) -> m.SemBalanco: ...
    @abc.abstractmethod
    def sem_balanco(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.SemBalanco]: ...
    @abc.abstractmethod
    def cadastrar_tecnico_tc(
        self,
        cpf: str,
        nome: str,
        email: str,
        tribunal: str,
        alcance: Sequence[str],
        por: str,
        momento: str,
    ) -> m.TecnicoTC: ...
    @abc.abstractmethod
    def anular_tecnico_tc(self, cpf: str, momento: str) -> bool: ...
    @abc.abstractmethod
    def tecnicos_tc(self, cpf: str | None = None) -> list[m.TecnicoTC]: ...
    @abc.abstractmethod
    def registrar_controle_externo(self, novo: NovoControleExterno) -> m.ControleExterno: ...
    @abc.abstractmethod
    def controles_externos(
        self, ente: str | None = None, exercicio: int | None = None
    ) -> list[m.ControleExterno]: ...
    @abc.abstractmethod
    def carregar_siafi(self, pares: Iterable[tuple[str, str]], momento: str) -> int: ...
    @abc.abstractmethod
    def codigos_siafi(self) -> dict[str, str]: ...
    @abc.abstractmethod
    def vigentes(
        self, exercicio: int, bimestre: int | None = None, uf: str | None = None
    ) -> list[m.Transmissao]: ...
    @abc.abstractmethod
    def homologacoes_vigentes(self, exercicio: int, bimestre: int) -> dict[str, m.Homologacao]:
        """As homologações válidas das transmissões vigentes do período, por protocolo."""

    @abc.abstractmethod
    def ultimas_homologacoes_anuladas(self, exercicio: int, bimestre: int) -> dict[str, int]:
        """Por ente, o id da homologação anulada (por retransmissão) mais recente do período."""

    @abc.abstractmethod
    def entregas_externas(self, exercicio: int, bimestre: int) -> set[str]: ...
    @abc.abstractmethod
    def gestores_com_email(self, papeis: Sequence[str]) -> list[tuple[m.Papel, str]]:
        """Os papéis ativos ``papeis`` cujo titular tem e-mail, com o e-mail."""

    # conferência (``integridade``)
    @abc.abstractmethod
    def verificar_integridade(self) -> str: ...
    @abc.abstractmethod
    def documentos_de_homologacao(self) -> list[str]: ...
    @abc.abstractmethod
    def homologacoes_registradas(self) -> list[m.Homologacao]: ...
    @abc.abstractmethod
    def vigentes_duplicados(self) -> list[tuple]: ...
    @abc.abstractmethod
    def fechar(self) -> None: ...
