"""The database goes away while someone is using the service, for real: the portal reaches PostgreSQL through a
relay this test owns, and the test cuts it. With JavaScript the htmx answer (503) takes the place of the main
content, the screen reader is taken to its heading and the tab's title says it; without JavaScript the whole page
says it. Either way what the person typed is shown back, and axe finds nothing on either page."""

import os
import secrets
import socket
import threading

import pytest
from playwright.sync_api import expect
from sqlalchemy import create_engine, make_url, text

from portal.data.migrate import upgrade
from tests.browser.conftest import PHONE_CONTEXT, check_accessibility, start_portal, stop, visit

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="needs PostgreSQL (make test sets TEST_DATABASE_URL when it is running)",
)

QUESTION = "Can I pay my neighbour <b>to</b> help?"


class Relay:
    """A TCP relay to the database server: cut() drops every connection and refuses new ones, as a dead server does."""

    def __init__(self, host: str, port: int) -> None:
        self.upstream = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self.open: list[socket.socket] = []
        self.is_cut = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return  # cut
            if self.is_cut:  # accepted as it was being cut
                client.close()
                return
            server = socket.create_connection(self.upstream)
            self.open += [client, server]
            for source, target in ((client, server), (server, client)):
                threading.Thread(target=self._pump, args=(source, target), daemon=True).start()

    @staticmethod
    def _pump(source: socket.socket, target: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                target.sendall(data)
        except OSError:
            pass
        for end in (source, target):
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def cut(self) -> None:
        if self.is_cut:
            return
        self.is_cut = True
        # close() alone would not wake the thread waiting in accept(), which would go on taking connections.
        self.listener.shutdown(socket.SHUT_RDWR)
        self.listener.close()
        for end in self.open:
            try:
                end.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            end.close()


@pytest.fixture
def portal_behind_a_relay():
    """A database of its own on the test server, reached only through the relay."""
    server_url = make_url(os.environ["TEST_DATABASE_URL"])
    name = f"cc_outage_{secrets.token_hex(4)}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    relay = Relay(server_url.host or "127.0.0.1", server_url.port or 5432)
    database_url = server_url.set(host="127.0.0.1", port=relay.port, database=name)
    upgrade(database_url.render_as_string(hide_password=False))
    portal, base = start_portal(database_url.render_as_string(hide_password=False))
    yield base, relay
    stop(portal)
    relay.cut()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def ask(page, question: str) -> None:
    page.get_by_label("Your question").fill(question)
    page.get_by_role("button", name="Send").click()


def test_when_the_database_goes_the_page_says_so_keeps_the_question_and_moves_focus(portal_behind_a_relay, new_context):
    base, relay = portal_behind_a_relay
    phone = new_context(**PHONE_CONTEXT).new_page()
    without_javascript = new_context(java_script_enabled=False).new_page()
    for page in (phone, without_javascript):
        visit(page, f"{base}/chat")
    relay.cut()

    ask(phone, QUESTION)  # htmx: only the main content comes back
    heading = phone.get_by_role("heading", level=1)
    expect(heading).to_have_text("Sorry, the service is unavailable")
    expect(heading).to_be_focused()
    expect(phone).to_have_title("Sorry, the service is unavailable – Choice and Control – Anytown Council")
    expect(phone.get_by_role("main")).to_contain_text(QUESTION)  # as text: the <b> is not markup
    assert phone.locator("main b").count() == 0
    check_accessibility(phone)

    ask(without_javascript, QUESTION)  # a plain form post: the whole page
    expect(without_javascript.get_by_role("heading", level=1)).to_have_text("Sorry, the service is unavailable")
    expect(without_javascript.get_by_role("main")).to_contain_text(QUESTION)
    check_accessibility(without_javascript)
