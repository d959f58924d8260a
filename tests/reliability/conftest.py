"""Fixtures of the reliability and security suite (issue 11): results, servers, certificates.

The helpers live in ``apoio_comum`` (sizes, time limits, the CLI), ``apoio_servidor`` (the real
server process, people with test e-CPFs, the SMTP mailbox: the shared ``tests/apoio`` under the
name these modules import) and ``apoio_mutacoes`` (the fuzzing strategies); this folder is put
on ``sys.path`` so test modules import them.

Results. A test reports its case counts and figures with the ``relatorio`` fixture; they go to
the report's ``user_properties`` and, when ``SIOPS_CONFIABILIDADE_RESULTADOS`` names a file,
into a JSON file written at the end of the session — the input of
``scripts/confiabilidade.py``, which writes ``docs/reliability.md``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

AQUI = Path(__file__).resolve().parent
if str(AQUI) not in sys.path:
    sys.path.insert(0, str(AQUI))

from apoio_comum import MODO  # noqa: E402

if MODO not in ("ci", "completo"):
    raise pytest.UsageError("SIOPS_CONFIABILIDADE deve ser 'ci' ou 'completo'.")


def _desta_pasta(caminho: str | os.PathLike[str]) -> bool:
    p = Path(str(caminho)).resolve()
    return p.parent == AQUI


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The offscreen platform's own limits are not failures of ours."""
    for item in items:
        if _desta_pasta(item.fspath):
            item.add_marker(
                pytest.mark.qt_log_ignore(
                    r"This plugin does not support propagateSizeHints\(\)",
                    r"This plugin does not support raise\(\)",
                    r"This plugin does not support grabbing the keyboard",
                )
            )


# --- results ----------------------------------------------------------------------------------

_RESULTADOS: list[dict[str, Any]] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collect outcome, duration and reported figures of each test of this folder."""
    if not _desta_pasta(report.fspath):
        return
    falhou_antes = report.when == "setup" and report.outcome != "passed"
    if report.when != "call" and not falhou_antes:
        return
    resultado = report.outcome
    if hasattr(report, "wasxfail"):
        resultado = "xfail" if report.outcome == "skipped" else "xpass"
    _RESULTADOS.append(
        {
            "nodeid": report.nodeid,
            "resultado": resultado,
            "segundos": round(report.duration, 2),
            "propriedades": {k: v for k, v in report.user_properties},
            "motivo": str(getattr(report, "wasxfail", "") or ""),
        }
    )


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Write the collected results where ``SIOPS_CONFIABILIDADE_RESULTADOS`` says."""
    destino = os.environ.get("SIOPS_CONFIABILIDADE_RESULTADOS", "").strip()
    if not destino:
        return
    doc = {
        "modo": MODO,
        "data": dt.datetime.now().astimezone().isoformat(timespec="seconds"),
        "maquina": {
            "sistema": platform.platform(),
            "processador": platform.processor() or platform.machine(),
            "nucleos": os.cpu_count(),
            "python": platform.python_version(),
        },
        "testes": _RESULTADOS,
    }
    Path(destino).write_text(json.dumps(doc, ensure_ascii=False, indent=2), encoding="utf-8")


class Relatorio:
    """What a test says about itself: case counts, figures and a one-line summary."""

    def __init__(self, item: pytest.Item) -> None:
        self._item = item

    def __call__(self, **valores: object) -> None:
        for k, v in valores.items():
            self._item.user_properties.append((k, v))
        texto = ", ".join(f"{k}={v}" for k, v in valores.items())
        print(f"\n[confiabilidade] {self._item.name}: {texto}")


@pytest.fixture(autouse=True)
def _defeito(request: pytest.FixtureRequest) -> Iterator[None]:
    """Tests named ``test_b<N>_…`` are the minimal cases of defect B<N> found by this suite:
    they report the defect's label and, unless they say more, the original finding (the
    module's ``B<N>`` constant: file, line, proposed fix; a later ``relatorio(resumo=…)`` wins),
    so ``docs/reliability.md`` lists
    every defect found, fixed or open."""
    import re

    m = re.match(r"test_b(\d+)_", request.node.name)
    if m:  # before the test: the call phase's report carries what is set by then
        rotulo = f"B{m.group(1)}"
        achado = getattr(request.module, rotulo, "")
        request.node.user_properties.append(("defeito", rotulo))
        request.node.user_properties.append(("resumo", f"caso mínimo do defeito {achado}"))
    yield


@pytest.fixture
def relatorio(request: pytest.FixtureRequest) -> Relatorio:
    """``relatorio(casos=…, resumo=…, <figura>=…)``: goes to the report and the JSON."""
    return Relatorio(request.node)


@pytest.fixture
def janela_cliente(qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """The real main window (offscreen) with ``DialogosFalsos``, which records every message it
    would show; ``SIOPS_HOME`` and ``SIOPS_DADOS`` in a temporary folder."""
    monkeypatch.setenv("SIOPS_HOME", str(tmp_path / "MS-SIOPS"))
    monkeypatch.setenv("SIOPS_DADOS", str(tmp_path / "dados"))
    from siops.app.cliente import criar_aplicacao
    from siops.app.dialogos import DialogosFalsos
    from siops.app.janela import JanelaPrincipal

    criar_aplicacao()
    j = JanelaPrincipal()
    j.dialogos = DialogosFalsos(j)
    qtbot.addWidget(j)
    j.show()
    qtbot.waitExposed(j)
    yield j
    j.tarefas.aguardar()
    j._pode_fechar = True
    j.close()


# The real server, the SMTP mailbox and the test PKI (``smtp``, ``pki``, ``fabrica_servidor``,
# ``servidor_modulo``, ``demo``) are the shared fixtures of ``tests/apoio`` (tests/conftest.py).
