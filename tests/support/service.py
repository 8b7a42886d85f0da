"""Settings of a service under test."""

from __future__ import annotations

from pathlib import Path

from offchain.settings import Settings
from support.chain import KinChain


def service_settings(directory: Path, chain: KinChain, **overrides) -> Settings:
    """Settings of a service over ``chain`` with its index and cache under ``directory``."""
    values = dict(database_url=f"sqlite:///{directory / 'index.sqlite3'}",
                  cache_dir=directory / "cache", deployments_dir=chain.deployments_dir,
                  public_base_url="http://testserver", confirmations=0, index_in_service=False,
                  web_dir=directory / "no-web",
                  indexer_stale_after=3600)  # tests step the indexer by hand, long before they read /healthz
    values.update(overrides)
    return Settings(**values)
