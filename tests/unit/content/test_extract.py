import io

from portal.content.extract import extract_content


def test_the_extractor_takes_the_words_people_read_and_nothing_else():
    source = b"""
version: 1
answer_without_help_reminder: "Answer as if nobody helped you."
sections:
  - id: "A"
    title: "Eating and drinking"
    kind: "need"
    questions:
      - id: "A1"
        text: "Do you need help?"
        hint: "Think about it."
        type: "choice"
        options:
          - {value: "alone", label: "On my own", points: 0}
"""
    found = [(line, message) for line, _, message, _ in extract_content(io.BytesIO(source), None, None, None)]
    assert found == [
        (3, "Answer as if nobody helped you."),
        (6, "Eating and drinking"),
        (10, "Do you need help?"),
        (11, "Think about it."),
        (14, "On my own"),
    ]


def test_an_empty_file_gives_nothing():
    assert list(extract_content(io.BytesIO(b""), None, None, None)) == []
