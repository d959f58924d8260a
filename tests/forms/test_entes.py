"""forms.entes: the shipped list of municípios and UFs, and lookup by code."""

from __future__ import annotations

import csv
import dataclasses
import io
import re
import unicodedata
from importlib.resources import files

import pytest

from siops.forms.entes import (
    ESFERAS,
    UF,
    Ente,
    EnteDesconhecido,
    digito_verificador_ibge,
    ente,
    municipios,
    ufs,
)
from siops.forms.entes import uf as buscar_uf

SIGLAS = {
    "AC", "AL", "AM", "AP", "BA", "CE", "DF", "ES", "GO", "MA", "MG", "MS", "MT", "PA",
    "PB", "PE", "PI", "PR", "RJ", "RN", "RO", "RR", "RS", "SC", "SE", "SP", "TO",
}  # fmt: skip


def _csv(nome: str) -> list[dict[str, str]]:
    texto = files("siops.resources").joinpath(nome).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(texto), delimiter=";"))


def _sem_acentos(s: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c)
    ).casefold()


# --- the data ---------------------------------------------------------------------------------


def test_csv_municipios_5570_codigos_de_7_digitos_unicos_e_ordenados():
    linhas = _csv("municipios.csv")
    assert len(linhas) == 5570
    assert list(linhas[0]) == ["ibge", "nome", "uf"]
    codigos = [r["ibge"] for r in linhas]
    assert all(re.fullmatch(r"[0-9]{7}", c) for c in codigos)
    assert len(set(codigos)) == 5570
    assert len({c[:6] for c in codigos}) == 5570  # the M code (6 digits) is unique too
    assert codigos == sorted(codigos)
    assert "4300001" not in codigos and "4300002" not in codigos  # lagoons, not municípios
    assert all(r["nome"] == r["nome"].strip() and r["nome"] for r in linhas)


def test_csv_ufs():
    linhas = _csv("ufs.csv")
    assert list(linhas[0]) == ["codigo", "sigla", "nome"]
    assert {(r["codigo"], r["sigla"], r["nome"]) for r in linhas} >= {
        ("35", "SP", "São Paulo"),
        ("53", "DF", "Distrito Federal"),
        ("32", "ES", "Espírito Santo"),
        ("15", "PA", "Pará"),
    }
    assert len(linhas) == 27


def test_municipios_5570_e_prefixo_do_codigo_e_da_uf():
    todos = municipios()
    assert len(todos) == 5570
    assert len({m.ibge for m in todos}) == 5570
    por_codigo = {u.codigo: u.sigla for u in ufs()}
    for m in todos:
        assert m.esfera == "municipal"
        assert re.fullmatch(r"[0-9]{7}", m.ibge)
        assert por_codigo[m.ibge[:2]] == m.uf


def test_ufs_27():
    lista = ufs()
    assert len(lista) == 27
    assert {u.sigla for u in lista} == SIGLAS
    assert all(isinstance(u, UF) and re.fullmatch(r"[0-9]{2}", u.codigo) for u in lista)
    assert [u.codigo for u in lista] == sorted(u.codigo for u in lista)
    assert sum(len(municipios(u.sigla)) for u in lista) == 5570


def test_contagem_por_uf():
    assert len(municipios("SP")) == 645
    assert len(municipios("MG")) == 853
    assert len(municipios("RR")) == 15
    assert len(municipios("DF")) == 1
    assert len(municipios("35")) == 645
    assert len(municipios(" sp ")) == 645


def test_acentos():
    nomes = {(m.nome, m.uf) for m in municipios()}
    for esperado in [
        ("São Paulo", "SP"),
        ("Mogi das Cruzes", "SP"),
        ("Brasília", "DF"),
        ("Goiânia", "GO"),
        ("Florianópolis", "SC"),
        ("Embu das Artes", "SP"),  # renamed in 2011; django-municipios still says "Embu"
        ("Joca Claudino", "PB"),  # formerly Santarém
        ("Ji-Paraná", "RO"),
        ("Santa Bárbara D'Oeste", "SP"),
        ("Pio XII", "MA"),
        ("Abreu e Lima", "PE"),
    ]:
        assert esperado in nomes
    com_acento = sum(1 for n, _ in nomes if _sem_acentos(n) != n.casefold())
    assert com_acento > 2000


def test_municipios_ordenados_por_nome_sem_acento():
    sp = municipios("SP")
    chaves = [_sem_acentos(m.nome) for m in sp]
    assert chaves == sorted(chaves)
    nomes = [m.nome for m in sp]
    assert nomes.index("Águas de Lindóia") < nomes.index("Americana") < nomes.index("Óleo")
    assert nomes.index("Óleo") < nomes.index("Osasco")
    assert municipios() is not municipios()  # a fresh list: callers may mutate it


# --- lookup -----------------------------------------------------------------------------------


def test_m355480_e_tremembe_sp():
    e = ente("M355480")
    assert e == Ente("municipal", "SP", "3554805", "Tremembé")
    assert e.codigo == "M355480"
    assert e.descricao == "Município de Tremembé/SP"


@pytest.mark.parametrize(
    "codigo",
    ["M355030", "M3550308", "3550308", "355030", "m355030", "  M355030\t", " 3550308 "],
)
def test_formas_de_municipio(codigo):
    e = ente(codigo)
    assert e == Ente("municipal", "SP", "3550308", "São Paulo")
    assert e.codigo == "M355030"
    assert e.descricao == "Município de São Paulo/SP"


@pytest.mark.parametrize("codigo", ["E35", "ESP", "SP", "e35", "esp", "sp", " E35 "])
def test_formas_de_estado(codigo):
    e = ente(codigo)
    assert e == Ente("estadual", "SP", "35", "São Paulo")
    assert e.codigo == "E35"
    assert e.descricao == "Estado de São Paulo"


def test_estados_descricao_com_preposicao():
    assert ente("E33").descricao == "Estado do Rio de Janeiro"
    assert ente("BA").descricao == "Estado da Bahia"
    assert ente("ES") == Ente("estadual", "ES", "32", "Espírito Santo")  # not E + "S"
    assert ente("EES") == ente("ES")
    assert ente("E43").nome == "Rio Grande do Sul"


@pytest.mark.parametrize(
    "codigo", ["E53", "DF", "EDF", "df", "M530010", "M5300108", "5300108", "530010"]
)
def test_distrito_federal(codigo):
    e = ente(codigo)
    assert e == Ente("df", "DF", "53", "Distrito Federal")
    assert e.esfera == "df"
    assert e.codigo == "E53"
    assert e.descricao == "Distrito Federal"


def test_brasilia_listada_como_municipio_mas_declara_como_df():
    (brasilia,) = municipios("DF")
    assert brasilia == Ente("municipal", "DF", "5300108", "Brasília")
    assert ente(brasilia.codigo).esfera == "df"


def test_ida_e_volta_pelo_codigo():
    for m in municipios():
        if m.ibge != "5300108":
            assert ente(m.codigo) == m
            assert ente(m.ibge) == m
    for u in ufs():
        e = ente("E" + u.codigo)
        assert ente(e.codigo) == e
        assert e.esfera == ("df" if u.sigla == "DF" else "estadual")
        assert (e.uf, e.ibge, e.nome) == (u.sigla, u.codigo, u.nome)
    assert {ente(u.sigla).esfera for u in ufs()} <= set(ESFERAS)


def test_uf():
    assert buscar_uf("SP") == UF("35", "SP", "São Paulo")
    assert buscar_uf("35") == buscar_uf(" sp ")
    assert buscar_uf("53").nome == "Distrito Federal"
    for ruim in ["XX", "99", "", "SPA", "E35"]:
        with pytest.raises(EnteDesconhecido, match="UF desconhecida"):
            buscar_uf(ruim)
    with pytest.raises(EnteDesconhecido):
        municipios("ZZ")


# --- bad codes --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "codigo",
    [
        "M999999",
        "9999999",
        "M355",
        "M35503080",
        "E99",
        "E3",
        "EXX",
        "XX",
        "ZZ",
        "",
        "   ",
        "35",  # a bare UF code is not accepted: E35
        "M-355030",
        "M 355030",
        "3550309",  # wrong check digit: only the codes in the list exist
        "M3550309",
        "São Paulo",
        "M３５５０３０",  # full-width digits
    ],
)
def test_codigos_invalidos(codigo):
    with pytest.raises(EnteDesconhecido) as exc:
        ente(codigo)
    msg = str(exc.value)
    assert "Informe M seguido dos 6 dígitos do código IBGE do município (ex.: M355030)" in msg
    assert "ou E seguido do código da UF (ex.: E35)." in msg
    if codigo.strip():
        assert repr(codigo) in msg  # says which code was given


def test_mensagens():
    with pytest.raises(EnteDesconhecido) as exc:
        ente("M999999")
    assert str(exc.value) == (
        "Código de ente desconhecido: 'M999999'. Nenhum município tem código IBGE iniciado por "
        "999999. Informe M seguido dos 6 dígitos do código IBGE do município (ex.: M355030), "
        "ou E seguido do código da UF (ex.: E35)."
    )
    with pytest.raises(EnteDesconhecido, match="o de São Paulo/SP é 3550308"):
        ente("3550309")
    with pytest.raises(EnteDesconhecido, match="Não há UF com o código IBGE 99"):
        ente("E99")
    with pytest.raises(EnteDesconhecido, match="Não há UF com a sigla XX"):
        ente("XX")
    with pytest.raises(EnteDesconhecido, match="vazio"):
        ente("")
    with pytest.raises(EnteDesconhecido):
        ente(355030)  # type: ignore[arg-type]
    assert issubclass(EnteDesconhecido, ValueError)


def test_ente_imutavel_e_esfera_validada():
    e = ente("M355030")
    with pytest.raises(dataclasses.FrozenInstanceError):
        e.nome = "x"  # type: ignore[misc]
    with pytest.raises(ValueError):
        Ente("federal", "SP", "35", "São Paulo")


# --- check digit ------------------------------------------------------------------------------


def test_digito_verificador():
    assert digito_verificador_ibge("355030") == "8"  # São Paulo 3550308
    assert digito_verificador_ibge("530010") == "8"  # Brasília 5300108
    assert digito_verificador_ibge("355480") == "5"  # Tremembé 3554805
    for ruim in ["35503", "3550308", "abcdef", ""]:
        with pytest.raises(ValueError):
            digito_verificador_ibge(ruim)


def test_digito_verificador_so_informativo():
    fora = sorted(m.ibge for m in municipios() if digito_verificador_ibge(m.ibge[:6]) != m.ibge[6])
    assert fora == [
        "2201919",
        "2201988",
        "2202251",
        "2611533",
        "3117836",
        "3152131",
        "4305871",
        "5203939",
        "5203962",
    ]
    for codigo in fora:  # still found, by the list
        assert ente(codigo).ibge == codigo
        assert ente("M" + codigo[:6]).ibge == codigo


# --- lookup before any list: one município built, the same answers ------------------------------


@pytest.fixture
def sem_lista():
    """The module as in a process that has not listed the municípios: finding one ente (opening
    a file) builds only that município, from its line of the file."""
    from siops.forms import entes as modulo

    def esquecer() -> None:
        modulo._municipios.cache_clear()
        modulo._municipios_por_nome.cache_clear()
        modulo._municipios_da_uf.cache_clear()
        modulo._MUNICIPIOS.clear()

    esquecer()
    yield modulo
    esquecer()


def _mensagem(codigo: str) -> str:
    with pytest.raises(EnteDesconhecido) as exc:
        ente(codigo)
    return str(exc.value)


def test_busca_sem_lista_constroi_so_o_municipio(sem_lista):
    assert ente("M355030") == Ente("municipal", "SP", "3550308", "São Paulo")
    assert ente("3554805").nome == "Tremembé"
    assert sem_lista._municipios.cache_info().currsize == 0  # the 5,570 not built
    assert {m.ibge for m in sem_lista._MUNICIPIOS.values()} == {"3550308", "3554805"}


def test_busca_sem_lista_da_o_mesmo_que_a_lista(sem_lista):
    linhas = _csv("municipios.csv")
    achados = {}
    for i, r in enumerate(linhas):  # every município by each form of its code, before any list
        codigos = ["M" + r["ibge"][:6], r["ibge"][:6], r["ibge"], "M" + r["ibge"]]
        if i % 2:  # found first by the 7 digits, then by the 6
            codigos.reverse()
        (achados[r["ibge"]],) = {ente(c) for c in codigos}
    assert sem_lista._municipios.cache_info().currsize == 0
    for r in linhas:
        e = achados[r["ibge"]]
        if r["ibge"] == "5300108":
            assert e == ente("E53")  # Brasília declares as the DF
        else:
            assert e == Ente("municipal", r["uf"], r["ibge"], r["nome"])
    # the list built afterwards holds those very objects, in the same order as ever
    todos = municipios()
    assert sem_lista._municipios.cache_info().currsize == 1
    for m in todos:
        if m.ibge != "5300108":
            assert m is achados[m.ibge]
    sem_lista._municipios_por_nome.cache_clear()
    sem_lista._municipios.cache_clear()
    sem_lista._MUNICIPIOS.clear()
    assert municipios() == todos  # listed first: the same order
    assert [m.ibge for m in municipios("SP")] == [m.ibge for m in todos if m.uf == "SP"]


def test_busca_sem_lista_mesmos_erros(sem_lista):
    ruins = ["M999999", "9999999", "3550309", "M3550309", "999999", "M35503080", "M355", "1100010"]
    sem = [_mensagem(c) for c in ruins]
    assert sem_lista._municipios.cache_info().currsize == 0
    municipios()  # now by the list
    com = [_mensagem(c) for c in ruins]
    assert sem == com
    assert "o de São Paulo/SP é 3550308 (confira o último dígito)" in sem[2]
    assert "Nenhum município tem código IBGE iniciado por 999999." in sem[0]
