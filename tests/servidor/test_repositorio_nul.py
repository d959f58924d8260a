"""Uma chave com o caractere NUL (``%00`` numa URL: ``/api/v1/transmissoes/2025…%00.xml``) é
uma chave que não existe, nos dois bancos.

O SQLite compara e não acha nada; o PostgreSQL não guarda NUL em texto e recusava a consulta
inteira (``psycopg.DataError: PostgreSQL text fields cannot contain NUL``), e a recusa virava
um 500 ``erro_interno`` — achado pela matriz de recusas rodando sobre o PostgreSQL com 2
workers (``tests/reliability/test_confiabilidade_seguranca.py``,
``test_travessia_de_caminho_no_servidor``). O contrato é o do SQLite: "não há".
"""

from __future__ import annotations

import pytest

from siops.servidor.repositorio_postgres import RepositorioPostgres
from siops.servidor.repositorio_sqlite import RepositorioSQLite

NUL = "2025000000001\x00.xml"


@pytest.fixture(params=["sqlite", "postgresql"])
def repo(request, tmp_path):
    if request.param == "sqlite":
        r = RepositorioSQLite(tmp_path / "servidor.sqlite3")
    else:
        r = RepositorioPostgres(request.getfixturevalue("postgres").novo_banco("nul"))
    yield r
    r.fechar()


def test_chave_com_nul_nao_existe(repo):
    assert repo.transmissao(NUL) is None
    assert repo.homologacao(NUL) is None
    assert repo.transmissao_por_digest("ab\x00cd") is None
    assert repo.usuario("529\x0098224725") is None
    assert repo.papeis_ativos("529\x0098224725") == []
    assert repo.papeis_ativos(None, "M33\x000455") == []
    assert repo.sessao("\x00" * 64) is None
    assert repo.documento_usado("\x00") is False
    assert repo.vigente("M33\x000455", 2025, 1) is None
    assert repo.referencia("M33\x000455", 2025) == []
