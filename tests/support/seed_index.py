"""Fill an index with many tokens straight through SQL (no chain), for the gallery's scale test and benchmark."""

from __future__ import annotations

import json
import random

from sqlalchemy import Engine, insert, text

from latentkin_core.genome import random_genome
from offchain.store.models import ACTIVE, MarketOrder, Token

OWNERS = [f"0x{k:040x}" for k in range(1, 41)]  # 40 holders


def seed_tokens(engine: Engine, count: int, seed: int = 1, first: int = 1) -> None:
    """Insert ``count`` random tokens with ids from ``first``: owners among 40, generations 0-5, some fused and
    cooling down, one in 50 offered for fusion; then ANALYZE, as a long-running index would have been."""
    rng = random.Random(seed)
    rows = []
    for token_id in range(first, first + count):
        generation = min(rng.choice((0, 0, 0, 1, 1, 2, 3, 4, 5)), 0 if token_id < 3 else 5)
        parents = (rng.randrange(1, token_id), rng.randrange(1, token_id)) if generation else (0, 0)
        rows.append(
            dict(
                id=token_id,
                owner=rng.choice(OWNERS),
                genome=random_genome(rng).to_hex(),
                parent_a=parents[0],
                parent_b=parents[1],
                generation=generation,
                fusion_count=rng.randrange(4),
                cooldown_until=rng.randrange(1000),
                minted_block=token_id,
                updated_block=token_id,
                fusion_mode=rng.randrange(2) if generation else None,
                offer_fuser=OWNERS[0] if token_id % 50 == 0 else None,  # one in 50 offered for fusion
                offer_price="1000" if token_id % 50 == 0 else None,
            )
        )
    with engine.begin() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(Token), rows[start : start + 5000])
        db.execute(text("ANALYZE"))


def seed_listings(engine: Engine, count: int, tokens: int, end_time: int) -> None:
    """Insert ``count`` order-book rows for tokens 1..``tokens``: listings (one in five filled, the others active
    until ``end_time``), then one offer per ten listings; order ``k`` is ``0x{k:064x}``, on token ``k % tokens + 1``.
    No ANALYZE: the service never runs it, so SQLite plans these reads without statistics."""
    offers = count // 10
    rows = [
        dict(
            hash=f"0x{k:064x}",
            side="listing" if k < count - offers else "offer",
            token_id=k % tokens + 1,
            maker=OWNERS[k % len(OWNERS)],
            currency="0x" + "00" * 20,
            start_price=str(10**18 + k),
            end_price=str(10**18 + k),
            royalty="0",
            start_time=0,
            end_time=end_time,
            counter="0",
            fusion_count=0,
            status=ACTIVE if k % 5 else "filled",
            created_block=k,
            body=_listing_body(OWNERS[k % len(OWNERS)], k % tokens + 1, 10**18 + k, end_time),
        )
        for k in range(count)
    ]
    with engine.begin() as db:
        for start in range(0, len(rows), 5000):
            db.execute(insert(MarketOrder), rows[start : start + 5000])


def _listing_body(maker: str, token_id: int, price: int, end_time: int) -> str:
    """A seaport-js order body (ERC-721 for ETH) the API can show; not signed: nothing checks it once stored."""
    zero = "0x" + "00" * 20
    parameters = {
        "offerer": maker,
        "offer": [
            {
                "itemType": 2,
                "token": "0x" + "11" * 20,
                "identifierOrCriteria": str(token_id),
                "startAmount": "1",
                "endAmount": "1",
            }
        ],
        "consideration": [
            {
                "itemType": 0,
                "token": zero,
                "identifierOrCriteria": "0",
                "startAmount": str(price),
                "endAmount": str(price),
                "recipient": maker,
            }
        ],
        "orderType": 0,
        "startTime": "0",
        "endTime": str(end_time),
        "salt": "0",
        "counter": "0",
    }
    return json.dumps({"parameters": parameters, "signature": "0x" + "00" * 65})
