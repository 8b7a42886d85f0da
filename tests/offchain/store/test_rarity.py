"""The rarity weight the gallery sorts by is the table's own chance of the shown values, in whole numbers."""

from __future__ import annotations

import random

from latentkin_core.genome import random_genome
from offchain.store.rarity import rarity_weight
from renderer.table import load_table


def test_the_weight_is_the_chance_of_the_shown_values_times_16_to_the_8():
    table, rng = load_table(), random.Random(23)
    for genome in (random_genome(rng) for _ in range(200)):
        chance = 1.0
        for i in range(8):
            chance *= table.value_probabilities(i)[table.value_index(i, genome.main(i))]
        assert rarity_weight(genome) == round(chance * 16**8)
        assert 1 <= rarity_weight(genome) <= 16**8
