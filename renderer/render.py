"""Render genomes with the shipped generator.

Only the 8 *main* traits and the 64 code genes reach the generator; sub traits are
recessive and never drawn. Each genome gets its own forward pass (``CHUNK = 1``): CPU
kernels pick different blockings for different batch sizes (measured: the linear layers and
the 4x4 conv differ by ~1e-6 between batch 1 and 16, enough to flip 29 of 1.5 M output bytes),
so a genome's pixels must not depend on its batch. Same genome, same bytes, at the price of
batched throughput (see benchmarks/render.txt).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import numpy as np
import torch
from PIL import Image
from safetensors import SafetensorError
from safetensors.torch import load as load_safetensors

from offchain.genome import Genome
from renderer.errors import InvalidRenderSizeError, RendererLoadError
from renderer.export import FORMAT, SHIPPED_WEIGHTS
from renderer.model import Generator, ModelConfig
from renderer.table import DEFAULT_TABLE, Table, load_table
from renderer.train import to_uint8

MIN_SIZE, MAX_SIZE = 32, 1024
CHUNK = 1  # genomes per forward pass (a fixed shape; batches are padded to a multiple of it)


class Renderer:
    """A loaded generator plus the correspondence table that feeds it."""

    def __init__(self, generator: Generator, table: Table, weights_bytes: bytes, device: torch.device):
        self.generator = generator
        self.table = table
        self.device = device
        self._hash = hashlib.sha256(weights_bytes + table.raw).digest()

    @classmethod
    def load(cls, path: str | Path | None = None, table_path: str | Path | None = None) -> Renderer:
        """Load weights (``None``: the shipped ``renderer/data/generator_v1.safetensors``).

        Raises :class:`RendererLoadError` if the file is missing, not safetensors, lacks
        its config, or does not fit the generator it describes.
        """
        path = Path(path) if path is not None else SHIPPED_WEIGHTS
        try:
            raw = path.read_bytes()
        except OSError as exc:
            raise RendererLoadError(f"cannot read renderer weights {path}: {exc.strerror or exc}") from None
        try:
            state = {k: v.float() for k, v in load_safetensors(raw).items()}
            meta = _metadata(raw)
        except (SafetensorError, ValueError, OSError) as exc:
            raise RendererLoadError(f"{path} is not a valid safetensors file: {exc}") from None
        if meta.get("format") != FORMAT:
            raise RendererLoadError(f"{path}: expected format {FORMAT!r}, got {meta.get('format')!r}")
        try:
            cfg = ModelConfig.from_dict(json.loads(meta["config"]))
            generator = Generator(cfg)
            generator.load_state_dict(state, strict=True)
        except (KeyError, TypeError, ValueError, RuntimeError) as exc:
            raise RendererLoadError(f"{path} does not fit the generator it describes: {exc}") from None
        table = load_table(table_path if table_path is not None else DEFAULT_TABLE)
        if tuple(cfg.trait_sizes) != table.trait_sizes:
            raise RendererLoadError(f"{path} was trained for trait sizes {cfg.trait_sizes}, "
                                    f"the table has {table.trait_sizes}")
        device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        generator = generator.to(device).eval().requires_grad_(False)
        return cls(generator, table, raw, device)

    @property
    def native_size(self) -> int:
        """The generator's output side in pixels."""
        return self.generator.cfg.size

    def renderer_hash(self) -> bytes:
        """sha256(weights file bytes || table file bytes): the contract's ``rendererHash``."""
        return self._hash

    def render(self, genomes: list[Genome], size: int = 64) -> list[Image.Image]:
        """RGB images of ``size`` x ``size`` (MIN_SIZE..MAX_SIZE px), one per genome, in order."""
        if isinstance(size, bool) or not isinstance(size, int) or not MIN_SIZE <= size <= MAX_SIZE:
            raise InvalidRenderSizeError(f"size must be an int from {MIN_SIZE} to {MAX_SIZE} pixels, got {size!r}")
        genomes = list(genomes)
        for g in genomes:
            if not isinstance(g, Genome):
                raise TypeError(f"render takes Genome objects, got {type(g).__name__}")
        pixels = self.render_array(genomes)
        images = [Image.fromarray(p, "RGB") for p in pixels]
        if size != self.native_size:
            images = [im.resize((size, size), Image.Resampling.LANCZOS) for im in images]
        return images

    def render_array(self, genomes: list[Genome]) -> np.ndarray:
        """Native-size pixels (B, H, W, 3) uint8 of genomes (main traits and code only)."""
        n = len(genomes)
        s = self.native_size
        if n == 0:
            return np.zeros((0, s, s, 3), dtype=np.uint8)
        z = np.stack([self.table.latents(g) for g in genomes])
        y = np.stack([self.table.trait_indices(g) for g in genomes])
        return self.render_latents(z, y)

    @torch.inference_mode()
    def render_latents(self, z: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Native-size pixels of latents z (B, 64) float32 and trait indices y (B, 8)."""
        n = len(z)
        pad = (-n) % CHUNK
        z = np.concatenate([z, np.zeros((pad, z.shape[1]), np.float32)])
        y = np.concatenate([y, np.zeros((pad, y.shape[1]), np.int64)])
        out = []
        for k in range(0, len(z), CHUNK):
            zt = torch.from_numpy(z[k:k + CHUNK]).to(self.device)
            yt = torch.from_numpy(y[k:k + CHUNK]).to(self.device)
            out.append(to_uint8(self.generator(zt, yt).cpu()))
        return np.concatenate(out)[:n]


def _metadata(raw: bytes) -> dict[str, str]:
    """The ``__metadata__`` of a safetensors byte string."""
    if len(raw) < 8:
        raise ValueError("file too short")
    n = int.from_bytes(raw[:8], "little")
    if n > len(raw) - 8:
        raise ValueError("header length exceeds file size")
    header = json.loads(raw[8:8 + n])
    meta = header.get("__metadata__", {})
    if not isinstance(meta, dict):
        raise ValueError("metadata is not a mapping")
    return meta
