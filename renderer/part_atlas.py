"""Part atlases: what each value of a trait looks like, learnt in the frame of the part it is drawn at.

A style vector says *what* to draw and the layout maps say *where* (:mod:`renderer.portrait.regions`), but a
generator of one or two convs per resolution must still build a heart, a cross or a grin out of the
maps' smooth bumps. An atlas gives it the shape outright: for each value of a trait, a small learnt
feature map laid over the part's own frame (:func:`renderer.portrait.regions.part_frames`: centre 0, half
width and height 1, turned with the head), so that the Eyes value's map sits on each eye at the size and
tilt the genes give it, the Mouth value's on the mouth, the Glasses value's around the eyes and the Hair
style's and Facial hair's over the face. A genome's atlases are looked up (bilinearly, zero outside the
atlas) at every pixel and summed; :class:`renderer.model_v2.GeneratorV2` adds them to its activations
through zero-initialised 1x1 convs, so a generator trained without atlases draws what it drew until
they learn. This is the "neural texture" of deferred neural rendering: learnt, not drawn.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from renderer.portrait.regions import FACE, LEFT_EYE, MOUTH, RIGHT_EYE
from renderer.vocabulary import TRAIT_NAMES


@dataclass(frozen=True)
class AtlasSpec:
    """One atlas: the trait whose value picks the map, the part whose frame it lies in, how far it reaches in
    that frame (its edges at u, v = +-extent) and its texels a side."""

    trait: int
    part: int
    extent: float
    texels: int


def _trait(name: str) -> int:
    return TRAIT_NAMES.index(name)


ATLASES = (
    AtlasSpec(_trait("Eyes"), LEFT_EYE, 1.25, 24),
    AtlasSpec(_trait("Eyes"), RIGHT_EYE, 1.25, 24),  # a side of its own: a wink is not symmetric
    AtlasSpec(_trait("Glasses"), LEFT_EYE, 1.6, 24),
    AtlasSpec(_trait("Glasses"), RIGHT_EYE, 1.6, 24),
    AtlasSpec(_trait("Mouth"), MOUTH, 1.25, 24),
    AtlasSpec(_trait("Facial hair"), FACE, 1.5, 32),
    AtlasSpec(_trait("Hair style"), FACE, 2.2, 32),  # long hair reaches the shoulders
)


class PartAtlases(nn.Module):
    """(frames (B, 8, s, s): (u, v) of each part, trait values y (B, 8)) -> the summed atlases (B, channels, s, s)."""

    def __init__(self, trait_sizes: tuple[int, ...], channels: int):
        super().__init__()
        self.maps = nn.ParameterList(
            nn.Parameter(torch.randn(trait_sizes[spec.trait], channels, spec.texels, spec.texels)) for spec in ATLASES
        )

    def forward(self, frames: torch.Tensor, y: torch.Tensor, face: bool = True) -> torch.Tensor:
        """Each atlas of the genome's trait value, looked up at every pixel's place in its part's frame, summed;
        without the face's atlases (Facial hair, Hair style) when ``face`` is False.

        Only the box of pixels some genome's atlas reaches is sampled: everywhere else every bilinear tap
        falls in the zero padding, so the sum is the same, bit for bit, as sampling the whole picture (and a
        genome's pixels do not depend on which box its batch companions widen)."""
        batch, size = frames.shape[0], frames.shape[-1]
        total = frames.new_zeros(batch, self.maps[0].shape[1], size, size)
        rows_near, cols_near = _nearest_by_row_and_column(frames)
        for spec, maps in zip(ATLASES, self.maps, strict=True):
            if spec.part == FACE and not face:
                continue
            # with align_corners=False a bilinear tap lands inside the atlas while |u| < extent * (1 + 1 / texels);
            # 2 / texels leaves a margin for rounding
            reach = spec.extent * (1 + 2 / spec.texels)
            rows, cols = np.flatnonzero(rows_near[spec.part] < reach), np.flatnonzero(cols_near[spec.part] < reach)
            if len(rows) == 0:
                continue
            box = (slice(None), slice(None), slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))
            grid = frames[:, 2 * spec.part : 2 * spec.part + 2][box].permute(0, 2, 3, 1) / spec.extent
            looked_up = F.grid_sample(maps[y[:, spec.trait]], grid, padding_mode="zeros", align_corners=False)
            total[box] = total[box] + looked_up
        return total


def _nearest_by_row_and_column(frames: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """For each part (parts, s): the least max(|u|, |v|) over each row's pixels and over each column's, over the
    batch. An atlas reaching out to r touches the rows and columns where it is below r, and no other."""
    nearest = frames.detach().abs().unflatten(1, (-1, 2)).amax(dim=2).amin(dim=0)  # (parts, s, s)
    return nearest.amin(dim=2).cpu().numpy(), nearest.amin(dim=1).cpu().numpy()
