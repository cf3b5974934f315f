import pytest

from portal.data.models import Role
from tests.factories import make_helper_for, make_user


@pytest.mark.parametrize(
    ("url", "heading"),
    [
        ("/", "Get support to live your way"),
        ("/accessibility", "Accessibility statement for Choice and Control"),
        ("/privacy", "Privacy notice"),
        ("/cookies", "Cookies"),
        ("/sign-in", "Sign in"),
        ("/register", "Create an account"),
        ("/forgotten-password", "Reset your password"),
        ("/signed-out", "You have signed out"),
        ("/forgotten-password/check-your-email", "Check your email"),
        ("/dev/outbox", "Development outbox"),
    ],
)
def test_public_pages(web, url, heading):
    soup = web.page(url)
    assert soup.h1.get_text(strip=True) == heading
    assert soup.select_one("a.govuk-skip-link")["href"] == "#main-content"
    assert soup.select_one(".govuk-phase-banner")
    footer_links = [a.get_text(strip=True) for a in soup.select("footer a")]
    assert footer_links[:3] == ["Accessibility statement", "Privacy notice", "Cookies"]


def test_no_crown_and_no_gov_uk_branding(web):
    soup = web.page("/")
    assert "GOV.UK" not in soup.get_text()
    assert "crown" not in str(soup).lower()
    assert soup.select_one(".govuk-generic-header__homepage-link").get_text(strip=True) == "Anytown Council"


def test_not_found_page(web):
    soup = web.page("/no-such-page", status=404)
    assert soup.h1.get_text(strip=True) == "Page not found"


def test_health_answers(web):
    assert web.get("/health").get_json() == {"status": "ok"}


def test_person_dashboard_is_honest_about_what_is_not_built_yet(web, signed_in_person):
    soup = web.page("/dashboard")
    assert soup.h1.get_text(strip=True) == "Your dashboard"
    steps = soup.select(".govuk-task-list__item")
    names = [
        (s.select_one("a.govuk-task-list__link") or s.select_one(".govuk-task-list__name-and-hint > div"))
        for s in steps
    ]
    assert [name.get_text(strip=True) for name in names] == [
        "Tell us about your needs",
        "See your personal budget",
        "Plan your support",
        "Manage your budget",
    ]
    statuses = [s.select_one(".govuk-task-list__status").get_text(strip=True) for s in steps]
    assert statuses == ["Not started", "Cannot start yet", "Cannot start yet", "Cannot start yet"]
    assert soup.select_one("main a.govuk-button").get_text(strip=True) == "Start your self-assessment"


def test_helper_dashboard_lists_the_people_they_help(app, web):
    _, person_email = make_user(app, Role.PERSON, full_name="Sam Taylor")
    _, carer_email = make_user(app, Role.REPRESENTATIVE)
    make_helper_for(app, person_email, carer_email)
    web.sign_in(carer_email)
    soup = web.page("/dashboard")
    assert soup.find("h2", string="People you help")
    assert soup.find("h3", string="Sam Taylor")


def test_helper_of_two_people_sees_both_with_unique_ids(app, web):
    _, carer_email = make_user(app, Role.REPRESENTATIVE)
    for name in ("Sam Taylor", "Ola Nowak"):
        _, person_email = make_user(app, Role.PERSON, full_name=name)
        make_helper_for(app, person_email, carer_email)
    web.sign_in(carer_email)
    soup = web.page("/dashboard")  # the page check fails on any repeated id
    assert [h.get_text(strip=True) for h in soup.select("main h3")] == ["Sam Taylor", "Ola Nowak"]


def test_helper_with_nobody_yet_is_told_what_happens_next(app, web):
    _, carer_email = make_user(app, Role.REPRESENTATIVE)
    web.sign_in(carer_email)
    assert "Nobody has asked you to help them yet." in web.page("/dashboard").get_text()


def test_staff_go_to_the_staff_home(app, web):
    _, email = make_user(app, Role.STAFF)
    web.sign_in(email)
    assert web.get("/dashboard", status=302).headers["Location"] == "/staff"
    soup = web.page("/staff")
    assert soup.h1.get_text(strip=True) == "Staff home"
    assert not soup.find("a", string="Accounts")


def test_admin_sees_every_account(app, web):
    make_user(app, Role.PERSON, full_name="Sam Taylor")
    _, email = make_user(app, Role.ADMIN, full_name="Jordan Lee")
    web.sign_in(email)
    assert web.page("/staff").find("a", string="Accounts")
    soup = web.page("/admin/accounts")
    rows = [[td.get_text(strip=True) for td in tr.select("td")] for tr in soup.select("tbody tr")]
    assert [row[2] for row in rows] == ["Admin", "Person"]
    assert rows[1][3] == "Never"
    assert soup.select_one("caption").get_text(strip=True) == "2 accounts"


def test_outbox_shows_emails_in_development(app, web, person):
    web.submit("/forgotten-password", {"email": person[1]})
    soup = web.page("/dev/outbox")
    assert soup.find("h2", string="Reset your Choice and Control password")
    assert soup.select_one(".cc-email-body a")["href"].startswith("http://localhost/reset-password/")
