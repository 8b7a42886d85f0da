"""wrk (Debian's package) as the load tool of ``benchmarks/service.py --pairs``: one run, its figures parsed."""

from __future__ import annotations

import re
import shutil
import subprocess
from typing import TypedDict


class WrkResult(TypedDict):
    """What one wrk run printed."""

    rps: float
    requests: int
    non_2xx: int
    socket_errors: int
    p50_ms: float
    p99_ms: float


def _ms(text: str) -> float:
    value, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()  # type: ignore[union-attr]
    return float(value) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[unit]


def wrk(url: str, seconds: float, connections: int, threads: int = 1) -> WrkResult:
    """``wrk`` against ``url`` for ``seconds`` with ``connections`` keep-alive connections."""
    binary = shutil.which("wrk")
    if binary is None:
        raise SystemExit("wrk is missing: `bash scripts/setup.sh --stack` installs Debian's package")
    out = subprocess.run(
        [binary, f"-t{threads}", f"-c{connections}", f"-d{seconds:g}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    non_2xx = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    errors = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1)),  # type: ignore[union-attr]
        "requests": int(re.search(r"(\d+) requests in", out).group(1)),  # type: ignore[union-attr]
        "non_2xx": int(non_2xx.group(1)) if non_2xx else 0,
        "socket_errors": sum(int(n) for n in errors.groups()) if errors else 0,
        "p50_ms": _ms(re.search(r"50%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
        "p99_ms": _ms(re.search(r"99%\s+(\S+)", out).group(1)),  # type: ignore[union-attr]
    }
