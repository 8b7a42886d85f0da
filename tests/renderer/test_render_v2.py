"""v2 weights through the same Renderer: format, native size, byte determinism, bad files refused."""

from __future__ import annotations

import json
import random
from dataclasses import replace

import numpy as np
import pytest
import torch
from safetensors import safe_open

from latentkin_core.genome import random_genome
from renderer.errors import RendererLoadError
from renderer.export import export_generator
from renderer.model import to_uint8
from renderer.model_v2 import ModelConfigV2
from renderer.render import Renderer, chunk_size, layout_input
from renderer.weights import FORMAT_V2
from support.tiny_models import export_untrained

MODEL = ModelConfigV2(
    size=32,
    embed_dim=4,
    w_dim=16,
    mapping_layers=1,
    g_channels={4: 16, 8: 16, 16: 8, 32: 8},
    g_convs={4: 1, 8: 1, 16: 1, 32: 1},
    d_channels={32: 8, 16: 8, 8: 8, 4: 8},
    trait_map_channels=2,
    trait_map_size=16,
)


@pytest.fixture(scope="module")
def v2_weights(tmp_path_factory):
    """An untrained small v2 generator with random affine weights (so codes and traits matter)."""
    d = tmp_path_factory.mktemp("v2")
    return export_untrained(MODEL, d, truncation=0.9, seed=5, step=7, images_seen=112, spread=0.5)


def test_export_describes_itself(v2_weights):
    with safe_open(str(v2_weights), "pt") as f:
        meta = f.metadata()
        assert all(f.get_tensor(k).dtype == torch.float16 for k in f.keys())  # noqa: SIM118  (safe_open is not iterable)
    assert meta["format"] == FORMAT_V2 and meta["step"] == "7" and meta["images_seen"] == "112"
    assert json.loads(meta["config"])["truncation"] == 0.9
    assert json.loads(v2_weights.with_suffix(".json").read_text())["format"] == FORMAT_V2


def test_v2_renders_natively_and_deterministically(v2_weights):
    r = Renderer.load(v2_weights, workers=2)
    try:
        assert r.native_size == 32
        genomes = [random_genome(random.Random(i)) for i in range(9)]
        batch = r.render_pixels(genomes)
        assert batch.shape == (9, 32, 32, 3)
        for g, pixels in zip(genomes, batch, strict=False):
            assert np.array_equal(r.render_pixels([g])[0], pixels)
        assert len({p.tobytes() for p in batch}) == 9
        assert r.render_images(genomes[:1], size=64)[0].size == (64, 64)
    finally:
        r.close()


def test_a_v2_file_with_v1_format_is_refused(v2_weights, tmp_path):
    from safetensors.torch import load_file, save_file

    with safe_open(str(v2_weights), "pt") as f:
        meta = dict(f.metadata())
    meta["format"] = "latentkin-generator-v1"
    bad = tmp_path / "bad.safetensors"
    save_file(load_file(str(v2_weights)), str(bad), metadata=meta)
    with pytest.raises(RendererLoadError, match="does not fit"):
        Renderer.load(bad)


def test_v3_weights_read_table_v2_and_hash_it(v2_weights, tmp_path):
    """The same network exported as v3 reads table v2 (the gene map), so its renderer hash covers the map
    and differs from the v2 file's; v2 weights keep reading table v1, so their hash is unchanged."""
    import hashlib

    from renderer.table import TABLE_V1, TABLE_V2
    from renderer.weights import FORMAT_V3, read_weights

    v3_weights = export_generator(v2_weights.parent / "ckpt.pt", tmp_path / "g3.safetensors", 0.9, FORMAT_V3)
    assert read_weights(v3_weights).reference_style == "latentkin"
    assert read_weights(v2_weights).reference_style == "avatars"
    v2, v3 = Renderer.load(v2_weights, workers=1), Renderer.load(v3_weights, workers=1)
    try:
        assert v3.table.version == 2 and len(v3.table.genes) == 64 and v2.table.genes == ()
        assert v2.renderer_hash() == hashlib.sha256(v2_weights.read_bytes() + TABLE_V1.read_bytes()).digest()
        assert v3.renderer_hash() == hashlib.sha256(v3_weights.read_bytes() + TABLE_V2.read_bytes()).digest()
        genomes = [random_genome(random.Random(i)) for i in range(3)]
        assert np.array_equal(v2.render_pixels(genomes), v3.render_pixels(genomes))  # same network, same pixels
    finally:
        v2.close()
        v3.close()
    with pytest.raises(ValueError):
        export_generator(v2_weights.parent / "ckpt.pt", tmp_path / "g1.safetensors", 1.0, "latentkin-generator-v1")


def _batch_rendered_as_each_alone(r: Renderer):
    """Six genomes rendered in one batch, each checked to render the same bytes alone; (genomes, batch pixels,
    their latents z, their trait values y)."""
    genomes = [random_genome(random.Random(i)) for i in range(6)]
    batch = r.render_pixels(genomes)
    for g, pixels in zip(genomes, batch, strict=True):
        assert np.array_equal(r.render_pixels([g])[0], pixels)
    z = torch.from_numpy(np.stack([r.table.latents(g) for g in genomes]))
    y = torch.from_numpy(np.stack([r.table.trait_indices(g) for g in genomes]))
    return genomes, batch, z, y


def _drawn_in_passes(r: Renderer, z: torch.Tensor, y: torch.Tensor, layout: torch.Tensor) -> np.ndarray:
    """The generator's pixels of (z, y, layout) in forward passes of the renderer's own size (a pass of another
    size may round a byte the other way)."""
    k = chunk_size(r.generator.cfg)
    with torch.inference_mode():
        return np.concatenate(
            [to_uint8(r.generator(z[i : i + k], y[i : i + k], layout[i : i + k])) for i in range(0, len(z), k)]
        )


def test_a_generator_with_layout_maps_draws_them_from_each_genomes_own_genes(tmp_path):
    """The renderer gives a layout generator the maps of each genome's code genes (recovered from its latents
    through the table), whatever the genome's place in the batch."""
    from renderer.portrait.regions import LAYOUT_CHANNELS, layout_maps
    from renderer.weights import FORMAT_V3

    laid = replace(MODEL, layout_channels=LAYOUT_CHANNELS, layout_sizes=(16, 32))
    r = Renderer.load(export_untrained(laid, tmp_path, format_tag=FORMAT_V3, seed=6, spread=0.5), workers=2)
    try:
        genomes, batch, z, y = _batch_rendered_as_each_alone(r)
        genes = np.array([g.genes for g in genomes])
        own = _drawn_in_passes(r, z, y, torch.from_numpy(layout_maps(genes, 16)))
        swapped = _drawn_in_passes(r, z, y, torch.from_numpy(layout_maps(genes[::-1].copy(), 16)))
        assert np.array_equal(own, batch) and not np.array_equal(swapped, batch)
    finally:
        r.close()


def test_a_generator_with_part_atlases_renders_each_genome_alike_anywhere_in_a_batch(tmp_path):
    """Atlases are looked up in each genome's own part frames: the same bytes alone or in a batch, and they
    reach the picture."""
    from renderer.portrait.regions import LAYOUT_CHANNELS
    from renderer.weights import FORMAT_V3

    atlased = replace(
        MODEL, layout_channels=LAYOUT_CHANNELS, layout_sizes=(16, 32), atlas_channels=2, atlas_sizes=(32,)
    )
    r = Renderer.load(export_untrained(atlased, tmp_path, format_tag=FORMAT_V3, seed=6, spread=0.5), workers=2)
    try:
        genomes, batch, z, y = _batch_rendered_as_each_alone(r)
        layout = layout_input(r.generator.cfg, np.array([g.genes for g in genomes]))
        assert layout is not None and np.array_equal(_drawn_in_passes(r, z, y, layout), batch)
        with torch.inference_mode():
            for maps in r.generator.atlases.maps:
                maps.zero_()
        assert not np.array_equal(_drawn_in_passes(r, z, y, layout), batch)  # the atlases had a say
    finally:
        r.close()


def test_v3_generators_take_two_genomes_a_pass_and_v2_s_keep_four(v2_weights, tmp_path):
    """A lone v3 render waits for a forward pass of 2 genomes, not 4; v2's passes keep their 4 genomes, the
    shape their published bytes were rendered at."""
    from renderer.portrait.regions import LAYOUT_CHANNELS
    from renderer.weights import FORMAT_V3

    laid = replace(MODEL, layout_channels=LAYOUT_CHANNELS, layout_sizes=(16, 32))
    v3_weights = export_untrained(laid, tmp_path, format_tag=FORMAT_V3, seed=6, spread=0.5)
    genomes = [random_genome(random.Random(i)) for i in range(5)]
    for weights, per_pass in ((v2_weights, 4), (v3_weights, 2)):
        r = Renderer.load(weights, workers=1)
        passes: list[int] = []
        r.generator.register_forward_pre_hook(lambda module, args, passes=passes: passes.append(len(args[0])))
        try:
            r.render_pixels(genomes)
            r.render_pixels(genomes[:1])
        finally:
            r.close()
        assert passes == [per_pass] * (-(-5 // per_pass) + 1), weights
