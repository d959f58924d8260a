"""Carteira de entes (issue 26): every declaration under MS-SIOPS (or a chosen folder) with its
ente, exercício, bimestre, críticas, percentage and the situation the Transmissor's receipts
give — for the accounting firm that serves twenty municípios. No Qt here: the command
``siops carteira`` and the window (``janela_carteira``) share it.

What is listed: every ``*.OPS`` under the folder, except the ``transm`` folders (the
transmission copies are the *situation* of the file beside them, not declarations of their own)
and hidden folders. The situation comes from the copy ``transm/<nome padrão>.OPS`` and the files
the Transmissor keeps beside it (``transmissor.recibos``; ``transmissor.operacoes.estado_arquivo``
decides transmitted, homologated, refused, queued); a working file changed after its copy was
written says so (the two files' content digests differ).

Speed (200 declarations): reading a file and running the críticas costs a few milliseconds;
the summary of each file is kept in a cache (``carteira.json`` in the client's data folder)
keyed by path, size, modification time and the program's version, so listing again only reads
what changed. The situation is always recomputed (it is a handful of small files).
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import asdict, dataclass, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from siops.forms.dinheiro import apresentar_percentual

#: Bumped when the cached summary changes shape or meaning.
CACHE_VERSAO = 1
NOME_CACHE = "carteira.json"
PASTA_TRANSMISSAO = "transm"

#: Situations, in the order a portfolio is worked through (sorting by situation).
SITUACOES = {
    "ilegivel": "ilegível",
    "em_preenchimento": "não gravada para transmissão",
    "alterada": "alterada depois de gravada",
    "gravada": "gravada para transmissão",
    "recusada": "recusada pelo servidor",
    "na_fila": "na fila (sem rede)",
    "transmitida": "transmitida",
    "homologada": "homologada",
}
ORDEM_SITUACAO = {s: i for i, s in enumerate(SITUACOES)}

_RESUMO = re.compile(rb"<(?:\w+:)?resumo[^>]*>\s*([0-9a-fA-F]{64})\s*<")


@dataclass(frozen=True, slots=True)
class Resumo:
    """What the cache keeps of one file (its content, not its situation)."""

    ente_codigo: str = ""
    ente: str = ""
    uf: str = ""
    esfera: str = ""
    exercicio: int = 0
    bimestre: int = 0
    impeditivas: int = 0
    avisos: int = 0
    percentual: str | None = None  # plain decimal text; None when the base is zero
    percentual_minimo: str = ""
    coluna: str = ""
    abaixo_minimo: bool = False
    digest: str = ""  # the content digest the file carries
    erro: str = ""  # the reader's message when the file cannot be read


@dataclass(frozen=True, slots=True)
class ItemCarteira:
    """One declaration of the portfolio, with its situation."""

    caminho: Path
    resumo: Resumo
    situacao: str  # a key of SITUACOES
    situacao_texto: str
    protocolo: str = ""
    copia: Path | None = None

    @property
    def legivel(self) -> bool:
        return not self.resumo.erro

    @property
    def percentual(self) -> Decimal | None:
        p = self.resumo.percentual
        return Decimal(p) if p is not None else None

    @property
    def percentual_texto(self) -> str:
        p = self.percentual
        return "—" if p is None else f"{apresentar_percentual(p)}%"

    def texto_criticas(self) -> str:
        if not self.legivel:
            return "—"
        r = self.resumo
        return f"{r.impeditivas} impeditiva(s), {r.avisos} aviso(s)"

    def para_dict(self, raiz: Path | None = None) -> dict[str, Any]:
        r = self.resumo
        rel = self.caminho
        if raiz is not None:
            try:
                rel = self.caminho.relative_to(raiz)
            except ValueError:
                pass
        return {
            "arquivo": str(self.caminho),
            "relativo": str(rel),
            "ente_codigo": r.ente_codigo,
            "ente": r.ente,
            "uf": r.uf,
            "esfera": r.esfera,
            "exercicio": r.exercicio,
            "bimestre": r.bimestre,
            "impeditivas": r.impeditivas,
            "avisos": r.avisos,
            "percentual": r.percentual,
            "percentual_minimo": r.percentual_minimo,
            "coluna": r.coluna,
            "abaixo_minimo": r.abaixo_minimo,
            "situacao": self.situacao,
            "situacao_texto": self.situacao_texto,
            "protocolo": self.protocolo,
            "copia": None if self.copia is None else str(self.copia),
            "erro": r.erro,
        }


# --- finding and summarizing ----------------------------------------------------------------


def declaracoes(pasta: Path) -> Iterator[Path]:
    """Every ``.OPS`` under ``pasta`` (sorted), except in ``transm`` and hidden folders."""
    achados: list[Path] = []
    for raiz, dirs, arquivos in os.walk(pasta):
        dirs[:] = [x for x in dirs if x.lower() != PASTA_TRANSMISSAO and not x.startswith(".")]
        for nome in arquivos:
            if nome.lower().endswith(".ops") and not nome.startswith("."):
                achados.append(Path(raiz) / nome)
    yield from sorted(achados)


def digest_do_arquivo(caminho: Path) -> str:
    """The content digest a ``.OPS`` carries (its ``<resumo>``, at the end), or ""."""
    try:
        with open(caminho, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 1024))
            fim = fh.read()
    except OSError:
        return ""
    m = _RESUMO.search(fim)
    return m.group(1).decode("ascii").lower() if m else ""


def resumir(caminho: Path) -> Resumo:
    """Read one declaration and run the críticas (the slow part the cache spares)."""
    from siops.criticas import verificar
    from siops.ops_format import ArquivoInvalido, ler

    try:
        d = ler(caminho)
    except ArquivoInvalido as exc:
        return Resumo(erro=str(exc))
    achados = verificar(d)
    imp = sum(1 for a in achados if a.impeditiva)
    col = d.coluna_apuracao
    ind = d.indicadores(col)
    return Resumo(
        ente_codigo=d.ente.codigo,
        ente=d.ente.descricao,
        uf=d.ente.uf,
        esfera=d.ente.esfera,
        exercicio=d.exercicio,
        bimestre=d.bimestre,
        impeditivas=imp,
        avisos=len(achados) - imp,
        percentual=str(ind.percentual) if ind.base else None,
        percentual_minimo=str(ind.percentual_minimo),
        coluna=col,
        abaixo_minimo=bool(ind.base) and ind.diferenca < 0,
        digest=digest_do_arquivo(caminho),
    )


def caminho_copia(caminho: Path, r: Resumo) -> Path | None:
    """The transmission copy of a working file (``transm/<nome padrão>.OPS``), by its ente."""
    if r.erro:
        return None
    from siops.forms.entes import EnteDesconhecido, ente
    from siops.ops_format.caminhos import nome_arquivo

    try:
        e = ente(r.ente_codigo)
    except EnteDesconhecido:
        return None
    return caminho.parent / PASTA_TRANSMISSAO / nome_arquivo(e, r.exercicio, r.bimestre)


class _Fila:
    """The Transmissor's offline queue read once (``estado_arquivo`` asks it per copy)."""

    def __init__(self, itens: Iterable[Any]) -> None:
        self._por_arquivo = {i.arquivo: i for i in itens}

    def contem(self, arquivo: Any) -> Any:
        return self._por_arquivo.get(str(Path(arquivo).resolve()))


def ler_fila() -> _Fila:
    """The queue of the Transmissor's data folder, read without creating anything (the same
    folder rule as ``transmissor.config.pasta_dados``)."""
    from siops.transmissor.config import VARIAVEL_DADOS
    from siops.transmissor.fila import FilaOffline

    definida = os.environ.get(VARIAVEL_DADOS, "").strip()
    if definida:
        pasta = Path(definida).expanduser()
    else:
        import platformdirs

        pasta = Path(platformdirs.user_data_dir("siops-desktop", appauthor=False)) / "transmissor"
    fila = pasta / "fila"
    if not (fila / "fila.json").is_file():
        return _Fila(())
    try:
        return _Fila(FilaOffline(fila).itens())
    except OSError:
        return _Fila(())


def situacao(caminho: Path, r: Resumo, fila: Any = None) -> tuple[str, str, str, Path | None]:
    """(situação, texto, protocolo, cópia) of a working file, from its transmission copy and
    the receipts beside it."""
    if r.erro:
        return "ilegivel", r.erro, "", None
    copia = caminho_copia(caminho, r)
    if copia is None or not copia.is_file():
        return "em_preenchimento", SITUACOES["em_preenchimento"], "", None
    from siops.transmissor.operacoes import estado_arquivo

    est = estado_arquivo(copia, fila)
    mudou = bool(r.digest) and digest_do_arquivo(copia) not in ("", r.digest)
    depois = "; o arquivo mudou depois da cópia (grave de novo)"
    if est.estado == "homologado":
        return "homologada", est.texto + (depois if mudou else ""), est.protocolo, copia
    if est.estado == "transmitido":
        return "transmitida", est.texto + (depois if mudou else ""), est.protocolo, copia
    if est.estado == "na_fila":
        return "na_fila", est.texto, est.protocolo, copia
    if est.estado == "recusado":
        return "recusada", est.texto, est.protocolo, copia
    if mudou:
        return "alterada", "gravada, mas o arquivo mudou depois da cópia (grave de novo)", "", copia
    texto = "gravada para transmissão"
    if "alterado depois" in est.texto:
        texto += " (de novo, depois da última transmissão)"
    return "gravada", texto, "", copia


# --- the cache -----------------------------------------------------------------------------


def _versao_cache() -> str:
    from siops.criticas import REGRAS
    from siops.relatorios.versao import versao_programa

    return f"{CACHE_VERSAO}:{versao_programa()}:{len(REGRAS)}"


class Cache:
    """The summaries already computed, by file (see module docstring); ``pasta=None`` keeps
    it in memory only."""

    def __init__(self, pasta: Path | None) -> None:
        self.arquivo = pasta / NOME_CACHE if pasta is not None else None
        self.versao = _versao_cache()
        self._itens: dict[str, dict[str, Any]] = {}
        self.mudou = False
        if self.arquivo is not None:
            try:
                dados = json.loads(self.arquivo.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                dados = {}
            if isinstance(dados, dict) and dados.get("versao") == self.versao:
                itens = dados.get("itens")
                if isinstance(itens, dict):
                    self._itens = itens

    @staticmethod
    def _marca(st: os.stat_result) -> list[int]:
        return [st.st_size, st.st_mtime_ns]

    def obter(self, caminho: Path, st: os.stat_result) -> Resumo | None:
        e = self._itens.get(str(caminho))
        if not e or e.get("marca") != self._marca(st):
            return None
        try:
            return Resumo(**e["resumo"])
        except (TypeError, KeyError):
            return None

    def guardar(self, caminho: Path, st: os.stat_result, r: Resumo) -> None:
        self._itens[str(caminho)] = {"marca": self._marca(st), "resumo": asdict(r)}
        self.mudou = True

    def esquecer(self, caminho: Path) -> None:
        if self._itens.pop(str(caminho), None) is not None:
            self.mudou = True

    def gravar(self) -> None:
        """Write the cache (best effort: a cache that cannot be written is not an error)."""
        if self.arquivo is None or not self.mudou:
            return
        texto = json.dumps({"versao": self.versao, "itens": self._itens}, ensure_ascii=False)
        try:
            self.arquivo.parent.mkdir(parents=True, exist_ok=True)
            tmp = self.arquivo.with_name(f".{self.arquivo.name}.{os.getpid()}.tmp")
            tmp.write_text(texto, encoding="utf-8")
            os.replace(tmp, self.arquivo)
            self.mudou = False
        except OSError:
            pass


def cache_padrao() -> Cache:
    """The cache in the client's data folder (``preferencias.pasta_dados``)."""
    from siops.app.preferencias import pasta_dados

    return Cache(pasta_dados())


# --- the portfolio ---------------------------------------------------------------------------


def item(caminho: Path, cache: Cache | None = None, fila: Any = None) -> ItemCarteira:
    """One file of the portfolio (summary from the cache when the file did not change)."""
    caminho = Path(caminho)
    try:
        st = caminho.stat()
    except OSError as exc:
        erro = Resumo(erro=f"Não foi possível ler {caminho}: {exc.strerror}.")
        return ItemCarteira(caminho, erro, "ilegivel", erro.erro)
    r = cache.obter(caminho, st) if cache is not None else None
    if r is None:
        r = resumir(caminho)
        if cache is not None:
            cache.guardar(caminho, st, r)
    sit, texto, protocolo, copia = situacao(caminho, r, fila)
    return ItemCarteira(caminho, r, sit, texto, protocolo, copia)


def listar(
    pasta: Path,
    cache: Cache | None = None,
    progresso: Callable[[int, int], None] | None = None,
) -> list[ItemCarteira]:
    """Every declaration under ``pasta`` with its summary and situation (see module docstring).

    ``cache``: summaries already computed (``cache_padrao()``; None reads every file);
    ``progresso(feitos, total)`` is called after each file.
    """
    arquivos = list(declaracoes(Path(pasta)))
    fila = ler_fila()
    out = []
    for n, p in enumerate(arquivos, 1):
        out.append(item(p, cache, fila))
        if progresso is not None:
            progresso(n, len(arquivos))
    if cache is not None:
        cache.gravar()
    return out


def atualizar(it: ItemCarteira, cache: Cache | None = None) -> ItemCarteira:
    """The same file read again (after validar or gravar para transmissão)."""
    if cache is not None:
        cache.esquecer(it.caminho)
    novo = item(it.caminho, cache, ler_fila())
    if cache is not None:
        cache.gravar()
    return novo


def ordenar(itens: Iterable[ItemCarteira]) -> list[ItemCarteira]:
    """The command line's order: ente, exercício, bimestre, then the path."""
    return sorted(
        itens,
        key=lambda i: (
            i.resumo.ente or "~",
            i.resumo.exercicio,
            i.resumo.bimestre,
            str(i.caminho),
        ),
    )


# --- actions on the selection ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ResultadoAcao:
    """What an action did to one file: ``ok`` and the sentence for the user."""

    caminho: Path
    ok: bool
    mensagem: str
    item: ItemCarteira | None = None


def validar(it: ItemCarteira, cache: Cache | None = None) -> ResultadoAcao:
    """Run the críticas again on the file (the listing's figures are refreshed)."""
    from siops.criticas import verificar
    from siops.ops_format import ArquivoInvalido, ler

    try:
        d = ler(it.caminho)
    except ArquivoInvalido as exc:
        return ResultadoAcao(it.caminho, False, str(exc), atualizar(it, cache))
    achados = verificar(d)
    imp = [a for a in achados if a.impeditiva]
    novo = atualizar(it, cache)
    if imp:
        linhas = "; ".join(f"{a.codigo} — {a.mensagem}" for a in imp[:3])
        mais = f" (e mais {len(imp) - 3})" if len(imp) > 3 else ""
        return ResultadoAcao(
            it.caminho,
            False,
            f"{it.caminho.name}: {len(imp)} crítica(s) impeditiva(s): {linhas}{mais}.",
            novo,
        )
    av = len(achados)
    return ResultadoAcao(
        it.caminho,
        True,
        f"{it.caminho.name}: nenhuma crítica impeditiva"
        + (f", {av} aviso(s)." if av else ", nenhum aviso."),
        novo,
    )


def gravar_para_transmissao(it: ItemCarteira, cache: Cache | None = None) -> ResultadoAcao:
    """ "Gravar arquivo para transmissão" on a file of the portfolio: refused while it has
    impeditivas (``ops_format.gravar_transmissao``)."""
    from siops.criticas import verificar
    from siops.ops_format import (
        ArquivoInvalido,
        ErroGravacao,
        TransmissaoRecusada,
        gravar_transmissao,
        ler,
    )

    try:
        d = ler(it.caminho)
        destino = gravar_transmissao(d, it.caminho, verificar(d))
    except TransmissaoRecusada as exc:
        return ResultadoAcao(it.caminho, False, f"{it.caminho.name}: {exc}", atualizar(it, cache))
    except (ArquivoInvalido, ErroGravacao) as exc:
        return ResultadoAcao(it.caminho, False, f"{it.caminho.name}: {exc}", atualizar(it, cache))
    novo = atualizar(it, cache)
    return ResultadoAcao(
        it.caminho, True, f"{it.caminho.name}: cópia para transmissão gravada em {destino}.", novo
    )


def texto(itens: list[ItemCarteira], raiz: Path | None = None) -> str:
    """The portfolio as a plain-text table (``siops carteira`` without ``--json``)."""
    if not itens:
        return "Nenhuma declaração (.OPS) encontrada."
    cab = ("Arquivo", "Ente", "Ano", "Bim.", "Impeditivas", "Avisos", "% ASPS", "Situação")
    linhas = []
    for i in itens:
        r = i.resumo
        rel: Path | str = i.caminho
        if raiz is not None:
            try:
                rel = i.caminho.relative_to(raiz)
            except ValueError:
                pass
        linhas.append(
            (
                str(rel),
                r.ente or "—",
                str(r.exercicio or "—"),
                f"{r.bimestre}º" if r.bimestre else "—",
                str(r.impeditivas) if i.legivel else "—",
                str(r.avisos) if i.legivel else "—",
                i.percentual_texto + (" (abaixo)" if r.abaixo_minimo else ""),
                i.situacao_texto,
            )
        )
    larguras = [max(len(c), *(len(x[n]) for x in linhas)) for n, c in enumerate(cab)]
    larguras[-1] = 0
    fmt = "  ".join(f"{{:<{w}}}" for w in larguras)
    out = [fmt.format(*cab).rstrip()] + [fmt.format(*x).rstrip() for x in linhas]
    n = len(itens)
    imp = sum(1 for i in itens if i.legivel and i.resumo.impeditivas)
    hom = sum(1 for i in itens if i.situacao == "homologada")
    out.append(
        f"\n{n} declaraç{'ões' if n > 1 else 'ão'}; {imp} com crítica impeditiva; "
        f"{hom} homologada(s)."
    )
    return "\n".join(out)


def com_situacao(it: ItemCarteira) -> ItemCarteira:
    """The item with its situation recomputed (the receipts may have changed)."""
    sit, txt, protocolo, copia = situacao(it.caminho, it.resumo, ler_fila())
    return replace(it, situacao=sit, situacao_texto=txt, protocolo=protocolo, copia=copia)
