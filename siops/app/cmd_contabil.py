"""The ``importar-contabil`` verb: fill receitas and despesas from an MSC or a balancete.

``siops importar-contabil ARQ.OPS FONTE.csv|FONTE.xlsx [FONTE …] [--aplicar] [--json]
[--tabelas t1,t2] [--coluna campo=Cabeçalho]``. Without ``--aplicar`` it only prints the preview
(the cells that would change, the source lines that mapped to nothing, the reconciliation); with
it, the chosen tables are applied and the file saved. Exit 0; 2 with the file and line of the
first error (nothing changed).

``siops importar-impt ARQ.OPS PASTA_OU_ZIP [--aplicar] [--json]``: the same for the SIOPS
integration file (``.IMPT``, ``contabil.impt``): the preview reconciles per planilha and column
and shows the ASPS percentage before → after; ``--aplicar`` replaces the parts of the ledger the
file has (despesas, receitas, informações complementares) and saves. Exit 0; 2 with the file
and line of the first error (nothing changed).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def registrar(sub: argparse._SubParsersAction) -> None:
    """Register the verb on the ``siops`` parser."""
    p = sub.add_parser(
        "importar-contabil",
        help="preenche receitas e despesas a partir da MSC ou de um balancete da contabilidade",
        description="Lê a MSC (Matriz de Saldos Contábeis enviada ao SICONFI) ou um balancete "
        "(CSV ou XLSX) e mostra o que mudaria na declaração; com --aplicar, grava.",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument(
        "fontes",
        type=Path,
        nargs="+",
        metavar="FONTE",
        help="MSC (.csv; pode informar os meses do bimestre) ou balancete (.csv/.xlsx)",
    )
    p.add_argument("--aplicar", action="store_true", help="aplica e grava a declaração")
    p.add_argument("--json", action="store_true", help="resultado em JSON na saída padrão")
    p.add_argument(
        "--tabelas",
        help="só as linhas do razão destas tabelas, separadas por vírgula (receitas_base, "
        "receitas_adicionais, despesas_asps, despesas_nao_computadas); as visões por fonte e "
        "por elemento acompanham",
    )
    p.add_argument(
        "--coluna",
        action="append",
        default=[],
        metavar="CAMPO=CABEÇALHO",
        help="balancete: a coluna de um campo quando o nome não é reconhecido (ex.: "
        "realizada='Vl. Arrecadado'); a escolha fica salva para o próximo bimestre",
    )
    p.set_defaults(func=cmd_importar_contabil)

    p = sub.add_parser(
        "importar-impt",
        help="preenche o razão com o arquivo de integração do SIOPS (.IMPT) da contabilidade",
        description="Lê o arquivo de integração (.IMPT) que a contabilidade gera para o SIOPS "
        "— o Siops.zip, a pasta com os .IMPT ou um .IMPT — e mostra a prévia (conciliação por "
        "planilha e coluna, linhas fora do Anexo 12, percentual em ASPS antes e depois); com "
        "--aplicar, substitui as partes do razão que o arquivo traz e grava.",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument("origem", type=Path, metavar="PASTA_OU_ZIP", help="Siops.zip, pasta ou .IMPT")
    p.add_argument("--aplicar", action="store_true", help="aplica e grava a declaração")
    p.add_argument("--json", action="store_true", help="resultado em JSON na saída padrão")
    p.set_defaults(func=cmd_importar_impt)


def _colunas(pares: list[str]) -> dict[str, str]:
    from siops.app.cli import ErroUsuario

    colunas = {}
    for par in pares:
        campo, sep, cabecalho = par.partition("=")
        if not sep or not campo.strip() or not cabecalho.strip():
            raise ErroUsuario(f"--coluna '{par}': use CAMPO=Cabeçalho (ex.: realizada=Arrecadado).")
        colunas[campo.strip()] = cabecalho.strip()
    return colunas


def cmd_importar_contabil(args: argparse.Namespace) -> int:
    """Show the preview; with ``--aplicar``, apply the chosen tables and save."""
    from siops.app.cli import ErroUsuario
    from siops.app.cmd_nucleo import abrir
    from siops.contabil import ErroContabil, importar
    from siops.ops_format import ErroGravacao, salvar

    d = abrir(args.arquivo)
    tabelas = [t.strip() for t in args.tabelas.split(",") if t.strip()] if args.tabelas else None
    try:
        previa = importar(d, args.fontes, _colunas(args.coluna) or None)
        lote = previa.lote(tabelas)
    except ErroContabil as exc:
        raise ErroUsuario(f"{exc} Nada foi alterado.", 2) from None
    aplicado = False
    if args.aplicar and lote.comandos:
        d.aplicar(lote)
        try:
            salvar(d, args.arquivo)
        except ErroGravacao as exc:
            raise ErroUsuario(str(exc), 2) from None
        aplicado = True
    if args.json:
        doc = previa.para_dict()
        doc["aplicado"] = aplicado
        doc["celulas_alteradas"] = previa.alteracoes(tabelas) if aplicado else 0
        doc["tabelas_escolhidas"] = tabelas or [t.id for t in previa.tabelas if t.parte]
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(previa.texto())
    if args.aplicar:
        if aplicado:
            msg = (
                f"Razão importado ({previa.alteracoes(tabelas)} célula(s) do Anexo 12 "
                f"alterada(s)) e gravado em {args.arquivo}."
            )
        else:
            msg = "Nada a alterar: a declaração já tem esses valores."
    else:
        msg = "Prévia apenas: nada foi alterado. Use --aplicar para gravar."
    print(msg, file=sys.stderr)
    return 0


def cmd_importar_impt(args: argparse.Namespace) -> int:
    """Show the preview of an ``.IMPT`` import; with ``--aplicar``, apply and save."""
    from siops.app.cli import ErroUsuario
    from siops.app.cmd_nucleo import abrir
    from siops.contabil import ErroContabil
    from siops.contabil.impt import importar
    from siops.ops_format import ErroGravacao, salvar

    d = abrir(args.arquivo)
    try:
        previa = importar(d, args.origem)
    except ErroContabil as exc:
        raise ErroUsuario(f"{exc} Nada foi alterado.", 2) from None
    aplicado = False
    if args.aplicar and previa.muda:
        previa.aplicar(d)
        try:
            salvar(d, args.arquivo)
        except ErroGravacao as exc:
            raise ErroUsuario(str(exc), 2) from None
        aplicado = True
    if args.json:
        doc = previa.para_dict()
        doc["aplicado"] = aplicado
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(previa.texto())
    if args.aplicar:
        if aplicado:
            n = previa.linhas_depois
            msg = (
                f"Razão gravado em {args.arquivo}: {n['despesas']} linha(s) de despesa, "
                f"{n['receitas']} de receita, {n['complementares']} de informações "
                "complementares."
            )
        else:
            msg = "Nada a alterar: a declaração já tem esses valores."
    else:
        msg = "Prévia apenas: nada foi alterado. Use --aplicar para gravar."
    print(msg, file=sys.stderr)
    return 0
