"""The feature regions hold what the traits Eyes, Mouth and Glasses change in the reference portrait, little else."""

from __future__ import annotations

import numpy as np

from renderer.portrait.draw import EYES, GLASSES, MOUTH, draw_portrait
from renderer.portrait.regions import (
    FRAME_CHANNELS,
    LAYOUT_CHANNELS,
    feature_mask,
    feature_masks,
    layout_maps,
    part_crop_grids,
    part_frames,
)
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


def test_layout_maps_peak_where_the_drawing_puts_eyes_and_mouth_and_turn_with_the_head():
    """Each part's bump is largest inside its region of :func:`feature_mask`, at any head tilt; its u and v maps
    change sign across it; fractional genes give maps between their neighbours'."""
    rng = np.random.default_rng(9)
    genomes = rng.integers(0, 16, size=(4, 64))
    genomes[:, 3] = [0, 15, 4, 11]  # head tilt
    maps = layout_maps(genomes, 64)
    assert maps.shape == (4, LAYOUT_CHANNELS, 64, 64) and maps.dtype == np.float32
    for genes, m in zip(genomes, maps, strict=True):
        inside = feature_mask(genes, 64)
        for part in range(3):  # left eye, right eye, mouth
            bump, u, v = m[3 * part : 3 * part + 3]
            peak = np.unravel_index(bump.argmax(), bump.shape)
            assert bump[peak] > 0.95 and inside[peak], (part, peak)
            assert u.min() < -0.1 < 0.1 < u.max() and v.min() < -0.1 < 0.1 < v.max()
        eyes = [np.unravel_index(m[3 * k].argmax(), (64, 64)) for k in (0, 1)]
        assert eyes[0][1] < eyes[1][1]  # the left eye is left
    level, tilted = genomes[0].copy(), genomes[0].copy()
    level[3], tilted[3] = 7.5, 15  # no tilt, then the most: the eyes' heights part
    rows = [
        [np.unravel_index(layout_maps(g[None], 64)[0, 3 * k].argmax(), (64, 64))[0] for k in (0, 1)]
        for g in (level, tilted)
    ]
    assert abs(rows[0][0] - rows[0][1]) <= 1 < abs(rows[1][0] - rows[1][1])
    half = (genomes[0] + genomes[1]) / 2
    between = layout_maps(half[None], 64)[0]
    assert np.abs(between - (maps[0] + maps[1]) / 2).mean() < np.abs(maps[0] - maps[1]).mean()


def test_the_frames_come_after_the_maps_and_are_what_the_maps_are_made_of():
    genomes = np.random.default_rng(4).integers(0, 16, size=(3, 64))
    both = layout_maps(genomes, 32, with_frames=True)
    assert both.shape == (3, LAYOUT_CHANNELS + FRAME_CHANNELS, 32, 32)
    assert np.array_equal(both[:, :LAYOUT_CHANNELS], layout_maps(genomes, 32))
    u, v = part_frames(genomes, 32)
    assert np.array_equal(both[:, LAYOUT_CHANNELS::2], u) and np.array_equal(both[:, LAYOUT_CHANNELS + 1 :: 2], v)
    bump = both[:, 0:LAYOUT_CHANNELS:3]
    assert np.allclose(bump, np.exp(-2 * (u * u + v * v)), atol=1e-6)
    # a frame is affine in the pixel's place (the face's apart across its centre line): equal steps along a row
    assert np.allclose(np.diff(u[:, :3], 2, axis=-1), 0, atol=1e-4)


def test_a_part_crop_shows_the_square_of_its_own_frame_at_any_tilt():
    """Sampling the frames (u, v) of :func:`part_frames` at a crop's grid gives back the crop's own coordinates:
    the crop is that square of the part's frame, turned with the head (frames are affine, so sampling is exact)."""
    import torch
    import torch.nn.functional as F

    genomes = np.random.default_rng(5).integers(0, 16, size=(4, 64))
    genomes[:, 3] = [0, 15, 4, 11]  # head tilt
    u, v = part_frames(genomes, 256)
    steps = ((np.arange(12) + 0.5) / 12 * 2 - 1) * 1.7
    for part in range(3):  # left eye, right eye, mouth
        grid = torch.from_numpy(part_crop_grids(genomes, ((part, 1.7),), 12)[:, 0])
        frame = torch.from_numpy(np.stack([u[:, part], v[:, part]], axis=1))
        seen = F.grid_sample(frame, grid, align_corners=False).numpy()
        assert np.abs(seen[:, 0] - steps[None, None, :]).max() < 1e-4
        assert np.abs(seen[:, 1] - steps[None, :, None]).max() < 1e-4


def test_the_readers_part_crops_hold_what_eyes_mouths_and_glasses_change():
    """What the values of Eyes, Mouth and Glasses change lies inside the reader's crops of the eyes and the mouth
    (:data:`renderer.reader.CROPS`), at any head tilt."""
    from renderer.reader import CROPS

    rng = np.random.default_rng(4)
    genomes = rng.integers(0, 16, size=(6, 64))
    genomes[:3, 3] = [0, 15, 0]
    u, v = part_frames(genomes, SIZE)
    inside = [(np.abs(u[:, part]) <= extent) & (np.abs(v[:, part]) <= extent) for part, extent in CROPS]
    eyes, mouth = inside[0] | inside[1], inside[2]
    for k, genes in enumerate(genomes):
        values = [int(rng.integers(0, n)) for n in TRAIT_SIZES]
        assert _coverage(EYES, genes, values, eyes[k]) >= 0.95
        assert _coverage(MOUTH, genes, values, mouth[k]) >= 0.95
        assert _coverage(GLASSES, genes, values, eyes[k]) >= 0.7  # the temples run on to the ears
