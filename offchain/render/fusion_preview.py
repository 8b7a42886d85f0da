"""Fusion preview: possible children of two genomes under sampled seeds, and a contact sheet.

Seeds are derived from (a, b, salt, i) so a preview is reproducible from its URL; the chain
uses a blockhash-derived seed instead, but the rule applied to it is the same (:func:`fuse` for
crossover, :func:`blend`). Seeds do not depend on the mode, so child i of both modes shares its seed
(and its traits): previews of the two modes compare like with like.
"""

from __future__ import annotations

from collections.abc import Sequence

from eth_abi import encode
from eth_utils import keccak
from PIL import Image, ImageDraw

from latentkin_core.genome import FusionMode, Genome, fusion_outcome

MAX_SALT = (1 << 64) - 1


def preview_seed(a: Genome, b: Genome, salt: int, i: int) -> int:
    """uint256(keccak256(abi.encode(codeA, attrsA, codeB, attrsB, salt, i)))."""
    data = encode(
        ["uint256", "uint64", "uint256", "uint64", "uint64", "uint256"], [a.code, a.attrs, b.code, b.attrs, salt, i]
    )
    return int.from_bytes(keccak(data), "big")


def preview_children(
    a: Genome, b: Genome, salt: int, n: int, mode: FusionMode = FusionMode.CROSSOVER
) -> list[tuple[int, Genome]]:
    """``n`` (seed, child) pairs through the exact fusion rule of ``mode``."""
    return [(seed, fusion_outcome(a, b, seed, mode)) for seed in (preview_seed(a, b, salt, i) for i in range(n))]


def contact_sheet(parents: Sequence[Image.Image], children: Sequence[Image.Image], cell: int) -> Image.Image:
    """Parents on the first row (joined by '×'), children in rows of up to 4 below."""
    cols = max(3, min(4, len(children)))
    rows = 1 + (len(children) + cols - 1) // cols
    pad = max(4, cell // 16)
    sheet = Image.new("RGB", (cols * (cell + pad) + pad, rows * (cell + pad) + pad), "white")
    sheet.paste(parents[0].convert("RGB").resize((cell, cell)), (pad, pad))
    sheet.paste(parents[1].convert("RGB").resize((cell, cell)), (pad + 2 * (cell + pad), pad))
    draw = ImageDraw.Draw(sheet)
    cx, cy, r = pad + (cell + pad) + cell // 2, pad + cell // 2, max(3, cell // 6)
    draw.line((cx - r, cy - r, cx + r, cy + r), fill="black", width=max(1, cell // 24))
    draw.line((cx - r, cy + r, cx + r, cy - r), fill="black", width=max(1, cell // 24))
    for k, image in enumerate(children):
        row, col = 1 + k // cols, k % cols
        sheet.paste(image.convert("RGB").resize((cell, cell)), (pad + col * (cell + pad), pad + row * (cell + pad)))
    return sheet
