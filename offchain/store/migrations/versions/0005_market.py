"""The order book: Seaport orders the market accepted, and sales settled on Seaport.

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create ``orders`` and ``sales``, empty (the indexer reads past sales from the chain)."""
    op.create_table(
        "orders",
        sa.Column("hash", sa.String(66), primary_key=True),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("token_id", sa.BigInteger, nullable=False),
        sa.Column("maker", sa.String(42), nullable=False),
        sa.Column("currency", sa.String(42), nullable=False),
        sa.Column("start_price", sa.String(78), nullable=False),
        sa.Column("end_price", sa.String(78), nullable=False),
        sa.Column("royalty", sa.String(78), nullable=False),
        sa.Column("start_time", sa.BigInteger, nullable=False),
        sa.Column("end_time", sa.BigInteger, nullable=False),
        sa.Column("counter", sa.String(78), nullable=False),
        sa.Column("fusion_count", sa.Integer, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("created_block", sa.BigInteger, nullable=False),
        sa.Column("retired_block", sa.BigInteger, nullable=True),
        sa.Column("body", sa.Text, nullable=False),
    )
    op.create_index("ix_orders_side", "orders", ["side"])
    op.create_index("ix_orders_maker", "orders", ["maker"])
    op.create_index("ix_orders_end_time", "orders", ["end_time"])
    op.create_index("ix_orders_status", "orders", ["status"])
    op.create_index("ix_orders_retired_block", "orders", ["retired_block"])
    op.create_index("ix_orders_token_status", "orders", ["token_id", "status"])
    op.create_table(
        "sales",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("token_id", sa.BigInteger, nullable=False),
        sa.Column("order_hash", sa.String(66), nullable=False),
        sa.Column("side", sa.String(8), nullable=False),
        sa.Column("seller", sa.String(42), nullable=False),
        sa.Column("buyer", sa.String(42), nullable=False),
        sa.Column("currency", sa.String(42), nullable=False),
        sa.Column("price", sa.String(78), nullable=False),
        sa.Column("royalty", sa.String(78), nullable=False),
        sa.Column("block_number", sa.BigInteger, nullable=False),
        sa.Column("log_index", sa.Integer, nullable=False),
        sa.Column("tx_hash", sa.String(66), nullable=False),
        sa.Column("timestamp", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_sales_token_id", "sales", ["token_id"])
    op.create_index("ix_sales_block_log", "sales", ["block_number", "log_index"], unique=True)


def downgrade() -> None:
    """Drop the order book."""
    op.drop_table("sales")
    op.drop_table("orders")
