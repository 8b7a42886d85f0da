"""Render genomes with the shipped generator.

Only the 8 *main* traits and the 64 code genes reach the generator; sub traits are
recessive and never drawn.

Same genome, same bytes. CPU kernels pick their blocking, and so their float summation order,
by tensor shape *and* by thread count: the linear layers differ by ~1e-7 between batch 1 and
16, the convs by ~1e-6 between one intra-op thread and two, enough to flip a few of a
batch's output bytes. So every forward pass here has one shape and one thread:

* genomes go through the generator in chunks of exactly :func:`chunk_size` genomes (the last one padded);
* each chunk runs on a worker thread of the renderer's own pool, whose torch intra-op
  thread count is pinned to 1 (a per-thread OpenMP setting; see ``_one_thread``);
* parallelism comes from running chunks side by side on ``workers`` such threads.

A genome's pixels therefore depend on neither its batch, its position in it, its
companions, the worker count nor the caller's ``torch.set_num_threads`` (all tested), only on
the weights, the table, the torch/oneDNN build and the CPU's instruction set (on CPU; a GPU
is not covered). v1's and v2's generators run in chunks of 4, 1.4x faster per core than single genomes
(see benchmarks/render.txt), and keep them: their published bytes are those. v3's run in chunks of 2: at
256 px a chunk of 2 costs 3-5% more CPU per image than one of 4 and half a lone render's wait.
"""

from __future__ import annotations

import hashlib
import os
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import torch
from PIL import Image

from latentkin_core.genome import Genome
from renderer.errors import InvalidRenderSizeError, RendererLoadError
from renderer.model import Generator, ModelConfig, to_uint8
from renderer.model_v2 import GeneratorV2, ModelConfigV2
from renderer.portrait.regions import layout_maps
from renderer.table import Table, load_table
from renderer.weights import read_weights

MIN_SIZE, MAX_SIZE = 32, 1024
CHUNK = 4  # genomes per forward pass of v1's and v2's generators: the one shape they ever see on the CPU
LAYOUT_CHUNK = 2  # the same for v3's generators (those drawing from layout maps)


class Renderer:
    """A loaded generator plus the correspondence table that feeds it."""

    def __init__(
        self,
        generator: Generator | GeneratorV2,
        table: Table,
        weights_bytes: bytes,
        device: torch.device,
        workers: int | None = None,
    ):
        self.generator = generator
        self.table = table
        self.device = device
        if workers is not None and (isinstance(workers, bool) or not isinstance(workers, int) or workers < 1):
            raise ValueError(f"workers must be a positive int, got {workers!r}")
        self.workers = workers or len(os.sched_getaffinity(0)) or 1
        torch.get_num_threads()  # fix the loading thread's own count before workers set theirs (see _one_thread)
        self._hash = hashlib.sha256(weights_bytes + table.raw).digest()
        self._pool: ThreadPoolExecutor | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()

    @classmethod
    def load(
        cls, path: str | Path | None = None, table_path: str | Path | None = None, workers: int | None = None
    ) -> Renderer:
        """Load weights (``None``: the default, ``renderer/data/generator_v2.safetensors``) and the
        correspondence table (``None``: the one the weights' format reads, table v2 for v3 weights).

        ``workers`` is how many forward passes run side by side (default: one per CPU); it
        changes speed, never pixels. Raises :class:`RendererLoadError` if the file is missing,
        not safetensors, lacks its config, or does not fit the generator it describes.
        """
        weights = read_weights(path)
        generator = weights.generator()
        table = load_table(table_path if table_path is not None else weights.table_path)
        if tuple(generator.cfg.trait_sizes) != table.trait_sizes:
            raise RendererLoadError(
                f"{weights.path} was trained for trait sizes {generator.cfg.trait_sizes}, "
                f"the table has {table.trait_sizes}"
            )
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        return cls(generator.to(device), table, weights.raw, device, workers)

    @property
    def native_size(self) -> int:
        """The generator's output side in pixels."""
        return self.generator.cfg.size

    def renderer_hash(self) -> bytes:
        """sha256(weights file bytes || table file bytes): the contract's ``rendererHash``."""
        return self._hash

    def render_images(self, genomes: list[Genome], size: int = 64) -> list[Image.Image]:
        """RGB images of ``size`` x ``size`` (MIN_SIZE..MAX_SIZE px), one per genome, in order."""
        if isinstance(size, bool) or not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
            raise InvalidRenderSizeError(f"size must be an int from {MIN_SIZE} to {MAX_SIZE} pixels, got {size!r}")
        genomes = list(genomes)
        for g in genomes:
            if not isinstance(g, Genome):
                raise TypeError(f"render takes Genome objects, got {type(g).__name__}")
        pixels = self.render_pixels(genomes)
        images = [Image.fromarray(p, "RGB") for p in pixels]
        if size != self.native_size:
            images = [im.resize((size, size), Image.Resampling.LANCZOS) for im in images]
        return images

    def render_pixels(self, genomes: list[Genome]) -> np.ndarray:
        """Native-size pixels (B, H, W, 3) uint8 of genomes (main traits and code only)."""
        n = len(genomes)
        s = self.native_size
        if n == 0:
            return np.zeros((0, s, s, 3), dtype=np.uint8)
        z = np.stack([self.table.latents(g) for g in genomes])
        y = np.stack([self.table.trait_indices(g) for g in genomes])
        return self.render_latents(z, y)

    def render_latents(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Native-size pixels of latents z (B, 64) float32 and trait indices y (B, 8)."""
        n = len(z)
        if n == 0:
            return np.zeros((0, self.native_size, self.native_size, 3), dtype=np.uint8)
        chunk = chunk_size(self.generator.cfg)
        pad = (-n) % chunk
        z = np.concatenate([z, np.zeros((pad, z.shape[1]), np.float32)])
        y = np.concatenate([y, np.zeros((pad, y.shape[1]), np.int64)])
        with self._pool_lock:  # submit under the lock: close() cannot shut the pool in between
            futures = [
                self._executor().submit(self._forward, z[k : k + chunk], y[k : k + chunk])
                for k in range(0, len(z), chunk)
            ]
        return np.concatenate([f.result() for f in futures])[:n]

    @torch.inference_mode()
    def _forward(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """One chunk through the generator (runs on a single-threaded pool worker)."""
        assert torch.get_num_threads() == 1, "a renderer worker must run one intra-op thread"
        zt = torch.tensor(z, dtype=torch.float32, device=self.device)  # fresh, aligned copies
        yt = torch.tensor(y, dtype=torch.int64, device=self.device)
        if not uses_layout(self.generator.cfg):  # v1's and v2's generators
            return to_uint8(self.generator(zt, yt).cpu())
        layout = layout_input(self.generator.cfg, self.table.genes_of_latents(z))
        assert layout is not None
        return to_uint8(self.generator(zt, yt, layout.to(self.device)).cpu())

    def _executor(self) -> ThreadPoolExecutor:
        """The worker pool (caller holds ``_pool_lock``), created on first use and again in a
        forked child, where the parent's threads do not exist."""
        if self._pool is None or self._pool_pid != os.getpid():
            self._pool = ThreadPoolExecutor(self.workers, thread_name_prefix="renderer", initializer=_one_thread)
            self._pool_pid = os.getpid()
        return self._pool

    def close(self) -> None:
        """Stop the worker threads (rendering again starts new ones)."""
        with self._pool_lock:
            if self._pool is not None:
                self._pool.shutdown(wait=True)
                self._pool = None


def _one_thread() -> None:
    """Pin this (worker) thread to one torch intra-op thread.

    A thread takes its own copy of the process-wide thread count at its first torch call, and
    ``set_num_threads`` also changes that process-wide value. Reading first fixes this thread's
    copy, so the 1 set here stays this thread's even if another thread sets a count later.
    Side effect: threads that have never called torch start with 1 thread too.
    """
    torch.get_num_threads()
    torch.set_num_threads(1)


def chunk_size(cfg: ModelConfig | ModelConfigV2) -> int:
    """How many genomes each forward pass of a generator of ``cfg`` takes (see the module docstring)."""
    return LAYOUT_CHUNK if uses_layout(cfg) else CHUNK


def uses_layout(cfg: ModelConfig | ModelConfigV2) -> bool:
    """True for a generator that draws from layout maps (v3's), False for v1's and v2's."""
    return isinstance(cfg, ModelConfigV2) and bool(cfg.layout_channels)


def layout_input(cfg: ModelConfig | ModelConfigV2, genes: np.ndarray) -> torch.Tensor | None:
    """The layout maps a generator of ``cfg`` draws from, for code genes (B, 64) (fractional ones allowed), at its
    smallest layout size; None for a generator without layout maps (v1's and v2's)."""
    if not isinstance(cfg, ModelConfigV2) or not uses_layout(cfg):
        return None
    return torch.from_numpy(layout_maps(genes, cfg.layout_sizes[0], with_frames=bool(cfg.atlas_channels)))
