from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.catalog import PYTHON_FORMAT
from babel.messages.pofile import read_po
from flask_babel import force_locale

from portal.data.accounts import get_user_by_email
from portal.i18n import long_date, pence, text_direction
from tests.factories import make_user

# Every language there is, including one still being translated: a new catalogue is checked from its first day.
CATALOGUES = sorted(str(path) for path in Path("translations").glob("*/LC_MESSAGES/messages.po"))


def test_english_by_default(web):
    soup = web.page("/")
    assert soup.html["lang"] == "en-GB" and soup.html["dir"] == "ltr"


def test_accept_language_picks_polish(web):
    soup = web.page("/", headers={"Accept-Language": "pl-PL,pl;q=0.9,en;q=0.5"})
    assert soup.html["lang"] == "pl"
    assert soup.h1.get_text(strip=True) != "Get support to live your way"


def test_the_switch_is_kept_for_the_session_and_leaves_a_clean_address(web):
    response = web.get("/sign-in?lang=pl", status=302)
    assert response.headers["Location"] == "/sign-in"
    soup = web.page("/sign-in")
    assert soup.html["lang"] == "pl"
    switcher = soup.select_one("nav.govuk-language-navigation")
    assert switcher.select_one("[aria-current=true]")["lang"] == "pl"
    assert switcher.select_one("a[lang=en]")["href"] == "/sign-in?lang=en"


def test_an_unknown_language_is_ignored(web):
    web.get("/?lang=xx", status=302)
    assert web.page("/").html["lang"] == "en-GB"


def test_the_saved_choice_on_the_account_wins(app, web):
    _, email = make_user(app, locale="pl")
    web.get("/?lang=en", status=302)
    web.sign_in(email)
    assert web.page("/dashboard").html["lang"] == "pl"


def test_switching_while_signed_in_saves_the_choice(app, web, signed_in_person):
    web.get("/dashboard?lang=pl", status=302)
    with app.app_context():
        assert get_user_by_email(signed_in_person[1]).locale == "pl"


def test_error_messages_are_translated(web):
    web.get("/?lang=pl", status=302)
    soup = web.page("/sign-in")
    from tests.web.conftest import check_page

    soup = check_page(web.submit("/sign-in", {"email": "", "password": ""}, status=200))
    summary = soup.select_one(".govuk-error-summary")
    assert "There is a problem" not in summary.get_text()
    assert "Enter your email address" not in summary.get_text()


@pytest.mark.parametrize(
    ("amount", "locale", "shown"),
    [
        (654400, "en", "£6,544.00"),
        (163600, "en", "£1,636.00"),
        (5, "en", "£0.05"),
        (-250, "en", "-£2.50"),
        (654400, "pl", "6\xa0544,00\xa0GBP"),
    ],
)
def test_money_is_formatted_by_babel_from_pence(app, amount, locale, shown):
    with app.test_request_context(), force_locale(locale):
        assert pence(amount) == shown


def test_a_page_in_another_language_uses_its_catalogue_even_mid_request(app):
    # Templates keep the request's catalogue for all their strings: it must follow a change of language.
    page = app.jinja_env.from_string('{{ _("Sign out") }}; {{ ngettext("%(num)d point", "%(num)d points", 2) }}')
    with app.test_request_context():
        assert page.render().startswith("Sign out; ")
        with force_locale("pl"):
            assert page.render().startswith("Wyloguj się; ")
        assert page.render() == "Sign out; 2 points"


def test_money_refuses_floats(app):
    with app.test_request_context(), pytest.raises(TypeError):
        pence(65.44)


def test_dates_are_formatted_by_babel(app):
    with app.test_request_context():
        assert long_date(datetime(2026, 11, 23, tzinfo=UTC)) == "23 November 2026"
        with force_locale("pl"):
            assert long_date(datetime(2026, 11, 23, tzinfo=UTC)) == "23 listopada 2026"


def test_right_to_left_languages_are_known():
    assert text_direction("ur") == "rtl"
    assert text_direction("pl") == "ltr"


@pytest.mark.parametrize("path", CATALOGUES)
def test_catalogues_are_complete(path):
    with open(path, "rb") as po:
        catalogue = read_po(po)
    with open("translations/messages.pot", "rb") as pot:
        template = {m.id for m in read_po(pot) if m.id}
    assert {m.id for m in catalogue if m.id} >= template, "run make translations"
    untranslated = [
        m.id for m in catalogue if m.id and not all(m.string if isinstance(m.string, tuple) else [m.string])
    ]
    fuzzy = [m.id for m in catalogue if m.id and m.fuzzy]
    assert untranslated == []
    assert fuzzy == []


def placeholders(text: str) -> set[tuple[str, str]]:
    """The %(name)s placeholders in a message, with their kind: a %(num)d must stay a number."""
    return {(name, kind) for name, _flags, kind in PYTHON_FORMAT.findall(text) if kind != "%"}


@pytest.mark.parametrize("path", CATALOGUES)
def test_translations_keep_every_placeholder(path):
    """Each translation, in every plural form, fills in exactly the English's placeholders, and has no stray "%".

    A missing one drops a fact (an amount, a date) without a sound; an unknown one fails the page with a KeyError.
    Plural form 0 is compared with the singular, the others with the plural.
    """
    with open(path, "rb") as po:
        catalogue = read_po(po)
    broken = []
    for message in catalogue:
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        forms = message.string if isinstance(message.string, tuple) else (message.string,)
        for number, form in enumerate(forms):
            source = english[min(number, len(english) - 1)]
            if not (message.id and form):
                continue  # the header, or not yet translated (test_catalogues_are_complete says so)
            stray_percent = message.python_format and "%" in PYTHON_FORMAT.sub("", form)
            if placeholders(form) != placeholders(source) or stray_percent:
                broken.append(f"{source!r} -> {form!r}")
    assert not broken, "placeholders differ from the English:\n" + "\n".join(broken)


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/?lang=pl&endpoint=x", "/?endpoint=x"),
        ("/reset-password/abc?lang=pl&token=x", "/reset-password/abc?token=x"),
        ("/?lang=pl&_scheme=https&_anchor=x&_method=POST", "/?_scheme=https&_anchor=x&_method=POST"),
        ("/sign-in?next=%2Fdashboard&lang=pl", "/sign-in?next=%2Fdashboard"),
    ],
)
def test_the_switch_keeps_other_parameters_and_never_fails(web, url, kept):
    assert web.get(url, status=302).headers["Location"] == kept


def test_language_links_keep_the_rest_of_the_address(web):
    soup = web.page("/sign-in?next=%2Fdashboard")
    assert soup.select_one("a[lang=pl]")["href"] == "/sign-in?next=%2Fdashboard&lang=pl"


def test_the_message_template_is_up_to_date(tmp_path):
    """Every string in the code, templates and content files is in the catalogue: `make translations` was run."""
    import subprocess
    import sys
    from pathlib import Path

    fresh = tmp_path / "messages.pot"
    pybabel = Path(sys.executable).with_name("pybabel")
    subprocess.run(
        [pybabel, "extract", "-F", "babel.cfg", "-k", "_l", "-o", fresh, "--no-location", "--omit-header"]
        + ["portal", "content"],
        check=True,
        capture_output=True,
        env={"PYTHONPATH": ".", "PATH": ""},
    )
    with open(fresh, "rb") as new, open("translations/messages.pot", "rb") as committed:
        missing = {m.id for m in read_po(new) if m.id} - {m.id for m in read_po(committed) if m.id}
    assert missing == set(), "run make translations"
