"""The web page slot at /: the built page when present, a link index otherwise; the API wins."""

from __future__ import annotations

from fastapi.testclient import TestClient

from offchain.api.main import create_app


def test_built_page_is_served_at_root(tmp_path, fresh_kin, renderer, service_settings):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html><title>latentkin page</title>")
    (dist / "app.js").write_text("console.log('kin')")
    app = create_app(service_settings(tmp_path, fresh_kin, web_dir=dist), w3=fresh_kin.w3, renderer=renderer)
    with TestClient(app) as client:
        assert "latentkin page" in client.get("/").text
        assert client.get("/app.js").text == "console.log('kin')"
        assert client.get("/healthz").json()["chain"]["reachable"] is True  # routes before the mount
        assert client.get("/config.json").json()["address"] == fresh_kin.deployment.address


def test_page_is_compressed_the_api_is_not(tmp_path, fresh_kin, renderer, service_settings):
    dist = tmp_path / "dist"
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    bundle = "const kin = 1;\n" * 500
    (dist / "app.js").write_text(bundle)
    app = create_app(service_settings(tmp_path, fresh_kin, web_dir=dist), w3=fresh_kin.w3, renderer=renderer)
    with TestClient(app) as client:
        page = client.get("/app.js", headers={"Accept-Encoding": "gzip"})
        assert page.headers["content-encoding"] == "gzip" and page.text == bundle  # httpx inflates it
        assert int(page.headers["content-length"]) < len(bundle) // 10
        api = client.get("/tokens", params={"limit": 2}, headers={"Accept-Encoding": "gzip"})
        assert "content-encoding" not in api.headers


def test_without_a_page_root_lists_the_api(tmp_path, fresh_kin, renderer, service_settings):
    app = create_app(service_settings(tmp_path, fresh_kin), w3=fresh_kin.w3, renderer=renderer)
    with TestClient(app) as client:
        body = client.get("/").json()
        assert body["tokens"] == "/tokens" and body["docs"] == "/docs"
