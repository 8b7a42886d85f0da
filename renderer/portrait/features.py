"""Eyes, brows, nose, mouth and cheek marks: the Eyes and Mouth traits' shapes, placed and shaped by genes."""

from __future__ import annotations

import math

from renderer.portrait import palette as P
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.portrait.regions import mouth_region
from renderer.portrait.scene import shadow_at
from renderer.portrait.svg import circle, ellipse, group, path

OPEN, CLOSED, HEARTS, DIZZY, SURPRISED, WINK = range(6)
GRIN, BIG_SMILE, SAD, SCREAM, TONGUE, SICK, GRIMACE, SERIOUS = range(8)
CLOSED_LIPS = "#5A1018"  # the dark line where closed lips meet, the colour of an open mouth's inside


def _open_eye(x: float, y: float, r: float, looks: Looks, iris: str, skin: str, line: float) -> list[str]:
    """A white eye with an iris, pupil and sparkle sized by genes."""
    out = [ellipse(x, y, r * 1.3, r, "#FFFFFF", stroke=P.INK, stroke_width=line * 0.8)]
    ir = r * looks.span("iris_size", 0.5, 0.85)
    out += [circle(x, y + r * 0.05, ir, iris), circle(x, y + r * 0.05, ir * 0.5, "#111111")]
    sparkle = r * looks.span("eye_sparkle", 0.0, 0.8)
    if sparkle > 0.05:
        out.append(circle(x + ir * 0.35, y - ir * 0.35, sparkle, "#FFFFFF"))
    return out


def _lashes(x: float, y: float, r: float, side: int, looks: Looks, line: float) -> list[str]:
    """Three lashes off the outer upper rim (``side`` -1 left eye, +1 right eye)."""
    length = looks.span("lashes", 0.0, 5.5)
    if length < 0.15:
        return []
    out = []
    for angle in (35, 55, 75):
        a = math.radians(angle)
        x0, y0 = x + side * r * 1.3 * math.cos(a), y - r * math.sin(a)
        out.append(
            path(
                f"M{x0:.2f},{y0:.2f} l{side * length * math.cos(a) * 0.8:.2f},{-length * math.sin(a):.2f}",
                stroke=P.INK,
                stroke_width=1.2 + 0.35 * line,
                stroke_linecap="round",
            )
        )
    return out


def _heart(x: float, y: float, r: float) -> str:
    s = r * 1.15
    return path(
        f"M{x:.2f},{y + s:.2f} C{x - s * 1.9:.2f},{y - s * 0.1:.2f} {x - s * 0.9:.2f},{y - s * 1.5:.2f} "
        f"{x:.2f},{y - s * 0.45:.2f} C{x + s * 0.9:.2f},{y - s * 1.5:.2f} {x + s * 1.9:.2f},{y - s * 0.1:.2f} "
        f"{x:.2f},{y + s:.2f} Z",
        "#E8243C",
        stroke="#8E0E20",
        stroke_width=0.6,
    )


def _closed(x: float, y: float, r: float, line: float, wink: bool = False) -> str:
    """A closed eye: a downward arc (sleeping) or, winking, an upward one."""
    bend = -r * 0.9 if wink else r * 0.9
    return path(
        f"M{x - r * 1.3:.2f},{y:.2f} Q{x:.2f},{y + bend:.2f} {x + r * 1.3:.2f},{y:.2f}",
        stroke=P.INK,
        stroke_width=1.1 + 0.5 * line,
        stroke_linecap="round",
    )


def eyes(head: Head, looks: Looks, value: int, skin: str, line: float) -> str:
    """Both eyes in the Eyes trait's ``value``, each turned by the eye-tilt gene."""
    iris = P.hls(looks.span("iris_hue", 20.0, 300.0), P.IRIS_LIGHTNESS, 0.85)
    r = head.eye_r
    out = []
    for side in (-1, 1):
        x, y = head.cx + side * head.eye_dx, head.eye_y
        parts: list[str]
        if value == OPEN:
            parts = _open_eye(x, y, r, looks, iris, skin, line) + _lashes(x, y, r, side, looks, line)
        elif value == CLOSED:
            parts = [_closed(x, y, r, line)] + _lashes(x, y + r * 0.5, r * 0.6, side, looks, line)
        elif value == HEARTS:
            parts = [
                _heart(x, y, r * 1.15),
                circle(x - r * 0.5, y - r * 0.5, r * looks.span("eye_sparkle", 0.0, 0.65), "#FFFFFF"),
            ]
        elif value == DIZZY:
            d = r * 1.05
            parts = [
                path(
                    f"M{x - d:.2f},{y - d:.2f} L{x + d:.2f},{y + d:.2f} M{x + d:.2f},{y - d:.2f} L{x - d:.2f},"
                    f"{y + d:.2f}",
                    stroke=P.INK,
                    stroke_width=1.4 + 0.4 * line,
                    stroke_linecap="round",
                )
            ]
        elif value == SURPRISED:  # wide round whites, a small iris and a pinpoint pupil: not an Open eye
            ir = r * looks.span("iris_size", 0.3, 0.5)
            parts = [
                circle(x, y, r * 1.45, "#FFFFFF", stroke=P.INK, stroke_width=0.5 + line * 0.6),
                circle(x, y, ir, iris),
                circle(x, y, ir * 0.45, "#111111"),
                circle(x + ir * 0.5, y - ir * 0.5, r * looks.span("eye_sparkle", 0.0, 0.45), "#FFFFFF"),
            ]
            parts += _lashes(x, y, r * 1.05, side, looks, line)
        else:  # WINK: the left eye wide open, the right one winking
            parts = (
                _open_eye(x, y, r * 1.2, looks, iris, skin, line) + _lashes(x, y, r * 1.2, side, looks, line)
                if side < 0
                else [_closed(x, y, r, line, wink=True)]
            )
        shadow = looks.span("eye_shadow", 0.0, 0.75)
        if shadow > 0.02:  # eyeshadow from the eye up towards the brow, behind the eye
            parts.insert(0, ellipse(x, y - r * 0.7, r * 1.7, r * 1.35, "#8A3FB0", fill_opacity=f"{shadow:.2f}"))
        out.append(group(parts, transform=f"rotate({-side * head.eye_tilt:.2f} {x:.2f} {y:.2f})"))
    return "".join(out)


def brows(head: Head, looks: Looks, colour: str) -> str:
    """Two brows above the eyes: height, tilt, weight and arch from genes."""
    width = head.eye_r * 1.5
    lift = head.scale * looks.span("brow_height", 2.0, 5.5)
    tilt = looks.span("brow_tilt", -24.0, 24.0)  # positive: inner ends up (worried)
    arch = looks.span("brow_arch", -0.5, 4.0)
    weight = looks.span("brow_weight", 1.1, 3.6)
    out = []
    for side in (-1, 1):
        x, y = head.cx + side * head.eye_dx, head.eye_y - head.eye_r * 1.1 - lift
        d = f"M{x - width:.2f},{y:.2f} Q{x:.2f},{y - arch:.2f} {x + width:.2f},{y:.2f}"
        out.append(
            path(
                d,
                stroke=colour,
                stroke_width=weight,
                stroke_linecap="round",
                transform=f"rotate({side * tilt:.2f} {x:.2f} {y:.2f})",
            )
        )
    return "".join(out)


def nose(head: Head, looks: Looks, skin: str, line: float) -> str:
    """A nose: a shaded bulb and the line under it, sized by genes."""
    size = head.scale * looks.span("nose_size", 1.2, 4.6)
    width = size * looks.span("nose_width", 0.4, 2.6)
    x, y = head.cx, head.nose_y
    shade = P.darker(skin, 0.3)
    return ellipse(x, y - size * 0.3, width, size * 0.85, shade, fill_opacity="0.8") + path(
        f"M{x - width:.2f},{y + size * 0.1:.2f} Q{x:.2f},{y + size * 0.75:.2f} {x + width:.2f},{y + size * 0.1:.2f}",
        stroke=P.darker(skin, 0.6),
        stroke_width=1.2 + 0.5 * line,
        stroke_linecap="round",
    )


def mouth(head: Head, looks: Looks, value: int, skin: str, line: float, ground: str | None = None) -> str:
    """The mouth in the Mouth trait's ``value``: width, lips and lip colour from genes. ``ground`` is the colour
    it is drawn on (a beard's, else the skin's): the lips are made to stand out from it."""
    x, y, w = head.cx, head.mouth_y, head.mouth_w
    shade = looks.span("lip_shade", 0.0, 1.0)
    if P.luminance(skin) < 0.3:  # on dark skin lips are lighter than the skin, from dusky to rose
        lip = P.mixed(P.lighter(skin, 0.3), "#F0607A", shade)
    else:  # on light skin darker, from a skin-toned line to deep red
        lip = P.mixed(P.darker(skin, 0.3), "#B8002A", shade)
    lip = _lip_against_ground(head, looks, lip, skin, ground)
    lw = looks.span("lip_weight", 0.9, 3.0)  # thicker strokes blot a 128 px mouth's shape
    dark, teeth = "#5A1018", "#FFFFFF"
    stroke = {"stroke": lip, "stroke_width": lw, "stroke_linecap": "round", "stroke_linejoin": "round"}
    if value == GRIN:
        # a wide closed smile with the corners turned up: at 128 px it must not read as Serious or Sad
        return _closed_lips(
            f"M{x - w * 1.05:.2f},{y - 2.2:.2f} Q{x - w * 0.95:.2f},{y - 0.6:.2f} {x - w * 0.8:.2f},{y - 0.6:.2f} "
            f"Q{x:.2f},{y + w * 1.0:.2f} {x + w * 0.8:.2f},{y - 0.6:.2f} "
            f"Q{x + w * 0.95:.2f},{y - 0.6:.2f} {x + w * 1.05:.2f},{y - 2.2:.2f}",
            lip,
            lw,
            "round",
        )
    if value == BIG_SMILE:
        d = (
            f"M{x - w:.2f},{y - 1:.2f} L{x + w:.2f},{y - 1:.2f} "
            f"Q{x + w:.2f},{y + w * 1.1:.2f} {x:.2f},{y + w * 1.1:.2f} "
            f"Q{x - w:.2f},{y + w * 1.1:.2f} {x - w:.2f},{y - 1:.2f} Z"
        )
        return path(d, dark, **stroke) + path(
            f"M{x - w * 0.8:.2f},{y - 0.6:.2f} L{x + w * 0.8:.2f},{y - 0.6:.2f} "
            f"L{x + w * 0.7:.2f},{y + 1.4:.2f} L{x - w * 0.7:.2f},{y + 1.4:.2f} Z",
            teeth,
        )
    if value == SAD:
        return _closed_lips(  # a deep frown, the corners well below its top
            f"M{x - w * 0.9:.2f},{y + 3.2:.2f} Q{x:.2f},{y - w * 1.1:.2f} {x + w * 0.9:.2f},{y + 3.2:.2f}",
            lip,
            lw,
            "round",
        )
    if value == SCREAM:
        return ellipse(x, y + 1.5, w * 0.6, w * 0.85, dark, stroke=lip, stroke_width=lw) + ellipse(
            x, y + 1.5 + w * 0.45, w * 0.4, w * 0.25, "#E2677A"
        )
    if value == TONGUE:
        d = f"M{x - w:.2f},{y - 0.5:.2f} Q{x:.2f},{y + w * 0.9:.2f} {x + w:.2f},{y - 0.5:.2f} Z"
        return path(d, dark, **stroke) + path(
            f"M{x - w * 0.45:.2f},{y + w * 0.2:.2f} L{x - w * 0.45:.2f},"
            f"{y + w * 0.95:.2f} Q{x:.2f},{y + w * 1.5:.2f} {x + w * 0.45:.2f},"
            f"{y + w * 0.95:.2f} L{x + w * 0.45:.2f},{y + w * 0.2:.2f} Z",
            "#F06C8A",
            stroke="#A8324E",
            stroke_width=0.5,
        )
    if value == SICK:
        d = (
            f"M{x - w:.2f},{y:.2f} Q{x - w * 0.5:.2f},{y - 1.5:.2f} {x:.2f},{y:.2f} Q{x + w * 0.5:.2f},{y + 1.5:.2f} "
            f"{x + w:.2f},{y:.2f} Q{x:.2f},{y + w * 0.9:.2f} {x - w:.2f},{y:.2f} Z"
        )
        drip = path(
            f"M{x - w * 0.35:.2f},{y + w * 0.3:.2f} L{x - w * 0.35:.2f},{y + w * 1.3:.2f} "
            f"Q{x - w * 0.05:.2f},{y + w * 1.8:.2f} {x + w * 0.25:.2f},{y + w * 1.3:.2f} "
            f"L{x + w * 0.25:.2f},{y + w * 0.3:.2f} Z",
            "#7DCB3A",
            stroke="#3F7A17",
            stroke_width=0.5,
        )
        return path(d, dark, **stroke) + drip
    if value == GRIMACE:
        h = 2.6 + 0.3 * lw
        bars = "".join(f"M{x + k * w / 3:.2f},{y - h / 2:.2f} l0,{h:.2f} " for k in (-2, -1, 0, 1, 2))
        return path(
            f"M{x - w:.2f},{y - h / 2:.2f} h{2 * w:.2f} v{h:.2f} h{-2 * w:.2f} Z",
            teeth,
            stroke=lip,
            stroke_width=lw,
            stroke_linejoin="round",
        ) + path(bars + f"M{x - w:.2f},{y:.2f} h{2 * w:.2f}", stroke="#9A8F8F", stroke_width=0.45)
    # SERIOUS: a straight, level line with square ends
    return _closed_lips(f"M{x - w * 0.8:.2f},{y:.2f} L{x + w * 0.8:.2f},{y:.2f}", lip, lw, "butt")


def _closed_lips(d: str, lip: str, lw: float, cap: str) -> str:
    """A closed mouth along path ``d``: a band of lip colour at least 1.7 units wide (2.2 px at 128 px) however thin
    the lips (``lw``, growing with them), and the dark line where the lips meet along its middle, so the mouth's
    shape shows on any skin and under any shading."""
    band = 0.8 + lw
    common = {"stroke_linecap": cap, "stroke_linejoin": "round"}
    return path(d, stroke=lip, stroke_width=f"{band:.2f}", **common) + path(
        d, stroke=CLOSED_LIPS, stroke_width=f"{0.35 * band:.2f}", **common
    )


def _lip_against_ground(head: Head, looks: Looks, lip: str, skin: str, ground: str | None) -> str:
    """The lip colour made to stand out by 0.2 in luminance from what it is drawn on: a beard's colour, or the skin
    as the face's shading leaves it at the mouth (the shadow is laid over the skin, the mouth over the shadow)."""
    if ground is not None and ground != skin:
        return P.against(lip, ground, 0.2)
    if P.luminance(skin) < 0.3:  # lips lighter than the skin: a shadow only deepens the contrast
        return P.against(lip, skin, 0.2)
    seen = P.darker(skin, shadow_at(head, looks, head.cx, head.mouth_y))
    return P.against(lip, seen, 0.2, lighten=False)


def cheeks(head: Head, looks: Looks, skin: str) -> str:
    """Blush, freckles, cheekbone shading and smile lines: each as strong as its gene."""
    out = []
    y = (head.nose_y + head.eye_y) / 2 + 2.5
    dx = head.eye_dx + head.eye_r * 0.4
    blush = looks.span("blush", 0.0, 1.0)
    bone = looks.span("cheekbones", 0.0, 0.9)
    for side in (-1, 1):
        x = head.cx + side * dx
        if bone > 0.02:  # sculpted: a light ridge over the cheekbone and a soft hollow beneath it
            bx = head.cx + side * (head.half_width_at(y + 4) - 3.4)
            for dy, shade in ((-1.2, P.lighter(skin, 0.35)), (4.6, P.darker(skin, 0.3))):
                out.append(
                    ellipse(
                        bx,
                        y + dy,
                        2.8 * head.scale,
                        5.2 * head.scale,
                        shade,
                        fill_opacity=f"{bone:.2f}",
                        transform=f"rotate({side * 50} {bx:.2f} {y + dy:.2f})",
                    )
                )
        if blush > 0.02:
            out.append(ellipse(x, y + 1, 6.0 * head.scale, 3.8 * head.scale, "#F03A5A", fill_opacity=f"{blush:.2f}"))
    freckles = round(looks.span("freckles", 0.0, 22.0))
    spots = (
        (-1.8, -0.6),
        (0.2, 0.4),
        (2.0, -0.8),
        (-0.8, 1.6),
        (1.2, 2.0),
        (-2.6, 1.2),
        (2.8, 1.0),
        (0.0, -1.8),
        (-1.2, 3.0),
        (1.8, 3.2),
        (3.2, -2.2),
    )
    for k in range(freckles):
        side = -1 if k % 2 == 0 else 1
        sx, sy = spots[(k // 2) % len(spots)]
        out.append(circle(head.cx + side * (dx + sx), y + sy, 1.15 * head.scale, P.darker(skin, 0.55)))
    lines = looks.span("smile_lines", 0.0, 1.0)
    if lines > 0.03:
        out += [_smile_line(head, side, lines, skin) for side in (-1, 1)]
    return "".join(out)


def _smile_line(head: Head, side: int, lines: float, skin: str) -> str:
    """One nasolabial fold (``side`` -1 left, +1 right), ``lines`` deep in [0, 1]: a crease from beside the nose's
    wing round the mouth to just past its corner, lit on its cheek side, on an ellipse just outside the mouth's
    region (:func:`renderer.portrait.regions.mouth_region`) so it never crosses the mouth; deeper folds are longer,
    wider and darker."""
    width = 0.7 + 1.6 * lines
    lit = 0.5 + 1.3 * lines
    mx, my, rx, ry = mouth_region(head)
    top, bottom = math.radians(-58 - 4 * lines), math.radians(-34 + 20 * lines)  # angles below the horizontal
    out = []
    for grow, colour, stroke in (
        (width + lit / 2, P.lighter(skin, 0.22), lit),
        (width / 2, P.darker(skin, 0.5), width),
    ):
        ax, ay = rx + 0.6 + grow, ry + 0.6 + grow
        (x0, y0), (x1, y1) = ((mx + side * ax * math.cos(a), my + ay * math.sin(a)) for a in (top, bottom))
        out.append(
            path(
                f"M{x0:.2f},{y0:.2f} A{ax:.2f},{ay:.2f} 0 0 {1 if side > 0 else 0} {x1:.2f},{y1:.2f}",
                stroke=colour,
                stroke_width=f"{stroke:.2f}",
                stroke_opacity=f"{0.15 + 0.85 * lines:.2f}",
                stroke_linecap="round",
            )
        )
    return "".join(out)
