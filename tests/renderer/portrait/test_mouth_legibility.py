"""The closed mouths (Grin, Sad, Serious) stay legible at 128 px: smile lines keep out of the mouth's region, and
neither deep shading nor thin lips wash the mouth's shape out."""

from __future__ import annotations

import numpy as np
import pytest

from renderer.portrait.draw import FACIAL_HAIR, MOUTH, draw_portrait
from renderer.portrait.features import GRIN, SAD, SERIOUS
from renderer.portrait.genes import GENE_INDEX, Looks
from renderer.portrait.head import Head
from renderer.portrait.regions import _unrotated_grids, mouth_region
from renderer.vocabulary import TRAIT_SIZES


def _mouth_mask(genes: np.ndarray, size: int) -> np.ndarray:
    """(size, size) bool: the pixels of the mouth's region (head tilt included)."""
    head = Head.of(Looks([int(g) for g in genes]))
    (ux,), (uy,) = _unrotated_grids([head], size)
    mx, my, rx, ry = mouth_region(head)
    return ((ux - mx) / rx) ** 2 + ((uy - my) / ry) ** 2 <= 1.0


def _largest_block_change(a: np.ndarray, b: np.ndarray) -> float:
    """The largest 8x8-block mean |difference| (0-255) between two 128 px pictures."""
    d = np.abs(a.astype(np.int16) - b.astype(np.int16)).mean(axis=2)
    return float(d.reshape(16, 8, 16, 8).mean(axis=(1, 3)).max())


def test_the_deepest_smile_lines_show_beside_the_mouth_but_never_inside_its_region():
    # the first drawing's lines ran from under the eyes past the mouth: 39-62 mouth-region pixels changed by > 16
    rng = np.random.default_rng(60)
    for _ in range(24):
        genes, values = rng.integers(0, 16, 64), [int(rng.integers(0, n)) for n in TRAIT_SIZES]
        values[FACIAL_HAIR] = 0  # no beard or moustache over the lines
        smooth, lined = genes.copy(), genes.copy()
        smooth[GENE_INDEX["smile_lines"]], lined[GENE_INDEX["smile_lines"]] = 0, 15
        change = np.abs(
            draw_portrait(smooth, values, 128).astype(np.int16) - draw_portrait(lined, values, 128).astype(np.int16)
        ).max(axis=2)
        mouth = _mouth_mask(genes, 128)
        assert (change[mouth] > 16).sum() == 0
        assert (change[~mouth] > 16).sum() >= 30  # and they are there to see


@pytest.mark.parametrize(
    ("a", "b"), [(GRIN, SERIOUS), (GRIN, SAD), (SAD, SERIOUS)], ids=["Grin-Serious", "Grin-Sad", "Sad-Serious"]
)
def test_closed_mouths_are_told_apart_under_the_deepest_shading_with_the_thinnest_lips(a, b):
    # the first drawing: 10th percentiles 6.1 (Grin-Serious), 7.2 (Grin-Sad) and 4.9 (Sad-Serious) over 32 genomes
    rng = np.random.default_rng(55)
    changes = []
    for _ in range(32):
        genes, values = rng.integers(0, 16, 64), [int(rng.integers(0, n)) for n in TRAIT_SIZES]
        genes[GENE_INDEX["shadow"]], genes[GENE_INDEX["lip_weight"]] = 15, 0
        values[MOUTH] = a
        first = draw_portrait(genes, values, 128)
        values[MOUTH] = b
        changes.append(_largest_block_change(first, draw_portrait(genes, values, 128)))
    assert np.percentile(changes, 10) >= 8.5, np.percentile(changes, 10)
