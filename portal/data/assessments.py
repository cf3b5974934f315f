"""Self-assessments and their answers: saved one page at a time, conflicts caught, sent once."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from portal.content.load import Content
from portal.data.audit import record_event
from portal.data.db import db_session
from portal.data.models import (
    Assessment,
    AssessmentAnswer,
    AssessmentStatus,
    IndicativeBudgetRecord,
    User,
    utcnow,
)
from portal.domain.assessment import ras_answers
from portal.domain.ras import budget_as_record, indicative_budget

__all__ = ["Assessment", "AssessmentAnswer", "AssessmentStatus"]


@dataclass(frozen=True)
class SaveOutcome:
    saved: bool
    # Set when the answer changed after the page was opened: what is there now, and who put it there.
    conflicting_answer: AssessmentAnswer | None = None
    already_sent: bool = False


def latest_assessment(person_id: int) -> Assessment | None:
    return db_session().scalar(
        select(Assessment).where(Assessment.person_id == person_id).order_by(Assessment.id.desc()).limit(1)
    )


def get_assessment(assessment_id: int) -> Assessment | None:
    return db_session().get(Assessment, assessment_id)


def start_assessment(person_id: int, questionnaire_version: int, started_by: User) -> Assessment:
    """Start a draft, or return the one already open: a person has at most one draft at a time."""
    current = latest_assessment(person_id)
    if current is not None and current.status is AssessmentStatus.DRAFT:
        return current
    assessment = Assessment(
        person_id=person_id, questionnaire_version=questionnaire_version, started_by_id=started_by.id
    )
    session = db_session()
    session.add(assessment)
    record_event(started_by, person_id, "assessment.started")
    try:
        session.commit()
    except IntegrityError:  # the person and their helper pressed "start" together: one draft, theirs
        session.rollback()
        return latest_assessment(person_id)
    return assessment


def answers_of(assessment: Assessment) -> dict[str, str]:
    return {answer.question_id: answer.value for answer in assessment.answers}


def answer_record(assessment: Assessment, question_id: str) -> AssessmentAnswer | None:
    return db_session().scalar(
        select(AssessmentAnswer).where(
            AssessmentAnswer.assessment_id == assessment.id, AssessmentAnswer.question_id == question_id
        )
    )


def save_answer(assessment: Assessment, question_id: str, value: str, seen_version: int, by: User) -> SaveOutcome:
    """Save one answer unless it changed since the page was opened (`seen_version`; 0 = unanswered then).

    The first statement claims the assessment row while it is still a draft: a save and a "send" at the
    same moment queue up behind each other, so an answer is never saved after its assessment was sent.
    The version check is part of the answer's UPDATE, so of two people saving at once one wins and the
    other is told, never silently overwritten.
    """
    session = db_session()
    claimed = session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == AssessmentStatus.DRAFT)
        .values(last_question_id=question_id)
    ).rowcount
    if not claimed:
        session.rollback()
        return SaveOutcome(saved=False, already_sent=True)
    current = answer_record(assessment, question_id)
    if current is not None and current.value == value:
        session.commit()
        return SaveOutcome(saved=True)
    if current is None:
        session.add(
            AssessmentAnswer(assessment_id=assessment.id, question_id=question_id, value=value, answered_by_id=by.id)
        )
    else:
        changed = session.execute(
            update(AssessmentAnswer)
            .where(AssessmentAnswer.id == current.id, AssessmentAnswer.version == seen_version)
            .values(value=value, version=AssessmentAnswer.version + 1, answered_at=utcnow(), answered_by_id=by.id)
        ).rowcount
        if not changed:
            session.rollback()
            return SaveOutcome(saved=False, conflicting_answer=answer_record(assessment, question_id))
    record_event(by, assessment.person_id, "assessment.answered", question=question_id)
    try:
        session.commit()
    except IntegrityError:  # someone else answered it first, a moment ago
        session.rollback()
        return SaveOutcome(saved=False, conflicting_answer=answer_record(assessment, question_id))
    session.expire_all()
    return SaveOutcome(saved=True)


def send_assessment(
    assessment: Assessment, by: User, who_helped: str, helper_name: str | None, content: Content, on: date
) -> bool:
    """Draft → submitted, and the indicative budget worked out and issued, in one transaction.

    The status changes first, so any answer being saved at the same moment is either in before it
    (and counted) or refused after it. The RAS version in force on the day is used, and the budget keeps
    it, the answers and the working. Only once: two "send"s at once make one submission and one budget.
    """
    session = db_session()
    changed = session.execute(
        update(Assessment)
        .where(Assessment.id == assessment.id, Assessment.status == AssessmentStatus.DRAFT)
        .values(
            status=AssessmentStatus.SUBMITTED,
            submitted_at=utcnow(),
            submitted_by_id=by.id,
            who_helped=who_helped,
            helper_name=helper_name,
        )
    ).rowcount
    if not changed:
        session.rollback()
        return False
    questionnaire = content.questionnaire
    ras = content.ras_in_force(on)
    answers = {
        answer.question_id: answer.value
        for answer in session.scalars(select(AssessmentAnswer).where(AssessmentAnswer.assessment_id == assessment.id))
    }
    budget = indicative_budget(questionnaire, ras, ras_answers(questionnaire, answers))
    session.add(
        IndicativeBudgetRecord(
            assessment_id=assessment.id,
            person_id=assessment.person_id,
            ras_id=ras.id,
            ras_config=ras.model_dump(mode="json"),
            answers=answers,
            section_titles={section.id: section.title for section in questionnaire.sections},
            working=budget_as_record(budget),
            eligible=budget.eligibility.eligible,
            annual_pence=budget.annual_pence,
        )
    )
    record_event(by, assessment.person_id, "assessment.submitted", who_helped=who_helped)
    record_event(None, assessment.person_id, "budget.issued", annual_pence=budget.annual_pence, ras=ras.id)
    session.commit()
    session.refresh(assessment)
    return True


def submitted_assessments() -> list[Assessment]:
    """The staff queue: sent and not yet confirmed, oldest first."""
    return list(
        db_session().scalars(
            select(Assessment)
            .where(Assessment.status == AssessmentStatus.SUBMITTED)
            .order_by(Assessment.submitted_at, Assessment.id)
        )
    )


def answered_by_helpers(assessment: Assessment) -> dict[str, str]:
    """Question id → the name of the helper who gave the answer, for answers the person did not give themselves."""
    return {
        answer.question_id: answer.answered_by.full_name
        for answer in assessment.answers
        if answer.answered_by is not None and answer.answered_by_id != assessment.person_id
    }
