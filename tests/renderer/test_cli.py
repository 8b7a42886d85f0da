"""``python -m renderer`` commands on tiny inputs (the shipped model is never trained here)."""

from __future__ import annotations

import json
import subprocess
import sys

from PIL import Image
from typer.testing import CliRunner

from renderer.cli import app

runner = CliRunner()
GENOME = "0x" + "ab" * 32 + "0123456789abcdef"


def test_plot_command(tmp_path):
    """`plot` draws a run's loss records; a log without two of them is a one-line error."""
    run = tmp_path / "run"
    run.mkdir()
    rows = [{"step": s, "images": 16 * s, "rec": 1 / s, "hard": 2 / s, "adv": 0.0, "loss_d": 0.0} for s in (25, 50, 75)]
    (run / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    figure = tmp_path / "curve.png"
    result = runner.invoke(app, ["plot", "--run-dir", str(run), "-o", str(figure)])
    assert result.exit_code == 0 and Image.open(figure).size[1] > 0, result.output
    (run / "log.jsonl").write_text(json.dumps(rows[0]) + "\n" + json.dumps({"event": "stop", "step": 30}) + "\n")
    result = runner.invoke(app, ["plot", "--run-dir", str(run), "-o", str(figure)])
    assert result.exit_code == 2 and "fewer than 2" in result.output


def test_render_command(tiny_weights, tmp_path):
    out = tmp_path / "one.png"
    result = runner.invoke(app, ["render", GENOME, "-o", str(out), "--size", "128", "--weights", str(tiny_weights)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (128, 128)


def test_render_command_rejects_bad_input(tiny_weights, tmp_path):
    bad_hex = runner.invoke(app, ["render", "0x1234", "-o", str(tmp_path / "x.png"), "--weights", str(tiny_weights)])
    assert bad_hex.exit_code == 2 and "hex digits" in bad_hex.output
    bad_size = runner.invoke(app, ["render", GENOME, "--size", "7", "--weights", str(tiny_weights)])
    assert bad_size.exit_code == 2 and "size must be" in bad_size.output
    missing = runner.invoke(app, ["render", GENOME, "--weights", str(tmp_path / "absent.safetensors")])
    assert missing.exit_code == 2 and "cannot read" in missing.output


def test_grid_command(tiny_weights, tmp_path):
    out = tmp_path / "grid.png"
    result = runner.invoke(app, ["grid", "-o", str(out), "--count", "6", "--weights", str(tiny_weights)])
    assert result.exit_code == 0, result.output
    assert Image.open(out).size == (3 * 64, 2 * 64)
    sweep = tmp_path / "traits.png"
    result = runner.invoke(app, ["grid", "-o", str(sweep), "--traits", "--size", "32", "--weights", str(tiny_weights)])
    assert result.exit_code == 0, result.output
    assert Image.open(sweep).size == (12 * 32, 8 * 32)  # widest trait: 12 hair styles


def test_evaluate_json_last_line(tiny_weights, tmp_path):
    from renderer.reader import ReaderConfig, TraitReader, save_reader

    # A small untrained reader that says it was trained on a 20-portrait corpus: evaluate reads that corpus's
    # held-out part (no --reader-corpus-count). The figures' values do not matter here, only that each is reported.
    save_reader(TraitReader(ReaderConfig(widths=(8, 16, 16), depths=(1, 1, 1))), tmp_path / "reader.pt", 20)
    args = [
        "evaluate",
        "--weights",
        str(tiny_weights),
        "--reader",
        str(tmp_path / "reader.pt"),
        "--genomes",
        "8",
        "--diversity-groups",
        "1",
        "--heredity-pairs",
        "4",
        "--reference-genomes",
        "16",
        "--fidelity-genomes",
        "4",
        "--json",
        "--no-progress",
    ]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    last = json.loads(result.output.strip().splitlines()[-1])
    assert list(last)[0] == "independent"  # the independent reader's figures come first
    assert last["reader_corpus_count"] == 20  # the held-out part of the reader's own corpus was read
    for key in (
        "trait_accuracy",
        "per_trait",
        "per_value",
        "all_traits_right",
        "min_value_recall",
        "frechet",
        "frechet_reference_halves",
        "frechet_ratio",
        "balanced_corpus",
        "fidelity",
        "diversity_ratio",
        "heredity_ratio",
        "midpoint_ratio",
    ):
        assert key in last["independent"]
    assert last["independent"]["frechet_samples"] == 8 and last["independent"]["fidelity"]["genomes"] == 4
    assert (
        set(last["independent"]["heredity_ratio"])
        == set(last["independent"]["midpoint_ratio"])
        == {"crossover", "blend"}
    )
    assert set(last["independent"]["per_value"]["Eyes"]) <= {
        "Open",
        "Closed",
        "Hearts",
        "Dizzy",
        "Surprised",
        "Wacky wink",
    }
    assert last["reference_style"] == "avatars"  # a v1 generator imitates the avatars portraits
    assert last["genes"]["genes"][0]["name"] == "face_width" and set(last["inheritance"]) >= {"crossover", "blend"}


def test_train_reader_refuses_an_unknown_architecture(tmp_path):
    """Before any corpus is drawn: the name is checked first."""
    result = runner.invoke(app, ["train-reader", "--arch", "resnet", "--corpus-dir", str(tmp_path)])
    assert result.exit_code == 2 and "unknown reader architecture" in result.output
    assert not any(tmp_path.iterdir())


def test_train_reader_refuses_part_crops_on_avatars_portraits(tmp_path):
    """The parts reader's crops are placed by latentkin's head geometry, which the avatars portraits do not share."""
    result = runner.invoke(
        app, ["train-reader", "--arch", "parts", "--style", "avatars", "--corpus-dir", str(tmp_path)]
    )
    assert result.exit_code == 2 and "reads parts where latentkin's portraits put them" in result.output
    assert not any(tmp_path.iterdir())


def test_python_dash_m_entry_point():
    out = subprocess.run([sys.executable, "-m", "renderer", "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0
    for command in (
        "train-v3",
        "extend-v3",
        "grow-v3",
        "pack-v3",
        "export",
        "train-reader",
        "curve",
        "evaluate",
        "render",
        "gene-effects",
    ):
        assert command in out.stdout


def test_truncate_command_rewrites_config_not_tensors(tmp_path, tiny_weights):
    from safetensors.torch import load_file

    from latentkin_core.genome import Genome
    from renderer.render import Renderer

    out = tmp_path / "cut.safetensors"
    result = runner.invoke(app, ["truncate", str(tiny_weights), "0.5", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.with_suffix(".json").read_text())["model"]["truncation"] == 0.5
    before, after = load_file(str(tiny_weights)), load_file(str(out))
    assert before.keys() == after.keys() and all(before[k].equal(after[k]) for k in before)
    genome = Genome(2**255 + 12345, 987654321)
    original, cut = Renderer.load(tiny_weights), Renderer.load(out)
    assert cut.generator.cfg.truncation == 0.5
    assert original.render_images([genome])[0].tobytes() != cut.render_images([genome])[0].tobytes()
    assert original.renderer_hash() != cut.renderer_hash()
    assert runner.invoke(app, ["truncate", str(out), "0"]).exit_code == 2
    garbage = tmp_path / "garbage.safetensors"
    garbage.write_bytes(b"not weights")
    bad = runner.invoke(app, ["truncate", str(garbage), "0.8"])
    assert bad.exit_code == 2 and "not a valid safetensors" in bad.output


def test_export_command(tmp_path):
    """`export` writes a v3 run's EMA generator as format v3 weights (read with table v2); a missing or torn
    checkpoint is a one-line error with exit code 2."""
    from renderer.weights import FORMAT_V3, read_weights
    from support.tiny_models import TINY_V3, export_untrained

    export_untrained(TINY_V3, tmp_path, step=5, images_seen=80)
    out = tmp_path / "g3.safetensors"
    result = runner.invoke(app, ["export", "--ckpt", str(tmp_path / "ckpt.pt"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    described = json.loads(out.with_suffix(".json").read_text())
    assert described["format"] == FORMAT_V3 and described["model"]["trait_map_channels"] == 2
    assert described["step"] == 5 and read_weights(out).table_path.name == "table_v2.json"
    missing = runner.invoke(app, ["export", "--ckpt", str(tmp_path / "none.pt"), "--out", str(out)])
    assert missing.exit_code == 2 and "cannot read the checkpoint" in missing.output
    (tmp_path / "torn.pt").write_bytes(b"not a checkpoint")
    torn = runner.invoke(app, ["export", "--ckpt", str(tmp_path / "torn.pt"), "--out", str(out)])
    assert torn.exit_code == 2 and "cannot read the checkpoint" in torn.output
    bad = runner.invoke(app, ["export", "--ckpt", str(tmp_path / "ckpt.pt"), "--out", str(out), "--truncation", "0"])
    assert bad.exit_code == 2 and "truncation" in bad.output
    cut = runner.invoke(app, ["export", "--ckpt", str(tmp_path / "ckpt.pt"), "--out", str(out), "--truncation", "0.7"])
    assert cut.exit_code == 0 and json.loads(out.with_suffix(".json").read_text())["model"]["truncation"] == 0.7


def test_extend_command_keeps_the_old_checkpoint_and_refuses_bad_counts(tmp_path):
    from renderer.training.checkpoint import load_checkpoint
    from renderer.training.loop import TrainConfigV3, train_v3
    from support.tiny_models import TINY_V3

    cfg = TrainConfigV3(run_dir=str(tmp_path), batch=2, max_steps=1, threads=1, draw_workers=0, model=TINY_V3)
    ckpt = train_v3(cfg, resume_path=None, graft_path=None, progress=False)
    bad = runner.invoke(app, ["extend-v3", "--ckpt", str(ckpt), "--refine", "8"])
    assert bad.exit_code == 2 and "RESOLUTION:COUNT" in bad.output
    result = runner.invoke(app, ["extend-v3", "--ckpt", str(ckpt), "--refine", "8:1"])
    assert result.exit_code == 0, result.output
    assert load_checkpoint(ckpt)["config"]["model"]["g_refine"] == {"8": 1}
    assert "g_refine" not in load_checkpoint(tmp_path / "ckpt.pt.before-extend")["config"]["model"]
    again = runner.invoke(app, ["extend-v3", "--ckpt", str(ckpt), "--refine", "8:1"])
    assert again.exit_code == 2 and "do not add" in again.output


def test_grow_command_keeps_the_old_checkpoint_and_refuses_a_block_without_channels(tmp_path):
    from renderer.training.checkpoint import load_checkpoint
    from renderer.training.loop import TrainConfigV3, train_v3
    from support.tiny_models import TINY_V3

    cfg = TrainConfigV3(run_dir=str(tmp_path), batch=2, max_steps=1, threads=1, draw_workers=0, model=TINY_V3)
    ckpt = train_v3(cfg, resume_path=None, graft_path=None, progress=False)
    bad = runner.invoke(app, ["grow-v3", "--ckpt", str(ckpt), "--d-channels", "0"])
    assert bad.exit_code == 2 and "needs channels" in bad.output
    assert not (tmp_path / "ckpt.pt.before-grow").exists()
    result = runner.invoke(app, ["grow-v3", "--ckpt", str(ckpt), "--g-channels", "4", "--d-channels", "4"])
    assert result.exit_code == 0, result.output
    assert load_checkpoint(ckpt)["config"]["model"]["size"] == 32
    assert load_checkpoint(tmp_path / "ckpt.pt.before-grow")["config"]["model"]["size"] == 16
