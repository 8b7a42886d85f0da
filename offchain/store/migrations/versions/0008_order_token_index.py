"""The order book's per-token index also holds the side: (token_id, status, side). ``/market?tokens=`` asks
for the active *listings* of a few tokens; with (token_id, status) only, SQLite (which the service never
ANALYZEs) preferred the one-column ``side`` index and walked every listing in the book.

Revision ID: 0008
Revises: 0007
"""

from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Replace ``ix_orders_token_status`` by ``ix_orders_token_status_side``."""
    op.create_index("ix_orders_token_status_side", "orders", ["token_id", "status", "side"])
    op.drop_index("ix_orders_token_status", "orders")


def downgrade() -> None:
    """Back to the (token_id, status) index."""
    op.create_index("ix_orders_token_status", "orders", ["token_id", "status"])
    op.drop_index("ix_orders_token_status_side", "orders")
