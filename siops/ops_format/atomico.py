"""Atomic file writes (STYLE habit 4, after Electrum's ``storage.py::write``).

The new content goes to a temporary file in the destination's own folder (so ``os.replace``
never crosses a file system), is flushed and ``fsync``-ed, and then replaces the destination in
one step; the folder is ``fsync``-ed so the rename itself survives a power cut. Killed at any
point, the process leaves either the old file or the new one under the destination name, never
a mixture. The previous version, when asked, is kept as ``<nome>.bak``: it is hard-linked (or,
where links are not supported, copied) *before* the replace, so the destination name is never
missing either.

New files are created with mode 0600 (the file holds CPFs and names: LGPD); an existing file's
mode is kept.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path

from siops.ops_format.erros import ErroGravacao


def caminho_backup(destino: Path) -> Path:
    """``M355480_2013_PrimeiroBimestre.OPS`` → ``M355480_2013_PrimeiroBimestre.OPS.bak``."""
    return destino.with_name(destino.name + ".bak")


def gravar_atomico(dados: bytes, destino: Path, backup: bool = False) -> None:
    """Write ``dados`` to ``destino`` atomically (see module docstring).

    Raises ``ErroGravacao`` with a Portuguese message; the destination is then untouched.
    """
    destino = Path(destino)
    pasta = destino.parent
    try:
        pasta.mkdir(parents=True, exist_ok=True)
        if destino.is_dir():
            raise IsADirectoryError(errno.EISDIR, "é uma pasta", str(destino))
        fd, nome_tmp = tempfile.mkstemp(prefix=f".{destino.name}.", suffix=".tmp", dir=pasta)
    except OSError as exc:
        raise ErroGravacao(_mensagem(destino, exc)) from exc
    tmp = Path(nome_tmp)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(dados)
            f.flush()
            os.fsync(f.fileno())
        with contextlib.suppress(FileNotFoundError):
            os.chmod(tmp, stat.S_IMODE(os.stat(destino).st_mode))
        if backup and destino.is_file():
            _guardar_backup(destino)
        os.replace(tmp, destino)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise ErroGravacao(_mensagem(destino, exc)) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    sincronizar_pasta(pasta)


def _guardar_backup(destino: Path) -> None:
    """Make ``<nome>.bak`` the current content of ``destino``, atomically too."""
    bak = caminho_backup(destino)
    fd, nome_tmp = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=destino.parent)
    os.close(fd)
    tmp = Path(nome_tmp)
    try:
        tmp.unlink()
        try:
            os.link(destino, tmp)
        except OSError:  # FAT, some network shares: copy instead
            shutil.copyfile(destino, tmp)
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
        os.replace(tmp, bak)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def sincronizar_pasta(pasta: Path) -> None:
    """``fsync`` a folder so a rename in it is durable (a no-op where folders can't be opened)."""
    if os.name == "nt":  # pragma: no cover - NTFS commits renames with the metadata journal
        return
    try:
        fd = os.open(pasta, os.O_RDONLY)
    except OSError:  # pragma: no cover
        return
    try:
        os.fsync(fd)
    except OSError:  # pragma: no cover - some file systems refuse fsync on folders
        pass
    finally:
        os.close(fd)


def _mensagem(destino: Path, exc: OSError) -> str:
    motivos = {
        errno.ENOSPC: "o disco está cheio",
        errno.EDQUOT: "a cota de disco acabou",
        errno.EACCES: f"não há permissão para gravar na pasta {destino.parent}",
        errno.EPERM: f"não há permissão para gravar na pasta {destino.parent}",
        errno.EROFS: "o disco é somente leitura",
        errno.EISDIR: f"já existe uma pasta chamada {destino.name}",
        errno.ENOTDIR: f"o caminho {destino.parent} não é uma pasta",
        errno.ENAMETOOLONG: "o nome do arquivo é longo demais",
    }
    motivo = motivos.get(exc.errno or 0, f"erro {exc.errno} do sistema")
    return f"Não foi possível salvar {destino.name}: {motivo}; o arquivo anterior foi mantido."
