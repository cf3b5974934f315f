"""Fuzzing (#10): random, huge, unicode, control-character, negative and malformed values sent to every form and
every htmx endpoint. Never a 5xx; and when the answer is an error, nothing in the database has changed.

The routes come from the app's own URL map, so a new form is fuzzed without anyone remembering to add it. Each is
sent as someone allowed to use it, on real records, with the fields its form really has (read from the page that
holds the form), so the values reach the validation and the views rather than stopping at the policy.
"""

import hashlib
import io
import re
import threading
from dataclasses import dataclass, field
from datetime import timedelta
from http.server import ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup
from flask import url_for
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from portal.app import create_app
from portal.config import TestConfig
from portal.data.models import Base, Role
from portal.domain.permissions import Area
from portal.extensions import limiter
from portal.policy import RECORD_PARTS, ROUTE_ACCESS, Access
from tests.conftest import empty_the_database
from tests.factories import PASSWORD, add_services, make_assessment, make_helper_for, make_user, oruk_service, tiny_png
from tests.web.conftest import csrf_token_from
from tests.web.test_help import FakeRasa

FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)

# POST routes not fuzzed here, each with the reason. Every other POST route must be.
NOT_FUZZED = {
    # Sign-out takes no input at all: any request with a CSRF token signs out, which is its whole job.
    "auth.sign_out": "no input; tested in test_auth.py",
}

# Written on every request, or written on purpose when input is refused, so left out of "nothing changed":
# - user_sessions.last_seen_at: the signed-in session is marked seen (at most once a minute) on any request;
# - audit_events of staff looking at a record ("record.viewed", written whenever staff open a record, including
#   when a form on it is re-shown with errors) and of failed sign-ins (a security record, kept by design);
# - statement_imports.mapping: which column of an uploaded statement is the date, the amount…, kept as the person
#   changes it so the preview shows the lines read that way, problems and all. It is the preview's own state: nothing
#   is imported, and the ledger is checked like every other table.
IGNORED_COLUMNS = {"user_sessions": {"last_seen_at"}, "statement_imports": {"mapping"}}
IGNORED_AUDIT_ACTIONS = {"record.viewed", "account.sign_in_failed"}

# The answers that say "your input was refused".
REFUSED = {400, 403, 404, 405, 409, 410, 413, 422, 429}

NASTY = [
    "",
    " ",
    "x" * 100_000,
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-1",
    "-0",
    "0",
    "-99999999999999999999999999",
    "99999999999999999999999999",
    "0.005",
    "²",
    "٣",
    "9" * 5000,
    "1,000.50",
    "£12.34",
    "12.345",
    "2026-02-30",
    "31/02/2026",
    "0000-00-00",
    "9999-12-31",
    "\x00",
    "a\x00b",
    "\r\n\t",
    "\x1b[31m\x07\x08",
    "'; DROP TABLE users; --",
    '" OR 1=1 --',
    "%' OR '%'='",
    "<script>alert(1)</script>",
    "{{ 7*7 }}{% raw %}",
    "%s%n%x",
    "\u202eevil\u202c",
    "مرحبا بالعالم",
    "اردو میں",
    "👩\u200d👩\u200d👧\u200d👦🏳️\u200d🌈",
    "e\u0301\u0301\u0301\u0301",
    "\ufeff\u200b",
    "\uffff\ufffe",
    "../../etc/passwd",
    "null",
    "[]",
    "{}",
]


def value_strategy(known: list[str]) -> st.SearchStrategy[str]:
    choices = [
        st.sampled_from(NASTY),
        st.text(max_size=40),
        st.integers().map(str),
        st.floats().map(str),
        st.binary(max_size=20).map(lambda raw: raw.decode("latin-1")),
    ]
    if known:
        choices.append(st.sampled_from(known))  # a real option or the page's own value, to get past the first check
    return st.one_of(choices)


def file_strategy() -> st.SearchStrategy[tuple]:
    contents = st.one_of(
        st.binary(max_size=2000),
        st.just(tiny_png()),
        st.just(b"%PDF-1.4\n" + b"\x00" * 50),
        st.just(b"\x89PNG\r\n\x1a\n" + b"\x00" * 20),
        st.just(b"x" * 200_000),
    )
    names = st.one_of(
        st.sampled_from(["receipt.png", "statement.csv", "a.pdf", "", "../../x.exe"]), st.text(max_size=30)
    )
    return st.tuples(contents, names)


# Believable answers for fields the page leaves empty, so that one bad value among good ones reaches the save.
PLAUSIBLE = [
    "Jo Bloggs",
    "12.50",
    "1",
    "7",
    "y",
    "jo.bloggs@example.org",
    "01632 960123",
    "correct horse battery staple",
]


@st.composite
def form_submissions(draw, fields: dict[str, "FormField"]) -> dict[str, object]:
    if fields and draw(st.booleans()):
        return draw(one_bad_value(fields))
    sent: dict[str, object] = {}
    for name, form_field in fields.items():
        how = draw(st.sampled_from(["value", "value", "missing", "repeated"]))
        if how == "missing":
            continue
        one = file_strategy() if form_field.is_file else value_strategy(form_field.values)
        if how == "repeated" or form_field.count > 1:
            sent[name] = draw(st.lists(one, min_size=1, max_size=form_field.count + 2))
        else:
            sent[name] = draw(one)
    if draw(st.booleans()):
        sent[draw(st.text(min_size=1, max_size=20))] = draw(value_strategy([]))
    return sent


@st.composite
def one_bad_value(draw, fields: dict[str, "FormField"]) -> dict[str, object]:
    """The form as the page fills it (or believably filled in), with one field's value made bad."""
    sent: dict[str, object] = {}
    for name, form_field in fields.items():
        if form_field.is_file:
            sent[name] = (tiny_png(), "receipt.png")
            continue
        one = st.sampled_from(form_field.values or PLAUSIBLE)
        sent[name] = draw(
            st.lists(one, min_size=form_field.count, max_size=form_field.count) if form_field.count > 1 else one
        )
    bad = draw(st.sampled_from(sorted(fields)))
    sent[bad] = draw(file_strategy() if fields[bad].is_file else value_strategy([]))
    return sent


@dataclass
class FormField:
    values: list[str] = field(default_factory=list)
    is_file: bool = False
    count: int = 0


def forms_on(body: str) -> dict[str, dict[str, FormField]]:
    """Every POST form on a page, by the path it posts to: its fields, their options and current values."""
    found: dict[str, dict[str, FormField]] = {}
    for form in BeautifulSoup(body, "html.parser").find_all("form"):
        if (form.get("method") or "get").lower() != "post":
            continue
        fields = found.setdefault(urlsplit(form.get("action") or "").path, {})
        for control in form.find_all(["input", "select", "textarea", "button"]):
            name = control.get("name")
            if not name or name == "csrf_token":
                continue
            entry = fields.setdefault(name, FormField())
            entry.count += 1
            entry.is_file = entry.is_file or control.get("type") == "file"
            if control.name == "select":
                entry.values += [option.get("value", option.get_text()) for option in control.find_all("option")]
            elif control.name == "textarea":
                entry.values.append(control.get_text())
            elif control.get("value") is not None:
                entry.values.append(control["value"])
    return found


def database_snapshot(engine) -> dict[str, str]:
    """A digest of every table's rows, less what the portal writes on any request (see IGNORED_*)."""
    digests = {}
    with engine.connect() as connection:
        for table in Base.metadata.sorted_tables:
            columns = [c for c in table.columns if c.name not in IGNORED_COLUMNS.get(table.name, set())]
            query = select(*columns).order_by(*table.primary_key.columns)
            if table.name == "audit_events":
                query = query.where(table.c.action.not_in(IGNORED_AUDIT_ACTIONS))
            digest = hashlib.sha256()
            for row in connection.execute(query):
                digest.update(repr(tuple(row)).encode())
            digests[table.name] = digest.hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(name for name in after if before.get(name) != after[name])


def _refused(response, body: bytes) -> bool:
    if response.status_code in REFUSED:
        return True
    return response.status_code == 200 and b"govuk-error-summary" in body


def _routes(app):
    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: (rule.endpoint, rule.rule)):
        yield rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def _variants(app, rule):
    """One URL per rule, except a question page: one per kind of question (choice, hours, text)."""
    if "question_id" not in rule.arguments:
        return [None]
    kinds: dict[str, str] = {}
    for section in app.extensions["content"].questionnaire.sections:
        for question in section.questions:
            if question.shown_if is None:
                kinds.setdefault(question.type, question.id)
    return sorted(kinds.values())


def _post_targets():
    app = create_app(TestConfig())
    for rule, methods in _routes(app):
        if "POST" in methods and rule.endpoint not in NOT_FUZZED:
            for variant in _variants(app, rule):
                yield pytest.param(rule.rule, variant, id=rule.rule + (f"-{variant}" if variant else ""))


class FakeRasaServer:
    def __init__(self):
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), FakeRasa)
        self.server.received = []
        self.server.daemon_threads = True
        FakeRasa.answer, FakeRasa.delay = [{"text": "An answer."}], 0.0
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server.server_port}"

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class World:
    """One app, real records, and a signed-in client for each kind of user, shared by the whole module."""

    def __init__(self, app):
        self.app = app
        self.engine = app.extensions["db_engine"]
        self.ids: dict[str, int] = {}
        self.emails: dict[str, str] = {}
        self.clients = {}
        self.tokens: dict[str, str] = {}
        self.args: dict[str, dict[str, object]] = {}
        self.forms: dict[tuple[str, str], dict[str, FormField]] = {}
        self.last_snapshot: str | None = None

    def user(self, actor: str, role: Role) -> None:
        self.ids[actor], self.emails[actor] = make_user(self.app, role, full_name=f"Fuzz {actor.title()}")

    def sign_in(self, actor: str) -> None:
        client = self.app.test_client()
        if actor != "anonymous":
            token = csrf_token_from(client.get("/sign-in"))
            signed_in = client.post(
                "/sign-in", data={"email": self.emails[actor], "password": PASSWORD, "csrf_token": token}
            )
            assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]
        self.clients[actor] = client
        self.tokens[actor] = csrf_token_from(client.get("/sign-in" if actor == "anonymous" else "/account/settings"))

    def still_signed_in(self, actor: str) -> None:
        """After a request that may have ended the session (or its CSRF secret): sign in again, with a fresh token."""
        page = self.clients[actor].get("/sign-in" if actor == "anonymous" else "/account/settings")
        if page.status_code != 200:
            self.sign_in(actor)
        else:
            self.tokens[actor] = csrf_token_from(page)

    def actor_for(self, endpoint: str) -> str:
        if endpoint in ("representatives.accept", "representatives.stop_helping", "representatives.people_i_help"):
            return "helper"
        access = ROUTE_ACCESS[endpoint]
        if access is Access.OWN_RECORD:
            return {Area.ASSESSMENT: "answerer", Area.PLAN: "planner", Area.BUDGET: "planner"}.get(
                RECORD_PARTS[endpoint].area, "holder"
            )
        return {Access.STAFF: "staff", Access.ADMIN: "admin"}.get(
            access, "holder" if access in (Access.SIGNED_IN, Access.PEOPLE, Access.PEOPLE_AND_HELPERS) else "anonymous"
        )

    def url(self, rule, actor: str, variant: str | None) -> str:
        args = {name: value for name, value in self.args.get(rule.endpoint, {}).items() if name in rule.arguments}
        if "person_id" in rule.arguments:
            args["person_id"] = self.ids[actor]
        if variant is not None:
            args["question_id"] = variant
        missing = set(rule.arguments) - set(args)
        assert not missing, f"{rule.endpoint}: say in World.args how to fill {missing} with a real record"
        with self.app.test_request_context():
            return url_for(rule.endpoint, **args)

    def fields_for(self, actor: str, path: str) -> dict[str, FormField]:
        """The fields of the form posting to this path, found on the page itself or on any page the actor can open."""
        if (actor, path) not in self.forms:
            self.crawl(actor)
        return self.forms.get((actor, path), {})

    def crawl(self, actor: str) -> None:
        client = self.clients[actor]
        for rule, methods in _routes(self.app):
            if "GET" not in methods or self.actor_for(rule.endpoint) != actor or rule.endpoint in ("static", "assets"):
                continue
            if rule.rule.endswith((".pdf", ".csv", ".zip")):
                continue
            for variant in _variants(self.app, rule):
                response = client.get(self.url(rule, actor, variant))
                body = response.get_data(as_text=True) if response.mimetype == "text/html" else ""
                response.close()  # file responses hold their file open until closed
                for path, fields in forms_on(body).items():
                    self.forms.setdefault((actor, path), fields)
        self.forms.setdefault((actor, "crawled"), {})


def _build_world(app) -> World:
    from portal.data import budget_accounts, budgets, password_resets, plans
    from portal.data import representatives as helpers
    from portal.data.accounts import get_user
    from portal.data.db import db_session
    from portal.data.demo import DEMO_ANSWERS
    from portal.domain.permissions import Permission
    from portal.domain.support_plan import PlanAction
    from portal.spending.timesheets import monday_of
    from portal.timekeeping import today
    from tests.factories import approve_a_plan

    world = World(app)
    for actor, role in [
        ("holder", Role.PERSON),  # an approved plan and a budget account with something of everything in it
        ("planner", Role.PERSON),  # a draft support plan
        ("answerer", Role.PERSON),  # a self-assessment under way
        ("waiting", Role.PERSON),  # an assessment and a plan waiting for the council
        ("forgetful", Role.PERSON),  # has asked for a password reset
        ("helper", Role.REPRESENTATIVE),
        ("staff", Role.STAFF),
        ("admin", Role.ADMIN),
    ]:
        world.user(actor, role)
    holder, planner, waiting = world.ids["holder"], world.ids["planner"], world.ids["waiting"]
    make_helper_for(app, world.emails["holder"], world.emails["helper"])
    make_helper_for(app, world.emails["planner"], world.emails["helper"])  # a link the helper may end
    make_assessment(app, holder, DEMO_ANSWERS, send=True)
    approve_a_plan(app, holder, staff_id=world.ids["staff"])
    make_assessment(app, planner, DEMO_ANSWERS, send=True)
    make_assessment(app, world.ids["answerer"], dict(list(DEMO_ANSWERS.items())[:2]))
    waiting_assessment = make_assessment(app, waiting, DEMO_ANSWERS, send=True)
    service = oruk_service(
        "Fuzz Day Centre", costs=[(12, "per hour")], postcode="AN1 1AA", latitude=52.0, longitude=-1.0
    )
    add_services(app, service)
    with app.app_context():
        content = app.extensions["content"]
        session = db_session()
        draft = plans.start_plan(planner, budgets.latest_budget(planner), get_user(planner))

        def fill(plan):
            plan.outcomes.append(plans.PlanOutcome(position=1, what="See friends", how_we_know="Weekly", needs=[]))
            plan.items.append(
                plans.PlanItemRecord(
                    position=1,
                    description="Personal assistant",
                    unit_label="hour",
                    unit_pence=1750,
                    quantity_hundredths=1000,
                    frequency="week",
                )
            )

        assert plans.change_plan(draft, draft.revision, get_user(planner), fill).saved
        sent = plans.start_plan(waiting, budgets.latest_budget(waiting), get_user(waiting))
        assert plans.change_plan(sent, sent.revision, get_user(waiting), fill).saved
        assert plans.move(sent, PlanAction.SUBMIT, get_user(waiting))
        invitation = helpers.invite(get_user(holder), "Fuzz Friend", "Friend", [Permission.SEE_EVERYTHING], None)
        reset_token = password_resets.issue_token(get_user(world.ids["forgetful"]), timedelta(hours=1))
        link = helpers.helpers_of(holder)[0]
        account = budget_accounts.account_for(holder)
        account.starts_on = monday_of(today()) - timedelta(weeks=30)  # old enough for a return to be due
        session.commit()
        pa_item = next(item for item in account.plan.items if item.description == "Personal assistant")
        world.args.update(
            {
                "plan.outcome": {"outcome_id": draft.outcomes[0].id},
                "plan.remove_outcome": {"outcome_id": draft.outcomes[0].id},
                "plan.item": {"item_id": draft.items[0].id},
                "plan.remove_item": {"item_id": draft.items[0].id},
                "staff.plan": {"plan_id": sent.id},
                "staff.assessment": {"assessment_id": waiting_assessment},
                "staff.budget_account": {"account_id": account.id},
                "spending.assistant": {"item_id": pa_item.id},
                "representatives.invitation_sent": {"invitation_id": invitation.invitation.id},
                "representatives.cancel_invitation": {"invitation_id": invitation.invitation.id},
                "representatives.change_helper": {"link_id": link.id},
                "representatives.stop_helper": {"link_id": link.id},
                "representatives.stop_helping": {"link_id": helpers.helpers_of(planner)[0].id},
                "representatives.record_representative": {"user_id": world.ids["answerer"]},
                "auth.reset_password": {"token": reset_token},
                "directory.service": {"service_id": service["id"]},
                "directory.edit_service": {"service_id": service["id"]},
                "directory.retire_service": {"service_id": service["id"]},
                "api.service": {"service_id": service["id"]},
                "help.topic": {"topic_id": content.help_topics.topics[0].id},
                "help.term": {"term_id": content.glossary.terms[0].id},
                "assessment.check_section": {"section_id": content.questionnaire.sections[0].id},
            }
        )
    for actor in ["anonymous", *world.ids]:
        world.sign_in(actor)
    _fill_the_budget_account(world, holder)
    return world


def _fill_the_budget_account(world: World, holder: int) -> None:
    """Through the portal's own forms, as a person would: spending with a receipt, money committed, a PA and a week
    of their hours, a statement waiting to be imported and a return sent."""
    from portal.data import budget_accounts
    from portal.spending.timesheets import monday_of
    from portal.timekeeping import today

    client = world.clients["holder"]
    base = f"/people/{holder}/budget-account"
    client.get(base)  # the first payment is in

    def post(path, data, **kwargs):
        token = csrf_token_from(client.get(path))
        response = client.post(path, data={**data, "csrf_token": token}, **kwargs)
        assert response.status_code == 302, (path, response.status_code)
        return response

    app = world.app
    with app.app_context():
        account = budget_accounts.account_for(holder)
        item = next(i for i in account.plan.items if i.description == "Personal assistant")
        item_id, account_id = item.id, account.id
    day = today()
    post(
        f"{base}/spending/new",
        {
            "occurred_on": [str(day.day), str(day.month), str(day.year)],
            "payee": "Anytown Home Care Ltd",
            "plan_item": str(item_id),
            "other_reason": "",
            "amount": "12.50",
            "payment_method": "bank transfer",
            "note": "",
            "receipt": (io.BytesIO(tiny_png()), "receipt.png"),
        },
        content_type="multipart/form-data",
    )
    post(
        f"{base}/commitments",
        {"description": "Respite", "amount": "150.00", "due_on": ["1", "3", "2099"], "plan_item": ""},
    )
    post(f"{base}/assistants/{item_id}", {"name": "Jo Bloggs", "hours_pattern": "irregular"})
    statement = f"Date,Description,Paid out,Paid in\n{day:%d/%m/%Y},SHOP,5.00,\n".encode()
    imported = post(
        f"{base}/import",
        {"statement": (io.BytesIO(statement), "s.csv"), "source": "bank"},
        content_type="multipart/form-data",
    )
    period = BeautifulSoup(client.get(f"{base}/returns/new").data, "html.parser").select_one("input[name=period]")
    post(f"{base}/returns/new", {"period": period["value"], "declaration": "y"})
    with app.app_context():
        account = budget_accounts.account_for(holder)
        spent = next(row for row in budget_accounts.entries(account) if row.kind == "spending")
        assistant = budget_accounts.assistants(account)[0]
        commitment = budget_accounts.commitments(account)[0]
        sent_return = budget_accounts.returns(account)[0]
        world.args.update(
            {
                "spending.entry": {"entry_id": spent.id},
                "spending.correct": {"entry_id": spent.id},
                "spending.receipt": {"receipt_id": spent.receipt_id},
                "staff.account_receipt": {"account_id": account_id, "receipt_id": spent.receipt_id},
                "spending.close_commitment": {"commitment_id": commitment.id},
                "spending.import_preview_page": {"import_id": int(imported.headers["Location"].rsplit("/", 1)[1])},
                "spending.timesheet": {"assistant_id": assistant.id, "week": monday_of(today()) - timedelta(weeks=1)},
                "spending.payroll": {"assistant_id": assistant.id},
                "spending.return_detail": {"return_id": sent_return.id},
                "staff.account_return": {"return_id": sent_return.id},
            }
        )
    # A second session for the holder, so ending "a session" has one to end that is not the fuzzing client's own.
    other = world.app.test_client()
    token = csrf_token_from(other.get("/sign-in"))
    other.post("/sign-in", data={"email": world.emails["holder"], "password": PASSWORD, "csrf_token": token})
    with app.app_context():
        from portal.data.db import db_session
        from portal.data.models import UserSession

        newest = (
            db_session()
            .scalars(select(UserSession).where(UserSession.user_id == holder).order_by(UserSession.id.desc()))
            .first()
        )
        world.args["settings.end_session"] = {"session_id": newest.id}


@pytest.fixture(scope="module")
def world(database_url):
    rasa = FakeRasaServer()
    config = TestConfig()
    config.DATABASE_URL = database_url
    config.RASA_URL = rasa.url
    config.RATELIMIT_ENABLED = False  # rate limits have their own tests; here every example must reach the view
    app = create_app(config)
    try:
        yield _build_world(app)
    finally:
        empty_the_database(app)
        rasa.stop()
        # Flask-Limiter has one limiter for every app, and a new app takes its switch from the last one's:
        # left off, the rate-limit tests that come after would find no limits.
        limiter.enabled = True


# Routes whose valid use signs the user out: the next example signs in again.
SIGNS_OUT = {"settings.end_all_sessions", "data_rights.confirm_close_account", "account.change_password"}


def _fresh_file(value):
    if isinstance(value, tuple):
        return (io.BytesIO(value[0]), value[1])
    if isinstance(value, list):
        return [_fresh_file(one) for one in value]
    return value


def test_every_post_route_is_fuzzed_or_says_why_not(world):
    fuzzed = {target.values[0] for target in _post_targets()}
    posted = {rule.endpoint for rule, methods in _routes(world.app) if "POST" in methods}
    assert set(NOT_FUZZED) <= posted, "an exclusion for a route that no longer exists"
    for rule, methods in _routes(world.app):
        if "POST" in methods and rule.endpoint not in NOT_FUZZED:
            assert rule.rule in fuzzed, rule
            for variant in _variants(world.app, rule):
                world.url(rule, world.actor_for(rule.endpoint), variant)  # real records for every part of the URL


@pytest.mark.parametrize(("rule_path", "variant"), list(_post_targets()))
def test_random_input_to_a_form_is_never_a_server_error_and_an_error_changes_nothing(world, rule_path, variant):
    rule = next(rule for rule, _ in _routes(world.app) if rule.rule == rule_path)
    actor = world.actor_for(rule.endpoint)
    url = world.url(rule, actor, variant)
    fields = world.fields_for(actor, urlsplit(url).path)
    multipart = any(form_field.is_file for form_field in fields.values())
    world.still_signed_in(actor)

    @FUZZ
    @given(sent=form_submissions(fields), htmx=st.booleans())
    def send(sent, htmx):
        client = world.clients[actor]
        before = database_snapshot(world.engine)
        data = {name: _fresh_file(value) for name, value in sent.items()}
        data["csrf_token"] = world.tokens[actor]
        response = client.post(
            url,
            data=data,
            headers={"HX-Request": "true"} if htmx else {},
            content_type="multipart/form-data" if multipart else None,
        )
        body = response.get_data()
        response.close()  # a download holds its file open until closed
        assert response.status_code < 500, body[:2000].decode(errors="replace")
        if _refused(response, body):
            changed = changed_tables(before, database_snapshot(world.engine))
            assert not changed, f"{response.status_code}: refused, yet {changed} changed"
        if rule.endpoint in SIGNS_OUT or response.status_code in (302, 400):
            world.still_signed_in(actor)

    send()


def _get_targets():
    app = create_app(TestConfig())
    for rule, methods in _routes(app):
        if "GET" in methods and rule.endpoint in HTMX_GETS:
            yield pytest.param(rule.rule, id=rule.rule)


# The GET routes that answer htmx (a fragment with HX-Request), found from the templates' hx-get attributes.
def _htmx_endpoints() -> set[str]:
    from pathlib import Path

    found = set()
    for template in (Path(__file__).resolve().parents[2] / "portal").rglob("*.html"):
        found |= set(re.findall(r"hx-get=\"\{\{ url_for\('([a-z_.]+)'", template.read_text()))
    return found


# The chat and the plan item's costing answer htmx too, by POST; their pages also read the query string.
HTMX_GETS = _htmx_endpoints() | {"help.chat", "plan.item"}

QUERY_KEYS = st.one_of(
    st.sampled_from(["q", "page", "category", "cost", "postcode", "distance", "area", "sort", "service", "option"]),
    st.text(min_size=1, max_size=10),
)


@pytest.mark.parametrize("rule_path", list(_get_targets()))
def test_random_query_strings_to_htmx_pages_are_never_a_server_error(world, rule_path):
    rule = next(rule for rule, _ in _routes(world.app) if rule.rule == rule_path)
    actor = world.actor_for(rule.endpoint)
    url = world.url(rule, actor, None)

    @FUZZ
    @given(query=st.lists(st.tuples(QUERY_KEYS, value_strategy([])), max_size=6), htmx=st.booleans())
    def ask(query, htmx):
        before = database_snapshot(world.engine)
        response = world.clients[actor].get(url, query_string=query, headers={"HX-Request": "true"} if htmx else {})
        assert response.status_code < 500, response.get_data(as_text=True)[:2000]
        changed = changed_tables(before, database_snapshot(world.engine))
        assert not changed, f"a GET changed {changed}"

    ask()


CHAT_MESSAGES = st.one_of(
    st.text(max_size=120),
    st.sampled_from(NASTY),
    st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "&amp;&lt;", "{{ config }}"]).map(
        lambda attack: f"what is {attack}"
    ),
    st.text(min_size=480, max_size=520),
)


@FUZZ
@given(message=CHAT_MESSAGES, htmx=st.booleans())
def test_anything_typed_into_the_chat_is_shown_back_as_text_or_explained(world, message, htmx):
    client, token = world.clients["anonymous"], world.tokens["anonymous"]
    before = database_snapshot(world.engine)
    response = client.post(
        "/chat", data={"message": message, "csrf_token": token}, headers={"HX-Request": "true"} if htmx else {}
    )
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        response = client.get("/chat")
    page = BeautifulSoup(response.get_data(as_text=True), "html.parser")
    typed = " ".join(message.replace("\x00", "\ufffd").split())
    if page.select_one(".govuk-error-summary"):
        assert page.select_one("#message-error") or page.select_one(".govuk-error-message"), "the error is at the field"
        assert not changed_tables(before, database_snapshot(world.engine)), "a refused question was kept"
        return
    said = page.select(".cc-chat__turn--you .cc-answer")[-1]
    assert " ".join(said.get_text().split()) == typed  # the words as typed, as text
    assert not said.find_all(True), "what was typed became markup"
