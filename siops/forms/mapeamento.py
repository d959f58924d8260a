"""The mapping from accounting codes to catalog cells, read from ``resources/msc_mapeamento.json``.

The data say, after the Tesouro's Anexo 12 model (column E, "Critérios"), which PCASP accounts
make each measure (receita realizada, despesa empenhada …), which natureza de receita (NR) goes
to which receita line, and how a despesa (função/subfunção FS, natureza ND, fonte FR, código de
acompanhamento CO) is split between the despesas computed in the minimum and the others. The
receita lines' own codes come from the catalog (``Linha.naturezas_em``: the codes of each
era); the data add what the catalog lacks and the exclusions. Nothing here is a code branch per natureza: a
corrected table is a data change.

Codes in the data are dotted; trailing all-zero groups mean "any" (the model's notation: NR
1.1.1.2.50.0.0 is all of 1.1.1.2.50), so they are stripped to a digit prefix by :func:`prefixo`.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path

from siops.forms.catalogo import Catalogo, catalogo


class MapeamentoInvalido(ValueError):
    """The mapping data (``resources/msc_mapeamento.json``) contradicts itself or the catalog."""


FAMILIA_RECEITA = "receita"
FAMILIA_DEDUCAO = "deducao_municipios"


def digitos(texto: object) -> str:
    """Only the digits of a code as typed or exported (``'1.1.1.2.50.0.1'`` → ``'11125001'``)."""
    return "".join(ch for ch in str(texto) if ch.isdigit())


def prefixo(codigo: str) -> str:
    """A dotted code to its digit prefix, dropping trailing all-zero groups (model notation)."""
    grupos = [g for g in codigo.strip().split(".") if g != ""]
    while grupos and set(grupos[-1]) == {"0"}:
        grupos.pop()
    return "".join(grupos)


def formatar_nr(nr: str) -> str:
    """``'11125001'`` → ``'1.1.1.2.50.0.1'`` (the natureza de receita as the ementário prints it)."""
    partes, i = [], 0
    for n in (1, 1, 1, 1, 2, 1, 1):
        if i >= len(nr):
            break
        partes.append(nr[i : i + n])
        i += n
    if i < len(nr):
        partes.append(nr[i:])
    return ".".join(partes)


def formatar_nd(nd: str) -> str:
    """``'31900101'`` → ``'3.1.90.01.01'``."""
    partes, i = [], 0
    for n in (1, 1, 2, 2, 2):
        if i >= len(nd):
            break
        partes.append(nd[i : i + n])
        i += n
    if i < len(nd):
        partes.append(nd[i:])
    return ".".join(partes)


def formatar_fs(fs: str) -> str:
    """``'10301'`` → ``'10.301'``."""
    return f"{fs[:2]}.{fs[2:]}" if len(fs) > 2 else fs


@dataclass(frozen=True, slots=True)
class Medida:
    """A measure (a column's value) and the PCASP accounts that make it up in an MSC.

    ``contas`` holds ``(prefixo, sinal)``: ``sinal`` +1 reads the account's credit-minus-debit
    balance, −1 its debit-minus-credit balance.
    """

    id: str
    grupo: str  # "receita" | "despesa"
    coluna: str  # the catalog column it fills
    titulo: str
    familia: str
    contas: tuple[tuple[str, int], ...]
    incerto: str = ""


@dataclass(frozen=True, slots=True)
class Classificacao:
    """Where an item of the source goes: a catalog row, or nowhere and why."""

    destino: tuple[str, str] | None
    motivo: str = ""
    incerto: str = ""
    regra: str = ""


@dataclass(frozen=True, slots=True)
class _RegraReceita:
    prefixo: str
    fr: re.Pattern[str] | None
    familia: str
    destino: tuple[str, str] | None
    motivo: str
    incerto: str
    descricao: str


@dataclass(frozen=True, slots=True)
class _Computada:
    fr: re.Pattern[str]
    co: re.Pattern[str] | None
    descricao: str
    incerto: str


@dataclass(frozen=True, slots=True)
class _FsAdicional:
    fs: frozenset[str]
    grupos: frozenset[str]
    somente_computadas: bool
    subfuncao: str
    descricao: str


@dataclass(frozen=True, slots=True)
class RegraPlanilha:
    """A rule of the FR/CO → planilha table (``planilhas`` in the data): the ledger's planilha
    (``forms.razao.PLANILHAS``) of a despesa by its fonte and código de acompanhamento."""

    planilha: str
    descricao: str
    incerto: str = ""
    fr: re.Pattern[str] | None = None
    co: re.Pattern[str] | None = None

    def casa(self, fr: str, co: str) -> bool:
        if self.fr is not None and not self.fr.match(fr):
            return False
        return self.co is None or bool(self.co.match(co))


def _vale(regra: dict, esfera: str, exercicio: int) -> bool:
    if "esferas" in regra and esfera not in regra["esferas"]:
        return False
    if exercicio < regra.get("desde", 0):
        return False
    return exercicio <= regra.get("ate", 9999)


class Mapeamento:
    """The compiled mapping of one esfera and exercício (see module docstring)."""

    def __init__(self, dados: dict, cat: Catalogo) -> None:
        self.dados = dados
        self.catalogo = cat
        self.esfera = cat.esfera
        self.exercicio = cat.exercicio
        self.medidas: dict[str, Medida] = {}
        for mid, m in dados["medidas"].items():
            if not _vale(m, self.esfera, self.exercicio):
                continue
            contas = tuple((prefixo(c), 1 if lado == "C" else -1) for c, lado in m["contas"])
            self.medidas[mid] = Medida(
                mid,
                m["grupo"],
                m["coluna"],
                m["titulo"],
                m.get("familia", FAMILIA_RECEITA if m["grupo"] == "receita" else "despesa"),
                contas,
                m.get("incerto", ""),
            )
        self._papeis: dict[str, tuple[tuple[str, int], ...]] = {}
        prefixos = sorted({pref for m in self.medidas.values() for pref, _ in m.contas})
        self._interesse = re.compile("|".join(map(re.escape, prefixos)) or "(?!)")
        self._regras_receita = self._compilar_receitas(dados["receitas"])
        self._compilar_despesas(dados["despesas"])
        self._compilar_planilhas(dados.get("planilhas"))
        self._fr_distingue = tuple(
            r.prefixo
            for r in self._regras_receita
            if r.fr is not None and r.familia == FAMILIA_RECEITA
        )
        self._cache_receita: dict[tuple[str, str, str], Classificacao] = {}
        self._cache_despesa: dict[tuple[str, str, str, str], Classificacao | None] = {}

    # -- the accounts -----------------------------------------------------------------------

    def papeis_da_conta(self, conta: str) -> tuple[tuple[str, int], ...]:
        """The measures a PCASP account (digits) takes part in, with the sign of its balance."""
        p = self._papeis.get(conta)
        if p is None:
            p = tuple(
                (m.id, sinal)
                for m in self.medidas.values()
                for pref, sinal in m.contas
                if conta.startswith(pref)
            )
            self._papeis[conta] = p
        return p

    def interessa(self, conta: str) -> bool:
        """Whether an account takes part in any measure (the MSC reader keeps only those)."""
        return self._interesse.match(conta) is not None

    def medidas_do_grupo(self, grupo: str) -> list[Medida]:
        return [m for m in self.medidas.values() if m.grupo == grupo]

    # -- receitas ---------------------------------------------------------------------------

    def _linha(self, ref: str) -> tuple[str, str]:
        tabela, _, linha = ref.partition(":")
        try:
            row = self.catalogo.tabela(tabela).linha(linha)
        except KeyError as exc:
            raise MapeamentoInvalido(
                f"{self.esfera}/{self.exercicio}: a linha '{ref}' do mapeamento não existe no "
                "catálogo."
            ) from exc
        if row.regra is not None:
            raise MapeamentoInvalido(f"A linha '{ref}' do mapeamento é calculada, não digitada.")
        return tabela, linha

    def _compilar_receitas(self, dados: dict) -> list[_RegraReceita]:
        deducoes = set(dados.get("linhas_deducao", ()))
        regras: list[_RegraReceita] = []
        for tid in dados["tabelas_do_catalogo"]:
            if tid not in self.catalogo.tabelas:
                continue
            for linha in self.catalogo.tabela(tid).linhas:
                if linha.regra is not None or not linha.naturezas:
                    continue
                ref = f"{tid}:{linha.id}"
                familia = FAMILIA_DEDUCAO if ref in deducoes else FAMILIA_RECEITA
                # every code of the era: a row may sum several (Linha.naturezas_em)
                for codigo in linha.naturezas_em(self.exercicio, antes_da_primeira=False):
                    regras.append(
                        _RegraReceita(
                            prefixo(codigo),
                            None,
                            familia,
                            (tid, linha.id),
                            "",
                            linha.incerto,
                            f"NR {codigo} (catálogo)",
                        )
                    )
        for r in dados["regras"]:
            if not _vale(r, self.esfera, self.exercicio):
                continue
            nrs = r["nr"] if isinstance(r["nr"], list) else [r["nr"]]
            fr = None
            if r.get("fr"):
                fr = re.compile(r"^[0-9]?(?:" + "|".join(map(re.escape, r["fr"])) + ")")
            destino = self._linha(r["destino"]) if r.get("destino") else None
            familia = r.get("familia", FAMILIA_RECEITA)
            for nr in nrs:
                desc = f"NR {nr}" + (f" com FR {', '.join(r['fr'])}" if r.get("fr") else "")
                regras.append(
                    _RegraReceita(
                        prefixo(nr),
                        fr,
                        familia,
                        destino,
                        r.get("motivo", ""),
                        r.get("incerto", ""),
                        desc,
                    )
                )
        vistos: dict[tuple[str, str | None, str], tuple[str, str] | None] = {}
        for regra in regras:
            chave = (regra.prefixo, regra.fr.pattern if regra.fr else None, regra.familia)
            if chave in vistos and vistos[chave] != regra.destino:
                raise MapeamentoInvalido(
                    f"{self.esfera}/{self.exercicio}: a natureza {regra.descricao} vai para duas "
                    f"linhas ({vistos[chave]} e {regra.destino})."
                )
            vistos[chave] = regra.destino
        # The most specific rule first: longest prefix, then the one with a fonte condition.
        regras.sort(key=lambda r: (len(r.prefixo), r.fr is not None), reverse=True)
        return regras

    def receita(self, nr: str, fr: str = "", familia: str = FAMILIA_RECEITA) -> Classificacao:
        """Where a receita of natureza ``nr`` (digits) and fonte ``fr`` goes."""
        chave = (nr, fr, familia)
        c = self._cache_receita.get(chave)
        if c is not None:
            return c
        c = Classificacao(
            None,
            "natureza sem linha no Anexo 12 (fora da base e das receitas adicionais da saúde)"
            if familia == FAMILIA_RECEITA
            else "dedução sem linha de dedução correspondente no Anexo 12",
        )
        if nr:
            for r in self._regras_receita:
                if r.familia != familia or not nr.startswith(r.prefixo):
                    continue
                if r.fr is not None and not r.fr.match(fr):
                    continue
                c = Classificacao(r.destino, r.motivo, r.incerto, r.descricao)
                break
        else:
            c = Classificacao(None, "linha sem natureza da receita")
        self._cache_receita[chave] = c
        return c

    def fonte_distingue(self, nr: str) -> bool:
        """Whether some receita rule tells natureza ``nr`` apart by its fonte (FR): only then
        does the ledger keep the FR in the receita line (``forms.razao.ChaveReceita``)."""
        return any(nr.startswith(p) for p in self._fr_distingue)

    def regras_receita(self) -> list[_RegraReceita]:
        """The receita rules, most specific first (the ledger's v1 conversion reads them)."""
        return list(self._regras_receita)

    def destinos_receita(self) -> set[tuple[str, str]]:
        """Every receita row the mapping can fill (the rows an import replaces)."""
        return {r.destino for r in self._regras_receita if r.destino is not None}

    def familia_do_destino(self, destino: tuple[str, str]) -> str:
        for r in self._regras_receita:
            if r.destino == destino:
                return r.familia
        return FAMILIA_RECEITA

    # -- despesas ---------------------------------------------------------------------------

    def _compilar_despesas(self, dados: dict) -> None:
        self.funcao: str = dados["funcao"]
        self._proprias = frozenset(dados["subfuncoes_proprias"])
        self._demais: str = dados["subfuncao_demais"]
        self._grupos = frozenset(dados["grupos"])
        regras = [c for c in dados["computadas"] if _vale(c, self.esfera, self.exercicio)]
        if len(regras) != 1:
            raise MapeamentoInvalido(
                f"{self.exercicio}: o mapeamento deve ter exatamente um critério de despesa "
                f"computada por exercício (achou {len(regras)})."
            )
        c = regras[0]
        self.computada_regra = _Computada(
            re.compile(c["fr"]),
            re.compile(c["co"]) if c.get("co") else None,
            c["descricao"],
            c.get("incerto", ""),
        )
        self._exclusoes: dict[str, tuple[frozenset[str], tuple[str, ...], str, str]] = {}
        for tabela, e in dados["exclusoes"].items():
            self._exclusoes[tabela] = (
                frozenset(e.get("modalidades", ())),
                tuple(prefixo(nd) for nd in e.get("nd", ())),
                e.get("motivo_nd", "natureza {nd} excluída"),
                e.get("motivo_modalidade", "modalidade {mod} excluída"),
            )
        self._fs_adicionais = tuple(
            _FsAdicional(
                frozenset(prefixo(f) for f in a["fs"]),
                frozenset(a["grupos"]),
                bool(a.get("somente_computadas", True)),
                a["subfuncao"],
                a.get("descricao", ""),
            )
            for a in dados.get("fs_adicionais", ())
        )
        self._linhas_despesa: dict[tuple[str, str, str], str] = {}
        for tabela in ("despesas_asps", "despesas_nao_computadas"):
            for linha in self.catalogo.tabela(tabela).linhas:
                if linha.regra is None and linha.subfuncao and linha.grupo:
                    self._linhas_despesa[(tabela, linha.subfuncao, linha.grupo)] = linha.id
        for tabela in ("despesas_asps", "despesas_nao_computadas"):
            for sub in (*self._proprias, self._demais):
                for g in self._grupos:
                    if (tabela, sub, g) not in self._linhas_despesa:
                        raise MapeamentoInvalido(
                            f"O catálogo não tem a linha de {tabela} para a subfunção {sub} e o "
                            f"grupo {g}."
                        )

    def _compilar_planilhas(self, dados: dict | None) -> None:
        from siops.forms.razao import PLANILHAS

        codigos = {p.codigo for p in PLANILHAS}
        self._planilhas_computadas = frozenset(p.codigo for p in PLANILHAS if p.computada)
        self._cache_planilha: dict[tuple[str, str], RegraPlanilha] = {}
        c = self.computada_regra
        if dados is None:  # a mapping file without the table: computed → 4, the rest → 10
            self._planilhas: tuple[RegraPlanilha, ...] = (
                RegraPlanilha("4", c.descricao, c.incerto, c.fr, c.co),
            )
            self._planilha_padrao = RegraPlanilha("10", "demais fontes (outros recursos)")
            return
        regras = []
        for r in dados["regras"]:
            if not _vale(r, self.esfera, self.exercicio):
                continue
            if r["planilha"] not in codigos:
                raise MapeamentoInvalido(
                    f"A planilha '{r['planilha']}' da tabela de planilhas do mapeamento não existe "
                    f"(use uma de {', '.join(sorted(codigos, key=int))})."
                )
            regras.append(
                RegraPlanilha(
                    r["planilha"],
                    r["descricao"],
                    r.get("incerto", ""),
                    re.compile(r["fr"]) if r.get("fr") else None,
                    re.compile(r["co"]) if r.get("co") else None,
                )
            )
        self._planilhas = tuple(regras)
        padrao = dados["padrao"]
        if padrao["planilha"] not in codigos or padrao["planilha"] in self._planilhas_computadas:
            raise MapeamentoInvalido(
                f"A planilha padrão '{padrao['planilha']}' do mapeamento é inválida."
            )
        self._planilha_padrao = RegraPlanilha(padrao["planilha"], padrao["descricao"])

    def planilha(self, fr: str, co: str) -> RegraPlanilha:
        """The planilha (SIOPS code) of a despesa of fonte ``fr`` and CO ``co`` (digits).

        The first rule of the table that matches, else the default. The planilha is computed
        in the minimum exactly when :meth:`computada` says so; data that contradict it raise
        ``MapeamentoInvalido``.
        """
        chave = (fr, co)
        r = self._cache_planilha.get(chave)
        if r is None:
            r = next((x for x in self._planilhas if x.casa(fr, co)), self._planilha_padrao)
            if (r.planilha in self._planilhas_computadas) != self.computada(fr, co):
                raise MapeamentoInvalido(
                    f"{self.exercicio}: a tabela de planilhas do mapeamento leva a FR '{fr}' com "
                    f"CO '{co}' à planilha {r.planilha}, mas o critério de despesa computada "
                    f"({self.computada_regra.descricao}) diz o contrário."
                )
            self._cache_planilha[chave] = r
        return r

    def subfuncao_despesa(self, fs: str, nd: str, fr: str, co: str) -> tuple[str, str] | None:
        """The subfunção of a despesa for the ledger, with the rule that brought it in.

        ``None`` when the despesa is outside the health scope (as :meth:`despesa`). For the
        função 10, the budget subfunção code (``fs[2:5]``, empty or short when the source has
        none); for an additional FS (the debt service paid with ASPS funds), the subfunção the
        data name (``'outras'``).
        """
        if fs[:2] == self.funcao:
            return fs[2:5], ""
        grupo = f"{nd[0]}.{nd[1]}" if len(nd) >= 2 else ""
        extra = next((a for a in self._fs_adicionais if fs[:5] in a.fs), None)
        if extra is None or grupo not in extra.grupos:
            return None
        if extra.somente_computadas and not self.computada(fr, co):
            return None
        return extra.subfuncao, extra.descricao

    def computada(self, fr: str, co: str) -> bool:
        """Whether a despesa of fonte ``fr`` and CO ``co`` counts in the minimum."""
        regra = self.computada_regra
        if not regra.fr.match(fr):
            return False
        return regra.co is None or bool(regra.co.match(co))

    def despesa(self, fs: str, nd: str, fr: str, co: str) -> Classificacao | None:
        """Where a despesa goes; ``None`` when it is outside the health scope (not função 10)."""
        chave = (fs, nd, fr, co)
        if chave in self._cache_despesa:
            return self._cache_despesa[chave]
        c = self._classificar_despesa(fs, nd, fr, co)
        self._cache_despesa[chave] = c
        return c

    def _classificar_despesa(self, fs: str, nd: str, fr: str, co: str) -> Classificacao | None:
        computada = self.computada(fr, co)
        grupo = f"{nd[0]}.{nd[1]}" if len(nd) >= 2 else ""
        if fs[:2] == self.funcao:
            sub = fs[2:5]
            sub = sub if sub in self._proprias else self._demais
            regra = ""
        else:
            extra = next((a for a in self._fs_adicionais if fs[:5] in a.fs), None)
            if extra is None or grupo not in extra.grupos:
                return None
            if extra.somente_computadas and not computada:
                return None
            sub, regra = extra.subfuncao, extra.descricao
        if len(fs) < 5:
            return Classificacao(None, "linha sem subfunção")
        return self.despesa_do_razao(computada, sub, nd, regra)

    def despesa_do_razao(
        self, computada: bool, sub: str, nd: str, regra: str = ""
    ) -> Classificacao:
        """Where a despesa of the ledger goes: the Anexo 12 row of subfunção ``sub`` (301–306
        or the catalog's 'outras') and natureza ``nd`` (digits), computed in the minimum or not;
        ``destino`` None with the reason when the model excludes it."""
        grupo = f"{nd[0]}.{nd[1]}" if len(nd) >= 2 else ""
        tabela = "despesas_asps" if computada else "despesas_nao_computadas"
        if grupo not in self._grupos:
            return Classificacao(
                None, f"natureza da despesa '{formatar_nd(nd)}' sem categoria e grupo válidos"
            )
        modalidades, nds, motivo_nd, motivo_mod = self._exclusoes.get(
            tabela, (frozenset(), (), "", "")
        )
        mod = nd[2:4]
        if mod in modalidades:
            return Classificacao(None, motivo_mod.format(mod=mod))
        for p in nds:
            if nd.startswith(p):
                return Classificacao(None, motivo_nd.format(nd=formatar_nd(p)))
        return Classificacao((tabela, self._linhas_despesa[(tabela, sub, grupo)]), regra=regra)

    def destinos_despesa(self) -> set[tuple[str, str]]:
        """Every despesa row the mapping fills (subfunção × grupo, computed and not)."""
        return {(t, linha) for (t, _, _), linha in self._linhas_despesa.items()}


def caminho_padrao() -> Path:
    """The shipped mapping data."""
    return Path(str(files("siops.resources").joinpath("msc_mapeamento.json")))


@functools.cache
def _dados(caminho: str) -> dict:
    return json.loads(Path(caminho).read_text(encoding="utf-8"))


def carregar(cat: Catalogo, caminho: Path | None = None) -> Mapeamento:
    """The mapping of a catalog's esfera and exercício (data read once per file)."""
    return _mapeamento(cat.esfera, cat.exercicio, str(caminho or caminho_padrao()))


@functools.cache
def _mapeamento(esfera: str, exercicio: int, caminho: str) -> Mapeamento:
    return Mapeamento(_dados(caminho), catalogo(esfera, exercicio))


def linhas_referidas(dados: dict | None = None) -> list[str]:
    """Every ``tabela:linha`` the data name (the test checks each exists in the catalog)."""
    dados = dados or _dados(str(caminho_padrao()))
    refs = [r["destino"] for r in dados["receitas"]["regras"] if r.get("destino")]
    refs += list(dados["receitas"].get("linhas_deducao", ()))
    return refs
