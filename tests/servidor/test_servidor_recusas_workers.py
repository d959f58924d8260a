"""A matriz de recusas da recepção (``test_servidor_recusas``) de novo, com o servidor de
produção: PostgreSQL (o cluster descartável de ``tests/apoio_postgres``; sem ele o teste FALHA)
atrás de ``siops-servidor --workers 2`` (issue 23, item 3).

Os mesmos testes, sem cópia: as funções e a fixture ``bh`` vêm do módulo original, e a
fixture ``servidor`` deste módulo — que vence a da sessão — é o servidor com 2 workers. Cada
recusa tem de sair igual qualquer que seja o worker que atende, e nada recusado pode ficar no
banco compartilhado nem na pasta de arquivos.
"""

from __future__ import annotations

import importlib.util
import time
from pathlib import Path

import pytest

_ORIGINAL = Path(__file__).with_name("test_servidor_recusas.py")
_spec = importlib.util.spec_from_file_location("_recusas_originais", _ORIGINAL)
assert _spec is not None and _spec.loader is not None
_recusas = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_recusas)

bh = _recusas.bh
globals().update({k: v for k, v in vars(_recusas).items() if k.startswith("test_")})

WORKERS = 2


def _workers(pid: int) -> int:
    """Quantos workers (filhos por *spawn*) o processo principal tem."""
    n = 0
    for tarefa in Path(f"/proc/{pid}/task").iterdir():
        for filho in (tarefa / "children").read_text().split():
            try:
                cmd = Path(f"/proc/{filho}/cmdline").read_bytes()
            except FileNotFoundError:
                continue
            if b"spawn_main" in cmd and b"resource_tracker" not in cmd:
                n += 1
    return n


@pytest.fixture(scope="module")
def servidor(tmp_path_factory, pki, smtp, postgres):
    """O servidor destes testes: PostgreSQL e 2 workers."""
    from apoio.servidor import Servidor

    porta_smtp, caixa = smtp
    s = Servidor(
        tmp_path_factory.mktemp("servidor-workers"),
        pki,
        porta_smtp,
        caixa,
        {"url_banco": postgres.novo_banco("recusas")},
        args=["--workers", str(WORKERS)],
    )
    s.iniciar(espera=180)
    fim = time.monotonic() + 120
    while _workers(s.proc.pid) != WORKERS and time.monotonic() < fim:
        time.sleep(0.1)
    assert _workers(s.proc.pid) == WORKERS
    yield s
    s.parar()


def test_e_o_servidor_de_producao(servidor):
    """Os testes acima rodam mesmo no PostgreSQL com 2 workers (e não no SQLite da sessão)."""
    import json

    conf = json.loads((servidor.dados / "servidor.json").read_text(encoding="utf-8"))
    assert conf["url_banco"].startswith("postgresql://")
    assert not (servidor.dados / "servidor.sqlite3").exists()
    assert _workers(servidor.proc.pid) == WORKERS
