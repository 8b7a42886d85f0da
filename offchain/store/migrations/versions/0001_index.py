"""The index as first written: tokens, events, checkpoints, state.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the four tables and their indexes."""
    op.create_table(
        "tokens",
        sa.Column("id", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("owner", sa.String(42), nullable=False),
        sa.Column("genome", sa.String(80), nullable=False),
        sa.Column("parent_a", sa.BigInteger(), nullable=False),
        sa.Column("parent_b", sa.BigInteger(), nullable=False),
        sa.Column("generation", sa.Integer(), nullable=False),
        sa.Column("fusion_count", sa.Integer(), nullable=False),
        sa.Column("cooldown_until", sa.BigInteger(), nullable=False),
        sa.Column("seed", sa.String(64), nullable=True),
        sa.Column("genome_verified", sa.Boolean(), nullable=True),
        sa.Column("minted_block", sa.BigInteger(), nullable=False),
        sa.Column("updated_block", sa.BigInteger(), nullable=False),
    )
    for column in ("owner", "parent_a", "parent_b", "minted_block", "updated_block"):
        op.create_index(f"ix_tokens_{column}", "tokens", [column])
    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("block_number", sa.BigInteger(), nullable=False),
        sa.Column("block_hash", sa.String(66), nullable=False),
        sa.Column("log_index", sa.Integer(), nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("args", sa.Text(), nullable=False),
    )
    op.create_index("ix_events_name", "events", ["name"])
    op.create_index("ix_events_block_log", "events", ["block_number", "log_index"], unique=True)
    op.create_table(
        "checkpoints",
        sa.Column("number", sa.BigInteger(), primary_key=True, autoincrement=False),
        sa.Column("hash", sa.String(66), nullable=False),
    )
    op.create_table(
        "state",
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("value", sa.Text(), nullable=False),
    )


def downgrade() -> None:
    """Drop everything."""
    for table in ("state", "checkpoints", "events", "tokens"):
        op.drop_table(table)
