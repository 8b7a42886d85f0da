"""The gauges /metrics reads from the running services at scrape time: render pool, image cache, the chain's
circuit breaker, indexer, renderer check and keeper (this process's values, see offchain/api/metrics.py), through
a collector that keeps no values of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from typing import Any

from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.registry import Collector


class LiveGauges(Collector):
    """Gauges whose values are read from the running services when scraped."""

    def __init__(self) -> None:
        self._gauges: list[tuple[str, str, Callable[[], Mapping[tuple[str, ...], float]], tuple[str, ...]]] = []

    def add(self, name: str, doc: str, read: Callable[[], Any]) -> None:
        """A gauge of one value, ``read()`` at scrape time (None counts as 0)."""
        self._gauges.append((name, doc, lambda: {(): float(read() or 0)}, ()))

    def add_labelled(
        self, name: str, doc: str, labels: tuple[str, ...], read: Callable[[], Mapping[tuple[str, ...], float]]
    ) -> None:
        """A gauge with ``labels``: ``read()`` gives the value of each label tuple at scrape time."""
        self._gauges.append((name, doc, read, labels))

    def collect(self) -> Iterator[Metric]:
        """The gauges' current values."""
        for name, doc, read, labels in self._gauges:
            family = GaugeMetricFamily(name, doc, labels=list(labels))
            for label_values, value in read().items():
                family.add_metric(list(label_values), value)
            yield family


def add_service_gauges(gauges: LiveGauges, services: Any) -> None:
    """Every live gauge of ``services`` (a :class:`offchain.api.services.Services`)."""

    def pooled(attribute: str) -> Callable[[], Any]:  # the pool is read at scrape time (it may be replaced)
        return lambda: getattr(services.pool, attribute) if services.pool else 0

    gauges.add("latentkin_render_queue_depth", "Distinct renders queued or running", pooled("depth"))
    gauges.add("latentkin_render_batches", "Render batches run", pooled("batches"))
    gauges.add("latentkin_render_rejected", "Renders refused because the queue was full", pooled("rejected"))
    cache = services.cache
    gauges.add("latentkin_image_cache_hits", "Image cache hits", lambda: cache.hits)
    gauges.add("latentkin_image_cache_misses", "Image cache misses", lambda: cache.misses)
    gauges.add(
        "latentkin_image_cache_evictions",
        "Cached images deleted from disk to stay under the bound",
        lambda: cache.evictions,
    )
    gauges.add("latentkin_image_cache_bytes", "Bytes of cached images on disk", lambda: cache.disk_bytes)
    gauges.add("latentkin_image_cache_files", "Cached images on disk", lambda: cache.files)
    gauges.add(
        "latentkin_image_cache_write_errors",
        "Rendered images served but not cached (disk full or read-only)",
        lambda: cache.write_errors,
    )
    breaker = services.chain.breaker
    if breaker is not None:
        gauges.add(
            "latentkin_chain_breaker_trips",
            "Times an unreachable or hung node opened the circuit breaker",
            lambda: breaker.trips,
        )
        gauges.add(
            "latentkin_chain_breaker_rejected",
            "Chain lookups answered 503 at once (breaker open or too many calls waiting on the node)",
            lambda: breaker.rejected,
        )
        gauges.add(
            "latentkin_chain_breaker_open",
            "1 while chain lookups are refused without asking the node",
            lambda: 1 if breaker.is_open else 0,
        )
    gauges.add("latentkin_indexer_block", "Last indexed block", lambda: services.indexer.status.cursor)
    gauges.add("latentkin_indexer_reorgs", "Reorgs rolled back", lambda: services.indexer.status.reorgs)
    gauges.add(
        "latentkin_renderer_hash_match",
        "1 if our renderer hash equals the contract's",
        lambda: 1 if services.renderer_check.match else 0,
    )
    keeper = services.keeper
    if keeper is None:
        return
    status = keeper.status
    gauges.add_labelled(
        "latentkin_keeper_completed",
        "Requests this keeper completed",
        ("kind",),
        lambda: {(kind,): float(status.completed[kind]) for kind in ("fusion", "mint")},
    )
    gauges.add("latentkin_keeper_pending", "Known requests not completed yet", lambda: status.pending)
    gauges.add(
        "latentkin_keeper_completed_by_others",
        "Due requests someone else completed first",
        lambda: status.completed_by_others,
    )
    gauges.add(
        "latentkin_keeper_failures", "Completion batches that reverted or could not be sent", lambda: status.failures
    )
    gauges.add("latentkin_keeper_batches", "Completion batches mined (completeRequests)", lambda: status.batches)
    gauges.add("latentkin_keeper_in_flight", "Requests in batches sent and not mined yet", lambda: status.in_flight)
    gauges.add(
        "latentkin_keeper_last_delay_blocks",
        "Blocks between a reveal and our completion (the most in the last batch)",
        lambda: status.last_delay_blocks,
    )
    gauges.add("latentkin_keeper_gas_used", "Gas spent on completions", lambda: status.gas_used)
    gauges.add("latentkin_keeper_block", "Last block whose requests the keeper read", lambda: status.cursor)
