"""Whose record a page is about, and the content it is built from."""

from flask import Flask, abort, current_app, g
from flask_login import current_user

from portal.content.load import Content
from portal.data.accounts import User, get_user


def current_content() -> Content:
    return current_app.extensions["content"]


def record_holder(person_id: int) -> User:
    """The person whose record this is. The access policy has already checked the user may act for them."""
    person = get_user(person_id)
    if person is None:
        abort(404)
    return person


def init_app(app: Flask) -> None:
    @app.context_processor
    def _acting_for() -> dict[str, object]:
        """A helper always sees whose record they are in (the "You are acting for …" banner).

        Set by the access policy check only when the request was allowed, so an error page never names anyone.
        """
        return {"acting_for": g.get("acting_for"), "allowed": allowed}


def allowed(endpoint: str, method: str = "GET") -> bool:
    """May the user open this page of the record in view? Templates ask before offering a link or a button,
    so a helper is only shown what the person let them do (the policy still checks the request itself)."""
    from portal.policy import Decision, decide

    granted = g.get("record_permissions")
    role = current_user.role if current_user.is_authenticated else None
    decision = decide(endpoint, role, current_app.config["DEV_TOOLS"], lambda: granted, method)
    return decision is Decision.ALLOW
