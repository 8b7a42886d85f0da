"""The gallery's sort and filters as one validated query, and the SQL that answers it.

A trait filter matches the trait's *expressed* (main) nibble, decoded from the genome into its own column
(``tokens.trait_i``, one hex digit, see offchain/store/models.py), and every filter has a (filter, id)
index, so a page reads its rows in id order from an index and stops after ``limit`` matches, at any size of
the collection. A trait value usually covers several nibbles (``Eyes:Open`` is 0-4): the page is then the
merge of one ordered, limited read per nibble of the filter with the fewest, never a sort of every match;
with an owner, the owner's tokens are read in id order instead (per nibble, PostgreSQL intersected all of the
owner's and the nibble's index entries and sorted them: work that grew with the collection).

Two more orders: rarest first reads the (rarity, id) index (offchain/store/rarity.py); cheapest or dearest
first lists the characters for sale only, by their price now (offchain/store/for_sale.py), from the book's
active listings. Their pages go by position (the cursor counts the rows already shown): a price moves with time.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import ColumnElement, Select, select, union_all
from sqlalchemy.orm import InstrumentedAttribute, Session

from offchain.errors import InvalidRequestError
from offchain.store.for_sale import listed_by_owner, prices_now
from offchain.store.models import Token, shown_digit
from offchain.store.queries import token_info
from offchain.token.info import TokenInfo
from offchain.token.metadata import TraitTable

GallerySort = Literal["newest", "oldest", "rarest", "cheapest", "dearest"]
BY_POSITION: frozenset[str] = frozenset({"rarest", "cheapest", "dearest"})  # paged by position, not by id
MAX_FUSIONS = 16  # LatentKin.MAX_FUSIONS: a token that has fused this often never becomes ready again


def main_nibble_position(trait: int) -> int:
    """1-based position, in Genome.to_hex(), of trait ``trait``'s expressed (main) nibble."""
    return shown_digit(trait) + 1


def trait_column(trait: int) -> InstrumentedAttribute[str]:
    """The column holding trait ``trait``'s shown nibble."""
    column: InstrumentedAttribute[str] = getattr(Token, f"trait_{trait}")
    return column


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
    now: int | None = None  # the chain's time, needed by the price sorts (a Dutch auction's price now)


def gallery_tokens(session: Session, q: GalleryQuery, limit: int, cursor: int | None) -> list[TokenInfo]:
    """Up to ``limit`` tokens in ``q.sort`` order, after ``cursor``: the last id of the previous page, or for the
    sorts in BY_POSITION the number of rows shown before."""
    where = _filters(q)
    if q.sort in BY_POSITION:
        return [token_info(row) for row in session.scalars(_by_position(q, where).offset(cursor or 0).limit(limit))]
    newest = q.sort == "newest"
    order = Token.id.desc() if newest else Token.id
    if cursor is not None:
        where.append(Token.id < cursor if newest else Token.id > cursor)
    driver = min(q.traits, key=lambda t: len(t.nibbles), default=None)
    if driver is None or len(driver.nibbles) == 1 or q.owner is not None:  # the owner's (owner, id) range, in order
        query = select(Token).where(*where).order_by(order).limit(limit)
    else:  # one index range per nibble, each read in order and cut at ``limit``, then merged
        column = trait_column(driver.index)
        branches = [
            select(Token.id).where(*where, column == format(n, "x")).order_by(order).limit(limit).subquery()
            for n in driver.nibbles
        ]
        ids = union_all(*(select(b.c.id) for b in branches)).subquery()
        query = select(Token).where(Token.id.in_(select(ids.c.id))).order_by(order).limit(limit)
    return [token_info(row) for row in session.scalars(query)]


def _by_position(q: GalleryQuery, where: list[ColumnElement[bool]]) -> Select[Token]:
    """Rarest first (the fewest look-alikes, then the oldest), or the characters for sale by their price now."""
    if q.sort == "rarest":
        return select(Token).where(*where).order_by(Token.rarity, Token.id)
    if q.now is None:
        raise InvalidRequestError("sorting by price needs the chain's time, and neither the chain nor the index has it")
    price = prices_now(q.now)
    order = price.c.price.asc() if q.sort == "cheapest" else price.c.price.desc()
    return select(Token).join(price, price.c.token_id == Token.id).where(*where).order_by(order, Token.id)


def _filters(q: GalleryQuery) -> list[ColumnElement[bool]]:
    """The WHERE terms of ``q``'s filters (owner, generation, traits, readiness, for sale)."""
    where: list[ColumnElement[bool]] = []
    if q.owner is not None:
        where.append(Token.owner == q.owner)
    if q.generation is not None:
        where.append(Token.generation == q.generation)
    for t in q.traits:
        where.append(trait_column(t.index).in_([format(n, "x") for n in t.nibbles]))
    if q.ready is not None and q.head is not None:
        ready = (Token.cooldown_until <= q.head) & (Token.fusion_count < MAX_FUSIONS)
        where.append(ready if q.ready else ~ready)
    if q.for_sale is not None:
        where.append(listed_by_owner() if q.for_sale else ~listed_by_owner())
    return where
