from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.budget.forms import ReviewRequestForm
from portal.budget.presenting import budget_summary
from portal.data import budgets
from portal.people import record_holder

bp = Blueprint("budget", __name__, template_folder="templates", url_prefix="/people/<int:person_id>/budget")


def _issued_budget_or_redirect(person_id: int):
    budget = budgets.latest_budget(person_id)
    if budget is None:
        return None, redirect(url_for("assessment.start", person_id=person_id))
    return budget, None


@bp.route("")
def indicative_budget(person_id):
    budget, elsewhere = _issued_budget_or_redirect(person_id)
    if elsewhere:
        return elsewhere
    return render_template("budget/indicative_budget.html", person=record_holder(person_id), **budget_summary(budget))


@bp.route("/review", methods=["GET", "POST"])
def ask_for_review(person_id):
    budget, elsewhere = _issued_budget_or_redirect(person_id)
    if elsewhere:
        return elsewhere
    if budgets.open_review(budget) is not None:
        flash(_("You have already asked for a review. We will tell you our decision here."))
        return redirect(url_for("budget.indicative_budget", person_id=person_id))
    form = ReviewRequestForm()
    if form.validate_on_submit():
        budgets.ask_for_review(budget, current_user, form.reason.data.strip(), form.what_is_needed.data.strip())
        flash(_("Your request for a review has been sent. We will tell you our decision here."), "success")
        return redirect(url_for("budget.indicative_budget", person_id=person_id))
    return render_template("budget/ask_for_review.html", person=record_holder(person_id), form=form, budget=budget)
