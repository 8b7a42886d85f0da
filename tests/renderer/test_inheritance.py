"""Code-only inheritance figures on a drawing whose answer is known, and on the reference portrait."""

from __future__ import annotations

import numpy as np

from renderer.inheritance import inheritance
from renderer.portrait.draw import reference_portraits
from renderer.table import load_table


def _gene_strips(genes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Column j of an 8 x 64 picture shows gene j's nibble as brightness; the traits draw nothing."""
    strip = (np.asarray(genes, np.float32) * 16).clip(0, 255).astype(np.uint8)  # N, 64
    return np.repeat(np.repeat(strip[:, None, :, None], 8, axis=1), 3, axis=3)


def test_blend_children_sit_nearer_the_midpoint_and_children_nearer_their_parents():
    result = inheritance(_gene_strips, load_table(), pairs=32, seed=1)
    for mode in ("crossover", "blend"):
        assert result[mode]["ratio"] < 0.9
    assert result["blend"]["to_midpoint"] < 0.5 * result["crossover"]["to_midpoint"]
    assert result["blend_nearer_midpoint_by"] > 0.5


def test_a_drawing_that_ignores_the_code_shows_no_inheritance():
    result = inheritance(lambda g, v: np.zeros((len(g), 8, 8, 3), np.uint8), load_table(), pairs=4, seed=1)
    assert result["crossover"]["to_parents"] == result["blend"]["to_midpoint"] == 0.0
    assert result["blend_nearer_midpoint_by"] == 0.0


def test_reference_portrait_children_visibly_inherit():
    result = inheritance(lambda g, v: reference_portraits(g, v, 48), load_table(), pairs=12, seed=2)
    assert result["crossover"]["ratio"] < 0.9 and result["blend"]["ratio"] < 0.9
    assert result["blend_nearer_midpoint_by"] > 0.3
