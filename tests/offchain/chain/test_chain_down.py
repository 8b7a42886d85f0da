"""With the chain unreachable, what is indexed and cached is served; the rest is 503 + Retry-After."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

from offchain.api.main import create_app
from offchain.api.services import build_services
from support.net import wait_until


def _indexed_then_down(tmp_path, kin_chain, renderer, service_settings, closed_rpc_url):
    settings = service_settings(tmp_path, kin_chain)
    warm = build_services(settings, w3=kin_chain.w3, renderer=renderer)
    warm.indexer.sync()
    warm.engine.dispose()
    down_settings = settings.model_copy(
        update={"rpc_url": closed_rpc_url, "rpc_timeout": 2.0, "deployments_dir": tmp_path / "nowhere"}
    )
    return create_app(down_settings, renderer=renderer)


def test_indexed_tokens_are_served_while_the_chain_is_down(
    tmp_path, kin_chain, renderer, service_settings, closed_rpc_url
):
    app = _indexed_then_down(tmp_path, kin_chain, renderer, service_settings, closed_rpc_url)
    with TestClient(app, raise_server_exceptions=False) as client:
        start = time.monotonic()
        meta = client.get("/tokens/9")
        assert meta.status_code == 200 and meta.json()["genome"] == kin_chain.genomes[9].to_hex()
        assert client.get("/tokens/9/image.png", params={"size": 64}).status_code == 200
        assert client.get("/tokens/11/family").status_code == 200
        assert client.get("/tokens", params={"limit": 3}).json()["items"][0]["token_id"] == 11  # newest first
        ready = client.get("/tokens", params={"ready": "true"})  # against the last indexed block
        assert ready.status_code == 200 and ready.json()["head"] is not None
        assert client.get("/fusion/preview", params={"a": 1, "b": 2, "n": 2}).status_code == 200
        assert client.get("/contract").status_code == 200
        assert time.monotonic() - start < 20  # no hanging on the dead node

        for path in ("/tokens/12", "/tokens/12/image.png", "/config.json", "/chain/status"):
            response = client.get(path)
            assert response.status_code == 503, path
            assert int(response.headers["retry-after"]) > 0
            assert "unreachable" in response.json()["detail"]

        health = client.get("/healthz")
        assert health.status_code == 200
        body = health.json()
        assert body["status"] == "degraded" and body["chain"]["reachable"] is False


def test_indexer_thread_survives_a_dead_chain(tmp_path, kin_chain, renderer, service_settings, closed_rpc_url):
    settings = service_settings(
        tmp_path,
        kin_chain,
        rpc_url=closed_rpc_url,
        index_in_service=True,
        poll_interval=0.05,
        deployments_dir=tmp_path / "nowhere",
    )
    with TestClient(create_app(settings, renderer=renderer)) as client:
        body = wait_until(
            lambda: (h := client.get("/healthz").json())["indexer"]["last_error"] and h,
            10,
            "the indexer to report the dead chain",
        )
        assert body["indexer"]["running"] is True
        assert "unreachable" in body["indexer"]["last_error"]
        assert client.get("/tokens/1").status_code == 503
