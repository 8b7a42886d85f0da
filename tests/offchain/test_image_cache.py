"""The disk image cache: keyed by (genome, renderer hash, size), atomic, survives restarts."""

from __future__ import annotations

from latentkin_core.genome import Genome
from offchain.image_cache import ImageCache, ImageKey

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
    keys = [ImageKey(G, b"\x01" * 32, 64), ImageKey(G, b"\x02" * 32, 64),
            ImageKey(G, b"\x01" * 32, 128), ImageKey(Genome(124, 456), b"\x01" * 32, 64)]
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
