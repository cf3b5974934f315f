from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from portal.assessment.forms import WHO_HELPED
from portal.budget.presenting import budget_summary
from portal.data import accounts as account_records
from portal.data import assessments, audit, budget_accounts, budgets, plans
from portal.domain import assessment as progress
from portal.domain.budget_account import Period
from portal.domain.support_plan import PlanAction, PlanStatus
from portal.form_input import whole_number
from portal.people import current_content
from portal.plan.presenting import plan_summary
from portal.spending.documents import statement_for
from portal.spending.presenting import account_picture, entry_purpose, plan_items
from portal.spending.receipts import send_receipt
from portal.staff.forms import (
    BudgetDecisionForm,
    ContributionForm,
    PlanDecisionForm,
    ReturnDecisionForm,
    ReviewHeldForm,
)
from portal.timekeeping import today

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
        returns_waiting=len(budget_accounts.returns_waiting()),
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
        answered_by=assessments.answered_by_helpers(record),
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


@bp.route("/staff/budget-accounts")
def budget_accounts_list():
    shown = []
    for account in budget_accounts.all_accounts():
        picture = account_picture(account, today())
        shown.append((account, picture))
    return render_template(
        "staff/budget_accounts.html", shown=shown, waiting=budget_accounts.returns_waiting(), status_words=RETURN_STATUS
    )


RETURN_STATUS = {
    "sent": _l("Waiting for review"),
    "reviewed": _l("Reviewed"),
    "question": _l("Question asked"),
    "answered": _l("Answered: waiting for review"),
}


@bp.route("/staff/budget-accounts/<int:account_id>", methods=["GET", "POST"])
def budget_account(account_id):
    account = next((a for a in budget_accounts.all_accounts() if a.id == account_id), None)
    if account is None:
        abort(404)
    contribution = ContributionForm(
        data={
            "weekly": f"{account.weekly_contribution_pence // 100}.{account.weekly_contribution_pence % 100:02d}",
            "method": account.contribution_method,
            "seen": str(account.revision),
        }
    )
    review = ReviewHeldForm()
    if contribution.save_contribution.data and contribution.validate_on_submit():
        seen = whole_number(contribution.seen.data, default=-1)
        if budget_accounts.record_contribution(
            account, contribution.weekly_pence, contribution.method.data, seen, current_user, today()
        ):
            flash(
                _("The contribution has been saved. %(name)s can see it now.", name=account.person.full_name), "success"
            )
        else:
            flash(_("Someone else changed this account while you had the page open. Check it and save again."))
        return redirect(url_for("staff.budget_account", account_id=account_id))
    if review.record_review.data and review.validate_on_submit():
        budget_accounts.record_review(account, today(), (review.note.data or "").strip(), current_user)
        flash(_("The review has been recorded."), "success")
        return redirect(url_for("staff.budget_account", account_id=account_id))
    audit.record_view(current_user, account.person_id, "budget account", account_id)
    picture = account_picture(account, today())
    items = plan_items(account)
    return render_template(
        "staff/budget_account.html",
        account=account,
        picture=picture,
        recent=[(row, entry_purpose(row, items)) for row in reversed(picture["rows"][-50:])],
        returns=budget_accounts.returns(account),
        reviews=budget_accounts.reviews(account),
        form=contribution if contribution.errors else (review if review.errors else None),
        contribution_form=contribution,
        review_form=review,
        status_words=RETURN_STATUS,
    )


@bp.route("/staff/returns/<int:return_id>", methods=["GET", "POST"])
def account_return(return_id):
    sent = budget_accounts.get_return(return_id)
    if sent is None:
        abort(404)
    form = ReturnDecisionForm()
    if sent.status in ("sent", "answered") and form.validate_on_submit():
        if form.decision.data == "reviewed":
            done = budget_accounts.mark_return_reviewed(sent, current_user)
        else:
            done = budget_accounts.add_return_message(sent, form.question.data.strip(), True, current_user)
        if done:
            flash(_("Your decision has been saved. %(name)s can see it now.", name=sent.account.person.full_name),
                  "success")  # fmt: skip
        else:
            flash(_("Someone else decided on this return while you had the page open. Check it before you decide."))
        return redirect(url_for("staff.budget_account", account_id=sent.account_id))
    audit.record_view(current_user, sent.account.person_id, "return", return_id)
    period = Period(0, sent.starts_on, sent.ends_on)
    return render_template(
        "staff/account_return.html",
        sent=sent,
        shown=statement_for(sent.account, period),
        form=form,
        status_words=RETURN_STATUS,
    )


@bp.route("/staff/budget-accounts/<int:account_id>/receipts/<int:receipt_id>")
def account_receipt(account_id, receipt_id):
    account = next((a for a in budget_accounts.all_accounts() if a.id == account_id), None)
    found = budget_accounts.get_receipt(account, receipt_id) if account else None
    if found is None:
        abort(404)
    audit.record_view(current_user, account.person_id, "receipt", receipt_id)
    return send_receipt(found)
