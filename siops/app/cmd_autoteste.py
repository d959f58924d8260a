"""``siops autoteste``: a headless self-test of an installed or frozen program.

It opens the demo declaration from a file, runs the críticas, renders the RREO and draws its
first page as the report preview does (PDFium, ``app.previa_pdf``: the frozen build must carry
its library), in a temporary folder, without a display; exit 0 when every step works. The frozen build's smoke
test (installers) and a support technician on a municipality's machine use it.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path


def registrar(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "autoteste",
        help="verifica a instalação: abre a declaração de demonstração, executa as críticas e "
        "gera o RREO e a sua prévia, sem tela",
    )
    p.set_defaults(func=cmd_autoteste)


def cmd_autoteste(args: argparse.Namespace) -> int:
    from siops.criticas import verificar
    from siops.forms.demo import declaracao_demo
    from siops.ops_format import ler, salvar
    from siops.relatorios import renderizar_rreo

    with tempfile.TemporaryDirectory(prefix="siops-autoteste-") as pasta:
        arq = Path(pasta) / "demo.OPS"
        salvar(declaracao_demo(), arq)
        d = ler(arq)
        print(
            f"1/4 arquivo aberto: {d.ente.descricao}, {d.bimestre}º bimestre de {d.exercicio}",
            file=sys.stderr,
        )
        achados = verificar(d)
        impeditivas = sum(a.impeditiva for a in achados)
        print(
            f"2/4 críticas: {impeditivas} impeditiva(s), {len(achados) - impeditivas} aviso(s)",
            file=sys.stderr,
        )
        pdf = Path(pasta) / "RREO.pdf"
        renderizar_rreo(d, pdf)
        tamanho = pdf.stat().st_size
        if not pdf.read_bytes().startswith(b"%PDF") or tamanho < 1000:
            print("3/4 o RREO não foi gerado corretamente.", file=sys.stderr)
            return 1
        print(f"3/4 RREO gerado ({tamanho // 1024} KB)", file=sys.stderr)
        from siops.app.previa_pdf import DocumentoPdf, PdfIlegivel, tinta

        try:
            previa = DocumentoPdf(pdf)
            try:
                img = previa.imagem(0, 1.0)
            finally:
                previa.fechar()
        except PdfIlegivel as exc:
            print(f"4/4 a prévia do RREO falhou: {exc}", file=sys.stderr)
            return 1
        if not 0.005 < tinta(img) < 0.5:
            print("4/4 a prévia do RREO saiu em branco.", file=sys.stderr)
            return 1
        print(f"4/4 prévia desenhada ({img.width()}×{img.height()} pixels)", file=sys.stderr)
    if impeditivas:
        print("A declaração de demonstração não deveria ter impeditivas.", file=sys.stderr)
        return 1
    print("Autoteste concluído: a instalação está funcionando.", file=sys.stderr)
    return 0
