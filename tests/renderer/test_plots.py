"""Training-curve figure: log parsing (resumes override), smoothing, drawing."""

from __future__ import annotations

import json

from renderer.plots import PANELS, read_log, smooth, training_figure


def _rec(step, v):
    return {"step": step, "images": 16 * step, "rec": v, "hard": 2 * v, "adv": -v, "loss_d": v / 10}


def test_read_log_keeps_the_last_record_of_a_step(tmp_path):
    log = tmp_path / "log.jsonl"
    lines = [json.dumps(_rec(s, v)) for s, v in [(25, 1.0), (50, 2.0), (25, 9.0)]]
    lines.append(json.dumps({"event": "stop", "step": 60, "images": 960}))  # not a loss record
    log.write_text("\n".join(lines) + "\n")
    records = read_log(log)
    assert [r["step"] for r in records] == [25, 50]
    assert records[0]["rec"] == 9.0


def test_smooth_is_a_trailing_mean():
    assert smooth([0, 2, 4, 6], k=2) == [0, 1, 3, 5]


def test_figure_has_one_panel_per_quantity():
    image = training_figure([_rec(s, s / 100) for s in range(25, 500, 25)], width=300, height=100)
    assert image.size == (300, 100 * len(PANELS))
    assert len(image.getcolors(maxcolors=1 << 16)) > 2  # axes, text and curves were drawn
