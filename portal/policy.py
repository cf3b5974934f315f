"""The one authorisation policy: who may reach which route.

Every request is checked here, once, before its view runs (see `authorise_request` in portal.app).
A route missing from ROUTE_ACCESS is refused, so a new page cannot be forgotten open.
Routes about one person's record (`/people/<person_id>/…`) also ask whose record it is: the person's
own, or one they help. Anyone else gets "not found", so record numbers reveal nothing.
"""

import enum
from collections.abc import Callable, Mapping

from portal.data.models import Role


class Access(enum.Enum):
    ANYONE = "anyone"
    SIGNED_IN = "anyone signed in"
    PEOPLE_AND_HELPERS = "people and their helpers"
    OWN_RECORD = "the person, or someone helping them, on that person's record"
    STAFF = "council staff and admins"
    ADMIN = "admins"
    DEV_TOOLS = "anyone, in development only"
    SIGNED_TOKEN = "the assistant's action server, with the short-lived token the portal signed"


class Decision(enum.Enum):
    ALLOW = "allow"
    SIGN_IN = "sign in first"
    FORBIDDEN = "forbidden"
    NOT_FOUND = "not found"


ROLES_FOR: Mapping[Access, frozenset[Role]] = {
    Access.SIGNED_IN: frozenset(Role),
    Access.PEOPLE_AND_HELPERS: frozenset({Role.PERSON, Role.REPRESENTATIVE}),
    Access.OWN_RECORD: frozenset({Role.PERSON, Role.REPRESENTATIVE}),
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
    "directory.search": Access.ANYONE,
    "help.index": Access.ANYONE,
    "help.topic": Access.ANYONE,
    "help.jargon": Access.ANYONE,
    "help.term": Access.ANYONE,
    "help.chat": Access.ANYONE,
    "help.new_chat": Access.ANYONE,
    "help.assistant_summary": Access.SIGNED_TOKEN,
    "directory.service": Access.ANYONE,
    "api.root": Access.ANYONE,
    "api.openapi": Access.ANYONE,
    "api.services": Access.ANYONE,
    "api.service": Access.ANYONE,
    "account.dashboard": Access.SIGNED_IN,
    "account.change_password": Access.SIGNED_IN,
    "account.keep_alive": Access.SIGNED_IN,
    "assessment.start": Access.OWN_RECORD,
    "assessment.resume": Access.OWN_RECORD,
    "assessment.task_list": Access.OWN_RECORD,
    "assessment.question": Access.OWN_RECORD,
    "assessment.check_section": Access.OWN_RECORD,
    "assessment.check_and_send": Access.OWN_RECORD,
    "budget.indicative_budget": Access.OWN_RECORD,
    "plan.overview": Access.OWN_RECORD,
    "plan.about_me": Access.OWN_RECORD,
    "plan.outcomes": Access.OWN_RECORD,
    "plan.outcome": Access.OWN_RECORD,
    "plan.remove_outcome": Access.OWN_RECORD,
    "plan.need_reasons": Access.OWN_RECORD,
    "plan.budget": Access.OWN_RECORD,
    "plan.item": Access.OWN_RECORD,
    "plan.remove_item": Access.OWN_RECORD,
    "plan.management": Access.OWN_RECORD,
    "plan.staying_safe": Access.OWN_RECORD,
    "plan.who_helped": Access.OWN_RECORD,
    "plan.check": Access.OWN_RECORD,
    "plan.print_view": Access.OWN_RECORD,
    "plan.pdf": Access.OWN_RECORD,
    "plan.change": Access.OWN_RECORD,
    "budget.ask_for_review": Access.OWN_RECORD,
    "directory.staff_list": Access.STAFF,
    "directory.add_service": Access.STAFF,
    "directory.edit_service": Access.STAFF,
    "directory.retire_service": Access.STAFF,
    "staff.home": Access.STAFF,
    "staff.assessments_queue": Access.STAFF,
    "staff.assessment": Access.STAFF,
    "staff.plans_queue": Access.STAFF,
    "staff.plan": Access.STAFF,
    "spending.account": Access.OWN_RECORD,
    "spending.payments": Access.OWN_RECORD,
    "spending.records": Access.OWN_RECORD,
    "spending.record_spending": Access.OWN_RECORD,
    "spending.money_in": Access.OWN_RECORD,
    "spending.entry": Access.OWN_RECORD,
    "spending.correct": Access.OWN_RECORD,
    "spending.receipt": Access.OWN_RECORD,
    "spending.commitments": Access.OWN_RECORD,
    "spending.close_commitment": Access.OWN_RECORD,
    "spending.import_statement": Access.OWN_RECORD,
    "spending.import_preview_page": Access.OWN_RECORD,
    "spending.assistants": Access.OWN_RECORD,
    "spending.assistant": Access.OWN_RECORD,
    "spending.timesheet": Access.OWN_RECORD,
    "spending.payroll": Access.OWN_RECORD,
    "spending.statement": Access.OWN_RECORD,
    "spending.statement_csv": Access.OWN_RECORD,
    "spending.statement_pdf": Access.OWN_RECORD,
    "spending.evidence_pack": Access.OWN_RECORD,
    "spending.returns": Access.OWN_RECORD,
    "spending.send_return": Access.OWN_RECORD,
    "spending.return_detail": Access.OWN_RECORD,
    "staff.budget_accounts_list": Access.STAFF,
    "staff.budget_account": Access.STAFF,
    "staff.account_return": Access.STAFF,
    "staff.account_receipt": Access.STAFF,
    "staff.accounts": Access.ADMIN,
    "dev.outbox": Access.DEV_TOOLS,
}


def home_endpoint(role: Role) -> str:
    """Where someone lands after signing in: council staff and admins have their own home."""
    return "staff.home" if role in ROLES_FOR[Access.STAFF] else "account.dashboard"


def decide(
    endpoint: str | None, role: Role | None, dev_tools: bool, acts_for_person: Callable[[], bool] | None = None
) -> Decision:
    """Decide one request. `role` is None for someone not signed in.

    `acts_for_person` answers "is this the user's own record, or one they help?" for the record asked for.
    """
    if endpoint is None:
        return Decision.NOT_FOUND
    access = ROUTE_ACCESS.get(endpoint)
    if access is None:
        return Decision.FORBIDDEN
    if access in (Access.ANYONE, Access.SIGNED_TOKEN):  # a signed token is checked by the view, whoever is signed in
        return Decision.ALLOW
    if access is Access.DEV_TOOLS:
        return Decision.ALLOW if dev_tools else Decision.NOT_FOUND
    if role is None:
        return Decision.SIGN_IN
    if role not in ROLES_FOR[access]:
        return Decision.FORBIDDEN
    if access is Access.OWN_RECORD and (acts_for_person is None or not acts_for_person()):
        return Decision.NOT_FOUND
    return Decision.ALLOW
