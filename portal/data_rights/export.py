"""Your data, as one file: `data.json` for a computer, `summary.html` for a person, and the files themselves."""

import json
import re
import tempfile
import zipfile
from datetime import date, datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from portal.audit import wording
from portal.data import data_rights
from portal.data.data_rights import PersonRecords
from portal.i18n import date_and_time, long_date, pence
from portal.people import current_content
from portal.templating import translate

FORMAT_VERSION = 1
# The plan's parts are kept as the forms saved them; the summary names each the way the plan's pages do.
PLAN_FIELD_WORDS = {
    "important": _l("What is important to me"),
    "good_day": _l("A good day"),
    "strengths": _l("What I am good at"),
    "circle": _l("People who support me"),
    "method": _l("How the budget will be managed"),
    "risks": _l("What could go wrong"),
    "plan": _l("What I will do"),
    "contacts": _l("Who to call in an emergency"),
}


def _when(value: date | datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(amount: int | None) -> dict[str, Any] | None:
    """Pence for a computer, pounds for a person: both, so neither has to work out the other."""
    return {"pence": amount, "pounds": pence(amount)} if amount is not None else None


def _who(user) -> dict[str, str] | None:
    """Who did something: their name and role, never their email or account number."""
    return {"name": user.full_name, "role": user.role.value} if user is not None else None


def your_data(records: PersonRecords, made_at: datetime) -> dict[str, Any]:
    user = records.user
    return {
        "format": "choice-and-control/your-data",
        "format_version": FORMAT_VERSION,
        "made_at": made_at.isoformat(),
        "council": current_app.config["COUNCIL_NAME"],
        "account": {
            "full_name": user.full_name,
            "email": user.email,
            "role": user.role.value,
            "created_at": _when(user.created_at),
            "last_signed_in_at": _when(user.last_signed_in_at),
            "settings": {
                "language": user.locale,
                "contact_method": user.contact_method,
                "phone": user.phone,
                "reminders_by_email": user.reminders_by_email,
                "text_size": user.text_size,
                "high_contrast": user.high_contrast,
            },
        },
        "signed_in_sessions": [
            {
                "device": row.device,
                "started_at": _when(row.created_at),
                "last_seen_at": _when(row.last_seen_at),
                "ended_at": _when(row.ended_at),
            }
            for row in records.sessions
        ],
        "people_who_help_you": [_representation(link, link.representative) for link in records.helpers],
        # About the people they help, a helper's own copy holds only their part: not why the council recorded
        # them (which can say why someone cannot consent), and not the other person's record.
        "people_you_help": [_representation(link, link.person, theirs=False) for link in records.helping],
        "invitations": [
            {
                "helper_name": row.helper_name,
                "email": row.email,
                "relationship": row.relationship_to_person,
                "permissions": list(row.permissions),
                "created_at": _when(row.created_at),
                "expires_at": _when(row.expires_at),
                "accepted_at": _when(row.accepted_at),
                "cancelled_at": _when(row.cancelled_at),
            }
            for row in records.invitations
        ],
        "assessments": [_assessment(row) for row in records.assessments],
        "indicative_budgets": [_budget(row) for row in records.budgets],
        "support_plans": [_plan(row) for row in records.plans],
        "budget_account": _account(records),
        "emails": [
            {
                "to": row.to_address,
                "subject": row.subject,
                "body": row.body,
                "created_at": _when(row.created_at),
                "sent_at": _when(row.sent_at),
            }
            for row in records.emails
        ],
        "audit_log": [
            {
                "at": _when(event.at),
                "action": event.action,
                "what_happened": wording.what_happened(
                    event.action, event.detail, to_person=True, questionnaire=current_content().questionnaire
                ),
                "by": _who(event.actor),
                "detail": event.detail,
            }
            for event in records.audit_events
        ],
    }


def _representation(link, other, theirs: bool = True) -> dict[str, Any]:
    return {
        "name": other.full_name,
        "relationship": link.relationship_to_person,
        "permissions": list(link.permissions),
        "legal_basis": link.legal_basis if theirs else None,
        "basis_reason": link.basis_reason if theirs else None,
        "started_at": _when(link.created_at),
        "changed_at": _when(link.changed_at),
        "ended_at": _when(link.ended_at),
    }


def _assessment(row) -> dict[str, Any]:
    questionnaire = current_content().questionnaire
    answers = []
    for answer in row.answers:
        question = questionnaire.question(answer.question_id)
        option = question.option(answer.value) if question is not None else None
        answers.append(
            {
                "question_id": answer.question_id,
                "question": translate(question.text) if question is not None else None,
                "answer": answer.value,
                "answer_text": translate(option.label) if option is not None else answer.value,
                "version": answer.version,
                "answered_at": _when(answer.answered_at),
                "answered_by": _who(answer.answered_by),
            }
        )
    return {
        "id": row.id,
        "status": row.status.value,
        "questionnaire_version": row.questionnaire_version,
        "started_at": _when(row.started_at),
        "submitted_at": _when(row.submitted_at),
        "submitted_by": _who(row.submitted_by),
        "who_helped": row.who_helped,
        "helper_name": row.helper_name,
        "answers": answers,
    }


def _budget(row) -> dict[str, Any]:
    return {
        "id": row.id,
        "assessment_id": row.assessment_id,
        "issued_at": _when(row.issued_at),
        "eligible": row.eligible,
        "annual": _money(row.annual_pence),
        "ras_version": row.ras_id,
        "working": row.working,
        "decisions": [
            {
                "kind": decision.kind.value,
                "annual": _money(decision.annual_pence),
                "reason": decision.reason,
                "decided_at": _when(decision.decided_at),
                "decided_by": _who(decision.decided_by),
            }
            for decision in row.decisions
        ],
        "review_requests": [
            {
                "reason": review.reason,
                "what_is_needed": review.what_is_needed,
                "status": review.status.value,
                "requested_at": _when(review.requested_at),
                "requested_by": _who(review.requested_by),
            }
            for review in row.review_requests
        ],
    }


def _plan(row) -> dict[str, Any]:
    return {
        "version": row.version,
        "status": row.status,
        "created_at": _when(row.created_at),
        "updated_at": _when(row.updated_at),
        "updated_by": _who(row.updated_by),
        "submitted_at": _when(row.submitted_at),
        "approved_at": _when(row.approved_at),
        "about_me": row.about_me or {},
        "need_reasons": row.need_reasons or {},
        "management": row.management or {},
        "staying_safe": row.staying_safe or {},
        "who_helped": row.who_helped,
        "helper_name": row.helper_name,
        "consent_to_share": row.consent_to_share,
        "over_budget_reason": row.over_budget_reason,
        "final_budget": _money(row.final_budget_pence),
        "outcomes": [
            {"what": outcome.what, "how_we_know": outcome.how_we_know, "needs": list(outcome.needs)}
            for outcome in row.outcomes
        ],
        "items": [
            {
                "description": item.description,
                "unit": item.unit_label,
                "unit_price": _money(item.unit_pence),
                "quantity": f"{item.quantity_hundredths / 100:g}",
                "frequency": item.frequency,
                "management": item.management,
                "directory_service": item.service_oruk_id,
                "added_by": _who(item.added_by),
            }
            for item in row.items
        ],
        "decisions": [
            {
                "action": decision.action,
                "final_budget": _money(decision.final_budget_pence),
                "reason": decision.reason,
                "comments": decision.comments,
                "decided_at": _when(decision.decided_at),
                "decided_by": _who(decision.decided_by),
            }
            for decision in row.decisions
        ],
    }


def receipt_name(receipt) -> str:
    return f"receipts/{receipt.id}-{receipt.download_name}"


def statement_name(upload) -> str:
    # The name is whatever the uploader's computer called it: nothing in it may climb out of the folder when unzipped.
    safe = re.sub(r"[^\w.-]+", "_", upload.filename).lstrip(".") or "statement.csv"
    return f"statements/{upload.id}-{safe}"


def _account(records: PersonRecords) -> dict[str, Any] | None:
    account = records.account
    if account is None:
        return None
    return {
        "starts_on": _when(account.starts_on),
        "opened_at": _when(account.opened_at),
        "annual": _money(account.annual_pence),
        "payment_frequency": account.payment_frequency,
        "weekly_contribution": _money(account.weekly_contribution_pence),
        "contribution_method": account.contribution_method,
        "contribution_from": _when(account.contribution_from),
        "plan_version": account.plan.version,
        "ledger_entries": [
            {
                "id": row.id,
                "kind": row.kind,
                "occurred_on": _when(row.occurred_on),
                "amount": _money(row.amount_pence),
                "payee": row.payee,
                "description": row.description,
                "plan_item": row.plan_item.description if row.plan_item else None,
                "other_reason": row.other_reason,
                "payment_method": row.payment_method,
                "note": row.note,
                "receipt": receipt_name(row.receipt) if row.receipt else None,
                "corrects_entry": row.reverses_id,
                "correction_reason": row.correction_reason,
                "contribution": _money(row.contribution_pence),
                "recorded_at": _when(row.created_at),
                "recorded_by": _who(row.created_by),
            }
            for row in records.entries
        ],
        "commitments": [
            {
                "description": row.description,
                "amount": _money(row.amount_pence),
                "due_on": _when(row.due_on),
                "status": row.status,
                "created_at": _when(row.created_at),
                "closed_at": _when(row.closed_at),
            }
            for row in records.commitments
        ],
        "personal_assistants": [
            {
                "name": assistant.name,
                "plan_item": assistant.plan_item.description,
                "hours_pattern": assistant.hours_pattern,
                "usual_weekly_hours": (
                    f"{assistant.usual_weekly_hundredths / 100:g}"
                    if assistant.usual_weekly_hundredths is not None
                    else None
                ),
                "timesheets": [
                    {
                        "week_start": _when(sheet.week_start),
                        "hours": sheet.hours,
                        "rate": _money(sheet.rate_pence),
                        "updated_at": _when(sheet.updated_at),
                    }
                    for sheet in sheets
                ],
            }
            for assistant, sheets in records.assistants
        ],
        "statement_imports": [
            {
                "filename": upload.filename,
                "status": upload.status,
                "uploaded_at": _when(upload.uploaded_at),
                "imported_at": _when(upload.imported_at),
                "file": statement_name(upload),
            }
            for upload in records.statement_imports
        ],
        "returns": [
            {
                "starts_on": _when(sent.starts_on),
                "ends_on": _when(sent.ends_on),
                "summary": sent.summary,
                "declared_by": sent.declared_by_name,
                "status": sent.status,
                "sent_at": _when(sent.sent_at),
                "reviewed_at": _when(sent.reviewed_at),
                "messages": [
                    {
                        "from_council": message.from_council,
                        "text": message.text,
                        "written_at": _when(message.written_at),
                        "written_by": _who(message.written_by),
                    }
                    for message in sent.messages
                ],
            }
            for sent in records.returns
        ],
        "reviews": [
            {"held_on": _when(review.held_on), "note": review.note, "recorded_at": _when(review.recorded_at)}
            for review in records.reviews
        ],
        "receipts": [
            {
                "name": receipt.download_name,
                "content_type": receipt.content_type,
                "size_bytes": receipt.size_bytes,
                "sha256": receipt.sha256,
                "uploaded_at": _when(receipt.uploaded_at),
                # None once the file itself has gone: its retention passed, or it was lost.
                "file": receipt_name(receipt) if data_rights.receipt_file(receipt) is not None else None,
            }
            for receipt in records.receipts
        ],
    }


def _shown(value: str | None) -> str | None:
    """An ISO date or time from data.json, as the summary shows it to a person."""
    if not value:
        return None
    return date_and_time(datetime.fromisoformat(value)) if "T" in value else long_date(date.fromisoformat(value))


def _as_json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def summary_html(exported: dict[str, Any]) -> str:
    return render_template(
        "data_rights/summary.html",
        export=exported,
        shown=_shown,
        as_json=_as_json,
        field_label=lambda key: PLAN_FIELD_WORDS.get(key, key),
    )


def zip_of(records: PersonRecords, made_at: datetime):
    """The whole download, built in a temporary file that moves to disk past 8MB (years of receipts add up)."""
    exported = your_data(records, made_at)
    buffer = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as pack:
        pack.writestr("data.json", json.dumps(exported, indent=2, ensure_ascii=False) + "\n")
        pack.writestr("summary.html", summary_html(exported))
        for receipt in records.receipts:
            stored = data_rights.receipt_file(receipt)
            if stored is not None:
                pack.write(stored, receipt_name(receipt))
        for upload in records.statement_imports:
            pack.writestr(statement_name(upload), upload.content)
    buffer.seek(0)
    return buffer
