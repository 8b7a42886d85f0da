"""The one settings object of the off-chain service, read from ``LATENTKIN_*`` environment variables.

Served to the API through ``Depends(get_settings)`` (see offchain/api/deps.py) so tests override it;
nothing here is an import-time singleton.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

WEB_DIST = Path(__file__).resolve().parent / "web" / "dist"  # the built page, shipped inside the package


def default_data_dir() -> Path:
    """Where the service keeps its state unless told otherwise: ``$XDG_DATA_HOME/latentkin``
    (``~/.local/share/latentkin``), never inside the source tree or the installed package."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "latentkin"


class Settings(BaseSettings):
    """Everything the chain reader, indexer, renderer pool and HTTP service can be tuned with."""

    model_config = SettingsConfigDict(env_prefix="LATENTKIN_", extra="ignore")

    # -- chain ---------------------------------------------------------------------------------
    rpc_url: str = Field("http://127.0.0.1:8545", description="JSON-RPC endpoint of the chain.")
    rpc_timeout: float = Field(5.0, gt=0, description="Seconds before an RPC call counts as failed.")
    rpc_cooldown: float = Field(
        5.0,
        ge=0,
        description="Seconds after a failed RPC call during which chain "
        "lookups answer 503 at once instead of waiting on the node again.",
    )
    rpc_max_in_flight: int = Field(
        8,
        ge=1,
        description="Most RPC calls waiting on the node at once; one more "
        "answers 503 at once (a hung node never holds more worker threads).",
    )
    data_dir: Path = Field(
        default_factory=default_data_dir,
        description="Folder of the service's state; "
        "the defaults of deployments_dir, database_url and cache_dir lie inside it.",
    )
    deployment_file: Path | None = Field(
        None,
        description="deployments/<chainId>.json written by `latentkin deploy`; default: "
        "<deployments_dir>/<chainId of rpc_url>.json",
    )
    deployments_dir: Path = Field(
        default_factory=lambda data: data["data_dir"] / "deployments",
        description="Where `latentkin deploy` records deployments/<chainId>.json.",
    )
    private_key: SecretStr | None = Field(None, description="Hex key the CLI signs with.")
    keystore: Path | None = Field(None, description="eth-account keystore file the CLI signs with.")
    keeper_key: SecretStr | None = Field(
        None,
        description="Hex key of a funded account: if set, the service runs a keeper that completes "
        "every due fusion and public-mint request (for anyone) a block or two after its reveal.",
    )

    seaport_address: str | None = Field(
        None,
        pattern=r"^0x[0-9a-fA-F]{40}$",
        description="Seaport 1.6 on a chain whose deployment record names none (default: its canonical address).",
    )
    conduit_controller_address: str | None = Field(
        None,
        pattern=r"^0x[0-9a-fA-F]{40}$",
        description="The ConduitController the configured Seaport was deployed with (required with a Seaport "
        "other than the canonical one; default: the canonical controller).",
    )
    weth_address: str | None = Field(
        None,
        pattern=r"^0x[0-9a-fA-F]{40}$",
        description="WETH offers are made in, "
        "on a chain whose deployment record names none (default: known per chain).",
    )
    zone_address: str | None = Field(
        None,
        pattern=r"^0x[0-9a-fA-F]{40}$",
        description="The collection's "
        "LatentKinZone, which protected listings and offers name, on a chain whose "
        "deployment record names none (default: the record's; without one, orders "
        "are open and the order book refuses them).",
    )

    # -- storage -------------------------------------------------------------------------------
    database_url: str = Field(
        default_factory=lambda data: f"sqlite:///{data['data_dir'] / 'latentkin.sqlite3'}",
        description="SQLAlchemy URL: sqlite:///file or postgresql://…",
    )
    cache_dir: Path = Field(
        default_factory=lambda data: data["data_dir"] / "cache", description="Rendered PNGs on disk."
    )
    image_cache_bytes: int = Field(
        1 << 30,
        ge=0,
        description="Most bytes of rendered PNGs kept on disk (per "
        "service process); the least recently used are deleted beyond it.",
    )

    # -- indexer -------------------------------------------------------------------------------
    confirmations: int = Field(2, ge=0, description="Blocks to wait before indexing a block.")
    index_in_service: bool = Field(True, description="Run the indexer inside `latentkin serve`.")
    keeper_in_service: bool = Field(
        True,
        description="Run the keeper inside `latentkin serve` when keeper_key "
        "is set (never with several workers: then `latentkin keeper` runs it).",
    )
    poll_interval: float = Field(1.0, gt=0, description="Seconds between indexer polls.")
    indexer_stale_after: float = Field(
        60.0,
        gt=0,
        description="Seconds without a heartbeat from a separate indexer process before /healthz calls it not running.",
    )
    index_batch_blocks: int = Field(2000, ge=1, description="Most blocks read per eth_getLogs.")

    # -- HTTP ----------------------------------------------------------------------------------
    public_base_url: str = Field(
        "http://127.0.0.1:8000", description="Where the service is reachable; used in metadata URLs."
    )
    public_rpc_url: str | None = Field(
        None, description="RPC URL wallets may add (shown in /config.json); never the private rpc_url."
    )
    host: str = "127.0.0.1"
    port: int = Field(8000, ge=0, le=65535)
    retry_after: int = Field(5, ge=1, description="Retry-After seconds sent with a 503.")
    cors_origins: list[str] = Field(
        ["*"],
        description="Origins whose pages may read the API (CORS); metadata and images are public, so any by default.",
    )
    max_concurrency: int = Field(
        1000,
        ge=1,
        description="Requests in progress (per worker) before the service "
        "answers 503 JSON with Retry-After; idle connections do not count (nginx bounds those).",
    )
    keep_alive: int = Field(5, ge=1, description="Seconds uvicorn keeps an idle keep-alive connection open.")
    access_log: bool = Field(
        False,
        description="uvicorn's access log, a line per request: off by default (it cost a worker ~9 % of its CPU per "
        "request; /metrics counts requests per route and status, and nginx can log them in front).",
    )
    max_body_bytes: int = Field(
        64 * 1024,
        ge=1024,
        description="Largest request body accepted (413 beyond it); the API's only body, a signed order, is a few KB.",
    )
    max_json_depth: int = Field(
        32,
        ge=4,
        le=1000,
        description="Deepest nesting of arrays and objects in a request body (422 beyond it; an order nests 4 deep).",
    )
    body_timeout: float = Field(10.0, gt=0, description="Seconds a client has to send a request body (408 after).")
    header_timeout: float = Field(
        10.0,
        gt=0,
        description="Seconds a client has to send a request's headers, "
        "from connecting or from the end of its previous request (then closed).",
    )
    max_header_bytes: int = Field(
        32 * 1024,
        ge=1024,
        description="Largest request head (request line and "
        "headers); the connection is answered 431 and closed beyond it.",
    )
    max_connections: int = Field(
        2048,
        ge=1,
        description="Open connections per worker; one more is closed at "
        "once (the bound on sockets that `serve` holds without nginx in front).",
    )
    metrics_dir: Path | None = Field(
        None,
        description="Folder of the Prometheus client's multiprocess mode (its PROMETHEUS_MULTIPROC_DIR): every "
        "worker process writes its counters there and /metrics sums them. `serve` with more than one worker uses "
        "<data_dir>/metrics when unset, emptied at start; unset with one worker: counters in memory.",
    )
    page_limit_max: int = Field(100, ge=1)
    family_depth_max: int = Field(6, ge=1)
    family_nodes_max: int = Field(500, ge=1, description="Most tokens one family tree may hold.")
    web_dir: Path = Field(WEB_DIST, description="Built web page served at / when present.")

    # -- rendering -----------------------------------------------------------------------------
    renderer_path: Path | None = Field(
        None,
        description="Default renderer weights (served until the contract "
        "names another loaded one); None = the shipped default (v2, 128 px).",
    )
    renderer_paths: list[Path] = Field(
        [], description="More renderer weights served by hash (?v=) beside the default and the shipped ones."
    )
    image_sizes: list[int] = Field([64, 128, 256, 512], description="Image sizes offered, pixels.")
    image_default_size: int = 256
    render_batch_max: int = Field(16, ge=1, description="Most images rendered in one batch.")
    render_queue_max: int = Field(256, ge=1, description="Queued renders before 503.")
    render_timeout: float = Field(60.0, gt=0, description="Seconds a request waits for a render.")
    render_threads: int = Field(
        1, ge=1, description="Renderer worker threads, one torch thread each: speed, never pixels."
    )
    preview_max: int = Field(16, ge=1, description="Most children one fusion preview renders.")

    @field_validator("public_base_url")
    @classmethod
    def _strip_slash(cls, value: str) -> str:
        return value.rstrip("/")

    @field_validator("image_sizes")
    @classmethod
    def _sizes_sane(cls, value: list[int]) -> list[int]:
        if not value or any(not 16 <= s <= 2048 for s in value):
            raise ValueError("image sizes must be between 16 and 2048 pixels")
        return sorted(set(value))

    @model_validator(mode="after")
    def _default_size_offered(self) -> Settings:
        if self.image_default_size not in self.image_sizes:
            raise ValueError(
                f"image_default_size {self.image_default_size} is not one of image_sizes {self.image_sizes}"
            )
        return self

    def to_env(self) -> dict[str, str]:
        """These settings as ``LATENTKIN_*`` variables (for child processes: workers, indexer)."""
        env = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, SecretStr):
                value = value.get_secret_value()
            if isinstance(value, list):
                value = json.dumps([str(v) if isinstance(v, Path) else v for v in value])
            elif isinstance(value, bool):
                value = "true" if value else "false"
            env[f"LATENTKIN_{name.upper()}"] = str(value)
        return env


def get_settings() -> Settings:
    """Fresh settings from the environment (the FastAPI dependency; tests override it)."""
    return Settings()
