"""Help, the Jargon buster and the chat's side of the assistant: what the portal shows for each kind of answer,
and what it does when the assistant is down, slow or talks nonsense (the real Rasa runs in tests/bot)."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from portal.data.models import Role
from tests.factories import make_approved_plan, make_helper_for, make_user
from tests.web.conftest import check_page, csrf_token_from, error_summary


def test_help_lists_the_topics_and_each_has_its_page(web):
    page = web.page("/help")
    links = [a["href"] for a in page.select("main a") if a["href"].startswith("/help/") and "jargon" not in a["href"]]
    assert len(links) >= 20
    topic = web.page("/help/talk_to_person").get_text(" ", strip=True)
    assert "0300 123 4567" in topic and "{council_phone}" not in topic  # the council's own number, filled in
    web.get("/help/no_such_topic", status=404)


def test_the_jargon_buster_lists_every_term_a_to_z(app, web):
    page = web.page("/help/jargon-buster")
    terms = app.extensions["content"].glossary.terms
    assert len(page.select("[id^=term-]")) == len(terms)
    assert page.find(id="letter-D") is not None


@pytest.mark.parametrize(
    ("words", "finds"),
    [
        ("DP", "Direct payment"),
        ("indicative", "Indicative budget"),
        ("dirct paymnt", "Direct payment"),
        ("isf", "Individual service fund"),
    ],
)
def test_the_jargon_buster_finds_abbreviations_words_and_typos(web, words, finds):
    text = web.page("/help/jargon-buster", query_string={"q": words}).get_text(" ", strip=True)
    assert finds in text and "found for" in text


def test_a_search_that_finds_nothing_offers_the_assistant(web):
    page = web.page("/help/jargon-buster", query_string={"q": "zzzzqqq"})
    assert page.find("a", href="/chat") is not None


def test_each_term_has_its_own_page_with_related_words(web):
    page = web.page("/help/jargon-buster/direct_payment")
    assert page.h1.get_text(strip=True) == "Direct payment"
    assert page.select("main a[href^='/help/jargon-buster/']")
    web.get("/help/jargon-buster/not_a_term", status=404)


def test_the_jargon_buster_is_in_polish_too(web):
    page = web.page("/help/jargon-buster?lang=pl", follow_redirects=True)
    assert page.html["lang"] == "pl" and page.h1.get_text(strip=True) != "Jargon buster"
    assert page.find("a", string="Płatność bezpośrednia") is not None  # the terms themselves, translated


class FakeRasa(BaseHTTPRequestHandler):
    """Rasa's REST channel as seen from the portal: a scripted answer, a delay, or rubbish."""

    answer: object = []
    delay = 0.0

    def do_POST(self):
        self.server.received.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
        time.sleep(self.delay)
        body = self.answer if isinstance(self.answer, bytes) else json.dumps(self.answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        return None


@pytest.fixture
def rasa(app):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    server.received = []
    server.daemon_threads = True
    FakeRasa.answer, FakeRasa.delay = [], 0.0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config["RASA_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def ask(web, message, status=302, **kwargs):
    return web.submit("/chat", {"message": message}, status=status, **kwargs)


def test_a_glossary_answer_is_shown_from_the_content_in_the_readers_language(web, rasa):
    FakeRasa.answer = [{"recipient_id": "x", "text": "A direct payment is…"},
                       {"recipient_id": "x", "custom": {"kind": "glossary", "term": "direct_payment"}}]  # fmt: skip
    ask(web, "what's a DP")
    page = web.page("/chat")
    log = page.select_one("[role=log]")
    text = log.get_text(" ", strip=True)
    assert "You said: what's a DP" in text
    assert "The assistant said:" in text and "Direct payment in the Jargon buster" in text
    sent = rasa.received[0]
    assert (
        sent["message"] == "what's a DP" and sent["metadata"]["locale"] == "en_GB" and "token" not in sent["metadata"]
    )
    ask(web, "what's a DP", headers={"Accept-Language": "pl"}, query_string={"lang": "pl"})


def test_the_conversation_survives_moving_between_pages_and_can_be_cleared(web, rasa):
    FakeRasa.answer = [{"custom": {"kind": "message", "id": "greet"}}]
    ask(web, "hello")
    web.page("/help/jargon-buster")
    assert "hello" in web.page("/chat").select_one("[role=log]").get_text()
    web.submit("/chat/new", {}, status=302, form_url="/chat")
    assert "hello" not in web.page("/chat").select_one("[role=log]").get_text()


def test_with_htmx_only_the_new_turns_come_back(web, rasa):
    FakeRasa.answer = [{"custom": {"kind": "process", "topic": "when_payments"}}]
    response = ask(web, "when do i get paid", status=200, headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert "<!DOCTYPE" not in body and body.count('<li class="cc-chat__turn ') == 2 and 'id="latest"' in body


def test_a_signed_in_person_is_named_to_the_assistant_only_by_a_signed_token(app, web, rasa, signed_in_person):
    FakeRasa.answer = [{"custom": {"kind": "message", "id": "greet"}}]
    ask(web, "hello, I am user 1")
    token = rasa.received[0]["metadata"]["token"]
    assert len(rasa.received[0]["sender"]) == 32 and set(rasa.received[0]["metadata"]) == {"locale", "token"}
    summary = web.client.post("/internal/assistant/summary", json={"token": token})
    assert summary.status_code == 200 and summary.json["people"][0]["name"].startswith("Test User")


def test_the_internal_summary_refuses_anything_but_a_fresh_signed_token(app, web, signed_in_person):
    from itsdangerous import URLSafeTimedSerializer

    for token in (None, "forged", URLSafeTimedSerializer("another key", salt="assistant").dumps({"user": 1})):
        assert web.client.post("/internal/assistant/summary", json={"token": token}).status_code == 403
    with app.test_request_context():
        from portal.help.views import TOKEN_SALT

        old = URLSafeTimedSerializer(app.config["SECRET_KEY"], salt=TOKEN_SALT)
        stale = old.dumps({"user": signed_in_person[0]})
    import portal.help.views as views

    original, views.TOKEN_SECONDS = views.TOKEN_SECONDS, -1
    try:
        assert web.client.post("/internal/assistant/summary", json={"token": stale}).status_code == 403
    finally:
        views.TOKEN_SECONDS = original


def test_a_helper_hears_about_the_people_they_help_and_their_accounts(app, web):
    person_id, person_email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    make_approved_plan(app, person_id)
    _helper_id, helper_email = make_user(app, Role.REPRESENTATIVE)
    make_helper_for(app, person_email, helper_email)
    web.sign_in(helper_email)
    from portal.data.accounts import get_user_by_email
    from portal.help.views import assistant_token

    with app.test_request_context():
        token = assistant_token(get_user_by_email(helper_email))
    people = web.client.post("/internal/assistant/summary", json={"token": token}).json["people"]
    assert [p["name"] for p in people] == ["Sam Taylor"]
    assert people[0]["account"]["balance_pence"] > 0


@pytest.mark.parametrize(
    "answer",
    [
        b"not json",
        b'{"a": 1}',
        [{"custom": {"kind": "glossary", "term": "not_a_term"}}],
        [{"custom": {"kind": "evil"}}],
        [{"text": "<script>alert(1)</script>"}],
    ],  # fmt: skip
)
def test_nonsense_from_the_assistant_is_never_shown_as_it_came(web, rasa, answer):
    FakeRasa.answer = answer
    ask(web, "hello")
    log = web.page("/chat").select_one("[role=log]")
    assert "<script>" not in str(log) and "not_a_term" not in str(log)
    assert len(log.select(".cc-chat__turn--assistant")) == 1


def test_when_the_assistant_is_slow_the_chat_still_answers_within_3_seconds(app, web, rasa):
    FakeRasa.delay = 4
    token = csrf_token_from(web.get("/chat"))
    started = time.monotonic()
    answer = web.client.post("/chat", data={"message": "what is a panel", "csrf_token": token})
    waited = time.monotonic() - started
    assert answer.status_code == 302
    text = web.page("/chat").select_one("[role=log]").get_text(" ", strip=True)
    assert waited < 3  # the relay gives up at 2.5 s, leaving half a second for the rest of the request
    assert "not available right now" in text and "Jargon buster" in text


def test_when_the_assistant_is_down_the_chat_says_so_plainly(web):
    ask(web, "what is a panel")  # TestConfig points at an address nothing answers
    page = web.page("/chat")
    assert "not available right now" in page.get_text(" ", strip=True)
    assert page.select_one("[role=log] a[href='/help/jargon-buster']")


@pytest.mark.parametrize("message", ["my carer hits me", "I want to kill myself", "someone is taking my money"])
def test_someone_in_danger_gets_the_emergency_contacts_even_with_the_assistant_down(web, message):
    ask(web, message)
    text = web.page("/chat").select_one("[role=log]").get_text(" ", strip=True)
    assert "999" in text and "116 123" in text and "0300 123 4568" in text


@pytest.mark.parametrize(
    ("message", "error"), [("", "Type a question"), ("x" * 501, "500 characters or fewer"), ("   ", "Type a question")]
)
def test_an_empty_or_huge_question_is_explained_and_nothing_is_sent(web, rasa, message, error):
    response = ask(web, message, status=200)
    assert error in error_summary(check_page(response))["message"]
    assert rasa.received == []


def test_choices_are_real_buttons_that_ask_again(web, rasa):
    FakeRasa.answer = [{"custom": {"kind": "choices", "options": [{"term": "direct_payment"}, {"topic": "panel"}]}}]
    ask(web, "paymnt thing")
    buttons = web.page("/chat").select("[role=log] form button")
    assert [b.get_text(strip=True) for b in buttons][:1] == ["Direct payment"]
    assert web.page("/chat").select("[role=log] form input[name=message]")[0]["value"] == "what is Direct payment"


def test_conversations_past_their_retention_period_are_deleted(app, web, rasa):
    from datetime import timedelta

    from portal.data import conversations
    from portal.data.db import db_session
    from portal.data.models import utcnow

    with app.app_context():
        old = conversations.add_turns("0" * 32, [(False, {"kind": "you", "text": "an old question"})])[0]
        old.said_at = utcnow() - timedelta(days=31)
        db_session().commit()
    FakeRasa.answer = [{"custom": {"kind": "message", "id": "greet"}}]
    ask(web, "hello")
    with app.app_context():
        assert conversations.turns("0" * 32) == []
