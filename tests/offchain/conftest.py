"""Service fixtures: an eth-tester chain with LatentKin deployed and a family of characters on it,
a torch-free test renderer (the real one where a test asks for ``shipped_renderer``), and the
FastAPI app over that chain with its SQLite index in a temp folder.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from latentkin_cli.postgres import PostgresCluster
from latentkin_core.errors import LatentkinError
from latentkin_core.genome import FusionMode
from offchain.api.main import create_app
from support.chain import KinChain, make_chain
from support.net import free_port as _free_port
from support.renderers import PixelRenderer, shipped_renderer
from support.service import service_settings

GEN0 = 8  # founders minted by the populated chain


@pytest.fixture(scope="session")
def renderer() -> PixelRenderer:
    """The service tests' renderer: deterministic pixels, no torch."""
    return PixelRenderer()


@pytest.fixture(scope="session")
def real_renderer():
    """The shipped generator (torch), for tests that check the service serves what it draws."""
    return shipped_renderer()


@pytest.fixture(scope="session")
def kin_chain(tmp_path_factory, renderer) -> KinChain:
    """8 founders (#4 and #8 owned by account 1), #9 = 1×2, #10 = 3×5 (blend), #11 = 9×10 (generation 2).

    Shared by every test that only reads; tests that change the chain use ``fresh_kin``.
    """
    chain = make_chain(tmp_path_factory.mktemp("deployments"), renderer.renderer_hash())
    for k in range(GEN0):
        chain.mint(chain.accounts[1] if k % 4 == 3 else None)
    chain.fuse(1, 2)
    chain.fuse(3, 5, FusionMode.BLEND)
    chain.fuse(9, 10)
    return chain


@pytest.fixture
def fresh_kin(tmp_path) -> KinChain:
    """A chain of its own with two founders, for tests that mine, revert or fork it."""
    chain = make_chain(tmp_path / "deployments")
    chain.mint()
    chain.mint()
    return chain


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


@pytest.fixture
def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    return _free_port()


@pytest.fixture
def closed_rpc_url() -> str:
    """An RPC URL where nothing listens: the chain is down."""
    return f"http://127.0.0.1:{_free_port()}"


@pytest.fixture(name="service_settings", scope="session")
def service_settings_fixture():
    """``service_settings(directory, chain, **overrides)`` as a fixture for test modules."""
    return service_settings


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[Path]:
    """A throwaway PostgreSQL server (latentkin_cli/postgres.py: Debian's, `scripts/setup.sh --test`) listening
    only on a Unix socket; yields the socket's directory."""
    try:
        cluster = PostgresCluster()
    except LatentkinError as exc:
        pytest.fail(str(exc))
    cluster.start()
    try:
        yield cluster.directory
    finally:
        cluster.stop()
        shutil.rmtree(cluster.directory, ignore_errors=True)


@pytest.fixture
def postgres_url(postgres_server, request) -> str:
    """SQLAlchemy URL of a new, empty database on the throwaway server (one per test)."""
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return PostgresCluster(postgres_server).create_database(name, replace=True)
