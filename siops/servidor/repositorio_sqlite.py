"""``Repositorio`` sobre SQLite: WAL, um só escritor com *group commit* (``banco.Banco``),
leituras por conexões próprias de cada thread — o banco embutido (demonstração, instalação de
uma só máquina, testes). As operações são as de ``repositorio_sql`` (as mesmas do PostgreSQL).

As operações atômicas reconferem o estado dentro da transação do escritor, que é serial por
construção (um escritor, um processo): nenhum nível de isolamento a escolher.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from siops.servidor import migracoes
from siops.servidor.banco import Banco
from siops.servidor.repositorio_sql import RepositorioSQL, avisos_json, mesmo_nome

__all__ = ["RepositorioSQLite", "avisos_json", "ler_digest_vigente", "ler_referencia", "mesmo_nome"]


class RepositorioSQLite(RepositorioSQL):
    """``Repositorio`` sobre SQLite (WAL, um escritor com *group commit*)."""

    def __init__(self, caminho: Path, fila_maxima: int = 2000) -> None:
        migracoes.migrar(str(caminho))
        self.banco = Banco(caminho, None, fila_maxima)


_LEITURA = threading.local()


def _leitura(banco: Path) -> sqlite3.Connection:
    con = getattr(_LEITURA, "con", None)
    if con is None or getattr(_LEITURA, "banco", None) != banco:
        con = sqlite3.connect(f"file:{banco}?mode=ro", uri=True, check_same_thread=False)
        con.row_factory = sqlite3.Row
        con.execute("PRAGMA busy_timeout=30000")
        _LEITURA.con, _LEITURA.banco = con, banco
    return con


def ler_digest_vigente(banco: Path, ente: str, exercicio: int, bimestre: int) -> str | None:
    """O digest da transmissão vigente de um período (para as críticas que comparam com o
    bimestre anterior, nos processos de verificação), ou None."""
    linha = (
        _leitura(banco)
        .execute(
            "SELECT digest FROM transmissoes WHERE ente=? AND exercicio=? AND bimestre=? "
            "AND situacao IN ('transmitido', 'homologado')",
            (ente, exercicio, bimestre),
        )
        .fetchone()
    )
    return None if linha is None else str(linha["digest"])


def ler_referencia(banco: Path, ente: str, exercicio: int) -> list[dict]:
    """Os valores do FNS de um ente e exercício lidos por uma conexão só de leitura desta
    thread (para os processos de verificação, que não têm o repositório)."""
    con = _leitura(banco)
    return [
        dict(r)
        for r in con.execute(
            "SELECT bimestre, item, valor FROM referencia_fns WHERE ente=? AND exercicio=? "
            "ORDER BY bimestre, item",
            (ente, exercicio),
        )
    ]
