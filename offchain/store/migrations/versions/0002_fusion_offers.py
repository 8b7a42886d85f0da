"""The current owner's fusion offer on each token (filled from the chain by the indexer).

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
    """Add tokens.offer_fuser (indexed) and tokens.offer_price, empty."""
    op.add_column("tokens", sa.Column("offer_fuser", sa.String(42), nullable=True))
    op.add_column("tokens", sa.Column("offer_price", sa.String(40), nullable=True))
    op.create_index("ix_tokens_offer_fuser", "tokens", ["offer_fuser"])


def downgrade() -> None:
    """Drop the offer columns."""
    op.drop_index("ix_tokens_offer_fuser", "tokens")
    with op.batch_alter_table("tokens") as batch:
        batch.drop_column("offer_price")
        batch.drop_column("offer_fuser")
