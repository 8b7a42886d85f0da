"""A character's rarity as one number the gallery can sort by (``tokens.rarity``, indexed with the id).

The correspondence table (renderer/table.py) maps each trait's 16 shown nibbles to its values, several nibbles
to a common value and one to a legendary one: a value's chance is its nibbles / 16 (``value_probabilities``).
The chance of a character's eight shown values together is the product of the eight, so the count of the 16^8
equally likely shown-nibble combinations that look like it, the product of the eight nibble counts, orders the
characters exactly as that chance does, in whole numbers: the fewer, the rarer (1 to 16^8)."""

from __future__ import annotations

import math
from functools import lru_cache

from latentkin_core.genome import TRAITS, Genome
from renderer.table import Table, load_table

NibbleCounts = tuple[tuple[int, ...], ...]  # [trait][shown nibble]: how many nibbles show the same value


def rarity_weight(genome: Genome, table: Table | None = None) -> int:
    """How many of the 16^8 shown-nibble combinations show ``genome``'s eight values (fewer = rarer), by the
    shipped correspondence table unless ``table`` is given."""
    return rarity_of_mains(genome.mains, table)


def rarity_of_mains(mains: tuple[int, ...], table: Table | None = None) -> int:
    """:func:`rarity_weight` of a genome whose eight shown (main) nibbles are ``mains``, trait 0 first."""
    counts = shipped_nibble_counts() if table is None else nibble_counts(table)
    return math.prod(counts[i][nibble] for i, nibble in enumerate(mains))


def nibble_counts(table: Table) -> NibbleCounts:
    """For each trait and shown nibble, how many of the trait's 16 nibbles show the same value in ``table``."""
    return tuple(
        tuple(len(table.nibbles_of(i, table.value_index(i, nibble))) for nibble in range(16)) for i in range(TRAITS)
    )


@lru_cache(maxsize=1)
def shipped_nibble_counts() -> NibbleCounts:
    """:func:`nibble_counts` of the shipped table, worked out once (the index fills ``tokens.rarity`` on every
    insert: asking the table each time was a sixth of a catch-up's indexing time, py-spy on
    benchmarks/index_scale.py)."""
    return nibble_counts(load_table())
