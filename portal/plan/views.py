import functools

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice, TextAreaField
from wtforms.validators import Length

from portal.data import budgets, directory, plans
from portal.domain.directory import costs
from portal.domain.plan_costing import Frequency, PlanItem, cost_item, cost_plan
from portal.domain.support_plan import PlanAction, PlanStatus, assessed_needs
from portal.form_input import whole_number
from portal.htmx import render_page
from portal.i18n import pence
from portal.people import record_holder
from portal.plan import forms
from portal.plan.parts import needs_left, plan_parts, ready_to_send
from portal.plan.pdf import plan_pdf
from portal.plan.presenting import plan_summary
from portal.templating import translate

bp = Blueprint("plan", __name__, template_folder="templates", url_prefix="/people/<int:person_id>/plan")


def draft_only(view):
    """Pages that change the plan: only while it is a draft. Otherwise back to the overview, which says why."""

    @functools.wraps(view)
    def with_draft(person_id, **kwargs):
        plan = plans.latest_plan(person_id)
        if plan is None or plan.status != PlanStatus.DRAFT:
            return redirect(url_for("plan.overview", person_id=person_id))
        return view(person_id, plan, **kwargs)

    return with_draft


def _context(person_id, plan, **extra):
    return {"person": record_holder(person_id), "plan": plan, **extra}


def _save(form, plan, change, next_url: str):
    """Save a change, or explain a stale edit: the person's input stays on the page, with the newer revision."""
    result = plans.change_plan(plan, form.seen_revision(), current_user, change)
    if result.saved:
        return redirect(next_url)
    if result.not_a_draft:
        flash(_("This plan has been sent to the council, so it cannot be changed now."))
        return redirect(url_for("plan.overview", person_id=plan.person_id))
    form.revision.data = str(plan.revision)
    who = result.changed_by.full_name if result.changed_by else _("Someone")
    flash(
        _(
            "%(name)s changed this plan after you opened this page. Your changes are below, not saved yet: "
            "check them and save again.",
            name=who,
        )
    )
    return None


@bp.route("", methods=["GET", "POST"])
def overview(person_id):
    plan = plans.latest_plan(person_id)
    budget = budgets.latest_budget(person_id)
    form = forms.StartPlanForm()
    can_start = budget is not None and budget.eligible and (plan is None or plan.status == PlanStatus.APPROVED)
    if can_start and form.validate_on_submit():
        plan = plans.start_plan(person_id, budget, current_user)
        return redirect(url_for("plan.overview", person_id=person_id))
    returned = plan.decisions[-1] if plan and plan.decisions and plan.status == PlanStatus.DRAFT else None
    return render_template(
        "plan/overview.html",
        **_context(person_id, plan),
        budget=budget,
        form=None,
        start_form=form,
        can_start=can_start,
        parts=plan_parts(plan) if plan else [],
        ready=plan is not None and ready_to_send(plan),
        returned=returned if returned and returned.action == PlanAction.RETURN else None,
        in_force=plans.plan_in_force(person_id),
        summary=plan_summary(plan) if plan else None,
    )


@bp.route("/about-me", methods=["GET", "POST"])
@draft_only
def about_me(person_id, plan):
    form = forms.AboutMeForm(data={**(plan.about_me or {}), "revision": plan.revision})
    if form.validate_on_submit():
        answer = {
            key: (getattr(form, key).data or "").strip() for key in ("important", "good_day", "strengths", "circle")
        }
        saved = _save(
            form, plan, lambda p: setattr(p, "about_me", answer), url_for("plan.outcomes", person_id=person_id)
        )
        if saved:
            return saved
    return render_template("plan/about_me.html", **_context(person_id, plan), form=form)


def _need_choices(plan):
    titles = plan.indicative_budget.section_titles
    return [
        SelectChoice(need, translate(titles.get(need, need)))
        for need in assessed_needs(plan.indicative_budget.working["section_points"])
    ]


@bp.route("/outcomes")
@draft_only
def outcomes(person_id, plan):
    return render_template("plan/outcomes.html", **_context(person_id, plan), needs_left=needs_left(plan), form=None)


@bp.route("/outcomes/new", methods=["GET", "POST"], defaults={"outcome_id": None})
@bp.route("/outcomes/<int:outcome_id>", methods=["GET", "POST"])
@draft_only
def outcome(person_id, plan, outcome_id):
    existing = next((o for o in plan.outcomes if o.id == outcome_id), None)
    if outcome_id is not None and existing is None:
        abort(404)
    data = {"what": existing.what, "how_we_know": existing.how_we_know, "needs": existing.needs} if existing else {}
    form = forms.OutcomeForm(data={**data, "revision": plan.revision})
    form.needs.choices = _need_choices(plan)
    if form.validate_on_submit():
        chosen = [need for need in form.needs.data if need in {c.value for c in form.needs.choices}]
        values = {
            "what": (form.what.data or "").strip(),
            "how_we_know": (form.how_we_know.data or "").strip(),
            "needs": chosen,
        }

        def change(p):
            if existing is None:
                p.outcomes.append(plans.PlanOutcome(position=plans.next_position(p.outcomes), **values))
            else:
                for key, value in values.items():
                    setattr(next(o for o in p.outcomes if o.id == existing.id), key, value)

        saved = _save(form, plan, change, url_for("plan.outcomes", person_id=person_id))
        if saved:
            return saved
    return render_template("plan/outcome.html", **_context(person_id, plan), form=form, existing=existing)


@bp.route("/outcomes/<int:outcome_id>/remove", methods=["POST"])
@draft_only
def remove_outcome(person_id, plan, outcome_id):
    form = forms.PlanForm()
    if form.validate_on_submit():
        _save(form, plan, lambda p: p.outcomes.remove(next(o for o in p.outcomes if o.id == outcome_id)), "")
    return redirect(url_for("plan.outcomes", person_id=person_id))


@bp.route("/needs", methods=["GET", "POST"])
@draft_only
def need_reasons(person_id, plan):
    titles = plan.indicative_budget.section_titles
    left = needs_left(plan)
    reasons = plan.need_reasons or {}
    fields = {
        f"reason_{need}": TextAreaField(
            titles.get(need, need),
            validators=[Length(max=forms.LONG, message=forms.TOO_LONG)],
            widget=forms.GovTextArea(),
        )
        for need in left
    }
    form_class = type("NeedReasons", (forms.NeedReasonsForm,), fields)
    form = form_class(data={"revision": plan.revision, **{f"reason_{n}": reasons.get(n, "") for n in left}})
    if form.validate_on_submit():
        given = {need: (getattr(form, f"reason_{need}").data or "").strip() for need in left}
        saved = _save(
            form,
            plan,
            lambda p: setattr(p, "need_reasons", {**reasons, **given}),
            url_for("plan.outcomes", person_id=person_id),
        )
        if saved:
            return saved
    return render_template(
        "plan/needs.html", **_context(person_id, plan), form=form, fields=[getattr(form, f) for f in fields]
    )


@bp.route("/budget")
@draft_only
def budget(person_id, plan):
    return render_template("plan/budget.html", **_context(person_id, plan), summary=plan_summary(plan), form=None)


def _item_data(existing, service_id: str | None, option: int) -> dict:
    if existing is not None:
        return {
            "description": existing.description,
            "price": f"{existing.unit_pence / 100:.2f}",
            "unit_label": existing.unit_label,
            "quantity": f"{existing.quantity_hundredths / 100:g}",
            "frequency": existing.frequency,
            "management": existing.management or "",
            "outcomes": [str(p) for p in existing.outcome_positions],
        }
    found = directory.get_service(service_id) if service_id else None
    if found is None:
        return {"quantity": "1"}
    prices = costs(found.record)
    chosen = prices[option] if 0 <= option < len(prices) else (prices[0] if prices else None)
    return {
        "description": found.name,
        "price": f"{chosen.pence / 100:.2f}" if chosen else "",
        "unit_label": chosen.per.removeprefix("per ") if chosen else "",
        "quantity": "1",
    }


@bp.route("/items/new", methods=["GET", "POST"], defaults={"item_id": None})
@bp.route("/items/<int:item_id>", methods=["GET", "POST"])
@draft_only
def item(person_id, plan, item_id):
    existing = next((i for i in plan.items if i.id == item_id), None)
    if item_id is not None and existing is None:
        abort(404)
    service_id = request.args.get("service")
    option = whole_number(request.args.get("option"), default=0)
    form = forms.ItemForm(data={**_item_data(existing, service_id, option), "revision": plan.revision})
    form.outcomes.choices = [SelectChoice(str(o.position), o.what[:80]) for o in plan.outcomes]
    preview = plan_with_it = None
    if form.is_submitted() and form.validate():
        this = PlanItem(form.unit_pence, form.quantity_hundredths, Frequency(form.frequency.data))
        preview = cost_item(this)
        # The whole plan as it would be with this item saved, so the total and what is left show as you type.
        others = [
            PlanItem(i.unit_pence, i.quantity_hundredths, Frequency(i.frequency))
            for i in plan.items
            if i is not existing
        ]
        plan_with_it = cost_plan([*others, this], plan.indicative_budget.annual_pence)
        if not form.recalculate.data and request.headers.get("HX-Request") != "true":
            values = {
                "description": form.description.data.strip(),
                "unit_label": form.unit_label.data.strip(),
                "unit_pence": form.unit_pence,
                "quantity_hundredths": form.quantity_hundredths,
                "frequency": form.frequency.data,
                "management": form.management.data or None,
                "outcome_positions": [int(p) for p in form.outcomes.data if p.isdigit()],
            }
            if existing is None:
                values["service_oruk_id"] = service_id if service_id and directory.get_service(service_id) else None

            def change(p):
                if existing is None:
                    p.items.append(
                        plans.PlanItemRecord(
                            position=plans.next_position(p.items), added_by_id=current_user.id, **values
                        )
                    )
                else:
                    target = next(i for i in p.items if i.id == existing.id)
                    for key, value in values.items():
                        setattr(target, key, value)

            saved = _save(form, plan, change, url_for("plan.budget", person_id=person_id))
            if saved:
                return saved
    return render_page(
        "plan/item.html",
        "item_cost",
        **_context(person_id, plan),
        form=form if form.errors and request.headers.get("HX-Request") != "true" else None,
        item_form=form,
        existing=existing,
        preview=preview,
        plan_with_it=plan_with_it,
        service_id=service_id,
        option=option,
    )


@bp.route("/items/<int:item_id>/remove", methods=["POST"])
@draft_only
def remove_item(person_id, plan, item_id):
    form = forms.PlanForm()
    if form.validate_on_submit():
        _save(form, plan, lambda p: p.items.remove(next(i for i in p.items if i.id == item_id)), "")
    return redirect(url_for("plan.budget", person_id=person_id))


def _simple_part(template, form, plan, person_id, change, next_endpoint):
    if form.validate_on_submit():
        saved = _save(form, plan, change, url_for(next_endpoint, person_id=person_id))
        if saved:
            return saved
    return render_template(template, **_context(person_id, plan), form=form)


@bp.route("/management", methods=["GET", "POST"])
@draft_only
def management(person_id, plan):
    form = forms.ManagementForm(data={**(plan.management or {}), "revision": plan.revision})
    return _simple_part(
        "plan/management.html", form, plan, person_id,
        lambda p: setattr(p, "management", {"method": form.method.data}), "plan.staying_safe",
    )  # fmt: skip


@bp.route("/staying-safe", methods=["GET", "POST"])
@draft_only
def staying_safe(person_id, plan):
    form = forms.StayingSafeForm(data={**(plan.staying_safe or {}), "revision": plan.revision})
    answer = lambda: {key: (getattr(form, key).data or "").strip() for key in ("risks", "plan", "contacts")}  # noqa: E731
    return _simple_part(
        "plan/staying_safe.html",
        form,
        plan,
        person_id,
        lambda p: setattr(p, "staying_safe", answer()),
        "plan.who_helped",
    )


@bp.route("/who-helped", methods=["GET", "POST"])
@draft_only
def who_helped(person_id, plan):
    data = {"who_helped": plan.who_helped, "helper_name": plan.helper_name, "consent": plan.consent_to_share}
    form = forms.HelpedForm(data={**data, "revision": plan.revision})

    def change(p):
        p.who_helped = form.who_helped.data
        p.helper_name = None if form.who_helped.data == "myself" else (form.helper_name.data or "").strip()
        p.consent_to_share = True

    return _simple_part("plan/who_helped.html", form, plan, person_id, change, "plan.check")


@bp.route("/check", methods=["GET", "POST"])
@draft_only
def check(person_id, plan):
    form = forms.SubmitPlanForm(data={"revision": plan.revision, "over_budget_reason": plan.over_budget_reason or ""})
    summary = plan_summary(plan)
    ready = ready_to_send(plan)
    if ready and form.validate_on_submit():
        reason = (form.over_budget_reason.data or "").strip()
        if summary["costing"].over_budget and not reason:
            form.over_budget_reason.errors.append(_("Tell us why your plan needs more than the indicative budget"))
        elif form.seen_revision() != plan.revision:
            flash(_("This plan was changed after you opened this page. Check it again before you send it."))
            return redirect(url_for("plan.check", person_id=person_id))
        elif plans.move(plan, PlanAction.SUBMIT, current_user, over_budget_reason=reason or None):
            if summary["costing"].over_budget:
                # A plan that needs more than the indicative budget is also a request to review that budget.
                needed = _("The support plan costs %(amount)s a year.", amount=pence(summary["costing"].annual_pence))
                budgets.ask_for_review(plan.indicative_budget, current_user, reason, needed)
            flash(_("Your plan has been sent to the council."), "success")
            return redirect(url_for("plan.overview", person_id=person_id))
    return render_template(
        "plan/check.html", **_context(person_id, plan), form=form, summary=summary, ready=ready, parts=plan_parts(plan)
    )


@bp.route("/print")
def print_view(person_id):
    plan = plans.latest_plan(person_id)
    if plan is None:
        abort(404)
    return render_template("plan/print.html", **_context(person_id, plan), summary=plan_summary(plan))


@bp.route("/change", methods=["POST"])
def change(person_id):
    approved = plans.plan_in_force(person_id)
    latest = plans.latest_plan(person_id)
    form = forms.StartPlanForm()
    if form.validate_on_submit() and approved is not None and latest is approved:
        plans.start_plan(person_id, approved.indicative_budget, current_user)
        flash(_("You are changing your plan. The approved plan stays in force until the council agrees the new one."))
    return redirect(url_for("plan.overview", person_id=person_id))


@bp.route("/plan.pdf")
def pdf(person_id):
    plan = plans.latest_plan(person_id)
    if plan is None:
        abort(404)
    person = record_holder(person_id)
    document = plan_pdf(plan, plan_summary(plan), person.full_name)
    filename = f"support-plan-version-{plan.version}.pdf"
    return Response(
        document,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
