"""The CSV / JSON interchange: ``tabela;linha;coluna;valor`` with the catalog's public ids.

Accounting systems and accounting firms feed us with it (ARCHITECTURE). Values are plain
decimal text with a dot (as exported) or Brazilian text with a comma. Text fields travel as
``campo;<id>;;<texto>``. Importing is all or nothing: every line is checked first, and the
first bad line stops the import with its number and the reason in Portuguese.

The ledger (``forms.razao``) travels in the same file, after the cells, one row per line and
column, the first field ``razao`` (numbers with a dot, as the cells)::

    razao;despesa;<planilha>;<subfunção>;<natureza x.x.xx.xx.xx.xx>;<coluna>;<valor>
    razao;receita;<natureza 1.1.1.2.50.0.1>;<fonte>;<coluna>;<valor>
    razao;complementar;<natureza>;<campo>;<#Ln>;<#Cn>;<coluna>;<valor>

(``razao;despesa;4;301;3.3.90.39.00.00;empenhada;123.45``; subfunção ``adm``, ``301``…``306``
or ``outras``; the columns of ``COLUNAS_DESPESA_RAZAO``/``COLUNAS_RECEITA_RAZAO``). A line with
no value is one row with the column and the value empty. On import, the lines named are set,
column by column (the other ledger lines are kept), as one ``SubstituirRazao``. The Anexo 12
cells the ledger computes are still written among the cells, as before; on import they are
checked against what the ledger rows make (a difference is an error: edit the ``razao`` rows,
not the cell). A CSV of cells only (written before the ledger existed) is converted: each
Anexo 12 cell becomes its canonical ledger line (``Declaracao.comando_celula``); the cells of
the summary views (por fonte, por elemento …), now computed, are not imported.

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
    Comando,
    Declaracao,
    DefinirCelula,
    DefinirTexto,
    EdicaoInvalida,
    Lote,
    SubstituirRazao,
)
from siops.forms.dinheiro import ValorInvalido, formatar, parse_valor, texto_plano
from siops.forms.formulas import Chave
from siops.forms.razao import (
    ChaveComplementar,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    natureza_receita,
)

CABECALHO = ("tabela", "linha", "coluna", "valor")
TABELA_CAMPOS = "campo"
TABELA_RAZAO = "razao"
#: Fields of a ledger row by kind (with ``razao`` and the kind).
CAMPOS_RAZAO = {"despesa": 7, "receita": 6, "complementar": 8}
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
    for chave, valores in d.linhas_razao():
        inicio = (TABELA_RAZAO, *_chave_csv(chave))
        if not valores:
            w.writerow((*inicio, "", ""))
        for c, v in valores.items():
            w.writerow((*inicio, c, texto_plano(v)))
    return buf.getvalue()


def _chave_csv(k: ChaveRazao) -> tuple[str, ...]:
    """The fields of a ledger key in a CSV row (after ``razao``)."""
    if isinstance(k, ChaveDespesa):
        return ("despesa", k.planilha, k.subfuncao, k.natureza_formatada)
    if isinstance(k, ChaveReceita):
        return ("receita", k.natureza_formatada, k.fonte)
    return ("complementar", ChaveReceita(k.natureza).natureza_formatada, k.campo, k.linha, k.coluna)


def _celulas(d: Declaracao, calculadas: bool):
    """Typed cells and the cells the ledger aggregates (the Anexo 12 as it was typed before
    the ledger); with ``calculadas``, every non-zero cell."""
    cat = d.catalogo
    for k in cat.celulas:
        if not calculadas and k in cat.formulas:
            continue
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
        "razao": [_razao_json(k, v) for k, v in d.linhas_razao()],
    }
    return json.dumps(dados, ensure_ascii=False, indent=2)


def _razao_json(k: ChaveRazao, valores: dict[str, Decimal]) -> dict:
    campos = _chave_csv(k)
    nomes = {
        "despesa": ("planilha", "subfuncao", "natureza"),
        "receita": ("natureza", "fonte"),
        "complementar": ("natureza", "campo", "linha", "coluna"),
    }[campos[0]]
    return {
        "tipo": campos[0],
        **dict(zip(nomes, campos[1:], strict=True)),
        "valores": {c: texto_plano(v) for c, v in valores.items()},
    }


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
    comandos: list[Comando] = []
    vistos: dict[Chave, int] = {}
    razao: dict[ChaveRazao, dict[str, tuple[Decimal, int]]] = {}
    agregadas: list[tuple[int, Chave, Decimal]] = []
    for n, campos in enumerate(leitor, start=1):
        if not campos or all(not c.strip() for c in campos):
            continue
        if n == 1 and [c.strip().lower() for c in campos[:4]] == list(CABECALHO):
            continue
        if campos[0].strip() == TABELA_RAZAO:
            _linha_razao(d, n, [c.strip() for c in campos], razao)
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
        if k in cat.formulas:
            continue  # exported with --calculadas: computed here, never imported
        try:
            v = parse_valor(valor)
            if k not in cat.agregadas:
                v = d.validar_valor(k, v)
            elif (canon := cat.classificador.linha_canonica(k)) is not None:
                v = d.validar_lancamento(canon[0], canon[1], v)  # sign, cents, 6º bimestre
        except (ValorInvalido, EdicaoInvalida) as exc:
            raise ErroPlanilha(n, str(exc)) from None
        if k in vistos:
            raise ErroPlanilha(n, f"a célula {t};{linha};{c} já apareceu na linha {vistos[k]}.")
        vistos[k] = n
        if k in cat.agregadas:
            agregadas.append((n, k, v))
            continue
        comandos.append(DefinirCelula(k, v, "Importar planilha"))
    if razao:
        comandos.append(_substituir(d, razao))
        _conferir_agregadas(d, comandos, agregadas)
    else:
        comandos += _converter_agregadas(d, agregadas)
    return Lote(tuple(comandos), "Importar planilha")


def _linha_razao(
    d: Declaracao, n: int, campos: list[str], razao: dict[ChaveRazao, dict[str, tuple]]
) -> None:
    """One ``razao;…`` row into ``razao`` (key → column → (value, row number))."""
    tipo = campos[1] if len(campos) > 1 else ""
    esperados = CAMPOS_RAZAO.get(tipo)
    if esperados is None:
        raise ErroPlanilha(
            n,
            f"tipo de linha do razão desconhecido '{tipo}': use despesa, receita ou complementar.",
        )
    if len(campos) != esperados:
        formato = {
            "despesa": "razao;despesa;planilha;subfunção;natureza;coluna;valor",
            "receita": "razao;receita;natureza;fonte;coluna;valor",
            "complementar": "razao;complementar;natureza;campo;#L;#C;coluna;valor",
        }[tipo]
        raise ErroPlanilha(n, f"esperadas {esperados} colunas ({formato}), há {len(campos)}.")
    chave: ChaveRazao
    try:
        if tipo == "despesa":
            chave = ChaveDespesa.de(campos[2], campos[3], campos[4])
        elif tipo == "receita":
            chave = ChaveReceita.de(campos[2], campos[3])
        else:
            chave = ChaveComplementar(natureza_receita(campos[2]), *campos[3:6])
    except ChaveInvalida as exc:
        raise ErroPlanilha(n, str(exc)) from None
    coluna, valor = campos[-2], campos[-1]
    linha = razao.setdefault(chave, {})
    if not coluna and not valor:
        return  # a line without values
    try:
        v = d.validar_lancamento(chave, coluna, parse_valor(valor))
    except (ValorInvalido, EdicaoInvalida) as exc:
        raise ErroPlanilha(n, str(exc)) from None
    if coluna in linha:
        raise ErroPlanilha(
            n, f"{chave.descricao()}, coluna {coluna}, já apareceu na linha {linha[coluna][1]}."
        )
    linha[coluna] = (v, n)


def _substituir(d: Declaracao, razao: dict[ChaveRazao, dict[str, tuple]]) -> SubstituirRazao:
    """The ledger with the CSV's lines set column by column (the others kept)."""
    novo = d.razao()
    for k, colunas in razao.items():
        linha = novo.setdefault(k, {})
        for c, (v, _) in colunas.items():
            linha[c] = v
    return SubstituirRazao(
        tuple((k, tuple(v.items())) for k, v in novo.items()), "Importar planilha"
    )


def _conferir_agregadas(
    d: Declaracao, comandos: list[Comando], agregadas: list[tuple[int, Chave, Decimal]]
) -> None:
    """Cells the ledger computes, given beside its rows, must be what the rows make."""
    if not agregadas:
        return
    copia = d.copia()
    copia.aplicar(Lote(tuple(comandos)))
    for n, k, v in agregadas:
        calculado = copia.valor(k)
        if calculado != v:
            raise ErroPlanilha(
                n,
                f"a célula {d.catalogo.descricao_celula(k)} é calculada a partir das linhas do "
                f"razão desta planilha (R$ {formatar(calculado)}), mas a planilha traz "
                f"R$ {formatar(v)}: corrija as linhas 'razao;…' em vez da célula.",
            )


def _converter_agregadas(
    d: Declaracao, agregadas: list[tuple[int, Chave, Decimal]]
) -> list[Comando]:
    """A CSV of cells only: each Anexo 12 cell becomes its canonical ledger line."""
    cls = d.catalogo.classificador
    out: list[Comando] = []
    for n, k, v in agregadas:
        canon = cls.linha_canonica(k)
        if canon is None:
            continue  # a summary view (por fonte, por elemento …): computed from the ledger now
        try:
            cmd = d.comando_celula(k, v, "Importar planilha")
            d.validar_lancamento(cmd.chave, cmd.coluna, cmd.valor)
        except EdicaoInvalida as exc:
            raise ErroPlanilha(n, str(exc)) from None
        out.append(cmd)
    return out
