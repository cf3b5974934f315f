"""Answers from the person's own records: the portal is asked, with the signed token it put in the message.

A user id typed in the chat is never used: only the portal's token says who is asking, and it expires in minutes.
"""

import json
import os
import urllib.error
import urllib.request
from typing import Any

from rasa_sdk import Action, Tracker
from rasa_sdk.executor import CollectingDispatcher

TIMEOUT_SECONDS = 1.5  # the whole chat answers within 3 seconds, so the portal gets half of that


def portal_url() -> str:
    return os.environ.get("PORTAL_INTERNAL_URL", "http://127.0.0.1:5000").rstrip("/")


def people_in_records(token: str) -> list[dict[str, Any]] | None:
    """The records the token's user may see, as the portal summarises them; None if the portal cannot say."""
    request = urllib.request.Request(
        portal_url() + "/internal/assistant/summary",
        data=json.dumps({"token": token}).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            answer = json.loads(response.read(64 * 1024))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError):
        return None
    people = answer.get("people") if isinstance(answer, dict) else None
    return people if isinstance(people, list) else None


class _FromRecords:
    """Shared by the two actions below; not an Action itself (rasa_sdk registers every Action subclass)."""

    kind = ""

    def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: dict[str, Any]) -> list[dict[str, Any]]:
        token = (tracker.latest_message.get("metadata") or {}).get("token")
        if not token:
            dispatcher.utter_message(text="Sign in first.", json_message={"kind": "message", "id": "sign_in_needed"})
            return []
        people = people_in_records(str(token))
        if people is None:
            dispatcher.utter_message(
                text="I cannot look at your records just now.",
                json_message={"kind": "message", "id": "records_unavailable"},
            )
            return []
        dispatcher.utter_message(text="From your records.", json_message={"kind": self.kind, "people": people})
        return []


class ActionBalance(_FromRecords, Action):
    kind = "balance"

    def name(self) -> str:
        return "action_balance"


class ActionNextStep(_FromRecords, Action):
    kind = "next_step"

    def name(self) -> str:
        return "action_next_step"
