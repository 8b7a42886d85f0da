"""uvicorn's options for the service (offchain/api/server.py)."""

from __future__ import annotations

import uvicorn

from offchain.api.server import uvicorn_options
from offchain.settings import Settings


def test_the_access_log_is_off_unless_asked_for(tmp_path):
    """uvicorn's access log cost a worker ~9 % of its CPU per /tokens/1 (py-spy, issue 25 item 8): off by default,
    also at `latentkin serve`'s log level (info), and on with LATENTKIN_ACCESS_LOG."""
    default = uvicorn.Config("offchain.api.server:app_from_env", **uvicorn_options(Settings(data_dir=tmp_path)))
    assert default.access_log is False
    asked = uvicorn.Config(
        "offchain.api.server:app_from_env", **uvicorn_options(Settings(data_dir=tmp_path, access_log=True))
    )
    assert asked.access_log is True
