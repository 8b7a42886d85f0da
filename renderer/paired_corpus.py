"""Paired corpus: a reference portrait for every genome, in one of two styles.

``STYLE_AVATARS`` is v1's and v2's reference, drawn by python-avatars (described below);
``STYLE_LATENTKIN`` is v3's, latentkin's own drawing (:mod:`renderer.portrait`), where all 64 code
genes shape the picture. Both styles draw the same genomes for the same seed, and are cached apart.

In the v1 corpus the unlabelled parts (eyebrows, nose, clothing cut) were
random, so nothing tied them to a genome. Here the genome decides them too: a few code genes
pick the free parts and the background, the 8 trait labels pick the traits. Every genome
therefore has exactly one reference image, which lets training add a paired reconstruction
term beside the adversarial one, and children inherit the free parts gene by gene.

``FREE_GENES`` lists which code gene decides which part; a nibble ``n`` picks choice
``n * len(choices) // 16`` (neighbouring nibbles mostly agree, so a one-bit mutation
usually keeps the part). Labels are trait *value* indices, drawn uniformly per value
(balanced classes); genes are uniform nibbles. Item ``i`` of a corpus with seed ``s`` is a
pure function of ``(s, i)``. Images are cached as one ``.npz`` (``images`` uint8 N x H x W x 3,
``labels`` uint8 N x 8, ``genes`` uint8 N x 64).
"""

from __future__ import annotations

import colorsys
import hashlib
import multiprocessing as mp
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import python_avatars as pa
from tqdm import tqdm

from renderer.avatars import rasterise
from renderer.traits import FREE_CLOTHING, FREE_EYEBROWS, FREE_NOSES, TRAITS

PAIRED_VERSION = 2
GENES = 64
DEFAULT_DIR = Path("var/corpus")
STYLE_AVATARS, STYLE_LATENTKIN = "avatars", "latentkin"
STYLES = (STYLE_AVATARS, STYLE_LATENTKIN)


def _background(nibble: int) -> str:
    """One of 16 pale backgrounds, hue by nibble (light enough that no clothing colour melts in)."""
    r, g, b = colorsys.hls_to_rgb(nibble / 16, 0.90, 0.45)
    return f"#{round(r * 255):02X}{round(g * 255):02X}{round(b * 255):02X}"


BACKGROUNDS = tuple(_background(n) for n in range(16))
# code gene -> (part name, choices); every other code gene has no say in the reference image.
# (A shirt graphic sits below the head-and-shoulders crop, so no gene is spent on it.)
FREE_GENES: dict[int, tuple[str, tuple]] = {
    0: ("eyebrows", FREE_EYEBROWS),
    1: ("nose", FREE_NOSES),
    2: ("clothing", FREE_CLOTHING),
    4: ("background", BACKGROUNDS),
}


PART_SIZES = tuple(len(choices) for _, choices in FREE_GENES.values())


def free_part_indices(genes: np.ndarray) -> np.ndarray:
    """(B, len(FREE_GENES)) indices of the free parts that code genes (B, 64) choose, in FREE_GENES order."""
    genes = np.asarray(genes, dtype=np.int64)
    return np.stack([genes[:, j] * len(choices) // 16 for j, (_, choices) in FREE_GENES.items()], axis=1)


def free_parts(genes: np.ndarray | list[int]) -> dict[str, object]:
    """The free parts a genome's code genes choose, by part name."""
    indices = free_part_indices(np.asarray(genes)[None])[0]
    return {name: choices[k] for k, (name, choices) in zip(indices, FREE_GENES.values(), strict=False)}


def portrait_svg(genes: np.ndarray | list[int], labels: tuple[int, ...]) -> tuple[str, str]:
    """(SVG, background colour) of the reference portrait of genes (64 nibbles) and trait labels."""
    parts = free_parts(genes)
    background = parts.pop("background")
    kwargs = {t.keyword: t.values[v][1] for t, v in zip(TRAITS, labels, strict=False)}
    kwargs["facial_hair_color"] = kwargs["hair_color"]
    return pa.Avatar(style=pa.AvatarStyle.TRANSPARENT, **parts, **kwargs).render(), str(background)


def reference_image(genes: np.ndarray | list[int], labels: tuple[int, ...], size: int) -> np.ndarray:
    """The reference portrait (size, size, 3) uint8 of genes and trait value labels."""
    svg, background = portrait_svg(genes, labels)
    return np.asarray(rasterise(svg, size, background), dtype=np.uint8)


def split_indices(n: int, held_out: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (train, held-out) indices of a deterministic split of n items."""
    order = np.random.default_rng(seed).permutation(n)
    cut = n - int(round(held_out * n))
    return np.sort(order[:cut]), np.sort(order[cut:])


@dataclass(frozen=True, slots=True)
class PairedCorpus:
    """Reference images (N, H, W, 3) uint8 with their labels (N, 8) and code genes (N, 64)."""

    images: np.ndarray
    labels: np.ndarray
    genes: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def split(self, held_out: float, seed: int) -> tuple[PairedCorpus, PairedCorpus]:
        """A deterministic (train, held-out) split."""
        parts = split_indices(len(self), held_out, seed)
        train, held = (PairedCorpus(self.images[p], self.labels[p], self.genes[p]) for p in parts)
        return train, held


def draw_genome(seed: int, index: int) -> tuple[np.ndarray, np.ndarray]:
    """(labels (8,), genes (64,)) of item ``index`` of the paired corpus with ``seed``."""
    digest = hashlib.sha256(f"latentkin-paired-v{PAIRED_VERSION}:{seed}:{index}".encode()).digest()
    rng = random.Random(int.from_bytes(digest[:8], "big"))
    labels = tuple(rng.randrange(len(t)) for t in TRAITS)
    genes = [rng.randrange(16) for _ in range(GENES)]
    return np.array(labels, np.uint8), np.array(genes, np.uint8)


def draw_item(
    seed: int, index: int, size: int, style: str = STYLE_AVATARS
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Item ``index`` of the paired corpus with ``seed`` in ``style``: (image, labels, genes)."""
    labels, genes = draw_genome(seed, index)
    return style_image(genes, labels, size, style), labels, genes


def _check_style(style: str) -> None:
    if style not in STYLES:
        raise ValueError(f"unknown portrait style {style!r}: one of {', '.join(STYLES)}")


def style_image(genes: np.ndarray, labels: np.ndarray, size: int, style: str = STYLE_AVATARS) -> np.ndarray:
    """The reference portrait (size, size, 3) uint8 of genes (64 nibbles) and trait value labels in ``style``."""
    _check_style(style)
    values = tuple(int(v) for v in labels)
    if style == STYLE_LATENTKIN:
        from renderer.portrait.draw import draw_portrait

        return draw_portrait([int(g) for g in genes], values, size)
    return reference_image(genes, values, size)


def _reference_star(args: tuple[np.ndarray, np.ndarray, int, str]) -> np.ndarray:
    return style_image(*args)


def reference_images(
    genes: np.ndarray,
    labels: np.ndarray,
    size: int,
    workers: int = 2,
    progress: bool = False,
    desc: str = "reference portraits",
    style: str = STYLE_AVATARS,
) -> np.ndarray:
    """Reference portraits (N, size, size, 3) uint8 of code genes (N, 64) and trait labels (N, 8) in
    ``style``, drawn by ``workers`` processes (the same pixels for any worker count)."""
    _check_style(style)
    images = np.empty((len(labels), size, size, 3), np.uint8)
    jobs = [(g, label, size, style) for g, label in zip(genes, labels, strict=True)]
    pool = mp.get_context("spawn").Pool(workers) if workers > 1 and len(jobs) > 64 else None
    results = pool.imap(_reference_star, jobs, chunksize=32) if pool else map(_reference_star, jobs)
    try:
        for i, image in enumerate(tqdm(results, total=len(jobs), desc=desc, unit="img", disable=not progress)):
            images[i] = image
    finally:
        if pool is not None:
            pool.close()
            pool.join()
    return images


def build(
    count: int, seed: int, size: int, workers: int = 2, progress: bool = True, style: str = STYLE_AVATARS
) -> PairedCorpus:
    """Draw ``count`` items in ``style`` with ``workers`` processes (same result for any worker count)."""
    if count < 1 or size < 8:
        raise ValueError("a corpus needs count >= 1 and size >= 8")
    drawn = [draw_genome(seed, i) for i in range(count)]
    labels = np.stack([label for label, _ in drawn])
    genes = np.stack([g for _, g in drawn])
    images = reference_images(genes, labels, size, workers, progress, desc=f"paired corpus ({style})", style=style)
    return PairedCorpus(images, labels, genes)


def held_out_items(
    count: int, seed: int, size: int, limit: int, workers: int = 2, style: str = STYLE_AVATARS
) -> PairedCorpus:
    """The first ``limit`` items of the held-out 20 % of the ``count``-item corpus with ``seed`` (the same items,
    in the same order, as ``load_or_build(count, ...).split(0.2, seed)[1]``), drawn alone: evaluation needs a
    few thousand of them, not the whole corpus a reader was trained on."""
    indices = split_indices(count, 0.2, seed)[1][:limit]
    drawn = [draw_genome(seed, int(i)) for i in indices]
    labels = np.stack([label for label, _ in drawn])
    genes = np.stack([g for _, g in drawn])
    return PairedCorpus(reference_images(genes, labels, size, workers, style=style), labels, genes)


def drawing_fingerprint() -> str:
    """12 hex digits that change whenever latentkin's portrait drawing changes: a hash of the rasteriser's name and
    version and of the SVG of 12 probe genomes that show every value of every trait. A cached corpus drawn by an
    older drawing is never reused."""
    from renderer.portrait.draw import RASTERISER, portrait_svg

    rng = np.random.default_rng(0)
    digest = hashlib.sha256(RASTERISER.encode())
    for k in range(max(len(t) for t in TRAITS)):
        digest.update(portrait_svg(rng.integers(0, 16, GENES).tolist(), [k % len(t) for t in TRAITS]).encode())
    return digest.hexdigest()[:12]


def cache_path(count: int, seed: int, size: int, directory: Path = DEFAULT_DIR, style: str = STYLE_AVATARS) -> Path:
    """Where a paired corpus with these parameters is cached (the avatars style keeps its old names; the
    latentkin style's name carries :func:`drawing_fingerprint`)."""
    _check_style(style)
    tag = "" if style == STYLE_AVATARS else f"_{style}-{drawing_fingerprint()}"
    return Path(directory) / f"paired_v{PAIRED_VERSION}{tag}_n{count}_s{seed}_{size}px.npz"


def load_or_build(
    count: int,
    seed: int,
    size: int,
    directory: Path = DEFAULT_DIR,
    workers: int = 2,
    progress: bool = True,
    style: str = STYLE_AVATARS,
) -> PairedCorpus:
    """The cached paired corpus in ``style``, built and saved first if it is not cached yet."""
    path = cache_path(count, seed, size, directory, style)
    if path.exists():
        with np.load(path) as data:
            return PairedCorpus(data["images"], data["labels"], data["genes"])
    corpus = build(count, seed, size, workers, progress, style)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, images=corpus.images, labels=corpus.labels, genes=corpus.genes)
    tmp.replace(path)
    return corpus
