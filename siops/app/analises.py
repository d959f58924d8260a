"""The file side of the analyses of issue 26 (no Qt): ``relatorios.projecao`` and
``relatorios.comparacao`` never read files, so finding and reading them is done here, for the
command line and the window alike.

* ``anteriores_da_pasta(d, caminho)``: the earlier bimestres of the same ente and exercício —
  beside the file, in the sibling ``<Nome>Bimestre`` folders of the MS-SIOPS layout
  (``candidatos_anteriores``, which ``siops rreo`` uses too) and in the standard folders under
  the MS-SIOPS root (``ops_format.caminhos``);
* ``ler_versao(caminho)``: a declaration to compare — a ``.OPS``/``.IMP``, or the signed copy
  kept by the Transmissor (``….assinado.xml``: exactly what was transmitted);
* ``copia_transmitida(caminho)``: that copy for a working file, when there is one.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

from siops.forms.declaracao import Declaracao, nome_bimestre
from siops.ops_format import ArquivoInvalido, caminhos, de_bytes, ler

Avisar = Callable[[str], None]


def _stderr(texto: str) -> None:
    print(f"siops: aviso: {texto}", file=sys.stderr)


def candidatos_anteriores(d: Declaracao, caminho: Path) -> list[tuple[int, Path]]:
    """Where the previous bimestres' files of the same ente and exercício may be: the same
    folder, and the sibling ``<Nome>Bimestre`` folders of the MS-SIOPS layout (DOMAIN §4)."""
    pasta = caminho.resolve().parent
    out: list[tuple[int, Path]] = []
    for b in range(1, d.bimestre):
        nome = caminhos.nome_arquivo(d.ente, d.exercicio, b)
        vistos: set[Path] = set()
        for p in (pasta / nome, pasta.parent / f"{nome_bimestre(b)}Bimestre" / nome):
            if p.is_file() and p not in vistos:
                vistos.add(p)
                out.append((b, p))
                break
    return out


def candidatos(d: Declaracao, caminho: Path | None) -> list[tuple[int, Path]]:
    """Where the earlier bimestres' files may be, in order of preference (no duplicates)."""
    vistos: set[Path] = set()
    out: list[tuple[int, Path]] = []
    if caminho is not None:
        for b, p in candidatos_anteriores(d, caminho):
            vistos.add(p.resolve())
            out.append((b, p))
    ja = {b for b, _ in out}
    for b in range(1, d.bimestre):
        if b in ja:
            continue
        p = caminhos.caminho_padrao(d.ente, d.exercicio, b)
        if p.is_file() and p.resolve() not in vistos:
            out.append((b, p))
    return sorted(out)


def anteriores_da_pasta(
    d: Declaracao, caminho: Path | None, avisar: Avisar | None = _stderr
) -> list[Declaracao]:
    """The earlier bimestres' declarations of the same ente and exercício that could be read.

    A file that cannot be read, or is of another ente, exercício or bimestre, is left out with
    a warning (``avisar``): the trend is a help, not a reason to fail.
    """
    out: list[Declaracao] = []
    for b, p in candidatos(d, caminho):
        try:
            ant = ler(p)
        except ArquivoInvalido as exc:
            if avisar:
                avisar(f"{p} ficou fora da tendência: {exc}")
            continue
        if (ant.ente.codigo, ant.exercicio, ant.bimestre) != (d.ente.codigo, d.exercicio, b):
            if avisar:
                avisar(
                    f"{p} não é do {b}º bimestre de {d.exercicio} de {d.ente.descricao}; "
                    "ficou fora da tendência."
                )
            continue
        out.append(ant)
    return out


SUFIXO_ASSINADO = ".assinado.xml"


def ler_versao(caminho: Path) -> Declaracao:
    """A declaration to compare: a ``.OPS``/``.IMP``, or a signed copy ``….assinado.xml``
    (its signature is taken off, not checked: the Transmissor checked it when it sent it).

    Raises ``ArquivoInvalido`` with the reader's Portuguese message.
    """
    caminho = Path(caminho)
    if not caminho.name.lower().endswith(SUFIXO_ASSINADO):
        return ler(caminho)
    from siops.assinatura import xmldsig

    try:
        dados = caminho.read_bytes()
    except FileNotFoundError:
        raise ArquivoInvalido(f"O arquivo {caminho} não foi encontrado.") from None
    except OSError as exc:
        raise ArquivoInvalido(f"Não foi possível ler {caminho}: {exc.strerror}.") from None
    try:
        conteudo = xmldsig.conteudo_sem_assinatura(dados)
    except xmldsig.AssinaturaInvalida as exc:
        raise ArquivoInvalido(f"{caminho}: a cópia assinada não é legível ({exc}).") from None
    return de_bytes(conteudo, str(caminho))


def copia_transmitida(d: Declaracao, caminho: Path) -> Path | None:
    """The copy transmitted for the working file ``caminho``: the signed copy the Transmissor
    kept (``transm/<nome>.assinado.xml``), else the copy written for transmission
    (``transm/<nome>.OPS``); None when neither exists."""
    from siops.ops_format import destino_transmissao

    copia = destino_transmissao(d, caminho)
    assinado = copia.with_name(copia.stem + SUFIXO_ASSINADO)
    for p in (assinado, copia):
        if p.is_file():
            return p
    return None
