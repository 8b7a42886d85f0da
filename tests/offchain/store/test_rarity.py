"""The rarity weight the gallery sorts by is the table's own chance of the shown values, in whole numbers."""

from __future__ import annotations

import random

from sqlalchemy import insert, select

from latentkin_core.genome import random_genome
from offchain.store.db import make_engine, make_sessionmaker
from offchain.store.models import Token
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


def test_the_column_default_is_the_weight_of_the_genome(tmp_path):
    """``tokens.rarity`` is filled on insert from the genome's hex (the shipped table's counts worked out once)."""
    rng = random.Random(5)
    genomes = [random_genome(rng) for _ in range(100)]
    engine = make_engine(f"sqlite:///{tmp_path / 'index.sqlite3'}")
    with make_sessionmaker(engine)() as session:
        session.execute(
            insert(Token),
            [
                {"id": k + 1, "owner": "0x" + "0" * 40, "genome": g.to_hex(), "minted_block": 1, "updated_block": 1}
                for k, g in enumerate(genomes)
            ],
        )
        stored = {row.id: row.rarity for row in session.execute(select(Token.id, Token.rarity))}
    engine.dispose()
    assert stored == {k + 1: rarity_weight(g) for k, g in enumerate(genomes)}
    assert rarity_weight(genomes[0], load_table()) == rarity_weight(genomes[0])  # a table given: the same counts
