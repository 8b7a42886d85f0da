"""One image grid helper (torchvision's ``make_grid`` is not installable here): tiles of equal size."""

from __future__ import annotations

import math

import numpy as np
from PIL import Image


def image_grid(images: np.ndarray, cols: int | None = None, fill: int = 255) -> Image.Image:
    """Tile (B, H, W, 3) uint8 images row by row into one RGB image, ``cols`` per row (default:
    a square), the unused cells of the last row filled with ``fill``."""
    b, h, w, _ = images.shape
    cols = cols or math.ceil(math.sqrt(b))
    rows = math.ceil(b / cols)
    sheet = np.full((rows * h, cols * w, 3), fill, dtype=np.uint8)
    for k in range(b):
        r, c = divmod(k, cols)
        sheet[r * h : (r + 1) * h, c * w : (c + 1) * w] = images[k]
    return Image.fromarray(sheet)
