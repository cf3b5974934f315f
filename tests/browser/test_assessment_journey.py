"""The self-assessment in a real browser, answered page by page, with axe on every page it shows."""

import re

import pytest
from playwright.sync_api import expect

from portal.data.demo import DEMO_ANSWERS, DEMO_PASSWORD
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility
from tests.browser.test_foundation_journey import assert_fits_the_screen, open_menu_if_collapsed

DONE_OR_WAITING = re.compile(r"^\s*(Completed|Cannot start yet)\s*$")
QUESTION_URL = re.compile(r"/people/(\d+)/assessment/questions/(\w+)$")


def sign_in(page, base, email, password):
    page.goto(base + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your dashboard")


def look(page, phone):
    check_accessibility(page)
    if phone:
        assert_fits_the_screen(page)


def answer_this_page(page, answers):
    """Fill in the question on screen from `answers` and save it. Returns the question's id."""
    question_id = QUESTION_URL.search(page.url).group(2)
    value = answers[question_id]
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_be_visible()
    radio = page.locator(f"input[name=answer][value='{value}']")
    if radio.count():
        radio.check()
    else:
        page.get_by_role("textbox", name=heading.inner_text()).fill(value)
    page.get_by_role("button", name="Save and continue").click()
    return question_id


def answer_sections(page, answers, phone=False, stop_after=None):
    """Work through the task list section by section, as a person would, until all are done (or `stop_after`)."""
    done = []
    for _ in range(200):  # far more pages than the questionnaire has: a loop here is a bug, not a slow test
        look(page, phone)
        if "/questions/" in page.url:
            done.append(answer_this_page(page, answers))
        elif page.url.endswith("/check"):
            expect(page.locator(".govuk-caption-l")).to_have_text("Check your answers")
            if stop_after and stop_after in done:
                return done
            page.get_by_role("link", name="Save and go to all sections").click()
        else:
            expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment")
            unfinished = page.locator(".govuk-task-list__item").filter(
                has_not=page.locator(
                    ".govuk-task-list__status", has_text=re.compile(r"^\s*(Completed|Cannot start yet)\s*$")
                )
            )
            link = unfinished.first.get_by_role("link")
            if link.inner_text() == "Check your answers and send":
                link.click()
                return done
            link.click()
    pytest.fail(f"the assessment never ended: stuck at {page.url}")


def send_and_see_the_budget(page, phone=False):
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers and send")
    look(page, phone)
    page.get_by_role("button", name="Accept and send").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select who helped")
    look(page, phone)
    page.get_by_label("A family member").check()
    page.get_by_label("Their name").fill("Alex Taylor")
    page.get_by_role("button", name="Accept and send").click()
    expect(page.get_by_text("Your self-assessment has been sent.")).to_be_visible()
    look(page, phone)


def test_the_carer_starts_and_the_person_finishes_where_they_left_off(new_context, live_server, demo_people):
    """Alex (the demo carer) answers the first sections for Sam; Sam carries on from the dashboard and sends it."""
    sam = demo_people["demo.person@example.org"]
    carer = new_context().new_page()
    sign_in(carer, live_server, "demo.carer@example.org", DEMO_PASSWORD)
    check_accessibility(carer)
    carer.get_by_role("link", name="Start your self-assessment").click()
    expect(carer.get_by_role("heading", level=1)).to_have_text("Tell us about your needs")
    expect(carer.locator(".cc-acting-for")).to_contain_text("You are acting for Sam Taylor")
    check_accessibility(carer)
    carer.get_by_role("button", name="Start now").click()

    # A wrong answer first: the error summary names it and links to the field.
    expect(carer.get_by_role("heading", level=1)).to_have_text(
        "Do you need support because of your health, a disability, an illness or an injury?"
    )
    carer.get_by_role("button", name="Save and continue").click()
    expect(carer).to_have_title(re.compile("^Error: "))
    expect(carer.locator(".govuk-error-summary")).to_be_focused()
    check_accessibility(carer)
    carer.locator(".govuk-error-summary a").click()
    expect(carer.locator("#answer")).to_be_focused()

    answered = answer_sections(carer, DEMO_ANSWERS, stop_after="C_notes")
    assert answered[:4] == ["about_condition", "about_wellbeing", "about_what_matters", "A1"]

    person = new_context().new_page()
    sign_in(person, live_server, "demo.person@example.org", DEMO_PASSWORD)
    person.get_by_role("link", name="Continue your self-assessment").click()
    expect(person).to_have_url(f"{live_server}/people/{sam}/assessment/questions/D1")
    expect(person.locator(".cc-acting-for")).to_have_count(0)
    answer_sections(person, DEMO_ANSWERS)
    send_and_see_the_budget(person)

    expect(person.get_by_role("heading", level=1)).to_have_text("Your indicative personal budget")
    expect(person.get_by_text("We think your support could cost about £16,654.00 a year.")).to_be_visible()
    tree = person.locator("main").aria_snapshot()
    assert '- heading "Your indicative personal budget" [level=1]' in tree
    assert '- heading "How we worked this out" [level=2]' in tree
    assert '- table "Points for each part of your life"' in tree
    assert '- table "From points to money"' in tree
    assert re.search(r'rowheader "Points 41 to 80: 33 of your points"\'?\s+- cell "£4.50"\s+- cell "£148.50"', tree), (
        tree
    )
    assert '- link "Ask us to look again"' in tree

    # The carer sees the same budget from their dashboard.
    carer.goto(live_server + "/dashboard")
    carer.get_by_role("link", name="See your indicative budget").click()
    expect(carer.get_by_role("heading", level=1)).to_have_text("Indicative personal budget for Sam Taylor")
    check_accessibility(carer)


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param({"java_script_enabled": False}, id="no-javascript"),
        pytest.param({"java_script_enabled": True, **PHONE_CONTEXT}, id="phone-320px"),
    ],
)
def test_the_whole_assessment_without_javascript_and_on_a_phone(new_context, live_server, make_account, mode):
    phone = "viewport" in mode
    person_id, email = make_account(full_name="Ruth Adeyemi")
    page = new_context(**mode).new_page()
    sign_in(page, live_server, email, "correct horse battery")
    page.get_by_role("link", name="Start your self-assessment").click()
    look(page, phone)
    page.get_by_role("button", name="Start now").click()
    answers = {**DEMO_ANSWERS, "about_wellbeing": "some"}
    answer_sections(page, answers, phone)
    send_and_see_the_budget(page, phone)
    expect(page.get_by_role("heading", level=1)).to_have_text("Your self-assessment result")
    expect(page.get_by_text("do not affect your wellbeing a lot")).to_be_visible()

    page.get_by_role("link", name="Ask us to look again").click()
    look(page, phone)
    page.get_by_label("Why do you think this is not right?").fill("My bad days are much worse than this.")
    page.get_by_label("What support do you think you need?").fill("Help on my bad days.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Review requested")).to_be_visible()
    look(page, phone)
    open_menu_if_collapsed(page, phone and mode["java_script_enabled"])


def test_staff_check_the_queue_and_decide(new_context, live_server, make_account, demo_people):
    from portal.data.models import Role

    _, email = make_account(role=Role.STAFF, full_name="Priya Shah")
    page = new_context().new_page()
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password", exact=True).fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Self-assessments and budget reviews").click()
    check_accessibility(page)
    page.get_by_role("link", name="Morgan Ellis").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Morgan Ellis")
    check_accessibility(page)
    page.get_by_label("Change the amount").check()
    page.get_by_role("button", name="Save decision").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the new yearly amount")
    check_accessibility(page)
    page.get_by_label("New yearly amount").fill("52,000")
    page.get_by_label("Reason").fill("The sleep-in costs more in Morgan's area.")
    page.get_by_role("button", name="Save decision").click()
    expect(page.get_by_text("Your decision has been saved.")).to_be_visible()
    check_accessibility(page)
