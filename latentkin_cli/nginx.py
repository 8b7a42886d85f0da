"""nginx (Debian's package) in front of the API workers, unprivileged, from a prefix directory.

The configuration is ``deploy/nginx.conf`` with its ``{{name}}`` fields filled in; nginx runs in
the foreground (``daemon off``) in its own process group, as ``www-data`` when started by root
(as the invoking user otherwise), on a high port, with its pid, logs, temp files and image cache
under the prefix. Nothing is installed as a service.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import asdict, dataclass, replace
from pathlib import Path

from latentkin_cli.checkout import CHECKOUT
from latentkin_cli.process_group import as_user, reachable_by_others, stop_group, wait_listening
from latentkin_core.errors import LatentkinError
from offchain.settings import Settings

TEMPLATE = CHECKOUT / "deploy" / "nginx.conf"
NGINX = Path("/usr/sbin/nginx")
UNPRIVILEGED_USER = "www-data"  # Debian's nginx package creates it
START_TIMEOUT = 20.0


@dataclass
class NginxOptions:
    """The template's fields."""

    listen: str  # e.g. 127.0.0.1:8080
    upstream: str  # the API workers' socket, e.g. 127.0.0.1:8001
    prefix: Path
    worker_processes: str = "1"
    worker_connections: int = 8192
    rlimit_nofile: int = 16384
    client_timeout: int = 5
    conn_per_client: int = 512
    upstream_timeout: int = 60
    retry_after: int = 5
    cors_origin: str = "*"
    image_cache_size: str = "1g"
    max_body_bytes: int = Settings.model_fields["max_body_bytes"].default  # the workers' limit: set both alike
    image_root: Path = Path("/nonexistent")  # the workers' image cache (cache_dir); none: every image goes to them


def render_config(options: NginxOptions, template: Path = TEMPLATE) -> str:
    """``template`` with every ``{{name}}`` replaced by the option of that name (all must be given)."""
    values = {k: str(v) for k, v in asdict(options).items()}
    text = template.read_text()
    missing = sorted(set(re.findall(r"\{\{(\w+)\}\}", text)) - set(values))
    if missing:
        raise LatentkinError(f"{template} needs {', '.join(missing)}")
    return re.sub(r"\{\{(\w+)\}\}", lambda m: values[m.group(1)], text)


class Nginx:
    """One nginx master (and its workers) serving ``options``."""

    def __init__(self, options: NginxOptions, template: Path = TEMPLATE) -> None:
        self.options = options
        self.template = template
        self.proc: subprocess.Popen[bytes] | None = None
        self._own_prefix = False

    @property
    def config_path(self) -> Path:
        """The rendered configuration."""
        return self.options.prefix / "nginx.conf"

    def start(self) -> None:
        """Write the configuration, check it, start nginx and wait until it accepts connections."""
        if not NGINX.exists():
            raise LatentkinError("nginx is missing: `bash scripts/setup.sh --stack` installs Debian's package")
        if os.geteuid() == 0 and not reachable_by_others(self.options.prefix):
            # www-data could not reach it (e.g. under a 0700 directory): run from a temporary prefix
            self.options = replace(self.options, prefix=Path(tempfile.mkdtemp(prefix="latentkin-nginx-")))
            self._own_prefix = True
        prefix = self.options.prefix
        for sub in ("tmp", "cache"):
            (prefix / sub).mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(render_config(self.options, self.template))
        if os.geteuid() == 0:
            for path in [prefix, *prefix.rglob("*")]:
                shutil.chown(path, UNPRIVILEGED_USER, UNPRIVILEGED_USER)
        command = [
            *as_user(UNPRIVILEGED_USER),
            str(NGINX),
            "-p",
            str(prefix),
            "-c",
            str(self.config_path),
            "-e",
            "stderr",
        ]
        check = subprocess.run([*command, "-t", "-q"], capture_output=True, text=True)
        if check.returncode != 0:
            raise LatentkinError(f"nginx refuses {self.config_path}:\n{check.stderr}")
        with open(prefix / "nginx.stderr.log", "wb") as log:  # the child keeps its own copy of the descriptor
            self.proc = subprocess.Popen(
                command, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True
            )
        wait_listening(self.proc, self.options.listen, START_TIMEOUT, "nginx", prefix / "nginx.stderr.log")

    def stop(self) -> None:
        """SIGQUIT (graceful shutdown) the process group, SIGKILL it if it lingers."""
        stop_group(self.proc, signal.SIGQUIT)
        if self._own_prefix:
            shutil.rmtree(self.options.prefix, ignore_errors=True)
