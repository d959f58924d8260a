"""The autosave journal: every edit applied to an open declaration, one JSON line each.

Why a journal and not periodic full saves: an edit is a small command value (STYLE habit 2), so
appending it costs microseconds and loses nothing between two timer ticks; and the user's
``.OPS`` file is only ever written when the user asks (Salvar), never behind their back.

Layout: one file per open declaration in ``<pasta_dados>/diarios/``; the first line is a header
(the declaration's path, ente, period, the SHA-256 of the file as it was on disk, the process
id); every following line is a command applied to the declaration in order — an undo is
journalled as the inverse command it applies. Replaying the lines over the file named in the
header gives back the state at the moment of a crash. After Salvar the journal restarts; on a
clean close it is deleted. A journal left by a process that is no longer running, with at least
one edit, is *pending*: the next start offers to recover it.

Each line is flushed to the operating system at once (it survives a SIGKILL of the program);
``sincronizar`` adds an ``fsync`` (a power cut) and is called on a timer by the window.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from siops.forms.declaracao import Comando, DefinirCelula, DefinirTexto, Lote

VERSAO = 1


class DiarioInvalido(ValueError):
    """A journal that cannot be read back (message in Portuguese)."""


# --- commands <-> JSON ------------------------------------------------------------------------


def serializar(c: Comando) -> dict[str, Any]:
    """A command as a JSON-able dict."""
    if isinstance(c, DefinirCelula):
        return {"celula": list(c.chave), "valor": str(c.valor), "d": c.descricao}
    if isinstance(c, DefinirTexto):
        return {"campo": c.campo, "texto": c.valor, "d": c.descricao}
    if isinstance(c, Lote):
        return {"lote": [serializar(x) for x in c.comandos], "d": c.descricao}
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


def _nome_diario(caminho: Path) -> str:
    import hashlib

    chave = str(Path(caminho).resolve()).encode("utf-8")
    return hashlib.sha256(chave).hexdigest()[:20] + ".diario"


def processo_vivo(pid: int) -> bool:
    """Whether a process id is running (never signals it: ``os.kill(pid, 0)`` kills on
    Windows, so Windows asks the kernel through ``OpenProcess``)."""
    if pid <= 0:
        return False
    if pid == os.getpid():
        return True
    if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
        import ctypes

        kernel32 = ctypes.windll.kernel32
        h = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
        if not h:
            return False
        codigo = ctypes.c_ulong()
        kernel32.GetExitCodeProcess(h, ctypes.byref(codigo))
        kernel32.CloseHandle(h)
        return codigo.value == 259  # STILL_ACTIVE
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the journal of an open document ----------------------------------------------------------


class Diario:
    """The journal of one open declaration (see module docstring)."""

    def __init__(self, arquivo: Path, ente: str, exercicio: int, bimestre: int) -> None:
        self.arquivo = Path(arquivo).resolve()
        self.ente = ente
        self.exercicio = exercicio
        self.bimestre = bimestre
        self.caminho = pasta_diarios() / _nome_diario(self.arquivo)
        self.edicoes = 0
        self._fh: Any = None
        self._sujo = False

    def iniciar(self) -> None:
        """(Re)start the journal over the file as it is now on disk: header only."""
        self.fechar()
        cabecalho = {
            "versao": VERSAO,
            "arquivo": str(self.arquivo),
            "ente": self.ente,
            "exercicio": self.exercicio,
            "bimestre": self.bimestre,
            "base": resumo_arquivo(self.arquivo),
            "pid": os.getpid(),
            "inicio": time.time(),
        }
        tmp = self.caminho.with_suffix(".tmp")
        tmp.write_text(json.dumps(cabecalho, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, self.caminho)
        self._fh = open(self.caminho, "a", encoding="utf-8")
        self.edicoes = 0

    def registrar(self, comando: Comando) -> None:
        """Append one applied command and hand it to the OS (survives a SIGKILL).

        The journal file is created at the first edit (opening a file writes nothing)."""
        if self._fh is None:
            try:
                self.iniciar()
            except OSError:
                return
        try:
            self._fh.write(json.dumps(serializar(comando), ensure_ascii=False) + "\n")
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

    def reiniciar(self) -> None:
        """After a save: the edits so far are in the file; the next edit starts a new journal."""
        self.descartar()

    def fechar(self) -> None:
        if self._fh is not None:
            try:
                self._fh.close()
            except OSError:
                pass
            self._fh = None

    def descartar(self) -> None:
        """Close and delete (clean close, or the user declined recovery)."""
        self.fechar()
        try:
            self.caminho.unlink()
        except OSError:
            pass


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

    def descartar(self) -> None:
        try:
            self.caminho.unlink()
        except OSError:
            pass


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


def _pid(caminho: Path) -> int:
    try:
        with open(caminho, encoding="utf-8") as fh:
            return int(json.loads(fh.readline()).get("pid", 0))
    except (OSError, ValueError, TypeError, AttributeError):
        return 0


def pendentes() -> list[DiarioPendente]:
    """Journals of programs no longer running that hold at least one edit (newest first).

    Empty or unreadable leftovers are removed on the way.
    """
    out = []
    for p in sorted(pasta_diarios().glob("*.diario")):
        if processo_vivo(_pid(p)):
            continue  # another open window is using it
        try:
            pend = ler_diario(p)
        except DiarioInvalido:
            p.unlink(missing_ok=True)
            continue
        if not pend.comandos:
            p.unlink(missing_ok=True)
            continue
        out.append(pend)
    return sorted(out, key=lambda x: x.quando, reverse=True)
