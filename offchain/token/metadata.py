"""ERC-721 / OpenSea metadata: its schema (pydantic models) and pure builders from a token.

The models are the one definition of the document: ``GET /tokens/{id}`` serves what
:func:`token_metadata` builds, serialised by the model, and the OpenAPI schema is the same model.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal, Protocol

from pydantic import BaseModel, Field, SerializerFunctionWrapHandler, model_serializer

from latentkin_core.genome import TRAITS, Genome
from offchain.token.info import TokenInfo

# The labels of latentkin_core.genome.FusionMode (a test checks they agree).
FusionModeName = Literal["crossover", "blend"]


class TraitTable(Protocol):
    """The part of renderer.table's correspondence table that metadata needs."""

    @property
    def trait_names(self) -> Sequence[str]:
        """The 8 human trait names, trait 0 first."""

    def trait_value(self, i: int, nibble: int) -> str:
        """Human value of trait i's nibble."""

    def rarity(self, i: int, nibble: int) -> str:
        """Rarity tier of trait i's nibble."""


class Attribute(BaseModel):
    """One OpenSea attribute; numbers carry ``display_type`` (others leave it out)."""

    display_type: str | None = None
    trait_type: str
    value: str | int

    @model_serializer(mode="wrap")
    def _omit_missing_display_type(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        if data.get("display_type") is None:
            data.pop("display_type", None)
        return data


class TraitInfo(BaseModel):
    """A trait's expressed value, hidden (recessive) value and the expressed value's rarity tier."""

    trait: str
    value: str
    hidden: str
    rarity: str


class TokenMetadata(BaseModel):
    """ERC-721 / OpenSea metadata plus latentkin's own fields."""

    name: str = Field(examples=["latentkin #12"])
    description: str
    image: str
    external_url: str
    background_color: str = Field(pattern=r"^[0-9a-f]{6}$")
    attributes: list[Attribute]
    token_id: int
    owner: str
    parents: list[int]
    fusion_mode: FusionModeName | None = Field(
        default=None,
        description="How a fused character was made (each gene from one parent, or their mean); null for generation 0.",
    )
    generation: int
    fusion_count: int
    cooldown_until: int
    genome: str = Field(pattern=r"^[0-9a-f]{80}$")
    seed: str | None = None
    completed_by: str | None = Field(None, description="Who completed the request that made this token.")
    traits: list[TraitInfo]


def token_name(token_id: int) -> str:
    """``latentkin #12``."""
    return f"latentkin #{token_id}"


def background_color(genome: Genome) -> str:
    """A light, genome-derived background: six hex digits without '#', as OpenSea wants."""
    top = genome.code >> 232  # three bytes from the first genes
    channels = [0xC0 | ((top >> shift) & 0x3F) for shift in (16, 8, 0)]
    return "".join(f"{c:02x}" for c in channels)


def attributes(info: TokenInfo, table: TraitTable) -> list[Attribute]:
    """OpenSea attributes: main traits, hidden sub traits, then numbers with ``display_type``."""
    names = list(table.trait_names)
    out = [Attribute(trait_type=names[i], value=table.trait_value(i, info.genome.main(i))) for i in range(TRAITS)]
    out += [
        Attribute(trait_type=f"Hidden {names[i]}", value=table.trait_value(i, info.genome.sub(i)))
        for i in range(TRAITS)
    ]
    if info.parents and info.fusion_mode is not None:
        out.append(Attribute(trait_type="Fusion", value=info.fusion_mode.label))
    out += [
        Attribute(display_type="number", trait_type="Generation", value=info.generation),
        Attribute(display_type="number", trait_type="Fusions", value=info.fusion_count),
        Attribute(display_type="number", trait_type="Cooldown until block", value=info.cooldown_until),
    ]
    return out


def trait_values(table: TraitTable, i: int) -> list[str]:
    """The distinct values trait i can show, in nibble order (several nibbles may share a value)."""
    return list(dict.fromkeys(table.trait_value(i, n) for n in range(16)))


def traits(genome: Genome, table: TraitTable) -> list[TraitInfo]:
    """Per trait: name, expressed value, hidden value, and the rarity of the expressed value."""
    return [
        TraitInfo(
            trait=table.trait_names[i],
            value=table.trait_value(i, genome.main(i)),
            hidden=table.trait_value(i, genome.sub(i)),
            rarity=table.rarity(i, genome.main(i)),
        )
        for i in range(TRAITS)
    ]


def description(info: TokenInfo) -> str:
    """One sentence about where the character comes from."""
    mode = f" by {info.fusion_mode.label}" if info.fusion_mode is not None else ""
    origin = f"fused from #{info.parent_a} and #{info.parent_b}{mode}" if info.parents else "a generation-0 founder"
    return (
        f"latentkin #{info.id}, generation {info.generation}, {origin}. "
        "Its 320-bit genome lives on Ethereum; a generative model draws it."
    )


def token_url(base_url: str, token_id: int) -> str:
    """Where the service serves a token's metadata (what tokenURI points at)."""
    return f"{base_url}/tokens/{token_id}"


def token_image_url(base_url: str, token_id: int, size: int | None = None) -> str:
    """Where the service serves a token's portrait at ``size`` pixels (None: its default size),
    drawn by the active renderer."""
    url = f"{token_url(base_url, token_id)}/image.png"
    return url if size is None else f"{url}?size={size}"


def genome_image_url(base_url: str, genome: Genome, size: int, renderer_hash: bytes | None = None) -> str:
    """Where the service serves any genome's portrait at ``size`` pixels; with ``renderer_hash`` the
    content-addressed one (this genome drawn by this renderer, a URL whose image never changes)."""
    url = f"{base_url}/genomes/{genome.to_hex()}/image.png?size={size}"
    return url if renderer_hash is None else f"{url}&v={renderer_hash.hex()[:16]}"


def token_metadata(info: TokenInfo, table: TraitTable, base_url: str, size: int) -> TokenMetadata:
    """The full metadata document served at ``GET /tokens/{id}`` (and by tokenURI)."""
    return TokenMetadata(
        name=token_name(info.id),
        description=description(info),
        image=token_image_url(base_url, info.id, size),
        external_url=f"{base_url}/#/token/{info.id}",  # the web page's character view
        background_color=background_color(info.genome),
        attributes=attributes(info, table),
        token_id=info.id,
        owner=info.owner,
        parents=info.parents,
        fusion_mode=info.fusion_mode.label if info.parents and info.fusion_mode is not None else None,
        generation=info.generation,
        fusion_count=info.fusion_count,
        cooldown_until=info.cooldown_until,
        genome=info.genome.to_hex(),
        seed=f"0x{info.seed:064x}" if info.seed is not None else None,
        completed_by=info.completer,
        traits=traits(info.genome, table),
    )
