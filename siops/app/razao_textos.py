"""The texts of the ledger's screens (plain functions, no widgets): the names of the
naturezas da despesa (a small table declared once, ``NATUREZAS_DESPESA``), where a line goes in
the Anexo 12 or why it stays out (``descrever_destino``), how a line is named in a list, and
"Localizar" by code or by words (``localizar``).

The elemento names follow the Portaria Interministerial STN/SOF nº 163/2001, anexo II; the
categoria/grupo names name a natureza given only to the grupo.
"""

from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING

from siops.app.modelos import NOMES_CURTOS, sem_acentos
from siops.forms.razao import (
    PLANILHAS,
    SUBFUNCOES_RAZAO,
    ChaveDespesa,
    ChaveRazao,
    ChaveReceita,
    Destino,
    coluna_de,
    formatar_natureza_despesa,
    formatar_natureza_receita,
    planilha,
    subfuncao,
)

if TYPE_CHECKING:
    from siops.app.documento import Documento

# --- the descriptions of the naturezas da despesa ---------------------------------------------

#: Naturezas da despesa a health ledger uses, with their names (the include dialog offers them;
#: the planilha shows the name beside each code). Elemento names after the Portaria
#: Interministerial STN/SOF nº 163/2001, anexo II; one desdobramento the Anexo 12 tells apart.
NATUREZAS_DESPESA: tuple[tuple[str, str], ...] = (
    ("3.1.90.04", "Contratação por tempo determinado"),
    ("3.1.90.11", "Vencimentos e vantagens fixas — pessoal civil"),
    ("3.1.90.13", "Obrigações patronais"),
    ("3.1.90.16", "Outras despesas variáveis — pessoal civil"),
    ("3.1.90.94", "Indenizações e restituições trabalhistas"),
    ("3.1.91.13", "Obrigações patronais — operações intraorçamentárias"),
    ("3.3.50.43", "Subvenções sociais"),
    ("3.3.71.70", "Rateio pela participação em consórcio público"),
    ("3.3.90.14", "Diárias — civil"),
    ("3.3.90.30", "Material de consumo"),
    ("3.3.90.30.09", "Material farmacológico (medicamentos)"),
    ("3.3.90.32", "Material, bem ou serviço para distribuição gratuita"),
    ("3.3.90.33", "Passagens e despesas com locomoção"),
    ("3.3.90.34", "Outras despesas de pessoal decorrentes de contratos de terceirização"),
    ("3.3.90.36", "Outros serviços de terceiros — pessoa física"),
    ("3.3.90.37", "Locação de mão de obra"),
    ("3.3.90.39", "Outros serviços de terceiros — pessoa jurídica"),
    ("3.3.90.40", "Serviços de tecnologia da informação e comunicação — pessoa jurídica"),
    ("3.3.90.46", "Auxílio-alimentação"),
    ("3.3.90.47", "Obrigações tributárias e contributivas"),
    ("3.3.90.48", "Outros auxílios financeiros a pessoas físicas"),
    ("3.3.90.92", "Despesas de exercícios anteriores"),
    ("3.3.90.93", "Indenizações e restituições"),
    ("4.4.90.51", "Obras e instalações"),
    ("4.4.90.52", "Equipamentos e material permanente"),
)

#: Categoria econômica and grupo de natureza da despesa (a natureza given only to the grupo).
GRUPOS_DESPESA = {
    "31": "Pessoal e encargos sociais",
    "32": "Juros e encargos da dívida",
    "33": "Outras despesas correntes",
    "44": "Investimentos",
    "45": "Inversões financeiras",
    "46": "Amortização da dívida",
}


def _digitos(texto: str) -> str:
    return "".join(ch for ch in texto if ch.isdigit())


@functools.cache
def _por_prefixo() -> tuple[tuple[str, str], ...]:
    """The table by digit prefix, the longest (desdobramento) first."""
    return tuple(sorted(((_digitos(n), t) for n, t in NATUREZAS_DESPESA), key=lambda x: -len(x[0])))


@functools.cache
def _por_elemento() -> dict[str, str]:
    """Elemento (digits 5–6) → name, whatever the modalidade (the first the table gives)."""
    out: dict[str, str] = {}
    for n, t in NATUREZAS_DESPESA:
        d = _digitos(n)
        if len(d) == 6:
            out.setdefault(d[4:6], t)
    return out


def descricao_natureza_despesa(natureza: str) -> str:
    """The name of a natureza da despesa (10 digits): its entry in ``NATUREZAS_DESPESA``, else
    the elemento's name under another modalidade, else the grupo's; '' when unknown."""
    for pref, titulo in _por_prefixo():
        if natureza.startswith(pref) and set(natureza[len(pref) :]) <= {"0"}:
            return titulo
    for pref, titulo in _por_prefixo():
        if len(pref) == 6 and natureza.startswith(pref):
            return titulo  # a desdobramento of a known elemento
    elemento = natureza[4:6]
    if elemento != "00" and elemento in _por_elemento():
        return _por_elemento()[elemento]
    if set(natureza[2:]) <= {"0"} or elemento == "00":
        return GRUPOS_DESPESA.get(natureza[:2], "")
    return ""


def rotulo_natureza_despesa(natureza: str) -> str:
    """``3.3.90.39.00.00 — Outros serviços de terceiros — pessoa jurídica``."""
    d = descricao_natureza_despesa(natureza)
    codigo = formatar_natureza_despesa(natureza)
    return f"{codigo} — {d}" if d else codigo


def rotulo_receita(k: ChaveReceita) -> str:
    """``1.1.1.2.50`` or ``1.7.1.3.50 (fonte 1600)``."""
    return k.natureza_formatada + (f" (fonte {k.fonte})" if k.fonte else "")


def titulo_curto(titulo: str) -> str:
    """A row title short enough for a list, what tells it apart first: 'Receita Resultante do
    Imposto Predial e Territorial Urbano - IPTU' → 'IPTU (receita resultante)'."""
    m = re.match(r"^Receita Resultante d[oa] .+ [-–] ([A-Z]{2,6})$", titulo)
    return f"{m.group(1)} (receita resultante)" if m else titulo


def titulo_linha_anexo12(documento: Documento, tabela: str, linha: str) -> str:
    """'Despesas com ASPS (computadas) › Atenção Básica › Outras despesas correntes'."""
    cat = documento.catalogo
    t = cat.tabela(tabela)
    row = t.linha(linha)
    titulo = row.titulo_em(documento.declaracao.exercicio)
    partes = [NOMES_CURTOS.get(tabela, t.titulo)]
    if row.subfuncao and tabela.startswith("despesas_"):
        sub = next(
            (s.titulo for s in SUBFUNCOES_RAZAO if s.id == row.subfuncao),
            "Outras subfunções",
        )
        partes.append(sub)
    partes.append(titulo)
    return " › ".join(partes)


def descrever_destino(documento: Documento, k: ChaveRazao) -> tuple[bool, str, str]:
    """Where a ledger line goes: (inside the Anexo 12, the row's title or "fora do Anexo 12",
    the full explanation with the other tables it feeds or the reason it stays out)."""
    cls = documento.catalogo.classificador
    dest: Destino = cls.destino(k)
    alimentadas: list[str] = []
    for (tabela, linha, _col), _rc, _s in dest.alimenta:
        if dest.linha_anexo12 == (tabela, linha):
            continue
        texto = titulo_linha_anexo12(documento, tabela, linha)
        if texto not in alimentadas:
            alimentadas.append(texto)
    extra = f" Alimenta também: {'; '.join(alimentadas)}." if alimentadas else ""
    incerto = f" ({dest.incerto})" if dest.incerto else ""
    if dest.linha_anexo12 is None:
        alimenta = (
            f" Alimenta: {'; '.join(alimentadas)}." if alimentadas else " Não entra em tabela."
        )
        return False, "fora do Anexo 12", f"Fora do Anexo 12: {dest.motivo}.{alimenta}{incerto}"
    tabela, linha = dest.linha_anexo12
    row = documento.catalogo.tabela(tabela).linha(linha)
    curto = titulo_curto(row.titulo_em(documento.declaracao.exercicio))
    destino = titulo_linha_anexo12(documento, tabela, linha)
    return True, curto, f"Vai para: {destino}.{extra}{incerto}"


# --- finding lines ----------------------------------------------------------------------------


def texto_busca(documento: Documento, k: ChaveRazao) -> str:
    """What "Localizar" reads of a line: its code, names, planilha, subfunção, destination."""
    partes: list[str] = []
    if isinstance(k, ChaveDespesa):
        partes += [
            k.natureza,
            rotulo_natureza_despesa(k.natureza),
            planilha(k.planilha).titulo,
            subfuncao(k.subfuncao).titulo,
        ]
    elif isinstance(k, ChaveReceita):
        partes += [k.natureza, rotulo_receita(k), k.fonte]
    partes.append(descrever_destino(documento, k)[2])
    return sem_acentos(" ".join(partes))


def localizar(documento: Documento, texto: str, tipo: type) -> list[ChaveRazao]:
    """The ledger lines of kind ``tipo`` matching ``texto``, in ledger order: a code (digits,
    with or without dots) matches the natureza's digits from the start, or anywhere when it
    has 4 digits or more; words match the code, names and destination (every word, without
    accents or case)."""
    t = texto.strip()
    if not t:
        return []
    linhas = [k for k, _ in documento.linhas_razao(tipo)]
    if all(ch.isdigit() or ch in ". " for ch in t):
        d = _digitos(t)
        return [
            k
            for k in linhas
            if isinstance(k, ChaveDespesa | ChaveReceita)
            and (k.natureza.startswith(d) or (len(d) >= 4 and d in k.natureza))
        ]
    palavras = sem_acentos(t).split()
    return [k for k in linhas if all(p in texto_busca(documento, k) for p in palavras)]


def descrever_linha(k: ChaveRazao) -> str:
    """A ledger line for a list: 'Planilha 4 · 301 · 3.3.90.39.00.00 — Outros serviços…'."""
    if isinstance(k, ChaveDespesa):
        sub = k.subfuncao if k.subfuncao.isdigit() else subfuncao(k.subfuncao).titulo
        return f"Planilha {k.planilha} · {sub} · {rotulo_natureza_despesa(k.natureza)}"
    if isinstance(k, ChaveReceita):
        return f"Receita {rotulo_receita(k)}"
    return k.descricao()


def titulo_coluna(k: ChaveRazao, coluna: str) -> str:
    """The title of a ledger column of a line's kind."""
    return coluna_de(k, coluna).titulo


def planilhas_com_titulo() -> list[tuple[str, str]]:
    """(code, 'code — title') of every planilha, in the catalog's order."""
    return [(p.codigo, f"{p.codigo} — {p.titulo}") for p in PLANILHAS]


def naturezas_receita(documento: Documento) -> list[tuple[str, str]]:
    """The naturezas de receita the classification knows (code, Anexo 12 row), for the list."""
    cls = documento.catalogo.classificador
    vistos: dict[str, str] = {}
    for regra in cls.mapa.regras_receita():
        if regra.destino is None or regra.fr is not None or regra.prefixo in vistos:
            continue
        if regra.familia != "receita":
            continue
        vistos[regra.prefixo] = titulo_linha_anexo12(documento, *regra.destino)
    return [(formatar_natureza_receita(p), t) for p, t in sorted(vistos.items())]
