"""Folders and names of DOMAIN §4 under the MS-SIOPS root, and ``siops novo``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from siops.forms.declaracao import Declaracao
from siops.forms.entes import ente
from siops.ops_format import caminhos, ler


def test_municipio_segue_o_dominio_exatamente(siops_home):
    tremembe = ente("M355480")
    assert caminhos.nome_arquivo(tremembe, 2013, 1) == "M355480_2013_PrimeiroBimestre.OPS"
    p = caminhos.caminho_padrao(tremembe, 2013, 1)
    assert p.relative_to(siops_home).parts == (
        "MUNICIPAL",
        "2013",
        "PrimeiroBimestre",
        "M355480_2013_PrimeiroBimestre.OPS",
    )
    assert caminhos.pasta_transmissao(tremembe, 2013, 1) == (
        siops_home / "MUNICIPAL" / "2013" / "PrimeiroBimestre" / "transm"
    )


@pytest.mark.parametrize(
    ("bimestre", "nome"),
    list(enumerate(("Primeiro", "Segundo", "Terceiro", "Quarto", "Quinto", "Sexto"), start=1)),
)
def test_nomes_dos_seis_bimestres(siops_home, bimestre, nome):
    e = ente("M355030")
    assert caminhos.nome_arquivo(e, 2025, bimestre) == f"M355030_2025_{nome}Bimestre.OPS"
    assert caminhos.pasta_declaracao(e, 2025, bimestre).name == f"{nome}Bimestre"


def test_estado_e_distrito_federal_ficam_em_estadual(siops_home):
    sp, df = ente("E35"), ente("E53")
    assert caminhos.caminho_padrao(sp, 2025, 6) == (
        siops_home / "ESTADUAL" / "2025" / "SextoBimestre" / "E35_2025_SextoBimestre.OPS"
    )
    assert df.esfera == "df"
    assert caminhos.caminho_padrao(df, 2024, 2) == (
        siops_home / "ESTADUAL" / "2024" / "SegundoBimestre" / "E53_2024_SegundoBimestre.OPS"
    )
    # Brasília's município code is the DF
    assert caminhos.nome_arquivo(ente("M530010"), 2024, 2) == "E53_2024_SegundoBimestre.OPS"


def test_extensao_imp():
    assert caminhos.nome_arquivo(ente("M355480"), 2013, 1, ".IMP") == (
        "M355480_2013_PrimeiroBimestre.IMP"
    )


def test_raiz_padrao_sem_siops_home(monkeypatch):
    monkeypatch.delenv("SIOPS_HOME", raising=False)
    if sys.platform == "win32":
        assert caminhos.raiz() == Path(r"C:\MS-SIOPS")
    else:
        import platformdirs

        assert caminhos.raiz() == Path(platformdirs.user_data_dir("MS-SIOPS", appauthor=False))
    monkeypatch.setenv("SIOPS_HOME", "  ")  # blank: ignored
    assert caminhos.raiz().name == "MS-SIOPS"


def test_siops_novo_cria_no_caminho_padrao_e_nao_sobrescreve(siops, siops_home):
    r = siops("novo", "--ente", "M355480", "--exercicio", "2013", "--bimestre", "1")
    assert r.returncode == 0, r.stderr
    esperado = siops_home / "MUNICIPAL" / "2013" / "PrimeiroBimestre"
    esperado = esperado / "M355480_2013_PrimeiroBimestre.OPS"
    assert r.stdout.strip() == str(esperado)
    assert "Tremembé" in r.stderr
    d = ler(esperado)
    assert d == Declaracao(ente("M355480"), 2013, 1)
    antes = esperado.read_bytes()
    r = siops("novo", "--ente", "M355480", "--exercicio", "2013", "--bimestre", "1")
    assert r.returncode == 2
    assert "já existe" in r.stderr and "Traceback" not in r.stderr
    assert esperado.read_bytes() == antes


def test_siops_novo_com_saida_e_estado(siops, tmp_path):
    saida = tmp_path / "outra pasta" / "minha.OPS"
    r = siops("novo", "--ente", "E53", "--exercicio", "2025", "--bimestre", "6", "-o", saida)
    assert r.returncode == 0, r.stderr
    assert Path(r.stdout.strip()) == saida
    d = ler(saida)
    assert (d.ente.codigo, d.ente.esfera, d.exercicio, d.bimestre) == ("E53", "df", 2025, 6)


@pytest.mark.parametrize(
    ("args", "trecho"),
    [
        (["--ente", "M999999", "--exercicio", "2025", "--bimestre", "1"], "M999999"),
        (["--ente", "M355030", "--exercicio", "2025", "--bimestre", "7"], "Bimestre inválido"),
        (["--ente", "M355030", "--exercicio", "1850", "--bimestre", "1"], "Exercício inválido"),
    ],
)
def test_siops_novo_recusa_argumentos_invalidos(siops, siops_home, args, trecho):
    r = siops("novo", *args)
    assert r.returncode == 2
    assert trecho in r.stderr and "Traceback" not in r.stderr
    assert not siops_home.exists()
