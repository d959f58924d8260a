"""The two stores of the server reliability tests (issue 23, item 3): the embedded SQLite with
one process, and production — PostgreSQL with ``siops-servidor --workers 2`` — over the
throwaway cluster of ``tests/apoio_postgres`` (``initdb`` + ``pg_ctl`` in a temporary folder).

The SIGKILL, burst and refusal-matrix tests are parametrized with ``BANCOS``; the PostgreSQL
variant FAILS (it is not skipped) when PostgreSQL cannot be found or started: ``./testar``
installs the Debian ``postgresql`` package (``scripts/preparar.sh``).

* ``novo_servidor`` — a not-yet-started test ``Servidor`` on the chosen store;
* ``iniciar`` — starts it and, with workers, waits until every worker answers;
* ``workers`` / ``worker_ocupado`` / ``esperar_workers`` — the worker PIDs of a ``--workers N``
  server (children of the uvicorn supervisor started by *spawn*), the busy one (to SIGKILL it
  with uploads in flight) and the wait until the supervisor recreated it.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

SQLITE = "sqlite"
POSTGRES_2_WORKERS = "postgresql-2-workers"
#: The pytest ids of the variants; every test parametrized with it runs on both stores.
BANCOS = (SQLITE, POSTGRES_2_WORKERS)
WORKERS_PG = 2


def extra_do_banco(banco: str, prefixo: str = "conf") -> tuple[dict[str, Any], list[str]]:
    """(``servidor.json`` extra, command-line args) for ``banco``. SQLite is forced with an
    empty ``url_banco`` even when ``SIOPS_TESTE_BANCO=postgresql`` is set, so that both stores
    are always exercised."""
    if banco == SQLITE:
        return {"url_banco": ""}, []
    if banco == POSTGRES_2_WORKERS:
        from tests import apoio_postgres  # raises (the test fails) without PostgreSQL

        url = apoio_postgres.cluster().novo_banco(prefixo)
        return {"url_banco": url}, ["--workers", str(WORKERS_PG)]
    raise ValueError(f"banco desconhecido: {banco}")


def novo_servidor(pasta: Path, pki: Any, smtp: tuple[int, Any], banco: str) -> Any:
    """A test ``Servidor`` (not started) on ``banco``, data in ``pasta``."""
    from apoio.servidor import Servidor

    porta_smtp, caixa = smtp
    extra, args = extra_do_banco(banco)
    return Servidor(pasta, pki, porta_smtp, caixa, extra, args=args)


def de_fabrica(fabrica_servidor: Any, banco: str, extra: dict | None = None) -> Any:
    """A server from the ``fabrica_servidor`` fixture (stopped at the end of the test)."""
    conf, args = extra_do_banco(banco)
    return fabrica_servidor({**conf, **(extra or {})}, args=args)


def n_workers(s: Any) -> int:
    """How many workers the server was started with (1 = a single process)."""
    if "--workers" in s.args:
        return int(s.args[s.args.index("--workers") + 1])
    return 1


def iniciar(s: Any, espera: float = 180) -> float:
    """Start ``s`` and, with workers, wait until all of them run; returns the seconds."""
    t0 = time.monotonic()
    s.iniciar(espera=espera)
    n = n_workers(s)
    if n > 1:
        esperar_workers(s, n, espera)
    return time.monotonic() - t0


def workers(s: Any) -> list[int]:
    """The PIDs of the workers (children of the main process started by *spawn*)."""
    filhos: list[int] = []
    try:
        tarefas = list(Path(f"/proc/{s.proc.pid}/task").iterdir())
    except FileNotFoundError:
        return []
    for tarefa in tarefas:
        try:
            filhos += [int(p) for p in (tarefa / "children").read_text().split()]
        except FileNotFoundError:
            continue
    saida = []
    for pid in filhos:
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
        except FileNotFoundError:
            continue
        if b"spawn_main" in cmd and b"resource_tracker" not in cmd:
            saida.append(pid)
    return saida


def _cpu(pid: int) -> float:
    try:
        campos = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return float(int(campos[11]) + int(campos[12]))


def worker_ocupado(s: Any, janela: float = 0.3) -> int:
    """The worker that used the most CPU during ``janela`` seconds: the one with uploads in
    flight (the clients keep their connections alive, so one worker may be serving them all
    while the other idles; killing the idle one would cut nothing)."""
    pids = workers(s)
    assert pids, "o servidor não tem workers"
    antes = {pid: _cpu(pid) for pid in pids}
    time.sleep(janela)
    return max(pids, key=lambda pid: (_cpu(pid) - antes[pid], pid))


def esperar_workers(s: Any, n: int, espera: float = 120, sem: set[int] | None = None) -> float:
    """Wait until ``s`` has ``n`` workers (none of the PIDs in ``sem``) and answers
    ``/saude``; returns the seconds waited."""
    t0 = time.monotonic()
    fim = t0 + espera
    while time.monotonic() < fim:
        pids = workers(s)
        if len(pids) == n and not (set(pids) & (sem or set())) and s.vivo():
            return time.monotonic() - t0
        time.sleep(0.05)
    raise AssertionError(f"esperava {n} workers, há {workers(s)}")
