"""Start the assistant as `make run` does (Rasa and its action server, from the trained model), for the browser
journey and `make bench`. The bot's environment is the one `make` built and named in BOT_VENV."""

import os
import socket
import subprocess
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BOT = ROOT / "bot"
QUIET = {"RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
         "PYTHONWARNINGS": "ignore"}  # fmt: skip


class AssistantDidNotStart(RuntimeError):
    pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Assistant:
    rasa: subprocess.Popen
    actions: subprocess.Popen
    rasa_url: str
    logs: list

    def stop(self) -> None:
        for process in (self.rasa, self.actions):
            if process.poll() is None:
                process.terminate()
                process.wait(timeout=30)
        for log in self.logs:
            log.close()


def _wait_for(url: str, seconds: int, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssistantDidNotStart(f"{url} stopped: " + log.read_text()[-3000:])
        try:
            with urllib.request.urlopen(url, timeout=1):
                return
        except OSError:
            time.sleep(0.5)
    raise AssistantDidNotStart(f"{url} did not answer in {seconds} s: " + log.read_text()[-3000:])


def start_assistant(folder: Path, portal_url: str, rasa_port: int | None = None) -> Assistant:
    venv = os.environ.get("BOT_VENV")
    if not venv:
        raise AssistantDidNotStart("BOT_VENV is not set: run through `make test` or `make bench`")
    rasa = str(Path(venv) / "bin" / "rasa")
    rasa_port, actions_port = rasa_port or free_port(), free_port()
    env = {**os.environ, **QUIET, "SANIC_HOST": "127.0.0.1", "PORTAL_INTERNAL_URL": portal_url,
           "ACTION_ENDPOINT_URL": f"http://127.0.0.1:{actions_port}/webhook",
           "RASA_TRACKER_DB": str(folder / "tracker.sqlite3")}  # fmt: skip
    logs = {name: folder / f"{name}.log" for name in ("actions", "rasa")}
    files = [logs["actions"].open("w"), logs["rasa"].open("w")]
    actions = subprocess.Popen(
        [rasa, "run", "actions", "--actions", "actions", "-p", str(actions_port)],
        cwd=BOT, env=env, stdout=files[0], stderr=subprocess.STDOUT,
    )  # fmt: skip
    server = subprocess.Popen(
        [rasa, "run", "-m", str((BOT / "models" / "current.tar.gz").resolve()), "-i", "127.0.0.1", "-p", str(rasa_port),
         "--credentials", "credentials.yml", "--endpoints", "endpoints.yml"],
        cwd=BOT, env=env, stdout=files[1], stderr=subprocess.STDOUT,
    )  # fmt: skip
    assistant = Assistant(server, actions, f"http://127.0.0.1:{rasa_port}", files)
    try:
        _wait_for(f"http://127.0.0.1:{actions_port}/health", 60, actions, logs["actions"])
        _wait_for(f"{assistant.rasa_url}/", 180, server, logs["rasa"])
    except AssistantDidNotStart:
        assistant.stop()
        raise
    return assistant
