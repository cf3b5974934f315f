"""The one authorisation policy: who may reach which route.

Every request is checked here, once, before its view runs (see `authorise_request` in portal.app).
A route missing from ROUTE_ACCESS is refused, so a new page cannot be forgotten open.
Routes about one person's record (`/people/<person_id>/…`) also ask whose record it is: the person's
own, or one they help. Anyone else gets "not found", so record numbers reveal nothing. A helper then needs
the permission the person gave them for that part of the record (see portal.domain.permissions); without
it they are refused, and told who can give it.
"""

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from portal.data.models import Role
from portal.domain.permissions import Action, Area, Permission, allows


class Access(enum.Enum):
    ANYONE = "anyone"
    SIGNED_IN = "anyone signed in"
    PEOPLE = "people, about their own record"
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
    Access.PEOPLE: frozenset({Role.PERSON}),
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
    "pages.security_txt": Access.ANYONE,
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
    "settings.summary": Access.SIGNED_IN,
    "settings.language": Access.SIGNED_IN,
    "settings.contact": Access.SIGNED_IN,
    "settings.phone": Access.SIGNED_IN,
    "settings.reminders": Access.SIGNED_IN,
    "settings.text_size": Access.SIGNED_IN,
    "settings.contrast": Access.SIGNED_IN,
    "settings.sessions": Access.SIGNED_IN,
    "settings.end_session": Access.SIGNED_IN,  # only the user's own sessions: anyone else's is "not found"
    "settings.end_other_sessions": Access.SIGNED_IN,
    "settings.end_all_sessions": Access.SIGNED_IN,
    # The user's own account only, never a record they help with: the right is the person's (a helper's own is small).
    "data_rights.your_data": Access.PEOPLE_AND_HELPERS,
    "data_rights.download_your_data": Access.PEOPLE_AND_HELPERS,
    "data_rights.close_account": Access.PEOPLE_AND_HELPERS,
    "data_rights.confirm_close_account": Access.PEOPLE_AND_HELPERS,
    "data_rights.account_closed": Access.ANYONE,  # shown once the person has been signed out
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
    "audit.record_history": Access.PEOPLE_AND_HELPERS,
    "audit.search": Access.STAFF,
    "audit.search_csv": Access.STAFF,
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
    "representatives.helpers": Access.PEOPLE,
    "representatives.invite": Access.PEOPLE,
    "representatives.invitation_sent": Access.PEOPLE,
    "representatives.cancel_invitation": Access.PEOPLE,
    "representatives.change_helper": Access.PEOPLE,
    "representatives.stop_helper": Access.PEOPLE,
    "representatives.accept": Access.PEOPLE_AND_HELPERS,
    "representatives.people_i_help": Access.PEOPLE_AND_HELPERS,
    "representatives.stop_helping": Access.PEOPLE_AND_HELPERS,
    "representatives.find_person": Access.STAFF,
    "representatives.record_representative": Access.STAFF,
    "dev.outbox": Access.DEV_TOOLS,
}


@dataclass(frozen=True)
class OnRecord:
    """Which part of a person's record a route is about, and what it does there when read or sent."""

    area: Area
    on_get: Action
    on_post: Action

    def action(self, method: str) -> Action:
        return self.on_get if method in ("GET", "HEAD") else self.on_post


def seen(area: Area) -> OnRecord:
    """A page that shows part of the record; sending its form changes it."""
    return OnRecord(area, Action.SEE, Action.CHANGE)


def changed(area: Area) -> OnRecord:
    """A form that changes the record: even opening it needs the permission to change."""
    return OnRecord(area, Action.CHANGE, Action.CHANGE)


RECORD_PARTS: Mapping[str, OnRecord] = {
    "assessment.start": seen(Area.ASSESSMENT),
    "assessment.resume": changed(Area.ASSESSMENT),
    "assessment.task_list": seen(Area.ASSESSMENT),
    "assessment.question": changed(Area.ASSESSMENT),
    "assessment.check_section": seen(Area.ASSESSMENT),
    "assessment.check_and_send": seen(Area.ASSESSMENT),
    "budget.indicative_budget": seen(Area.BUDGET),
    "budget.ask_for_review": changed(Area.BUDGET),
    "plan.overview": seen(Area.PLAN),
    "plan.about_me": changed(Area.PLAN),
    "plan.outcomes": seen(Area.PLAN),
    "plan.outcome": changed(Area.PLAN),
    "plan.remove_outcome": changed(Area.PLAN),
    "plan.need_reasons": changed(Area.PLAN),
    "plan.budget": seen(Area.PLAN),
    "plan.item": changed(Area.PLAN),
    "plan.remove_item": changed(Area.PLAN),
    "plan.management": changed(Area.PLAN),
    "plan.staying_safe": changed(Area.PLAN),
    "plan.who_helped": changed(Area.PLAN),
    "plan.check": seen(Area.PLAN),
    "plan.print_view": seen(Area.PLAN),
    "plan.pdf": seen(Area.PLAN),
    "plan.change": changed(Area.PLAN),
    "spending.account": seen(Area.SPENDING),
    "spending.payments": seen(Area.SPENDING),
    "spending.records": seen(Area.SPENDING),
    "spending.record_spending": changed(Area.SPENDING),
    "spending.money_in": changed(Area.SPENDING),
    "spending.entry": seen(Area.SPENDING),
    "spending.correct": changed(Area.SPENDING),
    "spending.receipt": seen(Area.SPENDING),
    "spending.commitments": seen(Area.SPENDING),
    "spending.close_commitment": changed(Area.SPENDING),
    "spending.import_statement": changed(Area.SPENDING),
    "spending.import_preview_page": changed(Area.SPENDING),
    "spending.assistants": seen(Area.SPENDING),
    "spending.assistant": changed(Area.SPENDING),
    "spending.timesheet": changed(Area.SPENDING),
    "spending.payroll": seen(Area.SPENDING),
    "spending.statement": seen(Area.SPENDING),
    "spending.statement_csv": seen(Area.SPENDING),
    "spending.statement_pdf": seen(Area.SPENDING),
    "spending.evidence_pack": seen(Area.SPENDING),
    "spending.returns": seen(Area.RETURNS),
    "spending.send_return": changed(Area.RETURNS),
    "spending.return_detail": seen(Area.RETURNS),
}


def home_endpoint(role: Role) -> str:
    """Where someone lands after signing in: council staff and admins have their own home."""
    return "staff.home" if role in ROLES_FOR[Access.STAFF] else "account.dashboard"


def decide(
    endpoint: str | None,
    role: Role | None,
    dev_tools: bool,
    permissions_on_record: Callable[[], frozenset[Permission] | None] | None = None,
    method: str = "GET",
) -> Decision:
    """Decide one request. `role` is None for someone not signed in.

    `permissions_on_record` says what the user may do on the record asked for: every permission on their own,
    what the person gave them on a record they help with, None on anyone else's.
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
    if access is Access.OWN_RECORD:
        granted = permissions_on_record() if permissions_on_record is not None else None
        if granted is None:
            return Decision.NOT_FOUND
        part = RECORD_PARTS.get(endpoint)
        if part is None or not allows(granted, part.area, part.action(method)):
            return Decision.FORBIDDEN
    return Decision.ALLOW
