"""A senha do "esqueceu a senha" fica pendente até ser usada (a atual segue valendo).

Um banco SQLite criado pelo servidor antes das migrações pode já ter a coluna (o antigo
``CREATE TABLE`` a trazia): só é acrescentada se falta.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    colunas = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("usuarios")}
    if "senha_pendente_hash" not in colunas:
        op.add_column("usuarios", sa.Column("senha_pendente_hash", sa.Text(), nullable=True))


def downgrade() -> None:
    op.drop_column("usuarios", "senha_pendente_hash")
