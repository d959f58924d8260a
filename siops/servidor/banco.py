"""SQLite em modo WAL com um só escritor: uma thread dona da conexão de escrita e uma conexão
de leitura por thread.

Quem escreve entrega uma função ``fn(conexao)`` ao escritor (``Banco.escrever``) e espera o
resultado. O escritor junta os pedidos que chegaram juntos numa só transação (*group commit*),
cada um dentro do seu ``SAVEPOINT`` — um pedido que falha é desfeito sozinho, os outros seguem —
e faz um único ``COMMIT`` (com ``synchronous=FULL``: quando ``escrever`` retorna, o dado está no
disco). Assim o custo do fsync se divide entre os clientes simultâneos, e não há disputa de
trava entre escritores. Se a fila passa do limite, ``Sobrecarregado`` (o servidor responde 503).
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
_log = logging.getLogger("siops.servidor.banco")

LOTE_MAXIMO = 64
_PARAR = object()


class Sobrecarregado(RuntimeError):
    """A fila do escritor está cheia, ou o banco está sendo fechado."""


def _conectar(caminho: Path) -> sqlite3.Connection:
    con = sqlite3.connect(caminho, isolation_level=None, check_same_thread=False, timeout=30)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA busy_timeout=30000")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA synchronous=FULL")
    return con


class Banco:
    """O banco SQLite do servidor (ver a docstring do módulo)."""

    def __init__(self, caminho: Path, esquema: str | None = None, fila_maxima: int = 2000) -> None:
        self.caminho = Path(caminho)
        self._fila: queue.Queue[Any] = queue.Queue(maxsize=fila_maxima)
        self._local = threading.local()
        self._leitores: list[sqlite3.Connection] = []
        self._trava_leitores = threading.Lock()
        self._fechado = False
        self._escrita = _conectar(self.caminho)
        modo = self._escrita.execute("PRAGMA journal_mode=WAL").fetchone()[0]
        if str(modo).lower() != "wal":
            raise RuntimeError(f"O SQLite não aceitou o modo WAL (modo atual: {modo}).")
        if esquema:  # o do servidor vem das migrações (``migracoes.migrar``), antes
            self._escrita.executescript(esquema)
        self._thread = threading.Thread(target=self._laco, name="siops-escritor", daemon=True)
        self._thread.start()

    # --- leitura ------------------------------------------------------------------------------

    def leitura(self) -> sqlite3.Connection:
        """A conexão de leitura desta thread (só consulta; vê o último commit)."""
        con = getattr(self._local, "con", None)
        if con is None:
            con = _conectar(self.caminho)
            con.execute("PRAGMA query_only=1")
            self._local.con = con
            with self._trava_leitores:
                self._leitores.append(con)
        return con

    def consultar(self, sql: str, parametros: tuple | list = ()) -> list[sqlite3.Row]:
        """Todas as linhas de uma consulta."""
        return self.leitura().execute(sql, parametros).fetchall()

    def um(self, sql: str, parametros: tuple | list = ()) -> sqlite3.Row | None:
        """A primeira linha de uma consulta (ou ``None``)."""
        return self.leitura().execute(sql, parametros).fetchone()

    # --- escrita ------------------------------------------------------------------------------

    def escrever(
        self,
        fn: Callable[[sqlite3.Connection], T],
        espera: float = 60.0,
        exclusivo: str | None = None,
    ) -> T:
        """Executa ``fn`` na transação do escritor e devolve seu resultado depois do COMMIT.

        ``exclusivo`` (a fila do PostgreSQL) não muda nada aqui: o escritor já é um só.

        Exceções de ``fn`` voltam a quem chamou (e só o trabalho de ``fn`` é desfeito).
        """
        if self._fechado:
            raise Sobrecarregado("banco fechado")
        futuro: Future[T] = Future()
        try:
            self._fila.put_nowait((fn, futuro))
        except queue.Full:
            raise Sobrecarregado("fila de escrita cheia") from None
        return futuro.result(timeout=espera)

    def _laco(self) -> None:
        con = self._escrita
        parar = False
        while not parar:
            item = self._fila.get()
            if item is _PARAR:
                break
            lote = [item]
            while len(lote) < LOTE_MAXIMO:
                try:
                    prox = self._fila.get_nowait()
                except queue.Empty:
                    break
                if prox is _PARAR:
                    parar = True
                    break
                lote.append(prox)
            self._executar_lote(con, lote)
        con.close()

    def _executar_lote(self, con: sqlite3.Connection, lote: list[Any]) -> None:
        resultados: list[tuple[Future, Any, BaseException | None]] = []
        try:
            con.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            for _fn, futuro in lote:
                futuro.set_exception(exc)
            return
        for fn, futuro in lote:
            con.execute("SAVEPOINT pedido")
            try:
                r = fn(con)
            except BaseException as exc:  # devolvida a quem pediu
                con.execute("ROLLBACK TO pedido")
                con.execute("RELEASE pedido")
                resultados.append((futuro, None, exc))
            else:
                con.execute("RELEASE pedido")
                resultados.append((futuro, r, None))
        try:
            con.execute("COMMIT")
        except sqlite3.Error as exc:
            _log.exception("COMMIT falhou; o lote de %d pedidos foi desfeito", len(lote))
            try:
                con.execute("ROLLBACK")
            except sqlite3.Error:
                pass
            for futuro, _r, _e in resultados:
                futuro.set_exception(exc)
            return
        for futuro, r, e in resultados:
            if e is None:
                futuro.set_result(r)
            else:
                futuro.set_exception(e)

    def fechar(self) -> None:
        """Termina o escritor (depois de esvaziar a fila) e fecha as conexões."""
        if self._fechado:
            return
        self._fechado = True
        self._fila.put(_PARAR)
        self._thread.join(timeout=30)
        with self._trava_leitores:
            for con in self._leitores:
                try:
                    con.close()
                except sqlite3.Error:
                    pass
            self._leitores.clear()

    def proximo_id(self, con: sqlite3.Connection, tabela: str) -> int:
        """O id da próxima linha de ``tabela`` (dentro da transação do escritor, que é o único:
        o ``MAX(id) + 1`` não tem concorrente, e os números saem sem lacunas)."""
        return int(con.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {tabela}").fetchone()[0])

    def verificar_integridade(self) -> str:
        """``PRAGMA integrity_check`` (``"ok"`` quando íntegro)."""
        return str(self.consultar("PRAGMA integrity_check")[0][0])  # always one row at least
