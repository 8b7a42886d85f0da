"""Fill an index with many tokens straight through SQL (no chain), for the gallery's scale test and benchmark."""

from __future__ import annotations

import random

from sqlalchemy import Engine, insert, text

from latentkin_core.genome import random_genome
from offchain.store.models import Token

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
