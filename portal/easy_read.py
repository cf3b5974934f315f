"""Easy Read: a content variant of the pages that matter most (content/easy_read.yml), switched on for the session."""

from dataclasses import dataclass
from urllib.parse import urlencode

from flask import Flask, current_app, redirect, request, session
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.navigation import safe_next
from portal.people import current_content
from portal.templating import translate

SESSION_KEY = "easy_read"
SWITCH = "easy_read"  # ?easy_read=1 switches it on, ?easy_read=0 off


@dataclass(frozen=True)
class ShownPoint:
    text: Markup
    picture: str


@dataclass(frozen=True)
class ShownPage:
    title: str
    points: list[ShownPoint]


def easy_read_on() -> bool:
    return session.get(SESSION_KEY) is True


def easy_read_address(on: bool | None) -> str:
    """This page's address, other query parameters kept, with the switch to turn Easy Read on or off."""
    query = [(key, value) for key, value in request.args.items(multi=True) if key != SWITCH]
    if on is not None:
        query.append((SWITCH, "1" if on else "0"))
    return request.path + (f"?{urlencode(query)}" if query else "")


def easy_read_page(key: str, **values: object) -> ShownPage:
    """A page's Easy Read points, translated, with the page's values (and the council's phone and email) filled in.

    The content loader has checked each point names only placeholders its page fills in.
    """
    page = current_content().easy_read.page(key)
    if page is None:
        raise LookupError(f"no Easy Read page {key!r} in easy_read.yml")
    values = {"phone": current_app.config["COUNCIL_PHONE"], "email": current_app.config["COUNCIL_EMAIL"], **values}
    return ShownPage(
        translate(page.title), [ShownPoint(_fill(point.text, values), point.picture) for point in page.points]
    )


def _fill(text: str, values: dict[str, object]) -> Markup:
    """Babel-style %(name)s placeholders, as Jinja's own _() fills them: the words escaped, then each value escaped."""
    try:
        return escape(_(text)) % values
    except (KeyError, ValueError, TypeError):
        current_app.logger.warning("a translation of an Easy Read point has broken placeholders: %r", text)
        return escape(text) % values  # the council's own wording, which the loader checked


def _switch():
    """`?easy_read=1` or `=0` on any page the person may see: kept in the session, then a clean address."""
    choice = request.args.get(SWITCH)
    if choice is None or request.method != "GET" or request.routing_exception is not None:
        return None
    if choice == "1":
        session[SESSION_KEY] = True
    elif choice == "0":
        session.pop(SESSION_KEY, None)
    return redirect(safe_next(easy_read_address(None)) or "/")


def init_app(app: Flask) -> None:
    app.before_request(_switch)
    app.add_template_global(easy_read_on)
    app.add_template_global(easy_read_address)
    app.add_template_global(easy_read_page)
