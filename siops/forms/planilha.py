"""The CSV / JSON interchange: ``tabela;linha;coluna;valor`` with the catalog's public ids.

Accounting systems and accounting firms feed us with it (ARCHITECTURE). Values are plain
decimal text with a dot (as exported) or Brazilian text with a comma. Text fields travel as
``campo;<id>;;<texto>``. Importing is all or nothing: every line is checked first, and the
first bad line stops the import with its number and the reason in Portuguese.

Formula injection. The exported CSV is opened in spreadsheet programs, which run a cell that
begins with ``=``, ``+``, ``-``, ``@`` (or a tab or carriage return before one) as a formula — and
text fields carry whatever was typed or imported (``=HYPERLINK(…)``, ``+cmd|…``). So a text
field that would start like that is written with a leading apostrophe (OWASP's advice; the
spreadsheet shows the text, not a formula), and import removes that one apostrophe again, so our
own export round-trips. To keep that exact, the rule looks past apostrophes already there: a text
whose first character after any leading ``'`` is a trigger gets one more ``'`` on export and
loses one on import (``=x`` ↔ ``'=x``, ``'=x`` ↔ ``''=x``); any other text is untouched.
Numbers are never text here: value cells are plain decimal text (``-5.00`` keeps its meaning).
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal

from siops.forms.declaracao import (
    Declaracao,
    DefinirCelula,
    DefinirTexto,
    EdicaoInvalida,
    Lote,
)
from siops.forms.dinheiro import ValorInvalido, parse_valor, texto_plano
from siops.forms.formulas import Chave

CABECALHO = ("tabela", "linha", "coluna", "valor")
TABELA_CAMPOS = "campo"
#: First characters a spreadsheet program takes as the start of a formula.
GATILHOS_FORMULA = ("=", "+", "-", "@", "\t", "\r")


def _parece_formula(texto: str) -> bool:
    return texto.lstrip("'").startswith(GATILHOS_FORMULA)


def neutralizar(texto: str) -> str:
    """A text field as written to CSV: one apostrophe before a would-be formula (see above)."""
    return "'" + texto if _parece_formula(texto) else texto


def restaurar(texto: str) -> str:
    """The inverse of :func:`neutralizar`, applied to text fields read from CSV."""
    if texto.startswith("'") and _parece_formula(texto[1:]):
        return texto[1:]
    return texto


class ErroPlanilha(ValueError):
    """A bad line of a CSV; ``linha`` is 1-based, the message says what is wrong."""

    def __init__(self, linha: int, motivo: str) -> None:
        super().__init__(f"Linha {linha}: {motivo}")
        self.linha = linha
        self.motivo = motivo


def exportar_csv(d: Declaracao, calculadas: bool = False) -> str:
    """The typed cells (and text fields), one per line, in catalog order.

    With ``calculadas`` the derived cells are listed too (they are ignored on import).
    """
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(CABECALHO)
    for (t, linha, c), v in _celulas(d, calculadas):
        w.writerow((t, linha, c, texto_plano(v) if isinstance(v, Decimal) else v))
    for campo in d.catalogo.campos:
        texto = d.texto(campo)
        if texto:
            w.writerow((TABELA_CAMPOS, campo, "", neutralizar(texto)))
    return buf.getvalue()


def _celulas(d: Declaracao, calculadas: bool):
    if not calculadas:
        yield from d.celulas_digitadas()
        return
    for k in d.catalogo.celulas:
        v = d.valor(k)
        if v != 0:
            yield k, v


def exportar_json(d: Declaracao, calculadas: bool = True) -> str:
    """The same content as JSON, with the ente and period, for scripts."""
    dados = {
        "ente": d.ente.codigo,
        "esfera": d.ente.esfera,
        "exercicio": d.exercicio,
        "bimestre": d.bimestre,
        "celulas": [
            {
                "tabela": t,
                "linha": linha,
                "coluna": c,
                "valor": texto_plano(v),
                "calculada": d.catalogo.derivada((t, linha, c)),
            }
            for (t, linha, c), v in _celulas(d, calculadas)
        ],
        "campos": d.textos(),
    }
    return json.dumps(dados, ensure_ascii=False, indent=2)


def decodificar(dados: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without BOM) or, failing that, Windows-1252 as
    Excel in Portuguese saves it (bytes it does not define become U+FFFD, never an error)."""
    try:
        return dados.decode("utf-8-sig")
    except UnicodeDecodeError:
        return dados.decode("cp1252", errors="replace")


def ler_csv(d: Declaracao, texto: str) -> Lote:
    """Parse and check a whole CSV against the declaration; return one ``Lote`` to apply.

    Raises ``ErroPlanilha`` at the first bad line (nothing is applied).
    """
    if texto.startswith("\ufeff"):
        texto = texto[1:]
    # newline=None: CR-only line ends (Excel for Mac) are lines too.
    leitor = csv.reader(io.StringIO(texto, newline=None), delimiter=";")
    try:
        return _ler_linhas(d, leitor)
    except csv.Error as exc:
        raise ErroPlanilha(
            max(leitor.line_num, 1),
            f"a linha não é um CSV válido separado por ponto e vírgula ({_motivo_csv(exc)}).",
        ) from None


def _motivo_csv(exc: csv.Error) -> str:
    texto = str(exc)
    if "field larger than field limit" in texto:
        return "um campo é longo demais"
    if "new-line character" in texto or "newline" in texto:
        return "há uma quebra de linha dentro de um campo sem aspas"
    return "aspas ou separadores fora do lugar"


def _ler_linhas(d: Declaracao, leitor) -> Lote:
    cat = d.catalogo
    comandos: list[DefinirCelula | DefinirTexto] = []
    vistos: dict[Chave, int] = {}
    for n, campos in enumerate(leitor, start=1):
        if not campos or all(not c.strip() for c in campos):
            continue
        if n == 1 and [c.strip().lower() for c in campos[:4]] == list(CABECALHO):
            continue
        if len(campos) != 4:
            raise ErroPlanilha(
                n, f"esperadas 4 colunas (tabela;linha;coluna;valor), há {len(campos)}."
            )
        t, linha, c, valor = (x.strip() for x in campos)
        if t == TABELA_CAMPOS:
            if linha not in cat.campos:
                raise ErroPlanilha(n, f"campo desconhecido '{linha}'.")
            try:
                valor = d.validar_texto(linha, restaurar(valor))
            except EdicaoInvalida as exc:
                raise ErroPlanilha(n, str(exc)) from None
            comandos.append(DefinirTexto(linha, valor, "Importar planilha"))
            continue
        if t not in cat.tabelas:
            raise ErroPlanilha(n, f"tabela desconhecida '{t}'.")
        tab = cat.tabela(t)
        try:
            lin = tab.linha(linha)
        except KeyError:
            raise ErroPlanilha(n, f"a tabela '{t}' não tem a linha '{linha}'.") from None
        if c not in {col.id for col in tab.colunas_da_linha(lin)}:
            raise ErroPlanilha(n, f"a linha '{linha}' da tabela '{t}' não tem a coluna '{c}'.")
        k = (t, linha, c)
        if cat.derivada(k):
            continue  # exported with --calculadas: computed here, never imported
        try:
            v = parse_valor(valor)
            v = d.validar_valor(k, v)
        except (ValorInvalido, EdicaoInvalida) as exc:
            raise ErroPlanilha(n, str(exc)) from None
        if k in vistos:
            raise ErroPlanilha(n, f"a célula {t};{linha};{c} já apareceu na linha {vistos[k]}.")
        vistos[k] = n
        comandos.append(DefinirCelula(k, v, "Importar planilha"))
    return Lote(tuple(comandos), "Importar planilha")
