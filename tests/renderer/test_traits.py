"""The corpus's python-avatars drawing of each trait value follows the shared vocabulary."""

from __future__ import annotations

from renderer.traits import TRAITS
from renderer.vocabulary import TRAIT_NAMES, TRAIT_SIZES, VOCABULARY


def test_drawn_traits_follow_the_vocabulary():
    assert tuple(t.name for t in TRAITS) == TRAIT_NAMES
    assert tuple(len(t) for t in TRAITS) == TRAIT_SIZES
    assert [t.names for t in TRAITS] == [v.values for v in VOCABULARY]
    assert all(arg is not None for t in TRAITS for _, arg in t.values)
