"""The package ``siops.ops_format``: its names, some loaded on first use."""

from __future__ import annotations

import subprocess
import sys

import pytest

import siops.ops_format as pacote
from siops.ops_format import importacao, transmissao


def test_nomes_adiados_sao_os_dos_modulos():
    from siops.ops_format import (
        ContagemPasta,
        Importacao,
        destino_transmissao,
        gravar_transmissao,
        importar_anterior,
    )

    assert importar_anterior is importacao.importar_anterior
    assert Importacao is importacao.Importacao and ContagemPasta is importacao.ContagemPasta
    assert gravar_transmissao is transmissao.gravar_transmissao
    assert destino_transmissao is transmissao.destino_transmissao
    for nome in pacote.__all__:
        assert getattr(pacote, nome) is not None


def test_nome_inexistente():
    with pytest.raises(AttributeError, match="has no attribute 'nada'"):
        pacote.nada  # noqa: B018
    with pytest.raises(ImportError):
        from siops.ops_format import nada  # noqa: F401


def test_abrir_arquivo_nao_carrega_importacao_nem_transmissao(tmp_path):
    """Reading a file (the client's first frame) loads neither the import of the previous
    bimestre nor the transmission copy."""
    from siops.forms.declaracao import Declaracao
    from siops.forms.entes import ente

    arq = tmp_path / "M355030_2025_PrimeiroBimestre.OPS"
    pacote.salvar(Declaracao(ente("M355030"), 2025, 1), arq)
    codigo = (
        "import sys; from siops.ops_format import ler; ler(sys.argv[1]); "
        "print(sorted(m for m in sys.modules if m.startswith('siops.ops_format.')))"
    )
    r = subprocess.run(
        [sys.executable, "-c", codigo, str(arq)], capture_output=True, text=True, check=True
    )
    carregados = r.stdout
    assert "siops.ops_format.formato" in carregados
    assert "importacao" not in carregados and "transmissao" not in carregados
