"""When the database cannot be reached: a 503 page that needs no database, says what to do, and shows back what
the person had just sent, so nothing they typed is lost (issue #10)."""

import functools

from flask import Flask, current_app, g, jsonify, render_template, request
from flask_wtf import FlaskForm
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import InternalServerError
from wtforms import FileField, HiddenField, PasswordField, SubmitField
from wtforms.fields.core import UnboundField

from portal.data.health import is_outage
from portal.extensions import login_manager
from portal.htmx import is_partial_request, render_page

RETRY_AFTER_SECONDS = 300  # the page says "in a few minutes"
# Never shown back, whatever form they came from: tokens, buttons and the form's own bookkeeping.
NEVER_SHOWN = frozenset({"csrf_token", "submit", "once", "revision", "seen", "seen_version", "how", "next"})
NOT_TYPED = (FileField, HiddenField, PasswordField, SubmitField)


def database_unavailable(error: BaseException):
    current_app.logger.error("the database could not be reached: answered 503", exc_info=error)
    # The layout asks who is signed in, which needs the database: this page is drawn as for anyone, naming nobody.
    g._login_user = login_manager.anonymous_user()  # what Flask-Login's current_user reads first
    g.acting_for = None
    g.record_permissions = None
    if request.blueprint == "api" or request.is_json:  # other systems (the directory API, the action server)
        response = jsonify({"error": "database unavailable"})
        response.status_code = 503
    else:
        response = render_page(
            "errors/service_unavailable.html",
            "content",
            status=503,
            sent=what_was_sent(),
            file_chosen=request.method == "POST" and any(upload.filename for upload in request.files.values()),
        )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    if is_partial_request():
        # htmx swaps this status in (layout.html's htmx-config), in place of the page's main content.
        response.headers.update({"HX-Retarget": "#main-content", "HX-Reswap": "innerHTML"})
    return response


def what_was_sent() -> list[tuple[str, str]]:
    """A POST's fields as (label, value): what the person typed or chose, never a password, token or file."""
    if request.method != "POST":
        return []
    names = [name for name in dict.fromkeys(request.form) if name not in NEVER_SHOWN and "password" not in name]
    fields = _fields_of_the_form(frozenset(names))
    sent = []
    for name in names:
        field = fields.get(name)
        if field is not None and issubclass(field.field_class, NOT_TYPED):
            continue
        values = [value for value in request.form.getlist(name) if value.strip()]
        if values:
            sent.append((_label(name, field), " ".join(_chosen(value, field) for value in values)))
    return sent


def _label(name: str, field: UnboundField | None) -> str:
    label = (field.args[0] if field.args else field.kwargs.get("label")) if field is not None else None
    return str(label) if label else name.replace("_", " ").replace("-", " ").capitalize()


def _chosen(value: str, field: UnboundField | None) -> str:
    """A radio button or list's answer in words, where its choices are fixed; otherwise the value as sent."""
    choices = field.kwargs.get("choices") if field is not None else None
    if isinstance(choices, list | tuple):
        for choice in choices:
            key, label = (choice.value, choice.label) if hasattr(choice, "value") else (choice[0], choice[1])
            if str(key) == value:
                return str(label)
    return value


def _fields_of_the_form(names: frozenset[str]) -> dict[str, UnboundField]:
    """The sent form's fields, found by their names: the request failed before (or while) its view made the form.

    A name only gets a field where every form that could have sent these names agrees on what it is.
    """
    candidates = [fields for fields in _every_form() if names <= fields.keys()]
    agreed = {}
    for name in names:
        found = {(fields[name].field_class, _label(name, fields[name])) for fields in candidates}
        if len(found) == 1:
            agreed[name] = candidates[0][name]
    return agreed


@functools.cache
def _every_form() -> tuple[dict[str, UnboundField], ...]:
    forms, waiting = [], [FlaskForm]
    while waiting:
        for form in waiting.pop().__subclasses__():
            forms.append(
                {name: getattr(form, name) for name in dir(form) if isinstance(getattr(form, name), UnboundField)}
            )
            waiting.append(form)
    return tuple(forms)


def _from_database(error: DBAPIError):
    if not is_outage(error):
        raise error  # a refused query is our fault: the usual 500
    return database_unavailable(error)


def _server_error(error: InternalServerError):
    # Reached when the database fails while another error page is drawn (not in tests: they propagate errors).
    if error.original_exception is not None and is_outage(error.original_exception):
        return database_unavailable(error.original_exception)
    return render_template("errors/server_error.html", error=error), 500


def init_app(app: Flask) -> None:
    app.register_error_handler(DBAPIError, _from_database)
    app.register_error_handler(PoolTimeout, database_unavailable)
    app.register_error_handler(500, _server_error)
