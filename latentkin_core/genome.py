"""Genome v1: the 320-bit genome and the fusion rules (crossover, blend), bit-for-bit the same as the contract's.

A genome is ``(code: uint256, attrs: uint64)``::

    code   bits 255 ................................................ 0
           | gene 63 | gene 62 | ... | gene 1 | gene 0 |   gene j = (code >> 4j) & 0xF

    attrs  bits 63 ................................................. 0
           | sub7 main7 | sub6 main6 | ... | sub0 main0 |   byte i = trait i
             main_i = (attrs >> 8i) & 0xF,  sub_i = (attrs >> (8i + 4)) & 0xF

Pure module: no I/O, no randomness of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from eth_abi import encode
from eth_utils import keccak

from latentkin_core.errors import InvalidFusionModeError, InvalidGenomeError

CODE_BITS = 256
ATTRS_BITS = 64
GENES = 64
TRAITS = 8
GENOME_BYTES = (CODE_BITS + ATTRS_BITS) // 8  # 40
MAX_CODE = (1 << CODE_BITS) - 1
MAX_ATTRS = (1 << ATTRS_BITS) - 1
MAX_SEED = (1 << 256) - 1

MAIN_PROBABILITY_THRESHOLD = 192  # byte < 192 picks the main trait: 192/256 = 75 %
MUTATION_THRESHOLD = 8  # byte < 8 mutates: 8/256 = 3.125 %


@dataclass(frozen=True, slots=True)
class Genome:
    """A latentkin genome: 64 four-bit code genes and 8 traits of (main, sub) nibbles."""

    code: int
    attrs: int

    def __post_init__(self) -> None:
        for name, value, top in (("code", self.code, MAX_CODE), ("attrs", self.attrs, MAX_ATTRS)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise InvalidGenomeError(f"{name} must be an int, got {type(value).__name__}")
            if not 0 <= value <= top:
                raise InvalidGenomeError(f"{name} must be in [0, 2**{top.bit_length()}), got {value}")

    # -- accessors -------------------------------------------------------------------------
    def gene(self, j: int) -> int:
        """Code gene j (0 ≤ j < 64), a nibble."""
        _check_index(j, GENES, "gene")
        return (self.code >> (4 * j)) & 0xF

    def main(self, i: int) -> int:
        """Main (expressed) value of trait i (0 ≤ i < 8)."""
        _check_index(i, TRAITS, "trait")
        return (self.attrs >> (8 * i)) & 0xF

    def sub(self, i: int) -> int:
        """Sub (hidden, recessive) value of trait i (0 ≤ i < 8)."""
        _check_index(i, TRAITS, "trait")
        return (self.attrs >> (8 * i + 4)) & 0xF

    @property
    def genes(self) -> tuple[int, ...]:
        """All 64 code genes, gene 0 first."""
        return tuple((self.code >> (4 * j)) & 0xF for j in range(GENES))

    @property
    def mains(self) -> tuple[int, ...]:
        """The 8 main trait values, trait 0 first."""
        return tuple((self.attrs >> (8 * i)) & 0xF for i in range(TRAITS))

    @property
    def subs(self) -> tuple[int, ...]:
        """The 8 sub trait values, trait 0 first."""
        return tuple((self.attrs >> (8 * i + 4)) & 0xF for i in range(TRAITS))

    @classmethod
    def from_parts(
        cls, genes: list[int] | tuple[int, ...], mains: list[int] | tuple[int, ...], subs: list[int] | tuple[int, ...]
    ) -> Genome:
        """Build a genome from 64 genes and 8 main and 8 sub nibbles."""
        if len(genes) != GENES or len(mains) != TRAITS or len(subs) != TRAITS:
            raise InvalidGenomeError("need 64 genes, 8 mains and 8 subs")
        for v in (*genes, *mains, *subs):
            if isinstance(v, bool) or not isinstance(v, int) or not 0 <= v <= 0xF:
                raise InvalidGenomeError(f"every gene and trait must be a nibble (0..15), got {v!r}")
        code = sum(g << (4 * j) for j, g in enumerate(genes))
        attrs = sum((m | (s << 4)) << (8 * i) for i, (m, s) in enumerate(zip(mains, subs, strict=True)))
        return cls(code, attrs)

    # -- encodings -------------------------------------------------------------------------
    def to_bytes(self) -> bytes:
        """40 bytes, big-endian: 32 bytes of code, then 8 bytes of attrs."""
        return self.code.to_bytes(32, "big") + self.attrs.to_bytes(8, "big")

    @classmethod
    def from_bytes(cls, data: bytes) -> Genome:
        """Inverse of :meth:`to_bytes`."""
        if not isinstance(data, (bytes, bytearray)) or len(data) != GENOME_BYTES:
            raise InvalidGenomeError(f"a genome is exactly {GENOME_BYTES} bytes")
        return cls(int.from_bytes(data[:32], "big"), int.from_bytes(data[32:], "big"))

    def to_hex(self) -> str:
        """80 lowercase hex digits (no 0x): code then attrs, as in :meth:`to_bytes`."""
        return self.to_bytes().hex()

    @classmethod
    def from_hex(cls, text: str) -> Genome:
        """Inverse of :meth:`to_hex`; accepts an optional 0x prefix and either case."""
        if not isinstance(text, str):
            raise InvalidGenomeError("a genome hex must be a string")
        digits = text[2:] if text[:2] in ("0x", "0X") else text
        if len(digits) != 2 * GENOME_BYTES:
            raise InvalidGenomeError(f"a genome hex has {2 * GENOME_BYTES} hex digits, got {len(digits)}")
        try:
            data = bytes.fromhex(digits)
        except ValueError:
            raise InvalidGenomeError("a genome hex may contain only 0-9 and a-f") from None
        return cls.from_bytes(data)

    def __str__(self) -> str:
        return "0x" + self.to_hex()


def _check_index(index: int, count: int, what: str) -> None:
    if not 0 <= index < count:
        raise InvalidGenomeError(f"{what} index must be in [0, {count}), got {index}")


def _byte(word: int, n: int) -> int:
    return (word >> (8 * n)) & 0xFF


def _bit(word: int, n: int) -> int:
    return (word >> n) & 1


def fusion_word(seed: int, k: int) -> int:
    """r(k) = uint256(keccak256(abi.encode(uint256 seed, uint256 k)))."""
    return int.from_bytes(keccak(encode(["uint256", "uint256"], [seed, k])), "big")


class FusionMode(IntEnum):
    """How a fusion mixes the parents' code genes; the value is the contract's ``mode`` argument."""

    CROSSOVER = 0  # each gene from one parent
    BLEND = 1  # each gene the mean of both, rounded by a random bit

    @property
    def label(self) -> str:
        """``"crossover"`` or ``"blend"``: the name the service, page and CLI use."""
        return self.name.lower()

    @classmethod
    def parse(cls, value: FusionMode | int | str) -> FusionMode:
        """A mode from its value (0, 1) or its label; :class:`InvalidFusionModeError` for anything else."""
        if isinstance(value, str) and value.lower() in {m.label for m in cls}:
            return cls[value.upper()]
        if isinstance(value, int) and not isinstance(value, bool) and value in cls._value2member_map_:
            return cls(value)
        raise InvalidFusionModeError(f"unknown fusion mode {value!r}: use crossover (0) or blend (1)")


def _crossover_gene(gx: int, gy: int, bit: int) -> int:
    return gy if bit else gx


def _blend_gene(gx: int, gy: int, bit: int) -> int:
    return (gx + gy + bit) >> 1


_GENE_RULES = {FusionMode.CROSSOVER: _crossover_gene, FusionMode.BLEND: _blend_gene}


def fuse(x: Genome, y: Genome, seed: int) -> Genome:
    """The crossover fusion rule of genome v1: child of x and y under a 256-bit seed.

    Code: uniform crossover chosen by bits of R0, then point mutation (one bit flipped)
    where a byte of R1/R2 is below 8. Attributes: each parent offers its main trait with
    probability 75 % (else its sub); bit 64+i of R0 decides which offer becomes the
    child's main, the other its sub; a byte of R3 below 8 mutates the main.
    """
    return fusion_outcome(x, y, seed, FusionMode.CROSSOVER)


def blend(x: Genome, y: Genome, seed: int) -> Genome:
    """The blend fusion rule: like :func:`fuse`, except that gene j is the mean of both parents'
    genes, rounded up where bit j of R0 is set: ``(X.gene[j] + Y.gene[j] + bit(R0, j)) >> 1``.
    Same random words, same point mutation, same attributes."""
    return fusion_outcome(x, y, seed, FusionMode.BLEND)


def fusion_outcome(x: Genome, y: Genome, seed: int, mode: FusionMode | int | str = FusionMode.CROSSOVER) -> Genome:
    """The child of x and y under ``seed`` by fusion ``mode`` (the contract's ``fusionOutcome`` /
    ``blendOutcome``, and what ``completeFusion`` mints for a request of that mode)."""
    gene_rule = _GENE_RULES[FusionMode.parse(mode)]
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InvalidGenomeError("seed must be an int in [0, 2**256)")
    r0, r1, r2, r3 = (fusion_word(seed, k) for k in range(4))

    code = 0
    for j in range(GENES):
        g = gene_rule(x.gene(j), y.gene(j), _bit(r0, j))
        m = _byte(r1 if j < 32 else r2, j % 32)
        if m < MUTATION_THRESHOLD:
            g ^= 1 << (m & 3)
        code |= g << (4 * j)

    attrs = 0
    for i in range(TRAITS):
        sx = x.main(i) if _byte(r3, i) < MAIN_PROBABILITY_THRESHOLD else x.sub(i)
        sy = y.main(i) if _byte(r3, 8 + i) < MAIN_PROBABILITY_THRESHOLD else y.sub(i)
        main, sub = (sy, sx) if _bit(r0, 64 + i) else (sx, sy)
        if _byte(r3, 16 + i) < MUTATION_THRESHOLD:
            main = _byte(r3, 24 + i) & 0xF
        attrs |= (main | (sub << 4)) << (8 * i)
    return Genome(code, attrs)


def random_genome(rng: Any) -> Genome:
    """A uniformly random genome drawn from ``rng`` (a ``random.Random`` or numpy Generator)."""
    if hasattr(rng, "getrandbits"):
        return Genome(rng.getrandbits(CODE_BITS), rng.getrandbits(ATTRS_BITS))
    raw = rng.integers(0, 256, size=GENOME_BYTES, dtype="uint8").tobytes()
    return Genome.from_bytes(raw)


def genome_from_seed(seed: int) -> Genome:
    """Genome of a public gen-0 mint: ``(R0, R1 mod 2**64)`` of ``seed`` (``GenomeLib.fromSeed``)."""
    if isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= MAX_SEED:
        raise InvalidGenomeError("seed must be an int in [0, 2**256)")
    return Genome(fusion_word(seed, 0), fusion_word(seed, 1) & MAX_ATTRS)
