"""Tiny SVG helpers: numbers with two decimals, elements from keyword attributes."""

from __future__ import annotations


def num(x: float) -> str:
    """A coordinate as SVG text: two decimals, no trailing zeros."""
    text = f"{x:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def element(tag: str, body: str = "", /, **attrs: object) -> str:
    """``<tag a="1" b="2"/>`` (or with ``body``); ``stroke_width`` becomes ``stroke-width``; floats go through num."""
    parts = []
    for key, value in attrs.items():
        if value is None:
            continue
        text = num(value) if isinstance(value, float) else str(value)
        parts.append(f'{key.rstrip("_").replace("_", "-")}="{text}"')
    head = " ".join([tag, *parts])
    return f"<{head}>{body}</{tag}>" if body else f"<{head}/>"


def path(d: str, /, fill: object = "none", **attrs: object) -> str:
    """A ``<path>`` with outline data ``d``."""
    return element("path", d=d, fill=fill, **attrs)


def circle(cx: float, cy: float, r: float, fill: str, **attrs: object) -> str:
    """A ``<circle>``."""
    return element("circle", cx=float(cx), cy=float(cy), r=float(r), fill=fill, **attrs)


def ellipse(cx: float, cy: float, rx: float, ry: float, fill: str, **attrs: object) -> str:
    """An ``<ellipse>``."""
    return element("ellipse", cx=float(cx), cy=float(cy), rx=float(rx), ry=float(ry), fill=fill, **attrs)


def group(body: list[str] | str, **attrs: object) -> str:
    """A ``<g>`` around ``body``."""
    return element("g", "".join(body) if isinstance(body, list) else body, **attrs)


def pts(*xy: float) -> str:
    """``x1,y1 x2,y2 ...`` for path data."""
    return " ".join(f"{num(xy[k])},{num(xy[k + 1])}" for k in range(0, len(xy), 2))
