"""The support plan in a real browser: the demo person writes it over budget; staff return it, then approve it."""

import re

from playwright.sync_api import expect

from portal.data.demo import DEMO_ANSWERS, DEMO_PASSWORD
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility
from tests.browser.test_assessment_journey import sign_in
from tests.browser.test_foundation_journey import assert_fits_the_screen

ALL_NEEDS = [
    "Eating and drinking",
    "Washing and keeping clean",
    "Getting out and about",
    "Work, learning and volunteering",
]


def ensure_budget(live_app, person_id):
    """Sam's indicative budget: from the assessment journey if it ran first, else made here the same way."""
    from portal.data import budgets
    from tests.factories import make_assessment

    with live_app.app_context():
        if budgets.latest_budget(person_id) is None:
            make_assessment(live_app, person_id, DEMO_ANSWERS, send=True)


def add_from_directory(page, base, person_id, search, quantity, often):
    page.goto(f"{base}/directory?q={search}")
    check_accessibility(page)
    page.locator(".cc-result h3 a").first.click()
    # Wait for the service page before asking how many prices it offers: counting does not wait.
    expect(page.get_by_text(re.compile("Add to my support plan"))).not_to_have_count(0)
    single = page.get_by_role("link", name="Add to my support plan")
    if single.count():
        single.click()
    else:  # a service with several prices offers one link each: take the first
        page.get_by_text("Add to my support plan at:").locator("xpath=following-sibling::ul[1]//a").first.click()
    check_accessibility(page)
    page.get_by_label("How many each time").fill(quantity)
    page.get_by_label(often).check()
    page.get_by_role("button", name="Save this item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How I will use my budget")


def add_own(page, base, person_id, description, price, unit, quantity, often):
    page.goto(f"{base}/people/{person_id}/plan/items/new")
    page.get_by_label("What is it?").fill(description)
    page.get_by_label("Price").fill(price)
    page.get_by_label("For each").fill(unit)
    page.get_by_label("How many each time").fill(quantity)
    page.get_by_label(often).check()
    expect(page.locator("#item-cost")).to_contain_text("This costs")  # htmx worked it out as the fields changed
    check_accessibility(page)
    page.get_by_role("button", name="Save this item").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How I will use my budget")


def test_write_a_plan_over_budget_returned_fixed_and_approved(
    new_context, live_server, live_app, demo_people, directory_loaded
):
    sam = demo_people["demo.person@example.org"]
    ensure_budget(live_app, sam)
    page = new_context().new_page()
    sign_in(page, live_server, "demo.person@example.org", DEMO_PASSWORD)
    page.goto(f"{live_server}/people/{sam}/plan")
    check_accessibility(page)
    page.get_by_role("button", name="Start your support plan").click()
    check_accessibility(page)

    page.get_by_role("link", name="About me").click()
    check_accessibility(page)
    page.get_by_label("What is important to me").fill("Seeing my friends and getting to college.")
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("My outcomes")
    check_accessibility(page)
    page.get_by_role("link", name="Add your first outcome").click()
    page.get_by_label("What do you want to change or achieve?").fill("Go to college twice a week")
    page.get_by_label("How will you know it is working?").fill("I go most weeks and keep up with the course")
    for need in page.locator("input[name=needs]").all():
        need.check()
    check_accessibility(page)
    page.get_by_role("button", name="Save outcome").click()
    expect(page.get_by_text("Needs not yet in your plan")).to_have_count(0)

    add_from_directory(page, live_server, sam, "home+care+visits", "7", "Every week")
    add_from_directory(page, live_server, sam, "day+opportunities", "2", "Every week")
    add_own(page, live_server, sam, "Personal assistant", "16.50", "hour", "20", "Every week")
    add_own(page, live_server, sam, "Tandem bicycle", "1,850", "bike", "1", "Just once (a one-off)")
    check_accessibility(page)
    expect(page.locator(".govuk-warning-text")).to_contain_text("more than your indicative budget")

    # The same page on a phone: the costing table scrolls in its own region, the page never sideways.
    phone = new_context(**PHONE_CONTEXT).new_page()
    sign_in(phone, live_server, "demo.person@example.org", DEMO_PASSWORD)
    phone.goto(f"{live_server}/people/{sam}/plan/budget")
    check_accessibility(phone)
    assert_fits_the_screen(phone)

    page.get_by_role("link", name="Continue").click()
    page.get_by_label("A direct payment", exact=True).check()
    check_accessibility(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("What could go wrong?").fill("My personal assistant is ill.")
    page.get_by_label("What will you do if it does?").fill("The agency sends cover; Alex stays over.")
    page.get_by_label("Who to call in an emergency").fill("Alex Taylor, 01632 960111")
    check_accessibility(page)
    page.get_by_role("button", name="Save and continue").click()
    page.get_by_label("A family member").check()
    page.get_by_label("Their name").fill("Alex Taylor")
    page.get_by_label("I agree to share this plan").check()
    check_accessibility(page)
    page.get_by_role("button", name="Save and continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your plan and send it")
    check_accessibility(page)
    page.get_by_role("button", name="Send my plan to the council").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Tell us why your plan needs more")
    check_accessibility(page)
    page.get_by_label("Why does your plan cost more than the indicative budget?").fill(
        "College days need a PA all day."
    )
    page.get_by_role("button", name="Send my plan to the council").click()
    expect(page.get_by_text("Your plan has been sent to the council.")).to_be_visible()
    check_accessibility(page)

    staff = new_context().new_page()
    staff.goto(live_server + "/sign-in")
    staff.get_by_label("Email address").fill("demo.staff@example.org")
    staff.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    staff.get_by_role("button", name="Sign in").click()
    staff.get_by_role("link", name="Support plans to decide").click()
    check_accessibility(staff)
    expect(staff.locator("table")).to_contain_text("over")
    staff.get_by_role("link", name="Sam Taylor").click()
    check_accessibility(staff)
    staff.get_by_label("Return it to the person with comments").check()
    staff.get_by_label("Comment on “How I will use my budget”").fill(
        "Could the tandem come from the Disabled Facilities Grant?"
    )
    staff.get_by_role("button", name="Save decision").click()
    expect(staff.get_by_text("Your decision has been saved.")).to_be_visible()

    page.goto(f"{live_server}/people/{sam}/plan")
    expect(page.get_by_text("The council has asked you to change some things")).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="How I will use my budget").click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("Disabled Facilities Grant")
    page.get_by_role("button", name="Remove Tandem bicycle").click()
    check_accessibility(page)
    page.goto(f"{live_server}/people/{sam}/plan/check")
    page.get_by_role("button", name="Send my plan to the council").click()
    expect(page.get_by_text("Your plan has been sent to the council.")).to_be_visible()

    staff.goto(live_server + "/staff/plans")
    staff.get_by_role("link", name="Sam Taylor").click()
    staff.get_by_label("Approve the plan at its cost").check()
    staff.get_by_role("button", name="Save decision").click()
    expect(staff.get_by_text("Your decision has been saved.")).to_be_visible()
    check_accessibility(staff)

    page.goto(f"{live_server}/people/{sam}/plan")
    expect(page.get_by_text(re.compile(r"Your personal budget is £[\d,]+\.\d\d a year"))).to_be_visible()
    check_accessibility(page)
    page.get_by_role("link", name="See the whole plan to print or save").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Support plan for Sam Taylor")
    check_accessibility(page)
