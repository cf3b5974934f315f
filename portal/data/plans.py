"""Support plans: versions, parts saved as you go with stale edits caught, and the council's decisions."""

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.data import budget_accounts
from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import (
    IndicativeBudgetRecord,
    PlanDecision,
    PlanItemRecord,
    PlanOutcome,
    SupportPlan,
    User,
    utcnow,
)
from portal.domain.plan_costing import Frequency, PlanCosting, PlanItem, cost_plan
from portal.domain.support_plan import IllegalTransition, PlanAction, PlanStatus, next_status
from portal.timekeeping import today

__all__ = ["PlanItemRecord", "PlanOutcome", "SupportPlan"]


@dataclass(frozen=True)
class Saved:
    saved: bool
    # When not saved: someone else changed the plan after the page was opened (who and when), or it is
    # no longer a draft (sent, or decided) and cannot be changed.
    changed_by: User | None = None
    changed_at: object = None
    not_a_draft: bool = False


def latest_plan(person_id: int) -> SupportPlan | None:
    return db_session().scalar(
        select(SupportPlan).where(SupportPlan.person_id == person_id).order_by(SupportPlan.version.desc()).limit(1)
    )


def plan_in_force(person_id: int) -> SupportPlan | None:
    """The newest approved version: it stays in force while a change to it is being written and agreed."""
    return db_session().scalar(
        select(SupportPlan)
        .where(SupportPlan.person_id == person_id, SupportPlan.status == PlanStatus.APPROVED)
        .order_by(SupportPlan.version.desc())
        .limit(1)
    )


def get_plan(plan_id: int) -> SupportPlan | None:
    return db_session().get(SupportPlan, plan_id)


def start_plan(person_id: int, budget: IndicativeBudgetRecord, by: User) -> SupportPlan:
    """A new draft. After an approved plan, the new version starts as a copy of it, to be changed."""
    session = db_session()
    latest = latest_plan(person_id)
    if latest is not None and latest.status != PlanStatus.APPROVED:
        return latest
    plan = SupportPlan(person_id=person_id, version=(latest.version + 1) if latest else 1, status=PlanStatus.DRAFT)
    plan.indicative_budget_id = budget.id
    plan.updated_by_id = by.id
    if latest is not None:
        for field in ("about_me", "need_reasons", "management", "staying_safe", "who_helped", "helper_name"):
            setattr(plan, field, getattr(latest, field))
        plan.outcomes = [
            PlanOutcome(position=o.position, what=o.what, how_we_know=o.how_we_know, needs=o.needs)
            for o in latest.outcomes
        ]
        plan.items = [
            PlanItemRecord(
                position=i.position,
                service_oruk_id=i.service_oruk_id,
                description=i.description,
                unit_label=i.unit_label,
                unit_pence=i.unit_pence,
                quantity_hundredths=i.quantity_hundredths,
                frequency=i.frequency,
                management=i.management,
                outcome_positions=i.outcome_positions,
                item_key=i.item_key,
                added_by_id=i.added_by_id,
            )
            for i in latest.items
        ]
    session.add(plan)
    record_event(by, person_id, "plan.started", version=plan.version)
    try:
        session.commit()
    except IntegrityError:  # the person and their helper started one at the same moment: keep the first
        session.rollback()
        return latest_plan(person_id)
    return plan


def change_plan(plan: SupportPlan, seen_revision: int, by: User, change: Callable[[SupportPlan], None]) -> Saved:
    """Apply `change` to a draft, unless someone changed the plan since the page was opened.

    The revision check and the draft check are one UPDATE, so two saves at once cannot both win, and no
    save lands on a plan that was sent a moment ago.
    """
    session = db_session()
    claimed = session.execute(
        update(SupportPlan)
        .where(SupportPlan.id == plan.id, SupportPlan.revision == seen_revision, SupportPlan.status == PlanStatus.DRAFT)
        .values(revision=SupportPlan.revision + 1, updated_at=utcnow(), updated_by_id=by.id)
    ).rowcount
    if not claimed:
        session.rollback()
        session.refresh(plan)
        if plan.status != PlanStatus.DRAFT:
            return Saved(False, not_a_draft=True)
        return Saved(False, changed_by=plan.updated_by, changed_at=plan.updated_at)
    session.refresh(plan)
    change(plan)
    record_event(by, plan.person_id, "plan.changed", version=plan.version)
    session.commit()
    return Saved(True)


def costing_of(plan: SupportPlan, budget_pence: int | None = None) -> PlanCosting:
    items = [PlanItem(i.unit_pence, i.quantity_hundredths, Frequency(i.frequency)) for i in plan.items]
    return cost_plan(items, plan.indicative_budget.annual_pence if budget_pence is None else budget_pence)


def move(plan: SupportPlan, action: PlanAction, by: User, **decision: object) -> bool:
    """Move the plan along (submit, send to panel, approve, return), or refuse an illegal move.

    Conditional on the status the move starts from, so two staff deciding at once make one decision.
    """
    session = db_session()
    session.refresh(plan)
    try:
        becomes = next_status(PlanStatus(plan.status), action)
    except IllegalTransition:
        return False
    values: dict[str, object] = {"status": becomes, "revision": SupportPlan.revision + 1}
    if action is PlanAction.SUBMIT:
        values["submitted_at"] = utcnow()
        values["over_budget_reason"] = decision.get("over_budget_reason")
    if action is PlanAction.APPROVE:
        values["approved_at"] = utcnow()
        values["final_budget_pence"] = decision["final_budget_pence"]
    moved = session.execute(
        update(SupportPlan).where(SupportPlan.id == plan.id, SupportPlan.status == plan.status).values(**values)
    ).rowcount
    if not moved:
        session.rollback()
        return False
    if action is not PlanAction.SUBMIT:
        session.add(
            PlanDecision(
                plan_id=plan.id,
                action=action.value,
                final_budget_pence=decision.get("final_budget_pence"),
                reason=str(decision.get("reason") or ""),
                comments=dict(decision.get("comments") or {}),  # type: ignore[call-overload]
                decided_by_id=by.id,
            )
        )
    record_event(by, plan.person_id, f"plan.{action.name.lower()}", version=plan.version, **_money(decision))
    if action is PlanAction.APPROVE:
        session.refresh(plan)
        # The budget account opens with the approval, in the same transaction: never one without the other.
        budget_accounts.open_for_approved_plan(plan, by, today())
    session.commit()
    session.refresh(plan)
    return True


def _money(decision: dict[str, object]) -> dict[str, object]:
    return {key: value for key, value in decision.items() if key in ("final_budget_pence", "reason")}


def plans_to_decide() -> list[SupportPlan]:
    """The staff queue: sent plans and plans with the panel, oldest first."""
    return list(
        db_session().scalars(
            select(SupportPlan)
            .where(SupportPlan.status.in_([PlanStatus.SUBMITTED, PlanStatus.WITH_PANEL]))
            .order_by(SupportPlan.submitted_at, SupportPlan.id)
        )
    )


def next_position(rows: list) -> int:
    return max((row.position for row in rows), default=0) + 1
