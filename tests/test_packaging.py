"""The wheel is the service: built from this tree, unpacked away from it, it serves with no checkout, no Node
and no eth-tester, keeps its state in the data dir, and carries the ABIs, migrations and renderer weights."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import zipfile
from pathlib import Path

import httpx
import pytest

from support.net import free_port, wait_until

REPO = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(REPO)],
        check=True,
        capture_output=True,
        text=True,
    )
    (path,) = out.glob("latentkin-*.whl")
    return path


def test_the_wheel_carries_what_the_service_reads_and_no_scripts_package(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {
        "offchain/chain/compiled/LatentKin.json",
        "offchain/chain/compiled/Seaport.json",
        "offchain/store/migrations/script.py.mako",
        "latentkin_cli/cli.py",
    } <= names
    assert any(n.startswith("renderer/data/") and n.endswith(".safetensors") for n in names)
    assert not any(n.startswith(("scripts/", "tests/")) for n in names)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "latentkin = latentkin_cli.cli:app" in zipfile.ZipFile(wheel).read(entry_points).decode()


def test_the_unpacked_wheel_serves_without_a_checkout(wheel, tmp_path):
    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    port = free_port()
    # eth_tester is hidden: a module of that name that refuses to import shadows the installed one.
    (site / "eth_tester").mkdir()
    (site / "eth_tester" / "__init__.py").write_text("raise ImportError('eth-tester is a test dependency')\n")
    env = {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "PYTHONPATH": str(site),
        "PYTHONNOUSERSITE": "1",
        "LATENTKIN_RPC_URL": "http://127.0.0.1:9",
        "LATENTKIN_PORT": str(port),
    }
    code = (
        "import offchain, renderer, latentkin_cli.cli as cli\n"
        f"assert all(m.__file__.startswith({str(site)!r}) for m in (offchain, renderer, cli)), 'not the wheel'\n"
        "cli.app(['serve'])"
    )
    log = tmp_path / "serve.log"
    with open(log, "w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-c", code],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        health = wait_until(
            lambda: httpx.get(f"{base}/healthz", timeout=5).json(),
            120,
            "the service to answer",
            ignore=(httpx.HTTPError,),
            alive=lambda: proc.poll() is None,
            details=log.read_text,
        )
        assert health["renderer"]["loaded"], health
        image = httpx.get(f"{base}/genomes/{'ab' * 40}/image.png?size=64", timeout=120)
        assert image.status_code == 200 and image.content.startswith(b"\x89PNG")
        assert httpx.get(f"{base}/tokens/1", timeout=30).status_code == 503  # no chain: a clear 503
        assert (tmp_path / ".local" / "share" / "latentkin" / "latentkin.sqlite3").exists()
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)
