"""The gallery's sort and filters as one validated query, and the SQL that answers it.

A trait filter matches the trait's *expressed* (main) nibble inside the stored genome hex, so it
runs in the database (SQLite and PostgreSQL alike) without decoding every genome: genome hex is
64 digits of code then 16 of attrs, big-endian, and trait i's byte is ``sub << 4 | main``, so its
main nibble is hex digit ``79 - 2i`` (0-based), i.e. ``substr(genome, 80 - 2i, 1)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from offchain.errors import InvalidRequestError
from offchain.store.for_sale import listed_by_owner
from offchain.store.models import Token
from offchain.store.queries import token_info
from offchain.token.info import TokenInfo
from offchain.token.metadata import TraitTable

GallerySort = Literal["newest", "oldest"]
MAX_FUSIONS = 16  # LatentKin.MAX_FUSIONS: a token that has fused this often never becomes ready again


def main_nibble_position(trait: int) -> int:
    """1-based position, in Genome.to_hex(), of trait ``trait``'s expressed (main) nibble."""
    return 80 - 2 * trait


@dataclass(frozen=True)
class TraitFilter:
    """Trait ``index`` shows one of ``nibbles`` (every nibble the table maps to the asked value)."""

    index: int
    nibbles: tuple[int, ...]


def parse_trait(text: str, table: TraitTable) -> TraitFilter:
    """``"Hair style:Long"`` -> the nibbles of that value; InvalidRequestError (422) naming what exists."""
    name, sep, value = text.partition(":")
    names = list(table.trait_names)
    if not sep or name.strip() not in names:
        raise InvalidRequestError(f"trait filter {text!r}: write 'Trait:Value', trait one of {', '.join(names)}")
    index = names.index(name.strip())
    values = {n: table.trait_value(index, n) for n in range(16)}
    nibbles = tuple(n for n, v in values.items() if v == value.strip())
    if not nibbles:
        known = ", ".join(sorted(set(values.values())))
        raise InvalidRequestError(f"{name.strip()} has no value {value.strip()!r}; values: {known}")
    return TraitFilter(index, nibbles)


@dataclass(frozen=True)
class GalleryQuery:
    """What the gallery asks for: order, owner, generation, traits, readiness at block ``head``."""

    sort: GallerySort = "newest"
    owner: str | None = None
    generation: int | None = None
    traits: Sequence[TraitFilter] = ()
    ready: bool | None = None
    head: int | None = None  # needed when ready is set
    for_sale: bool | None = None  # true: only tokens their owner lists in the book; false: only the others


def gallery_tokens(session: Session, q: GalleryQuery, limit: int, cursor: int | None) -> list[TokenInfo]:
    """Up to ``limit`` tokens in ``q.sort`` order, after ``cursor`` (the last id of the previous page)."""
    query = select(Token)
    if q.sort == "newest":
        query = query.order_by(Token.id.desc())
        if cursor is not None:
            query = query.where(Token.id < cursor)
    else:
        query = query.order_by(Token.id)
        if cursor is not None:
            query = query.where(Token.id > cursor)
    if q.owner is not None:
        query = query.where(Token.owner == q.owner)
    if q.generation is not None:
        query = query.where(Token.generation == q.generation)
    for t in q.traits:
        digits = [format(n, "x") for n in t.nibbles]
        query = query.where(func.substr(Token.genome, main_nibble_position(t.index), 1).in_(digits))
    if q.ready is not None and q.head is not None:
        ready = (Token.cooldown_until <= q.head) & (Token.fusion_count < MAX_FUSIONS)
        query = query.where(ready if q.ready else ~ready)
    if q.for_sale is not None:
        query = query.where(listed_by_owner() if q.for_sale else ~listed_by_owner())
    return [token_info(row) for row in session.scalars(query.limit(limit))]
