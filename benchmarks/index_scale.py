"""Scale benchmark of the index (not a test): catch-up events/s on a real chain, endpoint p50s from 1k to 100k tokens.

1. **Catch-up**: a fresh `hardhat node`, LatentKin deployed, ``--chain-tokens`` founders minted in batches
   (plus transfers, fusion offers, some withdrawn, and fusions: tests/support/bulk_chain.py), then one indexer
   reads it all into a new SQLite index; events/s = events indexed / seconds of ``Indexer.step`` calls.
   Seeding 100k tokens on a chain takes hours, so the chain holds a few thousand.
2. **Queries**: for each size (1k, 10k, 100k) and database (SQLite, PostgreSQL), the index is seeded straight
   through SQL (tests/support/seed_index.py: random genomes, 40 owners, generations 0-5, and an order book of
   one listing per ten tokens), and each gallery and token endpoint is asked ``--requests`` times in process
   (FastAPI's TestClient: the app and the database, no HTTP); p50 per endpoint, and the ratio of the largest
   size's p50 to the smallest's (goal <= 1.5). ``--rounds`` repeats every size that often, one after the other
   (the machine is shared: its load moves within a run): the table gives each p50's median over the rounds, and
   each round's ratio, and how many rows each size's page held (a filter matching fewer than a page at 1k tokens
   answers a shorter page there, so its ratio compares unequal work).

    .venv/bin/python benchmarks/index_scale.py [--chain-tokens 3000] [--sizes 1000,10000,100000] [--rounds 3]
    [--out benchmarks/index_scale.txt]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO), str(REPO / "tests")]

from fastapi.testclient import TestClient

from latentkin_cli.hardhat_node import HardhatNode
from latentkin_cli.postgres import PostgresCluster
from offchain.api.main import create_app
from offchain.chain.reader import ChainReader, http_web3
from offchain.deploy.latentkin import deploy
from offchain.index.indexer import Indexer
from offchain.store.db import make_engine, make_sessionmaker
from support.bulk_chain import BulkChain
from support.chain import make_chain
from support.net import free_port
from support.renderers import PixelRenderer
from support.seed_index import OWNERS, seed_listings, seed_tokens
from support.service import service_settings


def catch_up(tokens: int, workdir: Path) -> str:
    """Seed a hardhat node with ``tokens`` founders and time the indexer over all of it."""
    node = HardhatNode(free_port(), workdir / "node.log")
    node.start()
    try:
        w3 = http_web3(node.url, 120)
        owner = w3.eth.accounts[0]
        deployment = deploy(w3, owner, minters=(owner,), out_dir=workdir / "deployments")
        reader = ChainReader(w3, deployment=deployment)
        started = time.perf_counter()
        BulkChain(node.url, reader.contract, owner, list(w3.eth.accounts[1:5])).populate(
            tokens, fusions=tokens // 100, per_block=20
        )
        seeded = time.perf_counter() - started
        blocks = w3.eth.block_number - deployment.block
        indexer = Indexer(
            reader, make_sessionmaker(make_engine(f"sqlite:///{workdir / 'catchup.sqlite3'}")), confirmations=0
        )
        load = os.getloadavg()[0]
        events, started = 0, time.perf_counter()
        while (result := indexer.step()) is not None:
            events += result.events
        seconds = time.perf_counter() - started
    finally:
        node.stop()
    return (
        f"catch-up: {events} events over {blocks} blocks ({tokens} founders + {tokens // 100} fusions, "
        f"seeded in {seeded:.0f} s) indexed into SQLite in {seconds:.2f} s = {events / seconds:,.0f} events/s "
        f"(1-min load {load:.1f} when it began)"
    )


def endpoints(size: int) -> dict[str, str]:
    """The paths asked at ``size`` tokens: a token, its family, gallery pages with each filter, offers, market."""
    mid = size // 2
    return {
        "GET /tokens/{id}": f"/tokens/{mid}",
        "GET /tokens/{id}/family": f"/tokens/{mid}/family",
        "GET /tokens?limit=24": "/tokens?limit=24",
        "GET /tokens?sort=oldest&cursor=mid": f"/tokens?limit=24&sort=oldest&cursor={mid}",
        "GET /tokens?owner=": f"/tokens?limit=24&owner={OWNERS[5]}",
        "GET /tokens?generation=3": "/tokens?limit=24&generation=3",
        "GET /tokens?trait x1": "/tokens?limit=24&trait=Eyes:Open",
        "GET /tokens?trait x2": "/tokens?limit=24&trait=Eyes:Closed&trait=Glasses:None",
        "GET /tokens?trait x4": (
            "/tokens?limit=24&trait=Eyes:Open&trait=Glasses:None&trait=Facial hair:None&trait=Mouth:Grin"
        ),
        "GET /tokens?owner+trait": f"/tokens?limit=24&owner={OWNERS[7]}&trait=Skin colour:Light",
        # the same filter with a page every size fills (5 rows at 1k tokens): equal work at every size
        "GET /tokens?owner+trait limit=5": f"/tokens?limit=5&owner={OWNERS[7]}&trait=Skin colour:Light",
        "GET /offers": "/offers?limit=24",
        "GET /market?tokens=": f"/market?tokens={size // 20},{size // 20 + 1},{size // 20 + 2}",  # listed ones
    }


def seeded_client(url: str, size: int, workdir: Path, stack: ExitStack) -> TestClient:
    """An app over the database at ``url`` seeded with ``size`` tokens and a book of size/10 orders, its client
    entered on ``stack``."""
    chain = make_chain(workdir / f"deployments-{size}")
    chain.mint()
    chain.mint()
    settings = service_settings(workdir / f"service-{size}-{url[:5]}", chain, database_url=url)
    app = create_app(settings, w3=chain.w3, renderer=PixelRenderer())
    app.state.services.indexer.sync()  # the index belongs to this chain; then the tokens past its two
    engine = make_engine(url)
    seed_tokens(engine, size - 2, first=3)
    seed_listings(engine, size // 10, size // 10, end_time=2**62)  # tokens 1 .. size/10 listed (some offered)
    engine.dispose()
    return stack.enter_context(TestClient(app))


def p50s(client: TestClient, size: int, requests: int) -> dict[str, float]:
    """Time each endpoint at ``size`` tokens through ``client`` (ms, median)."""
    out = {}
    for name, path in endpoints(size).items():
        for _ in range(5):
            assert client.get(path).status_code == 200, (path, client.get(path).text)
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(path)
            times.append(time.perf_counter() - started)
        out[name] = 1000 * statistics.median(times)
        body = client.get(path).json()
        out[f"{name} items"] = len(body.get("items", ())) if isinstance(body, dict) else 0
    return out


def _table(database: str, sizes: list[int], rounds: list[dict[int, dict[str, float]]], requests: int) -> list[str]:
    """Lines of one database's figures: each p50's median over the rounds, its ratio, and every round's ratio."""
    lines = [
        f"\n{database}: p50 in ms (index seeded through SQL, in-process client, {requests} requests each), median of "
        f"{len(rounds)} round(s); ratio = last/first of the medians, then each round's own"
    ]
    lines.append(f"{'endpoint':38}" + "".join(f"{s:>10,}" for s in sizes) + "     ratio  rounds  items")
    for name in (n for n in rounds[0][sizes[0]] if not n.endswith(" items")):
        row = [statistics.median(r[s][name] for r in rounds) for s in sizes]
        each = " ".join(f"{r[sizes[-1]][name] / r[sizes[0]][name]:.2f}" for r in rounds)
        counts = [int(rounds[0][s][f"{name} items"]) for s in sizes]  # rows on the page, per size
        items = "/".join(map(str, counts)) if any(counts) else "-"
        lines.append(f"{name:38}" + "".join(f"{v:10.2f}" for v in row) + f"{row[-1] / row[0]:10.2f}  {each}  {items}")
    return lines


def main() -> None:
    """Run both parts and print (and write) the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chain-tokens", type=int, default=3000)
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--databases", default="sqlite,postgresql", help="which databases to query (comma-separated)")
    parser.add_argument("--out", type=Path, default=REPO / "benchmarks" / "index_scale.txt")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",") if s]  # --sizes '' measures the catch-up only
    random.seed(1)
    lines = [
        f"# benchmarks/index_scale.py, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
        f"{os.cpu_count()} CPUs, 1-min load {os.getloadavg()[0]:.1f} at the start"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.chain_tokens:
            lines.append(catch_up(args.chain_tokens, workdir))
            print(lines[-1], flush=True)
        cluster = PostgresCluster()
        postgres = bool(sizes) and "postgresql" in args.databases
        if postgres:
            cluster.start()
        try:
            for database in args.databases.split(",") if sizes else ():
                rounds: list[dict[int, dict[str, float]]] = []
                with ExitStack() as stack:
                    clients = {}
                    for size in sizes:
                        url = (
                            f"sqlite:///{workdir / f'index-{size}.sqlite3'}"
                            if database == "sqlite"
                            else cluster.create_database(f"scale_{size}", replace=True)
                        )
                        clients[size] = seeded_client(url, size, workdir / database, stack)
                    for r in range(args.rounds):  # every size once per round, so a change of load hits them all
                        rounds.append({size: p50s(clients[size], size, args.requests) for size in sizes})
                        print(database, "round", r, "done, 1-min load", os.getloadavg()[0], flush=True)
                lines.extend(_table(database, sizes, rounds, args.requests))
        finally:
            if postgres:
                cluster.stop()
    lines.append(f"load 1-min at the end {os.getloadavg()[0]:.1f}")
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.write_text(text)


if __name__ == "__main__":
    main()
