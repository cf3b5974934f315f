"""Helpers: a person invites them (email or a code read out), chooses what they may do, changes it and ends it;
the helper sees each change at once; staff record a representative for a person who cannot consent."""

import re
from datetime import timedelta

import pytest

from portal.data.models import Role
from tests.factories import make_assessment, make_helper_for, make_user
from tests.web.conftest import WebClient, check_page, error_summary

SOME_ANSWERS = {"about_condition": "yes"}


def _invite_by_code(web, permissions, name="Alex Taylor"):
    response = web.submit(
        "/account/helpers/invite",
        {"helper_name": name, "relationship": "My son", "permissions": permissions, "send_by": "code"},
        status=302,
    )
    soup = check_page(web.get(response.headers["Location"]))
    code = soup.find("strong", attrs={"aria-hidden": "true"}).get_text()
    assert re.fullmatch(r"[A-Z2-9]{3}-[A-Z2-9]{3}-[A-Z2-9]{3}", code)
    return code, response.headers["Location"]


def _accept(web, code):
    shown = check_page(web.submit("/invitation", {"code": code}, status=200))
    assert "has invited you to help them" in shown.get_text()
    return web.submit("/invitation", {"code": code, "confirm": "1"}, status=302)


def _events(app, person_id):
    from portal.data.audit import events_for_person

    with app.app_context():
        return [event.action for event in events_for_person(person_id)]


@pytest.fixture
def helper(app, client):
    """A second browser, signed in as a helper."""
    user_id, email = make_user(app, Role.REPRESENTATIVE, full_name="Alex Taylor")
    other = WebClient(app.test_client())
    other.sign_in(email)
    return user_id, email, other


def test_a_code_read_out_lets_the_helper_in_with_only_what_the_person_chose(app, web, signed_in_person, helper):
    person_id, _ = signed_in_person
    make_assessment(app, person_id, SOME_ANSWERS)
    code, shown_at = _invite_by_code(web, ["see_everything"])
    # The code is shown once: coming back to the page does not show it again.
    assert code not in web.get(shown_at).get_data(as_text=True)

    _, _, helper_web = helper
    _accept(helper_web, code)
    people = helper_web.page("/people-i-help").get_text()
    assert "See everything" in people and "Complete the assessment" not in people

    # They may see the assessment, and the banner says whose record it is; they may not answer it.
    task_list = helper_web.page(f"/people/{person_id}/assessment/sections")
    assert "You are acting for" in task_list.get_text()
    refused = helper_web.get(f"/people/{person_id}/assessment/questions/about_condition", status=403)
    assert "has not given you permission to do this" in refused.get_data(as_text=True)

    # The person adds "complete the assessment": it applies on the helper's very next request.
    helpers_page = web.page("/account/helpers")
    change_url = helpers_page.find("a", href=re.compile(r"/account/helpers/\d+$"))["href"]
    web.submit(change_url, {"permissions": ["see_everything", "assessment"]}, status=302)
    helper_web.get(f"/people/{person_id}/assessment/questions/about_condition")

    # And ends it: the record is no longer there for them at all.
    stop_url = web.page("/account/helpers").find("a", href=re.compile(r"/account/helpers/\d+/stop$"))["href"]
    web.submit(stop_url, {}, status=302)
    helper_web.get(f"/people/{person_id}/assessment/sections", status=404)

    actions = _events(app, person_id)
    for action in (
        "representative.invited",
        "representative.accepted",
        "representative.permissions_changed",
        "representative.ended",
    ):
        assert action in actions


def test_an_emailed_invitation_links_straight_to_accepting_it(app, web, signed_in_person):
    from portal.data.outbox import recent_messages

    person_id, _ = signed_in_person
    make_user(app, Role.REPRESENTATIVE, email="alex@example.org")
    helper_web = WebClient(app.test_client())
    helper_web.sign_in("alex@example.org")
    web.submit(
        "/account/helpers/invite",
        {
            "helper_name": "Alex",
            "relationship": "Friend",
            "permissions": ["spending"],
            "send_by": "email",
            "email": "Alex@Example.org",
        },
        status=302,
    )
    with app.app_context():
        email = recent_messages()[0]
        assert email.to_address == "alex@example.org"
        link = re.search(r"http://\S+/invitation\?code=\S+", email.body).group(0)
    accept_page = helper_web.page(link.replace("http://localhost", ""))
    assert "Record spending and receipts" in accept_page.get_text()
    code = accept_page.find("input", attrs={"name": "code"})["value"]
    helper_web.submit("/invitation", {"code": code, "confirm": "1"}, status=302)
    # Allowed to record spending (there is no account yet, so they are taken to where it will be).
    helper_web.get(f"/people/{person_id}/budget-account/spending/new", status=302)
    helper_web.get(f"/people/{person_id}/plan/about-me", status=403)


def test_an_invitation_with_mistakes_explains_them_and_makes_nothing(app, web, signed_in_person):
    from portal.data.representatives import open_invitations

    person_id, _ = signed_in_person
    response = web.submit(
        "/account/helpers/invite", {"helper_name": "", "relationship": "x" * 101, "send_by": "email"}, status=200
    )
    errors = error_summary(check_page(response))
    assert errors["helper_name"] == "Enter the name of the person you want to help you"
    assert errors["relationship"] == "This must be 100 characters or fewer"
    assert errors["permissions"] == "Select at least one thing they can do"
    assert errors["email"] == "Enter their email address"
    response = web.submit(
        "/account/helpers/invite",
        {"helper_name": "A", "relationship": "B", "permissions": ["everything\x00"], "send_by": "pigeon"},
        status=200,
    )
    errors = error_summary(check_page(response))
    assert "permissions" in errors and "send_by" in errors
    with app.app_context():
        assert open_invitations(person_id) == []


def test_wrong_expired_used_and_cancelled_codes_all_fail_the_same_way(app, web, signed_in_person, helper):
    from portal.data.db import db_session
    from portal.data.representatives import open_invitations

    person_id, _ = signed_in_person
    _, _, helper_web = helper
    message = "That code is not right, or it has expired"
    for wrong in ("ABC-DEF-234", "not a code", "<script>alert(1)</script>", "A" * 40):
        page = check_page(helper_web.submit("/invitation", {"code": wrong}, status=200))
        assert message in error_summary(page)["code"]

    expired, _ = _invite_by_code(web, ["see_everything"], name="Expired")
    with app.app_context():
        invitation = open_invitations(person_id)[0]
        invitation.expires_at -= timedelta(days=15)
        db_session().commit()
    page = check_page(helper_web.submit("/invitation", {"code": expired}, status=200))
    assert message in error_summary(page)["code"]

    cancelled, _ = _invite_by_code(web, ["see_everything"], name="Cancelled")
    helpers_page = web.page("/account/helpers")
    cancel_action = helpers_page.find("form", action=re.compile("/cancel$"))["action"]
    web.submit(cancel_action, {}, status=302, form_url="/account/helpers")
    page = check_page(helper_web.submit("/invitation", {"code": cancelled.lower().replace("-", " ")}, status=200))
    assert message in error_summary(page)["code"]

    used, _ = _invite_by_code(web, ["see_everything"], name="Used")
    _accept(helper_web, used)
    second_id, second_email = make_user(app, Role.REPRESENTATIVE)
    second = WebClient(app.test_client())
    second.sign_in(second_email)
    page = check_page(second.submit("/invitation", {"code": used}, status=200))
    assert message in error_summary(page)["code"]
    second.get(f"/people/{person_id}/assessment/sections", status=404)
    assert _events(app, person_id).count("representative.accepted") == 1


def test_a_helper_can_stop_helping_and_the_person_cannot_accept_their_own_invitation(
    app, web, signed_in_person, helper
):
    person_id, _ = signed_in_person
    code, _ = _invite_by_code(web, ["see_everything"])
    web.submit("/invitation", {"code": code, "confirm": "1"}, status=302)
    assert web.page("/account/helpers").find(string=re.compile("Nobody helps you")) is not None

    _, _, helper_web = helper
    _accept(helper_web, code)
    people = helper_web.page("/people-i-help")
    stop = people.find("form", action=re.compile("/stop$"))["action"]
    helper_web.submit(stop, {}, status=302, form_url="/people-i-help")
    helper_web.get(f"/people/{person_id}/assessment/sections", status=404)


def test_someone_elses_invitations_and_helpers_are_not_found(app, web, signed_in_person):
    other_id, other_email = make_user(app)
    _, helper_email = make_user(app, Role.REPRESENTATIVE)
    make_helper_for(app, other_email, helper_email)
    other = WebClient(app.test_client())
    other.sign_in(other_email)
    code, shown_at = _invite_by_code(other, ["plan"])
    invitation_id = int(shown_at.rsplit("/", 1)[1])
    web.get(shown_at, status=404)
    web.client.post(f"/account/helpers/invitations/{invitation_id}/cancel")  # no token: refused before anything
    response = web.submit(f"/account/helpers/invitations/{invitation_id}/cancel", {}, form_url="/account/helpers")
    assert response.status_code == 404
    with app.app_context():
        from portal.data.accounts import get_user_by_email, people_helped
        from portal.data.representatives import helpers_of, open_invitations

        assert len(open_invitations(other_id)) == 1
        link = people_helped(get_user_by_email(helper_email))[0]
        assert len(helpers_of(other_id)) == 1
    web.get(f"/account/helpers/{link.id}", status=404)
    response = web.submit(f"/account/helpers/{link.id}/stop", {}, form_url="/account/helpers")
    assert response.status_code == 404


def test_inviting_needs_a_csrf_token(app, web, signed_in_person):
    response = web.client.post(
        "/account/helpers/invite",
        data={"helper_name": "A", "relationship": "B", "permissions": ["plan"], "send_by": "code"},
    )
    assert response.status_code == 400


def test_answers_and_plan_items_made_by_a_helper_say_so(app, web, signed_in_person, helper):
    person_id, person_email = signed_in_person
    helper_id, helper_email, helper_web = helper
    make_helper_for(app, person_email, helper_email)
    make_assessment(app, person_id, SOME_ANSWERS, by_id=helper_id)
    page = web.page(f"/people/{person_id}/assessment/sections/about/check")
    assert "Answered by Alex Taylor, helping" in page.get_text()
    helper_view = helper_web.page(f"/people/{person_id}/assessment/sections/about/check")
    assert "Answered by Alex Taylor, helping" in helper_view.get_text()


def test_staff_record_a_representative_for_a_person_who_cannot_consent(app, web):
    person_id, person_email = make_user(app, full_name="Pat Jones")
    _, deputy_email = make_user(app, Role.REPRESENTATIVE, full_name="Dee Puty")
    _, staff_email = make_user(app, Role.STAFF)
    web.sign_in(staff_email)
    found = web.page("/staff/people?search=pat+jon")
    url = found.find("a", string="Pat Jones")["href"]
    assert web.page("/staff/people?search=x").select_one(".govuk-error-summary") is not None

    # Mistakes first: each explained, nothing recorded.
    response = web.submit(
        url, {"email": "nobody@example.org", "relationship": "", "legal_basis": "hunch", "reason": ""}, status=200
    )
    errors = error_summary(check_page(response))
    assert set(errors) == {"relationship", "legal_basis", "reason", "permissions"}
    response = web.submit(
        url,
        {
            "email": "nobody@example.org",
            "relationship": "Deputy",
            "legal_basis": "deputyship",
            "reason": "Capacity assessment on 1 October found Pat cannot decide about care.",
            "permissions": ["see_everything", "nominee"],
        },
        status=200,
    )
    assert "No helper’s account uses that email address" in error_summary(check_page(response))["email"]
    assert "representative.recorded_by_staff" not in _events(app, person_id)

    web.submit(
        url,
        {
            "email": deputy_email,
            "relationship": "Deputy",
            "legal_basis": "deputyship",
            "reason": "Capacity assessment on 1 October found Pat cannot decide about care.",
            "permissions": ["see_everything", "nominee"],
        },
        status=302,
    )
    assert "representative.recorded_by_staff" in _events(app, person_id)
    assert "record.viewed" in _events(app, person_id)

    # The person's record shows it, and only the council changes it.
    person_web = WebClient(app.test_client())
    person_web.sign_in(person_email)
    helpers_page = person_web.page("/account/helpers").get_text()
    assert "Dee Puty" in helpers_page and "Deputy appointed by the Court of Protection" in helpers_page
    with app.app_context():
        from portal.data.representatives import helpers_of

        link_id = helpers_of(person_id)[0].id
    assert "Recorded by the council" in person_web.page(f"/account/helpers/{link_id}").get_text()
    person_web.submit(f"/account/helpers/{link_id}/stop", {}, form_url="/account/helpers")
    with app.app_context():
        assert len(helpers_of(person_id)) == 1


def test_a_helper_without_permission_is_not_offered_the_change_links(app, web, signed_in_person, helper):
    person_id, person_email = signed_in_person
    make_assessment(app, person_id, SOME_ANSWERS)
    _, helper_email, helper_web = helper
    make_helper_for(app, person_email, helper_email, permissions=["see_everything"])
    page = helper_web.page(f"/people/{person_id}/assessment/sections/about/check")
    assert not page.find("a", href=re.compile("/questions/"))
    own_view = web.page(f"/people/{person_id}/assessment/sections/about/check")
    assert own_view.find("a", href=re.compile("/questions/"))


def test_an_emailed_invitation_is_only_for_the_address_it_was_sent_to(app, web, signed_in_person, helper):
    person_id, _ = signed_in_person
    web.submit(
        "/account/helpers/invite",
        {
            "helper_name": "Al",
            "relationship": "Son",
            "permissions": ["plan"],
            "send_by": "email",
            "email": "al@example.org",
        },
        status=302,
    )
    with app.app_context():
        from portal.data.outbox import recent_messages

        code = re.search(r"code=(\S+)", recent_messages()[0].body).group(1)
    _, _, helper_web = helper  # signed in as someone else: the email was forwarded, or read over a shoulder
    page = check_page(helper_web.submit("/invitation", {"code": code, "confirm": "1"}, status=200))
    assert "sent to a different email address" in error_summary(page)["code"]
    helper_web.get(f"/people/{person_id}/plan", status=404)


def test_guessing_codes_is_limited_however_they_are_sent(app, helper):
    _, _, helper_web = helper
    for attempt in range(10):
        helper_web.get(f"/invitation?code=AAA-BBB-{attempt:03d}".replace("0", "C").replace("1", "D"))
    assert helper_web.client.get("/invitation?code=AAA-BBB-CCC").status_code == 429
    assert helper_web.client.get("/invitation").status_code == 200  # the empty form is not a guess


def test_a_closed_account_is_no_longer_open_to_its_helpers_or_to_new_representatives(app, web, helper):
    from portal.data.accounts import get_user
    from portal.data.db import db_session
    from portal.data.models import utcnow

    person_id, person_email = make_user(app)
    _, helper_email, helper_web = helper
    make_helper_for(app, person_email, helper_email)
    make_assessment(app, person_id, SOME_ANSWERS)
    helper_web.get(f"/people/{person_id}/assessment/sections")
    with app.app_context():
        get_user(person_id).closed_at = utcnow()
        db_session().commit()
    helper_web.get(f"/people/{person_id}/assessment/sections", status=404)
    _, staff_email = make_user(app, Role.STAFF)
    web.sign_in(staff_email)
    web.get(f"/staff/people/{person_id}/representatives", status=404)


def test_an_invitation_never_takes_away_what_the_council_recorded(app, web, signed_in_person):
    from portal.data.representatives import helpers_of

    person_id, person_email = signed_in_person
    deputy_id, deputy_email = make_user(app, Role.REPRESENTATIVE)
    with app.app_context():
        from portal.data import representatives
        from portal.data.accounts import get_user
        from portal.domain.permissions import LegalBasis, Permission

        representatives.record_by_staff(
            get_user(make_user(app, Role.STAFF)[0]),
            get_user(person_id),
            get_user(deputy_id),
            "Deputy",
            LegalBasis.DEPUTYSHIP,
            "Court order",
            [Permission.NOMINEE],
        )
    code, _ = _invite_by_code(web, ["plan"])
    deputy = WebClient(app.test_client())
    deputy.sign_in(deputy_email)
    _accept(deputy, code)
    with app.app_context():
        (link,) = helpers_of(person_id)
        assert link.legal_basis == "deputyship" and link.basis_reason == "Court order"
        assert link.permissions == ["nominee", "plan"]
