"""The assessment and the budget in Polish and in Urdu (right to left), in a real browser, with axe on every page:
axe checks `lang`, contrast and names in whichever direction the page runs. Nothing here depends on English
words: the journey is found by the page's own structure, as a screen reader user would move through it."""

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from portal.data.demo import DEMO_ANSWERS
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen
from tests.factories import PASSWORD

ARTEFACTS = Path(__file__).resolve().parents[2] / "test-artefacts"
QUESTION = re.compile(r"/assessment/questions/([^/?#]+)")


def _answer(page):
    question_id = QUESTION.search(page.url).group(1)
    value = DEMO_ANSWERS[question_id]
    radio = page.locator(f"input[name=answer][value='{value}']")
    if radio.count():
        radio.check()
    else:
        page.locator("[name=answer]").fill(value)
    page.locator("main form button[type=submit], main form input[type=submit]").first.click()


def _through_the_assessment(page, base, person_id, language, phone):
    page.goto(f"{base}/people/{person_id}/assessment")
    _looks_right(page, language, phone)
    page.locator("main form button[type=submit]").first.click()  # start
    for _ in range(200):
        page.wait_for_load_state("load")
        _looks_right(page, language, phone)
        if QUESTION.search(page.url):
            _answer(page)
        elif page.url.endswith("/check-and-send"):
            unanswered = page.locator("main ul.govuk-list--bullet a[href*='/assessment/questions/']")
            if unanswered.count():
                unanswered.first.click()
                continue
            page.locator("input[name=who_helped][value=myself]").check()
            page.locator("main form button[type=submit]").last.click()
            return
        else:  # a section's answers to check, or the task list: straight on to sending, which lists what is left
            page.goto(f"{base}/people/{person_id}/assessment/check-and-send")
    pytest.fail(f"the assessment never ended: stuck at {page.url}")


def _looks_right(page, language, phone):
    html = page.locator("html")
    expect(html).to_have_attribute("lang", re.compile(f"^{language}"))
    expect(html).to_have_attribute("dir", "rtl" if language == "ur" else "ltr")
    check_accessibility(page)
    if phone:
        assert_fits_the_screen(page)


@pytest.mark.parametrize(("language", "phone"), [("pl", False), ("ur", True)])
def test_the_assessment_and_the_budget_in_the_persons_language(new_context, live_server, make_account, language, phone):
    person_id, email = make_account(full_name="Zofia Nowak" if language == "pl" else "Ayesha Khan")
    page = new_context(**(PHONE_CONTEXT if phone else {})).new_page()
    sign_in(page, live_server, email, PASSWORD)
    page.goto(f"{live_server}/dashboard?lang={language}")  # the switch in the header, remembered on the account
    _looks_right(page, language, phone)
    english_heading = "Your dashboard"
    assert page.get_by_role("heading", level=1).inner_text() != english_heading

    _through_the_assessment(page, live_server, person_id, language, phone)
    expect(page).to_have_url(re.compile(f"/people/{person_id}/budget$"))
    _looks_right(page, language, phone)
    heading = page.get_by_role("heading", level=1).inner_text()
    assert heading and heading != "Your indicative personal budget"
    # The money is formatted for the language by Babel, from pence.
    expect(page.locator("main")).to_contain_text("£16,654.00" if language == "ur" else "16 654,00")
    if language == "ur":
        ARTEFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTEFACTS / "urdu-budget-320px.png"), full_page=True)

    # Signing in again keeps the language: it is on the account.
    again = new_context().new_page()
    sign_in_anywhere(again, live_server, email)
    expect(again.locator("html")).to_have_attribute("lang", re.compile(f"^{language}"))


def sign_in_anywhere(page, base, email):
    """Sign in without reading the page's words (it may be in any language)."""
    page.goto(base + "/sign-in")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state("load")
