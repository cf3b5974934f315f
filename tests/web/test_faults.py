"""Faults (issue #10): the database unreachable, a disk that will not take a receipt, an assistant that answers
nothing. Each is a real fault where one is cheap to make (a database address nobody answers, a database file gone);
a fault in the middle of a request is injected at the lowest level we own, because the test is about our answer."""

import errno
import io
import json
import logging
import shutil
import sqlite3
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psycopg
import pytest
from sqlalchemy import event, func, select
from sqlalchemy.exc import DBAPIError, IntegrityError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from portal.app import create_app
from portal.config import TestConfig
from portal.data.health import is_outage
from portal.data.migrate import upgrade
from portal.data.models import Role
from tests.factories import make_approved_plan, make_user, tiny_png
from tests.web.conftest import WebClient, check_page, csrf_token_from, error_summary

NOBODY_LISTENING = "postgresql+psycopg://postgres@127.0.0.1:1/choice_and_control"
SCRIPT = "<script>alert(1)</script>"


def app_for(database_url):
    config = TestConfig()
    config.DATABASE_URL = database_url
    return create_app(config)


def the_outage_page(response):
    """What every 503 must be: the page in the layout, the advice, Retry-After, and nothing of the error itself."""
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_data(as_text=True)
    for leak in ("Traceback", "OperationalError", "psycopg", "sqlite", "SELECT", "127.0.0.1:1"):
        assert leak not in body
    page = check_page(response)
    assert page.h1.get_text(strip=True) == "Sorry, the service is unavailable"
    text = page.get_text(" ", strip=True)
    assert "Try again in a few minutes" in text and "0300 123 4567" in text
    return page


@pytest.fixture(scope="module")
def unreachable():
    """The portal with its database at an address where nothing listens: every connection is refused."""
    return app_for(NOBODY_LISTENING)


def shown_back(page) -> dict[str, str]:
    return {
        row.dt.get_text(strip=True): row.dd.get_text("\n", strip=True)
        for row in page.select(".govuk-summary-list__row")
    }


# ---- the database cannot be reached -------------------------------------------------------------------------------


def test_with_postgresql_refusing_connections_pages_answer_503_and_what_was_typed_comes_back(unreachable, caplog):
    web = WebClient(unreachable.test_client())
    for address in ("/chat", "/directory"):
        assert shown_back(the_outage_page(web.get(address, status=503))) == {}
    assert web.page("/").h1  # a page that needs no records still works
    answer = web.get("/api/oruk/services", status=503)  # other systems get JSON, and when to ask again
    assert answer.json == {"error": "database unavailable"} and answer.headers["Retry-After"]

    token = csrf_token_from(web.get("/register"))  # the form itself needs no records
    sent = {"full_name": SCRIPT, "email": "sam@example.org", "account_for": "person",
            "password": "my secret words", "password_confirm": "my secret words", "csrf_token": token}  # fmt: skip
    response = web.client.post("/register", data=sent)
    page = the_outage_page(response)
    assert shown_back(page) == {
        "Full name": SCRIPT,
        "Email address": "sam@example.org",
        "Who is this account for?": "Me – I want support for myself",
    }
    body = response.get_data(as_text=True)
    assert SCRIPT not in body and "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "my secret words" not in body and token not in body
    assert "the database could not be reached" in caplog.text  # for whoever runs the service: with the error
    assert any(record.levelno == logging.ERROR and record.exc_info for record in caplog.records)


def test_signed_in_with_postgresql_down_the_page_is_drawn_as_for_anyone(unreachable):
    client = unreachable.test_client()
    with client.session_transaction() as session:  # a signed-in browser's session, made without the database
        session["_user_id"] = "1:0"
    page = the_outage_page(client.get("/account"))
    assert page.find("a", href="/sign-in") and "Sign out" not in page.get_text()


def test_an_htmx_request_gets_a_fragment_that_takes_the_place_of_the_main_content(unreachable):
    web = WebClient(unreachable.test_client())
    token = csrf_token_from(web.get("/register"))
    response = web.client.post("/chat", data={"message": SCRIPT, "csrf_token": token}, headers={"HX-Request": "true"})
    assert response.status_code == 503 and response.headers["Retry-After"]
    assert response.headers["HX-Retarget"] == "#main-content" and response.headers["HX-Reswap"] == "innerHTML"
    body = response.get_data(as_text=True)
    assert "<!DOCTYPE" not in body and "<header" not in body
    assert "Sorry, the service is unavailable" in body and "&lt;script&gt;" in body and SCRIPT not in body


@pytest.fixture
def sqlite_that_goes_away(tmp_path):
    folder = tmp_path / "database"
    folder.mkdir()
    url = f"sqlite:///{folder / 'portal.sqlite3'}"
    upgrade(url)
    app = app_for(url)
    yield app, folder
    app.extensions["db_engine"].dispose()


def test_when_the_sqlite_file_goes_a_signed_in_person_gets_503_and_their_words_back(sqlite_that_goes_away):
    app, folder = sqlite_that_goes_away
    person_id, email = make_user(app)
    web = WebClient(app.test_client())
    web.sign_in(email)
    token = csrf_token_from(web.get("/chat"))
    shutil.rmtree(folder)
    app.extensions["db_engine"].dispose()  # open connections would still read the deleted file

    the_outage_page(web.get("/account", status=503))
    the_outage_page(web.get(f"/people/{person_id}/budget-account", status=503))
    question = f"{SCRIPT}\nsecond line"
    page = the_outage_page(web.client.post("/chat", data={"message": question, "csrf_token": token}))
    assert shown_back(page) == {"Your question": SCRIPT + "\nsecond line"}


@pytest.fixture
def spender(app, web):
    person_id, email = make_user(app, Role.PERSON)
    make_approved_plan(app, person_id)
    web.sign_in(email)
    web.page(f"/people/{person_id}/budget-account")  # the first payment, due today, is posted now, not mid-test
    return person_id


def counts(app, person_id):
    """Ledger entries and receipts of the person's account, and the files in the receipts folder."""
    from pathlib import Path

    from portal.data import budget_accounts
    from portal.data.db import db_session
    from portal.data.models import Receipt

    with app.app_context():
        account = budget_accounts.account_for(person_id)
        receipts = db_session().scalar(select(func.count()).where(Receipt.account_id == account.id))
        return len(budget_accounts.entries(account)), receipts, sorted(Path(app.config["RECEIPTS_DIR"]).iterdir())


def spending(app, person_id, **overrides):
    from portal.data import budget_accounts
    from portal.timekeeping import today

    with app.app_context():
        item = budget_accounts.account_for(person_id).plan.items[0].id
    day = today()
    return {"occurred_on": [str(day.day), str(day.month), str(day.year)], "payee": SCRIPT, "plan_item": str(item),
            "other_reason": "", "amount": "12.50", "payment_method": "bank transfer", "note": "paid\nin full",
            **overrides}  # fmt: skip


def test_a_database_fault_while_saving_spending_loses_nothing_and_keeps_no_file(app, web, spender, caplog):
    engine = app.extensions["db_engine"]

    def fail_on_the_entry(_connection, _cursor, statement, parameters, _context, _many):
        if statement.startswith("INSERT INTO ledger_entries") and SCRIPT in str(parameters):
            raise OperationalError(
                statement, parameters, engine.dialect.loaded_dbapi.OperationalError("disk I/O error")
            )

    address = f"/people/{spender}/budget-account/spending/new"
    before = counts(app, spender)
    form = {**spending(app, spender), "csrf_token": csrf_token_from(web.get(address))}
    event.listen(engine, "before_cursor_execute", fail_on_the_entry)
    try:
        sent = {**form, "receipt": (io.BytesIO(tiny_png()), "receipt.png")}
        response = web.client.post(address, data=sent, content_type="multipart/form-data")
    finally:
        event.remove(engine, "before_cursor_execute", fail_on_the_entry)
    page = the_outage_page(response)
    shown = shown_back(page)
    assert shown["Who did you pay?"] == SCRIPT and shown["How did you pay?"] == "Bank transfer"
    assert shown["When did you pay?"] == " ".join(form["occurred_on"]) and shown["How much did you pay?"] == "12.50"
    assert shown["Anything else to note (optional)"] == "paid\nin full"
    assert form["csrf_token"] not in response.get_data(as_text=True) and "Once" not in shown
    assert "The file you chose has not been kept" in page.get_text(" ", strip=True)
    assert counts(app, spender) == before  # no entry, no receipt row, no file (the written receipt was removed)
    assert "the database could not be reached" in caplog.text

    # Nothing was lost: the same form, sent again once the database is back, is recorded.
    assert web.client.post(address, data=form, content_type="multipart/form-data").status_code == 302
    assert counts(app, spender)[0] == before[0] + 1


def test_when_drawing_another_error_page_needs_the_database_the_answer_is_still_503(unreachable, monkeypatch):
    import portal.app

    app = unreachable
    monkeypatch.setitem(app.config, "PROPAGATE_EXCEPTIONS", False)  # as in production: an error in an error page
    drawn = portal.app.render_template

    def needing_the_database(template, **context):
        if template == "errors/not_found.html":
            raise OperationalError("SELECT", {}, psycopg.OperationalError("connection refused"))
        return drawn(template, **context)

    monkeypatch.setattr(portal.app, "render_template", needing_the_database)
    the_outage_page(app.test_client().get("/no-such-page"))

    def broken(template, **context):
        raise RuntimeError("a bug")

    monkeypatch.setattr(portal.app, "render_template", broken)
    response = app.test_client().get("/no-such-page")
    assert response.status_code == 500 and "a problem with the service" in response.get_data(as_text=True)


def _sqlite_error(message, name=None):
    error = sqlite3.OperationalError(message)
    error.sqlite_errorname = name
    return OperationalError("SELECT 1", {}, error)


def _cannot_open():
    try:
        sqlite3.connect("file:/no/such/folder/db.sqlite3?mode=rw", uri=True)
    except sqlite3.OperationalError as error:
        return OperationalError("connect", {}, error)
    raise AssertionError("sqlite opened a file that is not there")


@pytest.mark.parametrize(
    ("error", "outage"),
    [
        (_cannot_open(), True),
        (_sqlite_error("disk I/O error"), True),
        (_sqlite_error("database or disk is full", "SQLITE_FULL"), True),
        (_sqlite_error("database is locked", "SQLITE_BUSY"), True),
        (_sqlite_error("no such table: users", "SQLITE_ERROR"), False),
        (_sqlite_error("no such column: x"), False),
        (OperationalError("SELECT 1", {}, psycopg.OperationalError("server closed the connection")), True),
        (DBAPIError("SELECT 1", {}, psycopg.DatabaseError("gone"), connection_invalidated=True), True),
        (IntegrityError("INSERT", {}, psycopg.IntegrityError("duplicate key")), False),
        (PoolTimeout("QueuePool limit reached"), True),
        (RuntimeError("a bug"), False),
    ],
)
def test_only_a_database_that_cannot_answer_is_an_outage(error, outage):
    assert is_outage(error) is outage


# ---- a receipt the disk will not take -------------------------------------------------------------------------------


def disk_refusing_writes(monkeypatch, code=errno.ENOSPC):
    """The receipt's temporary file is made, then writing to it fails, as on a full or failing disk."""
    from portal.data import budget_accounts

    class FullDisk(io.FileIO):
        def write(self, _content):
            raise OSError(code, "No space left on device")

    monkeypatch.setattr(budget_accounts, "open", lambda path, mode: FullDisk(path, mode), raising=False)


def test_a_receipt_the_disk_will_not_take_is_explained_and_nothing_is_half_saved(app, web, spender, caplog):
    address = f"/people/{spender}/budget-account/spending/new"
    before = counts(app, spender)
    form = spending(app, spender, payee="Anytown Home Care Ltd")
    for code in (errno.ENOSPC, errno.EIO, errno.EDQUOT):  # full, failing, over its quota
        with pytest.MonkeyPatch.context() as monkeypatch:
            disk_refusing_writes(monkeypatch, code)
            response = web.submit(address, {**form, "receipt": (io.BytesIO(tiny_png()), "receipt.png")},
                                  content_type="multipart/form-data")  # fmt: skip
        assert response.status_code == 503
        page = check_page(response)
        assert error_summary(page) == {
            "receipt": "The receipt could not be saved, so nothing has been recorded. Try again, or record the "
            "spending without the receipt and add the receipt later."
        }
        assert page.find("input", attrs={"name": "payee"})["value"] == "Anytown Home Care Ltd"  # the rest kept
        assert page.find("input", attrs={"name": "amount"})["value"] == "12.50"
        assert page.find("textarea", attrs={"name": "note"}).get_text().strip() == "paid\nin full"
        assert counts(app, spender) == before  # no entry, no receipt row, not even the temporary file
    assert "a receipt could not be written" in caplog.text


def test_a_receipt_added_later_that_the_disk_will_not_take_leaves_the_entry_as_it_was(app, web, spender, monkeypatch):
    address = f"/people/{spender}/budget-account"
    web.submit(address + "/spending/new", spending(app, spender), status=302, content_type="multipart/form-data")
    entries, receipts, files = counts(app, spender)
    from portal.data import budget_accounts

    with app.app_context():
        entry_id = budget_accounts.entries(budget_accounts.account_for(spender))[-1].id

    disk_refusing_writes(monkeypatch)
    response = web.submit(f"{address}/records/{entry_id}", {"receipt": (io.BytesIO(tiny_png()), "late.png")},
                          content_type="multipart/form-data")  # fmt: skip
    assert response.status_code == 503
    assert error_summary(check_page(response)) == {
        "receipt": "The receipt could not be saved, so nothing has changed. Try again later."
    }
    assert counts(app, spender) == (entries, receipts, files)
    with app.app_context():
        assert budget_accounts.get_entry(budget_accounts.account_for(spender), entry_id).receipt_id is None


# ---- the assistant answers nothing ---------------------------------------------------------------------------------


class Assistant(BaseHTTPRequestHandler):
    """Rasa's REST channel answering with a status and a body chosen by the test."""

    status, body = 200, b"[]"

    def do_POST(self):
        self.rfile.read(int(self.headers["Content-Length"]))
        self.send_response(self.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(self.body)

    def log_message(self, *args):
        return None


def test_when_the_assistant_answers_nothing_the_chat_says_so_and_offers_the_jargon_buster(app, web):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Assistant)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    app.config["RASA_URL"] = f"http://127.0.0.1:{server.server_port}"
    # Nothing at all (what Rasa says when its action server is down: tests/browser), its error, a proxy's error.
    answers = [(200, b"[]"), (500, json.dumps({"error": "action server"}).encode()), (502, b"Bad Gateway")]
    try:
        for status, body in answers:
            Assistant.status, Assistant.body = status, body
            web.submit("/chat", {"message": "how much money have i got left"}, status=302)
            turn = web.page("/chat").select("[role=log] .cc-chat__turn--assistant")[-1]
            assert "not available right now" in turn.get_text(" ", strip=True)
            assert turn.select_one("a[href='/help/jargon-buster']") and "did not understand" not in turn.get_text()
    finally:
        server.shutdown()
        server.server_close()
