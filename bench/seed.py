"""The benchmark's database: a full-sized council, written through the portal's own data layer.

10,000 directory services; 1,000 people, each with a sent self-assessment, an approved support plan and a budget
account whose council payments were posted by the account's own schedule, with three years of spending recorded
(the largest account about 2,000 entries); and a few people with a draft plan, for the costing recalculation.

People, assessments and plans go through the query modules, as the pages write them (about 0.1 s a person).
Spending, the bulk of the rows, is inserted in batches: the same ledger rows and audit events `record_entry`
writes, one statement per account instead of a commit per entry. Balances are worked out from the ledger, never
stored, so they are as consistent as the rows.
"""

import json
import os
import secrets
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

PEOPLE = int(os.environ.get("BENCH_PEOPLE", "1000"))  # fewer only to try the benchmark out
DRAFT_PLANS = 20
DIRECTORY_SIZE = 10_000
LARGEST_ACCOUNT_ENTRIES = 2_000
OTHER_ACCOUNT_ENTRIES = 60
YEARS_OF_SPENDING = 3


@dataclass
class Seeded:
    database_url: str
    seconds: float = 0.0
    people: list[tuple[int, str]] = field(default_factory=list)  # (id, email), each with an open budget account
    drafting: list[tuple[int, str]] = field(default_factory=list)  # (id, email), each with a draft plan
    largest: tuple[int, str] = (0, "")
    answering: tuple[int, str] = (0, "")  # part-way through the self-assessment
    ledger_rows: int = 0
    services: int = 0


def fresh_postgres_database(admin_url: str) -> tuple[str, str]:
    """A new, empty database on the server DATABASE_URL names, never the one it names: (its URL, its name)."""
    name = f"cc_bench_{secrets.token_hex(4)}"
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), name


def drop_postgres_database(admin_url: str, name: str) -> None:
    engine = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    engine.dispose()


def seed(database_url: str, directory: list[dict]) -> Seeded:
    from portal.app import create_app
    from portal.config import TestConfig
    from portal.data.migrate import upgrade

    started = time.perf_counter()
    upgrade(database_url)
    config = TestConfig()  # the cheap password hash: sign-in cost is not what is measured
    config.DATABASE_URL = database_url
    app = create_app(config)
    seeded = Seeded(database_url)
    with app.app_context():
        from portal.data.directory import upsert_services

        upsert_services(directory)
        seeded.services = len(directory)
    _people(app, seeded)
    seeded.seconds = time.perf_counter() - started
    return seeded


def _people(app, seeded: Seeded) -> None:
    from portal.data import budget_accounts
    from portal.data.db import db_session
    from portal.data.models import Role
    from portal.timekeeping import today
    from tests.factories import approve_a_plan, make_user

    staff_id, _ = make_user(app, Role.STAFF, email="bench.staff@example.org")
    for number in range(PEOPLE):
        person_id, email = make_user(app, email=f"bench.person{number}@example.org", full_name=f"Bench Person {number}")
        _sent_assessment(app, person_id)
        approve_a_plan(app, person_id, JAMIE_LIKE_PLAN, staff_id)
        seeded.people.append((person_id, email))
    for number in range(DRAFT_PLANS):
        person_id, email = make_user(app, email=f"bench.drafting{number}@example.org", full_name=f"Drafting {number}")
        _sent_assessment(app, person_id)
        _draft_plan(app, person_id)
        seeded.drafting.append((person_id, email))
    seeded.largest = seeded.people[0]
    seeded.answering = make_user(app, email="bench.answering@example.org", full_name="Answering")
    with app.app_context():
        from portal.data import assessments
        from portal.data.accounts import get_user

        person = get_user(seeded.answering[0])
        assessments.start_assessment(person.id, app.extensions["content"].questionnaire.version, person)

    with app.app_context():
        session = db_session()
        # Three years ago, on a Monday: the account's schedule posts its payments from then, as it would have.
        opened = today() - timedelta(days=365 * YEARS_OF_SPENDING)
        opened -= timedelta(days=opened.weekday())
        for index, (person_id, _) in enumerate(seeded.people):
            account = budget_accounts.account_for(person_id)
            account.starts_on = opened
            session.commit()
            budget_accounts.post_due_payments(account, today())
            count = LARGEST_ACCOUNT_ENTRIES if index == 0 else OTHER_ACCOUNT_ENTRIES
            seeded.ledger_rows += _spending(session, account, person_id, count, opened, today())
        session.commit()


# Jamie's plan from the demo data, for everyone: a PA, a day service and a respite week.
JAMIE_LIKE_PLAN = [
    ("Personal assistant", 1750, 1200, "week"),
    ("Anytown Day Opportunities", 5500, 100, "week"),
    ("Respite break at Elm House", 15000, 700, "year"),
]


def _sent_assessment(app, person_id: int) -> None:
    """The demo answers, as answering each question writes them (an answer and its audit event), in one
    statement each rather than a commit per question; then sent through the query module, which issues the budget."""
    from portal.data import assessments
    from portal.data.accounts import get_user
    from portal.data.db import db_session
    from portal.data.demo import DEMO_ANSWERS
    from portal.data.models import AssessmentAnswer, AuditEvent
    from portal.timekeeping import today

    with app.app_context():
        person = get_user(person_id)
        content = app.extensions["content"]
        assessment = assessments.start_assessment(person_id, content.questionnaire.version, person)
        session = db_session()
        now = datetime.now(UTC)
        session.execute(
            insert(AssessmentAnswer),
            [
                {"assessment_id": assessment.id, "question_id": question, "value": value, "answered_by_id": person_id,
                 "answered_at": now}
                for question, value in DEMO_ANSWERS.items()
            ],
        )  # fmt: skip
        session.execute(
            insert(AuditEvent),
            [
                {"at": now, "actor_id": person_id, "person_id": person_id, "action": "assessment.answered",
                 "detail": {"question": question}}
                for question in DEMO_ANSWERS
            ],
        )  # fmt: skip
        assessment.last_question_id = list(DEMO_ANSWERS)[-1]
        session.commit()
        session.expire_all()
        assert assessments.send_assessment(assessment, person, "myself", None, content, today())


def _draft_plan(app, person_id: int) -> None:
    from portal.data import budgets, plans
    from portal.data.accounts import get_user

    with app.app_context():
        person = get_user(person_id)
        plan = plans.start_plan(person_id, budgets.latest_budget(person_id), person)

        def fill(p):
            for position, (description, unit, quantity, frequency) in enumerate(JAMIE_LIKE_PLAN[:2], 1):
                p.items.append(
                    plans.PlanItemRecord(
                        position=position, description=description, unit_label="hour", unit_pence=unit,
                        quantity_hundredths=quantity, frequency=frequency,
                    )
                )  # fmt: skip

        assert plans.change_plan(plan, plan.revision, person, fill).saved


def _spending(session, account, person_id: int, count: int, opened, until) -> int:
    """`count` spending entries spread evenly from the day the account opened, to the plan's items, adding up to
    a little less than the council paid in, so the balance stays in credit as a careful person's would."""
    from portal.data.models import AuditEvent, LedgerEntry
    from portal.domain.ledger import EntryKind

    pa, day_service, respite = account.plan.items
    paid_in = sum(row.amount_pence for row in account_entries(session, account.id))
    each = max(100, paid_in * 9 // 10 // count)
    days = (until - opened).days
    now = datetime.now(UTC)
    rows, events = [], []
    for number in range(count):
        item, payee, method = [
            (pa, "Chris Wood", "bank transfer"),
            (day_service, "Anytown Day Opportunities", "prepaid card"),
            (respite, "Elm House", "bank transfer"),
        ][number % 3]
        rows.append(
            {
                "account_id": account.id,
                "kind": EntryKind.SPENDING.value,
                "occurred_on": opened + timedelta(days=days * number // count),
                "amount_pence": each,
                "payee": payee,
                "description": "",
                "plan_item_id": item.id,
                "payment_method": method,
                "created_at": now,
                "created_by_id": person_id,
            }
        )
    ids = session.scalars(insert(LedgerEntry).returning(LedgerEntry.id, sort_by_parameter_order=True), rows).all()
    for entry_id, row in zip(ids, rows, strict=True):
        detail = {"entry": entry_id, "amount_pence": row["amount_pence"]}
        events.append(
            {"at": now, "actor_id": person_id, "person_id": person_id, "action": "ledger.spending", "detail": detail}
        )
    session.execute(insert(AuditEvent), events)
    session.commit()
    return len(rows)


def account_entries(session, account_id: int):
    from sqlalchemy import select

    from portal.data.models import LedgerEntry

    return session.scalars(select(LedgerEntry).where(LedgerEntry.account_id == account_id)).all()


def describe(seeded: Seeded) -> str:
    return json.dumps(
        {
            "services": seeded.services,
            "people": len(seeded.people),
            "drafting": len(seeded.drafting),
            "ledger_rows": seeded.ledger_rows,
            "seconds": round(seeded.seconds, 1),
        }
    )
