"""The one authorisation policy: who may reach which route.

Every request is checked here, once, before its view runs (see `authorise_request` in portal.app).
A route missing from ROUTE_ACCESS is refused, so a new page cannot be forgotten open.
Later journeys add rules that also look at whose record is asked for.
"""

import enum
from collections.abc import Mapping

from portal.data.models import Role


class Access(enum.Enum):
    ANYONE = "anyone"
    SIGNED_IN = "anyone signed in"
    PEOPLE_AND_HELPERS = "people and their helpers"
    STAFF = "council staff and admins"
    ADMIN = "admins"
    DEV_TOOLS = "anyone, in development only"


class Decision(enum.Enum):
    ALLOW = "allow"
    SIGN_IN = "sign in first"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not found"


ROLES_FOR: Mapping[Access, frozenset[Role]] = {
    Access.SIGNED_IN: frozenset(Role),
    Access.PEOPLE_AND_HELPERS: frozenset({Role.PERSON, Role.REPRESENTATIVE}),
    Access.STAFF: frozenset({Role.STAFF, Role.ADMIN}),
    Access.ADMIN: frozenset({Role.ADMIN}),
}

ROUTE_ACCESS: Mapping[str, Access] = {
    "static": Access.ANYONE,
    "assets": Access.ANYONE,
    "pages.start": Access.ANYONE,
    "pages.accessibility": Access.ANYONE,
    "pages.privacy": Access.ANYONE,
    "pages.cookies": Access.ANYONE,
    "pages.health": Access.ANYONE,
    "auth.register": Access.ANYONE,
    "auth.sign_in": Access.ANYONE,
    "auth.sign_out": Access.ANYONE,
    "auth.signed_out": Access.ANYONE,
    "auth.forgotten_password": Access.ANYONE,
    "auth.check_your_email": Access.ANYONE,
    "auth.reset_password": Access.ANYONE,
    "account.dashboard": Access.SIGNED_IN,
    "account.change_password": Access.SIGNED_IN,
    "account.keep_alive": Access.SIGNED_IN,
    "staff.home": Access.STAFF,
    "staff.accounts": Access.ADMIN,
    "dev.outbox": Access.DEV_TOOLS,
}


def home_endpoint(role: Role) -> str:
    """Where someone lands after signing in: council staff and admins have their own home."""
    return "staff.home" if role in ROLES_FOR[Access.STAFF] else "account.dashboard"


def decide(endpoint: str | None, role: Role | None, dev_tools: bool) -> Decision:
    """Decide one request. `role` is None for someone not signed in."""
    if endpoint is None:
        return Decision.NOT_FOUND
    access = ROUTE_ACCESS.get(endpoint)
    if access is None:
        return Decision.FORBIDDEN
    if access is Access.ANYONE:
        return Decision.ALLOW
    if access is Access.DEV_TOOLS:
        return Decision.ALLOW if dev_tools else Decision.NOT_FOUND
    if role is None:
        return Decision.SIGN_IN
    return Decision.ALLOW if role in ROLES_FOR[access] else Decision.FORBIDDEN
