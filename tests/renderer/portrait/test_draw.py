"""The v3 reference portrait: a pure function of (genes, trait values), every trait value visible."""

from __future__ import annotations

import numpy as np
import pytest

from renderer.portrait.draw import draw_portrait, portrait_svg
from renderer.vocabulary import TRAIT_NAMES, TRAIT_SIZES

GENES = np.arange(64, dtype=np.uint8) % 16
VALUES = [0] * 8


def test_same_genome_same_svg_and_pixels():
    assert portrait_svg(GENES, VALUES) == portrait_svg(GENES.copy(), list(VALUES))
    assert np.array_equal(draw_portrait(GENES, VALUES, 64), draw_portrait(GENES, VALUES, 64))


@pytest.mark.parametrize("size", [16, 128, 256])
def test_any_size(size):
    image = draw_portrait(GENES, VALUES, size)
    assert image.shape == (size, size, 3) and image.dtype == np.uint8


def test_refuses_tiny_sizes_and_wrong_gene_counts():
    with pytest.raises(ValueError, match="at least 8 px"):
        draw_portrait(GENES, VALUES, 4)
    with pytest.raises(ValueError, match="64 genes"):
        portrait_svg(GENES[:63], VALUES)


@pytest.mark.parametrize("trait", range(8), ids=TRAIT_NAMES)
def test_every_value_of_a_trait_draws_a_different_picture(trait):
    rng = np.random.default_rng(trait)
    genes, values = rng.integers(0, 16, 64), [int(rng.integers(0, n)) for n in TRAIT_SIZES]
    pictures = []
    for value in range(TRAIT_SIZES[trait]):
        values[trait] = value
        pictures.append(draw_portrait(genes, values, 64).astype(np.int16))
    for a in range(len(pictures)):
        for b in range(a + 1, len(pictures)):
            assert np.abs(pictures[a] - pictures[b]).max() > 40, (TRAIT_NAMES[trait], a, b)
