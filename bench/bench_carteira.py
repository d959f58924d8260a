"""Carteira de entes (issue 26): listing 200 generated declarations (``forms.gerador``: 40
municípios × 5 bimestres, a third of them with a transmission copy and a sixth with a receipt)
under an MS-SIOPS tree. Target: < 1 s warm.

* **a quente** — the portfolio opened again: the summaries (ente, críticas, percentage) come
  from the cache file (read from disk at each run, as a new window would), the situations are
  recomputed from the copies and receipts. Baseline: walking the tree and reading every file's
  bytes, the least any listing costs.
* **a frio** — no cache: every file read (XSD, digest, model) and its críticas run.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from bench.medir import linha, mediana


def preparar(pasta: Path, n: int) -> Path:
    """``n`` declarations in ``pasta``/MS-SIOPS (standard names), some copies and receipts."""
    from siops.app import carteira
    from siops.forms.entes import municipios
    from siops.forms.gerador import declaracao_cheia
    from siops.ops_format import caminhos, gravar_transmissao, salvar
    from siops.transmissor.recibos import Arquivos, RegistroTransmissao, sha256_arquivo

    raiz = pasta / "MS-SIOPS"
    os.environ["SIOPS_HOME"] = str(raiz)
    entes = municipios("SP")[: max(1, n // 5)]
    feitos = 0
    for i, e in enumerate(entes):
        for b in range(1, 6):
            if feitos >= n:
                break
            d = declaracao_cheia(e, 2025, b, semente=i * 10 + b)
            p = caminhos.caminho_padrao(e, 2025, b)
            salvar(d, p)
            if feitos % 3 == 0:
                copia = gravar_transmissao(d, p, [])
                if feitos % 6 == 0:
                    RegistroTransmissao(
                        protocolo=f"2025-{feitos:06d}",
                        servidor="http://127.0.0.1:8470",
                        digest="0" * 64,
                        arquivo_sha256=sha256_arquivo(copia),
                        recebido_em="2025-03-10T12:00:00+00:00",
                    ).gravar(Arquivos(copia).recibo_json)
            feitos += 1
    assert len(list(carteira.declaracoes(raiz))) == feitos
    return raiz


def _so_ler(raiz: Path) -> int:
    total = 0
    for r, _d, arqs in os.walk(raiz):
        for a in arqs:
            if a.endswith(".OPS"):
                total += len((Path(r) / a).read_bytes())
    return total


def main(rapido: bool = False) -> list[dict]:
    from siops.app import carteira

    n = 20 if rapido else 200
    rep = 1 if rapido else 5
    antigos = {k: os.environ.get(k) for k in ("SIOPS_HOME", "SIOPS_TRANSMISSOR_DADOS")}
    with tempfile.TemporaryDirectory(prefix="bench-carteira-") as tmp:
        pasta = Path(tmp)
        os.environ["SIOPS_TRANSMISSOR_DADOS"] = str(pasta / "transmissor")
        try:
            raiz = preparar(pasta, n)
            cache_dir = pasta / "cache"
            carteira.listar(raiz, carteira.Cache(cache_dir))  # fills the cache
            quente = mediana(lambda: carteira.listar(raiz, carteira.Cache(cache_dir)), rep)
            frio = mediana(lambda: carteira.listar(raiz, carteira.Cache(None)), rep)
            base = mediana(lambda: _so_ler(raiz), rep)
        finally:
            for k, v in antigos.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return [
        linha(
            f"carteira: {n} declarações, a quente (resumos guardados)",
            quente * 1000,
            "ms",
            baseline=base * 1000,
            meta="< 1 s",
            cumpre=quente < 1.0,
        ),
        linha(
            f"carteira: {n} declarações, a frio (lê e critica cada arquivo)",
            frio * 1000,
            "ms",
            baseline=quente * 1000,
            meta="—",
        ),
    ]


if __name__ == "__main__":  # pragma: no cover
    for r in main():
        print(r)
