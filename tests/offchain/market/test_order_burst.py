"""A burst of valid orders posted at once is accepted whole while the chain is healthy: callers queue for the
node (within the RPC timeout) instead of being refused with "chain unreachable", on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from offchain.api.main import create_app
from support.market import ETH
from support.net import free_port
from support.renderers import PixelRenderer
from support.service import running, service_settings

ORDERS, CONCURRENT = 60, 30


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_a_burst_of_valid_orders_is_accepted_whole(market_kin, tmp_path, request, database):
    seller = market_kin.trader(2)
    tokens = [market_kin.mint(2, seed) for seed in range(ORDERS // 2)]
    bodies = [seller.list(t, ETH + k, salt=k + 1).order.to_json() for k in range(2) for t in tokens]
    overrides = {"database_url": request.getfixturevalue("postgres_url")} if database == "postgresql" else {}
    app = create_app(service_settings(tmp_path, market_kin, **overrides), w3=market_kin.w3, renderer=PixelRenderer())
    with running(app, free_port()) as url, httpx.Client(base_url=url, timeout=60) as client:
        with ThreadPoolExecutor(CONCURRENT) as pool:
            answers = list(pool.map(lambda body: client.post("/orders", json=body), bodies))
        statuses = [a.status_code for a in answers]
        assert statuses == [201] * len(bodies), [a.text for a in answers if a.status_code != 201][:3]
        assert len(client.get("/orders", params={"side": "listing", "limit": 100}).json()["items"]) == len(bodies)
        assert client.get("/healthz").json()["chain"]["reachable"] is True
