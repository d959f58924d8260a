"""O ambiente Alembic do servidor: roda as revisões na conexão que ``migracoes.migrar`` passa
em ``config.attributes["conexao"]`` (nunca abre outra, nem lê um ``alembic.ini``).

No PostgreSQL a transação das migrações começa pela trava consultiva ``TRAVA_MIGRACAO``: os
workers (e uma segunda máquina) que partem juntos migram um de cada vez, e quem chega depois vê
a versão já atualizada e não faz nada. Importar este módulo fora do Alembic não faz nada.
"""

from alembic import context

from siops.servidor.migracoes import TRAVA_MIGRACAO


def rodar() -> None:
    """Executa as revisões pendentes (chamado pelo Alembic ao carregar este arquivo)."""
    conexao = context.config.attributes["conexao"]
    context.configure(connection=conexao, target_metadata=None, render_as_batch=True)
    with context.begin_transaction():
        if conexao.dialect.name == "postgresql":
            conexao.exec_driver_sql(f"SELECT pg_advisory_xact_lock({TRAVA_MIGRACAO})")
        context.run_migrations()


if getattr(context, "config", None) is not None:  # só quando o Alembic carrega o arquivo
    rodar()
