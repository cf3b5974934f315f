from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.assessment.forms import WHO_HELPED
from portal.budget.presenting import budget_summary
from portal.data import accounts as account_records
from portal.data import assessments, audit, budgets, plans
from portal.domain import assessment as progress
from portal.domain.support_plan import PlanAction, PlanStatus
from portal.people import current_content
from portal.plan.presenting import plan_summary
from portal.staff.forms import BudgetDecisionForm, PlanDecisionForm

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
        plans_waiting=len(plans.plans_to_decide()),
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


@bp.route("/staff/plans")
def plans_queue():
    queue = [(plan, plan_summary(plan)) for plan in plans.plans_to_decide()]
    return render_template("staff/plans.html", queue=queue)


@bp.route("/staff/plans/<int:plan_id>", methods=["GET", "POST"])
def plan(plan_id):
    record = plans.get_plan(plan_id)
    if record is None or record.status not in (PlanStatus.SUBMITTED, PlanStatus.WITH_PANEL, PlanStatus.APPROVED):
        abort(404)
    summary = plan_summary(record)
    form = PlanDecisionForm(seen=record.revision)
    if record.status != PlanStatus.APPROVED and form.validate_on_submit():
        choice = form.decision.data
        action = PlanAction.APPROVE if choice.startswith("approve") else PlanAction(choice)
        final = form.annual_pence if choice == "approve_changed" else summary["costing"].annual_pence
        decision = {"reason": (form.reason.data or "").strip(), "comments": form.comments()}
        if action is PlanAction.APPROVE:
            decision["final_budget_pence"] = final
        if form.seen.data == str(record.revision) and plans.move(record, action, current_user, **decision):
            flash(_("Your decision has been saved. %(name)s can see it now.", name=record.person.full_name), "success")
            return redirect(url_for("staff.plans_queue"))
        flash(_("Someone else changed or decided this plan while you had the page open. Check it before you decide."))
        return redirect(url_for("staff.plan", plan_id=plan_id))
    audit.record_view(current_user, record.person_id, "plan", plan_id)
    return render_template("staff/plan.html", plan=record, summary=summary, form=form)
