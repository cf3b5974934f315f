"""The budget account: opened on approval, spending with receipts, corrections, imports, statements, returns."""

import io
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

from portal.data.models import Role
from portal.timekeeping import today
from tests.factories import make_approved_plan, make_user, tiny_png
from tests.web.conftest import check_page, csrf_token_from, error_summary


@pytest.fixture
def person(app, web):
    person_id, email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    make_approved_plan(app, person_id)
    web.sign_in(email)
    web.page(url(person_id))  # the first payment, due the day the plan starts, is in
    return person_id


def url(person_id, page=""):
    return f"/people/{person_id}/budget-account{page}"


def the_account(app, person_id):
    from portal.data import budget_accounts

    with app.app_context():
        account = budget_accounts.account_for(person_id)
        rows = budget_accounts.entries(account)
        return account, rows


def plan_item_key(app, person_id, description):
    account, _rows = the_account(app, person_id)
    with app.app_context():
        from portal.data import budget_accounts

        account = budget_accounts.account_for(person_id)
        return str(next(item.id for item in account.plan.items if item.description == description))


def day_parts(day=None):
    day = day or today()
    return [str(day.day), str(day.month), str(day.year)]


TODAY = today().strftime("%d/%m/%Y")


def spend(web, person_id, item, status=302, **overrides):
    data = {
        "occurred_on": day_parts(),
        "payee": "Anytown Home Care Ltd",
        "plan_item": item,
        "other_reason": "",
        "amount": "120.50",
        "payment_method": "bank transfer",
        "note": "",
    }
    data.update(overrides)
    return web.submit(url(person_id, "/spending/new"), data, status=status, content_type="multipart/form-data")


def test_no_account_until_the_plan_is_approved(app, web):
    person_id, email = make_user(app, Role.PERSON)
    web.sign_in(email)
    page = web.page(url(person_id))
    assert "opens when the council approves" in page.get_text(" ", strip=True)
    assert web.get(url(person_id, "/records"), status=302).headers["Location"].endswith(url(person_id))


def test_approval_opens_the_account_with_the_first_payment_in_advance(app, web, person):
    page = web.page(url(person))
    account, rows = the_account(app, person)
    assert account.annual_pence > 0
    assert [row.kind for row in rows] == ["council payment"]
    assert rows[0].occurred_on == account.starts_on  # paid in advance, on the day the plan starts
    text = page.get_text(" ", strip=True)
    assert "Your budget account" in text
    schedule = web.page(url(person, "/payments"))
    amounts = [
        int(row.select("td.govuk-table__cell--numeric")[2].get_text(strip=True).translate(str.maketrans("", "", "£,.")))
        for row in schedule.select("tbody tr")
    ]
    assert sum(amounts) == account.annual_pence  # the schedule adds up to the year, to the penny


def test_record_spending_with_a_receipt_then_download_it(app, web, person):
    item = plan_item_key(app, person, "Personal assistant")
    spend(web, person, item, receipt=(io.BytesIO(tiny_png()), "till receipt.png"))
    _account, rows = the_account(app, person)
    spent = rows[-1]
    assert (spent.kind, spent.amount_pence, spent.plan_item_id, spent.payee) == (
        "spending",
        12050,
        int(item),
        "Anytown Home Care Ltd",
    )
    assert spent.receipt_id is not None
    entry = web.page(url(person, f"/records/{spent.id}"))
    link = entry.find("a", string=lambda s: s and "Download the receipt" in s)
    download = web.get(link["href"])
    assert download.headers["Content-Type"] == "image/png"
    assert download.headers["X-Content-Type-Options"] == "nosniff"
    assert (
        "attachment" in download.headers["Content-Disposition"]
        and "till-receipt.png" in download.headers["Content-Disposition"]
    )
    assert download.data == tiny_png()
    assert "cc-receipts" not in entry.decode() and "storage" not in link["href"]  # the storage path never shows


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        ((b"<html><script>alert(1)</script></html>", "photo.jpg"), "must be a JPG, PNG or PDF"),
        ((b"MZ\x90\x00" + b"\x00" * 100, "receipt.pdf"), "must be a JPG, PNG or PDF"),
        ((b"\x89PNG\r\n\x1a\n" + b"\x00" * 20, "cut-off.png"), "damaged"),
        ((b"", "empty.png"), "empty"),
        ((b"%PDF-1.4\n" + b"0" * 5000 + b"\n%%EOF\n", "huge.pdf"), "must be smaller than 4KB"),
    ],
)
def test_a_wrong_receipt_is_explained_and_nothing_is_recorded(app, web, person, upload, message):
    import dataclasses

    from flask import current_app

    content = app.extensions["content"]  # a small limit, so the test sends kilobytes, not megabytes
    small = content.monitoring.model_copy(update={"receipt_max_bytes": 4096})
    app.extensions["content"] = dataclasses.replace(content, monitoring=small)

    item = plan_item_key(app, person, "Personal assistant")
    _account, before = the_account(app, person)
    response = spend(web, person, item, status=200, receipt=(io.BytesIO(upload[0]), upload[1]))
    errors = error_summary(check_page(response))
    assert message in errors["receipt"]
    _account, after = the_account(app, person)
    assert len(after) == len(before)
    with app.app_context():
        assert not list(Path(current_app.config["RECEIPTS_DIR"]).glob("*.part"))


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"occurred_on": ["", "", ""]}, "occurred_on-day", "Enter the date you paid"),
        ({"occurred_on": ["31", "2", "2026"]}, "occurred_on-day", "Enter a real date"),
        ({"occurred_on": ["1", "1", "2099"]}, "occurred_on-day", "today or in the past"),
        ({"occurred_on": day_parts(today() - timedelta(days=1))}, "occurred_on-day", "when your budget account opened"),
        ({"amount": "-5"}, "amount", "Enter an amount in pounds"),
        ({"amount": "0"}, "amount", "more than £0"),
        ({"amount": "12,50"}, "amount", "Enter an amount in pounds"),
        ({"payee": "   "}, "payee", "Enter who you paid"),
        ({"plan_item": "not-an-item"}, "plan_item", "Select what the money was for"),
        ({"plan_item": "other"}, "other_reason", "Say what the money was for"),
        ({"payment_method": "cash in hand"}, "payment_method", "Select how you paid"),
    ],
)
def test_bad_spending_is_explained_and_changes_nothing(app, web, person, changes, field, message):
    item = plan_item_key(app, person, "Personal assistant")
    _account, before = the_account(app, person)
    errors = error_summary(check_page(spend(web, person, item, status=200, **changes)))
    assert message in errors[field]
    assert len(the_account(app, person)[1]) == len(before)


def balance(app, person_id):
    from portal.data import budget_accounts
    from portal.domain import ledger

    _account, rows = the_account(app, person_id)
    with app.app_context():
        return ledger.totals(budget_accounts.as_domain(rows)).balance_pence


def test_a_correction_restores_the_balance_exactly_and_only_once(app, web, person):
    web.page(url(person))
    before = balance(app, person)
    spend(web, person, plan_item_key(app, person, "Day opportunities"), amount="55.00")
    assert balance(app, person) == before - 5500
    wrong = the_account(app, person)[1][-1]
    page = url(person, f"/records/{wrong.id}/correct")
    errors = error_summary(check_page(web.submit(page, {"reason": ""}, status=200)))
    assert "Say why this entry is wrong" in errors["reason"]
    web.submit(page, {"reason": "I typed the wrong amount"}, status=302)
    assert balance(app, person) == before
    rows = the_account(app, person)[1]
    assert rows[-1].reverses_id == wrong.id and rows[-1].correction_reason == "I typed the wrong amount"
    web.submit(page, {"reason": "again"}, status=302)
    assert len(the_account(app, person)[1]) == len(rows)  # a second correction is refused
    assert "Corrected" in web.page(url(person, "/records")).get_text(" ", strip=True)


def upload_statement(web, person_id, content: bytes, status=None, name="statement.csv", source="bank"):
    return web.submit(
        url(person_id, "/import"),
        {"statement": (io.BytesIO(content), name), "source": source},
        status=status,
        content_type="multipart/form-data",
    )


def chosen_columns(page) -> dict[str, str]:
    """The column choices as the preview shows them, sent back unchanged, with the records it was made from."""
    form = {"seen": page.select_one("input[name=seen]")["value"]}
    for role in ("date", "description", "paid_out", "paid_in", "amount", "payee"):
        chosen = page.select_one(f"select[name=column_{role}] option[selected]")
        form[f"column_{role}"] = chosen["value"] if chosen else ""
    return form


BROKEN = (
    "Date,Description,Paid out,Paid in,Balance\n"
    f"{TODAY},ANYTOWN HOME CARE,120.00,,500.00\n"
    "31/02/2026,DAY CENTRE,55.00,,445.00\n"
    f"{TODAY},REFUND,,-10.00,455.00\n"
    f"{TODAY},SHOP,lots,,400.00\n"
).encode()


def test_a_broken_statement_is_explained_line_by_line_and_nothing_is_imported(app, web, person):
    before = len(the_account(app, person)[1])
    preview = upload_statement(web, person, BROKEN, status=302)
    page = web.page(preview.headers["Location"])
    text = page.get_text(" ", strip=True)
    assert "Line 3" in text and "31/02/2026" in text
    assert "Line 4" in text and "minus amount" in text
    assert "Line 5" in text and "lots" in text
    response = web.submit(preview.headers["Location"], {**chosen_columns(page), "include_2": "y"}, status=200)
    assert "Nothing has been imported" in response.get_data(as_text=True)
    assert len(the_account(app, person)[1]) == before


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "empty"),
        ("Date,Description,Paid out\n01/11/2026,Caf\xe9,10.00\n".encode("latin-1"), "UTF-8"),
        (b"%PDF-1.4 not a csv", "not a CSV file"),
        (b"Date,Description,Paid out\n", "no lines"),
    ],
)
def test_an_unreadable_statement_file_is_explained(app, web, person, content, message):
    before = len(the_account(app, person)[1])
    errors = error_summary(check_page(upload_statement(web, person, content, status=200)))
    assert message in errors["statement"]
    assert len(the_account(app, person)[1]) == before


def test_a_clean_statement_is_previewed_matched_and_imported_all_at_once(app, web, person):
    item = plan_item_key(app, person, "Day opportunities")
    spend(web, person, item, amount="55.00", payee="Day opportunities")
    before = len(the_account(app, person)[1])
    clean = (
        "Transaction Date,Transaction Description,Debit Amount,Credit Amount,Balance\n"
        f"{TODAY},DAY OPPORTUNITIES,55.00,,1000.00\n"
        f"{TODAY},PERSONAL ASSISTANT WAGES,175.00,,825.00\n"
        f"{TODAY},REFUND FROM PROVIDER,,12.00,837.00\n"
        "01/01/2026,OLD PAYMENT FROM LAST YEAR,10.00,,827.00\n"
    ).encode()
    location = upload_statement(web, person, clean, status=302, source="card").headers["Location"]
    page = web.page(location)
    boxes = {box["name"]: box.has_attr("checked") for box in page.select("input[type=checkbox]")}
    assert boxes == {"include_2": False, "include_3": True, "include_4": True}  # line 2 is already recorded
    assert "Line 5: not imported, it is from before your budget account opened" in page.get_text(" ", strip=True)
    pa = plan_item_key(app, person, "Personal assistant")
    selected = page.select_one("select[name=item_3] option[selected]")
    assert selected["value"] == pa  # matched to the plan item it names
    form = {**chosen_columns(page), "include_3": "y", "include_4": "y", "item_3": pa}
    web.submit(location, form, status=302)
    rows = the_account(app, person)[1]
    assert len(rows) == before + 2
    imported = sorted(rows[-2:], key=lambda row: row.id)
    assert (imported[0].plan_item_id, imported[0].amount_pence, imported[1].kind) == (int(pa), 17500, "money in")
    assert imported[0].payment_method == "prepaid card"  # a card statement: no receipts asked for
    web.submit(location, form, status=302, form_url=url(person, "/spending/new"))  # a second confirm adds nothing
    assert len(the_account(app, person)[1]) == before + 2


def test_statement_csv_pdf_and_evidence_pack(app, web, person):
    spend(web, person, plan_item_key(app, person, "Personal assistant"), payee="=HYPERLINK(1)",
          receipt=(io.BytesIO(tiny_png()), "r.png"))  # fmt: skip
    page = web.page(url(person, "/statement"))
    assert "Balance brought forward" in page.get_text(" ", strip=True)
    period = page.select_one("select[name=period] option[selected]")["value"]
    csv_text = web.get(url(person, f"/statement.csv?period={period}")).get_data(as_text=True)
    assert "'=HYPERLINK(1)" in csv_text and "120.50" in csv_text
    pdf = web.get(url(person, f"/statement.pdf?period={period}"))
    assert pdf.data.startswith(b"%PDF")
    response = web.get(url(person, f"/evidence.zip?period={period}"))
    pack = zipfile.ZipFile(io.BytesIO(response.data))
    response.close()
    names = pack.namelist()
    assert "statement.csv" in names and "statement.pdf" in names
    assert any(name.startswith("receipts/") and name.endswith(".png") for name in names)
    web.get(url(person, "/statement?period=nonsense"), status=404)


def test_a_return_is_sent_questioned_answered_and_reviewed(app, web, person):
    from portal.data import budget_accounts
    from portal.data.db import db_session

    with app.app_context():  # a quarter has gone by: the plan started 13 weeks ago
        account = budget_accounts.account_for(person)
        account.starts_on = account.starts_on.replace(year=account.starts_on.year - 1)
        db_session().commit()
    assert "Please send it now" in web.page(url(person)).get_text(" ", strip=True)
    form = web.page(url(person, "/returns/new"))
    first = form.select_one("input[name=period]")["value"]
    errors = error_summary(check_page(web.submit(url(person, "/returns/new"), {"period": first}, status=200)))
    assert "declaration" in errors["declaration"]
    web.submit(url(person, "/returns/new"), {"period": first, "declaration": "y"}, status=302)
    sent_id = budget_accounts_first_return(app, person)

    staff_id, staff_email = make_user(app, Role.STAFF)
    staff = type(web)(app.test_client())
    staff.sign_in(staff_email)
    listing = staff.page("/staff/budget-accounts").get_text(" ", strip=True)
    assert "Sam Taylor" in listing and "Waiting for review" in listing
    errors = error_summary(check_page(staff.submit(f"/staff/returns/{sent_id}", {"decision": "question"}, status=200)))
    assert "Write your question" in errors["question"]
    staff.submit(
        f"/staff/returns/{sent_id}", {"decision": "question", "question": "What was the £55 on 20 May?"}, status=302
    )
    assert "The council has asked a question about your return." in web.page(url(person)).get_text(" ", strip=True)
    detail = web.page(url(person, f"/returns/{sent_id}")).get_text(" ", strip=True)
    assert "What was the £55 on 20 May?" in detail
    web.submit(url(person, f"/returns/{sent_id}"), {"text": "The day centre, a trip."}, status=302)
    staff.submit(f"/staff/returns/{sent_id}", {"decision": "reviewed"}, status=302)
    with app.app_context():
        assert budget_accounts.get_return(sent_id).status == "reviewed"
        actions = [
            e.action
            for e in db_session().scalars(
                __import__("sqlalchemy").select(__import__("portal.data.models", fromlist=["AuditEvent"]).AuditEvent)
            )
        ]
    assert {"return.sent", "return.question", "return.answered", "return.reviewed", "account.opened"} <= set(actions)


def budget_accounts_first_return(app, person_id):
    from portal.data import budget_accounts

    with app.app_context():
        return budget_accounts.returns(budget_accounts.account_for(person_id))[0].id


def test_staff_record_the_contribution_and_the_payments_change(app, web, person):
    account, _rows = the_account(app, person)
    staff_id, staff_email = make_user(app, Role.STAFF)
    staff = type(web)(app.test_client())
    staff.sign_in(staff_email)
    page = f"/staff/budget-accounts/{account.id}"
    bad = staff.submit(page, {"weekly": "lots", "method": "standing order", "seen": str(account.revision),
                              "save_contribution": "y"}, status=200)  # fmt: skip
    assert "Enter the weekly contribution" in error_summary(check_page(bad))["weekly"]
    staff.submit(page, {"weekly": "28.00", "method": "standing order", "seen": str(account.revision),
                        "save_contribution": "y"}, status=302)  # fmt: skip
    assert the_account(app, person)[0].weekly_contribution_pence == 2800
    text = web.page(url(person, "/payments")).get_text(" ", strip=True)
    assert "£28.00" in text


def test_spending_on_something_not_allowed_or_not_in_the_plan_is_flagged(app, web, person):
    spend(web, person, "other", payee="Anytown Off Licence", other_reason="Drinks for a party", amount="30.00")
    text = web.page(url(person)).get_text(" ", strip=True)
    assert "alcohol or tobacco" in text
    assert "not in your plan" in text


def test_money_committed_is_taken_off_what_is_free_to_spend(app, web, person):
    web.page(url(person))
    page = url(person, "/commitments")
    web.submit(page, {"description": "Respite week in March", "amount": "150.00", "due_on": ["1", "3", "2027"],
                      "plan_item": ""}, status=302)  # fmt: skip
    assert "Respite week in March" in web.page(page).get_text(" ", strip=True)
    from portal.data import budget_accounts

    with app.app_context():
        assert [c.amount_pence for c in budget_accounts.commitments(budget_accounts.account_for(person))] == [15000]


def test_a_timesheet_is_saved_copied_and_exported_for_payroll(app, web, person):
    item = plan_item_key(app, person, "Personal assistant")
    web.submit(url(person, f"/assistants/{item}"), {"name": "Jo Bloggs", "hours_pattern": "irregular"}, status=302)
    from portal.data import budget_accounts
    from portal.data.db import db_session
    from portal.spending.timesheets import monday_of

    with app.app_context():
        account = budget_accounts.account_for(person)
        account.starts_on = monday_of(today()) - timedelta(weeks=3)  # the plan started three weeks ago
        db_session().commit()
        assistant = budget_accounts.assistants(account)[0]
    last_week, this_week = monday_of(today()) - timedelta(weeks=1), monday_of(today())
    week = url(person, f"/assistants/{assistant.id}/weeks/{last_week}")
    hours = {
        "monday": "7.5",
        "tuesday": "7:30",
        "wednesday": "",
        "thursday": "4",
        "friday": "",
        "saturday": "",
        "sunday": "",
        "revision": "0",
    }
    bad = web.submit(week, {**hours, "monday": "25"}, status=200)
    assert "Enter hours for Monday" in error_summary(check_page(bad))["monday"]
    web.submit(week, hours, status=302)
    next_week = web.page(url(person, f"/assistants/{assistant.id}/weeks/{this_week}?copy=last-week"))
    assert next_week.select_one("input[name=monday]")["value"] == "7.5"
    web.get(url(person, f"/assistants/{assistant.id}/weeks/{this_week + timedelta(days=1)}"), status=404)  # a Tuesday
    web.get(url(person, f"/assistants/{assistant.id}/weeks/{this_week + timedelta(weeks=1)}"), status=404)  # to come
    web.get(url(person, f"/assistants/{assistant.id}/weeks/{this_week - timedelta(weeks=4)}"), status=404)  # before
    web.get(url(person, f"/assistants/{assistant.id}/weeks/0001-01-01"), status=404)
    payroll = web.get(url(person, f"/assistants/{assistant.id}/payroll.csv")).get_data(as_text=True)
    assert "Jo Bloggs" in payroll and "19.00" in payroll and "332.50" in payroll  # 19 hours at £17.50


def test_someone_elses_receipt_and_records_are_not_found(app, web, person):
    spend(web, person, plan_item_key(app, person, "Personal assistant"), receipt=(io.BytesIO(tiny_png()), "r.png"))
    receipt_id = the_account(app, person)[1][-1].receipt_id
    other_id, other_email = make_user(app, Role.PERSON)
    make_approved_plan(app, other_id)
    stranger = type(web)(app.test_client())
    stranger.sign_in(other_email)
    stranger.get(url(person, f"/receipts/{receipt_id}"), status=404)
    stranger.get(url(other_id, f"/receipts/{receipt_id}"), status=404)  # not a receipt of their own account
    assert csrf_token_from(web.get(url(person, "/spending/new")))


def test_the_same_form_sent_twice_records_the_money_once(app, web, person):
    item = plan_item_key(app, person, "Personal assistant")
    page = web.page(url(person, "/spending/new"))
    once = page.select_one("input[name=once]")["value"]
    before = len(the_account(app, person)[1])
    spend(web, person, item, once=once)
    spend(web, person, item, once=once)
    assert len(the_account(app, person)[1]) == before + 1


def test_a_contribution_recorded_later_leaves_payments_made_as_they_were(app, web, person):
    account, rows = the_account(app, person)
    first = rows[0].amount_pence
    staff_id, staff_email = make_user(app, Role.STAFF)
    staff = type(web)(app.test_client())
    staff.sign_in(staff_email)
    staff.submit(f"/staff/budget-accounts/{account.id}", {"weekly": "28.00", "method": "standing order",
                 "seen": str(account.revision), "save_contribution": "y"}, status=302)  # fmt: skip
    text = web.page(url(person)).get_text(" ", strip=True)
    assert "behind" not in text  # nothing was due from the person for the payment already made
    from portal.data import budget_accounts

    with app.app_context():
        schedule = budget_accounts.schedule(budget_accounts.account_for(person))
    assert schedule[0].council_pence == first and schedule[0].contribution_pence == 0
    assert all(payment.contribution_pence == 11200 for payment in schedule[1:])  # £28 a week, 4 weeks a payment
    assert sum(payment.total_pence for payment in schedule) == account.annual_pence


def test_spending_stays_with_its_plan_item_when_a_changed_plan_is_approved(app, web, person):
    from portal.data import budget_accounts, plans
    from portal.data.accounts import get_user
    from portal.domain.support_plan import PlanAction

    spend(web, person, plan_item_key(app, person, "Personal assistant"), amount="70.00")
    staff_id, _email = make_user(app, Role.STAFF)
    with app.app_context():
        me, staff = get_user(person), get_user(staff_id)
        approved = plans.plan_in_force(person)
        changed = plans.start_plan(person, approved.indicative_budget, me)
        assert plans.move(changed, PlanAction.SUBMIT, me)
        assert plans.move(changed, PlanAction.APPROVE, staff, final_budget_pence=approved.final_budget_pence)
        assert budget_accounts.account_for(person).plan_id == changed.id
    text = web.page(url(person)).get_text(" ", strip=True)
    assert "not in your plan" not in text
    assert "Personal assistant" in web.page(url(person, "/records")).get_text(" ", strip=True)


def test_a_request_too_big_to_take_is_refused_unread(app, web, person):
    app.config["MAX_CONTENT_LENGTH"] = 4096
    response = spend(web, person, "other", status=413, receipt=(io.BytesIO(b"0" * 5000), "big.pdf"))
    assert "The file is too big" in check_page(response).get_text(" ", strip=True)


def test_the_assistants_page_after_a_pa_payment_is_corrected(app, web, person):
    item = plan_item_key(app, person, "Personal assistant")
    assistant = {"name": "Jo Bloggs", "hours_pattern": "regular", "usual_hours": "10"}
    web.submit(url(person, f"/assistants/{item}"), assistant, status=302)
    spend(web, person, item, amount="175.00")
    wrong = the_account(app, person)[1][-1]
    web.submit(url(person, f"/records/{wrong.id}/correct"), {"reason": "paid twice by mistake"}, status=302)
    assert "Jo Bloggs" in web.page(url(person, "/assistants")).get_text(" ", strip=True)


def test_a_council_payment_is_not_the_persons_to_correct(app, web, person):
    payment = the_account(app, person)[1][0]
    assert payment.kind == "council payment"
    web.get(url(person, f"/records/{payment.id}/correct"), status=404)


@pytest.mark.parametrize("date_boxes", [[], ["1"], ["1", "2", "2026", "9"]])
def test_a_hand_made_request_with_the_wrong_number_of_date_boxes_is_explained(app, web, person, date_boxes):
    """Browsers always send three boxes; a hand-made request may not, and still gets a page, not a server error."""
    response = spend(web, person, "other", status=200, occurred_on=date_boxes)
    soup = check_page(response)
    assert "occurred_on" in " ".join(error_summary(soup))
    _account, rows = the_account(app, person)
    assert [row for row in rows if row.kind == "spending"] == []


def test_only_a_resent_form_is_taken_for_already_recorded(app, person):
    """A refusal for any other reason (here a plan item that does not exist) is an error, never "recorded"."""
    from sqlalchemy.exc import IntegrityError

    from portal.data import budget_accounts
    from portal.data.accounts import get_user
    from portal.domain.ledger import EntryKind

    with app.app_context():
        account = budget_accounts.account_for(person)
        new = budget_accounts.NewEntry(
            EntryKind.SPENDING, today(), 1_000, payee="A", plan_item_id=987_654, request_token="f" * 32
        )
        with pytest.raises(IntegrityError):
            budget_accounts.record_entry(account, new, get_user(person))
        fine = budget_accounts.NewEntry(EntryKind.SPENDING, today(), 1_000, payee="A", request_token="e" * 32)
        assert budget_accounts.record_entry(account, fine, get_user(person)) is True
        assert budget_accounts.record_entry(account, fine, get_user(person)) is False
