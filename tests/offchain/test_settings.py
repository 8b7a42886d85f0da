"""The one settings class: LATENTKIN_* environment variables, validated."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

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


@pytest.mark.parametrize("bad", [{"confirmations": -1}, {"image_sizes": [8]}, {"image_sizes": []},
                                 {"image_default_size": 100}, {"render_queue_max": 0}])
def test_invalid_settings_are_refused(bad):
    with pytest.raises(ValidationError):
        Settings(**bad)


def test_settings_survive_the_trip_through_environment_variables(monkeypatch, tmp_path):
    settings = Settings(rpc_url="http://127.0.0.1:9", keeper_key="0x" + "11" * 32, cors_origins=["https://a.test"],
                        renderer_paths=[tmp_path / "w.safetensors"], image_sizes=[64, 128], image_default_size=64,
                        index_in_service=False, rpc_cooldown=2.5)
    for name, value in settings.to_env().items():
        monkeypatch.setenv(name, value)
    assert Settings() == settings
