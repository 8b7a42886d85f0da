"""A bounded worker pool that batches concurrent render requests into one renderer call.

Requests for the same (genome, size) share one pending render; at most ``queue_max`` distinct
renders wait at any time, beyond that :class:`OverloadedError` (→ 503 + Retry-After). Memory is
therefore bounded by ``queue_max`` pending PNGs, whatever the request rate.
"""

from __future__ import annotations

import asyncio
import io
import logging
import queue
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import Protocol

from PIL import Image

from latentkin_core.genome import Genome
from offchain.errors import OverloadedError

log = logging.getLogger("latentkin.render")

RenderFn = Callable[[list[Genome], int], Sequence[Image.Image]]


class Renderer(Protocol):
    """What the service needs of a renderer: ``renderer.render.Renderer`` is one, the tests'
    torch-free ``tests/support`` renderer another."""

    @property
    def native_size(self) -> int:
        """Side of the pictures it draws, in pixels (the service never stretches them more than 4x)."""

    def renderer_hash(self) -> bytes:
        """sha256 of what the images are a pure function of (the contract's ``rendererHash``)."""

    def render_images(self, genomes: list[Genome], size: int) -> Sequence[Image.Image]:
        """One RGB image of ``size`` x ``size`` per genome, in order."""

    def close(self) -> None:
        """Release worker threads (rendering again may start new ones)."""


_STOP = None  # on the queue: one worker stops


def encode_png(image: Image.Image) -> bytes:
    """Deterministic PNG bytes (no timestamps or text chunks): same pixels, same bytes."""
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="PNG", optimize=False, compress_level=6)
    return buf.getvalue()


class RenderPool:
    """Worker threads pulling batches of up to ``batch_max`` renders from a bounded queue."""

    def __init__(
        self,
        render: RenderFn,
        *,
        batch_max: int = 16,
        queue_max: int = 256,
        workers: int = 1,
        linger: float = 0.002,
        retry_after: int = 5,
    ) -> None:
        self._render = render
        self.batch_max = batch_max
        self.queue_max = queue_max
        self.linger = linger
        self.retry_after = retry_after
        self._queue: queue.Queue[tuple[Genome, int] | None] = queue.Queue()  # None: stop one worker
        self._pending: dict[tuple[Genome, int], Future[bytes]] = {}
        self._lock = threading.Lock()
        self.workers = workers
        self._threads: list[threading.Thread] = []
        self.batches = 0
        self.rendered = 0
        self.rejected = 0
        self.batch_sizes: list[int] = []  # last few, for /metrics and tests
        self._started = False

    # -- lifecycle ----------------------------------------------------------------------------
    def start(self) -> RenderPool:
        """Start the worker threads (idempotent; a closed pool can be started again)."""
        if not self._started:
            self._started = True
            self._threads = [
                threading.Thread(target=self._work, name=f"render-{i}", daemon=True) for i in range(self.workers)
            ]
            for t in self._threads:
                t.start()
        return self

    def close(self, timeout: float = 5.0) -> None:
        """Stop the workers after the queued work; pending callers get their results."""
        if not self._started:
            return
        for _ in self._threads:
            self._queue.put(_STOP)
        for t in self._threads:
            t.join(timeout)
        self._started = False

    @property
    def depth(self) -> int:
        """Distinct renders queued or running."""
        return len(self._pending)

    # -- submitting ---------------------------------------------------------------------------
    def submit(self, genome: Genome, size: int) -> Future[bytes]:
        """Queue a render (or join an identical pending one); a Future of PNG bytes."""
        key = (genome, size)
        with self._lock:
            fut = self._pending.get(key)
            if fut is not None:
                return fut
            if len(self._pending) >= self.queue_max:
                self.rejected += 1
                raise OverloadedError("render queue full", self.retry_after)
            fut = Future()
            self._pending[key] = fut
        self._queue.put(key)
        return fut

    async def render_png(self, genome: Genome, size: int, timeout: float) -> bytes:
        """Render from async code: waits without blocking the event loop; 503 on timeout."""
        fut = self.submit(genome, size)
        try:
            return await asyncio.wait_for(asyncio.shield(asyncio.wrap_future(fut)), timeout)
        except TimeoutError:
            raise OverloadedError(f"render did not finish within {timeout:g} s", self.retry_after) from None

    # -- worker -------------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            first = self._queue.get()
            if first is None:  # _STOP
                return
            batch = [first]
            deadline = time.monotonic() + self.linger
            while len(batch) < self.batch_max:
                try:
                    item = self._queue.get(timeout=max(0.0, deadline - time.monotonic()))
                except queue.Empty:
                    break
                if item is None:  # _STOP
                    self._queue.put(_STOP)
                    break
                batch.append(item)
            self._run(batch)

    def _run(self, batch: list[tuple[Genome, int]]) -> None:
        by_size: dict[int, list[Genome]] = defaultdict(list)
        for genome, size in batch:
            by_size[size].append(genome)
        self.batches += 1
        self.batch_sizes = (self.batch_sizes + [len(batch)])[-100:]
        for size, genomes in by_size.items():
            try:
                images = self._render(genomes, size)
                if len(images) != len(genomes):
                    raise RuntimeError(f"renderer returned {len(images)} images for {len(genomes)}")
                results: list[bytes | BaseException] = [encode_png(im) for im in images]
            except Exception as exc:
                log.exception("render batch failed")
                results = [exc] * len(genomes)
            for genome, result in zip(genomes, results, strict=True):
                with self._lock:
                    fut = self._pending.pop((genome, size), None)
                if fut is None:
                    continue
                if isinstance(result, BaseException):
                    fut.set_exception(result)
                else:
                    self.rendered += 1
                    fut.set_result(result)
