"""A directory that refuses writes, for the "disk full" paths: a tiny tmpfs filled to the brim when
the tests may mount one (root), else a directory made read-only."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


@contextmanager
def full_disk(directory: Path) -> Iterator[tuple[Path, str]]:
    """Yield (a directory where creating a file fails, how: "tmpfs full" or "read-only")."""
    directory.mkdir(parents=True, exist_ok=True)
    mounted = (
        os.geteuid() == 0
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=64k,nr_inodes=64", "tmpfs", str(directory)], capture_output=True
        ).returncode
        == 0
    )
    try:
        if mounted:
            fd = os.open(directory / "filler", os.O_WRONLY | os.O_CREAT)
            try:  # fill it: the next write gets ENOSPC
                while os.write(fd, b"\0" * 4096):
                    pass
            except OSError:
                pass
            finally:
                os.close(fd)
            yield directory, "tmpfs full"
        else:  # pragma: no cover - runs only where mounting is not allowed
            directory.chmod(0o500)
            yield directory, "read-only"
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(directory)], check=True)
        else:
            directory.chmod(0o700)
