"""A picture of what each gene group does: one row per group, its genes moved together from 0 to 15.

Every other gene and the traits stay those of one base genome, so a row shows only its group at work.
Works on any drawing function (the reference portrait or a generator, see :mod:`renderer.gene_effects`).
"""

from __future__ import annotations

import numpy as np
from PIL import Image, ImageDraw

from renderer.gene_effects import Draw
from renderer.portrait.genes import GENE_MAP, GROUPS

STEPS = (0, 3, 6, 9, 12, 15)


def group_sweep_images(draw: Draw, genes: np.ndarray, values: np.ndarray, steps=STEPS) -> np.ndarray:
    """(groups, len(steps), H, W, 3) uint8: row g sets every gene of group g to each step in turn."""
    rows = []
    for group in GROUPS:
        members = [g.index for g in GENE_MAP if g.group == group]
        moved = np.repeat(genes[None].astype(np.uint8), len(steps), axis=0)
        for k, nibble in enumerate(steps):
            moved[k, members] = nibble
        rows.append(draw(moved, np.repeat(values[None], len(steps), axis=0)))
    return np.stack(rows)


def group_sweep_sheet(images: np.ndarray, label_width: int = 96) -> Image.Image:
    """The sweep as one labelled sheet: the group's name left of each row."""
    groups, steps, h, w, _ = images.shape
    sheet = Image.new("RGB", (label_width + steps * w, groups * h), "white")
    pen = ImageDraw.Draw(sheet)
    for r, group in enumerate(GROUPS):
        pen.text((6, r * h + h // 2 - 6), group, fill="black")
        for c in range(steps):
            sheet.paste(Image.fromarray(images[r, c]), (label_width + c * w, r * h))
    return sheet
