"""Liveness with the state of chain, indexer and renderer; Prometheus metrics."""

from __future__ import annotations

from fastapi import APIRouter, Response
from prometheus_client import CONTENT_TYPE_LATEST

from offchain.api.deps import ServicesDep
from offchain.api.schemas import ChainHealth, Health, IndexerHealth, RendererHealth, ServedRenderer
from offchain.errors import ChainUnavailableError, DeploymentNotFoundError

router = APIRouter(tags=["health"])

STALE_ERROR_RETRY = 2.0  # seconds /healthz waits for the indexer to retry once the chain answers again


@router.get("/healthz", response_model=Health)
def healthz(services: ServicesDep) -> Health:
    """200 while the service runs; ``status`` says whether everything agrees."""
    try:
        chain = ChainHealth(reachable=True, chain_id=services.chain.chain_id(), head=services.chain.head())
        if not services.chain.contract_deployed():
            chain.error = f"no contract at {services.chain.deployment.address} on this chain (was it reset?)"
    except (ChainUnavailableError, DeploymentNotFoundError) as exc:
        chain = ChainHealth(reachable=False, error=str(exc))
    status = services.indexer_status()
    if (
        chain.reachable
        and chain.error is None
        and status.last_error is not None
        and status.running
        and services.settings.index_in_service
    ):  # the error may predate the chain's return: retry now
        services.indexer.retry_now(STALE_ERROR_RETRY)
        status = services.indexer_status()
    lag = chain.head - status.cursor if chain.head is not None and status.cursor is not None else None
    check = services.check_renderer_hash() if chain.reachable else services.renderer_check
    renderer = RendererHealth(
        loaded=services.pool is not None,
        hash=_hex(check.local),
        contract_hash=_hex(check.contract),
        match=check.match if chain.error is None else None,  # no contract: nothing to match against
        error=services.renderer_error or check.error,
        served=[
            ServedRenderer(
                hash=_hex(e.hash),
                native_size=e.native_size,
                active=e.hash == services.renderer_hash,
                image_sizes=e.sizes(services.settings.image_sizes),
            )
            for e in services.renderers or []
        ],
    )
    ok = (
        chain.reachable
        and chain.error is None
        and renderer.loaded
        and renderer.match is True
        and status.last_error is None
        and status.superseded is None
    )
    return Health(
        status="ok" if ok else "degraded",
        chain=chain,
        indexer=IndexerHealth(
            cursor=status.cursor,
            head=status.head,
            lag=lag,
            running=status.running,
            reorgs=status.reorgs,
            last_error=status.last_error,
            superseded=status.superseded,
        ),
        renderer=renderer,
        render_queue=services.pool.depth if services.pool else 0,
        image_sizes=services.image_sizes(),
    )


@router.get("/metrics", response_class=Response, responses={200: {"content": {CONTENT_TYPE_LATEST: {}}}})
def metrics(services: ServicesDep) -> Response:
    """Prometheus text exposition."""
    return Response(services.metrics.exposition(), media_type=CONTENT_TYPE_LATEST)


def _hex(value: bytes | None) -> str | None:
    return "0x" + value.hex() if value is not None else None
