"""Qt models of the ledger (razão): a planilha of despesas, the receitas by natureza, and the
lines behind an aggregated cell ("De onde vem este valor?").

``ModeloDespesas`` shows one planilha (fonte de recursos): a header row per subfunção with its
subtotals, one row per natureza da despesa under it, the planilha's total last. ``ModeloReceitas``
groups the receitas by the Anexo 12 table they feed (base, adicionais) and those left outside,
with the receita líquida computed. Both say, per line, where it goes in the Anexo 12 or why it
stays out (``razao_textos.descrever_destino``). Values are read from the ``Documento``'s
snapshot of the ledger; a change of the ledger (``CHAVE_RAZAO``) repaints the rows whose values
changed, or resets the model when lines came or went.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from siops.app.documento import Documento
from siops.app.modelos import (
    ALINHAR_NUMERO,
    ALINHAR_TEXTO,
    COR_CALCULADA,
    COR_NA,
    NOMES_CURTOS,
    PAPEL_CHAVE,
    PAPEL_EDITAVEL,
    PAPEL_VALOR,
    RECUO,
    Indice,
    ModeloValores,
    parse_digitado,
    quebrar_cabecalho,
)
from siops.app.razao_textos import (
    descrever_destino,
    descrever_linha,
    rotulo_natureza_despesa,
    rotulo_receita,
    titulo_coluna,
)
from siops.forms.declaracao import (
    CHAVE_RAZAO,
    Comando,
    DefinirLancamento,
    EdicaoInvalida,
)
from siops.forms.dinheiro import ZERO, ValorInvalido, formatar
from siops.forms.formulas import Chave
from siops.forms.razao import (
    COLUNAS_DESPESA_RAZAO,
    COLUNAS_RECEITA_RAZAO,
    SUBFUNCOES_RAZAO,
    ChaveDespesa,
    ChaveInvalida,
    ChaveRazao,
    ChaveReceita,
    ColunaRazao,
    planilha,
    subfuncao,
)

# --- the planilha / receitas models -----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColunaVista:
    """A column of a ledger view: a ledger column, the computed líquida, or the destination."""

    id: str
    titulo: str
    tipo: str  # "valor" | "liquida" | "destino"
    somente_6o: bool = False


def _colunas(cols: Iterable[ColunaRazao]) -> list[ColunaVista]:
    return [ColunaVista(c.id, c.titulo, "valor", c.somente_6o) for c in cols]


#: A row: ("grupo", id), ("linha", chave) or ("total", "").
Fila = tuple[str, Any]

COR_FORA = QColor("#8a4b00")


class ModeloRazao(ModeloValores):
    """What the two ledger views share (see module docstring)."""

    TIPO: type = ChaveDespesa
    TITULO_0 = ""

    def __init__(self, documento: Documento, parent: Any = None) -> None:
        super().__init__(parent)
        self.documento = documento
        self.colunas: list[ColunaVista] = []
        self._filas: list[Fila] = []
        self._idx: dict[Fila, int] = {}
        self._valores: dict[ChaveRazao, dict[str, Decimal]] = {}
        self._somas: dict[Fila, dict[str, Decimal]] = {}
        self._destinos: dict[ChaveRazao, tuple[bool, str, str]] = {}
        self._fonte_negrito = QFont()
        self._fonte_negrito.setBold(True)
        self._fonte_na = QFont()
        self._fonte_na.setItalic(True)
        self._brush_calc = QBrush(COR_CALCULADA)
        self._brush_na = QBrush(COR_NA)
        self._brush_fora = QBrush(COR_FORA)
        self._icone_fora: QIcon | None = None
        documento.celulasMudaram.connect(self._ao_mudar)

    # -- building ------------------------------------------------------------------------------

    def _linhas(self) -> list[tuple[ChaveRazao, dict[str, Decimal]]]:
        return self.documento.linhas_razao(self.TIPO)

    def _grupos(self, linhas: list[tuple[ChaveRazao, dict[str, Decimal]]]) -> list[Fila]:
        raise NotImplementedError

    def _grupo_de(self, k: ChaveRazao) -> str:
        raise NotImplementedError

    def _montar(self) -> tuple[list[Fila], dict[ChaveRazao, dict[str, Decimal]]]:
        linhas = self._linhas()
        valores = dict(linhas)
        filas: list[Fila] = []
        por_grupo: dict[str, list[ChaveRazao]] = {}
        for k, _ in linhas:
            por_grupo.setdefault(self._grupo_de(k), []).append(k)
        for g in self._grupos(linhas):
            filas.append(g)
            filas += [("linha", k) for k in por_grupo.get(g[1], [])]
        filas.append(("total", ""))
        return filas, valores

    def _somar(self) -> None:
        somas: dict[Fila, dict[str, Decimal]] = {}
        total: dict[str, Decimal] = {}
        grupo: dict[str, Decimal] = total
        for f in self._filas:
            if f[0] == "grupo":
                grupo = somas.setdefault(f, {})
            elif f[0] == "linha":
                for c, v in self._valores.get(f[1], {}).items():
                    grupo[c] = grupo.get(c, ZERO) + v
                    total[c] = total.get(c, ZERO) + v
        somas[("total", "")] = total
        self._somas = somas

    def recarregar(self) -> None:
        """Rebuild every row (a new planilha, a line added or removed)."""
        self.beginResetModel()
        self._filas, self._valores = self._montar()
        self._idx = {f: i for i, f in enumerate(self._filas)}
        self._destinos = {}
        self._somar()
        self.endResetModel()

    def _ao_mudar(self, chaves: set[Chave]) -> None:
        if CHAVE_RAZAO not in chaves:
            return
        filas, valores = self._montar()
        if filas != self._filas:
            self.recarregar()
            return
        mudaram = [self._idx[("linha", k)] for k, v in valores.items() if self._valores.get(k) != v]
        if not mudaram:
            return
        self._valores = valores
        self._somar()
        grupos = {self._idx[("grupo", self._grupo_de(self._filas[r][1]))] for r in mudaram}
        ultima = self.columnCount() - 1
        for r in sorted({*mudaram, *grupos, len(self._filas) - 1}):
            self.dataChanged.emit(self.index(r, 0), self.index(r, ultima))

    # -- shape ---------------------------------------------------------------------------------

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._filas)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.colunas) + 1

    def colunas_numericas(self) -> list[int]:
        return [i + 1 for i, c in enumerate(self.colunas) if c.tipo != "destino"]

    def coluna_destino(self) -> int:
        return next(i + 1 for i, c in enumerate(self.colunas) if c.tipo == "destino")

    def fila(self, row: int) -> Fila | None:
        return self._filas[row] if 0 <= row < len(self._filas) else None

    def chave_linha(self, row: int) -> ChaveRazao | None:
        """The ledger line of a row (None for headers and the total)."""
        f = self.fila(row)
        return f[1] if f is not None and f[0] == "linha" else None

    def linha_da_fila(self, f: Fila) -> int | None:
        return self._idx.get(f)

    def posicao_linha(self, k: ChaveRazao, coluna: str | None = None) -> tuple[int, int] | None:
        """(row, column) of a ledger line and one of its columns (the title when None)."""
        r = self._idx.get(("linha", k))
        if r is None:
            return None
        if coluna is None:
            return r, 0
        c = next((i + 1 for i, col in enumerate(self.colunas) if col.id == coluna), None)
        return None if c is None else (r, c)

    def primeira_editavel(self) -> int:
        """The first column that takes typing on a line (1-based)."""
        return next(c for c in range(1, self.columnCount()) if self._coluna_editavel(c))

    def grupo_da_linha(self, row: int) -> str | None:
        """The group (subfunção, Anexo 12 table) of any row: itself for a header."""
        f = self.fila(row)
        if f is None or f[0] == "total":
            return None
        return f[1] if f[0] == "grupo" else self._grupo_de(f[1])

    def editavel_col(self, c: int) -> bool:
        """Whether column ``c`` takes typing on a line (value columns, the 6º's in the 6º)."""
        return 1 <= c <= len(self.colunas) and self._coluna_editavel(c)

    def coluna_na(self, c: int) -> bool:
        """Whether column ``c`` is one of the 6º bimestre shown N/A in another bimestre."""
        return 1 <= c <= len(self.colunas) and self._na_coluna(self.colunas[c - 1])

    def chave_de(self, natureza: str, grupo: str | None) -> ChaveRazao:
        """The line a pasted natureza names in this view (under group ``grupo``);
        ``ChaveInvalida`` in Portuguese."""
        raise NotImplementedError

    def _coluna_editavel(self, c: int) -> bool:
        col = self.colunas[c - 1]
        return col.tipo == "valor" and not self._na_coluna(col)

    def _na_coluna(self, col: ColunaVista) -> bool:
        return col.somente_6o and self.documento.declaracao.bimestre != 6

    def editavel(self, row: int, col: int) -> bool:
        f = self.fila(row)
        return (
            f is not None and f[0] == "linha" and 1 <= col <= len(self.colunas)
        ) and self._coluna_editavel(col)

    def destino(self, k: ChaveRazao) -> tuple[bool, str, str]:
        d = self._destinos.get(k)
        if d is None:
            d = descrever_destino(self.documento, k)
            self._destinos[k] = d
        return d

    # -- values --------------------------------------------------------------------------------

    def _valor(self, f: Fila, col: ColunaVista) -> Decimal:
        vals = self._valores.get(f[1], {}) if f[0] == "linha" else self._somas.get(f, {})
        if col.tipo == "liquida":
            return (
                vals.get("realizada", ZERO)
                - vals.get("deducoes", ZERO)
                - vals.get("deducao_fundeb", ZERO)
            )
        return vals.get(col.id, ZERO)

    def _titulo(self, f: Fila) -> str:
        raise NotImplementedError

    def flags(self, index: Indice) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.editavel(index.row(), index.column()):
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        f = self._filas[r]
        negrito = f[0] != "linha"
        if c == 0:
            if role == Qt.ItemDataRole.DisplayRole:
                return (RECUO if f[0] == "linha" else "") + self._titulo(f)
            if role == Qt.ItemDataRole.FontRole:
                return self._fonte_negrito if negrito else None
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return ALINHAR_TEXTO
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brush_calc if negrito else None
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._dica_titulo(f)
            if role == Qt.ItemDataRole.DecorationRole:
                fora = f[0] == "linha" and not self.destino(f[1])[0]
                return self._icone() if fora else None
            if role == PAPEL_EDITAVEL:
                return False
            if role == PAPEL_CHAVE:
                return f[1] if f[0] == "linha" else None
            return None
        col = self.colunas[c - 1]
        if col.tipo == "destino":
            return self._dados_destino(f, role)
        na = self._na_coluna(col)
        if role == Qt.ItemDataRole.DisplayRole:
            return "N/A" if na else formatar(self._valor(f, col))
        if role == Qt.ItemDataRole.EditRole:
            v = self._valor(f, col)
            return "" if v == 0 else formatar(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALINHAR_NUMERO
        if role == Qt.ItemDataRole.BackgroundRole:
            return None if self.editavel(r, c) else self._brush_calc
        if role == Qt.ItemDataRole.FontRole:
            if na:
                return self._fonte_na
            return self._fonte_negrito if negrito else None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brush_na if na else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._dica_valor(f, col)
        if role == PAPEL_CHAVE:
            return (f[1], col.id) if f[0] == "linha" else None
        if role == PAPEL_VALOR:
            return self._valor(f, col)
        if role == PAPEL_EDITAVEL:
            return self.editavel(r, c)
        return None

    def _icone(self) -> QIcon:
        if self._icone_fora is None:
            estilo = QApplication.style()
            self._icone_fora = estilo.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        return self._icone_fora

    def _dados_destino(self, f: Fila, role: int) -> Any:
        if f[0] != "linha":
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brush_calc
            return None
        dentro, curto, longo = self.destino(f[1])
        if role == Qt.ItemDataRole.DisplayRole:
            return curto
        if role == Qt.ItemDataRole.ToolTipRole:
            return longo
        if role == Qt.ItemDataRole.DecorationRole:
            return None if dentro else self._icone()
        if role == Qt.ItemDataRole.ForegroundRole:
            return None if dentro else self._brush_fora
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALINHAR_TEXTO
        if role == Qt.ItemDataRole.BackgroundRole:
            return self._brush_calc
        return None

    def _dica_titulo(self, f: Fila) -> str:
        if f[0] == "linha":
            return f"{f[1].descricao()}\n{self.destino(f[1])[2]}"
        return self._titulo(f)

    def _dica_valor(self, f: Fila, col: ColunaVista) -> str:
        if self._na_coluna(col):
            return f"{col.titulo}: preenchida somente no 6º bimestre."
        if col.tipo == "liquida":
            return "Receita líquida = realizada − deduções − dedução para o FUNDEB (calculada)."
        if f[0] == "linha":
            return f"{f[1].descricao()} — {col.titulo}"
        return f"{col.titulo}: soma das linhas (calculada)."

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section <= len(self.colunas):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            if section == 0:
                return self.TITULO_0
            return _quebrar(self.colunas[section - 1].titulo)
        if role == Qt.ItemDataRole.ToolTipRole and section > 0:
            return self.colunas[section - 1].titulo
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    # -- editing -------------------------------------------------------------------------------

    def _alvo(self, row: int, col: int) -> tuple[ChaveRazao, str] | None:
        if not self.editavel(row, col):
            return None
        k = self.chave_linha(row)
        assert k is not None
        return k, self.colunas[col - 1].id

    def motivo_recusa(self, row: int, col: int, texto: str) -> str | None:
        alvo = self._alvo(row, col)
        if alvo is None:
            return None
        try:
            self.documento.declaracao.validar_lancamento(*alvo, parse_digitado(texto))
        except (ValorInvalido, EdicaoInvalida) as exc:
            return str(exc)
        return None

    def comando(self, row: int, col: int, valor: Decimal, descricao: str) -> Comando | None:
        alvo = self._alvo(row, col)
        return None if alvo is None else DefinirLancamento(*alvo, valor, descricao)

    def setData(self, index: Indice, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        alvo = self._alvo(index.row(), index.column())
        if alvo is None:
            return False
        try:
            v = value if isinstance(value, Decimal) else parse_digitado(str(value))
            self.documento.executar(DefinirLancamento(*alvo, v, "Editar lançamento"))
        except (ValorInvalido, EdicaoInvalida) as exc:
            self.recusado.emit(str(exc))
            return False
        return True

    def somente_leitura(self, row: int, col: int) -> str | None:
        if col == 0 or self.editavel(row, col) or not 0 <= row < len(self._filas):
            return None
        coluna = self.colunas[col - 1]
        if coluna.tipo == "destino":
            return None
        if self._na_coluna(coluna):
            return f"A coluna '{coluna.titulo}' só é preenchida no 6º bimestre."
        if coluna.tipo == "liquida":
            return "A receita líquida é calculada: realizada − deduções − dedução para o FUNDEB."
        return (
            "Esta linha é uma soma, calculada a partir das linhas abaixo dela; digite os "
            "valores nas linhas."
        )


def _quebrar(titulo: str) -> str:
    return quebrar_cabecalho(titulo)


class ModeloDespesas(ModeloRazao):
    """One planilha of despesas (a fonte de recursos): subfunções, naturezas, totals."""

    TIPO = ChaveDespesa
    TITULO_0 = "Subfunção / natureza da despesa"

    def __init__(self, documento: Documento, codigo: str = "4", parent: Any = None) -> None:
        super().__init__(documento, parent)
        self.planilha = codigo
        self.colunas = [
            *_colunas(COLUNAS_DESPESA_RAZAO),
            ColunaVista("destino", "No Anexo 12", "destino"),
        ]
        self.recarregar()

    def definir_planilha(self, codigo: str) -> None:
        planilha(codigo)  # KeyError for an unknown code
        if codigo != self.planilha:
            self.planilha = codigo
            self.recarregar()

    def _linhas(self) -> list[tuple[ChaveRazao, dict[str, Decimal]]]:
        return [
            (k, v)
            for k, v in super()._linhas()
            if isinstance(k, ChaveDespesa) and k.planilha == self.planilha
        ]

    def _grupos(self, linhas: list[tuple[ChaveRazao, dict[str, Decimal]]]) -> list[Fila]:
        return [("grupo", s.id) for s in SUBFUNCOES_RAZAO]

    def _grupo_de(self, k: ChaveRazao) -> str:
        assert isinstance(k, ChaveDespesa)
        return k.subfuncao

    def chave_de(self, natureza: str, grupo: str | None) -> ChaveRazao:
        if not grupo:
            raise ChaveInvalida(
                "selecione uma linha da subfunção onde as linhas coladas devem entrar."
            )
        return ChaveDespesa.de(self.planilha, grupo, natureza.split("—")[0].strip())

    def _titulo(self, f: Fila) -> str:
        if f[0] == "grupo":
            return subfuncao(f[1]).titulo
        if f[0] == "total":
            return f"TOTAL DA PLANILHA {self.planilha}"
        return rotulo_natureza_despesa(f[1].natureza)

    def contagem(self) -> tuple[int, int]:
        """(lines of this planilha, those outside the Anexo 12)."""
        linhas = [f[1] for f in self._filas if f[0] == "linha"]
        return len(linhas), sum(1 for k in linhas if not self.destino(k)[0])


#: The receita groups, in order: the Anexo 12 tables, then the lines left out.
FORA = "_fora"


class ModeloReceitas(ModeloRazao):
    """The receitas by natureza, grouped by the Anexo 12 table they feed."""

    TIPO = ChaveReceita
    TITULO_0 = "Natureza da receita"

    def __init__(self, documento: Documento, parent: Any = None) -> None:
        super().__init__(documento, parent)
        self.colunas = [  # the líquida beside what makes it, before the 6º's orçada
            *_colunas(c for c in COLUNAS_RECEITA_RAZAO if not c.somente_6o),
            ColunaVista("liquida", "Receita líquida", "liquida"),
            *_colunas(c for c in COLUNAS_RECEITA_RAZAO if c.somente_6o),
            ColunaVista("destino", "Linha do Anexo 12", "destino"),
        ]
        self.recarregar()

    def _grupo_de(self, k: ChaveRazao) -> str:
        dest = self.documento.catalogo.classificador.destino(k)
        return dest.linha_anexo12[0] if dest.linha_anexo12 is not None else FORA

    def chave_de(self, natureza: str, grupo: str | None) -> ChaveRazao:
        return ChaveReceita.de(natureza.split("—")[0].strip())

    def _grupos(self, linhas: list[tuple[ChaveRazao, dict[str, Decimal]]]) -> list[Fila]:
        presentes = {self._grupo_de(k) for k, _ in linhas}
        ordem = ["receitas_base", "receitas_adicionais"]
        ordem += sorted(presentes - {*ordem, FORA})
        if FORA in presentes:
            ordem.append(FORA)
        return [("grupo", g) for g in ordem if g in self.documento.catalogo.tabelas or g == FORA]

    def _titulo(self, f: Fila) -> str:
        if f[0] == "grupo":
            if f[1] == FORA:
                return "Fora do Anexo 12"
            return NOMES_CURTOS.get(f[1], self.documento.catalogo.tabela(f[1]).titulo)
        if f[0] == "total":
            return "TOTAL DAS RECEITAS DO RAZÃO"
        return f"{rotulo_receita(f[1])} — {self.destino(f[1])[1]}"


# --- "De onde vem este valor?" ----------------------------------------------------------------


class ModeloOrigem(QAbstractTableModel):
    """The ledger lines behind an aggregated cell (``Declaracao.origem``): line, column read,
    sign, value."""

    COLUNAS = ("Linha do razão", "Coluna", "Sinal", "Valor")

    def __init__(self, documento: Documento, celula: Chave, parent: Any = None) -> None:
        super().__init__(parent)
        self.documento = documento
        self.celula = celula
        self.linhas = documento.declaracao.origem(celula)

    def soma(self) -> Decimal:
        return sum((s * v for _, _, s, v in self.linhas), ZERO)

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.linhas)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUNAS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.COLUNAS)
        ):
            return self.COLUNAS[section]
        return None

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        k, coluna, sinal, valor = self.linhas[index.row()]
        c = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if c == 0:
                return descrever_linha(k)
            if c == 1:
                return titulo_coluna(k, coluna)
            if c == 2:
                return "+" if sinal > 0 else "−"
            return formatar(valor)
        if role == Qt.ItemDataRole.ToolTipRole and c == 0:
            return k.descricao()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if c == 3:
                return ALINHAR_NUMERO
            return int(Qt.AlignmentFlag.AlignCenter) if c == 2 else ALINHAR_TEXTO
        if role == PAPEL_CHAVE:
            return (k, coluna)
        return None
