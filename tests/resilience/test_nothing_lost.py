"""Nothing lost under concurrency: 20 people save answers and record spending at the same moment, against the
portal served by gunicorn as production runs it; afterwards every write it acknowledged is in the database, once."""

import threading
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http.cookiejar import CookieJar
from uuid import uuid4

from bs4 import BeautifulSoup
from flask import current_app

from portal.data import assessments, budget_accounts
from portal.data.models import Role
from portal.domain import ledger
from portal.domain.ledger import MONEY_IN_KINDS, EntryKind
from portal.i18n import pence
from portal.timekeeping import today
from tests.browser.conftest import start_portal, stop
from tests.factories import PASSWORD, make_approved_plan, make_assessment, make_user

PEOPLE = 20
ROUNDS = 10
QUESTIONS = ("about_what_matters", "B_notes")  # free text, so every saved answer can be told from the others
SENT_TWICE_EVERY = 4  # every fourth spending form is sent twice at once, like a double press
TIMEOUT = 30
# The server may refuse a write (too many requests; an answer changed meanwhile is shown again), never anything else.
ALLOWED = {
    "answer": {"acknowledged", "shown again", "too many requests"},
    "spending": {"acknowledged", "too many requests"},
}


@dataclass(frozen=True)
class Person:
    number: int
    id: int
    email: str


@dataclass
class Write:
    person: Person
    kind: str  # "answer" or "spending"
    key: str  # the question, or the spending's unique note
    value: str  # the answer, or the payee
    amount_pence: int = 0
    outcomes: list[str] = field(default_factory=list)  # one for each time the form was sent

    @property
    def acknowledged(self) -> bool:
        return "acknowledged" in self.outcomes


def _outcome(status: int, location: str, acknowledged: bool) -> str:
    if acknowledged:
        return "acknowledged"
    return {200: "shown again", 429: "too many requests"}.get(status, f"{status} {location}".strip())


class Visitor:
    """One person's browser without the browser: cookies kept, redirects seen rather than followed."""

    class _SeeRedirects(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    def __init__(self, base: str):
        self.base = base
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()), self._SeeRedirects())

    def send(self, path: str, form: list[tuple[str, str]] | None = None) -> tuple[int, str, str]:
        """Status, Location and body."""
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        try:
            response = self.opener.open(urllib.request.Request(self.base + path, data=data), timeout=TIMEOUT)
        except urllib.error.HTTPError as refused:
            response = refused
        with response:
            return response.status, response.headers.get("Location", ""), response.read().decode()

    def form_on(self, path: str) -> dict[str, list[str]]:
        """The hidden fields and radio choices of the form that posts to `path`, read from its page."""
        status, _location, body = self.send(path)
        assert status == 200, (path, status)
        form = BeautifulSoup(body, "html.parser").find("form", action=path)
        assert form is not None, f"no form posting to {path}"
        fields: dict[str, list[str]] = {}
        for box in form.find_all("input", attrs={"type": ["hidden", "radio"]}):
            fields.setdefault(box["name"], []).append(box.get("value", ""))
        return fields


def _people_with_accounts(app) -> list[Person]:
    """Each with an approved plan (so a budget account with its first payment) and a new draft assessment."""
    staff_id, _ = make_user(app, Role.STAFF)
    people = []
    for number in range(PEOPLE):
        person_id, email = make_user(app)
        make_approved_plan(app, person_id, staff_id=staff_id)
        make_assessment(app, person_id, {})
        people.append(Person(number, person_id, email))
    return people


def _save_answer(visitor: Visitor, person: Person, round_number: int) -> Write:
    question = QUESTIONS[round_number % len(QUESTIONS)]
    path = f"/people/{person.id}/assessment/questions/{question}"
    fields = visitor.form_on(path)
    write = Write(person, "answer", question, f"Round {round_number} for person {person.number}: {uuid4().hex}")
    form = [
        ("csrf_token", fields["csrf_token"][0]),
        ("seen_version", fields["seen_version"][0]),
        ("answer", write.value),
    ]
    status, location, _body = visitor.send(path, form)
    saved = status == 302 and location.startswith(f"/people/{person.id}/assessment/")
    write.outcomes.append(_outcome(status, location, saved))
    return write


def _record_spending(visitor: Visitor, person: Person, round_number: int) -> Write:
    path = f"/people/{person.id}/budget-account/spending/new"
    fields = visitor.form_on(path)
    note = f"nothing lost {person.number}-{round_number} {uuid4().hex}"
    write = Write(person, "spending", note, f"Payee {person.number}", 100 * (person.number + 1) + round_number)
    item = fields["plan_item"][round_number % len(fields["plan_item"])]
    day = today()
    form = [
        ("csrf_token", fields["csrf_token"][0]),
        ("once", fields["once"][0]),
        *[("occurred_on", str(part)) for part in (day.day, day.month, day.year)],
        ("payee", write.value),
        ("plan_item", item),
        ("other_reason", "Bus fares to the day centre" if item == "other" else ""),
        ("amount", f"{write.amount_pence // 100}.{write.amount_pence % 100:02d}"),
        ("payment_method", "bank transfer"),
        ("note", write.key),
    ]
    copies = 2 if round_number % SENT_TWICE_EVERY == 0 else 1
    together = threading.Barrier(copies)

    def press():
        together.wait(TIMEOUT)
        return visitor.send(path, form)

    with ThreadPoolExecutor(copies) as presses:
        answers = list(presses.map(lambda _: press(), range(copies)))
    account = f"/people/{person.id}/budget-account"
    write.outcomes = [_outcome(status, where, status == 302 and where == account) for status, where, _body in answers]
    return write


def _one_person(base: str, person: Person, start: threading.Barrier) -> tuple[list[Write], str]:
    """Sign in, then save an answer and record spending, round after round; last, the balance the portal shows."""
    visitor = Visitor(base)
    try:
        start.wait(TIMEOUT)
        fields = visitor.form_on("/sign-in")
        status, _location, _body = visitor.send(
            "/sign-in", [("csrf_token", fields["csrf_token"][0]), ("email", person.email), ("password", PASSWORD)]
        )
        assert status == 302, f"{person.email} could not sign in: {status}"
        start.wait(TIMEOUT)  # everyone signed in: now all write at once
        writes = []
        for round_number in range(ROUNDS):
            writes.append(_save_answer(visitor, person, round_number))
            writes.append(_record_spending(visitor, person, round_number))
        return writes, _balance_shown(visitor, person)
    except BaseException:
        start.abort()  # the others stop waiting for this one
        raise


def test_every_acknowledged_write_is_kept_exactly_once(app, database_url, tmp_path):
    people = _people_with_accounts(app)
    access_log, error_log = tmp_path / "access.log", tmp_path / "error.log"
    server, base = start_portal(
        database_url,
        # 20 people sign in from one address within a second: this tests writes, not the limiter (test_auth.py does).
        SIGN_IN_RATE_LIMIT="1000 per minute",
        # The server's log goes to files we can read: its stderr is a pipe that nobody reads until it stops.
        GUNICORN_CMD_ARGS=f"--access-logfile {access_log} --access-logformat '%(s)s %(m)s %(U)s' "
        f"--error-logfile {error_log}",
    )
    try:
        start = threading.Barrier(PEOPLE)
        with ThreadPoolExecutor(PEOPLE) as clients:
            finished = list(clients.map(lambda p: _one_person(base, p, start), people))
    finally:
        stop(server)

    writes = [write for person_writes, _shown in finished for write in person_writes]
    unexpected = Counter((w.kind, outcome) for w in writes for outcome in w.outcomes if outcome not in ALLOWED[w.kind])
    assert not unexpected, unexpected
    assert all(any(w.acknowledged for w in writes if w.person == p and w.kind == k) for p in people for k in ALLOWED)

    logged = Counter(line.split()[0] for line in access_log.read_text().splitlines())
    assert not [s for s in logged if s.startswith("5")], logged
    assert sum(logged.values()) >= len(writes) * 2, "every request reaches the server's log"
    errors = error_log.read_text()
    assert "Traceback" not in errors and "[ERROR]" not in errors and "[CRITICAL]" not in errors, errors[-3000:]

    with app.app_context():
        for person, (person_writes, shown) in zip(people, finished, strict=True):
            _check_ledger(person, [w for w in person_writes if w.kind == "spending"], shown)
            _check_answers(person, [w for w in person_writes if w.kind == "answer"])


def _balance_shown(visitor: Visitor, person: Person) -> str:
    status, _location, body = visitor.send(f"/people/{person.id}/budget-account/records")
    assert status == 200
    label = BeautifulSoup(body, "html.parser").find("dt", string=lambda s: s and "Money left" in s)
    return label.find_next_sibling("dd").get_text(strip=True)


def _check_ledger(person: Person, spending: list[Write], shown_balance: str) -> None:
    rows = budget_accounts.entries(budget_accounts.account_for(person.id))
    acknowledged = {w.key: w for w in spending if w.acknowledged}
    kept = [row for row in rows if row.kind == EntryKind.SPENDING]
    times = Counter(row.note for row in kept)
    lost = [note for note in acknowledged if not times[note]]
    twice = [note for note, count in times.items() if count > 1]  # a double press recorded twice
    refused_yet_kept = [note for note in times if note not in acknowledged]
    assert (lost, twice, refused_yet_kept) == ([], [], []), person
    wrong = [
        row.note
        for row in kept
        if (row.payee, row.amount_pence) != (acknowledged[row.note].value, acknowledged[row.note].amount_pence)
    ]
    assert wrong == [], person
    tokens = Counter(row.request_token for row in rows if row.request_token)
    assert all(count == 1 for count in tokens.values()) and len(tokens) == len(kept), person

    received = sum(row.amount_pence for row in rows if EntryKind(row.kind) in MONEY_IN_KINDS)
    spent = sum(w.amount_pence for w in acknowledged.values())
    totals = ledger.totals(budget_accounts.as_domain(rows))
    assert (totals.received_pence, totals.spent_pence) == (received, spent), person
    assert ledger.balance(budget_accounts.as_domain(rows)) == received - spent, person
    with current_app.test_request_context():
        assert shown_balance == pence(received - spent), person


def _check_answers(person: Person, answers: list[Write]) -> None:
    stored = {answer.question_id: answer for answer in assessments.latest_assessment(person.id).answers}
    for question in QUESTIONS:
        saved = [w.value for w in answers if w.key == question and w.acknowledged]
        if saved:
            # The last acknowledged answer stands, and each acknowledged save counted once (its version).
            assert (stored[question].value, stored[question].version) == (saved[-1], len(saved)), (person, question)
        else:
            assert question not in stored
