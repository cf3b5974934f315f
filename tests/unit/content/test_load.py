import shutil
from datetime import date
from pathlib import Path

import pytest
import yaml

from portal.content.load import ContentError, load_content

CONTENT = Path("content")


def test_the_real_content_loads():
    content = load_content(CONTENT)
    sections = [section.id for section in content.questionnaire.sections]
    assert sections[0] == "about"
    assert sections[1:13] == list("ABCDEFGHIJKL")
    assert content.ras_in_force(date(2026, 11, 23)).id == "anytown_2026_04"


def test_no_ras_before_the_first_effective_date():
    with pytest.raises(LookupError):
        load_content(CONTENT).ras_in_force(date(2020, 1, 1))


@pytest.fixture
def content_copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def edit(path: Path, change) -> None:
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True))


def first_choice(document):
    return document["sections"][1]["questions"][0]


@pytest.mark.parametrize(
    ("file", "change", "field", "message"),
    [
        ("questionnaire.yml", lambda d: d["sections"][0].pop("title"), "sections.0.title", "Field required"),
        ("questionnaire.yml", lambda d: d["sections"][0].update(colour="red"), "sections.0.colour", "Extra inputs"),
        (
            "questionnaire.yml",
            lambda d: d["sections"][1].update(outcome="happiness"),
            "sections.1.outcome",
            "Input should be",
        ),
        (
            "questionnaire.yml",
            lambda d: first_choice(d)["options"][1].update(points=-1),
            "sections.1.questions.0.options.1.points",
            "greater than or equal to 0",
        ),
        (
            "questionnaire.yml",
            lambda d: first_choice(d)["options"].reverse(),
            "sections.1.questions.0.options",
            "points never fall",
        ),
        (
            "questionnaire.yml",
            lambda d: first_choice(d).update(id=d["sections"][0]["questions"][0]["id"]),
            "sections.1.questions.0.id",
            "used twice",
        ),
        (
            "questionnaire.yml",
            lambda d: first_choice(d).update(shown_if={"question": "N1", "any_of": ["some"]}),
            "sections.1.questions.0.shown_if.question",
            "earlier question",
        ),
        (
            "questionnaire.yml",
            lambda d: first_choice(d)["options"][0].update(value="Not an id!"),
            "sections.1.questions.0.options.0.value",
            "String should match pattern",
        ),
        ("ras/2026-04.yml", lambda d: d["bands"][1].update(first_point=16), "bands.1.first_point", "without gaps"),
        (
            "ras/2026-04.yml",
            lambda d: d["bands"][2].update(pence_per_point=4.5),
            "bands.2.pence_per_point",
            "valid integer",
        ),
        (
            "ras/2026-04.yml",
            lambda d: d["eligibility"].update(wellbeing_answers=["huge"]),
            "eligibility.wellbeing_answers",
            "not answers of",
        ),
        (
            "ras/2026-04.yml",
            lambda d: d["carer_deduction"].update(hours_question="M3"),
            "carer_deduction.hours_question",
            "'hours' question",
        ),
        ("ras/2026-04.yml", lambda d: d.update(points_sections=["A", "Z"]), "points_sections", "no such sections"),
        ("ras/2026-04.yml", lambda d: d.pop("funding_streams"), "funding_streams", "Field required"),
    ],
)
def test_a_broken_file_names_its_file_and_field(content_copy, file, change, field, message):
    edit(content_copy / file, change)
    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    assert raised.value.path == content_copy / file
    assert raised.value.field == field
    assert message in raised.value.message


def test_yaml_that_does_not_parse_says_where(content_copy):
    (content_copy / "questionnaire.yml").write_text("sections: [\n  - oops: : :\n")
    with pytest.raises(ContentError, match="not valid YAML") as raised:
        load_content(content_copy)
    assert raised.value.field.startswith("line ")


def test_a_missing_file_is_named(content_copy):
    (content_copy / "questionnaire.yml").unlink()
    with pytest.raises(ContentError, match="the file is missing"):
        load_content(content_copy)


def test_two_ras_versions_the_latest_in_force_wins(content_copy):
    later = content_copy / "ras" / "2027-04.yml"
    shutil.copy(content_copy / "ras" / "2026-04.yml", later)
    edit(later, lambda d: d.update(id="anytown_2027_04", effective_from=date(2027, 4, 1)))
    content = load_content(content_copy)
    assert content.ras_in_force(date(2027, 3, 31)).id == "anytown_2026_04"
    assert content.ras_in_force(date(2027, 4, 1)).id == "anytown_2027_04"
    assert content.ras_by_id("anytown_2026_04").effective_from == date(2026, 4, 1)


def test_the_directory_content_loads():
    directory = load_content(CONTENT).directory
    assert [term.code for term in directory.categories][:2] == ["home-care", "personal-assistants"]
    assert directory.term("step-free-access").name == "Step-free access"
    assert directory.term("no-such-code") is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(accessibility_features=["step-free-access", "made-up"]), "accessibility_features"),
        (lambda d: d.update(free_category="made-up"), "free_category"),
        (lambda d: d.update(categories_taxonomy="Nobody's taxonomy"), "categories_taxonomy"),
        (lambda d: d.update(distances_miles=[0]), "distances_miles.0"),
        (lambda d: d.update(surprise=True), "surprise"),
    ],
)
def test_a_broken_directory_filters_file_names_its_field(content_copy, change, field):
    edit(content_copy / "directory" / "filters.yml", change)
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert error.value.path.name == "filters.yml" and error.value.field == field


def test_a_broken_taxonomy_file_names_its_field(content_copy):
    path = content_copy / "directory" / "taxonomy.json"
    path.write_text(path.read_text().replace('"code": "home-care"', '"code": "Home Care!"'))
    with pytest.raises(ContentError) as error:
        load_content(content_copy)
    assert error.value.path.name == "taxonomy.json" and error.value.field == "taxonomy_terms.0.code"
