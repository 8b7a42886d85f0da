"""Where a portrait's small features are: the eyes (with brows and glasses) and the mouth (with what hangs from it).

They are what the traits Eyes, Mouth and Glasses are read from, and a few per cent of the pixels: a loss averaged
over the whole picture gives them a few per cent of its pull. :func:`feature_masks` marks them, from the same
geometry the drawing places them by (:class:`renderer.portrait.head.Head`, head tilt included), so that training
can weigh them on their own (:func:`renderer.losses.region_loss`).
"""

from __future__ import annotations

import math

import numpy as np

from renderer.portrait.genes import Looks
from renderer.portrait.head import Head

VIEW_BOX = 100.0


def _ellipses(head: Head) -> list[tuple[float, float, float, float]]:
    """(x, y, half width, half height) of the feature regions in view-box units, before the head's tilt."""
    r, w = head.eye_r, head.mouth_w
    eye_y = head.eye_y - 0.4 * r  # brows sit above the eye, lashes and glasses around it
    eyes = [(head.cx + side * head.eye_dx, eye_y, 1.9 * r + 1.5, 2.3 * r + 1.5) for side in (-1, 1)]
    # the mouth's shapes reach from above its line (a grin's corners) down to a tongue's or a drip's tip
    mouth = (head.cx, head.mouth_y + 0.65 * w, 1.25 * w + 1.5, 1.25 * w + 2.0)
    return [*eyes, mouth]


def feature_mask(genes: np.ndarray, size: int) -> np.ndarray:
    """(size, size) bool: the pixels of the eye and mouth regions of the portrait of code ``genes`` (64 nibbles)."""
    head = Head.of(Looks([int(g) for g in genes]))
    centres = (np.arange(size) + 0.5) * (VIEW_BOX / size)
    x, y = np.meshgrid(centres, centres)
    # undo the head's rotation about (cx, chin): a pixel is in a region if its unrotated position is
    a = math.radians(-head.tilt)
    dx, dy = x - head.cx, y - head.chin
    ux = head.cx + dx * math.cos(a) - dy * math.sin(a)
    uy = head.chin + dx * math.sin(a) + dy * math.cos(a)
    mask = np.zeros((size, size), bool)
    for ex, ey, rx, ry in _ellipses(head):
        mask |= ((ux - ex) / rx) ** 2 + ((uy - ey) / ry) ** 2 <= 1.0
    return mask


def feature_masks(genes: np.ndarray, size: int) -> np.ndarray:
    """(B, size, size) bool masks of :func:`feature_mask` for code genes (B, 64)."""
    return np.stack([feature_mask(g, size) for g in genes])
