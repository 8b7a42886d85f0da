"""Running the service under uvicorn: in this process, or as N worker processes sharing one socket.

Worker processes build their app from ``LATENTKIN_*`` variables (:func:`app_from_env`), which
:func:`serve` sets from the settings it was given; the indexer and the keeper never run inside
workers (one copy each, as ``latentkin index`` and ``latentkin keeper``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from offchain.api.http_guard import guarded_protocol
from offchain.api.metrics import MULTIPROC_ENV
from offchain.settings import Settings

if TYPE_CHECKING:
    from fastapi import FastAPI

WORKER_APP = "offchain.api.server:app_from_env"
WORKER_PROTOCOL = "offchain.api.http_guard:WorkerProtocol"
WORKER_START_TIMEOUT = 180  # seconds a worker may take to load torch and the renderers on a busy CPU


def uvicorn_options(settings: Settings, log_level: str = "info") -> dict[str, Any]:
    """Keyword arguments of ``uvicorn.run`` / ``uvicorn.Config`` for the service, safe without a proxy in front:
    its HTTP protocol bounds connections and the time and size of request headers (offchain/api/http_guard.py).

    No ``limit_concurrency``: uvicorn counts idle connections against it and answers in plain text;
    the app's own ConcurrencyLimit answers JSON 503 with Retry-After instead.
    """
    return {
        "host": settings.host,
        "port": settings.port,
        "log_level": log_level,
        "timeout_keep_alive": settings.keep_alive,
        "access_log": settings.access_log,
        "http": guarded_protocol(settings),
    }


def worker_settings(settings: Settings) -> Settings:
    """``settings`` for one of several workers: no indexer and no keeper inside, counters in the Prometheus
    client's multiprocess files (``metrics_dir``, default ``<data_dir>/metrics``) so /metrics sums them all."""
    return settings.model_copy(
        update={
            "index_in_service": False,
            "keeper_in_service": False,
            "metrics_dir": settings.metrics_dir or settings.data_dir / "metrics",
        }
    )


def empty_metrics_dir(directory: Path) -> None:
    """Create ``directory``, or delete the multiprocess files a previous run left there (their counts would be
    added to this run's)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.glob("*.db"):
        stale.unlink()


def app_from_env() -> FastAPI:
    """The app of a worker process (uvicorn's factory): settings from the environment."""
    from offchain.api.main import create_app

    return create_app(Settings())


def serve(settings: Settings, workers: int = 1, log_level: str = "info", app: str = WORKER_APP) -> None:
    """Serve until SIGINT/SIGTERM: in this process, or ``workers`` uvicorn worker processes, each building its
    app with the factory ``app`` names (a module path, as uvicorn takes it)."""
    import uvicorn

    if workers <= 1:
        from offchain.api.main import create_app

        uvicorn.run(create_app(settings), **uvicorn_options(settings, log_level))
        return
    settings = worker_settings(settings)
    assert settings.metrics_dir is not None
    empty_metrics_dir(settings.metrics_dir)
    os.environ.update(settings.to_env())  # the spawned workers read it
    os.environ[MULTIPROC_ENV] = str(settings.metrics_dir)  # read when a worker imports the Prometheus client
    options = uvicorn_options(settings, log_level) | {"http": WORKER_PROTOCOL}  # built in each worker
    uvicorn.run(app, factory=True, workers=workers, timeout_worker_healthcheck=WORKER_START_TIMEOUT, **options)
