"""Service fixtures: an eth-tester chain with LatentKin deployed and a family of characters on it,
the real renderer, and the FastAPI app over that chain with its SQLite index in a temp folder.
"""

from __future__ import annotations

import os
import random
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import torch
from fastapi.testclient import TestClient
from web3 import EthereumTesterProvider, Web3

from offchain.actions import Actor, FusionResult
from offchain.api.main import create_app
from offchain.chain import ChainReader, Deployment
from offchain.deploy import deploy
from offchain.genome import Genome, random_genome
from offchain.settings import Settings

GEN0 = 8  # founders minted by the populated chain
SEED = 4  # the starter genomes are drawn from random.Random(SEED)


def load_test_renderer():
    """The shipped renderer; before weights ship, the same generator with seeded initial weights."""
    from renderer.errors import RendererLoadError
    from renderer.render import Renderer

    try:
        return Renderer.load()
    except RendererLoadError:
        from renderer.model import Generator, ModelConfig
        from renderer.table import load_table

        torch.manual_seed(0)
        generator = Generator(ModelConfig()).eval().requires_grad_(False)
        return Renderer(generator, load_table(), b"seeded-initial-weights", torch.device("cpu"))


@pytest.fixture(scope="session")
def renderer():
    """One renderer for the whole session (loading weights is the slow part)."""
    torch.set_num_threads(1)
    return load_test_renderer()


@dataclass
class KinChain:
    """A LatentKin deployment on an in-process chain, with helpers to change it."""

    w3: Web3
    deployment: Deployment
    deployments_dir: Path
    reader: ChainReader
    actor: Actor
    accounts: list[str]
    genomes: dict[int, Genome] = field(default_factory=dict)
    fusions: list[FusionResult] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(SEED))

    def mint(self, to: str | None = None) -> int:
        """Mint a random founder to ``to`` (default: account 0)."""
        genome = random_genome(self.rng)
        token_id = self.actor.mint(to or self.accounts[0], genome)
        self.genomes[token_id] = genome
        return token_id

    def fuse(self, a: int, b: int) -> FusionResult:
        """Fuse two tokens of account 0 (reveal blocks are mined)."""
        result = self.actor.fuse(a, b)
        self.genomes[result.child_id] = result.genome
        self.fusions.append(result)
        return result


def make_chain(directory: Path, renderer_hash: bytes | None = None) -> KinChain:
    """Fresh eth-tester chain with LatentKin deployed by account 0 (also its minter)."""
    w3 = Web3(EthereumTesterProvider())
    owner = w3.eth.accounts[0]
    record = deploy(w3, owner, minters=(owner,), base_uri="http://testserver/tokens/",
                    renderer_hash=renderer_hash, out_dir=directory)
    deployment = Deployment(record.address, record.chain_id, record.block)
    reader = ChainReader(w3, deployment=deployment)
    return KinChain(w3, deployment, directory, reader, Actor(w3, reader.contract, owner),
                    list(w3.eth.accounts))


@pytest.fixture(scope="session")
def kin_chain(tmp_path_factory, renderer) -> KinChain:
    """8 founders (#4 and #8 owned by account 1), #9 = 1×2, #10 = 3×5, #11 = 9×10 (generation 2).

    Shared by every test that only reads; tests that change the chain use ``fresh_kin``.
    """
    chain = make_chain(tmp_path_factory.mktemp("deployments"), renderer.renderer_hash())
    for k in range(GEN0):
        chain.mint(chain.accounts[1] if k % 4 == 3 else None)
    chain.fuse(1, 2)
    chain.fuse(3, 5)
    chain.fuse(9, 10)
    return chain


@pytest.fixture
def fresh_kin(tmp_path) -> KinChain:
    """A chain of its own with two founders, for tests that mine, revert or fork it."""
    chain = make_chain(tmp_path / "deployments")
    chain.mint()
    chain.mint()
    return chain


def service_settings(directory: Path, chain: KinChain, **overrides) -> Settings:
    """Settings of a service over ``chain`` with its index and cache under ``directory``."""
    values = dict(database_url=f"sqlite:///{directory / 'index.sqlite3'}",
                  cache_dir=directory / "cache", deployments_dir=chain.deployments_dir,
                  public_base_url="http://testserver", confirmations=0, index_in_service=False,
                  web_dir=directory / "no-web",
                  indexer_stale_after=3600)  # tests step the indexer by hand, long before they read /healthz
    values.update(overrides)
    return Settings(**values)


@pytest.fixture(scope="module")
def app(tmp_path_factory, kin_chain, renderer):
    """The app over the populated chain, fully indexed (indexer stepped by hand, not threaded)."""
    settings = service_settings(tmp_path_factory.mktemp("service"), kin_chain)
    application = create_app(settings, w3=kin_chain.w3, renderer=renderer)
    application.state.services.indexer.sync()
    return application


@pytest.fixture(scope="module")
def client(app):
    """TestClient of ``app`` (lifespan started: render pool running)."""
    with TestClient(app, raise_server_exceptions=False) as test_client:
        yield test_client


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    return _free_port()


@pytest.fixture
def closed_rpc_url() -> str:
    """An RPC URL where nothing listens: the chain is down."""
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture(name="service_settings")
def service_settings_fixture():
    """``service_settings(directory, chain, **overrides)`` as a fixture for test modules."""
    return service_settings


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Path]:
    """A throwaway PostgreSQL server (Debian's, `scripts/setup.sh --test`) listening only on a Unix
    socket; yields the socket's directory. Runs as the ``postgres`` user when the tests run as root."""
    bins = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not bins:
        pytest.fail("PostgreSQL is missing: run `bash scripts/setup.sh --test` (apt-get install postgresql)")
    bindir = bins[-1].parent
    root = Path(tempfile.mkdtemp(prefix="latentkin-pg-"))
    root.chmod(0o755)
    as_owner: list[str] = []
    if os.geteuid() == 0:
        shutil.chown(root, "postgres", "postgres")
        as_owner = ["runuser", "-u", "postgres", "--"]
    data, log = root / "data", root / "server.log"
    subprocess.run([*as_owner, bindir / "initdb", "-D", data, "-U", "latentkin", "--auth=trust",
                    "--encoding=UTF8", "--no-sync"], check=True, capture_output=True)
    options = f"-k {root} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
    subprocess.run([*as_owner, bindir / "pg_ctl", "-D", data, "-l", log, "-o", options, "-w", "start"],
                   check=True, capture_output=True)
    try:
        yield root
    finally:
        subprocess.run([*as_owner, bindir / "pg_ctl", "-D", data, "-m", "immediate", "stop"], capture_output=True)
        shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """SQLAlchemy URL of a new, empty database on the throwaway server (one per test)."""
    import psycopg

    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    with psycopg.connect(host=str(postgres_server), user="latentkin", dbname="postgres", autocommit=True) as db:
        db.execute(f'DROP DATABASE IF EXISTS "{name}"')
        db.execute(f'CREATE DATABASE "{name}"')
    return f"postgresql+psycopg://latentkin@/{name}?host={postgres_server}"
