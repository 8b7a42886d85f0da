"""The eight visible traits and their human values: the vocabulary every part of the renderer shares.

Trait ``i`` of a genome (``Genome.main(i)``) is a nibble; the correspondence table
(:mod:`renderer.table`) turns that nibble into an index into ``VOCABULARY[i].values``. This module
knows only names, no nibbles and no drawing: the table, the model's conditioning, the corpus
(:mod:`renderer.traits` pairs each value with how python-avatars draws it) and the evaluation
classifier all index traits through it. Pure: no imports beyond the standard library.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class TraitVocabulary:
    """One labelled trait: its human name and its values' human names, in index order."""

    name: str
    values: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.values)


VOCABULARY: tuple[TraitVocabulary, ...] = (
    TraitVocabulary(
        "Hair style",
        (
            "Short flat",
            "Bob",
            "Top bun",
            "Big curls",
            "Dreads",
            "Afro",
            "Long straight",
            "Frizzle",
            "Spiky",
            "Wild",
            "Half shaved",
            "Cornrows",
        ),
    ),
    TraitVocabulary(
        "Hair colour",
        ("Black", "Brown", "Auburn", "Red", "Golden blonde", "Platinum", "Pastel pink", "Electric blue", "Emerald"),
    ),
    TraitVocabulary("Eyes", ("Open", "Closed", "Hearts", "Dizzy", "Surprised", "Wacky wink")),
    TraitVocabulary("Mouth", ("Grin", "Big smile", "Sad", "Scream", "Tongue out", "Sick", "Grimace", "Serious")),
    TraitVocabulary("Skin colour", ("Pale", "Light", "Yellow", "Tanned", "Brown", "Dark brown", "Black")),
    TraitVocabulary("Glasses", ("None", "Round", "Thin frames", "Thick frames")),
    TraitVocabulary(
        "Facial hair", ("None", "Light beard", "Medium beard", "Majestic beard", "Fancy moustache", "Magnum moustache")
    ),
    TraitVocabulary("Clothing colour", ("Black", "Sky blue", "Navy", "Grey", "Mint", "Pink", "Red", "Pastel yellow")),
)

TRAIT_NAMES: tuple[str, ...] = tuple(t.name for t in VOCABULARY)
TRAIT_SIZES: tuple[int, ...] = tuple(len(t) for t in VOCABULARY)
