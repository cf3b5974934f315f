"""Download your data, and close your account: what is deleted, what the council keeps, and until when."""

import io
import json
import zipfile
from dataclasses import dataclass
from datetime import timedelta

import html5lib
import pytest
from bs4 import BeautifulSoup
from sqlalchemy import func, select

from portal.data.models import (
    AccountReturn,
    Assessment,
    AuditEvent,
    BudgetAccount,
    IndicativeBudgetRecord,
    Invitation,
    LedgerEntry,
    OutboxMessage,
    PersonalAssistant,
    Receipt,
    Representation,
    Role,
    StatementImport,
    SupportPlan,
    Timesheet,
    User,
    UserSession,
)
from portal.domain import retention
from portal.domain.retention import Record
from portal.timekeeping import today
from tests.factories import PASSWORD, make_approved_plan, make_helper_for, make_user, tiny_png
from tests.web.conftest import WebClient, check_page, error_summary

TODAY = today()
YEARS_AGO_9 = TODAY.replace(year=TODAY.year - 9, day=min(TODAY.day, 28))  # past even "current year plus 6"
YEARS_AGO_3 = TODAY.replace(year=TODAY.year - 3, day=min(TODAY.day, 28))  # a ledger year kept, its receipts not


@dataclass
class Person:
    id: int
    email: str
    name: str
    recent_receipt: int = 0
    middle_receipt: int = 0
    old_receipt: int = 0
    old_entry: int = 0
    corrected_entry: int = 0


def build_person(app, full_name="Sam Taylor", payee="Anytown Home Care Ltd") -> Person:
    """A person with a bit of everything: assessment, budget, an approved plan and a draft change to it, spending
    with receipts across the years, a correction, PAs' timesheets, statements, a return, a helper and an invitation."""
    from portal.data import assessments, budget_accounts, budgets, outbox, plans, representatives
    from portal.data.accounts import get_user
    from portal.data.budget_accounts import NewEntry
    from portal.domain import budget_account as rules
    from portal.domain.ledger import EntryKind
    from portal.domain.permissions import Permission
    from portal.domain.receipts import ReceiptType

    person_id, email = make_user(app, Role.PERSON, full_name=full_name)
    make_approved_plan(app, person_id)
    with app.app_context():
        person = get_user(person_id)
        account = budget_accounts.account_for(person_id)
        budget_accounts.post_due_payments(account, TODAY)
        found = Person(person_id, email, full_name)

        def spend(day, amount, receipt_name=None, **extra):
            receipt = None
            if receipt_name:
                receipt = budget_accounts.store_receipt(account, tiny_png(), ReceiptType.PNG, receipt_name, person)
            entry = NewEntry(EntryKind.SPENDING, day, amount, payee=payee, other_reason="Support", **extra)
            assert budget_accounts.record_entry(account, entry, person, receipt=receipt)
            return receipt.id if receipt else None, max(budget_accounts.entries(account), key=lambda e: e.id)

        found.recent_receipt, _ = spend(TODAY, 8750, "till receipt.png")
        found.middle_receipt, _ = spend(YEARS_AGO_3, 1200, "older receipt.png")
        found.old_receipt, old = spend(YEARS_AGO_9, 990, "ancient receipt.png")
        found.old_entry = old.id
        _, to_correct = spend(YEARS_AGO_9, 4500)
        found.corrected_entry = to_correct.id
        assert budget_accounts.correct_entry(account, to_correct, "Paid twice by mistake", person, TODAY) is None

        upload = budget_accounts.start_import(account, "statement.csv", b"Date,Paid out\n", {}, person)
        assert budget_accounts.confirm_import(
            account, upload, [NewEntry(EntryKind.SPENDING, TODAY, 300, payee="BUS")], person
        )
        budget_accounts.start_import(account, "../../not imported.csv", b"Date,Paid out\n", {}, person)
        budget_accounts.add_commitment(account, "Respite week", 40000, TODAY, None, person)

        item = account.plan.items[0]
        assistant = budget_accounts.set_up_assistant(account, item, "Chris Wood", "regular", 1000, person)
        monday = TODAY - timedelta(days=TODAY.weekday())
        assert budget_accounts.save_timesheet(account, assistant, monday, [300, 0, 0, 0, 0, 0, 0], 1750, 0, person)
        old_monday = YEARS_AGO_3 - timedelta(days=YEARS_AGO_3.weekday())
        assert budget_accounts.save_timesheet(account, assistant, old_monday, [200] + [0] * 6, 1700, 0, person)
        period = rules.Period(1, TODAY - timedelta(days=90), TODAY)
        assert budget_accounts.send_return(account, period, {"spent_pence": 8750}, full_name, person)
        budget_accounts.record_review(account, TODAY, "All going well", person)

        # A change to the plan, not yet approved, and a new self-assessment started: both drafts.
        plans.start_plan(person_id, budgets.latest_budget(person_id), person)
        assessments.start_assessment(person_id, app.extensions["content"].questionnaire.version, person)

        representatives.invite(person, "Alex Friend", "friend", [Permission.SEE_EVERYTHING], "alex@example.org")
        outbox.send_email(email, "Your plan is approved", f"Hello {full_name}")
    helper_id, helper_email = make_user(app, Role.REPRESENTATIVE, full_name="Pat Helper")
    make_helper_for(app, email, helper_email)
    return found


def download(web) -> zipfile.ZipFile:
    web.page("/account/your-data")
    response = web.submit("/account/your-data/download", {}, status=200, form_url="/account/your-data")
    assert response.headers["Content-Type"] == "application/zip"
    assert "attachment" in response.headers["Content-Disposition"]
    pack = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()  # the file it was streamed from
    return pack


def counts(app, person_id) -> dict[str, int]:
    from portal.data.db import db_session

    with app.app_context():
        session = db_session()
        account_id = session.scalar(select(BudgetAccount.id).where(BudgetAccount.person_id == person_id))

        def count(model, *where):
            return session.scalar(select(func.count()).select_from(model).where(*where))

        return {
            "assessments": count(Assessment, Assessment.person_id == person_id),
            "budgets": count(IndicativeBudgetRecord, IndicativeBudgetRecord.person_id == person_id),
            "plans": count(SupportPlan, SupportPlan.person_id == person_id),
            "approved plans": count(SupportPlan, SupportPlan.person_id == person_id, SupportPlan.status == "approved"),
            "accounts": count(BudgetAccount, BudgetAccount.person_id == person_id),
            "entries": count(LedgerEntry, LedgerEntry.account_id == account_id),
            "receipts": count(Receipt, Receipt.account_id == account_id),
            "statements": count(StatementImport, StatementImport.account_id == account_id),
            "returns": count(AccountReturn, AccountReturn.account_id == account_id),
            "timesheets": session.scalar(
                select(func.count(Timesheet.id))
                .join(PersonalAssistant, PersonalAssistant.id == Timesheet.assistant_id)
                .where(PersonalAssistant.account_id == account_id)
            ),
            "invitations": count(Invitation, Invitation.person_id == person_id),
            "helpers": count(Representation, Representation.person_id == person_id),
            "sessions": count(UserSession, UserSession.user_id == person_id),
            "audit": count(AuditEvent, AuditEvent.person_id == person_id),
        }


def receipt_on_disk(app, receipt_id) -> bool:
    from portal.data import budget_accounts
    from portal.data.db import db_session

    with app.app_context():
        receipt = db_session().get(Receipt, receipt_id)
        return receipt is not None and budget_accounts.receipt_path(receipt).is_file()


def user_row(app, person_id) -> User | None:
    from portal.data.db import db_session

    with app.app_context():
        return db_session().get(User, person_id)


def close(web, password=PASSWORD, understood=True, status=302):
    data = {"password": password}
    if understood:
        data["understood"] = "y"
    return web.submit("/account/close/confirm", data, status=status)


# ---- download your data --------------------------------------------------------------------------------------------


def test_the_download_page_says_what_is_in_it(web, signed_in_person):
    page = web.page("/account/your-data")
    text = page.get_text(" ", strip=True)
    assert "summary.html" in text and "data.json" in text and "receipts" in text
    assert page.select_one("main form")["action"] == "/account/your-data/download"


def test_the_download_holds_every_kind_of_record_and_nobody_elses(app, web):
    person = build_person(app)
    stranger = build_person(app, full_name="Zed Stranger", payee="ZEBRA SECRET LTD")
    web.sign_in(person.email)
    pack = download(web)
    names = pack.namelist()
    assert {"data.json", "summary.html"} <= set(names)
    assert len([name for name in names if name.startswith("receipts/")]) == 3
    assert all(pack.read(name) == tiny_png() for name in names if name.startswith("receipts/"))
    statements = [name for name in names if name.startswith("statements/")]
    assert len(statements) == 2 and all(name.count("/") == 1 for name in statements)  # none climbs out

    exported = json.loads(pack.read("data.json"))
    assert exported["account"]["full_name"] == "Sam Taylor" and exported["account"]["email"] == person.email
    assert exported["signed_in_sessions"]
    assert [h["name"] for h in exported["people_who_help_you"]] == ["Pat Helper"]
    assert exported["invitations"][0]["helper_name"] == "Alex Friend"
    assert len(exported["assessments"]) == 2 and exported["assessments"][-1]["status"] == "draft"
    answered = exported["assessments"][0]["answers"][0]
    assert answered["question"] and answered["answered_by"] == {"name": "Sam Taylor", "role": "person"}
    assert exported["indicative_budgets"][0]["annual"]["pence"] > 0
    assert [p["status"] for p in exported["support_plans"]] == ["approved", "draft"]
    assert exported["support_plans"][0]["items"] and exported["support_plans"][0]["decisions"]
    account = exported["budget_account"]
    spent = next(e for e in account["ledger_entries"] if e["amount"]["pence"] == 8750)
    assert spent["amount"]["pounds"] == "£87.50" and spent["occurred_on"] == TODAY.isoformat()
    assert spent["receipt"] in names
    assert any(e["corrects_entry"] for e in account["ledger_entries"])
    assert account["personal_assistants"][0]["name"] == "Chris Wood"
    assert len(account["personal_assistants"][0]["timesheets"]) == 2
    assert {s["status"] for s in account["statement_imports"]} == {"imported", "preview"}
    assert account["returns"][0]["declared_by"] == "Sam Taylor"
    assert account["reviews"][0]["note"] == "All going well"
    assert account["commitments"][0]["amount"] == {"pence": 40000, "pounds": "£400.00"}
    assert exported["emails"][0]["subject"] == "Your plan is approved"
    assert {"account.opened", "ledger.spending", "representative.invited"} <= {
        e["action"] for e in exported["audit_log"]
    }

    everything = pack.read("data.json").decode() + pack.read("summary.html").decode()
    for secret in ("Zed Stranger", "ZEBRA SECRET", stranger.email, "password_hash", "key_hash", "code_hash"):
        assert secret not in everything
    with app.app_context():
        from portal.data.audit import events_for_person

        assert [e.action for e in events_for_person(person.id, ("data.downloaded",))] == ["data.downloaded"]


def test_the_summary_is_a_whole_accessible_page_that_needs_nothing_else(app, web):
    person = build_person(app)
    web.sign_in(person.email)
    html = download(web).read("summary.html").decode()
    html5lib.HTMLParser(strict=True).parse(html)
    soup = BeautifulSoup(html, "html.parser")
    assert soup.html["lang"] == "en-GB"
    assert len(soup.find_all("h1")) == 1 and soup.title.string.strip()
    assert not soup.find_all("script") and not soup.find_all("link")
    assert all(not tag.get("src") for tag in soup.find_all(True))
    assert all(not a["href"].startswith(("http", "//")) for a in soup.find_all("a"))
    assert soup.find("style") and "@media print" in soup.find("style").string
    for table in soup.find_all("table"):
        assert table.find("caption"), "every table says what it is"
    text = soup.get_text(" ", strip=True)
    assert "£87.50" in text and "Chris Wood" in text and "Pat Helper" in text
    assert "recorded spending of £87.50" in text  # the log in plain words, as the person's history page puts it
    assert soup.find("a", href=lambda h: h and h.startswith("receipts/"))


def test_a_helper_downloads_their_own_account_not_the_persons(app, web):
    build_person(app)
    web.sign_in(user_email(app, "Pat Helper"))
    exported = json.loads(download(web).read("data.json"))
    assert exported["account"]["full_name"] == "Pat Helper"
    assert [p["name"] for p in exported["people_you_help"]] == ["Sam Taylor"]
    assert exported["assessments"] == [] and exported["support_plans"] == [] and exported["budget_account"] is None


def user_email(app, full_name):
    from portal.data.db import db_session

    with app.app_context():
        return db_session().scalar(select(User.email).where(User.full_name == full_name))


@pytest.mark.parametrize("role", [Role.STAFF, Role.ADMIN])
def test_staff_are_refused(app, web, role):
    _, email = make_user(app, role)
    web.sign_in(email)
    for url in ("/account/your-data", "/account/close", "/account/close/confirm"):
        web.get(url, status=403)
    assert web.client.post("/account/your-data/download").status_code in (400, 403)


def test_a_download_and_a_closure_need_the_csrf_token(app, web, signed_in_person):
    person_id, _ = signed_in_person
    assert web.client.post("/account/your-data/download").status_code == 400
    response = web.client.post("/account/close/confirm", data={"password": PASSWORD, "understood": "y"})
    assert response.status_code == 400
    assert user_row(app, person_id).closed_at is None
    with app.app_context():
        from portal.data.audit import events_for_person

        assert events_for_person(person_id, ("data.downloaded", "account.closed")) == []


def test_the_dashboard_links_to_both(web, signed_in_person):
    page = web.page("/dashboard")
    assert page.find("a", href="/account/your-data") and page.find("a", href="/account/close")


# ---- closing the account -------------------------------------------------------------------------------------------


def test_the_close_page_says_what_goes_now_and_until_when_the_rest_is_kept(app, web):
    person = build_person(app)
    web.sign_in(person.email)
    page = web.page("/account/close")
    text = page.get_text(" ", strip=True)
    assert "does not stop your care and support or your direct payments" in text
    assert "Support plans that have not been approved" in text
    ledger_until = retention.kept_until(Record.LEDGER_ENTRY, TODAY)
    receipt_until = retention.kept_until(Record.RECEIPT, TODAY)
    rows = {row.th.get_text(strip=True): row.td.get_text(" ", strip=True) for row in page.select("table tbody tr")}
    account_row = rows["Your budget account: its payments, contributions and personal assistants"]
    assert account_row == f"31 March {ledger_until.year}"
    assert rows["Receipts you uploaded"] == f"31 March {receipt_until.year}"  # the older ones go now
    assert "Receipts you uploaded, where the time to keep them has passed" in text
    assert "1 April to 31 March" in text
    assert page.find("a", href="/account/your-data")


@pytest.mark.parametrize(
    ("password", "understood", "field", "message"),
    [
        ("not my password", True, "password", "Your password is not correct"),
        ("", True, "password", "Enter your password"),
        (PASSWORD, False, "understood", "Confirm that you understand closing your account cannot be undone"),
    ],
)
def test_a_mistake_changes_nothing_and_is_explained(app, web, password, understood, field, message):
    person = build_person(app)
    web.sign_in(person.email)
    before = counts(app, person.id)
    response = close(web, password, understood, status=200)
    assert error_summary(check_page(response)) == {field: message}
    assert counts(app, person.id) == before
    assert user_row(app, person.id).closed_at is None
    web.get("/dashboard")  # still signed in


def test_closing_deletes_what_no_rule_requires_and_keeps_the_rest_until_its_date(app, web):
    person = build_person(app)
    other_browser = WebClient(app.test_client())
    other_browser.sign_in(person.email)
    web.sign_in(person.email)
    before = counts(app, person.id)
    assert all(receipt_on_disk(app, r) for r in (person.recent_receipt, person.middle_receipt, person.old_receipt))
    web.page("/account/close/confirm")

    response = close(web)
    assert response.headers["Location"] == "/account/closed"
    closed_page = web.page("/account/closed")
    assert "Your account is closed" in closed_page.get_text(" ", strip=True)

    after = counts(app, person.id)
    # Deleted now: the draft plan and the draft self-assessment, the unimported statement, the invitation.
    assert (before["plans"], after["plans"]) == (2, 1) and after["approved plans"] == 1
    assert (before["assessments"], after["assessments"]) == (2, 1) and after["budgets"] == 1
    assert (before["statements"], after["statements"]) == (2, 1)
    assert (before["invitations"], after["invitations"]) == (1, 0)
    # Past "current year plus 6" already: the 9-year-old entry and its receipt go; the corrected one stays with
    # its correction, which is this year's.
    assert after["entries"] == before["entries"] - 1
    assert after["receipts"] == before["receipts"] - 1
    assert not receipt_on_disk(app, person.old_receipt)
    # Past "current year plus 1": the 3-year-old receipt's file and timesheet go; the entry and the row stay.
    assert not receipt_on_disk(app, person.middle_receipt) and receipt_on_disk(app, person.recent_receipt)
    assert after["timesheets"] == before["timesheets"] - 1
    # Kept: the account, the return, the helper link (ended), the sessions (ended) and the audit log.
    assert after["accounts"] == after["returns"] == after["helpers"] == 1
    assert after["sessions"] == before["sessions"] and after["audit"] == before["audit"] + 1

    from portal.data.db import db_session

    with app.app_context():
        session = db_session()
        user = session.get(User, person.id)
        assert user.full_name == "Closed account"
        assert user.email != person.email and user.email.endswith("@closed.invalid")
        assert user.closed_at is not None and user.phone is None and user.password_hash == "!closed"
        assert session.scalar(select(LedgerEntry.id).where(LedgerEntry.id == person.corrected_entry))
        assert session.scalar(select(LedgerEntry.id).where(LedgerEntry.id == person.old_entry)) is None
        assert all(row.ended_at for row in session.scalars(select(UserSession).where(UserSession.user_id == user.id)))
        assert all(
            row.ended_at for row in session.scalars(select(Representation).where(Representation.person_id == user.id))
        )
        assert (
            session.scalar(
                select(func.count()).select_from(OutboxMessage).where(OutboxMessage.to_address == person.email)
            )
            == 0
        )
        closed = session.scalar(
            select(AuditEvent).where(AuditEvent.person_id == user.id, AuditEvent.action == "account.closed")
        )
        assert closed.detail["kept"]["ledger_entry"] == retention.kept_until(Record.LEDGER_ENTRY, TODAY).isoformat()

    # Signed out here and in every other browser.
    assert "/sign-in" in web.get("/dashboard", status=302).headers["Location"]
    assert "/sign-in" in other_browser.get("/dashboard", status=302).headers["Location"]


def test_a_closed_account_cannot_sign_in_and_is_answered_like_an_unknown_email(app, web, signed_in_person):
    _, email = signed_in_person
    close(web)
    closed = web.submit("/sign-in", {"email": email, "password": PASSWORD}, status=200)
    unknown = web.submit("/sign-in", {"email": "nobody@example.org", "password": PASSWORD}, status=200)
    assert error_summary(check_page(closed)) == error_summary(check_page(unknown))
    # The address is free again: the person can start afresh.
    registered = web.submit(
        "/register",
        {
            "full_name": "Sam Again",
            "email": email,
            "account_for": "person",
            "password": PASSWORD,
            "password_confirm": PASSWORD,
        },
    )
    assert registered.status_code == 302


def test_sign_in_refuses_a_closed_account_whatever_its_address(app, web):
    """The address is replaced on closing; should a closed row ever keep a real one, it still cannot sign in."""
    from portal.data.db import db_session
    from portal.data.models import utcnow

    person_id, email = make_user(app)
    with app.app_context():
        db_session().get(User, person_id).closed_at = utcnow()
        db_session().commit()
    closed = web.submit("/sign-in", {"email": email, "password": PASSWORD}, status=200)
    unknown = web.submit("/sign-in", {"email": "nobody@example.org", "password": PASSWORD}, status=200)
    assert error_summary(check_page(closed)) == error_summary(check_page(unknown))


def test_a_helper_closing_their_account_leaves_the_persons_records_alone(app, web):
    person = build_person(app)
    before = counts(app, person.id)
    web.sign_in(user_email(app, "Pat Helper"))
    page = web.page("/account/close")
    assert "You will no longer be able to help" in page.get_text(" ", strip=True)
    close(web)
    after = counts(app, person.id)
    assert {k: v for k, v in after.items() if k != "audit"} == {k: v for k, v in before.items() if k != "audit"}
    from portal.data.db import db_session

    with app.app_context():
        link = db_session().scalar(select(Representation).where(Representation.person_id == person.id))
        assert link.ended_at is not None


# ---- the retention job ---------------------------------------------------------------------------------------------


def purge(app, day):
    from portal.data.data_rights import purge_expired_records

    with app.app_context():
        return purge_expired_records(day)


def test_the_purge_deletes_each_record_the_day_after_its_date_and_nothing_sooner(app, web):
    person = build_person(app)
    bystander = build_person(app, full_name="Still Here")
    web.sign_in(person.email)
    close(web)
    kept = counts(app, person.id)
    bystanders = counts(app, bystander.id)
    assert not purge(app, TODAY).deleted

    receipts_until = retention.kept_until(Record.RECEIPT, TODAY)
    assert not purge(app, receipts_until).deleted
    assert receipt_on_disk(app, person.recent_receipt)
    purged = purge(app, receipts_until + timedelta(days=1))
    assert purged.deleted[Record.RECEIPT] == 1 and purged.files == 1
    assert not receipt_on_disk(app, person.recent_receipt)
    assert counts(app, person.id)["entries"] == kept["entries"]  # the ledger outlives its receipts

    # The 3-year-old spending goes when its own year plus 6 is over, with the row of its (long gone) receipt.
    middle_until = retention.kept_until(Record.LEDGER_ENTRY, YEARS_AGO_3)
    assert not purge(app, middle_until).deleted
    purged = purge(app, middle_until + timedelta(days=1))
    assert purged.deleted[Record.LEDGER_ENTRY] == 1
    assert counts(app, person.id)["receipts"] == kept["receipts"] - 1
    assert counts(app, person.id)["accounts"] == 1

    purged = purge(app, retention.kept_until(Record.LEDGER_ENTRY, TODAY) + timedelta(days=1))
    assert purged.deleted[Record.BUDGET_ACCOUNT] == 1 and purged.accounts_removed == 1
    assert set(counts(app, person.id).values()) == {0}
    assert user_row(app, person.id) is None  # nothing kept, so neither is the placeholder that owned it
    assert counts(app, bystander.id) == bystanders  # an open account is never touched


def test_the_purge_command_runs_on_the_councils_today(app, web, monkeypatch):
    person = build_person(app)
    web.sign_in(person.email)
    close(web)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["purge-expired-records"])
    assert result.exit_code == 0 and "0 records and 0 files deleted" in result.output

    far_future = retention.kept_until(Record.AUDIT_EVENT, TODAY) + timedelta(days=1)
    monkeypatch.setattr("portal.timekeeping.today", lambda: far_future)
    result = runner.invoke(args=["purge-expired-records"])
    assert result.exit_code == 0, result.output
    assert "ledger_entry" in result.output and "1 closed accounts removed" in result.output
    assert user_row(app, person.id) is None
    with app.app_context():
        from portal.data.audit import all_events

        assert all_events()[-1].action == "records.purged"


def test_a_helpers_own_copy_leaves_out_why_the_council_recorded_them(app, web):
    """The reason staff gave can say why the person cannot consent: it is the person's, not the helper's."""
    from portal.data import representatives
    from portal.data.accounts import get_user
    from portal.domain.permissions import LegalBasis, Permission

    person_id, _ = make_user(app, full_name="Pat Weller")
    deputy_id, deputy_email = make_user(app, Role.REPRESENTATIVE)
    staff_id, _ = make_user(app, Role.STAFF)
    with app.app_context():
        representatives.record_by_staff(
            get_user(staff_id),
            get_user(person_id),
            get_user(deputy_id),
            "Deputy",
            LegalBasis.DEPUTYSHIP,
            "Private: the capacity assessment found dementia",
            [Permission.SEE_EVERYTHING],
        )
    web.sign_in(deputy_email)
    pack = download(web)
    everything = "".join(pack.read(name).decode("utf-8", "replace") for name in pack.namelist())
    assert "Pat Weller" in everything
    assert "dementia" not in everything
