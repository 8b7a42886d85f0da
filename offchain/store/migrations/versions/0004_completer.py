"""Who completed the request that made each token (the Fused / PublicMinted event's completer).

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add tokens.completer, empty (the indexer fills it from the stored events)."""
    op.add_column("tokens", sa.Column("completer", sa.String(42), nullable=True))


def downgrade() -> None:
    """Drop tokens.completer."""
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("completer")
