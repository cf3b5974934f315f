"""The bot's glossary and help data are generated from content/: a stale copy fails here."""

import importlib.util

from tests.bot.conftest import BOT


def generator():
    spec = importlib.util.spec_from_file_location("bot_generate", BOT / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_generated_files_match_the_content_files():
    for path, text in generator().generated_files().items():
        assert path.read_text(encoding="utf-8") == text, f"{path} is stale: run `make bot-model`"


def test_every_term_and_topic_has_training_and_held_out_questions():
    import yaml

    from portal.content.load import load_content
    from tests.unit.content.test_load import CONTENT

    content = load_content(CONTENT)
    training = yaml.safe_load((BOT / "data" / "nlu" / "glossary.generated.yml").read_text())["nlu"]
    held_out = yaml.safe_load((BOT / "tests" / "glossary_heldout.generated.yml").read_text())["nlu"]
    process = yaml.safe_load((BOT / "data" / "nlu" / "process.yml").read_text())["nlu"]
    terms = {f"glossary/{term.id}" for term in content.glossary.terms}
    topics = {f"process/{topic.id}" for topic in content.help_topics.topics}
    assert {block["intent"] for block in training} == terms
    assert {block["intent"] for block in held_out} == terms
    assert {block["intent"] for block in process if block["intent"].startswith("process/")} == topics


def test_held_out_questions_are_never_trained_on():
    import yaml

    def examples(path):
        blocks = yaml.safe_load(path.read_text())["nlu"]
        return {
            line.strip()[2:].strip().lower()
            for block in blocks
            for line in block["examples"].splitlines()
            if line.strip()
        }

    trained = examples(BOT / "data" / "nlu" / "glossary.generated.yml") | examples(BOT / "data" / "nlu" / "process.yml")
    tested = examples(BOT / "tests" / "glossary_heldout.generated.yml") | examples(BOT / "tests" / "nlu_heldout.yml")
    assert trained & tested == set()


def test_the_portal_shows_every_message_the_bot_can_send():
    import yaml

    from portal.help.replies import MESSAGES

    shared = yaml.safe_load((BOT / "domain" / "_shared.yml").read_text())
    sent = {variant["custom"]["id"] for responses in shared["responses"].values() for variant in responses
            if variant["custom"]["kind"] == "message"}  # fmt: skip
    actions = (BOT / "actions" / "portal_records.py").read_text()
    assert sent <= set(MESSAGES)
    assert all(f'"id": "{message}"' in actions for message in ("sign_in_needed", "records_unavailable"))
