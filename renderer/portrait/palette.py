"""Colours of the reference portrait: each trait value's base colour, and the shifts genes apply within it.

A gene may move a colour only within its trait value (a few points of lightness, a few degrees of
hue), never so far that it reads as a neighbouring value. Pure: standard library only.
"""

from __future__ import annotations

import colorsys

# base colour of each value, in the vocabulary's order (renderer.vocabulary)
HAIR = ("#2A1E1A", "#6B4030", "#A0501F", "#D83A17", "#E3B65A", "#EFE6D2", "#F49FB8", "#2F6BE0", "#2E9E5B")
SKIN = ("#FBE2CD", "#EDB58C", "#F7D448", "#DB9A5C", "#B06E3C", "#7D4726", "#4B2E22")
CLOTHING = ("#23272B", "#6CC5F6", "#233D7A", "#999DA2", "#9FE9C1", "#F25C9A", "#DE3137", "#FAEE9C")
IRIS_LIGHTNESS = 0.34
INK = "#241C1A"  # lines drawn in no trait's colour (mouths, closed eyes)


def hex_to_rgb(colour: str) -> tuple[float, float, float]:
    """``"#RRGGBB"`` -> (r, g, b) in [0, 1]."""
    return tuple(int(colour[k : k + 2], 16) / 255 for k in (1, 3, 5))  # type: ignore[return-value]


def rgb_to_hex(rgb: tuple[float, float, float]) -> str:
    """(r, g, b) in [0, 1] -> ``"#RRGGBB"`` (clamped)."""
    return "#" + "".join(f"{round(min(1.0, max(0.0, c)) * 255):02X}" for c in rgb)


def hls(hue_degrees: float, lightness: float, saturation: float) -> str:
    """A colour from hue (degrees), lightness and saturation in [0, 1]."""
    return rgb_to_hex(colorsys.hls_to_rgb((hue_degrees % 360) / 360, lightness, saturation))


def shifted(colour: str, lightness: float = 0.0, hue_degrees: float = 0.0, saturation: float = 0.0) -> str:
    """``colour`` with its lightness and saturation moved (absolute, clamped) and its hue turned."""
    hue, light, sat = colorsys.rgb_to_hls(*hex_to_rgb(colour))
    clamp = lambda x: min(1.0, max(0.0, x))
    return rgb_to_hex(
        colorsys.hls_to_rgb((hue + hue_degrees / 360) % 1.0, clamp(light + lightness), clamp(sat + saturation))
    )


def mixed(a: str, b: str, share_of_b: float) -> str:
    """The colour ``share_of_b`` of the way from ``a`` to ``b``."""
    ra, rb = hex_to_rgb(a), hex_to_rgb(b)
    return rgb_to_hex(tuple(x + (y - x) * share_of_b for x, y in zip(ra, rb, strict=True)))  # type: ignore[arg-type]


def darker(colour: str, share: float) -> str:
    """``colour`` mixed ``share`` of the way to black."""
    return mixed(colour, "#000000", share)


def lighter(colour: str, share: float) -> str:
    """``colour`` mixed ``share`` of the way to white."""
    return mixed(colour, "#FFFFFF", share)


def luminance(colour: str) -> float:
    """Relative luminance in [0, 1] (Rec. 709 weights on the encoded values)."""
    r, g, b = hex_to_rgb(colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def against(colour: str, ground: str, contrast: float = 0.18, lighten: bool | None = None) -> str:
    """``colour``, darkened (or on a dark ground lightened) until its luminance differs from ``ground``'s by at
    least ``contrast``: a beard or a lip line must not vanish into a skin of its own lightness. ``lighten`` fixes
    the direction (by default: lighten on a ground darker than 0.3)."""
    lighten = luminance(ground) < 0.3 if lighten is None else lighten
    for step in range(11):
        shade = lighter(colour, step * 0.08) if lighten else darker(colour, step * 0.08)
        if abs(luminance(shade) - luminance(ground)) >= contrast:
            return shade
    return shade
