"""Reads of the index used by the API; the chain is asked only for tokens not indexed yet."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from offchain.chain import ChainReader
from offchain.errors import NotFoundError
from offchain.genome import FusionMode
from offchain.metadata import TokenInfo
from offchain.models import ZERO_ADDRESS, Token


def indexed_token(session: Session, token_id: int) -> TokenInfo | None:
    """The token as indexed, or None."""
    row = session.get(Token, token_id)
    return TokenInfo.from_row(row) if row is not None else None


def live_token(chain: ChainReader, token_id: int) -> TokenInfo:
    """The token read straight from the chain (not confirmed yet); NotFoundError if not minted.

    Raises ChainUnavailableError when the node is down.
    """
    if not chain.exists(token_id):
        raise NotFoundError(f"token {token_id} does not exist")
    lineage = chain.lineage_of(token_id)
    fused = bool(lineage.parent_a and lineage.parent_b)
    return TokenInfo(token_id, chain.owner_of(token_id), chain.genome_of(token_id),
                     lineage.parent_a, lineage.parent_b, lineage.generation,
                     lineage.fusion_count, lineage.cooldown_until,
                     fusion_mode=FusionMode(lineage.mode) if fused else None)


def token_info(session: Session, chain: ChainReader, token_id: int) -> TokenInfo:
    """Indexed token, else the chain's view of it."""
    return indexed_token(session, token_id) or live_token(chain, token_id)


def list_tokens(session: Session, owner: str | None, limit: int, after: int) -> list[TokenInfo]:
    """Tokens with id > ``after`` in id order, optionally of one (checksummed) owner."""
    query = select(Token).where(Token.id > after).order_by(Token.id).limit(limit)
    if owner is not None:
        query = query.where(Token.owner == owner)
    return [TokenInfo.from_row(row) for row in session.scalars(query)]


def list_offers(session: Session, fuser: str | None, limit: int, after: int) -> list[Token]:
    """Offered tokens with id > ``after`` in id order; with ``fuser`` (checksummed), only the
    offers that account may use: named for it or open to anyone, on tokens it does not own."""
    query = select(Token).where(Token.id > after, Token.offer_fuser.is_not(None)).order_by(Token.id).limit(limit)
    if fuser is not None:
        query = query.where(or_(Token.offer_fuser == fuser, Token.offer_fuser == ZERO_ADDRESS),
                            Token.owner != fuser)
    return list(session.scalars(query))


def children_of(session: Session, token_ids: list[int]) -> dict[int, list[TokenInfo]]:
    """Direct children of each given token, by id."""
    out: dict[int, list[TokenInfo]] = {i: [] for i in token_ids}
    if not token_ids:
        return out
    rows = session.scalars(select(Token).where(or_(Token.parent_a.in_(token_ids),
                                                   Token.parent_b.in_(token_ids))).order_by(Token.id))
    for row in rows:
        info = TokenInfo.from_row(row)
        for parent in {row.parent_a, row.parent_b}:
            if parent in out:
                out[parent].append(info)
    return out
