"""Images of tokens and of any genome (content-addressed): PNG, the renderer's own, or WebP, the page's smaller
copy (``image.webp``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request, Response
from starlette.concurrency import run_in_threadpool

from latentkin_core.genome import Genome
from offchain.api.deps import CatalogDep, GenomeHex, ServicesDep, SizeQuery, TokenId, VersionQuery
from offchain.api.png import PNG_RESPONSES, image_response, resolve_size
from offchain.api.schemas import ErrorBody
from offchain.render.image_cache import ImageFormat

router = APIRouter(tags=["images"])

FormatPath = Annotated[
    ImageFormat, Path(description="png (the renderer's image) or webp (lossy, about a tenth of the bytes).")
]

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "No such token, or no renderer with that hash."},
    503: {
        "model": ErrorBody,
        "description": "Busy, renderer missing or chain unreachable.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}


@router.get("/tokens/{token_id}/image.{image_format}", response_class=Response, responses=PNG_RESPONSES | ERRORS)
async def token_image(
    token_id: TokenId,
    image_format: FormatPath,
    request: Request,
    services: ServicesDep,
    catalog: CatalogDep,
    size: SizeQuery = None,
    v: VersionQuery = None,
) -> Response:
    """The token's character as a PNG or WebP of ``size`` pixels (revalidated: a reorg may change the token)."""
    size = resolve_size(services, size)
    genome = catalog.cached_genome(token_id)
    if genome is None:
        genome = await run_in_threadpool(catalog.genome, token_id)
    return await image_response(services, genome, size, request, v, immutable=False, image_format=image_format)


@router.get(
    "/genomes/{genome_hex}/image.{image_format}",
    response_class=Response,
    responses=PNG_RESPONSES
    | {404: {"model": ErrorBody, "description": "No renderer with that hash."}, 503: ERRORS[503]},
)
async def genome_image(
    genome_hex: GenomeHex,
    image_format: FormatPath,
    request: Request,
    services: ServicesDep,
    size: SizeQuery = None,
    v: VersionQuery = None,
) -> Response:
    """Any genome drawn as a PNG or WebP: a pure function of (genome, renderer, size, format), immutable when
    ``v`` names the renderer."""
    size = resolve_size(services, size)
    return await image_response(services, Genome.from_hex(genome_hex), size, request, v, image_format=image_format)
