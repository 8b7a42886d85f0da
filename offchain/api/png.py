"""Serving rendered images: size checks, conditional requests, disk cache, then the render pool (PNG) and the
WebP encoder (the page's smaller copy, offchain/render/webp.py)."""

from __future__ import annotations

from typing import Any

from fastapi import Request, Response
from starlette.concurrency import run_in_threadpool

from latentkin_core.genome import Genome
from offchain.api.services import Services
from offchain.errors import InvalidRequestError, OverloadedError
from offchain.render.image_cache import ImageFormat, ImageKey
from offchain.render.renderer_set import LoadedRenderer
from offchain.render.webp import webp_from_png

IMMUTABLE = "public, max-age=31536000, immutable"
REVALIDATE = "public, max-age=60"  # what a URL shows may change (token after a reorg, active renderer)
PNG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"image/png": {}, "image/webp": {}}, "description": "The image, PNG or WebP."},
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
    services: Services,
    genome: Genome,
    size: int,
    request: Request,
    version: str | None = None,
    immutable: bool = True,
    image_format: ImageFormat = "png",
) -> Response:
    """200 with the image (from cache, freshly rendered, or the cached PNG re-encoded as WebP), or 304 if the
    client has it.

    ``version`` (a renderer hash prefix) picks the renderer, default the active one; only an
    image whose URL names both the genome and the renderer is ``immutable``.
    """
    if services.renderers is None:
        raise OverloadedError(f"renderer not loaded: {services.renderer_error}", services.settings.retry_after)
    entry = services.renderers.select(version)
    entry.check_size(size)
    key = ImageKey(genome, entry.hash, size, image_format)
    headers = {"ETag": key.etag, "Cache-Control": IMMUTABLE if immutable and version else REVALIDATE}
    if key.etag in _etags(request.headers.get("if-none-match")):
        return Response(status_code=304, headers=headers)
    data = services.cache.get(key)  # memory hit or one small file read
    if data is None and image_format == "png":
        data = await _render(services, entry, key)
    elif data is None:  # WebP: from the PNG, itself cached or rendered
        png_key = ImageKey(genome, entry.hash, size)
        png = services.cache.get(png_key) or await _render(services, entry, png_key)
        data = await run_in_threadpool(webp_from_png, png)
        await run_in_threadpool(services.cache.put, key, data)
    return Response(data, media_type=f"image/{image_format}", headers=headers)


async def _render(services: Services, entry: LoadedRenderer, key: ImageKey) -> bytes:
    """``key``'s PNG drawn by ``entry``'s render pool, then cached."""
    data = await entry.pool.render_png(key.genome, key.size, services.settings.render_timeout)
    services.metrics.renders.inc()
    await run_in_threadpool(services.cache.put, key, data)
    return data


def _etags(header: str | None) -> set[str]:
    if not header:
        return set()
    return {tag.strip().removeprefix("W/") for tag in header.split(",")}
