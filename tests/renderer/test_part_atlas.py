"""Part atlases: the trait value's map, laid over its part where the genome puts that part."""

from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from renderer.part_atlas import ATLASES, PartAtlases
from renderer.portrait.regions import FACE, FRAME_CHANNELS, LAYOUT_CHANNELS, MOUTH, layout_maps, part_frames
from renderer.vocabulary import TRAIT_NAMES, TRAIT_SIZES

SIZE = 64


def _only_the_mouths(atlases: PartAtlases, lit_value: int) -> None:
    """Every atlas zero but the Mouth atlas of ``lit_value``, which is 1 everywhere."""
    with torch.no_grad():
        for spec, maps in zip(ATLASES, atlases.maps, strict=True):
            maps.zero_()
            if spec.trait == TRAIT_NAMES.index("Mouth"):
                maps[lit_value] = 1.0


def test_a_mouth_value_s_atlas_lies_over_the_mouth_and_only_there():
    atlases = PartAtlases(TRAIT_SIZES, 3)
    _only_the_mouths(atlases, lit_value=5)
    genomes = np.random.default_rng(2).integers(0, 16, size=(2, 64))
    frames = torch.from_numpy(layout_maps(genomes, SIZE, with_frames=True)[:, LAYOUT_CHANNELS:])
    assert frames.shape[1] == FRAME_CHANNELS
    y = torch.zeros(2, len(TRAIT_SIZES), dtype=torch.long)
    y[:, TRAIT_NAMES.index("Mouth")] = torch.tensor([5, 2])
    out = atlases(frames, y).detach().numpy()
    assert out.shape == (2, 3, SIZE, SIZE)
    u, v = part_frames(genomes, SIZE)
    (extent,) = {spec.extent for spec in ATLASES if spec.part == MOUTH}
    inside = (np.abs(u[0, MOUTH]) < 0.8 * extent) & (np.abs(v[0, MOUTH]) < 0.8 * extent)
    outside = (np.abs(u[0, MOUTH]) > 1.1 * extent) | (np.abs(v[0, MOUTH]) > 1.1 * extent)
    assert inside.sum() > 20 and np.allclose(out[0][:, inside], 1.0, atol=1e-5)
    assert np.all(out[0][:, outside] == 0.0)
    assert np.all(out[1] == 0.0)  # another mouth: another map (here all zero)


def test_atlases_of_other_genomes_in_a_batch_do_not_change_a_genome_s_lookup():
    torch.manual_seed(0)
    atlases = PartAtlases(TRAIT_SIZES, 4)
    genomes = np.random.default_rng(7).integers(0, 16, size=(5, 64))
    frames = torch.from_numpy(layout_maps(genomes, 32, with_frames=True)[:, LAYOUT_CHANNELS:])
    y = torch.from_numpy(np.random.default_rng(8).integers(0, 4, size=(5, len(TRAIT_SIZES))))
    with torch.no_grad():
        together = atlases(frames, y)
        alone = torch.cat([atlases(frames[k : k + 1], y[k : k + 1]) for k in range(5)])
    assert torch.equal(together, alone)


def test_sampling_only_the_reached_box_gives_the_lookup_over_the_whole_picture_bit_for_bit():
    torch.manual_seed(1)
    atlases = PartAtlases(TRAIT_SIZES, 4)
    genomes = np.random.default_rng(9).integers(0, 16, size=(4, 64))
    frames = torch.from_numpy(layout_maps(genomes, SIZE, with_frames=True)[:, LAYOUT_CHANNELS:])
    y = torch.from_numpy(np.random.default_rng(10).integers(0, 4, size=(4, len(TRAIT_SIZES))))
    whole = None
    for spec, maps in zip(ATLASES, atlases.maps, strict=True):
        grid = frames[:, 2 * spec.part : 2 * spec.part + 2].permute(0, 2, 3, 1) / spec.extent
        looked_up = F.grid_sample(maps[y[:, spec.trait]], grid, padding_mode="zeros", align_corners=False)
        whole = looked_up if whole is None else whole + looked_up
    with torch.no_grad():
        boxed = atlases(frames, y)
    assert whole is not None and torch.equal(boxed, whole.detach())
    assert (boxed == 0).float().mean() > 0.05  # some pixels lie outside every atlas: the boxes are not the picture


def test_without_the_face_only_the_eyes_glasses_and_mouth_are_looked_up():
    atlases = PartAtlases(TRAIT_SIZES, 3)
    genomes = np.random.default_rng(4).integers(0, 16, size=(2, 64))
    frames = torch.from_numpy(layout_maps(genomes, SIZE, with_frames=True)[:, LAYOUT_CHANNELS:])
    y = torch.zeros(2, len(TRAIT_SIZES), dtype=torch.long)
    with torch.no_grad():
        for spec, maps in zip(ATLASES, atlases.maps, strict=True):
            maps.fill_(1.0 if spec.part == FACE else 0.0)
        assert atlases(frames, y).abs().sum() > 0 and atlases(frames, y, face=False).abs().sum() == 0
        _only_the_mouths(atlases, lit_value=0)
        assert torch.equal(atlases(frames, y, face=False), atlases(frames, y))
