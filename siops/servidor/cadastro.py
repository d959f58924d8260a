"""A cadeia de cadastro de DOMAIN §2 (docs/api.md §3).

O administrador semeia o chefe do Executivo (dados do TSE); o chefe cadastra o substituto, o
secretário de saúde e o substituto do secretário; o secretário (ou seu substituto) cadastra o
técnico, que recebe uma senha gerada por e-mail. Um novo chefe anula toda a cadeia; um novo
secretário anula o técnico; o chefe não pode ser também o secretário; o secretário pode ser
também o técnico.

A identidade de uma pessoa (CPF, nome, e-mail, senha) é dela: muda só por ela mesma ou pela
cadeia dona dos papéis que ela tem — nunca como efeito de um papel em outro ente. Quem já tem
outro papel ativo ganha o papel novo e fica como está: o nome assinado tem de conferir com o
registrado (senão 409), o e-mail digitado por quem cadastra é ignorado, nenhuma senha nova é
gerada para quem já tem uma (a que falta vai para o e-mail registrado), e o e-mail registrado
recebe um aviso. Um administrador nunca tem papel de ente (nem técnico).
"""

from __future__ import annotations

import logging
import re

from siops.forms.entes import EnteDesconhecido, ente
from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor import senhas
from siops.servidor.contexto import Contexto, documento_reutilizado
from siops.servidor.correio import FalhaEmail
from siops.servidor.erros import ErroAPI
from siops.servidor.repositorio import ConflitoEstado, ResultadoCadastro
from siops.servidor.tempo import iso

_log = logging.getLogger("siops.servidor.cadastro")

#: Quem (papel do signatário no ente) pode cadastrar quais papéis.
PODE_CADASTRAR: dict[str, frozenset[str]] = {
    m.CHEFE: frozenset({m.SUBSTITUTO_CHEFE, m.SECRETARIO, m.SUBSTITUTO_SECRETARIO}),
    m.SUBSTITUTO_CHEFE: frozenset({m.SECRETARIO, m.SUBSTITUTO_SECRETARIO}),
    m.SECRETARIO: frozenset({m.TECNICO}),
    m.SUBSTITUTO_SECRETARIO: frozenset({m.TECNICO}),
}

#: O que um novo ocupante do papel anula no ente, além do ocupante anterior do mesmo papel.
ANULA: dict[str, tuple[str, ...]] = {
    m.CHEFE: m.PAPEIS_DE_ENTE,
    m.SECRETARIO: (m.TECNICO,),
}

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]{2,}$")


def codigo_ente(codigo: str) -> str:
    """O código canônico do ente (``M355030``); 422 ``ente_desconhecido``."""
    try:
        return ente(codigo).codigo
    except EnteDesconhecido as exc:
        raise ErroAPI(422, "ente_desconhecido", "Ente desconhecido.", [str(exc)]) from None


def descricao_ente(codigo: str) -> str:
    """``Município de São Paulo/SP`` (ou o código, se desconhecido)."""
    try:
        return ente(codigo).descricao
    except EnteDesconhecido:
        return codigo


def _validar_pessoa(cpf: str, nome: str, email: str, exige_email: bool) -> None:
    if not cpfs.valido(cpf):
        raise ErroAPI(
            422,
            "cpf_invalido",
            f"CPF inválido: {cpf or '(vazio)'}.",
            ["Confira os 11 dígitos; os dois últimos são dígitos verificadores."],
        )
    if not nome.strip():
        raise ErroAPI(422, "requisicao_invalida", "Informe o nome da pessoa cadastrada.")
    if (email or exige_email) and not _EMAIL.match(email):
        raise ErroAPI(
            422,
            "email_invalido",
            f"E-mail inválido: {email or '(vazio)'}.",
            ["O técnico recebe a senha por e-mail: informe um endereço válido."]
            if exige_email
            else [],
        )


def _chefe_nao_secretario(ctx: Contexto, codigo: str, papel: str, cpf: str) -> None:
    if papel not in m.GESTORES_SUS:
        return
    for p in ctx.repo.papeis_ativos(ente=codigo):
        if p.papel == m.CHEFE and p.cpf == cpf:
            raise ErroAPI(
                422,
                "chefe_nao_pode_ser_secretario",
                "O chefe do Poder Executivo não pode ser também o secretário de saúde.",
                [
                    f"{p.nome} (CPF {cpfs.formatar(cpf)}) é o chefe do Executivo de "
                    f"{descricao_ente(codigo)}; cadastre outra pessoa como {m.NOME_PAPEL[papel]}."
                ],
            )


def _conflito(exc: ConflitoEstado, cpf: str, nome: str) -> ErroAPI:
    """A recusa em português de um ``ConflitoEstado`` de ``Repositorio.cadastrar``."""
    if exc.codigo == "documento_reutilizado":
        return documento_reutilizado()
    if exc.codigo == "cpf_de_administrador":
        return ErroAPI(
            422,
            "administrador_nao_pode_ter_papel",
            f"O CPF {cpfs.formatar(cpf)} é de um administrador do servidor SIOPS, que não pode "
            "ter papel num ente.",
            [
                "Um administrador não é técnico, secretário nem chefe de um ente: cadastre outra "
                "pessoa neste papel."
            ],
        )
    if exc.codigo == "identidade_divergente":
        return ErroAPI(
            409,
            "identidade_divergente",
            f"O nome informado ({nome}) não confere com o já registrado para o CPF "
            f"{cpfs.formatar(cpf)}.",
            [
                "Essa pessoa já tem cadastro ativo em outro papel; nome, e-mail e senha dela só "
                "mudam por ela mesma ou por quem cadastrou seus outros papéis. Confira o CPF e "
                "escreva o nome como no cadastro existente."
            ],
        )
    if exc.codigo == "sem_email_cadastrado":
        return ErroAPI(
            409,
            "sem_email_cadastrado",
            f"{exc.detalhe} já tem cadastro ativo em outro papel, sem e-mail registrado, e a "
            "senha de técnico só pode ser enviada ao e-mail registrado da própria pessoa.",
            [
                "Peça a quem cadastrou o outro papel dessa pessoa (ou ao administrador do SIOPS) "
                "que registre o e-mail dela, e cadastre de novo."
            ],
        )
    return ErroAPI(409, exc.codigo, "O cadastro mudou enquanto este pedido era processado.")


def _aviso_por_email(
    ctx: Contexto, res: ResultadoCadastro, codigo: str, papel: str, por_cpf: str | None
) -> bool:
    """O aviso ao e-mail registrado de quem ganhou um papel sem mudar de identidade (o melhor
    possível: uma falha do SMTP não desfaz o cadastro)."""
    if not res.email:
        return False
    por = ctx.repo.usuario(por_cpf) if por_cpf else None
    quem = f" por {por.nome}" if por is not None else ""
    corpo = (
        f"Prezado(a) {res.nome},\n\n"
        f"Você foi cadastrado(a){quem} como {m.NOME_PAPEL[papel]} de "
        f"{descricao_ente(codigo)} no SIOPS.\n\n"
        "Sua senha e seus dados não mudaram: continue entrando como antes. Os seus outros "
        "papéis continuam ativos.\n\n"
        f"Se você não reconhece este cadastro, procure a Secretaria de Saúde de "
        f"{descricao_ente(codigo)} ou a equipe do SIOPS (Disque Saúde 136).\n\n"
        "Esta mensagem foi gerada automaticamente pelo servidor do SIOPS; não a responda.\n"
    )
    try:
        ctx.correio.enviar(res.email, "SIOPS — você recebeu um novo papel", corpo)
    except FalhaEmail:
        _log.exception("falha ao enviar o aviso de cadastro a %s", res.email)
        return False
    return True


def registrar(
    ctx: Contexto,
    codigo: str,
    papel: str,
    cpf: str,
    nome: str,
    email: str,
    telefone: str,
    por_cpf: str | None,
    documento_digest: str | None,
) -> dict:
    """Faz o cadastro (já autorizado) e, para o técnico sem senha, gera e envia a senha (ver a
    docstring do módulo: a identidade de quem já tem outro papel não muda)."""
    _validar_pessoa(cpf, nome, email, exige_email=papel == m.TECNICO)
    _chefe_nao_secretario(ctx, codigo, papel, cpf)
    senha = senhas.gerar_senha() if papel == m.TECNICO else None
    momento = iso(ctx.agora())
    try:
        res = ctx.repo.cadastrar(
            codigo,
            papel,
            cpf,
            nome.strip(),
            email.strip(),
            telefone.strip(),
            por_cpf,
            ANULA.get(papel, ()),
            documento_digest,
            senhas.hash_senha(senha) if senha else None,
            momento,
        )
    except ConflitoEstado as exc:
        raise _conflito(exc, cpf, nome.strip()) from None
    resposta: dict = {
        "ente": codigo,
        "papel": papel,
        "cpf": cpf,
        "nome": res.nome,
        "situacao": "ativo",
        "senha_enviada": False,
        "anulados": [{"papel": p.papel, "cpf": p.cpf} for p in res.anulados],
    }
    if res.identidade_preservada:
        avisos = [
            f"{res.nome} já tem cadastro ativo em outro papel: recebeu o papel de "
            f"{m.NOME_PAPEL[papel]}, mas nome, e-mail e senha dessa pessoa só mudam por ela "
            "mesma ou por quem cadastrou seus outros papéis."
        ]
        if email.strip() and email.strip().casefold() != res.email.casefold():
            avisos.append(
                f"O e-mail informado ({email.strip()}) foi ignorado: as mensagens vão para o "
                "e-mail já registrado da pessoa."
            )
        if papel == m.TECNICO and not res.senha_definida:
            avisos.append("Nenhuma senha nova foi gerada: a pessoa entra com a senha que já tem.")
        resposta["avisos"] = avisos
        if not res.senha_definida:
            resposta["aviso_enviado"] = _aviso_por_email(ctx, res, codigo, papel, por_cpf)
    if senha is not None and res.senha_definida:
        try:
            ctx.correio.enviar_senha(
                res.email,
                res.nome,
                cpf,
                descricao_ente(codigo),
                senha,
                f"Você foi cadastrado(a) como técnico responsável pelo envio dos dados do SIOPS "
                f"de {descricao_ente(codigo)}. A senha anterior, se havia, deixou de valer.",
            )
        except FalhaEmail:
            _log.exception("falha ao enviar a senha do técnico %s", cpf)
            raise ErroAPI(
                502,
                "email_nao_enviado",
                "O técnico foi cadastrado, mas não foi possível enviar o e-mail com a senha.",
                ['Peça ao técnico que use "Esqueceu a senha" mais tarde.'],
                extra={"cadastro": resposta},
            ) from None
        resposta["senha_enviada"] = True
    return resposta


def cadastrar(ctx: Contexto, corpo: bytes) -> dict:
    """``POST /cadastros``: um ``Cadastro`` assinado por quem pode cadastrar o papel."""
    doc = ctx.documento(corpo, "Cadastro")
    codigo = codigo_ente(doc.campo("Ente"))
    papel = doc.campo("Papel")
    if papel not in m.PAPEIS_DE_ENTE:
        raise ErroAPI(
            422,
            "papel_desconhecido",
            f"Papel desconhecido: {papel}.",
            [f"Use um de: {', '.join(m.PAPEIS_DE_ENTE)}."],
        )
    if papel == m.CHEFE:
        raise ErroAPI(
            403,
            "cadastrante_sem_permissao",
            "O chefe do Poder Executivo é cadastrado pelo administrador do SIOPS a "
            "partir dos dados do TSE.",
        )
    do_signatario = {p.papel for p in ctx.repo.papeis_ativos(doc.cpf, codigo)}
    if not any(papel in PODE_CADASTRAR.get(p, ()) for p in do_signatario):
        quem = ", ".join(m.NOME_PAPEL[p] for p in PODE_CADASTRAR if papel in PODE_CADASTRAR[p])
        tem = (
            "não tem cadastro ativo nesse ente"
            if not do_signatario
            else "é " + ", ".join(m.NOME_PAPEL[p] for p in sorted(do_signatario))
        )
        raise ErroAPI(
            403,
            "cadastrante_sem_permissao",
            f"{doc.nome} (CPF {cpfs.formatar(doc.cpf)}) não pode cadastrar o "
            f"{m.NOME_PAPEL[papel]} de {descricao_ente(codigo)}.",
            [f"Quem assina {tem}; este cadastro é feito por: {quem}."],
        )
    return registrar(
        ctx,
        codigo,
        papel,
        cpfs.normalizar(doc.campo("CPF")),
        doc.campo("Nome"),
        doc.campo("Email", obrigatorio=False),
        doc.campo("Telefone", obrigatorio=False),
        doc.cpf,
        doc.digest,
    )


def cadastrar_chefe(ctx: Contexto, codigo: str, nome: str, cpf: str, email: str = "") -> dict:
    """Administração: o chefe do Executivo (dados do TSE); anula a cadeia anterior do ente."""
    return registrar(
        ctx, codigo_ente(codigo), m.CHEFE, cpfs.normalizar(cpf), nome, email, "", None, None
    )


def ativos(ctx: Contexto, codigo: str) -> list[dict]:
    """Quem está ativo no ente."""
    return [
        {"papel": p.papel, "cpf": p.cpf, "nome": p.nome, "desde": p.cadastrado_em}
        for p in ctx.repo.papeis_ativos(ente=codigo)
    ]
