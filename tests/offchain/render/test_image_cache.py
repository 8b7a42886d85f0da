"""The disk image cache: keyed by (genome, renderer hash, size), atomic, bounded (LRU), survives
restarts, and never turns a failed write into a failed request."""

from __future__ import annotations

import os

from fastapi.testclient import TestClient

from latentkin_core.genome import Genome
from offchain.api.main import create_app
from offchain.render.image_cache import ImageCache, ImageKey
from support.disk import full_disk

G = Genome(123, 456)


def test_round_trip_and_persistence(tmp_path):
    key = ImageKey(G, b"\x01" * 32, 64)
    cache = ImageCache(tmp_path)
    assert cache.get(key) is None and cache.misses == 1
    cache.put(key, b"png-bytes")
    assert cache.get(key) == b"png-bytes"
    assert ImageCache(tmp_path).get(key) == b"png-bytes"  # a restarted service finds it on disk
    assert cache.path(key) == tmp_path / ("01" * 32) / "64" / f"{G.to_hex()}.png"
    assert not list(tmp_path.rglob("*.tmp"))


def test_keys_differ_by_every_component(tmp_path):
    keys = [
        ImageKey(G, b"\x01" * 32, 64),
        ImageKey(G, b"\x02" * 32, 64),
        ImageKey(G, b"\x01" * 32, 128),
        ImageKey(Genome(124, 456), b"\x01" * 32, 64),
    ]
    cache = ImageCache(tmp_path)
    for i, key in enumerate(keys):
        cache.put(key, bytes([i]))
    assert [cache.get(k) for k in keys] == [b"\x00", b"\x01", b"\x02", b"\x03"]
    assert len({k.etag for k in keys}) == 4
    assert all(k.etag.startswith('"') and k.etag.endswith('"') for k in keys)


def test_memory_layer_is_bounded(tmp_path):
    cache = ImageCache(tmp_path, memory_bytes=10)
    keys = [ImageKey(Genome(i, 0), b"\x00" * 32, 64) for i in range(5)]
    for key in keys:
        cache.put(key, b"1234")
    assert cache._memory.currsize <= 10 and len(cache._memory) == 2
    assert all(cache.get(k) == b"1234" for k in keys)  # evicted ones come back from disk


def _keys(n: int) -> list[ImageKey]:
    return [ImageKey(Genome(i, 0), b"\x07" * 32, 64) for i in range(n)]


def test_disk_is_bounded_and_evicts_the_least_recently_used(tmp_path):
    cache = ImageCache(tmp_path, disk_bytes=300, memory_bytes=0)
    k = _keys(4)
    for key in k[:3]:
        cache.put(key, b"x" * 100)
    assert cache.get(k[0]) == b"x" * 100  # k0 is now the most recently used, k1 the least
    cache.put(k[3], b"y" * 100)
    assert not cache.path(k[1]).exists() and cache.get(k[1]) is None
    assert all(cache.path(key).exists() for key in (k[0], k[2], k[3]))
    assert (cache.evictions, cache.disk_bytes, cache.files) == (1, 300, 3)
    assert sum(p.stat().st_size for p in tmp_path.rglob("*.png")) == 300


def test_the_lru_order_is_rebuilt_from_the_files_after_a_restart(tmp_path):
    cache = ImageCache(tmp_path, disk_bytes=10_000)
    k = _keys(4)
    for age, key in zip((30, 10, 20), k[:3], strict=True):  # k1 is the least recently used on disk
        cache.put(key, b"z" * 100)
        os.utime(cache.path(key), (1_700_000_000 - age, 1_700_000_000 - age))
    restarted = ImageCache(tmp_path, disk_bytes=300)
    assert (restarted.disk_bytes, restarted.files) == (300, 3)
    restarted.put(k[3], b"z" * 100)
    assert not restarted.path(k[0]).exists()  # the oldest went first
    assert [restarted.path(key).exists() for key in k[1:]] == [True, True, True]
    smaller = ImageCache(tmp_path, disk_bytes=150)  # a lower bound takes effect at start
    assert smaller.files == 1 and smaller.path(k[3]).exists() and smaller.evictions == 2


def test_a_failed_write_is_counted_and_the_image_still_served_from_memory(tmp_path):
    with full_disk(tmp_path / "disk") as (directory, _):
        cache = ImageCache(directory / "cache")
        key = _keys(1)[0]
        cache.put(key, b"png")  # no exception
        assert cache.write_errors == 1 and cache.files == 0
        assert cache.get(key) == b"png"


def test_a_full_disk_still_serves_the_rendered_image(tmp_path, kin_chain, renderer, service_settings):
    genome = "ab" * 40
    with full_disk(tmp_path / "disk") as (directory, how):
        settings = service_settings(tmp_path, kin_chain, cache_dir=directory / "cache")
        with TestClient(create_app(settings, w3=kin_chain.w3, renderer=renderer)) as client:
            response = client.get(f"/genomes/{genome}/image.png", params={"size": 64})
            assert response.status_code == 200, (how, response.text)
            assert response.content.startswith(b"\x89PNG")
            metrics = client.get("/metrics").text
    assert "latentkin_image_cache_write_errors 1.0" in metrics
    for name in ("hits", "misses", "evictions", "bytes"):
        assert f"latentkin_image_cache_{name} " in metrics


def test_metrics_count_hits_misses_evictions_and_bytes(tmp_path, kin_chain, renderer, service_settings):
    settings = service_settings(tmp_path, kin_chain, image_cache_bytes=1)  # every PNG is larger: never kept
    with TestClient(create_app(settings, w3=kin_chain.w3, renderer=renderer)) as client:
        assert client.get("/tokens/1/image.png", params={"size": 64}).status_code == 200
        assert client.get("/tokens/1/image.png", params={"size": 64}).status_code == 200
        metrics = dict(
            line.rsplit(" ", 1)
            for line in client.get("/metrics").text.splitlines()
            if line.startswith("latentkin_image_cache_")
        )
    assert float(metrics["latentkin_image_cache_misses"]) == 1 and float(metrics["latentkin_image_cache_hits"]) == 1
    assert float(metrics["latentkin_image_cache_bytes"]) == 0 and not list((tmp_path / "cache").rglob("*.png"))


def test_webp_and_png_of_one_image_are_two_entries_that_survive_a_restart(tmp_path):
    png, webp = ImageKey(G, b"\x01" * 32, 64), ImageKey(G, b"\x01" * 32, 64, "webp")
    assert png.etag != webp.etag and png.relative_path() != webp.relative_path()
    cache = ImageCache(tmp_path)
    cache.put(png, b"png bytes")
    cache.put(webp, b"webp bytes")
    reopened = ImageCache(tmp_path)
    assert reopened.files == 2
    assert reopened.get(png) == b"png bytes" and reopened.get(webp) == b"webp bytes"
