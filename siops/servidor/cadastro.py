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


def _pessoa_json(ctx: Contexto, p: m.Papel, cpf_de_quem_ve: str) -> dict:
    u = ctx.repo.usuario(p.cpf)
    return {
        "papel": p.papel,
        "nome_papel": m.NOME_PAPEL[p.papel],
        "cpf": p.cpf,
        "nome": p.nome,
        "email": u.email if u else "",
        "telefone": u.telefone if u else "",
        "desde": p.cadastrado_em,
        "proprio": p.cpf == cpf_de_quem_ve,
    }


def ativos(ctx: Contexto, codigo: str) -> list[dict]:
    """Quem está ativo no ente (todos: a visão do administrador)."""
    return [_pessoa_json(ctx, p, "") for p in ctx.repo.papeis_ativos(ente=codigo)]


def visiveis(ctx: Contexto, codigo: str, cpf: str, admin: bool) -> dict:
    """``GET /entes/{ente}/cadastros``: o que quem pergunta vê no Módulo de Gestores.

    As regras de acesso do SIOPS: cada um vê o próprio cadastro e os cadastros que ele mesmo
    faz (``PODE_CADASTRAR``) — o prefeito (ou governador) vê o seu, o do substituto e os do
    secretário de saúde e do substituto; o substituto do chefe, o seu e os do secretário; o
    secretário (ou substituto), o seu e o do técnico. O administrador vê todos. Quem não tem
    papel de gestor no ente recebe 403 com o caminho a seguir. A resposta diz também o que quem
    pergunta pode cadastrar, com os nomes dos papéis: o cliente não repete a lista do servidor.
    """
    todos = ctx.repo.papeis_ativos(ente=codigo)
    meus = {p.papel for p in todos if p.cpf == cpf}
    cadastra = {q for p in meus for q in PODE_CADASTRAR.get(p, ())}
    if not admin and not cadastra:
        tem = (
            "só é " + ", ".join(m.NOME_PAPEL[p] for p in sorted(meus))
            if meus
            else "não tem cadastro ativo"
        )
        raise ErroAPI(
            403,
            "sem_permissao",
            f"O CPF {cpfs.formatar(cpf)} {tem} em {descricao_ente(codigo)} e não tem acesso aos "
            "cadastros desse ente.",
            [
                "Os cadastros do ente são vistos pelo chefe do Executivo, pelo secretário de "
                "saúde e pelos substitutos deles. Confira o código do ente; se você foi "
                "substituído, peça a quem o cadastrou (prefeito ou governador, para o "
                "secretário; secretário, para o técnico) que o cadastre de novo."
            ],
        )
    vistos = [p for p in todos if admin or p.cpf == cpf or p.papel in cadastra]
    return {
        "ente": codigo,
        "nome_ente": descricao_ente(codigo),
        "ativos": [_pessoa_json(ctx, p, cpf) for p in vistos],
        "pode_cadastrar": [
            {"papel": q, "nome_papel": m.NOME_PAPEL[q]} for q in m.PAPEIS_DE_ENTE if q in cadastra
        ],
    }


def alterar_contato(ctx: Contexto, corpo: bytes) -> dict:
    """``POST /cadastros/contato``: uma ``AlteracaoContato`` assinada ("ALTERAR" do Módulo de
    Gestores: só o e-mail e o telefone, sem novo cadastro, sem senha nova, sem derrubar sessões).

    Assina a própria pessoa, ou quem cadastra o papel dela nesse ente. Como a identidade é da
    pessoa (ver a docstring do módulo), quem tem papéis em outra cadeia só muda de contato por
    ela mesma. O e-mail anterior recebe um aviso (o melhor possível); depois de mudar o e-mail,
    o técnico pede "Esqueceu a senha" para receber uma senha nova no endereço novo.
    """
    doc = ctx.documento(corpo, "AlteracaoContato")
    codigo = codigo_ente(doc.campo("Ente"))
    papel = doc.campo("Papel")
    cpf = cpfs.normalizar(doc.campo("CPF"))
    email = doc.campo("Email", obrigatorio=False).strip()
    telefone = doc.campo("Telefone", obrigatorio=False).strip()
    alvo = [p for p in ctx.repo.papeis_ativos(cpf) if p.ente == codigo and p.papel == papel]
    usuario = ctx.repo.usuario(cpf)
    if not alvo or usuario is None:
        raise ErroAPI(
            404,
            "nao_encontrado",
            f"O CPF {cpfs.formatar(cpf) if cpfs.valido(cpf) else cpf} não tem cadastro ativo "
            f"de {m.NOME_PAPEL.get(papel, papel)} em {descricao_ente(codigo)}.",
            [
                "Confira o CPF e o papel na lista de cadastros; para quem não está cadastrado, "
                "use Cadastrar."
            ],
        )
    _validar_pessoa(cpf, usuario.nome, email, exige_email=True)

    def dono(ente_: str, papel_: str) -> bool:
        return any(
            papel_ in PODE_CADASTRAR.get(p.papel, ())
            for p in ctx.repo.papeis_ativos(doc.cpf, ente_)
        )

    if doc.cpf != cpf:
        if not dono(codigo, papel):
            quem = ", ".join(m.NOME_PAPEL[p] for p in PODE_CADASTRAR if papel in PODE_CADASTRAR[p])
            raise ErroAPI(
                403,
                "cadastrante_sem_permissao",
                f"{doc.nome} (CPF {cpfs.formatar(doc.cpf)}) não pode alterar o contato do "
                f"{m.NOME_PAPEL[papel]} de {descricao_ente(codigo)}.",
                [f"O contato é alterado pela própria pessoa ou por: {quem}."],
            )
        outros = [p for p in ctx.repo.papeis_ativos(cpf) if not dono(p.ente, p.papel)]
        if outros:
            raise ErroAPI(
                409,
                "identidade_de_outra_cadeia",
                f"{usuario.nome} também é {m.NOME_PAPEL[outros[0].papel]} de "
                f"{descricao_ente(outros[0].ente)}: o e-mail e o telefone dessa pessoa não "
                "podem ser mudados por você.",
                [
                    "O contato é da pessoa: peça a ela que o altere com o próprio certificado, "
                    "ou a quem cadastrou os outros papéis dela."
                ],
            )
    try:
        ctx.repo.usar_documento(doc.digest, "contato", doc.cpf, iso(ctx.agora()))
    except ConflitoEstado:
        raise documento_reutilizado() from None
    ctx.repo.alterar_contato(cpf, email, telefone)
    if usuario.email and usuario.email.casefold() != email.casefold():
        corpo_aviso = (
            f"Prezado(a) {usuario.nome},\n\n"
            f"O e-mail do seu cadastro no SIOPS foi alterado por {doc.nome} para {email}.\n"
            "As próximas mensagens do SIOPS irão para o endereço novo.\n\n"
            "Se você não reconhece esta alteração, procure a Secretaria de Saúde de "
            f"{descricao_ente(codigo)} ou a equipe do SIOPS (Disque Saúde 136).\n"
        )
        try:
            ctx.correio.enviar(usuario.email, "SIOPS — e-mail do cadastro alterado", corpo_aviso)
        except FalhaEmail:
            _log.exception("falha ao avisar %s da troca de e-mail", usuario.email)
    return {
        "ente": codigo,
        "papel": papel,
        "cpf": cpf,
        "nome": usuario.nome,
        "email": email,
        "telefone": telefone,
        "mensagem": "Contato alterado. A senha não mudou; para receber uma senha nova no "
        'e-mail novo, use "Esqueceu a senha" com o CPF.',
    }
