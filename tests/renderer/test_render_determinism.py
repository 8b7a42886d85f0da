"""Same genome, same bytes: with the shipped weights, whatever the batch, the position in it,
the companions, the renderer's worker count or the caller's torch thread count.

The shipped weights are used because they draw real pictures: a barely trained generator's
near-flat outputs sit far from rounding boundaries and would hide summation-order effects
(before fixed chunks, 1 vs 2 intra-op threads changed 7 of 64 shipped renders' bytes).
"""

from __future__ import annotations

import random
import threading

import numpy as np
import pytest
import torch

from latentkin_core.genome import random_genome
from renderer.render import CHUNK, Renderer


@pytest.fixture(scope="module")
def shipped():
    r = Renderer.load(workers=2)
    yield r
    r.close()


@pytest.fixture(scope="module")
def genomes():
    rng = random.Random(2026)
    return [random_genome(rng) for _ in range(48)]


@pytest.fixture(scope="module")
def reference(shipped, genomes):
    """Each genome rendered on its own: the bytes every other way must reproduce."""
    return [shipped.render_pixels([g])[0] for g in genomes]


def _same(pixels, reference, indices):
    return [i for i, p in zip(indices, pixels, strict=False) if not np.array_equal(p, reference[i])]


def test_whole_batch_and_reversed_batch(shipped, genomes, reference):
    n = len(genomes)
    assert _same(shipped.render_pixels(genomes), reference, range(n)) == []
    assert _same(shipped.render_pixels(genomes[::-1]), reference, range(n - 1, -1, -1)) == []


def test_every_position_in_a_chunk_with_random_companions(shipped, genomes, reference):
    rng = random.Random(5)
    strangers = [random_genome(rng) for _ in range(CHUNK * 8)]
    for i in range(0, len(genomes), 3):
        for position in range(CHUNK):
            size = rng.randrange(position + 1, 2 * CHUNK + 2)  # odd sizes: padded last chunks too
            batch = rng.sample(strangers, size)
            batch[position] = genomes[i]
            assert np.array_equal(shipped.render_pixels(batch)[position], reference[i]), (i, position, size)


@pytest.mark.parametrize("workers, caller_threads", [(1, 1), (1, 2), (2, 1), (3, 2)])
def test_worker_count_and_caller_threads_do_not_change_pixels(genomes, reference, workers, caller_threads):
    before = torch.get_num_threads()
    torch.set_num_threads(caller_threads)
    r = Renderer.load(workers=workers)
    try:
        assert _same(r.render_pixels(genomes), reference, range(len(genomes))) == []
        assert torch.get_num_threads() == caller_threads  # the caller's setting is left alone
    finally:
        r.close()
        torch.set_num_threads(before)


def test_concurrent_callers_get_the_same_bytes(shipped, genomes, reference):
    results: dict[int, np.ndarray] = {}

    def call(k: int) -> None:
        results[k] = shipped.render_pixels(genomes[k::4])

    threads = [threading.Thread(target=call, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for k in range(4):
        indices = range(k, len(genomes), 4)
        assert _same(results[k], reference, indices) == []


def test_close_then_render_again(genomes, reference):
    r = Renderer.load(workers=1)
    first = r.render_pixels(genomes[:5])
    r.close()
    r.close()  # idempotent
    again = r.render_pixels(genomes[:5])
    r.close()
    assert np.array_equal(first, again)
    assert _same(again, reference, range(5)) == []


def test_close_while_others_render(genomes, reference):
    r = Renderer.load(workers=2)
    errors: list[BaseException] = []
    done = threading.Event()

    def render_repeatedly() -> None:
        try:
            for _ in range(15):
                assert _same(r.render_pixels(genomes[:6]), reference, range(6)) == []
        except BaseException as exc:
            errors.append(exc)
        finally:
            done.set()

    worker = threading.Thread(target=render_repeatedly)
    worker.start()
    while not done.is_set():
        r.close()
    worker.join()
    r.close()
    assert errors == []


def test_no_latents_no_pixels(shipped):
    empty = shipped.render_latents(np.zeros((0, 64), np.float32), np.zeros((0, 8), np.int64))
    assert empty.shape == (0, shipped.native_size, shipped.native_size, 3) and empty.dtype == np.uint8


def test_a_worker_keeps_one_thread_when_the_caller_changes_its_count():
    from renderer.render import _one_thread

    pinned, go_on, seen = threading.Event(), threading.Event(), []

    def worker() -> None:
        _one_thread()
        pinned.set()
        go_on.wait()
        seen.append(torch.get_num_threads())

    before = torch.get_num_threads()
    thread = threading.Thread(target=worker)
    thread.start()
    pinned.wait()
    torch.set_num_threads(2)  # changes the process-wide default after the worker was pinned
    go_on.set()
    thread.join()
    torch.set_num_threads(before)
    assert seen == [1]


@pytest.mark.parametrize("workers", [0, -1, 1.5, True])
def test_bad_worker_counts_are_refused(workers):
    with pytest.raises(ValueError, match="workers must be a positive int"):
        Renderer.load(workers=workers)
