"""What the character wears and grows: clothing (Clothing colour trait), glasses (Glasses trait), facial hair
(Facial hair trait) and earrings, each placed by the head and shaped by the body and accent genes."""

from __future__ import annotations

from renderer.portrait import palette as P
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.portrait.svg import circle, element, group, path

NO_GLASSES, ROUND, THIN, THICK = range(4)
NO_BEARD, LIGHT_BEARD, MEDIUM_BEARD, MAJESTIC_BEARD, FANCY_MOUSTACHE, MAGNUM_MOUSTACHE = range(6)


def accent(looks: Looks, lightness: float = 0.5, saturation: float = 0.7) -> str:
    """The accent colour (trim, frames, earrings) the accent gene picks: warm (orange) to cool (blue)."""
    return P.hls(looks.span("accent_hue", 20.0, 230.0), lightness, saturation)


def body(h: Head, looks: Looks, cloth: str, skin: str, line: float) -> str:
    """Neck and shoulders in the clothing colour, with neckline, stripes and trim from genes."""
    cx = 50 + (h.cx - 50) * 0.4
    top = looks.span("shoulder_height", 86.0, 77.0)
    sw = looks.span("shoulder_width", 27.0, 43.0)
    nw = h.scale * looks.span("neck_width", 5.5, 10.0)
    outline = P.darker(cloth, 0.5)
    neck = path(
        f"M{h.cx - nw:.2f},{h.cy + h.ry_chin * 0.5:.2f} L{cx - nw:.2f},{top + 4:.2f} L{cx + nw:.2f},{top + 4:.2f} "
        f"L{h.cx + nw:.2f},{h.cy + h.ry_chin * 0.5:.2f} Z",
        P.darker(skin, 0.12),
        stroke=P.darker(skin, 0.45),
        stroke_width=line,
    )
    shape = (
        f"M{cx - sw - 6:.2f},101 L{cx - sw:.2f},{top + 9:.2f} "
        f"Q{cx - sw + 1:.2f},{top:.2f} {cx - sw + 10:.2f},{top:.2f} "
        f"L{cx + sw - 10:.2f},{top:.2f} Q{cx + sw - 1:.2f},{top:.2f} "
        f"{cx + sw:.2f},{top + 9:.2f} L{cx + sw + 6:.2f},101 Z"
    )
    clip = element("clipPath", path(shape), id="lk-body")
    stripes = []
    strength = looks.span("stripes", 0.0, 0.42)
    if strength > 0.02:
        period = looks.span("stripe_width", 3.2, 7.5)
        tone = "#FFFFFF" if P.luminance(cloth) < 0.5 else "#000000"
        y = top + period * 0.5
        while y < 101:
            stripes.append(
                element(
                    "rect",
                    x=0.0,
                    y=float(y),
                    width=100.0,
                    height=float(period / 2),
                    fill=tone,
                    fill_opacity=f"{strength:.2f}",
                )
            )
            y += period
    depth = looks.span("neckline", 3.0, 15.0)
    collar = f"M{cx - nw - 3:.2f},{top - 0.5:.2f} L{cx:.2f},{top + depth:.2f} L{cx + nw + 3:.2f},{top - 0.5:.2f}"
    return (
        neck
        + clip
        + path(shape, cloth, stroke=outline, stroke_width=line)
        + group(stripes, clip_path="url(#lk-body)")
        + path(collar + " Z", P.darker(skin, 0.12))
        + path(collar, stroke=accent(looks), stroke_width=2.2, stroke_linejoin="round")
    )


def ears(h: Head, looks: Looks, skin: str, line: float) -> str:
    """Two ears on the cheek line, sized and set by genes, with earrings as large as the earring gene."""
    out = []
    ring = looks.span("earring", 0.0, 2.6)
    for side in (-1, 1):
        x, y, r = h.cx + side * (h.rx - 0.5), h.ear_y, h.ear_r
        out.append(
            element(
                "ellipse",
                cx=float(x + side * r * 0.35),
                cy=float(y),
                rx=float(r * 0.62),
                ry=float(r),
                fill=skin,
                stroke=P.darker(skin, 0.45),
                stroke_width=line,
            )
        )
        out.append(
            element(
                "ellipse",
                cx=float(x + side * r * 0.4),
                cy=float(y),
                rx=float(r * 0.28),
                ry=float(r * 0.55),
                fill=P.darker(skin, 0.18),
            )
        )
        if ring > 0.15:
            out.append(
                circle(
                    x + side * r * 0.35,
                    y + r + ring * 0.8,
                    ring,
                    "none",
                    stroke=accent(looks, 0.5, 0.85),
                    stroke_width=0.9 + 0.3 * ring,
                )
            )
    return "".join(out)


def glasses(h: Head, looks: Looks, value: int) -> str:
    """Frames around the eyes for the Glasses trait's ``value``, lenses nearly clear so the eyes show."""
    if value == NO_GLASSES:
        return ""
    r = h.eye_r * 1.75 + 0.6
    frame = {ROUND: accent(looks, 0.38, 0.55), THIN: accent(looks, 0.3, 0.35), THICK: accent(looks, 0.12, 0.4)}[value]
    width = {ROUND: 1.1, THIN: 0.6, THICK: 2.4}[value]
    out = []
    for side in (-1, 1):
        x, y = h.cx + side * h.eye_dx, h.eye_y
        if value == ROUND:
            out.append(circle(x, y, r, "#FFFFFF", fill_opacity="0.12", stroke=frame, stroke_width=width))
        else:
            out.append(
                element(
                    "rect",
                    x=float(x - r * 1.1),
                    y=float(y - r * 0.8),
                    width=float(r * 2.2),
                    height=float(r * 1.55),
                    rx=float(r * 0.35),
                    fill="#FFFFFF",
                    fill_opacity="0.12",
                    stroke=frame,
                    stroke_width=width,
                )
            )
    inner = h.eye_dx - (r if value == ROUND else r * 1.1)
    out.append(
        path(
            f"M{h.cx - inner:.2f},{h.eye_y - 0.5:.2f} Q{h.cx:.2f},{h.eye_y - 2.5:.2f} {h.cx + inner:.2f},"
            f"{h.eye_y - 0.5:.2f}",
            stroke=frame,
            stroke_width=width,
        )
    )
    return "".join(out)


BEARDS = (LIGHT_BEARD, MEDIUM_BEARD, MAJESTIC_BEARD)


def under_mouth(value: int, colour: str, skin: str) -> str:
    """The colour the mouth is drawn on: the beard's for a beard ``value``, else the skin's."""
    return P.against(colour, skin) if value in BEARDS else skin


def beard(h: Head, looks: Looks, value: int, colour: str, skin: str, line: float) -> str:
    """The Facial hair trait's beard for ``value`` (light, medium, majestic; "" otherwise), drawn under the mouth,
    in the hair colour made to stand out from the skin."""
    if value not in BEARDS:
        return ""
    colour = under_mouth(value, colour, skin)
    drop = {LIGHT_BEARD: 0.0, MEDIUM_BEARD: 2.5, MAJESTIC_BEARD: 13.0}[value]
    top = h.nose_y + 1.0
    half = h.half_width_at(top) + 0.3
    chin = h.chin + drop
    jw = h.rx * (0.35 + 0.5 * h.jaw) + (4.0 if value == MAJESTIC_BEARD else 0.0)
    d = (
        f"M{h.cx - half:.2f},{h.cy - 2:.2f} L{h.cx - half:.2f},{top:.2f} "
        f"C{h.cx - half:.2f},{chin - 4:.2f} {h.cx - jw:.2f},{chin:.2f} {h.cx:.2f},{chin:.2f} "
        f"C{h.cx + jw:.2f},{chin:.2f} {h.cx + half:.2f},{chin - 4:.2f} {h.cx + half:.2f},{top:.2f} "
        f"L{h.cx + half:.2f},{h.cy - 2:.2f} L{h.cx + half - 2.5:.2f},{h.cy - 2:.2f} "
        f"Q{h.cx + half - 4:.2f},{top + 2:.2f} {h.cx:.2f},{top:.2f} Q{h.cx - half + 4:.2f},{top + 2:.2f} "
        f"{h.cx - half + 2.5:.2f},{h.cy - 2:.2f} Z"
    )
    if value == LIGHT_BEARD:  # stubble: a translucent shadow, no outline
        return path(d, colour, fill_opacity="0.6")
    return path(d, colour, stroke=P.darker(colour, 0.45), stroke_width=line, stroke_linejoin="round")


def moustache(h: Head, looks: Looks, value: int, colour: str, skin: str, line: float) -> str:
    """The Facial hair trait's moustache for ``value`` (fancy, magnum; "" otherwise), drawn over the upper lip
    and sized by the mouth so that it frames the mouth's shape rather than covers it."""
    if value not in (FANCY_MOUSTACHE, MAGNUM_MOUSTACHE):
        return ""
    colour = P.against(colour, skin, 0.25)
    outline = P.darker(colour, 0.5)
    mx, y = h.cx, h.mouth_y - 3.4  # its lower edge clears a frown's top and a smile's corners
    if value == FANCY_MOUSTACHE:  # a handlebar: thin in the middle, ends curled up well past the mouth
        w = h.mouth_w * 1.25 + 2.0
        d = (
            f"M{mx:.2f},{y - 1.6:.2f} C{mx - w * 0.5:.2f},{y - 3.4:.2f} "
            f"{mx - w:.2f},{y + 1.8:.2f} {mx - w * 1.2:.2f},{y - 3.6:.2f} "
            f"C{mx - w * 0.9:.2f},{y + 3.2:.2f} {mx - w * 0.3:.2f},{y + 1.2:.2f} {mx:.2f},{y + 0.4:.2f} "
            f"C{mx + w * 0.3:.2f},{y + 1.2:.2f} {mx + w * 0.9:.2f},{y + 3.2:.2f} {mx + w * 1.2:.2f},{y - 3.6:.2f} "
            f"C{mx + w:.2f},{y + 1.8:.2f} {mx + w * 0.5:.2f},{y - 3.4:.2f} {mx:.2f},{y - 1.6:.2f} Z"
        )
    else:  # MAGNUM: a thick horseshoe whose bars run down past the mouth's corners
        w, bar = h.mouth_w + 3.0, 2.6
        d = (
            f"M{mx - w:.2f},{y + 7.5:.2f} L{mx - w:.2f},{y:.2f} Q{mx - w:.2f},{y - 3.2:.2f} {mx:.2f},{y - 3.2:.2f} "
            f"Q{mx + w:.2f},{y - 3.2:.2f} {mx + w:.2f},{y:.2f} "
            f"L{mx + w:.2f},{y + 7.5:.2f} L{mx + w - bar:.2f},{y + 7.5:.2f} "
            f"L{mx + w - bar:.2f},{y + 1.4:.2f} L{mx - w + bar:.2f},{y + 1.4:.2f} "
            f"L{mx - w + bar:.2f},{y + 7.5:.2f} Z"
        )
    return path(d, colour, stroke=outline, stroke_width=0.4 + line * 0.6, stroke_linejoin="round")
