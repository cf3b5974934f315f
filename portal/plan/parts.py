"""The parts of a support plan as the task list shows them, and what each needs before it counts as done."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from portal.data.plans import SupportPlan
from portal.domain.support_plan import assessed_needs, uncovered_needs


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    endpoint: str
    done: bool
    started: bool


def needs_left(plan: SupportPlan) -> list[str]:
    needs = assessed_needs(plan.indicative_budget.working["section_points"])
    return uncovered_needs(needs, [outcome.needs for outcome in plan.outcomes], plan.need_reasons or {})


def plan_parts(plan: SupportPlan) -> list[Part]:
    about, safe = plan.about_me or {}, plan.staying_safe or {}
    return [
        Part("about_me", _l("About me"), "plan.about_me", bool(about.get("important")), any(about.values())),
        Part(
            "outcomes",
            _l("My outcomes"),
            "plan.outcomes",
            bool(plan.outcomes) and not needs_left(plan),
            bool(plan.outcomes) or bool(plan.need_reasons),
        ),
        Part("budget", _l("How I will use my budget"), "plan.budget", bool(plan.items), bool(plan.items)),
        Part(
            "management",
            _l("How my budget will be managed"),
            "plan.management",
            bool((plan.management or {}).get("method")),
            bool(plan.management),
        ),
        Part("staying_safe", _l("Staying safe"), "plan.staying_safe", bool(safe.get("contacts")), any(safe.values())),
        Part(
            "helped",
            _l("Who helped, and sharing the plan"),
            "plan.who_helped",
            bool(plan.who_helped) and plan.consent_to_share,
            bool(plan.who_helped),
        ),
    ]


def ready_to_send(plan: SupportPlan) -> bool:
    return all(part.done for part in plan_parts(plan))
