"""The portrait stream: batch k is a pure function of (seed, k), drawn ahead by worker processes."""

from __future__ import annotations

import numpy as np

from renderer.portrait.draw import draw_portrait
from renderer.table import load_table
from renderer.training.stream import PortraitStream, batch_genomes


def test_batches_are_pure_functions_of_seed_and_index():
    table = load_table()
    g1, v1 = batch_genomes(5, 3, 4, table)
    g2, v2 = batch_genomes(5, 3, 4, table)
    assert np.array_equal(g1, g2) and np.array_equal(v1, v2)
    g3, _ = batch_genomes(5, 4, 4, table)
    g4, _ = batch_genomes(6, 3, 4, table)
    assert not np.array_equal(g1, g3) and not np.array_equal(g1, g4)
    assert v1.shape == (4, 8) and all(v1[:, i].max() < n for i, n in enumerate(table.trait_sizes))


def test_a_stream_started_later_continues_with_the_same_batches():
    table = load_table()
    whole = PortraitStream(9, 2, 16, table, workers=1)
    try:
        batches = [whole.next_batch() for _ in range(3)]
    finally:
        whole.close()
    later = PortraitStream(9, 2, 16, table, start=2, workers=0)
    third = later.next_batch()
    assert later.position == 3
    assert np.array_equal(third.images, batches[2].images) and np.array_equal(third.genes, batches[2].genes)
    assert np.array_equal(batches[0].images[1], draw_portrait(batches[0].genes[1], batches[0].values[1], 16))
