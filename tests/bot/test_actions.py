"""The actions' own unit tests need rasa_sdk, so they run in the bot's environment; their result counts here."""

import os
import subprocess

from tests.bot.conftest import BOT, QUIET


def test_the_actions_unit_tests_pass_in_the_bots_environment(bot_venv):
    done = subprocess.run(
        [str(bot_venv / "bin" / "python"), "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_actions.py"],
        cwd=BOT,
        env={**os.environ, **QUIET, "PYTHONPATH": str(BOT)},
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stdout[-4000:]
    assert " passed" in done.stdout and "failed" not in done.stdout
