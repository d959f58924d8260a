"""docs/criticas.md is the generator's output for the current rule catalog (issue 20)."""

from __future__ import annotations

from pathlib import Path

from siops.criticas import REGRAS
from siops.criticas.documentar import documento

DOC = Path(__file__).resolve().parents[2] / "docs" / "criticas.md"


def test_docs_criticas_esta_atualizado():
    assert DOC.read_text(encoding="utf-8") == documento(), (
        "docs/criticas.md está desatualizado: rode "
        "`python -m siops.criticas.documentar > docs/criticas.md`"
    )


def test_cada_regra_tem_uma_linha_com_a_severidade_por_bimestre():
    texto = documento()
    for codigo, r in REGRAS.items():
        linha = next(x for x in texto.splitlines() if x.startswith(f"| {codigo} |"))
        no6 = "**impeditiva**" if r.escala_no_6o or r.severidade == "impeditiva" else "aviso"
        assert linha.split(" | ")[4] == no6
    # 612 (base zerada) blocks in every bimestre; 514 (ASPS acima da dotação) only in the 6º.
    assert "| 612 |" in texto and "| 514 |" in texto
