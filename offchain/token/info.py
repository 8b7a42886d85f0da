"""A token as the service reads it, from the index or straight from the chain."""

from __future__ import annotations

from dataclasses import dataclass

from latentkin_core.genome import FusionMode, Genome
from offchain.store.models import Token


@dataclass(frozen=True, slots=True)
class TokenInfo:
    """Everything metadata is made of, whether it comes from the index or straight from the chain."""

    id: int
    owner: str
    genome: Genome
    parent_a: int = 0
    parent_b: int = 0
    generation: int = 0
    fusion_count: int = 0
    cooldown_until: int = 0
    seed: int | None = None
    fusion_mode: FusionMode | None = None  # how a fused child was made; None for gen-0
    completer: str | None = None  # who completed the request that made it (fusion or public mint)

    @property
    def parents(self) -> list[int]:
        """Parent ids, empty for generation 0."""
        return [self.parent_a, self.parent_b] if self.parent_a and self.parent_b else []

    @classmethod
    def from_row(cls, row: Token) -> TokenInfo:
        """From an indexed token row."""
        return cls(int(row.id), row.owner, Genome.from_hex(row.genome), int(row.parent_a),
                   int(row.parent_b), int(row.generation), int(row.fusion_count),
                   int(row.cooldown_until), int(row.seed, 16) if row.seed else None,
                   FusionMode(row.fusion_mode) if row.fusion_mode is not None else None, row.completer)
