"""The correspondence table: genome nibbles -> float latents and trait values.

Data lives in a versioned JSON file (``renderer/data/table_v1.json``):

* ``gene_values[k]`` is the float of a code gene equal to ``k`` (the standard-normal
  quantile at ``(k + 0.5) / 16``), so the 64 genes of the 256-bit code become a 64-float
  latent ``z`` that is roughly N(0, I) for a random genome;
* for every trait, each of the 16 nibbles names one value; values listed under several
  nibbles are more common, which is what makes rarity tiers.

Only main traits are read; sub traits are recessive and never drawn. Pure: no randomness,
and :meth:`Table.decode` is the vectorised form used to draw training latents "through the
table" from random nibbles.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np

from latentkin_core.genome import GENES, Genome
from latentkin_core.genome import TRAITS as TRAIT_COUNT
from renderer.errors import TableError
from renderer.vocabulary import TRAIT_NAMES, VOCABULARY

DEFAULT_TABLE = Path(__file__).parent / "data" / "table_v1.json"
TIERS = ("common", "uncommon", "rare", "legendary")


@dataclass(frozen=True)
class Table:
    """A loaded correspondence table (see module docstring)."""

    version: int
    gene_values: np.ndarray  # (16,) float32
    nibble_to_value: np.ndarray  # (8, 16) int64: trait value index per nibble
    value_names: tuple[tuple[str, ...], ...]
    value_tiers: tuple[tuple[str, ...], ...]
    raw: bytes

    @property
    def trait_names(self) -> tuple[str, ...]:
        """The 8 human trait names, trait 0 first."""
        return TRAIT_NAMES

    @property
    def trait_sizes(self) -> tuple[int, ...]:
        """How many distinct values each trait has."""
        return tuple(len(names) for names in self.value_names)

    def _check(self, i: int, nibble: int) -> None:
        if not 0 <= i < TRAIT_COUNT:
            raise TableError(f"trait index must be in [0, {TRAIT_COUNT}), got {i}")
        if isinstance(nibble, bool) or not isinstance(nibble, (int, np.integer)) or not 0 <= nibble <= 15:
            raise TableError(f"a trait nibble is an int in [0, 15], got {nibble!r}")

    def value_index(self, i: int, nibble: int) -> int:
        """Index into ``VOCABULARY[i].values`` of trait i's nibble."""
        self._check(i, nibble)
        return int(self.nibble_to_value[i, nibble])

    def trait_value(self, i: int, nibble: int) -> str:
        """Human value of trait i's nibble, e.g. ``"Big curls"``."""
        value = self.value_index(i, nibble)
        return self.value_names[i][value]

    def rarity(self, i: int, nibble: int) -> str:
        """Rarity tier of trait i's nibble: one of ``TIERS``."""
        value = self.value_index(i, nibble)
        return self.value_tiers[i][value]

    def nibbles_of(self, i: int, value: int) -> tuple[int, ...]:
        """Every nibble of trait i that shows value index ``value`` (inverse of value_index)."""
        return tuple(int(n) for n in np.flatnonzero(self.nibble_to_value[i] == value))

    def value_probabilities(self, i: int) -> np.ndarray:
        """Probability of each value of trait i for a uniformly random nibble (count / 16)."""
        self._check(i, 0)
        return np.bincount(self.nibble_to_value[i], minlength=len(self.value_names[i])) / 16.0

    def decode(self, genes: np.ndarray, mains: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Vectorised decode: genes (B, 64) and mains (B, 8) nibbles -> z (B, 64) float32, y (B, 8) int64."""
        genes, mains = np.asarray(genes), np.asarray(mains)
        if genes.ndim != 2 or genes.shape[1] != GENES or mains.shape != (genes.shape[0], TRAIT_COUNT):
            raise TableError("decode needs genes of shape (B, 64) and mains of shape (B, 8)")
        z = self.gene_values[genes]
        y = self.nibble_to_value[np.arange(TRAIT_COUNT)[None, :], mains]
        return z.astype(np.float32), y.astype(np.int64)

    def latents(self, genome: Genome) -> np.ndarray:
        """The 64-float code latent of a genome (one float per code gene, gene 0 first)."""
        return self.gene_values[np.array(genome.genes)].astype(np.float32)

    def trait_indices(self, genome: Genome) -> np.ndarray:
        """The 8 trait value indices the genome's main traits express (sub traits ignored)."""
        return self.nibble_to_value[np.arange(TRAIT_COUNT), np.array(genome.mains)].astype(np.int64)

    def random_batch(self, rng: np.random.Generator, n: int) -> tuple[np.ndarray, np.ndarray]:
        """Decode ``n`` uniformly random genomes: (z, y) drawn through the table."""
        genes = rng.integers(0, 16, size=(n, GENES))
        mains = rng.integers(0, 16, size=(n, TRAIT_COUNT))
        return self.decode(genes, mains)


def parse_table(raw: bytes) -> Table:
    """Parse and validate table JSON bytes against the trait vocabulary."""
    try:
        doc = json.loads(raw)
        gene_values = np.array(doc["gene_values"], dtype=np.float32)
        traits = doc["traits"]
        version = int(doc["version"])
    except (ValueError, KeyError, TypeError) as exc:
        raise TableError(f"table is not valid table JSON: {exc}") from None
    if gene_values.shape != (16,) or not np.all(np.diff(gene_values) > 0):
        raise TableError("gene_values must be 16 increasing floats")
    if len(traits) != TRAIT_COUNT:
        raise TableError(f"table needs {TRAIT_COUNT} traits, has {len(traits)}")
    table = np.full((TRAIT_COUNT, 16), -1, dtype=np.int64)
    names, tiers = [], []
    for i, (entry, trait) in enumerate(zip(traits, VOCABULARY)):
        values = entry.get("values", [])
        if entry.get("name") != trait.name or tuple(v.get("name") for v in values) != trait.values:
            raise TableError(f"trait {i} of the table does not match the vocabulary ({trait.name})")
        for j, value in enumerate(values):
            if value.get("tier") not in TIERS:
                raise TableError(f"{trait.name}/{value['name']}: unknown tier {value.get('tier')!r}")
            for nibble in value.get("nibbles", []):
                if not 0 <= nibble <= 15 or table[i, nibble] != -1:
                    raise TableError(f"{trait.name}: nibble {nibble} out of range or listed twice")
                table[i, nibble] = j
        if (table[i] < 0).any():
            raise TableError(f"{trait.name}: every nibble 0..15 must name a value")
        names.append(trait.values)
        tiers.append(tuple(v["tier"] for v in values))
    return Table(version, gene_values, table, tuple(names), tuple(tiers), bytes(raw))


@cache
def _load_cached(path: str) -> Table:
    return parse_table(Path(path).read_bytes())


def load_table(path: str | Path | None = None) -> Table:
    """Load (and cache) a table file; ``None`` is the shipped ``table_v1.json``."""
    path = Path(path) if path is not None else DEFAULT_TABLE
    try:
        return _load_cached(str(path.resolve()))
    except OSError as exc:
        raise TableError(f"cannot read table {path}: {exc}") from None
