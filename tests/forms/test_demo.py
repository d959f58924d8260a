"""The demo declaration: complete, coherent, exactly one aviso left on purpose (issue 9)."""

from __future__ import annotations

import pytest

from siops.criticas import verificar
from siops.forms.demo import AVISO_DE_PROPOSITO, declaracao_demo


def test_demo_tem_um_aviso_e_nenhuma_impeditiva():
    d = declaracao_demo()
    achados = verificar(d)
    assert [a.impeditiva for a in achados] == [False]
    assert (achados[0].tabela, achados[0].linha) == AVISO_DE_PROPOSITO
    ind = d.indicadores(d.coluna_apuracao)
    # a small município applying a plausible share (between the minimum and 35%)
    assert 15 < ind.percentual < 35
    assert d.ente.descricao == "Município de Monteiro Lobato/SP"


@pytest.mark.parametrize(
    ("ente", "bimestre"), [("E35", 2), ("E53", 6), ("M355030", 6), ("M130260", 1)]
)
def test_demo_de_outros_entes_sem_impeditivas(ente, bimestre):
    d = declaracao_demo(ente, 2026, bimestre)
    assert not [a for a in verificar(d) if a.impeditiva], [
        a.mensagem for a in verificar(d) if a.impeditiva
    ]
