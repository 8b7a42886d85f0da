"""Contact sheets: random genomes, and one row per trait showing each of its values."""

from __future__ import annotations

import random

import numpy as np
from PIL import Image

from latentkin_core.genome import Genome, random_genome
from renderer.grid import image_grid
from renderer.render import Renderer


def random_sheet(renderer: Renderer, count: int = 64, seed: int = 0, size: int = 64) -> Image.Image:
    """A square grid of ``count`` random genomes drawn from ``random.Random(seed)``."""
    rng = random.Random(seed)
    images = renderer.render_images([random_genome(rng) for _ in range(count)], size=size)
    return image_grid(np.stack([np.asarray(im) for im in images]))


def trait_sheet(renderer: Renderer, seed: int = 0, size: int = 64) -> Image.Image:
    """Row i: trait i swept over every value it has (first nibble naming it), the rest of a
    random genome fixed; shorter rows are padded white."""
    base = random_genome(random.Random(seed))
    table = renderer.table
    width = max(table.trait_sizes)
    rows = []
    for i, n_values in enumerate(table.trait_sizes):
        genomes = []
        for value in range(n_values):
            mains = list(base.mains)
            mains[i] = table.nibbles_of(i, value)[0]
            genomes.append(Genome.from_parts(base.genes, mains, base.subs))
        pixels = [np.asarray(im) for im in renderer.render_images(genomes, size=size)]
        pixels += [np.full_like(pixels[0], 255)] * (width - n_values)
        rows.extend(pixels)
    return image_grid(np.stack(rows), cols=width)
