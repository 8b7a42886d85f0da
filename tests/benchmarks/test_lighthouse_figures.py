"""benchmarks/lighthouse.txt holds a committed Lighthouse score for each page and preset (the run itself
is slow and lives in benchmarks/lighthouse.py, not in the suite)."""

from __future__ import annotations

import re
from pathlib import Path

FIGURES = Path(__file__).resolve().parents[2] / "benchmarks" / "lighthouse.txt"
ROW = re.compile(r"^(\w+)\s+(\w+)\s+(\d+)\s+(\d+)\s+(\d+)\s+\d+\s+\d+\s+/#/")


def test_every_page_and_preset_has_committed_scores():
    rows = {(m[1], m[2]): [int(m[k]) for k in (3, 4, 5)] for line in FIGURES.read_text().splitlines()
            if (m := ROW.match(line))}
    # The three pages, in Lighthouse's two standard set-ups.
    assert set(rows) == {(preset, page) for preset in ("mobile", "desktop") for page in ("gallery", "character", "fuse")}
    assert all(0 <= score <= 100 for scores in rows.values() for score in scores)
