"""Self-assessment progress: which questions are asked, which are answered, and where to carry on.

Configured by content/questionnaire.yml. Text questions are optional ("you can skip this"); every choice
and hours question the person is shown must be answered before the assessment can be sent.
"""

import enum
from collections.abc import Mapping
from dataclasses import dataclass

from portal.content.schema import Question, Questionnaire, Section
from portal.domain.ras import visible_questions

MAX_HOURS_A_WEEK = 168
MAX_TEXT_LENGTH = 2000
Answers = Mapping[str, str]


class SectionStatus(enum.StrEnum):
    NOT_STARTED = "not started"
    IN_PROGRESS = "in progress"
    COMPLETED = "completed"


class AnswerProblem(enum.StrEnum):
    MISSING = "missing"
    NOT_AN_OPTION = "not an option"
    NOT_A_WHOLE_NUMBER = "not a whole number"
    TOO_MANY_HOURS = "too many hours"
    TOO_LONG = "too long"


@dataclass(frozen=True)
class SectionProgress:
    section: Section
    status: SectionStatus
    questions: tuple[Question, ...]  # the ones this person is asked, in order
    unanswered: tuple[Question, ...]


def is_required(question: Question) -> bool:
    return question.type != "text"


def check_answer(question: Question, raw: str) -> tuple[str | None, AnswerProblem | None]:
    """Tidy one submitted answer, or say what is wrong with it.

    A text question left empty is answered with "": skipped on purpose, so resuming does not ask it again.
    """
    value = raw.strip()
    if question.type == "text":
        if len(value) > MAX_TEXT_LENGTH:
            return None, AnswerProblem.TOO_LONG
        return value, None
    if not value:
        return None, AnswerProblem.MISSING
    if question.type == "choice":
        return (value, None) if question.option(value) is not None else (None, AnswerProblem.NOT_AN_OPTION)
    if not value.isascii() or not value.isdigit():
        return None, AnswerProblem.NOT_A_WHOLE_NUMBER
    hours = int(value)
    if hours > MAX_HOURS_A_WEEK:
        return None, AnswerProblem.TOO_MANY_HOURS
    return str(hours), None


def ras_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, str | int]:
    """Answers as the RAS reads them: hours as whole numbers, everything else as stored."""
    typed: dict[str, str | int] = {}
    for question_id, value in answers.items():
        question = questionnaire.question(question_id)
        if question is None:
            continue  # a question the council has since removed: it no longer counts
        typed[question_id] = int(value) if question.type == "hours" and value.isdigit() else value
    return typed


def section_progress(questionnaire: Questionnaire, answers: Answers) -> list[SectionProgress]:
    shown = visible_questions(questionnaire, answers)
    progress = []
    for section in questionnaire.sections:
        asked = tuple(q for q in section.questions if q.id in shown)
        unanswered = tuple(q for q in asked if is_required(q) and q.id not in answers)
        answered_any = any(q.id in answers for q in asked)
        if not answered_any:
            status = SectionStatus.NOT_STARTED
        else:
            status = SectionStatus.IN_PROGRESS if unanswered else SectionStatus.COMPLETED
        progress.append(SectionProgress(section, status, asked, unanswered))
    return progress


def is_complete(questionnaire: Questionnaire, answers: Answers) -> bool:
    return all(not part.unanswered for part in section_progress(questionnaire, answers))


def _section_around(questionnaire: Questionnaire, answers: Answers, question_id: str) -> tuple[list[Question], int]:
    """The questions asked in `question_id`'s section, and where `question_id` stands among them."""
    section = questionnaire.section_of(question_id)
    if section is None:
        return [], -1
    shown = visible_questions(questionnaire, answers) | {question_id}
    asked = [q for q in section.questions if q.id in shown]
    return asked, [q.id for q in asked].index(question_id)


def next_question(questionnaire: Questionnaire, answers: Answers, after: str) -> Question | None:
    """The question that follows `after` within its section, skipping ones this person is not asked."""
    asked, index = _section_around(questionnaire, answers, after)
    return asked[index + 1] if 0 <= index < len(asked) - 1 else None


def previous_question(questionnaire: Questionnaire, answers: Answers, before: str) -> Question | None:
    asked, index = _section_around(questionnaire, answers, before)
    return asked[index - 1] if index > 0 else None


def resume_point(questionnaire: Questionnaire, answers: Answers, last_saved: str | None) -> Question | None:
    """Where to carry on: the first unanswered question after the last one saved, then any earlier gap.

    None means nothing is left to answer: the person goes on to check and send.
    """
    shown = visible_questions(questionnaire, answers)
    ordered = [q for s in questionnaire.sections for q in s.questions if q.id in shown]
    ids = [q.id for q in ordered]
    start = ids.index(last_saved) + 1 if last_saved in ids else 0
    return next((q for q in ordered[start:] + ordered[:start] if q.id not in answers), None)
