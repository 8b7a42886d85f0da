"""A character's rarity as one number the gallery can sort by (``tokens.rarity``, indexed with the id).

The correspondence table (renderer/table.py) maps each trait's 16 shown nibbles to its values, several nibbles
to a common value and one to a legendary one: a value's chance is its nibbles / 16 (``value_probabilities``).
The chance of a character's eight shown values together is the product of the eight, so the count of the 16^8
equally likely shown-nibble combinations that look like it, the product of the eight nibble counts, orders the
characters exactly as that chance does, in whole numbers: the fewer, the rarer (1 to 16^8)."""

from __future__ import annotations

from latentkin_core.genome import TRAITS, Genome
from renderer.table import Table, load_table


def rarity_weight(genome: Genome, table: Table | None = None) -> int:
    """How many of the 16^8 shown-nibble combinations show ``genome``'s eight values (fewer = rarer), by the
    shipped correspondence table unless ``table`` is given."""
    table = table or load_table()
    weight = 1
    for i in range(TRAITS):
        weight *= len(table.nibbles_of(i, table.value_index(i, genome.main(i))))
    return weight
