import json
import subprocess
import sys
from pathlib import Path

import pytest

from portal.data.models import Role
from tests.factories import add_services, make_user, oruk_service
from tests.web.conftest import check_page, error_summary

RIVERSIDE = {"postcode": "AT2 1AB", "latitude": 52.4500, "longitude": -1.5000}
FAR_AWAY = {"postcode": "AT8 9ZZ", "latitude": 52.4950, "longitude": -1.4500}  # about 4 miles from Riverside


@pytest.fixture
def services(app):
    add_services(
        app,
        oruk_service(
            "Home care visits",
            categories=["home-care"],
            costs=[(27.5, "per hour"), (30.5, "per hour")],
            flags=["accepts-direct-payments", "preferred-provider"],
            description="Care workers visit you at home to help with washing and dressing.",
        ),
        oruk_service(
            "Personal assistant finder",
            categories=["personal-assistants"],
            costs=[(16, "per hour")],
            flags=["accepts-direct-payments"],
            description="We help you find and employ a personal assistant for home care and outings.",
        ),
        oruk_service(
            "Riverside lunch club",
            categories=["leisure-community", "free-universal"],
            areas=["Riverside"],
            languages=["English", "Polish"],
            access=["step-free-access", "hearing-loop"],
            **RIVERSIDE,
        ),
        oruk_service(
            "Hilltop art group",
            categories=["leisure-community"],
            costs=[(4, "per session")],
            areas=["Hillcrest"],
            access=["step-free-access"],
            **FAR_AWAY,
        ),
        oruk_service("Closed day centre", categories=["day-opportunities"], status="inactive"),
    )


def names(soup):
    return [a.get_text(strip=True) for a in soup.select(".cc-result h3 a")]


def count(soup):
    return soup.select_one("#result-count").get_text(strip=True)


def test_everything_listed_by_name_without_a_search(web, services):
    soup = web.page("/directory")
    assert soup.h1.get_text(strip=True) == "Find support near you"
    assert count(soup) == "4 services found"
    assert names(soup) == ["Hilltop art group", "Home care visits", "Personal assistant finder", "Riverside lunch club"]


def test_keywords_rank_a_match_in_the_name_first(web, services):
    soup = web.page("/directory?q=home+care")
    assert names(soup) == ["Home care visits", "Personal assistant finder"]


def test_the_last_word_may_be_unfinished(web, services):
    assert names(web.page("/directory?q=lunch+cl")) == ["Riverside lunch club"]


def test_words_are_stemmed(web, services):
    assert "Home care visits" in names(web.page("/directory?q=visiting"))


@pytest.mark.parametrize(
    "nasty", ['"', "care OR", "NEAR(", "*", "care\"*'); DROP TABLE users;--", "ąćę żółw", "a" * 300]
)
def test_any_search_text_gives_a_page_not_an_error(web, services, nasty):
    check_page(web.get("/directory", query_string={"q": nasty}))


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("category=home-care", ["Home care visits"]),
        ("cost=free", ["Riverside lunch club"]),
        ("cost=2000", ["Personal assistant finder"]),
        ("cost=3000", ["Home care visits", "Personal assistant finder"]),
        ("only=direct-payments", ["Home care visits", "Personal assistant finder"]),
        ("only=preferred", ["Home care visits"]),
        ("only=direct-payments&only=preferred", ["Home care visits"]),
        ("access=step-free-access", ["Hilltop art group", "Riverside lunch club"]),
        ("access=step-free-access&access=hearing-loop", ["Riverside lunch club"]),
        ("language=Polish", ["Riverside lunch club"]),
        ("area=Riverside", ["Home care visits", "Personal assistant finder", "Riverside lunch club"]),
        ("area=Hillcrest&category=leisure-community", ["Hilltop art group"]),
        ("q=club&category=home-care", []),
    ],
)
def test_each_filter(web, services, query, expected):
    assert names(web.page("/directory?" + query)) == expected


def test_near_a_postcode_sorted_by_distance(web, services):
    soup = web.page("/directory?postcode=at2+1ab&within=10&sort=distance")
    assert names(soup) == ["Riverside lunch club", "Hilltop art group"]
    facts = soup.select(".cc-result")[1].get_text(" ", strip=True)
    assert "miles away" in facts
    assert names(web.page("/directory?postcode=AT2&within=1")) == ["Riverside lunch club"]


def test_a_postcode_that_is_wrong_is_explained_and_the_rest_still_works(web, services):
    soup = web.page("/directory?postcode=hello&category=home-care")
    assert error_summary(soup) == {"postcode": "Enter a full postcode, like AT3 4QD, or the first half, like AT3"}
    assert names(soup) == ["Home care visits"]
    soup = web.page("/directory?postcode=AT5+5AA")
    assert "We could not find that postcode in our area" in soup.get_text()


def test_sorts(web, services):
    assert names(web.page("/directory?sort=cheapest&category=leisure-community")) == [
        "Riverside lunch club",
        "Hilltop art group",
    ]


def test_no_results_suggest_what_to_change(web, services):
    soup = web.page("/directory?q=zzzzqqq")
    assert count(soup) == "0 services found"
    text = soup.select_one("#results").get_text(" ", strip=True)
    assert "No services match your search" in text and "remove some filters" in text
    assert soup.select_one("#results a")["href"] == "/directory?category=free-universal"


def test_pages_of_results(app, web):
    add_services(app, *(oruk_service(f"Group {n:02d}") for n in range(45)))
    soup = web.page("/directory?page=2")
    assert names(soup)[0] == "Group 20"
    pagination = soup.select_one("nav.govuk-pagination")
    assert pagination["aria-label"] == "Results pages"
    assert [a.get_text(strip=True) for a in pagination.select(".govuk-pagination__item a")] == ["1", "2", "3"]
    assert names(web.page("/directory?page=99")) == ["Group 40", "Group 41", "Group 42", "Group 43", "Group 44"]
    check_page(web.get("/directory?page=-1"))
    check_page(web.get("/directory?page=abc"))


def test_htmx_gets_only_the_results_with_the_count_to_announce(web, services):
    response = web.get("/directory?q=care", headers={"HX-Request": "true"})
    body = response.get_data(as_text=True)
    assert body.lstrip().startswith('<div id="results">')
    assert '<span hx-swap-oob="innerHTML:#result-count">2 services found</span>' in body
    assert "<html" not in body
    assert "HX-Request" in response.headers["Vary"]
    full = web.page("/directory?q=care")
    live = full.select_one("#result-count")
    assert live["aria-live"] == "polite" and live["role"] == "status"
    form = full.select_one("main form")
    assert form["method"] == "get" and form["hx-get"] == "/directory" and form["hx-target"] == "#results"


def test_a_service_page(web, services):
    soup = web.page("/directory")
    link = next(a for a in soup.select(".cc-result h3 a") if a.get_text(strip=True) == "Home care visits")
    page = web.page(link["href"])
    assert page.h1.get_text(strip=True) == "Home care visits"
    text = page.get_text(" ", strip=True)
    for fact in ("£27.50 per hour", "£30.50 per hour", "direct payment", "preferred provider list", "1 October 2026"):
        assert fact in text, fact
    assert [h.get_text(strip=True) for h in page.select("main h2")][:4] == [
        "Who it is for",
        "What it costs",
        "When and where",
        "How to get in touch",
    ]


def test_a_retired_or_unknown_service_is_not_found(web, services):
    closed = oruk_service("Closed day centre", status="inactive")
    web.get(f"/directory/services/{closed['id']}", status=404)
    web.get("/directory/services/not-a-service", status=404)


def test_only_http_addresses_become_links(app, web):
    record = oruk_service("Sneaky")
    record["url"] = "javascript:alert(1)"
    add_services(app, record)
    page = web.page(f"/directory/services/{record['id']}")
    assert not page.select('a[href^="javascript"]')


def test_the_oruk_api(web, services):
    root = web.get("/api/oruk/").get_json()
    assert root["version"] == "3.0" and root["openapi_url"].endswith("/api/oruk/openapi.json")
    listing = web.get("/api/oruk/services?per_page=2").get_json()
    assert {k: v for k, v in listing.items() if k != "contents"} == {
        "total_items": 4,
        "total_pages": 2,
        "page_number": 1,
        "size": 2,
        "first_page": True,
        "last_page": False,
        "empty": False,
    }
    assert set(listing["contents"][0]) <= {"id", "name", "description", "url", "status", "organization", "assured_date"}
    second = web.get("/api/oruk/services?per_page=2&page=2").get_json()
    assert second["last_page"] and second["size"] == 2
    beyond = web.get("/api/oruk/services?per_page=2&page=3").get_json()
    assert beyond["empty"] and beyond["contents"] == []
    found = web.get("/api/oruk/services?search=lunch&full=true").get_json()
    assert [s["name"] for s in found["contents"]] == ["Riverside lunch club"]
    assert found["contents"][0]["service_at_locations"]
    term = next(a for a in found["contents"][0]["attributes"] if a["taxonomy_term"]["code"] == "free-universal")
    by_term = web.get(f"/api/oruk/services?taxonomy_term_id={term['taxonomy_term_id']}").get_json()
    assert [s["name"] for s in by_term["contents"]] == ["Riverside lunch club"]
    near = web.get("/api/oruk/services?postcode=AT2+1AB&proximity=1000").get_json()
    assert [s["name"] for s in near["contents"]] == ["Riverside lunch club"]
    one = web.get(f"/api/oruk/services/{found['contents'][0]['id']}").get_json()
    assert one["name"] == "Riverside lunch club"


@pytest.mark.parametrize("query", ["per_page=0", "per_page=101", "page=0", "page=x", "postcode=nowhere"])
def test_the_oruk_api_refuses_bad_parameters_plainly(web, services, query):
    response = web.get(f"/api/oruk/services?{query}", status=400)
    assert "error" in response.get_json()


def test_the_oruk_api_unknown_service(web):
    assert web.get("/api/oruk/services/nope", status=404).get_json() == {"error": "no service with that id"}


def flask_cli(database_url, *args):
    return subprocess.run(
        [sys.executable, "-m", "flask", "--app", "portal.app", "directory", *args],
        capture_output=True,
        text=True,
        env={"PORTAL_ENV": "test", "DATABASE_URL": database_url, "PATH": "", "PYTHONPATH": "."},
    )


def test_import_then_export_is_lossless(app, database_url, tmp_path):
    result = flask_cli(database_url, "import", "content/directory/services.json")
    assert result.returncode == 0, result.stderr
    assert "138 services added, 0 updated" in result.stdout
    again = flask_cli(database_url, "import", "content/directory/services.json")
    assert "0 services added, 138 updated" in again.stdout
    exported = tmp_path / "export.json"
    assert flask_cli(database_url, "export", "--output", str(exported)).returncode == 0
    original = json.loads(Path("content/directory/services.json").read_text(encoding="utf-8"))
    assert sorted(json.loads(exported.read_text()), key=lambda s: s["id"]) == sorted(original, key=lambda s: s["id"])


def test_an_invalid_file_is_reported_by_id_and_field_and_nothing_is_imported(app, database_url, tmp_path):
    good = oruk_service("Good one")
    bad = oruk_service("Bad one")
    bad["cost_options"][0]["amount"] = "lots"
    del bad["name"]
    path = tmp_path / "services.json"
    path.write_text(json.dumps([good, bad]))
    result = flask_cli(database_url, "import", str(path))
    assert result.returncode == 1
    assert f"{bad['id']}: $: 'name' is a required property" in result.stderr
    assert f"{bad['id']}: $.cost_options[0].amount: 'lots' is not of type 'number'" in result.stderr
    assert "nothing was imported" in result.stderr
    from portal.data.directory import all_records

    with app.app_context():
        assert all_records() == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        ("[]", "there are no services in the file"),
        ("[1, 2]", "1 is not of type 'object'"),
    ],
)
def test_a_broken_file_is_explained(database_url, tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content)
    result = flask_cli(database_url, "import", str(path))
    assert result.returncode == 1 and message in result.stderr


def test_a_file_that_is_not_utf8_is_explained(database_url, tmp_path):
    path = tmp_path / "latin1.json"
    path.write_bytes('[{"name": "Caf\xe9"}]'.encode("latin-1"))
    result = flask_cli(database_url, "import", str(path))
    assert result.returncode == 1 and "not UTF-8" in result.stderr


def test_the_same_id_twice_is_refused(database_url, tmp_path):
    record = oruk_service("Twice")
    path = tmp_path / "twice.json"
    path.write_text(json.dumps([record, record]))
    result = flask_cli(database_url, "import", str(path))
    assert result.returncode == 1 and "the same id is given to two services" in result.stderr


@pytest.fixture
def staff(app, web):
    _, email = make_user(app, Role.STAFF)
    web.sign_in(email)
    return web


NEW_SERVICE = {
    "name": "Tea and chat",
    "organisation": "Riverside Friends",
    "description": "A weekly cuppa and a chat.",
    "categories": ["leisure-community"],
    "costs-0-amount": "1.50",
    "costs-0-unit": "per session",
    "flags": ["accepts-direct-payments"],
}


def audit_actions(app):
    """What was done to the directory (staff signing in is audited too, but is not about the directory)."""
    from portal.data.audit import all_events

    with app.app_context():
        return [
            (event.action, event.detail.get("name"))
            for event in all_events()
            if not event.action.startswith("account.")
        ]


def test_staff_add_a_service_that_people_can_then_find(app, staff):
    response = staff.submit("/staff/directory/new", NEW_SERVICE, status=302)
    page = staff.page(response.headers["Location"])
    assert "Tea and chat has been added to the directory." in page.get_text()
    assert "£1.50 per session" in page.get_text()
    assert names(staff.page("/directory?q=cuppa")) == ["Tea and chat"]
    assert ("directory.added", "Tea and chat") in audit_actions(app)
    from portal.data.directory import all_records
    from portal.oruk.validate import service_problems

    with app.app_context():
        assert [service_problems(record) for record in all_records()] == [[]]


@pytest.mark.parametrize(
    ("change", "errors"),
    [
        ({"name": ""}, {"name": "Enter the name of the service"}),
        ({"categories": []}, {"categories": "Select at least one type of support"}),
        ({"costs-0-amount": "", "costs-0-unit": ""}, {"costs-0-amount": "Enter a cost, or choose Free"}),
        ({"costs-0-amount": "1,50"}, {"costs-0-amount": "Enter the cost in pounds, like 27.50"}),
        ({"costs-0-unit": ""}, {"costs-0-unit": "Choose how it is charged, like per hour"}),
        ({"costs-0-unit": "per fortnight"}, {"costs-0-unit": "Choose how it is charged, like per hour"}),
        ({"email": "nope"}, {"email": "Enter an email address in the correct format, like name@example.com"}),
        ({"url": "javascript:alert(1)"}, {"url": "Enter a web address that starts with https://"}),
    ],
)
def test_staff_mistakes_are_explained_and_nothing_is_saved(app, staff, change, errors):
    soup = check_page(staff.submit("/staff/directory/new", {**NEW_SERVICE, **change}, status=200))
    assert error_summary(soup) == errors
    assert audit_actions(app) == []


def test_staff_change_and_retire_a_service_keeping_the_rest_of_its_record(app, staff, services):
    record = oruk_service(
        "Home care visits",
        categories=["home-care"],
        costs=[(27.5, "per hour"), (30.5, "per hour")],
        flags=["accepts-direct-payments", "preferred-provider"],
    )
    edit = f"/staff/directory/{record['id']}/edit"
    form = staff.page(edit)
    assert form.select_one("#name")["value"] == "Home care visits"
    assert form.select_one("#costs-1-amount")["value"] == "30.50"
    staff.submit(
        edit,
        {
            "name": "Home care visits",
            "organisation": "Test Org",
            "description": "Now with evening visits.",
            "categories": ["home-care"],
            "costs-0-amount": "28.00",
            "costs-0-unit": "per hour",
            "flags": ["accepts-direct-payments"],
        },
        status=302,
    )
    page = staff.page(f"/directory/services/{record['id']}")
    assert "Now with evening visits." in page.get_text()
    assert "£28.00 per hour" in page.get_text() and "£30.50" not in page.get_text()
    assert "preferred provider list" not in page.get_text()

    staff.submit(f"/staff/directory/{record['id']}/retire", {"reason": "The agency has closed."}, status=302)
    staff.get(f"/directory/services/{record['id']}", status=404)
    assert "Home care visits" not in names(staff.page("/directory"))
    assert ("directory.retired", "Home care visits") in audit_actions(app)
    listing = staff.page("/staff/directory?q=home")
    assert "Taken out" in listing.get_text()


def test_htmx_with_a_form_error_swaps_the_whole_main_so_the_error_summary_shows(web, services):
    response = web.get("/directory?postcode=nope", headers={"HX-Request": "true"})
    assert response.headers["HX-Retarget"] == "#main-content"
    assert response.headers["HX-Reselect"] == "#main-content"
    soup = check_page(response)
    assert error_summary(soup) == {"postcode": "Enter a full postcode, like AT3 4QD, or the first half, like AT3"}
