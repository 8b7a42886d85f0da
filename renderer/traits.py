"""How python-avatars draws each value of the eight visible traits (the corpus side of the vocabulary).

:mod:`renderer.vocabulary` names the traits and their values; this module pairs every value with
the python-avatars argument that draws it, for the corpus and the evaluation's reference drawings.
Serving never imports it (python-avatars is a training dependency).

Values were chosen by measurement so a 64x64 head crop shows them (see README): hair
styles whose colour is drawn, hair colours that do not look alike, eye and mouth shapes
that survive downscaling, glasses that do not hide the eyes, clothing colours unlike the
background.
"""

from __future__ import annotations

from dataclasses import dataclass

import python_avatars as pa

from renderer.vocabulary import TRAIT_NAMES, TRAIT_SIZES, VOCABULARY

__all__ = [
    "FREE_CLOTHING",
    "FREE_EYEBROWS",
    "FREE_GRAPHICS",
    "FREE_NOSES",
    "TRAITS",
    "TRAIT_NAMES",
    "TRAIT_SIZES",
    "Trait",
]


@dataclass(frozen=True, slots=True)
class Trait:
    """One labelled trait: a human name, the avatar keyword it sets, and its values."""

    name: str
    keyword: str
    values: tuple[tuple[str, object], ...]  # (human value, python-avatars argument)

    @property
    def names(self) -> tuple[str, ...]:
        """Human value names, in index order."""
        return tuple(name for name, _ in self.values)

    def __len__(self) -> int:
        return len(self.values)


H, C, E, M, S, A, F, K = (
    pa.HairType,
    pa.HairColor,
    pa.EyeType,
    pa.MouthType,
    pa.SkinColor,
    pa.AccessoryType,
    pa.FacialHairType,
    pa.ClothingColor,
)

# (python-avatars keyword, one argument per value of the vocabulary, in its order)
_DRAWN: tuple[tuple[str, tuple[object, ...]], ...] = (
    (
        "top",
        (
            H.SHORT_FLAT,
            H.BOB,
            H.BUN,
            H.CURLY,
            H.DREADS,
            H.FRO,
            H.LONG_NOT_TOO_LONG,
            H.FRIZZLE,
            H.EVIL_SPIKE,
            H.EINSTEIN_HAIR,
            H.HALF_SHAVED,
            H.CORNROWS,
        ),
    ),
    (
        "hair_color",
        (C.BLACK, C.BROWN, C.AUBURN, C.RED, C.BLONDE_GOLDEN, C.PLATINUM, C.PASTEL_PINK, "#2F6BE0", "#2E9E5B"),
    ),
    ("eyes", (E.DEFAULT, E.CLOSED, E.HEART, E.X_DIZZY, E.SURPRISED, E.WINK_WACKY)),
    ("mouth", (M.DEFAULT, M.SMILE, M.SAD, M.SCREAM_OPEN, M.TONGUE, M.VOMIT, M.GRIMACE, M.SERIOUS)),
    ("skin_color", (S.PALE, S.LIGHT, S.YELLOW, S.TANNED, S.BROWN, S.DARK_BROWN, S.BLACK)),
    ("accessory", (A.NONE, A.ROUND, A.PRESCRIPTION_1, A.PRESCRIPTION_2)),
    ("facial_hair", (F.NONE, F.BEARD_LIGHT, F.BEARD_MEDIUM, F.BEARD_MAGESTIC, F.MOUSTACHE_FANCY, F.MOUSTACHE_MAGNUM)),
    ("clothing_color", (K.BLACK, K.BLUE_01, K.BLUE_03, K.GRAY_02, K.PASTEL_GREEN, K.PINK, K.RED, K.PASTEL_YELLOW)),
)

TRAITS: tuple[Trait, ...] = tuple(
    Trait(vocab.name, keyword, tuple(zip(vocab.values, args, strict=True)))
    for vocab, (keyword, args) in zip(VOCABULARY, _DRAWN, strict=True)
)

# Varied at random and never labelled: the 256-bit code must learn to carry these.
FREE_EYEBROWS = tuple(pa.EyebrowType)
FREE_NOSES = tuple(pa.NoseType)
FREE_CLOTHING = (
    pa.ClothingType.COLLAR_SWEATER,
    pa.ClothingType.GRAPHIC_SHIRT,
    pa.ClothingType.HOODIE,
    pa.ClothingType.OVERALL,
    pa.ClothingType.SHIRT_CREW_NECK,
    pa.ClothingType.SHIRT_SCOOP_NECK,
    pa.ClothingType.SHIRT_V_NECK,
)
FREE_GRAPHICS = tuple(g for g in pa.ClothingGraphic if g is not pa.ClothingGraphic.CUSTOM_TEXT)
