"""Issued indicative budgets, the council's decisions on them, and people's requests for a review."""

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import (
    AssessmentStatus,
    BudgetDecision,
    DecisionKind,
    IndicativeBudgetRecord,
    ReviewRequest,
    ReviewStatus,
    User,
)

__all__ = ["DecisionKind", "IndicativeBudgetRecord", "ReviewRequest", "ReviewStatus"]


def budget_for_assessment(assessment_id: int) -> IndicativeBudgetRecord | None:
    return db_session().scalar(
        select(IndicativeBudgetRecord).where(IndicativeBudgetRecord.assessment_id == assessment_id)
    )


def latest_budget(person_id: int) -> IndicativeBudgetRecord | None:
    return db_session().scalar(
        select(IndicativeBudgetRecord)
        .where(IndicativeBudgetRecord.person_id == person_id)
        .order_by(IndicativeBudgetRecord.id.desc())
        .limit(1)
    )


def current_amount(budget: IndicativeBudgetRecord) -> int:
    """The latest decision's amount, or the RAS figure while nobody has decided yet."""
    return budget.decisions[-1].annual_pence if budget.decisions else budget.annual_pence


def open_review(budget: IndicativeBudgetRecord) -> ReviewRequest | None:
    return next((r for r in budget.review_requests if r.status is ReviewStatus.OPEN), None)


def ask_for_review(budget: IndicativeBudgetRecord, by: User, reason: str, what_is_needed: str) -> ReviewRequest | None:
    """Ask the council to look again. One open request at a time; None if one is already waiting."""
    if open_review(budget) is not None:
        return None
    request = ReviewRequest(
        indicative_budget_id=budget.id, reason=reason, what_is_needed=what_is_needed, requested_by_id=by.id
    )
    session = db_session()
    session.add(request)
    record_event(by, budget.person_id, "budget.review_requested")
    try:
        session.commit()
    except IntegrityError:  # the person and their helper asked at the same moment: the first request stands
        session.rollback()
        return None
    session.refresh(budget)
    return request


def decide(
    budget: IndicativeBudgetRecord, by: User, kind: DecisionKind, annual_pence: int | None, reason: str, seen: int
) -> bool:
    """Confirm or change the amount; answers any open review and confirms the assessment, in one step.

    `seen` is how many decisions the staff member's page showed. If someone decided meanwhile, nothing is
    written and False comes back: a confirmation is only ever of the amount the person deciding saw.
    `annual_pence` None means "confirm the amount as it stands".
    """
    session = db_session()
    claimed = session.execute(
        update(IndicativeBudgetRecord)
        .where(IndicativeBudgetRecord.id == budget.id, IndicativeBudgetRecord.decision_count == seen)
        .values(decision_count=IndicativeBudgetRecord.decision_count + 1)
    ).rowcount
    if not claimed:
        session.rollback()
        return False
    previous = current_amount(budget)
    annual_pence = previous if annual_pence is None else annual_pence
    decision = BudgetDecision(
        indicative_budget_id=budget.id, kind=kind, annual_pence=annual_pence, reason=reason, decided_by_id=by.id
    )
    session.add(decision)
    session.flush()
    session.execute(
        update(ReviewRequest)
        .where(ReviewRequest.indicative_budget_id == budget.id, ReviewRequest.status == ReviewStatus.OPEN)
        .values(status=ReviewStatus.DECIDED, decision_id=decision.id)
    )
    budget.assessment.status = AssessmentStatus.CONFIRMED
    record_event(
        by,
        budget.person_id,
        f"budget.{kind.value}",
        annual_pence=annual_pence,
        previous_pence=previous,
        reason=reason,
    )
    session.commit()
    session.refresh(budget)
    return True


def open_review_requests() -> list[ReviewRequest]:
    return list(
        db_session().scalars(
            select(ReviewRequest)
            .where(ReviewRequest.status == ReviewStatus.OPEN)
            .order_by(ReviewRequest.requested_at, ReviewRequest.id)
        )
    )
