"""Jinja globals shared by every page."""

from datetime import date

from flask import Flask
from flask_babel import gettext as _
from jinja2 import Undefined
from jinja2.utils import missing
from markupsafe import Markup, escape


class UndefinedNameError(Undefined):
    """Printing a misspelt variable fails; testing or reading a missing attribute stays lenient.

    GOV.UK's macros test optional params by reading absent keys and names, so full StrictUndefined
    breaks them; `{{ misspelt }}` in our own templates should still fail a test rather than render blank.
    """

    def __str__(self) -> str:
        if self._undefined_obj is missing and self._undefined_name is not None:
            self._fail_with_undefined_error()
        return ""


def password_params(autocomplete: str, hint: str | None = None) -> dict[str, object]:
    """GOV.UK password input params with its own words (Show, Hide, announcements) translated."""
    params: dict[str, object] = {
        "autocomplete": autocomplete,
        "showPasswordText": _("Show"),
        "hidePasswordText": _("Hide"),
        "showPasswordAriaLabelText": _("Show password"),
        "hidePasswordAriaLabelText": _("Hide password"),
        "passwordShownAnnouncementText": _("Your password is visible"),
        "passwordHiddenAnnouncementText": _("Your password is hidden"),
    }
    if hint:
        params["hint"] = {"text": hint}
    return params


def translate(text: str | None) -> str:
    """Content strings (questions, hints, section titles) go through the same catalogues as the pages.

    Not Jinja's `_()`: that formats with `%` even without arguments, and content may contain a "%".
    """
    return _(text) if text else ""


def option_hint(hint: str | None) -> dict[str, object]:
    """A radio item's params: its hint, translated, when the content file gives one."""
    return {"hint": {"text": translate(hint)}} if hint else {}


def answer_row(label: str, value: str | None) -> dict[str, object]:
    """A summary-list row for someone's own words: line breaks kept, escaped, and honest when left empty."""
    shown = Markup('<span class="cc-answer">') + escape(value or _("Not filled in")) + Markup("</span>")
    return {"key": {"text": label}, "value": {"html": shown}}


def init_app(app: Flask) -> None:
    app.add_template_global(answer_row)
    app.add_template_global(password_params)
    app.jinja_env.filters["translate"] = translate
    app.jinja_env.filters["option_hint"] = option_hint
    app.jinja_env.filters["iso_date"] = date.fromisoformat
    # A section id kept with an issued budget, shown by the title kept with it, translated.
    app.jinja_env.filters["translate_title"] = lambda section, titles: translate(titles.get(section) or section)
