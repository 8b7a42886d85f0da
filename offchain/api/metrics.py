"""Prometheus metrics of one service instance (its own registry, so several apps can coexist)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest


class Metrics:
    """Request counters and latencies, render pool, cache and indexer gauges."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "latentkin_http_requests", "HTTP requests served", ["route", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "latentkin_http_request_seconds",
            "HTTP request latency",
            ["route"],
            registry=self.registry,
            buckets=(0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10),
        )
        self.renders = Counter("latentkin_renders", "Images rendered (cache misses)", registry=self.registry)

    def bind(self, services: Any) -> None:
        """Gauges that read live values from the services at scrape time."""

        def gauge(name: str, doc: str, fn) -> None:
            Gauge(name, doc, registry=self.registry).set_function(lambda: float(fn() or 0))

        gauge(
            "latentkin_render_queue_depth",
            "Distinct renders queued or running",
            lambda: services.pool.depth if services.pool else 0,
        )
        gauge("latentkin_render_batches", "Render batches run", lambda: services.pool.batches if services.pool else 0)
        gauge(
            "latentkin_render_rejected",
            "Renders refused because the queue was full",
            lambda: services.pool.rejected if services.pool else 0,
        )
        gauge("latentkin_image_cache_hits", "Image cache hits", lambda: services.cache.hits)
        gauge("latentkin_image_cache_misses", "Image cache misses", lambda: services.cache.misses)
        gauge(
            "latentkin_image_cache_evictions",
            "Cached images deleted from disk to stay under the bound",
            lambda: services.cache.evictions,
        )
        gauge("latentkin_image_cache_bytes", "Bytes of cached images on disk", lambda: services.cache.disk_bytes)
        gauge("latentkin_image_cache_files", "Cached images on disk", lambda: services.cache.files)
        gauge(
            "latentkin_image_cache_write_errors",
            "Rendered images served but not cached (disk full or read-only)",
            lambda: services.cache.write_errors,
        )
        breaker = services.chain.breaker
        if breaker is not None:
            gauge(
                "latentkin_chain_breaker_trips",
                "Times an unreachable or hung node opened the circuit breaker",
                lambda: breaker.trips,
            )
            gauge(
                "latentkin_chain_breaker_rejected",
                "Chain lookups answered 503 at once (breaker open or too many calls waiting on the node)",
                lambda: breaker.rejected,
            )
            gauge(
                "latentkin_chain_breaker_open",
                "1 while chain lookups are refused without asking the node",
                lambda: 1 if breaker.is_open else 0,
            )
        gauge("latentkin_indexer_block", "Last indexed block", lambda: services.indexer.status.cursor)
        gauge("latentkin_indexer_reorgs", "Reorgs rolled back", lambda: services.indexer.status.reorgs)
        gauge(
            "latentkin_renderer_hash_match",
            "1 if our renderer hash equals the contract's",
            lambda: 1 if services.renderer_check.match else 0,
        )

        keeper = services.keeper
        if keeper is None:
            return
        completed = Gauge(
            "latentkin_keeper_completed", "Requests this keeper completed", ["kind"], registry=self.registry
        )
        for kind in ("fusion", "mint"):
            completed.labels(kind).set_function(partial(_count, keeper.status.completed, kind))
        gauge("latentkin_keeper_pending", "Known requests not completed yet", lambda: keeper.status.pending)
        gauge(
            "latentkin_keeper_completed_by_others",
            "Due requests someone else completed first",
            lambda: keeper.status.completed_by_others,
        )
        gauge(
            "latentkin_keeper_failures",
            "Completions that reverted or could not be sent",
            lambda: keeper.status.failures,
        )
        gauge(
            "latentkin_keeper_dropped",
            "Requests whose completion reverts for good in simulation (never sent)",
            lambda: keeper.status.dropped,
        )
        gauge("latentkin_keeper_in_flight", "Completions sent and not mined yet", lambda: keeper.status.in_flight)
        gauge(
            "latentkin_keeper_last_delay_blocks",
            "Blocks between a reveal and our completion (last one)",
            lambda: keeper.status.last_delay_blocks,
        )
        gauge("latentkin_keeper_gas_used", "Gas spent on completions", lambda: keeper.status.gas_used)
        gauge("latentkin_keeper_block", "Last block whose requests the keeper read", lambda: keeper.status.cursor)

    def observe(self, route: str, status: int, seconds: float) -> None:
        """Count one request."""
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def exposition(self) -> bytes:
        """The text exposition format."""
        return generate_latest(self.registry)


def _count(counts: Mapping[str, int], kind: str) -> float:
    """``counts[kind]`` as a gauge reads it (a float, read at scrape time)."""
    return float(counts[kind])
