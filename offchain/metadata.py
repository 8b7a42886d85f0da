"""Pure builders of ERC-721 / OpenSea metadata from an indexed (or freshly read) token."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from offchain.genome import TRAITS, Genome


class TraitTable(Protocol):
    """The part of renderer.table's correspondence table that metadata needs."""

    trait_names: list[str]

    def trait_value(self, i: int, nibble: int) -> str: ...

    def rarity(self, i: int, nibble: int) -> str: ...


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
    completer: str | None = None  # who completed the request that made it (fusion or public mint)

    @property
    def parents(self) -> list[int]:
        """Parent ids, empty for generation 0."""
        return [self.parent_a, self.parent_b] if self.parent_a and self.parent_b else []

    @classmethod
    def from_row(cls, row: Any) -> TokenInfo:
        """From an offchain.models.Token row."""
        return cls(int(row.id), row.owner, Genome.from_hex(row.genome), int(row.parent_a),
                   int(row.parent_b), int(row.generation), int(row.fusion_count),
                   int(row.cooldown_until), int(row.seed, 16) if row.seed else None,
                   getattr(row, "completer", None))


def token_name(token_id: int) -> str:
    """``latentkin #12``."""
    return f"latentkin #{token_id}"


def background_color(genome: Genome) -> str:
    """A light, genome-derived background: six hex digits without '#', as OpenSea wants."""
    top = genome.code >> 232  # three bytes from the first genes
    channels = [0xC0 | ((top >> shift) & 0x3F) for shift in (16, 8, 0)]
    return "".join(f"{c:02x}" for c in channels)


def attributes(info: TokenInfo, table: TraitTable) -> list[dict[str, Any]]:
    """OpenSea attributes: main traits, hidden sub traits, then numbers with ``display_type``."""
    names = list(table.trait_names)
    out: list[dict[str, Any]] = [
        {"trait_type": names[i], "value": table.trait_value(i, info.genome.main(i))}
        for i in range(TRAITS)
    ]
    out += [{"trait_type": f"Hidden {names[i]}", "value": table.trait_value(i, info.genome.sub(i))}
            for i in range(TRAITS)]
    out += [
        {"display_type": "number", "trait_type": "Generation", "value": info.generation},
        {"display_type": "number", "trait_type": "Fusions", "value": info.fusion_count},
        {"display_type": "number", "trait_type": "Cooldown until block", "value": info.cooldown_until},
    ]
    return out


def traits(genome: Genome, table: TraitTable) -> list[dict[str, Any]]:
    """Per trait: name, expressed value, hidden value, and the rarity of the expressed value."""
    return [{"trait": table.trait_names[i], "value": table.trait_value(i, genome.main(i)),
             "hidden": table.trait_value(i, genome.sub(i)), "rarity": table.rarity(i, genome.main(i))}
            for i in range(TRAITS)]


def description(info: TokenInfo) -> str:
    """One sentence about where the character comes from."""
    origin = (f"fused from #{info.parent_a} and #{info.parent_b}" if info.parents
              else "a generation-0 founder")
    return (f"latentkin #{info.id}, generation {info.generation}, {origin}. "
            "Its 320-bit genome lives on Ethereum; a generative model draws it.")


def token_url(base_url: str, token_id: int) -> str:
    """Where the service serves a token's metadata (what tokenURI points at)."""
    return f"{base_url}/tokens/{token_id}"


def token_image_url(base_url: str, token_id: int, size: int) -> str:
    """Where the service serves a token's portrait at ``size`` pixels (drawn by the active renderer)."""
    return f"{token_url(base_url, token_id)}/image.png?size={size}"


def genome_image_url(base_url: str, genome: Genome, renderer_hash: bytes, size: int) -> str:
    """The content-addressed portrait: this genome drawn by this renderer, a URL whose image never changes."""
    return f"{base_url}/genomes/{genome.to_hex()}/image.png?size={size}&v={renderer_hash.hex()[:16]}"


def token_metadata(info: TokenInfo, table: TraitTable, base_url: str, size: int) -> dict[str, Any]:
    """The full metadata document served at ``GET /tokens/{id}`` (and by tokenURI)."""
    return {
        "name": token_name(info.id),
        "description": description(info),
        "image": token_image_url(base_url, info.id, size),
        "external_url": f"{base_url}/#/token/{info.id}",  # the web page's character view
        "background_color": background_color(info.genome),
        "attributes": attributes(info, table),
        "token_id": info.id,
        "owner": info.owner,
        "parents": info.parents,
        "generation": info.generation,
        "fusion_count": info.fusion_count,
        "cooldown_until": info.cooldown_until,
        "genome": info.genome.to_hex(),
        "seed": f"0x{info.seed:064x}" if info.seed is not None else None,
        "completed_by": info.completer,
        "traits": traits(info.genome, table),
    }
