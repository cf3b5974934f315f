"""The assistant's tests run Rasa's own tools in its Python 3.10 environment, which `make test` builds and names."""

import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"
QUIET = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
         "PYTHONWARNINGS": "ignore"}  # fmt: skip


@pytest.fixture(scope="session")
def bot_venv() -> Path:
    venv = os.environ.get("BOT_VENV")
    assert venv and (Path(venv) / "bin" / "rasa").exists(), "run the tests with `make test`: it builds the bot's venv"
    return Path(venv)


@pytest.fixture(scope="session")
def model() -> Path:
    current = BOT / "models" / "current.tar.gz"
    assert current.exists(), "run `make bot-model` (make test does) to train the assistant first"
    return current.resolve()


def run_rasa(bot_venv: Path, *args: str, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(bot_venv / "bin" / "rasa"), *args],
        cwd=BOT,
        env={**os.environ, **QUIET},
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def read_json(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
