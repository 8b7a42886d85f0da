"""The render pool batches concurrent requests, shares identical ones and refuses floods."""

from __future__ import annotations

import asyncio
import io
import random
import threading

import pytest
from PIL import Image

from latentkin_core.genome import random_genome
from offchain.errors import OverloadedError
from offchain.render.pool import RenderPool, encode_png


def genomes(n, seed=0):
    rng = random.Random(seed)
    return [random_genome(rng) for _ in range(n)]


class Gate:
    """Wraps the real renderer so a test can hold the worker inside a render call."""

    def __init__(self, renderer):
        self.renderer = renderer
        self.entered = threading.Event()
        self.release = threading.Event()
        self.calls: list[int] = []

    def __call__(self, batch, size):
        self.calls.append(len(batch))
        self.entered.set()
        assert self.release.wait(30)
        return self.renderer.render_images(batch, size)


def test_concurrent_requests_are_batched(renderer):
    gate = Gate(renderer)
    pool = RenderPool(gate, batch_max=16, queue_max=64).start()
    try:
        first = pool.submit(genomes(1, seed=99)[0], 64)
        assert gate.entered.wait(10)  # the worker holds the first request
        futures = [pool.submit(g, 64) for g in genomes(10)]
        gate.release.set()
        results = [f.result(30) for f in [first, *futures]]
    finally:
        pool.close()
    assert gate.calls == [1, 10]  # the ten waiting requests went in one batch
    for data, genome in zip(results[1:], genomes(10), strict=True):
        assert data == encode_png(renderer.render_images([genome], 64)[0])


def test_identical_requests_share_one_render(renderer):
    gate = Gate(renderer)
    pool = RenderPool(gate, queue_max=4).start()
    try:
        g = genomes(1)[0]
        a, b = pool.submit(g, 64), pool.submit(g, 64)
        assert a is b and pool.depth == 1
        gate.release.set()
        assert Image.open(io.BytesIO(a.result(30))).size == (64, 64)
    finally:
        pool.close()
    assert pool.depth == 0


def test_a_flood_is_refused_not_queued_without_bound(renderer):
    gate = Gate(renderer)
    pool = RenderPool(gate, batch_max=2, queue_max=3, retry_after=7).start()
    try:
        accepted = [pool.submit(g, 64) for g in genomes(3)]
        with pytest.raises(OverloadedError) as refused:
            pool.submit(genomes(1, seed=5)[0], 64)
        assert refused.value.retry_after == 7 and pool.rejected == 1
        gate.release.set()
        assert all(len(f.result(30)) > 0 for f in accepted)
        assert pool.submit(genomes(1, seed=5)[0], 64).result(30)  # room again once drained
    finally:
        pool.close()


def test_async_render_times_out_as_overloaded(renderer):
    gate = Gate(renderer)
    pool = RenderPool(gate).start()
    try:
        with pytest.raises(OverloadedError):
            asyncio.run(pool.render_png(genomes(1)[0], 64, timeout=0.05))
    finally:
        gate.release.set()
        pool.close()


def test_renderer_errors_reach_every_waiter(renderer):
    pool = RenderPool(renderer.render_images).start()
    try:
        future = pool.submit(genomes(1)[0], 4000)  # the renderer refuses this size
        with pytest.raises(ValueError):
            future.result(30)
        assert pool.depth == 0
    finally:
        pool.close()


def test_png_encoding_is_deterministic(renderer):
    image = renderer.render_images(genomes(1), 128)[0]
    assert encode_png(image) == encode_png(image.copy())
    assert Image.open(io.BytesIO(encode_png(image))).size == (128, 128)
