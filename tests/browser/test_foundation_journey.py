import itertools
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit

_numbers = itertools.count(1)

MODES = [
    pytest.param({"java_script_enabled": True}, id="javascript"),
    pytest.param({"java_script_enabled": False}, id="no-javascript"),
    pytest.param({"java_script_enabled": True, **PHONE_CONTEXT}, id="phone-320px"),
]


def assert_fits_the_screen(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0, f"{page.url} scrolls sideways by {overflow}px"


def open_menu_if_collapsed(page, phone):
    """On a phone, with JavaScript, GOV.UK's service navigation folds into a Menu button."""
    if phone:
        toggle = page.get_by_role("button", name="Menu")
        expect(toggle).to_have_attribute("aria-expanded", "false")
        toggle.click()
        expect(toggle).to_have_attribute("aria-expanded", "true")


@pytest.mark.parametrize("mode", MODES)
def test_register_sign_out_sign_in_switch_language(new_context, live_server, mode):
    context = new_context(**mode)
    page = context.new_page()
    email = f"journey{next(_numbers)}-{id(mode)}@example.org"
    phone = "viewport" in mode

    visit(page, live_server + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Get support to live your way")
    if phone:
        assert_fits_the_screen(page)
    page.get_by_role("button", name="Create an account").click()
    check_accessibility(page)

    # A mistake first: the error summary names it and links to the field.
    page.get_by_role("button", name="Create account").click()
    expect(page).to_have_title(re.compile("^Error: Create an account"))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter your full name")
    check_accessibility(page)
    if mode["java_script_enabled"]:
        expect(summary).to_be_focused()

    page.get_by_label("Full name").fill("Ruth Adeyemi")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Me – I want support for myself").check()
    page.get_by_label("Create a password").fill("my garden has three apple trees")
    page.get_by_label("Confirm password").fill("my garden has three apple trees")
    page.get_by_role("button", name="Create account").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")
    expect(page.get_by_text("Your account has been created.")).to_be_visible()
    check_accessibility(page)
    if phone:
        assert_fits_the_screen(page)

    open_menu_if_collapsed(page, phone)
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    check_accessibility(page)

    page.get_by_role("link", name="Sign in again").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("my garden has three apple trees")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    page.get_by_role("navigation", name="Language").get_by_role("link", name="Polski").click()
    expect(page.locator("html")).to_have_attribute("lang", "pl")
    expect(page.get_by_role("heading", level=1)).not_to_have_text("Your dashboard")
    check_accessibility(page)
    if phone:
        assert_fits_the_screen(page)

    page.get_by_role("navigation", name=re.compile("Język|Language")).get_by_role("link", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en-GB")
    open_menu_if_collapsed(page, phone)
    page.get_by_role("button", name="Sign out").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")


PUBLIC_PAGES = [
    "/",
    "/sign-in",
    "/register",
    "/forgotten-password",
    "/accessibility",
    "/privacy",
    "/cookies",
    "/signed-out",
    "/forgotten-password/check-your-email",
    "/dev/outbox",
    "/no-such-page",
]


def test_every_public_page_is_accessible_and_fits_a_phone(new_context, live_server):
    context = new_context(**PHONE_CONTEXT)
    page = context.new_page()
    for path in PUBLIC_PAGES:
        page.goto(live_server + path)
        check_accessibility(page)
        assert_fits_the_screen(page)


def test_pages_for_each_role_are_accessible(new_context, live_server, make_account):
    from portal.data.models import Role

    for role, pages in [
        (Role.PERSON, ["/dashboard", "/account/change-password"]),
        (Role.REPRESENTATIVE, ["/dashboard"]),
        (Role.ADMIN, ["/staff", "/admin/accounts"]),
    ]:
        _, email = make_account(role=role)
        page = new_context().new_page()
        page.goto(live_server + "/sign-in")
        page.get_by_label("Email address").fill(email)
        page.get_by_label("Password", exact=True).fill("correct horse battery")
        page.get_by_role("button", name="Sign in").click()
        for path in pages:
            visit(page, live_server + path)


def test_no_console_errors_and_no_csp_violations(page, live_server, console_errors):
    visit(page, live_server + "/register")
    page.get_by_role("button", name="Create account").click()
    expect(page.locator(".govuk-error-summary")).to_be_focused()
    assert page.evaluate("document.body.classList.contains('govuk-frontend-supported')")
    assert page.evaluate("typeof window.htmx") == "object"


def test_forgotten_password_through_the_outbox(page, live_server, make_account):
    _, email = make_account()
    visit(page, live_server + "/sign-in")
    page.get_by_role("link", name="I have forgotten my password").click()
    page.get_by_label("Email address").fill(email)
    page.get_by_role("button", name="Send me a link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")
    check_accessibility(page)
    visit(page, live_server + "/dev/outbox")
    page.locator(".cc-email-body a").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    check_accessibility(page)
    page.get_by_label("New password", exact=True).fill("a brand new sentence")
    page.get_by_label("Confirm new password").fill("a brand new sentence")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password has been changed.")).to_be_visible()


def test_session_timeout_warning_is_accessible_and_keeps_you_signed_in(page, live_server, make_account):
    _, email = make_account()
    page.clock.install()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")

    page.wait_for_load_state("load")  # the timer starts when the page's module script has run
    dialog = page.get_by_role("dialog", name="You’re about to be signed out")
    expect(dialog).to_be_hidden()
    page.clock.run_for(25 * 60 * 1000 + 1000)
    expect(dialog).to_be_visible()
    expect(dialog.get_by_role("button", name="Stay signed in")).to_be_focused()
    check_accessibility(page)

    dialog.get_by_role("button", name="Stay signed in").click()
    expect(dialog).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def test_the_dashboard_makes_sense_to_a_screen_reader(page, live_server, make_account):
    _, email = make_account(full_name="Sam Taylor")
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    tree = page.locator("main").aria_snapshot()
    assert '- heading "Your dashboard" [level=1]' in tree
    assert '- heading "Your next step" [level=2]' in tree
    for step in ["Tell us about your needs", "See your personal budget", "Plan your support", "Manage your budget"]:
        assert step in tree
    assert "Coming soon" not in tree and tree.count("Cannot start yet") == 3
    assert "Start your self-assessment" in tree
    landmarks = page.locator("body").aria_snapshot()
    assert "- banner" in landmarks and "- main" in landmarks and "- contentinfo" in landmarks
    assert '- link "Skip to main content"' in landmarks
