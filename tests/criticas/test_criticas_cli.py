"""``siops validar`` exit codes and output; ``siops gravar-transmissao`` writes nothing while an
impeditiva remains (issue 4 acceptance). The CLI runs in-process through ``app.cli.main``."""

from __future__ import annotations

import json

import pytest

from siops.app.cli import main
from siops.ops_format import salvar

ASPS = ("despesas_asps", "s301_33")


@pytest.fixture
def arquivos(cx, municipio, tmp_path, pastas):
    """A clean .OPS and one with a single impeditiva (liquidada > empenhada)."""
    limpo = cx.limpa(municipio, 3)
    ruim = cx.limpa(municipio, 3)
    cx.definir(ruim, (*ASPS, "liquidada"), "200000.01")
    (tmp_path / "limpo").mkdir()
    (tmp_path / "ruim").mkdir()
    p_limpo = salvar(limpo, tmp_path / "limpo" / "M355030_2025_TerceiroBimestre.OPS")
    p_ruim = salvar(ruim, tmp_path / "ruim" / "M355030_2025_TerceiroBimestre.OPS")
    return p_limpo, p_ruim


def test_sem_criticas_sai_0(arquivos, capsys):
    limpo, _ = arquivos
    assert main(["validar", str(limpo)]) == 0
    out = capsys.readouterr().out
    assert "Nenhuma crítica encontrada: a declaração pode ser gravada para transmissão." in out


def test_uma_impeditiva_sai_1_e_nomeia_codigo_celula_e_valores(arquivos, capsys):
    _, ruim = arquivos
    assert main(["validar", str(ruim)]) == 1
    out = capsys.readouterr().out
    assert "1 crítica impeditiva" in out
    assert "[510] Despesa liquidada maior que a empenhada (computada no mínimo)" in out
    assert (
        "A despesa liquidada (R$ 200.000,01) é maior que a empenhada (R$ 200.000,00) em "
        "Atenção Básica — Despesas Correntes — Outras Despesas Correntes." in out
    )
    assert "Despesas liquidadas até o bimestre" in out  # the cell's column, in "Onde:"


def test_json(arquivos, capsys):
    _, ruim = arquivos
    assert main(["validar", str(ruim), "--json"]) == 1
    doc = json.loads(capsys.readouterr().out)
    imp = [a for a in doc["achados"] if a["impeditiva"]]
    assert [(a["codigo"], a["tabela"], a["linha"], a["coluna"]) for a in imp] == [
        (510, *ASPS, "liquidada")
    ]
    assert doc["pode_transmitir"] is False


def test_arquivo_ilegivel_sai_2_sem_traceback(tmp_path, capsys):
    lixo = tmp_path / "lixo.OPS"
    lixo.write_bytes(b"\x00\x01 isto nao e xml")
    assert main(["validar", str(lixo)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("siops: Arquivo lixo.OPS")
    assert "Traceback" not in err
    assert main(["validar", str(tmp_path / "nao_existe.OPS")]) == 2


def test_referencia_fns(arquivos, tmp_path, capsys):
    limpo, _ = arquivos
    ref = tmp_path / "fns.csv"
    ref.write_text("ente;exercicio;bimestre;custeio\nM355030;2025;3;1000,00\n", encoding="utf-8")
    assert main(["validar", str(limpo), "--referencia", str(ref)]) == 0  # 310 is an aviso in 3º
    assert "[310]" in capsys.readouterr().out
    ruim = tmp_path / "ruim.csv"
    ruim.write_text("isto;nao\n", encoding="utf-8")
    assert main(["validar", str(limpo), "--referencia", str(ruim)]) == 2
    assert "o cabeçalho deve ser" in capsys.readouterr().err


def test_anterior(arquivos, cx, municipio, tmp_path, capsys):
    limpo, _ = arquivos
    ant = cx.limpa(municipio, 2)
    cx.definir(ant, (*ASPS, "paga"), "150000.01")
    p_ant = salvar(ant, tmp_path / "M355030_2025_SegundoBimestre.OPS")
    assert main(["validar", str(limpo), "--anterior", str(p_ant)]) == 0
    assert "[515]" in capsys.readouterr().out
    # a "previous" declaration from a later bimestre makes no sense: exit 2
    assert main(["validar", str(p_ant), "--anterior", str(limpo)]) == 2
    assert "não serve de comparação" in capsys.readouterr().err


def test_gravar_transmissao_nao_grava_com_impeditiva(arquivos, capsys):
    limpo, ruim = arquivos
    assert main(["gravar-transmissao", str(ruim)]) == 1
    assert "crítica 510" in capsys.readouterr().err
    assert not (ruim.parent / "transm").exists()
    assert main(["gravar-transmissao", str(limpo)]) == 0
    assert (limpo.parent / "transm" / limpo.name).exists()
