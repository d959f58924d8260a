"""The transmission copy in transm/: refused while críticas impeditivas exist (the real
``criticas.verificar``), written atomically under the standard name otherwise."""

from __future__ import annotations

from decimal import Decimal

import pytest

from siops.criticas import verificar
from siops.forms.declaracao import DefinirTexto
from siops.ops_format import TransmissaoRecusada, caminhos, gravar_transmissao, ler, salvar


@pytest.fixture
def sem_impeditivas(completa):
    d = completa("M355480", 2025, 2)
    for campo, texto in (
        ("percentual_lei_organica", "18"),
        ("chefe_cpf", "529.982.247-25"),
        ("secretario_cpf", "111.444.777-35"),
    ):
        d.aplicar(DefinirTexto(campo, texto))
    assert not [a for a in verificar(d) if a.impeditiva]
    return d


@pytest.fixture
def com_impeditiva(sem_impeditivas):
    d = sem_impeditivas
    emp = d.valor(("despesas_asps", "s301_31", "empenhada"))
    chave = ("despesas_asps", "s301_31", "liquidada")  # through its ledger line
    d.aplicar(d.comando_celula(chave, emp + Decimal("1000")))
    assert [a for a in verificar(d) if a.impeditiva]
    return d


def test_grava_a_copia_em_transm_com_o_nome_padrao(sem_impeditivas, siops_home):
    d = sem_impeditivas
    ops = caminhos.caminho_padrao(d.ente, 2025, 2)
    salvar(d, ops)
    copia = gravar_transmissao(d, ops, verificar(d))
    assert (
        copia
        == siops_home / "MUNICIPAL/2025/SegundoBimestre/transm/M355480_2025_SegundoBimestre.OPS"
    )
    assert copia.read_bytes() == ops.read_bytes()
    assert ler(copia) == d
    gravar_transmissao(d, ops, verificar(d))  # again: replaced, no backup litter in transm/
    assert [p.name for p in copia.parent.iterdir()] == [copia.name]


def test_recusa_com_impeditivas_e_nada_e_gravado(com_impeditiva, tmp_path):
    ops = tmp_path / "x.OPS"
    with pytest.raises(TransmissaoRecusada) as exc:
        gravar_transmissao(com_impeditiva, ops, verificar(com_impeditiva))
    assert "impeditiva" in str(exc.value)
    assert exc.value.impeditivas and all(a.impeditiva for a in exc.value.impeditivas)
    assert not (tmp_path / "transm").exists()


def test_cli_gravar_transmissao(sem_impeditivas, com_impeditiva, siops, tmp_path):
    ok = tmp_path / "ok" / "M355480_2025_SegundoBimestre.OPS"
    ruim = tmp_path / "ruim" / "M355480_2025_SegundoBimestre.OPS"
    salvar(com_impeditiva, ruim)
    r = siops("gravar-transmissao", ruim)
    assert r.returncode == 1, r.stderr
    assert "crítica 510 (impeditiva)" in r.stderr
    assert r.stderr.splitlines()[-1].startswith("siops: Há ")
    assert "Nenhum arquivo foi gravado." in r.stderr and "Traceback" not in r.stderr
    assert not (ruim.parent / "transm").exists()

    emp = com_impeditiva.valor(("despesas_asps", "s301_31", "empenhada"))
    com_impeditiva.aplicar(
        com_impeditiva.comando_celula(("despesas_asps", "s301_31", "liquidada"), emp)
    )
    salvar(com_impeditiva, ok)
    r = siops("gravar-transmissao", ok)
    assert r.returncode == 0, r.stderr
    copia = ok.parent / "transm" / ok.name
    assert r.stdout.strip() == str(copia)
    assert copia.read_bytes() == ok.read_bytes()

    r = siops("gravar-transmissao", tmp_path / "ruim" / "nao_ha.OPS")
    assert r.returncode == 2 and "não foi encontrado" in r.stderr
