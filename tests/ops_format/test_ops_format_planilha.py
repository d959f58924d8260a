"""CSV interchange through the real CLI on .OPS files: export → import into a new file →
export gives the identical CSV."""

from __future__ import annotations

from siops.ops_format import ler, salvar


def test_exportar_importar_em_arquivo_novo_exportar_da_o_mesmo_csv(completa, siops, tmp_path):
    origem = tmp_path / "origem.OPS"
    salvar(completa("M355030", 2025, 6, semente=7), origem)
    r = siops("exportar", origem, "--formato", "csv")
    assert r.returncode == 0, r.stderr
    csv1 = r.stdout
    assert len(csv1.splitlines()) > 600 and "campo;secretario_nome;;" in csv1
    (tmp_path / "dados.csv").write_text(csv1, encoding="utf-8")

    novo = tmp_path / "novo.OPS"
    r = siops("novo", "--ente", "M355030", "--exercicio", "2025", "--bimestre", "6", "-o", novo)
    assert r.returncode == 0, r.stderr
    r = siops("importar-planilha", novo, tmp_path / "dados.csv")
    assert r.returncode == 0, r.stderr
    r = siops("exportar", novo, "--formato", "csv")
    assert r.returncode == 0, r.stderr
    assert r.stdout == csv1
    assert ler(novo) == ler(origem)
