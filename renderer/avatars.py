"""python-avatars' SVG as v1's and v2's reference portraits show it: rasterised by cairosvg at twice the
size on a plain background, cropped to the head and shoulders, box-reduced (the avatars style of
:mod:`renderer.paired_corpus`)."""

from __future__ import annotations

import io

import cairosvg
from PIL import Image

BACKGROUND = "#E8E4DC"
SVG_WIDTH, SVG_HEIGHT = 264, 280
CROP = (36, 34, 192)  # x0, y0, side of the square head-and-shoulders crop, in SVG units


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
