"""Settings of a service under test, and a real uvicorn serving it."""

from __future__ import annotations

import threading
from contextlib import contextmanager
from pathlib import Path

import uvicorn

from offchain.api.server import uvicorn_options
from offchain.settings import Settings
from support.chain import KinChain
from support.net import wait_until


def service_settings(directory: Path, chain: KinChain, **overrides) -> Settings:
    """Settings of a service over ``chain`` with its index and cache under ``directory``."""
    values = dict(
        database_url=f"sqlite:///{directory / 'index.sqlite3'}",
        cache_dir=directory / "cache",
        deployments_dir=chain.deployments_dir,
        public_base_url="http://testserver",
        confirmations=0,
        index_in_service=False,
        web_dir=directory / "no-web",
        indexer_stale_after=3600,
    )  # tests step the indexer by hand, long before they read /healthz
    values.update(overrides)
    return Settings(**values)


@contextmanager
def running(app, port):
    """uvicorn serving ``app`` in a thread, as `latentkin serve` does, until the block exits."""
    settings = app.state.services.settings.model_copy(update={"host": "127.0.0.1", "port": port})
    server = uvicorn.Server(uvicorn.Config(app, **uvicorn_options(settings, "warning")))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    wait_until(lambda: server.started, 20, "uvicorn to start", alive=thread.is_alive)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(20)
        assert not thread.is_alive()
