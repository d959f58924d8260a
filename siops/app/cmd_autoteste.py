"""``siops autoteste``: a headless self-test of an installed or frozen program.

It opens the demo declaration from a file, runs the críticas and renders the RREO, in a
temporary folder, without a display; exit 0 when every step works. The frozen build's smoke
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
        "gera o RREO, sem tela",
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
            f"1/3 arquivo aberto: {d.ente.descricao}, {d.bimestre}º bimestre de {d.exercicio}",
            file=sys.stderr,
        )
        achados = verificar(d)
        impeditivas = sum(a.impeditiva for a in achados)
        print(
            f"2/3 críticas: {impeditivas} impeditiva(s), {len(achados) - impeditivas} aviso(s)",
            file=sys.stderr,
        )
        pdf = Path(pasta) / "RREO.pdf"
        renderizar_rreo(d, pdf)
        tamanho = pdf.stat().st_size
        if not pdf.read_bytes().startswith(b"%PDF") or tamanho < 1000:
            print("3/3 o RREO não foi gerado corretamente.", file=sys.stderr)
            return 1
        print(f"3/3 RREO gerado ({tamanho // 1024} KB)", file=sys.stderr)
    if impeditivas:
        print("A declaração de demonstração não deveria ter impeditivas.", file=sys.stderr)
        return 1
    print("Autoteste concluído: a instalação está funcionando.", file=sys.stderr)
    return 0
