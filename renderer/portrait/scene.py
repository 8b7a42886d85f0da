"""The background and the light: a tinted backdrop with a gradient and dots, and the face's shading."""

from __future__ import annotations

import math

from renderer.portrait import palette as P
from renderer.portrait.genes import Looks
from renderer.portrait.head import Head
from renderer.portrait.svg import circle, element, group, path


def background(looks: Looks) -> str:
    """The backdrop: hue and tint, a gradient along the gene's angle, and a grid of dots."""
    base = P.hls(
        looks.span("background_hue", 0.0, 330.0),
        looks.span("background_tint", 0.9, 0.8),
        looks.span("background_tint", 0.0, 1.0),
    )
    g = looks.span("gradient", 0.0, 1.0)
    a = math.radians(looks.span("gradient_angle", 90.0, 270.0))  # direction the light comes from
    x1, y1 = 0.5 + 0.5 * math.cos(a), 0.5 - 0.5 * math.sin(a)
    stops = element("stop", offset="0", stop_color=P.lighter(base, 0.55 * g)) + element(
        "stop", offset="1", stop_color=P.darker(base, 0.3 * g)
    )
    gradient = element(
        "linearGradient", stops, id="lk-bg", x1=f"{x1:.3f}", y1=f"{y1:.3f}", x2=f"{1 - x1:.3f}", y2=f"{1 - y1:.3f}"
    )
    out = [element("defs", gradient), element("rect", x=0.0, y=0.0, width=100.0, height=100.0, fill="url(#lk-bg)")]
    strength = looks.span("pattern", 0.0, 0.95)
    if strength > 0.02:
        step, radius = 10.0, looks.span("pattern_scale", 0.8, 4.8)
        dots = []
        for i in range(12):
            for j in range(12):
                dots.append(circle(i * step + (step / 2 if j % 2 else 0.0), j * step, radius, "#FFFFFF"))
        out.append(group(dots, fill_opacity=f"{strength:.2f}"))
    return "".join(out)


SHADOW_FROM = 0.45  # where along the shadow's gradient it begins; it deepens linearly to the far end


def _shadow_axis(h: Head, looks: Looks) -> tuple[float, float, float, float, float]:
    """(shadow depth, x1, y1, x2, y2): the shadow gradient's depth and ends in the face's bounding box units."""
    x_lit = 0.5 - 0.5 * looks.span("light_side", -1.0, 1.0)
    return looks.span("shadow", 0.0, 0.42), 1 - x_lit, 0.3, x_lit, 0.7


def shadow_at(h: Head, looks: Looks, x: float, y: float) -> float:
    """The opacity of the black shadow :func:`shading` lays over the face at view-box point (x, y) (untilted):
    what a mark drawn on the skin there must stand out from."""
    depth, x1, y1, x2, y2 = _shadow_axis(h, looks)
    u, v = (x - (h.cx - h.rx)) / (2 * h.rx), (y - h.top) / (h.chin - h.top)  # the face's bounding box units
    along = ((u - x1) * (x2 - x1) + (v - y1) * (y2 - y1)) / ((x2 - x1) ** 2 + (y2 - y1) ** 2)
    return depth * min(1.0, max(0.0, (along - SHADOW_FROM) / (1 - SHADOW_FROM)))


def shading(h: Head, looks: Looks) -> str:
    """Shadow on the face away from the light and a highlight towards it, clipped to the face."""
    side = looks.span("light_side", -1.0, 1.0)  # where the light comes from
    shadow, x1, y1, x2, y2 = _shadow_axis(h, looks)
    glow = looks.span("highlight", 0.0, 0.9)
    stops = (
        element("stop", offset="0", stop_color="#000000", stop_opacity="0")
        + element("stop", offset=f"{SHADOW_FROM}", stop_color="#000000", stop_opacity="0")
        + element("stop", offset="1", stop_color="#000000", stop_opacity=f"{shadow:.2f}")
    )
    shade = element("linearGradient", stops, id="lk-shade", x1=f"{x1:.3f}", y1=f"{y1}", x2=f"{x2:.3f}", y2=f"{y2}")
    light = element(
        "radialGradient",
        element("stop", offset="0", stop_color="#FFFFFF", stop_opacity=f"{glow:.2f}")
        + element("stop", offset="1", stop_color="#FFFFFF", stop_opacity="0"),
        id="lk-glow",
    )
    gx = h.cx - side * h.rx * 0.45
    return (
        element("defs", shade + light)
        + path(h.face_outline(), "url(#lk-shade)")
        + element(
            "ellipse",
            cx=float(gx),
            cy=float(h.cy - h.ry_top * 0.45),
            rx=float(h.rx * 0.55),
            ry=float(h.ry_top * 0.4),
            fill="url(#lk-glow)",
        )
    )
