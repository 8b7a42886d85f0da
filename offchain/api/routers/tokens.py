"""Token metadata, gallery listing and family trees."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute
from starlette.concurrency import run_in_threadpool
from web3 import Web3

from offchain.api.deps import ADDRESS_PATTERN, CatalogDep, PageCursor, PageLimit, ServicesDep, TokenId
from offchain.api.fusion_odds import Inheritance, inheritance
from offchain.api.market_schemas import SaleList
from offchain.api.market_views import chain_time, sale_view
from offchain.api.schemas import ErrorBody, Family, TokenPage, TokenSummary
from offchain.api.services import Services
from offchain.errors import ChainUnavailableError
from offchain.market.book import sales_of
from offchain.store.family import family_tree
from offchain.store.gallery import BY_POSITION, GalleryQuery, GallerySort, gallery_tokens, parse_trait
from offchain.token.info import TokenInfo
from offchain.token.metadata import TokenMetadata, TraitTable, token_image_url, token_name, token_url, traits

router = APIRouter(prefix="/tokens", tags=["tokens"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such token."},
    503: {"model": ErrorBody, "description": "Chain unreachable and token not indexed."},
}


def _summary(info: TokenInfo, base: str, size: int, table: TraitTable) -> TokenSummary:
    return TokenSummary(
        token_id=info.id,
        name=token_name(info.id),
        owner=info.owner,
        genome=info.genome.to_hex(),
        generation=info.generation,
        parents=info.parents,
        image=token_image_url(base, info.id, size),
        metadata=token_url(base, info.id),
        traits=traits(info.genome, table),
        fusion_count=info.fusion_count,
        cooldown_until=info.cooldown_until,
    )


def _head(services: Services) -> int | None:
    """The head block the indexer last saw, else the last block it indexed (no RPC: the gallery is served
    from the index alone, also while the chain is down)."""
    status = services.indexer_status()
    return status.head if status.head is not None else status.cursor


@router.get("", response_model=TokenPage, responses={422: {"description": "Unknown trait or value."}})
def gallery(
    services: ServicesDep,
    owner: Annotated[str | None, Query(pattern=ADDRESS_PATTERN)] = None,
    limit: PageLimit = 24,
    cursor: PageCursor = None,
    sort: Annotated[
        GallerySort,
        Query(
            description="newest (default) or oldest first; rarest first (the fewest look-alikes by the trait "
            "table); cheapest or dearest first (only the characters for sale, by their price now, a Dutch "
            "auction's as it falls)."
        ),
    ] = "newest",
    generation: Annotated[int | None, Query(ge=0, le=65535, description="Only this generation.")] = None,
    trait: Annotated[
        list[str], Query(max_length=8, description="'Trait:Value', e.g. 'Eyes:Happy'; repeat to require several.")
    ] = [],  # noqa: B006 (FastAPI copies it)
    ready: Annotated[
        bool | None,
        Query(description="true: only characters that may fuse now; false: only resting (or worn-out) ones."),
    ] = None,
    for_sale: Annotated[
        bool | None,
        Query(description="true: only characters their owner lists in the order book; false: only the others."),
    ] = None,
) -> TokenPage:
    """Indexed tokens, newest first by default (or oldest, rarest, cheapest, dearest first), filtered by owner,
    generation, traits, readiness, for sale."""
    settings = services.settings
    filters = [parse_trait(t, services.table) for t in trait]
    head = _head(services)
    if ready is not None and head is None:
        raise ChainUnavailableError(
            "readiness needs the chain's head block, and neither the chain nor the index has one"
        )
    query = GalleryQuery(
        sort=sort,
        owner=Web3.to_checksum_address(owner) if owner else None,
        generation=generation,
        traits=filters,
        ready=ready,
        head=head,
        for_sale=for_sale,
        now=chain_time(services) if sort in ("cheapest", "dearest") else None,
    )
    limit = min(limit, settings.page_limit_max)
    start = int(cursor) if cursor else None
    with services.sessions() as session:
        rows = gallery_tokens(session, query, limit + 1, start)
    more = len(rows) > limit
    if sort in BY_POSITION:
        next_cursor = str((start or 0) + limit) if more else None
    else:
        next_cursor = str(rows[limit - 1].id) if more else None
    size = min(settings.image_sizes)
    return TokenPage(
        items=[_summary(info, settings.public_base_url, size, services.table) for info in rows[:limit]],
        next_cursor=next_cursor,
        head=head,
    )


@router.get("/{token_id}", response_class=JSONResponse, responses={200: {"model": TokenMetadata}, **ERRORS})
async def metadata(token_id: TokenId, catalog: CatalogDep) -> Response:
    """ERC-721 / OpenSea metadata of a token (what tokenURI points at).

    The body is a :class:`TokenMetadata` serialised once and memoised as bytes (see Catalog)."""
    body = catalog.cached_metadata(token_id) or await run_in_threadpool(catalog.metadata, token_id)
    return Response(body, media_type="application/json")


def metadata_route() -> APIRoute:
    """The route of ``GET /tokens/{token_id}`` (offchain/api/metadata_memo.py names it for the metrics)."""
    return next(r for r in router.routes if isinstance(r, APIRoute) and r.endpoint is metadata)


@router.get("/{token_id}/family", response_model=Family, responses=ERRORS)
def family(
    token_id: TokenId,
    services: ServicesDep,
    catalog: CatalogDep,
    depth: Annotated[int, Query(ge=1, le=16, description="Generations each way.")] = 2,
) -> Family:
    """Ancestors and descendants of a token as two trees (from the index)."""
    settings = services.settings
    depth = min(depth, settings.family_depth_max)
    info, indexed = catalog.token(token_id)
    if not indexed:
        raise ChainUnavailableError(f"token {token_id} is not indexed yet")
    base, size = settings.public_base_url, min(settings.image_sizes)

    def node(t: TokenInfo) -> dict[str, Any]:
        return {
            "token_id": t.id,
            "name": token_name(t.id),
            "genome": t.genome.to_hex(),
            "generation": t.generation,
            "fusion_mode": t.fusion_mode.label if t.fusion_mode is not None else None,
            "image": token_image_url(base, t.id, size),
        }

    with services.sessions() as session:
        tree = family_tree(session, info, depth, settings.family_nodes_max, node)
    return Family(token_id=token_id, depth=depth, **tree)


@router.get("/{token_id}/inheritance", response_model=Inheritance, responses=ERRORS)
def inheritance_of(token_id: TokenId, services: ServicesDep, catalog: CatalogDep) -> Inheritance:
    """What a character could pass on: its shown and hidden traits and their chances to reach a child."""
    return inheritance(services.table, token_id, catalog.genome(token_id))


@router.get("/{token_id}/sales", response_model=SaleList)
def sales(
    token_id: TokenId,
    services: ServicesDep,
    limit: Annotated[int, Query(ge=1, le=1000, description="Most sales returned.")] = 50,
) -> SaleList:
    """The token's sales through Seaport (any marketplace's), newest first, from the index."""
    with services.sessions() as session:
        rows = sales_of(session, token_id, min(limit, services.settings.page_limit_max))
    return SaleList(items=[sale_view(s) for s in rows])
