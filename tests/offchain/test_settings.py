"""The one settings class: LATENTKIN_* environment variables, validated."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

import offchain
from offchain.settings import Settings


def test_environment_prefix(monkeypatch, tmp_path):
    monkeypatch.setenv("LATENTKIN_RPC_URL", "http://node.test:8545")
    monkeypatch.setenv("LATENTKIN_DATABASE_URL", "postgresql://kin@db/kin")
    monkeypatch.setenv("LATENTKIN_CONFIRMATIONS", "12")
    monkeypatch.setenv("LATENTKIN_IMAGE_SIZES", "[512, 64, 64]")
    monkeypatch.setenv("LATENTKIN_IMAGE_DEFAULT_SIZE", "512")
    monkeypatch.setenv("LATENTKIN_PUBLIC_BASE_URL", "https://kin.example/")
    settings = Settings()
    assert settings.rpc_url == "http://node.test:8545" and settings.confirmations == 12
    assert settings.database_url.startswith("postgresql")
    assert settings.image_sizes == [64, 512]
    assert settings.public_base_url == "https://kin.example"


@pytest.mark.parametrize(
    "bad",
    [
        {"confirmations": -1},
        {"image_sizes": [8]},
        {"image_sizes": []},
        {"image_default_size": 100},
        {"render_queue_max": 0},
    ],
)
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        Settings(**bad)


def test_settings_survive_the_trip_through_environment_variables(monkeypatch, tmp_path):
    settings = Settings(
        rpc_url="http://127.0.0.1:9",
        keeper_key="0x" + "11" * 32,
        cors_origins=["https://a.test"],
        renderer_paths=[tmp_path / "w.safetensors"],
        image_sizes=[64, 128],
        image_default_size=64,
        index_in_service=False,
        rpc_cooldown=2.5,
    )
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)
    assert Settings() == settings


def test_every_default_path_lies_in_the_data_dir_outside_the_source_tree(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    settings = Settings()
    home = tmp_path / "xdg" / "latentkin"
    assert settings.data_dir == home
    assert settings.deployments_dir == home / "deployments"
    assert settings.cache_dir == home / "cache"
    assert settings.database_url == f"sqlite:///{home / 'latentkin.sqlite3'}"
    source_tree = Path(offchain.__file__).resolve().parent.parent
    for path in (settings.deployments_dir, settings.cache_dir):
        assert not path.resolve().is_relative_to(source_tree)


def test_latentkin_data_dir_moves_every_default_and_explicit_paths_win(monkeypatch, tmp_path):
    monkeypatch.setenv("LATENTKIN_DATA_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("LATENTKIN_CACHE_DIR", str(tmp_path / "fast-disk"))
    settings = Settings()
    assert settings.deployments_dir == tmp_path / "state" / "deployments"
    assert settings.database_url == f"sqlite:///{tmp_path / 'state' / 'latentkin.sqlite3'}"
    assert settings.cache_dir == tmp_path / "fast-disk"
    assert Settings(**{k: v for k, v in settings.model_dump().items()}) == settings
