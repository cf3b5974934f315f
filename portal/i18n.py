"""Languages: which locale a request is in, its text direction, and Babel-formatted money and dates."""

import functools
from datetime import date, datetime
from decimal import Decimal
from urllib.parse import urlencode

from babel import Locale
from flask import Flask, current_app, g, request, session
from flask_babel import (
    LazyString,
    format_currency,
    format_date,
    format_datetime,
    format_number,
    get_locale,
    get_translations,
)
from flask_login import current_user

from portal.extensions import babel

# Each language named in itself, as the GOV.UK language switcher shows them.
LANGUAGE_NAMES = {"en": "English", "pl": "Polski", "ur": "اردو", "cy": "Cymraeg"}
# The switch offers languages; Babel formats dates and money for a place. English here is British English.
FORMAT_LOCALES = {"en": "en_GB"}


def language_of(locale_code: str) -> str:
    return locale_code.split("_")[0]


def select_locale() -> str:
    """The person's saved choice, then this session's switch, then what the browser asks for."""
    supported = current_app.config["LANGUAGES"]
    saved = getattr(current_user, "locale", None) if current_user and current_user.is_authenticated else None
    for choice in (saved, session.get("locale")):
        if choice in supported:
            return FORMAT_LOCALES.get(choice, choice)
    choice = request.accept_languages.best_match(supported) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return FORMAT_LOCALES.get(choice, choice)


def address_in_language(code: str | None) -> str:
    """This page's address, other query parameters kept, with `lang` set to `code` (or removed if None)."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    if code is not None:
        query.append(("lang", code))
    return request.path + (f"?{urlencode(query)}" if query else "")


@functools.cache
def text_direction(locale_code: str) -> str:
    return "rtl" if Locale.parse(locale_code).character_order == "right-to-left" else "ltr"


def pence(amount: int) -> str:
    """Money is integer pence everywhere; only here does it become pounds, for display."""
    if not isinstance(amount, int) or isinstance(amount, bool):
        raise TypeError("money is integer pence")
    return format_currency(Decimal(amount) / 100, "GBP")


def lazy_number(value: int) -> LazyString:
    """A number in a message, formatted for the reader's language when shown: "2,000" in English, "2 000" in Polish."""
    return LazyString(lambda: format_number(value))


def long_date(value: date | datetime) -> str:
    return format_date(value, format="long")


def date_and_time(value: datetime) -> str:
    return format_datetime(value, format="d MMMM y, HH:mm")


def page_translations():
    """The catalogue for this request's language, found once for a page's hundred or so strings (Flask-Babel
    finds it afresh for each, through five context lookups); kept with its locale, so it follows a change."""
    locale = get_locale()
    found = g.get("page_translations")
    if found is None or found[0] is not locale:
        found = g.page_translations = (locale, get_translations())
    return found[1]


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale, default_translation_directories="../translations")
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: page_translations().ugettext(s),
        ngettext=lambda s, p, n: page_translations().ungettext(s, p, n),
        pgettext=lambda c, s: page_translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: page_translations().unpgettext(c, s, p, n),
        newstyle=True,
    )
    app.jinja_env.filters["pence"] = pence
    app.jinja_env.filters["long_date"] = long_date
    app.jinja_env.filters["date_and_time"] = date_and_time
    app.add_template_global(address_in_language)

    @app.context_processor
    def _language_context() -> dict[str, object]:
        code = str(get_locale())
        return {
            "current_locale": language_of(code),
            "html_lang": code.replace("_", "-"),
            "text_direction": text_direction(code),
            "language_names": {c: LANGUAGE_NAMES[c] for c in current_app.config["LANGUAGES"]},
        }
