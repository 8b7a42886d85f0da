"""Every gallery filter served by an index: the shown nibble of each trait decoded into its own column, and
(filter, id) indexes for traits, owner and generation (and the offered tokens' ids, for /offers), so a filtered
page reads its rows in id order. On
SQLite ``tokens.id`` becomes an ``INTEGER PRIMARY KEY``, the rowid itself (no second B-tree to go through).

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

TRAITS = 8


def upgrade() -> None:
    """Add and fill ``trait_0`` … ``trait_7`` (one hex digit: ``substr(genome, 80 - 2i, 1)``), index them."""
    for i in range(TRAITS):
        op.add_column("tokens", sa.Column(f"trait_{i}", sa.String(1), nullable=True))
    op.execute("UPDATE tokens SET " + ", ".join(f"trait_{i} = substr(genome, {80 - 2 * i}, 1)" for i in range(TRAITS)))
    sqlite = op.get_bind().dialect.name == "sqlite"
    op.drop_index("ix_tokens_owner", "tokens")
    with op.batch_alter_table("tokens", recreate="always" if sqlite else "auto") as batch:
        if sqlite:  # the declared type must be exactly INTEGER for the key to be the rowid
            batch.alter_column("id", type_=sa.Integer, existing_type=sa.BigInteger, existing_nullable=False)
        for i in range(TRAITS):
            batch.alter_column(f"trait_{i}", existing_type=sa.String(1), nullable=False)
    for i in range(TRAITS):
        op.create_index(f"ix_tokens_trait_{i}_id", "tokens", [f"trait_{i}", "id"])
    op.create_index("ix_tokens_owner_id", "tokens", ["owner", "id"])
    op.create_index("ix_tokens_generation_id", "tokens", ["generation", "id"])
    offered = sa.text("offer_fuser IS NOT NULL")  # /offers: the offered tokens in id order, however few
    op.create_index("ix_tokens_offered_id", "tokens", ["id"], sqlite_where=offered, postgresql_where=offered)


def downgrade() -> None:
    """Drop the trait columns and the gallery's indexes (``tokens.id`` stays the rowid on SQLite)."""
    for name in [
        "ix_tokens_owner_id",
        "ix_tokens_generation_id",
        "ix_tokens_offered_id",
        *(f"ix_tokens_trait_{i}_id" for i in range(TRAITS)),
    ]:
        op.drop_index(name, "tokens")
    op.create_index("ix_tokens_owner", "tokens", ["owner"])
    with op.batch_alter_table("tokens") as batch:
        for i in range(TRAITS):
            batch.drop_column(f"trait_{i}")
