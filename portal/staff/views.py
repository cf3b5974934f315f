from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.assessment.forms import WHO_HELPED
from portal.budget.presenting import budget_summary
from portal.data import accounts as account_records
from portal.data import assessments, audit, budgets
from portal.domain import assessment as progress
from portal.people import current_content
from portal.staff.forms import BudgetDecisionForm

bp = Blueprint("staff", __name__, template_folder="templates")

ROLE_NAMES = {
    account_records.Role.PERSON: _l("Person"),
    account_records.Role.REPRESENTATIVE: _l("Helper"),
    account_records.Role.STAFF: _l("Council staff"),
    account_records.Role.ADMIN: _l("Admin"),
}


@bp.route("/staff")
def home():
    return render_template(
        "staff/home.html",
        waiting=len(assessments.submitted_assessments()),
        reviews=len(budgets.open_review_requests()),
    )


@bp.route("/admin/accounts")
def accounts():
    return render_template("staff/accounts.html", accounts=account_records.list_accounts(), role_names=ROLE_NAMES)


@bp.route("/staff/assessments")
def assessments_queue():
    return render_template(
        "staff/assessments.html",
        submitted=[(a, budgets.budget_for_assessment(a.id)) for a in assessments.submitted_assessments()],
        reviews=budgets.open_review_requests(),
        current_amount=budgets.current_amount,
    )


@bp.route("/staff/assessments/<int:assessment_id>", methods=["GET", "POST"])
def assessment(assessment_id):
    record = assessments.get_assessment(assessment_id)
    budget = budgets.budget_for_assessment(assessment_id) if record else None
    if record is None or budget is None:
        abort(404)
    form = BudgetDecisionForm(
        eligible=budget.eligible, review_open=budgets.open_review(budget) is not None, seen=budget.decision_count
    )
    if form.validate_on_submit():
        kind = budgets.DecisionKind(form.decision.data)
        amount = form.annual_pence if kind is budgets.DecisionKind.ADJUSTED else None
        if budgets.decide(budget, current_user, kind, amount, (form.reason.data or "").strip(), form.seen_count()):
            flash(_("Your decision has been saved. %(name)s can see it now.", name=record.person.full_name), "success")
            return redirect(url_for("staff.assessments_queue"))
        flash(_("Someone else made a decision on this while you had the page open. Check it before you decide."))
        return redirect(url_for("staff.assessment", assessment_id=assessment_id))
    audit.record_view(current_user, record.person_id, "assessment", assessment_id)
    # The answers the budget was worked out from, kept with it: what staff check is what the RAS saw.
    answers = budget.answers
    return render_template(
        "staff/assessment.html",
        assessment=record,
        form=form,
        sections=progress.section_progress(current_content().questionnaire, answers),
        answers=answers,
        who_helped_names={choice.value: choice.label for choice in WHO_HELPED},
        **budget_summary(budget),
    )
