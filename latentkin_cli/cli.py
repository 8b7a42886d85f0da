"""``latentkin``: deploy, mint, fuse, transfer, show, serve, index, keeper, the market (list, buy, offer, accept,
cancel; in latentkin_cli/market_cli.py), the one-command demo and stack.

Settings come from ``LATENTKIN_*`` variables (offchain/settings.py); ``--rpc-url`` overrides.
Transactions are signed with ``LATENTKIN_PRIVATE_KEY``, a keystore file (``--keystore`` or
``LATENTKIN_KEYSTORE``) or, on a local dev chain, the node's first unlocked account.
"""

from __future__ import annotations

import logging
import random
import re
import signal
import threading
from enum import Enum
from pathlib import Path
from typing import Annotated

import typer
from eth_account import Account

from latentkin_cli import market_cli
from latentkin_cli.cli_common import (
    KeystoreOpt,
    RpcOpt,
    actor_of,
    block_progress,
    console,
    friendly,
    sender_of,
    settings_from,
)
from latentkin_core.genome import FusionMode, Genome, random_genome
from offchain.chain.reader import ChainReader, http_web3
from offchain.token.metadata import token_image_url, token_metadata

app = typer.Typer(
    help="latentkin: characters on Ethereum drawn by a generative model.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(market_cli.app)


@app.command()
@friendly
def deploy(
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    base_url: Annotated[str | None, typer.Option(help="Public URL of the service.")] = None,
    fee_wei: Annotated[int, typer.Option(help="Fusion fee in wei.")] = 0,
) -> None:
    """Deploy LatentKin and write deployments/<chainId>.json."""
    from latentkin_cli.bootstrap import deploy_latentkin
    from offchain.api.services import load_renderer

    settings = settings_from(rpc_url, public_base_url=base_url)
    w3 = http_web3(settings.rpc_url, max(settings.rpc_timeout, 60))
    sender = sender_of(w3, settings, keystore)
    renderer, error = load_renderer(settings)
    if renderer is None:
        console.print(f"[yellow]renderer not loaded, rendererHash left unset: {error}[/]")
    renderer_hash = bytes(renderer.renderer_hash()) if renderer is not None else None
    with console.status("deploying LatentKin…"):
        deployment = deploy_latentkin(w3, sender, settings, fusion_fee=fee_wei, renderer_hash=renderer_hash)
    console.print(
        f"LatentKin at [bold]{deployment.address}[/] on chain {deployment.chain_id} (block {deployment.block})"
    )


@app.command()
@friendly
def mint(
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    to: Annotated[str | None, typer.Option(help="Recipient (default: the sender).")] = None,
    count: Annotated[int, typer.Option(min=1, max=100)] = 1,
    genome: Annotated[str | None, typer.Option(help="Genome hex (default: random).")] = None,
    seed: Annotated[int | None, typer.Option(help="Seed of the random genomes.")] = None,
) -> None:
    """Mint gen-0 characters (needs the minter role)."""
    settings = settings_from(rpc_url)
    actor, _ = actor_of(settings, keystore)
    rng = random.Random(seed)
    for _ in range(count):
        g = Genome.from_hex(genome) if genome else random_genome(rng)
        token_id = actor.mint(to or actor.sender, g)
        console.print(f"minted #{token_id} genome {g.to_hex()}")


class ModeChoice(str, Enum):
    """``--mode`` of ``fuse``: the fusion modes by label."""

    crossover = FusionMode.CROSSOVER.label
    blend = FusionMode.BLEND.label


@app.command()
@friendly
def fuse(
    parent_a: int,
    parent_b: int,
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
    mode: Annotated[
        ModeChoice, typer.Option(help="crossover: each gene from one parent; blend: the mean of both.")
    ] = ModeChoice.crossover,
) -> None:
    """Fuse two characters: request, wait for the reveal block, complete; print the child."""
    settings = settings_from(rpc_url)
    actor, _ = actor_of(settings, keystore)
    progress, update = block_progress("waiting for the reveal block")
    with progress:
        result = actor.fuse(parent_a, parent_b, progress=update, mode=FusionMode.parse(mode.value))
    base = settings.public_base_url
    console.print(
        f"#{parent_a} × #{parent_b} ({result.mode.label}) → [bold]#{result.child_id}[/] seed 0x{result.seed:064x}"
    )
    console.print(f"genome {result.genome.to_hex()}")
    console.print(f"image  {token_image_url(base, result.child_id)}")


@app.command()
@friendly
def transfer(token_id: int, to: str, rpc_url: RpcOpt = None, keystore: KeystoreOpt = None) -> None:
    """Transfer a character you own."""
    actor, _ = actor_of(settings_from(rpc_url), keystore)
    actor.transfer(to, token_id)
    console.print(f"#{token_id} → {to}")


@app.command("set-renderer")
@friendly
def set_renderer(
    weights: Annotated[
        Path, typer.Argument(help="Generator weights (safetensors), e.g. renderer/data/generator_v2.safetensors.")
    ],
    rpc_url: RpcOpt = None,
    keystore: KeystoreOpt = None,
) -> None:
    """Switch the collection to another renderer: sets the contract's rendererHash (owner only).

    The contract emits ERC-4906 BatchMetadataUpdate for every token, so marketplaces refresh;
    a service that has these weights loaded follows the new hash, and images drawn with the
    previous renderer stay reachable under their own renderer hash.
    """
    from renderer.render import Renderer

    renderer = Renderer.load(weights)
    actor, reader = actor_of(settings_from(rpc_url), keystore)
    new_hash = bytes(renderer.renderer_hash())
    old_hash = reader.renderer_hash()
    if new_hash == old_hash:
        console.print(f"rendererHash is already 0x{new_hash.hex()}")
        return
    actor.set_renderer_hash(new_hash)
    console.print(f"rendererHash 0x{old_hash.hex()} → 0x{new_hash.hex()} ({renderer.native_size} px renderer)")


@app.command()
@friendly
def show(token_id: int, rpc_url: RpcOpt = None) -> None:
    """Print a character as the chain has it: owner, lineage, genome and traits."""
    from renderer.table import load_table

    settings = settings_from(rpc_url)
    info = ChainReader.from_settings(settings).token(token_id)
    document = token_metadata(info, load_table(), settings.public_base_url, settings.image_default_size)
    console.print_json(document.model_dump_json())


PARENT_PATTERN = re.compile(r"[1-9][0-9]{0,9}|(0x)?[0-9a-fA-F]{80}")


def _parent_ref(value: str) -> str:
    """Typer callback: a parent is a token id or a genome as 80 hex digits (else a usage error)."""
    if not PARENT_PATTERN.fullmatch(value):
        raise typer.BadParameter(f"{value!r} is neither a token id (1, 2, …) nor a genome written as 80 hex digits")
    return value


ParentArg = Annotated[str, typer.Argument(help="A token id, or a genome as 80 hex digits.", callback=_parent_ref)]


def _label(ref: str) -> str:
    return f"#{ref}" if len(ref) <= 10 else f"genome {ref.removeprefix('0x')[:8]}…"


@app.command()
@friendly
def odds(
    parent_a: ParentArg,
    parent_b: ParentArg,
    rpc_url: RpcOpt = None,
    mode: Annotated[ModeChoice | None, typer.Option(help="Only this mode (default: both).")] = None,
    top: Annotated[int, typer.Option(min=1, max=16, help="Values shown per trait.")] = 3,
    as_json: Annotated[bool, typer.Option("--json", help="Print GET /fusion/odds's JSON body.")] = False,
) -> None:
    """The exact odds of a fusion's child, before paying: per trait its likely values with rarity, in each mode."""
    from rich.table import Table as RichTable

    from offchain.api.fusion_odds import odds_body
    from renderer.table import load_table

    readers: list[ChainReader] = []

    def genome(ref: str) -> Genome:
        if len(ref) > 10:
            return Genome.from_hex(ref)
        if not readers:
            readers.append(ChainReader.from_settings(settings_from(rpc_url)))
        return readers[0].genome_of(int(ref))

    modes = [FusionMode.parse(mode.value)] if mode is not None else list(FusionMode)
    body = odds_body(load_table(), genome(parent_a), genome(parent_b), modes)
    if as_json:
        console.print_json(body.model_dump_json())
        return
    a, b = _label(parent_a), _label(parent_b)
    same = all(m.traits == body.modes[0].traits for m in body.modes)  # true by the rule: modes differ in genes
    for k, m in enumerate(body.modes):
        if k == 0 or not same:
            both = " (the same in both modes)" if same and len(body.modes) > 1 else f", {m.mode}"
            view = RichTable(title=f"{a} × {b}: the child's traits{both}", title_justify="left")
            for column in ("trait", "parents show", "likely values", "rare", "new"):
                view.add_column(column)
            for t in m.traits:
                likely = ", ".join(f"{v.value} {v.percent:.1f} % ({v.rarity})" for v in t.values[:top])
                view.add_row(
                    t.trait, " / ".join(t.parents), likely, f"{t.rare_percent:.1f} %", f"{t.new_percent:.1f} %"
                )
            console.print(view)
            console.print(
                f"a rare or legendary value: {m.rare_percent:.1f} %; a value neither parent shows: "
                f"{m.new_percent:.1f} %; at least one mutation: {m.mutation_percent:.1f} % "
                f"(in a shown trait: {m.trait_mutation_percent:.1f} %)"
            )
        g = m.genes
        console.print(
            f"{m.mode}: face genes {g.like_a_percent:.1f} % like {a}'s, {g.like_b_percent:.1f} % like "
            f"{b}'s, {g.shared_percent:.1f} % shared by both, {g.between_percent:.1f} % between the "
            f"parents', {g.other_percent:.1f} % mutated elsewhere"
        )


@app.command()
@friendly
def serve(
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    rpc_url: RpcOpt = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="uvicorn worker processes; with more than one, run `latentkin index` (and `keeper`) beside them.",
        ),
    ] = 1,
    no_index: Annotated[bool, typer.Option("--no-index", help="Run without the indexer.")] = False,
) -> None:
    """Run the HTTP service (with the indexer inside unless --no-index or --workers > 1)."""
    from offchain.api.server import serve as serve_http

    settings = settings_from(rpc_url, host=host, port=port)
    if no_index:
        settings = settings.model_copy(update={"index_in_service": False})
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    if workers > 1:
        console.print(
            f"{workers} workers: the indexer and the keeper do not run inside them; run "
            "`latentkin index` (and `latentkin keeper`) as their own processes"
        )
    serve_http(settings, workers)


@app.command()
@friendly
def index(rpc_url: RpcOpt = None) -> None:
    """Run the indexer as its own process until Ctrl-C."""
    from offchain.api.services import build_indexer
    from offchain.store.db import make_engine, make_sessionmaker

    settings = settings_from(rpc_url)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    indexer = build_indexer(
        settings, ChainReader.from_settings(settings), make_sessionmaker(make_engine(settings.database_url))
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    thread = threading.Thread(target=indexer.run, args=(stop, settings.poll_interval), daemon=True)
    thread.start()
    with console.status("indexing…") as status:
        while not stop.wait(1.0):
            s = indexer.status
            status.update(
                f"indexed up to block {s.cursor} of {s.head} "
                f"({s.reorgs} reorgs){' — ' + s.last_error if s.last_error else ''}"
            )
    thread.join(10)
    console.print(f"stopped at block {indexer.status.cursor}")


@app.command()
@friendly
def keeper(rpc_url: RpcOpt = None) -> None:
    """Complete every due fusion and public-mint request (for anyone) until Ctrl-C; signs with
    LATENTKIN_KEEPER_KEY (or LATENTKIN_PRIVATE_KEY)."""
    from offchain.chain.keeper import Keeper

    settings = settings_from(rpc_url)
    key = settings.keeper_key or settings.private_key
    if key is None:
        raise typer.BadParameter("set LATENTKIN_KEEPER_KEY (or LATENTKIN_PRIVATE_KEY)")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    runner = Keeper(
        ChainReader.from_settings(settings),
        Account.from_key(key.get_secret_value()),
        batch_blocks=settings.index_batch_blocks,
    )
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    runner.run(stop, settings.poll_interval)
    s = runner.status
    console.print(f"stopped: completed {s.completed['fusion']} fusions and {s.completed['mint']} mints")


@app.command()
@friendly
def demo(
    port: Annotated[int, typer.Option(help="HTTP port of the service.")] = 8000,
    rpc_port: Annotated[int, typer.Option(help="Port of the local hardhat node.")] = 8545,
    characters: Annotated[int, typer.Option(min=2, max=64)] = 12,
    fusions: Annotated[int, typer.Option(min=0, max=32)] = 4,
    workdir: Annotated[Path | None, typer.Option(help="SQLite, cache and logs.")] = None,
) -> None:
    """Local chain, deploy, mint, fuse, serve: the whole thing in one command (Ctrl-C stops it)."""
    from latentkin_cli.demo import DemoOptions, run_demo

    raise typer.Exit(
        run_demo(DemoOptions(port=port, rpc_port=rpc_port, characters=characters, fusions=fusions, workdir=workdir))
    )


@app.command()
@friendly
def stack(
    port: Annotated[int, typer.Option(help="Public port (nginx).")] = 8080,
    api_port: Annotated[int, typer.Option(help="Port of the API workers, behind nginx.")] = 8001,
    rpc_port: Annotated[int, typer.Option(help="Port of the local hardhat node.")] = 8545,
    workers: Annotated[int, typer.Option(min=1, max=64, help="API worker processes.")] = 2,
    characters: Annotated[int, typer.Option(min=2, max=64)] = 12,
    fusions: Annotated[int, typer.Option(min=0, max=32)] = 4,
    conn_per_client: Annotated[
        int, typer.Option(min=1, help="nginx: connections in progress per client address before JSON 503.")
    ] = 512,
    client_timeout: Annotated[
        int, typer.Option(min=1, help="nginx: seconds a client has to send its request headers or body (then closed).")
    ] = 5,
    workdir: Annotated[
        Path | None, typer.Option(help="PostgreSQL cluster, nginx prefix, cache, logs (default var/stack).")
    ] = None,
) -> None:
    """The production topology locally: chain, PostgreSQL, indexer and keeper processes, N API workers,
    nginx in front (Ctrl-C stops all of it)."""
    from latentkin_cli.stack import StackOptions, run_stack

    raise typer.Exit(
        run_stack(
            StackOptions(
                port=port,
                api_port=api_port,
                rpc_port=rpc_port,
                workers=workers,
                characters=characters,
                fusions=fusions,
                workdir=workdir,
                conn_per_client=conn_per_client,
                client_timeout=client_timeout,
            )
        )
    )


if __name__ == "__main__":
    app()
