"""A fila de transmissões que não chegaram ao servidor (falta de rede, servidor fora do ar).

Uma transmissão vai para a fila **já assinada**: reenviar não pede PIN de novo e manda
exatamente os mesmos bytes, com a mesma chave de idempotência — o servidor devolve o mesmo
protocolo se a primeira tentativa tiver chegado sem que soubéssemos. A fila é um JSON pequeno
(``fila.json``) e uma cópia de cada corpo (``<sha256>.xml``) numa pasta de dados do usuário;
as gravações são atômicas, e um bloqueio de arquivo evita que a janela e a linha de comando
a alterem ao mesmo tempo.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import re
import sys
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path

from siops.transmissor.recibos import gravar_atomico

_HEX64 = re.compile(r"[0-9a-f]{64}")


@dataclass
class ItemFila:
    """Uma transmissão esperando rede."""

    digest: str
    arquivo: str  # a cópia .OPS em transm/
    servidor: str
    cpf: str
    criado_em: str
    tentativas: int = 0
    ultimo_erro: str = ""
    ultima_tentativa: str = ""
    arquivo_sha256: str = ""  # o .OPS que foi assinado (para saber se mudou depois)


def _agora() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


class FilaOffline:
    """A fila numa pasta (``pasta/fila.json`` e ``pasta/<digest>.xml``)."""

    def __init__(self, pasta: str | os.PathLike[str]) -> None:
        self.pasta = Path(pasta)

    @property
    def _indice(self) -> Path:
        return self.pasta / "fila.json"

    @contextlib.contextmanager
    def _travada(self) -> Iterator[None]:
        self.pasta.mkdir(parents=True, exist_ok=True)
        with open(self.pasta / ".trava", "a+b") as f:
            if sys.platform == "win32":  # msvcrt trava por região
                import msvcrt

                f.seek(0)
                msvcrt.locking(f.fileno(), msvcrt.LK_LOCK, 1)
            else:
                import fcntl

                fcntl.flock(f.fileno(), fcntl.LOCK_EX)
            yield

    def _ler(self) -> list[ItemFila]:
        try:
            dados = json.loads(self._indice.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return []
        itens = []
        for d in dados if isinstance(dados, list) else []:
            try:
                item = ItemFila(**d)
            except TypeError:
                continue
            # The digest names a file of the queue: only a SHA-256 in hex is accepted, so an
            # altered fila.json cannot point outside the folder ("../../Documentos/x").
            if isinstance(item.digest, str) and _HEX64.fullmatch(item.digest):
                itens.append(item)
        return itens

    def _gravar(self, itens: list[ItemFila]) -> None:
        texto = json.dumps([asdict(i) for i in itens], ensure_ascii=False, indent=2)
        gravar_atomico(self._indice, texto.encode("utf-8"))

    def corpo(self, item: ItemFila) -> bytes:
        """Os bytes assinados guardados para o item (conferidos pelo SHA-256 do item)."""
        if not _HEX64.fullmatch(item.digest):
            raise OSError(f"Item da fila com identificação inválida: {item.digest!r}.")
        dados = (self.pasta / f"{item.digest}.xml").read_bytes()
        if hashlib.sha256(dados).hexdigest() != item.digest:
            raise OSError("A cópia guardada na fila foi alterada; gere de novo a transmissão.")
        return dados

    def itens(self, servidor: str | None = None) -> list[ItemFila]:
        """Os itens na fila (de um servidor, se dado), do mais antigo ao mais novo."""
        with self._travada():
            return [i for i in self._ler() if servidor is None or i.servidor == servidor]

    def contem(self, arquivo: str | os.PathLike[str]) -> ItemFila | None:
        """O item da cópia ``arquivo``, se ela está na fila."""
        alvo = str(Path(arquivo).resolve())
        return next((i for i in self.itens() if i.arquivo == alvo), None)

    def adicionar(
        self,
        assinado: bytes,
        arquivo: str | os.PathLike[str],
        servidor: str,
        cpf: str,
        erro: str = "",
        arquivo_sha256: str = "",
    ) -> ItemFila:
        """Põe (ou atualiza) a transmissão na fila; uma nova versão do mesmo arquivo substitui a antiga."""
        digest = hashlib.sha256(assinado).hexdigest()
        alvo = str(Path(arquivo).resolve())
        with self._travada():
            itens = self._ler()
            antigos = [i for i in itens if i.arquivo == alvo and i.digest != digest]
            for i in antigos:
                (self.pasta / f"{i.digest}.xml").unlink(missing_ok=True)
            itens = [i for i in itens if i.arquivo != alvo or i.digest == digest]
            existente = next((i for i in itens if i.digest == digest), None)
            gravar_atomico(self.pasta / f"{digest}.xml", assinado)
            if existente is None:
                existente = ItemFila(
                    digest, alvo, servidor, cpf, _agora(), arquivo_sha256=arquivo_sha256
                )
                itens.append(existente)
            existente.tentativas += 1
            existente.ultimo_erro = erro
            existente.ultima_tentativa = _agora()
            self._gravar(itens)
            return existente

    def anotar_falha(self, digest: str, erro: str) -> None:
        """Registra mais uma tentativa sem sucesso."""
        with self._travada():
            itens = self._ler()
            for i in itens:
                if i.digest == digest:
                    i.tentativas += 1
                    i.ultimo_erro = erro
                    i.ultima_tentativa = _agora()
            self._gravar(itens)

    def remover(self, digest: str) -> None:
        """Tira o item da fila (enviado, ou recusado pelo servidor)."""
        with self._travada():
            itens = [i for i in self._ler() if i.digest != digest]
            self._gravar(itens)
            (self.pasta / f"{digest}.xml").unlink(missing_ok=True)
