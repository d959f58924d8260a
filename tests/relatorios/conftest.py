"""Fixtures of the report tests: declarations rendered once per module, and the poppler tools
(``pdftotext``, ``pdftoppm``) as functions over PDF bytes."""

from __future__ import annotations

import html
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

EMITIDO = __import__("datetime").datetime(2025, 3, 20, 14, 35)


@dataclass(frozen=True)
class Palavra:
    """A word of ``pdftotext -bbox`` (points, origin top-left)."""

    pagina: int
    texto: str
    x0: float
    y0: float
    x1: float
    y1: float


def _rodar(args: list[str], entrada: Path) -> str:
    r = subprocess.run([*args, str(entrada), "-"], capture_output=True, timeout=60)
    assert r.returncode == 0, r.stderr.decode("utf-8", "replace")
    return r.stdout.decode("utf-8")


@pytest.fixture(scope="session")
def texto_pdf(tmp_path_factory) -> Callable[[bytes], str]:
    """``pdftotext -layout`` of PDF bytes."""
    pasta = tmp_path_factory.mktemp("texto")
    contador = iter(range(10**6))

    def f(dados: bytes, *opcoes: str) -> str:
        p = pasta / f"{next(contador)}.pdf"
        p.write_bytes(dados)
        return _rodar(["pdftotext", "-layout", *opcoes], p)

    return f


@pytest.fixture(scope="session")
def palavras_pdf(tmp_path_factory) -> Callable[[bytes], list[Palavra]]:
    """The words of PDF bytes with their boxes (``pdftotext -bbox``)."""
    pasta = tmp_path_factory.mktemp("bbox")
    contador = iter(range(10**6))
    padrao = re.compile(
        r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>'
    )

    def f(dados: bytes) -> list[Palavra]:
        p = pasta / f"{next(contador)}.pdf"
        p.write_bytes(dados)
        out: list[Palavra] = []
        for n, pagina in enumerate(_rodar(["pdftotext", "-bbox"], p).split("<page ")[1:], 1):
            for m in padrao.finditer(pagina):
                x0, y0, x1, y1 = (float(m.group(i)) for i in range(1, 5))
                out.append(Palavra(n, html.unescape(m.group(5)), x0, y0, x1, y1))
        return out

    return f


@pytest.fixture(scope="session")
def png_pdf(tmp_path_factory) -> Callable[..., list[Path]]:
    """Render PDF bytes to PNG files with ``pdftoppm`` (returns the page files)."""
    pasta = tmp_path_factory.mktemp("png")
    contador = iter(range(10**6))

    def f(dados: bytes, resolucao: int = 60, primeira: int = 1, ultima: int = 1) -> list[Path]:
        n = next(contador)
        p = pasta / f"{n}.pdf"
        p.write_bytes(dados)
        base = pasta / f"p{n}"
        r = subprocess.run(
            [
                "pdftoppm",
                "-r",
                str(resolucao),
                "-png",
                "-f",
                str(primeira),
                "-l",
                str(ultima),
                str(p),
                str(base),
            ],
            capture_output=True,
            timeout=60,
        )
        assert r.returncode == 0, r.stderr
        return sorted(pasta.glob(f"p{n}-*.png"))

    return f


def _ente(codigo: str):
    from siops.forms.entes import ente

    return ente(codigo)


@pytest.fixture(scope="session")
def cheias() -> dict[tuple[str, int], object]:
    """Full declarations (every typed cell filled) by (ente code, bimestre), built lazily."""
    from siops.forms.gerador import declaracao_cheia

    class Cheias(dict):
        def __missing__(self, chave: tuple[str, int]):
            codigo, bimestre = chave
            d = declaracao_cheia(_ente(codigo), 2025, bimestre, semente=7)
            self[chave] = d
            return d

    return Cheias()


@pytest.fixture(scope="session")
def pdfs(cheias) -> dict[tuple[str, int], bytes]:
    """The RREO PDF of each full declaration, rendered once per session."""
    from siops.relatorios import renderizar_rreo

    class Pdfs(dict):
        def __missing__(self, chave: tuple[str, int]):
            dados = renderizar_rreo(cheias[chave], emitido_em=EMITIDO)
            self[chave] = dados
            return dados

    return Pdfs()


def normalizar(texto: str) -> str:
    """Whitespace collapsed, soft hyphens and end-of-line hyphenation removed."""
    texto = texto.replace("\u00ad", "")
    texto = re.sub(r"(\w)-\n\s*(\w)", r"\1\2", texto)
    return re.sub(r"\s+", " ", texto).strip()


@pytest.fixture(scope="session")
def norm() -> Callable[[str], str]:
    return normalizar


def declaracao_com(
    ente_codigo: str, bimestre: int, valores: dict, razao: dict | None = None
) -> object:
    """A declaration with the given cells (test helper): the Anexo 12's receita and despesa
    leaves go in through their canonical ledger lines (``forms.razao.celulas_para_razao``)."""
    from siops.forms.declaracao import Declaracao
    from siops.forms.razao import celulas_para_razao, linhas

    d = Declaracao(_ente(ente_codigo), 2025, bimestre)
    conv = celulas_para_razao(d.catalogo, ((k, Decimal(v)) for k, v in valores.items()))
    assert not conv.resumos, f"células calculadas do razão: {sorted(conv.resumos)}"
    for k, cols in (razao or {}).items():
        destino = conv.razao.setdefault(k, {})
        destino.update({c: Decimal(v) for c, v in cols.items()})
    d.carregar(conv.digitadas.items(), {}, linhas(conv.razao))
    return d


@pytest.fixture(scope="session")
def nova_declaracao() -> Callable[..., object]:
    return declaracao_com


def valores_em_ordem(texto: str, blocos) -> int:
    """Each row's printed values appear on one line of ``pdftotext -layout``, in column order,
    rows in order; returns how many rows were found (rows with no value are skipped)."""
    pos = 0
    linhas = 0
    for b in blocos:
        for linha in b.linhas:
            textos = [
                c.texto for c in linha.celulas if c.texto and b.coluna_tipo(c.coluna) != "texto"
            ]
            if not textos:
                continue
            padrao = re.compile(
                r"(?<![\d.,])" + r"[ \t]+".join(map(re.escape, textos)) + r"(?![\d,])"
            )
            m = padrao.search(texto, pos)
            assert m, f"{b.tabela}/{linha.linha}: {textos} não encontrados em ordem no PDF"
            pos = m.end()
            linhas += 1
    return linhas


@pytest.fixture(scope="session")
def em_ordem() -> Callable[[str, object], int]:
    return valores_em_ordem


def _em_ordem(palavras: list[str], procuradas: list[str], folga: int = 30) -> bool:
    """Whether ``procuradas`` occur in ``palavras`` in order, each within ``folga`` words of
    the previous one (text of table cells that wrap shares its lines with other cells)."""
    for inicio, p in enumerate(palavras):
        if p != procuradas[0]:
            continue
        i = inicio
        for q in procuradas[1:]:
            janela = palavras[i + 1 : i + 1 + folga]
            if q not in janela:
                break
            i = i + 1 + janela.index(q)
        else:
            return True
    return False


@pytest.fixture(scope="session")
def palavras_em_ordem() -> Callable[[list[str], list[str]], bool]:
    return _em_ordem
