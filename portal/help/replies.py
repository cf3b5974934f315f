"""What the assistant says, as the portal shows it: ids of checked content and figures, put into words here.

The assistant understands (in English); the portal speaks. Its answers name a glossary term, a help topic, or
one of the messages below, and the portal shows them from the content files through Babel, in the reader's
language, with the council's own contact details. Nothing the assistant sends is shown as it came.
"""

from flask_babel import lazy_gettext as _l

from portal.content.load import Content

# The assistant's own words, by id. The bot's domain names these ids; `tests/bot` checks both lists match.
MESSAGES = {
    "greet": _l(
        "Hello. I can explain words like “direct payment” and how getting support works. What would you like to know?"
    ),
    "goodbye": _l("Goodbye. You can come back and ask at any time."),
    "thank": _l("You are welcome. Is there anything else you would like to know?"),
    "bot_challenge": _l(
        "I am an automated assistant, not a person. I can explain words and how the process works, and point you to "
        "the right page. To talk to a person, call or email the council: the details are below."
    ),
    "out_of_scope": _l(
        "Sorry, I can only help with care and support: your self-assessment, your budget, your support plan and "
        "spending it. For anything else, contact the council."
    ),
    "didnt_understand": _l("Sorry, I did not understand that. Did you mean one of these?"),
    "sign_in_needed": _l("To answer that I need to know who you are. Sign in, then ask me again."),
    "no_records": _l("I could not find that in your records yet."),
    "records_unavailable": _l("I cannot look at your records just now. Your dashboard shows the same information."),
}
# Kinds of answer the portal knows how to show; anything else the assistant sends is dropped.
KINDS = frozenset({"glossary", "process", "message", "crisis", "contact", "choices", "balance", "next_step"})
MAX_CHOICES = 4


def from_assistant(replies: list[dict], content: Content) -> list[dict]:
    """Keep only answers the portal can show, checked against the content they name."""
    shown: list[dict] = []
    for reply in replies:
        said = reply.get("custom")
        if isinstance(said, dict) and _understood(said, content):
            shown.append(said)
    if not shown:
        shown.append({"kind": "message", "id": "didnt_understand", "choices": []})
    return shown


def _understood(said: dict, content: Content) -> bool:
    kind = said.get("kind")
    if kind not in KINDS:
        return False
    if kind == "glossary":
        return content.glossary.term(str(said.get("term"))) is not None
    if kind == "process":
        return content.help_topics.topic(str(said.get("topic"))) is not None
    if kind == "message":
        return said.get("id") in MESSAGES
    if kind == "choices":
        options = said.get("options")
        if not isinstance(options, list):
            return False
        said["options"] = [option for option in options[:MAX_CHOICES] if _known_option(option, content)]
        return bool(said["options"])
    if kind in ("balance", "next_step"):
        return isinstance(said.get("people"), list)
    return True


def _known_option(option: object, content: Content) -> bool:
    if not isinstance(option, dict):
        return False
    if option.get("term"):
        return content.glossary.term(str(option["term"])) is not None
    return content.help_topics.topic(str(option.get("topic"))) is not None


def unavailable() -> dict:
    """The answer when the assistant cannot be reached: said plainly, with what works without it."""
    return {"kind": "unavailable"}
