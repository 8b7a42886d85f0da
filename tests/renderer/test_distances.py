"""Feature distances: Fréchet, mean pairwise, and heredity (children to parents and to their midpoint)."""

from __future__ import annotations

import numpy as np
import pytest

from renderer.distances import frechet_distance, heredity_measures, mean_pairwise_distance


def test_frechet_of_a_set_with_itself_is_zero_and_sees_a_shift():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(500, 6))
    assert frechet_distance(a, a) == pytest.approx(0, abs=1e-6)
    assert frechet_distance(a, a + 2.0) == pytest.approx(6 * 4.0, rel=1e-6)


def test_frechet_sees_a_change_of_spread():
    rng = np.random.default_rng(1)
    a, b = rng.normal(size=(4000, 3)), 3 * rng.normal(size=(4000, 3))
    # N(0, I) vs N(0, 9I): 3 * (1 + 9 - 2 * 3) = 12
    assert frechet_distance(a, b) == pytest.approx(12, rel=0.1)


def test_mean_pairwise_distance():
    pts = np.array([[0.0, 0.0], [3.0, 4.0], [0.0, 0.0]])
    # pairs: 5, 0, 5 -> mean 10/3
    assert mean_pairwise_distance(pts) == pytest.approx(10 / 3)


def test_heredity_measures_a_child_at_the_midpoint_and_one_at_a_parent():
    rng = np.random.default_rng(2)
    fa, fb, fs = rng.normal(size=(50, 4)), rng.normal(size=(50, 4)), rng.normal(size=(50, 4))
    h = heredity_measures(fa, fb, fs, {"mid": (fa + fb) / 2, "copy": fa.copy(), "stranger": fs})
    assert h["mid"]["midpoint"] == 0 and h["copy"]["midpoint"] > 0.3
    # A child at the midpoint is half a parent-to-parent distance from each; a copy of A is 0 and 1 of it.
    assert h["mid"]["parents"] == pytest.approx(h["copy"]["parents"])
    assert h["stranger"] == {"parents": pytest.approx(1.0), "midpoint": pytest.approx(1.0)}
