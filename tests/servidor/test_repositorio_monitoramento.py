"""O contrato das operações de monitoramento do ``Repositorio`` (revisão 0003), o mesmo teste
no SQLite e num PostgreSQL real (``tests/apoio_postgres``): notificação uma vez por evento e
pessoa — também com muitas threads e dois repositórios ao mesmo tempo —, Sem Balanço ativo
único e reversível, técnicos de TC e os números deles (o mais novo vigente), códigos SIAFI."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from siops.servidor import migracoes
from siops.servidor.repositorio import ConflitoEstado, NovaNotificacao, NovoControleExterno
from siops.servidor.repositorio_postgres import RepositorioPostgres
from siops.servidor.repositorio_sqlite import RepositorioSQLite

AGORA = "2026-02-03T10:00:00-03:00"
ENTE = "M140005"


@pytest.fixture(params=["sqlite", "postgresql"])
def abrir(request, tmp_path):
    if request.param == "sqlite":
        caminho = tmp_path / "servidor.sqlite3"
        fabrica = lambda: RepositorioSQLite(caminho)  # noqa: E731
    else:
        url = request.getfixturevalue("postgres").novo_banco("monitoramento")
        fabrica = lambda: RepositorioPostgres(url, conexoes=24)  # noqa: E731
    abertos = []

    def abrir_um():
        r = fabrica()
        abertos.append(r)
        return r

    yield abrir_um
    for r in abertos:
        r.fechar()


def _nova(cpf: str = "52998224725", evento: str = f"depois_prazo/{ENTE}/2025/6/0"):
    return NovaNotificacao(
        evento, "depois_prazo", ENTE, 2025, 6, None, cpf, "GESTORA", "secretario",
        "g@saude.exemplo.gov.br", "assunto", "motivo",
    )  # fmt: skip


def test_migracao_chega_a_0003():
    assert migracoes.CABECA == "0003" == migracoes.cabeca_do_alembic()


def test_notificacao_uma_vez_por_evento_e_pessoa(abrir):
    repo = abrir()
    ident = repo.reservar_notificacao(_nova(), AGORA)
    assert ident is not None
    assert repo.reservar_notificacao(_nova(), AGORA) is None  # enviando
    repo.falhar_notificacao(ident, "SMTP fora")
    assert repo.reservar_notificacao(_nova(), AGORA) == ident  # retomada depois da falha
    repo.concluir_notificacao(ident, AGORA)
    assert repo.reservar_notificacao(_nova(), AGORA) is None
    outra = repo.reservar_notificacao(_nova("11144477735"), AGORA)
    assert outra is not None and outra != ident
    repo.concluir_notificacao(outra, "2026-02-04T08:00:00-03:00")
    envios = repo.envios_de_eventos([_nova().evento, "depois_prazo/X/2025/6/0"])
    assert envios == {_nova().evento: AGORA}  # a primeira data registrada
    (n, *_) = repo.notificacoes(ENTE, 2025)
    assert (n.situacao, n.tentativas, n.enviada_em) == ("enviada", 2, AGORA)

    # dois "workers" e 16 threads pedindo a mesma reserva: uma só vence
    outro = abrir()
    novo = _nova(evento="aguardando/2026000000001")
    with ThreadPoolExecutor(16) as ex:
        ganhos = list(
            ex.map(
                lambda i: (repo if i % 2 else outro).reservar_notificacao(novo, AGORA), range(32)
            )
        )
    assert len([g for g in ganhos if g is not None]) == 1


def test_sem_balanco_tecnicos_tc_controle_externo_e_siafi(abrir):
    repo = abrir()
    sb = repo.registrar_sem_balanco(
        ENTE, 2025, "justificativa longa o bastante", "Of. 1", "adm", AGORA
    )
    with pytest.raises(ConflitoEstado) as e:
        repo.registrar_sem_balanco(ENTE, 2025, "outra justificativa longa", "Of. 2", "adm", AGORA)
    assert e.value.codigo == "sem_balanco_existente" and e.value.detalhe.id == sb.id
    assert [x.id for x in repo.sem_balanco(ENTE, 2025)] == [sb.id]
    rev = repo.reverter_sem_balanco(ENTE, 2025, "adm", "balanço achado", AGORA)
    assert rev.revertido_em == AGORA and repo.sem_balanco(ENTE) == []
    with pytest.raises(ConflitoEstado):
        repo.reverter_sem_balanco(ENTE, 2025, "adm", "de novo", AGORA)
    repo.registrar_sem_balanco(ENTE, 2025, "justificativa longa o bastante", "Of. 3", "adm", AGORA)

    t = repo.cadastrar_tecnico_tc(
        "52998224725", "TÉCNICA", "t@tce", "TCE-RR", ["UF:RR"], "adm", AGORA
    )
    assert t.alcanca(ENTE, "RR") and not t.alcanca("M355030", "SP")
    t2 = repo.cadastrar_tecnico_tc(
        "52998224725", "TÉCNICA", "t@tce", "TCE-SP", ["M355030", "E35"], "adm", AGORA
    )
    assert [x.id for x in repo.tecnicos_tc("52998224725")] == [t2.id]
    assert repo.tecnicos_tc()[0].alcance == ("E35", "M355030")
    assert repo.anular_tecnico_tc("52998224725", AGORA) and repo.tecnicos_tc() == []
    assert not repo.anular_tecnico_tc("52998224725", AGORA)

    def novo(pct: str, doc: str) -> NovoControleExterno:
        return NovoControleExterno(
            ENTE, 2025, "1000.00", pct, "TCE-RR", "52998224725", "TÉCNICA", "", doc, AGORA
        )

    c1 = repo.registrar_controle_externo(novo("16.00", "doc-1"))
    c2 = repo.registrar_controle_externo(novo("14.50", "doc-2"))
    assert [c.id for c in repo.controles_externos(ENTE, 2025)] == [c2.id] and c1.id != c2.id
    with pytest.raises(ConflitoEstado) as e:
        repo.registrar_controle_externo(novo("17.00", "doc-2"))
    assert e.value.codigo == "documento_reutilizado"
    assert repo.controles_externos(ENTE, 2025)[0].percentual == "14.50"

    assert repo.carregar_siafi([(ENTE, "0301"), ("E14", "9999")], AGORA) == 2
    repo.carregar_siafi([(ENTE, "0302")], AGORA)
    assert repo.codigos_siafi() == {ENTE: "0302", "E14": "9999"}
    assert repo.vigentes(2025) == [] and repo.ultimas_homologacoes_anuladas(2025, 6) == {}
    assert repo.homologacoes_vigentes(2025, 6) == {} and repo.entregas_externas(2025, 6) == set()
