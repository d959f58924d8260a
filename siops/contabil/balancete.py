"""Reading a balancete exported by the accounting system: CSV or XLSX, receita or despesa.

A receita balancete has one row per natureza de receita (code, previsão inicial, previsão
atualizada, realizada; optionally the fonte); a despesa balancete one row per despesa
(função.subfunção — or função and subfunção apart —, natureza da despesa, fonte, optionally the
código de acompanhamento, dotação inicial, dotação atualizada, empenhada, liquidada, paga).
Columns are found by their header names, ignoring case, accents and punctuation, with the usual
synonyms ("Arrecadado", "Vl. Empenhado até o mês" …); columns "do mês" or "no bimestre" are not
cumulative and are skipped. What the user chose for headers we do not recognize is saved (JSON
in the user's configuration folder, or the path given) and reused for the next bimestre's file
with the same headers.

The values go to the ledger (``forms.razao``, see ``contabil.previa``): a balancete's realizada
is taken as it comes, in the column 'realizada' of the receita line, with 'deduções' zero (a
balancete has no column for the deductions of each natureza).

Balancetes list the hierarchy with subtotals: only the analytic rows count (a row whose code is
the prefix of another row's code is a subtotal), so nothing is added twice. Rows without a code
(titles, totals) are skipped.

Bad input gets a Portuguese message with the row: a value that is not a number, an XLSX whose
formulas have no saved values (openpyxl reads ``None`` for them: the file must be opened and
saved in a spreadsheet program, or exported as CSV), merged header cells, an empty sheet.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
import re
import unicodedata
import warnings
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from siops.contabil.erros import ErroContabil
from siops.contabil.fonte import FonteContabil
from siops.forms.dinheiro import ValorInvalido, parse_valor
from siops.forms.mapeamento import digitos

#: field -> (kind, synonyms). Kinds: "codigo" (text), "valor" (money).
CAMPOS: dict[str, tuple[str, tuple[str, ...]]] = {
    "natureza": (
        "codigo",
        (
            "natureza da receita",
            "natureza receita",
            "natureza de receita",
            "codigo da receita",
            "cod receita",
            "codigo receita",
            "receita orcamentaria",
            "classificacao da receita",
            "classificacao",
            "natureza",
            "codigo",
            "conta",
            "rubrica",
            "nr",
        ),
    ),
    "funcao_subfuncao": (
        "codigo",
        (
            "funcao subfuncao",
            "funcao e subfuncao",
            "funcao/subfuncao",
            "func subf",
            "funcional",
            "classificacao funcional",
            "fs",
        ),
    ),
    "funcao": ("codigo", ("funcao",)),
    "subfuncao": ("codigo", ("subfuncao",)),
    "natureza_despesa": (
        "codigo",
        (
            "natureza da despesa",
            "natureza despesa",
            "natureza de despesa",
            "elemento de despesa",
            "elemento da despesa",
            "classificacao economica",
            "elemento",
            "nd",
        ),
    ),
    "fonte": (
        "codigo",
        ("fonte de recursos", "fonte de recurso", "fonte recurso", "fonte", "destinacao", "fr"),
    ),
    "co": (
        "codigo",
        ("codigo de acompanhamento", "cod acompanhamento", "acompanhamento", "co"),
    ),
    "previsao_inicial": (
        "valor",
        ("previsao inicial", "prev inicial", "receita prevista", "previsao", "orcada"),
    ),
    "previsao_atualizada": (
        "valor",
        ("previsao atualizada", "prev atualizada", "previsao atual", "previsao final"),
    ),
    "realizada": (
        "valor",
        (
            "receita realizada",
            "realizada",
            "realizado",
            "arrecadada",
            "arrecadado",
            "arrecadacao",
            "receita arrecadada",
            "valor arrecadado",
            "vl arrecadado",
        ),
    ),
    "dotacao_inicial": ("valor", ("dotacao inicial", "orcado inicial", "credito inicial")),
    "dotacao_atualizada": (
        "valor",
        ("dotacao atualizada", "dotacao atual", "credito autorizado", "dotacao final"),
    ),
    "empenhada": (
        "valor",
        ("despesa empenhada", "empenhada", "empenhado", "valor empenhado", "vl empenhado"),
    ),
    "liquidada": (
        "valor",
        ("despesa liquidada", "liquidada", "liquidado", "valor liquidado", "vl liquidado"),
    ),
    "paga": ("valor", ("despesa paga", "paga", "pago", "valor pago", "vl pago")),
}
RECEITA_VALORES = ("previsao_inicial", "previsao_atualizada", "realizada")
DESPESA_VALORES = ("dotacao_inicial", "dotacao_atualizada", "empenhada", "liquidada", "paga")
#: Header words that mark a column of the month, not the year to date.
NAO_ACUMULADA = re.compile(
    r"\b(no mes|do mes|mes atual|no bimestre|do bimestre|no periodo|mensal)\b"
)
LINHAS_PROCURA_CABECALHO = 30
#: Columns of a spreadsheet that are read (A…ZZ); see ``_linhas_reais``.
COLUNAS_MAXIMAS = 702


def normalizar(texto: object) -> str:
    """Header text for comparison: lower case, no accents, punctuation as spaces."""
    sem = unicodedata.normalize("NFKD", str(texto)).encode("ascii", "ignore").decode().lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", sem).split())


def caminho_config() -> Path:
    """Where the chosen columns are saved: ``$SIOPS_BALANCETE_COLUNAS`` or the config folder."""
    env = os.environ.get("SIOPS_BALANCETE_COLUNAS")
    if env:
        return Path(env)
    from platformdirs import user_config_dir

    return Path(user_config_dir("siops-desktop", appauthor=False)) / "balancete_colunas.json"


def _assinatura(cabecalho: list[str]) -> str:
    return "|".join(normalizar(c) for c in cabecalho if str(c).strip())


def _ler_config(caminho: Path) -> dict:
    try:
        dados = json.loads(caminho.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return dados if isinstance(dados, dict) else {}


def salvar_colunas(caminho: Path, cabecalho: list[str], escolha: dict[str, str]) -> None:
    """Remember which header feeds each field for files with these headers (atomic write)."""
    dados = _ler_config(caminho)
    mapas = dados.setdefault("mapeamentos", {})
    mapas[_assinatura(cabecalho)] = escolha
    dados["versao"] = 1
    caminho.parent.mkdir(parents=True, exist_ok=True)
    tmp = caminho.with_name(caminho.name + ".tmp")
    tmp.write_text(json.dumps(dados, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, caminho)


# --- reading rows -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Planilha:
    linhas: list[tuple[int, list[object]]]  # (1-based row, values)
    mescladas: list[tuple[int, int, str]]  # (first row, last row, "A1:C1")
    arquivo: Path
    folha: str = ""


def _ler_csv(caminho: Path) -> _Planilha:
    bruto = caminho.read_bytes()
    try:
        texto = bruto.decode("utf-8-sig")
    except UnicodeDecodeError:
        texto = bruto.decode("cp1252", errors="replace")
    primeiras = texto[:4096].splitlines()[:LINHAS_PROCURA_CABECALHO]
    contagem = {s: sum(linha.count(s) for linha in primeiras) for s in (";", "\t", ",")}
    sep = ";" if contagem[";"] else ("\t" if contagem["\t"] else ",")
    leitor = csv.reader(texto.splitlines(), delimiter=sep)
    linhas: list[tuple[int, list[object]]] = [(i, list(r)) for i, r in enumerate(leitor, 1)]
    return _Planilha(linhas, [], caminho)


_MESCLA = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+)(\d+):([A-Z]+)(\d+)"')


def _mescladas(ws) -> list[tuple[int, int, str]]:
    """Merged ranges of a read-only sheet (openpyxl does not load them in read-only mode)."""
    try:
        fonte = ws._get_source()
    except Exception:  # pragma: no cover - private API changed: no merge detection
        return []
    achadas = []
    resto = b""
    with fonte:
        while True:
            bloco = fonte.read(1 << 20)
            if not bloco:
                break
            dados = resto + bloco
            for m in _MESCLA.finditer(dados):
                a = int(m.group(2))
                b = int(m.group(4))
                achadas.append((a, b, f"{m.group(1).decode()}{a}:{m.group(3).decode()}{b}"))
            resto = dados[-300:]
    return sorted(set(achadas))


def _abrir_xlsx(caminho: Path, data_only: bool):
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            return openpyxl.load_workbook(caminho, read_only=True, data_only=data_only)
        except Exception as exc:
            raise ErroContabil(
                "não foi possível abrir a planilha (não parece um arquivo .xlsx válido).",
                None,
                caminho,
            ) from exc


def _linhas_reais(ws) -> Iterator[tuple[int, list[object]]]:
    """The rows of a read-only sheet that hold a value, as the file stores them.

    The sheet's ``<dimension>`` is only a claim: ``A1:XFD1048576`` in a 5 kB file made
    ``iter_rows`` pad every row to 16,384 columns and yield every missing row up to the last
    real one (minutes of work for four rows of data). Here the cost follows the cells that are
    really in the file: missing rows and cells cost nothing, a row's list ends at its last value,
    and values right of ``COLUNAS_MAXIMAS`` are ignored (no balancete has that many columns, and
    one stray cell at column XFD must not cost 16,384 per row). Row numbers are the file's own.
    """
    from openpyxl.worksheet._reader import WorkSheetParser

    wb = ws.parent
    with ws._get_source() as fonte:
        parser = WorkSheetParser(
            fonte,
            ws._shared_strings,
            data_only=wb.data_only,
            epoch=wb.epoch,
            date_formats=wb._date_formats,
            timedelta_formats=wb._timedelta_formats,
        )
        for num, celulas in parser.parse():
            presentes = {}
            for c in celulas:
                j, v = c["column"], c["value"]
                if j <= COLUNAS_MAXIMAS and v is not None and str(v).strip() != "":
                    presentes[j] = v
            if presentes:
                valores: list[object] = [None] * max(presentes)
                for j, v in presentes.items():
                    valores[j - 1] = v
                yield num, valores


def _ler_xlsx(caminho: Path) -> _Planilha:
    wb = _abrir_xlsx(caminho, True)
    try:
        for ws in wb.worksheets:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                linhas = list(_linhas_reais(ws))
            if linhas:
                return _Planilha(linhas, _mescladas(ws), caminho, ws.title)
    finally:
        wb.close()
    raise ErroContabil("a planilha está vazia (nenhuma aba tem dados).", None, caminho)


def _formulas(caminho: Path, folha: str, celulas: list[tuple[int, int]]) -> str | None:
    """The first of ``celulas`` (row, column) that holds a formula, as 'F12: =SUM(…)'."""
    from openpyxl.utils import get_column_letter

    wb = _abrir_xlsx(caminho, False)
    procurar = set(celulas)
    ultima = max(r for r, _ in celulas)
    try:
        ws = wb[folha]
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for i, valores in _linhas_reais(ws):
                if i > ultima:
                    break
                for j, v in enumerate(valores):
                    if (i, j) in procurar and isinstance(v, str) and v.startswith("="):
                        return f"{get_column_letter(j + 1)}{i}: {v[:40]}"
    finally:
        wb.close()
    return None


# --- the header -------------------------------------------------------------------------------


def _casar(cabecalho: Sequence[object]) -> tuple[dict[str, int], list[str]]:
    """Field -> column index by synonyms (longest synonym wins; leftmost column per field)."""
    escolha: dict[str, int] = {}
    ignoradas = []
    for j, h in enumerate(cabecalho):
        n = normalizar(h) if h is not None else ""
        if not n:
            continue
        melhor, tamanho = None, 0
        for campo, (_, sinonimos) in CAMPOS.items():
            for s in sinonimos:
                if (n == s or n.startswith(s + " ")) and len(s) > tamanho:
                    melhor, tamanho = campo, len(s)
        if melhor is None:
            continue
        if CAMPOS[melhor][0] == "valor" and NAO_ACUMULADA.search(n):
            ignoradas.append(str(h).strip())
            continue
        escolha.setdefault(melhor, j)
    return escolha, ignoradas


def _tipo(escolha: dict[str, int]) -> str | None:
    if "natureza_despesa" in escolha and (
        "funcao_subfuncao" in escolha or ("funcao" in escolha and "subfuncao" in escolha)
    ):
        if any(c in escolha for c in DESPESA_VALORES):
            return "despesa"
    if "natureza" in escolha and any(c in escolha for c in RECEITA_VALORES):
        return "receita"
    return None


@dataclass(slots=True)
class Colunas:
    """The header row found and the column of each field."""

    linha: int
    indice: int  # position in _Planilha.linhas
    cabecalho: list[str]
    campos: dict[str, int]
    tipo: str
    ignoradas: list[str]


def _achar_cabecalho(p: _Planilha, escolha_usuario: dict[str, str], salvo: dict) -> Colunas:
    for k, (num, valores) in enumerate(p.linhas[:LINHAS_PROCURA_CABECALHO]):
        cab = ["" if v is None else str(v).strip() for v in valores]
        campos, ignoradas = _casar(cab)
        salvo_aqui = salvo.get(_assinatura(cab), {})
        normais = [normalizar(c) for c in cab]
        for campo, nome in {**salvo_aqui, **escolha_usuario}.items():
            if campo in CAMPOS and normalizar(nome) in normais:
                campos[campo] = normais.index(normalizar(nome))
        tipo = _tipo(campos)
        if tipo:
            return Colunas(num, k, cab, campos, tipo, ignoradas)
    vistos = ""
    if p.linhas:
        vistos = (
            " Primeira linha: "
            + "; ".join(str(v) for v in p.linhas[0][1] if v not in (None, ""))[:200]
        )
    mescla = ""
    if p.mescladas:
        mescla = (
            f" A planilha tem células mescladas ({', '.join(m[2] for m in p.mescladas[:3])}); "
            "desfaça a mesclagem do cabeçalho."
        )
    raise ErroContabil(
        "não encontrei o cabeçalho do balancete. Para receitas são precisas as colunas "
        "'Natureza da receita' e 'Realizada' (ou 'Previsão inicial'/'Previsão atualizada'); "
        "para despesas, 'Função/Subfunção', 'Natureza da despesa', 'Fonte' e 'Empenhado', "
        "'Liquidado' ou 'Pago'. Indique as colunas de nomes diferentes (ex.: --coluna "
        "realizada='Vl. Arrecadado')." + mescla + vistos,
        None,
        p.arquivo,
    )


# --- values -----------------------------------------------------------------------------------


def _valor(v: object, linha: int, coluna: str, arquivo: Path) -> Decimal:
    if v is None or v == "":
        return Decimal(0)
    if isinstance(v, bool) or isinstance(v, dt.date | dt.datetime | dt.time):
        raise ErroContabil(f"o valor da coluna '{coluna}' não é um número.", linha, arquivo)
    if isinstance(v, int):
        return Decimal(v)
    if isinstance(v, float):
        return Decimal(repr(v)).quantize(Decimal("0.01"))
    texto = str(v).strip()
    negativo = texto.startswith("(") and texto.endswith(")")
    if negativo:
        texto = texto[1:-1]
    try:
        d = parse_valor(texto)
    except ValorInvalido:
        try:
            d = Decimal(texto).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ErroContabil(
                f"o valor '{texto}' da coluna '{coluna}' não é um número.", linha, arquivo
            ) from None
    return -d if negativo else d


GRUPOS_NR = (1, 1, 1, 1, 2, 1, 1)
GRUPOS_ND = (1, 1, 2, 2, 2)


def _sem_zeros(codigo: str, grupos: tuple[int, ...]) -> str:
    """Drop the trailing all-zero groups of a code ('33900000' → '339', '33903000' → '339030')."""
    partes, i = [], 0
    for n in grupos:
        if i >= len(codigo):
            break
        partes.append(codigo[i : i + n])
        i += n
    if i < len(codigo):
        partes.append(codigo[i:])
    while partes and set(partes[-1]) == {"0"}:
        partes.pop()
    return "".join(partes)


def _analiticas(codigos: list[str]) -> set[str]:
    """The natureza codes that are no other code's prefix (trailing zero groups dropped)."""
    unicos = sorted({_sem_zeros(c, GRUPOS_NR) for c in codigos if c})
    sinteticos = {a for a, b in itertools.pairwise(unicos) if b.startswith(a) and b != a}
    return {c for c in codigos if c and _sem_zeros(c, GRUPOS_NR) not in sinteticos}


# --- the reader -------------------------------------------------------------------------------


def ler_balancete(
    caminho: Path,
    colunas: dict[str, str] | None = None,
    config: Path | None = None,
    salvar: bool = True,
) -> FonteContabil:
    """Read a balancete (CSV or XLSX) into a ``FonteContabil``.

    ``colunas`` maps fields (``realizada``, ``empenhada``, ``natureza``, …) to header names the
    synonyms do not cover; the choice is saved in ``config`` (default :func:`caminho_config`)
    for the next file with the same headers. Raises ``ErroContabil``.
    """
    caminho = Path(caminho)
    if not caminho.exists():
        raise ErroContabil("arquivo não encontrado.", None, caminho)
    desconhecidos = set(colunas or {}) - set(CAMPOS)
    if desconhecidos:
        raise ErroContabil(
            f"campo(s) desconhecido(s): {', '.join(sorted(desconhecidos))}. Use: "
            f"{', '.join(CAMPOS)}."
        )
    config = config or caminho_config()
    if caminho.suffix.lower() in (".xlsx", ".xlsm"):
        p = _ler_xlsx(caminho)
    else:
        try:
            p = _ler_csv(caminho)
        except OSError as exc:
            raise ErroContabil(
                f"não foi possível ler o arquivo ({exc.strerror}).", None, caminho
            ) from exc
        if not p.linhas or not any(any(str(v).strip() for v in r) for _, r in p.linhas):
            raise ErroContabil("o arquivo está vazio.", None, caminho)
    salvo = _ler_config(config).get("mapeamentos", {})
    cols = _achar_cabecalho(p, dict(colunas or {}), salvo)
    for a, b, ref in p.mescladas:
        if a <= cols.linha <= b:
            raise ErroContabil(
                f"o cabeçalho tem células mescladas ({ref}). Desfaça a mesclagem (uma coluna "
                "por campo) ou exporte o balancete como CSV.",
                cols.linha,
                caminho,
            )
    fonte = _converter(p, cols)
    if salvar and colunas:
        escolha = {campo: cols.cabecalho[j] for campo, j in cols.campos.items()}
        salvar_colunas(config, cols.cabecalho, escolha)
    return fonte


def _converter(p: _Planilha, cols: Colunas) -> FonteContabil:
    tipo = cols.tipo
    campos = cols.campos
    valores_campos = [
        c for c in (RECEITA_VALORES if tipo == "receita" else DESPESA_VALORES) if c in campos
    ]
    fonte = FonteContabil(
        "balancete",
        f"balancete de {tipo} {p.arquivo.name}" + (f" (aba {p.folha})" if p.folha else ""),
        (p.arquivo,),
    )
    fonte.medidas = set(valores_campos)
    vazias: list[tuple[int, int]] = []
    registros: list[tuple[int, tuple[str, ...], dict[str, Decimal]]] = []
    sem_codigo = 0

    def texto(valores: list[object], campo: str) -> str:
        j = campos.get(campo)
        if j is None or j >= len(valores) or valores[j] is None:
            return ""
        return str(valores[j]).strip()

    for num, valores in p.linhas[cols.indice + 1 :]:
        if tipo == "receita":
            chave: tuple[str, ...] = (
                digitos(texto(valores, "natureza")),
                digitos(texto(valores, "fonte")),
            )
            tem_codigo = bool(chave[0])
        else:
            fs = digitos(texto(valores, "funcao_subfuncao"))
            if not fs and "funcao" in campos:
                f, s = digitos(texto(valores, "funcao")), digitos(texto(valores, "subfuncao"))
                fs = (f.zfill(2) + s.zfill(3)) if f and s else f
            fr = digitos(texto(valores, "fonte"))
            co = digitos(texto(valores, "co"))
            if len(fr) == 8 and not co:
                fr, co = fr[:4], fr[4:]  # "1.500.1002": fonte and código de acompanhamento
            chave = (fs[:5], digitos(texto(valores, "natureza_despesa")), fr, co)
            tem_codigo = bool(chave[0])
        if not tem_codigo:
            if any(v not in (None, "") for v in valores):
                sem_codigo += 1
            continue
        lidos = {}
        for c in valores_campos:
            j = campos[c]
            v = valores[j] if j < len(valores) else None
            if v is None and p.folha:
                vazias.append((num, j))
            lidos[c] = _valor(v, num, cols.cabecalho[j], p.arquivo)
        registros.append((num, chave, lidos))

    if vazias and p.folha:
        formula = _formulas(p.arquivo, p.folha, vazias[:5000])
        if formula:
            raise ErroContabil(
                f"a planilha tem fórmulas sem valor calculado (célula {formula}). Abra-a no "
                "Excel ou no LibreOffice e salve de novo, ou exporte o balancete como CSV.",
                None,
                p.arquivo,
            )
    if tipo == "receita":
        folhas = _analiticas([c[0] for _, c, _ in registros])
        deducoes = 0
        for num, (nr, fr), lidos in registros:
            if nr not in folhas:
                continue
            if nr.startswith("9") and len(nr) > 8:
                deducoes += 1
            for medida, v in lidos.items():
                fonte.somar_receita((nr, fr), medida, v, num)
        if deducoes:
            fonte.avisos.append(
                f"{deducoes} linha(s) de dedução da receita (natureza iniciada por 9) ficaram "
                "sem correspondência: o Anexo 12 usa a receita antes da dedução do FUNDEB; "
                "renúncias e outras deduções, se houver, informe à mão na coluna 'deduções' "
                "das linhas de receita do razão."
            )
    else:
        for num, (fs, nd, fr, co), lidos in _despesas_analiticas(registros):
            for medida, v in lidos.items():
                fonte.somar_despesa((fs, nd, fr, co), medida, v, num)
        fonte.tem_co = any(c[3] for _, c, _ in registros)
    if sem_codigo:
        fonte.avisos.append(
            f"{sem_codigo} linha(s) sem código (títulos ou totais) foram ignoradas em "
            f"{p.arquivo.name}."
        )
    if cols.ignoradas:
        fonte.avisos.append(
            "Colunas do mês (não acumuladas) ignoradas: " + ", ".join(cols.ignoradas) + "."
        )
    fonte.arredondar()
    return fonte


def _despesas_analiticas(registros):
    """Drop subtotal rows: FS without subfunção, and rows whose ND (and fonte) prefix another's."""
    grupos: dict[str, list] = {}
    for r in registros:
        grupos.setdefault(r[1][0], []).append(r)
    funcoes_com_sub = {fs[:2] for fs in grupos if len(fs) >= 5}
    for fs, lista in grupos.items():
        if len(fs) < 5 and fs[:2] in funcoes_com_sub:
            continue
        chaves = [(_sem_zeros(nd, GRUPOS_ND), fr, co) for _, (_, nd, fr, co), _ in lista]
        for r, (nd, fr, co) in zip(lista, chaves, strict=True):
            if not nd:
                if len(lista) > 1:
                    continue
                yield r
                continue
            sintetica = any(
                (o_nd.startswith(nd) and (not fr or o_fr == fr) and (not co or o_co == co))
                and (o_nd, o_fr, o_co) != (nd, fr, co)
                for o_nd, o_fr, o_co in chaves
            )
            if not sintetica:
                yield r


def linhas_de(caminho: Path) -> Iterator[tuple[int, list[object]]]:
    """The non-empty rows of a balancete file (for the dialog's column chooser)."""
    p = _ler_xlsx(caminho) if caminho.suffix.lower() in (".xlsx", ".xlsm") else _ler_csv(caminho)
    yield from p.linhas
