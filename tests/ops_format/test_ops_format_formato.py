"""The .OPS format: round trip, digest, XSD, frozen samples, upgrades, atomic save with backup."""

from __future__ import annotations

import csv
import hashlib
import re
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from siops import ops_format
from siops.forms.declaracao import (
    Declaracao,
    DefinirCelula,
    DefinirLancamento,
    DefinirTexto,
    EdicaoInvalida,
)
from siops.forms.planilha import exportar_csv
from siops.forms.razao import ChaveDespesa, ChaveReceita
from siops.ops_format import (
    ArquivoInvalido,
    ErroGravacao,
    de_bytes,
    ler,
    para_bytes,
    salvar,
    versoes,
)
from siops.ops_format.esquema import esquema

D1 = Decimal("1.00")

DADOS = Path(__file__).resolve().parents[2] / "tests" / "data"
NS = "urn:siops-desktop:ops:3"


@pytest.mark.parametrize(
    ("codigo", "exercicio", "bimestre"),
    [("M355030", 2025, 6), ("M355480", 2013, 1), ("E35", 2024, 3), ("E53", 2025, 2)],
)
def test_salvar_e_abrir_da_a_mesma_declaracao(completa, tmp_path, codigo, exercicio, bimestre):
    d = completa(codigo, exercicio, bimestre)
    valores_razao = sum(len(v) for v in d.razao().values())
    assert len(list(d.celulas_digitadas())) + valores_razao > 500 and len(d.razao()) > 60
    arq = tmp_path / "x.OPS"
    salvar(d, arq)
    lida = ler(arq)
    assert lida == d
    assert lida.estado() == d.estado()  # derived cells recomputed to the same values
    assert lida.textos() == d.textos()
    assert lida.modificada is False
    assert para_bytes(lida) == arq.read_bytes()  # deterministic


def test_arquivo_e_xml_utf8_no_namespace_versionado_e_valido_pelo_xsd(completa):
    dados = para_bytes(completa())
    assert dados.startswith(b"<?xml version='1.0' encoding='UTF-8'?>")
    raiz = etree.fromstring(dados)
    assert raiz.tag == f"{{{NS}}}declaracao"
    assert raiz.get("versao") == "3"
    assert ops_format.namespace() == NS
    assert esquema(3).validate(raiz), esquema(3).error_log
    assert len(raiz.find(f"{{{NS}}}razao")) > 60  # the ledger's lines
    # the shipped XSD is a standalone file in resources/
    xsd = etree.XMLSchema(
        etree.parse(str(Path(ops_format.__file__).parents[1] / "resources" / "ops.xsd"))
    )
    assert xsd.validate(raiz)


def test_guarda_so_celulas_digitadas_nao_nulas_e_textos(municipio):
    d = Declaracao(municipio, 2025, 1)
    d.aplicar(DefinirLancamento(ChaveReceita.de("1.1.1.2.50.0.1"), "realizada", Decimal("10.50")))
    d.aplicar(DefinirLancamento(ChaveDespesa.de("4", "301", "3.3.90.39"), "empenhada", D1))
    d.aplicar(DefinirCelula(("receitas_totais", "contribuicoes", "realizada"), Decimal("2")))
    d.aplicar(DefinirTexto("secretario_nome", "Zé"))
    raiz = etree.fromstring(para_bytes(d))
    celulas = raiz.find(f"{{{NS}}}celulas")
    assert [(c.get("t"), c.get("l"), c.get("k"), c.text) for c in celulas] == [
        ("receitas_totais", "contribuicoes", "realizada", "2.00")
    ]
    # the ledger: one element per line, non-zero values as attributes named by the column
    assert [dict(e.attrib) for e in raiz.find(f"{{{NS}}}razao")] == [
        {"p": "4", "s": "301", "n": "3390390000", "empenhada": "1.00"},
        {"n": "11125001", "realizada": "10.50"},
    ]
    # the Anexo 12 leaves they feed are computed, never stored
    assert d.valor(("receitas_base", "iptu", "realizada")) == Decimal("10.50")
    assert [(c.get("id"), c.text) for c in raiz.find(f"{{{NS}}}campos")] == [
        ("secretario_nome", "Zé")
    ]


def test_declaracao_vazia_abre(municipio):
    d = Declaracao(municipio, 2025, 1)
    assert de_bytes(para_bytes(d)) == d


def test_resumo_ignora_formatacao_mas_nao_conteudo(completa):
    d = completa("M355030", 2025, 2)
    dados = para_bytes(d)
    # re-indented and with attributes reordered: still the same content
    raiz = etree.fromstring(dados)
    for e in raiz.iter():
        e.tail = None
        if e.text is not None and not e.text.strip() and len(e):
            e.text = None
    compacto = etree.tostring(raiz, xml_declaration=True, encoding="UTF-8")
    assert compacto != dados
    assert de_bytes(compacto) == d
    # one value changed by hand: refused as altered or damaged
    linha = next(x for x in dados.splitlines() if b'k="realizada">' in x)
    v = linha.split(b">")[1].split(b"<")[0]
    alterado = dados.replace(linha, linha.replace(v, str(Decimal(v.decode()) + 1).encode()), 1)
    with pytest.raises(ArquivoInvalido, match="alterado fora do programa ou está danificado"):
        de_bytes(alterado, "x.OPS")


def test_caracteres_invalidos_em_xml_sao_descartados_ao_salvar(municipio):
    d = Declaracao(municipio, 2025, 1)
    d.aplicar(DefinirTexto("secretario_nome", "Ana\x0bMaria\x00 Souza\r\n2"))
    lida = de_bytes(para_bytes(d))
    assert lida.texto("secretario_nome") == "AnaMaria Souza\r\n2"


def test_texto_longo_demais_nao_e_gravado(municipio, tmp_path):
    d = Declaracao(municipio, 2025, 1)
    # The model refuses it while typing; the file format refuses it again on save.
    with pytest.raises(EdicaoInvalida, match="no máximo 2000"):
        d.aplicar(DefinirTexto("secretario_nome", "x" * 2001))
    d._textos["secretario_nome"] = "x" * 2001
    with pytest.raises(ErroGravacao, match="máximo é 2000"):
        salvar(d, tmp_path / "x.OPS")
    assert not (tmp_path / "x.OPS").exists()
    assert list(tmp_path.iterdir()) == []


def test_salvar_guarda_a_versao_anterior_como_bak(municipio, tmp_path):
    arq = tmp_path / "M355030_2025_PrimeiroBimestre.OPS"
    d = Declaracao(municipio, 2025, 1)
    salvar(d, arq)
    assert not (tmp_path / (arq.name + ".bak")).exists()
    primeira = arq.read_bytes()
    d.aplicar(DefinirLancamento(ChaveReceita.de("1.1.1.2.50.0.1"), "realizada", Decimal("1")))
    assert d.modificada
    salvar(d, arq)
    assert not d.modificada
    bak = tmp_path / "M355030_2025_PrimeiroBimestre.OPS.bak"
    assert bak.read_bytes() == primeira
    assert ler(bak) == Declaracao(municipio, 2025, 1)
    assert ler(arq) == d
    assert sorted(p.name for p in tmp_path.iterdir()) == [arq.name, bak.name]  # no temp left


def test_falha_ao_salvar_mantem_o_arquivo_e_fala_portugues(municipio, tmp_path):
    arq = tmp_path / "pasta-que-e-arquivo"
    arq.write_text("não sou pasta")
    with pytest.raises(ErroGravacao) as exc:
        salvar(Declaracao(municipio, 2025, 1), arq / "x.OPS")
    assert "Não foi possível salvar x.OPS" in str(exc.value)
    assert "o arquivo anterior foi mantido" in str(exc.value)
    assert arq.read_text() == "não sou pasta"


# --- frozen samples and versions ---------------------------------------------------------------

AMOSTRAS = sorted((DADOS / f"ops-{versoes.VERSAO_ATUAL}").glob("*.OPS"))
AMOSTRAS_V1 = sorted((DADOS / "ops-1").glob("*.OPS"))
AMOSTRAS_V2 = sorted((DADOS / "ops-2").glob("*.OPS"))


def test_ha_amostras_congeladas_de_cada_versao_e_esfera():
    assert set(versoes.ESQUEMAS) == set(range(1, versoes.VERSAO_ATUAL + 1))
    for v in versoes.ESQUEMAS:
        assert sorted((DADOS / f"ops-{v}").glob("*.OPS")), f"falta amostra da versão {v}"
    for amostras in (AMOSTRAS, AMOSTRAS_V1, AMOSTRAS_V2):
        assert {p.name[:1] + p.name.split("_")[0][1:3] for p in amostras} >= {"M35", "E35", "E53"}


@pytest.mark.parametrize("amostra", AMOSTRAS, ids=lambda p: p.name)
def test_amostra_congelada_continua_abrindo_com_o_mesmo_conteudo(amostra):
    d = ler(amostra)
    esperado = (amostra.parent / (amostra.name + ".csv")).read_text(encoding="utf-8")
    assert exportar_csv(d) == esperado
    linhas = list(csv.reader(esperado.splitlines(), delimiter=";"))
    assert len(linhas) > 500
    assert amostra.name.startswith(d.ente.codigo)
    assert not d.avisos_formato  # the current version: nothing converted


@pytest.mark.parametrize("amostra", AMOSTRAS_V1, ids=lambda p: p.name)
def test_amostra_da_versao_1_e_convertida_para_o_razao_e_diz_o_que_mudou(amostra):
    """Version 1 typed the Anexo 12 cell by cell (and the fonte and elemento tables apart):
    every value of the file is still there — a typed cell as typed, an Anexo 12 leaf through its
    ledger line — except the views now computed, each one that differs named in the notice."""
    d = ler(amostra)
    cat = d.catalogo
    esperado = (amostra.parent / (amostra.name + ".csv")).read_text(encoding="utf-8")
    linhas = list(csv.reader(esperado.splitlines(), delimiter=";"))[1:]
    celulas = [(t, lin, k, v) for t, lin, k, v in linhas if t != "campo"]
    assert len(celulas) > 500
    avisos = "\n".join(d.avisos_formato)
    assert d.avisos_formato[0].startswith("O arquivo está no formato 1")
    assert "só será gravado no formato novo quando você salvar" in avisos
    vistas = 0
    for t, lin, k, v in celulas:
        chave, valor = (t, lin, k), Decimal(v)
        if chave in cat.agregadas and cat.classificador.linha_canonica(chave) is None:
            vistas += 1
            if d.valor(chave) != valor:
                assert cat.descricao_celula(chave) in avisos
            continue
        assert d.valor(chave) == valor, chave
    assert vistas > 10  # fonte and elemento were in the sample
    assert len(d.razao()) > 60
    assert amostra.read_bytes() == amostra.read_bytes()  # opening never rewrites (frozen)


@pytest.mark.parametrize("amostra", AMOSTRAS_V2, ids=lambda p: p.name)
def test_amostra_da_versao_2_leva_xiv_e_xv_para_o_razao_sem_mudar_valores(amostra):
    """Version 2 typed the apuração's deductions XIV and XV; version 3 computes them from the
    ledger (modalidades 36/46/76/96 and 35/45/75/95, issue 25 item 5). Every value of the file
    is the same after the conversion — XIV and XV included, now carried by ledger lines moved
    to those modalidades — and the notice says what moved."""
    d = ler(amostra)
    esperado = (amostra.parent / (amostra.name + ".csv")).read_text(encoding="utf-8")
    linhas = list(csv.reader(esperado.splitlines(), delimiter=";"))[1:]
    celulas = [tuple(x) for x in linhas if x[0] not in ("campo", "razao") and len(x) == 4]
    assert len(celulas) > 500
    for t, lin, k, v in celulas:
        assert d.valor((t, lin, k)) == Decimal(v), (t, lin, k)
    avisos = "\n".join(d.avisos_formato)
    assert d.avisos_formato[0].startswith("O arquivo está no formato 2")
    deducoes = [
        c
        for c in celulas
        if c[0] == "apuracao" and c[1] in ("recursos_minimo_nao_aplicado", "rp_cancelados")
    ]
    assert deducoes and all(d.valor((t, lin, k)) == Decimal(v) for t, lin, k, v in deducoes)
    assert "modalidade de aplicação 36" in avisos and "modalidade de aplicação 35" in avisos
    modalidades = {k.modalidade for k in d.razao() if isinstance(k, ChaveDespesa)}
    assert {"36", "35"} <= modalidades
    assert amostra.read_bytes() == amostra.read_bytes()


def test_passos_de_conversao_sao_aplicados_em_ordem():
    """The upgrade machinery, with two throw-away steps (version 1 has no real one yet)."""
    vistos = []

    def passo(n):
        def converter(raiz):
            vistos.append(n)
            raiz.set("passo", str(n))
            return raiz

        return versoes.Passo(n, f"passo {n}", converter)

    passos = (passo(1), passo(2), passo(3))
    raiz = etree.Element("x")
    assert versoes.atualizar(raiz, 2, passos).get("passo") == "3"
    assert vistos == [2, 3]
    vistos.clear()
    versoes.atualizar(raiz, 1, passos)
    assert vistos == [1, 2, 3]
    with pytest.raises(RuntimeError):
        versoes.atualizar(raiz, 1, (passo(2),))
    assert versoes.atualizar(raiz, versoes.VERSAO_ATUAL) is raiz  # current: nothing to do


def test_versao_do_namespace():
    assert versoes.versao_do_namespace("urn:siops-desktop:ops:1") == 1
    assert versoes.versao_do_namespace("urn:siops-desktop:ops:12") == 12
    for ns in (
        "urn:siops-desktop:ops:",
        "urn:siops-desktop:ops:01",
        "urn:x:1",
        "urn:siops-desktop:ops:1a",
        "urn:siops-desktop:ops:١",
    ):
        assert versoes.versao_do_namespace(ns) is None


# --- hardened parsing --------------------------------------------------------------------------


def test_xxe_nunca_le_o_arquivo_referido(tmp_path):
    segredo = tmp_path / "segredo.txt"
    segredo.write_text("SEGREDO-123")
    dados = (
        f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file://{segredo}">]>'
        f'<declaracao xmlns="{NS}">&x;</declaracao>'
    ).encode()
    with pytest.raises(ArquivoInvalido) as exc:
        de_bytes(dados, "a.OPS")
    assert "DOCTYPE" in str(exc.value) and "SEGREDO" not in str(exc.value)


def test_dtd_escondida_apos_bom_ou_em_minusculas_tambem_e_recusada():
    for dados in (
        b"\xef\xbb\xbf<!DOCTYPE a [<!ENTITY b 'c'>]><a>&b;</a>",
        b"<?xml version='1.0'?>\n\n<!DOCTYPE a><a/>",
    ):
        with pytest.raises(ArquivoInvalido, match="DOCTYPE"):
            de_bytes(dados, "a.OPS")


def test_mensagem_tem_o_nome_e_a_linha():
    with pytest.raises(ArquivoInvalido) as exc:
        de_bytes(b"<a>\n<b>\n</a>", "M355030_2025_PrimeiroBimestre.OPS")
    e = exc.value
    assert str(e).startswith("Arquivo M355030_2025_PrimeiroBimestre.OPS, linha 3: ")
    assert e.linha == 3 and e.origem == "M355030_2025_PrimeiroBimestre.OPS"


def test_hash_do_resumo_e_sha256_da_forma_canonica(municipio):
    from siops.ops_format.formato import conteudo_de
    from siops.ops_format.resumo import canonico_v3

    d = Declaracao(municipio, 2025, 1)
    d.aplicar(DefinirTexto("secretario_nome", "Zé\tda Silva"))
    d.aplicar(DefinirLancamento(ChaveDespesa.de("4", "301", "3.3.90.39"), "empenhada", D1))
    canon = canonico_v3(conteudo_de(d))
    assert canon.startswith(b"siops-desktop .OPS 3\nente\tM355030\n")
    assert b'campo\tsecretario_nome\t"Z\xc3\xa9\\tda Silva"\n' in canon
    assert b"d\tempenhada=1.00\tn=3390390000\tp=4\ts=301\n" in canon  # one line per element
    raiz = etree.fromstring(para_bytes(d))
    assert raiz[-1].text == hashlib.sha256(canon).hexdigest()


# --- properties --------------------------------------------------------------------------------


TEXTOS = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=80)
VALORES = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999999999999999.99"), places=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(dados=st.data())
def test_propriedade_ida_e_volta(municipio_fixo, dados):
    d = Declaracao(municipio_fixo, 2025, dados.draw(st.integers(1, 6)))
    cat = d.catalogo
    campos = dados.draw(st.lists(st.sampled_from(sorted(cat.campos)), max_size=6, unique=True))
    for cid in campos:
        d.aplicar(DefinirTexto(cid, dados.draw(TEXTOS)))
    editaveis = sorted(k for k in cat.editaveis if cat.editavel(k, d.bimestre))
    for k in dados.draw(st.lists(st.sampled_from(editaveis), max_size=8, unique=True)):
        d.aplicar(DefinirCelula(k, dados.draw(VALORES)))
    lida = de_bytes(para_bytes(d), "prop.OPS")
    # documented rule: characters XML 1.0 cannot carry are dropped, then the text is trimmed
    invalidos = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
    esperado = {c: invalidos.sub("", t).strip() for c, t in d.textos().items()}
    assert lida.textos() == {c: t for c, t in esperado.items() if t}
    assert dict(lida.celulas_digitadas()) == dict(d.celulas_digitadas())


def test_bom_e_fim_de_linha_do_windows_sao_aceitos():
    amostra = DADOS / "ops-1" / "M355030_2025_SextoBimestre.OPS"
    dados = amostra.read_bytes()
    d = ler(amostra)
    assert de_bytes(b"\xef\xbb\xbf" + dados) == d
    assert de_bytes(dados.replace(b"\n", b"\r\n")) == d  # e.g. git autocrlf on Windows
    assert "\n" in d.texto("conselho_lei")
