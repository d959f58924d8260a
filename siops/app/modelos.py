"""Qt item models over the core's objects (STYLE habit 6): a catalog table of a declaration,
the críticas, the entes for the new-declaration search, the recent files.

Each is a ``QAbstractTableModel``/``QAbstractListModel`` adapter: the core keeps the values,
the model only answers ``data()`` by role, formatting there (Brazilian numbers, percentages,
"N/A") and never storing display text. ``rowCount`` is 0 for a valid parent (flat models).
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from siops.app.documento import Documento
from siops.forms.catalogo import Tabela
from siops.forms.declaracao import Comando, DefinirCelula, EdicaoInvalida
from siops.forms.dinheiro import ValorInvalido, apresentar_percentual, formatar, parse_valor
from siops.forms.formulas import Chave

Indice = QModelIndex | QPersistentModelIndex

#: Custom roles shared by views and tests.
PAPEL_CHAVE = Qt.ItemDataRole.UserRole + 1  # the cell key (tabela, linha, coluna) or None
PAPEL_VALOR = Qt.ItemDataRole.UserRole + 2  # the Decimal value
PAPEL_EDITAVEL = Qt.ItemDataRole.UserRole + 3  # bool
PAPEL_OBJETO = Qt.ItemDataRole.UserRole + 4  # the domain object of a row (Achado, Ente, Path)

COR_CALCULADA = QColor("#ececec")
COR_IMPEDITIVA = QColor("#f6c9c9")
COR_AVISO = QColor("#fbefc2")
COR_NA = QColor("#7a7a7a")
ALINHAR_NUMERO = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
ALINHAR_TEXTO = int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
RECUO = "\u2003"  # one em space per level of the row's nivel

#: Short names of the tables (navigation tree, ledger groups, "de onde vem").
NOMES_CURTOS = {
    "receitas_base": "Impostos e transferências (base)",
    "receitas_adicionais": "Receitas adicionais da saúde",
    "receitas_totais": "Receitas totais do ente",
    "despesas_asps": "Despesas com ASPS (computadas)",
    "despesas_nao_computadas": "Despesas não computadas",
    "despesas_totais": "Despesas totais com saúde",
    "despesa_elemento": "Despesa por natureza (elemento)",
    "consorcios": "Despesas em consórcio público",
    "despesa_fonte": "Despesa por fonte de recursos",
    "rp_execucao": "Execução de restos a pagar",
    "rp_cancelados_limite": "RP cancelados que afetaram o limite",
    "controle_rp_cancelados": "Controle de RP cancelados",
    "controle_minimo": "Controle do mínimo não cumprido",
    "blocos": "Execução por bloco de financiamento",
    "apuracao": "Apuração do mínimo",
}
#: The shortcut of "De onde vem este valor?" (menu, tooltips and messages name it).
ATALHO_ORIGEM = "Ctrl+Shift+O"


def parse_digitado(texto: str) -> Decimal:
    """An amount typed or pasted by a person (``parse_valor``: "1.200" is mil e duzentos)."""
    return parse_valor(texto)


def quebrar_cabecalho(titulo: str, largura: int = 14) -> str:
    """A column title in lines of about ``largura`` characters (the width of an amount in
    millions): the column is then as narrow as its amounts, and the room left goes to the row
    descriptions (issue 24). At most four lines, widening the lines by a few characters if
    needed; the longest titles take five. "Despesas empenhadas até o bimestre (d)" →
    "Despesas / empenhadas até / o bimestre (d)"."""
    for linhas in (4, 5):
        for n in range(largura, largura + 7):
            partes = textwrap.wrap(titulo, n, break_long_words=False)
            if len(partes) <= linhas:
                return "\n".join(partes)
    return textwrap.fill(titulo, largura + 6, break_long_words=False)


def sem_acentos(texto: str) -> str:
    """Lower-case, accents removed: 'São Paulo' → 'sao paulo' (search keys)."""
    nfkd = unicodedata.normalize("NFKD", texto)
    return "".join(c for c in nfkd if not unicodedata.combining(c)).casefold()


class ModeloValores(QAbstractTableModel):
    """What a ``TabelaValores`` asks of its model, whatever rows it shows (a catalog table, a
    planilha of the ledger): which cells take typing, why a text would be refused, the edit
    command of a cell, why a cell is read-only, and the aggregated cell behind a position.

    Edits go through ``Documento.executar`` (undoable); a refused value emits ``recusado`` with
    the core's Portuguese message instead of raising.
    """

    recusado = Signal(str)
    documento: Documento

    def editavel(self, row: int, col: int) -> bool:
        raise NotImplementedError

    def motivo_recusa(self, row: int, col: int, texto: str) -> str | None:
        """Why ``texto`` would be refused in this cell (Portuguese), or None."""
        raise NotImplementedError

    def comando(self, row: int, col: int, valor: Decimal, descricao: str) -> Comando | None:
        """The edit that puts ``valor`` in an editable cell (None for the others)."""
        raise NotImplementedError

    def somente_leitura(self, row: int, col: int) -> str | None:
        """Why a value cell takes no typing (shown when the clerk types on it); None for an
        editable cell or one with nothing to say (titles)."""
        return None

    def celula_origem(self, row: int, col: int) -> Chave | None:
        """The aggregated cell (computed from the ledger) at a position, for "De onde vem
        este valor?"; None elsewhere."""
        return None

    def colunas_numericas(self) -> range | list[int]:
        """The columns the view sizes for amounts (the others are text)."""
        return range(1, self.columnCount())


class ModeloTabela(ModeloValores):
    """One catalog table of a declaration: column 0 the row titles, then the table's columns.

    Cells aggregated from the ledger (``Catalogo.agregadas``) are read-only like the other
    derived cells; ``celula_origem`` names them for "De onde vem este valor?".
    """

    def __init__(self, documento: Documento, tabela: Tabela, parent: Any = None) -> None:
        super().__init__(parent)
        self.documento = documento
        self.tabela = tabela
        d = documento.declaracao
        cat = d.catalogo
        self._linhas = tabela.linhas
        self._colunas = tabela.colunas
        self._pos: dict[tuple[str, str], tuple[int, int]] = {}
        self._chaves: list[list[Chave | None]] = []
        self._editavel: set[tuple[int, int]] = set()
        self._na: set[tuple[int, int]] = set()
        self._titulos: list[str] = []
        self._negrito: set[int] = set()
        self._percentual: set[int] = {
            r for r, x in enumerate(tabela.linhas) if x.tipo == "percentual"
        }
        self._linha_idx: dict[str, int] = {x.id: r for r, x in enumerate(tabela.linhas)}
        for r, linha in enumerate(self._linhas):
            presentes = {c.id for c in tabela.colunas_da_linha(linha)}
            fila: list[Chave | None] = [None]
            for c, col in enumerate(self._colunas, start=1):
                if col.id in presentes:
                    k = (tabela.id, linha.id, col.id)
                    fila.append(k)
                    self._pos[(linha.id, col.id)] = (r, c)
                    if cat.editavel(k, d.bimestre):
                        self._editavel.add((r, c))
                    elif k in cat.somente_6o:
                        self._na.add((r, c))
                else:
                    fila.append(None)
            self._chaves.append(fila)
            numeral = cat.numerais.get((tabela.id, linha.id))
            titulo = linha.titulo_em(d.exercicio)
            if numeral:
                titulo = f"{titulo} ({numeral})"
            self._titulos.append(titulo)
            if linha.regra is not None and linha.nivel == 0:
                self._negrito.add(r)
        self._marcas: dict[tuple[int, int], str] = {}
        self._dicas: dict[tuple[int, int], list[str]] = {}
        self._fonte_negrito = QFont()
        self._fonte_negrito.setBold(True)
        self._fonte_na = QFont()
        self._fonte_na.setItalic(True)
        self._brush_calc = QBrush(COR_CALCULADA)
        self._brush_imp = QBrush(COR_IMPEDITIVA)
        self._brush_aviso = QBrush(COR_AVISO)
        self._brush_na = QBrush(COR_NA)
        self._marcar(documento.achados)
        documento.celulasMudaram.connect(self._ao_mudar)
        documento.achadosMudaram.connect(self._ao_mudar_achados)

    # -- shape ---------------------------------------------------------------------------------

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._linhas)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._colunas) + 1

    def chave(self, row: int, col: int) -> Chave | None:
        """The cell key at a position (None for the title column and absent cells)."""
        if 0 <= row < len(self._chaves) and 0 <= col < len(self._chaves[row]):
            return self._chaves[row][col]
        return None

    def posicao(self, linha: str, coluna: str | None) -> tuple[int, int] | None:
        """(row, column) of a cell by public ids; the title cell when ``coluna`` is None."""
        if coluna is None:
            r = self._linha_idx.get(linha)
            return None if r is None else (r, 0)
        return self._pos.get((linha, coluna))

    def editavel(self, row: int, col: int) -> bool:
        return (row, col) in self._editavel

    def titulo_linha(self, row: int) -> str:
        return self._titulos[row]

    # -- data ----------------------------------------------------------------------------------

    def flags(self, index: Indice) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        f = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if (index.row(), index.column()) in self._editavel:
            f |= Qt.ItemFlag.ItemIsEditable
        return f

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        r, c = index.row(), index.column()
        if c == 0:
            return self._dados_titulo(r, role)
        k = self._chaves[r][c]
        if k is None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return self._brush_calc
            return None
        pos = (r, c)
        if role == Qt.ItemDataRole.DisplayRole:
            if pos in self._na:
                return "N/A"
            v: Decimal = self.documento.declaracao.valor(k)
            if r in self._percentual:
                return apresentar_percentual(v) + "%"
            return formatar(v)
        if role == Qt.ItemDataRole.EditRole:
            v = self.documento.declaracao.valor(k)
            return "" if v == 0 else formatar(v)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALINHAR_NUMERO
        if role == Qt.ItemDataRole.BackgroundRole:
            marca = self._marcas.get(pos)
            if marca == "impeditiva":
                return self._brush_imp
            if marca is not None:
                return self._brush_aviso
            if pos not in self._editavel:
                return self._brush_calc
            return None
        if role == Qt.ItemDataRole.FontRole:
            if pos in self._na:
                return self._fonte_na
            if r in self._negrito:
                return self._fonte_negrito
            return None
        if role == Qt.ItemDataRole.ForegroundRole:
            return self._brush_na if pos in self._na else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._dica(k, pos)
        if role == PAPEL_CHAVE:
            return k
        if role == PAPEL_VALOR:
            return self.documento.declaracao.valor(k)
        if role == PAPEL_EDITAVEL:
            return pos in self._editavel
        return None

    def _dados_titulo(self, r: int, role: int) -> Any:
        if role == Qt.ItemDataRole.DisplayRole:
            return RECUO * self._linhas[r].nivel + self._titulos[r]
        if role == Qt.ItemDataRole.FontRole:
            return self._fonte_negrito if r in self._negrito else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return ALINHAR_TEXTO
        if role == Qt.ItemDataRole.BackgroundRole:
            marca = self._marcas.get((r, 0))
            if marca == "impeditiva":
                return self._brush_imp
            if marca is not None:
                return self._brush_aviso
            return None
        if role == Qt.ItemDataRole.ToolTipRole:
            linha = self._linhas[r]
            partes = [self._titulos[r]]
            natureza = linha.natureza(self.documento.declaracao.exercicio)
            if natureza:
                partes.append(f"Natureza de receita: {natureza}")
            if linha.subfuncao and linha.subfuncao != "outras":
                partes.append(f"Subfunção: {linha.subfuncao}")
            if linha.grupo:
                partes.append(f"Categoria/grupo: {linha.grupo}")
            partes += self._dicas.get((r, 0), [])
            return "\n".join(partes)
        if role == PAPEL_EDITAVEL:
            return False
        return None

    def _dica(self, k: Chave, pos: tuple[int, int]) -> str:
        cat = self.documento.catalogo
        partes = [cat.descricao_celula(k)]
        if pos in self._na:
            partes.append("Preenchida somente no 6º bimestre.")
        elif k in cat.agregadas:
            n = len(self.documento.declaracao.origem(k))
            partes.append(
                f"Calculada a partir do razão ({n} linha(s) com valor). Duplo clique ou "
                f"{ATALHO_ORIGEM}: de onde vem este valor?"
            )
        elif pos not in self._editavel:
            f = cat.formulas.get(k)
            partes.append("Calculada automaticamente" + (f": {f.texto()}" if f else "."))
        partes += self._dicas.get(pos, [])
        return "\n".join(partes)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if not 0 <= section <= len(self._colunas):
                return None
            if role == Qt.ItemDataRole.DisplayRole:
                if section == 0:
                    return "Descrição"
                col = self._colunas[section - 1]
                return quebrar_cabecalho(f"{col.titulo} {col.rotulo}".strip())
            if role == Qt.ItemDataRole.ToolTipRole and section > 0:
                col = self._colunas[section - 1]
                return f"{col.titulo} {col.rotulo}".strip()
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return int(Qt.AlignmentFlag.AlignCenter)
            return None
        if not 0 <= section < len(self._linhas):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.documento.catalogo.numerais.get((self.tabela.id, self._linhas[section].id))
        return None

    # -- editing -------------------------------------------------------------------------------

    def motivo_recusa(self, row: int, col: int, texto: str) -> str | None:
        """Why ``texto`` would be refused in this cell (the full Portuguese message), or None.

        The same checks ``setData`` applies, without changing anything: the editor asks before
        it closes, so a refused text stays in the field as typed.
        """
        k = self.chave(row, col)
        if k is None or (row, col) not in self._editavel:
            return None
        try:
            self.documento.declaracao.validar_valor(k, parse_digitado(texto))
        except (ValorInvalido, EdicaoInvalida) as exc:
            return str(exc)
        return None

    def comando(self, row: int, col: int, valor: Decimal, descricao: str) -> Comando | None:
        k = self.chave(row, col)
        if k is None or (row, col) not in self._editavel:
            return None
        return DefinirCelula(k, valor, descricao)

    def somente_leitura(self, row: int, col: int) -> str | None:
        k = self.chave(row, col)
        if k is None or (row, col) in self._editavel:
            return None
        try:
            self.documento.declaracao.validar_valor(k, Decimal(0))
        except EdicaoInvalida as exc:
            texto = str(exc)
        else:  # (a typed cell of the 6º bimestre validates a zero)
            texto = f"A célula {self.documento.catalogo.descricao_celula(k)} não é digitada."
        if k in self.documento.catalogo.agregadas:
            texto += f" Duplo clique ou {ATALHO_ORIGEM}: de onde vem este valor?"
        return texto

    def celula_origem(self, row: int, col: int) -> Chave | None:
        k = self.chave(row, col)
        return k if k is not None and k in self.documento.catalogo.agregadas else None

    def setData(self, index: Indice, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or not index.isValid():
            return False
        if (index.row(), index.column()) not in self._editavel:
            return False
        k = self._chaves[index.row()][index.column()]
        assert k is not None
        try:
            v = value if isinstance(value, Decimal) else parse_digitado(str(value))
            self.documento.executar(DefinirCelula(k, v, "Editar célula"))
        except (ValorInvalido, EdicaoInvalida) as exc:
            self.recusado.emit(str(exc))
            return False
        return True

    # -- updates from the document -------------------------------------------------------------

    def _emitir(self, posicoes: Iterable[tuple[int, int]]) -> None:
        """dataChanged per cell for a few cells (the view repaints just those rectangles: a
        range makes it repaint the whole bounding rectangle), one range for many."""
        ps = list(posicoes)
        if not ps:
            return
        if len(ps) <= 32:
            for r, c in ps:
                i = self.index(r, c)
                self.dataChanged.emit(i, i)
            return
        r0 = min(p[0] for p in ps)
        r1 = max(p[0] for p in ps)
        c0 = min(p[1] for p in ps)
        c1 = max(p[1] for p in ps)
        self.dataChanged.emit(self.index(r0, c0), self.index(r1, c1))

    def _ao_mudar(self, chaves: set[Chave]) -> None:
        tid = self.tabela.id
        pos = self._pos
        self._emitir(pos[(k[1], k[2])] for k in chaves if k[0] == tid and (k[1], k[2]) in pos)

    def _marcar(self, achados: Iterable[Any]) -> None:
        marcas: dict[tuple[int, int], str] = {}
        dicas: dict[tuple[int, int], list[str]] = {}
        tid = self.tabela.id
        for a in achados:
            if getattr(a, "tabela", None) != tid:
                continue
            alvos: list[tuple[int, int]] = []
            p = self.posicao(a.linha, a.coluna) if a.linha else None
            if p is not None:
                alvos.append(p)
                if p[1] != 0:
                    alvos.append((p[0], 0))
            for alvo in alvos:
                if marcas.get(alvo) != "impeditiva":
                    marcas[alvo] = a.severidade
                rotulo = "Crítica impeditiva" if a.severidade == "impeditiva" else "Aviso"
                dicas.setdefault(alvo, []).append(f"{rotulo} {a.codigo}: {a.mensagem}")
        mudaram = {
            p
            for p in set(self._marcas) | set(marcas) | set(self._dicas) | set(dicas)
            if self._marcas.get(p) != marcas.get(p) or self._dicas.get(p) != dicas.get(p)
        }
        self._marcas = marcas
        self._dicas = dicas
        self._mudancas_marcas = mudaram

    def _ao_mudar_achados(self) -> None:
        self._marcar(self.documento.achados)
        self._emitir(self._mudancas_marcas)


class ModeloCriticas(QAbstractTableModel):
    """The current findings (``Achado``) of the document, for the críticas dock."""

    COLUNAS = ("Tipo", "Código", "Grupo", "Onde", "Mensagem")

    def __init__(self, documento: Documento | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._doc: Documento | None = None
        self._achados: list[Any] = []
        self._locais: list[str] = []
        self._timer: QTimer | None = None
        if documento is not None:
            self.definir_documento(documento)

    #: The list follows the typing after a short pause (the status bar and the cell marks
    #: follow at once): re-laying out wrapped rows on every keystroke would slow typing.
    ESPERA_MS = 150

    def definir_documento(self, documento: Documento | None, adiar: bool = False) -> None:
        """Follow a document; with ``adiar`` the list is filled after the first paint."""
        if self._doc is not None:
            try:
                self._doc.achadosMudaram.disconnect(self._agendar)
            except (RuntimeError, TypeError):
                pass
        self._doc = documento
        if documento is not None:
            documento.achadosMudaram.connect(self._agendar)
        if adiar and documento is not None:
            self._agendar()
        else:
            self._recarregar()

    def _agendar(self) -> None:
        if self._timer is None:
            self._timer = QTimer(self)
            self._timer.setSingleShot(True)
            self._timer.setInterval(self.ESPERA_MS)
            self._timer.timeout.connect(self._recarregar)
        self._timer.start()

    def atualizar_agora(self) -> None:
        """Apply a pending update at once (navigation, tests)."""
        if self._timer is not None and self._timer.isActive():
            self._timer.stop()
            self._recarregar()

    def _recarregar(self) -> None:
        doc = self._doc
        achados = list(doc.achados) if doc is not None else []
        achados.sort(key=lambda a: (a.severidade != "impeditiva", str(a.grupo), str(a.codigo)))
        ident = [self._identidade(a) for a in achados]
        if ident == [self._identidade(a) for a in self._achados]:
            # Same findings in the same places: only texts changed (amounts in messages).
            antigos = self._achados
            self._achados = achados
            for r, (a, b) in enumerate(zip(antigos, achados, strict=True)):
                if a != b:
                    self.dataChanged.emit(self.index(r, 0), self.index(r, len(self.COLUNAS) - 1))
            return
        self.beginResetModel()
        self._achados = achados
        self._locais = [self._local(a) for a in achados]
        self.endResetModel()

    @staticmethod
    def _identidade(a: Any) -> tuple:
        return (a.codigo, a.severidade, a.tabela, a.linha, a.coluna, a.campo)

    def _local(self, a: Any) -> str:
        try:
            assert self._doc is not None
            return str(a.local(self._doc.catalogo))
        except Exception:  # a finding without a cell still shows its message
            return ""

    def achado(self, row: int) -> Any:
        return self._achados[row]

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._achados)

    def columnCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUNAS)

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        a = self._achados[index.row()]
        c = index.column()
        imp = a.severidade == "impeditiva"
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                "Impeditiva" if imp else "Aviso",
                str(a.codigo),
                str(a.grupo),
                self._locais[index.row()],
                a.mensagem,
            )[c]
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{a.titulo}\n{a.mensagem}" if getattr(a, "titulo", "") else a.mensagem
        if role == Qt.ItemDataRole.BackgroundRole and c == 0:
            return QBrush(COR_IMPEDITIVA if imp else COR_AVISO)
        if role == Qt.ItemDataRole.TextAlignmentRole and c in (1, 2):
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == PAPEL_OBJETO:
            return a
        return None

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


class FiltroCriticas(QSortFilterProxyModel):
    """Filters the críticas by severity ("impeditiva"/"aviso"/None) and group (None = all)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._severidade: str | None = None
        self._grupo: str | None = None

    def definir(self, severidade: str | None, grupo: str | None) -> None:
        self.beginFilterChange()
        self._severidade = severidade
        self._grupo = grupo
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Indice) -> bool:
        modelo = self.sourceModel()
        if not isinstance(modelo, ModeloCriticas):
            return True
        a = modelo.achado(source_row)
        if self._severidade == "impeditiva" and a.severidade != "impeditiva":
            return False
        if self._severidade == "aviso" and a.severidade == "impeditiva":
            return False
        return not (self._grupo is not None and str(a.grupo) != self._grupo)


class ModeloEntes(QAbstractListModel):
    """Entes (municípios, estados, DF) for the new-declaration search: 'São Paulo — SP'."""

    def __init__(self, entes: Iterable[Any] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._entes: list[Any] = []
        self._chaves: list[str] = []
        self.definir(entes)

    def definir(self, entes: Iterable[Any]) -> None:
        self.beginResetModel()
        self._entes = list(entes)
        self._chaves = [
            sem_acentos(f"{e.nome} {e.uf} {e.ibge or ''} {e.codigo}") for e in self._entes
        ]
        self.endResetModel()

    def ente(self, row: int) -> Any:
        return self._entes[row]

    def chave_busca(self, row: int) -> str:
        return self._chaves[row]

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._entes)

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        e = self._entes[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            if e.esfera == "municipal":
                return f"{e.nome} — {e.uf}"
            return e.nome
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{e.descricao} (código {e.codigo})"
        if role == PAPEL_OBJETO:
            return e
        return None


class FiltroEntes(QSortFilterProxyModel):
    """Accent- and case-insensitive search over name, UF and IBGE code; every word must match."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._palavras: list[str] = []
        self._uf: str | None = None

    def definir(self, texto: str, uf: str | None) -> None:
        self.beginFilterChange()
        self._palavras = sem_acentos(texto).split()
        self._uf = uf
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Indice) -> bool:
        modelo = self.sourceModel()
        if not isinstance(modelo, ModeloEntes):
            return True
        if self._uf and modelo.ente(source_row).uf != self._uf:
            return False
        chave = modelo.chave_busca(source_row)
        return all(p in chave for p in self._palavras)


_NOME_PADRAO = re.compile(r"^([ME][0-9A-Z]+)_(\d{4})_([A-Za-z]+)Bimestre\.(?:OPS|IMP)$", re.I)


def descrever_arquivo(caminho: Path) -> str:
    """'Monteiro Lobato/SP — 5º bimestre de 2026' from a standard file name (the names the
    program writes, ``M353170_2026_QuintoBimestre.OPS``); '' for any other name."""
    from siops.forms.declaracao import NOMES_BIMESTRE
    from siops.forms.entes import ente

    m = _NOME_PADRAO.match(caminho.name)
    if m is None:
        return ""
    nomes = [n.lower() for n in NOMES_BIMESTRE]
    if m.group(3).lower() not in nomes:
        return ""
    try:
        quem = ente(m.group(1)).descricao
    except Exception:  # EnteDesconhecido: a renamed file
        return ""
    return f"{quem} — {nomes.index(m.group(3).lower()) + 1}º bimestre de {m.group(2)}"


class ModeloRecentes(QAbstractListModel):
    """Recently opened declarations (welcome screen)."""

    def __init__(self, caminhos: Iterable[Path] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._caminhos: list[Path] = list(caminhos)

    def definir(self, caminhos: Iterable[Path]) -> None:
        self.beginResetModel()
        self._caminhos = list(caminhos)
        self.endResetModel()

    def caminho(self, row: int) -> Path:
        return self._caminhos[row]

    def rowCount(self, parent: Indice = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._caminhos)

    def data(self, index: Indice, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        p = self._caminhos[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            quem = descrever_arquivo(p)
            return f"{quem}\n{p.name} — {p.parent}" if quem else f"{p.name}\n{p.parent}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return str(p)
        if role == PAPEL_OBJETO:
            return p
        return None
