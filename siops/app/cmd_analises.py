"""The verbs of issue 26: ``projecao`` (will the minimum be reached by December, and how much
is still missing?), ``comparar`` (what changed between two versions?) and ``carteira`` (where
does each declaration of a folder stand?).

The computations are in ``relatorios.projecao``, ``relatorios.comparacao`` and
``app.carteira``; the files are found and read by ``app.analises``.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from siops.app.cli import ErroUsuario


def registrar(sub: argparse._SubParsersAction) -> None:
    """Register the verbs on the ``siops`` parser."""
    p = sub.add_parser(
        "projecao",
        help="projeta o cumprimento do mínimo em ASPS no exercício (quanto falta, por bimestre)",
        description="A partir do bimestre da declaração e das previsões e dotações atualizadas: "
        "o mínimo do exercício sobre a previsão atualizada da base, o aplicado até agora (na "
        "coluna da apuração do bimestre), o que falta em reais e por bimestre restante, e a "
        "tendência pelos arquivos dos bimestres anteriores encontrados na pasta da declaração "
        "e nas pastas padrão do MS-SIOPS. Grava o relatório em PDF (com o gráfico e as "
        "premissas) e mostra o resumo na tela.",
    )
    p.add_argument("arquivo", type=Path, help="a declaração (.OPS)")
    p.add_argument(
        "-o",
        "--saida",
        type=Path,
        help="o PDF a gravar (padrão: ao lado do arquivo, _PROJECAO.pdf)",
    )
    p.add_argument("--sem-pdf", action="store_true", help="só mostra, sem gravar o PDF")
    p.add_argument("--json", action="store_true", help="a projeção em JSON na saída padrão")
    p.set_defaults(func=cmd_projecao)

    p = sub.add_parser(
        "comparar",
        help="mostra o que mudou entre duas versões de uma declaração",
        description="Compara duas declarações do mesmo ente (por exemplo a cópia transmitida, "
        "em transm/, e o arquivo de trabalho; ou este bimestre e o anterior): linha a linha, "
        "antigo → novo, agrupado por pasta — células digitadas, linhas do razão e campos de "
        "texto —, com o efeito em cada total do Anexo 12 e no percentual aplicado em ASPS. "
        "Aceita também a cópia assinada guardada pelo Transmissor (….assinado.xml).",
    )
    p.add_argument("antigo", type=Path, help="a versão antiga (.OPS, .IMP ou .assinado.xml)")
    p.add_argument("novo", type=Path, help="a versão nova")
    p.add_argument("--json", action="store_true", help="as diferenças em JSON na saída padrão")
    p.set_defaults(func=cmd_comparar)

    p = sub.add_parser(
        "carteira",
        help="lista as declarações de uma pasta (padrão: MS-SIOPS) com críticas, percentual e "
        "situação",
        description="Procura todas as declarações (.OPS) sob a pasta (padrão: a pasta MS-SIOPS) e "
        "mostra, para cada uma: ente, exercício, bimestre, críticas impeditivas e avisos, "
        "percentual aplicado em ASPS e a situação pelos recibos guardados pelo Transmissor "
        "(gravada para transmissão, transmitida com protocolo, homologada).",
    )
    p.add_argument("pasta", type=Path, nargs="?", help="a pasta (padrão: MS-SIOPS)")
    p.add_argument("--json", action="store_true", help="a lista em JSON na saída padrão")
    p.add_argument(
        "--sem-cache",
        action="store_true",
        help="lê todos os arquivos de novo (sem usar nem gravar o resumo guardado)",
    )
    p.set_defaults(func=cmd_carteira)


def _abrir(caminho: Path):
    from siops.app.analises import ler_versao
    from siops.ops_format import ArquivoInvalido

    try:
        return ler_versao(caminho)
    except ArquivoInvalido as exc:
        raise ErroUsuario(str(exc), 2) from None


def cmd_projecao(args: argparse.Namespace) -> int:
    from siops.app.analises import anteriores_da_pasta
    from siops.app.cmd_relatorios import _gravar_erro, _saida_padrao
    from siops.relatorios.projecao import projetar

    d = _abrir(args.arquivo)
    anteriores = anteriores_da_pasta(d, args.arquivo)
    proj = projetar(d, anteriores)
    if not args.sem_pdf:
        from siops.relatorios.pdf_projecao import pdf_projecao
        from siops.relatorios.pdf_rreo import gravar

        destino: Path = args.saida or _saida_padrao(args.arquivo, "PROJECAO")
        try:
            gravar(pdf_projecao(proj), destino)
        except OSError as exc:
            raise _gravar_erro(destino, exc) from None
        print(f"Projeção do exercício gravada em {destino}.", file=sys.stderr)
    if args.json:
        print(json.dumps(proj.para_dict(), ensure_ascii=False, indent=2))
    else:
        print(proj.texto())
    return 0


def cmd_comparar(args: argparse.Namespace) -> int:
    from siops.relatorios.comparacao import ComparacaoInvalida, comparar

    antigo = _abrir(args.antigo)
    novo = _abrir(args.novo)
    try:
        c = comparar(antigo, novo, str(args.antigo), str(args.novo))
    except ComparacaoInvalida as exc:
        raise ErroUsuario(str(exc), 2) from None
    if args.json:
        print(json.dumps(c.para_dict(), ensure_ascii=False, indent=2))
    else:
        print(c.texto())
    return 0


def cmd_carteira(args: argparse.Namespace) -> int:
    from siops.app import carteira
    from siops.ops_format import caminhos

    pasta: Path = args.pasta or caminhos.raiz()
    if not pasta.is_dir():
        raise ErroUsuario(
            f"A pasta {pasta} não existe"
            + ("" if args.pasta else " (a pasta MS-SIOPS ainda não foi criada)")
            + ": informe a pasta das declarações.",
            2,
        )
    cache = None if args.sem_cache else carteira.cache_padrao()
    itens = carteira.ordenar(carteira.listar(pasta, cache))
    if args.json:
        doc = {
            "pasta": str(pasta),
            "total": len(itens),
            "declaracoes": [i.para_dict(pasta) for i in itens],
        }
        print(json.dumps(doc, ensure_ascii=False, indent=2))
    else:
        print(carteira.texto(itens, pasta))
    return 0
