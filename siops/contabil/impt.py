"""The SIOPS integration file (``.IMPT``), in and out, on the ledger (``forms.razao``).

Municipal ERPs export the ledger for the official program's *Dados → Importar* as a set of
``.IMPT`` text files, usually shipped in a flat ``Siops.zip``. The layout is the one the public
e-cidade ERP writes (``model/contabilidade/arquivos/siops/2024/SiopsIMPT.model.php`` and
``Siops.model.php``; ``resources/legacy/contabilidade/con4_siops.RPC.php``; the
``nomearqdessiops`` migrations ``oc10701``, ``oc15929``, ``oc22007``):

* **despesas** — one file per planilha × subfunção, ``NN_<nome>.IMPT`` (``NN`` = 01, 02 … in
  the order written; ``<nome>`` from ``nomearqdessiops``, e.g.
  ``01_Desp_Rec_Impostos_Transf_Aten_Basica.IMPT``), one line per elemento::

      4_12;3.3.90.39.00.00;<campo>;V0:[>R$1234,56<]:-[13](Dotação Inicial);V1:[>R$…<]:-[12]
      (Dotação Atualizada);V2:…[9](Despesas Empenhadas);V3:…[10](Despesas Liquidadas);
      V4:…[11](Despesas Pagas);V5:…[14](Inscritas em Restos a Pagar Não Processados);
      V6:…[8](Despesas Orçadas);#L123;#C7;

  (``4`` the planilha, ``12`` the subfunção suffix: ``SUBFUNCOES_RAZAO``);
* **receitas** — ``Receita_Siops.IMPT``: ``1;1.1.12.50.01;<campo>;V0 (a) previsão inicial;
  V1 (b) previsão atualizada; V2 (c) realizada bruta; V3 (d) deduções; V4 (e) = c − d, the ASPS
  base; V5 (f) dedução para o FUNDEB; V6 (g) = c − d − f; V7 receita orçada;#Lnnn;#C8;``
  (natureza with 8 digits, formatted ``x.x.xx.xx.xx``);
* **informações complementares** — ``Inf_Complementares.IMPT``: ``96;x.x.x.x.xx.x.x;<campo>;
  V0;V1;V2;#Ln;#Cn;`` (the official program's cell ids: kept and exported, see
  ``ChaveComplementar``).

Values are PHP's ``number_format($v, 2, ',', '')`` (no thousands separator, decimal comma,
a leading ``-`` when negative); the text is UTF-8 (``utf8_encode``); lines end in CRLF.

Reading (``ler``) takes a ``.zip``, a folder or one ``.IMPT``; zip members are read in memory
(never extracted), with limits against zip bombs (``MAX_MEMBROS``, ``MAX_BYTES_ARQUIVO``,
``MAX_BYTES_TOTAL``); a member whose name climbs out of the zip (``..``, an absolute path, a
drive letter) makes the whole zip refused; members in a subfolder are read (the name is only
shown, never used as a path); members that are not ``.IMPT`` (and macOS's ``__MACOSX/``,
``._*``) are skipped with a warning. Text is UTF-8, strictly (an optional BOM); another
encoding is an error with the line. Every line is checked — field count, known planilha and
subfunção, natureza, each value ``R$-?\\d+,\\d{2}`` (``1.234,56`` with well-formed thousands is
accepted too; ``R$1.2.3`` or ``R$12.50`` are not), the column ids ``[13]``, ``[12]`` … in
their places (the titles after them are free) — and the first problem is an ``ErroContabil``
with the file and the line: nothing is applied. Nothing is dropped in silence:
an unknown planilha is an error, not a skipped line.

Decisions (documented here because the format does not say):

* **Repeated lines** of the same key (planilha × subfunção × elemento, or natureza) are
  **summed** — the e-cidade itself groups by that key before writing (``agrupaDespesas``) —
  and the preview lists them. Their ``campo``/``#L`` are the first line's.
* **(e) and (g) of the receitas** are computed columns; the ledger keeps (c), (d) and (f) and
  recomputes them. A line whose (e) is not ``c − d`` or whose (g) is not ``c − d − f`` is
  refused — *except* for the two forms the e-cidade really writes: it fills (e) only for the
  naturezas of the ASPS base (so ``(e) = 0`` elsewhere), and it computes (e) and (g) per
  source row and sums them, so a natureza with a dedução gets ``(e) = c + d`` and ``(g) = c``
  (``Siops.model.php``, ``setReceitas``/``agrupaReceitas``). Those are accepted with a
  warning that lists the lines: refusing them would refuse every file that ERP writes.
* **Columns filled only in the 6º bimestre** (inscritas em RP não processados, orçada) with a
  value, read into a declaration of another bimestre: an **error** with the line (the file is
  most likely of another bimestre), never a silent drop.

Applying (``PreviaImpt.aplicar``) is one ``SubstituirRazao`` — one undo step — that replaces
the parts present in the source (despesas when there are despesa files, receitas when there
is a receita file, informações complementares likewise) and keeps the other ledger lines. The
preview reconciles, per planilha and per column, the file's total with what the ledger holds
after applying (to the cent), split into what lands in an Anexo 12 row and what stays outside
(each outside line listed with the reason), and shows the ASPS percentage before → after.

Writing (``escrever``) is the same layout, one file per planilha × subfunção with the e-cidade's
name, ``Receita_Siops.IMPT``, ``Inf_Complementares.IMPT``, in a flat zip, written atomically.
The ``campo`` and ``#L`` of a line are those read from an ``.IMPT`` (``Declaracao.ids_siops``);
for lines born here they are left empty: the official program's codes for them are not known.
Receitas the layout cannot carry (split by fonte, or a natureza of other than 8 digits) are
left out with a warning naming them.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from siops.contabil.erros import ErroContabil
from siops.forms.declaracao import Declaracao, EdicaoInvalida, SubstituirRazao
from siops.forms.dinheiro import ZERO, apresentar_percentual, formatar
from siops.forms.razao import (
    PLANILHAS,
    SUBFUNCOES_RAZAO,
    ChaveComplementar,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    coluna_de,
    formatar_natureza_despesa,
    natureza_despesa,
    natureza_receita,
    planilha,
    subfuncao,
)

__all__ = [
    "COMPLEMENTARES",
    "DESPESAS",
    "RECEITAS",
    "ArquivoImpt",
    "Exportacao",
    "LinhaImpt",
    "PreviaImpt",
    "conteudo",
    "escrever",
    "importar",
    "ler",
    "previa",
]

#: Limits against zip bombs and runaway files (an e-cidade zip has at most ~130 files of a few
#: hundred kB: 16 planilhas × 8 subfunções, the receitas and the complementares).
MAX_MEMBROS = 1000
MAX_BYTES_ARQUIVO = 32 * 1024 * 1024  # one .IMPT, uncompressed
MAX_BYTES_TOTAL = 128 * 1024 * 1024  # all of them

DESPESAS = "despesas"
RECEITAS = "receitas"
COMPLEMENTARES = "complementares"
NOMES_PARTE = {
    DESPESAS: "despesas",
    RECEITAS: "receitas",
    COMPLEMENTARES: "informações complementares",
}
ARQUIVO_RECEITA = "Receita_Siops.IMPT"
ARQUIVO_COMPLEMENTAR = "Inf_Complementares.IMPT"
#: ``bin/zip -q Siops.zip …`` in ``con4_siops.RPC.php``.
NOME_ZIP = "Siops.zip"

# --- the columns, as the e-cidade writes them --------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColunaImpt:
    """One ``Vn`` of a layout: the ledger column (``None`` for SIOPS's computed (e) and (g)),
    the official column id between brackets, and the title written after it."""

    coluna: str | None
    codigo: str
    titulo: str


COLUNAS_DESPESA: tuple[ColunaImpt, ...] = (
    ColunaImpt("dotacao_inicial", "13", "(Dotação Inicial)"),
    ColunaImpt("dotacao_atualizada", "12", "(Dotação Atualizada)"),
    ColunaImpt("empenhada", "9", "(Despesas Empenhadas)"),
    ColunaImpt("liquidada", "10", "(Despesas Liquidadas)"),
    ColunaImpt("paga", "11", "(Despesas Pagas)"),
    ColunaImpt("inscritas_rpnp", "14", "(Inscritas em Restos a Pagar Não Processados)"),
    ColunaImpt("orcada", "8", "(Despesas Orçadas)"),
)
COLUNAS_RECEITA: tuple[ColunaImpt, ...] = (
    ColunaImpt("previsao_inicial", "17", "(Previsão Inicial das Receitas Brutas (a))"),
    ColunaImpt("previsao_atualizada", "15", "(Previsão Atualizada das Receitas Brutas (b))"),
    ColunaImpt("realizada", "18", "(Receitas Realizadas Brutas (c))"),
    ColunaImpt("deducoes", "6", "(Deduções das Receitas (d))"),
    ColunaImpt(
        None,
        "20",
        "(Receitas Realizadas da base para cálculo do percentual de aplicacao em ASPS (e) = (c-d))",
    ),
    ColunaImpt("deducao_fundeb", "5", "(Dedução Para Formação do FUNDEB (f))"),
    # sic: the e-cidade's title lacks its last closing parenthesis
    ColunaImpt(None, "24", "(Total Geral das Receitas Liquidas Realizadas (g) = (c-d-f)"),
    ColunaImpt("orcada", "22", "(Receitas Orçadas)"),
)
COLUNAS_COMPLEMENTAR: tuple[ColunaImpt, ...] = COLUNAS_RECEITA[:3]


@dataclass(frozen=True, slots=True)
class _Layout:
    parte: str
    nome: str  # for messages
    colunas: tuple[ColunaImpt, ...]
    coluna_c: str | None  # the fixed last field ("#C7"), None when it varies
    formato_natureza: tuple[int, ...]  # digits per dotted group
    exemplo_natureza: str

    @property
    def campos(self) -> int:
        """Fields separated by ';' (without the empty one after the trailing ';')."""
        return 3 + len(self.colunas) + 2


_DESPESA = _Layout(
    DESPESAS, "despesa", COLUNAS_DESPESA, "#C7", (1, 1, 2, 2, 2, 2), "3.3.90.39.00.00"
)
_RECEITA = _Layout(RECEITAS, "receita", COLUNAS_RECEITA, "#C8", (1, 1, 2, 2, 2), "1.1.12.50.01")
_COMPLEMENTAR = _Layout(
    COMPLEMENTARES,
    "informação complementar",
    COLUNAS_COMPLEMENTAR,
    None,
    (1, 1, 1, 1, 2, 1, 1),
    "1.9.2.2.01.0.0",
)

_CODIGOS_PLANILHA = {p.codigo for p in PLANILHAS}
_SUBFUNCAO_DO_SUFIXO = {s.sufixo: s.id for s in SUBFUNCOES_RAZAO}


def _v(i: int, c: ColunaImpt) -> str:
    # on the text with commas and dots swapped (see ``_ler_membro``)
    return rf"V{i}:\[>R\$(-?\d+\.\d\d)<\]:-\[{c.codigo}\]" + re.escape(c.titulo) + ";"


# The fast path: the exact form the e-cidade writes (anything else goes to ``_analisar``, which
# accepts the tolerated variants and explains the rest).
_RE_DESPESA = re.compile(
    "("
    + "|".join(sorted(_CODIGOS_PLANILHA, key=len, reverse=True))
    + r")_(1[1-8]);((?:3,[123]|4,[456]),\d\d,\d\d,\d\d,\d\d);(\d*);"
    + "".join(_v(i, c) for i, c in enumerate(COLUNAS_DESPESA))
    + r"(#L\d+|);#C7;\r?(?:\n|\Z)",
    re.A,
)
_RE_RECEITA = re.compile(
    r"1;(\d,\d,\d\d,\d\d,\d\d);(\d*);"
    + "".join(_v(i, c) for i, c in enumerate(COLUNAS_RECEITA))
    + r"(#L\d+|);#C8;\r?(?:\n|\Z)",
    re.A,
)
_RE_VALOR_CAMPO = re.compile(r"V(\d+):\[>R\$([^<]*)<\](.*)", re.S | re.A)
_RE_ROTULO = re.compile(r":-\[(\d+)\]", re.A)
_RE_NUMERO = re.compile(r"-?(?:\d+|\d{1,3}(?:\.\d{3})+),\d\d", re.A)
_RE_LINHA = re.compile(r"#L\d+", re.A)
_RE_COLUNA = re.compile(r"#C\d+", re.A)
_RE_DIGITOS = re.compile(r"\d+", re.A)
_RE_PLANILHA = re.compile(r"(\d+)_(\d+)", re.A)

# --- what is read ---------------------------------------------------------------------------


class LinhaImpt(NamedTuple):
    """One line read: where it is, its ledger key, its values (ledger columns, zeros too) and
    the official program's ids (``campo`` and ``#Lnnn``)."""

    arquivo: str
    numero: int
    chave: ChaveRazao
    valores: dict[str, Decimal]
    campo: str
    id_linha: str

    @property
    def parte(self) -> str:
        return _parte(self.chave)


@dataclass(slots=True)
class MembroImpt:
    """One ``.IMPT`` of the source: its name, the parts its lines hold, its line count."""

    nome: str
    partes: set[str]
    linhas: int


@dataclass(slots=True)
class ArquivoImpt:
    """What ``ler`` read: the lines (checked), the ledger they make and the warnings."""

    origem: Path
    membros: list[MembroImpt] = field(default_factory=list)
    linhas: list[LinhaImpt] = field(default_factory=list)
    #: the ledger of the file (repeated keys summed)
    razao: dict[ChaveRazao, dict[str, Decimal]] = field(default_factory=dict)
    #: (key, first line, repeating line) of each repeated key
    repetidas: list[tuple[ChaveRazao, tuple[str, int], tuple[str, int]]] = field(
        default_factory=list
    )
    calculadas_erp: list[tuple[str, int]] = field(default_factory=list)
    avisos: list[str] = field(default_factory=list)
    _primeira: dict[ChaveRazao, LinhaImpt] | None = None

    @property
    def partes(self) -> frozenset[str]:
        return frozenset(p for m in self.membros for p in m.partes)

    @property
    def primeira(self) -> dict[ChaveRazao, LinhaImpt]:
        """The first line of each key (computed once, when asked)."""
        if self._primeira is None:
            self._primeira = {}
            for linha in reversed(self.linhas):
                self._primeira[linha.chave] = linha
        return self._primeira

    @property
    def ids(self) -> dict[ChaveRazao, tuple[str, str]]:
        """The official ids (campo, ``#Lnnn``) of each key, from its first line (a
        complementar's key holds them itself)."""
        return {
            k: (linha.campo, linha.id_linha)
            for k, linha in self.primeira.items()
            if (linha.campo or linha.id_linha) and not isinstance(k, ChaveComplementar)
        }

    def _incluir(self, linha: LinhaImpt) -> None:
        self.linhas.append(linha)
        if self.razao.setdefault(linha.chave, linha.valores) is not linha.valores:
            self._somar(linha)

    def _somar(self, linha: LinhaImpt) -> None:
        """A repeated key: summed into a new dict (the lines keep their own values)."""
        k = linha.chave
        soma = dict(self.razao[k])
        for c, v in linha.valores.items():
            soma[c] = soma.get(c, ZERO) + v
        self.razao[k] = soma
        self.repetidas.append((k, ("", 0), (linha.arquivo, linha.numero)))

    def _resolver_repetidas(self) -> None:
        self._primeira = None
        p = self.primeira
        self.repetidas = [
            (k, (p[k].arquivo, p[k].numero), segunda) for k, _, segunda in self.repetidas
        ]


def _parte(k: ChaveRazao) -> str:
    if isinstance(k, ChaveDespesa):
        return DESPESAS
    if isinstance(k, ChaveReceita):
        return RECEITAS
    return COMPLEMENTARES


# --- reading the source: zip, folder or one file ---------------------------------------------


def _nome_suspeito(nome: str) -> bool:
    n = nome.replace("\\", "/")
    if n.startswith("/") or re.match(r"[A-Za-z]:", n):
        return True
    return any(parte == ".." for parte in n.split("/"))


def _membros_zip(origem: Path, avisos: list[str]) -> Iterator[tuple[str, bytes]]:
    try:
        z = zipfile.ZipFile(origem)
    except zipfile.BadZipFile:
        raise ErroContabil(
            "o arquivo não é um .zip válido (está corrompido ou incompleto).", None, origem
        ) from None
    except OSError as exc:
        raise ErroContabil(
            f"não foi possível ler o arquivo: {exc.strerror}.", None, origem
        ) from None
    with z:
        infos = z.infolist()
        if len(infos) > MAX_MEMBROS:
            raise ErroContabil(
                f"o zip tem {len(infos)} arquivos; o limite é {MAX_MEMBROS} (um Siops.zip tem "
                "um arquivo por planilha e subfunção, a receita e as informações "
                "complementares).",
                None,
                origem,
            )
        for info in infos:
            if _nome_suspeito(info.filename):
                raise ErroContabil(
                    f"o zip contém um arquivo com caminho suspeito ('{info.filename}'), que "
                    "apontaria para fora da pasta; por segurança o zip inteiro foi recusado.",
                    None,
                    origem,
                )
        total = 0
        ignorados = []
        for info in infos:
            if info.is_dir():
                continue
            nome = info.filename.replace("\\", "/")
            base = PurePosixPath(nome).name
            if nome.startswith("__MACOSX/") or base.startswith("._"):
                ignorados.append(nome)
                continue
            if not base.lower().endswith(".impt"):
                ignorados.append(nome)
                continue
            if info.flag_bits & 0x1:
                raise ErroContabil(
                    f"o arquivo '{nome}' dentro do zip está protegido por senha.", None, origem
                )
            if info.file_size > MAX_BYTES_ARQUIVO:
                raise _grande(nome, info.file_size, origem)
            try:
                with z.open(info) as f:
                    dados = f.read(MAX_BYTES_ARQUIVO + 1)
            except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError):
                raise ErroContabil(
                    f"o arquivo '{nome}' dentro do zip está corrompido.", None, origem
                ) from None
            if len(dados) > MAX_BYTES_ARQUIVO:
                raise _grande(nome, len(dados), origem)
            total += len(dados)
            if total > MAX_BYTES_TOTAL:
                raise ErroContabil(
                    f"o conteúdo do zip passa de {MAX_BYTES_TOTAL // 2**20} MB descomprimido; "
                    "isso não é um Siops.zip.",
                    None,
                    origem,
                )
            yield nome, dados
        if ignorados:
            avisos.append(
                f"{len(ignorados)} arquivo(s) do zip que não são .IMPT foram ignorados: "
                + ", ".join(ignorados[:5])
                + (" …" if len(ignorados) > 5 else "")
                + "."
            )


def _grande(nome: str, tamanho: int, origem: Path) -> ErroContabil:
    return ErroContabil(
        f"o arquivo '{nome}' tem {tamanho / 2**20:.1f} MB descomprimido; o limite de um .IMPT é "
        f"{MAX_BYTES_ARQUIVO // 2**20} MB (um município grande tem poucos MB).",
        None,
        origem,
    )


def _ler_arquivo(caminho: Path) -> bytes:
    try:
        tamanho = caminho.stat().st_size
        if tamanho > MAX_BYTES_ARQUIVO:
            raise _grande(caminho.name, tamanho, caminho)
        return caminho.read_bytes()
    except OSError as exc:
        raise ErroContabil(
            f"não foi possível ler o arquivo: {exc.strerror}.", None, caminho
        ) from None


def _membros(origem: Path, avisos: list[str]) -> Iterator[tuple[str, bytes]]:
    if not origem.exists():
        raise ErroContabil("arquivo ou pasta não encontrado.", None, origem)
    if origem.is_dir():
        arquivos = sorted(
            (p for p in origem.iterdir() if p.is_file() and p.suffix.lower() == ".impt"),
            key=lambda p: p.name,
        )
        if not arquivos:
            raise ErroContabil(
                "a pasta não tem arquivos .IMPT (informe a pasta onde a contabilidade gravou "
                "os .IMPT, o Siops.zip ou um arquivo .IMPT).",
                None,
                origem,
            )
        if len(arquivos) > MAX_MEMBROS:
            raise ErroContabil(
                f"a pasta tem {len(arquivos)} arquivos .IMPT; o limite é {MAX_MEMBROS}.",
                None,
                origem,
            )
        outros = sum(1 for p in origem.iterdir() if p.is_file()) - len(arquivos)
        if outros:
            avisos.append(f"{outros} arquivo(s) da pasta que não são .IMPT foram ignorados.")
        total = 0
        for p in arquivos:
            dados = _ler_arquivo(p)
            total += len(dados)
            if total > MAX_BYTES_TOTAL:
                raise ErroContabil(
                    f"os .IMPT da pasta passam de {MAX_BYTES_TOTAL // 2**20} MB.", None, origem
                )
            yield p.name, dados
        return
    if zipfile.is_zipfile(origem):
        yield from _membros_zip(origem, avisos)
        return
    yield origem.name, _ler_arquivo(origem)


def _texto(nome: str, dados: bytes) -> str:
    """UTF-8 (an optional BOM), strictly; another encoding is an error with the line."""
    if dados.startswith(b"\xef\xbb\xbf"):
        dados = dados[3:]
    try:
        return dados.decode("utf-8")
    except UnicodeDecodeError as exc:
        linha = dados.count(b"\n", 0, exc.start) + 1
        byte = dados[exc.start]
        raise ErroContabil(
            f"o arquivo não está em UTF-8: o byte 0x{byte:02X} não é UTF-8 válido (o texto "
            "parece ter sido gravado em Latin-1/Windows-1252). O .IMPT do SIOPS é gravado em "
            "UTF-8: gere o arquivo de novo na contabilidade ou converta-o para UTF-8.",
            linha,
            nome,
        ) from None


def ler(origem: Path) -> ArquivoImpt:
    """Read and check a ``.zip``, a folder of ``.IMPT`` or one ``.IMPT``; raises
    ``ErroContabil`` (file and line) at the first problem."""
    origem = Path(origem)
    arq = ArquivoImpt(origem)
    nenhum = True
    for nome, dados in _membros(origem, arq.avisos):
        nenhum = False
        _ler_membro(arq, nome, _texto(nome, dados))
    if nenhum:
        raise ErroContabil("o zip não tem arquivos .IMPT.", None, origem)
    if not arq.partes:
        raise ErroContabil(
            "nenhuma linha de despesa, receita ou informação complementar foi encontrada.",
            None,
            origem,
        )
    if arq.repetidas:
        arq._resolver_repetidas()
        exemplos = "; ".join(
            f"{k.descricao()}: {a1} linha {n1} e {a2} linha {n2}"
            for k, (a1, n1), (a2, n2) in arq.repetidas[:5]
        )
        arq.avisos.append(
            f"{len(arq.repetidas)} linha(s) repetem a chave de uma linha anterior e foram "
            f"SOMADAS a ela (como o e-cidade agrupa): {exemplos}"
            + (" …" if len(arq.repetidas) > 5 else "")
            + "."
        )
    if arq.calculadas_erp:
        onde = ", ".join(f"{a} linha {n}" for a, n in arq.calculadas_erp[:8])
        arq.avisos.append(
            f"{len(arq.calculadas_erp)} linha(s) de receita trazem (e) ou (g) como o e-cidade "
            "os grava (0 fora da base; c + d e c quando há deduções), não como c − d e "
            "c − d − f; o programa recalcula essas colunas a partir de (c), (d) e (f): "
            + onde
            + (" …" if len(arq.calculadas_erp) > 8 else "")
            + "."
        )
    return arq


def _parte_pelo_nome(nome: str) -> str | None:
    base = PurePosixPath(nome).name.lower()
    if base == ARQUIVO_RECEITA.lower():
        return RECEITAS
    if base == ARQUIVO_COMPLEMENTAR.lower():
        return COMPLEMENTARES
    if re.match(r"\d+_desp_", base):
        return DESPESAS
    return None


def _ler_membro(arq: ArquivoImpt, nome: str, texto: str) -> None:
    membro = MembroImpt(nome, set(), 0)
    arq.membros.append(membro)
    cols_d: list[str] = [c.coluna for c in COLUNAS_DESPESA if c.coluna]
    cols_r: list[tuple[int, str]] = [
        (i, c.coluna) for i, c in enumerate(COLUNAS_RECEITA) if c.coluna
    ]
    sufixos = _SUBFUNCAO_DO_SUFIXO
    linhas = arq.linhas
    razao = arq.razao
    despesa, receita = _RE_DESPESA.match, _RE_RECEITA.match
    # The fast path reads the text with commas and dots swapped, so that a value is ready for
    # ``Decimal`` ("1234,56" → "1234.56") and a value written with a dot ("1234.56" →
    # "1234,56") is left to the slow path, which refuses it. The swap keeps every offset: the
    # slow path (and its messages) reads the original text at the same place. Each match
    # consumes its line and its end of line. (A NUL in the text turns the fast path off.)
    if "\x00" in texto:
        conv = ""
    else:
        conv = texto.replace(".", "\x00").replace(",", ".").replace("\x00", ",")
    fim = len(texto)
    pos = n = n_despesas = n_outras = 0
    while pos < fim:
        n += 1
        m = despesa(conv, pos)
        if m is not None:
            # the pattern only matches known planilhas, suffixes and groups
            g = m.groups()
            pos = m.end()
            k = ChaveDespesa(g[0], sufixos[g[1]], g[2].replace(",", ""))
            valores = dict(zip(cols_d, map(Decimal, g[4:11]), strict=False))
            lida = LinhaImpt(nome, n, k, valores, g[3], g[11])
            linhas.append(lida)
            if razao.setdefault(k, valores) is not valores:
                arq._somar(lida)
            n_despesas += 1
            continue
        elif conv.startswith("1;", pos):
            m = receita(conv, pos)
            if m is not None:
                g = m.groups()
                nat = g[0].replace(",", "")
                if nat[0] in "1279":
                    pos = m.end()
                    vs = list(map(Decimal, g[2:10]))
                    valores = {c: vs[i] for i, c in cols_r}
                    _conferir_calculadas(arq, valores, [vs[4], vs[6]], nome, n)
                    arq._incluir(LinhaImpt(nome, n, ChaveReceita(nat), valores, g[1], g[10]))
                    membro.partes.add(RECEITAS)
                    n_outras += 1
                    continue
        q = texto.find("\n", pos)
        q = fim if q < 0 else q
        linha = texto[pos : q - 1 if texto[pos:q].endswith("\r") else q]
        pos = q + 1
        if not linha or linha.isspace():
            continue
        lida = _analisar(arq, linha, nome, n)
        arq._incluir(lida)
        membro.partes.add(lida.parte)
        n_outras += 1
    if n_despesas:
        membro.partes.add(DESPESAS)
    membro.linhas = n_despesas + n_outras
    if not membro.partes:
        parte = _parte_pelo_nome(nome)
        if parte is None:
            arq.avisos.append(f"{nome}: arquivo vazio, ignorado.")
        else:
            membro.partes.add(parte)
            arq.avisos.append(
                f"{nome}: arquivo vazio — as {NOMES_PARTE[parte]} do razão serão esvaziadas."
            )


def _erro(motivo: str, nome: str, n: int) -> ErroContabil:
    return ErroContabil(motivo, n, nome)


def _analisar(arq: ArquivoImpt, linha: str, nome: str, n: int) -> LinhaImpt:
    """The slow path: every line that is not exactly the e-cidade's form. Accepts the
    tolerated variants (no trailing ';', thousands separators, no column titles, elements
    written with fewer groups) and explains anything else."""
    campos = [c.strip() for c in linha.split(";")]
    if len(campos) > 1 and campos[-1] == "":
        campos.pop()
    cod = campos[0]
    m = _RE_PLANILHA.fullmatch(cod)
    if cod == "1":
        lay = _RECEITA
    elif cod == "96":
        lay = _COMPLEMENTAR
    elif m is not None:
        lay = _DESPESA
    else:
        raise _erro(
            f"código de planilha '{cod[:40]}' desconhecido: a linha deve começar por "
            "<planilha>_<subfunção> (despesa, ex.: 4_12), 1 (receita) ou 96 (informações "
            "complementares).",
            nome,
            n,
        )
    if lay is _DESPESA:
        assert m is not None
        plan, sufixo = m.groups()
        if plan not in _CODIGOS_PLANILHA:
            conhecidas = ", ".join(sorted(_CODIGOS_PLANILHA, key=int))
            raise _erro(
                f"planilha '{plan}' (código {cod}) desconhecida; as planilhas de despesa do "
                f"SIOPS são {conhecidas}. A linha não foi descartada: confira o arquivo.",
                nome,
                n,
            )
        if sufixo not in _SUBFUNCAO_DO_SUFIXO:
            raise _erro(
                f"subfunção '{sufixo}' (código {cod}) desconhecida: use 11 (administrativas), "
                "12 a 17 (301 a 306) ou 18 (outras).",
                nome,
                n,
            )
    if len(campos) < lay.campos:
        raise _erro(
            f"linha de {lay.nome} incompleta: esperados {lay.campos} campos separados por ';', "
            f"há {len(campos)} — a linha parece truncada.",
            nome,
            n,
        )
    if len(campos) > lay.campos:
        raise _erro(
            f"linha de {lay.nome} com campos a mais: esperados {lay.campos} separados por ';', "
            f"há {len(campos)}.",
            nome,
            n,
        )
    digitos = _natureza(campos[1], lay, nome, n)
    campo = campos[2]
    if campo and _RE_DIGITOS.fullmatch(campo) is None:
        raise _erro(f"código de campo '{campo[:40]}' inválido: use só números.", nome, n)
    valores: dict[str, Decimal] = {}
    calculadas: list[Decimal] = []
    for i, col in enumerate(lay.colunas):
        v = _valor(campos[3 + i], i, col, lay, nome, n)
        if col.coluna is None:
            calculadas.append(v)
        else:
            valores[col.coluna] = v
    id_linha = campos[3 + len(lay.colunas)]
    if id_linha and not _RE_LINHA.fullmatch(id_linha):
        raise _erro(
            f"identificador de linha '{id_linha[:40]}' inválido: esperado #L seguido do número "
            "(ex.: #L12).",
            nome,
            n,
        )
    coluna_c = campos[-1]
    if lay.coluna_c is not None and coluna_c != lay.coluna_c:
        raise _erro(
            f"o último campo de uma linha de {lay.nome} deve ser {lay.coluna_c}, veio "
            f"'{coluna_c[:40]}' — a linha parece truncada ou de outro tipo.",
            nome,
            n,
        )
    if lay.coluna_c is None and not _RE_COLUNA.fullmatch(coluna_c):
        raise _erro(
            f"identificador de coluna '{coluna_c[:40]}' inválido: esperado #C seguido do número "
            "(ex.: #C3).",
            nome,
            n,
        )
    chave: ChaveRazao
    if lay is _DESPESA:
        assert m is not None
        chave = ChaveDespesa(m.group(1), _SUBFUNCAO_DO_SUFIXO[m.group(2)], digitos)
    elif lay is _RECEITA:
        chave = ChaveReceita(digitos)
        _conferir_calculadas(arq, valores, calculadas, nome, n)
    else:
        chave = ChaveComplementar(digitos, campo, id_linha, coluna_c)
    return LinhaImpt(nome, n, chave, valores, campo, id_linha)


def _natureza(texto: str, lay: _Layout, nome: str, n: int) -> str:
    """The digits of a natureza written ``x.x.xx…`` (trailing groups may be empty, as PHP's
    ``substr`` leaves them for a shorter code; plain digits are accepted too), padded with
    zeros to the layout's length."""
    grupos = texto.split(".")
    formato = lay.formato_natureza
    total = sum(formato)
    if len(grupos) == 1:
        ok = _RE_DIGITOS.fullmatch(texto) is not None and len(texto) <= total
    else:
        ok = len(grupos) <= len(formato)
        vazio = False
        for g, tam in zip(grupos, formato, strict=False):
            if g == "":
                vazio = True
            elif vazio or len(g) != tam or _RE_DIGITOS.fullmatch(g) is None:
                ok = False
    digitos = "".join(grupos)
    if not ok or not digitos:
        raise _erro(
            f"natureza '{texto[:40]}' inválida para uma linha de {lay.nome}: esperado o formato "
            f"{lay.exemplo_natureza} ({total} dígitos).",
            nome,
            n,
        )
    try:
        if lay is _DESPESA:
            return natureza_despesa(digitos)
        return natureza_receita(digitos).ljust(total, "0")
    except ChaveInvalida as exc:
        raise _erro(str(exc), nome, n) from None


def _valor(texto: str, i: int, col: ColunaImpt, lay: _Layout, nome: str, n: int) -> Decimal:
    onde = f"a coluna V{i} {col.titulo}"
    m = _RE_VALOR_CAMPO.fullmatch(texto)
    if m is None:
        raise _erro(
            f"{onde} está mal formada: esperado V{i}:[>R$0,00<]:-[{col.codigo}]…, veio "
            f"'{texto[:50]}'.",
            nome,
            n,
        )
    j, valor, resto = m.groups()
    if int(j) != i:
        raise _erro(
            f"no lugar da coluna V{i} {col.titulo} veio V{j}: as colunas de uma linha de "
            f"{lay.nome} são V0 a V{len(lay.colunas) - 1}, nessa ordem.",
            nome,
            n,
        )
    if resto:
        r = _RE_ROTULO.match(resto)
        if r is None:
            raise _erro(
                f"{onde} está mal formada depois do valor: esperado :-[{col.codigo}], veio "
                f"'{resto[:40]}'.",
                nome,
                n,
            )
        if r.group(1) != col.codigo:
            raise _erro(
                f"{onde} traz o código [{r.group(1)}], esperado [{col.codigo}]: as colunas "
                "estão fora de ordem ou o arquivo é de outro leiaute.",
                nome,
                n,
            )
    if not _RE_NUMERO.fullmatch(valor):
        raise _erro(
            f"valor 'R${valor[:30]}' inválido em {onde}: escreva como 1234,56 (vírgula "
            "decimal, duas casas; pontos só como separador de milhar, 1.234,56).",
            nome,
            n,
        )
    return Decimal(valor.replace(".", "").replace(",", "."))


def _conferir_calculadas(
    arq: ArquivoImpt, valores: dict[str, Decimal], calculadas: list[Decimal], nome: str, n: int
) -> None:
    """(e) = c − d and (g) = c − d − f, or the e-cidade's own forms (module docstring)."""
    e, g = calculadas
    c, d, f = valores["realizada"], valores["deducoes"], valores["deducao_fundeb"]
    if e == c - d and g == c - d - f:
        return
    if e not in (c - d, ZERO, c + d):
        raise _erro(
            f"a coluna V4 (e), base do percentual em ASPS, traz {formatar(e)}, mas deve ser "
            f"V2 − V3 = {formatar(c)} − {formatar(d)} = {formatar(c - d)} (c − d). As colunas "
            "podem estar trocadas.",
            nome,
            n,
        )
    if g not in (c - d - f, c):
        raise _erro(
            f"a coluna V6 (g), receita líquida, traz {formatar(g)}, mas deve ser V2 − V3 − V5 "
            f"= {formatar(c - d - f)} (c − d − f). As colunas podem estar trocadas.",
            nome,
            n,
        )
    arq.calculadas_erp.append((nome, n))


# --- the preview and applying -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ConciliacaoImpt:
    """One planilha (or the receitas, the complementares) × one column, to the cent:
    the file's total = what the ledger holds after applying = in Anexo 12 rows + outside."""

    grupo: str  # planilha code, "receitas" or "complementares"
    titulo: str
    coluna: str
    titulo_coluna: str
    arquivo: Decimal
    aplicado: Decimal
    no_anexo12: Decimal
    fora_anexo12: Decimal

    @property
    def fecha(self) -> bool:
        return self.arquivo == self.aplicado == self.no_anexo12 + self.fora_anexo12


@dataclass(frozen=True, slots=True)
class ForaAnexo12:
    """A line of the file that lands in no Anexo 12 row, with the reason."""

    arquivo: str
    linha: int
    descricao: str
    motivo: str
    valores: dict[str, Decimal]


@dataclass(slots=True)
class PreviaImpt:
    """The preview (module docstring); ``aplicar`` is one undo step."""

    arquivo: ArquivoImpt
    descricao_declaracao: str
    partes: frozenset[str]
    linhas_antes: dict[str, int]
    linhas_depois: dict[str, int]
    novo: tuple[tuple[ChaveRazao, tuple[tuple[str, Decimal], ...]], ...]
    conciliacao: list[ConciliacaoImpt]
    fora: list[ForaAnexo12]
    coluna_apuracao: str
    percentual_antes: Decimal
    percentual_depois: Decimal
    aplicado_antes: Decimal
    aplicado_depois: Decimal
    base_antes: Decimal
    base_depois: Decimal
    muda: bool
    avisos: list[str]

    @property
    def fecha(self) -> bool:
        return all(c.fecha for c in self.conciliacao)

    def comando(self) -> SubstituirRazao:
        origem = self.arquivo.origem.name
        return SubstituirRazao(self.novo, f"Importar arquivo de integração ({origem})")

    def aplicar(self, d: Declaracao):
        """Apply to ``d`` (one undo step) and record the official ids read; returns the
        inverse command."""
        inverso = d.aplicar(self.comando())
        for k in [k for k in d.ids_siops if _parte(k) in self.partes]:
            del d.ids_siops[k]
        d.ids_siops.update(self.arquivo.ids)
        return inverso

    def para_dict(self) -> dict:
        """The preview as plain data (``--json``); money as text with a dot."""
        return {
            "origem": str(self.arquivo.origem),
            "declaracao": self.descricao_declaracao,
            "arquivos": [
                {"nome": m.nome, "partes": sorted(m.partes), "linhas": m.linhas}
                for m in self.arquivo.membros
            ],
            "partes_substituidas": sorted(self.partes),
            "linhas": {
                p: {"antes": self.linhas_antes[p], "depois": self.linhas_depois[p]}
                for p in NOMES_PARTE
            },
            "conciliacao": [
                {
                    "grupo": c.grupo,
                    "titulo": c.titulo,
                    "coluna": c.coluna,
                    "arquivo": f"{c.arquivo:f}",
                    "aplicado": f"{c.aplicado:f}",
                    "no_anexo12": f"{c.no_anexo12:f}",
                    "fora_anexo12": f"{c.fora_anexo12:f}",
                    "fecha": c.fecha,
                }
                for c in self.conciliacao
            ],
            "fora_anexo12": [
                {
                    "arquivo": f.arquivo,
                    "linha": f.linha,
                    "descricao": f.descricao,
                    "motivo": f.motivo,
                    "valores": {k: f"{v:f}" for k, v in f.valores.items()},
                }
                for f in self.fora
            ],
            "percentual_asps": {
                "coluna": self.coluna_apuracao,
                "antes": f"{self.percentual_antes:f}",
                "depois": f"{self.percentual_depois:f}",
                "valor_aplicado_antes": f"{self.aplicado_antes:f}",
                "valor_aplicado_depois": f"{self.aplicado_depois:f}",
                "base_antes": f"{self.base_antes:f}",
                "base_depois": f"{self.base_depois:f}",
            },
            "muda": self.muda,
            "avisos": list(self.avisos),
        }

    def texto(self, limite_fora: int = 40) -> str:
        """The preview for a terminal, in Portuguese with Brazilian numbers."""
        a = self.arquivo
        out = [
            f"Importação do arquivo de integração {a.origem.name} em {self.descricao_declaracao}",
            "",
            f"Arquivos lidos ({len(a.membros)}):",
        ]
        out += [f"    {m.nome}: {m.linhas} linha(s)" for m in a.membros]
        out.append("")
        for p, nome in NOMES_PARTE.items():
            antes, depois = self.linhas_antes[p], self.linhas_depois[p]
            if p in self.partes:
                out.append(f"{nome.capitalize()}: substituídas ({antes} → {depois} linhas).")
            elif antes:
                out.append(f"{nome.capitalize()}: mantidas ({antes} linhas; não há no arquivo).")
        out.append("")
        out.append("Conciliação (arquivo = aplicado = em linhas do Anexo 12 + fora do Anexo 12):")
        grupo = None
        for c in self.conciliacao:
            if c.grupo != grupo:
                grupo = c.grupo
                out.append(f"  {c.titulo}")
            marca = "ok" if c.fecha else "DIFERENÇA"
            out.append(
                f"    {c.titulo_coluna}: {formatar(c.arquivo)} = {formatar(c.aplicado)} = "
                f"{formatar(c.no_anexo12)} + {formatar(c.fora_anexo12)}  [{marca}]"
            )
        if self.fora:
            out.append("")
            out.append(f"Linhas fora do Anexo 12 ({len(self.fora)}):")
            for f in self.fora[:limite_fora]:
                valores = ", ".join(f"{k} {formatar(v)}" for k, v in f.valores.items())
                out.append(
                    f"    {f.arquivo} linha {f.linha}: {f.descricao} — {valores} ({f.motivo})"
                )
            if len(self.fora) > limite_fora:
                out.append(f"    … e mais {len(self.fora) - limite_fora}.")
        out.append("")
        out.append(
            f"Percentual aplicado em ASPS ({self.coluna_apuracao}): "
            f"{apresentar_percentual(self.percentual_antes)}% → "
            f"{apresentar_percentual(self.percentual_depois)}% (valor aplicado "
            f"{formatar(self.aplicado_antes)} → {formatar(self.aplicado_depois)}; base "
            f"{formatar(self.base_antes)} → {formatar(self.base_depois)})"
        )
        if not self.muda:
            out.append("Nada muda: a declaração já tem esses valores.")
        if self.avisos:
            out.append("")
            out.append("Avisos:")
            out.extend(f"    {x}" for x in self.avisos)
        return "\n".join(out)


def _titulo_grupo(k: ChaveRazao) -> tuple[str, str]:
    if isinstance(k, ChaveDespesa):
        p = planilha(k.planilha)
        return k.planilha, f"Planilha {p.codigo} — {p.titulo}"
    if isinstance(k, ChaveReceita):
        return RECEITAS, "Receitas"
    return COMPLEMENTARES, "Informações complementares"


def _posicoes() -> dict[str, dict[str, tuple[int, ColunaImpt]]]:
    return {
        lay.parte: {c.coluna: (i, c) for i, c in enumerate(lay.colunas) if c.coluna}
        for lay in (_DESPESA, _RECEITA, _COMPLEMENTAR)
    }


_POSICOES = _posicoes()


def _validar(d: Declaracao, arq: ArquivoImpt) -> None:
    """Each value against the declaration (6º-bimestre columns, negatives, the limit)."""
    for linha in arq.linhas:
        pos = _POSICOES[linha.parte]
        for c, v in linha.valores.items():
            if not v:
                continue
            i, col = pos[c]
            if coluna_de(linha.chave, c).somente_6o and d.bimestre != 6:
                raise _erro(
                    f"a coluna V{i} {col.titulo} traz R$ {formatar(v)}, mas só é preenchida no "
                    f"6º bimestre e a declaração é do {d.bimestre}º bimestre: o arquivo parece "
                    "ser de outro bimestre.",
                    linha.arquivo,
                    linha.numero,
                )
            try:
                d.validar_lancamento(linha.chave, c, v)
            except EdicaoInvalida as exc:
                raise _erro(f"V{i} {col.titulo}: {exc}", linha.arquivo, linha.numero) from None
    for k, _, (a2, n2) in arq.repetidas:  # the sums, too
        for c, v in arq.razao[k].items():
            try:
                d.validar_lancamento(k, c, v)
            except EdicaoInvalida as exc:
                raise _erro(f"somada às linhas anteriores da mesma chave: {exc}", a2, n2) from None


def previa(d: Declaracao, arq: ArquivoImpt) -> PreviaImpt:
    """The preview of applying ``arq`` to ``d`` (``d`` does not change); ``ErroContabil``
    when a value does not fit the declaration."""
    _validar(d, arq)
    cls = d.catalogo.classificador
    partes = arq.partes
    atual = d.razao()
    novo: dict[ChaveRazao, dict[str, Decimal]] = {
        k: v for k, v in atual.items() if _parte(k) not in partes
    }
    novo.update(arq.razao)
    linhas_novo = tuple((k, tuple(v.items())) for k, v in novo.items())
    copia = d.copia()
    try:
        copia.aplicar(SubstituirRazao(linhas_novo))
    except EdicaoInvalida as exc:  # pragma: no cover - every value was checked above
        raise ErroContabil(str(exc), None, arq.origem) from None
    depois = copia.razao()

    # reconciliation per group × column
    somas: dict[tuple[str, str], list[Decimal]] = {}
    titulos: dict[str, str] = {}
    for k, valores in arq.razao.items():
        g, titulo = _titulo_grupo(k)
        titulos[g] = titulo
        dentro = cls.destino(k).linha_anexo12 is not None
        aplicado = depois.get(k, {})
        for c, v in valores.items():
            s = somas.setdefault((g, c), [ZERO, ZERO, ZERO, ZERO])
            s[0] += v
            s[1] += aplicado.get(c, ZERO)
            s[2 if dentro else 3] += v
    conciliacao = []
    ordem_grupo = {p.codigo: i for i, p in enumerate(PLANILHAS)}
    ordem_grupo |= {RECEITAS: 900, COMPLEMENTARES: 901}
    for g in sorted(titulos, key=lambda x: ordem_grupo[x]):
        parte = g if g in (RECEITAS, COMPLEMENTARES) else DESPESAS
        for c, (i, col) in _POSICOES[parte].items():
            t = somas.get((g, c))
            if t is None or not any(t):
                continue
            conciliacao.append(
                ConciliacaoImpt(g, titulos[g], c, f"V{i} {col.titulo}", t[0], t[1], t[2], t[3])
            )

    fora = []
    for k, valores in arq.razao.items():
        if isinstance(k, ChaveComplementar):
            continue
        dest = cls.destino(k)
        nz = {c: v for c, v in valores.items() if v}
        if dest.linha_anexo12 is None and nz:
            primeira = arq.primeira[k]
            a, n = primeira.arquivo, primeira.numero
            fora.append(ForaAnexo12(a, n, k.descricao(), dest.motivo, nz))
    avisos = list(arq.avisos)
    complementares = [k for k in arq.razao if isinstance(k, ChaveComplementar)]
    if complementares:
        avisos.append(
            f"{len(complementares)} informação(ões) complementar(es) (planilha 96) guardada(s) "
            "com a declaração e exportada(s) de novo; não entram nas tabelas do programa."
        )
    incertos: dict[str, int] = {}
    for k in arq.razao:
        texto = cls.destino(k).incerto
        if texto:
            incertos[texto] = incertos.get(texto, 0) + 1
    avisos += [f"NÃO CONFIRMADO ({n} linha(s)): {t}" for t, n in incertos.items()]

    apuracao = d.coluna_apuracao
    antes_i, depois_i = d.indicadores(apuracao), copia.indicadores(apuracao)
    contar = {p: 0 for p in NOMES_PARTE}
    contar_depois = dict(contar)
    for k in atual:
        contar[_parte(k)] += 1
    for k in depois:
        contar_depois[_parte(k)] += 1
    muda = depois != atual or any(d.ids_siops.get(k) != v for k, v in arq.ids.items())
    return PreviaImpt(
        arq,
        f"{d.ente.descricao}, {d.bimestre}º bimestre de {d.exercicio}",
        partes,
        contar,
        contar_depois,
        linhas_novo,
        conciliacao,
        sorted(fora, key=lambda f: (f.arquivo, f.linha)),
        apuracao,
        antes_i.percentual,
        depois_i.percentual,
        antes_i.valor_aplicado,
        depois_i.valor_aplicado,
        antes_i.base,
        depois_i.base,
        muda,
        avisos,
    )


def importar(d: Declaracao, origem: Path) -> PreviaImpt:
    """Read ``origem`` and build the preview for ``d`` (raises ``ErroContabil``)."""
    return previa(d, ler(origem))


# --- writing -----------------------------------------------------------------------------------


def _numero(v: Decimal) -> str:
    """PHP ``number_format($v, 2, ',', '')``."""
    if not v:
        return "0,00"
    return f"{v:.2f}".replace(".", ",")


def _colunas_texto(colunas: tuple[ColunaImpt, ...], valores: list[Decimal]) -> str:
    return "".join(
        f"V{i}:[>R${_numero(v)}<]:-[{c.codigo}]{c.titulo};"
        for i, (c, v) in enumerate(zip(colunas, valores, strict=True))
    )


def nome_arquivo(codigo_planilha: str, sufixo: str) -> str:
    """The ``nomearqdessiops`` name of a planilha × subfunção (without ``NN_``/extension)."""
    p = planilha(codigo_planilha)
    s = next(x for x in SUBFUNCOES_RAZAO if x.sufixo == sufixo)
    fim = "Aliment" if p.codigo in ("94", "95") and sufixo == "17" else s.arquivo
    return f"{p.arquivo}_{fim}"


@dataclass(slots=True)
class Exportacao:
    """What ``escrever`` wrote: the zip's files with their line counts, and the lines left out."""

    destino: Path
    arquivos: list[tuple[str, int]]
    avisos: list[str]

    @property
    def linhas(self) -> int:
        return sum(n for _, n in self.arquivos)


def conteudo(d: Declaracao) -> tuple[dict[str, bytes], list[str]]:
    """The ``.IMPT`` files of ``d``'s ledger (name → bytes, in order) and the warnings for the
    lines the layout cannot carry."""
    ids = d.ids_siops
    grupos: dict[tuple[str, str], list[str]] = {}
    receitas: list[str] = []
    complementares: list[str] = []
    avisos: list[str] = []
    for k, valores in d.linhas_razao():
        if isinstance(k, ChaveDespesa):
            campo, lid = ids.get(k, ("", ""))
            sufixo = subfuncao(k.subfuncao).sufixo
            vs = [valores.get(c.coluna or "", ZERO) for c in COLUNAS_DESPESA]
            grupos.setdefault((k.planilha, sufixo), []).append(
                f"{k.planilha}_{sufixo};{formatar_natureza_despesa(k.natureza)};{campo};"
                + _colunas_texto(COLUNAS_DESPESA, vs)
                + f"{lid};#C7;"
            )
        elif isinstance(k, ChaveReceita):
            if k.fonte or len(k.natureza) != 8:
                motivo = (
                    f"separada pela fonte {k.fonte} (o Receita_Siops.IMPT não tem fonte)"
                    if k.fonte
                    else f"natureza com {len(k.natureza)} dígitos (o arquivo leva 8)"
                )
                avisos.append(f"{k.descricao()} não exportada: {motivo}.")
                continue
            campo, lid = ids.get(k, ("", ""))
            c = valores.get("realizada", ZERO)
            dd = valores.get("deducoes", ZERO)
            f = valores.get("deducao_fundeb", ZERO)
            calc = {4: c - dd, 6: c - dd - f}
            vs = [
                valores.get(col.coluna, ZERO) if col.coluna else calc[i]
                for i, col in enumerate(COLUNAS_RECEITA)
            ]
            n = k.natureza
            receitas.append(
                f"1;{n[0]}.{n[1]}.{n[2:4]}.{n[4:6]}.{n[6:8]};{campo};"
                + _colunas_texto(COLUNAS_RECEITA, vs)
                + f"{lid};#C8;"
            )
        else:
            n = k.natureza
            if len(n) != 8:
                avisos.append(
                    f"{k.descricao()} não exportada: natureza com {len(n)} dígitos (o arquivo "
                    "leva 8)."
                )
                continue
            vs = [valores.get(col.coluna or "", ZERO) for col in COLUNAS_COMPLEMENTAR]
            complementares.append(
                f"96;{n[0]}.{n[1]}.{n[2]}.{n[3]}.{n[4:6]}.{n[6]}.{n[7]};{k.campo};"
                + _colunas_texto(COLUNAS_COMPLEMENTAR, vs)
                + f"{k.linha};{k.coluna};"
            )
    out: dict[str, bytes] = {}
    ordem = sorted(grupos, key=lambda g: (int(g[0]), g[1]))
    for i, (plan, sufixo) in enumerate(ordem, start=1):
        out[f"{i:02d}_{nome_arquivo(plan, sufixo)}.IMPT"] = _bytes(grupos[(plan, sufixo)])
    if receitas:
        out[ARQUIVO_RECEITA] = _bytes(receitas)
    if complementares:
        out[ARQUIVO_COMPLEMENTAR] = _bytes(complementares)
    return out, avisos


def _bytes(linhas: list[str]) -> bytes:
    return "".join(s + "\r\n" for s in linhas).encode("utf-8")


def escrever(d: Declaracao, destino: Path) -> Exportacao:
    """Write ``d``'s ledger as a flat ``Siops.zip``-like zip at ``destino``, atomically;
    ``ErroContabil`` when there is nothing to write or the file cannot be written."""
    destino = Path(destino)
    arquivos, avisos = conteudo(d)
    if not arquivos:
        raise ErroContabil(
            "a declaração não tem linhas de receita ou despesa no razão: nada a exportar.",
            None,
            destino,
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for nome, dados in arquivos.items():
            info = zipfile.ZipInfo(nome, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, dados)
    _gravar(buf.getvalue(), destino)
    contagem = [(nome, dados.count(b"\r\n")) for nome, dados in arquivos.items()]
    return Exportacao(destino, contagem, avisos)


def _gravar(dados: bytes, destino: Path) -> None:
    """Temporary file in the same folder, ``fsync``, ``os.replace`` (``contabil`` may not
    import ``ops_format.atomico``: sibling layers)."""
    if destino.is_dir():
        raise ErroContabil("o destino é uma pasta; informe o nome do .zip.", None, destino)
    pasta = destino.parent
    try:
        pasta.mkdir(parents=True, exist_ok=True)
        fd, nome_tmp = tempfile.mkstemp(prefix=f".{destino.name}.", suffix=".tmp", dir=pasta)
    except OSError as exc:
        raise ErroContabil(
            f"não foi possível gravar: {exc.strerror or exc}.", None, destino
        ) from None
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(dados)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(nome_tmp, 0o644)
        os.replace(nome_tmp, destino)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.unlink(nome_tmp)
        raise ErroContabil(
            f"não foi possível gravar: {exc.strerror or exc}; nada foi alterado.", None, destino
        ) from None
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(nome_tmp)
        raise
