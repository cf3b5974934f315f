"""The Resource Allocation System: from self-assessment answers to an indicative personal budget.

Configured by content/ras/*.yml and content/questionnaire.yml. Follows domain.md §7.1–7.3: eligibility
is decided first (Care Act 2014; Eligibility Regulations 2015, reg 2), points come only after it, and
every step of the working is recorded so the person can see how the figure was reached.
"""

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field

from portal.content.schema import Questionnaire, RasConfig
from portal.domain.money import Pence

WEEKS_A_YEAR = 52
Answer = str | int
Answers = Mapping[str, Answer]


@dataclass(frozen=True)
class Step:
    """One line of "how we worked this out". Templates turn `kind` and `values` into translated words."""

    kind: str
    values: Mapping[str, object] = field(default_factory=dict)


@dataclass(frozen=True)
class EligibilityDecision:
    eligible: bool
    condition_met: bool
    outcomes_unable: tuple[str, ...]
    significant_impact: bool
    tests_not_met: tuple[str, ...]  # "condition", "outcomes", "wellbeing"


@dataclass(frozen=True)
class BandLine:
    first_point: int
    last_point: int
    points: int
    pence_per_point: int
    weekly_pence: Pence


@dataclass(frozen=True)
class IndicativeBudget:
    ras_id: str
    eligibility: EligibilityDecision
    section_points: Mapping[str, int]
    need_points: int
    carer_deduction_points: int
    points_counted: int
    band_lines: tuple[BandLine, ...]
    core_weekly_pence: Pence
    night_support_weekly_pence: Pence
    carer_break_nights: int
    carer_breaks_annual_pence: Pence
    rounding_pence: Pence
    annual_pence: Pence
    funding: Mapping[str, Pence]
    complex_needs_costing: bool
    steps: tuple[Step, ...]

    @property
    def weekly_pence(self) -> Pence:
        """The yearly figure as a weekly amount, to the nearest penny, for people to compare with costs."""
        return Pence((self.annual_pence * 2 + WEEKS_A_YEAR) // (WEEKS_A_YEAR * 2))


def budget_as_record(budget: IndicativeBudget) -> dict[str, object]:
    """The whole result as plain JSON-ready data, kept with the issued budget so it never changes later."""
    return {**asdict(budget), "weekly_pence": budget.weekly_pence}


def visible_questions(questionnaire: Questionnaire, answers: Answers) -> set[str]:
    """Questions the person is asked: those with no condition, or whose condition their answers meet."""
    shown = set()
    for section in questionnaire.sections:
        for question in section.questions:
            condition = question.shown_if
            if condition is None or (
                condition.question in shown and answers.get(condition.question) in condition.any_of
            ):
                shown.add(question.id)
    return shown


def asked_answers(questionnaire: Questionnaire, answers: Answers) -> dict[str, Answer]:
    """Only answers to questions the person was asked count: a stale answer behind a changed condition does not."""
    shown = visible_questions(questionnaire, answers)
    return {question_id: answer for question_id, answer in answers.items() if question_id in shown}


def decide_eligibility(questionnaire: Questionnaire, ras: RasConfig, answers: Answers) -> EligibilityDecision:
    """Reg 2: needs from a condition, unable to achieve two or more outcomes, and a significant impact."""
    rules = ras.eligibility
    shown = visible_questions(questionnaire, answers)
    unable = []
    for section in questionnaire.sections:
        if section.outcome is None:
            continue
        for question in section.questions:
            option = question.option(str(answers.get(question.id))) if question.id in shown else None
            if option is not None and option.unable:
                unable.append(section.outcome.value)
                break
    condition_met = answers.get(rules.condition_question) in rules.condition_answers
    significant = answers.get(rules.wellbeing_question) in rules.wellbeing_answers
    not_met = tuple(
        test
        for test, met in (
            ("condition", condition_met),
            ("outcomes", len(unable) >= rules.minimum_outcomes_unable),
            ("wellbeing", significant),
        )
        if not met
    )
    return EligibilityDecision(not not_met, condition_met, tuple(unable), significant, not_met)


def points_by_section(questionnaire: Questionnaire, ras: RasConfig, answers: Answers) -> dict[str, int]:
    shown = visible_questions(questionnaire, answers)
    totals = {}
    for section in questionnaire.sections:
        if section.id not in ras.points_sections:
            continue
        total = 0
        for question in section.questions:
            option = question.option(str(answers.get(question.id))) if question.id in shown else None
            total += option.points if option is not None else 0
        totals[section.id] = total
    return totals


def carer_deduction(ras: RasConfig, answers: Answers, section_points: Mapping[str, int]) -> int:
    """Points taken off for unpaid help that will carry on: only with consent, and never over the cap."""
    rule = ras.carer_deduction
    if answers.get(rule.consent_question) not in rule.consent_answers:
        return 0
    hours = answers.get(rule.hours_question)
    if not isinstance(hours, int) or hours <= 0:
        return 0
    substitutable = sum(section_points.get(section, 0) for section in rule.sections)
    return min(hours * rule.points_per_hour, substitutable * rule.max_percent // 100)


def band_lines(ras: RasConfig, points: int) -> tuple[BandLine, ...]:
    """Each point is paid at the rate of the band it falls in (a rising, piecewise curve)."""
    lines = []
    for band in ras.bands:
        last = band.last_point if band.last_point is not None else max(points, band.first_point)
        in_band = max(0, min(points, last) - band.first_point + 1)
        if in_band:
            lines.append(
                BandLine(band.first_point, last, in_band, band.pence_per_point, Pence(in_band * band.pence_per_point))
            )
    return tuple(lines)


def carer_break_nights(ras: RasConfig, answers: Answers, questionnaire: Questionnaire) -> int:
    """The carer's break allowance follows the strongest sign that caring is not sustainable."""
    strongest = 0
    for question_id in ras.carer_breaks.questions:
        question = questionnaire.question(question_id)
        option = question.option(str(answers.get(question_id))) if question is not None else None
        if option is not None:
            strongest = max(strongest, option.points)
    reached = [nights for points, nights in ras.carer_breaks.nights_a_year_by_points.items() if strongest >= points]
    return max(reached, default=0)


def indicative_budget(questionnaire: Questionnaire, ras: RasConfig, answers: Answers) -> IndicativeBudget:
    """Work out the indicative personal budget and every step of the working.

    The figure is a starting point for planning (Care Act s26; guidance 11.24), not an entitlement:
    the final personal budget is the cost of the agreed support plan.
    """
    answers = asked_answers(questionnaire, answers)
    eligibility = decide_eligibility(questionnaire, ras, answers)
    sections = points_by_section(questionnaire, ras, answers)
    need_points = sum(sections.values())
    steps = [Step("section_points", {"section": s, "points": p}) for s, p in sections.items()]
    steps.append(Step("need_points", {"points": need_points}))
    steps.append(
        Step(
            "eligibility",
            {
                "eligible": eligibility.eligible,
                "outcomes_unable": len(eligibility.outcomes_unable),
                "tests_not_met": eligibility.tests_not_met,
            },
        )
    )
    if not eligibility.eligible:
        return _not_eligible(ras, eligibility, sections, need_points, tuple(steps))

    deduction = carer_deduction(ras, answers, sections)
    if deduction:
        steps.append(Step("carer_deduction", {"points": deduction}))
    counted = need_points - deduction
    lines = band_lines(ras, counted)
    for line in lines:
        steps.append(
            Step(
                "band",
                {
                    "first": line.first_point,
                    "last": line.last_point,
                    "points": line.points,
                    "pence_per_point": line.pence_per_point,
                    "weekly_pence": line.weekly_pence,
                },
            )
        )
    core_weekly = Pence(sum(line.weekly_pence for line in lines))
    steps.append(Step("core_weekly", {"points": counted, "weekly_pence": core_weekly}))

    night_weekly = Pence(ras.night_support.weekly_pence.get(str(answers.get(ras.night_support.question)), 0))
    if night_weekly:
        steps.append(
            Step("night_support", {"answer": answers.get(ras.night_support.question), "weekly_pence": night_weekly})
        )
    nights = carer_break_nights(ras, answers, questionnaire)
    breaks_annual = Pence(nights * ras.carer_breaks.pence_per_night)
    if nights:
        steps.append(
            Step(
                "carer_breaks",
                {"nights": nights, "pence_per_night": ras.carer_breaks.pence_per_night, "annual_pence": breaks_annual},
            )
        )

    exact_annual = (core_weekly + night_weekly) * WEEKS_A_YEAR + breaks_annual
    step = ras.round_annual_up_to_pence
    annual = Pence(-(-exact_annual // step) * step)
    rounding = Pence(annual - exact_annual)
    steps.append(Step("annual", {"exact_pence": exact_annual, "rounding_pence": rounding, "annual_pence": annual}))

    streams = ras.funding_streams
    funding: dict[str, Pence] = {}
    # The rounding, in the person's favour, is paid from the core stream: the split adds up to the penny.
    for stream, amount in (
        (streams.core, core_weekly * WEEKS_A_YEAR + rounding),
        (streams.night_support, night_weekly * WEEKS_A_YEAR),
        (streams.carer_breaks, breaks_annual),
    ):
        if amount:
            funding[stream] = Pence(funding.get(stream, 0) + amount)
    complex_needs = core_weekly + night_weekly > ras.complex_needs_weekly_trigger_pence
    if complex_needs:
        steps.append(Step("complex_needs", {"trigger_weekly_pence": ras.complex_needs_weekly_trigger_pence}))
    return IndicativeBudget(
        ras_id=ras.id,
        eligibility=eligibility,
        section_points=sections,
        need_points=need_points,
        carer_deduction_points=deduction,
        points_counted=counted,
        band_lines=lines,
        core_weekly_pence=core_weekly,
        night_support_weekly_pence=night_weekly,
        carer_break_nights=nights,
        carer_breaks_annual_pence=breaks_annual,
        rounding_pence=rounding,
        annual_pence=annual,
        funding=funding,
        complex_needs_costing=complex_needs,
        steps=tuple(steps),
    )


def _not_eligible(
    ras: RasConfig,
    eligibility: EligibilityDecision,
    sections: Mapping[str, int],
    need_points: int,
    steps: tuple[Step, ...],
) -> IndicativeBudget:
    zero = Pence(0)
    return IndicativeBudget(
        ras_id=ras.id,
        eligibility=eligibility,
        section_points=sections,
        need_points=need_points,
        carer_deduction_points=0,
        points_counted=0,
        band_lines=(),
        core_weekly_pence=zero,
        night_support_weekly_pence=zero,
        carer_break_nights=0,
        carer_breaks_annual_pence=zero,
        rounding_pence=zero,
        annual_pence=zero,
        funding={},
        complex_needs_costing=False,
        steps=steps,
    )
