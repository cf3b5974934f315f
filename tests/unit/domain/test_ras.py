"""The RAS on a small questionnaire made here, so each rule is tested on its own figures."""

from pathlib import Path

import pytest
import yaml

from portal.content.schema import Questionnaire, RasConfig
from portal.domain.money import Pence
from portal.domain.ras import band_lines, decide_eligibility, indicative_budget

RAS = RasConfig.model_validate(yaml.safe_load(Path("content/ras/2026-04.yml").read_text()))


def question(question_id, options, type_="choice"):
    return {"id": question_id, "text": "Q?", "hint": "h", "why": "w", "type": type_, "options": options}


def scale(question_id, points, unable_from=1):
    """Options worth `points`, named v<points>; from option `unable_from` on they mark 'unable'."""
    return question(
        question_id,
        [{"value": f"v{p}", "label": str(p), "points": p, "unable": i >= unable_from} for i, p in enumerate(points)],
    )


def choice(question_id, values):
    return question(question_id, [{"value": v, "label": v, "points": 0, "unable": False} for v in values])


OUTCOMES = [
    "nutrition",
    "personal_hygiene",
    "toilet_needs",
    "being_clothed",
    "using_home_safely",
    "habitable_home",
    "relationships",
    "work_and_learning",
    "community_services",
    "caring_for_a_child",
]
SECTIONS = [
    {
        "id": "about",
        "title": "t",
        "summary": "s",
        "kind": "eligibility",
        "outcome": None,
        "questions": [
            choice("about_condition", ["no", "not_sure", "yes"]),
            choice("about_wellbeing", ["none", "some", "significant"]),
        ],
    }
]
for letter, outcome in zip("ABCDEFGHIJ", OUTCOMES, strict=True):
    questions = [scale(f"{letter}1", [0, 2, 5, 8, 12, 100])]
    if letter == "E":
        questions.append({**choice("E3", ["none", "occasional", "sleep_in", "waking_night"])})
    SECTIONS.append(
        {"id": letter, "title": "t", "summary": "s", "kind": "need", "outcome": outcome, "questions": questions}
    )
for letter in "KL":
    SECTIONS.append(
        {
            "id": letter,
            "title": "t",
            "summary": "s",
            "kind": "need",
            "outcome": None,
            "questions": [scale(f"{letter}1", [0, 2, 5], unable_from=99)],
        }
    )
# Two dials of 0 to 100 points, so a test can ask for any total.
SECTIONS[-1]["questions"] += [
    scale("L8", list(range(101)), unable_from=999),
    scale("L9", list(range(101)), unable_from=999),
]
SECTIONS.append(
    {
        "id": "M",
        "title": "t",
        "summary": "s",
        "kind": "family_support",
        "outcome": None,
        "questions": [
            choice("M1", ["no", "yes"]),
            {
                "id": "M2",
                "text": "Q?",
                "hint": "h",
                "why": "w",
                "type": "hours",
                "shown_if": {"question": "M1", "any_of": ["yes"]},
            },
            {**choice("M3", ["no", "yes"]), "shown_if": {"question": "M1", "any_of": ["yes"]}},
        ],
    }
)
SECTIONS.append(
    {
        "id": "N",
        "title": "t",
        "summary": "s",
        "kind": "carer",
        "outcome": None,
        "questions": [scale("N1", [0, 4, 8, 12], unable_from=99), scale("N2", [0, 4, 8, 12], unable_from=99)],
    }
)
QUESTIONNAIRE = Questionnaire.model_validate({"version": 1, "answer_without_help_reminder": "r", "sections": SECTIONS})

ELIGIBLE = {"about_condition": "yes", "about_wellbeing": "significant", "A1": "v2", "B1": "v2"}


def with_points(points, **extra):
    """Eligible answers (A and B give 2 points each) topped up to `points` by the L8 and L9 dials."""
    rest = points - 4
    return {**ELIGIBLE, "L8": f"v{min(rest, 100)}", "L9": f"v{rest - min(rest, 100)}", **extra}


@pytest.mark.parametrize(
    ("points", "weekly"),
    [
        (4, 0),
        (14, 0),
        (15, 350),
        (40, 9100),
        (41, 9550),
        (60, 18100),
        (80, 27100),
        (81, 27750),
        (120, 53100),
        (121, 54000),
        (160, 89100),
        (161, 90200),
    ],
)
def test_band_edges(points, weekly):
    assert sum(line.weekly_pence for line in band_lines(RAS, points)) == weekly


def test_worked_example_sixty_points_is_about_seven_hours_of_care():
    answers = with_points(60)
    budget = indicative_budget(QUESTIONNAIRE, RAS, answers)
    assert budget.need_points == 60
    assert budget.core_weekly_pence == 18100
    assert budget.annual_pence == 18100 * 52  # already whole pounds
    assert budget.weekly_pence == 18100
    assert budget.funding == {"care_act_s18": 941200}
    assert [s.kind for s in budget.steps][-3:] == ["band", "core_weekly", "annual"]


def test_not_eligible_names_the_tests_not_met():
    budget = indicative_budget(QUESTIONNAIRE, RAS, {"about_condition": "no", "about_wellbeing": "some", "A1": "v2"})
    assert not budget.eligibility.eligible
    assert budget.eligibility.tests_not_met == ("condition", "outcomes", "wellbeing")
    assert budget.annual_pence == 0 and budget.funding == {}


def test_two_outcomes_needed():
    one = decide_eligibility(QUESTIONNAIRE, RAS, {**ELIGIBLE, "B1": "v0"})
    assert one.tests_not_met == ("outcomes",) and one.outcomes_unable == ("nutrition",)
    two = decide_eligibility(QUESTIONNAIRE, RAS, ELIGIBLE)
    assert two.eligible and two.outcomes_unable == ("nutrition", "personal_hygiene")


def test_not_sure_about_a_condition_gets_the_benefit_of_the_doubt():
    assert decide_eligibility(QUESTIONNAIRE, RAS, {**ELIGIBLE, "about_condition": "not_sure"}).eligible


def test_unpaid_help_counts_only_with_consent_and_never_more_than_forty_percent():
    base = {**with_points(60), "C1": "v12"}  # A–F now hold 16 points, so 40% of them is 6
    budget = indicative_budget(QUESTIONNAIRE, RAS, {**base, "M1": "yes", "M2": 30, "M3": "no"})
    assert budget.carer_deduction_points == 0
    with_consent = indicative_budget(QUESTIONNAIRE, RAS, {**base, "M1": "yes", "M2": 5, "M3": "yes"})
    assert with_consent.carer_deduction_points == 5
    assert with_consent.points_counted == 60 + 12 - 5
    capped = indicative_budget(QUESTIONNAIRE, RAS, {**base, "M1": "yes", "M2": 100, "M3": "yes"})
    substitutable = sum(capped.section_points[s] for s in "ABCDEF")
    assert substitutable == 16
    assert capped.carer_deduction_points == 6


def test_hours_are_ignored_when_the_question_was_not_asked():
    budget = indicative_budget(QUESTIONNAIRE, RAS, {**with_points(60), "M1": "no", "M2": 20, "M3": "yes"})
    # M2 and M3 are only asked when M1 is yes; stale answers from an earlier "yes" must not count.
    assert budget.carer_deduction_points == 0
    assert budget.points_counted == 60


def test_night_support_and_carer_breaks_are_added_outside_the_curve():
    answers = {**with_points(60), "E3": "sleep_in", "N1": "v8", "N2": "v4"}
    budget = indicative_budget(QUESTIONNAIRE, RAS, answers)
    assert budget.night_support_weekly_pence == 77000
    assert budget.carer_break_nights == 28
    assert budget.carer_breaks_annual_pence == 28 * 15000
    exact = (18100 + 77000) * 52 + 420000
    assert budget.annual_pence == -(-exact // 100) * 100
    assert budget.funding == {"care_act_s18": (18100 + 77000) * 52 + budget.rounding_pence, "carer_support_s20": 420000}
    assert sum(budget.funding.values()) == budget.annual_pence


def test_over_the_trigger_is_costed_in_detail_never_capped():
    answers = {**with_points(168), "E3": "waking_night"}
    budget = indicative_budget(QUESTIONNAIRE, RAS, answers)
    assert budget.complex_needs_costing
    assert budget.core_weekly_pence + budget.night_support_weekly_pence > 120000
    assert budget.annual_pence >= (budget.core_weekly_pence + budget.night_support_weekly_pence) * 52
    assert budget.steps[-1].kind == "complex_needs"


def test_the_yearly_figure_is_rounded_up_to_a_whole_pound_in_the_persons_favour():
    budget = indicative_budget(QUESTIONNAIRE, RAS, with_points(15))
    assert budget.core_weekly_pence == 350
    assert budget.annual_pence == 18200 and budget.rounding_pence == 0
    odd = indicative_budget(QUESTIONNAIRE, RAS, {**with_points(15), "N1": "v4"})
    assert odd.annual_pence % 100 == 0 and 0 <= odd.rounding_pence < 100
    assert Pence(odd.annual_pence) == 18200 + 14 * 15000
