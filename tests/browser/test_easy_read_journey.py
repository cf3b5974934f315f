"""Easy Read in a real browser: switched on from each page that offers it, kept from page to page, axe-clean,
pictures loaded under our Content Security Policy, on a 320px phone, without JavaScript, and mirrored right to left."""

from playwright.sync_api import expect

from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen
from tests.browser.test_spending_journey import ensure_account
from tests.factories import PASSWORD

EASY_READ_TITLES = {
    "assessment": "About the questions",
    "budget": "Your money for support",
    "plan": "Your support plan",
    "budget-account/spending/new": "Keeping a record of your spending",
}
HELP_TITLES = {
    "/help": "Help in Easy Read",
    "/help/when_payments": "When you get the money",
    "/help/jargon-buster": "Hard words made easy",
}


def a_person_with_a_budget_account(live_app, make_account, name):
    person_id, email = make_account(full_name=name)
    ensure_account(live_app, person_id)
    return person_id, email


def expect_easy_read(page, title):
    section = page.locator("section.cc-easy-read")
    expect(section.get_by_role("heading", level=2)).to_have_text(title)
    pictures = section.locator("img.cc-easy-read__picture")
    assert pictures.count() >= 3
    page.wait_for_load_state("load")  # the pictures too, not only the HTML
    # Loaded, so our own files pass the Content Security Policy (img-src 'self'); alt="" as the sentence says it all.
    assert pictures.evaluate_all("images => images.every(i => i.complete && i.naturalWidth > 0 && i.alt === '')")
    expect(page.get_by_role("link", name="Standard version")).to_be_visible()


def test_switch_to_easy_read_on_each_page_and_back(new_context, live_server, live_app, make_account):
    person_id, email = a_person_with_a_budget_account(live_app, make_account, "Rosa Easy")
    page = new_context().new_page()
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    sign_in(page, live_server, email, PASSWORD)
    for path, title in EASY_READ_TITLES.items():
        visit(page, f"{live_server}/people/{person_id}/{path}")
        page.get_by_role("link", name="Easy Read").click()
        expect_easy_read(page, title)
        check_accessibility(page)
        page.get_by_role("link", name="Standard version").click()
        expect(page.locator("section.cc-easy-read")).to_have_count(0)

    # Once on, it stays on from page to page, help pages included, until switched back.
    page.get_by_role("link", name="Easy Read").click()
    for path, title in HELP_TITLES.items():
        visit(page, live_server + path)
        expect_easy_read(page, title)
    page.get_by_role("link", name="Standard version").click()
    expect(page.get_by_role("link", name="Easy Read")).to_be_visible()
    visit(page, f"{live_server}/people/{person_id}/budget")
    expect(page.locator("section.cc-easy-read")).to_have_count(0)
    assert errors == []


def test_easy_read_on_a_320px_phone_fits_the_screen(new_context, live_server, live_app, make_account):
    person_id, email = a_person_with_a_budget_account(live_app, make_account, "Maximilian Featherstonehaugh-Easy")
    page = new_context(**PHONE_CONTEXT).new_page()
    sign_in(page, live_server, email, PASSWORD)
    visit(page, f"{live_server}/people/{person_id}/budget?easy_read=1")
    for path, title in EASY_READ_TITLES.items():
        visit(page, f"{live_server}/people/{person_id}/{path}")
        expect_easy_read(page, title)
        assert_fits_the_screen(page)
        point = page.locator(".cc-easy-read__point").first
        picture, words = point.locator("img").bounding_box(), point.locator("p").bounding_box()
        assert picture["width"] == 48, "the picture shrinks on a phone"
        assert picture["x"] + picture["width"] <= words["x"], "the words stay beside the picture"
    visit(page, f"{live_server}/help/talk_to_person")  # a long email address must wrap, not scroll
    assert_fits_the_screen(page)


def test_easy_read_without_javascript(new_context, live_server):
    page = new_context(java_script_enabled=False).new_page()
    visit(page, f"{live_server}/help")
    page.get_by_role("link", name="Easy Read").click()
    expect_easy_read(page, HELP_TITLES["/help"])
    check_accessibility(page)
    page.get_by_role("link", name="When the money is paid").click()
    expect_easy_read(page, HELP_TITLES["/help/when_payments"])
    check_accessibility(page)
    visit(page, f"{live_server}/help/jargon-buster/direct_payment")
    expect(page.locator(".govuk-body-l")).not_to_contain_text("In short")
    page.get_by_role("link", name="Standard version").click()
    expect(page.get_by_text("In short:")).to_be_visible()


def test_the_picture_goes_to_the_right_in_a_right_to_left_language(new_context, live_server):
    page = new_context().new_page()
    visit(page, f"{live_server}/help?easy_read=1")
    point = page.locator(".cc-easy-read__point").first
    picture, words = point.locator("img").bounding_box(), point.locator("p").bounding_box()
    assert picture["x"] < words["x"]
    page.evaluate("document.documentElement.dir = 'rtl'")  # what the layout sets for Urdu, with no CSS of its own
    picture, words = point.locator("img").bounding_box(), point.locator("p").bounding_box()
    assert picture["x"] > words["x"] + words["width"] - 1
