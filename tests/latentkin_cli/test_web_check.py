"""``latentkin demo`` warns when the web page is not built, or older than its sources."""

from __future__ import annotations

import os

from latentkin_cli.web_check import web_page_problem


def test_missing_stale_and_fresh_page(tmp_path):
    sources, dist = tmp_path / "web", tmp_path / "dist"
    (sources / "src").mkdir(parents=True)
    (sources / "src" / "main.js").write_text("x")
    assert "not built" in web_page_problem(dist, sources)
    dist.mkdir()
    (dist / "index.html").write_text("<!doctype html>")
    assert "not built" in web_page_problem(dist, sources)  # no bundle yet
    (dist / "app.js").write_text("y")
    os.utime(dist / "app.js", (1_000, 1_000))
    assert "older than its sources" in web_page_problem(dist, sources)
    os.utime(dist / "app.js")  # built after the sources
    os.utime(sources / "src" / "main.js", (2_000, 2_000))
    assert web_page_problem(dist, sources) is None
