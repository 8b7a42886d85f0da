"""How each fused child was made: 0 crossover, 1 blend (filled from the chain by the indexer).

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add tokens.fusion_mode, empty (NULL also stands for generation 0)."""
    op.add_column("tokens", sa.Column("fusion_mode", sa.Integer(), nullable=True))


def downgrade() -> None:
    """Drop the fusion mode column."""
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("fusion_mode")
