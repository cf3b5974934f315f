"""content/easy_read.yml: the Easy Read version of the pages that matter most, and the pictures it names."""

import re
import shutil
from pathlib import Path

import pytest
import yaml

from portal.content.load import ContentError, load_content
from portal.content.schema import Pictogram

CONTENT = Path("content")
PICTOGRAMS = Path("portal/static/pictograms")


@pytest.fixture
def content_copy(tmp_path):
    shutil.copytree(CONTENT, tmp_path / "content")
    return tmp_path / "content"


def broken(content_copy, change) -> ContentError:
    path = content_copy / "easy_read.yml"
    document = yaml.safe_load(path.read_text())
    change(document)
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    with pytest.raises(ContentError) as raised:
        load_content(content_copy)
    assert raised.value.path == path
    return raised.value


def test_the_real_file_loads_with_every_page_and_every_help_topic():
    content = load_content(CONTENT)
    keys = [key for key, _page in content.easy_read.pages()]
    assert keys[:7] == [
        "assessment_start",
        "budget_result",
        "budget_not_eligible",
        "plan_overview",
        "record_spending",
        "help",
        "jargon",
    ]
    assert set(content.easy_read.help_topics) == {topic.id for topic in content.help_topics.topics}
    assert content.easy_read.page("help_topics.panel").title == "If your plan goes to a panel"
    assert content.easy_read.page("no_such_page") is None


def test_every_sentence_is_easy_read_length():
    """Mencap and the UK government's Easy Read guidance: 15 words or fewer in a sentence."""
    for key, page in load_content(CONTENT).easy_read.pages():
        for point in page.points:
            for sentence in re.split(r"(?<=[.?!])\s+", point.text):
                assert len(sentence.split()) <= 15, (key, sentence)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (lambda d: d["assessment_start"]["points"][0].update(picture="unicorn"), "assessment_start.points.0.picture",
         "Input should be 'book'"),
        (lambda d: d.pop("budget_result"), "budget_result", "Field required"),
        (lambda d: d["plan_overview"]["points"][1].pop("text"), "plan_overview.points.1.text", "Field required"),
        (lambda d: d["help"].pop("title"), "help.title", "Field required"),
        (lambda d: d["jargon"].update(points=[]), "jargon.points", "at least 1 item"),
        (lambda d: d["record_spending"]["points"][0].update(colour="red"), "record_spending.points.0.colour",
         "Extra inputs"),
        (lambda d: d["budget_result"]["points"][0].update(text="It is %(amount)s for %(person)s."),
         "budget_result.points.0.text", "does not fill in ['person']"),
        (lambda d: d["help"]["points"][0].update(text="Call %(name)s."), "help.points.0.text",
         "does not fill in ['name']"),
        (lambda d: d["plan_overview"]["points"][0].update(text="Save 10% now."), "plan_overview.points.0.text",
         'percent sign as "%%"'),
        (lambda d: d["plan_overview"]["points"][0].update(text="It is %(name)d."), "plan_overview.points.0.text",
         "placeholders as %(name)s"),
        (lambda d: d["help_topics"].pop("panel"), "help_topics", "missing: ['panel']"),
        (lambda d: d["help_topics"].update(made_up=d["help_topics"]["panel"]), "help_topics.made_up",
         "no help topic with this id"),
    ],
)  # fmt: skip
def test_a_broken_easy_read_file_names_its_field(content_copy, change, field, message):
    error = broken(content_copy, change)
    assert error.field == field
    assert message in error.message


def test_placeholders_each_page_fills_in_and_percent_signs_are_allowed(content_copy):
    path = content_copy / "easy_read.yml"
    document = yaml.safe_load(path.read_text())
    document["budget_result"]["points"][0]["text"] = "%(name)s gets %(amount)s, 100%% of it. Call %(phone)s."
    path.write_text(yaml.safe_dump(document, allow_unicode=True))
    point = load_content(content_copy).easy_read.budget_result.points[0]
    assert point.text.startswith("%(name)s gets")


def test_a_missing_easy_read_file_is_named(content_copy):
    (content_copy / "easy_read.yml").unlink()
    with pytest.raises(ContentError, match="easy_read.yml: \\(file\\): the file is missing"):
        load_content(content_copy)


def test_every_pictogram_is_drawn_and_every_drawing_is_a_pictogram():
    assert {path.stem for path in PICTOGRAMS.glob("*.svg")} == {picture.value for picture in Pictogram}


@pytest.mark.parametrize("path", sorted(PICTOGRAMS.glob("*.svg")), ids=lambda path: path.stem)
def test_pictograms_are_plain_drawings_on_the_same_grid(path):
    """Same size and stroke everywhere, and nothing a Content Security Policy or a careful reader would object to."""
    svg = path.read_text()
    assert svg.startswith('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64" width="64" height="64">')
    assert 'stroke="#0b0c0c" stroke-width="4"' in svg
    assert not re.search(r"<script|<foreignObject|<image|\bon\w+=|href=|url\(|<text", svg, re.I), path
    colours = set(re.findall(r"#[0-9a-f]{6}", svg))
    assert colours <= {"#0b0c0c", "#ffffff", "#1d70b8", "#ffdd00", "#00703c", "#d4351c"}, colours
    assert len(colours - {"#0b0c0c", "#ffffff"}) <= 3, "a pictogram uses at most 3 colours beside black and white"
