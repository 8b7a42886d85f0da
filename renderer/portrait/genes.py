"""The gene map: what each of the 64 code genes drives in the reference portrait.

Every gene drives one continuous parameter of the look, monotone in its nibble: nibble ``n`` becomes
``t = n / 15`` in [0, 1], and the drawing maps ``t`` linearly onto the parameter's range, so neighbouring
nibbles look alike and a one-bit mutation is a small change. Genes are grouped by the part they shape
(face, eyes, brows, nose, mouth, hair, skin, body, background, light and line). Nothing here draws:
:mod:`renderer.portrait.draw` reads the parameters by name. The map is shipped in the correspondence
table from version 2 on (:func:`renderer.table.with_gene_map`), so it is part of the renderer hash.
"""

from __future__ import annotations

from collections.abc import Sequence

from renderer.table import GeneRole

GENE_COUNT = 64


_MAP: tuple[tuple[str, str, str, str], ...] = (
    # face and head
    ("face_width", "face", "narrow", "wide"),
    ("face_length", "face", "short", "long"),
    ("jaw", "face", "pointed chin", "square jaw"),
    ("head_tilt", "face", "tilted left", "tilted right"),
    ("head_shift", "face", "left of centre", "right of centre"),
    ("head_height", "face", "low in the frame", "high in the frame"),
    ("ear_size", "face", "small ears", "big ears"),
    ("ear_height", "face", "low ears", "high ears"),
    ("blush", "face", "no blush", "rosy cheeks"),
    ("freckles", "face", "no freckles", "many freckles"),
    # eyes
    ("eye_size", "eyes", "small eyes", "big eyes"),
    ("eye_spacing", "eyes", "close-set", "wide-set"),
    ("eye_height", "eyes", "low eyes", "high eyes"),
    ("eye_tilt", "eyes", "drooping", "upturned"),
    ("iris_hue", "eyes", "brown irises", "violet irises"),
    ("iris_size", "eyes", "small irises", "large irises"),
    ("lashes", "eyes", "no lashes", "long lashes"),
    ("eye_shadow", "eyes", "no eyeshadow", "bold violet eyeshadow"),
    # brows
    ("brow_height", "brows", "low brows", "high brows"),
    ("brow_tilt", "brows", "stern", "worried"),
    ("brow_weight", "brows", "thin brows", "bushy brows"),
    ("brow_arch", "brows", "straight brows", "arched brows"),
    # nose
    ("nose_size", "nose", "button nose", "big nose"),
    ("nose_length", "nose", "short nose", "long nose"),
    ("nose_width", "nose", "slim nose", "broad nose"),
    # mouth
    ("mouth_width", "mouth", "small mouth", "wide mouth"),
    ("mouth_height", "mouth", "mouth low", "mouth high"),
    ("lip_weight", "mouth", "thin lips", "full lips"),
    ("lip_shade", "mouth", "pale lips", "deep-red lips"),
    # hair (the style and colour are traits; these shape it within them)
    ("hair_volume", "hair", "flat hair", "voluminous hair"),
    ("hair_length", "hair", "shorter", "longer"),
    ("hair_shade", "hair", "darker shade", "lighter shade"),
    ("hair_tone", "hair", "cooler tone", "warmer tone"),
    ("hair_part", "hair", "swept left", "swept right"),
    ("fringe", "hair", "high hairline", "low fringe"),
    ("hair_shine", "hair", "matte", "glossy highlight"),
    # skin (the colour is a trait; these shade it within it)
    ("skin_shade", "skin", "deeper shade", "lighter shade"),
    ("skin_tone", "skin", "olive undertone", "rosy undertone"),
    ("cheekbones", "skin", "soft cheeks", "sculpted cheekbones"),
    # body and clothing
    ("shoulder_width", "body", "narrow shoulders", "broad shoulders"),
    ("neck_width", "body", "slender neck", "thick neck"),
    ("clothing_shade", "body", "darker shade", "lighter shade"),
    ("neckline", "body", "high collar", "deep V-neck"),
    ("stripes", "body", "plain", "bold stripes"),
    ("stripe_width", "body", "fine stripes", "wide stripes"),
    ("accent_hue", "body", "warm trim, frames and earrings", "cool trim, frames and earrings"),
    ("shoulder_height", "body", "low shoulders", "high shoulders"),
    # background
    ("background_hue", "background", "rose", "violet (round the colour wheel)"),
    ("background_tint", "background", "pale", "saturated"),
    ("gradient_angle", "background", "light from the top", "light from the bottom"),
    ("gradient", "background", "flat", "strong gradient"),
    ("pattern", "background", "no pattern", "bold dots"),
    ("pattern_scale", "background", "fine dots", "large dots"),
    # light and line
    ("line_weight", "style", "fine outline", "heavy outline"),
    ("light_side", "style", "lit from the left", "lit from the right"),
    ("shadow", "style", "no shading", "deep shading"),
    ("highlight", "style", "no highlight", "bright highlight"),
    ("hair_strands", "hair", "smooth hair", "visible strands"),
    ("head_size", "face", "small head", "big head"),
    # details
    ("earring", "details", "no earrings", "large earrings"),
    ("smile_lines", "details", "smooth", "deep smile lines"),
    ("eye_sparkle", "details", "no sparkle", "big sparkle"),
    ("forehead", "details", "low forehead", "high forehead"),
    ("skull_height", "face", "round head", "tall head"),
)

GENE_MAP: tuple[GeneRole, ...] = tuple(GeneRole(i, *row) for i, row in enumerate(_MAP))
GENE_INDEX: dict[str, int] = {g.name: g.index for g in GENE_MAP}
GROUPS: tuple[str, ...] = tuple(dict.fromkeys(g.group for g in GENE_MAP))
assert len(GENE_MAP) == GENE_COUNT, len(GENE_MAP)


class Looks:
    """The 64 parameters ``t`` in [0, 1] of a genome's code genes, read by name (``looks.eye_size``).

    Genes are nibbles; fractional ones (a midpoint between two genomes) are drawn in between."""

    __slots__ = ("_t",)

    def __init__(self, genes: Sequence[float]):
        if len(genes) != GENE_COUNT:
            raise ValueError(f"need {GENE_COUNT} genes, got {len(genes)}")
        self._t = tuple(float(n) / 15 for n in genes)

    def __getattr__(self, name: str) -> float:
        try:
            return self._t[GENE_INDEX[name]]
        except KeyError:
            raise AttributeError(name) from None

    def span(self, name: str, low: float, high: float) -> float:
        """The parameter ``name`` mapped linearly onto [low, high]."""
        return low + (high - low) * getattr(self, name)
