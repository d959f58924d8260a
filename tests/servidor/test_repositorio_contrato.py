"""O contrato do ``Repositorio``, o mesmo teste contra o SQLite e contra um PostgreSQL real
(``tests/apoio_postgres``: ``initdb`` + ``pg_ctl`` descartáveis; sem o pacote, o teste FALHA).

Além das regras de cada operação, a concorrência: muitas threads — e, no PostgreSQL, dois
repositórios (dois *pools*, como dois workers) — fazendo a mesma operação atômica ao mesmo tempo
não duplicam nada: um só aceite por digest, uma só vigente por período, uma só solicitação
pendente, no máximo ``limite`` tentativas de senha reservadas.
"""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from siops.servidor import migracoes
from siops.servidor import modelos as m
from siops.servidor.repositorio import ConflitoEstado, NovaTransmissao
from siops.servidor.repositorio_postgres import RepositorioPostgres
from siops.servidor.repositorio_sqlite import RepositorioSQLite

AGORA = "2025-03-10T10:00:00-03:00"
ENTE = "M330455"


@pytest.fixture(params=["sqlite", "postgresql"])
def abrir(request, tmp_path, postgres_se_pedido):
    """Abre repositórios sobre o MESMO banco novo (chamar duas vezes = dois "workers")."""
    if request.param == "sqlite":
        caminho = tmp_path / "servidor.sqlite3"
        fabrica = lambda: RepositorioSQLite(caminho)  # noqa: E731
    else:
        url = postgres_se_pedido().novo_banco("contrato")
        fabrica = lambda: RepositorioPostgres(url, conexoes=24)  # noqa: E731
    abertos = []

    def abrir_um():
        r = fabrica()
        abertos.append(r)
        return r

    yield abrir_um
    for r in abertos:
        r.fechar()


@pytest.fixture
def postgres_se_pedido(request):
    """O cluster só é iniciado pelos casos PostgreSQL."""
    return lambda: request.getfixturevalue("postgres")


@pytest.fixture
def repo(abrir):
    return abrir()


def nova(n: int, ente: str = ENTE, bimestre: int = 1) -> NovaTransmissao:
    return NovaTransmissao(
        digest=hashlib.sha256(f"{ente}-{bimestre}-{n}".encode()).hexdigest(),
        ente=ente,
        uf="RJ",
        exercicio=2025,
        bimestre=bimestre,
        tamanho=1000 + n,
        signatario_cpf="52998224725",
        signatario_nome="TÉCNICO",
        usuario_cpf="52998224725",
        recebido_em=AGORA,
        avisos="[]",
    )


def test_aceitar_idempotente_e_substituicao(repo):
    t1, criada = repo.aceitar(nova(1))
    assert criada and t1.situacao == m.TRANSMITIDO and t1.protocolo.startswith("2025")
    again, criada = repo.aceitar(nova(1))
    assert not criada and again.protocolo == t1.protocolo
    t2, criada = repo.aceitar(nova(2))
    assert criada and t2.protocolo != t1.protocolo
    assert repo.transmissao(t1.protocolo).situacao == m.SUBSTITUIDA
    assert repo.vigente(ENTE, 2025, 1).protocolo == t2.protocolo
    assert repo.transmissao_por_digest(nova(2).digest).protocolo == t2.protocolo
    assert [t.protocolo for t in repo.listar_transmissoes()] == [t1.protocolo, t2.protocolo]
    assert set(repo.vigentes_do_periodo("RJ", 2025, 1)) == {ENTE}
    assert repo.houve_entrega(ENTE, 2025, 1) and not repo.houve_entrega(ENTE, 2025, 2)
    repo.registrar_entrega_externa(ENTE, 2025, 2, AGORA)
    repo.registrar_entrega_externa(ENTE, 2025, 2, AGORA)  # repetir não é erro
    assert repo.houve_entrega(ENTE, 2025, 2)
    repo.definir_recibo(t2.protocolo, "<recibo/>")
    assert repo.transmissao(t2.protocolo).recibo == "<recibo/>"
    assert repo.vigentes_duplicados() == []
    assert repo.verificar_integridade() == "ok"


def test_homologacao_e_retransmissao(repo):
    t, _ = repo.aceitar(nova(1))
    h = repo.homologar(t.protocolo, "111", "GESTOR", AGORA, "doc-h1", None)
    assert h.protocolo == t.protocolo and h.id
    assert repo.homologacao(t.protocolo).id == h.id
    with pytest.raises(ConflitoEstado) as e:
        repo.homologar(t.protocolo, "111", "GESTOR", AGORA, "doc-h2", None)
    assert e.value.codigo == "ja_homologado"
    with pytest.raises(ConflitoEstado) as e:
        repo.aceitar(nova(2))
    assert e.value.codigo == "periodo_homologado"
    with pytest.raises(ConflitoEstado) as e:  # o mesmo documento assinado não vale duas vezes
        repo.solicitar_retransmissao(ENTE, 2025, 1, "erro", "111", AGORA, "doc-h1")
    assert e.value.codigo == "documento_reutilizado"
    s = repo.solicitar_retransmissao(ENTE, 2025, 1, "erro", "111", AGORA, "doc-r1")
    assert s.situacao == m.SOLICITADA
    with pytest.raises(ConflitoEstado) as e:
        repo.solicitar_retransmissao(ENTE, 2025, 1, "erro", "111", AGORA, "doc-r2")
    assert e.value.codigo == "solicitacao_pendente"
    assert repo.autorizar_retransmissao(s.id, "999", "ok", AGORA).situacao == m.AUTORIZADA
    with pytest.raises(ConflitoEstado) as e:
        repo.autorizar_retransmissao(s.id, "999", "ok", AGORA)
    assert e.value.codigo == "nao_solicitada"
    t2, criada = repo.aceitar(nova(2))
    assert criada and t2.retransmissao_id == s.id
    assert repo.transmissao(t.protocolo).situacao == m.HOMOLOGACAO_ANULADA
    assert repo.homologacao(t.protocolo) is None
    assert repo.retransmissao(s.id).situacao == m.UTILIZADA
    assert [h.protocolo for h in repo.homologacoes_registradas()] == [t.protocolo]
    assert repo.documentos_de_homologacao() == ["doc-h1"]


def test_cadastro_sessoes_e_senhas(repo):
    r = repo.cadastrar(ENTE, m.CHEFE, "111", "Chefe Um", "c1@x", "", None, [], None, None, AGORA)
    assert r.anulados == [] and not r.identidade_preservada
    r = repo.cadastrar(ENTE, m.TECNICO, "222", "Téc", "t@x", "", "111", [], "doc-c1", "HASH", AGORA)
    assert r.senha_definida
    with pytest.raises(ConflitoEstado) as e:
        repo.cadastrar(ENTE, m.TECNICO, "333", "T3", "", "", "111", [], "doc-c1", None, AGORA)
    assert e.value.codigo == "documento_reutilizado"
    repo.criar_sessao("tok", "222", AGORA, "2025-03-10T18:00:00-03:00")
    assert not repo.sessao("tok").revogada
    r = repo.cadastrar(ENTE, m.TECNICO, "333", "T3", "", "", "111", [], "doc-c2", None, AGORA)
    assert [p.cpf for p in r.anulados] == ["222"]
    assert repo.sessao("tok").revogada  # quem perdeu o papel perdeu a sessão
    assert {p.cpf for p in repo.papeis_ativos(ente=ENTE)} == {"111", "333"}
    # tentativas de senha: no máximo ``limite`` reservadas até o bloqueio
    ate = "2025-03-10T10:15:00-03:00"
    reservadas = [repo.reservar_tentativa("222", 3, AGORA, ate).reservada for _ in range(5)]
    assert reservadas == [True, True, True, False, False]
    repo.zerar_falhas("222")
    assert repo.reservar_tentativa("222", 3, AGORA, ate).reservada
    repo.definir_senha_pendente("222", "PEND", AGORA)
    assert repo.promover_senha_pendente("222", "PEND")
    assert not repo.promover_senha_pendente("222", "PEND")
    assert repo.usuario("222").senha_hash == "PEND"
    repo.carregar_referencia([(ENTE, 2025, 1, "custeio", "10.00")], AGORA)
    repo.carregar_referencia([(ENTE, 2025, 1, "custeio", "12.00")], AGORA)
    assert [r["valor"] for r in repo.referencia(ENTE, 2025)] == ["12.00"]


def _todos(n: int, fn):
    barreira = threading.Barrier(n)

    def um(i):
        barreira.wait(timeout=60)
        try:
            return fn(i)
        except ConflitoEstado as exc:
            return exc.codigo

    with ThreadPoolExecutor(n) as ex:
        return list(ex.map(um, range(n)))


def test_concorrencia_entre_dois_repositorios(abrir):
    """Dois repositórios sobre o mesmo banco (no PostgreSQL, como dois workers), 16 threads."""
    a, b = abrir(), abrir()
    repos = [a, b]
    n = 16
    # o mesmo arquivo por 16 pedidos simultâneos: um só aceite
    r = _todos(n, lambda i: repos[i % 2].aceitar(nova(0))[1])
    assert r.count(True) == 1 and r.count(False) == n - 1
    # 16 arquivos diferentes do mesmo período: todos aceitos, uma só vigente
    r = _todos(n, lambda i: repos[i % 2].aceitar(nova(100 + i, bimestre=2))[1])
    assert all(r)
    periodo2 = [t for t in a.listar_transmissoes() if t.bimestre == 2]
    assert len(periodo2) == n and sum(t.situacao == m.TRANSMITIDO for t in periodo2) == 1
    assert len({t.protocolo for t in periodo2}) == n
    assert a.vigentes_duplicados() == []
    # homologação simultânea do mesmo protocolo: uma só
    vig = b.vigente(ENTE, 2025, 2)
    r = _todos(n, lambda i: repos[i % 2].homologar(vig.protocolo, "1", "G", AGORA, f"h{i}", None))
    assert sum(not isinstance(x, str) for x in r) == 1 and r.count("ja_homologado") == n - 1
    # solicitação de retransmissão simultânea: uma só pendente
    r = _todos(
        n,
        lambda i: repos[i % 2].solicitar_retransmissao(ENTE, 2025, 2, "j", "1", AGORA, f"s{i}"),
    )
    assert sum(not isinstance(x, str) for x in r) == 1
    assert r.count("solicitacao_pendente") == n - 1
    # tentativas de senha simultâneas: no máximo ``limite`` conferidas
    a.cadastrar(ENTE, m.CHEFE, "111", "Chefe", "", "", None, [], None, None, AGORA)
    ate = "2025-03-10T10:15:00-03:00"
    r = _todos(n, lambda i: repos[i % 2].reservar_tentativa("111", 5, AGORA, ate).reservada)
    assert r.count(True) == 5
    # um cadastro de técnico por 16 pedidos simultâneos (documentos diferentes): um ativo
    r = _todos(
        n,
        lambda i: repos[i % 2].cadastrar(
            ENTE, m.TECNICO, f"9{i:02d}", f"T{i}", "", "", "111", [], f"c{i}", None, AGORA
        ),
    )
    assert len([p for p in a.papeis_ativos(ente=ENTE) if p.papel == m.TECNICO]) == 1


def test_cabeca_das_migracoes():
    assert migracoes.cabeca_do_alembic() == migracoes.CABECA


def test_sqlite_anterior_as_migracoes_e_atualizado(tmp_path):
    """Um banco criado pelo esquema escrito à mão (sem ``alembic_version``, sem a coluna da
    senha pendente) passa pelas migrações sem perder nada."""
    ddl = subprocess.run(
        ["git", "show", "5793bed:siops/servidor/esquema.py"],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[2],
    ).stdout
    ns: dict = {}
    exec(compile(ddl, "esquema_antigo", "exec"), ns)
    caminho = tmp_path / "servidor.sqlite3"
    con = sqlite3.connect(caminho)
    con.executescript(
        ns["ESQUEMA"].replace(
            "    senha_enviada_em TEXT,\n    senha_pendente_hash TEXT", "    senha_enviada_em TEXT"
        )
    )
    con.execute("INSERT INTO usuarios(cpf, nome) VALUES ('111', 'Antigo')")
    con.commit()
    con.close()
    assert migracoes.versao(str(caminho)) is None
    repo = RepositorioSQLite(caminho)
    try:
        assert repo.usuario("111").nome == "Antigo"
        repo.definir_senha_pendente("111", "P", AGORA)
        assert repo.usuario("111").senha_pendente_hash == "P"
    finally:
        repo.fechar()
    assert migracoes.versao(str(caminho)) == migracoes.CABECA


def test_postgres_ausente_falha_com_instrucao(monkeypatch):
    """Sem os binários do PostgreSQL o teste falha (não pula), dizendo o que instalar."""
    from tests import apoio_postgres

    monkeypatch.setattr(apoio_postgres.glob, "glob", lambda _p: [])
    monkeypatch.setattr(apoio_postgres.shutil, "which", lambda _n: None)
    with pytest.raises(RuntimeError, match="apt-get install -y postgresql"):
        apoio_postgres.ClusterPostgres()
    assert sys.executable


def test_cadastros_simultaneos_nao_disputam_no_postgres(abrir):
    """CI (2 workers em PostgreSQL, 32 clientes) recebeu 503 num cadastro de técnico: os
    cadastros de entes DIFERENTES colidiam no SERIALIZABLE (os bloqueios de predicado do
    índice de ``papeis`` são por página: o mesmo técnico, ou CPFs vizinhos, em muitos entes)
    e esgotavam as repetições. Cadastros são raros (alguns por ente por ano): o PostgreSQL os
    enfileira numa trava consultiva antes da transação, e nenhum precisa ser repetido.

    Aqui: 2 repositórios, 24 threads, cada uma cadastrando secretário e técnico (o técnico é
    o mesmo CPF para as threads pares e outro para as ímpares) em 5 entes seus, ao mesmo tempo.
    """
    a, b = abrir(), abrir()
    repos = [a, b]
    n = 24
    for i in range(n):
        for j in range(5):
            a.cadastrar(
                f"M{i:02d}{j}",
                m.CHEFE,
                f"1{i:02d}{j}",
                "Chefe",
                "",
                "",
                None,
                [],
                None,
                None,
                AGORA,
            )

    def cadastros(i: int) -> int:
        r = repos[i % 2]
        for j in range(5):
            e = f"M{i:02d}{j}"
            r.cadastrar(
                e,
                m.SECRETARIO,
                f"2{i:02d}{j}",
                "Sec",
                "s@x",
                "",
                f"1{i:02d}{j}",
                [],
                f"s{e}",
                None,
                AGORA,
            )
            r.cadastrar(
                e,
                m.TECNICO,
                f"30{i % 2}",
                f"Téc {i % 2}",
                "t@x",
                "",
                f"2{i:02d}{j}",
                [],
                f"t{e}",
                None,
                AGORA,
            )
        return 5

    assert sum(_todos(n, cadastros)) == n * 5
    tecnicos = [p for p in a.papeis_ativos() if p.papel == m.TECNICO]
    assert len(tecnicos) == n * 5 and {p.cpf for p in tecnicos} == {"300", "301"}
    repeticoes = sum(getattr(r.banco, "repeticoes", 0) for r in repos)
    assert repeticoes == 0, f"{repeticoes} transações de cadastro repetidas por conflito"
