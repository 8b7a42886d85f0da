"""A token as the service reads it, from the index or straight from the chain."""

from __future__ import annotations

from dataclasses import dataclass

from latentkin_core.genome import FusionMode, Genome


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
