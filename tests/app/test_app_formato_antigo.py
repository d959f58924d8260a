"""Opening a file of format version 1 (the Anexo 12 typed cell by cell) in the window and
through the CLI: converted to the ledger, the user told what changed, the file left as it was
until saved (issue 19, item 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

AMOSTRA = Path(__file__).resolve().parents[1] / "data" / "ops-1" / "M355030_2025_SextoBimestre.OPS"


def test_janela_abre_o_formato_1_e_diz_o_que_mudou(janela, qtbot, ambiente):
    arq = ambiente / AMOSTRA.name
    shutil.copy(AMOSTRA, arq)
    antes = arq.read_bytes()
    assert janela.abrir_arquivo(arq)
    titulos = [t for t, _, _ in janela.dialogos.mensagens]
    assert "Arquivo do formato antigo" in titulos
    _, texto, detalhes = janela.dialogos.mensagens[titulos.index("Arquivo do formato antigo")]
    assert "formato 1" in texto and "quando você salvar" in texto
    assert "agora calculado do razão" in detalhes  # the summary views that changed
    assert arq.read_bytes() == antes  # never rewritten silently
    assert not janela.documento.declaracao.modificada
