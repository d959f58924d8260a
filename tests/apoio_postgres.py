"""Um PostgreSQL de verdade, descartável, para os testes: ``initdb`` + ``pg_ctl`` numa pasta
temporária, escutando só num socket Unix dessa pasta (nenhuma porta TCP), parado no fim.

Como root (o ``./testar`` da máquina de testes), o cluster é criado e roda como o usuário
``postgres`` do pacote Debian (o PostgreSQL se recusa a rodar como root). Sem os binários, o
teste FALHA com a instrução de instalação — não é pulado: o ``./testar`` instala o pacote
``postgresql`` (scripts/preparar.sh), como faz com o SoftHSM2.

``SIOPS_TESTE_BANCO=postgresql`` faz o servidor de teste (``tests/servidor/conftest.py``) usar
um banco novo deste cluster em vez do SQLite da pasta de dados.
"""

from __future__ import annotations

import atexit
import glob
import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
import threading
from pathlib import Path

ENV_BANCO = "SIOPS_TESTE_BANCO"


def usar_postgres() -> bool:
    """Se os servidores de teste devem usar PostgreSQL (``SIOPS_TESTE_BANCO=postgresql``)."""
    return os.environ.get(ENV_BANCO, "").strip().lower() in ("postgresql", "postgres", "pg")


def _binarios() -> Path:
    candidatos = sorted(
        glob.glob("/usr/lib/postgresql/*/bin/initdb"),
        key=lambda c: int(Path(c).parts[4]) if Path(c).parts[4].isdigit() else 0,
    )
    if candidatos:
        return Path(candidatos[-1]).parent
    achado = shutil.which("initdb")
    if achado:
        return Path(achado).parent
    raise RuntimeError(
        "PostgreSQL não encontrado (initdb): instale o pacote Debian 'postgresql' "
        "(apt-get install -y postgresql, ou rode scripts/preparar.sh)."
    )


class ClusterPostgres:
    """Um cluster descartável (ver a docstring do módulo)."""

    def __init__(self) -> None:
        self.bin = _binarios()
        # fora de /tmp/pytest-of-root (0700): o usuário postgres precisa atravessar a pasta
        self.pasta = Path(tempfile.mkdtemp(prefix="siops-pg-"))
        self.dados = self.pasta / "dados"
        self.socket = self.pasta / "socket"
        self.log = self.pasta / "postgres.log"
        self.usuario = "siops"
        self._contador = itertools.count(1)
        self._trava = threading.Lock()
        self._como: list[str] = []
        if os.geteuid() == 0:
            dono = pwd.getpwnam("postgres")
            self._como = ["runuser", "-u", "postgres", "--"]
            os.chmod(self.pasta, 0o755)
            os.chown(self.pasta, dono.pw_uid, dono.pw_gid)
        self.ativo = False

    def _rodar(self, *args: str) -> None:
        r = subprocess.run(
            [*self._como, *args], capture_output=True, text=True, timeout=180, cwd=self.pasta
        )
        if r.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise RuntimeError(f"{args[0]} falhou ({r.returncode}): {r.stderr}\n{log}")

    def iniciar(self) -> ClusterPostgres:
        """``initdb`` (autenticação ``trust`` no socket local) e ``pg_ctl start``."""
        self._rodar(
            str(self.bin / "initdb"),
            "-D",
            str(self.dados),
            "-U",
            self.usuario,
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        for pasta in (self.socket,):
            pasta.mkdir()
            if self._como:
                dono = pwd.getpwnam("postgres")
                os.chown(pasta, dono.pw_uid, dono.pw_gid)
        opcoes = (
            f"-k {self.socket} -c listen_addresses='' -c max_connections=400 -c shared_buffers=64MB"
        )
        self._rodar(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.dados),
            "-l",
            str(self.log),
            "-o",
            opcoes,
            "-w",
            "-t",
            "120",
            "start",
        )
        self.ativo = True
        return self

    def url(self, banco: str = "postgres") -> str:
        """A URL ``postgresql://`` de ``banco`` neste cluster (pelo socket Unix)."""
        return f"postgresql://{self.usuario}@/{banco}?host={self.socket}"

    def novo_banco(self, prefixo: str = "siops") -> str:
        """Cria um banco vazio e devolve sua URL."""
        import psycopg

        with self._trava:
            nome = f"{prefixo}_{os.getpid()}_{next(self._contador)}"
        with psycopg.connect(self.url(), autocommit=True) as con:
            con.execute(f'CREATE DATABASE "{nome}"')
        return self.url(nome)

    def parar(self) -> None:
        """``pg_ctl stop -m fast`` e remove a pasta."""
        if self.ativo:
            self.ativo = False
            try:
                self._rodar(str(self.bin / "pg_ctl"), "-D", str(self.dados), "-m", "fast", "stop")
            except (RuntimeError, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.pasta, ignore_errors=True)


_CLUSTER: ClusterPostgres | None = None
_TRAVA = threading.Lock()


def cluster() -> ClusterPostgres:
    """O cluster desta sessão de testes (iniciado no primeiro uso, parado na saída)."""
    global _CLUSTER
    with _TRAVA:
        if _CLUSTER is None:
            c = ClusterPostgres()
            atexit.register(c.parar)
            _CLUSTER = c.iniciar()
        return _CLUSTER


def parar() -> None:
    """Para o cluster da sessão, se houver."""
    global _CLUSTER
    with _TRAVA:
        if _CLUSTER is not None:
            _CLUSTER.parar()
            _CLUSTER = None


def consultar_banco(dados: Path, sql: str, parametros: tuple = ()) -> list[tuple]:
    """As linhas de uma consulta (marcadores ``?``) no banco do servidor de teste com a pasta
    ``dados``: o PostgreSQL de ``url_banco`` no ``servidor.json``, ou o SQLite da pasta."""
    import json
    import sqlite3

    conf = dados / "servidor.json"
    url = json.loads(conf.read_text(encoding="utf-8")).get("url_banco") if conf.exists() else ""
    if url:
        import psycopg

        with psycopg.connect(url, autocommit=True) as con:
            return [tuple(r) for r in con.execute(sql.replace("?", "%s"), parametros)]
    lite = sqlite3.connect(f"file:{dados / 'servidor.sqlite3'}?mode=ro", uri=True)
    try:
        return [tuple(r) for r in lite.execute(sql, parametros)]
    finally:
        lite.close()
