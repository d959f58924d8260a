"""Recepção do servidor (issue 8): vazão e latência p50/p99 com 16 clientes simultâneos, com
verificação completa, ao lado de uma base de envio cru medida na mesma execução.

* **Completa**: o servidor real (``python -m siops.servidor``, processo próprio, 127.0.0.1) recebendo
  declarações cheias assinadas — sessão, XMLDSig e cadeia, leitura endurecida + XSD, signatário
  cadastrado, período, críticas, gravação atômica com fsync, COMMIT síncrono e recibo assinado.
* **Base (envio cru)**: um endpoint Starlette mínimo no mesmo uvicorn (processo próprio):
  recebe o corpo → SHA-256 → INSERT no SQLite (WAL, ``synchronous=FULL``, uma conexão).

Os mesmos corpos vão para os dois; os clientes são threads com ``requests`` noutro processo.
Metas: vazão ≥ 50% da base; p99 ≤ 200 ms.

    python -m bench --so servidor            # medição completa
    python -m bench.bench_servidor --base --porta N --banco ARQ   # (interno) a base
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from bench.medir import linha
from siops.servidor.local import (
    ServidorLocal,
    esperar_resposta,
    porta_livre,
)

RAIZ = Path(__file__).resolve().parent.parent
ENTE = "M230440"  # Fortaleza/CE
CLIENTES = 16
EXERCICIO = 2025
SENHA = "senha-do-benchmark"
CPF_TECNICO = "52998224725"


# --- a base: envio cru ----------------------------------------------------------------------


def app_base(banco: Path):
    """A aplicação Starlette mínima: corpo → SHA-256 → INSERT (uma conexão, com trava)."""
    import sqlite3

    from starlette.applications import Starlette
    from starlette.concurrency import run_in_threadpool
    from starlette.requests import Request
    from starlette.responses import JSONResponse
    from starlette.routing import Route

    con = sqlite3.connect(banco, check_same_thread=False, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA synchronous=FULL")
    con.execute("CREATE TABLE IF NOT EXISTS envios (digest TEXT PRIMARY KEY, tamanho INTEGER)")
    trava = threading.Lock()

    def inserir(digest: str, tamanho: int) -> None:
        with trava:
            con.execute("INSERT OR IGNORE INTO envios VALUES (?, ?)", (digest, tamanho))

    async def receber(request: Request) -> JSONResponse:
        corpo = await request.body()
        digest = hashlib.sha256(corpo).hexdigest()
        await run_in_threadpool(inserir, digest, len(corpo))
        return JSONResponse({"digest": digest}, status_code=201)

    return Starlette(routes=[Route("/envio", receber, methods=["POST"])])


def _processo_base(porta: int, banco: Path) -> subprocess.Popen:
    """A base (``--base``) num processo próprio."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.bench_servidor",
            "--base",
            "--porta",
            str(porta),
            "--banco",
            str(banco),
        ],
        cwd=RAIZ,
        env=dict(os.environ, PYTHONPATH=str(RAIZ)),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


# --- preparação -----------------------------------------------------------------------------


def _preparar(pasta: Path, n: int) -> tuple[Path, list[bytes]]:
    """Hierarquia de teste, técnico cadastrado direto no banco, ``n`` corpos assinados."""
    from siops import ops_format
    from siops.assinatura.assinador import AssinadorChave
    from siops.assinatura.xmldsig import assinar
    from siops.forms.declaracao import DefinirCelula
    from siops.forms.entes import ente
    from siops.forms.gerador import declaracao_cheia
    from siops.servidor import config, senhas
    from siops.servidor.contexto import Contexto
    from siops.servidor.tempo import agora, iso
    from siops.transmissor import icp_teste

    hier = icp_teste.gerar_hierarquia(pasta / "pki")
    emitido = icp_teste.emitir_ecpf(hier, "TECNICO DO BENCHMARK", CPF_TECNICO)
    assinador = AssinadorChave(emitido.chave, emitido.cert, emitido.cadeia)
    dados = pasta / "dados"
    ctx = Contexto.abrir(config.carregar(dados), pool=False)
    try:
        ctx.repo.cadastrar(
            ENTE,
            "tecnico",
            CPF_TECNICO,
            "Técnico do benchmark",
            "tec@exemplo.gov.br",
            "",
            None,
            (),
            None,
            senhas.hash_senha(SENHA),
            iso(agora()),
        )
    finally:
        ctx.fechar()
    base = {b: declaracao_cheia(ente(ENTE), EXERCICIO, b, b) for b in range(1, 6)}
    chave = {
        b: next(k for k, _ in d.celulas_digitadas() if k[2] == "previsao_inicial")
        for b, d in base.items()
    }
    corpos = []
    for i in range(n):
        d = base[i % 5 + 1]
        k = chave[i % 5 + 1]
        d.aplicar(DefinirCelula(k, d.valor(k) + 1))
        corpos.append(assinar(ops_format.para_bytes(d), assinador))
    return hier.raiz_pem, corpos


# --- medição --------------------------------------------------------------------------------


def _medir(
    enviar: Callable[[requests.Session, bytes], int], corpos: list[bytes]
) -> tuple[float, list[float], int]:
    """(vazão por segundo, latências em s, falhas) de ``corpos`` por ``CLIENTES`` threads."""
    local = threading.local()
    latencias: list[float] = []
    falhas = 0
    trava = threading.Lock()

    def um(corpo: bytes) -> None:
        nonlocal falhas
        if not hasattr(local, "s"):
            local.s = requests.Session()
        t = time.perf_counter()
        status = enviar(local.s, corpo)
        dt = time.perf_counter() - t
        with trava:
            latencias.append(dt)
            if status not in (200, 201):
                falhas += 1

    t0 = time.perf_counter()
    with ThreadPoolExecutor(CLIENTES) as ex:
        list(ex.map(um, corpos))
    return len(corpos) / (time.perf_counter() - t0), latencias, falhas


def _percentil(xs: list[float], p: float) -> float:
    ordenados = sorted(xs)
    return ordenados[min(len(ordenados) - 1, round(p * (len(ordenados) - 1)))]


def main(rapido: bool = False) -> list[dict]:
    n = 64 if rapido else 800
    aquecimento = 16
    with tempfile.TemporaryDirectory(prefix="bench-servidor-") as tmp:
        pasta = Path(tmp)
        raiz_pem, corpos = _preparar(pasta, n + aquecimento)
        servidor = ServidorLocal(pasta / "dados", raizes=[raiz_pem], primeiro_exercicio=EXERCICIO)
        porta_b = porta_livre()
        url_s, url_b = servidor.url, f"http://127.0.0.1:{porta_b}"
        servidor.partir()
        base: subprocess.Popen | None = None
        try:
            base = _processo_base(porta_b, pasta / "base.sqlite3")
            servidor.esperar()
            esperar_resposta(url_b, base, exigir_ok=False)
            token = requests.post(
                f"{url_s}/api/v1/sessoes", timeout=30, json={"cpf": CPF_TECNICO, "senha": SENHA}
            ).json()["token"]

            def completo(s: requests.Session, corpo: bytes) -> int:
                return s.post(
                    f"{url_s}/api/v1/transmissoes",
                    data=corpo,
                    timeout=120,
                    headers={
                        "Authorization": f"Bearer {token}",
                        "Content-Type": "application/xml",
                        "Idempotency-Key": hashlib.sha256(corpo).hexdigest(),
                    },
                ).status_code

            def cru(s: requests.Session, corpo: bytes) -> int:
                return s.post(f"{url_b}/envio", data=corpo, timeout=120).status_code

            _medir(completo, corpos[:aquecimento])
            _medir(cru, corpos[:aquecimento])
            vazao_b, lat_b, falhas_b = _medir(cru, corpos[aquecimento:])
            vazao_s, lat_s, falhas_s = _medir(completo, corpos[aquecimento:])
        finally:
            servidor.parar(20)
            if base is not None:
                base.terminate()
                try:
                    base.wait(20)
                except subprocess.TimeoutExpired:
                    base.kill()
    if falhas_s or falhas_b:
        raise RuntimeError(f"envios recusados: completo {falhas_s}, base {falhas_b}")
    p50_s, p99_s = _percentil(lat_s, 0.50) * 1000, _percentil(lat_s, 0.99) * 1000
    p50_b, p99_b = _percentil(lat_b, 0.50) * 1000, _percentil(lat_b, 0.99) * 1000
    return [
        linha(
            f"recepção completa: vazão, {CLIENTES} clientes ({n} envios)",
            vazao_s,
            "/s",
            vazao_b,
            "≥ 50% da base (envio cru)",
            vazao_s >= 0.5 * vazao_b,
        ),
        linha("recepção completa: latência p50", p50_s, "ms", p50_b, "", None),
        linha("recepção completa: latência p99", p99_s, "ms", p99_b, "≤ 200 ms", p99_s <= 200),
        linha("base (envio cru → SHA-256 → INSERT): vazão", vazao_b, "/s", None, "", None),
        linha(
            "recepção completa: latência média",
            statistics.fmean(lat_s) * 1000,
            "ms",
            statistics.fmean(lat_b) * 1000,
            "",
            None,
        ),
    ]


def _servir_base(argv: list[str]) -> None:
    import uvicorn

    p = argparse.ArgumentParser()
    p.add_argument("--base", action="store_true")
    p.add_argument("--porta", type=int, required=True)
    p.add_argument("--banco", type=Path, required=True)
    a = p.parse_args(argv)
    uvicorn.run(
        app_base(a.banco),
        host="127.0.0.1",
        port=a.porta,
        log_level="warning",
        access_log=False,
        http="h11",
        loop="asyncio",
    )


if __name__ == "__main__":
    if "--base" in sys.argv:
        _servir_base(sys.argv[1:])
    else:
        for r in main(rapido="--rapido" in sys.argv):
            print(r)
