"""O Módulo de Controle Externo (MCE; LC 141/2012; o FAQ): o Tribunal de Contas com jurisdição
sobre o ente registra, com o certificado ICP-Brasil do seu técnico, os números que apurou para
o exercício — valor aplicado em ASPS e percentual. O mesmo banco guarda os dois, e "a
declaração do TC sobrepõe a do gestor do SUS": a situação (``monitoramento``) e as páginas
públicas usam os do Tribunal quando existem, dizendo "apurado pelo Tribunal de Contas".

* O **administrador** cadastra cada técnico: CPF, nome, e-mail, o tribunal (``TCE-SP``,
  ``TCM-SP``…) e a jurisdição — códigos de ente, ou UFs inteiras (o estado e todos os seus
  municípios) — com ``siops-servidor admin cadastrar-tecnico-tc``; ``anular-tecnico-tc``
  encerra o cadastro.
* O **técnico** envia um ``ControleExterno`` assinado (``POST /api/v1/controle-externo``, ou
  ``siopsnet controle-externo``), verificado como todo documento assinado do servidor
  (docs/api.md §1.4): o CPF do certificado tem de ser o de um técnico ativo com o ente na
  jurisdição. Um novo envio do mesmo ente e exercício substitui o anterior (que fica guardado).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from siops.forms.dinheiro import ValorInvalido, parse_plano
from siops.forms.entes import EnteDesconhecido, ente, uf
from siops.forms.inteiros import EXERCICIO_MAXIMO, EXERCICIO_MINIMO
from siops.servidor import cpf as cpfs
from siops.servidor import modelos as m
from siops.servidor.cadastro import codigo_ente, descricao_ente
from siops.servidor.contexto import Contexto, documento_reutilizado
from siops.servidor.erros import ErroAPI
from siops.servidor.repositorio import ConflitoEstado, NovoControleExterno
from siops.servidor.tempo import iso


def _valor(texto: str, campo: str, maximo: Decimal | None = None) -> Decimal:
    try:
        v = parse_plano(texto)
    except ValorInvalido as exc:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            f"O campo <{campo}> não é um número decimal com ponto (ex.: 1234567.89).",
            [str(exc)],
        ) from None
    if v < 0 or (maximo is not None and v > maximo):
        limite = f" nem maior que {maximo}" if maximo is not None else ""
        raise ErroAPI(
            422, "requisicao_invalida", f"O campo <{campo}> não pode ser negativo{limite}."
        )
    return v


def alcance(entes: list[str], ufs_: list[str]) -> list[str]:
    """A jurisdição em códigos canônicos: entes (``M355030``) e UFs inteiras (``UF:SP``)."""
    saida = []
    for e in entes:
        saida.append(codigo_ente(e.strip()))
    for sigla in ufs_:
        try:
            saida.append(f"UF:{uf(sigla.strip()).sigla}")
        except EnteDesconhecido as exc:
            raise ErroAPI(422, "ente_desconhecido", "UF desconhecida.", [str(exc)]) from None
    if not saida:
        raise ErroAPI(
            422,
            "requisicao_invalida",
            "Informe a jurisdição do técnico: --entes (códigos dos entes) e/ou --ufs (o estado e "
            "todos os municípios da UF).",
        )
    return saida


def cadastrar_tecnico(
    ctx: Contexto,
    cpf: str,
    nome: str,
    email: str,
    tribunal: str,
    entes: list[str],
    ufs_: list[str],
    por: str = "linha de comando",
) -> m.TecnicoTC:
    """Cadastra (ou recadastra) um técnico de Tribunal de Contas (administrador)."""
    cpf = cpfs.normalizar(cpf)
    if not cpfs.valido(cpf):
        raise ErroAPI(422, "cpf_invalido", f"CPF inválido: {cpf}.")
    if not nome.strip() or not tribunal.strip():
        raise ErroAPI(422, "requisicao_invalida", "Informe o nome do técnico e o tribunal.")
    return ctx.repo.cadastrar_tecnico_tc(
        cpf,
        nome.strip(),
        email.strip(),
        tribunal.strip(),
        alcance(entes, ufs_),
        por,
        iso(ctx.agora()),
    )


def json_tecnico(t: m.TecnicoTC) -> dict[str, Any]:
    """O técnico em JSON (a lista do administrador)."""
    return {
        "cpf": t.cpf,
        "nome": t.nome,
        "email": t.email,
        "tribunal": t.tribunal,
        "jurisdicao": list(t.alcance),
        "cadastrado_em": t.cadastrado_em,
    }


def registrar(ctx: Contexto, corpo: bytes) -> dict[str, Any]:
    """``POST /api/v1/controle-externo``: os números assinados pelo técnico do Tribunal."""
    doc = ctx.documento(corpo, "ControleExterno")
    codigo = codigo_ente(doc.campo("Ente"))
    exercicio = doc.inteiro("Exercicio", EXERCICIO_MINIMO, EXERCICIO_MAXIMO)
    valor = _valor(doc.campo("ValorAplicado"), "ValorAplicado")
    percentual = _valor(doc.campo("Percentual"), "Percentual", Decimal("100"))
    observacao = " ".join(doc.campo("Observacao", obrigatorio=False).split())[:2000]
    if exercicio >= ctx.agora().year:
        raise ErroAPI(
            422,
            "periodo_futuro",
            f"O exercício de {exercicio} ainda não terminou: o Tribunal de Contas registra os "
            "números de exercícios encerrados.",
        )
    e = ente(codigo)
    tecnicos = ctx.repo.tecnicos_tc(doc.cpf)
    tecnico = next((t for t in tecnicos if t.alcanca(codigo, e.uf)), None)
    if tecnico is None:
        motivo = (
            f"{doc.nome} (CPF {cpfs.formatar(doc.cpf)}) não está cadastrado como técnico de "
            "Tribunal de Contas neste servidor."
            if not tecnicos
            else f"{descricao_ente(codigo)} não está na jurisdição cadastrada de {doc.nome} "
            f"({tecnicos[0].tribunal}: {', '.join(tecnicos[0].alcance)})."
        )
        raise ErroAPI(
            403,
            "signatario_nao_e_tecnico_tc",
            f"Quem assinou não pode registrar os números de {descricao_ente(codigo)} no Módulo "
            "de Controle Externo.",
            [motivo, "O cadastro dos técnicos dos Tribunais de Contas é feito pelo administrador."],
        )
    ctx.armazem.guardar(corpo)  # o documento assinado no disco antes do COMMIT que o registra
    try:
        c = ctx.repo.registrar_controle_externo(
            NovoControleExterno(
                ente=codigo,
                exercicio=exercicio,
                valor_aplicado=f"{valor:.2f}",
                percentual=f"{percentual}",
                tribunal=tecnico.tribunal,
                cpf=doc.cpf,
                nome=doc.nome,
                observacao=observacao,
                documento_digest=doc.digest,
                registrado_em=iso(ctx.agora()),
            )
        )
    except ConflitoEstado:
        raise documento_reutilizado() from None
    return {
        "ente": c.ente,
        "nome": descricao_ente(c.ente),
        "exercicio": c.exercicio,
        "tribunal": c.tribunal,
        "valor_aplicado": c.valor_aplicado,
        "percentual": c.percentual,
        "registrado_em": c.registrado_em,
        "tecnico": {"cpf": c.cpf, "nome": c.nome},
        "prevalece": "tribunal",
        "mensagem": f"Números {APURADO} registrados: prevalecem sobre os declarados pelo gestor "
        "do SUS na situação do ente e nas páginas públicas.",
    }


APURADO = "apurados pelo Tribunal de Contas"
