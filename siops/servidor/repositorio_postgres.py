"""``Repositorio`` sobre PostgreSQL (psycopg 3): o banco de produção, compartilhado por todos os
workers do servidor (e por uma segunda máquina atrás do mesmo proxy).

As operações são as de ``repositorio_sql`` — o mesmo SQL do SQLite, escrito uma vez. O que muda
é o banco (``BancoPostgres``):

* **Escritas**: cada ``escrever(fn)`` é uma transação ``SERIALIZABLE`` (SSI) própria, numa
  conexão do *pool*. É o nível que torna correto o "reconferir dentro da transação" das operações
  atômicas (``aceitar``, ``homologar``, ``cadastrar``, ``solicitar_retransmissao``,
  ``reservar_tentativa``, ``promover_senha_pendente``) sem travas à mão: se o que ``fn`` leu
  (não há vigente, a transmissão ainda é ``transmitido``, a contagem de falhas é 3…) mudou por
  um commit concorrente, o PostgreSQL aborta uma das duas com ``40001`` e a execução fica
  equivalente a uma ordem serial — a mesma garantia do escritor único do SQLite. A transação
  abortada (``40001``, ``40P01`` ou uma violação única de um ``INSERT`` concorrente) é repetida
  inteira, com ``fn`` reconferindo tudo, até ``TENTATIVAS`` vezes.
* **Idempotência** por restrições únicas (``transmissoes.digest``, ``documentos_usados``,
  índices parciais de vigente/homologação/papel ativo), que valem entre processos e máquinas.
* **Protocolos** saem da identidade (sequência) de ``transmissoes.id``: duas recepções
  simultâneas não disputam um ``MAX(id)``. Uma transação desfeita deixa um número sem uso (o
  protocolo é um identificador, não uma contagem).
* **Leituras**: uma instrução por vez, em *autocommit* (``READ COMMITTED``): veem o último
  commit de qualquer worker — por isso as sessões e as tentativas de senha valem entre workers.

psycopg 3 direto, e não SQLAlchemy Core: o SQL já é comum aos dois bancos, e o driver dá o
controle fino do que importa aqui (transação, isolamento, *prepared statements* automáticos,
o código SQLSTATE de cada erro). O SQLAlchemy só entra nas migrações (Alembic).
"""

from __future__ import annotations

import functools
import hashlib
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from siops.servidor import migracoes
from siops.servidor.banco import Sobrecarregado
from siops.servidor.repositorio_sql import RepositorioSQL, violacao_unica

T = TypeVar("T")
_log = logging.getLogger("siops.servidor.postgres")

#: Quantas vezes uma transação abortada por conflito é repetida antes de desistir (503).
TENTATIVAS = 30
#: SQLSTATEs que pedem repetir a transação: falha de serialização e *deadlock*.
_REPETIR = {"40001", "40P01"}


def _chave_trava(nome: str) -> int:
    """A chave (bigint) da trava consultiva de ``nome``: estável entre processos."""
    return int.from_bytes(hashlib.sha256(f"siops:{nome}".encode()).digest()[:8], "big", signed=True)


class Linha:
    """Uma linha de consulta que se lê como a ``sqlite3.Row``: ``r["coluna"]``, ``r[0]``,
    ``keys()``, ``dict(r)`` e ``tuple(r)`` (os valores)."""

    __slots__ = ("_indice", "_valores")

    def __init__(self, indice: dict[str, int], valores: Sequence[Any]) -> None:
        self._indice = indice
        self._valores = valores

    def __getitem__(self, chave: int | str) -> Any:
        if isinstance(chave, str):
            return self._valores[self._indice[chave]]
        return self._valores[chave]

    def keys(self) -> list[str]:
        return list(self._indice)

    def __iter__(self) -> Any:
        return iter(self._valores)

    def __len__(self) -> int:
        return len(self._valores)

    def __repr__(self) -> str:
        return f"Linha({dict(zip(self._indice, self._valores, strict=True))!r})"


def _fabrica_linhas(cursor: Any) -> Callable[[Sequence[Any]], Linha]:
    indice = {c.name: i for i, c in enumerate(cursor.description or ())}
    return functools.partial(Linha, indice)


def _com_nul(parametros: Sequence[Any]) -> bool:
    """Se algum parâmetro de texto tem o caractere NUL, que o PostgreSQL não guarda em texto
    (``%00`` numa URL): nenhuma linha pode ter esse valor, e a consulta responde "não há",
    como no SQLite — em vez de o ``DataError`` do PostgreSQL virar um erro interno."""
    return any(isinstance(p, str) and "\x00" in p for p in parametros)


@functools.lru_cache(maxsize=512)
def _sql(sql: str) -> str:
    """O SQL com marcadores ``?`` (o do SQLite) no formato do psycopg (``%s``)."""
    if "%" in sql:
        raise ValueError("o SQL do repositório não usa '%'")
    return sql.replace("?", "%s")


class _Conexao:
    """A conexão psycopg com a interface que ``repositorio_sql`` usa (``execute`` com ``?``)."""

    def __init__(self, con: psycopg.Connection[Any]) -> None:
        self._con = con

    def execute(self, sql: str, parametros: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self._con.execute(_sql(sql), parametros)

    def executemany(self, sql: str, seq: Sequence[Sequence[Any]]) -> psycopg.Cursor[Any]:
        cur = self._con.cursor()
        cur.executemany(_sql(sql), seq)
        return cur


def conectar(url: str, **kw: Any) -> psycopg.Connection[Any]:
    """Uma conexão avulsa (``autocommit``) com as linhas no formato do repositório."""
    return psycopg.connect(url, autocommit=True, row_factory=_fabrica_linhas, **kw)


class BancoPostgres:
    """O banco de ``RepositorioSQL`` sobre um *pool* de conexões (ver a docstring do módulo)."""

    def __init__(self, url: str, conexoes: int = 16, espera: float = 30.0) -> None:
        self.url = url
        self._pool: ConnectionPool[Any] = ConnectionPool(
            url,
            min_size=1,
            max_size=max(1, conexoes),
            kwargs={"autocommit": True, "row_factory": _fabrica_linhas},
            timeout=espera,
            name="siops",
            open=False,
        )
        self._pool.open(wait=True, timeout=espera)
        self._fechado = False
        self.repeticoes = 0  # transações repetidas por conflito (diagnóstico)
        self._trava = threading.Lock()

    def _conexao(self) -> Any:
        if self._fechado:
            raise Sobrecarregado("banco fechado")
        return self._pool.connection()

    def um(self, sql: str, parametros: tuple | list = ()) -> Linha | None:
        """A primeira linha de uma consulta (ou ``None``; ``None`` também para uma chave com
        NUL, ver ``_com_nul``)."""
        if _com_nul(parametros):
            return None
        try:
            with self._conexao() as con:
                return con.execute(_sql(sql), parametros).fetchone()
        except PoolTimeout:
            raise Sobrecarregado("sem conexão livre com o banco") from None

    def consultar(self, sql: str, parametros: tuple | list = ()) -> list[Linha]:
        """Todas as linhas de uma consulta (nenhuma para uma chave com NUL, ver ``_com_nul``)."""
        if _com_nul(parametros):
            return []
        try:
            with self._conexao() as con:
                return con.execute(_sql(sql), parametros).fetchall()
        except PoolTimeout:
            raise Sobrecarregado("sem conexão livre com o banco") from None

    def escrever(
        self, fn: Callable[[Any], T], espera: float = 60.0, exclusivo: str | None = None
    ) -> T:
        """Executa ``fn`` numa transação ``SERIALIZABLE`` e devolve o resultado depois do
        COMMIT (durável: ``synchronous_commit`` do servidor, ``on`` por padrão). Conflitos de
        serialização repetem ``fn`` inteira; as exceções de ``fn`` desfazem a transação e voltam
        a quem chamou.

        ``exclusivo`` nomeia uma fila: as escritas com o mesmo nome, em qualquer worker, rodam
        uma de cada vez (uma trava consultiva de sessão, ``pg_advisory_lock``, tomada ANTES do
        ``BEGIN`` — tomada dentro, o instantâneo do SERIALIZABLE já seria anterior ao COMMIT de
        quem a segurava, e o conflito voltaria). Serve às operações raras que leem e escrevem
        as mesmas páginas de índice em entes diferentes (os cadastros), que no SERIALIZABLE
        puro colidem por página e esgotam as repetições sob carga."""
        fim = time.monotonic() + espera
        chave = _chave_trava(exclusivo) if exclusivo else None
        for tentativa in range(1, TENTATIVAS + 1):
            try:
                with self._conexao() as con:
                    if chave is not None:
                        con.execute("SELECT pg_advisory_lock(%s)", (chave,))
                    try:
                        with con.transaction():
                            con.execute("SET TRANSACTION ISOLATION LEVEL SERIALIZABLE")
                            return fn(_Conexao(con))
                    finally:
                        if chave is not None and not con.closed:
                            con.execute("SELECT pg_advisory_unlock(%s)", (chave,))
            except PoolTimeout:
                raise Sobrecarregado("sem conexão livre com o banco") from None
            except psycopg.Error as exc:
                repetir = exc.sqlstate in _REPETIR or violacao_unica(exc)
                if not repetir:
                    raise
                if tentativa == TENTATIVAS or time.monotonic() > fim:
                    # contenção que não cede: 503 com Retry-After (o cliente repete), nunca um
                    # erro interno que derruba a conexão
                    raise Sobrecarregado(
                        "conflito de escrita no banco que não se resolveu nas tentativas"
                    ) from exc
                with self._trava:
                    self.repeticoes += 1
                # recuo aleatório e exponencial (até 0,2 s): quem colidiu não colide de novo
                time.sleep(random.uniform(0, min(0.2, 0.002 * 2 ** min(tentativa, 7))))
        raise AssertionError("inalcançável")

    def proximo_id(self, con: Any, tabela: str) -> int:
        """O próximo valor da identidade de ``tabela`` (fora da transação: não há disputa)."""
        r = con.execute(f"SELECT nextval(pg_get_serial_sequence('{tabela}', 'id'))").fetchone()
        return int(r[0])

    def verificar_integridade(self) -> str:
        """``"ok"`` se o banco responde e está na última revisão das migrações (a integridade
        física é do PostgreSQL: *checksums*, WAL, ``pg_amcheck`` do administrador)."""
        try:
            r = self.um("SELECT version_num FROM alembic_version")
        except psycopg.Error as exc:
            return f"banco inacessível: {exc}"
        if r is None or r[0] != migracoes.CABECA:
            return f"versão do esquema {r[0] if r else 'ausente'}, esperada {migracoes.CABECA}"
        return "ok"

    def fechar(self) -> None:
        """Fecha o *pool* (as conexões em uso terminam antes)."""
        if self._fechado:
            return
        self._fechado = True
        self._pool.close(timeout=10)


class RepositorioPostgres(RepositorioSQL):
    """``Repositorio`` sobre PostgreSQL (ver a docstring do módulo)."""

    def __init__(self, url: str, conexoes: int = 16) -> None:
        migracoes.migrar(url)
        self.banco = BancoPostgres(url, conexoes)


_LEITURA = threading.local()


def ler_digest_vigente(url: str, ente: str, exercicio: int, bimestre: int) -> str | None:
    """O digest da transmissão vigente de um período (processos de verificação), ou None."""
    con = getattr(_LEITURA, "con", None)
    if con is None or con.closed or getattr(_LEITURA, "url", None) != url:
        con = conectar(url)
        _LEITURA.con, _LEITURA.url = con, url
    try:
        linha = con.execute(
            "SELECT digest FROM transmissoes WHERE ente=%s AND exercicio=%s AND bimestre=%s "
            "AND situacao IN ('transmitido', 'homologado')",
            (ente, exercicio, bimestre),
        ).fetchone()
    except psycopg.OperationalError:  # conexão perdida (banco reiniciado): uma nova, uma vez
        _LEITURA.con = None
        return ler_digest_vigente(url, ente, exercicio, bimestre)
    return None if linha is None else str(linha["digest"])


def ler_referencia(url: str, ente: str, exercicio: int) -> list[dict]:
    """Os valores do FNS de um ente e exercício, por uma conexão própria desta thread (para
    os processos de verificação, que não têm o repositório)."""
    con = getattr(_LEITURA, "con", None)
    if con is None or con.closed or getattr(_LEITURA, "url", None) != url:
        con = conectar(url)
        _LEITURA.con, _LEITURA.url = con, url
    try:
        linhas = con.execute(
            "SELECT bimestre, item, valor FROM referencia_fns WHERE ente=%s AND exercicio=%s "
            "ORDER BY bimestre, item",
            (ente, exercicio),
        ).fetchall()
    except psycopg.OperationalError:  # conexão perdida (banco reiniciado): uma nova, uma vez
        _LEITURA.con = None
        return ler_referencia(url, ente, exercicio)
    return [dict(r) for r in linhas]
