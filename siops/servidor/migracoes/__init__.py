"""As migrações do banco do servidor (Alembic), para o SQLite e o PostgreSQL.

``migrar(endereco)`` leva o banco — novo, ou de qualquer versão anterior, inclusive um SQLite
criado antes das migrações existirem — até a última revisão (``CABECA``). Roda na partida do
servidor e da administração; a conferência rápida (``versao``, só uma consulta com o driver do
próprio banco) evita carregar o Alembic quando não há nada a fazer, o caso de toda partida
depois da primeira. Uma revisão nova: um arquivo em ``versions/`` e ``CABECA`` atualizada (um
teste confere que ela é a cabeça do Alembic).
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

#: A última revisão de ``versions/``.
CABECA = "0003"
#: A chave da trava consultiva do PostgreSQL durante as migrações (um número qualquer, fixo).
TRAVA_MIGRACAO = 72_023_001

PASTA = Path(__file__).resolve().parent


def _postgres(endereco: str) -> bool:
    return endereco.startswith(("postgresql://", "postgres://"))


def url_sqlalchemy(endereco: str) -> str:
    """A URL do SQLAlchemy para ``endereco`` (URL do PostgreSQL ou caminho do SQLite)."""
    if _postgres(endereco):
        return "postgresql+psycopg://" + endereco.split("://", 1)[1]
    return f"sqlite:///{Path(endereco).resolve()}"


def versao(endereco: str) -> str | None:
    """A revisão em que o banco está (``None``: sem registro — novo ou anterior às migrações)."""
    try:
        if _postgres(endereco):
            import psycopg

            with psycopg.connect(endereco, autocommit=True) as con:
                r = con.execute("SELECT to_regclass('alembic_version') IS NOT NULL").fetchone()
                if not r or not r[0]:
                    return None
                linha = con.execute("SELECT version_num FROM alembic_version").fetchone()
                return str(linha[0]) if linha else None
        if not Path(endereco).exists():
            return None
        lite = sqlite3.connect(endereco, timeout=30)
        try:
            linha = lite.execute("SELECT version_num FROM alembic_version").fetchone()
            return str(linha[0]) if linha else None
        except sqlite3.OperationalError:  # sem a tabela
            return None
        finally:
            lite.close()
    except Exception:
        return None  # quem decide é o Alembic (que dá o erro de conexão, se houver)


def migrar(endereco: str) -> bool:
    """Leva o banco em ``endereco`` até ``CABECA``; ``True`` se alguma revisão rodou."""
    if versao(endereco) == CABECA:
        return False
    from alembic import command
    from alembic.config import Config as ConfigAlembic
    from sqlalchemy import create_engine
    from sqlalchemy.pool import NullPool

    motor = create_engine(url_sqlalchemy(endereco), poolclass=NullPool)
    try:
        with motor.connect() as conexao:
            cfg = ConfigAlembic()
            cfg.set_main_option("script_location", str(PASTA))
            cfg.attributes["conexao"] = conexao
            command.upgrade(cfg, "head")
            conexao.commit()
    finally:
        motor.dispose()
    return True


def cabeca_do_alembic() -> str:
    """A cabeça segundo os arquivos de ``versions/`` (para conferir ``CABECA``)."""
    from alembic.config import Config as ConfigAlembic
    from alembic.script import ScriptDirectory

    cfg = ConfigAlembic()
    cfg.set_main_option("script_location", str(PASTA))
    return str(ScriptDirectory.from_config(cfg).get_current_head())
