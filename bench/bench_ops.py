"""The .OPS file's load and save on a fully filled declaration with a ledger of 3.000 despesa
lines (issues 3 and 19).

* load = ``ops_format.ler``: read, hardened parse, XSD, digest, semantic checks and the model
  with every derived cell computed; baseline: read the same file, hardened lxml parse and XSD
  validation, nothing else.
* save = ``ops_format.salvar``: build, digest, temporary file, fsync, backup link, replace,
  fsync of the folder; baseline: build the same XML with lxml, write it, fsync.

Targets: each ≤ 3× its baseline. Median of several runs after a warm-up (``bench.medir``).
Run alone with ``.venv/bin/python -m bench.bench_ops`` or with every benchmark through
``python -m bench``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from lxml import etree

from bench.medir import linha, mediana
from siops.ops_format import ler, para_bytes, salvar
from siops.ops_format.esquema import esquema
from siops.ops_format.formato import _CHAVES_DESPESA, conteudo_de
from siops.ops_format.versoes import VERSAO_ATUAL, namespace

META = 3.0


def _declaracao():
    from bench.bench_nucleo import declaracao_grande
    from siops.forms.declaracao import DefinirTexto

    d = declaracao_grande(3000)
    for cid, campo in d.catalogo.campos.items():
        d.aplicar(DefinirTexto(cid, f"{campo.titulo} — Conceição"))
    return d


def main(rapido: bool = False) -> list[dict]:
    """Measure and return the rows (figure, value, baseline, ratio, target)."""
    repeticoes = 3 if rapido else 15
    d = _declaracao()
    with tempfile.TemporaryDirectory(prefix="bench-ops-") as tmp:
        pasta = Path(tmp)
        arq = pasta / "M355030_2025_SextoBimestre.OPS"
        salvar(d, arq)
        tamanho = arq.stat().st_size
        xsd = esquema(VERSAO_ATUAL)

        def carga_bruta() -> None:
            dados = arq.read_bytes()
            parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
            raiz = etree.fromstring(dados, parser)
            if not xsd.validate(raiz):
                raise RuntimeError("o arquivo do benchmark não é válido")

        def carga_fria() -> None:
            # keys never seen by this process (``formato._CHAVES_DESPESA`` empty): the first
            # file opened; the target is on this figure
            _CHAVES_DESPESA.clear()
            ler(arq)

        carga = mediana(carga_fria, repeticoes)
        reabrir = mediana(lambda: ler(arq), repeticoes)
        carga_base = mediana(carga_bruta, repeticoes)

        c = conteudo_de(d)  # the same content, already as text
        ns = namespace()
        q = f"{{{ns}}}"
        bruto = pasta / "bruto.xml"

        def gravacao_bruta() -> None:
            raiz = etree.Element(q + "declaracao", nsmap={None: ns}, versao=str(VERSAO_ATUAL))
            etree.SubElement(raiz, q + "ente", codigo=c.ente, esfera=c.esfera)
            for nome in ("exercicio", "bimestre", "layout", "programa"):
                etree.SubElement(raiz, q + nome).text = getattr(c, nome)
            campos = etree.SubElement(raiz, q + "campos")
            for cid, texto in c.campos:
                etree.SubElement(campos, q + "campo", id=cid).text = texto
            celulas = etree.SubElement(raiz, q + "celulas")
            for t, lin, k, v in c.celulas:
                etree.SubElement(celulas, q + "c", t=t, l=lin, k=k).text = v
            razao = etree.SubElement(raiz, q + "razao")
            for tipo, chave, valores in c.razao:
                etree.SubElement(razao, q + tipo, dict(chave + valores))
            etree.SubElement(raiz, q + "resumo", algoritmo="SHA-256").text = "0" * 64
            dados = etree.tostring(raiz, xml_declaration=True, encoding="UTF-8", pretty_print=True)
            with open(bruto, "wb") as f:
                f.write(dados)
                f.flush()
                os.fsync(f.fileno())

        gravacao = mediana(lambda: salvar(d, arq), repeticoes)
        gravacao_base = mediana(gravacao_bruta, repeticoes)
        serializar = mediana(lambda: para_bytes(d), repeticoes)

    n = len(c.celulas)
    return [
        linha(
            f"ops: abrir declaração cheia ({n} células, {len(c.razao)} linhas do razão, "
            f"{tamanho // 1024} kB)",
            carga * 1000,
            "ms",
            carga_base * 1000,
            meta=f"≤ {META:g}× lxml+XSD",
            cumpre=carga <= META * carga_base,
        ),
        linha(
            "ops: reabrir a mesma declaração (chaves do razão já vistas no processo)",
            reabrir * 1000,
            "ms",
            carga_base * 1000,
            meta="—",
        ),
        linha(
            "ops: salvar atômico (fsync, backup) declaração cheia",
            gravacao * 1000,
            "ms",
            gravacao_base * 1000,
            meta=f"≤ {META:g}× lxml+write+fsync",
            cumpre=gravacao <= META * gravacao_base,
        ),
        linha("ops: gerar os bytes do arquivo (sem disco)", serializar * 1000, "ms", meta="—"),
    ]


if __name__ == "__main__":  # pragma: no cover
    linhas = main(rapido="--rapido" in sys.argv)
    print(f"{'figura':60} {'valor':>9} {'base':>9} {'razão':>6}  meta")
    for r in linhas:
        base = f"{r['baseline']:.3f}" if r["baseline"] else "—"
        razao = f"{r['razao']:.2f}" if r["razao"] else "—"
        print(f"{r['figura']:60} {r['valor']:9.3f} {base:>9} {razao:>6}  {r['meta']}")
