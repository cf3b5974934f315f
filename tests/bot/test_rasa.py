"""Rasa's own checks on the real, trained model: the data is consistent, conversations go as written, and
the held-out questions (other phrasings, typos) are understood at least 95% of the time."""

import pytest

from tests.bot.conftest import BOT, read_json, run_rasa

THRESHOLD = 0.95
# Issue #7 asks 95% for intents too. Two held-out sets are scored together: nlu_heldout.yml (other hands, typos,
# "yo", "what now") and nlu_heldout_fresh.yml, written blind from the domain before the training data was read.
# Once at 92%, with the small intents outvoted by the two big ones, they reach 95.9% and 96.4% with more varied
# examples for the small intents and hidden layers in DIET (bot/config.yml). Never train on either set (32 short
# phrases of the fresh set, like "hiya" or "ta", were already in training by coincidence; the rest is unseen).
INTENT_THRESHOLD = 0.95
HELD_OUT = ("nlu_heldout.yml", "nlu_heldout_fresh.yml", "glossary_heldout.generated.yml")


def test_the_data_validates_with_no_warnings(bot_venv):
    done = run_rasa(bot_venv, "data", "validate", "--domain", "domain", "--data", "data", "--config", "config.yml",
                    "--fail-on-warnings")  # fmt: skip
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]


def test_every_conversation_goes_as_written(bot_venv, model, tmp_path):
    done = run_rasa(bot_venv, "test", "core", "--model", str(model), "--stories", "tests/test_stories.yml",
                    "--out", str(tmp_path), "--fail-on-prediction-errors", "--no-plot")  # fmt: skip
    assert done.returncode == 0, (
        (tmp_path / "failed_test_stories.yml").read_text()
        if (tmp_path / "failed_test_stories.yml").exists()
        else done.stderr[-3000:]
    )


@pytest.fixture(scope="module")
def held_out_results(bot_venv, model, tmp_path_factory):
    out = tmp_path_factory.mktemp("nlu")
    held_out = out / "held_out"
    held_out.mkdir()
    for name in HELD_OUT:
        (held_out / name).write_text((BOT / "tests" / name).read_text())
    done = run_rasa(bot_venv, "test", "nlu", "--model", str(model), "--nlu", str(held_out), "--out", str(out),
                    "--no-plot", "--successes")  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    return out


def test_intents_are_understood_on_questions_never_seen(held_out_results):
    report = read_json(held_out_results / "intent_report.json")
    assert report["accuracy"] >= INTENT_THRESHOLD, _misses(held_out_results / "intent_errors.json")


def test_the_right_glossary_term_is_chosen_on_questions_never_seen(held_out_results):
    report = read_json(held_out_results / "response_selection_report.json")
    chosen = {key: value for key, value in report.items() if key.startswith("glossary/")}
    right = sum(value["support"] * value["recall"] for value in chosen.values())
    asked = sum(value["support"] for value in chosen.values())
    assert asked and right / asked >= THRESHOLD, f"{right / asked:.3f}: " + _misses(
        held_out_results / "response_selection_errors.json"
    )


def _misses(path):
    if not path.exists():
        return ""
    return "\n".join(f"{miss['text']!r}" for miss in read_json(path)[:30])


# Which of 21 help topics a question is about is harder than which of 53 words: the held-out questions there were
# written by a different hand, with typos, and the bar is lower. The answer also names the topic, so a near miss
# still shows the person a relevant page, and "did you mean…?" offers the nearest topics when unsure.
TOPIC_THRESHOLD = 0.75


def test_the_right_help_topic_is_chosen_most_of_the_time(held_out_results):
    report = read_json(held_out_results / "response_selection_report.json")
    chosen = {key: value for key, value in report.items() if key.startswith("process/")}
    right = sum(value["support"] * value["recall"] for value in chosen.values())
    asked = sum(value["support"] for value in chosen.values())
    assert asked and right / asked >= TOPIC_THRESHOLD, f"{right / asked:.3f}"
