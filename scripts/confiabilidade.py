"""Run the reliability suite (``tests/reliability``) at full size and write
``docs/reliability.md`` from the results (issue 11, item 6).

    .venv/bin/python scripts/confiabilidade.py                 # full size, writes the doc
    .venv/bin/python scripts/confiabilidade.py --modo ci       # the CI sizes (quick look)
    .venv/bin/python scripts/confiabilidade.py --so-escrever resultados.json

The tests report their case counts and figures through the ``relatorio`` fixture of
``tests/reliability/conftest.py``; with ``SIOPS_CONFIABILIDADE_RESULTADOS`` set, the conftest
writes them to a JSON file at the end of the session, and this script turns that file into the
Markdown table, with the date, the machine, the commit and the exact command. Nothing in the
document is typed by hand: a fresh run of the same command on the same commit gives the same
case counts (the fuzzers are derandomized, the kill delays seeded); times and throughput vary
with the machine.

Exit status: pytest's (the document is written even when a test fails, with the failure shown).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RAIZ = Path(__file__).resolve().parents[1]
DOC = RAIZ / "docs" / "reliability.md"

#: Issue 11's items, by test module.
ITENS = {
    "test_confiabilidade_fuzz_arquivos.py": "1. Fuzzing — linha de comando",
    "test_confiabilidade_fuzz_cliente.py": "1. Fuzzing — janela do cliente",
    "test_confiabilidade_fuzz_servidor.py": "1. Fuzzing — recepção do servidor",
    "test_confiabilidade_gravacao.py": "2. Queda durante a gravação",
    "test_confiabilidade_servidor_falhas.py": "3. Falhas do servidor",
    "test_confiabilidade_carga.py": "4. Carga",
    "test_confiabilidade_seguranca.py": "5. Matriz de segurança",
    "test_confiabilidade_defeitos.py": "Defeitos encontrados",
    # issue 17: the outside adversarial pass, one regression test per numbered case
    "test_confiabilidade_i17_identidade.py": "17.1, 17.5 Identidade, bloqueio e CPFs públicos",
    "test_confiabilidade_i17_assinados.py": "17.2, 17.3, 17.9 Documentos assinados e períodos",
    "test_confiabilidade_i17_http.py": "17.4, 17.7 HTTP lento e respostas 5xx",
    "test_confiabilidade_i17_diario.py": "17.6 Diário de recuperação",
    "test_confiabilidade_i17_cliente.py": "17.8, 17.9 Planilhas, fila e transmissor",
    # issue 21: revoked, unknown policy and missing intermediate, refused by the real server
    "test_confiabilidade_i21_confianca.py": "21 Confiança ICP-Brasil: revogação, política, cadeia",
    "test_confiabilidade_i21_transmissor.py": "21 Confiança ICP-Brasil: siopsnet e demonstrativo",
    "defeitos": "Defeitos encontrados",
}
RESULTADO = {
    "passed": "passou",
    "failed": "**FALHOU**",
    "xfail": "defeito confirmado (xfail estrito)",
    "xpass": "**XPASS** (defeito corrigido? tire o xfail)",
    "skipped": "pulado",
}


def _maquina() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for linha in Path("/proc/cpuinfo").read_text().splitlines():
            if linha.startswith("model name"):
                cpu = linha.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memoria = ""
    try:
        for linha in Path("/proc/meminfo").read_text().splitlines():
            if linha.startswith("MemTotal"):
                memoria = f", {int(linha.split()[1]) / 1024 / 1024:.0f} GiB de memória"
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} núcleos{memoria}; {platform.platform()}; Python {platform.python_version()}"


def _commit() -> str:
    try:
        h = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=RAIZ, capture_output=True, text=True
        ).stdout.strip()
        sujo = subprocess.run(
            ["git", "status", "--porcelain", "--", "tests/reliability"],
            cwd=RAIZ,
            capture_output=True,
            text=True,
        ).stdout.strip()
        return h + (" (tests/reliability com alterações não gravadas)" if sujo else "")
    except OSError:
        return "?"


def rodar(modo: str, resultados: Path, extra: list[str]) -> tuple[int, float, list[str]]:
    """Run pytest on tests/reliability; returns (exit status, seconds, the command)."""
    comando = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-rfxX",
        "tests/reliability",
        "-o",
        "faulthandler_timeout=7200",
        *extra,
    ]
    env = dict(
        os.environ,
        SIOPS_CONFIABILIDADE=modo,
        SIOPS_CONFIABILIDADE_RESULTADOS=str(resultados),
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
    )
    t0 = time.monotonic()
    codigo = subprocess.run(comando, cwd=RAIZ, env=env).returncode
    return codigo, time.monotonic() - t0, comando


def _celula(texto: Any) -> str:
    return str(texto).replace("|", "\\|").replace("\n", " ")


def _nome(nodeid: str) -> tuple[str, str, str]:
    arquivo, _, teste = nodeid.partition("::")
    funcao, _, param = teste.partition("[")
    return Path(arquivo).name, funcao, param.rstrip("]")


def escrever(doc: dict[str, Any], destino: Path, comando: str, segundos: float | None) -> None:
    """The Markdown of ``docs/reliability.md`` from the results JSON."""
    testes = doc["testes"]
    grupos: dict[tuple[str, str], list[dict]] = {}
    for t in testes:
        arquivo, funcao, _ = _nome(t["nodeid"])
        grupos.setdefault((arquivo, funcao), []).append(t)
    for arquivo, funcao in list(grupos):
        if funcao.startswith("test_b") and funcao[6:7].isdigit():
            grupos[("defeitos", funcao)] = grupos.pop((arquivo, funcao))
    ordem = [*ITENS, "defeitos"]
    chaves = sorted(grupos, key=lambda k: (ordem.index(k[0]) if k[0] in ordem else 99, k[1]))

    linhas = [
        "# Confiabilidade e segurança — resultados medidos",
        "",
        "Gerado por `scripts/confiabilidade.py` a partir de uma execução de `tests/reliability` "
        "(issues 11 e 17). Não edite à mão: rode o comando abaixo e faça o commit do arquivo gerado.",
        "",
        f"- **Data:** {doc['data']}",
        f"- **Máquina:** {_maquina()}",
        f"- **Commit:** {_commit()}",
        f"- **Tamanho:** `SIOPS_CONFIABILIDADE={doc['modo']}`"
        + (" (tamanhos completos)" if doc["modo"] == "completo" else " (tamanhos de CI)"),
        f"- **Comando:** `{comando}`",
    ]
    if segundos is not None:
        linhas.append(f"- **Duração total:** {segundos / 60:.1f} min")
    total_casos = 0
    contagem: dict[str, int] = {}
    for t in testes:
        contagem[t["resultado"]] = contagem.get(t["resultado"], 0) + 1
        if t["resultado"] == "passed":
            total_casos += int(t["propriedades"].get("casos", 1))
    linhas += [
        f"- **Resultado:** {contagem.get('passed', 0)} testes passaram, "
        f"{contagem.get('failed', 0)} falharam, {contagem.get('xfail', 0)} defeitos confirmados "
        f"(xfail estrito), {contagem.get('xpass', 0)} xpass; {total_casos} casos exercitados "
        "nos testes que passaram.",
        "",
        "Os tamanhos de CI (padrão do `pytest`) são menores; cada um se ajusta por "
        "`SIOPS_CONF_<NOME>` (ver a docstring de cada teste).",
        "",
        "## Tabela",
        "",
        "| Item | Teste | Casos | Resultado | Tempo (s) | O que mostrou |",
        "|---|---|---:|---|---:|---|",
    ]
    for arquivo, funcao in chaves:
        ts = grupos[(arquivo, funcao)]
        casos = sum(int(t["propriedades"].get("casos", 1)) for t in ts)
        resultados = sorted({t["resultado"] for t in ts})
        resultado = ", ".join(RESULTADO.get(r, r) for r in resultados)
        tempo = sum(t["segundos"] for t in ts)
        defeito = ts[0]["propriedades"].get("defeito")
        if defeito:
            resumo = f"caso mínimo do defeito {defeito} (ver 'Defeitos encontrados')"
        elif len(ts) == 1:
            resumo = ts[0]["propriedades"].get("resumo") or ts[0].get("motivo") or ""
        else:
            resumo = f"{len(ts)} variantes (detalhes abaixo)"
        linhas.append(
            f"| {_celula(ITENS.get(arquivo, arquivo))} | `{funcao}` | {casos} | {resultado} | "
            f"{tempo:.1f} | {_celula(resumo)} |"
        )

    linhas += ["", "## Detalhes", ""]
    for arquivo, funcao in chaves:
        ts = grupos[(arquivo, funcao)]
        onde = arquivo if arquivo != "defeitos" else _nome(ts[0]["nodeid"])[0]
        linhas.append(f"### `{funcao}` ({onde})")
        linhas.append("")
        for t in ts:
            _, _, param = _nome(t["nodeid"])
            props = dict(t["propriedades"])
            resumo = props.pop("resumo", "") or t.get("motivo", "")
            props.pop("casos", None)
            rotulo = f"`{param}` — " if param else ""
            linhas.append(f"- {rotulo}{RESULTADO.get(t['resultado'], t['resultado'])}: {resumo}")
            for k, v in props.items():
                valor = json.dumps(v, ensure_ascii=False) if isinstance(v, dict | list) else v
                linhas.append(f"  - {k}: {valor}")
        linhas.append("")

    linhas += ["## Defeitos encontrados em código de outros pacotes", ""]
    por_defeito: dict[str, list[dict]] = {}
    for t in testes:
        rotulo = t["propriedades"].get("defeito")
        if rotulo:
            por_defeito.setdefault(rotulo, []).append(t)
    if not por_defeito:
        linhas.append("Nenhum.")
    for rotulo in sorted(por_defeito, key=lambda r: int(r[1:])):
        ts = por_defeito[rotulo]
        abertos = [t for t in ts if t["resultado"] in ("xfail", "failed")]
        situacao = (
            "**aberto**" if abertos else "corrigido — os casos mínimos são testes de regressão"
        )
        achado = ts[0].get("motivo") or ts[0]["propriedades"].get("resumo", "")
        achado = achado.removeprefix("caso mínimo do defeito ").removeprefix(f"{rotulo} — ")
        testes_b = ", ".join(
            f"`{_nome(t['nodeid'])[1]}` ({RESULTADO.get(t['resultado'], t['resultado'])})"
            for t in ts
        )
        linhas.append(f"- **{rotulo}** ({situacao}): {achado} Testes: {testes_b}.")
    linhas += [
        "",
        "Cada defeito tem um teste mínimo (`test_b<N>_…`). Enquanto está aberto, ele é marcado "
        "`xfail(strict=True)` com o arquivo, a linha e a correção proposta, e os fuzzers contam "
        "os casos que caem nele (`BUGS_CONHECIDOS` em `tests/reliability/apoio_comum.py`) em vez "
        "de parar; corrigido, a marca sai e o teste fica como regressão.",
        "",
        "## Como reproduzir",
        "",
        "```",
        ".venv/bin/python scripts/confiabilidade.py            # tamanhos completos; reescreve este arquivo",
        "QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest -q tests/reliability   # tamanhos de CI",
        "```",
        "",
    ]
    destino.write_text("\n".join(linhas), encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--modo", choices=("completo", "ci"), default="completo")
    p.add_argument("--saida", type=Path, default=DOC)
    p.add_argument(
        "--so-escrever", type=Path, metavar="JSON", help="só escreve o documento a partir do JSON"
    )
    p.add_argument("pytest_args", nargs="*", help="argumentos extras para o pytest (após --)")
    a = p.parse_args(argv)
    if a.so_escrever:
        doc = json.loads(a.so_escrever.read_text(encoding="utf-8"))
        escrever(doc, a.saida, "(resultados de um arquivo)", None)
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        resultados = Path(tmp) / "resultados.json"
        codigo, segundos, comando = rodar(a.modo, resultados, a.pytest_args)
        if not resultados.exists():
            print("O pytest não produziu resultados.", file=sys.stderr)
            return codigo or 1
        doc = json.loads(resultados.read_text(encoding="utf-8"))
        doc["data"] = doc.get("data") or dt.datetime.now().astimezone().isoformat()
        mostrar = f"SIOPS_CONFIABILIDADE={a.modo} " + " ".join(
            Path(c).name if i == 0 else c for i, c in enumerate(comando)
        )
        escrever(
            doc, a.saida, f".venv/bin/python scripts/confiabilidade.py (= {mostrar})", segundos
        )
    print(f"{a.saida} escrito.", file=sys.stderr)
    return codigo


if __name__ == "__main__":
    sys.exit(main())
