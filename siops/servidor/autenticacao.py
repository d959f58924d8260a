"""Login (CPF + senha, ou documento assinado), tokens, bloqueio e "esqueceu a senha".

Regras (docs/api.md §2): só o técnico e o administrador entram por senha; após
``tentativas_senha`` (5) falhas seguidas a conta fica bloqueada por ``bloqueio_segundos``
(15 min), e durante o bloqueio nem a senha certa entra; a mensagem diz até quando. Gestores
abrem sessão com um ``PedidoSessao`` assinado.

A contagem e o bloqueio são decididos na mesma escrita que registra a tentativa, ANTES da
conferência (lenta, argon2) da senha (``Repositorio.reservar_tentativa``): pedidos simultâneos
não passam do limite, e um acerto desfaz a reserva. "Esqueceu a senha" é anônimo: a senha nova
fica pendente e não derruba nada — a atual e as sessões vivas seguem valendo até a pessoa entrar
com a nova (aí a anterior deixa de valer e as outras sessões são encerradas).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass

from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor import senhas
from siops.servidor.contexto import Contexto, documento_reutilizado
from siops.servidor.correio import FalhaEmail
from siops.servidor.erros import ErroAPI
from siops.servidor.repositorio import ConflitoEstado, Tentativa
from siops.servidor.tempo import BRASILIA, de_iso, iso

_log = logging.getLogger("siops.servidor.autenticacao")


@dataclass(frozen=True)
class Autenticado:
    """Quem fez a requisição: a sessão, a pessoa e seus papéis ativos."""

    token_hash: str
    usuario: m.Usuario
    papeis: list[m.Papel]

    def papeis_no_ente(self, ente: str) -> set[str]:
        """Os papéis da pessoa num ente."""
        return {p.papel for p in self.papeis if p.ente == ente}

    @property
    def admin(self) -> bool:
        """Se é administrador do servidor."""
        return any(p.papel == m.ADMIN for p in self.papeis)


def _cpf_do_pedido(texto: object) -> str:
    cpf = cpfs.normalizar(texto if isinstance(texto, str) else "")
    if not cpfs.valido(cpf):
        raise ErroAPI(
            422,
            "cpf_invalido",
            "CPF inválido.",
            ["Informe os 11 dígitos do CPF (com ou sem pontuação)."],
        )
    return cpf


def _papeis_json(papeis: list[m.Papel]) -> list[dict]:
    return [{"ente": p.ente, "papel": p.papel} for p in papeis]


def _abrir_sessao(ctx: Contexto, usuario: m.Usuario, papeis: list[m.Papel]) -> dict:
    token = senhas.gerar_token()
    criada = ctx.agora()
    expira = criada + dt.timedelta(hours=ctx.cfg.horas_token)
    ctx.repo.criar_sessao(senhas.hash_token(token), usuario.cpf, iso(criada), iso(expira))
    return {
        "token": token,
        "expira_em": iso(expira),
        "usuario": {"cpf": usuario.cpf, "nome": usuario.nome, "papeis": _papeis_json(papeis)},
    }


def _bloqueio(ctx: Contexto, ate_iso: str) -> ErroAPI:
    ate = de_iso(ate_iso).astimezone(BRASILIA)
    segundos = max(1, int((ate - ctx.agora()).total_seconds()) + 1)
    return ErroAPI(
        423,
        "conta_bloqueada",
        "Acesso bloqueado por excesso de tentativas com senha errada. Tente novamente após "
        f"{ate:%H:%M} (horário de Brasília) de {ate:%d/%m/%Y}.",
        [
            'Se esqueceu a senha, use "Esqueceu a senha": uma nova será enviada para o e-mail '
            "cadastrado."
        ],
        cabecalhos={"Retry-After": str(segundos)},
    )


def _senha_incorreta(ctx: Contexto) -> ErroAPI:
    return ErroAPI(
        401,
        "senha_incorreta",
        "CPF ou senha incorretos.",
        [
            f"Após {ctx.cfg.tentativas_senha} tentativas erradas seguidas, o acesso fica "
            f"bloqueado por {ctx.cfg.bloqueio_segundos // 60} minutos."
        ],
    )


def _reservar(ctx: Contexto, cpf: str) -> Tentativa:
    """Reserva a tentativa de senha (ver a docstring do módulo); 423 se a conta está bloqueada."""
    agora = ctx.agora()
    ate = iso(agora + dt.timedelta(seconds=ctx.cfg.bloqueio_segundos))
    t = ctx.repo.reservar_tentativa(cpf, ctx.cfg.tentativas_senha, iso(agora), ate)
    if t.usuario is not None and not t.reservada:
        assert t.bloqueado_ate is not None
        raise _bloqueio(ctx, t.bloqueado_ate)
    return t


def login(ctx: Contexto, pedido: dict) -> dict:
    """``POST /sessoes``: CPF + senha → token (401, 403 ou 423 com a razão)."""
    cpf = _cpf_do_pedido(pedido.get("cpf"))
    senha = pedido.get("senha")
    if not isinstance(senha, str) or not senha:
        raise ErroAPI(400, "requisicao_invalida", "Informe a senha.")
    t = _reservar(ctx, cpf)
    usuario = t.usuario
    certa = senhas.confere(senha, usuario.senha_hash if usuario else None)
    promovida = False
    if not certa and usuario is not None and usuario.senha_pendente_hash:
        # a senha de "esqueceu a senha": usá-la a torna a senha (e derruba as outras sessões)
        if senhas.confere(senha, usuario.senha_pendente_hash):
            certa = promovida = ctx.repo.promover_senha_pendente(cpf, usuario.senha_pendente_hash)
    if not certa:
        if t.bloqueado_ate:  # era a última tentativa antes do limite
            raise _bloqueio(ctx, t.bloqueado_ate)
        raise _senha_incorreta(ctx)
    assert usuario is not None
    if not promovida:
        ctx.repo.zerar_falhas(cpf)
    papeis = [p for p in ctx.repo.papeis_ativos(cpf) if p.papel in (m.TECNICO, m.ADMIN)]
    if not papeis:
        raise ErroAPI(
            403,
            "nao_cadastrado",
            "Seu cadastro de técnico responsável pelo envio não está ativo.",
            [
                "Quando um novo secretário de saúde (ou um novo chefe do Executivo) é cadastrado, "
                "o técnico precisa ser cadastrado de novo pelo secretário."
            ],
        )
    return _abrir_sessao(ctx, usuario, ctx.repo.papeis_ativos(cpf))


def login_certificado(ctx: Contexto, corpo: bytes) -> dict:
    """``POST /sessoes/certificado``: um ``PedidoSessao`` assinado → token de gestor."""
    doc = ctx.documento(corpo, "PedidoSessao")
    papeis = ctx.repo.papeis_ativos(doc.cpf)
    usuario = ctx.repo.usuario(doc.cpf)
    if not papeis or usuario is None:
        raise ErroAPI(
            403,
            "nao_cadastrado",
            f"O CPF {cpfs.formatar(doc.cpf)} do certificado não tem cadastro ativo no SIOPS.",
            [
                "Ou você ainda não foi cadastrado, ou foi substituído por um cadastro mais novo. "
                "O secretário de saúde e os substitutos são cadastrados pelo prefeito ou "
                "governador; o técnico, pelo secretário de saúde; o prefeito ou governador, pela "
                "equipe do SIOPS a partir dos dados do TSE. Peça o cadastro a quem o faz."
            ],
        )
    try:
        ctx.repo.usar_documento(doc.digest, "sessao", doc.cpf, iso(ctx.agora()))
    except ConflitoEstado:
        raise documento_reutilizado() from None
    return _abrir_sessao(ctx, usuario, papeis)


def autenticar(ctx: Contexto, authorization: str | None) -> Autenticado:
    """A sessão do cabeçalho ``Authorization: Bearer`` (401 com a razão)."""
    if not authorization:
        raise ErroAPI(
            401,
            "token_ausente",
            "É preciso entrar no sistema (CPF e senha).",
            cabecalhos={"WWW-Authenticate": "Bearer"},
        )
    tipo, _, token = authorization.partition(" ")
    if tipo.lower() != "bearer" or not token.strip():
        raise ErroAPI(
            401,
            "token_invalido",
            "Cabeçalho Authorization inválido (use Bearer).",
            cabecalhos={"WWW-Authenticate": "Bearer"},
        )
    th = senhas.hash_token(token.strip())
    s = ctx.repo.sessao(th)
    if s is None or s.revogada or de_iso(s.expira_em) <= ctx.agora():
        motivo = (
            "A sessão expirou; entre novamente."
            if s is not None and not s.revogada
            else "A sessão não é válida (encerrada, senha trocada ou cadastro alterado); "
            "entre novamente."
        )
        raise ErroAPI(401, "token_invalido", motivo, cabecalhos={"WWW-Authenticate": "Bearer"})
    usuario = ctx.repo.usuario(s.cpf)
    assert usuario is not None
    return Autenticado(th, usuario, ctx.repo.papeis_ativos(s.cpf))


def exigir_admin(quem: Autenticado) -> None:
    """403 se não é administrador."""
    if not quem.admin:
        raise ErroAPI(403, "sem_permissao", "Apenas o administrador do servidor pode fazer isto.")


def logout(ctx: Contexto, quem: Autenticado) -> None:
    """Encerra a sessão."""
    ctx.repo.revogar_sessao(quem.token_hash)


def esqueci(ctx: Contexto, pedido: dict) -> dict:
    """ "Esqueceu a senha": senha nova por e-mail se o CPF for de técnico ativo (resposta igual
    em todos os casos, para não revelar quem está cadastrado).

    O pedido é anônimo, então não derruba nada: a senha nova fica pendente (substitui outra
    pendente), e a atual e as sessões vivas seguem valendo até a pessoa entrar com a nova."""
    resposta = {
        "mensagem": "Se o CPF estiver cadastrado como técnico, uma nova senha foi enviada para "
        "o e-mail cadastrado."
    }
    cpf_pedido = pedido.get("cpf")
    cpf = cpfs.normalizar(cpf_pedido if isinstance(cpf_pedido, str) else "")
    if not cpfs.valido(cpf):
        raise ErroAPI(422, "cpf_invalido", "CPF inválido.")
    usuario = ctx.repo.usuario(cpf)
    tecnico = [p for p in ctx.repo.papeis_ativos(cpf) if p.papel == m.TECNICO]
    if usuario is None or not tecnico or not usuario.email:
        return resposta
    agora = ctx.agora()
    if (
        usuario.senha_enviada_em
        and (agora - de_iso(usuario.senha_enviada_em)).total_seconds()
        < ctx.cfg.intervalo_esqueci_segundos
    ):
        return resposta
    senha = senhas.gerar_senha()
    ctx.repo.definir_senha_pendente(cpf, senhas.hash_senha(senha), iso(agora))
    try:
        ctx.correio.enviar_senha(
            usuario.email,
            usuario.nome,
            cpf,
            ", ".join(p.ente for p in tecnico),
            senha,
            'Foi pedida uma nova senha de acesso ao SIOPS ("Esqueceu a senha"). A senha atual '
            "continua valendo até você entrar com esta; quando entrar com esta, a anterior "
            "deixa de valer e as outras sessões abertas são encerradas. Se não foi você quem "
            "pediu, ignore esta mensagem: nada muda.",
        )
    except FalhaEmail:
        _log.exception("falha ao enviar a nova senha de %s", cpf)
        raise ErroAPI(
            502,
            "email_nao_enviado",
            "Não foi possível enviar o e-mail com a nova senha. Tente mais tarde.",
        ) from None
    return resposta


def trocar_senha(ctx: Contexto, quem: Autenticado, pedido: dict) -> None:
    """Troca a senha (a atual confere; a nova tem 10+ caracteres); revoga as sessões."""
    atual, nova = pedido.get("senha_atual"), pedido.get("senha_nova")
    if not isinstance(atual, str) or not isinstance(nova, str):
        raise ErroAPI(400, "requisicao_invalida", "Informe senha_atual e senha_nova.")
    t = _reservar(ctx, quem.usuario.cpf)
    if t.usuario is None or not senhas.confere(atual, t.usuario.senha_hash):
        if t.bloqueado_ate:
            raise _bloqueio(ctx, t.bloqueado_ate)
        raise ErroAPI(401, "senha_incorreta", "A senha atual não confere.")
    ctx.repo.zerar_falhas(quem.usuario.cpf)
    if len(nova) < 10:
        raise ErroAPI(422, "requisicao_invalida", "A nova senha deve ter ao menos 10 caracteres.")
    ctx.repo.definir_senha(quem.usuario.cpf, senhas.hash_senha(nova), iso(ctx.agora()))
