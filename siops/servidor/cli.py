"""``siops-servidor``: roda o servidor, e ``siops-servidor admin ...``: a administração.

    siops-servidor --dados DIR --porta N [--host 127.0.0.1] [--certificado C --chave K]
                   [--raizes PEM ...] [--limite-mb 20] [--primeiro-exercicio 2024]
                   [--smtp-host H --smtp-porta P --smtp-remetente E | --correio-pasta DIR]
                   [--banco postgresql://usuario@maquina/banco] [--workers N]
    siops-servidor admin --dados DIR criar-admin --cpf CPF --nome NOME
    siops-servidor admin --dados DIR cadastrar-chefe --ente M355030 --nome N --cpf C [--email E]
    siops-servidor admin --dados DIR desbloquear --cpf CPF
    siops-servidor admin --dados DIR listar-cadastros --ente M355030
    siops-servidor admin --dados DIR autorizar-retransmissao ID [--observacao TEXTO]
    siops-servidor admin --dados DIR listar-retransmissoes [--situacao solicitada]
    siops-servidor admin --dados DIR carregar-referencia-fns ARQ.csv|ARQ.json
    siops-servidor admin --dados DIR registrar-entrega-externa --ente E --exercicio A --bimestre B
    siops-servidor admin --dados DIR verificar
    siops-servidor admin --dados DIR notificar | exportar-situacao | situacao --ente E
    siops-servidor admin --dados DIR sem-balanco --ente E --exercicio A --justificativa T --oficio O
    siops-servidor admin --dados DIR reverter-sem-balanco --ente E --exercicio A --motivo T
    siops-servidor admin --dados DIR cadastrar-tecnico-tc --cpf C --nome N --tribunal TCE-SP --ufs SP
    siops-servidor admin --dados DIR carregar-siafi ARQ.csv

A senha do administrador vem do prompt ou da variável de ambiente ``SIOPS_ADMIN_SENHA``.
Mensagens em português na saída de erro; saída 0 = sucesso, 1 = recusado, 2 = argumentos.
"""

from __future__ import annotations

import argparse
import getpass
import json
import logging
import os
import sys
from pathlib import Path

from siops.forms import argumentos
from siops.forms.argumentos import ParserPt
from siops.servidor import config as configuracao
from siops.servidor.config import MIB, Config

ENV_SENHA_ADMIN = "SIOPS_ADMIN_SENHA"

_Parser = ParserPt


def _parser_servidor() -> argparse.ArgumentParser:
    p = _Parser(
        prog="siops-servidor",
        description="Servidor SIOPS: recepção, homologação e situação de entrega. "
        "Administração: siops-servidor admin --help.",
    )
    p.add_argument(
        "--dados", type=Path, required=True, help="pasta de dados (banco, arquivos, chaves)"
    )
    p.add_argument("--porta", type=argumentos.porta, help="porta TCP (padrão 8470)")
    p.add_argument("--host", help="endereço de escuta (padrão 127.0.0.1)")
    p.add_argument("--certificado", type=Path, help="certificado TLS (PEM) para HTTPS")
    p.add_argument("--chave", type=Path, help="chave TLS (PEM) para HTTPS")
    p.add_argument("--raizes", type=Path, nargs="*", help="PEM das ACs raiz ICP-Brasil aceitas")
    p.add_argument("--intermediarios", type=Path, nargs="*", help="PEM de ACs intermediárias")
    p.add_argument("--limite-mb", type=float, help="tamanho máximo de uma transmissão (MB)")
    p.add_argument(
        "--primeiro-exercicio",
        type=argumentos.exercicio,
        help="primeiro exercício recebido (sem exigir o 6º bimestre anterior)",
    )
    p.add_argument("--smtp-host")
    p.add_argument("--smtp-porta", type=argumentos.porta)
    p.add_argument("--smtp-remetente")
    p.add_argument(
        "--correio-pasta",
        type=Path,
        help="grava cada e-mail como um arquivo .eml nesta pasta em vez de usar o SMTP",
    )
    p.add_argument(
        "--banco",
        help="PostgreSQL: postgresql://usuario@maquina/banco (padrão: o SQLite da pasta de dados)",
    )
    p.add_argument(
        "--workers",
        type=argumentos.inteiro("o número de workers", 1, 256),
        help="processos do servidor atrás da mesma porta (acima de 1 exige --banco PostgreSQL)",
    )
    p.add_argument("--log", default="warning", help="nível de log (debug, info, warning)")
    return p


def _config(a: argparse.Namespace) -> Config:
    return configuracao.carregar(
        a.dados,
        host=getattr(a, "host", None),
        porta=getattr(a, "porta", None),
        certificado=getattr(a, "certificado", None),
        chave=getattr(a, "chave", None),
        raizes=getattr(a, "raizes", None),
        intermediarios=getattr(a, "intermediarios", None),
        limite_transmissao=int(a.limite_mb * MIB) if getattr(a, "limite_mb", None) else None,
        primeiro_exercicio=getattr(a, "primeiro_exercicio", None),
        smtp_host=getattr(a, "smtp_host", None),
        smtp_porta=getattr(a, "smtp_porta", None),
        smtp_remetente=getattr(a, "smtp_remetente", None),
        url_banco=getattr(a, "banco", None),
        workers=getattr(a, "workers", None),
        correio_pasta=getattr(a, "correio_pasta", None),
    )


def servir(argv: list[str]) -> int:
    """Roda o servidor até SIGINT/SIGTERM."""
    import uvicorn

    from siops.servidor.app import criar_app
    from siops.servidor.limites import protocolo_http

    a = _parser_servidor().parse_args(argv)
    logging.basicConfig(
        level=a.log.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s"
    )
    try:
        cfg = _config(a)
    except (ValueError, OSError) as exc:
        print(f"Configuração inválida: {exc}", file=sys.stderr)
        return 2
    from siops.servidor.contexto import carregar_pems

    for arq in (*cfg.raizes, *cfg.intermediarios):
        try:
            vazio = not carregar_pems((arq,))
            motivo = "o arquivo não traz nenhum certificado PEM" if vazio else ""
        except FileNotFoundError:
            motivo = "o arquivo não existe"
        except OSError:
            motivo = "o arquivo não pôde ser lido"
        except ValueError:
            motivo = "o conteúdo não é um certificado PEM válido"
        if motivo:
            print(f"Certificado de AC {arq}: {motivo}.", file=sys.stderr)
            return 2
    for https in (cfg.certificado, cfg.chave):
        if https is not None and not https.is_file():
            print(f"Arquivo de HTTPS não encontrado: {https}", file=sys.stderr)
            return 2
    try:
        cfg.dados.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        print(
            f"Não foi possível criar a pasta de dados {cfg.dados}: {exc.strerror}.", file=sys.stderr
        )
        return 2
    if (cfg.certificado is None) != (cfg.chave is None):
        print("Para HTTPS informe --certificado e --chave juntos.", file=sys.stderr)
        return 2
    if not cfg.raizes:
        print(
            "Aviso: nenhuma AC raiz configurada (--raizes): valem as ACs Raiz oficiais da "
            "ICP-Brasil distribuídas com o programa.",
            file=sys.stderr,
        )
    esquema = "https" if cfg.certificado else "http"
    print(
        f"Servidor SIOPS em {esquema}://{cfg.host}:{cfg.porta} (dados em {cfg.dados})",
        file=sys.stderr,
        flush=True,
    )
    # Os limites contra clientes lentos (servidor/limites.py): o protocolo HTTP com tempos de
    # leitura e limite por endereço; as requisições simultâneas são contadas pela aplicação
    # (criar_app), não pelo ``limit_concurrency`` do uvicorn, que conta conexões — mil sockets
    # ociosos bastariam para recusar todo mundo.
    if cfg.workers > 1:
        return _servir_workers(cfg, a.log.lower())
    uvicorn.run(
        criar_app(cfg),
        host=cfg.host,
        port=cfg.porta,
        ssl_certfile=str(cfg.certificado) if cfg.certificado else None,
        ssl_keyfile=str(cfg.chave) if cfg.chave else None,
        log_level=a.log.lower(),
        access_log=False,
        http=protocolo_http(cfg),
        loop="asyncio",
        timeout_graceful_shutdown=10,
        timeout_keep_alive=5,
        backlog=512,
    )
    return 0


def _servir_workers(cfg: Config, nivel_log: str) -> int:
    """``--workers N``: N processos uvicorn atrás da mesma porta, sobre o mesmo PostgreSQL.

    Antes de criar os workers, este processo leva o banco à última migração e cria (se faltam)
    as chaves de recibo: os N não disputam a migração nem geram N chaves diferentes. O
    supervisor do uvicorn recria um worker que morre (até por SIGKILL); o que ele tinha
    confirmado já estava no banco e nos arquivos, e o que não confirmou o cliente reenvia
    (a recepção é idempotente pelo SHA-256).
    """
    import uvicorn

    from siops.servidor import migracoes, worker
    from siops.servidor.chaves import carregar_ou_gerar
    from siops.servidor.config import para_json

    try:
        migracoes.migrar(cfg.url_banco)
    except Exception as exc:  # conexão recusada, senha errada, banco inexistente…
        print(f"Não foi possível abrir o banco PostgreSQL: {exc}", file=sys.stderr)
        return 2
    carregar_ou_gerar(cfg.pasta_chaves, cfg.nome_servidor)
    os.environ[worker.ENV_CONFIG] = para_json(cfg)
    uvicorn.run(
        "siops.servidor.worker:app",
        factory=True,
        workers=cfg.workers,
        host=cfg.host,
        port=cfg.porta,
        ssl_certfile=str(cfg.certificado) if cfg.certificado else None,
        ssl_keyfile=str(cfg.chave) if cfg.chave else None,
        log_level=nivel_log,
        access_log=False,
        http="siops.servidor.worker:Protocolo",
        loop="asyncio",
        timeout_graceful_shutdown=10,
        timeout_keep_alive=5,
        backlog=2048,
    )
    return 0


# --- administração ----------------------------------------------------------------------------


def _parser_admin() -> argparse.ArgumentParser:
    p = _Parser(prog="siops-servidor admin", description="Administração do servidor SIOPS.")
    p.add_argument("--dados", type=Path, required=True, help="pasta de dados do servidor")
    p.add_argument("--banco", help="o PostgreSQL do servidor, se não está no servidor.json")
    sub = p.add_subparsers(dest="comando", required=True, metavar="COMANDO", parser_class=_Parser)

    s = sub.add_parser("criar-admin", help="cria um administrador (login por CPF e senha)")
    s.add_argument("--cpf", required=True)
    s.add_argument("--nome", required=True)

    s = sub.add_parser(
        "cadastrar-chefe",
        help="cadastra o chefe do Executivo (dados do TSE)",
        description="Cadastra o prefeito ou governador eleito (dados do TSE, ou o ofício com a "
        "ata de posse): o início da cadeia de cadastro do ente. Um novo chefe anula toda a "
        "cadeia anterior (substituto, secretário de saúde, substituto e técnico) até ele "
        "cadastrar o secretário no Módulo de Gestores (siopsnet cadastrar, ou a aba Módulo de "
        "Gestores do Transmissor).",
    )
    s.add_argument("--ente", required=True, help="código do ente: M + IBGE de 6 dígitos, ou E + UF")
    s.add_argument("--nome", required=True, help="nome como no certificado digital")
    s.add_argument("--cpf", required=True, help="CPF (com ou sem pontuação)")
    s.add_argument("--email", default="", help="e-mail de contato (opcional)")

    s = sub.add_parser(
        "desbloquear",
        help="desbloqueia o acesso de quem errou a senha muitas vezes",
        description="Zera as tentativas erradas e o bloqueio de acesso de um CPF (o técnico "
        "que ligou para o suporte). A senha não muda: se ela foi esquecida, o técnico usa "
        '"Esqueceu a senha" (siopsnet esqueci-senha --cpf CPF).',
    )
    s.add_argument("--cpf", required=True, help="CPF da pessoa bloqueada")

    s = sub.add_parser(
        "listar-cadastros",
        help="lista quem está ativo num ente",
        description="Quem está cadastrado e ativo no ente, em cada papel (JSON).",
    )
    s.add_argument("--ente", required=True, help="código do ente (ex.: M355030)")

    s = sub.add_parser("autorizar-retransmissao", help="autoriza uma solicitação")
    s.add_argument("id", type=argumentos.inteiro("o número da solicitação", 1))
    s.add_argument("--observacao", default="")

    s = sub.add_parser("listar-retransmissoes", help="lista as solicitações")
    s.add_argument("--situacao", choices=["solicitada", "autorizada", "utilizada"])

    s = sub.add_parser(
        "carregar-referencia-fns",
        help="carrega valores de referência: FNS e transferências constitucionais (CSV ou JSON)",
    )
    s.add_argument("arquivo", type=Path)

    s = sub.add_parser(
        "registrar-entrega-externa", help="anota um período entregue fora deste servidor"
    )
    s.add_argument("--ente", required=True)
    s.add_argument("--exercicio", type=argumentos.exercicio, required=True)
    s.add_argument("--bimestre", type=argumentos.bimestre, required=True)

    sub.add_parser("verificar", help="confere banco e arquivos (integridade)")
    _parser_monitoramento(sub)
    return p


def _parser_monitoramento(sub: argparse._SubParsersAction) -> None:
    """Os comandos do monitoramento, do Sem Balanço e do Módulo de Controle Externo (issue 25)."""
    s = sub.add_parser(
        "notificar",
        help="envia as notificações devidas (prazos, homologação pendente) e grava a exportação",
        description="Uma passagem das notificações automáticas por e-mail aos gestores (antes e "
        "depois de cada prazo; transmissões que esperam homologação), cada uma registrada e "
        "nunca repetida para o mesmo evento, e a exportação diária da situação dos entes. O "
        "servidor em execução faz o mesmo sozinho a cada intervalo_notificacoes_segundos.",
    )
    s.add_argument("--sem-exportacao", action="store_true", help="só as notificações")

    s = sub.add_parser("listar-notificacoes", help="as notificações registradas (JSON)")
    s.add_argument("--ente", help="código do ente (ex.: M355030)")
    s.add_argument("--exercicio", type=argumentos.exercicio)

    s = sub.add_parser(
        "exportar-situacao",
        help="grava a exportação da situação dos entes (CSV; docs/api.md §11.4)",
    )
    s.add_argument("--saida", type=Path, help="arquivo de saída (padrão: DADOS/exportacao/)")

    s = sub.add_parser("situacao", help="a situação de um ente no monitoramento (JSON)")
    s.add_argument("--ente", required=True)

    s = sub.add_parser(
        "sem-balanco",
        help='classifica o ente como "Sem Balanço" (SB) num exercício',
        description="Classifica o ente como Sem Balanço no exercício (a gestão anterior não "
        "deixou o Balanço Geral; ofício do prefeito ao DESID/SE/MS): o ente pode transmitir o "
        'exercício seguinte, e a situação fica "A COMPROVAR" (SB não configura cumprimento).',
    )
    s.add_argument("--ente", required=True)
    s.add_argument("--exercicio", type=argumentos.exercicio, required=True)
    s.add_argument("--justificativa", required=True, help="ao menos 20 caracteres")
    s.add_argument("--oficio", required=True, help="a referência do ofício recebido")

    s = sub.add_parser("reverter-sem-balanco", help="encerra a classificação Sem Balanço")
    s.add_argument("--ente", required=True)
    s.add_argument("--exercicio", type=argumentos.exercicio, required=True)
    s.add_argument("--motivo", required=True)

    s = sub.add_parser("listar-sem-balanco", help="as classificações Sem Balanço ativas (JSON)")
    s.add_argument("--ente")

    s = sub.add_parser(
        "cadastrar-tecnico-tc",
        help="cadastra um técnico de Tribunal de Contas (Módulo de Controle Externo)",
        description="Cadastra (ou recadastra) o técnico do Tribunal de Contas que registra, com "
        "o seu certificado ICP-Brasil, os números apurados (siopsnet controle-externo). A "
        "jurisdição: códigos de ente (--entes) e/ou UFs inteiras (--ufs: o estado e todos os "
        "municípios).",
    )
    s.add_argument("--cpf", required=True)
    s.add_argument("--nome", required=True, help="nome como no certificado digital")
    s.add_argument("--email", default="")
    s.add_argument("--tribunal", required=True, help="ex.: TCE-SP, TCM-SP, TCE-RJ")
    s.add_argument("--entes", default="", help="códigos separados por vírgula (M355030,E35)")
    s.add_argument("--ufs", default="", help="siglas separadas por vírgula (SP,RJ)")

    s = sub.add_parser("anular-tecnico-tc", help="encerra o cadastro de um técnico de TC")
    s.add_argument("--cpf", required=True)

    sub.add_parser("listar-tecnicos-tc", help="os técnicos de Tribunal de Contas ativos (JSON)")

    s = sub.add_parser(
        "carregar-siafi",
        help="carrega os códigos SIAFI dos entes (CSV ente;siafi)",
        description="Os códigos SIAFI (Tesouro Nacional) nomeiam a conta vinculada do Fundo de "
        "Saúde (ASPS-LC141-FMS-<SIAFI>-<UF>). CSV UTF-8 separado por ';', com cabeçalho, "
        "colunas ente (M355030, E35 ou o código IBGE de 7 dígitos) e siafi.",
    )
    s.add_argument("arquivo", type=Path)


def _csv_siafi(arquivo: Path) -> list[tuple[str, str]]:
    """``ente;siafi`` (com cabeçalho) → pares com o código canônico; ``ValueError`` com a
    linha do primeiro erro."""
    import csv

    from siops.forms.entes import EnteDesconhecido, ente

    pares = []
    with open(arquivo, encoding="utf-8-sig", newline="") as f:
        leitor = csv.DictReader(f, delimiter=";")
        if not leitor.fieldnames or {"ente", "siafi"} - set(leitor.fieldnames):
            raise ValueError(f"{arquivo}: o cabeçalho deve ter as colunas ente e siafi.")
        for n, linha in enumerate(leitor, start=2):
            bruto, siafi = (linha["ente"] or "").strip(), (linha["siafi"] or "").strip()
            try:
                codigo = ente(bruto).codigo
            except EnteDesconhecido:
                raise ValueError(f"{arquivo}, linha {n}: ente desconhecido: {bruto!r}.") from None
            if not siafi.isdigit() or not 1 <= len(siafi) <= 6:
                raise ValueError(
                    f"{arquivo}, linha {n}: código SIAFI inválido: {siafi!r} (só algarismos)."
                )
            pares.append((codigo, siafi))
    return pares


def _administrar_monitoramento(ctx: object, a: argparse.Namespace) -> int | None:
    """Os comandos de ``_parser_monitoramento``; ``None`` se ``a.comando`` não é um deles."""
    from dataclasses import asdict

    from siops.servidor import controle_externo, exportacao, monitoramento, notificacoes
    from siops.servidor import sem_balanco as sb
    from siops.servidor.contexto import Contexto
    from siops.servidor.tempo import iso

    assert isinstance(ctx, Contexto)
    if a.comando == "notificar":
        res = notificacoes.processar(ctx)
        print(json.dumps(res.como_dict(), ensure_ascii=False))
        if not a.sem_exportacao:
            exportacao.exportar(ctx)
        print(
            f"{res.enviadas} notificação(ões) enviada(s), {res.falhas} falha(s) de envio "
            f"(tentadas de novo na próxima passagem), {res.ja_registradas} já enviada(s) antes.",
            file=sys.stderr,
        )
        return 0 if not res.falhas else 1
    if a.comando == "listar-notificacoes":
        from siops.servidor.cadastro import codigo_ente

        notifs = ctx.repo.notificacoes(codigo_ente(a.ente) if a.ente else None, a.exercicio)
        print(json.dumps([asdict(n) for n in notifs], ensure_ascii=False, indent=2))
        return 0
    if a.comando == "exportar-situacao":
        caminho = exportacao.exportar(ctx, a.saida, refazer=True)
        print(f"Situação dos entes gravada em {caminho}.", file=sys.stderr)
        return 0
    if a.comando == "situacao":
        print(
            json.dumps(
                monitoramento.situacao_de(ctx, a.ente).como_dict(), ensure_ascii=False, indent=2
            )
        )
        return 0
    if a.comando == "sem-balanco":
        r = sb.classificar(ctx, a.ente, a.exercicio, a.justificativa, a.oficio, "linha de comando")
        print(json.dumps(r, ensure_ascii=False))
        print(
            f"{r['nome']} classificado como Sem Balanço em {a.exercicio}: pode transmitir "
            f"{a.exercicio + 1}; a situação fica A COMPROVAR.",
            file=sys.stderr,
        )
        return 0
    if a.comando == "reverter-sem-balanco":
        r = sb.reverter(ctx, a.ente, a.exercicio, a.motivo, "linha de comando")
        print(json.dumps(r, ensure_ascii=False))
        print(f"Classificação Sem Balanço de {a.exercicio} revertida.", file=sys.stderr)
        return 0
    if a.comando == "listar-sem-balanco":
        print(json.dumps(sb.listar(ctx, a.ente), ensure_ascii=False, indent=2))
        return 0
    if a.comando == "cadastrar-tecnico-tc":
        t = controle_externo.cadastrar_tecnico(
            ctx,
            a.cpf,
            a.nome,
            a.email,
            a.tribunal,
            [x for x in a.entes.split(",") if x.strip()],
            [x for x in a.ufs.split(",") if x.strip()],
        )
        print(json.dumps(controle_externo.json_tecnico(t), ensure_ascii=False))
        print(f"Técnico {t.nome} ({t.tribunal}) cadastrado.", file=sys.stderr)
        return 0
    if a.comando == "anular-tecnico-tc":
        from siops.servidor import cpf as cpfs

        if not ctx.repo.anular_tecnico_tc(cpfs.normalizar(a.cpf), iso(ctx.agora())):
            raise ValueError(f"O CPF {a.cpf} não tem cadastro ativo de técnico de TC.")
        print("Cadastro do técnico de TC anulado.", file=sys.stderr)
        return 0
    if a.comando == "listar-tecnicos-tc":
        lista = [controle_externo.json_tecnico(t) for t in ctx.repo.tecnicos_tc()]
        print(json.dumps(lista, ensure_ascii=False, indent=2))
        return 0
    if a.comando == "carregar-siafi":
        n = ctx.repo.carregar_siafi(_csv_siafi(a.arquivo), iso(ctx.agora()))
        print(f"{n} código(s) SIAFI carregado(s) de {a.arquivo}.", file=sys.stderr)
        return 0
    return None


def _senha_admin() -> str:
    senha = os.environ.get(ENV_SENHA_ADMIN)
    if senha:
        return senha
    senha = getpass.getpass("Senha do administrador: ")
    if senha != getpass.getpass("Repita a senha: "):
        raise ValueError("As senhas digitadas não são iguais.")
    return senha


def administrar(argv: list[str]) -> int:
    """Os comandos ``admin``."""
    from siops.criticas.referencia import TIPOS, ReferenciaFNS, ReferenciaInvalida
    from siops.servidor import cadastro, homologacao, senhas
    from siops.servidor import cpf as cpfs
    from siops.servidor.contexto import Contexto
    from siops.servidor.erros import ErroAPI
    from siops.servidor.integridade import verificar
    from siops.servidor.modelos import NOME_PAPEL
    from siops.servidor.repositorio import ConflitoEstado
    from siops.servidor.tempo import iso

    a = _parser_admin().parse_args(argv)
    ctx = Contexto.abrir(_config(a), pool=False)
    try:
        if a.comando == "criar-admin":
            cpf = cpfs.normalizar(a.cpf)
            if not cpfs.valido(cpf):
                raise ErroAPI(422, "cpf_invalido", f"CPF inválido: {a.cpf}.")
            senha = _senha_admin()
            if len(senha) < 10:
                raise ValueError("A senha do administrador deve ter ao menos 10 caracteres.")
            try:
                ctx.repo.criar_admin(cpf, a.nome, senhas.hash_senha(senha), iso(ctx.agora()))
            except ConflitoEstado as exc:  # papel_de_ente: um administrador nunca é técnico
                pares = exc.detalhe if isinstance(exc.detalhe, list) else []  # [(ente, papel)]
                papeis = ", ".join(
                    f"{NOME_PAPEL[p]} de {cadastro.descricao_ente(e)}" for e, p in pares
                )
                raise ValueError(
                    f"O CPF {cpfs.formatar(cpf)} tem papel ativo num ente ({papeis}) e não pode "
                    "ser também administrador do servidor."
                ) from None
            print(f"Administrador {a.nome} (CPF {cpfs.formatar(cpf)}) criado.", file=sys.stderr)
        elif a.comando == "cadastrar-chefe":
            r = cadastro.cadastrar_chefe(ctx, a.ente, a.nome, a.cpf, a.email)
            print(json.dumps(r, ensure_ascii=False))
            print(
                f"Chefe do Executivo de {cadastro.descricao_ente(r['ente'])} cadastrado"
                + (
                    f"; {len(r['anulados'])} cadastro(s) anterior(es) anulado(s)."
                    if r["anulados"]
                    else "."
                ),
                file=sys.stderr,
            )
        elif a.comando == "desbloquear":
            cpf = cpfs.normalizar(a.cpf)
            usuario = ctx.repo.usuario(cpf) if cpfs.valido(cpf) else None
            if usuario is None:
                raise ValueError(
                    f"O CPF {a.cpf} não é de ninguém cadastrado neste servidor: confira os dígitos."
                )
            ctx.repo.zerar_falhas(cpf)
            print(
                f"Acesso de {usuario.nome} (CPF {cpfs.formatar(cpf)}) desbloqueado"
                + (
                    f" (estava bloqueado até {usuario.bloqueado_ate})."
                    if usuario.bloqueado_ate
                    else " (não estava bloqueado)."
                ),
                file=sys.stderr,
            )
        elif a.comando == "listar-cadastros":
            codigo = cadastro.codigo_ente(a.ente)
            print(
                json.dumps(
                    {"ente": codigo, "ativos": cadastro.ativos(ctx, codigo)},
                    ensure_ascii=False,
                    indent=2,
                )
            )
        elif a.comando == "autorizar-retransmissao":
            r = homologacao.autorizar_retransmissao(ctx, a.id, "linha de comando", a.observacao)
            print(json.dumps(r, ensure_ascii=False))
            print(f"Retransmissão {a.id} autorizada.", file=sys.stderr)
        elif a.comando == "listar-retransmissoes":
            print(
                json.dumps(
                    homologacao.listar_retransmissoes(ctx, a.situacao), ensure_ascii=False, indent=2
                )
            )
        elif a.comando == "carregar-referencia-fns":
            ref = ReferenciaFNS.carregar(a.arquivo)
            doc = json.loads(ref.para_json())
            linhas = [
                (v["ente"], int(v["exercicio"]), int(v["bimestre"]), tipo, v[tipo])
                for v in doc["valores"]
                for tipo in TIPOS
                if tipo in v
            ]
            n = ctx.repo.carregar_referencia(linhas, iso(ctx.agora()))
            print(
                f"{n} valor(es) de referência do FNS carregado(s) de {a.arquivo}.", file=sys.stderr
            )
        elif a.comando == "registrar-entrega-externa":
            codigo = cadastro.codigo_ente(a.ente)
            ctx.repo.registrar_entrega_externa(codigo, a.exercicio, a.bimestre, iso(ctx.agora()))
            print(
                f"Registrada a entrega externa do {a.bimestre}º bimestre de {a.exercicio} de "
                f"{cadastro.descricao_ente(codigo)}.",
                file=sys.stderr,
            )
        elif a.comando == "verificar":
            relatorio = verificar(ctx)
            print(json.dumps(relatorio, ensure_ascii=False, indent=2))
            return 0 if relatorio["ok"] else 1
        else:
            saida = _administrar_monitoramento(ctx, a)
            if saida is not None:
                return saida
    except ErroAPI as exc:
        print(exc.erro, file=sys.stderr)
        for mtv in exc.motivos:
            print(f"  - {mtv}", file=sys.stderr)
        return 1
    except (ValueError, ReferenciaInvalida) as exc:
        print(str(exc), file=sys.stderr)
        return 1
    finally:
        ctx.fechar()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Ponto de entrada do console script ``siops-servidor``."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "admin":
        return administrar(argv[1:])
    return servir(argv)


if __name__ == "__main__":
    sys.exit(main())
