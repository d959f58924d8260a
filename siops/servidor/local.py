"""O servidor SIOPS como processo filho nesta máquina: partir, esperar, administrar, parar.

Quem precisa do servidor de verdade sem instalá-lo como serviço usa esta peça: a demonstração
(``siops demo``: ``app/demo_ambiente.py``), os testes (``tests/apoio``) e os benchmarks
(``bench/bench_servidor.py``). É o mesmo ``siops-servidor`` de produção
(``python -m siops.servidor``) num processo próprio, numa porta livre do loopback; nada aqui é
um servidor de mentira.

* ``ServidorLocal`` — o processo: grava o ``servidor.json`` pedido, parte com as opções da linha
  de comando (raízes, primeiro exercício, SMTP ou pasta do correio, e quaisquer outras em
  ``args``, como ``--banco`` ou ``--workers``), espera ``/saude`` responder, roda comandos
  ``admin`` na mesma pasta de dados e para (SIGTERM, depois SIGKILL).
* ``CaixaPasta`` — lê as mensagens que o servidor gravou com ``--correio-pasta``
  (``servidor/correio.py``), como a senha do técnico recém-cadastrado.
* ``porta_livre`` e ``esperar_resposta`` — o que os dois precisam e um benchmark também.

Os erros são ``ErroServidorLocal`` com a razão em português e o fim do log do servidor.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Mapping, Sequence
from email.message import EmailMessage
from pathlib import Path
from typing import Any

import siops
from siops.servidor.correio import mensagens_da_pasta, senha_da_mensagem, texto_da_mensagem

#: A pasta que contém o pacote ``siops``: vai à frente do PYTHONPATH do filho, para que ele
#: importe o mesmo ``siops`` deste processo (de uma cópia de trabalho ou de site-packages).
RAIZ_PACOTE = Path(siops.__file__).resolve().parent.parent
ESPERA_PARTIDA_S = 90.0
"""Quanto o servidor pode levar para responder ``/saude`` (máquina carregada, pool de
verificação partindo)."""


class ErroServidorLocal(RuntimeError):
    """O servidor local não partiu, não respondeu ou não mandou o que se esperava."""


def porta_livre(host: str = "127.0.0.1") -> int:
    """Uma porta TCP livre em ``host`` (o sistema escolhe; fica livre até alguém a usar)."""
    with socket.socket() as s:
        s.bind((host, 0))
        return int(s.getsockname()[1])


def ambiente_filho(extra: Mapping[str, str] | None = None) -> dict[str, str]:
    """O ambiente deste processo com ``RAIZ_PACOTE`` à frente do PYTHONPATH (e ``extra``)."""
    env = dict(os.environ)
    caminho = env.get("PYTHONPATH", "")
    env["PYTHONPATH"] = str(RAIZ_PACOTE) + (os.pathsep + caminho if caminho else "")
    env.update(extra or {})
    return env


def cauda(arquivo: Path, n: int = 3000) -> str:
    """Os últimos ``n`` caracteres de um log (vazio se não houver)."""
    try:
        return arquivo.read_text(encoding="utf-8", errors="replace")[-n:]
    except OSError:
        return ""


def _abridor(verificar: str | bool) -> urllib.request.OpenerDirector:
    """Um cliente HTTP que nunca passa por proxy (o servidor é local) e confia em ``verificar``
    (um PEM de AC, ou ``True`` para as do sistema) quando a URL é HTTPS."""
    contexto = ssl.create_default_context(cafile=verificar if isinstance(verificar, str) else None)
    if verificar is False:
        contexto.check_hostname = False
        contexto.verify_mode = ssl.CERT_NONE
    return urllib.request.build_opener(
        urllib.request.ProxyHandler({}), urllib.request.HTTPSHandler(context=contexto)
    )


def esperar_resposta(
    url: str,
    processo: subprocess.Popen[Any],
    espera: float = ESPERA_PARTIDA_S,
    *,
    log: Path | None = None,
    exigir_ok: bool = True,
    verificar: str | bool = True,
) -> float:
    """Espera ``url`` responder (2xx, ou qualquer status HTTP com ``exigir_ok=False``) enquanto
    ``processo`` vive; devolve os segundos que levou. ``ErroServidorLocal`` se o processo
    terminar antes ou o tempo acabar."""
    abrir = _abridor(verificar)
    t0 = time.monotonic()
    while True:
        if processo.poll() is not None:
            detalhe = f" Últimas linhas do registro ({log}):\n{cauda(log)}" if log else ""
            raise ErroServidorLocal(
                f"O servidor local terminou ao iniciar (código {processo.returncode}).{detalhe}"
            )
        try:
            with abrir.open(url, timeout=2) as resposta:
                if not exigir_ok or 200 <= resposta.status < 300:
                    return time.monotonic() - t0
        except urllib.error.HTTPError as exc:
            if not exigir_ok:
                return time.monotonic() - t0
            exc.close()
        except (OSError, http.client.HTTPException):
            pass
        if time.monotonic() - t0 > espera:
            onde = f" ({log})" if log else ""
            raise ErroServidorLocal(f"O servidor local não respondeu em {espera:.0f} s{onde}.")
        time.sleep(0.05)


class ServidorLocal:
    """Um processo ``siops-servidor`` com a sua pasta de dados, numa porta do loopback.

    ``config`` é gravado em ``dados/servidor.json`` (substituindo o que houver), com ``raizes``
    e ``intermediarios`` (para os comandos ``admin`` confiarem no mesmo que o servidor); ``smtp`` é
    ``(host, porta)`` do SMTP; ``correio_pasta`` manda as mensagens para uma pasta em vez
    disso; ``args`` vai ao fim da linha de comando, para qualquer outra opção do servidor.
    Com ``https=True`` a linha de comando precisa de ``--certificado``/``--chave`` em ``args``
    e ``verificar`` diz em que AC confiar (o PEM) ao esperar por ``/saude``.
    """

    def __init__(
        self,
        dados: Path,
        *,
        porta: int | None = None,
        host: str = "127.0.0.1",
        raizes: Sequence[Path] = (),
        intermediarios: Sequence[Path] = (),
        primeiro_exercicio: int | None = None,
        smtp: tuple[str, int] | None = None,
        smtp_remetente: str | None = None,
        correio_pasta: Path | None = None,
        config: Mapping[str, Any] | None = None,
        args: Sequence[str] = (),
        https: bool = False,
        verificar: str | bool = True,
        log: Path | None = None,
    ) -> None:
        self.dados = Path(dados)
        self.host = host
        self.porta = porta if porta is not None else porta_livre(host)
        nome = "localhost" if https and host == "127.0.0.1" else host
        self.url = f"{'https' if https else 'http'}://{nome}:{self.porta}"
        self.verify: str | bool = verificar
        self.raizes = [Path(r) for r in raizes]
        self.intermediarios = [Path(r) for r in intermediarios]
        self.primeiro_exercicio = primeiro_exercicio
        self.smtp = smtp
        self.smtp_remetente = smtp_remetente
        self.correio_pasta = Path(correio_pasta) if correio_pasta is not None else None
        self.args = list(args)
        self.proc: subprocess.Popen[bytes] | None = None
        self.dados.mkdir(parents=True, exist_ok=True)
        # The trust anchors also go into servidor.json: ``admin`` commands (``verificar``
        # re-checks stored signatures) read the configuration from the data folder, and must
        # trust what the running server trusts — without them they fall back to the official
        # ICP-Brasil roots.
        arquivo = self.dados / "servidor.json"
        conf: dict[str, Any] = dict(config) if config is not None else {}
        if config is None and arquivo.exists():
            conf = json.loads(arquivo.read_text(encoding="utf-8"))
        if self.raizes:
            conf.setdefault("raizes", [str(r) for r in self.raizes])
        if self.intermediarios:
            conf.setdefault("intermediarios", [str(r) for r in self.intermediarios])
        if config is not None or conf:
            arquivo.write_text(json.dumps(conf, ensure_ascii=False), encoding="utf-8")
        self.log = Path(log) if log is not None else self.dados / "servidor.log"

    # --- o processo ---------------------------------------------------------------------------

    def comando(self) -> list[str]:
        """A linha de comando do servidor."""
        cmd = [
            sys.executable,
            "-m",
            "siops.servidor",
            "--dados",
            str(self.dados),
            "--porta",
            str(self.porta),
            "--host",
            self.host,
        ]
        if self.raizes:
            cmd += ["--raizes", *map(str, self.raizes)]
        if self.intermediarios:
            cmd += ["--intermediarios", *map(str, self.intermediarios)]
        if self.primeiro_exercicio is not None:
            cmd += ["--primeiro-exercicio", str(self.primeiro_exercicio)]
        if self.smtp is not None:
            cmd += ["--smtp-host", self.smtp[0], "--smtp-porta", str(self.smtp[1])]
        if self.smtp_remetente:
            cmd += ["--smtp-remetente", self.smtp_remetente]
        if self.correio_pasta is not None:
            cmd += ["--correio-pasta", str(self.correio_pasta)]
        return cmd + self.args

    def partir(self) -> None:
        """Inicia o processo sem esperar por ele (ver ``esperar``)."""
        self.log.parent.mkdir(parents=True, exist_ok=True)
        with open(self.log, "ab") as saida:
            self.proc = subprocess.Popen(
                self.comando(), env=ambiente_filho(), stdout=subprocess.DEVNULL, stderr=saida
            )

    def esperar(self, espera: float = ESPERA_PARTIDA_S) -> float:
        """Espera ``/saude`` responder; devolve os segundos."""
        if self.proc is None:
            raise ErroServidorLocal("O servidor local não foi iniciado.")
        return esperar_resposta(
            f"{self.url}/saude", self.proc, espera, log=self.log, verificar=self.verify
        )

    def iniciar(self, espera: float = ESPERA_PARTIDA_S) -> float:
        """Inicia e espera ``/saude``; devolve os segundos que levou. Se o servidor não
        responder, ele é parado antes do ``ErroServidorLocal``."""
        t0 = time.monotonic()
        self.partir()
        try:
            self.esperar(espera)
        except BaseException:
            self.parar()
            raise
        return time.monotonic() - t0

    def ativo(self) -> bool:
        """Se o processo está rodando."""
        return self.proc is not None and self.proc.poll() is None

    def parar(self, espera: float = 30.0) -> None:
        """SIGTERM e, se não sair em ``espera`` segundos, SIGKILL. Idempotente."""
        p = self.proc
        if p is None or p.poll() is not None:
            return
        p.terminate()
        try:
            p.wait(espera)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait(espera)

    def matar(self) -> None:
        """SIGKILL (os processos do pool de verificação vigiam o pai e saem também)."""
        if self.proc is None:
            raise ErroServidorLocal("O servidor local não foi iniciado.")
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait(30)

    def admin(
        self, *args: str, senha: str | None = None, timeout: float = 300
    ) -> subprocess.CompletedProcess[str]:
        """``siops-servidor admin --dados DADOS ARGS…`` (com ``senha`` em SIOPS_ADMIN_SENHA)."""
        extra = {"SIOPS_ADMIN_SENHA": senha} if senha else None
        return subprocess.run(
            [sys.executable, "-m", "siops.servidor", "admin", "--dados", str(self.dados), *args],
            env=ambiente_filho(extra),
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )

    def __enter__(self) -> ServidorLocal:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.parar()


class CaixaPasta:
    """As mensagens que o servidor gravou na pasta do correio (``--correio-pasta``)."""

    def __init__(self, pasta: Path) -> None:
        self.pasta = Path(pasta)

    def mensagens(self) -> list[EmailMessage]:
        """As mensagens completas, na ordem de chegada."""
        return [m for _, m in mensagens_da_pasta(self.pasta)]

    @property
    def total(self) -> int:
        """Quantas mensagens há (a marca a passar como ``depois`` antes de um pedido)."""
        return len(self.mensagens())

    def senha_de(self, cpf: str, depois: int = 0, espera: float = 30.0) -> str:
        """A senha da mensagem mais nova para ``cpf`` (com ou sem pontuação) entre as de índice
        ≥ ``depois``; espera até ``espera`` segundos que ela chegue."""
        alvo = re.sub(r"\D", "", cpf)
        fim = time.monotonic() + espera
        while True:
            for msg in reversed(self.mensagens()[depois:]):
                achado = senha_da_mensagem(texto_da_mensagem(msg))
                if achado is not None and achado[0] == alvo:
                    return achado[1]
            if time.monotonic() > fim:
                raise ErroServidorLocal(
                    f"Nenhum e-mail com a senha do CPF {cpf} chegou a {self.pasta} em "
                    f"{espera:.0f} s."
                )
            time.sleep(0.05)


__all__ = [
    "CaixaPasta",
    "ErroServidorLocal",
    "ServidorLocal",
    "ambiente_filho",
    "esperar_resposta",
    "porta_livre",
]
