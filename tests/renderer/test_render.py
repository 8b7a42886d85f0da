"""Renderer: loading errors, determinism (same genome, same bytes), sizes, hash, sub traits."""

from __future__ import annotations

import hashlib
import json
import random

import numpy as np
import pytest
from PIL import Image

from latentkin_core.errors import LatentkinError
from latentkin_core.genome import Genome, random_genome
from renderer.errors import InvalidRenderSizeError, RendererLoadError
from renderer.render import Renderer
from renderer.table import DEFAULT_TABLE
from renderer.weights import DEFAULT_WEIGHTS, WEIGHTS_V1, WEIGHTS_V2, read_weights


@pytest.fixture(scope="module")
def renderer(tiny_weights):
    return Renderer.load(tiny_weights)


@pytest.fixture(scope="module")
def genomes():
    rng = random.Random(42)
    return [random_genome(rng) for _ in range(21)]


def test_load_error_is_a_latentkin_error():
    assert issubclass(RendererLoadError, LatentkinError)


def test_missing_file(tmp_path):
    with pytest.raises(RendererLoadError, match="cannot read"):
        Renderer.load(tmp_path / "nope.safetensors")


def test_corrupt_file(tmp_path):
    bad = tmp_path / "bad.safetensors"
    bad.write_bytes(b"\x00garbage" * 100)
    with pytest.raises(RendererLoadError, match="not a valid safetensors"):
        Renderer.load(bad)


def test_truncated_file(tmp_path, tiny_weights):
    cut = tmp_path / "cut.safetensors"
    cut.write_bytes(tiny_weights.read_bytes()[:-1000])
    with pytest.raises(RendererLoadError):
        Renderer.load(cut)


def _rewrite_metadata(src, dst, **changes):
    from safetensors.torch import load_file, save_file

    meta = read_weights(src).metadata
    meta.update(changes)
    save_file(load_file(str(src)), str(dst), metadata=meta)


def test_wrong_shape_file(tmp_path, tiny_weights):
    cfg = json.loads(read_weights(tiny_weights).metadata["config"])
    cfg["g_channels"]["64"] *= 2  # the weights have half as many channels at 64 px
    wrong = tmp_path / "wrong.safetensors"
    _rewrite_metadata(tiny_weights, wrong, config=json.dumps(cfg))
    with pytest.raises(RendererLoadError, match="does not fit"):
        Renderer.load(wrong)


def test_wrong_format_tag(tmp_path, tiny_weights):
    other = tmp_path / "other.safetensors"
    _rewrite_metadata(tiny_weights, other, format="something-else")
    with pytest.raises(RendererLoadError, match="format"):
        Renderer.load(other)


def test_renderer_hash_covers_weights_and_table(renderer, tiny_weights):
    expected = hashlib.sha256(tiny_weights.read_bytes() + DEFAULT_TABLE.read_bytes()).digest()
    assert renderer.renderer_hash() == expected
    assert len(renderer.renderer_hash()) == 32
    assert renderer.native_size == 64


def test_same_genome_same_bytes_in_any_batch(renderer, genomes):
    together = renderer.render_images(genomes)
    alone = [renderer.render_images([g])[0] for g in genomes]
    reversed_batch = renderer.render_images(genomes[::-1])[::-1]
    for a, b, c in zip(together, alone, reversed_batch, strict=False):
        assert a.mode == "RGB" and a.size == (64, 64)
        assert a.tobytes() == b.tobytes() == c.tobytes()


def test_different_codes_give_different_pictures(renderer, genomes):
    a, b = renderer.render_images(genomes[:2])
    assert a.tobytes() != b.tobytes()


def test_sub_traits_do_not_affect_the_render(renderer):
    rng = random.Random(3)
    genes = [rng.randrange(16) for _ in range(64)]
    mains = [rng.randrange(16) for _ in range(8)]
    a = Genome.from_parts(genes, mains, [0] * 8)
    b = Genome.from_parts(genes, mains, [rng.randrange(16) for _ in range(8)])
    ra, rb = renderer.render_images([a, b])
    assert ra.tobytes() == rb.tobytes()
    # while a main trait that names another value does change the picture
    table = renderer.table
    other = next(n for n in range(16) if table.value_index(0, n) != table.value_index(0, mains[0]))
    c = Genome.from_parts(genes, [other] + mains[1:], [0] * 8)
    assert renderer.render_images([c])[0].tobytes() != ra.tobytes()


@pytest.mark.parametrize("size", [32, 48, 64, 100, 256])
def test_sizes_are_resized_deterministically(renderer, genomes, size):
    a = renderer.render_images(genomes[:2], size=size)
    b = renderer.render_images(genomes[:2], size=size)
    assert [im.size for im in a] == [(size, size)] * 2
    assert [im.tobytes() for im in a] == [im.tobytes() for im in b]
    if size != 64:
        native = renderer.render_images(genomes[:1])[0]
        assert a[0].tobytes() == native.resize((size, size), Image.Resampling.LANCZOS).tobytes()


@pytest.mark.parametrize("size", [31, 1025, 0, -64, 64.0, "64", True])
def test_invalid_sizes(renderer, genomes, size):
    with pytest.raises(InvalidRenderSizeError, match="size must be") as info:
        renderer.render_images(genomes[:1], size=size)
    assert isinstance(info.value, ValueError)


def test_empty_batch_and_bad_items(renderer):
    assert renderer.render_images([]) == []
    with pytest.raises(TypeError):
        renderer.render_images(["0x00"])


@pytest.mark.parametrize("path, native", [(WEIGHTS_V1, 64), (WEIGHTS_V2, 128)], ids=["v1", "v2"])
def test_shipped_weights_load_and_render(path, native):
    r = Renderer.load(path)
    image = r.render_images([Genome(123, 456)], size=native)[0]
    assert r.native_size == native and image.size == (native, native)
    assert np.asarray(image).std() > 5  # a picture, not a flat fill


def test_the_default_renderer_is_v2_at_128_px():
    assert DEFAULT_WEIGHTS == WEIGHTS_V2
    assert Renderer.load().native_size == 128  # None: the default weights
