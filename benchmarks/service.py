"""Service benchmark (not a test): one run, three comparisons, figures to stdout and a JSON file.

1. ``GET /tokens/{id}`` requests/s against a bare FastAPI JSON endpoint on the same server (target ≥ 0.7).
2. A cached ``GET /tokens/{id}/image.png`` against the same PNG served as a static file (target ≥ 0.7).
3. Cold render latency (a genome never seen, one request at a time): p50 / p99.

The server is this script in ``--serve`` mode: an eth-tester chain with LatentKin and 24 characters,
indexed into a temp SQLite file, served by one uvicorn worker on 127.0.0.1. The load generator is
a small asyncio HTTP/1.1 keep-alive client in this process, bounded in requests and in seconds,
talking to 127.0.0.1 only.

    .venv/bin/python benchmarks/service.py [--seconds 5] [--connections 16] [--out benchmarks/service_results.json]

``--stack`` measures the production topology instead (``latentkin stack``: nginx in front of N uvicorn
workers, PostgreSQL, the indexer as its own process) at 1 and 2 workers, through nginx and straight to
the workers, and writes ``benchmarks/service_stack.txt``:

    .venv/bin/python benchmarks/service.py --stack [--seconds 5] [--connections 32]
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from latentkin_cli.loadgen import get
from latentkin_cli.loadgen import run as load

TOKENS = 24


# -- server side ------------------------------------------------------------------------------
def serve(port: int, workdir: Path) -> None:
    """Build the chain and index, add the two baselines, serve until SIGTERM."""
    import torch
    import uvicorn
    from fastapi.staticfiles import StaticFiles
    from web3 import EthereumTesterProvider, Web3

    from latentkin_core.genome import random_genome
    from offchain.api.main import create_app
    from offchain.chain.reader import ChainReader
    from offchain.chain.transactions import Actor
    from offchain.deploy.latentkin import deploy
    from offchain.settings import Settings
    from renderer.render import Renderer

    torch.set_num_threads(1)
    renderer, renderer_kind = Renderer.load(), "shipped weights"
    w3 = Web3(EthereumTesterProvider())
    owner = w3.eth.accounts[0]
    deployment = deploy(w3, owner, minters=(owner,), renderer_hash=renderer.renderer_hash(), out_dir=workdir)
    reader = ChainReader(w3, deployment=deployment)
    actor, rng = Actor(w3, reader.contract, owner), random.Random(1)
    for _ in range(TOKENS):
        actor.mint(owner, random_genome(rng))
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'index.sqlite3'}",
        cache_dir=workdir / "cache",
        deployments_dir=workdir,
        confirmations=0,
        index_in_service=False,
        public_base_url=f"http://127.0.0.1:{port}",
        web_dir=workdir / "no-web",
        render_queue_max=1024,
    )
    app = create_app(settings, w3=w3, renderer=renderer)
    app.state.services.indexer.sync()

    @app.get("/bench/bare", include_in_schema=False)
    async def bare() -> dict:
        """The baseline: FastAPI returning a small dict, nothing else."""
        return {"name": "latentkin #1", "ok": True}

    static = workdir / "static"
    static.mkdir()
    app.mount("/bench/static", StaticFiles(directory=static), name="bench-static")
    app.routes.insert(0, app.routes.pop())  # before the web page slot at "/"
    app.state.bench_static_dir = static
    app.state.renderer_kind = renderer_kind

    @app.get("/bench/info", include_in_schema=False)
    async def info() -> dict:
        return {"renderer": renderer_kind, "static_dir": str(static)}

    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- load generator ---------------------------------------------------------------------------
async def _cold(port: int, paths: list[str]) -> dict:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    latencies = []
    for path in paths:
        start = time.perf_counter()
        assert await get(reader, writer, path) == 200, path
        latencies.append((time.perf_counter() - start) * 1000)
    writer.close()
    latencies.sort()
    return {
        "requests": len(paths),
        "p50_ms": round(statistics.median(latencies), 1),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))], 1),
        "max_ms": round(latencies[-1], 1),
    }


def measure(port: int, seconds: float, connections: int, cold_n: int) -> dict:
    """Run every phase against the server on ``port``."""
    import httpx

    from latentkin_core.genome import random_genome

    http = httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=120)
    info = http.get("/bench/info").json()
    token_paths = [f"/tokens/{i}" for i in range(1, TOKENS + 1)]
    image_paths = [f"/tokens/{i}/image.png?size=256" for i in range(1, TOKENS + 1)]
    for path in token_paths + image_paths:  # warm: metadata cache and image cache
        assert http.get(path).status_code == 200, path
    static_dir = Path(info["static_dir"])
    for i in range(1, TOKENS + 1):  # the very same PNG bytes as static files
        (static_dir / f"{i}.png").write_bytes(http.get(f"/tokens/{i}/image.png?size=256").content)
    static_paths = [f"/bench/static/{i}.png" for i in range(1, TOKENS + 1)]

    run = lambda paths: load(port, paths, seconds, connections)
    run(["/bench/bare"])  # warm-up of the server's code paths
    results = {"renderer": info["renderer"], "connections": connections, "seconds_per_phase": seconds}
    results["bare_json"] = run(["/bench/bare"])
    results["token_metadata"] = run(token_paths)
    results["static_png"] = run(static_paths)
    results["cached_image"] = run(image_paths)
    results["metadata_vs_bare"] = round(results["token_metadata"]["rps"] / results["bare_json"]["rps"], 3)
    results["image_vs_static"] = round(results["cached_image"]["rps"] / results["static_png"]["rps"], 3)
    rng = random.Random(time.time_ns())
    cold = [f"/genomes/{random_genome(rng).to_hex()}/image.png?size=256" for _ in range(cold_n)]
    results["cold_render_256px"] = asyncio.run(_cold(port, cold))
    return results


# -- the production stack ---------------------------------------------------------------------
def _free_ports(n: int) -> list[int]:
    ports = []
    for _ in range(n):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    return ports


@contextlib.contextmanager
def _stack(workers: int, tmp: Path) -> Iterator[tuple[int, int, Path]]:
    """``latentkin stack`` with ``workers`` API workers in ``tmp``: (front port, API port, workdir) until the
    block ends."""
    front, api, rpc = _free_ports(3)
    workdir = tmp / "stack"
    with open(tmp / "stack.log", "wb") as log:  # the child keeps its own descriptor
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "latentkin_cli.cli",
                "stack",
                *("--port", str(front), "--api-port", str(api), "--rpc-port", str(rpc)),
                *("--workers", str(workers), "--characters", "12", "--fusions", "4", "--workdir", str(workdir)),
            ],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 300
        while not (workdir / "stack.json").exists():
            assert proc.poll() is None, (tmp / "stack.log").read_text()[-3000:]
            assert time.monotonic() < deadline, "the stack did not start"
            time.sleep(0.5)
        yield front, api, workdir
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(90)


def _stack_run(workers: int, seconds: float, connections: int) -> dict:
    """Start ``latentkin stack`` with ``workers`` API workers, measure, stop it."""
    import httpx

    with tempfile.TemporaryDirectory() as tmp, _stack(workers, Path(tmp)) as (front, api, _):
        base = f"http://127.0.0.1:{front}"
        tokens = [httpx.get(f"{base}/tokens/{i}", timeout=60).json() for i in range(1, 17)]
        meta = [f"/tokens/{t['token_id']}" for t in tokens]
        images = [t["image"].removeprefix(base) for t in tokens]
        for path in images:  # rendered once, then in nginx's cache
            assert httpx.get(base + path, timeout=60).status_code == 200
        load(front, ["/tokens/1"], 1.0, connections)  # warm-up
        return {
            "workers": workers,
            "metadata_via_nginx": load(front, meta, seconds, connections),
            "listing_via_nginx": load(front, ["/tokens?limit=24"], seconds, connections),
            "image_via_nginx_cache": load(front, images, seconds, connections),
            "metadata_direct": load(api, meta, seconds, connections),
        }


# -- pairs: the service beside its baselines, with wrk -------------------------------------------
PAIRS = (
    ("GET /tokens/1, straight to 2 workers", "metadata_direct", "bare_direct", 0.8),
    ("GET /tokens/1, through nginx", "metadata_nginx", "bare_nginx", 0.8),
    ("cached image, through nginx", "image_nginx", "static_nginx", 0.9),
)
STATIC_LOCATION = "location /bench-static/ {{ root {root}; }}\n\n        location / {{"


@contextlib.contextmanager
def _baselines(tmp: Path, workers: int) -> Iterator[tuple[int, int, Path]]:
    """The bare FastAPI app (benchmarks/bare_app.py) on plain uvicorn with ``workers`` workers, and an nginx from
    the stack's own template in front of it that also serves ``<static root>/bench-static/`` as plain files:
    (bare port, front port, static root)."""
    from latentkin_cli.nginx import TEMPLATE, Nginx, NginxOptions
    from latentkin_cli.process_group import wait_listening

    bare, front = _free_ports(2)
    root = tmp / "static-root"
    (root / "bench-static").mkdir(parents=True)
    template = tmp / "nginx-baseline.conf"
    template.write_text(TEMPLATE.read_text().replace("location / {", STATIC_LOCATION.format(root=root), 1))
    uvicorn_cmd = [sys.executable, "-m", "uvicorn", "benchmarks.bare_app:app", "--port", str(bare)]
    uvicorn_cmd += ["--workers", str(workers), "--no-access-log", "--log-level", "warning"]
    with open(tmp / "bare.log", "wb") as log:
        proc = subprocess.Popen(uvicorn_cmd, cwd=REPO, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    nginx = Nginx(
        NginxOptions(listen=f"127.0.0.1:{front}", upstream=f"127.0.0.1:{bare}", prefix=tmp / "nginx"), template
    )
    try:
        wait_listening(proc, f"127.0.0.1:{bare}", 60, "bare uvicorn", tmp / "bare.log")
        nginx.start()
        yield bare, front, root / "bench-static"
    finally:
        nginx.stop()
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(30)


def _median(values: list[float]) -> float:
    return statistics.median(values)


def pairs_benchmark(seconds: float, connections: int, rounds: int, out: Path) -> None:
    """Each pair of :data:`PAIRS` measured with wrk, alternately, ``rounds`` times; the median ratio per pair."""
    import httpx

    from benchmarks.wrk_run import wrk

    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        tmp.chmod(0o755)  # nginx runs as www-data when started by root: it must reach the static file
        with _stack(2, tmp) as (front, api, _), _baselines(tmp, 2) as (bare, bare_front, static):
            base = f"http://127.0.0.1:{front}"
            image = httpx.get(f"{base}/tokens/1", timeout=60).json()["image"]  # content-addressed, with ?v=
            png = httpx.get(image, timeout=120)
            assert png.status_code == 200, png.text
            (static / "1.png").write_bytes(png.content)
            urls = {
                "metadata_direct": f"http://127.0.0.1:{api}/tokens/1",
                "bare_direct": f"http://127.0.0.1:{bare}/bare",
                "metadata_nginx": f"{base}/tokens/1",
                "bare_nginx": f"http://127.0.0.1:{bare_front}/bare",
                "image_nginx": image,
                "static_nginx": f"http://127.0.0.1:{bare_front}/bench-static/1.png",
            }
            for url in urls.values():  # warm every path (and check it answers 200 with the same bytes)
                answer = httpx.get(url, timeout=60)
                assert answer.status_code == 200, (url, answer.status_code)
            assert httpx.get(urls["static_nginx"]).content == httpx.get(urls["image_nginx"]).content
            runs: dict[str, list[dict]] = {key: [] for key in urls}
            ratios: dict[str, list[float]] = {key: [] for _, key, _, _ in PAIRS}
            for r in range(rounds):
                for _, key, baseline, _ in PAIRS:
                    order = (key, baseline) if r % 2 == 0 else (baseline, key)  # neither side always goes first
                    got = {name: wrk(urls[name], seconds, connections) for name in order}
                    for name, result in got.items():
                        runs[name].append(result)
                    ratios[key].append(got[key]["rps"] / got[baseline]["rps"])
    load_after = os.getloadavg()
    lines = [
        f"benchmarks/service.py --pairs ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): wrk -t1 "
        f"-c{connections} -d{seconds:g}s per run, each pair run alternately {rounds} times (median ratio).",
        "The service: `latentkin stack --workers 2` (nginx from deploy/nginx.conf, 2 uvicorn workers, PostgreSQL, "
        "hardhat). The baselines: benchmarks/bare_app.py (one FastAPI endpoint returning a small dict) on plain "
        "uvicorn --workers 2 --no-access-log, behind an nginx from the same template that also serves the same PNG "
        "as a plain static file.",
        f"Machine: {os.cpu_count()} CPUs shared with a GAN training run and other sessions; wrk runs on the same "
        f"CPUs. Load average (1, 5, 15 min) before {load_before[0]:.2f} {load_before[1]:.2f} {load_before[2]:.2f}, "
        f"after {load_after[0]:.2f} {load_after[1]:.2f} {load_after[2]:.2f}: absolute req/s are low and noisy, the "
        "ratios are the figures.",
        "",
        f"{'pair':38} {'service':>12} {'baseline':>12} {'ratio':>6} {'min':>6} {'goal':>5}  non-2xx/errors",
    ]
    for label, key, baseline, goal in PAIRS:
        ours = _median([run["rps"] for run in runs[key]])
        theirs = _median([run["rps"] for run in runs[baseline]])
        bad = sum(run["non_2xx"] + run["socket_errors"] for run in runs[key] + runs[baseline])
        ratio = _median(ratios[key])
        mark = "ok" if ratio >= goal else "SHORT"
        lines.append(
            f"{label:38} {ours:>8.0f} r/s {theirs:>8.0f} r/s {ratio:>6.2f} {min(ratios[key]):>6.2f} {goal:>5.2f}  "
            f"{bad}  {mark}"
        )
        lines.append(f"{'':38} per round: {', '.join(f'{x:.2f}' for x in ratios[key])}")
    report = "\n".join(lines) + "\n\nraw:\n" + json.dumps(runs, indent=1) + "\n"
    print("\n".join(lines))
    out.write_text(report)


def stack_benchmark(seconds: float, connections: int, out: Path) -> None:
    """Requests/s at 1 and 2 workers; a text report to ``out``."""
    load_before = os.getloadavg()[0]
    runs = [_stack_run(workers, seconds, connections) for workers in (1, 2)]
    rows = [
        ("GET /tokens/{id} through nginx", "metadata_via_nginx"),
        ("GET /tokens?limit=24 through nginx", "listing_via_nginx"),
        ("GET immutable image (nginx cache hit)", "image_via_nginx_cache"),
        ("GET /tokens/{id} straight to the workers", "metadata_direct"),
    ]
    lines = [
        f"latentkin stack benchmark ({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}): nginx in front of "
        f"N uvicorn workers, PostgreSQL, indexer and keeper as their own processes, hardhat node; "
        f"{connections} keep-alive connections from one client process, {seconds:g} s per phase.",
        f"Machine: {os.cpu_count()} CPUs, SHARED with a renderer training job running the whole time and with "
        "other sessions' test runs "
        f"(1-min load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after): absolute figures are "
        "low and noisy. The nginx cache row never reaches a worker, so its change from 1 to 2 workers is "
        "the noise of this machine; the client shares the same 2 CPUs.",
        "",
        f"{'endpoint':44} {'1 worker':>12} {'2 workers':>12} {'2 / 1':>7}   errors",
    ]
    for label, key in rows:
        one, two = runs[0][key], runs[1][key]
        errors = one["non_200"] + two["non_200"]
        lines.append(
            f"{label:44} {one['rps']:>8.0f} r/s {two['rps']:>8.0f} r/s {two['rps'] / one['rps']:>7.2f}   {errors}"
        )
    report = "\n".join(lines) + "\n\nraw:\n" + json.dumps(runs, indent=2) + "\n"
    print(report)
    out.write_text(report)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--seconds", type=float, default=5.0, help="Duration of each load phase.")
    parser.add_argument("--connections", type=int, default=16, help="Concurrent keep-alive clients.")
    parser.add_argument("--cold", type=int, default=40, help="Cold renders to time.")
    parser.add_argument(
        "--out",
        type=Path,
        default=None,
        help="Default benchmarks/service_results.json, with --stack benchmarks/service_stack.txt.",
    )
    parser.add_argument("--stack", action="store_true", help="Measure latentkin stack at 1 and 2 workers.")
    parser.add_argument(
        "--pairs", action="store_true", help="The stack beside bare FastAPI and a static file, with wrk."
    )
    parser.add_argument("--rounds", type=int, default=3, help="With --pairs: runs of each pair.")
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.workdir)
        return
    if args.pairs:
        pairs_benchmark(
            args.seconds, args.connections, args.rounds, args.out or REPO / "benchmarks" / "service_pairs.txt"
        )
        return
    if args.stack:
        stack_benchmark(args.seconds, args.connections, args.out or REPO / "benchmarks" / "service_stack.txt")
        return
    args.out = args.out or REPO / "benchmarks" / "service_results.json"

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with tempfile.TemporaryDirectory() as tmp:
        server = subprocess.Popen(
            [sys.executable, __file__, "--serve", str(port), "--workdir", tmp], cwd=REPO, start_new_session=True
        )
        try:
            deadline = time.monotonic() + 180
            while True:
                assert server.poll() is None, "benchmark server died"
                assert time.monotonic() < deadline, "benchmark server did not start"
                with socket.socket() as s:
                    if s.connect_ex(("127.0.0.1", port)) == 0:
                        break
                time.sleep(0.2)
            results = measure(port, args.seconds, args.connections, args.cold)
        finally:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(30)
    results["cpus"] = os.cpu_count()
    results["load_average_1m"] = round(os.getloadavg()[0], 2)
    print(json.dumps(results, indent=2))
    print(
        f"\nGET /tokens/{{id}}: {results['token_metadata']['rps']:.0f} req/s vs bare JSON "
        f"{results['bare_json']['rps']:.0f} req/s -> {results['metadata_vs_bare']:.2f} (target >= 0.7)"
    )
    print(
        f"cached image: {results['cached_image']['rps']:.0f} req/s vs static file "
        f"{results['static_png']['rps']:.0f} req/s -> {results['image_vs_static']:.2f} (target >= 0.7)"
    )
    c = results["cold_render_256px"]
    print(
        f"cold render 256 px: p50 {c['p50_ms']} ms, p99 {c['p99_ms']} ms ({c['requests']} requests, "
        f"{results['renderer']})"
    )
    args.out.write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
