"""The paired corpus: one reference portrait per genome, free parts chosen by code genes."""

from __future__ import annotations

import numpy as np

from renderer.paired_corpus import (
    BACKGROUNDS,
    FREE_GENES,
    PART_SIZES,
    PairedCorpus,
    build,
    cache_path,
    draw_item,
    free_part_indices,
    free_parts,
    held_out_items,
    load_or_build,
    reference_image,
)

LABELS = (0, 1, 2, 3, 4, 1, 0, 5)


def test_items_are_pure_functions_of_seed_and_index():
    a, b, c = draw_item(5, 0, 32), draw_item(5, 0, 32), draw_item(5, 1, 32)
    for x, y in zip(a, b, strict=False):
        assert np.array_equal(x, y)
    assert not np.array_equal(a[2], c[2])
    assert a[0].shape == (32, 32, 3) and a[0].dtype == np.uint8 and a[2].shape == (64,)


def test_free_genes_decide_the_free_parts_and_nothing_else_does():
    genes = [7] * 64
    genes[2] = 3  # a graphic shirt: the shirt-graphic gene shows only on one (epistasis)
    base = reference_image(genes, LABELS, 48)
    for j in FREE_GENES:
        changed = list(genes)
        changed[j] = 0
        assert not np.array_equal(reference_image(changed, LABELS, 48), base), f"gene {j} has no say"
    silent = list(genes)
    silent[40] = 0
    assert np.array_equal(reference_image(silent, LABELS, 48), base)


def test_free_part_choice_covers_every_option():
    for _j, (name, choices) in FREE_GENES.items():
        picked = {free_parts([n] * 64)[name] for n in range(16)}
        assert len(picked) == min(16, len(choices)), name
    assert len(set(BACKGROUNDS)) == 16


def test_free_part_indices_name_the_parts_the_reference_portrait_draws():
    genes = np.random.default_rng(5).integers(0, 16, size=(40, 64), dtype=np.uint8)
    indices = free_part_indices(genes)
    assert indices.shape == (40, len(FREE_GENES)) and (indices < np.array(PART_SIZES)).all()
    for row, g in zip(indices, genes, strict=False):
        parts = free_parts(g)
        assert [choices[k] for k, (name, choices) in zip(row, FREE_GENES.values(), strict=False)] == [
            parts[name] for name, _ in FREE_GENES.values()
        ]


def test_build_is_independent_of_workers_and_caches(tmp_path):
    one, two = (
        build(5, seed=9, size=32, workers=1, progress=False),
        build(5, seed=9, size=32, workers=2, progress=False),
    )
    for field in ("images", "labels", "genes"):
        assert np.array_equal(getattr(one, field), getattr(two, field))
    cached = load_or_build(5, 9, 32, tmp_path, workers=1, progress=False)
    assert cache_path(5, 9, 32, tmp_path).exists()
    again = load_or_build(5, 9, 32, tmp_path, workers=1, progress=False)
    assert np.array_equal(cached.images, again.images) and np.array_equal(cached.images, one.images)


def test_split_is_deterministic_and_disjoint():
    corpus = PairedCorpus(
        np.arange(10)[:, None, None, None] * np.ones((1, 2, 2, 3), np.uint8),
        np.zeros((10, 8), np.uint8),
        np.arange(10)[:, None] * np.ones((1, 64), np.uint8),
    )
    train, held = corpus.split(0.3, seed=1)
    train2, held2 = corpus.split(0.3, seed=1)
    assert len(held) == 3 and len(train) == 7
    assert np.array_equal(held.genes, held2.genes)
    assert not set(train.genes[:, 0]) & set(held.genes[:, 0])


def test_held_out_items_are_the_corpus_split_s_held_out_part(tmp_path):
    held = build(30, seed=9, size=32, workers=1, progress=False, style="latentkin").split(0.2, seed=9)[1]
    first = held_out_items(30, seed=9, size=32, limit=4, workers=1, style="latentkin")
    assert len(first) == 4
    for field in ("images", "labels", "genes"):
        assert np.array_equal(getattr(first, field), getattr(held, field)[:4])


def test_the_latentkin_style_draws_v3_portraits_of_the_same_genomes(tmp_path):
    """Style "latentkin" draws the same genomes as the avatars style, with latentkin's own portrait, and
    caches apart; an unknown style is refused."""
    import pytest

    from renderer.portrait.draw import draw_portrait

    image, labels, genes = draw_item(5, 3, 32, style="latentkin")
    _, labels_avatars, genes_avatars = draw_item(5, 3, 32)
    assert np.array_equal(labels, labels_avatars) and np.array_equal(genes, genes_avatars)
    assert np.array_equal(image, draw_portrait(genes.tolist(), labels.tolist(), 32))
    corpus = load_or_build(3, 5, 32, tmp_path, workers=1, progress=False, style="latentkin")
    assert np.array_equal(corpus.images[2], draw_item(5, 2, 32, style="latentkin")[0])
    assert cache_path(3, 5, 32, tmp_path, "latentkin") != cache_path(3, 5, 32, tmp_path)
    assert cache_path(3, 5, 32, tmp_path, "latentkin").exists() and not cache_path(3, 5, 32, tmp_path).exists()
    with pytest.raises(ValueError, match="unknown portrait style"):
        draw_item(5, 3, 32, style="kitties")


def test_a_changed_drawing_is_never_read_from_an_old_cache(tmp_path, monkeypatch):
    """The latentkin style's cache name carries a fingerprint of the drawing: change what the portrait draws
    and the corpus is drawn anew instead of read from a cache of the old drawing."""
    import renderer.portrait.draw as draw

    before = cache_path(3, 5, 32, tmp_path, "latentkin")
    original = draw.portrait_svg
    monkeypatch.setattr(draw, "portrait_svg", lambda g, v: original(g, v).replace("</svg>", "<g/></svg>"))
    assert cache_path(3, 5, 32, tmp_path, "latentkin") != before
    monkeypatch.setattr(draw, "portrait_svg", original)
    assert cache_path(3, 5, 32, tmp_path, "latentkin") == before


def test_another_rasteriser_is_another_drawing(tmp_path, monkeypatch):
    """The same SVG rasterised by another rasteriser (or another resvg) has other pixels: the cache name changes."""
    import renderer.portrait.draw as draw

    before = cache_path(3, 5, 32, tmp_path, "latentkin")
    monkeypatch.setattr(draw, "RASTERISER", "cairosvg 2.7.1")
    assert cache_path(3, 5, 32, tmp_path, "latentkin") != before
