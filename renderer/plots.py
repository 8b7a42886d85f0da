"""A dependency-free training-curve figure (PIL only): one panel per logged quantity."""

from __future__ import annotations

import json
from pathlib import Path

from PIL import Image, ImageDraw

PANELS = (  # what the v3 loop logs (renderer.training.loop)
    ("rec", "L1 against the reference portrait (3 scales)"),
    ("hard", "mean error of the worst 2% of pixels"),
    ("adv", "G adversarial loss (hinge)"),
    ("loss_d", "D hinge loss"),
)


def read_log(path: str | Path) -> list[dict]:
    """The loss records of a run's ``log.jsonl`` (events such as a stop are skipped), one per step, later
    resumes overriding earlier steps."""
    by_step = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            rec = json.loads(line)
            if all(key in rec for key, _ in PANELS):
                by_step[rec["step"]] = rec
    return [by_step[s] for s in sorted(by_step)]


def smooth(values: list[float], k: int = 8) -> list[float]:
    """Trailing moving average over k points."""
    return [sum(values[max(0, i - k + 1) : i + 1]) / (i - max(0, i - k + 1) + 1) for i in range(len(values))]


def training_figure(records: list[dict], width: int = 420, height: int = 180) -> Image.Image:
    """Panels stacked vertically: x = step, y = each quantity (moving average), min/max labelled."""
    image = Image.new("RGB", (width, height * len(PANELS)), "white")
    draw = ImageDraw.Draw(image)
    steps = [r["step"] for r in records]
    for p, (key, title) in enumerate(PANELS):
        top = p * height
        ys = smooth([float(r[key]) for r in records])
        lo, hi = min(ys), max(ys)
        span, x_span = (hi - lo) or 1.0, (steps[-1] - steps[0]) or 1
        left, right, y0, y1 = 50, width - 10, top + 25, top + height - 25
        draw.rectangle((left, y0, right, y1), outline=(180, 180, 180))
        draw.text((left, top + 6), f"{title}  (last {ys[-1]:.3f})", fill="black")
        draw.text((4, y0), f"{hi:.2f}", fill=(90, 90, 90))
        draw.text((4, y1 - 10), f"{lo:.2f}", fill=(90, 90, 90))
        draw.text((left, y1 + 4), f"step {steps[0]}", fill=(90, 90, 90))
        draw.text((right - 70, y1 + 4), f"step {steps[-1]}", fill=(90, 90, 90))
        points = [
            (left + (s - steps[0]) / x_span * (right - left), y1 - (v - lo) / span * (y1 - y0))
            for s, v in zip(steps, ys, strict=False)
        ]
        if len(points) > 1:
            draw.line(points, fill=(30, 90, 200), width=2)
    return image
