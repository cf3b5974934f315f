from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.data.accounts import get_user_by_email
from portal.data.audit import all_events, events_for_person
from portal.data.db import db_session
from portal.data.models import Role, UserSession, utcnow
from portal.settings.signed_in import SESSION_KEY
from tests.factories import PASSWORD, make_user
from tests.web.conftest import check_page, csrf_token_from, error_summary

FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)


def user(app, email):
    with app.app_context():
        return get_user_by_email(email)


def setting_events(app, person_id):
    with app.app_context():
        return [event.detail for event in events_for_person(person_id, ("settings.changed",))]


def session_rows(app, user_id):
    with app.app_context():
        return list(db_session().scalars(select(UserSession).where(UserSession.user_id == user_id)))


def another_device(app, web, email, user_agent=IPHONE):
    other = type(web)(app.test_client())
    other.client.environ_base["HTTP_USER_AGENT"] = user_agent
    other.sign_in(email)
    return other


def html_classes(soup) -> list[str]:
    return soup.html.get("class", [])


# Settings


def test_the_settings_page_lists_each_setting_with_a_change_link(web, signed_in_person):
    soup = web.page("/account/settings")
    assert soup.h1.get_text(strip=True) == "Settings"
    keys = [key.get_text(strip=True) for key in soup.select(".govuk-summary-list__key")]
    assert keys == ["Language", "How the council contacts you", "Reminders by email", "Text size", "Contrast"]
    values = [value.get_text(strip=True) for value in soup.select(".govuk-summary-list__value")]
    assert values == ["English", "Not chosen yet", "Yes", "Standard", "Standard"]
    links = [a["href"] for a in soup.select(".govuk-summary-list__actions a")]
    assert links == [
        "/account/settings/language",
        "/account/settings/contact",
        "/account/settings/reminders",
        "/account/settings/text-size",
        "/account/settings/contrast",
    ]
    assert soup.select_one(".govuk-summary-list__actions a").get_text(" ", strip=True) == "Change language"


@pytest.mark.parametrize(
    "url",
    [
        "/account/settings/language",
        "/account/settings/contact",
        "/account/settings/reminders",
        "/account/settings/text-size",
        "/account/settings/contrast",
    ],
)
def test_each_change_page_asks_one_question_with_its_legend_as_the_heading(web, signed_in_person, url):
    soup = web.page(url)
    assert soup.select_one("legend h1") is soup.h1
    assert soup.select_one("a.govuk-back-link")["href"] == "/account/settings"


def test_text_size_is_saved_and_applied_to_every_page(app, web, signed_in_person):
    assert "cc-text-largest" not in html_classes(web.page("/dashboard"))
    response = web.submit("/account/settings/text-size", {"text_size": "largest"}, status=302)
    assert response.headers["Location"] == "/account/settings"
    soup = web.page("/account/settings")
    assert "Your settings have been saved." in soup.get_text()
    assert "cc-text-largest" in html_classes(soup)
    assert "cc-text-largest" in html_classes(web.page("/dashboard"))
    assert user(app, signed_in_person[1]).text_size == "largest"
    web.submit("/account/settings/text-size", {"text_size": "standard"}, status=302)
    assert user(app, signed_in_person[1]).text_size is None
    assert not any(name.startswith("cc-text") for name in html_classes(web.page("/dashboard")))


def test_high_contrast_is_saved_and_applied_to_every_page(app, web, signed_in_person):
    web.submit("/account/settings/contrast", {"contrast": "high"}, status=302)
    assert "cc-high-contrast" in html_classes(web.page("/dashboard"))
    assert "cc-high-contrast" in html_classes(web.page("/directory"))
    assert user(app, signed_in_person[1]).high_contrast is True
    web.submit("/account/settings/contrast", {"contrast": "standard"}, status=302)
    assert "cc-high-contrast" not in html_classes(web.page("/dashboard"))


def test_display_settings_follow_the_account_not_the_browser(app, web, signed_in_person):
    web.submit("/account/settings/text-size", {"text_size": "large"}, status=302)
    other = another_device(app, web, signed_in_person[1])
    assert "cc-text-large" in html_classes(other.page("/dashboard"))
    web.submit("/sign-out", {}, form_url="/dashboard")
    assert "cc-text-large" not in html_classes(web.page("/"))


def test_language_is_saved_and_switches_the_page(app, web, signed_in_person):
    web.submit("/account/settings/language", {"language": "pl"}, status=302)
    soup = web.page("/dashboard")
    assert soup.html["lang"] == "pl"
    assert soup.h1.get_text(strip=True) != "Your dashboard"
    assert user(app, signed_in_person[1]).locale == "pl"
    # The same storage as the ?lang= switch: switching back there shows on the settings page.
    web.get("/account/settings?lang=en", status=302)
    assert user(app, signed_in_person[1]).locale == "en"
    assert web.page("/account/settings").select(".govuk-summary-list__value")[0].get_text(strip=True) == "English"


def test_languages_are_named_in_themselves_and_marked_as_that_language(web, signed_in_person):
    soup = web.page("/account/settings/language")
    labels = {label.get_text(strip=True): label.get("lang") for label in soup.select(".govuk-radios__label")}
    assert labels == {"English": "en", "Polski": "pl", "اردو": "ur"}


def test_contact_by_phone_asks_for_the_number_next_and_saves_both_together(app, web, signed_in_person):
    response = web.submit("/account/settings/contact", {"contact_method": "phone"}, status=302)
    assert response.headers["Location"] == "/account/settings/phone"
    assert user(app, signed_in_person[1]).contact_method is None  # nothing saved until the number is given
    soup = web.page("/account/settings/phone")
    assert soup.select_one("h1 label[for=phone]").get_text(strip=True) == "What number should the council call?"
    assert soup.select_one("input#phone[type=tel][autocomplete=tel]")
    web.submit("/account/settings/phone", {"phone": " 07700  900 982 "}, status=302)
    saved = user(app, signed_in_person[1])
    assert (saved.contact_method, saved.phone) == ("phone", "07700 900 982")
    soup = web.page("/account/settings")
    rows = {
        row.select_one(".govuk-summary-list__key").get_text(strip=True): (
            row.select_one(".govuk-summary-list__value").get_text(strip=True),
            row.select_one(".govuk-summary-list__actions a")["href"],
        )
        for row in soup.select(".govuk-summary-list__row")
    }
    assert rows["How the council contacts you"] == ("Phone", "/account/settings/contact")
    assert rows["Phone number"] == ("07700 900 982", "/account/settings/phone")
    # Coming back, the answers are already there.
    assert web.page("/account/settings/contact").select_one("input[value=phone]").has_attr("checked")
    assert web.page("/account/settings/phone").select_one("input#phone")["value"] == "07700 900 982"


def test_choosing_email_or_letter_drops_the_phone_number(app, web, signed_in_person):
    web.submit("/account/settings/phone", {"phone": "+44 808 157 0192"}, status=302)
    response = web.submit("/account/settings/contact", {"contact_method": "letter"}, status=302)
    assert response.headers["Location"] == "/account/settings"
    saved = user(app, signed_in_person[1])
    assert (saved.contact_method, saved.phone) == ("letter", None)
    assert "Phone number" not in web.page("/account/settings").get_text()


def test_reminders_by_email_can_be_turned_off_and_on(app, web, signed_in_person):
    web.submit("/account/settings/reminders", {"reminders": "no"}, status=302)
    assert user(app, signed_in_person[1]).reminders_by_email is False
    assert web.page("/account/settings").select(".govuk-summary-list__value")[2].get_text(strip=True) == "No"
    web.submit("/account/settings/reminders", {"reminders": "yes"}, status=302)
    assert user(app, signed_in_person[1]).reminders_by_email is True


BAD_INPUT = [
    ("/account/settings/text-size", {}, "text_size", "Select a text size"),
    ("/account/settings/text-size", {"text_size": "huge"}, "text_size", "Select a text size"),
    ("/account/settings/text-size", {"text_size": "large" * 100_000}, "text_size", "Select a text size"),
    ("/account/settings/text-size", {"text_size": "large\x00"}, "text_size", "Select a text size"),
    ("/account/settings/contrast", {"contrast": "ultra"}, "contrast", "Select a contrast"),
    ("/account/settings/contrast", {"contrast": ""}, "contrast", "Select a contrast"),
    ("/account/settings/language", {"language": "de"}, "language", "Select the language you want to use"),
    ("/account/settings/language", {}, "language", "Select the language you want to use"),
    ("/account/settings/reminders", {"reminders": "maybe"}, "reminders", "Select yes if you want reminders by email"),
    (
        "/account/settings/contact",
        {"contact_method": "pigeon"},
        "contact_method",
        "Select how the council should contact you",
    ),
    ("/account/settings/contact", {}, "contact_method", "Select how the council should contact you"),
    ("/account/settings/phone", {"phone": "  "}, "phone", "Enter a phone number"),
    ("/account/settings/phone", {}, "phone", "Enter a phone number"),
    ("/account/settings/phone", {"phone": "12345"}, "phone", "Enter a UK phone number"),
    ("/account/settings/phone", {"phone": "+1 415 555 0100"}, "phone", "Enter a UK phone number"),
    ("/account/settings/phone", {"phone": "07700\x07900982"}, "phone", "Enter a UK phone number"),
    ("/account/settings/phone", {"phone": "0" * 100_000}, "phone", "Enter a UK phone number"),
]


@pytest.mark.parametrize(("url", "data", "field", "message"), BAD_INPUT)
def test_bad_input_gets_an_error_next_to_the_field_and_changes_nothing(
    app, web, signed_in_person, url, data, field, message
):
    before = user(app, signed_in_person[1])
    response = web.submit(url, data, status=200)
    soup = check_page(response)
    errors = error_summary(soup)
    assert list(errors) == [field]
    assert errors[field].startswith(message)
    assert soup.select_one(".govuk-form-group--error")
    after = user(app, signed_in_person[1])
    for name in ("locale", "contact_method", "phone", "reminders_by_email", "text_size", "high_contrast"):
        assert getattr(after, name) == getattr(before, name), name
    assert setting_events(app, signed_in_person[0]) == []


def test_a_wrong_number_is_shown_again_to_correct(web, signed_in_person):
    soup = check_page(web.submit("/account/settings/phone", {"phone": "0770\x00 12"}))
    assert soup.select_one("#phone-error")
    # What was typed stays, less control characters; the NUL is read as "�" (see portal.incoming), marking its place.
    assert soup.select_one("input#phone")["value"] == "0770\ufffd 12"


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/account/settings/text-size", {"text_size": "largest"}),
        ("/account/settings/contrast", {"contrast": "high"}),
        ("/account/settings/language", {"language": "pl"}),
        ("/account/settings/contact", {"contact_method": "letter"}),
        ("/account/settings/phone", {"phone": "07700 900 982"}),
        ("/account/settings/reminders", {"reminders": "no"}),
    ],
)
def test_a_change_without_its_csrf_token_is_refused_and_changes_nothing(app, web, signed_in_person, url, data):
    before = user(app, signed_in_person[1])
    response = web.client.post(url, data=data)
    assert response.status_code == 400
    assert "Your page had expired" in response.get_data(as_text=True)
    response = web.client.post(url, data={**data, "csrf_token": "made-up"})
    assert response.status_code == 400
    after = user(app, signed_in_person[1])
    assert (after.text_size, after.high_contrast, after.locale, after.contact_method, after.reminders_by_email) == (
        before.text_size,
        before.high_contrast,
        before.locale,
        before.contact_method,
        before.reminders_by_email,
    )


def test_each_change_is_audited_by_name_never_by_value(app, web, signed_in_person):
    person_id = signed_in_person[0]
    web.submit("/account/settings/text-size", {"text_size": "large"}, status=302)
    web.submit("/account/settings/text-size", {"text_size": "large"}, status=302)  # no change: nothing to audit
    web.submit("/account/settings/phone", {"phone": "07700 900 982"}, status=302)
    web.get("/dashboard?lang=pl", status=302)
    assert setting_events(app, person_id) == [
        {"setting": "text_size"},
        {"setting": "contact_method"},
        {"setting": "phone"},
        {"setting": "locale"},
    ]
    with app.app_context():
        for event in events_for_person(person_id, ("settings.changed",)):
            assert event.actor_id == person_id
            assert "07700" not in str(event.detail)


def test_the_data_layer_changes_only_settings(app, person):
    from portal.data.settings import save_settings

    with app.app_context(), pytest.raises(ValueError, match="role"):
        save_settings(get_user_by_email(person[1]), role=Role.ADMIN)


def test_staff_have_settings_too(app, web):
    _, email = make_user(app, Role.STAFF)
    web.sign_in(email)
    soup = web.page("/staff")
    assert soup.select_one("main a[href='/account/settings']")
    assert soup.select_one("main a[href='/account/sessions']")
    web.submit("/account/settings/contrast", {"contrast": "high"}, status=302)
    assert "cc-high-contrast" in html_classes(web.page("/staff"))


def test_the_dashboard_links_to_settings_and_sessions(web, signed_in_person):
    soup = web.page("/dashboard")
    assert soup.select_one("main a[href='/account/settings']").get_text(strip=True) == "Settings"
    assert soup.select_one("main a[href='/account/sessions']").get_text(strip=True) == "Signed-in sessions"


# Signed-in sessions


def test_sessions_page_lists_each_device_in_plain_words_and_marks_this_one(app, web, person):
    web.client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    web.sign_in(person[1])
    another_device(app, web, person[1])
    soup = web.page("/account/sessions")
    devices = [heading.get_text(" ", strip=True) for heading in soup.select(".cc-signed-in-session h2")]
    assert devices == ["Firefox on Windows This device", "Safari on iPhone"]
    buttons = soup.select(".cc-signed-in-session button")
    assert len(buttons) == 1  # this device signs out with Sign out, not from the list
    assert buttons[0].get_text(" ", strip=True).startswith("Sign out Safari on iPhone, signed in")
    rows = session_rows(app, person[0])
    assert sorted(row.device for row in rows) == ["Firefox on Windows", "Safari on iPhone"]
    assert all(len(row.key_hash) == 64 for row in rows)
    with web.client.session_transaction() as session:
        assert session[SESSION_KEY] not in {row.key_hash for row in rows}  # only its hash is stored


def test_ending_another_session_signs_that_device_out_on_its_next_request(app, web, signed_in_person):
    other = another_device(app, web, signed_in_person[1])
    other.get("/dashboard")
    soup = web.page("/account/sessions")
    action = soup.select_one(".cc-signed-in-session form")["action"]
    response = web.submit(action, {}, form_url="/account/sessions", status=302)
    assert response.headers["Location"] == "/account/sessions"
    soup = web.page("/account/sessions")
    assert "Safari on iPhone has been signed out." in soup.get_text()
    assert len(soup.select(".cc-signed-in-session")) == 1

    response = other.get("/dashboard", status=302)
    assert response.headers["Location"].startswith("/sign-in?next=")
    assert "this session was ended from another device" in other.page(response.headers["Location"]).get_text()
    other.get("/dashboard", status=302)  # still signed out
    web.get("/dashboard")  # this device carries on
    with app.app_context():
        ended = events_for_person(signed_in_person[0], ("session.ended",))
        assert [event.detail for event in ended] == [{"device": "Safari on iPhone"}]


def test_sign_out_everywhere_else_keeps_this_device(app, web, signed_in_person):
    phone = another_device(app, web, signed_in_person[1])
    tablet = another_device(app, web, signed_in_person[1], user_agent=FIREFOX)
    web.submit("/account/sessions/end-others", {}, form_url="/account/sessions", status=302)
    assert "You have been signed out everywhere else." in web.page("/account/sessions").get_text()
    phone.get("/dashboard", status=302)
    tablet.get("/dashboard", status=302)
    web.get("/dashboard")
    assert "You are not signed in on any other device." in web.page("/account/sessions").get_text()
    with app.app_context():
        events = events_for_person(signed_in_person[0], ("sessions.ended_everywhere",))
        assert [event.detail for event in events] == [{"reason": "signed out everywhere else", "this_device": False}]
    assert sum(row.ended_at is None for row in session_rows(app, signed_in_person[0])) == 1


def test_sign_out_everywhere_includes_this_device(app, web, signed_in_person):
    other = another_device(app, web, signed_in_person[1])
    response = web.submit("/account/sessions/end-all", {}, form_url="/account/sessions", status=302)
    assert response.headers["Location"] == "/signed-out"
    assert "You have been signed out everywhere, including this device." in web.page("/signed-out").get_text()
    web.get("/dashboard", status=302)
    other.get("/dashboard", status=302)
    assert all(row.ended_at is not None for row in session_rows(app, signed_in_person[0]))


def test_someone_elses_session_cannot_be_ended(app, web, signed_in_person):
    stranger_id, stranger_email = make_user(app)
    stranger = another_device(app, web, stranger_email)
    [their_session] = session_rows(app, stranger_id)
    token = csrf_token_from(web.client.get("/account/sessions"))
    response = web.client.post(f"/account/sessions/{their_session.id}/end", data={"csrf_token": token})
    assert response.status_code == 404
    assert session_rows(app, stranger_id)[0].ended_at is None
    stranger.get("/dashboard")
    with app.app_context():
        assert not [event for event in all_events() if event.action == "session.ended"]


def test_this_session_and_made_up_ones_are_not_ended_from_the_list(app, web, signed_in_person):
    [this_session] = session_rows(app, signed_in_person[0])
    token = csrf_token_from(web.client.get("/account/sessions"))
    for session_id in (this_session.id, 99999):
        response = web.client.post(f"/account/sessions/{session_id}/end", data={"csrf_token": token})
        assert response.status_code == 404
    web.get("/dashboard")


def test_ending_a_session_needs_the_csrf_token(app, web, signed_in_person):
    other = another_device(app, web, signed_in_person[1])
    other_session = next(row for row in session_rows(app, signed_in_person[0]) if row.device == "Safari on iPhone")
    for url in (
        f"/account/sessions/{other_session.id}/end",
        "/account/sessions/end-others",
        "/account/sessions/end-all",
    ):
        assert web.client.post(url).status_code == 400
    other.get("/dashboard")
    web.get("/dashboard")


def test_signing_out_ends_this_session_in_the_list(app, web, signed_in_person):
    web.submit("/sign-out", {}, form_url="/dashboard", status=302)
    [row] = session_rows(app, signed_in_person[0])
    assert row.ended_at is not None


def test_a_password_change_ends_the_other_sessions_in_the_list_too(app, web, signed_in_person):
    another_device(app, web, signed_in_person[1])
    web.submit(
        "/account/change-password",
        {"current_password": PASSWORD, "password": "a brand new sentence", "password_confirm": "a brand new sentence"},
        status=302,
    )
    soup = web.page("/account/sessions")
    assert [h.get_text(" ", strip=True) for h in soup.select(".cc-signed-in-session h2")] == [
        "A device we do not recognise This device"
    ]
    assert sum(row.ended_at is None for row in session_rows(app, signed_in_person[0])) == 1


def test_a_password_reset_ends_every_session_in_the_list(app, web, person):
    from tests.web.test_auth import _reset_link

    another_device(app, web, person[1])
    web.submit("/forgotten-password", {"email": person[1]})
    link = _reset_link(app, person[1])
    web.submit(link, {"password": "a brand new sentence", "password_confirm": "a brand new sentence"}, status=302)
    assert all(row.ended_at is not None for row in session_rows(app, person[0]))


def test_a_session_from_before_the_list_is_adopted_not_thrown_out(app, web, signed_in_person):
    with web.client.session_transaction() as session:
        del session[SESSION_KEY]  # as a session started before this feature carries no key
    with app.app_context():
        db_session().execute(UserSession.__table__.delete())
        db_session().commit()
    web.get("/dashboard")
    [row] = session_rows(app, signed_in_person[0])
    assert row.ended_at is None
    with web.client.session_transaction() as session:
        assert session[SESSION_KEY]
    soup = web.page("/account/sessions")
    assert soup.select_one(".cc-signed-in-session .govuk-tag").get_text(strip=True) == "This device"
    with app.app_context():  # adopted, not a new sign-in
        assert len(events_for_person(signed_in_person[0], ("account.signed_in",))) == 1


def test_last_used_is_written_at_most_once_a_minute(app, web, signed_in_person):
    [row] = session_rows(app, signed_in_person[0])
    web.get("/dashboard")
    web.get("/dashboard")
    assert session_rows(app, signed_in_person[0])[0].last_seen_at == row.last_seen_at
    two_minutes_ago = utcnow() - timedelta(minutes=2)
    with app.app_context():
        db_session().get(UserSession, row.id).last_seen_at = two_minutes_ago
        db_session().commit()
    web.get("/dashboard")
    assert session_rows(app, signed_in_person[0])[0].last_seen_at > two_minutes_ago + timedelta(minutes=1)


def test_a_session_that_timed_out_is_not_listed(app, web, signed_in_person):
    other = another_device(app, web, signed_in_person[1])
    other.get("/dashboard")
    idle = timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 2)
    with app.app_context():
        row = next(r for r in db_session().scalars(select(UserSession)) if r.device == "Safari on iPhone")
        row.last_seen_at = utcnow() - idle
        db_session().commit()
    assert "Safari on iPhone" not in web.page("/account/sessions").get_text()


# Sign-ins in the audit log


def test_a_sign_in_is_audited_with_the_device_only(app, web, person):
    web.client.environ_base["HTTP_USER_AGENT"] = FIREFOX
    web.sign_in(person[1])
    with app.app_context():
        [event] = events_for_person(person[0], ("account.signed_in",))
        assert (event.actor_id, event.detail) == (person[0], {"device": "Firefox on Windows"})
        assert FIREFOX not in str([e.detail for e in all_events()])


def test_registering_is_a_sign_in_too(app, web):
    from tests.web.test_auth import GOOD_REGISTRATION

    web.submit("/register", GOOD_REGISTRATION, status=302)
    person = user(app, "ruth@example.org")
    with app.app_context():
        assert len(events_for_person(person.id, ("account.signed_in",))) == 1
    assert len(session_rows(app, person.id)) == 1


def test_a_wrong_password_is_audited_and_an_unknown_email_answers_the_same(app, web, person):
    known = web.submit("/sign-in", {"email": person[1], "password": "not my password"}, status=200)
    unknown = web.submit("/sign-in", {"email": "nobody@example.org", "password": "not my password"}, status=200)
    assert error_summary(check_page(known)) == error_summary(check_page(unknown))
    with app.app_context():
        failed = [event for event in all_events() if event.action == "account.sign_in_failed"]
    # The unknown email is written down too (so it takes as long), with no person and not the email itself.
    assert [event.person_id for event in failed] == [person[0], None]
    assert "nobody@example.org" not in str([event.detail for event in failed])
    assert session_rows(app, person[0]) == []
