"""A small closed-loop HTTP/1.1 keep-alive load generator (asyncio), bounded in requests and seconds.

Used by ``benchmarks/service.py`` and the production stack's test; talks to one host:port.
"""

from __future__ import annotations

import asyncio
import time
from typing import TypedDict

MAX_REQUESTS = 200_000  # per run, on top of the time bound


class LoadResult(TypedDict):
    """What one closed-loop run measured."""

    requests: int
    non_200: int
    non_200_by_status: dict[int, int]
    seconds: float
    rps: float


async def get(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, path: str) -> int:
    """One GET on a keep-alive connection; the status (the body is read and dropped). The caller
    reconnects when :func:`closing` says the server ends the connection after this answer."""
    writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".encode())
    head = await reader.readuntil(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        if line[:15].lower() == b"content-length:":
            length = int(line[15:])
        elif line.lower() == b"connection: close":
            writer.close()  # e.g. nginx after keepalive_requests answers on one connection
    if length:
        await reader.readexactly(length)
    return int(head[9:12])


async def closed_loop(
    port: int,
    paths: list[str],
    seconds: float,
    connections: int,
    host: str = "127.0.0.1",
    max_requests: int = MAX_REQUESTS,
) -> LoadResult:
    """``connections`` keep-alive clients cycling through ``paths`` for ``seconds``: requests, non-200
    answers (by status), requests/s."""
    done, statuses = 0, dict[int, int]()
    stop_at = time.perf_counter() + seconds

    async def client(offset: int) -> None:
        nonlocal done
        reader, writer = await asyncio.open_connection(host, port)
        i = offset
        try:
            while time.perf_counter() < stop_at and done < max_requests:
                if writer.is_closing():
                    reader, writer = await asyncio.open_connection(host, port)
                status = await get(reader, writer, paths[i % len(paths)])
                done += 1
                if status != 200:
                    statuses[status] = statuses.get(status, 0) + 1
                i += 1
        finally:
            writer.close()

    start = time.perf_counter()
    await asyncio.gather(*(client(k) for k in range(connections)))
    elapsed = time.perf_counter() - start
    return {
        "requests": done,
        "non_200": sum(statuses.values()),
        "non_200_by_status": statuses,
        "seconds": round(elapsed, 2),
        "rps": round(done / elapsed, 1),
    }


def run(port: int, paths: list[str], seconds: float, connections: int) -> LoadResult:
    """:func:`closed_loop` from synchronous code."""
    return asyncio.run(closed_loop(port, paths, seconds, connections))
