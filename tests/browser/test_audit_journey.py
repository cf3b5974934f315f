"""The audit trail in a real browser: council staff look at a person's self-assessment, the person sees that in
their record's history on a phone, and staff search the log, with and without JavaScript. axe on every page."""

import re

import pytest
from playwright.sync_api import expect

from portal.data.demo import DEMO_ANSWERS
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_foundation_journey import assert_fits_the_screen

PASSWORD = "correct horse battery"


def sign_in(page, base, email, heading):
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    check_accessibility(page)


@pytest.fixture
def looked_at(live_app, make_account):
    """Nia has sent her self-assessment; Tom works for the council."""
    from portal.data.models import Role
    from tests.factories import make_assessment

    person_id, person_email = make_account(full_name="Nia Okafor-Audit")
    _, staff_email = make_account(role=Role.STAFF, full_name="Tom Reyes-Audit")
    assessment_id = make_assessment(live_app, person_id, DEMO_ANSWERS, send=True)
    return person_email, staff_email, assessment_id


def test_staff_look_at_a_record_then_the_person_sees_it_in_their_history(new_context, live_server, looked_at):
    person_email, staff_email, assessment_id = looked_at
    staff = new_context().new_page()
    sign_in(staff, live_server, staff_email, "Staff home")
    visit(staff, f"{live_server}/staff/assessments/{assessment_id}")
    expect(staff.get_by_role("heading", level=1)).to_have_text("Nia Okafor-Audit")

    # The search: a mistake first, then by whose record, with the details of one event opened.
    staff.goto(f"{live_server}/staff")
    staff.get_by_role("link", name="Search the audit log").click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Search the audit log")
    check_accessibility(staff)
    staff.get_by_role("group", name="From").get_by_label("Month").fill("13")
    staff.get_by_role("button", name="Search").click()
    expect(staff.locator(".govuk-error-summary")).to_contain_text("Enter a real date, like 27 3 2026")
    expect(staff).to_have_title(re.compile(r"^Error: Search the audit log"))
    check_accessibility(staff)
    staff.get_by_role("group", name="From").get_by_label("Month").fill("")
    staff.get_by_label("Whose record").fill("okafor-audit")
    staff.get_by_label("Kind of event").select_option(label="Looking at a record")
    staff.get_by_role("button", name="Search").click()
    table = staff.get_by_role("table")
    expect(table).to_contain_text("1 event found")
    expect(table).to_contain_text("Tom Reyes-Audit (Council staff)")
    expect(table).to_contain_text("looked at the self-assessment")
    staff.get_by_text("Details", exact=False).first.click()
    expect(table.locator("dl")).to_contain_text("assessment")
    check_accessibility(staff)

    # The person, on a phone: the dashboard's link, the history, and a filter.
    phone = new_context(**PHONE_CONTEXT).new_page()
    sign_in(phone, live_server, person_email, "Your dashboard")
    phone.get_by_role("link", name="Who has looked at or changed your record").click()
    expect(phone.get_by_role("heading", level=1)).to_have_text("Who has looked at or changed your record")
    expect(phone.locator("main")).to_contain_text("Tom Reyes-Audit (council staff) looked at your self-assessment")
    check_accessibility(phone)
    assert_fits_the_screen(phone)
    phone.get_by_label("Council staff looking at your record").check()
    phone.get_by_role("button", name="Show events").click()
    events = phone.locator("main ol.govuk-list > li")
    expect(events).to_have_count(2)  # searching the log for Nia's record alone is looking at it too
    expect(events.nth(0)).to_contain_text("Tom Reyes-Audit (council staff) searched the history of who has looked")
    expect(events.nth(1)).to_contain_text("Tom Reyes-Audit (council staff) looked at your self-assessment")
    check_accessibility(phone)
    assert_fits_the_screen(phone)
    phone.get_by_role("group", name="From").get_by_label("Day").fill("31")
    phone.get_by_role("group", name="From").get_by_label("Month").fill("2")
    phone.get_by_role("group", name="From").get_by_label("Year").fill("2026")
    phone.get_by_role("button", name="Show events").click()
    expect(phone.locator(".govuk-error-summary")).to_contain_text("Enter a real date, like 27 3 2026")
    check_accessibility(phone)
    assert_fits_the_screen(phone)


def test_staff_search_the_log_without_javascript(new_context, live_server, looked_at):
    _, staff_email, assessment_id = looked_at
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, staff_email, "Staff home")
    visit(page, f"{live_server}/staff/assessments/{assessment_id}")
    visit(page, f"{live_server}/staff/audit")
    page.get_by_label("Who did it").fill("Tom Reyes-Audit")
    page.get_by_label("Kind of event").select_option(label="Looking at a record")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_role("table")).to_contain_text("Nia Okafor-Audit")
    expect(page.get_by_role("table")).to_contain_text("looked at the self-assessment")
    assert "actor=Tom+Reyes-Audit" in page.url, "a search is an address that can be bookmarked"
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download these results (CSV)").click()
    assert "looked at the self-assessment" in download.value.path().read_text(encoding="utf-8")
