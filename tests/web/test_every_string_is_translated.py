"""Every word a reader sees goes through a translation call (issue #9).

The pages are shown in a pseudo-locale whose catalogue wraps every message in ⟦…⟧. Words left outside the markers
never went through the catalogue, so a Polish or Urdu reader would meet them in English. Data is not wording: what
people typed, the directory's own records, the council's details, numbers, money and dates are let through, each
kind below with its reason.
"""

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from babel import Locale
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.mofile import write_mo
from bs4 import BeautifulSoup
from bs4.element import CData, Comment, Declaration, Doctype, ProcessingInstruction
from flask_babel import force_locale
from sqlalchemy import select

from portal import i18n
from portal.app import create_app
from portal.config import TestConfig
from portal.data.db import db_session
from portal.data.demo import DEMO_ACCOUNTS, DEMO_ANSWERS, DEMO_PASSWORD, JAMIE_PLAN
from portal.data.migrate import upgrade
from portal.data.models import OutboxMessage
from portal.extensions import limiter
from tests.factories import make_assessment
from tests.web.conftest import WebClient

# Babel knows Esperanto (plural rules, dates, money) and we do not ship it, so it cannot hide a real catalogue.
PSEUDO = "eo"
OPEN, CLOSE = "⟦", "⟧"
WRAPPED = re.compile(f"{OPEN}[^{OPEN}{CLOSE}]*{CLOSE}")

# Attributes a person meets (read aloud, shown on hover or in an empty box); a button's value is checked too.
CHECKED_ATTRIBUTES = ("alt", "aria-label", "aria-description", "aria-roledescription", "placeholder", "title", "label")
BUTTON_TYPES = ("submit", "button", "reset")
INVISIBLE = (Comment, CData, Declaration, Doctype, ProcessingInstruction)

# The allowlist. Elements whose text is data by design, each with why: keep it short.
EXEMPT_ELEMENTS = {
    "code": "machine identifiers shown to staff as stored: audit event kinds and field names",
    "td > details .govuk-summary-list__value": "an audit event's stored detail, shown to investigators as written",
}
# A word is two or more letters (with inner ' or -). Other tokens are data: money, dates and times, postcodes, emails,
# web addresses, question ids ("B1", "A_notes"), and single letters (the Jargon buster's A to Z, spelt-out codes).
WORD = re.compile(r"[^\W\d_]{2,}(?:['’-][^\W\d_]+)*")
REFERENCE = re.compile(r"\b[A-Z0-9]{3,}(?:-[A-Z0-9]{3,})+\b")  # invitation codes such as ABC-DEF-234
PUNCTUATION = " \t\n\xa0\u202f.,:;!?()[]{}'\"“”‘’–—-|•…*+=<>#%&"
# The free-text fields of an ORUK record, shown as the provider wrote them; codes, statuses and taxonomy terms are
# still checked (the taxonomy is in our catalogue).
DIRECTORY_TEXT = {"name", "description", "fees", "fees_description", "accreditations", "alert", "option", "notes"}
DIRECTORY_TEXT |= {"source", "attending_type", "service_area", "address_1", "city", "details"}
INVITATION = {"helper_name": "Robin Green", "relationship": "My neighbour", "send_by": "email"}
INVITATION |= {"email": "robin.green@example.org", "permissions": ["assessment", "plan"]}
OUTCOME = {"what": "Go to the college twice a week", "how_we_know": "I get there on time", "needs": ["A", "B"]}


def typed_in() -> set[str]:
    """What the demo's people typed: their names, notes, plan lines, payees, a helper's relationship."""
    notes = {answer for question, answer in DEMO_ANSWERS.items() if question.endswith("_notes")}
    return (
        {name for _, name, _ in DEMO_ACCOUNTS}
        | notes
        | {DEMO_ANSWERS["about_what_matters"]}
        | {description for description, *_ in JAMIE_PLAN}
        | {"Chris Wood", "Anytown Taxis", "Taxi to a hospital appointment when the bus was cancelled"}
        | {"Respite week at Elm House, booked", "Keeping my flat and my job at the library.", "Jo Ellis", "Parent"}
        | {INVITATION["helper_name"], INVITATION["relationship"], OUTCOME["what"], OUTCOME["how_we_know"]}
    )


def directory_data() -> set[str]:
    """The sample directory's own words: ORUK records are shown as the provider wrote them, not translated."""
    found: set[str] = set()

    def walk(node: object, within: str = "") -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                # An accessibility feature's description is its taxonomy term's name, which we translate.
                if isinstance(value, str) and key in DIRECTORY_TEXT and (within != "accessibility" or key == "details"):
                    found.add(value.strip())
                elif key != "taxonomy_term":
                    walk(value, key)
        elif isinstance(node, list):
            for value in node:
                walk(value, within)

    walk(json.loads(Path("content/directory/services.json").read_text()))
    return found


def dates_words(code: str) -> set[str]:
    """Month and day names: Babel writes dates from its own locale data, not from our catalogue."""
    locale = Locale.parse(code)
    words: set[str] = set()
    for names in (locale.months, locale.days):
        for context in names.values():
            for width in context.values():
                words.update(width.values())
    return words


def wrap(message: str) -> str:
    return f"{OPEN}{message}{CLOSE}"


def build_pseudo_catalogue(directory: Path) -> None:
    """Every message in the code, templates and content files, found as `make translations` finds them, wrapped.

    Extracted afresh rather than read from messages.pot, so a string wrapped today counts as wrapped before the
    catalogues are regenerated; test_i18n says when messages.pot is stale.
    """
    with open("babel.cfg") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    catalogue = Catalog(locale=PSEUDO)
    for root in ("portal", "content"):
        keywords = {**DEFAULT_KEYWORDS, "_l": None}
        for _file, _line, message, _comments, context in extract_from_dir(root, method_map, options_map, keywords):
            if isinstance(message, tuple):
                forms = tuple(wrap(message[0] if n == 0 else message[1]) for n in range(catalogue.num_plurals))
                catalogue.add(message[:2], forms, context=context)
            elif message:
                catalogue.add(message, wrap(message), context=context)
    (directory / PSEUDO / "LC_MESSAGES").mkdir(parents=True)
    with open(directory / PSEUDO / "LC_MESSAGES" / "messages.mo", "wb") as mo:
        write_mo(mo, catalogue)


def unwrapped(text: str) -> str:
    """The text with every wrapped message, nested ones too, taken out (a NUL left where each was)."""
    while (shorter := WRAPPED.sub("\x00", text)) != text:
        text = shorter
    return text


def css_path(element) -> str:
    """Enough of the element's ancestry, tag#id.class, for a developer to find it in the page."""
    parts = []
    for node in [element, *element.parents]:
        if node.name in ("[document]", "html"):
            break
        if node.get("id"):
            parts.append(f"{node.name}#{node['id']}")
            break
        parts.append(".".join([node.name, *node.get("class", [])[:2]]))
    return " > ".join(reversed(parts))


class Scanner:
    def __init__(self, data: set[str], words_of_dates: set[str]):
        self.data = {d for d in data if WORD.search(d)}
        longest_first = sorted(self.data, key=len, reverse=True)
        self.within = re.compile("|".join(rf"(?<!\w){re.escape(d)}(?!\w)" for d in longest_first))
        self.words_of_dates = words_of_dates

    def is_data(self, piece: str) -> bool:
        """Known data, whole or cut short with an ellipsis (a search result's summary)."""
        if piece.strip(PUNCTUATION) in self.data:
            return True
        cut = re.fullmatch(r"(.{20,}?)\s*(?:\.\.\.|…)", piece.strip())
        return bool(cut) and any(d.startswith(cut.group(1)) for d in self.data)

    def leftover(self, outside: str) -> str:
        """What text outside the markers still says once data, numbers and punctuation are taken away."""
        kept = []
        for piece in outside.split("\x00"):
            if self.is_data(piece):
                continue
            rest = self.within.sub(" ", REFERENCE.sub(" ", piece))
            words = [w for w in (t.strip(PUNCTUATION) for t in rest.split()) if WORD.fullmatch(w)]
            if any(w not in self.words_of_dates for w in words):
                kept.append(piece.strip())
        return " … ".join(kept)

    def scan(self, soup: BeautifulSoup) -> list[tuple[str, str]]:
        """(where, text) for each piece of text, or checked attribute, outside the markers."""
        exempt = {id(e) for selector in EXEMPT_ELEMENTS for e in soup.select(selector)}

        def checked(element) -> bool:
            return not any(id(e) in exempt for e in (element, *element.parents))

        return self._text(soup, checked) + self._attributes(soup, checked)

    def _text(self, soup: BeautifulSoup, checked) -> list[tuple[str, str]]:
        # Markers are counted across text nodes: a message may hold markup (`<a>`) and so span several.
        found, depth = [], 0
        for node in soup.find_all(string=True):
            if isinstance(node, INVISIBLE) or node.parent.name in ("script", "style"):
                continue
            outside = []
            for char in node:
                if char in (OPEN, CLOSE):
                    depth = depth + 1 if char == OPEN else max(depth - 1, 0)
                    outside.append("\x00")
                elif depth == 0:
                    outside.append(char)
            if checked(node.parent) and (left := self.leftover("".join(outside))):
                found.append((css_path(node.parent), left))
        if depth:
            found.append(("(page)", f"{depth} {OPEN} never closed: a translated string was cut or split"))
        return found

    def _attributes(self, soup: BeautifulSoup, checked) -> list[tuple[str, str]]:
        found = []
        for element in filter(checked, soup.find_all(True)):
            names = [a for a in element.attrs if a in CHECKED_ATTRIBUTES or a.startswith("data-i18n")]
            if element.name == "input" and element.get("type") in BUTTON_TYPES:
                names.append("value")
            for name in names:
                value = element[name] if isinstance(element[name], str) else " ".join(element[name])
                if left := self.leftover(unwrapped(value)):
                    found.append((f"{css_path(element)}[{name}]", left))
        return found


@pytest.fixture(scope="module")
def pseudo_app(tmp_path_factory):
    scratch = tmp_path_factory.mktemp("pseudo")
    build_pseudo_catalogue(scratch / "translations")
    url = f"sqlite:///{scratch / 'portal.sqlite3'}"
    upgrade(url)
    config = TestConfig()
    config.DATABASE_URL = url
    config.LANGUAGES = (*config.LANGUAGES, PSEUDO)
    config.BABEL_TRANSLATION_DIRECTORIES = f"{scratch / 'translations'};{Path('translations').resolve()}"
    with pytest.MonkeyPatch.context() as patch:
        patch.setitem(i18n.LANGUAGE_NAMES, PSEUDO, "Esperanto")
        app = create_app(config)
        yield app
    app.extensions["db_engine"].dispose()
    limiter.reset()


SAM, ALEX, MORGAN, JAMIE = (f"demo.{name}@example.org" for name in ("person", "carer", "morgan", "jamie"))
STAFF, ADMIN = "demo.staff@example.org", "demo.admin@example.org"


@pytest.fixture(scope="module")
def people(pseudo_app):
    """The demo accounts and sample directory; Sam half-way through a self-assessment, Morgan writing a plan."""
    from portal.data import assessments, budget_accounts, budgets, plans
    from portal.data.accounts import get_user_by_email
    from portal.data.demo import load_demo_accounts
    from portal.data.directory import upsert_services

    records = json.loads(Path("content/directory/services.json").read_text())
    with pseudo_app.app_context():
        load_demo_accounts()
        upsert_services(records)
        ids = {email: get_user_by_email(email).id for email, _, _ in DEMO_ACCOUNTS}
        morgan = get_user_by_email(MORGAN)
        plan = plans.start_plan(morgan.id, budgets.latest_budget(morgan.id), morgan)
        item = plans.PlanItemRecord(
            position=1, description="Personal assistant", unit_label="hour", unit_pence=1750,
            quantity_hundredths=800, frequency="week",
        )  # fmt: skip
        plans.change_plan(plan, plan.revision, morgan, lambda p: p.items.append(item))
        ids["morgan_assessment"] = assessments.latest_assessment(morgan.id).id
        account = budget_accounts.account_for(ids[JAMIE])
        ids["jamie_account"], ids["jamie_plan"] = account.id, account.plan.id
    make_assessment(pseudo_app, ids[SAM], {q: a for q, a in DEMO_ANSWERS.items() if q < "F"})
    ids["service"] = next(r["id"] for r in records if r.get("service_at_locations") and len(r["cost_options"]) > 1)
    return ids


@dataclass(frozen=True)
class Send:
    """Send the page's main form as a browser would: hidden fields kept, `typed` filled in, every other box empty.

    With nothing typed the page should answer with its error messages; otherwise the page it leads to is checked.
    """

    url: str
    typed: dict[str, str | list[str]] = field(default_factory=dict)

    def __call__(self, web: WebClient):
        page = BeautifulSoup(web.client.get(self.url).get_data(as_text=True), "html.parser")
        sent: dict[str, list[str]] = {}
        for box in page.select_one("main form[method=post]").select("input[name], textarea[name], select[name]"):
            if box.get("type") not in ("radio", "checkbox", "submit", "file"):
                sent.setdefault(box["name"], []).append(box.get("value", "") if box.get("type") == "hidden" else "")
        return web.client.post(self.url, data={**sent, **self.typed}, follow_redirects=True)


EASY_READ = "/?easy_read=1"


def visits(ids) -> dict[str | None, list[str | Send]]:
    """Who signs in (None: nobody), then the pages they see in order; EASY_READ switches Easy Read on for the rest."""
    sam, morgan, jamie = (f"/people/{ids[email]}" for email in (SAM, MORGAN, JAMIE))
    account = f"{jamie}/budget-account"
    return {
        None: [
            "/", "/accessibility", "/privacy", "/cookies", "/sign-in", "/register", "/forgotten-password",
            "/signed-out", "/help", "/help/budget_worked_out", "/help/jargon-buster",
            "/help/jargon-buster/needs_assessment", "/help/jargon-buster?q=budjet", "/directory",
            "/directory?q=home+care", "/directory?postcode=AT4+3NP&sort=distance",
            f"/directory/services/{ids['service']}", "/chat", "/no-such-page", Send("/sign-in"), Send("/register"),
            Send("/forgotten-password", {"email": SAM}), EASY_READ, "/help", "/help/budget_worked_out",
            "/help/jargon-buster", "/help/jargon-buster/needs_assessment",
        ],
        SAM: [
            "/dashboard", f"{sam}/assessment/sections", f"{sam}/assessment/questions/A1",
            f"{sam}/assessment/questions/about_what_matters", f"{sam}/assessment/sections/A/check",
            f"{sam}/assessment/check-and-send", f"{sam}/budget-account", "/account/helpers",
            "/account/helpers/invite", "/account/settings", "/account/settings/language",
            "/account/settings/text-size", "/account/settings/reminders", "/account/sessions",
            "/account/record-history", "/account/your-data", "/account/close", "/account/change-password",
            Send(f"{sam}/assessment/questions/F1"), Send("/account/helpers/invite", INVITATION), EASY_READ,
            f"{sam}/assessment",
        ],
        ALEX: ["/dashboard", "/people-i-help", f"{sam}/assessment/sections", f"{sam}/assessment/check-and-send"],
        MORGAN: [
            "/dashboard", f"{morgan}/budget", f"{morgan}/budget/review", f"{morgan}/plan", f"{morgan}/plan/about-me",
            f"{morgan}/plan/outcomes", f"{morgan}/plan/outcomes/new", f"{morgan}/plan/needs", f"{morgan}/plan/budget",
            f"{morgan}/plan/items/new", f"{morgan}/plan/management", f"{morgan}/plan/staying-safe",
            f"{morgan}/plan/who-helped", f"{morgan}/plan/check", Send(f"{morgan}/plan/outcomes/new"),
            Send(f"{morgan}/plan/outcomes/new", OUTCOME), f"{morgan}/plan/check", EASY_READ, f"{morgan}/budget",
            f"{morgan}/plan",
        ],
        JAMIE: [
            "/dashboard", f"{jamie}/budget", f"{jamie}/plan", f"{jamie}/plan/print", account,
            f"{account}/spending/new", f"{account}/money-in/new", f"{account}/statement", f"{account}/records",
            f"{account}/payments", f"{account}/assistants", f"{account}/commitments", f"{account}/returns",
            f"{account}/returns/new", f"{account}/import", Send(f"{account}/spending/new"), EASY_READ,
            f"{jamie}/budget", f"{jamie}/plan", f"{account}/spending/new",
        ],
        STAFF: [
            "/staff", "/staff/assessments", f"/staff/assessments/{ids['morgan_assessment']}", "/staff/plans",
            f"/staff/plans/{ids['jamie_plan']}", "/staff/budget-accounts",
            f"/staff/budget-accounts/{ids['jamie_account']}", "/staff/audit", "/staff/audit?person=sam",
            "/staff/people", "/staff/people?q=taylor", f"/staff/people/{ids[SAM]}/representatives",
            "/staff/directory", "/staff/directory/new", f"/staff/directory/{ids['service']}/edit",
        ],
        ADMIN: ["/admin/accounts"],
    }  # fmt: skip


def check_page(response, visit: str | Send, scanner: Scanner) -> list[str]:
    address = response.request.full_path.rstrip("?")
    if response.status_code != (404 if address == "/no-such-page" else 200):
        return [f"{address}: status {response.status_code}"]
    soup = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    problems = []
    if soup.html.get("lang") != PSEUDO:
        problems.append(f"{address}: shown in {soup.html.get('lang')!r}, not the pseudo-locale")
    if isinstance(visit, Send) and bool(visit.typed) == bool(soup.select(".govuk-error-message")):
        problems.append(f"{address}: sent {visit.typed or 'blank'}, and the answer was not what the test needs")
    return problems + [f"{address}  {where}: {text!r}" for where, text in scanner.scan(soup)]


@pytest.fixture(scope="module")
def scanner(pseudo_app):
    council = {pseudo_app.config[key] for key in ("COUNCIL_NAME", "COUNCIL_PHONE", "COUNCIL_EMAIL")}
    language_names = set(i18n.LANGUAGE_NAMES.values())  # the language switch names each language in itself
    return Scanner(typed_in() | directory_data() | council | language_names, dates_words(PSEUDO))


def test_every_visible_string_is_translated(pseudo_app, people, scanner):
    report = []
    for who, pages in visits(people).items():
        web = WebClient(pseudo_app.test_client())
        if who:
            limiter.reset()  # seven people sign in within the minute
            web.sign_in(who, DEMO_PASSWORD)
        web.get(f"/?lang={PSEUDO}", status=302)
        for visit in pages:
            if visit == EASY_READ:
                web.get(EASY_READ, status=302)
            else:
                response = visit(web) if isinstance(visit, Send) else web.client.get(visit)
                report += check_page(response, visit, scanner)
    with pseudo_app.app_context():
        emails = db_session().scalars(select(OutboxMessage)).all()
        assert len(emails) == 2, "the password reset and the invitation were sent"
        for email in emails:
            for part in ("subject", "body"):
                if left := scanner.leftover(unwrapped(getattr(email, part))):
                    report.append(f"email to {email.to_address}, {part}: {left!r}")
    assert not report, "Not in a translation call:\n" + "\n".join(report)


def test_the_scan_finds_words_outside_the_markers(scanner):
    page = BeautifulSoup(
        "<html><head><title>⟦Your budget⟧</title></head><body><h1>⟦Hello %s⟧</h1>"
        '<p>⟦Read <a href="/x">our notice</a>, then go on⟧</p><p>⟦Balance⟧: £ 6 544,00 ⟦on⟧ 23 Novembro 2026</p>'
        "<p>Sam Taylor (Parent) · sam@example.org · ABC-DEF-234 · A 2 R X</p><p>Save and continue</p>"
        '<p>⟦Total⟧ per week</p><button aria-label="Close">⟦Close⟧</button><code>ledger.spending</code></body></html>',
        "html.parser",
    )
    assert scanner.scan(page) == [
        ("body > p", "Save and continue"),
        ("body > p", "per week"),
        ("body > button[aria-label]", "Close"),
    ]
    assert scanner.scan(BeautifulSoup("<p>⟦A message cut short</p>", "html.parser"))[-1][0] == "(page)"


def test_the_pseudo_locale_formats_numbers_money_and_dates(pseudo_app, scanner):
    from datetime import date

    with pseudo_app.test_request_context(), force_locale(PSEUDO):
        shown = [i18n.pence(654400), str(i18n.lazy_number(2000)), i18n.long_date(date(2026, 11, 23))]
    assert all(shown) and scanner.leftover("\x00".join(shown)) == "", shown
