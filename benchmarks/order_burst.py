"""Order-burst benchmark (not a test): valid Seaport orders accepted per second by ``POST /orders``.

A fresh `hardhat node` with LatentKin and the market (tests/support/chain.py ``node_deployment``), ``--orders``
listings signed beforehand by the node (two per token, distinct salts), then the service (one uvicorn worker in
a process of its own, as `latentkin serve` runs it: SQLite index, its indexer following the node) receives them
from ``--clients`` concurrent keep-alive clients (asyncio tasks of one httpx client in this process). Prints
orders/s accepted, the statuses, p50 / p95 latency and whether ``/healthz`` still saw the chain reachable; goal
>= 200 orders/s, 0 rejected.

    .venv/bin/python benchmarks/order_burst.py [--orders 600] [--clients 100] [--out benchmarks/order_burst.txt]
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

import httpx

from offchain.chain.reader import ChainReader
from offchain.market.seaport import MarketChain
from offchain.market.trader import Trader
from offchain.settings import Settings
from support.chain import node_deployment
from support.renderers import PixelRenderer
from support.service_process import service_process


async def post_all(port: int, bodies: list[bytes], clients: int) -> tuple[list[tuple[int, float, bytes]], float]:
    """Every body POSTed to 127.0.0.1:``port``/orders over ``clients`` concurrent keep-alive connections, the
    requests written beforehand and only the status line and length of each answer parsed, so that this process
    costs little CPU beside the service: (status, seconds, body) of each, and the wall time of the whole burst."""
    queue: asyncio.Queue[bytes] = asyncio.Queue()
    for body in bodies:
        queue.put_nowait(
            b"POST /orders HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\n"
            b"content-length: %d\r\n\r\n%s" % (len(body), body)
        )
    results: list[tuple[int, float, bytes]] = []

    async def client() -> None:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        while not queue.empty():
            request = queue.get_nowait()
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(head.lower().split(b"content-length:")[1].split(b"\r\n")[0])
            answer = await reader.readexactly(length)
            results.append((int(head.split(b" ")[1]), time.perf_counter() - started, answer))
        writer.close()

    started = time.perf_counter()
    await asyncio.gather(*(client() for _ in range(clients)))
    return results, time.perf_counter() - started


def cpu_seconds(root: int) -> float:
    """CPU seconds (user + system) used so far by process ``root`` and its descendants (Linux /proc)."""
    stats = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            stats[int(entry.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))  # ppid, utime + stime
    tree, ticks = {root}, 0
    for pid in sorted(stats):  # children start after their parents: their ids are larger (no wrap-around here)
        if pid in tree or stats[pid][0] in tree:
            tree.add(pid)
            ticks += stats[pid][1]
    return ticks / os.sysconf("SC_CLK_TCK")


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
        settings = chain.settings(Path(tmp))
        reader = ChainReader(chain.actor.w3, deployments_dir=settings.deployments_dir)
        seller = Trader(MarketChain(reader), chain.actor.w3.eth.accounts[0])
        bodies = [
            json.dumps(seller.list(token, 10**15 + k, salt=k + 1).order.to_json()).encode()
            for k in range(2)
            for token in range(1, args.orders // 2 + 1)
        ]
        environment = {
            "rpc_url": settings.rpc_url,
            "deployments_dir": str(settings.deployments_dir),
            "confirmations": "0",
            "index_in_service": "true",
            # serve's RPC timeout (5 s), not the 1 s of the tests' service_process: with 1 s, one slow answer of a
            # loaded node (the indexer's first batches beside the burst's multicalls) opened the breaker and the
            # whole burst was refused "chain unreachable" (2 runs in ~20 at load 5-6)
            "rpc_timeout": str(Settings.model_fields["rpc_timeout"].default),
        }
        with service_process(Path(tmp), **environment) as service:
            port = int(service.base_url.rsplit(":", 1)[1])
            before = cpu_seconds(service.process.pid), cpu_seconds(chain.node.proc.pid)
            results, seconds = asyncio.run(post_all(port, bodies, args.clients))
            service_cpu, node_cpu = (
                after - start
                for after, start in zip(
                    (cpu_seconds(service.process.pid), cpu_seconds(chain.node.proc.pid)), before, strict=True
                )
            )
            reachable = httpx.get(f"{service.base_url}/healthz", timeout=30).json()["chain"]["reachable"]
    statuses = collections.Counter(status for status, _, _ in results)
    latencies = sorted(t for _, t, _ in results)
    refusals = collections.Counter(json.loads(body)["detail"][:120] for status, _, body in results if status >= 300)
    text = (
        f"# benchmarks/order_burst.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
        f"1-min load {load:.1f} at the start, {os.getloadavg()[0]:.1f} at the end\n"
        f"{len(bodies)} valid listings from {args.clients} concurrent clients to one uvicorn worker process over a "
        "hardhat node: "
        f"{statuses[201] / seconds:.0f} accepted orders/s ({seconds:.1f} s), statuses {dict(statuses)}, "
        f"p50 {1000 * statistics.median(latencies):.0f} ms, p95 {1000 * latencies[int(0.95 * len(latencies))]:.0f} ms; "
        f"/healthz after it: chain reachable {reachable}\n"
        f"CPU per accepted order: {1000 * service_cpu / max(1, statuses[201]):.1f} ms in the service (its indexer "
        f"included), {1000 * node_cpu / max(1, statuses[201]):.1f} ms in the node; at those costs one free core "
        f"each would accept {statuses[201] / max(service_cpu, node_cpu):.0f} orders/s\n"
        + "".join(f"  {count} x {detail}\n" for detail, count in refusals.most_common(5))
    )
    print(text, end="")
    args.out.write_text(text)


if __name__ == "__main__":
    main()
