"""The correspondence table: genome nibbles -> float latents and trait values.

Data lives in a versioned JSON file (``renderer/data/table_v1.json``):

* ``gene_values[k]`` is the float of a code gene equal to ``k`` (the standard-normal
  quantile at ``(k + 0.5) / 16``), so the 64 genes of the 256-bit code become a 64-float
  latent ``z`` that is roughly N(0, I) for a random genome;
* for every trait, each of the 16 nibbles names one value; values listed under several
  nibbles are more common, which is what makes rarity tiers.

From version 2 on (``table_v2.json``, the v3 renderer's) the table also carries the **gene map**:
``genes[j]`` names what code gene ``j`` drives in the picture (a parameter name, the part it shapes,
and what nibble 0 and nibble 15 look like). Being in the table, the map is part of the renderer hash.
:func:`with_gene_map` writes it from :data:`renderer.portrait.genes.GENE_MAP`.

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

TABLE_V1 = Path(__file__).parent / "data" / "table_v1.json"
TABLE_V2 = Path(__file__).parent / "data" / "table_v2.json"  # v1's traits and the v3 portrait's gene map
DEFAULT_TABLE = TABLE_V1
TIERS = ("common", "uncommon", "rare", "legendary")
GENE_FIELDS = ("index", "name", "group", "low", "high")


@dataclass(frozen=True, slots=True)
class GeneRole:
    """What one code gene drives in the picture: e.g. 0, "face_width", "face", "narrow", "wide"."""

    index: int
    name: str
    group: str
    low: str  # what nibble 0 looks like
    high: str  # what nibble 15 looks like

    @property
    def describes(self) -> str:
        """One sentence for a player, e.g. ``"Face width: narrow (0) to wide (15)"``."""
        return f"{self.name.replace('_', ' ').capitalize()}: {self.low} (0) to {self.high} (15)"


@dataclass(frozen=True)
class Table:
    """A loaded correspondence table (see module docstring)."""

    version: int
    gene_values: np.ndarray  # (16,) float32
    nibble_to_value: np.ndarray  # (8, 16) int64: trait value index per nibble
    value_names: tuple[tuple[str, ...], ...]
    value_tiers: tuple[tuple[str, ...], ...]
    raw: bytes
    genes: tuple[GeneRole, ...] = ()  # the gene map (version >= 2), gene 0 first; empty before

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

    def genes_of_latents(self, z: np.ndarray) -> np.ndarray:
        """Inverse of :meth:`latents` for any array of latents: the (fractional, for values in between) nibbles."""
        return np.interp(z, self.gene_values, np.arange(len(self.gene_values), dtype=np.float64))

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
    for i, (entry, trait) in enumerate(zip(traits, VOCABULARY, strict=False)):
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
    genes = _parse_gene_map(doc.get("genes"), version)
    return Table(version, gene_values, table, tuple(names), tuple(tiers), bytes(raw), genes)


def _parse_gene_map(entries: object, version: int) -> tuple[GeneRole, ...]:
    """The gene map of a table document: none before version 2, one entry per code gene from it on."""
    if version < 2:
        if entries is not None:
            raise TableError("a version 1 table has no gene map")
        return ()
    if not isinstance(entries, list) or len(entries) != GENES:
        raise TableError(f"a version {version} table maps all {GENES} code genes")
    roles = []
    for j, entry in enumerate(entries):
        if not isinstance(entry, dict) or set(entry) != set(GENE_FIELDS):
            raise TableError(f"gene {j}: an entry has exactly the fields {', '.join(GENE_FIELDS)}")
        if entry["index"] != j or not all(isinstance(entry[f], str) and entry[f] for f in GENE_FIELDS[1:]):
            raise TableError(f"gene {j}: index must be {j} and every other field a non-empty string")
        roles.append(GeneRole(j, entry["name"], entry["group"], entry["low"], entry["high"]))
    if len({r.name for r in roles}) != GENES:
        raise TableError("gene names in the gene map must be unique")
    return tuple(roles)


def with_gene_map(raw: bytes, roles: list[GeneRole] | tuple[GeneRole, ...], version: int = 2) -> bytes:
    """The bytes of table ``raw`` (a version 1 table) as table ``version`` carrying the gene map ``roles``.

    Traits, tiers and gene values are kept as they are, so every genome shows the same trait values."""
    doc = json.loads(raw)
    if doc.get("version") != 1:
        raise TableError("a gene map is added to a version 1 table")
    doc["version"] = version
    doc["description"] = (
        f"latentkin correspondence table v{version}: table v1's gene values and traits, and the gene map "
        "(what each code gene drives in the v3 reference portrait, nibble 0 to nibble 15)."
    )
    doc["genes"] = [{field: getattr(role, field) for field in GENE_FIELDS} for role in roles]
    out = (json.dumps(doc, indent=1, ensure_ascii=False) + "\n").encode()
    parse_table(out)  # what is written reads back
    return out


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
