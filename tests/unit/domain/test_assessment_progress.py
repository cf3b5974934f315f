"""Self-assessment progress on the real questionnaire: what is asked, what is missing, where to carry on."""

from pathlib import Path

import pytest

from portal.content.load import load_content
from portal.domain.assessment import (
    MAX_HOURS_A_WEEK,
    AnswerProblem,
    SectionStatus,
    check_answer,
    is_complete,
    next_question,
    previous_question,
    ras_answers,
    resume_point,
    section_progress,
)

QUESTIONNAIRE = load_content(Path("content")).questionnaire
Q = QUESTIONNAIRE.question


def full_answers(**overrides):
    """Every question answered with its first option (or 0 hours, or words), as a person finishing would."""
    answers = {}
    for section in QUESTIONNAIRE.sections:
        for question in section.questions:
            if question.type == "choice":
                answers[question.id] = question.options[0].value
            elif question.type == "hours":
                answers[question.id] = "0"
            else:
                answers[question.id] = ""
    answers.update(overrides)
    return answers


@pytest.mark.parametrize(
    ("question_id", "raw", "expected"),
    [
        ("A1", "every_meal", ("every_meal", None)),
        ("A1", " every_meal ", ("every_meal", None)),
        ("A1", "", (None, AnswerProblem.MISSING)),
        ("A1", "made_up", (None, AnswerProblem.NOT_AN_OPTION)),
        ("M2", "12", ("12", None)),
        ("M2", "007", ("7", None)),
        ("M2", "0", ("0", None)),
        ("M2", "", (None, AnswerProblem.MISSING)),
        ("M2", "ten", (None, AnswerProblem.NOT_A_WHOLE_NUMBER)),
        ("M2", "-3", (None, AnswerProblem.NOT_A_WHOLE_NUMBER)),
        ("M2", "2.5", (None, AnswerProblem.NOT_A_WHOLE_NUMBER)),
        ("M2", "١٢", (None, AnswerProblem.NOT_A_WHOLE_NUMBER)),  # digits, but not ones int() should be given
        ("M2", str(MAX_HOURS_A_WEEK), (str(MAX_HOURS_A_WEEK), None)),
        ("M2", str(MAX_HOURS_A_WEEK + 1), (None, AnswerProblem.TOO_MANY_HOURS)),
        ("A_notes", "", ("", None)),
        ("A_notes", "  I like my tea strong  ", ("I like my tea strong", None)),
        ("A_notes", "x" * 2001, (None, AnswerProblem.TOO_LONG)),
    ],
)
def test_check_answer(question_id, raw, expected):
    assert check_answer(Q(question_id), raw) == expected


def test_nothing_answered_means_every_section_not_started():
    statuses = {part.section.id: part.status for part in section_progress(QUESTIONNAIRE, {})}
    assert set(statuses.values()) == {SectionStatus.NOT_STARTED}
    assert not is_complete(QUESTIONNAIRE, {})


def test_a_section_is_in_progress_until_every_required_question_is_answered():
    progress = {p.section.id: p for p in section_progress(QUESTIONNAIRE, {"A1": "alone"})}
    assert progress["A"].status is SectionStatus.IN_PROGRESS
    assert [q.id for q in progress["A"].unanswered] == ["A2"]  # the notes question is optional
    progress = {p.section.id: p for p in section_progress(QUESTIONNAIRE, {"A1": "alone", "A2": "alone"})}
    assert progress["A"].status is SectionStatus.COMPLETED


def test_conditional_questions_are_asked_only_when_their_condition_is_met():
    no_help = {p.section.id: p for p in section_progress(QUESTIONNAIRE, {"M1": "no"})}
    assert [q.id for q in no_help["M"].questions] == ["M1", "M_notes"]
    assert no_help["M"].status is SectionStatus.COMPLETED
    with_help = {p.section.id: p for p in section_progress(QUESTIONNAIRE, {"M1": "yes"})}
    assert [q.id for q in with_help["M"].unanswered] == ["M2", "M3", "M4"]


def test_complete_when_every_asked_required_question_is_answered():
    assert is_complete(QUESTIONNAIRE, full_answers())
    assert not is_complete(QUESTIONNAIRE, {k: v for k, v in full_answers().items() if k != "N2"})
    # Notes left out entirely still count as complete: they are optional.
    assert is_complete(QUESTIONNAIRE, {k: v for k, v in full_answers().items() if not k.endswith("notes")})


def test_next_and_previous_stay_in_the_section_and_skip_what_is_not_asked():
    assert next_question(QUESTIONNAIRE, {}, "A1").id == "A2"
    assert next_question(QUESTIONNAIRE, {}, "A_notes") is None
    assert next_question(QUESTIONNAIRE, {"M1": "no"}, "M1").id == "M_notes"
    assert next_question(QUESTIONNAIRE, {"M1": "yes"}, "M1").id == "M2"
    assert previous_question(QUESTIONNAIRE, {"M1": "no"}, "M_notes").id == "M1"
    assert previous_question(QUESTIONNAIRE, {}, "A1") is None
    assert next_question(QUESTIONNAIRE, {}, "no_such_question") is None


def test_resume_carries_on_after_the_last_answer_saved():
    answers = {"about_condition": "yes", "about_wellbeing": "some", "about_what_matters": ""}
    assert resume_point(QUESTIONNAIRE, answers, "about_what_matters").id == "A1"
    assert resume_point(QUESTIONNAIRE, {}, None).id == "about_condition"


def test_resume_goes_back_to_an_earlier_gap_when_the_rest_is_done():
    answers = full_answers()
    del answers["B1"]
    assert resume_point(QUESTIONNAIRE, answers, "N_notes").id == "B1"
    assert resume_point(QUESTIONNAIRE, full_answers(), "N_notes") is None


def test_resume_after_sections_done_out_of_order():
    answers = {q.id: "0" for q in QUESTIONNAIRE.sections[-1].questions}
    answers.update({"N1": "none", "N2": "none", "N_notes": ""})
    assert resume_point(QUESTIONNAIRE, answers, "N_notes").id == "about_condition"


def test_ras_answers_reads_hours_as_numbers_and_drops_removed_questions():
    assert ras_answers(QUESTIONNAIRE, {"M2": "12", "A1": "alone", "retired_question": "x"}) == {"M2": 12, "A1": "alone"}
