"""Prometheus metrics of one service instance (its own registry, so several apps can coexist).

Counters and the latency histogram are the Prometheus client's; with ``metrics_dir`` (several worker processes,
see offchain/api/server.py) they live in the client's multiprocess files there and :meth:`Metrics.exposition`
sums every worker's. The gauges read live values of this process (render pool, cache, breaker, indexer, keeper)
at scrape time through :class:`LiveGauges`, a collector that keeps no values (the multiprocess mode's files
cannot hold a value read on demand).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from offchain.api.live_gauges import LiveGauges, add_service_gauges

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"


def use_multiprocess_dir(directory: Path) -> None:
    """Point this process's Prometheus client at ``directory`` (created if missing): metrics made from now on
    keep their values in files there. The client chooses its value class when it is imported, from
    PROMETHEUS_MULTIPROC_DIR; a worker process inherits that variable from `serve`, a process given the setting
    otherwise (a test) switches here."""
    directory.mkdir(parents=True, exist_ok=True)
    os.environ[MULTIPROC_ENV] = str(directory)
    if values.ValueClass is values.MutexValue:
        values.ValueClass = values.MultiProcessValue()  # type: ignore[no-untyped-call]  # prometheus_client is untyped here


class Metrics:
    """Request counters and latencies (summed over worker processes with ``multiprocess_dir``), and live gauges."""

    def __init__(self, multiprocess_dir: Path | None = None) -> None:
        self.multiprocess_dir = multiprocess_dir
        if multiprocess_dir is not None:
            use_multiprocess_dir(multiprocess_dir)
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
        self.gauges = LiveGauges()

    def bind(self, services: Any) -> None:
        """Gauges that read live values from the services at scrape time (offchain/api/live_gauges.py)."""
        add_service_gauges(self.gauges, services)

    def observe(self, route: str, status: int, seconds: float) -> None:
        """Count one request."""
        self.requests.labels(route, str(status)).inc()
        self.latency.labels(route).observe(seconds)

    def exposition(self) -> bytes:
        """The text exposition format: the counters (every worker's, summed, in multiprocess mode) and this
        process's gauges."""
        registry = CollectorRegistry(auto_describe=False)
        if self.multiprocess_dir is None:
            registry.register(_Of(self.registry))
        else:
            MultiProcessCollector(registry, path=str(self.multiprocess_dir))  # type: ignore[no-untyped-call]
        registry.register(self.gauges)
        return generate_latest(registry)


class _Of(Collector):
    """The metrics of another registry, as one collector."""

    def __init__(self, registry: CollectorRegistry) -> None:
        self._registry = registry

    def collect(self) -> Iterator[Metric]:
        """Everything ``registry`` holds now."""
        return iter(self._registry.collect())
