"""O esquema SQLite do servidor (criado na primeira partida; ``meta.versao_esquema`` numera as
mudanças futuras, que entram como passos ordenados aqui).

Índices únicos parciais guardam as regras que não podem falhar nem sob concorrência: um só
papel ativo por ente (exceto admin), uma só transmissão vigente por ente e período, uma só
homologação válida por protocolo, cada digest aceito uma só vez, cada documento assinado usado
uma só vez.
"""

import sqlite3

ESQUEMA = """
CREATE TABLE IF NOT EXISTS meta (chave TEXT PRIMARY KEY, valor TEXT NOT NULL);
INSERT OR IGNORE INTO meta VALUES ('versao_esquema', '1');

CREATE TABLE IF NOT EXISTS usuarios (
    cpf TEXT PRIMARY KEY,
    nome TEXT NOT NULL,
    email TEXT NOT NULL DEFAULT '',
    telefone TEXT NOT NULL DEFAULT '',
    senha_hash TEXT,
    falhas INTEGER NOT NULL DEFAULT 0,
    bloqueado_ate TEXT,
    senha_enviada_em TEXT,
    senha_pendente_hash TEXT
);

CREATE TABLE IF NOT EXISTS papeis (
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
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
    id INTEGER PRIMARY KEY,
    digest TEXT,
    codigo TEXT NOT NULL,
    erro TEXT NOT NULL,
    cpf TEXT,
    em TEXT NOT NULL
);
"""

#: Colunas acrescentadas depois da primeira versão: ``(tabela, coluna, definição)``. Um banco
#: criado antes as recebe na partida (``colunas_novas``); o ``CREATE TABLE`` acima já as traz
#: para um banco novo.
COLUNAS_NOVAS: tuple[tuple[str, str, str], ...] = (
    # a senha do "esqueceu a senha" fica pendente até ser usada (a atual segue valendo)
    ("usuarios", "senha_pendente_hash", "TEXT"),
)


def colunas_novas(con: sqlite3.Connection) -> None:
    """Acrescenta as ``COLUNAS_NOVAS`` que faltam num banco criado por uma versão anterior."""
    for tabela, coluna, definicao in COLUNAS_NOVAS:
        existentes = {r[1] for r in con.execute(f"PRAGMA table_info({tabela})")}
        if coluna not in existentes:
            con.execute(f"ALTER TABLE {tabela} ADD COLUMN {coluna} {definicao}")
