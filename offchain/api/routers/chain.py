"""The chain as the page needs it before any wallet is connected: head, block pace, mint terms."""

from __future__ import annotations

from fastapi import APIRouter

from offchain.api.deps import ChainStatusDep
from offchain.api.schemas import ChainStatusBody, ErrorBody

router = APIRouter(prefix="/chain", tags=["chain"])


@router.get("/status", response_model=ChainStatusBody, responses={503: {"model": ErrorBody}})
def chain_status(reader: ChainStatusDep) -> ChainStatusBody:
    """Head block, seconds per block, public mint price / cap / minted, fusion fee (503 when the chain is down)."""
    s = reader.status()
    return ChainStatusBody(
        chain_id=s.chain_id,
        head=s.head,
        head_timestamp=s.head_timestamp,
        block_seconds=s.block_seconds,
        mint_price_wei=str(s.mint_price_wei),
        mint_cap=s.mint_cap,
        minted=s.minted,
        fusion_fee_wei=str(s.fusion_fee_wei),
    )
