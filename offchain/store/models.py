"""SQLAlchemy tables of the index: tokens, the events they came from, block checkpoints, state, and the
market's order book (signed Seaport orders accepted) and sales (settled on Seaport).

Big on-chain integers (uint256 code, seed) are stored as hex strings so SQLite and PostgreSQL
hold them alike (prices: wei as decimal strings); block numbers and token ids fit a signed 64-bit BigInteger.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import BigInteger, Boolean, Index, Integer, String, Text, text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from offchain.store.rarity import rarity_of_mains

ZERO_ADDRESS = "0x" + "00" * 20


class Base(DeclarativeBase):
    """Declarative base of every latentkin table."""


TRAITS = 8


def shown_digit(trait: int) -> int:
    """0-based position, in Genome.to_hex(), of trait ``trait``'s shown (main) nibble: the hex is 64 digits of
    code then 16 of attrs, big-endian, and trait i's byte is ``sub << 4 | main``."""
    return 79 - 2 * trait


def _shown(trait: int) -> Callable[[Any], str]:
    """Column default: the shown nibble of ``trait``, read from the row's genome (every insert fills it)."""
    return lambda context: str(context.get_current_parameters()["genome"][shown_digit(trait)])


def _rarity(context: Any) -> int:
    """Column default: the row's rarity weight (offchain/store/rarity.py), read from its genome."""
    genome = context.get_current_parameters()["genome"]
    return rarity_of_mains(tuple(int(genome[shown_digit(trait)], 16) for trait in range(TRAITS)))


class Token(Base):
    """One character as of the last indexed block: genome, owner, lineage, and its traits' shown nibbles
    (decoded from the genome, so each gallery filter has an index: see migration 0006)."""

    __tablename__ = "tokens"
    __table_args__ = (
        Index("ix_tokens_owner_id", "owner", "id"),
        Index("ix_tokens_generation_id", "generation", "id"),
        Index(
            "ix_tokens_offered_id",
            "id",
            sqlite_where=text("offer_fuser IS NOT NULL"),
            postgresql_where=text("offer_fuser IS NOT NULL"),
        ),
        *(Index(f"ix_tokens_trait_{i}_id", f"trait_{i}", "id") for i in range(TRAITS)),
        Index("ix_tokens_rarity_id", "rarity", "id"),  # the gallery's rarest-first sort (migration 0007)
    )

    # On SQLite an INTEGER PRIMARY KEY: the rowid itself, so the table is stored in id order.
    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=False)
    owner: Mapped[str] = mapped_column(String(42))
    genome: Mapped[str] = mapped_column(String(80))  # Genome.to_hex()
    trait_0: Mapped[str] = mapped_column(String(1), default=_shown(0))  # one hex digit
    trait_1: Mapped[str] = mapped_column(String(1), default=_shown(1))
    trait_2: Mapped[str] = mapped_column(String(1), default=_shown(2))
    trait_3: Mapped[str] = mapped_column(String(1), default=_shown(3))
    trait_4: Mapped[str] = mapped_column(String(1), default=_shown(4))
    trait_5: Mapped[str] = mapped_column(String(1), default=_shown(5))
    trait_6: Mapped[str] = mapped_column(String(1), default=_shown(6))
    trait_7: Mapped[str] = mapped_column(String(1), default=_shown(7))
    # The fewer of the 16^8 shown-nibble combinations look like it, the rarer (offchain/store/rarity.py).
    rarity: Mapped[int] = mapped_column(BigInteger, default=_rarity)
    parent_a: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    parent_b: Mapped[int] = mapped_column(BigInteger, default=0, index=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)
    fusion_count: Mapped[int] = mapped_column(Integer, default=0)
    cooldown_until: Mapped[int] = mapped_column(BigInteger, default=0)
    seed: Mapped[str | None] = mapped_column(String(64), nullable=True)  # fusion / public-mint seed
    completer: Mapped[str | None] = mapped_column(String(42), nullable=True)  # who completed its request
    genome_verified: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    minted_block: Mapped[int] = mapped_column(BigInteger, index=True)
    updated_block: Mapped[int] = mapped_column(BigInteger, index=True)
    # The current owner's fusion offer: the zero address = anyone (then price > 0); NULL = none.
    offer_fuser: Mapped[str | None] = mapped_column(String(42), nullable=True, index=True)
    offer_price: Mapped[str | None] = mapped_column(String(40), nullable=True)  # wei, decimal
    # How a fused child was made: 0 crossover, 1 blend (latentkin_core.genome.FusionMode); NULL for gen-0.
    fusion_mode: Mapped[int | None] = mapped_column(Integer, nullable=True)


class Event(Base):
    """A decoded contract log, kept for history and to roll back after a reorg."""

    __tablename__ = "events"
    __table_args__ = (Index("ix_events_block_log", "block_number", "log_index", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    block_number: Mapped[int] = mapped_column(BigInteger)
    block_hash: Mapped[str] = mapped_column(String(66))
    log_index: Mapped[int] = mapped_column(Integer)
    tx_hash: Mapped[str] = mapped_column(String(66))
    name: Mapped[str] = mapped_column(String(40), index=True)
    args: Mapped[str] = mapped_column(Text)  # JSON, big ints as decimal strings


class Checkpoint(Base):
    """Hash of a block the indexer has read up to; compared with the chain to detect reorgs."""

    __tablename__ = "checkpoints"

    number: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    hash: Mapped[str] = mapped_column(String(66))


class State(Base):
    """Key/value facts of the index: chain id, contract address, renderer hash, cursor."""

    __tablename__ = "state"

    key: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


TIME_MAX = 2**63 - 1  # the latest time a BigInteger holds, far past any block's timestamp
ACTIVE = "active"  # an order still in the book
# Why an order left the book: Seaport filled or cancelled it, the offerer's counter moved past it, it ran out
# of time, the listed token changed owner, or it was used in a fusion after it was listed.
RETIRED = ("filled", "cancelled", "counter", "expired", "transferred", "fused")


class MarketOrder(Base):
    """A signed order for one latentkin token, as accepted by ``POST /orders`` (or retired since)."""

    __tablename__ = "orders"
    # A token's listings or offers in one index range (migration 0008: /market?tokens=, the for-sale filter).
    __table_args__ = (Index("ix_orders_token_status_side", "token_id", "status", "side"),)

    hash: Mapped[str] = mapped_column(String(66), primary_key=True)  # Seaport's order hash, 0x-hex
    side: Mapped[str] = mapped_column(String(8), index=True)  # "listing" | "offer"
    token_id: Mapped[int] = mapped_column(BigInteger)
    maker: Mapped[str] = mapped_column(String(42), index=True)
    currency: Mapped[str] = mapped_column(String(42))  # the zero address for ETH
    start_price: Mapped[str] = mapped_column(String(78))
    end_price: Mapped[str] = mapped_column(String(78))
    royalty: Mapped[str] = mapped_column(String(78))  # at the start price
    # Seconds, saturated at TIME_MAX (seaport-js's default endTime is 2^256-1): compared with block timestamps,
    # a saturated time is as late as the exact one. The exact times are in ``body``.
    start_time: Mapped[int] = mapped_column(BigInteger)
    end_time: Mapped[int] = mapped_column(BigInteger, index=True)
    counter: Mapped[str] = mapped_column(String(78))
    fusion_count: Mapped[int] = mapped_column(Integer)  # the token's fusions when it was listed
    status: Mapped[str] = mapped_column(String(16), default=ACTIVE, index=True)
    created_block: Mapped[int] = mapped_column(BigInteger)
    retired_block: Mapped[int | None] = mapped_column(BigInteger, nullable=True, index=True)
    body: Mapped[str] = mapped_column(Text)  # the signed order, seaport-js JSON


class Sale(Base):
    """A latentkin token changing hands through Seaport (an ``OrderFulfilled`` log), ours or any marketplace's."""

    __tablename__ = "sales"
    __table_args__ = (Index("ix_sales_block_log", "block_number", "log_index", unique=True),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    token_id: Mapped[int] = mapped_column(BigInteger, index=True)
    order_hash: Mapped[str] = mapped_column(String(66))
    side: Mapped[str] = mapped_column(String(8))  # the filled order's: a listing bought, or an offer accepted
    seller: Mapped[str] = mapped_column(String(42))
    buyer: Mapped[str] = mapped_column(String(42))
    currency: Mapped[str] = mapped_column(String(42))
    price: Mapped[str] = mapped_column(String(78))  # everything the buyer paid, royalty included
    royalty: Mapped[str] = mapped_column(String(78))  # of it, what went to the ERC-2981 receiver
    block_number: Mapped[int] = mapped_column(BigInteger)
    log_index: Mapped[int] = mapped_column(Integer)
    tx_hash: Mapped[str] = mapped_column(String(66))
    timestamp: Mapped[int] = mapped_column(BigInteger)
