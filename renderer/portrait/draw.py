"""The reference portrait of a genome: an SVG in latentkin's own style, and its pixels at any size.

The 8 main traits choose what is drawn (hair style and colour, eyes, mouth, skin, glasses, facial
hair, clothing colour); the 64 code genes shape all of it continuously (:mod:`renderer.portrait.genes`
names what each drives). The picture is a pure function of (genes, trait values): the same inputs give
the same SVG text, and the same pixels from the same resvg (:data:`RASTERISER`). This is what the generator is
trained to imitate, and what an outside reader can be trained on.

resvg (Rust, through ``resvg_py``) rasterises: 0.013 CPU-s a portrait at 128 px against cairosvg's 0.034 (measured
on 32 portraits; the pixels differ from cairosvg's by 0.7/255 on average, at edges), and drawing is most of a
training step's CPU.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

import numpy as np
import resvg_py
from PIL import Image

from renderer.portrait import features, hair, scene, wear
from renderer.portrait import palette as P
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.portrait.svg import group, path

RASTERISER = f"resvg {resvg_py.__resvg_version__}"  # part of the drawing: pixels differ between rasterisers
HAIR_STYLE, HAIR_COLOUR, EYES, MOUTH, SKIN, GLASSES, FACIAL_HAIR, CLOTHING = range(8)


def portrait_svg(genes: Sequence[int], values: Sequence[int]) -> str:
    """The SVG (view box 100 x 100) of code genes (64 nibbles) and trait value indices (8)."""
    looks = Looks(genes)
    h = Head.of(looks)
    v = [int(x) for x in values]
    hair_colour = P.shifted(
        P.HAIR[v[HAIR_COLOUR]],
        looks.span("hair_shade", -0.07, 0.07),
        looks.span("hair_tone", -12.0, 12.0),
        looks.span("hair_tone", -0.25, 0.25),
    )
    skin = P.shifted(
        P.SKIN[v[SKIN]],
        looks.span("skin_shade", -0.06, 0.06),
        looks.span("skin_tone", 8.0, -8.0),
        looks.span("skin_tone", -0.2, 0.12),
    )
    cloth = P.shifted(P.CLOTHING[v[CLOTHING]], looks.span("clothing_shade", -0.06, 0.06))
    line = looks.span("line_weight", 0.35, 1.5)
    back, front = hair.hair(h, looks, v[HAIR_STYLE], hair_colour, line)
    brow_colour = P.darker(hair_colour, 0.35) if P.luminance(hair_colour) > 0.25 else P.lighter(hair_colour, 0.05)
    head = [
        back,
        path(h.face_outline(), skin, stroke=P.darker(skin, 0.45), stroke_width=line),
        scene.shading(h, looks),
        wear.ears(h, looks, skin, line),
        features.cheeks(h, looks, skin),
        wear.facial_hair(h, looks, v[FACIAL_HAIR], hair_colour, line),
        features.nose(h, looks, skin, line),
        features.mouth(h, looks, v[MOUTH], skin, line),
        features.eyes(h, looks, v[EYES], skin, line),
        front,
        features.brows(h, looks, brow_colour),
        wear.glasses(h, looks, v[GLASSES]),
    ]
    tilted = group(head, transform=f"rotate({h.tilt:.2f} {h.cx:.2f} {h.chin:.2f})")
    body = wear.body(h, looks, cloth, skin, line)
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100" width="100" height="100">'
        + scene.background(looks)
        + body
        + tilted
        + "</svg>"
    )


def draw_portrait(genes: Sequence[int], values: Sequence[int], size: int) -> np.ndarray:
    """The reference portrait (size, size, 3) uint8 of code genes (64 nibbles) and trait value indices (8)."""
    if size < 8:
        raise ValueError(f"a portrait is at least 8 px, got {size}")
    png = resvg_py.svg_to_bytes(svg_string=portrait_svg(genes, values), width=size, height=size, skip_system_fonts=True)
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGB"), dtype=np.uint8)


def _draw_job(job: tuple[Sequence[int], Sequence[int], int]) -> np.ndarray:
    return draw_portrait(*job)


class PortraitPool:
    """Worker processes that draw reference portraits, kept open for many calls (starting a spawned worker
    costs about a second; a measure that draws 129 batches should pay it once). One worker draws in-process.
    The same pixels for any worker count."""

    def __init__(self, workers: int = 1):
        self.workers = workers
        self._pool = None
        if workers > 1:
            import multiprocessing as mp

            self._pool = mp.get_context("spawn").Pool(workers)

    def draw(self, genes: np.ndarray, values: np.ndarray, size: int) -> np.ndarray:
        """Reference portraits (N, size, size, 3) uint8 of code genes (N, 64) and trait values (N, 8)."""
        jobs = [(g, v, size) for g, v in zip(genes, values, strict=True)]
        if not jobs:
            return np.zeros((0, size, size, 3), np.uint8)
        if self._pool is None or len(jobs) < 16:
            return np.stack([_draw_job(job) for job in jobs])
        return np.stack(self._pool.map(_draw_job, jobs, chunksize=max(1, len(jobs) // (4 * self.workers))))

    def close(self) -> None:
        """Stop the workers."""
        if self._pool is not None:
            self._pool.close()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> PortraitPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def reference_portraits(genes: np.ndarray, values: np.ndarray, size: int, workers: int = 1) -> np.ndarray:
    """Reference portraits (N, size, size, 3) uint8 of code genes (N, 64) and trait values (N, 8), drawn by
    ``workers`` processes (the same pixels for any worker count)."""
    if workers <= 1 or len(genes) < 16:
        return PortraitPool(1).draw(genes, values, size)
    with PortraitPool(workers) as pool:
        return pool.draw(genes, values, size)
