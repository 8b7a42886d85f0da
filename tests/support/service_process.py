"""The service as a process of its own, served by uvicorn exactly as ``latentkin serve`` serves one worker
(``uvicorn.run(app, **uvicorn_options(settings))``), for tests that must see it survive: a crash there
kills the process, not the test. Settings come from ``LATENTKIN_*`` variables; the renderer is the
torch-free :class:`support.renderers.PixelRenderer` so the process starts in seconds.

Run as ``python -m support.service_process`` with ``tests/`` on ``PYTHONPATH`` (what :func:`service_process`
does).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from support.net import free_port, wait_until

REPO_ROOT = Path(__file__).resolve().parents[2]


class ServiceProcess:
    """A running service process: its base URL, and whether it is still alive."""

    def __init__(self, process: subprocess.Popen, base_url: str, log: Path) -> None:
        self.process = process
        self.base_url = base_url
        self.log = log

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def answers(self) -> bool:
        """True if the process runs and answers ``/healthz`` (any JSON status: the chain may be down)."""
        if not self.alive():
            return False
        try:
            return httpx.get(f"{self.base_url}/healthz", timeout=10).status_code in (200, 503)
        except httpx.HTTPError:
            return False

    def output(self) -> str:
        """What the process printed so far (with its exit code if it has ended)."""
        code = self.process.poll()
        return self.log.read_text(errors="replace")[-4000:] + (f"\n[exit code {code}]" if code is not None else "")


@contextmanager
def service_process(directory: Path, workers: int = 1, **settings: str) -> Iterator[ServiceProcess]:
    """A service process on a free port of 127.0.0.1, its index under ``directory``, over an unreachable
    chain unless ``settings`` (``LATENTKIN_*`` names without the prefix, lower case) say otherwise; with
    ``workers`` > 1, served as `latentkin serve --workers N` serves (offchain.api.server.serve)."""
    port = free_port()
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(REPO_ROOT / "tests"), str(REPO_ROOT)]),
        "LATENTKIN_HOST": "127.0.0.1",
        "LATENTKIN_PORT": str(port),
        "LATENTKIN_RPC_URL": f"http://127.0.0.1:{free_port()}",
        "LATENTKIN_RPC_TIMEOUT": "1",
        "LATENTKIN_DEPLOYMENTS_DIR": str(directory / "no-deployments"),
        "LATENTKIN_DATABASE_URL": f"sqlite:///{directory / 'index.sqlite3'}",
        "LATENTKIN_CACHE_DIR": str(directory / "cache"),
        "LATENTKIN_WEB_DIR": str(directory / "no-web"),
        "LATENTKIN_INDEX_IN_SERVICE": "false",
    }
    env.update({f"LATENTKIN_{name.upper()}": value for name, value in settings.items()})
    log = directory / f"service-{port}.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "support.service_process", str(workers)],
            cwd=REPO_ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    service = ServiceProcess(process, f"http://127.0.0.1:{port}", log)
    try:
        wait_until(
            service.answers,
            120,
            "the service process to answer /healthz",
            interval=0.2,
            alive=service.alive,
            details=service.output,
        )
        yield service
    finally:
        if service.alive():
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def main() -> None:
    """Serve the app of the environment's settings until SIGTERM, as `latentkin serve` does."""
    import uvicorn

    from offchain.api.main import create_app
    from offchain.api.server import serve, uvicorn_options
    from offchain.settings import Settings
    from support.renderers import PixelRenderer

    settings = Settings()
    workers = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    if workers > 1:
        serve(settings, workers, "warning", app="support.service_process:pixel_app_from_env")
        return
    uvicorn.run(create_app(settings, renderer=PixelRenderer()), **uvicorn_options(settings, "warning"))


def pixel_app_from_env():
    """A worker's app, as offchain.api.server.app_from_env builds it, with the torch-free renderer."""
    from offchain.api.main import create_app
    from offchain.settings import Settings
    from support.renderers import PixelRenderer

    return create_app(Settings(), renderer=PixelRenderer())


if __name__ == "__main__":
    main()
