"""The feature regions hold what the traits Eyes, Mouth and Glasses change in the reference portrait, little else."""

from __future__ import annotations

import numpy as np

from renderer.portrait.draw import EYES, GLASSES, MOUTH, draw_portrait
from renderer.portrait.regions import feature_mask, feature_masks
from renderer.traits import TRAIT_SIZES

SIZE = 96


def _coverage(trait: int, genes: np.ndarray, values: list[int], mask: np.ndarray) -> float:
    """Share of the pixels that change (> 24/255) across the trait's values that lie inside ``mask``."""
    drawn = [
        draw_portrait(genes, [v if k == trait else values[k] for k in range(8)], SIZE).astype(int)
        for v in range(TRAIT_SIZES[trait])
    ]
    changed = np.zeros((SIZE, SIZE), bool)
    for image in drawn[1:]:
        changed |= np.abs(image - drawn[0]).max(axis=-1) > 24
    return float((changed & mask).sum() / max(1, changed.sum()))


def test_the_regions_hold_what_eyes_mouths_and_glasses_change():
    rng = np.random.default_rng(4)
    genomes = rng.integers(0, 16, size=(6, 64))
    genomes[:3, 3] = [0, 15, 0]  # head tilt at both extremes: the regions turn with the head
    masks = feature_masks(genomes, SIZE)
    for genes, mask in zip(genomes, masks, strict=True):
        values = [int(rng.integers(0, n)) for n in TRAIT_SIZES]
        assert _coverage(EYES, genes, values, mask) >= 0.9
        assert _coverage(MOUTH, genes, values, mask) >= 0.9
        assert _coverage(GLASSES, genes, values, mask) >= 0.7  # the temples run on to the ears
        assert 0.03 <= mask.mean() <= 0.15  # the features, not the face


def test_a_tilted_head_needs_its_regions_turned():
    genes = np.full(64, 8)
    genes[3] = 15  # tilted right by 10 degrees
    level = genes.copy()
    level[3] = 7  # nearly level
    assert (feature_mask(genes, SIZE) != feature_mask(level, SIZE)).mean() > 0.005
