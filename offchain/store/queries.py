"""Reads of the index used by the API (tokens not indexed yet are read with ``ChainReader.token``)."""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from latentkin_core.genome import FusionMode, Genome
from offchain.store.models import ZERO_ADDRESS, Token
from offchain.token.info import TokenInfo


def token_info(row: Token) -> TokenInfo:
    """The service's view of an indexed token row."""
    return TokenInfo(
        int(row.id),
        row.owner,
        Genome.from_hex(row.genome),
        int(row.parent_a),
        int(row.parent_b),
        int(row.generation),
        int(row.fusion_count),
        int(row.cooldown_until),
        int(row.seed, 16) if row.seed else None,
        FusionMode(row.fusion_mode) if row.fusion_mode is not None else None,
        row.completer,
    )


def indexed_token(session: Session, token_id: int) -> TokenInfo | None:
    """The token as indexed, or None."""
    row = session.get(Token, token_id)
    return token_info(row) if row is not None else None


def list_offers(session: Session, fuser: str | None, limit: int, after: int) -> list[Token]:
    """Offered tokens with id > ``after`` in id order; with ``fuser`` (checksummed), only the
    offers that account may use: named for it or open to anyone, on tokens it does not own."""
    query = select(Token).where(Token.id > after, Token.offer_fuser.is_not(None)).order_by(Token.id).limit(limit)
    if fuser is not None:
        query = query.where(or_(Token.offer_fuser == fuser, Token.offer_fuser == ZERO_ADDRESS), Token.owner != fuser)
    return list(session.scalars(query))


def children_of(session: Session, token_ids: list[int]) -> dict[int, list[TokenInfo]]:
    """Direct children of each given token, by id."""
    out: dict[int, list[TokenInfo]] = {i: [] for i in token_ids}
    if not token_ids:
        return out
    rows = session.scalars(
        select(Token).where(or_(Token.parent_a.in_(token_ids), Token.parent_b.in_(token_ids))).order_by(Token.id)
    )
    for row in rows:
        info = token_info(row)
        for parent in {row.parent_a, row.parent_b}:
            if parent in out:
                out[parent].append(info)
    return out
