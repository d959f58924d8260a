"""Entes federados: the 5,570 municípios, the 26 estados and the Distrito Federal.

An ``Ente`` is who makes a declaração. Its public code (``Ente.codigo``) is the one used in file
names, the .OPS file and the CLI:

* município: ``M`` + the first 6 digits of the 7-digit IBGE code (São Paulo: ``M355030``);
* estado: ``E`` + the 2-digit IBGE code of the UF (São Paulo: ``E35``);
* Distrito Federal: ``E53``, esfera ``"df"``.

The data are ``resources/municipios.csv`` and ``resources/ufs.csv`` (see ``resources/FONTES.md``),
read once, on first use. Lookups use only that list: the 7th digit of an IBGE code is a check
digit, but a few real codes don't follow the rule (see :func:`digito_verificador_ibge`), so it
is never computed to find or accept a code.

Brasília (IBGE 5300108) is in the list of municípios, but the Distrito Federal has no
municípios of its own and declares as DF: ``ente("M530010")`` (or ``"5300108"``) returns the DF
ente, ``E53``, esfera ``"df"``. ``municipios()`` still lists Brasília as a município (it is one
of the 5,570 in the IBGE list), so turn a list entry into the declaring ente with
``ente(m.codigo)``.
"""

from __future__ import annotations

import csv
import functools
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from importlib.resources import files

ESFERAS = ("municipal", "estadual", "df")

CODIGO_UF_DF = "53"
IBGE_BRASILIA = "5300108"

_AJUDA = (
    "Informe M seguido dos 6 dígitos do código IBGE do município (ex.: M355030), "
    "ou E seguido do código da UF (ex.: E35)."
)
_AJUDA_UF = "Informe a sigla (ex.: SP) ou o código IBGE de 2 dígitos da UF (ex.: 35)."

# "Estado de São Paulo", "Estado do Rio de Janeiro", "Estado da Bahia".
_PREPOSICAO = {
    "AC": "do",
    "AL": "de",
    "AM": "do",
    "AP": "do",
    "BA": "da",
    "CE": "do",
    "ES": "do",
    "GO": "de",
    "MA": "do",
    "MG": "de",
    "MS": "de",
    "MT": "de",
    "PA": "do",
    "PB": "da",
    "PE": "de",
    "PI": "do",
    "PR": "do",
    "RJ": "do",
    "RN": "do",
    "RO": "de",
    "RR": "de",
    "RS": "do",
    "SC": "de",
    "SE": "de",
    "SP": "de",
    "TO": "do",
}


@dataclass(frozen=True, slots=True)
class UF:
    """A unidade da federação: IBGE code (``"35"``), sigla (``"SP"``) and name (``"São Paulo"``)."""

    codigo: str
    sigla: str
    nome: str


@dataclass(frozen=True, slots=True)
class Ente:
    """Who makes a declaração.

    ``ibge`` is the 7-digit IBGE code for a município and the 2-digit UF code for an estado or
    the DF; ``uf`` is the UF sigla; ``nome`` is the município's or the UF's name.
    """

    esfera: str  # "municipal" | "estadual" | "df"
    uf: str  # sigla, e.g. "SP"
    ibge: str  # 7 digits for municipal; 2-digit UF code for estadual/df
    nome: str  # "São Paulo" (município) / "São Paulo" (estado) / "Distrito Federal"

    def __post_init__(self) -> None:
        if self.esfera not in ESFERAS:
            raise ValueError(f"Esfera inválida: {self.esfera!r} (use uma de {', '.join(ESFERAS)}).")

    @property
    def codigo(self) -> str:
        """``"M355030"`` (M + first 6 IBGE digits) for a município; ``"E35"``/``"E53"`` otherwise."""
        if self.esfera == "municipal":
            return "M" + self.ibge[:6]
        return "E" + self.ibge

    @property
    def descricao(self) -> str:
        """``"Município de São Paulo/SP"``, ``"Estado de São Paulo"`` or ``"Distrito Federal"``."""
        if self.esfera == "municipal":
            return f"Município de {self.nome}/{self.uf}"
        if self.esfera == "df":
            return "Distrito Federal"
        return f"Estado {_PREPOSICAO.get(self.uf, 'de')} {self.nome}"


class EnteDesconhecido(ValueError):
    """A code that names no ente (or no UF); the message, in Portuguese, says which and why."""


# --- data -------------------------------------------------------------------------------------


def _chave_nome(nome: str) -> str:
    """Sort key for names: without accents, case-folded (no locale involved)."""
    decomposto = unicodedata.normalize("NFKD", nome)
    return "".join(c for c in decomposto if not unicodedata.combining(c)).casefold()


def _texto(nome: str) -> str:
    return files("siops.resources").joinpath(nome).read_text(encoding="utf-8")


def _linhas_csv(linhas: Iterable[str]) -> list[dict[str, str]]:
    """The rows of ``;``-separated lines, each a dict by the first line's names."""
    leitor = csv.reader(linhas, delimiter=";")
    cabecalho = next(leitor)
    # (``csv.DictReader`` does the same, three times slower)
    return [dict(zip(cabecalho, x, strict=True)) for x in leitor if x]


def _ordenar(entes: list[Ente]) -> tuple[Ente, ...]:
    return tuple(sorted(entes, key=lambda e: (_chave_nome(e.nome), e.nome, e.uf, e.ibge)))


#: The UFs in IBGE code order, by sigla and by code; the estadual (or DF) ente of each sigla.
_DadosUF = tuple[tuple[UF, ...], dict[str, UF], dict[str, UF], dict[str, Ente]]


@functools.cache
def _dados_uf() -> _DadosUF:
    ufs = tuple(
        sorted(
            (
                UF(r["codigo"], r["sigla"], r["nome"])
                for r in _linhas_csv(io.StringIO(_texto("ufs.csv")))
            ),
            key=lambda u: u.codigo,
        )
    )
    estados = {
        u.sigla: Ente("df" if u.codigo == CODIGO_UF_DF else "estadual", u.sigla, u.codigo, u.nome)
        for u in ufs
    }
    return ufs, {u.sigla: u for u in ufs}, {u.codigo: u for u in ufs}, estados


@functools.cache
def _texto_municipios() -> str:
    return _texto("municipios.csv")


#: Every município built so far, by its IBGE code and by the code's first 6 digits (its ``M``
#: code): one object per município, whether it was looked up alone (``_municipio``) or listed
#: (``_municipios``), and all of them once listed.
_MUNICIPIOS: dict[str, Ente] = {}


def _criar_municipio(r: dict[str, str]) -> Ente:
    m = _MUNICIPIOS.get(r["ibge"])
    if m is None:
        m = Ente("municipal", r["uf"], r["ibge"], r["nome"])
        _MUNICIPIOS[m.ibge] = _MUNICIPIOS[m.ibge[:6]] = m
    return m


@functools.cache
def _municipios() -> tuple[Ente, ...]:
    """The 5,570, in the file's order (``_municipios_por_nome``: by name)."""
    return tuple(_criar_municipio(r) for r in _linhas_csv(io.StringIO(_texto_municipios())))


def _municipio(digitos: str) -> Ente | None:
    """The município whose IBGE code is ``digitos`` (7 digits) or begins with them (6).

    Opening a file looks one ente up: until a list is asked for, its line is found in the
    file's text and only that município is built, not the 5,570."""
    achado = _MUNICIPIOS.get(digitos)
    if achado is not None or _municipios.cache_info().currsize:  # listed: all are there
        return achado
    texto = _texto_municipios()
    cabecalho = "ibge;nome;uf"
    if not texto.startswith(cabecalho + "\n"):  # not the shipped layout: by the list
        _municipios()
        return _MUNICIPIOS.get(digitos)
    # a line begins with the 7 digits of its IBGE code, unique in the file (and so are their
    # first 6: ``M`` codes)
    inicio = texto.find("\n" + digitos + (";" if len(digitos) == 7 else ""))
    if inicio < 0:
        return None
    fim = texto.find("\n", inicio + 1)
    linha = texto[inicio + 1 : fim if fim >= 0 else len(texto)]
    if '"' in linha:  # a quoted field (none in the shipped file): by the list
        _municipios()
        return _MUNICIPIOS.get(digitos)
    (r,) = _linhas_csv([cabecalho, linha])
    return _criar_municipio(r)


@functools.cache
def _municipios_por_nome() -> tuple[Ente, ...]:
    """Sorted once, when a list is first asked for: finding one ente (opening a file) does not
    wait for the 5,570 names to be read and sorted."""
    return _ordenar(list(_municipios()))


@functools.cache
def _municipios_da_uf(sigla: str) -> tuple[Ente, ...]:
    return tuple(m for m in _municipios_por_nome() if m.uf == sigla)


# --- API --------------------------------------------------------------------------------------


def ufs() -> list[UF]:
    """The 27 UFs (26 estados and the DF), in IBGE code order (RO, AC, … GO, DF)."""
    return list(_dados_uf()[0])


def uf(sigla_ou_codigo: str) -> UF:
    """The UF with this sigla (``"SP"``, any case) or 2-digit IBGE code (``"35"``).

    Surrounding spaces are ignored. Raises ``EnteDesconhecido`` for anything else.
    """
    return _buscar_uf(sigla_ou_codigo)


def _buscar_uf(sigla_ou_codigo: str) -> UF:
    texto = sigla_ou_codigo.strip().upper() if isinstance(sigla_ou_codigo, str) else ""
    _, uf_por_sigla, uf_por_codigo, _ = _dados_uf()
    if re.fullmatch(r"[A-Z]{2}", texto):
        achada = uf_por_sigla.get(texto)
        motivo = f"Não há UF com a sigla {texto}."
    elif re.fullmatch(r"[0-9]{2}", texto):
        achada = uf_por_codigo.get(texto)
        motivo = f"Não há UF com o código IBGE {texto}."
    else:
        achada = None
        motivo = "Não é uma sigla de 2 letras nem um código de 2 dígitos."
    if achada is None:
        raise EnteDesconhecido(f"UF desconhecida: {sigla_ou_codigo!r}. {motivo} {_AJUDA_UF}")
    return achada


def municipios(uf: str | None = None) -> list[Ente]:
    """The municípios (esfera ``"municipal"``), all 5,570 or those of one UF (sigla or code).

    Sorted by name, ignoring accents and case and independently of the locale, so "Águas de
    Lindóia" comes among the A's. Brasília is listed (as the DF's only município); see the module
    docstring for why ``ente()`` of its code returns the DF. Raises ``EnteDesconhecido`` for an
    unknown UF.
    """
    if uf is None:
        return list(_municipios_por_nome())
    return list(_municipios_da_uf(_buscar_uf(uf).sigla))


def ente(codigo: str) -> Ente:
    """The ente named by ``codigo``; case and surrounding spaces are ignored.

    Accepted forms:

    * município: ``"M355030"`` (M + 6 IBGE digits), ``"M3550308"`` (M + all 7), ``"3550308"``,
      ``"355030"``; the 7-digit forms must be exactly a code in the list;
    * estado: ``"E35"`` (E + UF code), ``"ESP"`` or ``"SP"`` (sigla);
    * Distrito Federal: ``"E53"``, ``"EDF"`` or ``"DF"``, and also Brasília's município code
      (``"M530010"``, ``"5300108"``…), since the DF declares as DF: all return esfera ``"df"``.

    Raises ``EnteDesconhecido`` (message in Portuguese) for anything else.
    """
    if not isinstance(codigo, str):
        raise EnteDesconhecido(f"Código de ente inválido: {codigo!r}. {_AJUDA}")
    texto = codigo.strip().upper()
    if not texto:
        raise EnteDesconhecido(f"Código de ente vazio. {_AJUDA}")
    _, _, uf_por_codigo, estados = _dados_uf()

    if m := re.fullmatch(r"M?([0-9]{6,7})", texto):
        digitos = m.group(1)
        achado = _municipio(digitos)
        if achado is not None:
            return estados["DF"] if achado.ibge == IBGE_BRASILIA else achado
        parecido = _municipio(digitos[:6]) if len(digitos) == 7 else None
        if parecido is not None:
            motivo = (
                f"O código IBGE {digitos} não existe; o de {parecido.nome}/{parecido.uf} é "
                f"{parecido.ibge} (confira o último dígito)."
            )
        else:
            motivo = f"Nenhum município tem código IBGE iniciado por {digitos[:6]}."
    elif m := re.fullmatch(r"E([0-9]{2})", texto):
        u = uf_por_codigo.get(m.group(1))
        if u is not None:
            return estados[u.sigla]
        motivo = f"Não há UF com o código IBGE {m.group(1)}."
    elif m := re.fullmatch(r"E?([A-Z]{2})", texto):
        # the regex backtracks, so "ES" is Espírito Santo and "EES" is E + ES
        if m.group(1) in estados:
            return estados[m.group(1)]
        motivo = f"Não há UF com a sigla {m.group(1)}."
    elif re.fullmatch(r"M[0-9]+", texto):
        motivo = f"Depois do M vêm 6 dígitos (ou os 7 do código IBGE), não {len(texto) - 1}."
    elif re.fullmatch(r"E[0-9]+", texto):
        motivo = f"Depois do E vêm os 2 dígitos do código da UF, não {len(texto) - 1}."
    elif re.fullmatch(r"[0-9]+", texto):
        motivo = f"Um código IBGE de município tem 7 dígitos (ou 6, sem o verificador), não {len(texto)}."
    else:
        motivo = "O formato não é reconhecido."
    raise EnteDesconhecido(f"Código de ente desconhecido: {codigo!r}. {motivo} {_AJUDA}")


def digito_verificador_ibge(seis: str) -> str:
    """The IBGE check digit for the first six digits of a município code (informational only).

    Weights 1, 2, 1, 2, 1, 2 over the six digits; the digits of each product are summed
    (2 × 7 = 14 counts 1 + 4); the check digit is ``(10 - soma % 10) % 10``.
    ``digito_verificador_ibge("355030") == "8"`` (São Paulo, 3550308).

    Nine of the 5,570 real codes don't follow the rule: 2201919, 2201988, 2202251, 2611533,
    3117836, 3152131, 4305871, 5203939 and 5203962. That is why ``ente()`` and the rest of this
    module only ever look codes up in the shipped list and never use this function.

    Raises ``ValueError`` unless ``seis`` is exactly six ASCII digits.
    """
    if not isinstance(seis, str) or not re.fullmatch(r"[0-9]{6}", seis):
        raise ValueError(f"Esperados 6 dígitos para o dígito verificador IBGE, recebido {seis!r}.")
    soma = 0
    for i, c in enumerate(seis):
        produto = int(c) * (1 if i % 2 == 0 else 2)
        soma += produto // 10 + produto % 10
    return str((10 - soma % 10) % 10)
