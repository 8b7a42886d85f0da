"""Build the FastAPI app: services, error handlers, request and body limits, metrics middleware, routers, web page
slot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI
from starlette.middleware.cors import CORSMiddleware

from offchain.api import errors, openapi
from offchain.api.body_guard import BodyGuard
from offchain.api.catalog import Catalog
from offchain.api.concurrency import ConcurrencyLimit
from offchain.api.http_methods import HeadAndOptions
from offchain.api.metadata_memo import MetadataMemo
from offchain.api.middleware import MetricsMiddleware
from offchain.api.routers import chain, contract, fusion, genes, health, images, market, offers, orders, tokens, web
from offchain.api.services import Services, build_services
from offchain.chain.status import ChainStatusReader
from offchain.settings import Settings, get_settings


def served_sizes(settings: Settings, services: Services) -> list[int]:
    """The offered image sizes every loaded renderer serves (a size past one's upscale limit is a 422)."""
    loaded = services.renderers.by_hash.values() if services.renderers else []
    return [s for s in settings.image_sizes if all(s in entry.sizes(settings.image_sizes) for entry in loaded)]


def create_app(settings: Settings | None = None, *, services: Services | None = None, **inject: Any) -> FastAPI:
    """The latentkin service; ``inject`` (w3, renderer, table) replaces parts for tests and demo."""
    settings = settings or (services.settings if services else get_settings())
    services = services or build_services(settings, **inject)

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        services.start()
        try:
            yield
        finally:
            services.close()

    app = FastAPI(
        title="latentkin",
        version="0.1.0",
        lifespan=lifespan,
        description="Metadata and images of latentkin characters, read from the chain.",
    )
    app.state.services = services
    app.state.catalog = Catalog(services)
    app.state.chain_status = ChainStatusReader(services.chain)
    errors.install(app, settings.retry_after, settings.cors_origins)
    app.add_middleware(ConcurrencyLimit, limit=settings.max_concurrency, retry_after=settings.retry_after)
    app.add_middleware(
        BodyGuard, max_bytes=settings.max_body_bytes, max_depth=settings.max_json_depth, timeout=settings.body_timeout
    )  # outside the limit: a slow body holds no slot
    app.add_middleware(MetadataMemo, catalog=app.state.catalog, route=tokens.metadata_route())  # inside the metrics
    app.add_middleware(MetricsMiddleware)
    app.add_middleware(HeadAndOptions)
    app.add_middleware(
        CORSMiddleware,
        allow_origins=settings.cors_origins,
        allow_methods=["GET", "HEAD", "OPTIONS", "POST"],
        allow_headers=["*"],
        expose_headers=["ETag", "Retry-After", "X-Fusion-Salt"],
        max_age=86400,
    )
    for module in (tokens, offers, orders, market, images, genes, fusion, contract, health, chain):
        app.include_router(module.router)
    web.mount_web(app, settings)
    openapi.install(app, settings, services.table, served_sizes(settings, services))
    return app
