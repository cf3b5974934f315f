"""Read every content file once, validate it, and fail start-up with the file and field when one is wrong."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from portal.content.schema import (
    EASY_READ_COUNCIL_PLACEHOLDERS,
    EASY_READ_PLACEHOLDERS,
    DirectoryFilters,
    EasyRead,
    Glossary,
    HelpTopics,
    MonitoringConfig,
    Question,
    Questionnaire,
    RasConfig,
    Section,
    Taxonomy,
    TaxonomyTerm,
)

Model = TypeVar("Model", bound=BaseModel)
# libyaml's safe loader when PyYAML was built with it: the same rules, ten times faster at start-up.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class ContentError(Exception):
    def __init__(self, path: Path, field: str, message: str) -> None:
        super().__init__(f"{path}: {field}: {message}")
        self.path, self.field, self.message = path, field, message


@dataclass(frozen=True)
class Directory:
    taxonomies: tuple[Taxonomy, ...]
    filters: DirectoryFilters

    @property
    def categories(self) -> tuple[TaxonomyTerm, ...]:
        return next(t.taxonomy_terms for t in self.taxonomies if t.name == self.filters.categories_taxonomy)

    def term(self, code: str) -> TaxonomyTerm | None:
        return next((term for t in self.taxonomies for term in t.taxonomy_terms if term.code == code), None)


@dataclass(frozen=True)
class Content:
    questionnaire: Questionnaire
    ras_versions: tuple[RasConfig, ...]  # oldest first
    directory: Directory
    monitoring: MonitoringConfig
    glossary: Glossary
    help_topics: HelpTopics
    easy_read: EasyRead

    def ras_in_force(self, on: datetime.date) -> RasConfig:
        """The RAS version a new assessment uses: the latest whose effective date has come."""
        in_force = [ras for ras in self.ras_versions if ras.effective_from <= on]
        if not in_force:
            raise LookupError(f"no RAS version is in force on {on}")
        return in_force[-1]

    def ras_by_id(self, ras_id: str) -> RasConfig:
        return next(ras for ras in self.ras_versions if ras.id == ras_id)


def _read(path: Path, model: type[Model]) -> Model:
    return _validate(path, model, _parse(path))


def _parse(path: Path) -> object:
    """YAML, or JSON (which YAML reads too: JSON is YAML 1.2)."""
    try:
        return yaml.load(path.read_text(encoding="utf-8"), Loader=_SafeLoader)
    except FileNotFoundError:
        raise ContentError(path, "(file)", "the file is missing") from None
    except UnicodeDecodeError as error:
        raise ContentError(path, f"byte {error.start}", "not UTF-8 text: save the file as UTF-8") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        raise ContentError(path, where, f"not valid YAML: {getattr(error, 'problem', error)}") from None


def _validate(path: Path, model: type[Model], raw: object) -> Model:
    try:
        return model.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        field = ".".join(str(part) for part in first["loc"]) or "(top level)"
        raise ContentError(path, field, first["msg"]) from None


def check_questionnaire(path: Path, questionnaire: Questionnaire) -> None:
    """The rules the RAS relies on: higher need never scores less, and conditions point backwards."""
    seen: dict[str, set[str]] = {}
    for s_index, section in enumerate(questionnaire.sections):
        for q_index, question in enumerate(section.questions):
            where = f"sections.{s_index}.questions.{q_index}"
            if question.id in seen:
                raise ContentError(path, f"{where}.id", f"question id {question.id!r} is used twice")
            _check_options(path, where, section, question)
            if question.shown_if is not None:
                earlier = seen.get(question.shown_if.question)
                if earlier is None:
                    raise ContentError(path, f"{where}.shown_if.question", "must name an earlier question")
                unknown = set(question.shown_if.any_of) - earlier
                if unknown:
                    raise ContentError(path, f"{where}.shown_if.any_of", f"not answers of that question: {unknown}")
            seen[question.id] = {option.value for option in question.options}


def _check_options(path: Path, where: str, section: Section, question: Question) -> None:
    values = [option.value for option in question.options]
    if (question.type == "choice") != bool(values):
        raise ContentError(path, f"{where}.options", "choice questions, and only they, have options")
    if len(set(values)) != len(values):
        raise ContentError(path, f"{where}.options", "option values must be unique")
    points = [option.points for option in question.options]
    if points != sorted(points):
        raise ContentError(path, f"{where}.options", "options go from least to most need: points never fall")
    unable = [option.unable for option in question.options]
    if unable != sorted(unable):
        raise ContentError(path, f"{where}.options", "once an option marks 'unable', every later one must")
    if any(unable) and section.outcome is None:
        raise ContentError(path, f"{where}.options", "'unable' needs the section to name a Care Act outcome")


def check_ras(path: Path, ras: RasConfig, questionnaire: Questionnaire) -> None:
    """Every question, answer and section the RAS names must exist in the questionnaire."""
    sections = {section.id for section in questionnaire.sections}

    def answers_of(field: str, question_id: str) -> set[str]:
        question = questionnaire.question(question_id)
        if question is None:
            raise ContentError(path, field, f"no question {question_id!r} in the questionnaire")
        return {option.value for option in question.options}

    def check_answers(field: str, question_id: str, values: tuple[str, ...] | list[str]) -> None:
        unknown = set(values) - answers_of(field, question_id)
        if unknown:
            raise ContentError(path, field, f"not answers of {question_id}: {sorted(unknown)}")

    check_answers(
        "eligibility.condition_answers", ras.eligibility.condition_question, ras.eligibility.condition_answers
    )
    check_answers(
        "eligibility.wellbeing_answers", ras.eligibility.wellbeing_question, ras.eligibility.wellbeing_answers
    )
    for field, named in (
        ("points_sections", ras.points_sections),
        ("carer_deduction.sections", ras.carer_deduction.sections),
    ):
        if set(named) - sections:
            raise ContentError(path, field, f"no such sections: {sorted(set(named) - sections)}")
    deduction = ras.carer_deduction
    check_answers("carer_deduction.consent_answers", deduction.consent_question, deduction.consent_answers)
    hours = questionnaire.question(deduction.hours_question)
    if hours is None or hours.type != "hours":
        raise ContentError(path, "carer_deduction.hours_question", "must name an 'hours' question")
    check_answers("night_support.weekly_pence", ras.night_support.question, list(ras.night_support.weekly_pence))
    for question_id in ras.carer_breaks.questions:
        answers_of("carer_breaks.questions", question_id)
    _check_bands(path, ras)


def _check_bands(path: Path, ras: RasConfig) -> None:
    expected_first = 1
    for index, band in enumerate(ras.bands):
        field = f"bands.{index}"
        if band.first_point != expected_first:
            raise ContentError(
                path, f"{field}.first_point", f"bands must follow on without gaps: expected {expected_first}"
            )
        last = index == len(ras.bands) - 1
        if band.last_point is None and not last:
            raise ContentError(path, f"{field}.last_point", "only the last band is open-ended")
        if band.last_point is not None and band.last_point < band.first_point:
            raise ContentError(path, f"{field}.last_point", "ends before it starts")
        if last and band.last_point is not None:
            raise ContentError(path, f"{field}.last_point", "the last band must be open-ended (no last_point)")
        expected_first = (band.last_point or 0) + 1


def load_content(root: Path) -> Content:
    questionnaire_path = root / "questionnaire.yml"
    questionnaire = _read(questionnaire_path, Questionnaire)
    check_questionnaire(questionnaire_path, questionnaire)
    ras_paths = sorted((root / "ras").glob("*.yml"))
    if not ras_paths:
        raise ContentError(root / "ras", "(folder)", "no RAS configuration files")
    versions = []
    for path in ras_paths:
        ras = _read(path, RasConfig)
        check_ras(path, ras, questionnaire)
        versions.append(ras)
    ids = [ras.id for ras in versions]
    if len(set(ids)) != len(ids):
        raise ContentError(root / "ras", "id", "two RAS files share an id")
    help_topics = load_help_topics(root / "help_topics.yml")
    return Content(
        questionnaire,
        tuple(sorted(versions, key=lambda ras: ras.effective_from)),
        load_directory(root / "directory"),
        load_monitoring(root / "monitoring.yml"),
        load_glossary(root / "glossary.yml"),
        help_topics,
        load_easy_read(root / "easy_read.yml", help_topics),
    )


def _check_unique(path: Path, field: str, ids: list[str]) -> None:
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ContentError(path, field, f"ids used more than once: {repeated}")


def load_help_topics(path: Path) -> HelpTopics:
    topics = _read(path, HelpTopics)
    _check_unique(path, "topics", [topic.id for topic in topics.topics])
    return topics


# Babel-style named placeholders, as the pages' own messages use; a lone "%" is a mistake ("%%" is a percent sign).
_PLACEHOLDER = re.compile(r"%\((?P<name>[a-z_]+)\)s|%%")


def load_easy_read(path: Path, help_topics: HelpTopics) -> EasyRead:
    """Every help topic has an Easy Read version, and each point uses only the placeholders its page fills in."""
    easy_read = _read(path, EasyRead)
    topics = {topic.id for topic in help_topics.topics}
    unknown = sorted(set(easy_read.help_topics) - topics)
    if unknown:
        raise ContentError(path, f"help_topics.{unknown[0]}", "no help topic with this id in help_topics.yml")
    missing = sorted(topics - set(easy_read.help_topics))
    if missing:
        raise ContentError(path, "help_topics", f"every help topic needs an Easy Read version; missing: {missing}")
    for key, page in easy_read.pages():
        allowed = EASY_READ_PLACEHOLDERS[key.split(".")[0]] | EASY_READ_COUNCIL_PLACEHOLDERS
        for index, point in enumerate(page.points):
            field = f"{key}.points.{index}.text"
            if "%" in _PLACEHOLDER.sub("", point.text):
                raise ContentError(path, field, 'write placeholders as %(name)s, and a percent sign as "%%"')
            names = {match["name"] for match in _PLACEHOLDER.finditer(point.text) if match["name"]}
            if names - allowed:
                raise ContentError(
                    path, field, f"this page does not fill in {sorted(names - allowed)}; it fills in {sorted(allowed)}"
                )
    return easy_read


def load_glossary(path: Path) -> Glossary:
    """Every term's id once, and every related term one that exists: the Jargon buster links them."""
    glossary = _read(path, Glossary)
    _check_unique(path, "terms", [term.id for term in glossary.terms])
    ids = {term.id for term in glossary.terms}
    for index, term in enumerate(glossary.terms):
        unknown = sorted(set(term.related) - ids)
        if unknown:
            raise ContentError(path, f"terms.{index}.related", f"no such terms: {unknown}")
    return glossary


def load_monitoring(path: Path) -> MonitoringConfig:
    monitoring = _read(path, MonitoringConfig)
    if monitoring.surplus_recover_weeks < monitoring.surplus_explain_weeks:
        raise ContentError(path, "surplus_recover_weeks", "must be at least surplus_explain_weeks")
    first, last = monitoring.first_review_weeks
    if not 1 <= first <= last:
        raise ContentError(path, "first_review_weeks", "must be two numbers of weeks, the earliest first")
    codes = [category.code for category in monitoring.blocked_spending]
    if len(set(codes)) != len(codes):
        raise ContentError(path, "blocked_spending", "each code may be used once")
    return monitoring


def load_directory(folder: Path) -> Directory:
    taxonomy_path = folder / "taxonomy.json"
    raw = _parse(taxonomy_path)
    if not isinstance(raw, list):
        raise ContentError(taxonomy_path, "(top level)", "must be a list of taxonomies")
    taxonomies = tuple(_validate(taxonomy_path, Taxonomy, item) for item in raw)
    filters_path = folder / "filters.yml"
    filters = _read(filters_path, DirectoryFilters)
    directory = Directory(taxonomies, filters)
    if filters.categories_taxonomy not in {t.name for t in taxonomies}:
        raise ContentError(filters_path, "categories_taxonomy", "no taxonomy with that name in taxonomy.json")
    for field, codes in (
        ("accessibility_features", filters.accessibility_features),
        ("free_category", (filters.free_category,)),
    ):
        unknown = [code for code in codes if directory.term(code) is None]
        if unknown:
            raise ContentError(filters_path, field, f"not term codes in taxonomy.json: {unknown}")
    return directory
