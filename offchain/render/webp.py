"""The page's portraits as WebP: the renderer's PNG re-encoded lossy, about a tenth of its bytes (a 256 px
portrait of the shipped renderer: 69 KB as PNG, 6 KB as WebP), and bytes are what a phone on a slow network
waits for before the gallery's first row shows (Lighthouse's LCP, issue 24). The PNG stays the canonical image
(token metadata, marketplaces, byte-identical renders); the WebP is derived from it."""

from __future__ import annotations

import io

from PIL import Image

QUALITY = 85  # libwebp's lossy quality: no visible difference on the portraits at their shown size


def webp_from_png(png: bytes, quality: int = QUALITY) -> bytes:
    """``png`` re-encoded as lossy WebP of the same size (alpha kept when the PNG has one)."""
    with Image.open(io.BytesIO(png)) as image:
        out = io.BytesIO()
        image.save(out, "WEBP", quality=quality, method=4)
    return out.getvalue()
