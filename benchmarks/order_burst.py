"""Order-burst benchmark (not a test): valid Seaport orders accepted per second by ``POST /orders``.

A fresh `hardhat node` with LatentKin and the market (tests/support/chain.py ``node_deployment``), ``--orders``
listings signed beforehand by the node (two per token, distinct salts), then the service (one uvicorn worker,
SQLite index, indexer stepped once) receives them from ``--clients`` concurrent keep-alive clients. Prints
orders/s accepted, the statuses, and p50 / p95 latency; goal >= 200 orders/s, 0 rejected.

    .venv/bin/python benchmarks/order_burst.py [--orders 600] [--clients 100] [--out benchmarks/order_burst.txt]
"""

from __future__ import annotations

import argparse
import collections
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import httpx

from offchain.api.main import create_app
from offchain.market.trader import Trader
from support.chain import node_deployment
from support.net import free_port
from support.renderers import PixelRenderer
from support.service import running


def main() -> None:
    """Sign the orders, post them all at once, print and write the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=600)
    parser.add_argument("--clients", type=int, default=100)
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "order_burst.txt")
    args = parser.parse_args()
    renderer = PixelRenderer()
    load = os.getloadavg()[0]
    with (
        tempfile.TemporaryDirectory() as tmp,
        node_deployment(Path(tmp), bytes(renderer.renderer_hash()), founders=args.orders // 2, market=True) as chain,
    ):
        app = create_app(chain.settings(Path(tmp)), renderer=renderer)
        services = app.state.services
        services.indexer.sync()
        seller = Trader(services.market, chain.actor.w3.eth.accounts[0])
        bodies = [
            seller.list(token, 10**15 + k, salt=k + 1).order.to_json()
            for k in range(2)
            for token in range(1, args.orders // 2 + 1)
        ]

        def post(body: dict) -> tuple[int, float]:
            started = time.perf_counter()
            status = client.post("/orders", json=body).status_code
            return status, time.perf_counter() - started

        with (
            running(app, free_port()) as url,
            httpx.Client(base_url=url, timeout=120, limits=httpx.Limits(max_connections=args.clients)) as client,
        ):
            started = time.perf_counter()
            with ThreadPoolExecutor(args.clients) as pool:
                results = list(pool.map(post, bodies))
            seconds = time.perf_counter() - started
    statuses = collections.Counter(status for status, _ in results)
    latencies = sorted(t for _, t in results)
    text = (
        f"# benchmarks/order_burst.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"1-min load {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
        f"{len(bodies)} valid listings from {args.clients} concurrent clients to one worker over a hardhat node: "
        f"{statuses[201] / seconds:.0f} accepted orders/s ({seconds:.1f} s), statuses {dict(statuses)}, "
        f"p50 {1000 * statistics.median(latencies):.0f} ms, p95 {1000 * latencies[int(0.95 * len(latencies))]:.0f} ms\n"
    )
    print(text, end="")
    args.out.write_text(text)


if __name__ == "__main__":
    main()
