"""Your data and closing your account in a real browser: the person downloads everything, then closes the account.
axe on every page, the summary in the download too; the close form on a 320px phone with JavaScript off."""

import json
import zipfile

from playwright.sync_api import expect

from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen
from tests.factories import PASSWORD


def sign_in_is_refused(page, base, email):
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct email address and password")


def test_download_your_data_then_close_your_account(new_context, live_server, make_account):
    _person_id, email = make_account(full_name="Robin Fairweather")
    page = new_context().new_page()
    sign_in(page, live_server, email, PASSWORD)
    check_accessibility(page)

    page.get_by_role("link", name="Download your data").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Download your data")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download your data").click()
    assert download.value.suggested_filename.startswith("your-data-")
    with zipfile.ZipFile(download.value.path()) as pack:
        exported = json.loads(pack.read("data.json"))
        summary = pack.read("summary.html").decode()
    assert exported["account"]["full_name"] == "Robin Fairweather" and exported["account"]["email"] == email

    # The summary stands alone, opened from the ZIP: axe checks it like any page.
    opened = new_context().new_page()
    opened.set_content(summary)
    expect(opened.get_by_role("heading", level=1)).to_have_text("Your data from Choice and Control")
    check_accessibility(opened)

    page.goto(live_server + "/dashboard")
    page.get_by_role("link", name="Close your account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Close your account")
    expect(page.get_by_role("table", name="What we keep")).to_contain_text("The log of who saw or changed your records")
    check_accessibility(page)
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Are you sure you want to close your account?")
    check_accessibility(page)

    page.get_by_role("button", name="Close my account").click()
    summary_box = page.locator(".govuk-error-summary")
    expect(summary_box).to_contain_text("Enter your password")
    expect(summary_box).to_contain_text("Confirm that you understand closing your account cannot be undone")
    check_accessibility(page)
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_label("I understand that closing my account cannot be undone").check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is closed")
    check_accessibility(page)

    sign_in_is_refused(page, live_server, email)


def test_close_your_account_on_a_phone_without_javascript(new_context, live_server, make_account):
    _person_id, email = make_account(full_name="Jo Nojs")
    page = new_context(java_script_enabled=False, **PHONE_CONTEXT).new_page()
    sign_in(page, live_server, email, PASSWORD)
    visit(page, live_server + "/account/close")
    assert_fits_the_screen(page)
    visit(page, live_server + "/account/close/confirm")
    assert_fits_the_screen(page)
    page.get_by_label("Your password", exact=True).fill("not my password")
    page.get_by_label("I understand that closing my account cannot be undone").check()
    page.get_by_role("button", name="Close my account").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Your password is not correct")
    check_accessibility(page)
    assert_fits_the_screen(page)
    page.get_by_label("Your password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Close my account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account is closed")
    check_accessibility(page)
    assert_fits_the_screen(page)
    sign_in_is_refused(page, live_server, email)
