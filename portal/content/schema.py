"""The shape of the content files. Strict: an unknown key or a wrong type is an error naming its field."""

import datetime
import enum
from collections.abc import Iterator
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Identifier = Annotated[str, StringConstraints(pattern=r"^[A-Za-z][A-Za-z0-9_]*$", max_length=40)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=1000, strip_whitespace=True)]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CareActOutcome(enum.StrEnum):
    """The ten specified outcomes of the Eligibility Regulations 2015, reg 2(2)(a)–(j)."""

    NUTRITION = "nutrition"
    PERSONAL_HYGIENE = "personal_hygiene"
    TOILET_NEEDS = "toilet_needs"
    BEING_CLOTHED = "being_clothed"
    USING_HOME_SAFELY = "using_home_safely"
    HABITABLE_HOME = "habitable_home"
    RELATIONSHIPS = "relationships"
    WORK_AND_LEARNING = "work_and_learning"
    COMMUNITY_SERVICES = "community_services"
    CARING_FOR_A_CHILD = "caring_for_a_child"


class Option(Strict):
    value: Identifier
    label: Text
    hint: Text | None = None
    points: int = Field(ge=0, le=100)
    unable: bool


class ShownIf(Strict):
    question: Identifier
    any_of: tuple[Identifier, ...] = Field(min_length=1)


class Question(Strict):
    id: Identifier
    text: Text
    hint: Text
    why: Text
    type: Literal["choice", "hours", "text"]
    options: tuple[Option, ...] = ()
    shown_if: ShownIf | None = None

    def option(self, value: str) -> Option | None:
        return next((option for option in self.options if option.value == value), None)


class Section(Strict):
    id: Identifier
    title: Text
    summary: Text
    kind: Literal["eligibility", "need", "family_support", "carer"]
    outcome: CareActOutcome | None
    questions: tuple[Question, ...] = Field(min_length=1)


class Questionnaire(Strict):
    version: int = Field(ge=1)
    answer_without_help_reminder: Text
    sections: tuple[Section, ...] = Field(min_length=1)

    def question(self, question_id: str) -> Question | None:
        return next((q for s in self.sections for q in s.questions if q.id == question_id), None)

    def section_of(self, question_id: str) -> Section | None:
        return next((s for s in self.sections if any(q.id == question_id for q in s.questions)), None)


class Band(Strict):
    """Points numbered first_point..last_point each earn pence_per_point a week (In Control-style curve)."""

    first_point: int = Field(ge=1)
    last_point: int | None = Field(default=None, ge=1)
    pence_per_point: int = Field(ge=0)


class Eligibility(Strict):
    condition_question: Identifier
    condition_answers: tuple[Identifier, ...] = Field(min_length=1)
    wellbeing_question: Identifier
    wellbeing_answers: tuple[Identifier, ...] = Field(min_length=1)
    minimum_outcomes_unable: int = Field(ge=1, le=10)


class CarerDeduction(Strict):
    """Unpaid help reduces only substitutable points, and only with the carer's consent (domain.md §7.1 rule 2)."""

    sections: tuple[Identifier, ...] = Field(min_length=1)
    hours_question: Identifier
    consent_question: Identifier
    consent_answers: tuple[Identifier, ...] = Field(min_length=1)
    points_per_hour: int = Field(ge=0, le=10)
    max_percent: int = Field(ge=0, le=100)


class NightSupport(Strict):
    question: Identifier
    weekly_pence: dict[Identifier, int]


class CarerBreaks(Strict):
    questions: tuple[Identifier, ...] = Field(min_length=1)
    nights_a_year_by_points: dict[int, int]
    pence_per_night: int = Field(ge=0)


class FundingStreams(Strict):
    core: Identifier
    night_support: Identifier
    carer_breaks: Identifier


class RasConfig(Strict):
    id: Identifier
    effective_from: datetime.date
    eligibility: Eligibility
    points_sections: tuple[Identifier, ...] = Field(min_length=1)
    bands: tuple[Band, ...] = Field(min_length=1)
    carer_deduction: CarerDeduction
    night_support: NightSupport
    carer_breaks: CarerBreaks
    complex_needs_weekly_trigger_pence: int = Field(ge=0)
    system_contingency_percent: int = Field(ge=0, le=50)
    round_annual_up_to_pence: int = Field(ge=1)
    funding_streams: FundingStreams


class BlockedSpending(Strict):
    code: Identifier
    label: Text
    words: tuple[
        Annotated[str, StringConstraints(min_length=2, max_length=60, strip_whitespace=True, to_lower=True)], ...
    ] = Field(min_length=1)


class MonitoringConfig(Strict):
    """How budget accounts are looked after: payments, surplus thresholds, returns, reviews, what is not allowed."""

    payment_frequency: Literal["4 weeks", "quarter"]
    surplus_explain_weeks: int = Field(ge=1, le=52)
    surplus_recover_weeks: int = Field(ge=1, le=52)
    look_ahead_weeks: int = Field(ge=1, le=12)
    return_frequency: Literal["4 weeks", "quarter"]
    return_due_days: int = Field(ge=1, le=180)
    contribution_grace_days: int = Field(ge=0, le=60)
    first_review_weeks: tuple[int, int]
    review_every_weeks: int = Field(ge=1, le=104)
    receipts_needed_from_pence: int = Field(ge=0)
    receipt_max_bytes: int = Field(ge=1024, le=50 * 1024 * 1024)
    statement_max_lines: int = Field(ge=10, le=100_000)
    blocked_spending: tuple[BlockedSpending, ...]


Alias = Annotated[str, StringConstraints(min_length=1, max_length=80, strip_whitespace=True)]
PortalPage = Literal["assessment", "budget", "plan", "account", "directory", "help", "language", "none"]


class GlossaryTerm(Strict):
    """One piece of jargon: what the Jargon buster shows and what the assistant answers with."""

    id: Identifier
    name: Text
    also_called: tuple[Alias, ...] = ()
    misspellings: tuple[Alias, ...] = ()
    explanation: Text
    easy_read: Text
    related: tuple[Identifier, ...] = ()
    where: PortalPage


class Glossary(Strict):
    terms: tuple[GlossaryTerm, ...] = Field(min_length=1)

    def term(self, term_id: str) -> GlossaryTerm | None:
        return next((term for term in self.terms if term.id == term_id), None)


class HelpTopic(Strict):
    """A checked answer to a question about the process, on the Help page and from the assistant."""

    id: Identifier
    title: Text
    answer: Annotated[str, StringConstraints(min_length=1, max_length=2000, strip_whitespace=True)]
    where: PortalPage


class HelpTopics(Strict):
    topics: tuple[HelpTopic, ...] = Field(min_length=1)

    def topic(self, topic_id: str) -> HelpTopic | None:
        return next((topic for topic in self.topics if topic.id == topic_id), None)


class Open(BaseModel):
    """ORUK records allow fields we do not read; we check only the ones we rely on."""

    model_config = ConfigDict(extra="allow", frozen=True)


class TaxonomyTerm(Open):
    id: Annotated[str, StringConstraints(min_length=1)]
    code: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    name: Text
    description: Text


class Taxonomy(Open):
    id: Annotated[str, StringConstraints(min_length=1)]
    name: Text
    description: Text
    taxonomy_terms: tuple[TaxonomyTerm, ...] = Field(min_length=1)


class DirectoryFilters(Strict):
    """What the directory's search page offers. Codes are taxonomy term codes from taxonomy.json."""

    categories_taxonomy: Text
    accessibility_features: tuple[Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")], ...]
    free_category: Annotated[str, StringConstraints(pattern=r"^[a-z0-9-]+$")]
    whole_area: Text
    hourly_cost_limits_pence: tuple[Annotated[int, Field(gt=0)], ...] = Field(min_length=1)
    distances_miles: tuple[Annotated[int, Field(gt=0, le=50)], ...] = Field(min_length=1)


class Pictogram(enum.StrEnum):
    """The pictures drawn for Easy Read, each portal/static/pictograms/<value>.svg: a new one needs drawing first."""

    BOOK = "book"
    CALCULATOR = "calculator"
    CALENDAR = "calendar"
    CAMERA = "camera"
    CARD = "card"
    CLOCK = "clock"
    COMPUTER = "computer"
    COUNCIL = "council"
    CROSS = "cross"
    EMAIL = "email"
    FORM = "form"
    GROUP = "group"
    HEART = "heart"
    HELPER = "helper"
    HOUSE = "house"
    LANGUAGE = "language"
    MONEY = "money"
    PEN = "pen"
    PERSON = "person"
    PHONE = "phone"
    PLAN = "plan"
    QUESTION = "question"
    RECEIPT = "receipt"
    SEARCH = "search"
    STAR = "star"
    TICK = "tick"
    WARNING = "warning"


class EasyReadPoint(Strict):
    """One idea: a sentence or two in common words, beside a picture."""

    text: Annotated[str, StringConstraints(min_length=1, max_length=200, strip_whitespace=True)]
    picture: Pictogram


class EasyReadPage(Strict):
    title: Text
    points: tuple[EasyReadPoint, ...] = Field(min_length=1, max_length=15)


# What each page fills in for %(name)s-style placeholders; every page also gives the council's phone and email.
EASY_READ_PLACEHOLDERS: dict[str, frozenset[str]] = {
    "assessment_start": frozenset({"name"}),
    "budget_result": frozenset({"name", "amount", "weekly"}),
    "budget_not_eligible": frozenset({"name"}),
    "plan_overview": frozenset({"name"}),
    "record_spending": frozenset({"name", "size"}),
    "help": frozenset(),
    "jargon": frozenset(),
    "help_topics": frozenset(),
}
EASY_READ_COUNCIL_PLACEHOLDERS = frozenset({"phone", "email"})


class EasyRead(Strict):
    """The Easy Read version of the pages that matter most, shown in place of their explanations when switched on."""

    assessment_start: EasyReadPage
    budget_result: EasyReadPage
    budget_not_eligible: EasyReadPage
    plan_overview: EasyReadPage
    record_spending: EasyReadPage
    help: EasyReadPage
    jargon: EasyReadPage
    help_topics: dict[Identifier, EasyReadPage]

    def pages(self) -> Iterator[tuple[str, EasyReadPage]]:
        """Every page with its key: a field name, or "help_topics.<topic id>"."""
        for key in EASY_READ_PLACEHOLDERS:
            if key == "help_topics":
                yield from ((f"help_topics.{topic}", page) for topic, page in self.help_topics.items())
            else:
                yield key, getattr(self, key)

    def page(self, key: str) -> EasyReadPage | None:
        return dict(self.pages()).get(key)
