"""SPEC §3: environment over TOML, defaults, and one clear line for a bad setting."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import DEFAULT_API, ConfigError, load_settings


def test_defaults_apply_when_nothing_is_set() -> None:
    settings = load_settings(env={})
    assert settings.api_url == DEFAULT_API
    assert settings.database_url == "sqlite:///gridbot.db"
    assert settings.timezone.key == "Asia/Shanghai"
    assert settings.taxonomy is None and settings.token is None


def test_environment_overrides_the_toml_file(tmp_path: Path) -> None:
    config = tmp_path / "gridbot.toml"
    config.write_text('GRIDBOT_TIMEZONE = "Asia/Taipei"\ndatabase_url = "sqlite:///x.db"\n')
    settings = load_settings(str(config), env={"GRIDBOT_TIMEZONE": "Asia/Urumqi"})
    assert settings.timezone.key == "Asia/Urumqi"
    assert settings.database_url == "sqlite:///x.db"


def test_config_file_from_gridbot_config_variable(tmp_path: Path) -> None:
    config = tmp_path / "gridbot.toml"
    config.write_text('[gridbot]\nGRIDBOT_TELEGRAM_API = "http://127.0.0.1:8081/bot"\n')
    settings = load_settings(env={"GRIDBOT_CONFIG": str(config)})
    assert settings.api_url == "http://127.0.0.1:8081/bot"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("GRIDBOT_TIMEZONE", "Mars/Olympus"),
        ("GRIDBOT_DATABASE_URL", "mysql://x"),
        ("GRIDBOT_TELEGRAM_API", "ftp://x"),
        ("GRIDBOT_TAXONOMY", "/no/such/file.toml"),
        ("GRIDBOT_QUIET_HOURS", "late"),
        ("GRIDBOT_HTTP_CLIENT", "curl"),
    ],
)
def test_bad_setting_names_itself(name: str, value: str) -> None:
    with pytest.raises(ConfigError, match=name):
        load_settings(env={name: value})


def test_token_is_masked_in_repr_and_required_for_run() -> None:
    settings = load_settings(env={"TELEGRAM_BOT_TOKEN": "123:SECRET"})
    assert "SECRET" not in repr(settings) and settings.require_token() == "123:SECRET"
    with pytest.raises(ConfigError, match="TELEGRAM_BOT_TOKEN"):
        load_settings(env={}).require_token()


def test_run_without_token_ends_with_one_clear_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "TELEGRAM_BOT_TOKEN"}
    env["GRIDBOT_DATABASE_URL"] = f"sqlite:///{tmp_path / 'g.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "run"],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "TELEGRAM_BOT_TOKEN" in done.stderr
    assert "Traceback" not in done.stderr


def test_bad_database_url_from_cli_is_one_line(tmp_path: Path) -> None:
    env = dict(os.environ, GRIDBOT_DATABASE_URL="oracle://nowhere")
    done = subprocess.run(
        [sys.executable, "-m", "handlers.cli", "export", "--out", str(tmp_path / "x.csv")],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2 and "GRIDBOT_DATABASE_URL" in done.stderr
    assert "Traceback" not in done.stderr
