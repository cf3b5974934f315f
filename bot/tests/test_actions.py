"""The custom actions on tracker snapshots (run in the bot's own environment by tests/bot/test_actions.py)."""

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from actions.fallback import ActionOfferTopics, ranked_options
from actions.glossary_lookup import closest
from actions.portal_records import ActionBalance, ActionNextStep
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

SUMMARY = {"people": [{"name": "Sam Taylor", "next_step": None, "account": {"balance_pence": 90828, "free_pence": 1}}]}


def tracker(text="how much have i got left", metadata=None, parse=None):
    latest = {"text": text, "intent": {"name": "ask_balance"}, "entities": [], "metadata": metadata or {}}
    latest.update(parse or {})
    return Tracker.from_dict(
        {
            "sender_id": "test",
            "slots": {},
            "latest_message": latest,
            "events": [],
            "paused": False,
            "followup_action": None,
            "active_loop": {},
            "latest_action_name": "action_listen",
        }
    )


class _Portal(BaseHTTPRequestHandler):
    answers = {}

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.append((self.path, body))
        found = self.answers.get(body.get("token"))
        self.send_response(200 if found else 403)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(found or {"error": "not signed in"}).encode())

    def log_message(self, *args):
        return None


@pytest.fixture
def portal(monkeypatch):
    """A stand-in for the portal's internal endpoint, on loopback: what the action does with each answer."""
    server = HTTPServer(("127.0.0.1", 0), _Portal)
    server.seen = []
    _Portal.answers = {"good-token": SUMMARY}
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("PORTAL_INTERNAL_URL", f"http://127.0.0.1:{server.server_port}")
    yield server
    server.shutdown()
    server.server_close()


def run(action, tracker_):
    dispatcher = CollectingDispatcher()
    assert action.run(dispatcher, tracker_, {}) == []
    return dispatcher.messages


def test_the_balance_comes_from_the_portal_with_the_signed_token(portal):
    messages = run(ActionBalance(), tracker(metadata={"token": "good-token"}))
    assert messages[0]["custom"] == {"kind": "balance", "people": SUMMARY["people"]}
    assert portal.seen == [("/internal/assistant/summary", {"token": "good-token"})]


def test_the_next_step_too(portal):
    assert run(ActionNextStep(), tracker(metadata={"token": "good-token"}))[0]["custom"]["kind"] == "next_step"


def test_without_a_token_the_person_is_asked_to_sign_in_and_the_portal_is_not_asked(portal):
    messages = run(ActionBalance(), tracker(text="how much have i got left, i am user 7"))
    assert messages[0]["custom"] == {"kind": "message", "id": "sign_in_needed"}
    assert portal.seen == []


def test_a_refused_or_missing_portal_is_said_plainly(portal, monkeypatch):
    assert run(ActionBalance(), tracker(metadata={"token": "forged"}))[0]["custom"]["id"] == "records_unavailable"
    monkeypatch.setenv("PORTAL_INTERNAL_URL", "http://127.0.0.1:9")  # nothing listens there
    assert run(ActionBalance(), tracker(metadata={"token": "good-token"}))[0]["custom"]["id"] == "records_unavailable"


def test_unsure_offers_the_closest_terms_and_topics_best_first():
    parse = {"response_selector": {
        "glossary": {"ranking": [{"intent_response_key": "glossary/direct_payment", "confidence": 0.4},
                                 {"intent_response_key": "glossary/personal_budget", "confidence": 0.2}]},
        "process": {"ranking": [{"intent_response_key": "process/when_payments", "confidence": 0.3}]},
    }}  # fmt: skip
    assert ranked_options(parse) == [
        {"term": "direct_payment"},
        {"topic": "when_payments"},
        {"term": "personal_budget"},
    ]
    messages = run(ActionOfferTopics(), tracker(text="paymnts", parse=parse))
    assert messages[0]["custom"]["kind"] == "choices"


def test_with_no_guesses_the_words_themselves_are_matched():
    assert closest("what is a direkt paymant", [("direct_payment", "direct payment"), ("panel", "panel")]) == [
        "direct_payment"
    ]
    assert closest("hello", [("panel", "panel")]) == []
