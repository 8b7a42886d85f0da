"""The gallery's rarest-first sort: ``tokens.rarity`` (how many of the 16^8 shown-nibble combinations look like
the character, by the shipped correspondence table: offchain/store/rarity.py), filled for every indexed token and
indexed with the id.

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

from latentkin_core.genome import Genome
from offchain.store.rarity import rarity_weight

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``rarity``, fill it from each token's genome, make it required and index it with the id."""
    op.add_column("tokens", sa.Column("rarity", sa.BigInteger, nullable=True))
    bind = op.get_bind()
    tokens = sa.table("tokens", sa.column("id", sa.BigInteger), sa.column("genome", sa.String), sa.column("rarity"))
    rows = bind.execute(sa.select(tokens.c.id, tokens.c.genome)).all()
    if rows:
        bind.execute(
            tokens.update().where(tokens.c.id == sa.bindparam("token_id")).values(rarity=sa.bindparam("weight")),
            [{"token_id": i, "weight": rarity_weight(Genome.from_hex(genome))} for i, genome in rows],
        )
    with op.batch_alter_table("tokens") as batch:
        batch.alter_column("rarity", existing_type=sa.BigInteger, nullable=False)
    op.create_index("ix_tokens_rarity_id", "tokens", ["rarity", "id"])


def downgrade() -> None:
    """Drop the index and the column."""
    op.drop_index("ix_tokens_rarity_id", "tokens")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("rarity")
