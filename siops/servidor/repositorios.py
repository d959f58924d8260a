"""Qual repositório abrir: PostgreSQL quando ``url_banco`` o indica, SQLite da pasta de dados
quando não. O psycopg só é importado quando o banco é PostgreSQL (a instalação de uma máquina
não precisa dele)."""

from __future__ import annotations

import os

from siops.servidor.config import Config
from siops.servidor.repositorio import Repositorio


def _postgres(endereco: str) -> bool:
    return endereco.startswith(("postgresql://", "postgres://"))


def abrir(cfg: Config) -> Repositorio:
    """O repositório de ``cfg`` (migrado até a última revisão)."""
    if cfg.postgres:
        from siops.servidor.repositorio_postgres import RepositorioPostgres

        return RepositorioPostgres(cfg.url_banco, cfg.conexoes_banco)
    from siops.servidor.repositorio_sqlite import RepositorioSQLite

    return RepositorioSQLite(cfg.banco, cfg.fila_escrita)


def ler_referencia(endereco: str | os.PathLike[str], ente: str, exercicio: int) -> list[dict]:
    """Os valores do FNS de um ente e exercício (``endereco``: ``Config.endereco_banco``)."""
    endereco = os.fspath(endereco)
    if _postgres(endereco):
        from siops.servidor import repositorio_postgres

        return repositorio_postgres.ler_referencia(endereco, ente, exercicio)
    from pathlib import Path

    from siops.servidor import repositorio_sqlite

    return repositorio_sqlite.ler_referencia(Path(endereco), ente, exercicio)


def ler_digest_vigente(
    endereco: str | os.PathLike[str], ente: str, exercicio: int, bimestre: int
) -> str | None:
    """O digest da transmissão vigente de um período (``endereco``: ``Config.endereco_banco``)."""
    endereco = os.fspath(endereco)
    if _postgres(endereco):
        from siops.servidor import repositorio_postgres

        return repositorio_postgres.ler_digest_vigente(endereco, ente, exercicio, bimestre)
    from pathlib import Path

    from siops.servidor import repositorio_sqlite

    return repositorio_sqlite.ler_digest_vigente(Path(endereco), ente, exercicio, bimestre)
