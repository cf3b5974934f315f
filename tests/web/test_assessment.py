import dataclasses

import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import make_assessment, make_helper_for, make_user
from tests.web.conftest import error_summary


@pytest.fixture
def person_id(signed_in_person):
    return signed_in_person[0]


def started(web, person_id):
    web.submit(f"/people/{person_id}/assessment", {}, status=302)


def answer(web, person_id, question_id, value, seen_version=None, **kwargs):
    url = f"/people/{person_id}/assessment/questions/{question_id}"
    data = {"answer": value}
    if seen_version is not None:
        data["seen_version"] = str(seen_version)
    else:
        page = web.page(url)
        data["seen_version"] = page.select_one("input[name=seen_version]")["value"]
    kwargs.setdefault("form_url", url)
    return web.submit(url, data, **kwargs)


def saved_answers(app, person_id):
    from portal.data import assessments

    with app.app_context():
        return assessments.answers_of(assessments.latest_assessment(person_id))


def test_the_start_page_explains_before_anything_is_saved(web, person_id):
    soup = web.page(f"/people/{person_id}/assessment")
    assert soup.h1.get_text(strip=True) == "Tell us about your needs"
    text = soup.get_text(" ", strip=True)
    for promise in ("30 to 45 minutes", "carry on later", "Someone can help you", "What happens next"):
        assert promise in text
    assert soup.select_one("button.govuk-button--start").get_text(strip=True) == "Start now"


def test_starting_goes_to_the_first_question(web, person_id):
    response = web.submit(f"/people/{person_id}/assessment", {}, status=302)
    assert response.headers["Location"] == f"/people/{person_id}/assessment/continue"
    first = web.get(response.headers["Location"], status=302).headers["Location"]
    assert first == f"/people/{person_id}/assessment/questions/about_condition"


def test_the_dashboard_offers_the_assessment_then_to_continue_it(web, person_id):
    button = web.page("/dashboard").select_one("main a.govuk-button")
    assert button.get_text(strip=True) == "Start your self-assessment"
    started(web, person_id)
    answer(web, person_id, "about_condition", "yes", status=302)
    button = web.page("/dashboard").select_one("main a.govuk-button")
    assert button.get_text(strip=True) == "Continue your self-assessment"
    assert web.get(button["href"], status=302).headers["Location"].endswith("/questions/about_wellbeing")


def test_a_question_page_follows_the_gov_uk_pattern(web, person_id):
    started(web, person_id)
    soup = web.page(f"/people/{person_id}/assessment/questions/A1")
    legend = soup.select_one("fieldset legend.govuk-fieldset__legend--l h1")
    assert legend.get_text(strip=True) == "Do you need help to get food in and make meals?"
    assert soup.select_one(".govuk-caption-l").get_text(strip=True) == "Eating and drinking"
    # The reminder is part of the hint, so a screen reader reads it with the question.
    assert "Answer as if nobody helped you" in soup.select_one("#answer-hint").get_text()
    assert soup.select_one("details summary").get_text(strip=True) == "Why we ask this"
    options = [label.get_text(strip=True) for label in soup.select(".govuk-radios__label")]
    assert options[0] == "I can do this on my own" and len(options) == 5
    assert soup.select_one("#answer-item-hint") or soup.select(".govuk-radios__hint")
    assert soup.select_one(".govuk-back-link")["href"] == f"/people/{person_id}/assessment/sections"


def test_the_task_list_reminds_people_to_answer_as_if_nobody_helped(web, person_id):
    started(web, person_id)
    soup = web.page(f"/people/{person_id}/assessment/sections")
    assert "Answer as if nobody helped you" in soup.select_one(".govuk-inset-text").get_text()


def test_saving_goes_to_the_next_question_and_then_the_section_check(app, web, person_id):
    started(web, person_id)
    response = answer(web, person_id, "A1", "every_meal", status=302)
    assert response.headers["Location"].endswith("/questions/A2")
    response = answer(web, person_id, "A2", "alone", status=302)
    assert response.headers["Location"].endswith("/questions/A_notes")
    response = answer(web, person_id, "A_notes", "", status=302)
    assert response.headers["Location"].endswith("/sections/A/check")
    assert saved_answers(app, person_id) == {"A1": "every_meal", "A2": "alone", "A_notes": ""}

    soup = web.page(response.headers["Location"])
    assert soup.h1.get_text(strip=True) == "Eating and drinking"
    rows = {row.dt.get_text(strip=True): row.dd.get_text(strip=True) for row in soup.select(".govuk-summary-list__row")}
    assert rows["Do you need help to get food in and make meals?"] == "I need help with every meal"
    assert rows["Is there anything else you want to tell us about eating and drinking?"] == "Nothing added"
    change = soup.select_one(".govuk-summary-list__actions a")
    assert change["href"].endswith("/questions/A1")
    assert "Do you need help to get food in" in change.select_one(".govuk-visually-hidden").get_text()


def test_the_back_link_goes_to_the_previous_question(web, person_id):
    started(web, person_id)
    soup = web.page(f"/people/{person_id}/assessment/questions/A2")
    assert soup.select_one(".govuk-back-link")["href"].endswith("/questions/A1")


@pytest.mark.parametrize(
    ("question_id", "value", "message"),
    [
        ("A1", "", "Select the answer that fits you best"),
        ("A1", "not_an_option", "Select the answer that fits you best"),
        ("A_notes", "x" * 2001, "Your answer must be 2,000 characters or fewer"),
    ],
)
def test_a_bad_answer_is_explained_and_nothing_is_saved(app, web, person_id, question_id, value, message):
    started(web, person_id)
    response = answer(web, person_id, question_id, value, status=200)
    from tests.web.conftest import check_page

    soup = check_page(response)
    assert error_summary(soup) == {"answer": message}
    assert saved_answers(app, person_id) == {}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "Enter the number of hours a week, or 0 if none"),
        ("ten", "Hours a week must be a whole number, like 10"),
        ("2.5", "Hours a week must be a whole number, like 10"),
        ("200", "Hours a week must be 168 or fewer: there are 168 hours in a week"),
    ],
)
def test_hours_must_be_a_whole_number_in_a_week(app, web, person_id, value, message):
    started(web, person_id)
    answer(web, person_id, "M1", "yes", status=302)
    from tests.web.conftest import check_page

    soup = check_page(answer(web, person_id, "M2", value, status=200))
    assert error_summary(soup) == {"answer": message}
    assert soup.select_one("#answer")["value"] == value
    assert "M2" not in saved_answers(app, person_id)


def test_a_question_that_is_not_asked_is_not_found(web, person_id):
    started(web, person_id)
    answer(web, person_id, "M1", "no", status=302)
    web.get(f"/people/{person_id}/assessment/questions/M2", status=404)
    web.get(f"/people/{person_id}/assessment/questions/no_such_question", status=404)
    web.get(f"/people/{person_id}/assessment/sections/Z/check", status=404)


def test_answering_no_to_family_help_skips_its_follow_up_questions(web, person_id):
    started(web, person_id)
    assert answer(web, person_id, "M1", "no", status=302).headers["Location"].endswith("/questions/M_notes")
    assert answer(web, person_id, "M1", "yes", status=302).headers["Location"].endswith("/questions/M2")


def test_pages_before_starting_send_people_to_the_start(web, person_id):
    for page in ("continue", "sections", "questions/A1", "check-and-send"):
        location = web.get(f"/people/{person_id}/assessment/{page}", status=302).headers["Location"]
        assert location == f"/people/{person_id}/assessment"
    assert web.get(f"/people/{person_id}/budget", status=302).headers["Location"] == f"/people/{person_id}/assessment"


def test_the_task_list_shows_each_sections_status(web, person_id):
    started(web, person_id)
    answer(web, person_id, "A1", "alone", status=302)
    answer(web, person_id, "B1", "alone", status=302)
    answer(web, person_id, "B2", "alone", status=302)
    soup = web.page(f"/people/{person_id}/assessment/sections")
    statuses = {
        item.select_one(".govuk-task-list__name-and-hint a, .govuk-task-list__name-and-hint div").get_text(
            strip=True
        ): item.select_one(".govuk-task-list__status").get_text(strip=True)
        for item in soup.select(".govuk-task-list__item")
    }
    assert statuses["Eating and drinking"] == "In progress"
    assert statuses["Washing and keeping clean"] == "Completed"
    assert statuses["Using the toilet"] == "Not started"
    assert statuses["Check your answers and send"] == "Cannot start yet"
    assert "You have completed 1 of 15 sections." in soup.get_text()


def test_resume_takes_you_to_the_question_after_the_last_one_saved(app, web, person_id):
    make_assessment(app, person_id, {"about_condition": "yes", "A1": "alone", "A2": "alone"})
    location = web.get(f"/people/{person_id}/assessment/continue", status=302).headers["Location"]
    assert location.endswith("/questions/A_notes")


def test_a_stale_edit_is_explained_not_saved(app, web, person_id):
    """The person opens a question; their carer changes the answer meanwhile; the person's save is held back."""
    _, carer_email = make_user(app, Role.REPRESENTATIVE, full_name="Alex Taylor")
    with app.app_context():
        from portal.data.accounts import get_user

        person_email = get_user(person_id).email
    make_helper_for(app, person_email, carer_email)
    make_assessment(app, person_id, {"A1": "alone"})
    opened = web.page(f"/people/{person_id}/assessment/questions/A1")
    seen = opened.select_one("input[name=seen_version]")["value"]
    assert seen == "1"

    from tests.web.conftest import WebClient, check_page

    carer = WebClient(app.test_client())
    carer.sign_in(carer_email)
    answer(carer, person_id, "A1", "every_meal", status=302)

    soup = check_page(answer(web, person_id, "A1", "reminding", seen_version=seen, status=200))
    banner = soup.select_one(".govuk-notification-banner[role=alert]")
    assert "This answer was changed after you opened this page" in banner.get_text()
    assert "Alex Taylor saved this answer" in banner.get_text()
    assert "I need help with every meal" in banner.get_text()
    assert soup.select_one("input[name=answer][value=reminding]").has_attr("checked"), "their own choice is kept"
    assert saved_answers(app, person_id)["A1"] == "every_meal"

    # Saving again from the refreshed page is a deliberate choice, so it is kept.
    new_seen = soup.select_one("input[name=seen_version]")["value"]
    assert new_seen == "2"
    answer(web, person_id, "A1", "reminding", seen_version=new_seen, status=302)
    assert saved_answers(app, person_id)["A1"] == "reminding"


def test_saving_the_same_answer_as_someone_else_is_not_a_conflict(app, web, person_id):
    make_assessment(app, person_id, {"A1": "alone"})
    answer(web, person_id, "A1", "alone", seen_version=0, status=302)


def test_an_answer_made_by_a_helper_says_who_made_it(app, web):
    person_id, person_email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    _, carer_email = make_user(app, Role.REPRESENTATIVE, full_name="Alex Taylor")
    make_helper_for(app, person_email, carer_email)
    web.sign_in(carer_email)
    soup = web.page("/dashboard")
    assert "Sam Taylor" in soup.get_text()
    button = soup.select_one("main a.govuk-button")
    assert button["href"] == f"/people/{person_id}/assessment"
    started(web, person_id)
    soup = web.page(f"/people/{person_id}/assessment/questions/A1")
    assert "You are acting for Sam Taylor" in soup.select_one(".cc-acting-for").get_text(" ", strip=True)
    answer(web, person_id, "A1", "alone", status=302)
    from portal.data import assessments

    with app.app_context():
        record = assessments.answer_record(assessments.latest_assessment(person_id), "A1")
        assert record.answered_by.full_name == "Alex Taylor"


def test_sending_needs_every_section(app, web, person_id):
    make_assessment(app, person_id, {"A1": "alone"})
    soup = web.page(f"/people/{person_id}/assessment/check-and-send")
    assert "Some questions still need an answer" in soup.get_text()
    assert not soup.select_one("main form button")
    response = web.client.post(f"/people/{person_id}/assessment/check-and-send", data={"who_helped": "myself"})
    assert response.status_code == 400  # no CSRF token: refused before anything happens


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({}, {"who_helped": "Select who helped to fill in this self-assessment"}),
        ({"who_helped": "family"}, {"helper_name": "Enter the name of the person who helped"}),
        (
            {"who_helped": "family", "helper_name": "x" * 201},
            {"helper_name": "Their name must be 200 characters or fewer"},
        ),
    ],
)
def test_sending_asks_who_helped(app, web, person_id, data, errors):
    make_assessment(app, person_id, DEMO_ANSWERS)
    from tests.web.conftest import check_page

    soup = check_page(web.submit(f"/people/{person_id}/assessment/check-and-send", data, status=200))
    assert error_summary(soup) == errors
    from portal.data import budgets

    with app.app_context():
        assert budgets.latest_budget(person_id) is None


def test_sending_issues_the_indicative_budget_with_its_working(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS)
    soup = web.page(f"/people/{person_id}/assessment/check-and-send")
    assert len(soup.select(".govuk-summary-list")) == 15
    response = web.submit(
        f"/people/{person_id}/assessment/check-and-send", {"who_helped": "family", "helper_name": "Alex"}, status=302
    )
    assert response.headers["Location"] == f"/people/{person_id}/budget"
    soup = web.page(response.headers["Location"])
    assert soup.h1.get_text(strip=True) == "Your indicative personal budget"
    text = soup.get_text(" ", strip=True)
    assert "Your self-assessment has been sent." in text
    assert "We think your support could cost about £16,654.00 a year." in text
    rows = {
        row.dt.get_text(strip=True): row.dd.get_text(" ", strip=True) for row in soup.select(".govuk-summary-list__row")
    }
    assert rows["A year"] == "£16,654.00"
    assert rows["Every 4 weeks, if paid that way"].startswith("£1,281.07")
    assert rows["A week"] == "about £320.27"
    working = soup.select_one(".cc-working").get_text(" ", strip=True)
    for line in (
        "Washing and keeping clean 13",
        "Total 83",
        "counts for 10 points",
        "Points 15 to 40: 26 of your points £3.50 £91.00",
        "Points 41 to 80: 33 of your points £4.50 £148.50",
        "Total for 73 points £239.50",
        "28 nights of breaks a year at £150.00 a night: £4,200.00 a year",
        "£239.50 a week for 52 weeks is £12,454.00",
        "With £4,200.00 for breaks, that makes £16,654.00.",
    ):
        assert line in working, line
    assert "Waiting to be checked" in text
    assert "anytown_2026_04" in text


def test_a_sent_assessment_cannot_be_changed(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    for page in ("continue", "sections", "questions/A1", "check-and-send"):
        location = web.get(f"/people/{person_id}/assessment/{page}", status=302).headers["Location"]
        assert location == f"/people/{person_id}/budget"
    response = answer(web, person_id, "A1", "special", seen_version=1, form_url=f"/people/{person_id}/assessment")
    assert response.status_code == 302
    assert saved_answers(app, person_id)["A1"] == DEMO_ANSWERS["A1"]
    soup = web.page(f"/people/{person_id}/assessment")
    assert "This self-assessment was sent on" in soup.get_text()


def test_sending_twice_makes_one_budget(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS)
    from portal.data import assessments
    from portal.data.accounts import get_user
    from portal.timekeeping import today

    with app.app_context():
        assessment = assessments.latest_assessment(person_id)
        person = get_user(person_id)
        content = app.extensions["content"]
        assert assessments.send_assessment(assessment, person, "myself", None, content, today())
        assert not assessments.send_assessment(assessment, person, "myself", None, content, today())
        # A page left open by a helper cannot change an answer once the assessment has gone.
        assert assessments.save_answer(assessment, "A1", "special", 1, person).already_sent


def test_not_eligible_says_which_test_was_not_met(app, web, person_id):
    answers = {**DEMO_ANSWERS, "about_wellbeing": "some"}
    make_assessment(app, person_id, answers, send=True)
    soup = web.page(f"/people/{person_id}/budget")
    assert soup.h1.get_text(strip=True) == "Your self-assessment result"
    text = soup.get_text(" ", strip=True)
    assert "you do not meet the national eligibility criteria" in text
    assert "do not affect your wellbeing a lot" in text
    assert "not a final decision" in text
    assert "£" not in soup.select_one("main h1").get_text()


def test_an_issued_budget_never_changes_when_the_content_does(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    before = web.page(f"/people/{person_id}/budget").select_one("main").get_text(" ", strip=True)
    content = app.extensions["content"]
    richer = [
        ras.model_copy(update={"carer_breaks": ras.carer_breaks.model_copy(update={"pence_per_night": 99999})})
        for ras in content.ras_versions
    ]
    renamed = content.questionnaire.model_copy(
        update={"sections": tuple(s.model_copy(update={"title": "Renamed"}) for s in content.questionnaire.sections)}
    )
    app.extensions["content"] = dataclasses.replace(content, questionnaire=renamed, ras_versions=tuple(richer))
    after = web.page(f"/people/{person_id}/budget").select_one("main").get_text(" ", strip=True)
    assert after == before


def test_asking_for_a_review(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    from tests.web.conftest import check_page

    soup = check_page(
        web.submit(f"/people/{person_id}/budget/review", {"reason": " ", "what_is_needed": ""}, status=200)
    )
    assert error_summary(soup) == {
        "reason": "Tell us why you think this is not right",
        "what_is_needed": "Tell us what support you think you need",
    }
    response = web.submit(
        f"/people/{person_id}/budget/review",
        {"reason": "It leaves out my college days.", "what_is_needed": "Two more days with a PA."},
        status=302,
    )
    soup = web.page(response.headers["Location"])
    assert "Your request for a review has been sent." in soup.get_text()
    assert "Review requested" in soup.get_text()
    assert not soup.find("a", string="Ask us to look again")
    # A second request while one is waiting is not made; the person is told why.
    web.get(f"/people/{person_id}/budget/review", status=302)
    soup = web.page(f"/people/{person_id}/budget")
    assert "You have already asked for a review" in soup.get_text()


def test_an_error_page_never_names_the_person_whose_record_was_asked_for(app, web, person_id):
    stranger_id, _ = make_user(app, Role.PERSON, full_name="Victoria Secretname")
    soup = web.page(f"/people/{stranger_id}/assessment", status=404)
    assert "Victoria Secretname" not in str(soup)


def test_starting_again_from_an_old_tab_after_sending_makes_no_new_draft(app, web, person_id):
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    response = web.submit(f"/people/{person_id}/assessment", {}, status=302)
    assert response.headers["Location"] == f"/people/{person_id}/budget"
    from portal.data import assessments

    with app.app_context():
        assert assessments.latest_assessment(person_id).status == "submitted"


def test_one_draft_per_person_even_when_two_start_at_once(app, person_id):
    from portal.data import assessments
    from portal.data.accounts import get_user
    from portal.data.models import Assessment

    with app.app_context():
        person = get_user(person_id)
        first = assessments.start_assessment(person_id, 1, person)
        from portal.data.db import db_session

        # The second "start" arrives after the first was written but before it was seen: the index stops a twin.
        db_session().add(Assessment(person_id=person_id, questionnaire_version=1))
        import sqlalchemy.exc

        with pytest.raises(sqlalchemy.exc.IntegrityError):
            db_session().commit()
        db_session().rollback()
        assert assessments.start_assessment(person_id, 1, person).id == first.id


def test_an_answer_sent_without_the_version_it_was_seen_at_is_saved_not_a_server_error(app, web, person_id):
    """Browsers send the hidden version; a hand-made request without it is taken as sent from the latest page."""
    started(web, person_id)
    url = f"/people/{person_id}/assessment/questions/about_condition"
    web.submit(url, {"answer": "yes"}, status=302)
    web.submit(url, {"answer": "no"}, status=302)
    assert saved_answers(app, person_id)["about_condition"] == "no"
