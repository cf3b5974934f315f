"""Every action written to the audit log has plain words, read from the source so a new one cannot slip in."""

import ast
import re
from pathlib import Path

import pytest
from flask import Flask
from flask_babel import Babel

from portal.audit import wording
from portal.content.load import load_content
from portal.data.models import DecisionKind, Role, User
from portal.domain.audit_trail import Kind
from portal.domain.ledger import EntryKind
from portal.domain.support_plan import PlanAction

ROOT = Path(__file__).resolve().parents[2]
WRITERS = {"record_event": (2, "action"), "record_view": (2, "record")}

# Actions made with an f-string: every value each can take. Found by reading the code that builds them;
# the enums are read here too, so a new member needs words before this passes.
MADE_WITH_F_STRINGS = {
    "f'plan.{action.name.lower()}'": {f"plan.{action.name.lower()}" for action in PlanAction},
    "f'budget.{kind.value}'": {f"budget.{kind.value}" for kind in DecisionKind},
    "f'ledger.{new.kind.name.lower()}'": {f"ledger.{kind.name.lower()}" for kind in EntryKind},
    # spending.views.close_commitment lets only these two through.
    "f'commitment.{status}'": {"commitment.paid", "commitment.cancelled"},
    # budget_accounts.add_return_message: a council question, or the person's answer.
    "f'return.{becomes}'": {"return.question", "return.answered"},
}

# Being added alongside the audit pages (issue #8): words ready before the code that writes them lands.
ANNOUNCED = {
    "account.signed_in",
    "account.sign_in_failed",
    "settings.changed",
    "session.ended",
    "sessions.ended_everywhere",
    "data.downloaded",
    "account.closed",
    "audit.searched",
    "audit.exported",
    "representative.invited",
    "representative.invitation_cancelled",
    "representative.accepted",
    "representative.permissions_changed",
    "representative.ended",
    "representative.recorded_by_staff",
}


class Source:
    """The portal's Python, parsed once: calls by the name called, and the function each call sits in."""

    def __init__(self, root: Path):
        self.root = root
        self.calls: dict[str, list[tuple[Path, ast.Call]]] = {}
        self.enclosing: dict[ast.AST, ast.FunctionDef | ast.AsyncFunctionDef] = {}
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):  # outer functions first, so the innermost is remembered last
                if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                    for inner in ast.walk(node):
                        self.enclosing[inner] = node
                if isinstance(node, ast.Call) and (name := _called(node)):
                    self.calls.setdefault(name, []).append((path, node))

    def values(self, path: Path, call: ast.Call, index: int, keyword: str, depth: int = 0) -> tuple[set, list]:
        """Every string the argument can be, and a description of each one that could not be worked out."""
        node = _argument(call, index, keyword)
        where = f"{path.relative_to(self.root)}:{call.lineno}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}, []
        if isinstance(node, ast.JoinedStr):
            code = ast.unparse(node)
            if code in MADE_WITH_F_STRINGS:
                return set(MADE_WITH_F_STRINGS[code]), []
            return set(), [f"{where}: {code} (list its values in MADE_WITH_F_STRINGS)"]
        if isinstance(node, ast.Name) and depth < 4 and (function := self.enclosing.get(call)):
            # A parameter passed through: the values are those its callers give it.
            parameters = [a.arg for a in function.args.posonlyargs + function.args.args]
            if node.id in parameters:
                found, unknown = set(), []
                for caller_path, caller in self.calls.get(function.name, []):
                    if function.name.startswith("_") and caller_path != path:
                        continue  # a private helper of the same name in another module is another function
                    more, missing = self.values(caller_path, caller, parameters.index(node.id), node.id, depth + 1)
                    found |= more
                    unknown += missing
                return found, unknown
        return set(), [f"{where}: {ast.unparse(node) if node else 'no argument'}"]


def _called(call: ast.Call) -> str | None:
    if isinstance(call.func, ast.Name):
        return call.func.id
    return call.func.attr if isinstance(call.func, ast.Attribute) else None


def _argument(call: ast.Call, index: int, keyword: str) -> ast.expr | None:
    positional = call.args[: index + 1]
    if len(positional) > index and not any(isinstance(a, ast.Starred) for a in positional):
        return call.args[index]
    return next((k.value for k in call.keywords if k.arg == keyword), None)


def actions_written(root: Path = ROOT / "portal") -> tuple[set[str], list[str]]:
    """Every phrase key the portal's code can write: action codes, and each part of a record staff look at."""
    source = Source(root)
    found, unknown = set(), []
    for name, (index, keyword) in WRITERS.items():
        for path, call in source.calls.get(name, []):
            values, missing = source.values(path, call, index, keyword)
            found |= {f"record.viewed:{v}" for v in values} if name == "record_view" else values
            unknown += missing
    return found, unknown


def test_every_action_written_anywhere_has_plain_words():
    written, unknown = actions_written()
    assert unknown == [], "actions whose codes could not be read from the source"
    assert sorted(written - set(wording.PHRASES)) == [], "add these to portal/audit/wording.py PHRASES"


def test_the_source_scan_finds_actions_written_every_way():
    written, _ = actions_written()
    assert {
        "assessment.answered",  # a literal
        "plan.send_to_panel",  # an f-string
        "record.viewed:plan",  # a staff view, by the part of the record looked at
        "directory.added",  # passed down through two functions
        "audit.searched",
    } <= written


def test_the_scan_refuses_an_action_it_cannot_read(tmp_path):
    (tmp_path / "module.py").write_text(
        "def save(by, kind):\n    record_event(by, 1, f'thing.{kind}')\n    record_event(by, 1, ACTIONS[kind])\n"
    )
    written, unknown = actions_written(tmp_path)
    assert written == set()
    assert len(unknown) == 2


def test_actions_being_added_now_have_words():
    assert sorted(ANNOUNCED - set(wording.PHRASES)) == []


def test_every_phrase_reads_alike_to_the_person_and_to_staff(babel):
    placeholders = re.compile(r"%\((\w+)\)s")
    for key, phrase in wording.PHRASES.items():
        person, staff = (
            sorted(placeholders.findall(str(sentence))) for sentence in (phrase.to_person, phrase.to_staff)
        )
        assert person == staff, key
        if person:
            assert phrase.to_person_plain and phrase.to_staff_plain, f"{key} needs plain forms for missing detail"
            assert not placeholders.search(str(phrase.to_person_plain) + str(phrase.to_staff_plain)), key


def test_every_kind_has_a_name_for_the_search():
    assert set(wording.KIND_NAMES) == set(Kind)
    assert "record.viewed" in wording.actions_of({Kind.VIEW})
    assert "record.viewed:plan" not in wording.actions_of({Kind.VIEW}), "the database holds action codes only"


@pytest.fixture
def babel():
    app = Flask(__name__)
    Babel(app)
    with app.test_request_context():
        yield


@pytest.fixture(scope="module")
def questionnaire():
    return load_content(ROOT / "content").questionnaire


def test_money_in_the_detail_reads_in_pounds(babel):
    assert wording.what_happened("ledger.spending", {"amount_pence": 1250}, to_person=True) == (
        "recorded spending of £12.50"
    )
    assert wording.what_happened(
        "budget.adjusted", {"annual_pence": 1_250_000, "previous_pence": 1_000_050}, to_person=True
    ) == ("changed your indicative budget from £10,000.50 to £12,500.00 a year")
    assert wording.what_happened("account.contribution", {"weekly_pence": 2000}, to_person=False) == (
        "set the contribution: £20.00 a week"
    )


@pytest.mark.parametrize("amount", [None, "12.50", 12.5, True, [1250]])
def test_money_that_is_missing_or_not_pence_gives_the_plain_sentence(babel, amount):
    detail = {} if amount is None else {"amount_pence": amount}
    assert wording.what_happened("ledger.spending", detail, to_person=True) == "recorded spending"


def test_a_staff_view_is_worded_by_the_part_of_the_record(babel):
    assert wording.what_happened("record.viewed", {"record": "plan", "id": 3}, True) == "looked at your support plan"
    assert wording.what_happened("record.viewed", {"record": "plan"}, False) == "looked at the support plan"
    assert wording.what_happened("record.viewed", {"record": "x-ray"}, True) == "looked at your record"


def test_an_answer_names_its_question_while_the_content_has_it(babel, questionnaire):
    question = questionnaire.sections[0].questions[0]
    assert wording.what_happened("assessment.answered", {"question": question.id}, True, questionnaire) == (
        f"answered a question in your self-assessment: {question.text}"
    )
    assert wording.what_happened("assessment.answered", {"question": "gone"}, True, questionnaire) == (
        "answered a question in your self-assessment"
    )


@pytest.mark.parametrize(
    ("action", "detail", "to_person", "expected"),
    [
        ("payments.rescheduled", {"amount_pence": 100}, True, "made a change to your record"),
        ("payments.rescheduled", {}, False, "made a change to the record"),
        ("document.viewed", {}, True, "looked at your record"),
        ("", {}, True, "made a change to your record"),
        ("ledger.spending", None, True, "recorded spending"),
        ("ledger.spending", ["not", "a", "dict"], False, "recorded spending"),
    ],
)
def test_an_action_this_version_does_not_know_still_reads_plainly(babel, action, detail, to_person, expected):
    assert wording.what_happened(action, detail, to_person) == expected


def test_who_did_it_to_the_person(babel):
    staff = User(id=2, full_name="Priya Shah", role=Role.STAFF)
    helper = User(id=3, full_name="Jo Bloggs", role=Role.REPRESENTATIVE)
    assert wording.who_to_person(User(id=1, full_name="Sam", role=Role.PERSON), 1, Kind.CHANGE) == "You"
    assert wording.who_to_person(staff, 1, Kind.VIEW) == "Priya Shah (council staff)"
    assert wording.who_to_person(helper, 1, Kind.CHANGE) == "Jo Bloggs (your helper)"
    assert wording.who_to_person(None, 1, Kind.SIGN_IN) == "Someone"
    assert wording.who_to_person(None, 1, Kind.DECISION) == "The portal"
    assert wording.who_to_staff(helper, Kind.CHANGE) == "Jo Bloggs (Helper)"


def test_the_detail_for_investigators_shows_pence_in_pounds_too(babel):
    assert wording.detail_rows({"amount_pence": 1250, "reason": "refund", "kept": {"ledger": "2033-04-01"}}) == [
        ("amount_pence", "1250 (£12.50)"),
        ("reason", "refund"),
        ("kept", '{"ledger": "2033-04-01"}'),
    ]
