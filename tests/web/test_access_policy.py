"""The role × route matrix, walked from the app's own URL map so a new route cannot be left out."""

import pytest

from portal.app import create_app
from portal.config import TestConfig
from portal.data.models import Role
from portal.policy import ROUTE_ACCESS, Access, Decision, decide
from tests.factories import make_user

# Example arguments for routes that take them.
ROUTE_ARGS = {
    "auth.reset_password": {"token": "not-a-real-token"},
    "static": {"filename": "app.css"},
    "assets": {"filename": "images/favicon.svg"},
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
    Access.PEOPLE_AND_HELPERS: {
        None: "sign in",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
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
    Access.DEV_TOOLS: {
        None: "open",
        Role.PERSON: "open",
        Role.REPRESENTATIVE: "open",
        Role.STAFF: "open",
        Role.ADMIN: "open",
    },
}
ROLES = [None, *Role]


def routes(app):
    for rule in app.url_map.iter_rules():
        yield rule.endpoint, rule, sorted(rule.methods - {"HEAD", "OPTIONS"})


def test_every_route_has_a_rule_and_every_rule_a_route(app):
    endpoints = {endpoint for endpoint, _, _ in routes(app)}
    assert endpoints - set(ROUTE_ACCESS) == set(), "routes with no access rule (they are refused)"
    assert set(ROUTE_ACCESS) - endpoints == set(), "access rules for routes that no longer exist"


def test_a_route_missing_from_the_policy_is_refused():
    assert decide("journey.not_in_the_table", Role.ADMIN, dev_tools=True) is Decision.FORBIDDEN


def _request_as(app, client, role, endpoint, rule, method):
    from flask import url_for

    if role is not None:
        _, email = make_user(app, role)
        signed_in = client.post("/sign-in", data={"email": email, "password": "correct horse battery"})
        assert signed_in.status_code == 302 and "/sign-in" not in signed_in.headers["Location"]
    with app.test_request_context():
        url = url_for(endpoint, **ROUTE_ARGS.get(endpoint, {}))
    response = client.open(url, method=method)
    response.get_data()
    response.close()  # file responses (static, assets) hold a file open until closed
    return response


def _matrix():
    app = create_app(TestConfig())
    for endpoint, _rule, methods in routes(app):
        for method in methods:
            for role in ROLES:
                yield pytest.param(
                    endpoint, method, role, id=f"{endpoint}-{method}-{role.value if role else 'anonymous'}"
                )


@pytest.mark.parametrize(("endpoint", "method", "role"), list(_matrix()))
def test_access_matrix(app, endpoint, method, role):
    app.config["WTF_CSRF_ENABLED"] = False  # this test is about who may reach a route; CSRF has its own test
    client = app.test_client()
    rule = next(r for e, r, _ in routes(app) if e == endpoint)
    response = _request_as(app, client, role, endpoint, rule, method)
    expected = EXPECTED[ROUTE_ACCESS[endpoint]][role]
    if expected == "sign in":
        assert response.status_code == 302 and "/sign-in?next=" in response.headers["Location"]
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
