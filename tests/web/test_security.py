import pytest
from flask import url_for

from portal.security import CONTENT_SECURITY_POLICY
from tests.web.test_access_policy import ROUTE_ARGS


def _all_urls(app, person_id=1):
    """Every route, with example arguments; a person's record pages are those of `person_id`."""
    with app.test_request_context():
        for rule in app.url_map.iter_rules():
            args = {
                **ROUTE_ARGS.get(rule.endpoint, {}),
                **({"person_id": person_id} if "person_id" in rule.arguments else {}),
            }
            yield rule.endpoint, sorted(rule.methods - {"HEAD", "OPTIONS"}), url_for(rule.endpoint, **args)


def test_every_response_carries_the_security_headers(app, web, signed_in_person):
    for _, methods, url in _all_urls(app, signed_in_person[0]):
        for method in methods:
            response = web.client.open(url, method=method)
            response.close()
            headers = response.headers
            assert headers["Content-Security-Policy"] == CONTENT_SECURITY_POLICY, url
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["Referrer-Policy"] == "same-origin"


def test_content_security_policy_allows_no_inline_script_or_style():
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    assert "unsafe-eval" not in CONTENT_SECURITY_POLICY
    assert "script-src 'self'" in CONTENT_SECURITY_POLICY


def test_pages_have_no_inline_script_or_style(web, signed_in_person):
    for url in ["/", "/dashboard", "/sign-in", "/account/change-password"]:
        soup = web.page(url) if url != "/sign-in" else web.page("/signed-out")
        for script in soup.find_all("script"):
            assert script.get("src"), f"inline script on {url}"
        assert not soup.find_all("style"), url
        assert not soup.find_all(style=True), url


def test_pages_are_not_cached(web, signed_in_person):
    assert web.get("/dashboard").headers["Cache-Control"] == "no-store"
    assert web.get("/reset-password/any-token", status=410).headers["Cache-Control"] == "no-store"


def test_production_needs_an_https_public_address():
    from portal.config import Config, ConfigError

    config = Config()
    config.SECRET_KEY, config.DEMO_DATA, config.PUBLIC_URL = "x" * 64, False, "http://example.org"
    with pytest.raises(ConfigError, match="PUBLIC_URL"):
        config.check()


def test_session_cookie_is_http_only_and_same_site(web, person):
    response = web.submit("/sign-in", {"email": person[1], "password": "correct horse battery"})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_production_cookies_are_secure():
    from portal.config import Config

    assert Config.SESSION_COOKIE_SECURE is True
    assert Config.HSTS is True


# Called by the assistant's action server with JSON, not by a browser: a signed, short-lived token is its proof,
# and it only reads. Without that token it refuses, like a missing CSRF token.
SIGNED_TOKEN_INSTEAD = {"help.assistant_summary"}


@pytest.mark.parametrize("sign_in", [False, True])
def test_every_post_refuses_a_missing_csrf_token_and_changes_nothing(app, web, person, sign_in):
    if sign_in:
        web.sign_in(person[1])
    for endpoint, methods, url in _all_urls(app, person[0]):
        if "POST" not in methods:
            continue
        response = web.client.post(
            url,
            data={
                "email": person[1],
                "password": "correct horse battery",
                "full_name": "X",
                "account_for": "person",
                "password_confirm": "correct horse battery",
            },
        )
        if endpoint in SIGNED_TOKEN_INSTEAD:
            assert response.status_code == 403, endpoint
            continue
        assert response.status_code == 400, endpoint
        assert "Your page had expired" in response.get_data(as_text=True)
    # Still signed in (or still not): the refused posts changed nothing.
    web.get("/dashboard", status=200 if sign_in else 302)
    from portal.data.accounts import list_accounts

    with app.app_context():
        assert len(list_accounts()) == 1


def _security_txt(web) -> dict[str, list[str]]:
    response = web.get("/.well-known/security.txt")
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8"
    fields: dict[str, list[str]] = {}
    for line in response.get_data(as_text=True).splitlines():
        name, _, value = line.partition(": ")
        fields.setdefault(name, []).append(value)
    return fields


def test_security_txt_says_how_to_report_a_problem(app, web):
    from datetime import UTC, datetime, timedelta

    fields = _security_txt(web)
    assert fields["Contact"] == ["mailto:adult.social.care@example.org"]
    assert fields["Preferred-Languages"] == ["en"]
    expires = datetime.fromisoformat(fields["Expires"][0].replace("Z", "+00:00"))
    # RFC 9116 2.5.5: required, and best less than a year ahead; made at request time so it never lapses.
    assert timedelta(days=300) < expires - datetime.now(UTC) < timedelta(days=365)
    assert "Canonical" not in fields and "Policy" not in fields  # the tests' address is http, and no policy is set


def test_security_txt_uses_the_configured_contact_canonical_address_and_policy(app, web):
    app.config.update(
        SECURITY_CONTACT="https://anytown.example.org/report-a-vulnerability",
        PUBLIC_URL="https://portal.anytown.example.org/",
        SECURITY_POLICY_URL="https://anytown.example.org/vulnerability-disclosure",
    )
    fields = _security_txt(web)
    assert fields["Contact"] == ["https://anytown.example.org/report-a-vulnerability"]
    assert fields["Canonical"] == ["https://portal.anytown.example.org/.well-known/security.txt"]
    assert fields["Policy"] == ["https://anytown.example.org/vulnerability-disclosure"]


def test_security_txt_contact_follows_the_council_email():
    import os
    import subprocess
    import sys

    # A fresh interpreter: the settings are read from the environment when portal.config is first imported.
    env = {**os.environ, "COUNCIL_EMAIL": "security@anytown.example.org"}
    env.pop("SECURITY_CONTACT", None)
    read = [sys.executable, "-c", "from portal.config import Config; print(Config.SECURITY_CONTACT)"]
    assert subprocess.check_output(read, env=env, text=True).strip() == "mailto:security@anytown.example.org"


def test_security_txt_is_open_to_everyone_signed_in_or_not(web, signed_in_person):
    assert _security_txt(web)["Contact"]
