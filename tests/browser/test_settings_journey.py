"""Settings and signed-in sessions in a real browser: the largest text and high contrast on every page (axe checks
the contrast), a 320px phone with the largest text, the contact page without JavaScript, and ending a session."""

import re

from playwright.sync_api import expect

from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen, open_menu_if_collapsed
from tests.factories import PASSWORD

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/130.0.0.0 Mobile Safari/537.36"
)


def change(page, row, choice):
    """From the settings page: the row's Change link, a choice, Save, and back with the success banner."""
    page.get_by_role("link", name=f"Change {row}").click()
    check_accessibility(page)
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    expect(page.get_by_text("Your settings have been saved.")).to_be_visible()
    check_accessibility(page)


def test_largest_text_and_high_contrast_apply_everywhere_and_still_fit_a_phone(new_context, live_server, make_account):
    _, email = make_account()
    page = new_context().new_page()
    sign_in(page, live_server, email, PASSWORD)
    page.get_by_role("main").get_by_role("link", name="Settings", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Settings")
    check_accessibility(page)

    change(page, "text size", "Largest")
    html = page.locator("html")
    expect(html).to_have_class(re.compile(r"\bcc-text-largest\b"))
    assert page.evaluate("getComputedStyle(document.documentElement).fontSize") == "24px"
    change(page, "contrast", "High contrast")
    expect(html).to_have_class(re.compile(r"\bcc-high-contrast\b"))
    body_text = page.evaluate("getComputedStyle(document.querySelector('.govuk-body')).color")
    assert body_text == "rgb(0, 0, 0)"

    # Every page now carries both; axe checks the colours on each (WCAG 1.4.3 contrast).
    for path in ["/dashboard", "/account/sessions", "/account/settings/contact", "/directory", "/help"]:
        visit(page, live_server + path)
        expect(html).to_have_class(re.compile(r"cc-text-largest.*cc-high-contrast"))

    # Focus is still GOV.UK's yellow, with black text.
    page.goto(live_server + "/account/settings")
    page.get_by_role("link", name="Change contrast").focus()
    focused = page.evaluate("getComputedStyle(document.activeElement).backgroundColor")
    assert focused == "rgb(255, 221, 0)"

    # The same account on a 320px phone: the largest text, and nothing scrolls sideways (WCAG 1.4.10).
    phone = new_context(**PHONE_CONTEXT).new_page()
    sign_in(phone, live_server, email, PASSWORD)
    expect(phone.locator("html")).to_have_class(re.compile(r"cc-text-largest.*cc-high-contrast"))
    for path in ["/dashboard", "/account/settings", "/account/settings/text-size", "/account/sessions"]:
        visit(phone, live_server + path)
        assert_fits_the_screen(phone)
    open_menu_if_collapsed(phone, True)
    expect(phone.get_by_role("navigation", name="Menu").get_by_role("link", name="Settings")).to_be_visible()


def test_contact_preferences_without_javascript(new_context, live_server, make_account):
    _, email = make_account()
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, email, PASSWORD)
    visit(page, live_server + "/account/settings")
    page.get_by_role("link", name="Change how the council contacts you").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How should the council contact you?")
    check_accessibility(page)
    page.get_by_label("Phone", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    # The number on a page of its own: a mistake first, named in the error summary, which links to the box.
    expect(page.get_by_role("heading", level=1)).to_have_text("What number should the council call?")
    check_accessibility(page)
    page.get_by_label("What number should the council call?").fill("12345")
    page.get_by_role("button", name="Save").click()
    expect(page).to_have_title(re.compile("^Error: What number should the council call"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a UK phone number")
    check_accessibility(page)
    summary.get_by_role("link").click()
    expect(page).to_have_url(re.compile("#phone$"))

    page.get_by_label("What number should the council call?").fill("07700 900 982")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your settings have been saved.")).to_be_visible()
    check_accessibility(page)
    expect(page.locator(".govuk-summary-list")).to_contain_text("07700 900 982")

    page.get_by_role("link", name="Change reminders by email").click()
    check_accessibility(page)
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list")).to_contain_text("No")
    check_accessibility(page)

    page.get_by_role("link", name="Change language").click()
    check_accessibility(page)
    page.get_by_label("Polski").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    check_accessibility(page)


def test_see_signed_in_sessions_and_end_another_one(new_context, live_server, make_account):
    _, email = make_account()
    laptop = new_context(user_agent=FIREFOX).new_page()
    sign_in(laptop, live_server, email, PASSWORD)
    phone = new_context(**PHONE_CONTEXT, user_agent=ANDROID).new_page()
    sign_in(phone, live_server, email, PASSWORD)

    laptop.get_by_role("main").get_by_role("link", name="Signed-in sessions").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("Signed-in sessions")
    check_accessibility(laptop)
    sessions = laptop.locator(".cc-signed-in-session")
    expect(sessions).to_have_count(2)
    expect(sessions.first.get_by_role("heading")).to_have_text(re.compile("^Firefox on Windows\\s*This device$"))
    expect(sessions.nth(1).get_by_role("heading")).to_have_text("Chrome on Android")

    laptop.get_by_role("button", name=re.compile("^Sign out Chrome on Android")).click()
    expect(laptop.get_by_text("Chrome on Android has been signed out.")).to_be_visible()
    expect(sessions).to_have_count(1)
    expect(laptop.get_by_text("You are not signed in on any other device.")).to_be_visible()
    check_accessibility(laptop)

    phone.reload()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Sign in")
    expect(phone.get_by_text("this session was ended from another device")).to_be_visible()
    check_accessibility(phone)
    assert_fits_the_screen(phone)

    laptop.get_by_role("button", name="Sign out everywhere, including this device").click()
    expect(laptop.get_by_role("heading", level=1)).to_have_text("You have signed out")
    expect(laptop.get_by_text("You have been signed out everywhere, including this device.")).to_be_visible()
    check_accessibility(laptop)
