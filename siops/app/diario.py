"""The autosave journal: every edit applied to an open declaration, one JSON line each.

Why a journal and not periodic full saves: an edit is a small command value (STYLE habit 2), so
appending it costs microseconds and loses nothing between two timer ticks; and the user's
``.OPS`` file is only ever written when the user asks (Salvar), never behind their back.

Layout: one file per open declaration in ``<pasta_dados>/diarios/``, named by a key of the
declaration's real path; the first line is a header (the declaration's path, ente, period, the
SHA-256 of the file as it was on disk, the process id — for information only); every following
line is a command applied to the declaration in order — an undo is journalled as the inverse
command it applies. Replaying the lines over the file named in the header gives back the state
at the moment of a crash. After Salvar the journal keeps only the edits typed while the save
ran (none: it is removed); after "Salvar como" those go to the new name's journal, written
before the old one is removed; on a clean close it is deleted.

Ownership (issue 17, item 6): the window that has a declaration open holds an operating-system
lock on ``<chave>.trava`` next to the journal for as long as it is open (``Trava``). A second
window asking for the same file — by any path that leads to it — is refused
(``DeclaracaoEmUso``), so two editors never share one journal. A journal whose lock nobody
holds, with at least one edit, is *pending*: its program died (the kernel drops the lock with
the process, whatever its PID becomes later), and the next start offers to recover it.

Each line is flushed to the operating system at once (it survives a SIGKILL of the program);
``sincronizar`` adds an ``fsync`` (a power cut) and is called on a timer by the window.
"""

from __future__ import annotations

import itertools
import json
import os
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from siops.forms.declaracao import (
    Comando,
    DefinirCelula,
    DefinirLancamento,
    DefinirTexto,
    IncluirLinha,
    Lote,
    RemoverLinha,
    SubstituirRazao,
)
from siops.forms.razao import ChaveComplementar, ChaveDespesa, ChaveRazao, ChaveReceita

VERSAO = 1

#: A journal position: (the journal object's serial number, commands journalled before it).
Marca = tuple[int, int]
_SERIES = itertools.count(1)


class DiarioInvalido(ValueError):
    """A journal that cannot be read back (message in Portuguese)."""


# --- commands <-> JSON ------------------------------------------------------------------------


def _linha(k: ChaveRazao) -> list[str]:
    """A ledger line's key as a list: ["d", planilha, subfunção, natureza], ["r", natureza,
    fonte] or ["c", natureza, campo, linha, coluna]."""
    if isinstance(k, ChaveDespesa):
        return ["d", k.planilha, k.subfuncao, k.natureza]
    if isinstance(k, ChaveReceita):
        return ["r", k.natureza, k.fonte]
    return ["c", k.natureza, k.campo, k.linha, k.coluna]


def _chave_linha(x: list[Any]) -> ChaveRazao:
    tipo, *resto = (str(y) for y in x)
    if tipo == "d":
        p, s, n = resto
        return ChaveDespesa(p, s, n)
    if tipo == "r":
        n, f = resto
        return ChaveReceita(n, f)
    if tipo == "c":
        n, campo, linha, coluna = resto
        return ChaveComplementar(n, campo, linha, coluna)
    raise ValueError(tipo)


def _valores(v: tuple[tuple[str, Decimal], ...]) -> list[list[str]]:
    return [[c, str(x)] for c, x in v]


def _de_valores(x: list[Any]) -> tuple[tuple[str, Decimal], ...]:
    return tuple((str(c), Decimal(v)) for c, v in x)


def serializar(c: Comando) -> dict[str, Any]:
    """A command as a JSON-able dict."""
    if isinstance(c, DefinirCelula):
        return {"celula": list(c.chave), "valor": str(c.valor), "d": c.descricao}
    if isinstance(c, DefinirTexto):
        return {"campo": c.campo, "texto": c.valor, "d": c.descricao}
    if isinstance(c, Lote):
        return {"lote": [serializar(x) for x in c.comandos], "d": c.descricao}
    if isinstance(c, DefinirLancamento):
        return {
            "lancamento": _linha(c.chave),
            "coluna": c.coluna,
            "valor": str(c.valor),
            "d": c.descricao,
        }
    if isinstance(c, IncluirLinha):
        return {"incluir": _linha(c.chave), "valores": _valores(c.valores), "d": c.descricao}
    if isinstance(c, RemoverLinha):
        return {"remover": _linha(c.chave), "d": c.descricao}
    if isinstance(c, SubstituirRazao):
        return {
            "razao": [[_linha(k), _valores(v)] for k, v in c.despesas],
            "d": c.descricao,
        }
    raise TypeError(f"comando desconhecido: {c!r}")


def desserializar(x: dict[str, Any]) -> Comando:
    """The inverse of ``serializar``; raises ``DiarioInvalido``."""
    try:
        if "celula" in x:
            t, linha, col = x["celula"]
            return DefinirCelula((str(t), str(linha), str(col)), Decimal(x["valor"]), x["d"])
        if "campo" in x:
            return DefinirTexto(str(x["campo"]), str(x["texto"]), x["d"])
        if "lote" in x:
            return Lote(tuple(desserializar(y) for y in x["lote"]), x["d"])
        if "lancamento" in x:
            return DefinirLancamento(
                _chave_linha(x["lancamento"]), str(x["coluna"]), Decimal(x["valor"]), x["d"]
            )
        if "incluir" in x:
            return IncluirLinha(_chave_linha(x["incluir"]), _de_valores(x["valores"]), x["d"])
        if "remover" in x:
            return RemoverLinha(_chave_linha(x["remover"]), x["d"])
        if "razao" in x:
            return SubstituirRazao(
                tuple((_chave_linha(k), _de_valores(v)) for k, v in x["razao"]), x["d"]
            )
    except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
        raise DiarioInvalido("Registro de edição ilegível no diário.") from exc
    raise DiarioInvalido("Registro de edição desconhecido no diário.")


# --- helpers ----------------------------------------------------------------------------------


def pasta_diarios() -> Path:
    """Where journals live (inside the client's data folder)."""
    from siops.app.preferencias import pasta_dados

    p = pasta_dados() / "diarios"
    p.mkdir(parents=True, exist_ok=True)
    return p


def resumo_arquivo(caminho: Path) -> str | None:
    """SHA-256 of a file's bytes, or None when it does not exist."""
    import hashlib

    try:
        return hashlib.sha256(Path(caminho).read_bytes()).hexdigest()
    except OSError:
        return None


def chave(caminho: Path) -> str:
    """The journal's and the lock's key: the declaration's real path (links and ``..`` resolved;
    case folded where the file system ignores case, as on Windows), hashed."""
    import hashlib

    real = os.path.normcase(str(Path(caminho).resolve()))
    return hashlib.sha256(real.encode("utf-8")).hexdigest()[:20]


def _nome_diario(caminho: Path) -> str:
    return chave(caminho) + ".diario"


# --- the lock of an open declaration ----------------------------------------------------------


class DeclaracaoEmUso(RuntimeError):
    """The declaration is open in another window of the program (message in Portuguese)."""

    def __init__(self, arquivo: Path) -> None:
        super().__init__(
            f"A declaração {Path(arquivo).name} já está aberta em outra janela do programa. "
            "Continue o trabalho naquela janela, ou feche-a lá antes de abri-la aqui: duas "
            "janelas editando o mesmo arquivo perderiam as alterações uma da outra."
        )
        self.arquivo = Path(arquivo)


def _travar(fd: int) -> bool:
    """Take the advisory lock of an open lock file without waiting; False when it is held."""
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as exc:  # a file system without locks: refusing to edit would be worse
        import errno

        if exc.errno in (errno.ENOLCK, errno.EOPNOTSUPP, errno.ENOSYS):
            return True
        raise
    return True


class Trava:
    """The operating system's advisory lock on ``<chave>.trava`` in the journals' folder, held
    by the one window that has the declaration open, for as long as it is open.

    Why a lock and not the PID in the journal's header: the kernel drops the lock when its
    process dies, however it dies (SIGKILL, power cut, reboot), and nothing else can hold it,
    while a PID is reused (after a reboot, in a fresh PID namespace) by an unrelated process —
    or by this very program. So: a journal whose lock nobody holds was left by a dead program
    and is offered for recovery; a journal whose lock is held belongs to a live window and is
    never offered, overwritten nor deleted by anyone else.

    ``fcntl.flock`` on POSIX and ``msvcrt.locking`` on Windows are both per open file (not per
    process): a second window of the same process is refused as well. The lock file is removed
    when released; whoever locks checks afterwards that the file locked is still the one under
    the name (a releaser may have removed it in between), else tries again.
    """

    def __init__(self, caminho: Path, fd: int) -> None:
        self.caminho = caminho
        self._fd: int | None = fd
        self._pid = os.getpid()  # a forked child never removes its parent's lock file

    @classmethod
    def tentar(cls, caminho_trava: Path) -> Trava | None:
        """Take the lock file ``caminho_trava``; None when a live window holds it."""
        caminho_trava.parent.mkdir(parents=True, exist_ok=True)
        for _ in range(20):
            fd = os.open(caminho_trava, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o600)
            try:
                if not _travar(fd):
                    os.close(fd)
                    return None
                if sys.platform == "win32":  # pragma: no cover - no removal while open there
                    return cls(caminho_trava, fd)
                try:
                    mesmo = os.path.samestat(os.fstat(fd), os.stat(caminho_trava))
                except FileNotFoundError:
                    mesmo = False
            except BaseException:
                os.close(fd)
                raise
            if mesmo:
                return cls(caminho_trava, fd)
            os.close(fd)  # removed by the previous owner while we waited: the new file
        raise OSError(f"Não foi possível travar {caminho_trava}.")

    @classmethod
    def de(cls, arquivo: Path) -> Trava | None:
        """The lock of a declaration (None when another window holds it).

        Tried for a moment before giving up: another program's ``pendentes`` holds each lock
        it looks at for a few milliseconds."""
        caminho = pasta_diarios() / (chave(arquivo) + ".trava")
        for tentativa in range(5):
            if tentativa:
                time.sleep(0.04)
            t = cls.tentar(caminho)
            if t is not None:
                return t
        return None

    @classmethod
    def adquirir(cls, arquivo: Path) -> Trava:
        """The lock of a declaration; raises ``DeclaracaoEmUso`` when another window has it."""
        t = cls.de(arquivo)
        if t is None:
            raise DeclaracaoEmUso(arquivo)
        return t

    @property
    def ativa(self) -> bool:
        return self._fd is not None

    def soltar(self) -> None:
        """Release the lock and remove its file (idempotent)."""
        fd, self._fd = self._fd, None
        if fd is None:
            return
        if os.getpid() != self._pid:  # pragma: no cover - a fork that did not exec
            os.close(fd)
            return
        if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
            import msvcrt

            try:
                os.lseek(fd, 0, os.SEEK_SET)
                msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
            except OSError:
                pass
            os.close(fd)
            try:  # fails while another window has it open: that one owns it now
                self.caminho.unlink()
            except OSError:
                pass
            return
        # POSIX: remove the name while still holding the lock, so nobody can lock the old file
        # after it is gone from the folder (see ``tentar``).
        try:
            self.caminho.unlink()
        except OSError:
            pass
        os.close(fd)

    def __del__(self) -> None:  # a forgotten lock is released with the object, not at exit
        try:
            self.soltar()
        except Exception:
            pass


# --- the journal of an open document ----------------------------------------------------------


class Diario:
    """The journal of one open declaration (see module docstring).

    It owns the declaration's ``Trava`` (taken here unless given): creating a ``Diario`` for a
    file another window has open raises ``DeclaracaoEmUso``.

    Positions (``marca``) count every command journalled since this object was created; the
    commands not yet known to be in the file are kept in memory too (they are few: the journal
    restarts at each save), so that after a save the journal can be rewritten with exactly the
    commands typed while the save ran (``salvo``), for this file or a new name.
    """

    def __init__(
        self,
        arquivo: Path,
        ente: str,
        exercicio: int,
        bimestre: int,
        trava: Trava | None = None,
    ) -> None:
        self.arquivo = Path(arquivo).resolve()
        self.ente = ente
        self.exercicio = exercicio
        self.bimestre = bimestre
        self.caminho = pasta_diarios() / _nome_diario(self.arquivo)
        self.trava = trava if trava is not None else Trava.adquirir(self.arquivo)
        self.edicoes = 0
        self._fh: Any = None
        self._sujo = False
        self._registros: list[str] = []  # journalled lines not yet known to be in the file
        self._total = 0  # commands journalled since creation (absolute positions)
        self._serie = next(_SERIES)  # a mark of another journal object is not ours

    def _cabecalho(self) -> str:
        cab = {
            "versao": VERSAO,
            "arquivo": str(self.arquivo),
            "ente": self.ente,
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "base": resumo_arquivo(self.arquivo),
            "pid": os.getpid(),  # informative only: the lock says whether the owner lives
            "inicio": time.time(),
        }
        return json.dumps(cab, ensure_ascii=False) + "\n"

    def _escrever(self, registros: list[str]) -> None:
        """Replace the journal, atomically, by a header over the file as it is now on disk and
        ``registros``; the following lines are appended to it."""
        self.fechar()
        tmp = self.caminho.with_suffix(".tmp")
        with open(tmp, "w", encoding="utf-8") as fh:
            fh.write(self._cabecalho() + "".join(registros))
            fh.flush()
            if registros:  # edits that exist nowhere else: durable before the old one goes
                os.fsync(fh.fileno())
        os.replace(tmp, self.caminho)
        self._fh = open(self.caminho, "a", encoding="utf-8")
        self._registros = list(registros)
        self.edicoes = len(registros)

    def retomar(self, registros: list[str]) -> None:
        """Start this journal with lines taken from another one (``restantes``): the edits a
        "Salvar como" did not write, over the new file."""
        self._escrever(list(registros))
        self._total = len(registros)

    def iniciar(self) -> None:
        """(Re)start the journal over the file as it is now on disk: header only."""
        self._escrever([])

    def marca(self) -> Marca:
        """The position after the last command journalled (see ``salvo``)."""
        return (self._serie, self._total)

    def registrar(self, comando: Comando) -> None:
        """Append one applied command and hand it to the OS (survives a SIGKILL).

        The journal file is created at the first edit (opening a file writes nothing)."""
        linha = json.dumps(serializar(comando), ensure_ascii=False) + "\n"
        self._total += 1
        if self._fh is None:
            try:
                self._escrever(self._registros)  # header (and lines a failed write kept)
            except OSError:
                self._registros.append(linha)
                return
        self._registros.append(linha)
        try:
            self._fh.write(linha)
            self._fh.flush()
            self.edicoes += 1
            self._sujo = True
        except OSError:  # a full disk must not stop the typing; the file save will say it
            pass

    def sincronizar(self) -> None:
        """fsync pending lines (called on a timer, not per edit)."""
        if self._fh is not None and self._sujo:
            try:
                os.fsync(self._fh.fileno())
            except OSError:
                pass
            self._sujo = False

    def restantes(self, marca: Marca | None) -> list[str]:
        """The journalled lines after ``marca`` (all of them when it is unknown or belongs to
        another journal object)."""
        if marca is None or marca[0] != self._serie:
            return list(self._registros)
        inicio = self._total - len(self._registros)
        return self._registros[max(0, marca[1] - inicio) :]

    def salvo(self, marca: Marca | None) -> None:
        """The file now holds the state at ``marca``: the journal keeps only what came after,
        over the file as it is now (nothing left: the journal is removed, and the next edit
        starts a new one).

        With ``marca`` unknown every line is kept: the commands set absolute values, so the
        whole journal replayed over the newer file still gives the current state."""
        resto = self.restantes(marca)
        if not resto:
            self.descartar()
            return
        try:
            self._escrever(resto)
        except OSError:  # the old journal stays: replayed over the new file, still right
            pass

    def reiniciar(self) -> None:
        """After a save: the edits so far are in the file; the next edit starts a new journal."""
        self.descartar()

    def fechar(self) -> None:
        """Close the journal's file handle (the lock stays)."""
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None

    def descartar(self) -> None:
        """Close and delete the journal (its edits are saved, or the user declined them); the
        declaration stays locked by this window."""
        self.fechar()
        self._registros = []
        self.edicoes = 0
        try:
            self.caminho.unlink()
        except OSError:
            pass

    def encerrar(self) -> None:
        """The declaration is closed on purpose: delete the journal and release the lock."""
        self.descartar()
        self.trava.soltar()


# --- pending journals at start-up -------------------------------------------------------------


@dataclass(frozen=True)
class DiarioPendente:
    """A journal left by a program that did not close normally."""

    caminho: Path
    arquivo: Path
    ente: str
    exercicio: int
    bimestre: int
    base: str | None
    comandos: tuple[Comando, ...]
    quando: float

    @property
    def edicoes(self) -> int:
        return len(self.comandos)

    def arquivo_mudou(self) -> bool:
        """Whether the file on disk is no longer the one the edits were made over."""
        return resumo_arquivo(self.arquivo) != self.base

    def descartar(self) -> bool:
        """Delete the journal (the user declined it) — unless a window has taken the
        declaration since (its own journal has the same name): False then."""
        trava = Trava.tentar(self.caminho.with_suffix(".trava"))
        if trava is None:
            return False
        try:
            self.caminho.unlink(missing_ok=True)
        except OSError:
            pass
        finally:
            trava.soltar()
        return True


def ler_diario(caminho: Path) -> DiarioPendente:
    """Read a journal file; a torn last line (killed mid-write) is ignored."""
    try:
        linhas = Path(caminho).read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise DiarioInvalido(f"Não foi possível ler o diário {caminho}.") from exc
    if not linhas:
        raise DiarioInvalido("Diário vazio.")
    try:
        cab = json.loads(linhas[0])
        if cab.get("versao") != VERSAO:
            raise DiarioInvalido("Diário de outra versão do programa.")
        comandos = []
        for i, texto in enumerate(linhas[1:], start=2):
            try:
                registro = json.loads(texto)
            except ValueError:
                if i == len(linhas):
                    break  # the write was cut by the crash
                raise
            comandos.append(desserializar(registro))
        return DiarioPendente(
            caminho=Path(caminho),
            arquivo=Path(cab["arquivo"]),
            ente=str(cab["ente"]),
            exercicio=int(cab["exercicio"]),
            bimestre=int(cab["bimestre"]),
            base=cab.get("base"),
            comandos=tuple(comandos),
            quando=Path(caminho).stat().st_mtime,
        )
    except (KeyError, TypeError, ValueError) as exc:
        raise DiarioInvalido(f"Diário ilegível: {caminho}.") from exc


def pendentes() -> list[DiarioPendente]:
    """Journals left by programs no longer running that hold at least one edit (newest first).

    "No longer running" is "nobody holds its lock" (see ``Trava``), whatever PID the header
    names. Empty or unreadable leftovers are removed on the way.
    """
    out = []
    for p in sorted(pasta_diarios().glob("*.diario")):
        trava = Trava.tentar(p.with_suffix(".trava"))
        if trava is None:
            continue  # another open window is using it
        try:
            try:
                pend = ler_diario(p)
            except DiarioInvalido:
                p.unlink(missing_ok=True)
                continue
            if not pend.comandos:
                p.unlink(missing_ok=True)
                continue
            out.append(pend)
        finally:
            trava.soltar()
    for p in pasta_diarios().glob("*.trava"):  # left by a program killed before any edit
        if not p.with_suffix(".diario").exists():
            trava = Trava.tentar(p)
            if trava is not None:
                trava.soltar()
    return sorted(out, key=lambda x: x.quando, reverse=True)
