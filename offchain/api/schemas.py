"""Response models: they document the API (OpenAPI) and are what the schema tests check against."""

from __future__ import annotations

from pydantic import BaseModel, Field

from offchain.token.metadata import FusionModeName, TraitInfo


class TokenSummary(BaseModel):
    """A gallery entry: enough for a card (portrait, traits with rarity, owner, ready or resting)."""

    token_id: int
    name: str
    owner: str
    genome: str
    generation: int
    parents: list[int]
    image: str
    metadata: str
    traits: list[TraitInfo] = []
    fusion_count: int = 0
    cooldown_until: int = Field(0, description="The block from which it may fuse again.")


class TokenPage(BaseModel):
    """One page of the gallery; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[TokenSummary]
    next_cursor: str | None
    head: int | None = Field(None, description="The chain's head block the cooldowns compare with.")


class ChainStatusBody(BaseModel):
    """The chain's head and pace, and the public mint and fusion terms (readable without a wallet)."""

    chain_id: int
    head: int
    head_timestamp: int
    block_seconds: float = Field(description="Mean seconds per block lately (12 when the chain mines on demand).")
    mint_price_wei: str = Field(pattern=r"^[0-9]+$")
    mint_cap: int
    minted: int
    fusion_fee_wei: str = Field(pattern=r"^[0-9]+$")


class OfferSummary(BaseModel):
    """A character whose owner offers it for fusion."""

    token_id: int
    name: str
    owner: str
    fuser: str | None = Field(description="The one account that may fuse; null: anyone who pays.")
    price_wei: str = Field(pattern=r"^[0-9]+$", description="Paid to the owner on top of the fusion fee.")
    image: str
    metadata: str


class OfferPage(BaseModel):
    """One page of open fusion offers; pass ``next_cursor`` as ``cursor`` for the next."""

    items: list[OfferSummary]
    next_cursor: str | None


class AncestorNode(BaseModel):
    """A token and, recursively, its parents."""

    token_id: int
    name: str
    genome: str
    generation: int
    fusion_mode: FusionModeName | None = None  # null for generation 0
    image: str
    parents: list[AncestorNode]


class DescendantNode(BaseModel):
    """A token and, recursively, its children."""

    token_id: int
    name: str
    genome: str
    generation: int
    fusion_mode: FusionModeName | None = None  # null for generation 0
    image: str
    children: list[DescendantNode]


class Family(BaseModel):
    """Ancestors and descendants of a token, ``depth`` generations each way."""

    token_id: int
    depth: int
    ancestors: AncestorNode
    descendants: DescendantNode
    truncated: bool


class PreviewChild(BaseModel):
    """One possible child: the seed it would take and the genome it would get."""

    seed: str
    genome: str
    image: str
    traits: list[TraitInfo]


class FusionPreview(BaseModel):
    """Possible children of a and b through the on-chain fusion rule of the mode."""

    a: str
    b: str
    mode: FusionModeName = Field(description="The fusion mode the children were made by.")
    salt: int
    n: int
    children: list[PreviewChild]
    contact_sheet: str


class ContractMetadata(BaseModel):
    """Collection metadata (contractURI, ERC-7572)."""

    name: str
    symbol: str
    description: str
    image: str
    external_link: str
    address: str | None
    chain_id: int | None


class TraitValues(BaseModel):
    """One trait and every value it can show (the gallery's trait filter offers these)."""

    name: str
    values: list[str]


class WebConfig(BaseModel):
    """What the web page needs to reach the contract through a wallet."""

    chainId: int
    address: str
    chainName: str
    rpcUrl: str | None
    imageSizes: list[int]  # what the active renderer serves (never stretched more than 4x)
    seaport: str | None = None  # the market: Seaport 1.6 and the WETH offers are made in (null: no market)
    weth: str | None = None
    zone: str | None = None  # the LatentKinZone orders are restricted to, committing to the traits (null: none)
    traits: list[TraitValues] = []


class ChainHealth(BaseModel):
    reachable: bool
    chain_id: int | None = None
    head: int | None = None
    error: str | None = None


class IndexerHealth(BaseModel):
    cursor: int | None
    head: int | None
    lag: int | None
    running: bool
    reorgs: int
    last_error: str | None
    superseded: str | None = (
        None  # the chain was reset: this index is kept, readable, until the new chain has the contract
    )


class ServedRenderer(BaseModel):
    """A renderer this service draws with, reachable by ``?v=<hash prefix>``."""

    hash: str
    native_size: int
    image_sizes: list[int]
    active: bool


class RendererHealth(BaseModel):
    loaded: bool
    hash: str | None
    contract_hash: str | None
    match: bool | None
    error: str | None
    served: list[ServedRenderer] = []


class Health(BaseModel):
    """``ok`` when chain, indexer and renderer all agree; ``degraded`` otherwise (still serving)."""

    status: str
    chain: ChainHealth
    indexer: IndexerHealth
    renderer: RendererHealth
    render_queue: int
    image_sizes: list[int]


class ErrorBody(BaseModel):
    """Body of every 404 / 503 answer."""

    detail: str
    pending: bool | None = Field(
        None,
        description="On a 404 for a token: true when the id belongs to a "
        "request not completed yet (it will exist), false when it cannot exist yet.",
    )


class GeneInfo(BaseModel):
    """What one code gene drives in the picture: nibble 0 looks like ``low``, nibble 15 like ``high``."""

    index: int = Field(ge=0, le=63)
    name: str = Field(description="The parameter it drives, e.g. face_width.")
    group: str = Field(description="The part of the character it shapes, e.g. face, eyes, hair.")
    low: str
    high: str
    describes: str = Field(description='One sentence for a player, e.g. "Face width: narrow (0) to wide (15)".')


class GeneMap(BaseModel):
    """The gene map of a renderer (its correspondence table's): empty for renderers whose code genes have no
    named roles (v1, v2)."""

    renderer_hash: str
    genes: list[GeneInfo]
