import csv
import io
import re
from datetime import UTC, datetime

import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import make_assessment, make_helper_for, make_user
from tests.web.conftest import WebClient, error_summary


def signed_in(app, email) -> WebClient:
    client = WebClient(app.test_client())
    client.sign_in(email)
    return client


def add_event(app, action, person_id, actor_id=None, at=None, **detail):
    """An event written straight to the log, at a time of the test's choosing."""
    from portal.data.db import db_session
    from portal.data.models import AuditEvent

    with app.app_context():
        db_session().add(
            AuditEvent(action=action, person_id=person_id, actor_id=actor_id, at=at or datetime.now(UTC), detail=detail)
        )
        db_session().commit()


def actions_logged(app, action):
    from portal.data.audit import all_events

    with app.app_context():
        return [(event.actor_id, event.person_id, event.detail) for event in all_events() if event.action == action]


def history(client, query="") -> list[str]:
    soup = client.page(f"/account/record-history{query}")
    return [item.get_text(" ", strip=True) for item in soup.select("main ol.govuk-list > li")]


def said(events) -> list[str]:
    """What happened, without the date and time in front."""
    return [re.sub(r"^\d{1,2} \w+ \d{4}, \d\d:\d\d ", "", event) for event in events]


def question_text(app, question_id):
    return app.extensions["content"].questionnaire.question(question_id).text


@pytest.fixture
def people(app):
    """Sam, helped by Jo; Priya works for the council; Alex is somebody else entirely."""
    sam_id, sam = make_user(app, full_name="Sam Taylor", email="sam@example.org")
    jo_id, jo = make_user(app, Role.REPRESENTATIVE, full_name="Jo Bloggs", email="jo@example.org")
    priya_id, priya = make_user(app, Role.STAFF, full_name="Priya Shah", email="priya@council.example")
    alex_id, alex = make_user(app, full_name="Alex Other", email="alex@example.org")
    make_helper_for(app, sam, jo)
    return {
        "sam": (sam_id, sam),
        "jo": (jo_id, jo),
        "priya": (priya_id, priya),
        "alex": (alex_id, alex),
    }


# ---- the person's own history ------------------------------------------------------------------------------------


def test_a_person_sees_staff_looking_and_their_helper_changing_in_plain_words(app, people):
    sam_id, sam = people["sam"]
    jo_id, _ = people["jo"]
    assessment_id = make_assessment(app, sam_id, DEMO_ANSWERS, by_id=jo_id, send=True)
    make_assessment(app, people["alex"][0], DEMO_ANSWERS, send=True)
    signed_in(app, people["priya"][1]).page(f"/staff/assessments/{assessment_id}")
    add_event(app, "ledger.spending", sam_id, jo_id, amount_pence=1250, entry=1)

    events = said(history(signed_in(app, sam)))
    last_question = list(DEMO_ANSWERS)[-1]
    assert events[:4] == [
        "You signed in",
        "Jo Bloggs (your helper) recorded spending of £12.50",
        "Priya Shah (council staff) looked at your self-assessment",
        "The portal worked out your indicative budget: £16,654.00 a year",
    ]
    assert events[4:6] == [
        "Jo Bloggs (your helper) sent your self-assessment to the council",
        f"Jo Bloggs (your helper) answered a question in your self-assessment: {question_text(app, last_question)}",
    ]
    assert not [event for event in events if "Alex" in event or "the self-assessment" in event]


def test_newest_first_with_the_time_in_london(app, people):
    sam_id, sam = people["sam"]
    add_event(app, "plan.changed", sam_id, sam_id, at=datetime(2026, 7, 1, 13, 5, tzinfo=UTC), version=1)
    add_event(app, "plan.started", sam_id, sam_id, at=datetime(2026, 1, 1, 9, 0, tzinfo=UTC), version=1)
    events = history(signed_in(app, sam), "?kind=changes")
    assert events == [
        "1 July 2026, 14:05 You changed your support plan",
        "1 January 2026, 09:00 You started your support plan",
    ]


def test_a_person_never_sees_another_persons_events(app, people):
    sam_id, sam = people["sam"]
    alex_id, _ = people["alex"]
    add_event(app, "record.viewed", alex_id, people["priya"][0], record="plan", id=9)
    add_event(app, "ledger.spending", alex_id, alex_id, amount_pence=999_999)
    client = signed_in(app, sam)
    text = client.page("/account/record-history").get_text(" ", strip=True)
    assert "£9,999.99" not in text and "looked at your support plan" not in text
    assert history(client, "?kind=views") == []


def test_a_helper_sees_what_happened_on_their_own_account(app, people):
    sam_id, _ = people["sam"]
    jo_id, jo = people["jo"]
    add_event(app, "ledger.spending", sam_id, jo_id, amount_pence=1250)
    events = history(signed_in(app, jo))
    assert len(events) == 1 and events[0].endswith("You signed in")


def test_filtering_by_kind(app, people):
    sam_id, sam = people["sam"]
    priya_id = people["priya"][0]
    add_event(app, "record.viewed", sam_id, priya_id, record="budget account", id=1)
    add_event(app, "plan.approve", sam_id, priya_id, version=1, final_budget_pence=1_200_000)
    add_event(app, "plan.changed", sam_id, sam_id, version=1)
    client = signed_in(app, sam)
    assert said(history(client, "?kind=views")) == ["Priya Shah (council staff) looked at your budget account"]
    assert said(history(client, "?kind=decisions")) == [
        "Priya Shah (council staff) approved your support plan, with a personal budget of £12,000.00 a year"
    ]
    assert said(history(client, "?kind=changes")) == ["You changed your support plan"]
    assert said(history(client, "?kind=sign_ins")) == ["You signed in"]
    soup = client.page("/account/record-history?kind=views")
    assert soup.select_one("input[name=kind][value=views]").has_attr("checked"), "the filter chosen stays chosen"


def test_filtering_by_london_days(app, people):
    sam_id, sam = people["sam"]
    # 23:30 UTC on 30 June is 00:30 on 1 July in London.
    add_event(app, "plan.started", sam_id, sam_id, at=datetime(2026, 6, 30, 23, 30, tzinfo=UTC), version=1)
    add_event(app, "plan.changed", sam_id, sam_id, at=datetime(2026, 7, 2, 12, tzinfo=UTC), version=1)
    add_event(app, "plan.submit", sam_id, sam_id, at=datetime(2026, 7, 3, 12, tzinfo=UTC), version=1)
    client = signed_in(app, sam)
    events = history(client, "?since=1&since=7&since=2026&until=2&until=7&until=2026")
    assert said(events) == ["You changed your support plan", "You started your support plan"]
    nothing = "?since=4&since=7&since=2026&until=31&until=7&until=2026"
    assert history(client, nothing) == []
    assert "Nothing matches these filters" in client.page(f"/account/record-history{nothing}").text


def test_history_comes_25_to_a_page(app, people):
    sam_id, sam = people["sam"]
    for minute in range(30):
        add_event(app, "plan.changed", sam_id, sam_id, at=datetime(2026, 5, 1, 10, minute, tzinfo=UTC), version=1)
    client = signed_in(app, sam)
    first = client.page("/account/record-history?kind=changes")
    assert len(first.select("main ol.govuk-list > li")) == 25
    assert "31 events" not in first.text and "30 events" in first.text
    assert first.select_one(".govuk-pagination__next a")["href"] == "/account/record-history?kind=changes&page=2"
    second = history(client, "?kind=changes&page=2")
    assert len(second) == 5 and second[-1].startswith("1 May 2026, 11:00")
    assert history(client, "?kind=changes&page=99") == second, "past the end shows the last page"
    assert len(history(client, "?kind=changes&page=banana")) == 25


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?since=31&since=2&since=2026", {"since-day": "Enter a real date, like 27 3 2026"}),
        ("?until=1&until=1", {"until-day": "Enter a real date, like 27 3 2026"}),
        ("?since=" + "9" * 5000 + "&since=1&since=2026", {"since-day": "Enter a real date, like 27 3 2026"}),
        ("?since=1&since=1&since=1066", {"since-day": "Enter a real date, like 27 3 2026"}),
        ("?until=31&until=12&until=9999", {"until-day": "Enter a real date, like 27 3 2026"}),
        (
            "?since=2&since=1&since=2026&until=1&until=1&until=2026",
            {"until-day": "The ‘to’ date must be the same as or after the ‘from’ date"},
        ),
        ("?kind=everything-ever", {"kind": "Select what to show"}),
    ],
)
def test_bad_filters_are_explained_on_the_form(app, people, query, errors):
    soup = signed_in(app, people["sam"][1]).page(f"/account/record-history{query}")
    assert error_summary(soup) == errors
    assert "Correct the filters to see what has happened." in soup.text
    assert soup.select_one("main ol.govuk-list") is None


def test_staff_have_the_search_instead(app, people):
    signed_in(app, people["priya"][1]).get("/account/record-history", status=403)
    _, admin = make_user(app, Role.ADMIN)
    signed_in(app, admin).get("/account/record-history", status=403)


def test_the_dashboard_links_to_the_history(app, people):
    soup = signed_in(app, people["sam"][1]).page("/dashboard")
    link = soup.select_one("#your-account a[href='/account/record-history']")
    assert link.get_text(strip=True) == "Who has looked at or changed your record"


# ---- the staff search ----------------------------------------------------------------------------------------------


def rows(soup) -> list[list[str]]:
    return [[cell.get_text(" ", strip=True) for cell in row.select("td")] for row in soup.select("main tbody tr")]


@pytest.fixture
def logged(app, people):
    """A small log: Priya looked at Sam's plan in January and Alex's account in March; Jo spent Sam's money."""
    sam_id, alex_id = people["sam"][0], people["alex"][0]
    priya_id, jo_id = people["priya"][0], people["jo"][0]
    add_event(app, "record.viewed", sam_id, priya_id, at=datetime(2026, 1, 10, 12, tzinfo=UTC), record="plan", id=4)
    add_event(app, "ledger.spending", sam_id, jo_id, at=datetime(2026, 2, 10, 12, tzinfo=UTC), amount_pence=8750)
    add_event(
        app, "record.viewed", alex_id, priya_id, at=datetime(2026, 3, 10, 12, tzinfo=UTC), record="budget account"
    )
    add_event(app, "directory.added", None, priya_id, at=datetime(2026, 3, 11, 12, tzinfo=UTC), name="Tea and chat")
    return people


def test_staff_search_by_whose_record(app, logged):
    soup = signed_in(app, logged["priya"][1]).page("/staff/audit?person=SAM+tay")
    found = rows(soup)
    assert [row[3].split(" record.viewed")[0].split(" ledger.")[0] for row in found] == [
        "recorded spending of £87.50",
        "looked at the support plan",
    ]
    assert found[0][1] == "Jo Bloggs (Helper) jo@example.org"
    assert found[1][:3] == [
        "10 January 2026, 12:00",
        "Priya Shah (Council staff) priya@council.example",
        "Sam Taylor sam@example.org",
    ]
    assert "ledger.spending" in found[0][3], "the raw action code, for investigators"
    details = soup.select("main tbody tr")[0].select_one("details dl")
    assert details.get_text(" ", strip=True) == "amount_pence 8750 (£87.50)"
    assert "2 events found" in soup.text


def test_staff_search_by_who_did_it_kind_and_date(app, logged):
    client = signed_in(app, logged["priya"][1])
    assert [row[2] for row in rows(client.page("/staff/audit?actor=jo%40example"))] == ["Sam Taylor sam@example.org"]
    by_kind = rows(client.page("/staff/audit?kind=view"))
    assert [row[2] for row in by_kind] == ["Alex Other alex@example.org", "Sam Taylor sam@example.org"]
    by_date = rows(client.page("/staff/audit?since=1&since=2&since=2026&until=10&until=3&until=2026"))
    assert [row[0] for row in by_date] == ["10 March 2026, 12:00", "10 February 2026, 12:00"]
    directory = rows(client.page("/staff/audit?kind=directory"))
    assert len(directory) == 1 and directory[0][2] == "Nobody’s record"
    assert directory[0][3].startswith("added Tea and chat to the directory directory.added")


def test_wildcards_typed_in_a_search_match_only_themselves(app, logged):
    client = signed_in(app, logged["priya"][1])
    assert rows(client.page("/staff/audit?person=%25")) == []
    assert rows(client.page("/staff/audit?actor=_")) == []


def test_staff_search_pages_50_at_a_time(app, logged):
    sam_id, priya_id = logged["sam"][0], logged["priya"][0]
    for minute in range(55):
        add_event(app, "record.viewed", sam_id, priya_id, at=datetime(2026, 4, 1, 9, minute, tzinfo=UTC), record="plan")
    client = signed_in(app, logged["priya"][1])
    first = client.page("/staff/audit?person=sam&kind=view")
    assert len(rows(first)) == 50 and "56 events found" in first.text
    assert first.select_one(".govuk-pagination__next a")["href"] == "/staff/audit?person=sam&kind=view&page=2"
    last = rows(client.page("/staff/audit?person=sam&kind=view&page=2"))
    assert [row[0] for row in last] == [f"1 April 2026, 10:0{minute}" for minute in (4, 3, 2, 1, 0)] + [
        "10 January 2026, 12:00"
    ]


@pytest.mark.parametrize(
    ("query", "errors"),
    [
        ("?person=" + "x" * 201, {"person": "Whose record must be 200 characters or fewer"}),
        ("?actor=" + "y" * 10_000, {"actor": "Who did it must be 200 characters or fewer"}),
        ("?kind=everything", {"kind": "Select a kind of event from the list"}),
        ("?since=30&since=2&since=2026", {"since-day": "Enter a real date, like 27 3 2026"}),
        ("?until=a&until=b&until=c", {"until-day": "Enter a real date, like 27 3 2026"}),
        ("?until=31&until=12&until=9999", {"until-day": "Enter a real date, like 27 3 2026"}),
        (
            "?since=3&since=3&since=2026&until=2&until=3&until=2026",
            {"until-day": "The ‘to’ date must be the same as or after the ‘from’ date"},
        ),
    ],
)
def test_bad_search_input_is_explained_on_the_form(app, logged, query, errors):
    soup = signed_in(app, logged["priya"][1]).page(f"/staff/audit{query}")
    assert error_summary(soup) == errors
    assert rows(soup) == []
    assert actions_logged(app, "audit.searched") == [], "a search that did not run is not a search"


def test_control_characters_in_a_search_are_ignored(app, logged):
    client = signed_in(app, logged["priya"][1])
    assert len(rows(client.page("/staff/audit?person=sam%00%01+taylor"))) == 2, "no server error from a NUL"
    assert len(rows(client.page("/staff/audit?actor=%00priya%7F"))) >= 2


def test_searching_the_log_is_itself_logged(app, logged):
    client = signed_in(app, logged["priya"][1])
    client.page("/staff/audit?person=sam+taylor&kind=view&since=1&since=1&since=2026")
    client.page("/staff/audit?person=a")  # matches Sam Taylor, Jo Bloggs and Alex Other: nobody in particular
    priya_id, sam_id = logged["priya"][0], logged["sam"][0]
    first, second = actions_logged(app, "audit.searched")
    assert first == (
        priya_id,
        sam_id,
        {"whose_record": "sam taylor", "kind": "view", "since": "2026-01-01", "page": 1, "results": 1},
    )
    assert second[:2] == (priya_id, None) and second[2]["whose_record"] == "a" and second[2]["results"] > 3
    text = " ".join(history(signed_in(app, logged["sam"][1]), "?kind=views"))
    assert "Priya Shah (council staff) searched the history of who has looked at or changed your record" in text


def test_the_search_downloads_as_a_spreadsheet_guarded_against_formulas(app, logged):
    evil_id, _ = make_user(app, full_name='=HYPERLINK("http://evil.example","Sam")', email="evil@example.org")
    at = datetime(2026, 2, 1, tzinfo=UTC)
    add_event(app, "ledger.spending", evil_id, evil_id, at=at, amount_pence=100, reason="+cmd|' /C calc'!A0")
    client = signed_in(app, logged["priya"][1])
    assert client.page("/staff/audit").select_one("a[href='/staff/audit.csv']")
    response = client.get("/staff/audit.csv?since=1&since=2&since=2026&until=28&until=2&until=2026")
    assert response.mimetype == "text/csv"
    assert response.headers["Content-Disposition"].startswith('attachment; filename="audit-log-')
    table = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert table[0] == [
        "When",
        "Who",
        "Who: email",
        "Who: role",
        "Whose record",
        "Whose record: email",
        "What happened",
        "Action code",
        "Detail",
    ]
    assert table[1][:5] == ["2026-02-10T12:00:00+00:00", "Jo Bloggs", "jo@example.org", "Helper", "Sam Taylor"]
    assert table[1][6:8] == ["recorded spending of £87.50", "ledger.spending"]
    assert table[2][1] == table[2][4] == '\'=HYPERLINK("http://evil.example","Sam")'
    assert table[2][8] == '{"amount_pence": 100, "reason": "+cmd|\' /C calc\'!A0"}'
    assert len(table) == 3
    assert actions_logged(app, "audit.exported") == [
        (logged["priya"][0], None, {"since": "2026-02-01", "until": "2026-02-28", "rows": 2})
    ]


def test_a_download_of_a_bad_search_goes_back_to_the_form(app, logged):
    client = signed_in(app, logged["priya"][1])
    response = client.get("/staff/audit.csv?kind=nonsense&person=sam", status=302)
    assert response.headers["Location"] == "/staff/audit?kind=nonsense&person=sam"
    assert actions_logged(app, "audit.exported") == []


@pytest.mark.parametrize("who", ["sam", "jo"])
def test_people_and_helpers_cannot_search_the_log(app, logged, who):
    client = signed_in(app, logged[who][1])
    client.get("/staff/audit", status=403)
    client.get("/staff/audit.csv", status=403)


def test_admins_can_search_the_log(app, logged):
    _, admin = make_user(app, Role.ADMIN)
    assert len(rows(signed_in(app, admin).page("/staff/audit?person=sam"))) == 2


def test_staff_home_links_to_the_search(app, logged):
    soup = signed_in(app, logged["priya"][1]).page("/staff")
    assert soup.select_one("a[href='/staff/audit']").get_text(strip=True) == "Search the audit log"
