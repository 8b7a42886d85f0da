"""``latentkin stack``: the production topology on one machine, in the foreground until Ctrl-C.

    hardhat node (the chain) ── latentkin index ──┐
                            └─ latentkin keeper   ├─ PostgreSQL (throw-away cluster in var/stack/pg)
    nginx :8080 ── latentkin serve --workers N ───┘

The chain gets the demo's contracts and starter set (latentkin_cli/demo.py); the indexer and the keeper
run as their own processes, never inside the API workers; nginx (deploy/nginx.conf) is the only
front. Every process runs in its own process group and all are stopped on the way out; what each
is and where it listens is written to ``<workdir>/stack.json``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from rich.console import Console

from latentkin_cli.checkout import CHECKOUT
from latentkin_cli.demo import Interrupted, ensure_node_modules, port_free, prepare_chain, raise_interrupted
from latentkin_cli.hardhat_node import HardhatNode
from latentkin_cli.nginx import Nginx, NginxOptions
from latentkin_cli.postgres import PostgresCluster
from latentkin_cli.process_group import stop_group, wait_listening
from latentkin_core.errors import LatentkinError
from offchain.settings import Settings

console = Console(soft_wrap=True)
READY = "latentkin stack is running"
API_START_TIMEOUT = 180.0  # N workers loading torch and the renderers on a shared CPU
INDEX_TIMEOUT = 120.0


@dataclass
class StackOptions:
    """What the stack starts and where."""

    port: int = 8080  # nginx, the only public port
    api_port: int = 8001  # the API workers, behind nginx
    rpc_port: int = 8545
    workers: int = 2
    characters: int = 12
    fusions: int = 4
    workdir: Path | None = None
    conn_per_client: int = 512  # nginx limit_conn per client address
    client_timeout: int = 5  # nginx: seconds a client has to send its request headers (or body) before it is closed


@dataclass
class Stack:
    """The running parts, stopped in reverse order."""

    workdir: Path
    node: HardhatNode
    postgres: PostgresCluster
    nginx: Nginx
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def spawn(self, name: str, args: list[str], env: dict[str, str]) -> subprocess.Popen[bytes]:
        """``latentkin <args>`` as its own process group, output in ``<workdir>/<name>.log``."""
        with open(self.workdir / f"{name}.log", "wb") as log:
            proc = subprocess.Popen(
                [sys.executable, "-m", "latentkin_cli.cli", *args],
                cwd=CHECKOUT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.processes[name] = proc
        return proc

    def died(self) -> str | None:
        """Name of a process that exited on its own, if any."""
        for name, proc in self.processes.items():
            if proc.poll() is not None:
                return name
        return None

    def stop(self) -> None:
        """Front first, then the API, the indexer and keeper, the database, the chain."""
        self.nginx.stop()
        for proc in reversed(list(self.processes.values())):
            stop_group(proc, signal.SIGTERM, wait=20)
        self.postgres.stop()
        if self.postgres.temporary:
            import shutil

            shutil.rmtree(self.postgres.directory, ignore_errors=True)
        self.node.stop()


def wait_indexed(base: str, count: int, timeout: float) -> None:
    """Wait until the index (read through nginx) lists ``count`` tokens."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            items = httpx.get(f"{base}/tokens", params={"limit": 100}, timeout=10).json()["items"]
            if len(items) >= count:
                return
        except (httpx.HTTPError, ValueError, KeyError):
            pass
        time.sleep(0.5)
    raise LatentkinError(f"the indexer did not index {count} tokens within {timeout:g} s")


def run_stack(opts: StackOptions) -> int:
    """Bring the stack up, print where it is, run until SIGINT/SIGTERM; returns the exit code."""
    from offchain.api.services import load_renderer
    from offchain.store.db import make_engine

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    workdir = Path(opts.workdir or CHECKOUT / "var" / "stack").resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    for port in (opts.port, opts.api_port, opts.rpc_port):
        if not port_free(port):
            console.print(f"[red]port {port} on 127.0.0.1 is taken[/]: pass --port/--api-port/--rpc-port")
            return 2
    base = f"http://127.0.0.1:{opts.port}"
    stack = Stack(
        workdir,
        HardhatNode(opts.rpc_port, workdir / "hardhat.log"),
        PostgresCluster(workdir / "pg"),
        Nginx(
            NginxOptions(
                listen=f"127.0.0.1:{opts.port}",
                upstream=f"127.0.0.1:{opts.api_port}",
                prefix=workdir / "nginx",
                conn_per_client=opts.conn_per_client,
                client_timeout=opts.client_timeout,
            )
        ),
    )
    previous = {s: signal.signal(s, raise_interrupted) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        ensure_node_modules()
        with console.status("stack: starting the hardhat node and PostgreSQL…"):
            stack.node.start()
            stack.postgres.start()
            database_url = stack.postgres.create_database("latentkin", replace=True)  # a fresh chain: a fresh index
        settings = Settings(
            rpc_url=stack.node.url,
            public_rpc_url=stack.node.url,
            public_base_url=base,
            database_url=database_url,
            cache_dir=workdir / "cache",
            deployments_dir=workdir,
            confirmations=0,
            poll_interval=0.5,
            host="127.0.0.1",
            port=opts.api_port,
            index_in_service=False,
            keeper_in_service=False,
        )
        stack.nginx.options.max_body_bytes = settings.max_body_bytes  # no body the workers accept is refused
        stack.nginx.options.image_root = settings.cache_dir  # drawn images sent from disk by nginx itself
        renderer, error = load_renderer(settings)
        if renderer is None:
            console.print(f"[yellow]stack: renderer not loaded ({error}); images will answer 503[/]")
        renderer_hash = bytes(renderer.renderer_hash()) if renderer is not None else None
        deployment, newest = prepare_chain(stack.node, settings, renderer_hash, opts.characters, opts.fusions)
        make_engine(database_url).dispose()  # migrate once, before the processes that share the database
        env = {**os.environ, **settings.to_env()}
        stack.spawn("indexer", ["index"], env)
        key = stack.node.dev_key()  # the first dev account signs the keeper's transactions
        if key is not None:
            stack.spawn("keeper", ["keeper"], {**env, "LATENTKIN_KEEPER_KEY": key})
        api = stack.spawn("api", ["serve", "--workers", str(opts.workers)], env)
        with console.status(f"stack: starting {opts.workers} API workers and nginx…"):
            wait_listening(api, f"127.0.0.1:{opts.api_port}", API_START_TIMEOUT, "the API", workdir / "api.log")
            stack.nginx.start()
            wait_indexed(base, newest, INDEX_TIMEOUT)
        node_proc, nginx_proc = stack.node.proc, stack.nginx.proc
        assert node_proc is not None and nginx_proc is not None  # both started above
        (workdir / "stack.json").write_text(
            json.dumps(
                {
                    "front": base,
                    "api": f"http://127.0.0.1:{opts.api_port}",
                    "rpc": stack.node.url,
                    "database_url": database_url,
                    "workers": opts.workers,
                    "contract": deployment.address,
                    "pids": {
                        "node": node_proc.pid,
                        "nginx": nginx_proc.pid,
                        **{name: proc.pid for name, proc in stack.processes.items()},
                    },
                },
                indent=2,
            )
            + "\n"
        )
        console.print(
            f"\n[bold]{READY}[/]\n"
            f"  front (nginx)  {base}/   tokens {base}/tokens/1   health {base}/healthz\n"
            f"  API workers    {opts.workers} on 127.0.0.1:{opts.api_port} (behind nginx)\n"
            f"  indexer        its own process{', keeper too' if key else ''}; PostgreSQL at "
            f"{stack.postgres.socket_dir}\n"
            f"  chain (RPC)    {stack.node.url}, contract {deployment.address}\n"
            f"  logs           {workdir}/*.log\nPress Ctrl-C to stop."
        )
        sys.stdout.flush()
        while (dead := stack.died()) is None:
            time.sleep(0.5)
        console.print(f"[red]stack: {dead} exited[/] (see {workdir / (dead + '.log')}); stopping")
        return 1
    except (Interrupted, KeyboardInterrupt):
        return 0
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C must not cut the shutdown short
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        stack.stop()
        for s, handler in previous.items():
            signal.signal(s, handler)
        console.print("stack: stopped: nginx, API, indexer, PostgreSQL and the chain are down")
