"""The assistant for real: Rasa and its action server started from the trained model, the portal relaying to
them, a browser asking questions with and without JavaScript, axe on every page; then the action server stopped,
then Rasa."""

import json
import time
import urllib.request

import pytest
from playwright.sync_api import expect

from portal.data.migrate import upgrade
from tests.assistant_servers import AssistantDidNotStart, free_port, start_assistant
from tests.browser.conftest import check_accessibility, start_portal, stop, visit


@pytest.fixture(scope="module")
def assistant(tmp_path_factory):
    """The portal, Rasa and the action server, each on its own free port, as `make run` starts them."""
    folder = tmp_path_factory.mktemp("assistant")
    database_url = f"sqlite:///{folder / 'portal.sqlite3'}"
    upgrade(database_url)
    rasa_port = free_port()
    portal, base = start_portal(database_url, TEST_RASA_URL=f"http://127.0.0.1:{rasa_port}")
    try:
        running = start_assistant(folder, base, rasa_port)
    except AssistantDidNotStart as error:
        stop(portal)
        pytest.fail(str(error))
    yield {"base": base, "database_url": database_url, "running": running}
    running.stop()
    stop(portal)


def ask(page, question):
    box = page.get_by_label("Your question")
    box.fill(question)
    box.press("Enter")


def test_questions_nobody_wrote_down_with_javascript(new_context, assistant, console_errors):
    page = new_context().new_page()
    page.on("console", lambda message: console_errors.append(message.text) if message.type == "error" else None)
    visit(page, assistant["base"] + "/chat")
    log = page.get_by_role("log")

    ask(page, "whats a DP")
    expect(log).to_contain_text("You said: whats a DP")
    expect(log).to_contain_text("Direct payment in the Jargon buster")
    expect(page.get_by_label("Your question")).to_be_focused()  # focus stays in the box; the log announces
    expect(page.get_by_label("Your question")).to_have_value("")
    check_accessibility(page)

    ask(page, "the letter says indicative budget, what's that?")
    expect(log).to_contain_text("Indicative budget in the Jargon buster")
    ask(page, "how did they work my budget out")
    expect(log.locator(".cc-chat__turn--assistant").last).to_contain_text("budget was worked out")
    ask(page, "are you a robot")
    expect(log).to_contain_text("I am an automated assistant, not a person")
    ask(page, "someone is taking my money and i'm scared")
    expect(log).to_contain_text("116 123")
    expect(log).to_contain_text("999")
    check_accessibility(page)

    # The conversation is still there on another page and back.
    visit(page, assistant["base"] + "/help/jargon-buster")
    visit(page, assistant["base"] + "/chat")
    expect(page.get_by_role("log")).to_contain_text("whats a DP")


def test_signed_in_the_assistant_answers_from_the_persons_own_records(new_context, assistant):
    from portal.app import create_app
    from portal.config import TestConfig
    from tests.factories import PASSWORD, make_approved_plan, make_user

    config = TestConfig()
    config.DATABASE_URL = assistant["database_url"]
    app = create_app(config)
    person_id, email = make_user(app, full_name="Robin Shaw")
    make_approved_plan(app, person_id)

    page = new_context().new_page()
    page.goto(assistant["base"] + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    visit(page, assistant["base"] + "/chat")
    ask(page, "how much money have i got left")
    expect(page.get_by_role("log")).to_contain_text("Robin Shaw's budget account has")
    ask(page, "whats my next step")
    expect(page.get_by_role("log")).to_contain_text("Robin Shaw")
    check_accessibility(page)


def test_without_javascript_the_chat_is_a_plain_form(new_context, assistant):
    page = new_context(java_script_enabled=False).new_page()
    visit(page, assistant["base"] + "/chat")
    page.get_by_label("Your question").fill("what does personal assistant mean")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_role("log")).to_contain_text("Personal assistant in the Jargon buster")
    check_accessibility(page)


def test_with_the_action_server_stopped_questions_about_records_get_a_plain_answer(new_context, assistant):
    """Before Rasa itself is stopped below: its action server goes first, and the custom actions with it."""
    assistant["running"].actions.terminate()
    assistant["running"].actions.wait(timeout=30)
    # What Rasa says when a custom action cannot run: it logs the error and answers nothing at all.
    asked = urllib.request.Request(
        assistant["running"].rasa_url + "/webhooks/rest/webhook",
        data=json.dumps({"sender": "no-action-server", "message": "how much money have i got left"}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(asked, timeout=30) as answer:
        assert json.loads(answer.read()) == []
    page = new_context().new_page()
    visit(page, assistant["base"] + "/chat")
    for question in ("how much money have i got left", "whats my next step"):
        ask(page, question)
        latest = page.get_by_role("log").locator(".cc-chat__turn--assistant").last
        expect(latest).to_contain_text("not available right now", timeout=3000)
        expect(latest.get_by_role("link", name="Jargon buster")).to_be_visible()
    check_accessibility(page)


def test_with_the_assistant_stopped_the_chat_says_so_within_3_seconds(new_context, assistant):
    assistant["running"].rasa.terminate()
    assistant["running"].rasa.wait(timeout=30)
    page = new_context().new_page()
    visit(page, assistant["base"] + "/chat")
    started = time.monotonic()
    ask(page, "what is a panel")
    expect(page.get_by_role("log")).to_contain_text("not available right now", timeout=3000)
    assert time.monotonic() - started < 3
    check_accessibility(page)
    expect(page.get_by_role("log").get_by_role("link", name="Jargon buster")).to_be_visible()
