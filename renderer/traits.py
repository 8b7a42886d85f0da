"""The eight visible traits: their human values and how python-avatars draws each one.

Trait ``i`` of a genome (``Genome.main(i)``) is a nibble; the correspondence table
(:mod:`renderer.table`) turns that nibble into an index into ``TRAITS[i].values``. This
module only knows the values, not the nibbles: it is the shared vocabulary of the corpus,
the table, the GAN's conditioning and the evaluation classifier.

Values were chosen by measurement so a 64x64 head crop shows them (see README): hair
styles whose colour is drawn, hair colours that do not look alike, eye and mouth shapes
that survive downscaling, glasses that do not hide the eyes, clothing colours unlike the
background.
"""

from __future__ import annotations

from dataclasses import dataclass

import python_avatars as pa


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


H, C, E, M, S, A, F, K = (pa.HairType, pa.HairColor, pa.EyeType, pa.MouthType, pa.SkinColor,
                          pa.AccessoryType, pa.FacialHairType, pa.ClothingColor)

TRAITS: tuple[Trait, ...] = (
    Trait("Hair style", "top", (
        ("Short flat", H.SHORT_FLAT), ("Bob", H.BOB), ("Top bun", H.BUN), ("Big curls", H.CURLY),
        ("Dreads", H.DREADS), ("Afro", H.FRO), ("Long straight", H.LONG_NOT_TOO_LONG),
        ("Frizzle", H.FRIZZLE), ("Spiky", H.EVIL_SPIKE), ("Wild", H.EINSTEIN_HAIR),
        ("Half shaved", H.HALF_SHAVED), ("Cornrows", H.CORNROWS),
    )),
    Trait("Hair colour", "hair_color", (
        ("Black", C.BLACK), ("Brown", C.BROWN), ("Auburn", C.AUBURN), ("Red", C.RED),
        ("Golden blonde", C.BLONDE_GOLDEN), ("Platinum", C.PLATINUM), ("Pastel pink", C.PASTEL_PINK),
        ("Electric blue", "#2F6BE0"), ("Emerald", "#2E9E5B"),
    )),
    Trait("Eyes", "eyes", (
        ("Open", E.DEFAULT), ("Closed", E.CLOSED), ("Hearts", E.HEART), ("Dizzy", E.X_DIZZY),
        ("Surprised", E.SURPRISED), ("Wacky wink", E.WINK_WACKY),
    )),
    Trait("Mouth", "mouth", (
        ("Grin", M.DEFAULT), ("Big smile", M.SMILE), ("Sad", M.SAD), ("Scream", M.SCREAM_OPEN),
        ("Tongue out", M.TONGUE), ("Sick", M.VOMIT), ("Grimace", M.GRIMACE), ("Serious", M.SERIOUS),
    )),
    Trait("Skin colour", "skin_color", (
        ("Pale", S.PALE), ("Light", S.LIGHT), ("Yellow", S.YELLOW), ("Tanned", S.TANNED),
        ("Brown", S.BROWN), ("Dark brown", S.DARK_BROWN), ("Black", S.BLACK),
    )),
    Trait("Glasses", "accessory", (
        ("None", A.NONE), ("Round", A.ROUND), ("Thin frames", A.PRESCRIPTION_1),
        ("Thick frames", A.PRESCRIPTION_2),
    )),
    Trait("Facial hair", "facial_hair", (
        ("None", F.NONE), ("Light beard", F.BEARD_LIGHT), ("Medium beard", F.BEARD_MEDIUM),
        ("Majestic beard", F.BEARD_MAGESTIC), ("Fancy moustache", F.MOUSTACHE_FANCY),
        ("Magnum moustache", F.MOUSTACHE_MAGNUM),
    )),
    Trait("Clothing colour", "clothing_color", (
        ("Black", K.BLACK), ("Sky blue", K.BLUE_01), ("Navy", K.BLUE_03), ("Grey", K.GRAY_02),
        ("Mint", K.PASTEL_GREEN), ("Pink", K.PINK), ("Red", K.RED), ("Pastel yellow", K.PASTEL_YELLOW),
    )),
)

TRAIT_NAMES: tuple[str, ...] = tuple(t.name for t in TRAITS)
TRAIT_SIZES: tuple[int, ...] = tuple(len(t) for t in TRAITS)

# Varied at random and never labelled: the 256-bit code must learn to carry these.
FREE_EYEBROWS = tuple(pa.EyebrowType)
FREE_NOSES = tuple(pa.NoseType)
FREE_CLOTHING = (pa.ClothingType.COLLAR_SWEATER, pa.ClothingType.GRAPHIC_SHIRT, pa.ClothingType.HOODIE,
                 pa.ClothingType.OVERALL, pa.ClothingType.SHIRT_CREW_NECK,
                 pa.ClothingType.SHIRT_SCOOP_NECK, pa.ClothingType.SHIRT_V_NECK)
FREE_GRAPHICS = tuple(g for g in pa.ClothingGraphic if g is not pa.ClothingGraphic.CUSTOM_TEXT)
