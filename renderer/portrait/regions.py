"""Where a portrait's small features are: the eyes (with brows and glasses) and the mouth (with what hangs from it).

They are what the traits Eyes, Mouth and Glasses are read from, and a few per cent of the pixels: a loss averaged
over the whole picture gives them a few per cent of its pull. :func:`feature_masks` marks them, from the same
geometry the drawing places them by (:class:`renderer.portrait.head.Head`, head tilt included), so that training
can weigh them on their own (:func:`renderer.losses.region_loss`).

:func:`layout_maps` gives the generator the same geometry as soft maps: for each eye, the mouth and the face, a
bump at its place and the bump times the two coordinates of its own frame (turned with the head). A generator
that is told *where* an eye is only has to learn *what* eye to draw there (``ModelConfigV2.layout_channels``).
:func:`part_frames` gives the frames themselves, where the generator's part atlases are looked up
(:mod:`renderer.part_atlas`); :func:`part_crop_grids` goes the other way, from a part's frame to the picture, so a
reader can look at each part straightened and at one scale (:class:`renderer.reader.TraitReader`).
"""

from __future__ import annotations

import math

import numpy as np

from renderer.portrait.genes import Looks
from renderer.portrait.head import Head

VIEW_BOX = 100.0


def mouth_region(head: Head) -> tuple[float, float, float, float]:
    """(x, y, half width, half height) of the mouth's region in view-box units, before the head's tilt: the mouth's
    shapes reach from above its line (a grin's corners) down to a tongue's or a drip's tip."""
    w = head.mouth_w
    return head.cx, head.mouth_y + 0.65 * w, 1.25 * w + 1.5, 1.25 * w + 2.0


def _ellipses(head: Head) -> list[tuple[float, float, float, float]]:
    """(x, y, half width, half height) of the feature regions in view-box units, before the head's tilt."""
    r = head.eye_r
    eye_y = head.eye_y - 0.4 * r  # brows sit above the eye, lashes and glasses around it
    eyes = [(head.cx + side * head.eye_dx, eye_y, 1.9 * r + 1.5, 2.3 * r + 1.5) for side in (-1, 1)]
    return [*eyes, mouth_region(head)]


def _unrotated_grids(heads: list[Head], size: int, dtype: type = np.float64) -> tuple[np.ndarray, np.ndarray]:
    """View-box positions (x, y), each (len(heads), size, size), of the centres of a ``size`` px picture's pixels
    with each head's rotation about (cx, chin) undone: a pixel belongs to a part of the head where its unrotated
    position does."""
    turn: np.ndarray = np.array([(h.cx, h.chin, math.radians(-h.tilt)) for h in heads], dtype)[:, :, None, None]
    centres: np.ndarray = ((np.arange(size) + 0.5) * (VIEW_BOX / size)).astype(dtype)
    x, y = np.meshgrid(centres, centres)
    cx, chin, cos, sin = turn[:, 0], turn[:, 1], np.cos(turn[:, 2]), np.sin(turn[:, 2])
    return cx + (x - cx) * cos - (y - chin) * sin, chin + (x - cx) * sin + (y - chin) * cos


def feature_mask(genes: np.ndarray, size: int) -> np.ndarray:
    """(size, size) bool: the pixels of the eye and mouth regions of the portrait of code ``genes`` (64 nibbles)."""
    head = Head.of(Looks([int(g) for g in genes]))
    (ux,), (uy,) = _unrotated_grids([head], size)
    mask = np.zeros((size, size), bool)
    for ex, ey, rx, ry in _ellipses(head):
        mask |= ((ux - ex) / rx) ** 2 + ((uy - ey) / ry) ** 2 <= 1.0
    return mask


def feature_masks(genes: np.ndarray, size: int) -> np.ndarray:
    """(B, size, size) bool masks of :func:`feature_mask` for code genes (B, 64)."""
    return np.stack([feature_mask(g, size) for g in genes])


LAYOUT_CHANNELS = 12  # (bump, u * bump, v * bump) for the left eye, the right eye, the mouth and the face
LEFT_EYE, RIGHT_EYE, MOUTH, FACE = range(4)  # the parts whose frames the layout maps are made of, in their order
FRAME_CHANNELS = 8  # (u, v) of each part's frame


def part_frames(genes: np.ndarray, size: int) -> tuple[np.ndarray, np.ndarray]:
    """(u, v), each (B, 4, size, size) float32, for code genes (B, 64) (nibbles, fractional ones drawn in between):
    each pixel's position in the frame of the left eye, the right eye, the mouth and the face, its centre at 0, its
    half width and half height 1 (the face's height above and below its centre apart), turned with the head."""
    heads = [Head.of(Looks([float(g) for g in row])) for row in genes]
    # per genome, each part's frame: x, y, half width, half height above and below its centre
    parts = np.array(
        [
            [(x, y, rx, ry, ry) for x, y, rx, ry in _ellipses(h)] + [(h.cx, h.cy, h.rx, h.ry_top, h.ry_chin)]
            for h in heads
        ],
        np.float32,
    )[:, :, :, None, None]  # (B, 4, 5, 1, 1)
    ux, uy = _unrotated_grids(heads, size, np.float32)  # (B, size, size)
    dy = uy[:, None] - parts[:, :, 1]
    u = (ux[:, None] - parts[:, :, 0]) / parts[:, :, 2]  # (B, 4, size, size)
    v = dy / np.where(dy < 0, parts[:, :, 3], parts[:, :, 4])
    return u, v


def part_crop_grids(genes: np.ndarray, parts: tuple[tuple[int, float], ...], crop: int) -> np.ndarray:
    """(B, len(parts), crop, crop, 2) float32 sampling grids (``torch.nn.functional.grid_sample``'s x, y in [-1, 1],
    pixel centres, ``align_corners=False``) of code genes (B, 64): for each (part, extent) of ``parts``, the square
    of the part's own frame (:func:`part_frames`) from -extent to extent in u and v, turned with the head, so that
    the crop shows the part upright and at the same scale whatever the genes make of its place, size and tilt."""
    heads = [Head.of(Looks([float(g) for g in row])) for row in genes]
    boxes = np.array([[_ellipses(h)[p] for p, _ in parts] for h in heads], np.float64)  # (B, P, 4): x, y, rx, ry
    turn = np.array([(h.cx, h.chin, math.radians(h.tilt)) for h in heads], np.float64)[:, None, None, None]
    unit = (np.arange(crop) + 0.5) / crop * 2 - 1
    steps = np.array([extent for _, extent in parts])[None, :, None, None] * unit  # (1, P, 1, crop)
    u, v = steps, steps.transpose(0, 1, 3, 2)  # u along a row, v down a column
    x = boxes[:, :, 0, None, None] + u * boxes[:, :, 2, None, None]  # (B, P, crop, crop), before the head's tilt
    y = boxes[:, :, 1, None, None] + v * boxes[:, :, 3, None, None]
    cx, chin, cos, sin = turn[..., 0], turn[..., 1], np.cos(turn[..., 2]), np.sin(turn[..., 2])
    image_x = cx + (x - cx) * cos - (y - chin) * sin
    image_y = chin + (x - cx) * sin + (y - chin) * cos
    return (np.stack([image_x, image_y], axis=-1) / (VIEW_BOX / 2) - 1).astype(np.float32)


def layout_maps(genes: np.ndarray, size: int, with_frames: bool = False) -> np.ndarray:
    """(B, 12, size, size) float32 maps of code genes (B, 64): for each eye, the mouth and the face,
    ``exp(-2 (u^2 + v^2))`` and it times u and times v, where (u, v) is the pixel's position in the part's own frame
    (:func:`part_frames`). ``with_frames`` appends the frames themselves, (u, v) of each part: (B, 20, size, size)."""
    u, v = part_frames(genes, size)
    bump = np.exp(np.float32(-2.0) * (u * u + v * v))
    maps = np.stack([bump, u * bump, v * bump], axis=2).reshape(len(genes), LAYOUT_CHANNELS, size, size)
    if not with_frames:
        return maps
    frames = np.stack([u, v], axis=2).reshape(len(genes), FRAME_CHANNELS, size, size)
    return np.concatenate([maps, frames], axis=1)
