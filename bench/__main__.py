"""``python -m bench [--rapido] [--json ARQ]``: runs every ``bench/bench_*.py`` and prints the
table of figure, value, baseline, ratio and target; writes the JSON beside it.

Each module has ``main(rapido: bool) -> list[dict]`` (rows made by ``bench.medir.linha``) and,
optionally, ``secoes_markdown() -> str``: a section of its own for ``docs/performance.md``,
written from what its last ``main`` measured. The machine load (``os.getloadavg``, what
``uptime`` shows) is recorded before and after each module: the machine may be shared. A
module that fails is reported as failed, not hidden.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import json
import os
import platform
import sys
import traceback
from pathlib import Path


def _fmt(v: float | None) -> str:
    if v is None:
        return "—"
    return f"{v:,.3f}".replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def executar(rapido: bool, filtro: str | None = None) -> dict:
    """Run every benchmark module; return the results document."""
    linhas: list[dict] = []
    falhas: list[dict] = []
    secoes: list[dict] = []
    cargas: list[dict] = []
    pasta = Path(__file__).parent
    for arq in sorted(pasta.glob("bench_*.py")):
        nome = f"bench.{arq.stem}"
        if filtro and filtro not in arq.stem:
            continue
        antes = os.getloadavg()
        try:
            mod = importlib.import_module(nome)
            for r in mod.main(rapido=rapido):
                r["modulo"] = arq.stem
                linhas.append(r)
            if hasattr(mod, "secoes_markdown"):
                secoes.append({"modulo": arq.stem, "texto": mod.secoes_markdown()})
        except Exception:
            falhas.append({"modulo": arq.stem, "erro": traceback.format_exc()})
        cargas.append({"modulo": arq.stem, "antes": antes, "depois": os.getloadavg()})
    return {
        "data": dt.datetime.now().isoformat(timespec="seconds"),
        "maquina": f"{platform.node()} {platform.machine()} {platform.processor()}",
        "python": sys.version.split()[0],
        "rapido": rapido,
        "nucleos": os.cpu_count(),
        "linhas": linhas,
        "falhas": falhas,
        "secoes": secoes,
        "cargas": cargas,
    }


def imprimir(doc: dict) -> None:
    cab = f"{'figura':58} {'valor':>12} {'un':4} {'baseline':>12} {'razão':>8}  meta / cumpre"
    print(cab)
    print("-" * len(cab))
    for r in doc["linhas"]:
        cumpre = {True: "sim", False: "NÃO", None: ""}[r.get("cumpre")]
        print(
            f"{r['figura'][:58]:58} {_fmt(r['valor']):>12} {r.get('unidade', ''):4} "
            f"{_fmt(r.get('baseline')):>12} {_fmt(r.get('razao')):>8}  {r.get('meta', '')} "
            f"{cumpre}"
        )
    for f in doc["falhas"]:
        print(f"\nFALHOU: {f['modulo']}\n{f['erro']}")


def markdown(doc: dict) -> str:
    """The results as the Markdown page docs/performance.md (regenerated, never hand-edited)."""
    linhas = [
        "# Desempenho medido",
        "",
        "Gerado por `.venv/bin/python -m bench --markdown docs/performance.md`: cada figura é a "
        "mediana de pelo menos 5 execuções depois de um aquecimento, ao lado da sua linha de "
        "base medida na mesma execução, na mesma máquina. Uma figura que não cumpre a meta "
        "aparece como **NÃO**.",
        "",
        f"- data: {doc['data']}",
        f"- máquina: {doc['maquina']} ({doc.get('nucleos') or '?'} núcleos, 24 GiB; compartilhada)",
        f"- Python {doc['python']}",
        "- carga da máquina (load average de 1/5/15 min, o que `uptime` mostra) antes e depois "
        "de cada módulo: "
        + "; ".join(
            f"{c['modulo'].removeprefix('bench_')} {_carga(c['antes'])} → {_carga(c['depois'])}"
            for c in doc.get("cargas", [])
        )
        + ". Com carga acima do número de núcleos, a máquina estava ocupada por outros "
        "processos e os tempos medidos saem maiores.",
        "",
        "| figura | valor | unidade | linha de base | razão | meta | cumpre |",
        "| --- | ---: | --- | ---: | ---: | --- | --- |",
    ]
    for r in doc["linhas"]:
        cumpre = {True: "sim", False: "**NÃO**", None: ""}[r.get("cumpre")]
        linhas.append(
            f"| {r['figura']} | {_fmt(r['valor'])} | {r.get('unidade', '')} | "
            f"{_fmt(r.get('baseline'))} | {_fmt(r.get('razao'))} | {r.get('meta', '')} | "
            f"{cumpre} |"
        )
    for sec in doc.get("secoes", []):
        if sec["texto"]:
            linhas += ["", sec["texto"].rstrip()]
    for f in doc["falhas"]:
        linhas += ["", f"**Falhou:** `{f['modulo']}`", "", "```", f["erro"], "```"]
    return "\n".join(linhas) + "\n"


def _carga(valores: list[float]) -> str:
    return " / ".join(f"{v:.2f}".replace(".", ",") for v in valores)


def main() -> int:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--rapido", action="store_true", help="uma execução de cada (teste)")
    p.add_argument("--json", type=Path, default=Path("bench/resultados.json"))
    p.add_argument("--so", help="só os módulos cujo nome contém este texto")
    p.add_argument("--markdown", type=Path, help="grava também a página (docs/performance.md)")
    a = p.parse_args()
    doc = executar(a.rapido, a.so)
    imprimir(doc)
    if a.markdown:
        a.markdown.write_text(markdown(doc), encoding="utf-8")
    a.json.parent.mkdir(parents=True, exist_ok=True)
    a.json.write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")
    return 1 if doc["falhas"] else 0


if __name__ == "__main__":
    sys.exit(main())
