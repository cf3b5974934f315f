"""The role × route matrix, walked from the app's own URL map so a new route cannot be left out."""

import pytest

from portal.app import create_app
from portal.config import TestConfig
from portal.data.models import Role
from portal.domain.permissions import Action, Area, Permission
from portal.policy import RECORD_PARTS, ROUTE_ACCESS, Access, Decision, decide
from tests.conftest import _fresh_database
from tests.factories import make_helper_for, make_user


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """The matrix is about the policy, which is the same whatever the database: SQLite only keeps
    `make test` quick (the web tests of each journey still run on PostgreSQL too)."""
    return _fresh_database("sqlite", tmp_path_factory.mktemp("policy"))


# Example arguments for routes that take them.
ROUTE_ARGS = {
    "representatives.invitation_sent": {"invitation_id": 1},
    "representatives.cancel_invitation": {"invitation_id": 1},
    "representatives.change_helper": {"link_id": 1},
    "representatives.stop_helper": {"link_id": 1},
    "representatives.stop_helping": {"link_id": 1},
    "representatives.record_representative": {"user_id": 1},
    "auth.reset_password": {"token": "not-a-real-token"},
    "static": {"filename": "app.css"},
    "assets": {"filename": "images/favicon.svg"},
    "assessment.question": {"question_id": "about_condition"},
    "assessment.check_section": {"section_id": "A"},
    "staff.assessment": {"assessment_id": 1},
    "directory.service": {"service_id": "3fa9a707-8194-53b6-885f-a83f723142f7"},
    "directory.edit_service": {"service_id": "3fa9a707-8194-53b6-885f-a83f723142f7"},
    "directory.retire_service": {"service_id": "3fa9a707-8194-53b6-885f-a83f723142f7"},
    "api.service": {"service_id": "3fa9a707-8194-53b6-885f-a83f723142f7"},
    "plan.remove_outcome": {"outcome_id": 1},
    "plan.remove_item": {"item_id": 1},
    "staff.plan": {"plan_id": 1},
    "spending.entry": {"entry_id": 1},
    "spending.correct": {"entry_id": 1},
    "spending.receipt": {"receipt_id": 1},
    "spending.close_commitment": {"commitment_id": 1},
    "spending.import_preview_page": {"import_id": 1},
    "spending.assistant": {"item_id": 1},
    "spending.timesheet": {"assistant_id": 1, "week": "2026-11-16"},
    "spending.payroll": {"assistant_id": 1},
    "spending.return_detail": {"return_id": 1},
    "staff.budget_account": {"account_id": 1},
    "help.topic": {"topic_id": "ask_for_review"},
    "help.term": {"term_id": "direct_payment"},
    "staff.account_return": {"return_id": 1},
    "staff.account_receipt": {"account_id": 1, "receipt_id": 1},
    "settings.end_session": {"session_id": 1},
}

# What each role sees at each kind of route: 200 (or the route's own answer), sign in first, or refused.
EXPECTED = {
    Access.ANYONE: {
        None: "open",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "open",
        Role.ADMIN: "open",
    },
    Access.SIGNED_IN: {
        None: "sign in",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "open",
        Role.ADMIN: "open",
    },
    Access.PEOPLE: {
        None: "sign in",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "refused",
        Role.STAFF: "refused",
        Role.ADMIN: "refused",
    },
    Access.PEOPLE_AND_HELPERS: {
        None: "sign in",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "refused",
        Role.ADMIN: "refused",
    },
    # Whose record: the user's own (for a helper, a person they help) or somebody else's.
    (Access.OWN_RECORD, "own"): {
        None: "sign in",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "refused",
        Role.ADMIN: "refused",
    },
    (Access.OWN_RECORD, "other"): {
        None: "sign in",
        Role.PERSON: "not found",
        Role.REPRESENTATIVE: "not found",
        Role.STAFF: "refused",
        Role.ADMIN: "refused",
    },
    Access.STAFF: {
        None: "sign in",
        Role.PERSON: "refused",
        Role.REPRESENTATIVE: "refused",
        Role.STAFF: "open",
        Role.ADMIN: "open",
    },
    Access.ADMIN: {
        None: "sign in",
        Role.PERSON: "refused",
        Role.REPRESENTATIVE: "refused",
        Role.STAFF: "refused",
        Role.ADMIN: "open",
    },
    # Whoever is signed in, without the assistant's signed token the answer is a refusal, and no data.
    Access.SIGNED_TOKEN: {
        None: "token refused",
        Role.PERSON: "token refused",
        Role.REPRESENTATIVE: "token refused",
        Role.STAFF: "token refused",
        Role.ADMIN: "token refused",
    },
    Access.DEV_TOOLS: {
        None: "open",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "open",
        Role.ADMIN: "open",
    },
}
ROLES = [None, *Role]

# Which of the permissions a person can give lets their helper do each thing on their record. Written out in
# full here, apart from the policy, so a change to what a permission allows has to be made twice, on purpose.
HELPER_MAY = {
    (Area.ASSESSMENT, Action.SEE): {"see_everything", "assessment"},
    (Area.ASSESSMENT, Action.CHANGE): {"assessment"},
    (Area.BUDGET, Action.SEE): {"see_everything", "assessment", "plan"},
    (Area.BUDGET, Action.CHANGE): {"assessment"},
    (Area.PLAN, Action.SEE): {"see_everything", "plan"},
    (Area.PLAN, Action.CHANGE): {"plan"},
    (Area.SPENDING, Action.SEE): {"see_everything", "spending", "nominee"},
    (Area.SPENDING, Action.CHANGE): {"spending", "nominee"},
    (Area.RETURNS, Action.SEE): {"see_everything", "spending", "nominee"},
    (Area.RETURNS, Action.CHANGE): {"nominee"},
}


def routes(app):
    for rule in app.url_map.iter_rules():
        yield rule.endpoint, rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_has_a_rule_and_every_rule_a_route(app):
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert endpoints - set(ROUTE_ACCESS) == set(), "routes with no access rule (they are refused)"
    assert set(ROUTE_ACCESS) - endpoints == set(), "access rules for routes that no longer exist"


def test_a_route_missing_from_the_policy_is_refused():
    assert decide("journey.not_in_the_table", Role.ADMIN, dev_tools=True) is Decision.FORBIDDEN


def _record_owner(app, role, user_id, user_email, whose, permission=None):
    """The person_id to ask for: the user's own, one they help (with one permission), or a stranger's."""
    if whose == "own" and role is Role.PERSON:
        return user_id
    person_id, person_email = make_user(app, Role.PERSON)
    if whose == "own" and role is Role.REPRESENTATIVE:
        make_helper_for(app, person_email, user_email, permissions=[permission])
    return person_id


def _request_as(app, client, role, endpoint, rule, method, whose=None, permission=None):
    from flask import url_for

    user_id = email = None
    if role is not None:
        user_id, email = make_user(app, role)
        signed_in = client.post("/sign-in", data={"email": email, "password": "correct horse battery"})
        assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]
    args = dict(ROUTE_ARGS.get(endpoint, {}))
    if "person_id" in rule.arguments:
        args["person_id"] = _record_owner(app, role, user_id, email, whose, permission)
    with app.test_request_context():
        url = url_for(endpoint, **args)
    response = client.open(url, method=method)
    response.get_data()
    response.close()  # file responses (static, assets) hold a file open until closed
    return response


def _matrix():
    app = create_app(TestConfig())
    for endpoint, rule, methods in routes(app):
        for whose in ("own", "other") if "person_id" in rule.arguments else (None,):
            for method in methods:
                for role in ROLES:
                    name = f"{endpoint}-{method}-{role.value if role else 'anonymous'}" + (f"-{whose}" if whose else "")
                    if role is Role.REPRESENTATIVE and whose == "own":
                        # A helper of this person, once with each permission the person can give.
                        for permission in Permission:
                            yield pytest.param(endpoint, method, role, whose, permission, id=f"{name}-{permission}")
                    else:
                        yield pytest.param(endpoint, method, role, whose, None, id=name)


def _expected(endpoint, method, role, whose, permission):
    access = ROUTE_ACCESS[endpoint]
    if permission is None:
        return EXPECTED[(access, whose) if whose else access][role]
    part = RECORD_PARTS[endpoint]
    action = part.on_get if method == "GET" else part.on_post
    return "open" if permission.value in HELPER_MAY[(part.area, action)] else "no permission"


@pytest.mark.parametrize(("endpoint", "method", "role", "whose", "permission"), list(_matrix()))
def test_access_matrix(app, endpoint, method, role, whose, permission):
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about who may reach a route; CSRF has its own test
    client = app.test_client()
    rule = next(r for e, r, _ in routes(app) if e == endpoint)
    response = _request_as(app, client, role, endpoint, rule, method, whose, permission)
    expected = _expected(endpoint, method, role, whose, permission)
    if expected == "no permission":
        assert response.status_code == 403
        assert "has not given you permission to do this" in response.get_data(as_text=True)
    elif expected == "not found":
        assert response.status_code == 404
        assert "Page not found" in response.get_data(as_text=True)
    elif expected == "sign in":
        assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
    elif expected == "token refused":
        assert response.status_code == 403 and response.json == {"error": "not signed in"}
    elif expected == "refused":
        assert response.status_code == 403
        assert "You cannot see this page" in response.get_data(as_text=True)
    else:
        assert response.status_code < 500
        assert response.status_code not in (401, 403)
        assert "/sign-in?next=" not in response.headers.get("Location", "")


def test_development_pages_do_not_exist_in_production(database_url):
    class Production(TestConfig):
        DEV_TOOLS = False

    config = Production()
    config.DATABASE_URL = database_url
    response = create_app(config).test_client().get("/dev/outbox")
    assert response.status_code == 404


def test_every_record_route_asks_whose_record_it_is(app):
    """A route with a person_id in it must be an own-record rule, so nobody reaches another person's record,
    and must say which part of the record it is about, so a helper needs the right permission."""
    for endpoint, rule, _ in routes(app):
        if "person_id" in rule.arguments:
            assert ROUTE_ACCESS[endpoint] is Access.OWN_RECORD, endpoint
    own_record = {endpoint for endpoint, access in ROUTE_ACCESS.items() if access is Access.OWN_RECORD}
    assert own_record == set(RECORD_PARTS)


def test_a_record_route_missing_its_part_is_refused_to_helpers():
    everything = frozenset(Permission)
    assert decide("plan.overview", Role.REPRESENTATIVE, False, lambda: everything) is Decision.ALLOW
    assert decide("plan.overview", Role.REPRESENTATIVE, False, lambda: frozenset()) is Decision.FORBIDDEN
    assert decide("plan.overview", Role.REPRESENTATIVE, False, lambda: None) is Decision.NOT_FOUND


def test_a_helper_whose_link_has_ended_can_no_longer_see_the_record(app, web):
    from portal.data.accounts import get_user_by_email, people_helped
    from portal.data.db import db_session
    from portal.data.models import utcnow

    person_id, person_email = make_user(app, Role.PERSON)
    _, helper_email = make_user(app, Role.REPRESENTATIVE)
    make_helper_for(app, person_email, helper_email)
    web.sign_in(helper_email)
    web.get(f"/people/{person_id}/assessment")
    with app.app_context():
        people_helped(get_user_by_email(helper_email))[0].ended_at = utcnow()
        db_session().commit()
    web.get(f"/people/{person_id}/assessment", status=404)
