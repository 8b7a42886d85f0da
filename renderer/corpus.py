"""Training corpus: labelled cartoon heads drawn with python-avatars, rasterised by cairosvg.

Each image i of a corpus with seed s is a pure function of (s, i): its 8 trait labels are
drawn uniformly (balanced classes for the classifiers) and everything else the library
varies (eyebrows, nose, clothing type, shirt graphic) is drawn at random and left
unlabelled. The SVG (264x280) is rasterised at 2x the target size, cropped to the head and
shoulders, and reduced with a box filter. The result is cached as one ``.npz``
(``images`` uint8 N x H x W x 3, ``labels`` uint8 N x 8) under a git-ignored directory.
"""

from __future__ import annotations

import hashlib
import io
import multiprocessing as mp
import random
from dataclasses import dataclass
from pathlib import Path

import cairosvg
import numpy as np
import python_avatars as pa
from PIL import Image
from tqdm import tqdm

from renderer.traits import FREE_CLOTHING, FREE_EYEBROWS, FREE_GRAPHICS, FREE_NOSES, TRAITS

CORPUS_VERSION = 1
BACKGROUND = "#E8E4DC"
SVG_WIDTH, SVG_HEIGHT = 264, 280
CROP = (36, 34, 192)  # x0, y0, side of the square head-and-shoulders crop, in SVG units
DEFAULT_DIR = Path("var/corpus")


@dataclass(frozen=True, slots=True)
class Corpus:
    """Images (N, H, W, 3) uint8 and their trait labels (N, 8) uint8."""

    images: np.ndarray
    labels: np.ndarray

    def __len__(self) -> int:
        return len(self.labels)

    def split(self, held_out: float, seed: int) -> tuple[Corpus, Corpus]:
        """A deterministic (train, held-out) split."""
        a, b = split_indices(len(self), held_out, seed)
        return Corpus(self.images[a], self.labels[a]), Corpus(self.images[b], self.labels[b])


def split_indices(n: int, held_out: float, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Sorted (train, held-out) indices of a deterministic split of n items."""
    order = np.random.default_rng(seed).permutation(n)
    cut = n - int(round(held_out * n))
    return np.sort(order[:cut]), np.sort(order[cut:])


def _item_rng(seed: int, index: int) -> random.Random:
    digest = hashlib.sha256(f"latentkin-corpus-v{CORPUS_VERSION}:{seed}:{index}".encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def sample_labels(rng: random.Random) -> tuple[int, ...]:
    """Eight uniform trait value indices."""
    return tuple(rng.randrange(len(t)) for t in TRAITS)


def avatar_svg(labels: tuple[int, ...], rng: random.Random) -> str:
    """The SVG of a head with the given trait labels; free parts drawn from ``rng``."""
    kwargs = {t.keyword: t.values[v][1] for t, v in zip(TRAITS, labels)}
    kwargs["facial_hair_color"] = kwargs["hair_color"]
    avatar = pa.Avatar(
        style=pa.AvatarStyle.TRANSPARENT,
        eyebrows=rng.choice(FREE_EYEBROWS),
        nose=rng.choice(FREE_NOSES),
        clothing=rng.choice(FREE_CLOTHING),
        shirt_graphic=rng.choice(FREE_GRAPHICS),
        **kwargs,
    )
    return avatar.render()


def rasterise(svg: str, size: int, background: str = BACKGROUND) -> Image.Image:
    """Rasterise an avatar SVG at 2x on ``background``, crop the head and shoulders, box-reduce to size x size."""
    x0, y0, side = CROP
    scale = 2 * size / side
    png = cairosvg.svg2png(
        bytestring=svg.encode(),
        output_width=round(SVG_WIDTH * scale),
        output_height=round(SVG_HEIGHT * scale),
        background_color=background,
    )
    image = Image.open(io.BytesIO(png)).convert("RGB")
    left, top = round(x0 * scale), round(y0 * scale)
    image = image.crop((left, top, left + 2 * size, top + 2 * size))
    return image.resize((size, size), Image.Resampling.BOX)


def draw(seed: int, index: int, size: int = 64) -> tuple[np.ndarray, tuple[int, ...]]:
    """Image ``index`` of the corpus with ``seed``: (H, W, 3) uint8 pixels and its labels."""
    rng = _item_rng(seed, index)
    labels = sample_labels(rng)
    image = rasterise(avatar_svg(labels, rng), size)
    return np.asarray(image, dtype=np.uint8), labels


def _draw_star(args: tuple[int, int, int]) -> tuple[np.ndarray, tuple[int, ...]]:
    return draw(*args)


def build(count: int, seed: int = 0, size: int = 64, workers: int = 2, progress: bool = True) -> Corpus:
    """Draw ``count`` images with ``workers`` processes (same result for any worker count)."""
    if count < 1 or size < 8:
        raise ValueError("a corpus needs count >= 1 and size >= 8")
    images = np.empty((count, size, size, 3), dtype=np.uint8)
    labels = np.empty((count, len(TRAITS)), dtype=np.uint8)
    jobs = [(seed, i, size) for i in range(count)]
    bar = tqdm(total=count, desc="corpus", unit="img", disable=not progress)
    if workers <= 1:
        results = map(_draw_star, jobs)
        pool = None
    else:
        pool = mp.get_context("spawn").Pool(workers)
        results = pool.imap(_draw_star, jobs, chunksize=32)
    try:
        for i, (pixels, lab) in enumerate(results):
            images[i], labels[i] = pixels, lab
            bar.update(1)
    finally:
        bar.close()
        if pool is not None:
            pool.close()
            pool.join()
    return Corpus(images, labels)


def cache_path(count: int, seed: int, size: int, directory: Path = DEFAULT_DIR) -> Path:
    """Where a corpus with these parameters is cached."""
    return Path(directory) / f"corpus_v{CORPUS_VERSION}_n{count}_s{seed}_{size}px.npz"


def load_or_build(
    count: int, seed: int = 0, size: int = 64, directory: Path = DEFAULT_DIR, workers: int = 2, progress: bool = True
) -> Corpus:
    """The cached corpus, built and saved first if it is not cached yet."""
    path = cache_path(count, seed, size, directory)
    if path.exists():
        with np.load(path) as data:
            return Corpus(data["images"], data["labels"])
    corpus = build(count, seed, size, workers, progress)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, images=corpus.images, labels=corpus.labels)
    tmp.replace(path)
    return corpus
