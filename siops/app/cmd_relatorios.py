"""Report verbs of ``siops``: ``rreo`` (the Anexo 12 preview) and ``criticas`` (the críticas
report), both PDFs made by ``relatorios``.

Reading files is done here, not in ``relatorios`` (which only reads ``forms``): the declaration
with ``ops_format.ler``, and, for the chart of the RREO, the previous bimestres' files of the
same ente and exercício found beside it (``historico_da_pasta``).
"""

from __future__ import annotations

import argparse
import json
import sys
from decimal import Decimal
from pathlib import Path

from siops.app.cli import ErroUsuario
from siops.forms.declaracao import Declaracao


def registrar(sub: argparse._SubParsersAction) -> None:
    """Register the report verbs on the ``siops`` parser."""
    p = sub.add_parser(
        "rreo",
        help="gera a prévia do RREO Anexo XII (demonstrativo da saúde) em PDF",
        description="Gera o demonstrativo das receitas e despesas com ações e serviços públicos "
        "de saúde (RREO, Anexo XII) da declaração, em PDF, com a marca de prévia. O gráfico da "
        "última página inclui os bimestres anteriores cujos arquivos estejam na mesma pasta ou "
        "nas pastas de bimestre vizinhas (MS-SIOPS).",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument(
        "-o", "--saida", type=Path, help="o PDF a gravar (padrão: ao lado do arquivo, _RREO.pdf)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="mostra na tela (stdout) cada valor impresso no demonstrativo, em JSON",
    )
    p.set_defaults(func=cmd_rreo)

    p = sub.add_parser(
        "criticas",
        help="gera o relatório de críticas da declaração em PDF",
        description="Verifica a declaração e grava o relatório de críticas (código, grupo, "
        "severidade, mensagem e local), para imprimir ou anexar a um pedido de suporte.",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument(
        "-o",
        "--saida",
        type=Path,
        help="o PDF a gravar (padrão: ao lado do arquivo, _CRITICAS.pdf)",
    )
    p.set_defaults(func=cmd_criticas)

    from siops.relatorios.consultas import TIPOS

    p = sub.add_parser(
        "relatorio",
        help="gera um dos relatórios do SIOPS (indicadores, fonte e restos a pagar, consórcios, "
        "blocos, LC 141) em PDF",
        description="Gera, a partir da declaração, um dos relatórios do SIOPS: indicadores "
        "(indicadores), despesa por fonte e restos a pagar (fonte-rp), despesas com consórcios "
        "públicos (consorcios), execução financeira por bloco (blocos) ou o relatório da "
        "LC nº 141/2012 (lc141).",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument("--tipo", required=True, choices=tuple(TIPOS), help="qual relatório")
    p.add_argument(
        "-o", "--saida", type=Path, help="o PDF a gravar (padrão: ao lado do arquivo, _<TIPO>.pdf)"
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="mostra na tela (stdout) cada valor do relatório, em JSON",
    )
    p.set_defaults(func=cmd_relatorio)


def abrir(caminho: Path) -> Declaracao:
    """Read a declaration, or raise ``ErroUsuario`` (exit 2) with the reader's message."""
    from siops.ops_format import ArquivoInvalido, ler

    try:
        return ler(caminho)
    except ArquivoInvalido as exc:
        raise ErroUsuario(str(exc), 2) from None


def _saida_padrao(arquivo: Path, sufixo: str) -> Path:
    return arquivo.with_name(f"{arquivo.stem}_{sufixo}.pdf")


def historico_da_pasta(d: Declaracao, caminho: Path) -> list[tuple[int, Decimal]]:
    """(bimestre, percentual aplicado) of the previous bimestres found beside the file.

    Each percentage is taken in its own bimestre's apuração column (liquidada in 1–5). A file
    that cannot be read, or belongs to another ente or exercício, is left out with a warning on
    stderr: the chart is a help, not a reason to fail.
    """
    from siops.app.analises import candidatos_anteriores
    from siops.ops_format import ArquivoInvalido, ler

    pontos: list[tuple[int, Decimal]] = []
    for b, p in candidatos_anteriores(d, caminho):
        try:
            ant = ler(p)
        except ArquivoInvalido as exc:
            print(f"siops: aviso: {p} ficou fora do gráfico: {exc}", file=sys.stderr)
            continue
        if (ant.ente.codigo, ant.exercicio, ant.bimestre) != (d.ente.codigo, d.exercicio, b):
            print(
                f"siops: aviso: {p} não é do {b}º bimestre de {d.exercicio} de "
                f"{d.ente.descricao}; ficou fora do gráfico.",
                file=sys.stderr,
            )
            continue
        pontos.append((b, ant.indicadores(ant.coluna_apuracao).percentual))
    return pontos


def _gravar_erro(destino: Path, exc: OSError) -> ErroUsuario:
    motivo = exc.strerror or str(exc)
    return ErroUsuario(
        f"Não foi possível gravar {destino}: {motivo}. Verifique se o PDF não está aberto em "
        "outro programa e se a pasta permite gravação.",
        2,
    )


def cmd_rreo(args: argparse.Namespace) -> int:
    from siops.relatorios import demonstrativo, pdf_demonstrativo
    from siops.relatorios.pdf_rreo import gravar

    d = abrir(args.arquivo)
    dem = demonstrativo(d)
    dados = pdf_demonstrativo(dem, historico=historico_da_pasta(d, args.arquivo))
    destino: Path = args.saida or _saida_padrao(args.arquivo, "RREO")
    try:
        gravar(dados, destino)
    except OSError as exc:
        raise _gravar_erro(destino, exc) from None
    if args.json:
        print(json.dumps(dem.para_dict(), ensure_ascii=False, indent=2))
    print(f"Demonstrativo (prévia) gravado em {destino}.", file=sys.stderr)
    return 0


def _verificar(d: Declaracao) -> tuple[list, dict[int, str] | None]:
    """The findings of a declaration and the group names, from ``criticas``."""
    from siops.criticas import verificar
    from siops.criticas.motor import GRUPOS

    return list(verificar(d)), GRUPOS


def cmd_criticas(args: argparse.Namespace) -> int:
    from siops.relatorios.pdf_rreo import gravar
    from siops.relatorios.relatorio_criticas import pdf_criticas

    d = abrir(args.arquivo)
    achados, grupos = _verificar(d)
    dados = pdf_criticas(d, achados, grupos=grupos)
    destino: Path = args.saida or _saida_padrao(args.arquivo, "CRITICAS")
    try:
        gravar(dados, destino)
    except OSError as exc:
        raise _gravar_erro(destino, exc) from None
    imp = sum(1 for a in achados if a.impeditiva)
    print(
        f"Relatório de críticas gravado em {destino}: {imp} impeditiva(s), "
        f"{len(achados) - imp} aviso(s).",
        file=sys.stderr,
    )
    return 0


def cmd_relatorio(args: argparse.Namespace) -> int:
    from siops.relatorios.consultas import relatorio
    from siops.relatorios.pdf_consultas import pdf_relatorio
    from siops.relatorios.pdf_rreo import gravar

    d = abrir(args.arquivo)
    rel = relatorio(d, args.tipo)
    dados = pdf_relatorio(rel)
    sufixo = args.tipo.upper().replace("-", "_")
    destino: Path = args.saida or _saida_padrao(args.arquivo, sufixo)
    try:
        gravar(dados, destino)
    except OSError as exc:
        raise _gravar_erro(destino, exc) from None
    if args.json:
        print(json.dumps(rel.para_dict(), ensure_ascii=False, indent=2))
    print(f"Relatório ({rel.titulo_curto}) gravado em {destino}.", file=sys.stderr)
    return 0
