"""Reading the MSC (Matriz de Saldos Contábeis), the CSV every ente sends to SICONFI monthly.

Line 1 is ``<IBGE>EX;<AAAA-MM>``; line 2 the header ``CONTA;IC1;TIPO1;…;IC6;TIPO6;Valor;
Tipo_valor;Natureza_valor`` (accounting systems also write ``ContaContabil``, ``TipoIC1``,
``TipoValor``, ``NaturezaValor``: columns are found by name, case and ``_`` ignored); then one
row per PCASP account × informações complementares × kind of value. UTF-8 (with or without BOM)
or Windows-1252, ``;``-separated, values with a dot or a comma for decimals.

The file is streamed: only the accounts the mapping uses are kept, summed per (conta, NR, FS,
ND, FR, CO), so a 200 MB file costs the memory of its distinct combinations, not of its rows.
Every row is still checked (a value that is not a number, an unknown ``Tipo_valor`` or
``Natureza_valor`` stops the reading with the line number), and the debits and credits of each
kind of value are totalled: when they differ, the reading goes on with a warning.

Which value is "até o bimestre": the ``ending_balance`` of the month read. The budget-control
accounts (classes 5, 6 and 8) accumulate from January and are closed only at the year's end, so
a month's ending balance is the year to date — the same as the sum of the ``period_change`` rows
from January to that month. When a file has no ``ending_balance`` rows at all, beginning balance
plus the month's changes are used instead (the same figure; the file is read a second time).
Each account's ending balance is also checked against its beginning balance plus the month's
changes, with a warning when they differ.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from siops.contabil.erros import ErroContabil
from siops.forms.dinheiro import formatar

TIPOS_VALOR = {"beginning_balance": 0, "period_change": 1, "ending_balance": 2}
NOMES_TIPO = ("saldo inicial (beginning_balance)", "movimento (period_change)", "saldo final")
IC_USADAS = ("NR", "FS", "ND", "FR", "CO")
_LINHA1 = re.compile(r"^\s*\ufeff?(\d{2}|\d{7})EX\s*;\s*(\d{4})-(\d{2})\s*(;.*)?$", re.IGNORECASE)
ZERO = Decimal(0)


@dataclass(slots=True)
class MatrizLida:
    """What an MSC file yields: who and when, and the balances of the accounts of interest.

    ``saldos`` maps ``(conta, NR, FS, ND, FR, CO)`` (the texts as in the file) to the balance
    "até o mês" read as credits minus debits. ``linhas`` holds the first line of each key.
    ``contas_presentes`` the accounts of interest seen in the file (to know which measures the
    file informs at all).
    """

    arquivo: Path
    ibge: str
    ano: int
    mes: int
    saldos: dict[tuple[str, ...], Decimal] = field(default_factory=dict)
    linhas: dict[tuple[str, ...], int] = field(default_factory=dict)
    contas_presentes: set[str] = field(default_factory=set)
    tipos_ic: set[str] = field(default_factory=set)
    avisos: list[str] = field(default_factory=list)
    n_linhas: int = 0
    usou_saldo_final: bool = True


def _norm(nome: str) -> str:
    sem = unicodedata.normalize("NFKD", nome).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", sem.lower())


def cabecalho_msc(primeira_linha: str) -> tuple[str, int, int] | None:
    """``(ibge, ano, mes)`` when the line is an MSC's first line, else ``None``."""
    m = _LINHA1.match(primeira_linha.strip("\r\n"))
    if not m:
        return None
    return m.group(1), int(m.group(2)), int(m.group(3))


def parece_msc(caminho: Path) -> bool:
    """Whether a file starts like an MSC (used to tell it from a balancete CSV)."""
    try:
        with open(caminho, "rb") as f:
            inicio = f.read(256)
    except OSError:
        return False
    texto = inicio.removeprefix(b"\xef\xbb\xbf").decode("latin-1").splitlines()
    return bool(texto) and cabecalho_msc(texto[0]) is not None


def _colunas(
    cabecalho: list[str], arquivo: Path
) -> tuple[int, int, int, int, list[int], list[int]]:
    nomes = [_norm(c) for c in cabecalho]

    def achar(*opcoes: str) -> int:
        for o in opcoes:
            if o in nomes:
                return nomes.index(o)
        return -1

    conta = achar("conta", "contacontabil")
    valor = achar("valor")
    tipo = achar("tipovalor")
    natureza = achar("naturezavalor")
    faltam = [
        n
        for n, i in (
            ("CONTA", conta),
            ("Valor", valor),
            ("Tipo_valor", tipo),
            ("Natureza_valor", natureza),
        )
        if i < 0
    ]
    if faltam:
        raise ErroContabil(
            "o cabeçalho não é o de uma MSC: faltam as colunas " + ", ".join(faltam) + ".",
            2,
            arquivo,
        )
    ics, tipos = [], []
    for n in range(1, 7):
        i = achar(f"ic{n}")
        t = achar(f"tipo{n}", f"tipoic{n}")
        if i >= 0 and t >= 0:
            ics.append(i)
            tipos.append(t)
    return conta, valor, tipo, natureza, ics, tipos


def _centavos(texto: str, linha: int, arquivo: Path) -> int:
    """A value in integer centavos: dot or comma decimals (any places, rounded half-up)."""
    t = texto.strip()
    if "," in t:
        t = t.replace(".", "").replace(",", ".")
    try:
        v = Decimal(t)
    except InvalidOperation:
        raise ErroContabil(f"o valor '{texto.strip()}' não é um número.", linha, arquivo) from None
    if not v.is_finite():
        raise ErroContabil(f"o valor '{texto.strip()}' não é um número.", linha, arquivo)
    return int((v * 100).to_integral_value(ROUND_HALF_UP))


def _reais(centavos: int) -> Decimal:
    return Decimal(centavos).scaleb(-2)


def ler_msc(caminho: Path, interessa: Callable[[str], bool]) -> MatrizLida:
    """Read an MSC file, keeping the balances of the accounts for which ``interessa`` is true.

    Raises ``ErroContabil`` (with the line) for a file that is not an MSC or a bad row.
    """
    caminho = Path(caminho)
    try:
        return _ler(caminho, interessa, "utf-8-sig")
    except UnicodeDecodeError:
        return _ler(caminho, interessa, "cp1252")
    except OSError as exc:
        raise ErroContabil(
            f"não foi possível ler o arquivo ({exc.strerror}).", None, caminho
        ) from exc


def _ler(caminho: Path, interessa: Callable[[str], bool], codificacao: str) -> MatrizLida:
    erros = "strict" if codificacao != "cp1252" else "replace"
    with open(caminho, encoding=codificacao, errors=erros, newline="") as f:
        m = _ler_fluxo(f, caminho, interessa, True)
    if m.usou_saldo_final:
        return m
    # No ending_balance rows at all: a second pass sums beginning balance + changes per key.
    with open(caminho, encoding=codificacao, errors=erros, newline="") as f:
        return _ler_fluxo(f, caminho, interessa, False)


def _tupla(indices: list[int]) -> Callable[[list[str]], tuple[str, ...]]:
    if len(indices) > 1:
        return itemgetter(*indices)
    if indices:
        i = indices[0]
        return lambda r: (r[i],)
    return lambda r: ()


def _ler_fluxo(
    f: io.TextIOBase, caminho: Path, interessa: Callable[[str], bool], saldo_final: bool
) -> MatrizLida:
    primeira = f.readline()
    cab = cabecalho_msc(primeira)
    if cab is None:
        raise ErroContabil(
            "o arquivo não é uma MSC: a primeira linha deveria ser "
            "'<código IBGE>EX;<AAAA-MM>' (ex.: 3550308EX;2025-04).",
            1,
            caminho,
        )
    ibge, ano, mes = cab
    if not 1 <= mes <= 12:
        raise ErroContabil(
            f"mês {mes:02d} inválido na primeira linha; a MSC de encerramento não é aceita: "
            "use a de dezembro.",
            1,
            caminho,
        )
    leitor = csv.reader(f, delimiter=";")
    try:
        cabecalho = next(leitor)
    except StopIteration:
        raise ErroContabil("o arquivo termina depois da primeira linha.", 2, caminho) from None
    i_conta, i_valor, i_tipo, i_nat, ics, tipos = _colunas(cabecalho, caminho)
    minimo = max(i_conta, i_valor, i_tipo, i_nat, *ics, *tipos) + 1
    m = MatrizLida(caminho, ibge, ano, mes)
    return _percorrer(
        leitor,
        m,
        interessa,
        (i_conta, i_valor, i_tipo, i_nat),
        minimo,
        _tupla(tipos),
        _tupla(ics),
        saldo_final,
    )


def _percorrer(
    leitor, m: MatrizLida, interessa, indices, minimo, pegar_tipos, pegar_ics, saldo_final: bool
):
    """The hot loop: one pass, per-row work kept to a few dictionary operations.

    Values are summed as integer centavos; the debits and credits of each kind of value are
    summed per ``Tipo_valor + Natureza_valor`` text and checked at the end. With
    ``saldo_final`` only the ending balances are summed per key (the beginning balances and
    changes only per account, for the consistency check); without it (the second pass over a
    file that has no ending balances) the beginning balances and changes are summed per key.
    """
    i_conta, i_valor, i_tipo, i_nat = indices
    relevantes: dict[str, bool] = {}
    planos: dict[tuple[str, ...], itemgetter] = {}
    somas: dict[str, int] = {}  # "ending_balanceC" -> centavos
    sinais: dict[str, tuple[int, int]] = {}  # the same text -> (kind of value, ±1)
    fim: dict[tuple[str, ...], int] = {}  # per key: ending balances (or, 2nd pass, the rest)
    mov_conta: dict[str, int] = {}  # per account: beginning balances + changes
    linhas = m.linhas
    arquivo = m.arquivo
    n = 2
    for row in leitor:
        n += 1
        try:
            texto = row[i_valor]
            combo = row[i_tipo] + row[i_nat]
            conta = row[i_conta]
        except IndexError:
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            raise ErroContabil(
                f"a linha tem {len(row)} colunas; o cabeçalho tem pelo menos {minimo}.", n, arquivo
            ) from None
        if texto[-3:-2] == ".":  # the usual '1234.56': integer centavos, no Decimal per row
            try:
                v = int(texto.replace(".", "", 1))
            except ValueError:
                v = _centavos(texto, n, arquivo)
        else:
            v = _centavos(texto, n, arquivo)
        soma = somas.get(combo)
        if soma is None:
            sinais[combo] = _tipo_e_sinal(row[i_tipo], row[i_nat], n, arquivo)
            soma = 0
        somas[combo] = soma + v
        rel = relevantes.get(conta)
        if rel is None:
            rel = relevantes[conta] = interessa(conta.strip())
        if not rel:
            continue
        t, sinal = sinais[combo]
        if saldo_final and t != 2:
            mov_conta[conta] = mov_conta.get(conta, 0) + sinal * v
            continue
        tipos_ic = pegar_tipos(row)
        plano = planos.get(tipos_ic)
        if plano is None:
            plano = planos[tipos_ic] = _plano(tipos_ic, m)
        chave = (conta, *plano((*pegar_ics(row), "")))  # conta stripped when used
        anterior = fim.get(chave)
        if anterior is None:
            fim[chave] = sinal * v
            linhas[chave] = n
        else:
            fim[chave] = anterior + sinal * v
    m.n_linhas = n
    m.contas_presentes = {c.strip() for c, r in relevantes.items() if r}
    liquido = [0, 0, 0]  # credits − debits, per kind of value
    debitos = [0, 0, 0]
    for combo, soma in somas.items():
        t, sinal = sinais[combo]
        liquido[t] += sinal * soma
        if sinal < 0:
            debitos[t] += soma
    _fechar(m, fim, mov_conta, liquido, debitos, saldo_final)
    return m


def _tipo_e_sinal(tipo: str, natureza: str, linha: int, arquivo: Path) -> tuple[int, int]:
    """(kind of value, +1 for a credit / −1 for a debit), or the error of the row."""
    t = TIPOS_VALOR.get(tipo.strip().lower())
    if t is None:
        raise ErroContabil(
            f"Tipo_valor '{tipo.strip()}' desconhecido; os válidos são beginning_balance, "
            "period_change e ending_balance.",
            linha,
            arquivo,
        )
    nat = natureza.strip().upper()
    if nat not in ("C", "D"):
        raise ErroContabil(
            f"Natureza_valor '{natureza.strip()}' inválida; use D ou C.", linha, arquivo
        )
    return t, (1 if nat == "C" else -1)


def _plano(tipos_ic: tuple[str, ...], m: MatrizLida) -> itemgetter:
    """Where NR, FS, ND, FR and CO sit among a row's ICs (the empty text at the end if absent)."""
    normal = [t.strip().upper() for t in tipos_ic]
    m.tipos_ic.update(t for t in normal if t)
    vazio = len(tipos_ic)
    return itemgetter(*(normal.index(x) if x in normal else vazio for x in IC_USADAS))


def _fechar(m: MatrizLida, fim, mov_conta, liquido, debitos, saldo_final: bool) -> None:
    for t, saldo in enumerate(liquido):
        if saldo != 0:
            lado = "créditos" if saldo > 0 else "débitos"
            m.avisos.append(
                f"{m.arquivo.name}: no {NOMES_TIPO[t]}, débitos (R$ {formatar(_reais(debitos[t]))}) "
                f"e créditos (R$ {formatar(_reais(debitos[t] + saldo))}) não batem: sobram R$ "
                f"{formatar(_reais(abs(saldo)))} de {lado}. A importação continua; confira a MSC."
            )
    m.saldos = {k: _reais(v) for k, v in fim.items()}
    if not saldo_final:
        m.usou_saldo_final = False
        m.avisos.append(
            f"{m.arquivo.name}: a MSC não tem linhas de saldo final (ending_balance); foi usado "
            "o saldo inicial mais o movimento do mês."
        )
        return
    if not fim and mov_conta:
        m.usou_saldo_final = False  # the caller reads the file again, summing the changes
        return
    final_conta: dict[str, int] = {}
    for k, v in fim.items():
        final_conta[k[0]] = final_conta.get(k[0], 0) + v
    divergentes = sorted(
        c
        for c in final_conta.keys() | mov_conta.keys()
        if final_conta.get(c, 0) != mov_conta.get(c, 0)
    )
    if mov_conta and divergentes:
        m.avisos.append(
            f"{m.arquivo.name}: em {len(divergentes)} conta(s) (a primeira: {divergentes[0].strip()}) "
            "o saldo final difere do saldo inicial mais o movimento do mês; foi usado o saldo final."
        )


def ler_texto(texto: str, interessa: Callable[[str], bool], nome: str = "msc.csv") -> MatrizLida:
    """Read an MSC given as text (tests)."""
    m = _ler_fluxo(io.StringIO(texto, newline=""), Path(nome), interessa, True)
    if m.usou_saldo_final:
        return m
    return _ler_fluxo(io.StringIO(texto, newline=""), Path(nome), interessa, False)
