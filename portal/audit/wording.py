"""Every audit action in plain words: to the person whose record it is ("your plan"), and to staff ("the plan").

One entry per action code written anywhere in portal/ (tests/unit/test_audit_wording.py reads the source to
make sure), so a new action cannot reach the log without words. An action this version does not know (written
by an older or newer portal) still gets a sentence, from its kind.
"""

import json
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date

from flask_babel import LazyString, format_number
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from portal.content.schema import Questionnaire
from portal.data.accounts import Role, User
from portal.domain import audit_trail
from portal.domain.audit_trail import Kind, Money
from portal.i18n import long_date, pence
from portal.templating import translate


@dataclass(frozen=True)
class Phrase:
    kind: Kind
    to_person: LazyString
    to_staff: LazyString
    # Said instead when the event's detail lacks a fact the sentence needs (an older event, a question since removed).
    to_person_plain: LazyString | None = None
    to_staff_plain: LazyString | None = None


def same(kind: Kind, sentence: LazyString, plain: LazyString | None = None) -> Phrase:
    """A sentence with no "your" in it reads the same to the person and to staff."""
    return Phrase(kind, sentence, sentence, plain, plain)


VIEW, CHANGE, DECISION = Kind.VIEW, Kind.CHANGE, Kind.DECISION

PHRASES: Mapping[str, Phrase] = {
    # Staff looking at a record (portal.data.audit.record_view), by the part of the record they looked at.
    "record.viewed": Phrase(VIEW, _l("looked at your record"), _l("looked at the record")),
    "record.viewed:assessment": Phrase(VIEW, _l("looked at your self-assessment"), _l("looked at the self-assessment")),
    "record.viewed:plan": Phrase(VIEW, _l("looked at your support plan"), _l("looked at the support plan")),
    "record.viewed:budget account": Phrase(
        VIEW, _l("looked at your budget account"), _l("looked at the budget account")
    ),
    "record.viewed:return": Phrase(
        VIEW, _l("looked at a return you sent to the council"), _l("looked at a return sent to the council")
    ),
    "record.viewed:receipt": Phrase(
        VIEW, _l("looked at a receipt in your budget account"), _l("looked at a receipt in the budget account")
    ),
    "record.viewed:representatives": Phrase(
        VIEW, _l("looked at who helps you with your record"), _l("looked at the person's helpers and representatives")
    ),
    # The self-assessment.
    "assessment.started": Phrase(CHANGE, _l("started your self-assessment"), _l("started the self-assessment")),
    "assessment.answered": Phrase(
        CHANGE,
        _l("answered a question in your self-assessment: %(question)s"),
        _l("answered a question in the self-assessment: %(question)s"),
        _l("answered a question in your self-assessment"),
        _l("answered a question in the self-assessment"),
    ),
    "assessment.submitted": Phrase(
        CHANGE, _l("sent your self-assessment to the council"), _l("sent the self-assessment to the council")
    ),
    # The indicative budget.
    "budget.issued": Phrase(
        DECISION,
        _l("worked out your indicative budget: %(annual)s a year"),
        _l("worked out the indicative budget: %(annual)s a year"),
        _l("worked out your indicative budget"),
        _l("worked out the indicative budget"),
    ),
    "budget.review_requested": Phrase(
        CHANGE,
        _l("asked the council to look at your indicative budget again"),
        _l("asked the council to look at the indicative budget again"),
    ),
    "budget.confirmed": Phrase(
        DECISION,
        _l("confirmed your indicative budget: %(annual)s a year"),
        _l("confirmed the indicative budget: %(annual)s a year"),
        _l("confirmed your indicative budget"),
        _l("confirmed the indicative budget"),
    ),
    "budget.adjusted": Phrase(
        DECISION,
        _l("changed your indicative budget from %(previous)s to %(annual)s a year"),
        _l("changed the indicative budget from %(previous)s to %(annual)s a year"),
        _l("changed your indicative budget"),
        _l("changed the indicative budget"),
    ),
    # The support plan.
    "plan.started": Phrase(CHANGE, _l("started your support plan"), _l("started the support plan")),
    "plan.changed": Phrase(CHANGE, _l("changed your support plan"), _l("changed the support plan")),
    "plan.submit": Phrase(
        CHANGE, _l("sent your support plan to the council"), _l("sent the support plan to the council")
    ),
    "plan.send_to_panel": Phrase(
        DECISION,
        _l("sent your support plan to the council's panel to decide"),
        _l("sent the support plan to the panel to decide"),
    ),
    "plan.approve": Phrase(
        DECISION,
        _l("approved your support plan, with a personal budget of %(final)s a year"),
        _l("approved the support plan, with a personal budget of %(final)s a year"),
        _l("approved your support plan"),
        _l("approved the support plan"),
    ),
    "plan.return": Phrase(
        DECISION,
        _l("returned your support plan to you with comments"),
        _l("returned the support plan with comments"),
    ),
    # The budget account.
    "account.opened": Phrase(CHANGE, _l("opened your budget account"), _l("opened the budget account")),
    "account.plan_changed": Phrase(
        CHANGE,
        _l("updated your budget account for your changed support plan: %(annual)s a year"),
        _l("updated the budget account for the changed support plan: %(annual)s a year"),
        _l("updated your budget account for your changed support plan"),
        _l("updated the budget account for the changed support plan"),
    ),
    "ledger.spending": same(CHANGE, _l("recorded spending of %(amount)s"), _l("recorded spending")),
    "ledger.money_in": same(CHANGE, _l("recorded money paid in: %(amount)s"), _l("recorded money paid in")),
    "ledger.contribution": same(
        CHANGE, _l("recorded a contribution paid in: %(amount)s"), _l("recorded a contribution paid in")
    ),
    "ledger.council_payment": same(
        CHANGE, _l("recorded a payment from the council: %(amount)s"), _l("recorded a payment from the council")
    ),
    "ledger.corrected": Phrase(
        CHANGE, _l("corrected an entry in your budget account"), _l("corrected an entry in the budget account")
    ),
    "ledger.receipt_added": Phrase(
        CHANGE, _l("added a receipt to your budget account"), _l("added a receipt to the budget account")
    ),
    "ledger.imported": same(CHANGE, _l("imported spending from a bank or card statement")),
    "commitment.added": same(CHANGE, _l("set aside %(amount)s for a payment due"), _l("set aside money for a payment")),
    "commitment.paid": same(CHANGE, _l("marked money set aside as paid")),
    "commitment.cancelled": same(CHANGE, _l("cancelled money set aside")),
    "assistant.saved": same(CHANGE, _l("saved the details of a personal assistant")),
    "timesheet.saved": same(
        CHANGE,
        _l("saved a personal assistant's timesheet for the week starting %(week)s"),
        _l("saved a personal assistant's timesheet"),
    ),
    "return.sent": same(
        CHANGE,
        _l("sent a return to the council for the period starting %(starts)s"),
        _l("sent a return to the council"),
    ),
    "return.question": Phrase(
        DECISION, _l("asked a question about your return"), _l("asked a question about a return")
    ),
    "return.answered": Phrase(
        CHANGE,
        _l("answered the council's question about your return"),
        _l("answered the council's question about a return"),
    ),
    "return.reviewed": Phrase(DECISION, _l("reviewed your return"), _l("reviewed the return")),
    "account.reviewed": Phrase(
        DECISION,
        _l("recorded a review of your budget account, held on %(held)s"),
        _l("recorded a review of the budget account, held on %(held)s"),
        _l("recorded a review of your budget account"),
        _l("recorded a review of the budget account"),
    ),
    "account.contribution": Phrase(
        DECISION,
        _l("set your contribution: %(weekly)s a week"),
        _l("set the contribution: %(weekly)s a week"),
        _l("set your contribution"),
        _l("set the contribution"),
    ),
    # Signing in, and the account itself.
    "account.signed_in": same(Kind.SIGN_IN, _l("signed in")),
    "account.sign_in_failed": Phrase(
        Kind.SIGN_IN, _l("tried to sign in to your account, without success"), _l("tried to sign in, without success")
    ),
    "session.ended": same(Kind.ACCOUNT, _l("signed out a device")),
    "sessions.ended_everywhere": same(Kind.ACCOUNT, _l("signed out on every device")),
    "sessions.ended_everywhere:others": same(Kind.ACCOUNT, _l("signed out on every other device")),
    "settings.changed": Phrase(Kind.ACCOUNT, _l("changed your settings"), _l("changed the account's settings")),
    "data.downloaded": Phrase(
        Kind.ACCOUNT, _l("downloaded a copy of your information"), _l("downloaded a copy of the person's information")
    ),
    "account.closed": Phrase(Kind.ACCOUNT, _l("closed your account"), _l("closed the account")),
    "records.purged": same(Kind.ACCOUNT, _l("deleted records the council no longer has to keep")),
    # Helpers and representatives.
    "representative.invited": Phrase(Kind.HELPER, _l("invited someone to be your helper"), _l("invited a helper")),
    "representative.invitation_cancelled": same(Kind.HELPER, _l("cancelled an invitation to a helper")),
    "representative.accepted": Phrase(
        Kind.HELPER, _l("accepted an invitation to be your helper"), _l("accepted an invitation to be a helper")
    ),
    "representative.permissions_changed": Phrase(
        Kind.HELPER,
        _l("changed what %(helper)s can do as your helper"),
        _l("changed what %(helper)s can do as a helper"),
        _l("changed what your helper can do"),
        _l("changed what a helper can do"),
    ),
    "representative.ended": Phrase(
        Kind.HELPER,
        _l("stopped %(helper)s helping with your record"),
        _l("stopped %(helper)s helping with the record"),
        _l("stopped a helper helping with your record"),
        _l("stopped a helper helping with the record"),
    ),
    "representative.recorded_by_staff": Phrase(
        Kind.HELPER,
        _l("recorded %(helper)s as your representative"),
        _l("recorded %(helper)s as the person's representative"),
        _l("recorded someone as your representative"),
        _l("recorded a representative"),
    ),
    # The directory of services: nobody's record.
    "directory.added": same(
        Kind.DIRECTORY, _l("added %(name)s to the directory"), _l("added a service to the directory")
    ),
    "directory.changed": same(Kind.DIRECTORY, _l("changed %(name)s in the directory"), _l("changed a directory entry")),
    "directory.retired": same(
        Kind.DIRECTORY, _l("took %(name)s out of the directory"), _l("took a service out of the directory")
    ),
    # The audit log itself.
    "audit.searched": Phrase(
        Kind.AUDIT, _l("searched the history of who has looked at or changed your record"), _l("searched the audit log")
    ),
    "audit.exported": Phrase(
        Kind.AUDIT,
        _l("downloaded the history of who has looked at or changed your record"),
        _l("downloaded a search of the audit log"),
    ),
}

# For an action this version has no words for.
UNKNOWN: Mapping[Kind, Phrase] = {
    Kind.VIEW: Phrase(VIEW, _l("looked at your record"), _l("looked at the record")),
    Kind.CHANGE: Phrase(CHANGE, _l("made a change to your record"), _l("made a change to the record")),
}

KIND_NAMES: Mapping[Kind, LazyString] = {
    Kind.VIEW: _l("Looking at a record"),
    Kind.CHANGE: _l("Changes to a record"),
    Kind.DECISION: _l("Council decisions"),
    Kind.SIGN_IN: _l("Signing in"),
    Kind.ACCOUNT: _l("Account, settings and devices"),
    Kind.HELPER: _l("Helpers and representatives"),
    Kind.DIRECTORY: _l("Directory of services"),
    Kind.AUDIT: _l("Use of the audit log"),
}

ROLE_NAMES: Mapping[Role, LazyString] = {
    Role.PERSON: _l("Person"),
    Role.REPRESENTATIVE: _l("Helper"),
    Role.STAFF: _l("Council staff"),
    Role.ADMIN: _l("Admin"),
}

_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def kind_of(action: str) -> Kind:
    phrase = PHRASES.get(action)
    return phrase.kind if phrase else audit_trail.guessed_kind(action)


def actions_of(kinds: Collection[Kind]) -> tuple[str, ...]:
    """The action codes of these kinds, for a search to ask the database for."""
    return tuple(sorted({audit_trail.action_of(key) for key, phrase in PHRASES.items() if phrase.kind in kinds}))


def what_happened(
    action: str, detail: Mapping[str, object], to_person: bool, questionnaire: Questionnaire | None = None
) -> str:
    """The event as the second half of a sentence: "looked at your support plan", "recorded spending of £12.50"."""
    detail = detail if isinstance(detail, Mapping) else {}
    phrase = PHRASES.get(audit_trail.phrase_key(action, detail)) or PHRASES.get(action)
    if phrase is None:
        phrase = UNKNOWN[audit_trail.guessed_kind(action)]
    sentence = str(phrase.to_person if to_person else phrase.to_staff)
    shown = _shown_facts(detail, questionnaire)
    if all(name in shown for name in _PLACEHOLDER.findall(sentence)):
        try:
            return sentence % shown
        except (KeyError, TypeError, ValueError):  # a translation with a broken placeholder: say it plainly
            pass
    plain = phrase.to_person_plain if to_person else phrase.to_staff_plain
    if plain is None:
        fallback = UNKNOWN[Kind.VIEW if phrase.kind is Kind.VIEW else Kind.CHANGE]
        plain = fallback.to_person if to_person else fallback.to_staff
    return str(plain)


def _shown_facts(detail: Mapping[str, object], questionnaire: Questionnaire | None) -> dict[str, str]:
    shown: dict[str, str] = {}
    for name, value in audit_trail.facts(detail).items():
        if isinstance(value, Money):
            shown[name] = pence(value.pence)
        elif isinstance(value, date):
            shown[name] = long_date(value)
        elif isinstance(value, int):
            shown[name] = format_number(value)
        elif name == "question":
            # The question's words from the content; one since removed from the questionnaire is left unnamed.
            question = questionnaire.question(value) if questionnaire else None
            if question is not None:
                shown[name] = translate(question.text)
        else:
            shown[name] = value
    return shown


def who_to_person(actor: User | None, viewer_id: int, kind: Kind) -> str:
    """Who did it, to the person reading their own history."""
    if actor is None:
        return _("Someone") if kind is Kind.SIGN_IN else _("The portal")
    if actor.id == viewer_id:
        return _("You")
    if actor.role == Role.REPRESENTATIVE:
        return _("%(name)s (your helper)", name=actor.full_name)
    if actor.role in (Role.STAFF, Role.ADMIN):
        return _("%(name)s (council staff)", name=actor.full_name)
    return actor.full_name


def who_to_staff(actor: User | None, kind: Kind) -> str:
    if actor is None:
        return _("Someone not signed in") if kind is Kind.SIGN_IN else _("The portal (automatic)")
    return _("%(name)s (%(role)s)", name=actor.full_name, role=ROLE_NAMES[actor.role])


def detail_rows(detail: Mapping[str, object]) -> list[tuple[str, str]]:
    """An event's stored detail as it was written, for investigators; pence shown in pounds beside the figure."""
    if not isinstance(detail, Mapping):
        return [("detail", json.dumps(detail, ensure_ascii=False))]
    money = audit_trail.money_fields(detail)
    rows = []
    for field, value in detail.items():
        text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
        if field in money:
            text = _("%(figure)s (%(pounds)s)", figure=text, pounds=pence(money[field]))
        rows.append((str(field), text))
    return rows
