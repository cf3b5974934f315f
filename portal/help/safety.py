"""Safety first: words that mean someone may be in danger get the emergency contacts at once.

The assistant has its own "crisis" intent; this is the net under it, so the contacts are given even when the
assistant is unsure, busy or not running at all. Better a needless reminder than a missed cry for help.
"""

import re

DANGER = re.compile(
    r"kill(ing)? (my ?self|me)|suicid|end (it all|my life)|self[- ]?harm|(harm|hurt)(ing)? my ?self"
    r"|(don'?t|do not) want to (live|be here|be alive)|want to die|no point (in )?(living|going on)|can'?t go on"
    r"|in danger|not safe|(lock|locks|locked) me in|won'?t let me (eat|leave|go out)"
    r"|\b(hits?|hitting|hurts?|hurting|beats?|beating|kicks?|punch\w*|slaps?|abus\w*|threaten\w*) (me|my)\b"
    r"|\babus(e|ed|ing|ive)\b|scared to go home|afraid to go home"
    r"|(taking|stealing|takes|steals|took|stole|keeps taking) my (money|pension|benefits?|card|savings)"
    r"|\brap(e|ed)\b|sexual(ly)? assault|neglect(ed|ing)? me",
    re.IGNORECASE,
)


def sounds_unsafe(message: str) -> bool:
    return DANGER.search(message) is not None


def with_safety_first(message: str, answers: list[dict]) -> list[dict]:
    if sounds_unsafe(message) and not any(answer.get("kind") == "crisis" for answer in answers):
        return [{"kind": "crisis"}, *answers]
    return answers
