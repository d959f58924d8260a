"""Arquivos recebidos, endereçados pelo SHA-256 do conteúdo, gravados de forma atômica.

``guardar`` escreve num temporário da mesma pasta, faz ``fsync``, renomeia (``os.replace``) e
faz ``fsync`` da pasta: só depois disso o banco registra o arquivo, de modo que um SIGKILL em
qualquer ponto deixa, no pior caso, um arquivo sem registro (inofensivo: a próxima
transmissão do mesmo conteúdo o reaproveita), nunca um registro sem arquivo.
"""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

_HEX64 = re.compile(r"[0-9a-f]{64}")


def sha256(dados: bytes) -> str:
    """O SHA-256 em hexadecimal minúsculo."""
    return hashlib.sha256(dados).hexdigest()


class Armazem:
    """Arquivos por digest em ``raiz/ab/cd/<digest><extensao>``."""

    def __init__(self, raiz: Path) -> None:
        self.raiz = Path(raiz)
        self.raiz.mkdir(parents=True, exist_ok=True)

    def caminho(self, digest: str, extensao: str = ".xml") -> Path:
        """Onde fica (ou ficaria) o arquivo com esse digest."""
        if not _HEX64.fullmatch(digest):
            raise ValueError(f"digest inválido: {digest!r}")
        return self.raiz / digest[:2] / digest[2:4] / f"{digest}{extensao}"

    def existe(self, digest: str, extensao: str = ".xml") -> bool:
        """Se o arquivo está guardado."""
        return self.caminho(digest, extensao).exists()

    def guardar(self, dados: bytes, extensao: str = ".xml") -> str:
        """Grava ``dados`` (se ainda não estiverem) e devolve o digest; durável ao retornar."""
        digest = sha256(dados)
        destino = self.caminho(digest, extensao)
        if destino.exists() and destino.stat().st_size == len(dados):
            return digest
        pasta = destino.parent
        if not pasta.exists():
            pasta.mkdir(parents=True, exist_ok=True)
            # As entradas novas de pasta também precisam chegar ao disco.
            _fsync_pasta(pasta.parent)
            _fsync_pasta(self.raiz)
        fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=pasta)
        try:
            with os.fdopen(fd, "wb") as f:
                f.write(dados)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, destino)
        except BaseException:
            try:
                os.unlink(tmp)
            except FileNotFoundError:
                pass
            raise
        _fsync_pasta(pasta)
        return digest

    def ler(self, digest: str, extensao: str = ".xml") -> bytes:
        """O conteúdo guardado (``FileNotFoundError`` se não há)."""
        return self.caminho(digest, extensao).read_bytes()

    def todos(self, extensao: str = ".xml") -> Iterator[str]:
        """Os digests guardados com essa extensão."""
        for arq in self.raiz.glob(f"*/*/*{extensao}"):
            nome = arq.name[: -len(extensao)]
            if _HEX64.fullmatch(nome):
                yield nome

    def limpar_temporarios(self) -> int:
        """Remove temporários deixados por uma parada brusca; devolve quantos."""
        n = 0
        for tmp in self.raiz.glob("*/*/.tmp-*"):
            tmp.unlink(missing_ok=True)
            n += 1
        return n


def _fsync_pasta(pasta: Path) -> None:
    fd = os.open(pasta, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
