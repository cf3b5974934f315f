import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import make_assessment, make_user
from tests.web.conftest import WebClient, check_page, error_summary


@pytest.fixture
def staff(app, web):
    _, email = make_user(app, Role.STAFF, full_name="Priya Shah")
    web.sign_in(email)
    return web


@pytest.fixture
def sent(app):
    person_id, email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    assessment_id = make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    return person_id, email, assessment_id


def person_view(app, email, person_id):
    client = WebClient(app.test_client())
    client.sign_in(email)
    return client.page(f"/people/{person_id}/budget")


def audit_actions(app, person_id):
    from portal.data.audit import events_for_person

    with app.app_context():
        return [event.action for event in events_for_person(person_id)]


def test_the_queue_lists_sent_assessments_oldest_first(app, staff):
    first, _ = make_user(app, Role.PERSON, full_name="Ann First")
    second, _ = make_user(app, Role.PERSON, full_name="Ben Second")
    make_assessment(app, first, DEMO_ANSWERS, send=True)
    make_assessment(app, second, {**DEMO_ANSWERS, "about_wellbeing": "some"}, send=True)
    make_assessment(app, make_user(app, Role.PERSON)[0], {"A1": "alone"})  # a draft is not in the queue
    soup = staff.page("/staff/assessments")
    rows = [
        [cell.get_text(strip=True) for cell in row.select("td")] for row in soup.select("table")[-1].select("tbody tr")
    ]
    assert [row[0] for row in rows] == ["Ann First", "Ben Second"]
    assert rows[0][2:] == ["Yes", "£16,654.00"]
    assert rows[1][2:] == ["No", "£0.00"]
    assert "2 self-assessments to check" in staff.page("/staff").get_text(" ", strip=True)


def test_viewing_a_record_is_audited(app, staff, sent):
    person_id, _, assessment_id = sent
    soup = staff.page(f"/staff/assessments/{assessment_id}")
    assert soup.h1.get_text(strip=True) == "Sam Taylor"
    assert "Total for 73 points £239.50" in soup.select_one(".cc-working").get_text(" ", strip=True)
    assert len(soup.select(".govuk-summary-list")) >= 15
    assert "record.viewed" in audit_actions(app, person_id)


def test_an_unknown_assessment_is_not_found(staff):
    staff.get("/staff/assessments/999999", status=404)


def test_confirming_the_amount(app, staff, sent):
    person_id, email, assessment_id = sent
    response = staff.submit(f"/staff/assessments/{assessment_id}", {"decision": "confirmed", "seen": "0"}, status=302)
    assert response.headers["Location"] == "/staff/assessments"
    assert "No self-assessments are waiting." in staff.page("/staff/assessments").get_text()
    text = person_view(app, email, person_id).get_text(" ", strip=True)
    assert "Checked by the council" in text
    assert "£16,654.00" in text
    assert "budget.confirmed" in audit_actions(app, person_id)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"seen": "0"}, {"decision": "Select whether to confirm or change the amount"}),
        (
            {"decision": "adjusted"},
            {
                "amount": "Enter the new yearly amount",
                "reason": "Enter the reason for changing the amount. The person will see it",
            },
        ),
        (
            {"decision": "adjusted", "amount": "lots", "reason": "r"},
            {"amount": "Enter the amount in pounds, like 12,500 or 12,500.50"},
        ),
        (
            {"decision": "adjusted", "amount": "-50", "reason": "r"},
            {"amount": "Enter the amount in pounds, like 12,500 or 12,500.50"},
        ),
        (
            {"decision": "adjusted", "amount": "2,000,000", "reason": "r"},
            {"amount": "The yearly amount must be £1,000,000 or less"},
        ),
        (
            {"decision": "adjusted", "amount": "100", "reason": "x" * 2001},
            {"reason": "The reason must be 2,000 characters or fewer"},
        ),
    ],
)
def test_a_decision_with_a_mistake_is_explained_and_changes_nothing(app, staff, sent, data, errors):
    person_id, _, assessment_id = sent
    soup = check_page(staff.submit(f"/staff/assessments/{assessment_id}", {"seen": "0", **data}, status=200))
    assert error_summary(soup) == errors
    assert not any(
        action.startswith("budget.c") or action == "budget.adjusted" for action in audit_actions(app, person_id)
    )


def test_changing_the_amount_answers_the_review_and_the_person_sees_why(app, staff, sent):
    person_id, email, assessment_id = sent
    person = WebClient(app.test_client())
    person.sign_in(email)
    person.submit(
        f"/people/{person_id}/budget/review",
        {"reason": "College days are missing.", "what_is_needed": "A PA on Tuesdays."},
    )
    queue = staff.page("/staff/assessments")
    assert "Sam Taylor" in queue.select("table")[0].get_text()
    soup = staff.page(f"/staff/assessments/{assessment_id}")
    assert soup.select_one(".govuk-summary-list .cc-answer").get_text() == "College days are missing."

    staff.submit(
        f"/staff/assessments/{assessment_id}",
        {
            "decision": "adjusted",
            "amount": "£18,500",
            "reason": "We added support for college on Tuesdays.",
            "seen": "0",
        },
        status=302,
    )
    text = person.page(f"/people/{person_id}/budget").get_text(" ", strip=True)
    assert "Changed by the council" in text
    assert "changed the yearly amount from £16,654.00 to £18,500.00" in text
    assert "We added support for college on Tuesdays." in text
    assert "We think your support could cost about £18,500.00 a year." in text
    assert "Review requested" not in text
    assert "Reviews you asked for" in text
    assert "No requests are waiting." in staff.page("/staff/assessments").get_text()
    assert "budget.adjusted" in audit_actions(app, person_id)


def test_a_decision_from_an_out_of_date_page_is_not_applied(app, staff, sent):
    person_id, email, assessment_id = sent
    url = f"/staff/assessments/{assessment_id}"
    page = staff.page(url)
    assert page.select_one("input[name=seen]")["value"] == "0"
    staff.submit(url, {"decision": "adjusted", "amount": "12,000", "reason": "Less needed.", "seen": "0"}, status=302)
    # A colleague's page still shows the first amount; their "confirm" must not confirm £12,000 unseen.
    response = staff.submit(url, {"decision": "confirmed", "seen": "0"}, status=302)
    assert response.headers["Location"] == url
    assert "Someone else made a decision on this" in staff.page(url).get_text()
    assert audit_actions(app, person_id).count("budget.confirmed") == 0


def test_a_review_cannot_be_answered_without_a_reason(app, staff, sent):
    person_id, email, assessment_id = sent
    person = WebClient(app.test_client())
    person.sign_in(email)
    person.submit(f"/people/{person_id}/budget/review", {"reason": "Too low.", "what_is_needed": "More."})
    soup = check_page(staff.submit(f"/staff/assessments/{assessment_id}", {"decision": "confirmed", "seen": "0"}))
    assert error_summary(soup) == {
        "reason": "Enter the reason for your decision on their review. The person will see it"
    }


def test_a_changed_amount_is_split_between_funding_streams_to_the_penny(app, staff, sent):
    person_id, email, assessment_id = sent
    staff.submit(
        f"/staff/assessments/{assessment_id}",
        {"decision": "adjusted", "amount": "10,000.01", "reason": "r", "seen": "0"},
        status=302,
    )
    soup = person_view(app, email, person_id)
    table = next(t for t in soup.select("table") if "Where the money comes from" in t.caption.get_text())
    amounts = [cell.get_text(strip=True) for cell in table.select("td")]
    pence = [int(a.replace("£", "").replace(",", "").replace(".", "")) for a in amounts]
    assert sum(pence) == 1_000_001


def test_not_eligible_can_be_confirmed_but_not_given_an_amount(app, staff):
    person_id, _ = make_user(app, Role.PERSON)
    assessment_id = make_assessment(app, person_id, {**DEMO_ANSWERS, "about_condition": "no"}, send=True)
    url = f"/staff/assessments/{assessment_id}"
    page = staff.page(url)
    assert [label.get_text(strip=True) for label in page.select("form .govuk-radios__label")] == ["Confirm the result"]
    assert not page.select_one("#amount")
    soup = check_page(staff.submit(url, {"decision": "adjusted", "amount": "5000", "reason": "r", "seen": "0"}))
    assert error_summary(soup) == {"decision": "Select whether to confirm or change the amount"}


def test_a_changed_amount_must_be_more_than_nothing(staff, sent):
    _, _, assessment_id = sent
    url = f"/staff/assessments/{assessment_id}"
    soup = check_page(staff.submit(url, {"decision": "adjusted", "amount": "0", "reason": "r", "seen": "0"}))
    assert error_summary(soup) == {"amount": "The yearly amount must be more than £0"}
