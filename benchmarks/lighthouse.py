"""Lighthouse on the demo (not a test): the npm package `lighthouse` drives Debian's chromium
(CHROME_PATH=/usr/bin/chromium) against `latentkin demo` and scores every page (the gallery, My characters,
a character page, the fuse page and the mint page) in Lighthouse's two standard set-ups: mobile (its default: a
moto g power's screen,
4x CPU slowdown, simulated slow 4G) and desktop (`--preset=desktop`).

Targets (issue 24): performance >= 95, accessibility 100, best practices >= 95.

    .venv/bin/python benchmarks/lighthouse.py [--out benchmarks/lighthouse.txt] [--runs 1]
        [--presets mobile,desktop] [--pages gallery,character]

With --runs N each page is measured N times and the median score kept (performance varies run to run
on a shared CPU). --presets and --pages measure a subset (while working on one page; the committed file
holds every page and preset). Each row also gives First Contentful Paint, Total Blocking Time, Largest
Contentful Paint and the bytes the page loaded, and the header the machine's load average (`uptime`) before
and after the run: a score measured on a loaded machine says so. The demo runs on free ports in a temporary
folder and is stopped afterwards.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "tests"))

from support.net import free_port

CHROME = "/usr/bin/chromium"
CATEGORIES = ("performance", "accessibility", "best-practices")
TARGETS = {"performance": 95, "accessibility": 100, "best-practices": 95}
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-dev-shm-usage --no-first-run"
PAGES = {
    "gallery": "/#/",
    "mine": "/#/mine",
    "character": "/#/token/{child}",
    "fuse": "/#/fuse?a=1&b=2",
    "mint": "/#/mint",
}
METRICS = ("fcp_ms", "lcp_ms", "tbt_ms", "kb")  # First/Largest Contentful Paint, Total Blocking Time, KB loaded
PRESETS = {"mobile": [], "desktop": ["--preset=desktop"]}


def start_demo(workdir: Path) -> tuple[subprocess.Popen, str]:
    """`latentkin demo` on free ports; returns the process and its base URL once it serves the page."""
    port, rpc_port = free_port(), free_port()
    with open(workdir / "demo.log", "w") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "latentkin_cli.cli",
                "demo",
                "--port",
                str(port),
                "--rpc-port",
                str(rpc_port),
                "--workdir",
                str(workdir),
            ],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"the demo stopped:\n{(workdir / 'demo.log').read_text()[-3000:]}")
        if "latentkin demo is running" in (workdir / "demo.log").read_text():
            return proc, base
        time.sleep(0.5)
    raise SystemExit("the demo did not start in 300 s")


def lighthouse(url: str, preset: list[str], out: Path) -> dict[str, int]:
    """One Lighthouse run; the category scores, 0-100."""
    env = dict(os.environ, CHROME_PATH=CHROME)
    subprocess.run(
        [
            "npx",
            "lighthouse",
            url,
            "--quiet",
            "--output=json",
            f"--output-path={out}",
            f"--only-categories={','.join(CATEGORIES)}",
            f"--chrome-flags={CHROME_FLAGS}",
            *preset,
        ],
        cwd=REPO,
        env=env,
        check=True,
        timeout=300,
    )
    report = json.loads(out.read_text())
    failed = [
        a["id"]
        for a in report["audits"].values()
        if a.get("score") is not None and a["score"] < 1 and a.get("scoreDisplayMode") == "binary"
    ]
    scores = {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}
    scores["lcp_ms"] = round(report["audits"]["largest-contentful-paint"]["numericValue"])
    scores["tbt_ms"] = round(report["audits"]["total-blocking-time"]["numericValue"])
    scores["fcp_ms"] = round(report["audits"]["first-contentful-paint"]["numericValue"])
    scores["kb"] = round(report["audits"]["total-byte-weight"]["numericValue"] / 1000)
    scores["failed"] = failed
    return scores


def load_average() -> str:
    """The machine's 1, 5 and 15 minute load averages, as `uptime` shows them."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "lighthouse.txt")
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--presets", default=",".join(PRESETS), help="comma-separated subset of " + ", ".join(PRESETS))
    parser.add_argument("--reports", type=Path, help="keep every run's Lighthouse JSON report in this folder")
    parser.add_argument("--pages", default=",".join(PAGES), help="comma-separated subset of " + ", ".join(PAGES))
    args = parser.parse_args()
    presets = {name: PRESETS[name] for name in args.presets.split(",")}
    pages = {name: PAGES[name] for name in args.pages.split(",")}
    load_before = load_average()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        reports = args.reports or workdir
        reports.mkdir(parents=True, exist_ok=True)
        proc, base = start_demo(workdir)
        try:
            child = max(
                t["token_id"]
                for t in httpx.get(f"{base}/tokens", params={"limit": 100}).json()["items"]
                if t["parents"]
            )
            rows = []
            for preset, flags in presets.items():
                for page, path in pages.items():
                    runs = [
                        lighthouse(base + path.format(child=child), flags, reports / f"{preset}-{page}-{run}.json")
                        for run in range(args.runs)
                    ]
                    row = {c: statistics.median(r[c] for r in runs) for c in (*CATEGORIES, *METRICS)}
                    row["failed"] = sorted({a for r in runs for a in r["failed"]})
                    rows.append((preset, page, path.format(child=child), row))
                    print(preset, page, row, flush=True)
        finally:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(60)
    version = subprocess.run(
        ["npx", "lighthouse", "--version"], cwd=REPO, capture_output=True, text=True
    ).stdout.strip()
    chromium = subprocess.run([CHROME, "--version"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"# Lighthouse {version} on {chromium}, against `latentkin demo` "
        f"({datetime.now(UTC):%Y-%m-%d %H:%M} UTC, median of {args.runs} run(s) per page)",
        f"# targets: performance >= {TARGETS['performance']}, accessibility >= {TARGETS['accessibility']}, "
        f"best practices >= {TARGETS['best-practices']}",
        f"# load average (1, 5, 15 min) before the run: {load_before}; after: {load_average()}",
        "# preset   page        performance  accessibility  best-practices  LCP ms  TBT ms  FCP ms      KB  path",
    ]
    ok = True
    for preset, page, path, row in rows:
        lines.append(
            f"{preset:<10} {page:<11} {row['performance']:>11}  {row['accessibility']:>13}  "
            f"{row['best-practices']:>14}  {row['lcp_ms']:>6}  {row['tbt_ms']:>6}  "
            f"{row['fcp_ms']:>6}  {row['kb']:>6}  {path}"
        )
        if row["failed"]:
            lines.append(f"#   failed audits: {', '.join(row['failed'])}")
        ok &= all(row[c] >= TARGETS[c] for c in CATEGORIES)
    lines.append(f"# all targets met: {'yes' if ok else 'NO'}")
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
