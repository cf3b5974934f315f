import time

import pytest
from bs4 import BeautifulSoup

from portal.data.accounts import get_user_by_email
from portal.data.models import PasswordResetToken, Role, utcnow
from portal.data.outbox import recent_messages
from tests.factories import PASSWORD, make_user
from tests.web.conftest import check_page, error_summary

GOOD_REGISTRATION = {
    "full_name": "Ruth Adeyemi",
    "email": "Ruth@Example.org",
    "account_for": "person",
    "password": "my garden has three apple trees",
    "password_confirm": "my garden has three apple trees",
}


TOO_COMMON = "This password is too common. Try three random words, like ‘otter lantern biscuit’"
ABOUT_THEM = "Your password must not be based on your name, your email address or the name of this service"


def account_count(app):
    from portal.data.accounts import list_accounts

    with app.app_context():
        return len(list_accounts())


def test_register_creates_an_account_and_signs_in(app, web):
    response = web.submit("/register", GOOD_REGISTRATION, status=302)
    assert response.headers["Location"] == "/dashboard"
    soup = web.page("/dashboard")
    assert "Your account has been created." in soup.get_text()
    with app.app_context():
        user = get_user_by_email("ruth@example.org")
        assert user.role is Role.PERSON
        assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter your full name"),
        ({"email": ""}, "email", "Enter your email address"),
        ({"email": "not-an-email"}, "email", "Enter an email address in the correct format, like name@example.com"),
        ({"account_for": ""}, "account_for", "Select who this account is for"),
        ({"account_for": "admin"}, "account_for", "Not a valid choice."),
        ({"password": "short", "password_confirm": "short"}, "password", "Password must be 10 characters or more"),
        (
            {"password": "x y z " * 43, "password_confirm": "x y z " * 43},
            "password",
            "Password must be 256 characters or fewer",
        ),
        ({"password": "password123", "password_confirm": "password123"}, "password", TOO_COMMON),
        ({"password_confirm": "something else entirely"}, "password_confirm", "Passwords must match"),
    ],
)
def test_register_bad_input_gets_field_errors_and_creates_nothing(app, web, change, field, message):
    response = web.submit("/register", {**GOOD_REGISTRATION, **change}, status=200)
    soup = check_page(response)
    errors = error_summary(soup)
    assert any(message in text for text in errors.values()), errors
    assert soup.select_one(".govuk-form-group--error")
    assert account_count(app) == 0


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Password1234", TOO_COMMON),
        ("QWERTYUIOP", TOO_COMMON),
        ("sunshine 1985!", TOO_COMMON),
        ("otter lantern biscuit", TOO_COMMON),
        ("Ruth Adeyemi 1990", ABOUT_THEM),
        ("ruth@example.org", ABOUT_THEM),
        ("choiceandcontrol2026", ABOUT_THEM),
        ("Anytown Council!", ABOUT_THEM),
    ],
)
def test_register_refuses_guessable_passwords_with_one_clear_message(app, web, password, message):
    response = web.submit("/register", {**GOOD_REGISTRATION, "password": password, "password_confirm": password})
    assert error_summary(check_page(response)) == {"password": message}
    assert account_count(app) == 0


def test_register_refuses_a_short_common_password_for_its_length_only(web):
    response = web.submit("/register", {**GOOD_REGISTRATION, "password": "password", "password_confirm": "password"})
    assert error_summary(check_page(response)) == {"password": "Password must be 10 characters or more"}


def test_register_takes_a_long_passphrase(app, web):
    passphrase = ("the kettle sings while the otter reads " * 7)[:256]
    web.submit("/register", {**GOOD_REGISTRATION, "password": passphrase, "password_confirm": passphrase}, status=302)
    web.submit("/sign-out", {}, form_url="/dashboard")
    web.sign_in("ruth@example.org", passphrase)


def test_register_refuses_an_email_already_in_use(app, web, person):
    response = web.submit("/register", {**GOOD_REGISTRATION, "email": person[1].upper()}, status=200)
    errors = error_summary(check_page(response))
    assert errors == {"email": "An account already uses this email address. Sign in, or reset your password"}
    assert account_count(app) == 1


def test_register_page_keeps_what_was_typed_except_passwords(web):
    response = web.submit("/register", {**GOOD_REGISTRATION, "full_name": ""}, status=200)
    soup = check_page(response)
    assert soup.find(id="email")["value"] == "Ruth@Example.org"
    assert not soup.find(id="password").get("value")


def test_sign_in_goes_to_the_dashboard(web, person):
    response = web.submit("/sign-in", {"email": person[1], "password": PASSWORD}, status=302)
    assert response.headers["Location"] == "/dashboard"


def test_sign_in_sends_staff_to_the_staff_home(app, web):
    _, email = make_user(app, Role.STAFF)
    response = web.submit("/sign-in", {"email": email, "password": PASSWORD}, status=302)
    assert response.headers["Location"] == "/staff"


@pytest.mark.parametrize("wrong", [{"password": "not the password"}, {"email": "nobody@example.org"}])
def test_sign_in_with_wrong_details_says_the_same_thing_either_way(web, person, wrong):
    response = web.submit("/sign-in", {"email": person[1], "password": PASSWORD, **wrong}, status=200)
    assert error_summary(check_page(response)) == {"email": "Enter a correct email address and password"}
    web.get("/dashboard", status=302)


@pytest.mark.parametrize(
    ("data", "errors"),
    [
        ({"email": "", "password": ""}, {"email": "Enter your email address", "password": "Enter your password"}),
        (
            {"email": "nope", "password": "x"},
            {"email": "Enter an email address in the correct format, like name@example.com"},
        ),
    ],
)
def test_sign_in_bad_input(web, data, errors):
    assert error_summary(check_page(web.submit("/sign-in", data, status=200))) == errors


def test_sign_in_returns_to_the_page_asked_for(web, person):
    assert (
        web.get("/account/change-password", status=302)
        .headers["Location"]
        .endswith("/sign-in?next=%2Faccount%2Fchange-password")
    )
    response = web.submit(
        "/sign-in?next=/account/change-password", {"email": person[1], "password": PASSWORD}, status=302
    )
    assert response.headers["Location"] == "/account/change-password"


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_sign_in_never_redirects_off_the_site(web, person, target):
    response = web.submit(f"/sign-in?next={target}", {"email": person[1], "password": PASSWORD}, status=302)
    assert response.headers["Location"] == "/dashboard"


def test_sign_in_is_rate_limited_with_a_clear_message(web, person):
    for _ in range(5):
        web.submit("/sign-in", {"email": person[1], "password": "wrong password"}, status=200)
    response = web.submit("/sign-in", {"email": person[1], "password": PASSWORD}, status=429)
    soup = check_page(response)
    assert soup.h1.get_text(strip=True) == "You have tried too many times"
    assert "Wait a minute, then try again." in soup.get_text()
    web.get("/dashboard", status=302)  # the correct password did not get through while paused


def test_sign_out_ends_the_session(web, signed_in_person):
    web.get("/dashboard")
    response = web.submit("/sign-out", {}, form_url="/dashboard", status=302)
    assert response.headers["Location"] == "/signed-out"
    web.page("/signed-out")
    web.get("/dashboard", status=302)


def test_sign_out_is_not_a_get(web, signed_in_person):
    web.get("/sign-out", status=405)
    web.get("/dashboard")


def test_idle_session_is_signed_out_with_an_explanation(app, web, signed_in_person):
    with web.client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 - 1
    response = web.get("/dashboard", status=302)
    assert response.headers["Location"].startswith("/sign-in?next=")
    soup = web.page(response.headers["Location"])
    assert "We signed you out because you had not done anything for 30 minutes." in soup.get_text()
    web.get("/dashboard", status=302)


def test_activity_keeps_the_session_alive(app, web, signed_in_person):
    with web.client.session_transaction() as session:
        session["last_seen"] = int(time.time()) - app.config["SESSION_IDLE_MINUTES"] * 60 + 30
    web.submit("/account/keep-alive", {"next": "/dashboard"}, form_url="/dashboard", status=302)
    with web.client.session_transaction() as session:
        assert session["last_seen"] >= int(time.time()) - 2
    web.get("/dashboard")


def test_keep_alive_answers_htmx_without_a_page(web, signed_in_person):
    response = web.submit("/account/keep-alive", {}, form_url="/dashboard", headers={"HX-Request": "true"})
    assert response.status_code == 204


def test_session_timeout_warning_is_on_signed_in_pages_only(web, signed_in_person):
    soup = web.page("/dashboard")
    dialog = soup.find("dialog", id="session-timeout")
    assert dialog["aria-labelledby"] == "session-timeout-heading"
    assert soup.body["data-session-idle-seconds"] == "1800"
    assert soup.body["data-session-warning-seconds"] == "300"
    web.submit("/sign-out", {}, form_url="/dashboard")
    assert web.page("/").find("dialog") is None


def _reset_link(app, email) -> str:
    with app.app_context():
        messages = [m for m in recent_messages() if m.to_address == email]
    assert messages, "no email was sent"
    link = next(word for word in messages[0].body.split() if "/reset-password/" in word)
    return link.split("localhost", 1)[1]


def test_forgotten_password_sends_a_single_use_link(app, web, person):
    response = web.submit("/forgotten-password", {"email": person[1]}, status=302)
    assert response.headers["Location"] == "/forgotten-password/check-your-email"
    assert person[1] in web.page("/forgotten-password/check-your-email").get_text()
    link = _reset_link(app, person[1])

    web.page(link)
    bad = web.submit(link, {"password": "short", "password_confirm": "short"}, status=200)
    assert "password" in error_summary(check_page(bad))
    web.submit(link, {"password": "a brand new sentence", "password_confirm": "a brand new sentence"}, status=302)

    web.get(link, status=410)
    assert web.submit("/sign-in", {"email": person[1], "password": PASSWORD}).status_code == 200
    web.sign_in(person[1], "a brand new sentence")


@pytest.mark.parametrize(
    ("password", "message"),
    [("1q2w3e4r5t6y", TOO_COMMON), ("GraceOkafor!", ABOUT_THEM), ("CHOICE AND CONTROL", ABOUT_THEM)],
)
def test_a_reset_refuses_guessable_passwords_and_the_link_still_works(app, web, password, message):
    _, email = make_user(app, full_name="Grace Okafor", email="grace.okafor@example.org")
    web.submit("/forgotten-password", {"email": email})
    link = _reset_link(app, email)
    response = web.submit(link, {"password": password, "password_confirm": password}, status=200)
    assert error_summary(check_page(response)) == {"password": message}
    web.submit(link, {"password": "a brand new sentence", "password_confirm": "a brand new sentence"}, status=302)
    web.sign_in(email, "a brand new sentence")


def test_forgotten_password_for_an_unknown_email_looks_the_same_and_sends_nothing(app, web):
    response = web.submit("/forgotten-password", {"email": "nobody@example.org"}, status=302)
    assert response.headers["Location"] == "/forgotten-password/check-your-email"
    with app.app_context():
        assert recent_messages() == []


def test_forgotten_password_bad_input(app, web):
    response = web.submit("/forgotten-password", {"email": ""}, status=200)
    assert error_summary(check_page(response)) == {"email": "Enter your email address"}
    with app.app_context():
        assert recent_messages() == []


def test_an_expired_reset_link_is_refused(app, web, person):
    web.submit("/forgotten-password", {"email": person[1]})
    link = _reset_link(app, person[1])
    with app.app_context():
        from portal.data.db import db_session

        for token in db_session().query(PasswordResetToken):
            token.expires_at = utcnow()
        db_session().commit()
    soup = web.page(link, status=410)
    assert soup.h1.get_text(strip=True) == "This link has expired"


def test_a_made_up_reset_link_is_refused(web):
    web.page("/reset-password/not-a-real-token", status=410)


def test_using_one_reset_link_spends_the_others(app, web, person):
    web.submit("/forgotten-password", {"email": person[1]})
    first = _reset_link(app, person[1])
    web.submit("/forgotten-password", {"email": person[1]})
    with app.app_context():
        second = [m for m in recent_messages() if m.to_address == person[1]][0]
    second_link = next(w for w in second.body.split() if "/reset-password/" in w).split("localhost", 1)[1]
    assert second_link != first
    web.submit(second_link, {"password": "a brand new sentence", "password_confirm": "a brand new sentence"})
    web.get(first, status=410)


def test_change_password_needs_the_current_one(app, web, signed_in_person):
    response = web.submit(
        "/account/change-password",
        {
            "current_password": "wrong one",
            "password": "a brand new sentence",
            "password_confirm": "a brand new sentence",
        },
        status=200,
    )
    assert error_summary(check_page(response)) == {"current_password": "Your current password is not correct"}
    with app.app_context():
        from portal.data.accounts import check_password

        assert check_password(get_user_by_email(signed_in_person[1]), PASSWORD)


@pytest.mark.parametrize(
    ("password", "message"),
    [("iloveyou123", TOO_COMMON), ("Grace Okafor 77", ABOUT_THEM), ("grace.okafor2026", ABOUT_THEM)],
)
def test_change_password_refuses_guessable_passwords_and_keeps_the_old_one(app, web, password, message):
    _, email = make_user(app, full_name="Grace Okafor", email="grace.okafor@example.org")
    web.sign_in(email)
    response = web.submit(
        "/account/change-password",
        {"current_password": PASSWORD, "password": password, "password_confirm": password},
        status=200,
    )
    assert error_summary(check_page(response)) == {"password": message}
    with app.app_context():
        from portal.data.accounts import check_password

        assert check_password(get_user_by_email(email), PASSWORD)


def test_change_password_keeps_this_session_and_ends_the_others(app, web, signed_in_person):
    other_device = type(web)(app.test_client())
    other_device.sign_in(signed_in_person[1])
    web.submit(
        "/account/change-password",
        {"current_password": PASSWORD, "password": "a brand new sentence", "password_confirm": "a brand new sentence"},
        status=302,
    )
    assert "Your password has been changed." in web.page("/dashboard").get_text()
    other_device.get("/dashboard", status=302)


def test_pages_show_the_signed_in_navigation(web, signed_in_person):
    soup = web.page("/dashboard")
    nav = soup.select_one("#navigation")
    assert [a.get_text(strip=True) for a in nav.select("a, button")] == [
        "Your dashboard",
        "Find support",
        "Ask a question",
        "Settings",
        "Change password",
        "Sign out",
    ]
    assert nav.select_one("[aria-current=page]").get_text(strip=True) == "Your dashboard"


def test_html_parse_check_catches_broken_markup():
    class Fake:
        def get_data(self, as_text):
            return (
                "<!DOCTYPE html><html><head><title>x</title></head>"
                "<body><h1>a</h1><p id=a></p><p id=a></p></body></html>"
            )

    with pytest.raises(AssertionError, match="duplicate ids"):
        check_page(Fake())
    assert BeautifulSoup  # the checker relies on bs4's parser


def test_reset_links_ignore_the_host_header(app, web, person):
    from tests.web.conftest import csrf_token_from

    evil = {"base_url": "http://evil.example"}
    token = csrf_token_from(web.client.get("/forgotten-password", **evil))
    response = web.client.post("/forgotten-password", data={"email": person[1], "csrf_token": token}, **evil)
    assert response.status_code == 302
    with app.app_context():
        body = recent_messages()[0].body
    assert "evil.example" not in body
    assert "http://localhost/reset-password/" in body


def test_a_password_reset_ends_other_sessions(app, web, person):
    other_device = type(web)(app.test_client())
    other_device.sign_in(person[1])
    web.submit("/forgotten-password", {"email": person[1]})
    link = _reset_link(app, person[1])
    web.submit(link, {"password": "a brand new sentence", "password_confirm": "a brand new sentence"}, status=302)
    other_device.get("/dashboard", status=302)


def test_a_reset_link_can_be_spent_only_once_even_in_a_race(app, person):
    from datetime import timedelta

    from portal.data import password_resets

    with app.app_context():
        user = get_user_by_email(person[1])
        password_resets.issue_token(user, timedelta(hours=1))
        assert password_resets.spend_tokens(user) is True
        assert password_resets.spend_tokens(user) is False


def test_the_reset_email_address_is_not_kept_in_the_session(web, person):
    web.submit("/forgotten-password", {"email": person[1]})
    web.page("/forgotten-password/check-your-email")
    with web.client.session_transaction() as session:
        assert "reset_email" not in session


def test_change_password_is_rate_limited(web, signed_in_person):
    wrong = {
        "current_password": "wrong one",
        "password": "a brand new sentence",
        "password_confirm": "a brand new sentence",
    }
    for _ in range(10):
        web.submit("/account/change-password", wrong, status=200)
    web.submit("/account/change-password", wrong, status=429)


def test_registering_twice_at_once_does_not_fail(app, web, person):
    from portal.data.accounts import create_user_unless_taken

    with app.app_context():
        assert create_user_unless_taken(person[1], PASSWORD, "Someone Else", Role.PERSON) is None
