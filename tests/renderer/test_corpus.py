"""Corpus: deterministic by seed, same result for any worker count, cached round trip."""

from __future__ import annotations

import numpy as np

from renderer.corpus import build, cache_path, draw, load_or_build
from renderer.traits import TRAIT_SIZES


def test_draw_is_deterministic_and_labelled():
    a_pixels, a_labels = draw(seed=9, index=4)
    b_pixels, b_labels = draw(seed=9, index=4)
    c_pixels, _ = draw(seed=9, index=5)
    assert a_pixels.shape == (64, 64, 3) and a_pixels.dtype == np.uint8
    assert a_pixels.tobytes() == b_pixels.tobytes() and a_labels == b_labels
    assert a_pixels.tobytes() != c_pixels.tobytes()
    assert all(0 <= v < n for v, n in zip(a_labels, TRAIT_SIZES))


def test_labels_change_the_picture():
    from random import Random

    from renderer.corpus import avatar_svg, rasterise

    base = (0, 0, 0, 0, 0, 0, 0, 0)
    ref = np.asarray(rasterise(avatar_svg(base, Random(1)), 64)).astype(int)
    for i, n in enumerate(TRAIT_SIZES):
        other = list(base)
        other[i] = n - 1
        img = np.asarray(rasterise(avatar_svg(tuple(other), Random(1)), 64)).astype(int)
        assert np.abs(img - ref).sum() > 0, f"trait {i} does not change the image"


def test_build_matches_draw_and_is_worker_independent():
    one = build(6, seed=2, workers=1, progress=False)
    two = build(6, seed=2, workers=2, progress=False)
    assert one.images.tobytes() == two.images.tobytes()
    np.testing.assert_array_equal(one.labels, two.labels)
    pixels, labels = draw(2, 5)
    assert one.images[5].tobytes() == pixels.tobytes() and tuple(one.labels[5]) == labels


def test_cache_round_trip(tmp_path):
    first = load_or_build(4, seed=1, size=32, directory=tmp_path, workers=1, progress=False)
    path = cache_path(4, 1, 32, tmp_path)
    assert path.exists()
    again = load_or_build(4, seed=1, size=32, directory=tmp_path, workers=1, progress=False)
    assert first.images.shape == (4, 32, 32, 3)
    assert again.images.tobytes() == first.images.tobytes()


def test_split_is_deterministic_and_disjoint(tiny_corpus):
    a_train, a_test = tiny_corpus.split(0.25, seed=4)
    b_train, b_test = tiny_corpus.split(0.25, seed=4)
    assert len(a_train) == 36 and len(a_test) == 12
    assert a_test.images.tobytes() == b_test.images.tobytes()
    rows = {r.tobytes() for r in a_train.images}
    assert not any(r.tobytes() in rows for r in a_test.images)
