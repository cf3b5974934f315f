"""Properties of the RAS over the real questionnaire and RAS configuration (Hypothesis)."""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from portal.content.load import load_content
from portal.domain.ras import indicative_budget

CONTENT = load_content(Path("content"))
QUESTIONNAIRE = CONTENT.questionnaire
RAS = CONTENT.ras_versions[-1]
CHOICES = [q for s in QUESTIONNAIRE.sections for q in s.questions if q.type == "choice"]
HOURS = [q for s in QUESTIONNAIRE.sections for q in s.questions if q.type == "hours"]
# Questions about need. Help from family and friends is meant to lower the figure (with consent), so not those.
NEED_CHOICES = [q for s in QUESTIONNAIRE.sections if s.kind != "family_support" for q in s.questions if q.options]


@st.composite
def answer_sets(draw):
    answers = {q.id: draw(st.sampled_from([o.value for o in q.options])) for q in CHOICES}
    answers.update({q.id: draw(st.integers(min_value=0, max_value=168)) for q in HOURS})
    return answers


def maximum_weekly_pence() -> int:
    most_points = sum(
        max(o.points for o in q.options)
        for s in QUESTIONNAIRE.sections
        if s.id in RAS.points_sections
        for q in s.questions
        if q.options
    )
    top_rate = max(band.pence_per_point for band in RAS.bands)
    return most_points * top_rate + max(RAS.night_support.weekly_pence.values())


@settings(max_examples=300)
@given(answers=answer_sets(), data=st.data())
def test_a_higher_need_answer_never_lowers_the_figure(answers, data):
    question = data.draw(st.sampled_from(NEED_CHOICES))
    values = [o.value for o in question.options]
    index = values.index(answers[question.id])
    higher = data.draw(st.integers(min_value=index, max_value=len(values) - 1))
    before = indicative_budget(QUESTIONNAIRE, RAS, answers)
    after = indicative_budget(QUESTIONNAIRE, RAS, {**answers, question.id: values[higher]})
    assert after.annual_pence >= before.annual_pence
    assert after.eligibility.eligible >= before.eligibility.eligible


@given(answers=answer_sets())
def test_more_unpaid_help_never_raises_the_figure(answers):
    hours = RAS.carer_deduction.hours_question
    with_more_help = {**answers, hours: answers[hours] + 10}
    assert (
        indicative_budget(QUESTIONNAIRE, RAS, with_more_help).annual_pence
        <= indicative_budget(QUESTIONNAIRE, RAS, answers).annual_pence
    )


@settings(max_examples=300)
@given(answers=answer_sets())
def test_results_stay_in_bounds_and_every_split_adds_up(answers):
    budget = indicative_budget(QUESTIONNAIRE, RAS, answers)
    assert 0 <= budget.annual_pence
    assert budget.core_weekly_pence + budget.night_support_weekly_pence <= maximum_weekly_pence()
    assert sum(budget.funding.values()) == budget.annual_pence
    assert budget.annual_pence % RAS.round_annual_up_to_pence == 0
    assert 0 <= budget.carer_deduction_points <= budget.need_points
    if not budget.eligibility.eligible:
        assert budget.annual_pence == 0


@given(answers=answer_sets())
def test_same_answers_and_version_always_give_the_same_result(answers):
    assert indicative_budget(QUESTIONNAIRE, RAS, answers) == indicative_budget(QUESTIONNAIRE, RAS, dict(answers))
