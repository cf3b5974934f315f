"""Easy Read: a switch on the pages that matter most, kept for the session, showing content/easy_read.yml's points
with their pictures in place of the page's explanation, while the page keeps its forms, buttons and figures."""

import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import make_approved_plan, make_assessment, make_user

SCRIPT_NAME = 'Sam <script>alert("x")</script> Taylor'
PAGES = {
    "assessment_start": "/people/{id}/assessment",
    "budget_result": "/people/{id}/budget",
    "plan_overview": "/people/{id}/plan",
    "record_spending": "/people/{id}/budget-account/spending/new",
    "help": "/help",
    "jargon": "/help/jargon-buster",
    "help_topics.budget_worked_out": "/help/budget_worked_out",
}
# Words of each page's own explanation: Easy Read shows its points in their place (or, where the explanation
# holds a link, above it). An approved plan's page has figures and no explanation, so Easy Read goes above those.
STANDARD_WORDS = {
    "assessment_start": "This self-assessment asks about your daily life",
    "budget_result": "This is an indicative budget: our first estimate",
    "plan_overview": "Your personal budget is",
    "record_spending": "Record each payment from your budget account.",
    "help": "Answers to the questions people ask most",
    "jargon": "What the words used about care and support mean",
    "help_topics.budget_worked_out": "Your answers to the self-assessment give points",
}


@pytest.fixture
def person(app, web):
    person_id, email = make_user(app, Role.PERSON, full_name=SCRIPT_NAME)
    make_approved_plan(app, person_id)
    web.sign_in(email)
    return person_id


def content_page(app, key):
    return app.extensions["content"].easy_read.page(key)


def switch_on(web, url):
    response = web.get(url + ("&" if "?" in url else "?") + "easy_read=1", status=302)
    assert response.headers["Location"] == url  # a clean address: the choice is in the session


def easy_read_points(soup):
    section = soup.select_one("section.cc-easy-read")
    assert section is not None, "no Easy Read on the page"
    points = []
    for item in section.select("li.cc-easy-read__point"):
        picture = item.find("img")
        assert picture["alt"] == "", "the sentence beside it carries the meaning"
        points.append((item.find("p").get_text(strip=True), picture["src"]))
    return section.find("h2").get_text(strip=True), points


@pytest.mark.parametrize("key", PAGES)
def test_each_page_shows_its_easy_read_points_with_their_pictures(app, web, person, key):
    url = PAGES[key].format(id=person)
    switch_on(web, url)
    soup = web.page(url)
    title, shown = easy_read_points(soup)
    page = content_page(app, key)
    assert title == page.title
    pictures = [src.split("?v=")[0] for _text, src in shown]  # each address carries its file's fingerprint
    assert pictures == [f"/static/pictograms/{point.picture}.svg" for point in page.points]
    for (text, _src), point in zip(shown, page.points, strict=True):
        if "%(" in point.text:
            assert "%(" not in text, "every placeholder is filled in"
        else:
            assert text == point.text.replace("%%", "%")
    replaced = key not in ("plan_overview", "record_spending")
    assert (STANDARD_WORDS[key] in soup.get_text(" ", strip=True)) is not replaced
    assert soup.find("a", string="Standard version")["href"] == url + ("&" if "?" in url else "?") + "easy_read=0"


def test_every_picture_used_is_served(app, web):
    pictures = {point.picture for _key, page in app.extensions["content"].easy_read.pages() for point in page.points}
    for picture in pictures:
        response = web.get(f"/static/pictograms/{picture}.svg")
        response.close()  # a file sent by Flask stays open until the response is closed
        assert response.mimetype == "image/svg+xml"


@pytest.mark.parametrize("key", PAGES)
def test_without_the_switch_the_standard_page_is_unchanged(web, person, key):
    url = PAGES[key].format(id=person)
    soup = web.page(url)
    assert soup.select_one(".cc-easy-read") is None
    assert STANDARD_WORDS[key] in soup.get_text(" ", strip=True)
    link = soup.select_one(".cc-easy-read-switch a")
    assert link.get_text(strip=True) == "Easy Read"
    assert link["href"] == url + ("&" if "?" in url else "?") + "easy_read=1"


def test_easy_read_stays_on_from_page_to_page_until_switched_back(web, person):
    switch_on(web, "/help")
    for url in PAGES.values():
        assert web.page(url.format(id=person)).select_one(".cc-easy-read") is not None, url
    assert web.get(f"/people/{person}/plan?easy_read=0", status=302).headers["Location"] == f"/people/{person}/plan"
    for url in PAGES.values():
        assert web.page(url.format(id=person)).select_one(".cc-easy-read") is None, url


def test_pages_keep_their_forms_buttons_and_figures_in_easy_read(web, person):
    switch_on(web, "/help")
    budget = web.page(f"/people/{person}/budget")
    assert budget.select_one(".govuk-summary-list") is not None
    assert budget.find("a", string="Ask us to look again") is not None
    spending = web.page(f"/people/{person}/budget-account/spending/new")
    assert spending.find("form", action=f"/people/{person}/budget-account/spending/new") is not None
    assert spending.find("button", id="submit").get_text(strip=True) == "Save this spending"


def test_placeholders_are_filled_and_escaped(web, person):
    switch_on(web, "/help")
    response = web.get(f"/people/{person}/budget")
    body = response.get_data(as_text=True)
    assert "This page is for Sam &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Taylor." in body
    soup = web.page(f"/people/{person}/budget")
    assert soup.select_one(".cc-easy-read script") is None
    _title, shown = easy_read_points(soup)
    a_year = soup.select_one(".govuk-summary-list__value").get_text(strip=True)
    assert f"It is about {a_year} a year." in [text for text, _src in shown]
    spending = easy_read_points(web.page(f"/people/{person}/budget-account/spending/new"))[1]
    assert "The photo can be up to 10MB. You can add it later." in [text for text, _src in spending]


def test_the_council_phone_and_email_are_filled_in_on_help(app, web):
    switch_on(web, "/help/who_can_help_plan")
    texts = [text for text, _src in easy_read_points(web.page("/help/who_can_help_plan"))[1]]
    assert f"Do you want help from the council? Call {app.config['COUNCIL_PHONE']}." in texts
    assert f"Or email {app.config['COUNCIL_EMAIL']}." in texts


def test_a_help_topic_in_easy_read_keeps_its_link_to_the_page(web):
    switch_on(web, "/help/talk_to_person")
    soup = web.page("/help/talk_to_person")
    assert soup.select_one(".cc-answer") is None
    assert "Go to the page" in [a.get_text(" ", strip=True)[:14] for a in soup.select('main a[href="/help"]')]


def test_the_jargon_buster_shows_each_words_easy_read_line(app, web):
    switch_on(web, "/help/jargon-buster")
    soup = web.page("/help/jargon-buster")
    glossary = app.extensions["content"].glossary
    for term in glossary.terms:
        shown = soup.select_one(f"#term-{term.id} dd").get_text(strip=True)
        assert shown == term.easy_read
    term = glossary.term("indicative_budget")
    page = web.page("/help/jargon-buster/indicative_budget")
    assert page.select_one(".govuk-body-l").get_text(strip=True) == term.easy_read
    assert "In short:" not in page.get_text()


def test_the_jargon_buster_search_is_kept_when_switching(web):
    assert web.get("/help/jargon-buster?q=budget&easy_read=1", status=302).headers["Location"] == (
        "/help/jargon-buster?q=budget"
    )
    soup = web.page("/help/jargon-buster?q=budget")
    assert soup.select_one(".cc-easy-read") is not None
    assert soup.find("a", string="Standard version")["href"] == "/help/jargon-buster?q=budget&easy_read=0"


def test_before_a_plan_its_explanation_gives_way_to_easy_read(app, web):
    person_id, email = make_user(app, Role.PERSON)
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    web.sign_in(email)
    explanation = "Your support plan says what you want to achieve"
    assert explanation in web.page(f"/people/{person_id}/plan").get_text(" ", strip=True)
    switch_on(web, f"/people/{person_id}/plan")
    soup = web.page(f"/people/{person_id}/plan")
    assert explanation not in soup.get_text(" ", strip=True)
    assert easy_read_points(soup)[0] == "Your support plan"
    assert soup.find("form", action=f"/people/{person_id}/plan").find("button") is not None


def test_a_budget_that_is_not_eligible_has_its_own_easy_read(app, web):
    person_id, email = make_user(app, Role.PERSON)
    make_assessment(app, person_id, {**DEMO_ANSWERS, "about_wellbeing": "some"}, send=True)
    web.sign_in(email)
    switch_on(web, f"/people/{person_id}/budget")
    soup = web.page(f"/people/{person_id}/budget")
    title, shown = easy_read_points(soup)
    assert title == content_page(app, "budget_not_eligible").title
    assert "We think the council cannot pay for your support." in [text for text, _src in shown]
    assert soup.find("a", string="Find free help near you") is not None


def test_easy_read_is_kept_when_signing_in(app, web):
    _person_id, email = make_user(app, Role.PERSON)
    switch_on(web, "/help")
    web.sign_in(email)
    assert web.page("/help").select_one(".cc-easy-read") is not None


@pytest.mark.parametrize("value", ["", "2", "yes", "on", "1'><script>", "0" * 5000])
def test_other_switch_values_are_ignored(web, value):
    response = web.get("/help", query_string={"easy_read": value, "q": "x"}, status=302)
    assert response.headers["Location"] == "/help?q=x"
    assert web.page("/help").select_one(".cc-easy-read") is None


def test_the_switch_changes_nothing_on_a_post_or_a_page_that_is_not_there(web, person):
    web.get("/no-such-page?easy_read=1", status=404)
    response = web.client.post(f"/people/{person}/plan?easy_read=1", data={})
    assert response.status_code in (200, 400)
    assert web.page("/help").select_one(".cc-easy-read") is None


def test_someone_elses_page_cannot_be_used_to_switch(app, web, person):
    other_id, _email = make_user(app, Role.PERSON)
    web.get(f"/people/{other_id}/budget?easy_read=1", status=404)
    assert web.page("/help").select_one(".cc-easy-read") is None


def test_a_translation_with_broken_placeholders_falls_back_to_the_councils_words(app, monkeypatch):
    from portal import easy_read

    monkeypatch.setattr(easy_read, "_", lambda text: "To jest dla %(imie)s." if "%(name)s" in text else text)
    with app.test_request_context("/help"):
        shown = easy_read.easy_read_page("budget_result", name="<Sam>", amount="£1", weekly="£0.02")
    assert str(shown.points[0].text) == "This page is for &lt;Sam&gt;."
