"""What fuzzing found (#10), each kept as a plain example: hand-made or pasted input that used to be a 500."""

import pytest

from portal.data.demo import DEMO_ANSWERS
from portal.data.models import Role
from tests.factories import make_assessment, make_user
from tests.web.conftest import check_page


@pytest.fixture
def planner(app, web):
    person_id, email = make_user(app, full_name="Sam Taylor")
    make_assessment(app, person_id, DEMO_ANSWERS, send=True)
    web.sign_in(email)
    web.submit(f"/people/{person_id}/plan", {}, status=302)  # a draft plan
    return person_id


def _about_me(app, person_id):
    from portal.data import plans

    with app.app_context():
        return plans.latest_plan(person_id).about_me


@pytest.mark.parametrize("revision", [None, "²", "9" * 5000, "-1"])
def test_a_plan_page_sent_without_a_usable_revision_is_taken_for_a_stale_page(app, web, planner, revision):
    data = {"important": "Seeing my friends", "strengths": "", "circle": ""}
    if revision is not None:
        data["revision"] = revision
    response = web.submit(f"/people/{planner}/plan/about-me", data, status=200)
    assert "changed this plan after you opened this page" in check_page(response).get_text(" ", strip=True)
    assert _about_me(app, planner) in ({}, None)


@pytest.mark.parametrize("option", ["²", "9" * 5000])
def test_a_plan_item_asked_for_with_a_strange_price_option_shows_the_first(web, planner, option):
    web.page(f"/people/{planner}/plan/items/new?option={option}")


def test_a_strange_page_number_in_the_staff_directory_list_shows_the_first_page(app, web):
    _, email = make_user(app, Role.STAFF)
    web.sign_in(email)
    web.page("/staff/directory?page=²")
    web.page("/staff/directory?page=" + "9" * 5000)


def test_a_nul_character_is_replaced_before_it_reaches_the_database(app, web):
    """PostgreSQL refuses NUL in text, so a pasted one was a 500 there (and stored as it came on SQLite)."""
    from portal.data.representatives import open_invitations

    person_id, email = make_user(app)
    web.sign_in(email)
    web.submit(
        "/account/helpers/invite",
        {
            "helper_name": "Alex\x00 Taylor",
            "relationship": "My son\x00",
            "permissions": "see_everything",
            "send_by": "code",
        },
        status=302,
    )
    with app.app_context():
        invitation = open_invitations(person_id)[0]
        assert (invitation.helper_name, invitation.relationship_to_person) == ("Alex\ufffd Taylor", "My son\ufffd")


def test_a_nul_character_in_a_search_is_harmless(app, web):
    _, email = make_user(app, Role.STAFF)
    web.sign_in(email)
    web.page("/staff/people?q=Taylor%00")
    web.page("/staff/audit?q=Taylor%00")


def test_a_directory_file_with_a_nul_character_is_explained_and_nothing_is_imported(app, database_url, tmp_path):
    import json

    from portal.data.directory import all_records
    from tests.factories import oruk_service
    from tests.web.test_directory import flask_cli

    record = oruk_service("Day centre")
    record["description"] = "Open\x00 daily"
    path = tmp_path / "services.json"
    path.write_text(json.dumps([record]))
    result = flask_cli(database_url, "import", str(path))
    assert result.returncode == 1
    assert f"{record['id']}: $.description: contains a NUL character" in result.stderr
    assert "Traceback" not in result.stderr
    with app.app_context():
        assert all_records() == []
