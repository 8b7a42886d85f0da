"""The live/smooth measure of each gene, on drawings whose answers are known, and on the reference portrait."""

from __future__ import annotations

import numpy as np
import pytest

from renderer.gene_effects import LIVE_AT, gene_effects, largest_block_change, random_genomes, summary
from renderer.portrait.draw import PortraitPool
from renderer.table import load_table


def test_largest_block_change_is_the_worst_block_mean():
    a = np.zeros((1, 16, 16, 3), np.uint8)
    b = a.copy()
    b[0, :4, :4] = 64  # 16 of the first block's 64 pixels: mean 16
    b[0, 8:, 8:, 0] = 30  # a whole block, one channel of three: mean 10
    assert largest_block_change(a, b).tolist() == [16.0]


def _painter(genes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Gene 0 paints block 0 in proportion (smooth); gene 1 paints block 1 in a scrambled order (not smooth);
    gene 2 paints 1/255 (not live); the others do nothing."""
    out = np.zeros((len(genes), 128, 128, 3), np.uint8)
    out[:, :8, :8] = (genes[:, 0] * 12)[:, None, None, None]
    out[:, 8:16, :8] = ((genes[:, 1].astype(np.int64) * 11 % 16) * 12)[:, None, None, None]
    out[:, 16:24, :8] = genes[:, 2][:, None, None, None] % 2
    return out


def test_live_and_smooth_on_known_drawings():
    genes, values = random_genomes(32, 1, load_table())
    effects = gene_effects(_painter, genes, values)
    assert effects[0].live and effects[0].smooth and effects[0].change_8 >= 8 * 12 * 0.5
    assert effects[1].live and not effects[1].smooth
    assert not effects[2].live and not effects[3].live
    counts = summary(effects)
    assert (counts["live"], counts["smooth"], counts["live_at"]) == (2, 1, LIVE_AT)


def test_measure_wants_128_px_pictures():
    genes, values = random_genomes(2, 1, load_table())
    with pytest.raises(ValueError, match="128 px"):
        gene_effects(lambda g, v: np.zeros((len(g), 64, 64, 3), np.uint8), genes, values)


@pytest.mark.slow
def test_reference_portrait_gives_every_gene_a_visible_smooth_say():
    """Issue 21's bar on the picture training imitates: >= 60 of 64 genes live, >= 48 smooth (32 genomes)."""
    genes, values = random_genomes(32, 7, load_table())
    with PortraitPool(2) as pool:  # one pool for the 129 batches
        counts = summary(gene_effects(lambda g, v: pool.draw(g, v, 128), genes, values))
    dead = [g["index"] for g in counts["genes"] if not g["live"]]
    assert counts["live"] >= 60, dead
    assert counts["smooth"] >= 48
