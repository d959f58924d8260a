"""Esquema inicial (a versão 1 do servidor, antes das migrações Alembic).

Tudo com ``IF NOT EXISTS``: um banco SQLite criado pelo servidor antes das migrações já tem
estas tabelas, e esta revisão só passa a registrá-lo em ``alembic_version``.

Revision ID: 0001
Revises:
"""

from alembic import op

from siops.servidor.esquema import comandos

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

DDL = """
CREATE TABLE IF NOT EXISTS usuarios (
    cpf TEXT PRIMARY KEY,
    nome TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    telefone TEXT NOT NULL DEFAULT '',
    senha_hash TEXT,
    falhas INTEGER NOT NULL DEFAULT 0,
    bloqueado_ate TEXT,
    senha_enviada_em TEXT
);

CREATE TABLE IF NOT EXISTS papeis (
    id {ID},
    ente TEXT NOT NULL,
    papel TEXT NOT NULL,
    cpf TEXT NOT NULL REFERENCES usuarios(cpf),
    cadastrado_por TEXT,
    cadastrado_em TEXT NOT NULL,
    documento_digest TEXT,
    anulado_em TEXT,
    motivo_anulacao TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS papel_ativo_unico
    ON papeis(ente, papel) WHERE anulado_em IS NULL AND papel <> 'admin';
CREATE INDEX IF NOT EXISTS papeis_cpf ON papeis(cpf) WHERE anulado_em IS NULL;

CREATE TABLE IF NOT EXISTS sessoes (
    token_hash TEXT PRIMARY KEY,
    cpf TEXT NOT NULL REFERENCES usuarios(cpf),
    criada_em TEXT NOT NULL,
    expira_em TEXT NOT NULL,
    revogada INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX IF NOT EXISTS sessoes_cpf ON sessoes(cpf);

-- digest: SHA-256 do conteúdo canônico ASSINADO (com o Nonce), não dos bytes recebidos; os bytes
-- fora da assinatura (declaração XML, quebras de linha, comentários fora da raiz) não fazem de
-- um documento usado um documento novo (servidor.documentos).
CREATE TABLE IF NOT EXISTS documentos_usados (
    digest TEXT PRIMARY KEY,
    tipo TEXT NOT NULL,
    cpf TEXT NOT NULL,
    usado_em TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS transmissoes (
    id {ID},
    protocolo TEXT NOT NULL UNIQUE,
    digest TEXT NOT NULL UNIQUE,
    ente TEXT NOT NULL,
    uf TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    bimestre INTEGER NOT NULL,
    tamanho INTEGER NOT NULL,
    signatario_cpf TEXT NOT NULL,
    signatario_nome TEXT NOT NULL,
    usuario_cpf TEXT NOT NULL,
    recebido_em TEXT NOT NULL,
    situacao TEXT NOT NULL,
    recibo TEXT,
    avisos TEXT NOT NULL DEFAULT '[]',
    retransmissao_id INTEGER
);
CREATE UNIQUE INDEX IF NOT EXISTS transmissao_vigente_unica
    ON transmissoes(ente, exercicio, bimestre)
    WHERE situacao IN ('transmitido', 'homologado');
CREATE INDEX IF NOT EXISTS transmissoes_periodo ON transmissoes(uf, exercicio, bimestre);

CREATE TABLE IF NOT EXISTS homologacoes (
    id {ID},
    protocolo TEXT NOT NULL REFERENCES transmissoes(protocolo),
    cpf TEXT NOT NULL,
    nome TEXT NOT NULL,
    homologado_em TEXT NOT NULL,
    documento_digest TEXT NOT NULL UNIQUE,
    digest_demonstrativo TEXT,
    demonstrativo_recebido INTEGER NOT NULL DEFAULT 0,
    anulada_em TEXT,
    recibo TEXT
);
CREATE UNIQUE INDEX IF NOT EXISTS homologacao_valida_unica
    ON homologacoes(protocolo) WHERE anulada_em IS NULL;

CREATE TABLE IF NOT EXISTS retransmissoes (
    id {ID},
    ente TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    bimestre INTEGER NOT NULL,
    justificativa TEXT NOT NULL,
    solicitante_cpf TEXT NOT NULL,
    solicitada_em TEXT NOT NULL,
    documento_digest TEXT NOT NULL,
    situacao TEXT NOT NULL,
    autorizada_em TEXT,
    autorizada_por TEXT,
    observacao TEXT,
    utilizada_por TEXT
);

CREATE TABLE IF NOT EXISTS referencia_fns (
    ente TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    bimestre INTEGER NOT NULL,
    item TEXT NOT NULL,
    valor TEXT NOT NULL,
    carregado_em TEXT NOT NULL,
    PRIMARY KEY (ente, exercicio, bimestre, item)
);

CREATE TABLE IF NOT EXISTS entregas_externas (
    ente TEXT NOT NULL,
    exercicio INTEGER NOT NULL,
    bimestre INTEGER NOT NULL,
    registrado_em TEXT NOT NULL,
    PRIMARY KEY (ente, exercicio, bimestre)
);

CREATE TABLE IF NOT EXISTS recusas (
    id {ID},
    digest TEXT,
    codigo TEXT NOT NULL,
    erro TEXT NOT NULL,
    cpf TEXT,
    em TEXT NOT NULL
);
"""


def upgrade() -> None:
    for comando in comandos(DDL, op.get_bind().dialect.name):
        op.execute(comando)


def downgrade() -> None:
    raise NotImplementedError("o esquema inicial não se desfaz")
