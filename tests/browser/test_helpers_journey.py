"""A person invites a helper with a code read out on the phone, chooses what they may do, and changes it; the helper
sees the person's dashboard, assessment, plan and spending as allowed; staff record a representative. axe on every
page, a phone's screen, and the invitation without JavaScript."""

import re

from playwright.sync_api import expect

from portal.data.models import Role
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen
from tests.browser.test_spending_journey import ensure_account
from tests.factories import PASSWORD


def _invite(page, base, name, permissions):
    visit(page, f"{base}/account/helpers/invite")
    page.get_by_label("Their name").fill(name)
    page.get_by_label("How do they know you?").fill("My brother")
    group = page.get_by_role("group", name="What can they do?")
    for permission in permissions:
        group.get_by_label(permission, exact=True).check()
    page.get_by_label("I will read them a code, on the phone or in person").check()
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Invitation ready")
    check_accessibility(page)
    code = page.locator("strong[aria-hidden='true']").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    return code


def test_a_person_invites_a_helper_who_sees_only_what_they_were_given(new_context, live_server, live_app, make_account):
    person_id, person_email = make_account(full_name="Rosa Lane")
    _, helper_email = make_account(role=Role.REPRESENTATIVE, full_name="Ben Lane")
    ensure_account(live_app, person_id)  # an assessment, a budget, an approved plan and a budget account

    person = new_context().new_page()
    sign_in(person, live_server, person_email, PASSWORD)
    person.get_by_role("link", name="Invite someone to help you, or change what your helpers can do").click()
    expect(person.get_by_role("heading", level=1)).to_have_text("People who help you")
    check_accessibility(person)

    # A mistake first: the error summary names it and links to the field.
    visit(person, f"{live_server}/account/helpers/invite")
    person.get_by_role("button", name="Send the invitation").click()
    expect(person.locator(".govuk-error-summary")).to_contain_text("Select at least one thing they can do")
    check_accessibility(person)
    code = _invite(person, live_server, "Ben Lane", ["See everything"])

    # The helper, on a phone, types the code as it was read out to them.
    helper = new_context(**PHONE_CONTEXT).new_page()
    sign_in(helper, live_server, helper_email, PASSWORD)
    helper.get_by_role("link", name="Enter an invitation code").first.click()
    check_accessibility(helper)
    helper.get_by_label("Enter an invitation code").fill(code.lower().replace("-", " "))
    helper.get_by_role("button", name="Continue").click()
    expect(helper.get_by_role("heading", level=1)).to_have_text("Help Rosa Lane")
    check_accessibility(helper)
    assert_fits_the_screen(helper)
    helper.get_by_role("button", name="Accept and help Rosa Lane").click()
    expect(helper.get_by_role("heading", level=1)).to_have_text("People you help")
    check_accessibility(helper)
    assert_fits_the_screen(helper)

    # The helper's dashboard shows Rosa's steps; each opens the record read-only, with the banner.
    visit(helper, f"{live_server}/dashboard")
    expect(helper.get_by_role("heading", name="Rosa Lane")).to_be_visible()
    for path, heading in (
        ("assessment/sections", None),
        ("budget", "Indicative personal budget for Rosa Lane"),
        ("plan", None),
        ("budget-account", None),
    ):
        visit(helper, f"{live_server}/people/{person_id}/{path}")
        expect(helper.locator(".cc-acting-for")).to_contain_text("You are acting for Rosa Lane")
        if heading:
            expect(helper.get_by_role("heading", level=1)).to_contain_text(heading)
        assert_fits_the_screen(helper)

    # Recording spending was not given: refused, and told who can give it.
    response = helper.goto(f"{live_server}/people/{person_id}/budget-account/spending/new")
    assert response.status == 403
    expect(helper.get_by_text("Rosa Lane has not given you permission to do this.")).to_be_visible()
    check_accessibility(helper)

    # Rosa adds "Record spending and receipts"; it applies on Ben's next page.
    visit(person, f"{live_server}/account/helpers")
    person.get_by_role("link", name="Change what they can do – Ben Lane").click()
    check_accessibility(person)
    person.get_by_role("group", name="What can Ben Lane do?").get_by_label(
        "Record spending and receipts", exact=True
    ).check()
    person.get_by_role("button", name="Save what they can do").click()
    expect(person.get_by_text("You have changed what Ben Lane can do.")).to_be_visible()
    check_accessibility(person)
    visit(helper, f"{live_server}/people/{person_id}/budget-account/spending/new")
    expect(helper.get_by_role("heading", level=1)).to_be_visible()

    # And stops it.
    person.get_by_role("link", name="Stop their access – Ben Lane").click()
    check_accessibility(person)
    person.get_by_role("button", name="Stop their access").click()
    expect(person.get_by_text("Ben Lane can no longer see or change your record.")).to_be_visible()
    response = helper.goto(f"{live_server}/people/{person_id}/budget-account")
    assert response.status == 404


def test_inviting_works_without_javascript(new_context, live_server, make_account):
    _, person_email = make_account(full_name="Noor Khan")
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, person_email, PASSWORD)
    visit(page, f"{live_server}/account/helpers/invite")
    page.get_by_label("Their name").fill("Sara Khan")
    page.get_by_label("How do they know you?").fill("My sister")
    page.get_by_role("group", name="What can they do?").get_by_label("Write the support plan").check()
    page.get_by_label("By email").check()
    page.get_by_label("Their email address").fill("not-an-email")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter an email address in the correct format")
    check_accessibility(page)
    page.get_by_label("Their email address").fill("sara@example.org")
    page.get_by_role("button", name="Send the invitation").click()
    expect(page.get_by_text("We have emailed the invitation to sara@example.org.")).to_be_visible()
    check_accessibility(page)
    visit(page, f"{live_server}/account/helpers")
    expect(page.get_by_role("heading", name="Sara Khan")).to_be_visible()


def test_staff_record_a_representative_for_a_person_who_cannot_consent(new_context, live_server, make_account):
    _, _ = make_account(full_name="Iris Weller")
    _, deputy_email = make_account(role=Role.REPRESENTATIVE, full_name="Tom Weller")
    _, staff_email = make_account(role=Role.STAFF)
    page = new_context().new_page()
    page.goto(f"{live_server}/sign-in")
    page.get_by_label("Email address").fill(staff_email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Record a representative").click()
    check_accessibility(page)
    page.get_by_label("Name or email address").fill("iris wel")
    page.get_by_role("button", name="Search").click()
    check_accessibility(page)
    page.get_by_role("link", name="Iris Weller").click()
    check_accessibility(page)
    page.get_by_label("The representative’s email address").fill(deputy_email)
    page.get_by_label("Their relationship to the person").fill("Son, property and affairs deputy")
    page.get_by_label("Deputy appointed by the Court of Protection").check()
    page.get_by_label("Why the person cannot give consent themselves").fill("Court order of 3 March 2026.")
    page.get_by_role("group", name="What can they do?").get_by_label(
        "Act as the direct payment nominee", exact=True
    ).check()
    page.get_by_role("button", name="Record the representative").click()
    expect(page.get_by_text("Tom Weller is recorded as Iris Weller’s representative.")).to_be_visible()
    expect(page.get_by_role("table")).to_contain_text("Deputy appointed by the Court of Protection")
    check_accessibility(page)
