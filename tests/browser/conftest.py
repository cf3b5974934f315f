"""A real browser (Debian's Chromium, driven by Playwright) against the portal served by gunicorn."""

import json
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from portal.data.migrate import upgrade

ROOT = Path(__file__).resolve().parents[2]
AXE_SOURCE = (ROOT / "node_modules" / "axe-core" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
PHONE = {"width": 320, "height": 640}
# A phone, not a narrow desktop window: overlay scrollbars, touch, a 320 CSS-pixel screen (WCAG 1.4.10 Reflow).
PHONE_CONTEXT = {"viewport": PHONE, "is_mobile": True, "has_touch": True}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": "/usr/bin/chromium", "args": CHROMIUM_FLAGS}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_portal(database_url: str, **extra_env: str) -> tuple[subprocess.Popen, str]:
    """gunicorn on a free port with the given database, as production runs it; returns it and its base URL."""
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_ENV": "test",
        "PUBLIC_URL": base,
        "DATABASE_URL": database_url,
        "SIGN_IN_RATE_LIMIT": "1000 per minute",
        "SECRET_KEY": secrets.token_hex(32),
        **extra_env,
    }  # both gunicorn workers must sign sessions with the same key
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
         "portal.app:create_app()"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    for _ in range(100):
        try:
            with urllib.request.urlopen(f"{base}/health", timeout=1) as response:
                if response.status == 200:
                    return server, base
        except OSError:
            time.sleep(0.1)
    server.kill()
    server.wait()
    pytest.fail("the portal did not start: " + server.stderr.read().decode()[-2000:])


def stop(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=10)
    if server.stderr:
        server.stderr.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory):
    """gunicorn on a free port with its own migrated database; yields the base URL."""
    database_url = f"sqlite:///{tmp_path_factory.mktemp('live') / 'live.sqlite3'}"
    upgrade(database_url)
    server, base = start_portal(database_url)
    os.environ["LIVE_DATABASE_URL"] = database_url
    yield base
    stop(server)


@pytest.fixture(scope="session")
def make_account(live_app):
    """Accounts made directly in the live server's database, for journeys that start signed up."""
    from tests.factories import make_user

    return lambda **kwargs: make_user(live_app, **kwargs)


NO_JAVASCRIPT: set = set()  # contexts made with JavaScript off


def check_accessibility(page) -> None:
    """axe-core (pinned, local copy) for WCAG 2.2 A and AA: zero violations on what the page shows now."""
    # A form posted without JavaScript may still be loading its answer: check the page it lands on, not a blank one.
    page.wait_for_load_state("load")
    if page.context in NO_JAVASCRIPT:
        _check_without_javascript(page)
        return
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(AXE_SOURCE)  # evaluate, not a script tag: our CSP rightly refuses inline scripts
    violations = page.evaluate(
        "async (tags) => (await axe.run(document, {runOnly: {type: 'tag', values: tags}})).violations", WCAG_TAGS
    )
    summary = [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]} for v in violations
    ]
    assert violations == [], f"axe on {page.url}:\n{json.dumps(summary, indent=2)}"


def _check_without_javascript(page) -> None:
    """A page with JavaScript off cannot run axe, so axe checks the same HTML, scripts removed, in a twin page."""
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    twin = page.context.browser.new_page(viewport=page.viewport_size)
    try:
        address = page.url.split("#")[0]  # a fragment (#latest) is not part of what is requested
        twin.route(address, lambda route: route.fulfill(body=html, content_type="text/html; charset=utf-8"))
        twin.goto(address)
        assert not twin.evaluate("document.body.classList.contains('js-enabled')")
        check_accessibility(twin)
    finally:
        twin.close()


def visit(page, url):
    """Load a page and check it with axe; the shared way every browser test looks at a page."""
    response = page.goto(url)
    assert response is not None and response.status < 400, (url, response and response.status)
    check_accessibility(page)
    return response


@pytest.fixture
def new_context(browser):
    """Browser contexts with their own settings (JavaScript off, a phone's screen), closed after the test."""
    contexts = []

    def make(**settings):
        contexts.append(browser.new_context(**settings))
        if settings.get("java_script_enabled") is False:
            NO_JAVASCRIPT.add(contexts[-1])
        return contexts[-1]

    yield make
    for context in contexts:
        NO_JAVASCRIPT.discard(context)
        context.close()


@pytest.fixture
def console_errors(page):
    """Errors in the browser console (a CSP violation shows up here) fail the test."""
    errors = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield errors
    assert errors == []


@pytest.fixture(scope="session")
def live_app(live_server):
    """An app on the live server's database, for setting up what a journey starts from."""
    from portal.app import create_app
    from portal.config import TestConfig

    config = TestConfig()
    config.DATABASE_URL = os.environ["LIVE_DATABASE_URL"]
    return create_app(config)


@pytest.fixture(scope="session")
def directory_loaded(live_app):
    from portal.data.directory import upsert_services

    with live_app.app_context():
        upsert_services(json.loads(Path("content/directory/services.json").read_text(encoding="utf-8")))


@pytest.fixture(scope="session")
def demo_people(live_app):
    """The demo accounts, loaded into the live server's database the way `make run` loads them."""
    from portal.data.accounts import get_user_by_email
    from portal.data.demo import load_demo_accounts

    with live_app.app_context():
        load_demo_accounts()
        emails = ("demo.person@example.org", "demo.carer@example.org", "demo.staff@example.org")
        return {email: get_user_by_email(email).id for email in emails}
