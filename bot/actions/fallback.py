"""Not sure what was asked: offer the closest topics as buttons, rather than guess (rasa-notes.md §0)."""

from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.glossary_lookup import closest

CHOICES = 3


def ranked_options(parse: dict[str, Any]) -> list[dict[str, str]]:
    """The response selectors' best guesses for glossary terms and help topics, most likely first."""
    options: list[tuple[float, dict[str, str]]] = []
    selector = parse.get("response_selector") or {}
    for kind, key in (("glossary", "term"), ("process", "topic")):
        for guess in (selector.get(kind) or {}).get("ranking", [])[:CHOICES]:
            ident = str(guess.get("intent_response_key", "")).partition("/")[2]
            if ident:
                options.append((float(guess.get("confidence", 0)), {key: ident}))
    options.sort(key=lambda pair: -pair[0])
    chosen: list[dict[str, str]] = []
    for _confidence, option in options:
        if option not in chosen:
            chosen.append(option)
    return chosen[:CHOICES]


class ActionOfferTopics(Action):
    def name(self) -> str:
        return "action_offer_topics"

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        options = ranked_options(tracker.latest_message)
        if not options:
            names = [(term, term.replace("_", " ")) for term in _glossary_ids(domain)]
            options = [{"term": ident} for ident in closest(tracker.latest_message.get("text") or "", names)]
        dispatcher.utter_message(
            text="Did you mean one of these?", json_message={"kind": "choices", "options": options}
        )
        return []


def _glossary_ids(domain: dict[str, Any]) -> list[str]:
    return [name.partition("/")[2] for name in domain.get("responses", {}) if name.startswith("utter_glossary/")]
