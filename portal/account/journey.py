"""Where a person is in the self-directed support journey, and the next step to offer them."""

from dataclasses import dataclass, replace

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from portal.data import assessments, budget_accounts, budgets, plans
from portal.data.assessments import AssessmentStatus
from portal.domain.permissions import Permission, allows
from portal.domain.support_plan import PlanStatus
from portal.policy import RECORD_PARTS

STATUS_NAMES = {
    "not started": _l("Not started"),
    "in progress": _l("In progress"),
    "completed": _l("Completed"),
    "ready": _l("Ready to see"),
    "sent": _l("Sent to the council"),
    "cannot start yet": _l("Cannot start yet"),
    "coming soon": _l("Coming soon"),
}


@dataclass(frozen=True)
class JourneyStep:
    title: str
    description: str
    status: str  # a key of STATUS_NAMES
    url: str | None = None
    action: str | None = None  # the words on the "next step" button when this step is next


def journey_steps(person_id: int) -> list[JourneyStep]:
    """The four stages of DESIGN.md's journey, each with its status for this person."""
    assessment = assessments.latest_assessment(person_id)
    budget = budgets.latest_budget(person_id)
    # Read once for both steps it decides: the dashboard is every signed-in person's first page.
    plan = plans.latest_plan(person_id) if budget is not None else None
    return [
        _assessment_step(person_id, assessment),
        JourneyStep(
            _l("See your personal budget"),
            _l("How much money you might get for your support, and how we worked it out."),
            _budget_status(budget, plan),
            url_for("budget.indicative_budget", person_id=person_id) if budget else None,
            _l("See your indicative budget"),
        ),
        _plan_step(person_id, budget, plan),
        _account_step(person_id),
    ]


def _account_step(person_id: int) -> JourneyStep:
    title = _l("Manage your budget")
    description = _l("Your payments, and a record of what you spend.")
    if budget_accounts.account_for(person_id) is None:
        return JourneyStep(title, description, "cannot start yet")
    url = url_for("spending.account", person_id=person_id)
    return JourneyStep(title, description, "ready", url, _l("Go to your budget account"))


def _assessment_step(person_id: int, assessment) -> JourneyStep:
    title = _l("Tell us about your needs")
    description = _l("A self-assessment: questions about your daily life and what help you need.")
    if assessment is None:
        url = url_for("assessment.start", person_id=person_id)
        return JourneyStep(title, description, "not started", url, _l("Start your self-assessment"))
    if assessment.status is AssessmentStatus.DRAFT:
        url = url_for("assessment.resume", person_id=person_id)
        return JourneyStep(title, description, "in progress", url, _l("Continue your self-assessment"))
    return JourneyStep(title, description, "completed", url_for("assessment.start", person_id=person_id))


def _budget_status(budget, plan) -> str:
    """Ready to see until the person moves on to planning; then the plan is the next thing to do."""
    if budget is None:
        return "cannot start yet"
    return "completed" if plan is not None else "ready"


def _plan_step(person_id: int, budget, plan) -> JourneyStep:
    title = _l("Plan your support")
    description = _l("Choose the support that suits you and how to spend your budget.")
    if budget is None or not budget.eligible:
        return JourneyStep(title, description, "cannot start yet")
    url = url_for("plan.overview", person_id=person_id)
    if plan is None:
        return JourneyStep(title, description, "not started", url, _l("Start your support plan"))
    if plan.status == PlanStatus.DRAFT:
        return JourneyStep(title, description, "in progress", url, _l("Continue your support plan"))
    if plan.status == PlanStatus.APPROVED:
        return JourneyStep(title, description, "completed", url)
    return JourneyStep(title, description, "sent", url)


def next_step(steps: list[JourneyStep]) -> JourneyStep | None:
    """The first step with something to do: not started, in progress, or ready to see."""
    return next((step for step in steps if step.status in ("not started", "in progress", "ready") and step.url), None)


def steps_a_helper_may_open(steps: list[JourneyStep], granted: frozenset[Permission]) -> list[JourneyStep]:
    """A helper's view of the person's steps: a step links only where the person let them go."""
    return [step if step.url and _may_open(step.url, granted) else replace(step, url=None) for step in steps]


def _may_open(url: str, granted: frozenset[Permission]) -> bool:
    adapter = current_app.url_map.bind("localhost", script_name=request.script_root or None)
    endpoint, _ = adapter.match(url.removeprefix(request.script_root), method="GET")
    part = RECORD_PARTS[endpoint]
    return allows(granted, part.area, part.action("GET"))
