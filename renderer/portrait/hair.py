"""The twelve hair styles, each shaped by the hair genes (volume, length, parting, fringe, shine, strands).

A style is two layers: ``back`` is drawn behind the head (long hair, an afro's cloud, a bun) and
``front`` over it (the cap over the skull, a fringe). Ears sit between the layers, so no style hides
them. Styles are in the vocabulary's order (renderer.vocabulary).
"""

from __future__ import annotations

import math

from renderer.portrait import palette as P
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.portrait.svg import circle, group, path

(SHORT_FLAT, BOB, TOP_BUN, BIG_CURLS, DREADS, AFRO, LONG_STRAIGHT, FRIZZLE, SPIKY, WILD, HALF_SHAVED, CORNROWS) = range(
    12
)


def _skull_point(h: Head, grow: float, degrees: float) -> tuple[float, float]:
    """A point on the skull's ellipse grown by ``grow`` units, at an angle (0 = right, 90 = top)."""
    a = math.radians(degrees)
    return h.cx + (h.rx + grow) * math.cos(a), h.cy - (h.ry_top + grow) * math.sin(a)


def _cap(h: Head, looks: Looks, thickness: float, drop: float = 0.0, flat: float = 0.0) -> str:
    """Path data of hair hugging the skull: out by ``thickness``, down the temples to ``drop`` above the
    cheek line, and a hairline across the forehead set by the forehead and fringe genes and the parting."""
    rx, ry = h.rx + thickness, h.ry_top + thickness * (1 - flat)
    side_y = h.cy - 4.0 + drop + looks.span("hair_length", -2.0, 5.0)
    hairline = h.eye_y - h.eye_r - h.scale * (looks.span("forehead", 6.5, 11.5) - looks.span("fringe", 0.0, 3.0))
    part = looks.span("hair_part", -0.85, 0.85) * h.rx
    return (
        f"M{h.cx - rx:.2f},{side_y:.2f} A{rx:.2f},{ry:.2f} 0 0 1 {h.cx + rx:.2f},{side_y:.2f} "
        f"L{h.cx + h.rx - 0.5:.2f},{side_y:.2f} "
        f"C{h.cx + h.rx - 1:.2f},{hairline - 2:.2f} "
        f"{h.cx + part + 6:.2f},{hairline - 1:.2f} {h.cx + part:.2f},{hairline + 1.5:.2f} "
        f"C{h.cx + part - 6:.2f},{hairline - 1:.2f} "
        f"{h.cx - h.rx + 1:.2f},{hairline - 2:.2f} {h.cx - h.rx + 0.5:.2f},{side_y:.2f} Z"
    )


def _bumps(
    cx: float,
    cy: float,
    rx: float,
    ry: float,
    r: float,
    start: float,
    end: float,
    count: int,
    colour: str,
    outline: str,
    line: float,
) -> str:
    """Circles of radius r strung along an elliptic arc (degrees start..end): curls, afro edges."""
    out = []
    for k in range(count):
        a = math.radians(start + (end - start) * k / max(1, count - 1))
        out.append(circle(cx + rx * math.cos(a), cy - ry * math.sin(a), r, colour, stroke=outline, stroke_width=line))
    return "".join(out)


def _strands(h: Head, looks: Looks, colour: str, grow: float) -> str:
    """Strand lines over the skull (as visible as the strands gene) and a highlight (the shine gene)."""
    out = []
    strands = looks.span("hair_strands", 0.0, 1.0)
    if strands > 0.03:
        for k, g in enumerate((0.25, 0.5, 0.75)):
            x0, y0 = _skull_point(h, grow * g, 150 - 8 * k)
            x1, y1 = _skull_point(h, grow * g, 30 + 8 * k)
            out.append(
                path(
                    f"M{x0:.2f},{y0:.2f} A{h.rx + grow * g:.2f},{h.ry_top + grow * g:.2f} 0 0 1 {x1:.2f},{y1:.2f}",
                    stroke=P.darker(colour, 0.5) if P.luminance(colour) > 0.2 else P.lighter(colour, 0.35),
                    stroke_width=1.5,
                    stroke_opacity=f"{strands:.2f}",
                    stroke_linecap="round",
                )
            )
    shine = looks.span("hair_shine", 0.0, 0.7)
    if shine > 0.03:
        x0, y0 = _skull_point(h, grow * 0.6, 125)
        x1, y1 = _skull_point(h, grow * 0.6, 80)
        out.append(
            path(
                f"M{x0:.2f},{y0:.2f} A{h.rx:.2f},{h.ry_top:.2f} 0 0 1 {x1:.2f},{y1:.2f}",
                stroke="#FFFFFF",
                stroke_width=2.2,
                stroke_opacity=f"{shine:.2f}",
                stroke_linecap="round",
            )
        )
    return "".join(out)


def hair(h: Head, looks: Looks, style: int, colour: str, line: float) -> tuple[str, str]:
    """(back layer, front layer) SVG of hair ``style`` in ``colour``."""
    v, length = looks.hair_volume, looks.hair_length
    outline = P.darker(colour, 0.45)
    ink = {"stroke": outline, "stroke_width": line, "stroke_linejoin": "round"}
    part = looks.span("hair_part", -1.0, 1.0)
    back: list[str] = []
    front: list[str] = []
    if style == SHORT_FLAT:
        front.append(path(_cap(h, looks, 1.5 + 2.5 * v, flat=0.55), colour, **ink))
    elif style == BOB:
        w, bottom = h.rx + 3 + 4 * v, h.cy + h.ry_chin * (0.7 + 0.5 * length)
        back.append(
            path(
                f"M{h.cx - w:.2f},{bottom:.2f} L{h.cx - w:.2f},{h.cy - 2:.2f} A{w:.2f},{h.ry_top + 3 + 3 * v:.2f} "
                f"0 0 1 {h.cx + w:.2f},{h.cy - 2:.2f} L{h.cx + w:.2f},{bottom:.2f} Z",
                colour,
                **ink,
            )
        )
        fringe_y = h.eye_y - h.eye_r - h.scale * (7.5 - looks.span("fringe", 0.0, 4.5))
        front.append(
            path(
                f"M{h.cx - h.rx - 2:.2f},{h.cy + 2:.2f} A{h.rx + 2:.2f},{h.ry_top + 2:.2f} 0 0 1 "
                f"{h.cx + h.rx + 2:.2f},{h.cy + 2:.2f} L{h.cx + h.rx - 1:.2f},{fringe_y:.2f} "
                f"L{h.cx - h.rx + 1:.2f},{fringe_y:.2f} Z",
                colour,
                **ink,
            )
        )
    elif style == TOP_BUN:
        r = 4.5 + 3.5 * v
        bx, by = h.cx + part * 3, h.top - r * 0.55
        back.append(circle(bx, by, r, colour, **ink))
        front.append(path(_cap(h, looks, 1.2, drop=-1.0), colour, **ink))
        front.append(
            path(
                f"M{bx - r * 0.6:.2f},{by + r * 0.85:.2f} Q{bx:.2f},{by + r * 1.15:.2f} {bx + r * 0.6:.2f},"
                f"{by + r * 0.85:.2f}",
                stroke=P.darker(colour, 0.3),
                stroke_width=1.6,
            )
        )
    elif style == BIG_CURLS:
        r = 3.6 + 2.2 * v
        reach = h.ry_chin * (0.4 + 0.7 * length)
        for side in (-1, 1):
            for k in range(4):
                back.append(circle(h.cx + side * (h.rx + r * 0.55), h.cy - 4 + k * reach / 3, r, colour, **ink))
        back.append(_bumps(h.cx, h.cy - 2, h.rx + r * 0.5, h.ry_top + r * 0.5, r, 0, 180, 9, colour, outline, line))
        front.append(path(_cap(h, looks, 1.0), colour, **ink))
        front.append(
            _bumps(
                h.cx,
                h.cy - 3,
                h.rx - 1,
                h.ry_top - 4 + looks.span("fringe", 0, 3),
                r * 0.6,
                25,
                155,
                6,
                colour,
                outline,
                line,
            )
        )
    elif style == DREADS:
        bottom = h.cy + h.ry_chin * (0.5 + 0.9 * length)
        width = 2.6 + 1.2 * v
        for side in (-1, 1):
            for k in range(4):
                x = h.cx + side * (h.rx - 2 + k * (width + 0.4))
                back.append(
                    path(
                        f"M{x:.2f},{h.cy - 10 + 2 * k:.2f} L{x:.2f},{bottom - 3 * k:.2f}",
                        stroke=colour,
                        stroke_width=width,
                        stroke_linecap="round",
                    )
                )
                back.append(
                    path(
                        f"M{x:.2f},{h.cy - 8 + 2 * k:.2f} L{x:.2f},{bottom - 3 * k:.2f}",
                        stroke=outline,
                        stroke_width=0.4,
                        stroke_dasharray="1.2,1.6",
                    )
                )
        front.append(path(_cap(h, looks, 2.0), colour, **ink))
        for k in range(5):
            x0, y0 = _skull_point(h, 1.0, 40 + 25 * k)
            front.append(
                path(f"M{x0:.2f},{y0:.2f} L{h.cx + part * 2:.2f},{h.top + 5:.2f}", stroke=outline, stroke_width=0.5)
            )
    elif style == AFRO:
        r = h.rx + 7 + 8 * v
        cy = h.cy - 5 - 2 * v
        back.append(
            path(
                f"M{h.cx:.2f},{cy:.2f} m{-r:.2f},0 a{r:.2f},{r * 0.92:.2f} 0 1 0 {2 * r:.2f},0 "
                f"a{r:.2f},{r * 0.92:.2f} 0 1 0 {-2 * r:.2f},0",
                colour,
            )
        )
        back.append(_bumps(h.cx, cy, r - 1.2, r * 0.92 - 1.2, 3.0, -20, 200, 15, colour, outline, line))
        front.append(path(_cap(h, looks, 0.8, drop=-2.0), colour))
    elif style == LONG_STRAIGHT:
        w, bottom = h.rx + 2.5 + 3 * v, h.chin + 6 + 20 * length
        back.append(
            path(
                f"M{h.cx - w:.2f},{bottom:.2f} L{h.cx - w:.2f},{h.cy - 2:.2f} A{w:.2f},{h.ry_top + 2.5 + 2 * v:.2f} "
                f"0 0 1 {h.cx + w:.2f},{h.cy - 2:.2f} L{h.cx + w:.2f},{bottom:.2f} Z",
                colour,
                **ink,
            )
        )
        front.append(path(_cap(h, looks, 2.0 + 1.5 * v, drop=5.0), colour, **ink))
    elif style == FRIZZLE:
        grow = 2.5 + 2.5 * v
        teeth = []
        for k in range(29):
            x, y = _skull_point(h, grow + (3.2 if k % 2 else -0.5), -20 + 220 * k / 28)
            teeth.append(f"{x:.2f},{y:.2f}")
        for k in range(29):  # back along the skull's edge: a ring round the head, never a sheet over the face
            x, y = _skull_point(h, -0.5, 200 - 220 * k / 28)
            teeth.append(f"{x:.2f},{y:.2f}")
        front.append(path(_cap(h, looks, grow - 0.5), colour, **ink))
        front.append(path("M" + " L".join(teeth) + " Z", colour, stroke=outline, stroke_width=line * 0.7))
        front.append(path(_cap(h, looks, grow - 0.5), colour))
    elif style == SPIKY:
        spike = 8.0 + 8.0 * v
        front.append(path(_cap(h, looks, 1.8), colour, **ink))
        for k in range(7):
            a = 30 + 20 * k
            x0, y0 = _skull_point(h, 0.5, a - 9)
            x1, y1 = _skull_point(h, spike, a + part * 6)
            x2, y2 = _skull_point(h, 0.5, a + 9)
            front.append(path(f"M{x0:.2f},{y0:.2f} L{x1:.2f},{y1:.2f} L{x2:.2f},{y2:.2f} Z", colour, **ink))
    elif style == WILD:
        tuft = 6.0 + 7.0 * v
        for side in (-1, 1):
            pts = []
            for k in range(9):
                angle = math.radians(-35 + 120 * k / 8)
                reach = h.rx + (tuft if k % 2 else tuft * 0.45)
                pts.append(
                    f"{h.cx + side * reach * math.cos(angle):.2f},{h.cy - 4 - reach * 0.9 * math.sin(angle):.2f}"
                )
            back.append(path(f"M{h.cx:.2f},{h.cy - 6:.2f} L" + " L".join(pts) + " Z", colour, **ink))
        front.append(path(_cap(h, looks, 0.6, drop=-3.0), P.mixed(colour, "#FFFFFF", 0.1), fill_opacity="0.55"))
    elif style == HALF_SHAVED:
        front.append(path(_cap(h, looks, 0.7), colour, fill_opacity="0.4"))
        w, bottom = h.rx + 2 + 3 * v, h.cy + h.ry_chin * (0.2 + 0.6 * length)
        sweep = (
            f"M{h.cx - h.rx * 0.3:.2f},{h.top - 2 - 3 * v:.2f} Q{h.cx + w:.2f},{h.top - 3 - 2 * v:.2f} "
            f"{h.cx + w:.2f},{bottom:.2f} L{h.cx + h.rx - 1:.2f},{bottom:.2f} L{h.cx + h.rx - 2:.2f},{h.eye_y - 4:.2f} "
            f"Q{h.cx:.2f},{h.eye_y - 7 + looks.span('fringe', 0.0, 3.0):.2f} {h.cx - h.rx * 0.45:.2f},{h.top + 6:.2f} Z"
        )
        front.append(path(sweep, colour, **ink))
    else:  # CORNROWS: braided rows from the hairline over the crown, scalp between them
        front.append(path(_cap(h, looks, 1.2), P.mixed(colour, "#C08A6A", 0.35), **ink))
        for k in range(6):
            x = h.cx + (k - 2.5) * (h.rx / 3.2) + part
            front.append(
                path(
                    f"M{x:.2f},{h.eye_y - 9:.2f} Q{x + (k - 2.5) * 0.8:.2f},{h.top - 3:.2f} "
                    f"{h.cx + (k - 2.5) * 1.5:.2f},{h.top - 1:.2f}",
                    stroke=colour,
                    stroke_width=2.2 + 0.8 * v,
                    stroke_linecap="round",
                )
            )
            front.append(
                path(
                    f"M{x:.2f},{h.eye_y - 9:.2f} Q{x + (k - 2.5) * 0.8:.2f},{h.top - 3:.2f} "
                    f"{h.cx + (k - 2.5) * 1.5:.2f},{h.top - 1:.2f}",
                    stroke=outline,
                    stroke_width=0.4,
                    stroke_dasharray="0.9,1.1",
                )
            )
    front.append(_strands(h, looks, colour, 2.0 + 2.0 * v))
    return group(back), group(front)
