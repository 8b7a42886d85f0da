"""The lanes of tests/conftest.py: what a test's markers give it, however it got them."""

from __future__ import annotations

import pytest

from support.lanes import LONG_TIMEOUT


@pytest.mark.slow
def test_a_test_marked_slow_by_hand_gets_the_long_timeout(request):
    """A file not listed in SLOW_FILES may mark a test slow itself (as tests/renderer/test_gene_effects.py does):
    it gets the slow lane's timeout too, not the global 300 s (it timed out at 300 s under load)."""
    marker = request.node.get_closest_marker("timeout")
    assert marker is not None and marker.args == (LONG_TIMEOUT,)


def test_a_test_in_no_lane_keeps_the_global_timeout(request):
    assert request.node.get_closest_marker("timeout") is None  # pyproject.toml's timeout applies
    assert not any(request.node.get_closest_marker(lane) for lane in ("slow", "stack", "browser"))
