from flask import Blueprint, Response, redirect, render_template, request, url_for
from flask_babel import format_number, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal.audit import wording
from portal.audit.forms import AuditSearchForm, HistoryFilterForm
from portal.data import audit
from portal.directory.presenting import pagination
from portal.domain import audit_trail
from portal.people import current_content
from portal.timekeeping import today

bp = Blueprint("audit", __name__, template_folder="templates")

HISTORY_PER_PAGE = 25
SEARCH_PER_PAGE = 50
EXPORT_MOST = 100_000  # a year of a busy council's log; narrower searches for more


def _page_number() -> int:
    page = request.args.get("page", "")
    return int(page) if page.isdigit() and len(page) < 7 else 1


def _page_url(endpoint: str):
    return lambda page: url_for(endpoint, **{**request.args.to_dict(flat=False), "page": page})


@bp.route("/account/record-history")
def record_history():
    form = HistoryFilterForm(formdata=request.args)
    found = events = None
    if form.validate():
        group = form.group()
        starts_at, ends_before = audit_trail.search_window(form.since.data, form.until.data)
        chosen = audit.EventFilter(
            person_id=current_user.id,
            actions=wording.actions_of(audit_trail.PERSON_GROUPS[group]) if group else None,
            starts_at=starts_at,
            ends_before=ends_before,
        )
        found = audit.find_events(chosen, _page_number(), HISTORY_PER_PAGE)
        questionnaire = current_content().questionnaire
        events = [
            {
                "at": event.at,
                "who": wording.who_to_person(event.actor, current_user.id, wording.kind_of(event.action)),
                "what": wording.what_happened(event.action, event.detail, to_person=True, questionnaire=questionnaire),
            }
            for event in found.events
        ]
    return render_template(
        "audit/record_history.html",
        form=form,
        found=found,
        events=events,
        filtered=any(key != "page" for key in request.args),
        pagination=pagination(found, _page_url("audit.record_history")) if found else None,
    )


def _search_filter(form: AuditSearchForm) -> audit.EventFilter:
    kind = form.chosen_kind()
    starts_at, ends_before = audit_trail.search_window(form.since.data, form.until.data)
    return audit.EventFilter(
        person_text=(form.person.data or "").strip(),
        actor_text=(form.actor.data or "").strip(),
        actions=wording.actions_of({kind}) if kind else None,
        starts_at=starts_at,
        ends_before=ends_before,
    )


def _searched_for(form: AuditSearchForm) -> dict[str, object]:
    """What was asked, as the audit log's own record of the search."""
    asked = {
        "whose_record": (form.person.data or "").strip(),
        "done_by": (form.actor.data or "").strip(),
        "kind": form.kind.data or "",
        "since": form.since.data.isoformat() if form.since.data else "",
        "until": form.until.data.isoformat() if form.until.data else "",
    }
    return {key: value for key, value in asked.items() if value}


def _row(event, questionnaire) -> dict[str, object]:
    kind = wording.kind_of(event.action)
    return {
        "id": event.id,
        "at": event.at,
        "actor": event.actor,
        "who": wording.who_to_staff(event.actor, kind),
        "person": event.person,
        "what": wording.what_happened(event.action, event.detail, to_person=False, questionnaire=questionnaire),
        "action": event.action,
        "detail": wording.detail_rows(event.detail),
        "raw_detail": event.detail,
    }


@bp.route("/staff/audit")
def search():
    form = AuditSearchForm(formdata=request.args)
    found = rows = None
    if form.validate():
        chosen = _search_filter(form)
        found = audit.find_events(chosen, _page_number(), SEARCH_PER_PAGE)
        questionnaire = current_content().questionnaire
        rows = [_row(event, questionnaire) for event in found.events]
        # Written after the search, so a search never finds itself.
        audit.record_audit_use(
            current_user,
            "audit.searched",
            audit.only_person_matching(chosen.person_text),
            **_searched_for(form),
            page=found.page,
            results=found.total,
        )
    return render_template(
        "audit/search.html",
        form=form,
        found=found,
        rows=rows,
        count_text=ngettext("%(num)d event found", "%(num)d events found", found.total) if found else "",
        export_url=url_for("audit.search_csv", **request.args.to_dict(flat=False)),
        export_most=EXPORT_MOST,
        export_most_text=format_number(EXPORT_MOST),
        pagination=pagination(found, _page_url("audit.search")) if found else None,
    )


@bp.route("/staff/audit.csv")
def search_csv():
    form = AuditSearchForm(formdata=request.args)
    if not form.validate():
        # The search page shows what is wrong with it; a spreadsheet could not.
        return redirect(url_for("audit.search", **request.args.to_dict(flat=False)))
    chosen = _search_filter(form)
    events = audit.events_to_export(chosen, EXPORT_MOST)
    questionnaire = current_content().questionnaire
    body = audit_trail.audit_csv(
        [
            _("When"),
            _("Who"),
            _("Who: email"),
            _("Who: role"),
            _("Whose record"),
            _("Whose record: email"),
            _("What happened"),
            _("Action code"),
            _("Detail"),
        ],
        [_csv_row(_row(event, questionnaire)) for event in events],
    )
    audit.record_audit_use(
        current_user,
        "audit.exported",
        audit.only_person_matching(chosen.person_text),
        **_searched_for(form),
        rows=len(events),
    )
    name = f"audit-log-{today().isoformat()}.csv"
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _csv_row(row: dict) -> list[object]:
    actor, person = row["actor"], row["person"]
    return [
        row["at"].astimezone(audit_trail.LONDON).isoformat(timespec="seconds"),
        actor.full_name if actor else row["who"],
        actor.email if actor else "",
        wording.ROLE_NAMES[actor.role] if actor else "",
        person.full_name if person else "",
        person.email if person else "",
        row["what"],
        row["action"],
        row["raw_detail"],
    ]
