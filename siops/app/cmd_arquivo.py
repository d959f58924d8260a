"""File verbs of ``siops``: ``novo``, ``importar-anterior``, ``gravar-transmissao``.

No Qt here (the CLI must start without it). Errors become ``ErroUsuario`` (one Portuguese
sentence, exit status 2; 1 when the transmission copy is refused for críticas impeditivas).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from siops.app.cli import ErroUsuario
from siops.app.cmd_nucleo import abrir
from siops.forms import argumentos


def registrar(sub: argparse._SubParsersAction) -> None:
    """Register the file verbs on the ``siops`` parser."""
    p = sub.add_parser(
        "novo",
        help="cria uma declaração vazia na pasta padrão (MS-SIOPS)",
        description="Cria uma declaração vazia e mostra o caminho do arquivo. Nunca sobrescreve "
        "um arquivo existente. A pasta raiz é C:\\MS-SIOPS no Windows; a variável de ambiente "
        "SIOPS_HOME a substitui.",
    )
    p.add_argument(
        "--ente",
        required=True,
        help="M + 6 dígitos do código IBGE do município (ex.: M355030) ou E + código da UF "
        "(ex.: E35; Distrito Federal: E53)",
    )
    p.add_argument("--exercicio", type=argumentos.exercicio, required=True, help="ano, ex.: 2025")
    p.add_argument("--bimestre", type=argumentos.bimestre, required=True, help="1 a 6")
    p.add_argument("-o", "--saida", type=Path, help="outro caminho para o arquivo")
    p.set_defaults(func=cmd_novo)

    p = sub.add_parser(
        "importar-anterior",
        help="importa do bimestre anterior os dados importáveis",
        description="Copia do arquivo do bimestre anterior (.IMP ou .OPS) só o que pode ser "
        "importado: Dados Gerais, Informações Adicionais (responsáveis, instituições, Fundo, "
        "Conselho), previsão atualizada das receitas e dotação atualizada das despesas. Mostra "
        "a prévia, aplica e salva o arquivo atual.",
    )
    p.add_argument("anterior", type=Path, help="o arquivo do bimestre anterior (.IMP ou .OPS)")
    p.add_argument("atual", type=Path, help="a declaração atual (.OPS), que será salva")
    p.add_argument(
        "--sim",
        action="store_true",
        help="responde sim à confirmação (sem ela, num terminal, a prévia pede confirmação)",
    )
    p.add_argument(
        "--previa", action="store_true", help="só mostra a prévia; não altera nenhum arquivo"
    )
    p.set_defaults(func=cmd_importar_anterior)

    p = sub.add_parser(
        "gravar-transmissao",
        help="grava a cópia para transmissão na pasta transm",
        description="Grava a cópia do arquivo para transmissão na pasta transm ao lado dele. "
        "Recusa (status 1) enquanto houver críticas impeditivas, listando-as. As críticas "
        "rodam com as mesmas entradas do servidor: a referência do FNS e das transferências "
        "constitucionais, pedida ao servidor configurado no Transmissor (ou a última guardada "
        "neste computador, com a data), e o arquivo do bimestre anterior, achado na pasta "
        "padrão. O que faltar é dito e não impede a gravação.",
    )
    p.add_argument("arquivo", type=Path)
    p.add_argument(
        "--referencia",
        type=Path,
        metavar="ARQ",
        help="valores de referência (.json ou .csv) em vez dos do servidor",
    )
    p.add_argument(
        "--anterior",
        type=Path,
        metavar="ARQ",
        help="declaração do bimestre anterior, em vez da achada na pasta padrão",
    )
    p.add_argument(
        "--sem-servidor",
        action="store_true",
        help="não consulta o servidor: usa a referência guardada neste computador, se houver",
    )
    p.set_defaults(func=cmd_gravar_transmissao)


def cmd_novo(args: argparse.Namespace) -> int:
    from siops.forms.declaracao import Declaracao, EdicaoInvalida
    from siops.forms.entes import EnteDesconhecido, ente
    from siops.ops_format import ErroGravacao, salvar
    from siops.ops_format.caminhos import caminho_padrao

    try:
        e = ente(args.ente)
        d = Declaracao(e, args.exercicio, args.bimestre)
    except (EnteDesconhecido, EdicaoInvalida) as exc:
        raise ErroUsuario(str(exc), 2) from None
    destino: Path = args.saida or caminho_padrao(e, args.exercicio, args.bimestre)
    if destino.exists():
        raise ErroUsuario(
            f"O arquivo {destino} já existe e não foi alterado; abra-o, ou escolha outro "
            "caminho com -o.",
            2,
        )
    try:
        salvar(d, destino)
    except ErroGravacao as exc:
        raise ErroUsuario(str(exc), 2) from None
    print(
        f"Declaração de {e.descricao}, {args.bimestre}º bimestre de {args.exercicio}, criada.",
        file=sys.stderr,
    )
    print(destino)
    return 0


def cmd_importar_anterior(args: argparse.Namespace) -> int:
    from siops.ops_format import ErroGravacao, ImportacaoRecusada, importar_anterior, salvar

    anterior = abrir(args.anterior)
    if not args.atual.exists():
        raise ErroUsuario(
            f"A declaração atual {args.atual} não existe; crie-a antes com 'siops novo'.", 2
        )
    atual = abrir(args.atual)
    try:
        imp = importar_anterior(anterior, atual)
    except ImportacaoRecusada as exc:
        raise ErroUsuario(f"{exc} Nada foi alterado.", 2) from None
    print(imp.resumo(), file=sys.stderr)
    if args.previa:
        print("Prévia apenas: nenhum arquivo foi alterado.", file=sys.stderr)
        return 0
    if not args.sim and sys.stdin.isatty():
        resposta = input("Importar e salvar? [s/N] ").strip().lower()
        if resposta not in ("s", "sim"):
            print("Importação cancelada; nada foi alterado.", file=sys.stderr)
            return 1
    imp.aplicar()
    try:
        salvar(atual, args.atual)
    except ErroGravacao as exc:
        raise ErroUsuario(str(exc), 2) from None
    print(
        f"Importados {imp.total_campos} campos e {imp.total_celulas} valores de "
        f"{args.anterior.name} para {args.atual}.",
        file=sys.stderr,
    )
    return 0


def cmd_gravar_transmissao(args: argparse.Namespace) -> int:
    from siops.app import portao
    from siops.ops_format import ErroGravacao

    d = abrir(args.arquivo)
    try:
        destino, notas = portao.gravar(
            d,
            args.arquivo,
            usar_rede=not args.sem_servidor,
            referencia=args.referencia,
            anterior=args.anterior,
        )
    except portao.Recusada as exc:
        for nota in exc.notas:
            print(nota, file=sys.stderr)
        for a in exc.impeditivas:
            print(f"  crítica {a.codigo} (impeditiva): {a.mensagem}", file=sys.stderr)
        raise ErroUsuario(f"{exc} Nenhum arquivo foi gravado.", 1) from None
    except ErroGravacao as exc:
        raise ErroUsuario(str(exc), 2) from None
    for nota in notas:
        print(nota, file=sys.stderr)
    print(f"Arquivo para transmissão gravado em {destino}.", file=sys.stderr)
    print(destino)
    return 0
