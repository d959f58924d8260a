"""Monitoramento, notificações, Sem Balanço e Módulo de Controle Externo (issue 25).

* ``notificacoes`` — cada e-mail automático (a quem, quando, por quê); ``evento`` + ``cpf`` é
  único: o mesmo evento nunca vai duas vezes à mesma pessoa, nem com vários workers. A data de
  envio registrada é a que conta os 30 dias do Decreto 7.827/2012, art. 16, II.
* ``sem_balanco`` — a classificação "Sem Balanço" (SB) de um ente num exercício, com a
  justificativa e o ofício; no máximo uma ativa por ente e exercício (a reversão a encerra).
* ``tecnicos_tc`` e ``jurisdicoes_tc`` — os técnicos dos Tribunais de Contas cadastrados pelo
  administrador, com os entes (ou UFs inteiras) sob a jurisdição de cada um.
* ``controle_externo`` — os números apurados pelo Tribunal de Contas (valor aplicado e
  percentual) de um ente num exercício; o registro mais novo prevalece (os anteriores ficam,
  com ``substituido_em``).
* ``codigos_siafi`` — o código SIAFI de cada ente (tabela do Tesouro, carregada pelo
  administrador), que nomeia a conta ``ASPS-LC141-FMS/FES-<SIAFI>-<UF>``.

Revision ID: 0003
Revises: 0002
"""

from alembic import op

from siops.servidor.esquema import comandos

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE IF NOT EXISTS notificacoes (
    id {ID},
    evento TEXT NOT NULL,
    tipo TEXT NOT NULL,
    ente TEXT NOT NULL,
    exercicio INTEGER,
    bimestre INTEGER,
    protocolo TEXT,
    cpf TEXT NOT NULL,
    nome TEXT NOT NULL,
    papel TEXT NOT NULL,
    email TEXT NOT NULL,
    assunto TEXT NOT NULL,
    motivo TEXT NOT NULL,
    situacao TEXT NOT NULL,
    criada_em TEXT NOT NULL,
    enviada_em TEXT,
    tentativas INTEGER NOT NULL DEFAULT 0,
    erro TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS notificacao_unica ON notificacoes(evento, cpf);
CREATE INDEX IF NOT EXISTS notificacoes_ente ON notificacoes(ente, exercicio);

CREATE TABLE IF NOT EXISTS sem_balanco (
    id {ID},
    ente TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    justificativa TEXT NOT NULL,
    oficio TEXT NOT NULL,
    registrado_em TEXT NOT NULL,
    registrado_por TEXT NOT NULL,
    revertido_em TEXT,
    revertido_por TEXT,
    motivo_reversao TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS sem_balanco_ativo
    ON sem_balanco(ente, exercicio) WHERE revertido_em IS NULL;

CREATE TABLE IF NOT EXISTS tecnicos_tc (
    id {ID},
    cpf TEXT NOT NULL,
    nome TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    tribunal TEXT NOT NULL,
    cadastrado_em TEXT NOT NULL,
    cadastrado_por TEXT NOT NULL,
    anulado_em TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS tecnico_tc_ativo ON tecnicos_tc(cpf) WHERE anulado_em IS NULL;

CREATE TABLE IF NOT EXISTS jurisdicoes_tc (
    tecnico_id INTEGER NOT NULL REFERENCES tecnicos_tc(id),
    alcance TEXT NOT NULL,
    PRIMARY KEY (tecnico_id, alcance)
);

CREATE TABLE IF NOT EXISTS controle_externo (
    id {ID},
    ente TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    valor_aplicado TEXT NOT NULL,
    percentual TEXT NOT NULL,
    tribunal TEXT NOT NULL,
    cpf TEXT NOT NULL,
    nome TEXT NOT NULL,
    observacao TEXT NOT NULL DEFAULT '',
    documento_digest TEXT NOT NULL,
    registrado_em TEXT NOT NULL,
    substituido_em TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS controle_externo_vigente
    ON controle_externo(ente, exercicio) WHERE substituido_em IS NULL;

CREATE TABLE IF NOT EXISTS codigos_siafi (
    ente TEXT PRIMARY KEY,
    siafi TEXT NOT NULL,
    carregado_em TEXT NOT NULL
);
"""


def upgrade() -> None:
    for comando in comandos(DDL, op.get_bind().dialect.name):
        op.execute(comando)


def downgrade() -> None:
    for tabela in (
        "codigos_siafi",
        "controle_externo",
        "jurisdicoes_tc",
        "tecnicos_tc",
        "sem_balanco",
        "notificacoes",
    ):
        op.drop_table(tabela)
