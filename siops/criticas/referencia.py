"""External reference values (``Referencia``): the FNS transfers for the críticas 310 and 352 and
the constitutional shares (STN/CONFAZ) for 320, and their file format.

The FAQ's críticas 310/352 compare the fund-to-fund transfers the ente declares with "o valor
constante da Base de Dados do Fundo Nacional de Saúde"; 320 compares the cotas-partes of the
base with what the Tesouro Nacional (FPM, ITR, FPE, IPI-Exportação) and the states (ICMS, IPVA,
published under CONFAZ rules) transferred. We do not have those databases: the values come from
a small file the server publishes (``GET /api/v1/referencia-fns/{ente}/{exercicio}``, loaded by
the administrator with ``siops-servidor admin carregar-referencia-fns``; support can also send
it by e-mail), in one of two equivalent formats. Values are cumulative up to the bimestre, like
the declaration, in reais with centavos. The format keeps its first name (``siops-referencia-
fns``, version 1): the shares are optional columns, so every file written before them is still
valid.

JSON (``.json``)::

    {
      "formato": "siops-referencia-fns",
      "versao": 1,
      "fonte": "FNS — consulta de pagamentos; STN — transferências constitucionais",
      "valores": [
        {"ente": "M355030", "exercicio": 2025, "bimestre": 6,
         "custeio": "1234567.89", "investimento": "250000.00", "fpm": "98765432.10"}
      ]
    }

CSV (``.csv``, UTF-8, separator ``;``, header required with at least one kind, values with a
dot or Brazilian ``1.234,56``)::

    ente;exercicio;bimestre;custeio;investimento;fpm;itr;icms;ipva;ipi_exportacao;fpe
    M355030;2025;6;1234567.89;250000.00;98765432.10;;;;;

``ente`` is the public code of ``forms.entes`` (``M`` + 6 IBGE digits, ``E`` + UF code). A
missing or empty kind means "no reference": its rule stays silent. Which declared row each kind
is compared with: custeio ↔ ``receitas_adicionais.uniao_fns_custeio`` (310), investimento ↔
``receitas_adicionais.uniao_fns_investimento`` (352) — our interpretation (``FNS_INCERTO``) —
and each share ↔ the base row of the same id, ``receitas_base.<kind>`` (320): the cotas-partes
a município receives (fpm, itr, icms, ipva, ipi_exportacao) and those a state or the DF receives
from the União (fpe, ipi_exportacao; the DF also fpm and itr). The values of the shares are the
gross transfers (before the FUNDEB retention), as the base declares them.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path

from siops.forms import inteiros
from siops.forms.dinheiro import ValorInvalido, parse_valor, texto_plano

FORMATO = "siops-referencia-fns"
VERSAO = 1
TIPOS_FNS = ("custeio", "investimento")
#: The constitutional shares (crítica 320): the id of the base row each one is compared with.
TIPOS_COTAS = ("fpm", "itr", "icms", "ipva", "ipi_exportacao", "fpe")
TIPOS = (*TIPOS_FNS, *TIPOS_COTAS)
CAMPOS_CSV = ("ente", "exercicio", "bimestre", *TIPOS)
#: Largest reference file accepted (the whole country's six bimestres fit in a few MB).
TAMANHO_MAXIMO = 32 * 1024 * 1024

Chave = tuple[str, int, int]


class ReferenciaInvalida(ValueError):
    """A reference file that cannot be read; the message (Portuguese) says where and why."""


class Referencia:
    """Reference values (FNS transfers, constitutional shares) per ente, exercício and bimestre
    (see module docstring)."""

    def __init__(self, valores: dict[Chave, dict[str, Decimal]] | None = None, fonte: str = ""):
        self._valores: dict[Chave, dict[str, Decimal]] = {}
        self.fonte = fonte
        for (ente, exercicio, bimestre), tipos in (valores or {}).items():
            self.definir(ente, exercicio, bimestre, **tipos)

    def definir(
        self,
        ente: str,
        exercicio: int,
        bimestre: int,
        custeio: Decimal | None = None,
        investimento: Decimal | None = None,
        **cotas: Decimal | None,
    ) -> None:
        """Set the reference of one ente and bimestre, by kind (``custeio``, ``investimento``,
        and the shares ``fpm=`` … of ``TIPOS_COTAS``); None leaves that kind unknown."""
        tipos = {"custeio": custeio, "investimento": investimento, **cotas}
        if not 1 <= int(bimestre) <= 6:
            raise ReferenciaInvalida(f"Bimestre inválido na referência do FNS: {bimestre}.")
        desconhecidos = sorted(set(tipos) - set(TIPOS))
        if desconhecidos:
            raise ReferenciaInvalida(
                f"Tipo de valor desconhecido na referência: {', '.join(desconhecidos)} (use "
                f"{', '.join(TIPOS)})."
            )
        k = (ente.strip().upper(), int(exercicio), int(bimestre))
        atual = self._valores.setdefault(k, {})
        for tipo, v in tipos.items():
            if v is None:
                continue
            if not isinstance(v, Decimal) or not v.is_finite() or v < 0:
                raise ReferenciaInvalida(
                    f"Valor de {tipo} inválido na referência do FNS para {k[0]}: {v}."
                )
            atual[tipo] = v.quantize(Decimal("0.01"))

    def valor(self, ente: str, exercicio: int, bimestre: int, tipo: str) -> Decimal | None:
        """The value of a kind ("custeio", "fpm" … ``TIPOS``), or None when unknown."""
        return self._valores.get((ente, exercicio, bimestre), {}).get(tipo)

    def tem(self, ente: str, exercicio: int, bimestre: int) -> bool:
        """Whether any value is known for the ente and bimestre."""
        return bool(self._valores.get((ente, exercicio, bimestre)))

    def __len__(self) -> int:
        return len(self._valores)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Referencia):
            return NotImplemented
        return self._valores == other._valores

    # unhashable (mutable, compared by value); typeshed types object.__hash__ as a method
    __hash__ = None  # type: ignore[assignment]

    # -- files --------------------------------------------------------------------------------

    @classmethod
    def carregar(cls, caminho: str | Path) -> Referencia:
        """Read a ``.json`` or ``.csv`` reference file (by extension, else by content)."""
        p = Path(caminho)
        try:
            if p.stat().st_size > TAMANHO_MAXIMO:
                raise ReferenciaInvalida(f"O arquivo de referência do FNS {p} é grande demais.")
            bruto = p.read_bytes()
        except OSError as exc:
            raise ReferenciaInvalida(
                f"Não foi possível ler o arquivo de referência do FNS {p}: {exc.strerror}."
            ) from None
        try:
            conteudo = bruto.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ReferenciaInvalida(
                f"O arquivo de referência do FNS {p} não está em UTF-8."
            ) from None
        sufixo = p.suffix.lower()
        if sufixo == ".json" or (sufixo != ".csv" and conteudo.lstrip().startswith("{")):
            return cls.de_json(conteudo, str(p))
        return cls.de_csv(conteudo, str(p))

    @classmethod
    def de_json(cls, conteudo: str, origem: str = "referência do FNS") -> Referencia:
        """Parse the JSON format."""
        try:
            doc = json.loads(conteudo, parse_float=Decimal, parse_int=Decimal)
        except json.JSONDecodeError as exc:
            raise ReferenciaInvalida(
                f"{origem}, linha {exc.lineno}: o conteúdo não é um JSON válido."
            ) from None
        if not isinstance(doc, dict) or doc.get("formato") != FORMATO:
            raise ReferenciaInvalida(
                f'{origem}: não é um arquivo de referência do FNS (falta "formato": "{FORMATO}").'
            )
        if doc.get("versao") != VERSAO:
            raise ReferenciaInvalida(
                f"{origem}: versão {doc.get('versao')} do formato não suportada (esperada "
                f"{VERSAO}); atualize o programa."
            )
        itens = doc.get("valores")
        if not isinstance(itens, list):
            raise ReferenciaInvalida(f'{origem}: falta a lista "valores".')
        ref = cls(fonte=str(doc.get("fonte", "")))
        for i, item in enumerate(itens, 1):
            if not isinstance(item, dict):
                raise ReferenciaInvalida(f"{origem}, item {i} de valores: não é um objeto.")
            ref._ler_item(item, f"{origem}, item {i} de valores")
        return ref

    @classmethod
    def de_csv(cls, conteudo: str, origem: str = "referência do FNS") -> Referencia:
        """Parse the CSV format."""
        leitor = csv.DictReader(io.StringIO(conteudo), delimiter=";")
        cabecalho = [c.strip().lower() for c in (leitor.fieldnames or [])]
        faltam = [c for c in ("ente", "exercicio", "bimestre") if c not in cabecalho]
        if faltam or not any(t in cabecalho for t in TIPOS):
            raise ReferenciaInvalida(
                f"{origem}, linha 1: o cabeçalho deve ser {';'.join(CAMPOS_CSV)}."
            )
        leitor.fieldnames = cabecalho
        ref = cls(fonte=origem)
        for item in leitor:
            if not any((v or "").strip() for v in item.values() if isinstance(v, str)):
                continue
            ref._ler_item(item, f"{origem}, linha {leitor.line_num}")
        return ref

    def _ler_item(self, item: dict, onde: str) -> None:
        try:
            ente = str(item["ente"]).strip().upper()
            # só algarismos ASCII e limitados (``٢٠٢٥``, ``1_000`` ou 20 dígitos não entram)
            exercicio = inteiros.exercicio(str(item["exercicio"]).strip())
            bimestre = inteiros.inteiro_ascii(
                str(item["bimestre"]).strip(), "O bimestre", maximo=99
            )
        except inteiros.InteiroInvalido as exc:
            raise ReferenciaInvalida(f"{onde}: {exc}") from None
        except (KeyError, ValueError, TypeError):
            raise ReferenciaInvalida(
                f"{onde}: ente, exercicio e bimestre são obrigatórios (ex.: M355030;2025;6)."
            ) from None
        if not ente or ente[0] not in "ME" or not (ente[1:].isascii() and ente[1:].isdigit()):
            raise ReferenciaInvalida(f"{onde}: código de ente inválido '{ente}' (ex.: M355030).")
        if not 1 <= bimestre <= 6:
            raise ReferenciaInvalida(f"{onde}: bimestre {bimestre} inválido; use 1 a 6.")
        tipos: dict[str, Decimal] = {}
        for tipo in TIPOS:
            bruto = item.get(tipo)
            if bruto is None or (isinstance(bruto, str) and not bruto.strip()):
                continue
            try:
                v = parse_valor(str(bruto))
            except ValorInvalido as exc:
                raise ReferenciaInvalida(f"{onde}, {tipo}: {exc}") from None
            if v < 0:
                raise ReferenciaInvalida(f"{onde}, {tipo}: valor negativo.")
            tipos[tipo] = v
        self.definir(ente, exercicio, bimestre, **tipos)

    def _itens(self) -> Iterable[tuple[Chave, dict[str, Decimal]]]:
        return sorted(self._valores.items())

    def para_json(self) -> str:
        """The JSON format (what the server publishes)."""
        valores = []
        for (ente, exercicio, bimestre), tipos in self._itens():
            item: dict[str, object] = {"ente": ente, "exercicio": exercicio, "bimestre": bimestre}
            for t in TIPOS:
                if t in tipos:
                    item[t] = texto_plano(tipos[t])
            valores.append(item)
        doc = {"formato": FORMATO, "versao": VERSAO, "fonte": self.fonte, "valores": valores}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def para_csv(self) -> str:
        """The CSV format."""
        saida = io.StringIO()
        w = csv.writer(saida, delimiter=";", lineterminator="\n")
        w.writerow(CAMPOS_CSV)
        for (ente, exercicio, bimestre), tipos in self._itens():
            w.writerow(
                (
                    ente,
                    exercicio,
                    bimestre,
                    *(texto_plano(tipos[t]) if t in tipos else "" for t in TIPOS),
                )
            )
        return saida.getvalue()


#: The first name of the class (the FNS values were its only kinds), kept for its readers.
ReferenciaFNS = Referencia
