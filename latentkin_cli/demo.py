"""``latentkin demo``: local hardhat node → deploy (with the Seaport market) → mint → fuse → list and bid →
service with indexer and keeper → Ctrl-C.

The keeper (offchain/chain/keeper.py, what ``latentkin keeper`` runs) completes every fusion and mint request
once its reveal block is mined, signing with a dev account nobody else uses in the demo (KEEPER_ACCOUNT), so
a player sees the child born within a block or two, as the page says.

Embedded defaults only: a SQLite file and a disk cache under ``var/demo``, the local chain.
The node runs in its own process group and is always stopped on the way out (Ctrl-C, SIGTERM,
or an error during set-up).
"""

from __future__ import annotations

import contextlib
import logging
import random
import shutil
import signal
import socket
import subprocess
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from rich.console import Console
from web3.types import RPCEndpoint

from latentkin_cli.checkout import CHECKOUT
from latentkin_cli.hardhat_node import HardhatNode
from latentkin_cli.web_check import web_page_problem
from latentkin_core.errors import LatentkinError
from latentkin_core.genome import FusionMode, random_genome
from offchain.chain.deployment import Deployment
from offchain.chain.reader import ChainReader, http_web3
from offchain.chain.transactions import Actor
from offchain.settings import Settings
from offchain.token.metadata import token_image_url, token_url

if TYPE_CHECKING:
    from fastapi import FastAPI

    from offchain.api.services import Services

console = Console(soft_wrap=True)  # hex strings stay on one line, copy-pasteable
log = logging.getLogger("latentkin.demo")

KEEPER_ACCOUNT = 19  # the last of the hardhat node's 20 dev accounts: the starter set uses 0 and 1
DEMO_SEED = 20240611  # the starter set is the same every run
DEMO_MINT_PRICE = 10**16  # 0.01 ETH: players on the demo chain can use the public mint
DEMO_MINT_CAP = 1000


@dataclass
class DemoOptions:
    """What the demo starts and where."""

    port: int = 8000
    rpc_port: int = 8545
    characters: int = 12
    fusions: int = 4
    workdir: Path | None = None


class Interrupted(Exception):
    """SIGTERM or SIGINT arrived while setting up."""


def raise_interrupted(signum: int, _frame: FrameType | None) -> None:
    """Signal handler: turn SIGINT/SIGTERM into :class:`Interrupted` (set-up and shutdown stay in our hands)."""
    raise Interrupted(signal.Signals(signum).name)


def port_free(port: int) -> bool:
    """True if nothing listens on 127.0.0.1:port."""
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def ensure_node_modules() -> None:
    """`npm ci` if hardhat is not installed yet (the demo installs what is missing)."""
    if (CHECKOUT / "node_modules" / "hardhat").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        raise LatentkinError("npm is missing: install Node.js 20 and npm, then run the demo again")
    console.print("demo: installing npm packages (npm ci)…")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"], cwd=CHECKOUT, check=True)


def populate(actor: Actor, accounts: Sequence[str], characters: int, fusions: int) -> list[int]:
    """Mint the starter set (every 4th to a second account) and fuse; returns every token id.

    Fusions pair founders owned by the sender; with 3 or more, the last one fuses the first two
    children, so the family trees have a second generation. Every second fusion blends, the others
    cross over, so both modes show.
    """
    rng = random.Random(DEMO_SEED)
    ids, mine = [], []
    for k in range(characters):
        owner = accounts[k % 4 == 3 and len(accounts) > 1]
        ids.append(actor.mint(owner, random_genome(rng)))
        if owner == actor.sender:
            mine.append(ids[-1])
        console.print(f"demo: minted #{ids[-1]} for {owner[:10]}…")
    founder_pairs = min(fusions - (fusions >= 3), len(mine) // 2)
    pairs = [(mine[2 * k], mine[2 * k + 1]) for k in range(founder_pairs)]
    children: list[int] = []
    for k in range(fusions):
        if k < len(pairs):
            a, b = pairs[k]
        elif len(children) >= 2 and k == len(pairs):
            a, b = children[0], children[1]
        else:
            break
        result = actor.fuse(a, b, mode=FusionMode.BLEND if k % 2 else FusionMode.CROSSOVER)
        children.append(result.child_id)
        console.print(
            f"demo: fused #{a} × #{b} by {result.mode.label} → #{result.child_id} (seed 0x{result.seed:064x})"
        )
    return ids + children


def prepare_chain(
    node: HardhatNode, settings: Settings, renderer_hash: bytes | None, characters: int, fusions: int
) -> tuple[Deployment, int]:
    """Deploy LatentKin on the running ``node``, pin ``renderer_hash``, mint and fuse the starter set,
    then mine a block a second; returns (deployment, the newest token id). Shared by demo and stack."""
    from latentkin_cli.bootstrap import deploy_latentkin

    w3 = http_web3(node.url, 60)
    sender = w3.eth.accounts[0]
    with console.status("compiling and deploying LatentKin…"):
        deployment = deploy_latentkin(
            w3, sender, settings, public_mint_price=DEMO_MINT_PRICE, public_mint_cap=DEMO_MINT_CAP
        )
    console.print(f"demo: LatentKin deployed at {deployment.address}")
    actor = Actor(w3, ChainReader.from_settings(settings, w3).contract, sender)
    if renderer_hash is not None:
        actor.set_renderer_hash(renderer_hash)
    newest = max(populate(actor, w3.eth.accounts[:2], characters, fusions))
    # A stock hardhat node mines only when a transaction arrives: mine a block a second too,
    # so that the reveal blocks of fusions and mints requested from the web page arrive.
    w3.provider.make_request(RPCEndpoint("evm_setIntervalMining"), [1000])
    return deployment, newest


def open_market(services: Services, tokens: Iterable[int]) -> int:
    """A fixed-price listing, a Dutch auction (both by account 0) and a WETH offer (by account 1) on the demo's
    characters, signed by the node's accounts and put in the book, so the market shows on the page; how many."""
    from offchain.market.book import store
    from offchain.market.trader import Trader

    seller, bidder = (Trader(services.market, account) for account in services.market.w3.eth.accounts[:2])
    mine = [t for t in tokens if services.chain.owner_of(t) == seller.address]
    if len(mine) < 3:
        return 0
    finney = 10**15
    orders = [
        seller.list(mine[-1], 50 * finney),
        seller.list(mine[0], 500 * finney, 50 * finney, duration=86_400),
        bidder.offer(mine[1], 20 * finney),
    ]
    with services.sessions() as session:
        for valid in orders:
            store(session, valid, services.chain.head())
        session.commit()
    return len(orders)


def keeper_line(services: Services) -> str:
    """The banner's word on the keeper: who signs, or that none runs."""
    if services.keeper is None:
        return "none: requests wait until someone completes them"
    account = services.keeper.account
    return f"completes every due request, as {getattr(account, 'address', account)}"


def fresh_database(workdir: Path) -> Path:
    """The demo's SQLite file in ``workdir``, removed with its journal files: a fresh node is a fresh chain."""
    db = workdir / "latentkin.sqlite3"
    for stale in (db, db.with_name(db.name + "-wal"), db.with_name(db.name + "-shm")):
        stale.unlink(missing_ok=True)
    return db


def demo_settings(node: HardhatNode, workdir: Path, port: int) -> Settings:
    """The service's settings for the demo: everything under ``workdir``, the local node, no confirmations,
    and the keeper signing with the node's dev account KEEPER_ACCOUNT (none if the node printed no keys)."""
    keeper_key = node.dev_key(KEEPER_ACCOUNT)
    if keeper_key is None:
        console.print(
            "[yellow]demo: the node printed no dev keys; no keeper runs (requests wait for someone to complete them)[/]"
        )
    return Settings(
        rpc_url=node.url,
        public_rpc_url=node.url,
        public_base_url=f"http://127.0.0.1:{port}",
        database_url=f"sqlite:///{fresh_database(workdir)}",
        cache_dir=workdir / "cache",
        deployments_dir=workdir,
        confirmations=0,
        poll_interval=0.5,
        host="127.0.0.1",
        port=port,
        keeper_key=keeper_key,
    )


@dataclass
class DemoWorld:
    """What the set-up built: the app and its services, the deployment and the newest token id."""

    app: FastAPI
    services: Services
    deployment: Deployment
    newest: int


def set_up(opts: DemoOptions, node: HardhatNode, workdir: Path) -> DemoWorld:
    """Start ``node``, build the service, deploy, mint, fuse, open the market and index it all."""
    from offchain.api.main import create_app

    ensure_node_modules()
    with console.status(f"demo: starting hardhat node on {node.url}…"):
        node.start()
    console.print(f"demo: hardhat node up on {node.url}")
    settings = demo_settings(node, workdir, opts.port)
    if problem := web_page_problem(settings.web_dir):
        console.print(f"[yellow]demo: {problem}[/]")
    app = create_app(settings)
    services: Services = app.state.services
    if services.renderer_hash is None:
        console.print(f"[yellow]demo: renderer not loaded ({services.renderer_error}); images will answer 503[/]")
    deployment, newest = prepare_chain(node, settings, services.renderer_hash, opts.characters, opts.fusions)
    console.print(f"demo: {open_market(services, range(1, newest + 1))} orders in the market (Seaport 1.6)")
    with console.status("demo: indexing…"):
        services.indexer.sync()
    return DemoWorld(app, services, deployment, newest)


def banner(world: DemoWorld, node: HardhatNode) -> str:
    """The lines printed once the service listens: where the page, the API and the chain are."""
    base, newest, deployment = world.services.settings.public_base_url, world.newest, world.deployment
    return (
        f"\n[bold]latentkin demo is running[/]\n"
        f"  web page     {base}/\n"
        f"  token #1     {token_url(base, 1)}\n"
        f"  image #1     {token_image_url(base, 1)}\n"
        f"  family #{newest:<3}  {token_url(base, newest)}/family?depth=3\n"
        f"  preview      {base}/fusion/preview?a=1&b=2&n=4\n"
        f"  market       {base}/orders\n"
        f"  API docs     {base}/docs\n"
        f"  health       {base}/healthz\n"
        f"  chain (RPC)  {node.url}  chain id {deployment.chain_id}, contract {deployment.address}\n"
        f"  keeper       {keeper_line(world.services)}\n"
        "Press Ctrl-C to stop."
    )


def serve(world: DemoWorld, node: HardhatNode) -> None:
    """Serve the app in the foreground, print the banner once it listens; return on SIGINT/SIGTERM."""
    import uvicorn

    from offchain.api.server import uvicorn_options

    text = banner(world, node)

    class Server(uvicorn.Server):
        async def startup(self, sockets: list[socket.socket] | None = None) -> None:
            await super().startup(sockets)
            if self.started:
                console.print(text)
                sys.stdout.flush()

    server = Server(uvicorn.Config(world.app, **uvicorn_options(world.services.settings, "warning")))
    # uvicorn handles SIGINT/SIGTERM itself (graceful shutdown, the app's lifespan closes), then
    # re-raises the signal to the handlers it found: make those raise, so we get here and stop
    # the node instead of dying by SIGTERM's default action.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, raise_interrupted)
    with contextlib.suppress(Interrupted, KeyboardInterrupt):
        server.run()


def run_demo(opts: DemoOptions) -> int:
    """Run the whole demo in the foreground; returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    workdir = Path(opts.workdir or CHECKOUT / "var" / "demo")
    workdir.mkdir(parents=True, exist_ok=True)
    for port in (opts.port, opts.rpc_port):
        if not port_free(port):
            console.print(f"[red]port {port} on 127.0.0.1 is taken[/]: pass --port/--rpc-port")
            return 2
    node = HardhatNode(opts.rpc_port, workdir / "hardhat.log")
    previous = {s: signal.signal(s, raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        world = set_up(opts, node, workdir)
    except (Interrupted, KeyboardInterrupt):
        node.stop()
        console.print("demo: interrupted during set-up; node stopped")
        return 130
    except BaseException:
        node.stop()
        raise
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)
    try:
        serve(world, node)
    finally:
        node.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
        console.print("demo: stopped: service and hardhat node are down")
    return 0
