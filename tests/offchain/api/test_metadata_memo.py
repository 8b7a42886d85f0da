"""GET /tokens/{id} answered from the metadata memo before routing (offchain/api/metadata_memo.py): a hit is the
route's own answer, byte for byte and header for header, counted under the route; anything else reaches the
route as before."""

from __future__ import annotations

import re

from offchain.api.deps import get_catalog


def _count(app, route: str, status: str) -> float:
    text = app.state.services.metrics.exposition().decode()
    pattern = rf'^latentkin_http_requests_total\{{route="{re.escape(route)}",status="{status}"\}} (\S+)$'
    return sum(float(m) for m in re.findall(pattern, text, flags=re.M))


def test_a_memo_hit_skips_routing_and_answers_as_the_route_does(app, client, monkeypatch):
    # The index is stepped by hand here (an external indexer to the service), so a memo lives 2 s on the clock:
    # the clock stands still, or a miss and its hit a moment apart may straddle two of those 2 s.
    monkeypatch.setattr(app.state.catalog, "clock", lambda: 0.0)
    origin = {"Origin": "https://market.test"}
    routed = client.get("/tokens/3", headers=origin)  # a miss: the route serialises and memoises it
    counted = _count(app, "/tokens/{token_id}", "200")

    def no_routing() -> None:
        raise AssertionError("routed")

    app.dependency_overrides[get_catalog] = no_routing  # any request that reaches the route fails now
    try:
        hit = client.get("/tokens/3", headers=origin)
        head = client.head("/tokens/3")
        assert client.get("/tokens/03").status_code == 500  # not the canonical spelling: routed (and failing here)
    finally:
        app.dependency_overrides.clear()
    assert hit.status_code == 200 and hit.content == routed.content
    assert {k: v for k, v in hit.headers.items()} == {k: v for k, v in routed.headers.items()}
    assert hit.headers["access-control-allow-origin"] == "*"
    assert head.status_code == 200 and head.content == b"" and head.headers["content-length"] == str(len(hit.content))
    assert _count(app, "/tokens/{token_id}", "200") == counted + 2  # the hit and the HEAD, under the route


def test_paths_the_memo_does_not_hold_reach_the_route(client):
    client.get("/tokens/1")
    assert client.get("/tokens/01").status_code == 422  # one spelling per token, as before
    assert client.get("/tokens/+1").status_code == 422
    assert client.get("/tokens/99999999999").status_code == 422
    assert client.get("/tokens/999").status_code == 404
    assert client.post("/tokens/1").status_code == 405
