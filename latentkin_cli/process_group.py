"""Child processes in their own process group: dropping root for them, waiting for one to listen, stopping it."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

from latentkin_core.errors import LatentkinError


def wait_listening(proc: subprocess.Popen[bytes], address: str, timeout: float, what: str, log: Path) -> None:
    """Wait until ``address`` (host:port) accepts TCP connections; fail at once if ``proc`` exits."""
    host, port = address.rsplit(":", 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            tail = log.read_text(errors="replace")[-3000:] if log.exists() else ""
            raise LatentkinError(f"{what} exited ({proc.returncode}); {log}:\n{tail}")
        with socket.socket() as s:
            if s.connect_ex((host, int(port))) == 0:
                return
        time.sleep(0.1)
    raise LatentkinError(f"{what} did not listen on {address} within {timeout:g} s")


def stop_group(proc: subprocess.Popen[bytes] | None, first: signal.Signals = signal.SIGTERM, wait: float = 10) -> None:
    """Send ``first`` to ``proc``'s process group, SIGKILL it if it lingers (no-op once it exited)."""
    if proc is None or proc.poll() is not None:
        return
    for sig, seconds in ((first, wait), (signal.SIGKILL, 5)):
        try:
            os.killpg(proc.pid, sig)
        except ProcessLookupError:
            return
        try:
            proc.wait(seconds)
            return
        except subprocess.TimeoutExpired:
            continue


def as_user(user: str) -> list[str]:
    """Command prefix that runs a command as ``user`` when we are root (nothing otherwise)."""
    return ["runuser", "-u", user, "--"] if os.geteuid() == 0 else []


def reachable_by_others(path: Path) -> bool:
    """True if every existing ancestor of ``path`` may be traversed by any user."""
    return all(parent.stat().st_mode & 0o001 for parent in Path(path).resolve().parents if parent.exists())
