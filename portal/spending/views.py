import functools
from datetime import date, timedelta

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from portal.data import budget_accounts
from portal.domain import budget_account as rules
from portal.domain import ledger
from portal.domain import statement_import as statements
from portal.domain.pa_pay import DAYS, copy_last_week, hours_text
from portal.domain.receipts import ReceiptProblem, ReceiptType, check_receipt
from portal.i18n import pence
from portal.people import current_content, record_holder
from portal.spending import documents, forms
from portal.spending.imports import import_preview, mapping_from_form, mapping_to_dict
from portal.spending.presenting import account_picture, chart, entry_purpose, facts_for, items_by_id, plan_items
from portal.spending.receipts import send_receipt
from portal.spending.timesheets import assistant_summary, monday_of, pa_items, week_of
from portal.staff.forms import CONTRIBUTION_METHODS
from portal.timekeeping import today

bp = Blueprint("spending", __name__, template_folder="templates", url_prefix="/people/<int:person_id>/budget-account")

RECEIPT_PROBLEMS = {
    ReceiptProblem.EMPTY: _l("The selected file is empty"),
    ReceiptProblem.TOO_LARGE: _l("The selected file must be smaller than %(size)s"),
    ReceiptProblem.NOT_ALLOWED_TYPE: _l("The selected file must be a JPG, PNG or PDF"),
    ReceiptProblem.DAMAGED: _l("The selected file is damaged or incomplete: try saving or scanning it again"),
}


def file_size(size: int) -> str:
    """A size limit in words people know: 10MB, 500KB."""
    megabytes, rest = divmod(size, 1024 * 1024)
    return f"{megabytes}MB" if megabytes and not rest else f"{size // 1024}KB"


STATEMENT_MAX_BYTES = 2 * 1024 * 1024


def with_account(view):
    """Account pages need an account: before a plan is approved there is none, and the overview says so."""

    @functools.wraps(view)
    def wrapped(person_id, **kwargs):
        account = budget_accounts.account_for(person_id)
        if account is None:
            if view.__name__ == "account":
                return render_template("spending/no_account.html", person=record_holder(person_id))
            return redirect(url_for("spending.account", person_id=person_id))
        # Every page, download and return sees the council's payments that have fallen due.
        budget_accounts.post_due_payments(account, today())
        return view(person_id, account, **kwargs)

    return wrapped


def _context(person_id, account, **extra):
    limit = file_size(current_content().monitoring.receipt_max_bytes)
    return {"person": record_holder(person_id), "account": account, "receipt_limit": limit, **extra}


def _item_choices(account, other: bool = True) -> list[SelectChoice]:
    choices = [SelectChoice(key, item.description) for key, item in items_by_id(account).items()]
    if other:
        choices.append(SelectChoice(forms.OTHER, _("Something else, not in my plan")))
    return choices


def _after_opening(account, field) -> bool:
    """Money in or out of the account can only be from the day it opened: before then there was no account."""
    if field.data is not None and field.data < account.starts_on:
        field.errors = [*field.errors, _("The date must be on or after %(date)s, when your budget account opened",
                                         date=_long(account.starts_on))]  # fmt: skip
        return False
    return True


def _receipt_from(form_field) -> tuple[bytes, ReceiptType] | None:
    """The uploaded receipt, checked by its content; a problem goes on the field and None comes back."""
    upload = form_field.data
    if upload is None or not getattr(upload, "filename", ""):
        return None
    content = upload.read(current_content().monitoring.receipt_max_bytes + 1)
    upload.close()
    found = check_receipt(content, current_content().monitoring.receipt_max_bytes)
    if isinstance(found, ReceiptProblem):
        limit = file_size(current_content().monitoring.receipt_max_bytes)
        form_field.errors = [*form_field.errors, str(RECEIPT_PROBLEMS[found]) % {"size": limit}]
        return None
    return content, found


@bp.route("")
@with_account
def account(person_id, account):
    picture = account_picture(account, today())
    return render_template(
        "spending/account.html", **_context(person_id, account), picture=picture, chart=chart(picture["by_period"])
    )


@bp.route("/payments")
@with_account
def payments(person_id, account):
    picture = account_picture(account, today())
    posted = {row.schedule_number for row in picture["rows"] if row.schedule_number}
    methods = {choice.value: choice.label for choice in CONTRIBUTION_METHODS}
    return render_template(
        "spending/payments.html", **_context(person_id, account), picture=picture, posted=posted,
        contribution_methods=methods,
    )  # fmt: skip


@bp.route("/records")
@with_account
def records(person_id, account):
    rows = budget_accounts.entries(account)
    items = plan_items(account)
    shown = [(row, entry_purpose(row, items)) for row in reversed(rows)]
    return render_template(
        "spending/records.html",
        **_context(person_id, account),
        shown=shown,
        corrected=budget_accounts.corrections_of(rows),
        totals=ledger.totals(budget_accounts.as_domain(rows)),
    )


@bp.route("/spending/new", methods=["GET", "POST"])
@with_account
def record_spending(person_id, account):
    form = forms.SpendingForm()
    form.plan_item.choices = _item_choices(account)
    status = 200
    if form.validate_on_submit() and _after_opening(account, form.occurred_on):
        receipt = _receipt_from(form.receipt)
        if not form.receipt.errors:
            new = budget_accounts.NewEntry(
                kind=ledger.EntryKind.SPENDING,
                occurred_on=form.occurred_on.data,
                amount_pence=form.amount.pence,
                payee=form.payee.data.strip(),
                plan_item_id=None if form.plan_item.data == forms.OTHER else int(form.plan_item.data),
                other_reason=(form.other_reason.data or "").strip() or None,
                payment_method=form.payment_method.data,
                note=(form.note.data or "").strip() or None,
                request_token=form.once.data,
            )
            if _save_with_receipt(account, new, receipt, form.receipt):
                flash(_("Your spending of %(amount)s has been recorded.", amount=pence(new.amount_pence)), "success")
                return redirect(url_for("spending.account", person_id=person_id))
            status = 503  # the receipt could not be written (a full disk): the form again, as it was filled in
    return render_template("spending/record_spending.html", **_context(person_id, account), form=form), status


def _save_with_receipt(account, new, receipt, field) -> bool:
    """The receipt's file and the entry are saved together, or neither: a failed write leaves nothing behind.

    The same form sent twice (a double press, a resend) is recorded once; the second receipt is not kept.
    """
    stored = None
    try:
        if receipt is not None:
            stored = budget_accounts.store_receipt(account, receipt[0], receipt[1], field.data.filename, current_user)
        if not budget_accounts.record_entry(account, new, current_user, stored) and stored is not None:
            budget_accounts.forget_unsaved_receipt(stored)
    except OSError:
        if stored is not None:
            budget_accounts.forget_unsaved_receipt(stored)
        _receipt_not_written(
            field,
            _(
                "The receipt could not be saved, so nothing has been recorded. Try again, or record the spending "
                "without the receipt and add the receipt later."
            ),
        )
        return False
    except Exception:
        if stored is not None:
            budget_accounts.forget_unsaved_receipt(stored)
        raise
    return True


def _receipt_not_written(field, message: str) -> None:
    # A full disk or a failing one: the person is told on the form; whoever runs the service must hear of it too.
    current_app.logger.error("a receipt could not be written to RECEIPTS_DIR", exc_info=True)
    field.errors = [*field.errors, message]


@bp.route("/money-in/new", methods=["GET", "POST"])
@with_account
def money_in(person_id, account):
    form = forms.MoneyInForm()
    if form.validate_on_submit() and _after_opening(account, form.occurred_on):
        new = budget_accounts.NewEntry(
            kind=ledger.EntryKind(form.kind.data),
            occurred_on=form.occurred_on.data,
            amount_pence=form.amount.pence,
            payee=(form.payee.data or "").strip(),
            note=(form.note.data or "").strip() or None,
            request_token=form.once.data,
        )
        budget_accounts.record_entry(account, new, current_user)
        flash(_("%(amount)s paid in has been recorded.", amount=pence(new.amount_pence)), "success")
        return redirect(url_for("spending.account", person_id=person_id))
    return render_template("spending/money_in.html", **_context(person_id, account), form=form)


def _entry_or_404(account, entry_id):
    entry = budget_accounts.get_entry(account, entry_id)
    if entry is None:
        abort(404)
    return entry


@bp.route("/records/<int:entry_id>", methods=["GET", "POST"])
@with_account
def entry(person_id, account, entry_id):
    row = _entry_or_404(account, entry_id)
    form = forms.ReceiptForm()
    rows = budget_accounts.entries(account)
    corrected_by = budget_accounts.corrections_of(rows).get(row.id)
    takes_receipt = row.kind == ledger.EntryKind.SPENDING and not row.reverses_id and corrected_by is None
    status = 200
    if row.receipt_id is None and takes_receipt and form.validate_on_submit():
        receipt = _receipt_from(form.receipt)
        if receipt is None and not form.receipt.errors:
            form.receipt.errors = [_("Select a receipt to upload")]
        if receipt is not None:
            if _add_receipt(account, row, receipt, form.receipt):
                return redirect(url_for("spending.entry", person_id=person_id, entry_id=entry_id))
            status = 503
    return render_template(
        "spending/entry.html",
        **_context(person_id, account),
        row=row,
        purpose=entry_purpose(row, plan_items(account)),
        corrected_by=corrected_by,
        form=form if form.errors else None,
        receipt_form=form,
    ), status


def _add_receipt(account, row, receipt, field) -> bool:
    """A receipt found later: its file and its place on the entry are saved together, or neither."""
    try:
        stored = budget_accounts.store_receipt(account, receipt[0], receipt[1], field.data.filename, current_user)
    except OSError:
        _receipt_not_written(field, _("The receipt could not be saved, so nothing has changed. Try again later."))
        return False
    try:
        attached = budget_accounts.attach_receipt(account, row, stored, current_user)
    except Exception:
        budget_accounts.forget_unsaved_receipt(stored)
        raise
    if attached:
        flash(_("The receipt has been added."), "success")
    else:
        flash(_("A receipt was added to this entry a moment ago, so yours was not kept."))
    return True


@bp.route("/records/<int:entry_id>/correct", methods=["GET", "POST"])
@with_account
def correct(person_id, account, entry_id):
    row = _entry_or_404(account, entry_id)
    if row.kind == ledger.EntryKind.COUNCIL_PAYMENT:
        abort(404)  # the council's own payments are put right by the council, not from the person's records
    form = forms.CorrectionForm()
    if form.validate_on_submit():
        refused = budget_accounts.correct_entry(account, row, form.reason.data.strip(), current_user, today())
        if refused is None:
            flash(_("The entry has been corrected. If the right figures are different, record them now."), "success")
            return redirect(url_for("spending.records", person_id=person_id))
        flash(_("This entry has already been corrected, or is itself a correction, so it cannot be corrected again."))
        return redirect(url_for("spending.entry", person_id=person_id, entry_id=entry_id))
    return render_template(
        "spending/correct.html",
        **_context(person_id, account),
        form=form,
        row=row,
        purpose=entry_purpose(row, plan_items(account)),
    )


@bp.route("/receipts/<int:receipt_id>")
@with_account
def receipt(person_id, account, receipt_id):
    found = budget_accounts.get_receipt(account, receipt_id)
    if found is None:
        abort(404)
    return send_receipt(found)


@bp.route("/commitments", methods=["GET", "POST"])
@with_account
def commitments(person_id, account):
    form = forms.CommitmentForm()
    form.plan_item.choices = [SelectChoice("", _("Not part of the plan")), *_item_choices(account, other=False)]
    if form.validate_on_submit():
        item = form.plan_item.data if form.plan_item.data in items_by_id(account) else None
        budget_accounts.add_commitment(
            account, form.description.data.strip(), form.amount.pence, form.due_on.data, int(item) if item else None,
            current_user,
        )  # fmt: skip
        flash(_("The money is now shown as committed."), "success")
        return redirect(url_for("spending.commitments", person_id=person_id))
    return render_template(
        "spending/commitments.html",
        **_context(person_id, account),
        form=form,
        open_commitments=budget_accounts.commitments(account),
        close_form=forms.CloseCommitmentForm(),
    )


@bp.route("/commitments/<int:commitment_id>/close", methods=["POST"])
@with_account
def close_commitment(person_id, account, commitment_id):
    form = forms.CloseCommitmentForm()
    if form.validate_on_submit() and form.how.data in ("paid", "cancelled"):
        if budget_accounts.close_commitment(account, commitment_id, form.how.data, current_user):
            if form.how.data == "paid":
                flash(_("Now record the payment, so it shows in your spending."), "success")
                return redirect(url_for("spending.record_spending", person_id=person_id))
            flash(_("The commitment has been cancelled."), "success")
    return redirect(url_for("spending.commitments", person_id=person_id))


# ---- statement import ---------------------------------------------------------------------------------------------


@bp.route("/import", methods=["GET", "POST"])
@with_account
def import_statement(person_id, account):
    form = forms.StatementUploadForm()
    problem = None
    if form.validate_on_submit():
        upload = form.statement.data
        if upload is None or not getattr(upload, "filename", ""):
            form.statement.errors = [_("Select a statement to upload")]
        else:
            content = upload.read(STATEMENT_MAX_BYTES + 1)
            upload.close()
            try:
                if len(content) > STATEMENT_MAX_BYTES:
                    raise statements.StatementError(statements.StatementErrorCode.TOO_MANY_LINES, None)
                raw = statements.read_statement(content, current_content().monitoring.statement_max_lines)
            except statements.StatementError as error:
                problem = error
                form.statement.errors = [documents.statement_error_text(error)]
            else:
                guessed = statements.guess_mapping(raw.headers)
                mapping = {**mapping_to_dict(guessed), "source": form.source.data}
                saved = budget_accounts.start_import(account, upload.filename, content, mapping, current_user)
                return redirect(url_for("spending.import_preview_page", person_id=person_id, import_id=saved.id))
    return render_template("spending/import.html", **_context(person_id, account), form=form, problem=problem)


@bp.route("/import/<int:import_id>", methods=["GET", "POST"])
@with_account
def import_preview_page(person_id, account, import_id):
    upload = budget_accounts.get_import(account, import_id)
    if upload is None:
        abort(404)
    if upload.status != "preview":
        flash(_("This statement has already been imported."))
        return redirect(url_for("spending.records", person_id=person_id))
    form = forms.ConfirmImportForm()
    raw = statements.read_statement(upload.content, current_content().monitoring.statement_max_lines)
    answers = None
    latest = budget_accounts.latest_entry_id(account)
    if form.validate_on_submit():
        mapping = mapping_from_form(request.form, len(raw.headers), upload.mapping.get("source", "bank"))
        if form.remap.data or mapping != upload.mapping:
            budget_accounts.save_import_mapping(upload, mapping)
        elif request.form.get("seen") != str(latest):
            # Records were added since this preview was made (another tab, another statement): check it again.
            flash(_("Your records have changed since you opened this page. Check the lines again, then import them."))
        else:
            preview = import_preview(account, raw, mapping, request.form)
            if preview["clean"] and budget_accounts.confirm_import(account, upload, preview["to_import"], current_user):
                added = len(preview["to_import"])
                flash(ngettext("%(num)d line has been added to your records.",
                               "%(num)d lines have been added to your records.", added), "success")  # fmt: skip
                return redirect(url_for("spending.records", person_id=person_id))
            if budget_accounts.get_import(account, import_id).status != "preview":
                flash(_("This statement has already been imported."))
                return redirect(url_for("spending.records", person_id=person_id))
            flash(_("Nothing has been imported. Check the lines below."))
            answers = request.form
    preview = import_preview(account, raw, upload.mapping, answers)
    return render_template(
        "spending/import_preview.html",
        **_context(person_id, account),
        upload=upload,
        raw=raw,
        preview=preview,
        form=None,
        confirm_form=form,
        item_choices=_item_choices(account),
        seen=latest,
    )


# ---- personal assistants ------------------------------------------------------------------------------------------


@bp.route("/assistants")
@with_account
def assistants(person_id, account):
    return render_template(
        "spending/assistants.html",
        **_context(person_id, account),
        summaries=[assistant_summary(account, item, today()) for item in pa_items(account)],
    )


@bp.route("/assistants/<int:item_id>", methods=["GET", "POST"])
@with_account
def assistant(person_id, account, item_id):
    item = next((i for i in pa_items(account) if i.id == item_id), None)
    if item is None:
        abort(404)
    existing = next((a for a in budget_accounts.assistants(account) if a.plan_item_id == item.id), None)
    data = {}
    if existing:
        usual = existing.usual_weekly_hundredths
        data = {"name": existing.name, "hours_pattern": existing.hours_pattern,
                "usual_hours": hours_text(usual) if usual else ""}  # fmt: skip
    form = forms.AssistantForm(data=data)
    if form.validate_on_submit():
        budget_accounts.set_up_assistant(
            account, item, form.name.data.strip(), form.hours_pattern.data, form.usual_hundredths, current_user
        )
        return redirect(url_for("spending.assistants", person_id=person_id))
    return render_template("spending/assistant.html", **_context(person_id, account), form=form, item=item)


@bp.route("/assistants/<int:assistant_id>/weeks/<week>", methods=["GET", "POST"])
@with_account
def timesheet(person_id, account, assistant_id, week):
    found = budget_accounts.get_assistant(account, assistant_id)
    week_start = week_of(week)
    # Only weeks the account has been open for, up to this one: no timesheets for the future or before the start.
    if found is None or week_start is None or not monday_of(account.starts_on) <= week_start <= monday_of(today()):
        abort(404)
    sheet = budget_accounts.get_timesheet(found, week_start)
    previous = budget_accounts.get_timesheet(found, week_start - timedelta(weeks=1))
    rate = found.plan_item.unit_pence
    data = {"revision": str(sheet.revision) if sheet else "0"}
    copying = request.args.get("copy") == "last-week" and previous is not None and sheet is None
    source = copy_last_week(documents.as_timesheet(previous), week_start) if copying else sheet
    for day, hours in zip(DAYS, (source.hours if source else [0] * 7), strict=True):
        data[day] = hours_text(hours) if hours else ""
    form = forms.TimesheetForm(data=data)
    if form.validate_on_submit():
        if budget_accounts.save_timesheet(
            account, found, week_start, form.hours, rate, form.seen_revision(), current_user
        ):
            flash(_("The timesheet for the week starting %(date)s has been saved.", date=_long(week_start)), "success")
            return redirect(url_for("spending.assistants", person_id=person_id))
        flash(_("Someone saved this timesheet after you opened it. Check the hours and save again."))
        return redirect(url_for("spending.timesheet", person_id=person_id, assistant_id=assistant_id, week=week))
    return render_template(
        "spending/timesheet.html",
        **_context(person_id, account),
        form=form,
        assistant=found,
        week_start=week_start,
        rate=rate,
        can_copy=previous is not None and sheet is None and not copying,
        day_fields=[getattr(form, day) for day in DAYS],
        earlier=(week_start - timedelta(weeks=1)).isoformat(),
        later=(week_start + timedelta(weeks=1)).isoformat() if week_start < monday_of(today()) else None,
        earliest=week_start <= monday_of(account.starts_on),
    )


def _long(value: date) -> str:
    from portal.i18n import long_date

    return long_date(value)


@bp.route("/assistants/<int:assistant_id>/payroll.csv")
@with_account
def payroll(person_id, account, assistant_id):
    found = budget_accounts.get_assistant(account, assistant_id)
    if found is None:
        abort(404)
    body = documents.payroll_export(found, budget_accounts.timesheets(found))
    return _download(body, "text/csv; charset=utf-8", f"timesheets-{found.id}.csv")


def _download(body, mimetype: str, filename: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{filename}"'})


# ---- statements, returns, evidence --------------------------------------------------------------------------------


def _chosen_period(account) -> tuple[str, rules.Period, list[tuple[str, str, rules.Period]]]:
    choices = documents.statement_periods(account, today())
    chosen = request.args.get("period") or choices[0][0]
    found = next((c for c in choices if c[0] == chosen), None)
    if found is None:
        abort(404)
    return chosen, found[2], choices


@bp.route("/statement")
@with_account
def statement(person_id, account):
    chosen, period, choices = _chosen_period(account)
    form = forms.StatementPeriodForm(request.args, meta={"csrf": False})
    form.period.choices = [SelectChoice(key, label) for key, label, _p in choices]
    form.period.data = chosen
    return render_template(
        "spending/statement.html",
        **_context(person_id, account),
        period_form=form,
        chosen=chosen,
        shown=documents.statement_for(account, period),
    )


@bp.route("/statement.csv")
@with_account
def statement_csv(person_id, account):
    chosen, period, _choices = _chosen_period(account)
    body = documents.statement_csv(documents.statement_for(account, period))
    return _download(body, "text/csv; charset=utf-8", f"statement-{period.starts_on}-{period.ends_on}.csv")


@bp.route("/statement.pdf")
@with_account
def statement_pdf(person_id, account):
    chosen, period, _choices = _chosen_period(account)
    body = documents.statement_pdf(documents.statement_for(account, period), record_holder(person_id).full_name)
    return _download(body, "application/pdf", f"statement-{period.starts_on}-{period.ends_on}.pdf")


@bp.route("/evidence.zip")
@with_account
def evidence_pack(person_id, account):
    chosen, period, _choices = _chosen_period(account)
    pack = documents.evidence_zip(account, period, record_holder(person_id).full_name)
    name = f"evidence-{period.starts_on}-{period.ends_on}.zip"
    return send_file(pack, mimetype="application/zip", as_attachment=True, download_name=name, max_age=0)


@bp.route("/returns")
@with_account
def returns(person_id, account):
    return render_template(
        "spending/returns.html", **_context(person_id, account), sent=budget_accounts.returns(account)
    )


@bp.route("/returns/new", methods=["GET", "POST"])
@with_account
def send_return(person_id, account):
    monitoring = budget_accounts.monitoring_rules()
    sent = {(r.starts_on, r.ends_on) for r in budget_accounts.returns(account)}
    open_periods = [
        p for p in rules.return_periods(account.starts_on, monitoring, today()) if (p.starts_on, p.ends_on) not in sent
    ]
    form = forms.SendReturnForm()
    form.period.choices = [SelectChoice(p.starts_on.isoformat(), documents.period_label(p)) for p in open_periods]
    if form.validate_on_submit():
        period = next(p for p in open_periods if p.starts_on.isoformat() == form.period.data)
        summary = documents.return_summary(account, period)
        if budget_accounts.send_return(account, period, summary, current_user.full_name, current_user):
            flash(_("Your return has been sent to the council."), "success")
            return redirect(url_for("spending.returns", person_id=person_id))
        flash(_("A return for this period has already been sent."))
    return render_template(
        "spending/send_return.html", **_context(person_id, account), form=form, open_periods=open_periods
    )


@bp.route("/returns/<int:return_id>", methods=["GET", "POST"])
@with_account
def return_detail(person_id, account, return_id):
    sent = budget_accounts.get_return(return_id)
    if sent is None or sent.account_id != account.id:
        abort(404)
    form = forms.ReturnAnswerForm()
    if sent.status == "question" and form.validate_on_submit():
        if budget_accounts.add_return_message(sent, form.text.data.strip(), False, current_user):
            flash(_("Your answer has been sent to the council."), "success")
        else:
            flash(_("This question has already been answered."))
        return redirect(url_for("spending.return_detail", person_id=person_id, return_id=return_id))
    return render_template(
        "spending/return_detail.html",
        **_context(person_id, account),
        sent=sent,
        form=form if form.errors else None,
        answer_form=form,
    )


def facts_now(account):
    """For other journeys (the dashboard, the assistant): the account's picture today."""
    return facts_for(account, budget_accounts.entries(account), today())
