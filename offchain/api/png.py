"""Serving rendered PNGs: size checks, conditional requests, disk cache, then the render pool."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from latentkin_core.genome import Genome
from offchain.api.services import Services
from offchain.errors import InvalidRequestError, OverloadedError
from offchain.render.image_cache import ImageKey

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=60"  # what a URL shows may change (token after a reorg, active renderer)
PNG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}}, "description": "The PNG."},
    304: {"description": "Not modified (If-None-Match matched the ETag)."},
}


def resolve_size(services: Services, size: int | None) -> int:
    """The requested size if offered, the default if None; else a 422."""
    settings = services.settings
    if size is None:
        return settings.image_default_size
    if size not in settings.image_sizes:
        error = InvalidRequestError(f"size must be one of {settings.image_sizes}, got {size}")
        error.loc = ["query", "size"]
        raise error
    return size


async def image_response(
    services: Services, genome: Genome, size: int, request: Request, version: str | None = None, immutable: bool = True
) -> Response:
    """200 with the PNG (from cache or freshly rendered), or 304 if the client has it.

    ``version`` (a renderer hash prefix) picks the renderer, default the active one; only an
    image whose URL names both the genome and the renderer is ``immutable``.
    """
    if services.renderers is None:
        raise OverloadedError(f"renderer not loaded: {services.renderer_error}", services.settings.retry_after)
    entry = services.renderers.select(version)
    entry.check_size(size)
    key = ImageKey(genome, entry.hash, size)
    headers = {"ETag": key.etag, "Cache-Control": IMMUTABLE if immutable and version else REVALIDATE}
    if key.etag in _etags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    data = services.cache.get(key)  # memory hit or one small file read
    if data is None:
        data = await entry.pool.render_png(genome, size, services.settings.render_timeout)
        services.metrics.renders.inc()
        await run_in_threadpool(services.cache.put, key, data)
    return Response(data, media_type="image/png", headers=headers)


def _etags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}
