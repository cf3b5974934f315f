"""The budget account in a real browser: the demo person records spending with a receipt, imports a statement,
corrects an entry, downloads a statement and sends a return; council staff review it. axe on every page."""

from playwright.sync_api import expect

from portal.data.demo import DEMO_ANSWERS, DEMO_PASSWORD
from portal.timekeeping import today
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, visit
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen
from tests.factories import tiny_png


def ensure_account(live_app, person_id):
    """Sam's budget account: opened by the plan journey if it ran first, else made here the same way."""
    from portal.data import budget_accounts, budgets
    from tests.factories import approve_a_plan, make_assessment

    with live_app.app_context():
        if budgets.latest_budget(person_id) is None:
            make_assessment(live_app, person_id, DEMO_ANSWERS, send=True)
        if budget_accounts.account_for(person_id) is None:
            approve_a_plan(live_app, person_id)


def fill_date(page, legend, day):
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def test_record_import_correct_download_and_send_a_return_then_staff_review_it(
    new_context, live_server, live_app, demo_people, directory_loaded
):
    sam = demo_people["demo.person@example.org"]
    ensure_account(live_app, sam)
    page = new_context().new_page()
    sign_in(page, live_server, "demo.person@example.org", DEMO_PASSWORD)
    check_accessibility(page)
    page.get_by_role("link", name="Go to your budget account").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your budget account")
    check_accessibility(page)

    # Record spending, with a mistake first, then a receipt.
    page.get_by_role("link", name="Record spending").first.click()
    check_accessibility(page)
    page.get_by_role("button", name="Save this spending").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the date you paid")
    check_accessibility(page)
    fill_date(page, "When did you pay?", today())
    page.get_by_label("Who did you pay?").fill("Chris Wood")
    page.get_by_role("group", name="What was it for?").get_by_role("radio").first.check()
    page.get_by_label("How much did you pay?").fill("87.50")
    page.get_by_label("Bank transfer").check()
    page.get_by_label("Upload a receipt (optional)").set_input_files(
        {"name": "payslip.png", "mimeType": "image/png", "buffer": tiny_png()}
    )
    page.get_by_role("button", name="Save this spending").click()
    expect(page.get_by_text("Your spending of £87.50 has been recorded.")).to_be_visible()
    check_accessibility(page)

    # Import a statement: a preview first, nothing added until it is confirmed.
    day = today().strftime("%d/%m/%Y")
    statement = (
        "Date,Description,Paid out,Paid in,Balance\n"
        f"{day},CHRIS WOOD,87.50,,100.00\n"
        f"{day},ANYTOWN DAY OPPORTUNITIES,55.00,,45.00\n"
    ).encode()
    page.goto(f"{live_server}/people/{sam}/budget-account/import")
    check_accessibility(page)
    page.get_by_label("A bank account").check()
    page.get_by_label("Upload a statement (a CSV file)").set_input_files(
        {"name": "statement.csv", "mimeType": "text/csv", "buffer": statement}
    )
    page.get_by_role("button", name="Upload and check").click()
    expect(page.locator("#include_2")).not_to_be_checked()  # the £87.50 just recorded by hand
    expect(page.locator("#include_3")).to_be_checked()
    check_accessibility(page)
    page.get_by_role("button", name="Import these lines").click()
    expect(page.get_by_text("1 line has been added to your records.")).to_be_visible()
    check_accessibility(page)

    # Correct the imported line: records are never changed, a correction cancels it.
    page.get_by_role("link", name="View ANYTOWN DAY OPPORTUNITIES").first.click()
    check_accessibility(page)
    page.get_by_role("link", name="Correct this entry").click()
    check_accessibility(page)
    page.get_by_label("Why is this entry wrong?").fill("The day centre refunded it: the session was cancelled.")
    page.get_by_role("button", name="Correct this entry").click()
    expect(page.get_by_text("The entry has been corrected.")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Corrected")
    check_accessibility(page)

    # A statement, downloaded.
    page.goto(f"{live_server}/people/{sam}/budget-account/statement")
    check_accessibility(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download as a spreadsheet (CSV)").click()
    assert "Chris Wood" in download.value.path().read_text(encoding="utf-8")

    # Send a return with the declaration.
    page.goto(f"{live_server}/people/{sam}/budget-account/returns")
    check_accessibility(page)
    page.get_by_role("link", name="Send a return").click()
    check_accessibility(page)
    page.get_by_role("group", name="Which period is this return for?").get_by_role("radio").first.check()
    page.get_by_role("button", name="Send the return").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("declaration")
    page.get_by_label("I declare that the records for this period are true and complete").check()
    page.get_by_role("button", name="Send the return").click()
    expect(page.get_by_text("Your return has been sent to the council.")).to_be_visible()
    check_accessibility(page)

    # The dashboard on a phone: nothing scrolls sideways, the chart has its table.
    phone = new_context(**PHONE_CONTEXT).new_page()
    sign_in(phone, live_server, "demo.person@example.org", DEMO_PASSWORD)
    visit(phone, f"{live_server}/people/{sam}/budget-account")
    assert_fits_the_screen(phone)
    visit(phone, f"{live_server}/people/{sam}/budget-account/records")
    assert_fits_the_screen(phone)

    # Council staff see the return, and review it.
    staff = new_context().new_page()
    staff.goto(live_server + "/sign-in")
    staff.get_by_label("Email address").fill("demo.staff@example.org")
    staff.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name="Budget accounts and returns").click()
    check_accessibility(staff)
    staff.get_by_role("link", name="Sam Taylor", exact=True).click()
    expect(staff.get_by_role("heading", level=1)).to_have_text("Budget account for Sam Taylor")
    check_accessibility(staff)
    staff.get_by_role("link", name="Budget accounts").click()
    staff.locator("main").get_by_role("link", name="Sam Taylor:").first.click()
    check_accessibility(staff)
    staff.get_by_label("Mark the return as reviewed").check()
    staff.get_by_role("button", name="Save").click()
    expect(staff.get_by_text("Your decision has been saved.")).to_be_visible()
    check_accessibility(staff)

    page.goto(f"{live_server}/people/{sam}/budget-account/returns")
    expect(page.locator("main")).to_contain_text("Reviewed by the council")


def test_record_spending_without_javascript(new_context, live_server, live_app, demo_people):
    sam = demo_people["demo.person@example.org"]
    ensure_account(live_app, sam)
    page = new_context(java_script_enabled=False).new_page()
    sign_in(page, live_server, "demo.person@example.org", DEMO_PASSWORD)
    visit(page, f"{live_server}/people/{sam}/budget-account/spending/new")
    fill_date(page, "When did you pay?", today())
    page.get_by_label("Who did you pay?").fill("Anytown Taxis")
    page.get_by_label("Something else, not in my plan").check()
    page.get_by_label("What was it for, and why was it needed?").fill("A taxi home when the bus did not come")
    page.get_by_label("How much did you pay?").fill("12.40")
    page.get_by_label("Prepaid card").check()
    page.get_by_role("button", name="Save this spending").click()
    expect(page.get_by_text("Your spending of £12.40 has been recorded.")).to_be_visible()
    check_accessibility(page)
    expect(page.locator("main")).to_contain_text("not in your plan")
