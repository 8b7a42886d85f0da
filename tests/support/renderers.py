"""Renderers for tests: a torch-free one for the service's tests, and the shipped one.

:class:`PixelRenderer` follows the service's ``Renderer`` protocol (offchain/render/pool.py)
without torch: each genome becomes a deterministic 8x8 pattern of its 40 bytes, so two genomes
give two pictures and the same genome the same bytes, which is all the service tests look at.
:func:`shipped_renderer` is the real generator with the shipped weights, for the tests that
check the service serves exactly what the renderer draws. :class:`HeldRenderer` wraps one and
holds every render until released (a busy renderer).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Sequence

from PIL import Image

from latentkin_core.genome import Genome

MIN_SIZE, MAX_SIZE = 16, 2048


class PixelRenderer:
    """A deterministic, torch-free renderer (the service's ``Renderer`` protocol)."""

    HASH = hashlib.sha256(b"latentkin test pixel renderer v1").digest()
    native_size = 64  # the service serves it up to 4 x 64 = 256 px

    def __init__(self) -> None:
        self.calls = 0

    def renderer_hash(self) -> bytes:
        """A fixed hash naming this renderer."""
        return self.HASH

    def render_images(self, genomes: Sequence[Genome], size: int) -> list[Image.Image]:
        """One RGB image of ``size`` px per genome: 64 cells coloured from the genome's bytes."""
        if not MIN_SIZE <= size <= MAX_SIZE:
            raise ValueError(f"size must be from {MIN_SIZE} to {MAX_SIZE} pixels, got {size}")
        self.calls += 1
        images = []
        for genome in genomes:
            if not isinstance(genome, Genome):
                raise TypeError(f"render takes Genome objects, got {type(genome).__name__}")
            data = genome.to_bytes() * 5  # 200 bytes: 64 cells x 3 channels
            cells = Image.frombytes("RGB", (8, 8), data[:192])
            images.append(cells.resize((size, size), Image.Resampling.NEAREST))
        return images

    def close(self) -> None:
        """Nothing to release."""


def shipped_renderer():
    """The real renderer with the shipped weights (imports torch), one worker thread."""
    import torch

    from renderer.render import Renderer

    torch.set_num_threads(1)
    return Renderer.load(workers=1)


class HeldRenderer:
    """The test renderer, holding every render until ``release`` is set (a busy renderer)."""

    def __init__(self, renderer):
        self.renderer = renderer
        self.native_size = renderer.native_size
        self.release = threading.Event()

    def renderer_hash(self) -> bytes:
        return self.renderer.renderer_hash()

    def render_images(self, genomes, size):
        assert self.release.wait(60)
        return self.renderer.render_images(genomes, size)

    def close(self) -> None:
        self.release.set()
