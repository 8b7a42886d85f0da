"""A throw-away PostgreSQL cluster (Debian's server binaries) in a directory of our own.

Listens on a Unix socket in that directory only (no TCP port), trusts local connections, runs as
the ``postgres`` user when started by root. Used by `latentkin stack` (in ``var/stack/pg``) and by
the tests' ``postgres_server`` fixture.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from latentkin_cli.process_group import as_user, reachable_by_others
from latentkin_core.errors import LatentkinError

SERVER_USER = "postgres"  # Debian's postgresql package creates it
SUPERUSER = "latentkin"


def server_bindir() -> Path:
    """Directory of the newest installed server version's initdb/pg_ctl."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if not found:
        raise LatentkinError(
            "PostgreSQL is missing: `bash scripts/setup.sh --test` (or --stack) installs Debian's postgresql package"
        )
    return found[-1].parent


class PostgresCluster:
    """initdb + pg_ctl start/stop of one cluster under ``directory`` (``data/``, the socket, ``server.log``)."""

    def __init__(self, directory: Path | None = None) -> None:
        self.temporary = directory is None or (os.geteuid() == 0 and not reachable_by_others(directory))
        if directory is None or self.temporary:  # somewhere the server user can reach; the caller removes it
            directory = Path(tempfile.mkdtemp(prefix="latentkin-pg-"))
        self.directory = Path(directory)
        self.bindir = server_bindir()
        self._as_owner = as_user(SERVER_USER)

    @property
    def data(self) -> Path:
        """The cluster's data directory."""
        return self.directory / "data"

    @property
    def socket_dir(self) -> str:
        """Where the server's Unix socket is (the ``host`` of a connection)."""
        return str(self.directory)

    def url(self, database: str) -> str:
        """SQLAlchemy URL of ``database`` on this cluster."""
        return f"postgresql+psycopg://{SUPERUSER}@/{database}?host={self.directory}"

    def start(self) -> None:
        """Create the cluster if missing, then start the server and wait for it."""
        self.directory.mkdir(parents=True, exist_ok=True)
        self.directory.chmod(0o755)
        if self._as_owner:
            shutil.chown(self.directory, SERVER_USER, SERVER_USER)
        if not (self.data / "PG_VERSION").exists():
            self._run(
                self.bindir / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust", "--encoding=UTF8", "--no-sync"
            )
        options = f"-k {self.directory} -c listen_addresses='' -c fsync=off -c full_page_writes=off"
        self._run(
            self.bindir / "pg_ctl", "-D", self.data, "-l", self.directory / "server.log", "-o", options, "-w", "start"
        )

    def create_database(self, name: str, *, replace: bool = False) -> str:
        """Create ``name`` (dropping it first if ``replace``); returns its URL."""
        import psycopg

        with psycopg.connect(host=self.socket_dir, user=SUPERUSER, dbname="postgres", autocommit=True) as db:
            if replace:
                db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            exists = db.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
            if not exists:
                db.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        """Stop the server at once (the data stays)."""
        subprocess.run(
            [*self._as_owner, self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "stop"], capture_output=True
        )

    def _run(self, *command: str | Path) -> None:
        result = subprocess.run([*self._as_owner, *command], capture_output=True, text=True)
        if result.returncode != 0:
            raise LatentkinError(f"{Path(command[0]).name} failed: {result.stderr or result.stdout}")
