"""Fusion preview: possible children of two tokens or genomes, before paying gas."""

from __future__ import annotations

import asyncio
import io
import secrets
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from PIL import Image
from starlette.concurrency import run_in_threadpool

from latentkin_core.genome import FusionMode, Genome
from offchain.api.catalog import Catalog
from offchain.api.deps import CatalogDep, ServicesDep, SizeQuery
from offchain.api.fusion_odds import FusionOddsBody, odds_body
from offchain.api.png import IMMUTABLE, PNG_RESPONSES, resolve_size
from offchain.api.schemas import ErrorBody, FusionPreview, PreviewChild
from offchain.errors import ConflictError, OverloadedError
from offchain.render.fusion_preview import MAX_SALT, contact_sheet, preview_children
from offchain.render.pool import encode_png
from offchain.token.metadata import FusionModeName, genome_image_url, traits

router = APIRouter(prefix="/fusion", tags=["fusion"])

ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorBody, "description": "A parent token does not exist."},
    409: {"model": ErrorBody, "description": "a and b are the same token: the contract refuses a self-fusion."},
    503: {
        "model": ErrorBody,
        "description": "Busy, renderer missing or chain unreachable.",
        "headers": {"Retry-After": {"schema": {"type": "integer"}}},
    },
}

Parent = Annotated[
    str,
    Query(pattern=r"^([1-9][0-9]{0,9}|(0x)?[0-9a-fA-F]{80})$", description="A token id, or a genome as 80 hex digits."),
]
Count = Annotated[int, Query(ge=1, le=64, description="Children to sample (capped by the service).")]
Salt = Annotated[int | None, Query(ge=0, le=MAX_SALT, description="Seed salt; random if omitted.")]
Mode = Annotated[
    FusionModeName, Query(description="Fusion mode: crossover (each gene from one parent) or blend (the mean).")
]
ModeOrBoth = Annotated[FusionModeName | None, Query(description="Fusion mode: crossover or blend; both when omitted.")]


def _genome(catalog: Catalog, ref: str) -> Genome:
    return catalog.genome(int(ref)) if len(ref) <= 10 else Genome.from_hex(ref)


def _refuse_self_fusion(a: str, b: str) -> None:
    """The contract refuses to fuse a token with itself; so does the preview (409)."""
    if len(a) <= 10 and a == b:
        raise ConflictError(f"character #{a} cannot fuse with itself: the contract refuses a self-fusion")


@router.get("/preview", response_model=FusionPreview, responses=ERRORS)
def preview(
    a: Parent,
    b: Parent,
    services: ServicesDep,
    catalog: CatalogDep,
    n: Count = 4,
    salt: Salt = None,
    size: SizeQuery = None,
    mode: Mode = "crossover",
) -> FusionPreview:
    """``n`` possible children of a and b under sampled seeds, through the exact fusion rule of ``mode``."""
    _refuse_self_fusion(a, b)
    settings = services.settings
    size = resolve_size(services, size if size is not None else min(settings.image_sizes))
    n = min(n, settings.preview_max)
    salt = secrets.randbits(64) if salt is None else salt
    ga, gb = _genome(catalog, a), _genome(catalog, b)
    base = settings.public_base_url
    children = [
        PreviewChild(
            seed=f"0x{seed:064x}",
            genome=child.to_hex(),
            image=genome_image_url(base, child, size),
            traits=traits(child, services.table),
        )
        for seed, child in preview_children(ga, gb, salt, n, FusionMode.parse(mode))
    ]
    sheet = f"{base}/fusion/preview.png?a={a}&b={b}&n={n}&salt={salt}&size={size}&mode={mode}"
    return FusionPreview(
        a=ga.to_hex(), b=gb.to_hex(), mode=mode, salt=salt, n=n, children=children, contact_sheet=sheet
    )


@router.get("/odds", response_model=FusionOddsBody, responses=ERRORS)
def odds(a: Parent, b: Parent, services: ServicesDep, catalog: CatalogDep, mode: ModeOrBoth = None) -> FusionOddsBody:
    """The exact odds of a and b's child over every seed, per trait by named value and rarity, in ``mode`` or both."""
    _refuse_self_fusion(a, b)
    modes = [FusionMode.parse(mode)] if mode is not None else list(FusionMode)
    return odds_body(services.table, _genome(catalog, a), _genome(catalog, b), modes)


@router.get("/preview.png", response_class=Response, responses=PNG_RESPONSES | ERRORS)
async def preview_png(
    a: Parent,
    b: Parent,
    services: ServicesDep,
    catalog: CatalogDep,
    n: Count = 4,
    salt: Salt = None,
    size: SizeQuery = None,
    mode: Mode = "crossover",
) -> Response:
    """Contact sheet: the two parents, then the sampled children of ``mode``."""
    _refuse_self_fusion(a, b)
    settings = services.settings
    size = resolve_size(services, size if size is not None else min(settings.image_sizes))
    n = min(n, settings.preview_max)
    explicit = salt is not None
    salt = salt if salt is not None else secrets.randbits(64)
    if services.pool is None:
        raise OverloadedError(f"renderer not loaded: {services.renderer_error}", settings.retry_after)
    ga = await run_in_threadpool(_genome, catalog, a)
    gb = await run_in_threadpool(_genome, catalog, b)
    genomes = [ga, gb] + [child for _, child in preview_children(ga, gb, salt, n, FusionMode.parse(mode))]
    pngs = await asyncio.gather(*(services.pool.render_png(g, size, settings.render_timeout) for g in genomes))
    png = await run_in_threadpool(_sheet, pngs, size)
    headers = {"Cache-Control": IMMUTABLE if explicit else "no-store", "X-Fusion-Salt": str(salt)}
    return Response(png, media_type="image/png", headers=headers)


def _sheet(pngs: list[bytes], size: int) -> bytes:
    images = [Image.open(io.BytesIO(p)) for p in pngs]
    return encode_png(contact_sheet(images[:2], images[2:], size))
