"""/metrics of a service served by two uvicorn worker processes counts the requests of both (the Prometheus
client's multiprocess mode; issue 25, item 7: it showed the counters of whichever worker answered)."""

from __future__ import annotations

import re

import httpx

from support.service_process import service_process

REQUESTS = 60


def served(exposition: str, route: str) -> float:
    """The requests counted for ``route``, any status."""
    pattern = rf'^latentkin_http_requests_total\{{route="{re.escape(route)}",status="\d+"\}} (\S+)$'
    return sum(float(m) for m in re.findall(pattern, exposition, flags=re.M))


def test_metrics_sum_the_counters_of_every_worker(tmp_path):
    metrics_dir = tmp_path / "metrics"
    with service_process(tmp_path, workers=2, metrics_dir=str(metrics_dir)) as service:
        for _ in range(REQUESTS):  # a new connection each: the kernel hands them to either worker
            assert httpx.get(f"{service.base_url}/contract", timeout=30).status_code in (200, 503)
        for _ in range(4):  # whichever worker answers /metrics counts both workers' requests
            text = httpx.get(f"{service.base_url}/metrics", timeout=30).text
            assert served(text, "/contract") == REQUESTS, text[:2000]
            assert "latentkin_image_cache_hits" in text  # and shows its own live gauges
        writers = {path.name.rsplit("_", 1)[1] for path in metrics_dir.glob("counter_*.db")}
        assert len(writers) == 2, sorted(metrics_dir.iterdir())  # both workers served some of them
